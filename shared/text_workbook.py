"""An XLSX package of one sheet of text cells, its XML written straight from the values.

openpyxl's write-only mode costs about 10 µs a cell (an element tree per cell, serialised
one by one): 50 ms for a failure workbook of 500 rows, on the path of every import that
rejects rows. Here the sheet is a string per cell (about 1 µs). The package's other parts
are the ones openpyxl writes for such a workbook (made once, by openpyxl, at first use),
so the file is the one openpyxl would write; tests/shared/test_text_workbook.py reads both
and requires the same cells.

A cell is an inline string (`t="inlineStr"`), so no value can become a formula or a number;
one marked `quoted` gets the style with `quotePrefix`, which Excel keeps when the cell is
edited. The values must already be fit for a cell (no XML-illegal characters, at most
Excel's length): `shared.failure_workbook.text_for_cell`.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import cache
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils.cell import get_column_letter

Cell = tuple[str, bool]
"""A cell's text and whether it gets a quote prefix."""

_SHEET_PART = "xl/worksheets/sheet1.xml"
_WORKBOOK_PART = "xl/workbook.xml"
_CORE_PART = "docProps/core.xml"
_TITLE_MARK = "TITLE-0d1c9e"
_TIME_MARK = "2000-01-01T00:00:00Z"
_SHEET_START = (
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetPr><outlinePr summaryBelow="1" summaryRight="1" /><pageSetUpPr /></sheetPr>'
    '<sheetViews><sheetView workbookViewId="0"><selection activeCell="A1" sqref="A1" />'
    '</sheetView></sheetViews><sheetFormatPr baseColWidth="8" defaultRowHeight="15" />'
    "<sheetData>"
)
_SHEET_END = (
    '</sheetData><pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" '
    'footer="0.5" /></worksheet>'
)


def write_text_workbook(title: str, rows: Iterable[Sequence[Cell]]) -> bytes:
    """The XLSX bytes of one sheet named `title` (at most 31 characters) holding `rows`."""
    parts = _package()
    buffer = io.BytesIO()
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts:
            if name == _SHEET_PART:
                content = _sheet_xml(rows)
            elif name == _WORKBOOK_PART:
                content = content.replace(quoteattr(_TITLE_MARK), quoteattr(title))
            elif name == _CORE_PART:
                content = content.replace(_TIME_MARK, now)
            archive.writestr(name, content)
    return buffer.getvalue()


def _sheet_xml(rows: Iterable[Sequence[Cell]]) -> str:
    out = [_SHEET_START]
    letters: list[str] = []
    for number, row in enumerate(rows, start=1):
        while len(letters) < len(row):
            letters.append(get_column_letter(len(letters) + 1))
        out.append(f'<row r="{number}">')
        for letter, (text, quoted) in zip(letters, row, strict=False):
            style = ' s="1"' if quoted else ""
            if not text:
                out.append(f'<c r="{letter}{number}"{style} t="inlineStr" />')
                continue
            space = ' xml:space="preserve"' if text != text.strip() else ""
            out.append(
                f'<c r="{letter}{number}"{style} t="inlineStr"><is><t{space}>'
                f"{escape(text)}</t></is></c>"
            )
        out.append("</row>")
    out.append(_SHEET_END)
    return "".join(out)


@cache
def _package() -> tuple[tuple[str, str], ...]:
    """The parts openpyxl writes for a one-sheet workbook with a quote-prefixed cell (so its
    styles hold that style, as index 1), in its order; title and time marked for replacing."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_TITLE_MARK)
    cell = WriteOnlyCell(sheet, value="x")
    cell.quotePrefix = True
    sheet.append([cell])
    workbook.properties.created = workbook.properties.modified = datetime(2000, 1, 1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return tuple((name, archive.read(name).decode()) for name in archive.namelist())
