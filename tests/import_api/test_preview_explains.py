"""The preview explains itself: every header with its field and why, or why it is left out."""

from __future__ import annotations

import pytest

from shared.gen.contactimport.v1 import import_service_pb2 as pb
from tests.support import csv_bytes, upload

HEADERS = [
    "First name",
    "Mobiel",
    "E-mail",
    "E-mail 2",
    "Phone 1 - Label",
    "Phone 1 - Value",
    "Shoe size",
    "Voornaam",
    "Fax",
    "Woonplaats",
    "Birthday",
]
FILE = csv_bytes(
    [
        HEADERS,
        [
            "Ann",
            "0612345678",
            "ann@example.nl",
            "ann@work.example",
            "Mobile",
            "0687654321",
            "38",
            "Anna",
            "0201234567",
            "Utrecht",
            "1990-01-02",
        ],
    ]
)

NONE = pb.UNMAPPED_REASON_UNSPECIFIED

# header, field_display_name, match_reason (mapped) or unmapped_reason, explanation, related
CASES = [
    pytest.param(
        "First name",
        "First name",
        pb.MATCH_REASON_EXACT_NAME,
        NONE,
        "Exact name of First name",
        "",
        id="exact-name",
    ),
    pytest.param(
        "Mobiel",
        "Mobile",
        pb.MATCH_REASON_SYNONYM,
        NONE,
        "Synonym (Dutch) of Mobile",
        "",
        id="dutch-synonym",
    ),
    pytest.param(
        "E-mail 2",
        "E-mail",
        pb.MATCH_REASON_NUMBERED_REPEAT,
        NONE,
        "Numbered repeat of E-mail",
        "",
        id="numbered-repeat",
    ),
    pytest.param(
        "Phone 1 - Value",
        "Phone",
        pb.MATCH_REASON_LABEL_COLUMN,
        NONE,
        "Its kind is decided by label column “Phone 1 - Label” (Google Contacts layout)",
        "Phone 1 - Label",
        id="value-with-label-column",
    ),
    pytest.param(
        "Phone 1 - Label",
        "",
        pb.MATCH_REASON_UNSPECIFIED,
        pb.UNMAPPED_REASON_LABEL_COLUMN,
        "Label column: decides row by row the kind of “Phone 1 - Value”",
        "Phone 1 - Value",
        id="the-label-column-itself",
    ),
    pytest.param(
        "Shoe size",
        "",
        pb.MATCH_REASON_UNSPECIFIED,
        pb.UNMAPPED_REASON_NO_MATCH,
        "No field matches this header",
        "",
        id="unmapped-junk",
    ),
    pytest.param(
        "Voornaam",
        "",
        pb.MATCH_REASON_UNSPECIFIED,
        pb.UNMAPPED_REASON_FIELD_TAKEN,
        "First name takes one column and “First name” fills it: left out",
        "First name",
        id="one-column-field-taken",
    ),
    pytest.param(
        "Fax",
        "",
        pb.MATCH_REASON_UNSPECIFIED,
        pb.UNMAPPED_REASON_NOT_CONTACT_DATA,
        "Fax, pager or telex: not a phone, left out",
        "",
        id="fax",
    ),
    pytest.param(
        "Woonplaats",
        "Address, city",
        pb.MATCH_REASON_SYNONYM,
        NONE,
        "Synonym (Dutch) of Address, city",
        "",
        id="address-part",
    ),
    pytest.param(
        "Birthday",
        "",
        pb.MATCH_REASON_UNSPECIFIED,
        pb.UNMAPPED_REASON_NOT_CONTACT_DATA,
        "Not contact data: left out",
        "",
        id="known-non-contact-column",
    ),
]


async def test_every_header_is_explained_in_file_order_by_upload_and_preview(stub, auth):
    uploaded = await upload(stub, auth, FILE)
    preview = await stub.GetFilePreview(
        pb.GetFilePreviewRequest(import_id=uploaded.contact_import.import_id), metadata=auth
    )

    for answer in (uploaded, preview):
        matches = list(answer.header_matches)
        assert [m.header for m in matches] == HEADERS
        assert [m.header for m in matches if not m.mapped] == list(answer.unmapped_headers)
        assert [m.column for m in matches if m.mapped] == list(answer.suggested_mapping.columns)
        assert all(m.explanation for m in matches)
    assert list(uploaded.header_matches) == list(preview.header_matches)


@pytest.mark.parametrize(
    ("header", "display", "match_reason", "unmapped_reason", "explanation", "related"), CASES
)
async def test_a_header_says_which_field_and_why(
    stub, auth, header, display, match_reason, unmapped_reason, explanation, related
):
    uploaded = await upload(stub, auth, FILE)
    preview = await stub.GetFilePreview(
        pb.GetFilePreviewRequest(import_id=uploaded.contact_import.import_id), metadata=auth
    )

    match = next(m for m in preview.header_matches if m.header == header)
    assert match.mapped == (unmapped_reason == NONE)
    assert match.field_display_name == display
    assert match.column.match_reason == match_reason
    assert match.unmapped_reason == unmapped_reason
    assert match.explanation == explanation
    assert match.related_header == related
