"""A read file: its headers and its data rows as Arrow string columns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import pyarrow as pa

MB = 1_000_000
MAX_DATA_ROWS = 10_000
# The widest real exports (HubSpot "all properties") have a few hundred columns; a file with
# far more is refused before it is parsed, since reading and matching cost grows with width.
MAX_COLUMNS = 2_000


class FileFormat(StrEnum):
    """An accepted format, decided by content."""

    CSV = "csv"
    XLSX = "xlsx"
    XLS = "xls"
    VCARD = "vcard"


SIZE_LIMITS: dict[FileFormat, int] = {
    FileFormat.CSV: 20 * MB,
    FileFormat.XLS: 10 * MB,
    FileFormat.XLSX: 5 * MB,
    FileFormat.VCARD: 20 * MB,
}


@dataclass(frozen=True)
class RepeatedHeader:
    """A header the file writes again (compared casefolded): where first, and where again.

    Column indexes count from 0 across every column of the file, headerless ones included.
    """

    header: str
    """As written the first time."""
    first_column: int
    column: int


@dataclass(frozen=True)
class Sheet:
    """The one worksheet of a file (a CSV is one sheet).

    `table` has one string column per header (named "c0", "c1", ... in header order,
    never null: an empty cell is ""), one table row per non-blank data row;
    `row_numbers` gives each table row the row number a spreadsheet shows (the header
    is row 1; a `sep=` hint line counts). Columns with an empty header and no data are
    left out of both `headers` and `table`. `repeated_headers` lists each header written
    again, in file order: whether that is allowed depends on the mapping
    (`shared.mapping.duplicates`), so the reader only reports it. A vCard's cards are its
    rows, numbered from 1.
    """

    format: FileFormat
    headers: list[str]
    table: pa.Table
    row_numbers: pa.Array
    repeated_headers: tuple[RepeatedHeader, ...] = ()
    encoding: str = ""
    """The text encoding the file was read in (utf-8, utf-16le, windows-1252, ...); "" for
    XLSX and XLS."""

    @property
    def data_row_count(self) -> int:
        return int(self.table.num_rows)

    def preview(self, limit: int) -> list[tuple[int, list[str]]]:
        """The first `limit` data rows as (row number, cells)."""
        head = self.table.slice(0, limit)
        columns = [col.to_pylist() for col in head.columns]
        numbers = self.row_numbers.slice(0, limit).to_pylist()
        return [(numbers[i], [c[i] for c in columns]) for i in range(head.num_rows)]


@dataclass(frozen=True)
class SheetOutline:
    """What the API keeps of a file it has checked: for a CSV, a Sheet without its cells.

    The same rules decide it as a Sheet (`shared.spreadsheet.reader.read_outline`), but a
    CSV is read a block at a time and only the first rows are kept, so a 20 MB file costs
    the API its bytes and a block, not a parsed copy. The formats read whole (at most
    10 MB) keep their Sheet, which the API stores for the worker.
    """

    format: FileFormat
    headers: list[str]
    data_row_count: int
    first_rows: list[tuple[int, list[str]]]
    """The first data rows (as many as the reader was asked for), as (row number, cells)."""
    column_cells: Callable[[int], list[str]]
    """The cells of the column under `headers[index]`, one per record between the header
    row and the end of the data (a blank row gives ""): read again from the file."""
    repeated_headers: tuple[RepeatedHeader, ...] = ()
    encoding: str = ""
    sheet: Sheet | None = None
    """The whole sheet, for the formats read whole (XLSX, XLS, vCard); None for a CSV."""
    release: Callable[[], None] = lambda: None
    """Frees what `column_cells` reads (a CSV's text kept aside); `close` calls it."""

    def close(self) -> None:
        """Done with the outline: `column_cells` may not be called after."""
        self.release()

    def __enter__(self) -> SheetOutline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def preview(self, limit: int) -> list[tuple[int, list[str]]]:
        """The first `limit` data rows as (row number, cells), at most the rows kept."""
        return self.first_rows[:limit]
