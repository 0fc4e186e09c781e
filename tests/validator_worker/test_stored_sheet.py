"""An XLSX, XLS or vCard import runs on the sheet the API read; a CSV on its file."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from shared.spreadsheet import stored_sheet
from shared.spreadsheet.reader import read_sheet
from tests.support import (
    csv_bytes,
    start,
    stored_contacts,
    upload,
    wait_finished,
    xls_bytes,
    xlsx_bytes,
)

VCARD = Path(__file__).parents[1] / "fixtures" / "vcard" / "android.vcf"
ROWS = [
    ["First name", "Last name", "Email", "Mobile"],
    ["Anna", "de Vries", "anna@example.nl", "06 12345678"],
    ["Bram", "Jansen", "not an address", "06 87654321"],
    ["Chris", "Bakker", "chris@example.nl", "06 11223344"],
]


async def _sheet_row(db, import_id: str) -> bytes | None:
    content: bytes | None = await db.fetchval(
        "SELECT content FROM import_sheets WHERE import_id = $1", uuid.UUID(import_id)
    )
    return content


@pytest.mark.parametrize(
    ("data", "name"),
    [
        pytest.param(xlsx_bytes(ROWS), "contacts.xlsx", id="xlsx"),
        pytest.param(xls_bytes(ROWS), "contacts.xls", id="xls"),
        pytest.param(VCARD.read_bytes(), "contacts.vcf", id="vcard"),
    ],
)
async def test_a_file_read_whole_is_imported_from_the_stored_sheet(
    stub, auth, tenant, db, worker, data: bytes, name: str
):
    # Given an upload of a format the API reads whole, and the same file uploaded again
    first = await upload(stub, auth, data, name)
    second = await upload(stub, auth, data, name)
    stored = await _sheet_row(db, first.contact_import.import_id)
    assert stored is not None
    assert stored_sheet.load(stored) is not None
    # ... whose stored sheet is removed, as for an upload stored before sheets were
    await db.execute(
        "DELETE FROM import_sheets WHERE import_id = $1",
        uuid.UUID(second.contact_import.import_id),
    )

    # When both are imported as a dry run (the same rows checked, nothing stored)
    from_sheet = await wait_finished(
        stub, auth, (await start(stub, auth, first, dry_run=True)).import_id
    )
    from_file = await wait_finished(
        stub, auth, (await start(stub, auth, second, dry_run=True)).import_id
    )

    # Then the stored sheet gives what reading the file again gives
    assert from_sheet.state == from_file.state
    assert from_sheet.counts == from_file.counts
    assert from_sheet.counts.rows == read_sheet(data).data_row_count


async def test_the_worker_imports_the_rows_the_api_read(stub, auth, tenant, db, worker):
    # Given an XLSX upload whose stored sheet holds other rows than the file
    uploaded = await upload(stub, auth, xlsx_bytes(ROWS), "contacts.xlsx")
    other = [ROWS[0]] + [["Dirk" if r[0] == "Anna" else r[0], *r[1:]] for r in ROWS[1:]]
    await db.execute(
        "UPDATE import_sheets SET content = $2 WHERE import_id = $1",
        uuid.UUID(uploaded.contact_import.import_id),
        stored_sheet.dump(read_sheet(xlsx_bytes(other))),
    )

    # When it is imported
    finished = await wait_finished(stub, auth, (await start(stub, auth, uploaded)).import_id)

    # Then the rows came from the stored sheet, not from the file read again
    assert finished.counts.imported == 2
    contacts = await stored_contacts(db, tenant)
    assert sorted(c["first_name"] for c in contacts.values()) == ["Chris", "Dirk"]


async def test_a_csv_keeps_no_stored_sheet(stub, auth, tenant, db, worker):
    uploaded = await upload(stub, auth, csv_bytes(ROWS))
    finished = await wait_finished(stub, auth, (await start(stub, auth, uploaded)).import_id)
    assert await _sheet_row(db, uploaded.contact_import.import_id) is None
    assert finished.counts.imported == 2
