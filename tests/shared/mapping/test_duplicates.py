"""The repeated-header rule of an upload: a header written twice may not be mapped."""

from __future__ import annotations

import pytest

from shared.errors import FileRejected, Reason
from shared.mapping.duplicates import check_repeated_headers
from shared.mapping.matcher import suggest_mapping
from shared.mapping.signature import header_signature
from shared.spreadsheet import read_sheet


def _upload_rules(data: bytes) -> None:
    """What an upload applies to a file: the reader's rules, then matching and this rule."""
    sheet = read_sheet(data)
    check_repeated_headers(sheet.repeated_headers, suggest_mapping(sheet.headers))


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        pytest.param(
            b"Name,Email,Phone, email \nJan,a@x.nl,06,b@x.nl\n",
            "Column 2 (B) and column 4 (D)",
            id="duplicate-header",
        ),
        pytest.param(
            b"Name,Phone,name\nJan,06,Jan Jansen\n",
            'The header "Name" appears twice: Column 1 (A) and column 3 (C)',
            id="duplicate-header-of-a-mapped-field",
        ),
        pytest.param(
            "Name,Phone,\u200bName\u00a0\nJan,06,Jan Jansen\n".encode(),
            'The header "Name" appears twice: Column 1 (A) and column 3 (C)',
            id="duplicate-header-behind-a-zero-width-space",
        ),
        pytest.param(
            b"Name,,Phone,name\nJan,,06,Jan Jansen\n",
            'The header "Name" appears twice: Column 1 (A) and column 4 (D)',
            id="columns-counted-with-a-dropped-empty-one",
        ),
    ],
)
def test_a_repeated_header_the_suggestion_maps_is_refused(data: bytes, fragment: str) -> None:
    with pytest.raises(FileRejected) as caught:
        _upload_rules(data)
    assert caught.value.reason is Reason.DUPLICATE_HEADER
    assert fragment in str(caught.value.message)


def test_the_message_says_what_to_do() -> None:
    with pytest.raises(FileRejected) as caught:
        _upload_rules(b"Name,Phone,name\nJan,06,Jan Jansen\n")
    assert str(caught.value.message) == (
        'The header "Name" appears twice: Column 1 (A) and column 3 (C). Rename one of them '
        '(for example "Name 2") so each header is used once.'
    )


def test_a_repeated_header_the_suggestion_leaves_out_is_accepted() -> None:
    # French Outlook: "Titre" is the salutation and the job title, no contact data.
    _upload_rules(
        '"Titre","Prénom","Nom","Titre","Tél. mobile"\n"M.","Léa","Martin","Gérant","06"\n'.encode()
    )


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(["Name", "Phone", "name"], id="case"),
        pytest.param(["Titre", "Prénom", "TITRE"], id="upper"),
    ],
)
def test_headers_that_repeat_have_no_signature_so_no_mapping_is_recalled(
    headers: list[str],
) -> None:
    # The rule judges the matcher's suggestion: a remembered one is never recalled here.
    assert header_signature(headers) is None
