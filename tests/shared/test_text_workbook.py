"""The text workbook written straight as XML holds what openpyxl's own writer would write.

The reference is the workbook as openpyxl's write-only mode writes it (how the failure
workbook was written before): both are read back with openpyxl and with calamine, and
every cell's value, type and quote prefix, the sheet's title and the package's parts must
be the same. One difference is meant: a cell of spaces only keeps them (openpyxl's writer
leaves xml:space="preserve" off there, and a reader may drop them).
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Sequence

import openpyxl
import pytest
from openpyxl import Workbook
from openpyxl.cell.cell import WriteOnlyCell
from python_calamine import CalamineWorkbook

from shared.failure_workbook import text_for_cell
from shared.text_workbook import Cell, write_text_workbook

VALUES = [
    "", "  spaces kept  ", "Jan", "=1+1", "+31 6 12345678", "-5", "@SUM(A1)",
    "a & b < c > d", 'say "hi"', "it's", "two\nlines", "tab\there", "_x000D_", "_x0041_",
    "Zoë 😀 שלום", "0042", "1e5", "TRUE", "]]>", "<t>", "&amp;", "\u00a0", "x" * 5000,
]  # fmt: skip


def _reference(title: str, rows: Sequence[Sequence[Cell]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    for row in rows:
        cells = []
        for text, quoted in row:
            cell = WriteOnlyCell(sheet, value=text)
            cell.data_type = "s"
            cell.quotePrefix = quoted
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _read(data: bytes) -> tuple[object, ...]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    cells = [[(c.value, c.data_type, bool(c.quotePrefix)) for c in row] for row in sheet.rows]
    calamine = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    return sheet.title, cells, calamine.to_python()


def _rows(rng: random.Random) -> list[list[Cell]]:
    width = rng.randint(1, 30)  # past Z: AA, AB, ...
    return [
        [(text_for_cell(rng.choice(VALUES)), rng.random() < 0.2) for _ in range(width)]
        for _ in range(rng.randint(1, 20))
    ]


@pytest.mark.parametrize(
    "title", ["Failed rows", "Afgekeurde rijen", 'A & "B" <c>', "Zoë's rijen"], ids=str
)
def test_the_workbook_reads_as_openpyxl_s_own(title: str) -> None:
    # Given 50 sheets of the values that need care (XML specials, whitespace, OOXML
    # escapes, formulas, emoji, long values), some cells quote-prefixed
    rng = random.Random(title)
    for _ in range(50):
        rows = _rows(rng)
        # Then openpyxl and calamine read the same title, cells, types and quote prefixes
        assert _read(write_text_workbook(title, rows)) == _read(_reference(title, rows))


def test_the_package_has_openpyxl_s_parts() -> None:
    rows = [[("Naam", False), ("=1", True)]]
    ours = zipfile.ZipFile(io.BytesIO(write_text_workbook("Blad", rows)))
    theirs = zipfile.ZipFile(io.BytesIO(_reference("Blad", rows)))
    assert ours.namelist() == theirs.namelist()
    assert ours.testzip() is None
    for name in ours.namelist():
        if name != "docProps/core.xml":  # the time it was written
            assert ours.read(name) == theirs.read(name), name


def test_a_cell_of_spaces_only_keeps_them() -> None:
    data = write_text_workbook("Blad", [[("  ", False), ("\t", True)]])
    assert _read(data)[1:] == ([[("  ", "s", False), ("\t", "s", True)]], [["  ", "\t"]])
