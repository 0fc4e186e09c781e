"""Read an XLSX or XLS upload into a Grid with python-calamine (cached formula values).

calamine reads 10,000 x 15 cells in about a tenth of the time openpyxl's read-only mode
takes (TOOLING.md); it never evaluates formulas, never follows external links and never
expands XML entities. An XLSX passes `xlsx_guard` first; an OLE2 file is told apart
(XLS, encrypted XLSX, other Office documents) with msoffcrypto-tool, and its Workbook
stream's cell records are walked for the farthest cell before calamine reads the sheet:
calamine allocates the whole rectangle (a 5 kB XLS with a number in IV65536 costs 1 GB).
"""

from __future__ import annotations

import datetime
import io
import struct
from collections.abc import Sequence

import msoffcrypto
import olefile  # type: ignore[import-untyped]
import pyarrow as pa
import pyarrow.compute as pc
from msoffcrypto.exceptions import FileFormatError
from msoffcrypto.format.ooxml import OOXMLFile
from msoffcrypto.format.xls97 import Xls97File
from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetVisibleEnum

from shared.errors import FileRejected, Reason
from shared.i18n.text import Param, Text, t
from shared.spreadsheet.formats import Advice, unsupported
from shared.spreadsheet.sheet import MAX_COLUMNS
from shared.spreadsheet.sheet_rules import Column, Grid, too_many_columns
from shared.spreadsheet.xlsx_guard import (
    MAX_SHEET_CELLS,
    SheetEntry,
    inspect_xlsx,
    malformed,
    too_many_cells,
)

Cell = int | float | str | bool | datetime.date | datetime.time | datetime.timedelta

_EXACT_FLOAT_INTEGERS = 2**53  # every whole float below this is an exact int64
# calamine's SheetVisibleEnum is not hashable: compare by equality.
_CALAMINE_STATES = (
    (SheetVisibleEnum.Hidden, "hidden"),
    (SheetVisibleEnum.VeryHidden, "veryHidden"),
)
# BIFF8 records that hold one cell (row, column first): FORMULA, LABELSST, BLANK, NUMBER,
# LABEL, BOOLERR, RK, RSTRING; and the ones that hold a run of cells in a row (MULRK,
# MULBLANK: row, first column, ..., last column in the last two bytes).
_CELL_RECORDS = frozenset({0x0006, 0x00FD, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E, 0x00D6})
_CELL_RUN_RECORDS = frozenset({0x00BD, 0x00BE})
_OTHER_OLE = {
    # Translators: what a refused file is, in "This file is {what}, not a spreadsheet ...".
    "Doc97File": t("a Word document (.doc)"),
    "Ppt97File": t("a PowerPoint presentation (.ppt)"),
}


def encrypted() -> FileRejected:
    """The refusal for a password-protected workbook."""
    return FileRejected(
        Reason.ENCRYPTED_FILE,
        t(
            "The file is password-protected. Open it in Excel, remove the password (File > "
            "Info > Protect Workbook > Encrypt with Password, clear the password), save it "
            "and upload it again."
        ),
    )


def read_xlsx(data: bytes, *, max_inflated_bytes: int) -> Grid:
    """The one worksheet of a checked XLSX file as a Grid."""
    sheets = inspect_xlsx(data, max_inflated_bytes=max_inflated_bytes)
    _check_one_sheet(sheets)
    with _open(data) as workbook:
        return _read_first_sheet(workbook)


def read_xls(data: bytes) -> Grid:
    """The one worksheet of an XLS file (or the refusal of another OLE2 document)."""
    _check_ole(data)
    _check_xls_extent(data)  # calamine reads every sheet's cells when it opens an XLS
    with _open(data) as workbook:
        _check_one_sheet(
            [SheetEntry(meta.name, _state(meta.visible)) for meta in workbook.sheets_metadata]
        )
        return _read_first_sheet(workbook)


def _check_xls_extent(data: bytes) -> None:
    """Refuse a sheet whose farthest cell record makes too large a rectangle.

    Walks the BIFF records of the Workbook stream (a 10,000 x 15 file in about 40 ms).
    """
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            stream: bytes = ole.openstream("Workbook").read()
    except Exception as exc:  # olefile raises many kinds on a damaged container
        raise malformed(t("it looks like an XLS file but is damaged")) from exc
    max_row = max_col = -1
    pos = 0
    end = len(stream) - 8
    unpack = struct.unpack_from
    cells = _CELL_RECORDS
    while pos <= end:
        kind, length, row, col = unpack("<HHHH", stream, pos)
        if kind in cells:
            if row > max_row:
                max_row = row
            if col > max_col:
                max_col = col
        elif kind in _CELL_RUN_RECORDS and length >= 6 and pos + 4 + length <= len(stream):
            last = unpack("<H", stream, pos + 2 + length)[0]
            max_row = max(max_row, row)
            max_col = max(max_col, col, last)
        pos += 4 + length
    rows, columns = max_row + 1, max_col + 1
    if columns > MAX_COLUMNS:
        raise too_many_columns(columns)
    if rows * columns > MAX_SHEET_CELLS:
        raise too_many_cells(rows, columns)


def _state(visible: SheetVisibleEnum) -> str:
    return next((state for value, state in _CALAMINE_STATES if visible == value), "visible")


def _check_ole(data: bytes) -> None:
    """Refuse an encrypted workbook or an OLE2 file that is no XLS."""
    try:
        office = msoffcrypto.OfficeFile(io.BytesIO(data))
    except FileFormatError as exc:
        raise unsupported(
            t("an Office document that is not an Excel workbook"), Advice.SAVE_AS_XLSX
        ) from exc
    except Exception as exc:  # olefile raises many kinds on a damaged container
        raise malformed(t("it looks like an XLS file but is damaged")) from exc
    if isinstance(office, OOXMLFile):
        raise encrypted()  # an OOXML package inside OLE2 is an encrypted one
    if not isinstance(office, Xls97File):
        what = _OTHER_OLE.get(type(office).__name__, t("an Office document"))
        raise unsupported(what, Advice.SAVE_TABLE)
    try:
        is_encrypted = office.is_encrypted()
    except Exception as exc:  # a Workbook stream without a BOF record, cut records, ...
        raise malformed(t("its Workbook stream is damaged")) from exc
    if is_encrypted:
        raise encrypted()


def _check_one_sheet(sheets: Sequence[SheetEntry]) -> None:
    if len(sheets) == 1:
        return
    message: Text
    if any(s.state != "visible" for s in sheets):
        # Translators: {names} lists the sheets, quoted, a hidden one marked as such
        # ("Contacts", "Lists" (hidden)).
        message = t(
            "The workbook has {count} sheets ({names}); it must have exactly one. Delete the "
            "other sheets (right-click a sheet tab > Unhide to see hidden ones), or copy the "
            "contacts into a new workbook, and upload it again.",
            count=len(sheets),
            names=_sheet_list(sheets),
        )
    else:
        # Translators: {names} lists the sheets, quoted ("Contacts", "Notes").
        message = t(
            "The workbook has {count} sheets ({names}); it must have exactly one. Delete the "
            "other sheets, or copy the contacts into a new workbook, and upload it again.",
            count=len(sheets),
            names=", ".join(f'"{s.name}"' for s in sheets),
        )
    raise FileRejected(Reason.MULTIPLE_SHEETS, message)


def _sheet_list(sheets: Sequence[SheetEntry]) -> Param:
    """The sheets' names, quoted and comma-separated, each hidden one marked as such."""
    items: list[Param] = []
    for sheet in sheets:
        name = f'"{sheet.name}"'
        if sheet.state == "hidden":
            # Translators: a hidden sheet in a list of the workbook's sheets; {name} is its
            # name, quoted.
            items.append(t("{name} (hidden)", name=name))
        elif sheet.state == "veryHidden":
            # Translators: a sheet hidden so that Excel's Unhide does not list it, in a list
            # of the workbook's sheets; {name} is its name, quoted.
            items.append(t("{name} (very hidden)", name=name))
        elif items and isinstance(items[-1], str):
            items[-1] = f"{items[-1]}, {name}"  # visible neighbours: one plain text
        else:
            items.append(name)
    return _joined(items)


def _joined(items: Sequence[Param]) -> Param:
    """Items as one comma-separated list; halves are joined, so nesting stays shallow."""
    if len(items) == 1:
        return items[0]
    middle = len(items) // 2
    # Translators: two parts of a list of sheet names, in the list's order.
    return t("{earlier}, {later}", earlier=_joined(items[:middle]), later=_joined(items[middle:]))


def _open(data: bytes) -> CalamineWorkbook:
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError as exc:
        raise encrypted() from exc
    except BaseException as exc:
        if not _is_reader_failure(exc):
            raise
        raise malformed(t("the spreadsheet data is damaged")) from exc


def _is_reader_failure(exc: BaseException) -> bool:
    """calamine's errors, and its Rust panics (a BaseException), mean a damaged file."""
    return isinstance(exc, CalamineError) or type(exc).__name__ == "PanicException"


def _read_first_sheet(workbook: CalamineWorkbook) -> Grid:
    """Sheet 1 from A1 on (leading blank rows kept, so row numbers are Excel's)."""
    try:
        sheet = workbook.get_sheet_by_index(0)
        end = sheet.end
        if end is not None and end[1] + 1 > MAX_COLUMNS:
            raise too_many_columns(end[1] + 1)
        if end is not None and (end[0] + 1) * (end[1] + 1) > MAX_SHEET_CELLS:
            raise too_many_cells(end[0] + 1, end[1] + 1)
        rows = sheet.to_python(skip_empty_area=False) if end is not None else []
    except BaseException as exc:
        if not _is_reader_failure(exc):
            raise
        raise malformed(t("the spreadsheet data is damaged")) from exc
    columns: list[Column] = [_text_column(cells) for cells in zip(*rows, strict=True)]
    return Grid(columns, pa.array(range(1, len(rows) + 1), pa.int32()))


def _text_column(cells: Sequence[Cell]) -> pa.Array:
    """A column of cells as text (no NUL); the header cell apart, so numbers stay fast."""
    if not cells:
        return pa.array([], pa.string())
    head = pa.array([cell_text(cells[0])], pa.string())
    # A NUL character (an XLS string, a raw byte in sheet XML) shows as nothing in Excel,
    # and PostgreSQL text cannot hold it: drop it.
    return pc.replace_substring(pa.concat_arrays([head, _text_cells(cells[1:])]), "\x00", "")


def _text_cells(cells: Sequence[Cell]) -> pa.Array:
    """Cells as text; text cells (the usual case) are taken as they are."""
    kinds = set(map(type, cells))
    if kinds == {str}:
        return pa.array(cells, pa.string())
    if kinds == {float} and cells:
        numbers = pa.array(cells, pa.float64())
        whole = pc.equal(pc.floor(numbers), numbers)
        if pc.all(whole).as_py() and pc.max(pc.abs(numbers)).as_py() < _EXACT_FLOAT_INTEGERS:
            return numbers.cast(pa.int64()).cast(pa.string())
    return pa.array([c if type(c) is str else cell_text(c) for c in cells], pa.string())


def cell_text(cell: Cell) -> str:
    """A cell value as the text a user sees, without Excel's display formats.

    Whole numbers are their digits (447900000000.0 -> "447900000000", never 4.479E+11),
    other numbers their shortest round-trip form, booleans TRUE/FALSE, dates and times
    ISO 8601 (a date alone when the time is 00:00).
    """
    if isinstance(cell, str):
        return cell
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    if isinstance(cell, datetime.datetime):
        return cell.date().isoformat() if cell.time() == datetime.time(0) else cell.isoformat()
    if isinstance(cell, datetime.date | datetime.time):
        return cell.isoformat()
    return str(cell)  # int, timedelta (a duration)
