"""The sheet the API stores beside an XLSX, XLS or vCard upload is the sheet it read."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from shared.spreadsheet import stored_sheet
from shared.spreadsheet.reader import read_sheet
from shared.spreadsheet.sheet import Sheet
from tests.shared.spreadsheet.spreadsheet_files import xls, xlsx

FIXTURES = Path(__file__).parents[2] / "fixtures"
ROWS: list[list[Any]] = [
    ["First name", "Last name", "Email", "Phone", "Email", "Notes", ""],
    ["Zoë", "de Vries", "zoe@example.nl", "+31 6 12345678", "z@example.nl", ""],
    ["", "", "", "", "", ""],  # a blank row: left out, the next keeps its number
    ["Jan ☕", "Jansen, Jan", "=cmd|' /C calc'!A0", 612345678, "", "note"],
    ["Ünal", "", "", "", "", ""],
    ["two\nlines", 'say "hi"', "\u00a0", 3.5, "", ""],
    ["Datum", date(2026, 12, 7), "", "", "", ""],
]


def _same(stored: Sheet, read: Sheet) -> None:
    assert stored.format is read.format
    assert stored.headers == read.headers
    assert stored.table.equals(read.table)
    assert stored.table.schema.names == read.table.schema.names
    assert stored.row_numbers.equals(read.row_numbers)
    assert stored.repeated_headers == read.repeated_headers
    assert stored.encoding == read.encoding
    assert stored.preview(100) == read.preview(100)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(xlsx(ROWS), id="xlsx"),
        pytest.param(xls(ROWS), id="xls"),
        pytest.param(xlsx(ROWS[:2]), id="xlsx-one-row"),
        pytest.param(xlsx([[f"Column {c}" for c in range(40)]] * 300), id="xlsx-wide-and-long"),
        pytest.param((FIXTURES / "layouts" / "hubspot_contacts.xlsx").read_bytes(), id="hubspot"),
        *(
            pytest.param(path.read_bytes(), id=f"vcard-{path.stem}")
            for path in sorted((FIXTURES / "vcard").glob("*.vcf"))
        ),
        pytest.param((FIXTURES / "layouts" / "vcard.vcf").read_bytes(), id="vcard-layout"),
        pytest.param(
            (FIXTURES / "vcard" / "android.vcf").read_bytes().decode().encode("utf-16"),
            id="vcard-utf16",
        ),
    ],
)
def test_the_stored_sheet_is_the_sheet_read(data: bytes) -> None:
    read = read_sheet(data)
    _same(stored_sheet.load(stored_sheet.dump(read)), read)  # type: ignore[arg-type]


def test_a_sheet_of_another_format_version_is_not_used() -> None:
    read = read_sheet(xlsx(ROWS))
    assert read.repeated_headers  # ROWS repeats "Email": carried by the cases above too
    dumped = stored_sheet.dump(read)
    table = pa.ipc.open_file(pa.py_buffer(dumped)).read_all()
    older = table.replace_schema_metadata({**table.schema.metadata, b"contactimport.sheet": b"0"})
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, older.schema) as writer:
        writer.write_table(older)
    # The worker reads the uploaded file instead (tests/validator_worker/test_stored_sheet.py).
    assert stored_sheet.load(sink.getvalue().to_pybytes()) is None


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"PK\x03\x04 not arrow", id="not-arrow"),
        pytest.param(stored_sheet.dump(read_sheet(xlsx(ROWS)))[:-100], id="cut-short"),
    ],
)
def test_bytes_that_are_no_stored_sheet_are_not_used(data: bytes) -> None:
    assert stored_sheet.load(data) is None


def test_a_stored_sheet_is_smaller_than_its_cells() -> None:
    rows = [["First name", "Email", "Notes"]]
    rows += [[f"Anna {i}", f"anna{i}@example.nl", "Bel na 17:00"] for i in range(2_000)]
    read = read_sheet(xlsx(rows))
    cells = sum(len(v.encode()) for row in rows[1:] for v in row)
    assert len(stored_sheet.dump(read)) < cells / 2  # compressed
