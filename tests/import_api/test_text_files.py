"""Text files as people have them, through the API and the worker: UTF-16 and BOMs read
without asking, Windows-1252 when declared, stray control characters removed, rows kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import grpc
import pytest

from shared.gen.contactimport.v1 import import_service_pb2 as pb
from tests.support import error_details, failure_reasons, import_file, stored_contacts, upload

pytestmark = pytest.mark.usefixtures("worker")

TEXT = (
    "Voornaam;Achternaam;Mobiel;Bedrijf\r\n"
    "Zoë;Müller;06 12345678;Café “De Hoek”\r\n"
    "René;Ægir;06 87654321;Œuvre – €5\r\n"
)
NAMES = {2: ("Zoë", "Müller", "Café “De Hoek”"), 3: ("René", "Ægir", "Œuvre – €5")}


def _names(contacts: dict[int, dict[str, Any]]) -> dict[int, tuple[str, str, str]]:
    return {row: (c["first_name"], c["last_name"], c["company"]) for row, c in contacts.items()}


@pytest.mark.parametrize(
    ("data", "encoding", "used"),
    [
        pytest.param(TEXT.encode("utf-16"), "", "utf-16le", id="utf16-bom"),
        pytest.param(b"\xfe\xff" + TEXT.encode("utf-16-be"), "", "utf-16be", id="utf16be-bom"),
        pytest.param(TEXT.encode("utf-8-sig"), "", "utf-8", id="utf8-bom"),
        pytest.param(TEXT.encode("cp1252"), "windows-1252", "windows-1252", id="windows-1252"),
        pytest.param(TEXT.encode("utf-16-le"), "utf-16", "utf-16le", id="utf16-declared"),
    ],
)
async def test_a_text_file_in_its_encoding_imports_its_letters(
    stub, auth, db, tenant, data, encoding, used
):
    # Given a file in `encoding` (its BOM says it, or the caller declares it)
    uploaded = await upload(stub, auth, data, encoding=encoding)

    # Then the preview shows the decoded text, and the import says how it was read
    assert uploaded.contact_import.encoding == used
    assert list(uploaded.preview_rows[0].cells) == [
        "Zoë",
        "Müller",
        "06 12345678",
        "Café “De Hoek”",
    ]

    # And importing it stores the same letters
    finished = await import_file(stub, auth, data, encoding=encoding)
    assert (finished.counts.imported, finished.encoding) == (2, used)
    assert _names(await stored_contacts(db, tenant)) == NAMES


async def test_undeclared_windows_1252_is_refused_saying_how_to_declare_it(stub, auth):
    with pytest.raises(grpc.RpcError) as caught:
        await upload(stub, auth, TEXT.encode("cp1252"))

    details = error_details(caught.value)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert details["reason"] == "NOT_UTF8"
    assert details["metadata"] == {"line": "2", "likely_encoding": "windows-1252"}
    assert "--encoding windows-1252" in caught.value.details()


@pytest.mark.parametrize("encoding", ["koi8-r", "ebcdic", "utf-32"])
async def test_an_encoding_that_cannot_be_declared_is_a_bad_request(stub, auth, encoding):
    with pytest.raises(grpc.RpcError) as caught:
        await upload(stub, auth, TEXT.encode(), encoding=encoding)

    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error_details(caught.value)["fields"] == ["metadata.encoding"]


async def test_stray_control_characters_are_removed_and_the_rows_kept(stub, auth, db, tenant):
    # Given a UTF-8 CSV with a NUL, a BEL and an ESC inside values, and one bad number
    data = (
        b"Voornaam,Achternaam,Mobiel\r\n"
        b"Jan\x00,Smit,06 12345678\r\n"
        b"Els\x07,de\x1b Vries,06 87654321\r\n"
        b"Piet\x00,Bakker,12ab\r\n"
    )

    # When it is imported
    finished = await import_file(stub, auth, data)

    # Then the good rows are stored without the controls, the bad one is in the workbook
    assert (finished.counts.imported, finished.counts.failed) == (2, 1)
    stored = await stored_contacts(db, tenant)
    assert {r: (c["first_name"], c["last_name"]) for r, c in stored.items()} == {
        2: ("Jan", "Smit"),
        3: ("Els", "de Vries"),
    }
    reasons = await failure_reasons(stub, auth, finished.import_id)
    assert list(reasons) == [4]


VCARD_DIR = Path(__file__).parents[1] / "fixtures" / "vcard"


async def test_a_vcard_imports_without_asking_with_cards_as_rows(stub, auth, db, tenant):
    # Given Apple Contacts' export: 4 cards, the last one with only a home fax
    data = (VCARD_DIR / "apple_contacts.vcf").read_bytes()

    # When it is uploaded and started with the suggested mapping as it is
    uploaded = await upload(stub, auth, data, "Contacts.vcf")
    assert uploaded.contact_import.file_format == pb.FILE_FORMAT_VCARD
    # (every column mapped but the fax and the address's type, which are not imported)
    assert list(uploaded.unmapped_headers) == ["Fax 1", "Address 1 - Type"]
    finished = await import_file(stub, auth, data, "Contacts.vcf")

    # Then every card with a number is a contact; the fax-only card is rejected as card 4
    assert (finished.counts.rows, finished.counts.imported, finished.counts.failed) == (4, 3, 1)
    stored = await stored_contacts(db, tenant)
    assert sorted(stored) == [1, 2, 3]
    first = stored[1]
    assert (first["first_name"], first["last_name"]) == ("Sanne Johanna", "de Vries")
    assert first["mobiles"] == ["+31612345678"]
    assert "+31207654321" not in first["phones"]  # the fax
    assert first["emails"][0] == "sanne.devries@example.nl"
    reasons = await failure_reasons(stub, auth, finished.import_id)
    assert list(reasons) == [4]
