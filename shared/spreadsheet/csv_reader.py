"""Read a CSV file's UTF-8 text into a Grid: `sep=` hint, delimiter, quotes, pyarrow parse.

pyarrow parses the file with every column as text; a blank line comes back as a row of
empty cells, so record i is row i + 1 (+1 after a `sep=` line). A ragged record (more or
fewer cells than the header) cannot be kept by pyarrow, so when one exists the whole file
is read again with the stdlib csv module (measured: 10,000 x 15 cells, pyarrow 18 ms,
stdlib 38 ms); both give the same cells.

`read_csv` gives the whole file as one grid (the worker imports every row). `csv_text` keeps
a text that comes in chunks aside in a temporary file, checking its quotes as it comes, and
`csv_blocks` gives it back a block of about 256 KiB at a time, for a reader that keeps only
what the rules need (the API's outline: tests/shared/spreadsheet/test_outline.py proves the
two agree).
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any, BinaryIO, TextIO

import pyarrow as pa
import pyarrow.csv as pa_csv

from shared.spreadsheet.csv_quotes import QuoteScan, check_quotes, unclosed_quote
from shared.spreadsheet.sheet import MAX_COLUMNS, SIZE_LIMITS, FileFormat
from shared.spreadsheet.sheet_rules import Column, Grid, too_many_columns

DELIMITERS = b",;\t|"
_SEP_HINT = re.compile(rb'\A"?sep=([,;\t|])"?\1*[ \t]*(?:\r\n|\n|\r|\Z)', re.IGNORECASE)
_TOKEN = re.compile(rb'"(?:[^"]|"")*"|[,;\t|]|\r\n|\n|\r')
_SNIFF_BYTES = 64 * 1024
_SNIFF_RECORDS = 20
BLOCK_BYTES = 1 << 18
# A text kept aside stays in memory up to this size, and goes to a temporary file beyond.
_IN_MEMORY = 1 << 18


def read_csv(body: bytes) -> Grid:
    """Every record of a CSV file as text columns; raises FileRejected on a file rule.

    `body` is the file's text as UTF-8 without a BOM (shared/spreadsheet/encodings.py).
    """
    offset, delimiter, first_row = csv_layout(body)
    columns = _parse_with_arrow(body, offset, delimiter)
    if columns is None:
        columns = _parse_with_stdlib(body[offset:].decode("utf-8"), delimiter)
    if len(columns) > MAX_COLUMNS:
        raise too_many_columns(len(columns))
    height = len(columns[0]) if columns else 0
    numbers = pa.array(range(first_row, first_row + height), pa.int32())
    return Grid(columns, numbers)


CsvLayout = tuple[int, bytes, int]
"""Where the records start, the delimiter, the first record's row number."""


class CsvText:
    """A CSV's clean UTF-8 text, kept aside in a temporary file (in memory while small),
    with its layout and where blocks of whole records end; made by `csv_text`."""

    def __init__(
        self, store: BinaryIO, size: int, layout: CsvLayout, ends: list[int], block_size: int
    ) -> None:
        self._store = store
        self.size = size
        self.layout = layout
        self._ends = ends
        self.block_size = block_size

    def read(self, start: int, end: int) -> bytes:
        self._store.seek(start)
        return self._store.read(max(0, end - start))

    def pieces(self, size: int = BLOCK_BYTES) -> Iterator[bytes]:
        """The whole text again, `size` bytes at a time."""
        for start in range(0, self.size, size):
            yield self.read(start, start + size)

    def blocks(self) -> Iterator[tuple[int, int]]:
        """(start, end) of each block of whole records, from the first record on."""
        start = self.layout[0]
        for end in [*self._ends, self.size]:
            if end > start:
                yield start, end
                start = end

    def stream(self) -> BinaryIO:
        """The text from the first record on, as a file of its own (for the stdlib reader)."""
        return io.BufferedReader(_Window(self._store, self.layout[0], self.size))

    def close(self) -> None:
        self._store.close()


def csv_text(chunks: Iterable[bytes], block_size: int = BLOCK_BYTES) -> CsvText:
    """Keep the text `chunks` make aside; refuses it as `csv_layout` would the whole text.

    The text is written to a temporary file as it comes, its quotes checked on the way,
    and a block ends at the last record break outside quoted values every `block_size`
    bytes or so, so `csv_blocks` never holds more than a block (and a record) of it.
    """
    # Closed by CsvText.close, or here when the text is refused.
    spooled = tempfile.SpooledTemporaryFile(max_size=_IN_MEMORY)  # noqa: SIM115
    store: BinaryIO = spooled  # type: ignore[assignment]
    try:
        pieces = iter(chunks)
        first: list[bytes] = []  # enough of the text's start for its layout
        for chunk in pieces:
            first.append(chunk)
            if sum(map(len, first)) >= 2 * _SNIFF_BYTES:
                break
        head = b"".join(first)
        del first
        layout = _layout_of(head)
        scan = QuoteScan(layout[1])
        ends: list[int] = []
        size = 0
        for chunk in itertools.chain((head,), pieces):
            store.write(chunk)
            for start in range(0, len(chunk), block_size):
                scan.feed(chunk[start : start + block_size])
                if scan.cut - (ends[-1] if ends else 0) >= block_size:
                    ends.append(scan.cut)
            size += len(chunk)
        text = CsvText(store, size, layout, ends, block_size)
        if scan.finish() is not None:
            raise unclosed_quote(text.pieces(), layout[1])
        return text
    except BaseException:
        store.close()
        raise


def csv_blocks(text: CsvText) -> Iterator[Grid | None]:
    """The records of `read_csv`, a block of `text` at a time, in file order.

    None means: the blocks given so far are void, the records come again from the first
    (pyarrow met a ragged record and the stdlib reads the file). Only the block being read
    is held.
    """
    offset, delimiter, first_row = text.layout
    width = _header_width(text.read(offset, offset + _SNIFF_BYTES), delimiter)
    if width > MAX_COLUMNS:
        raise too_many_columns(width)
    given = False
    try:
        for grid in _arrow_blocks(text, delimiter, width, first_row):
            given = True
            yield grid
        return
    except pa.ArrowInvalid:
        pass  # a ragged record or one pyarrow refuses: the stdlib decides
    if given:
        yield None
    yield from _stdlib_blocks(text.stream(), delimiter, first_row, text.block_size)


def csv_layout(body: bytes) -> CsvLayout:
    """(where the records start, the delimiter, the first record's row number); refuses
    an unclosed quote."""
    layout = _layout_of(body)
    check_quotes(body, layout[1])
    return layout


def _layout_of(body: bytes) -> CsvLayout:
    """`csv_layout` without the quote check; only the text's start is looked at."""
    hint = _SEP_HINT.match(body)
    offset = hint.end() if hint else 0
    delimiter = hint.group(1) if hint else detect_delimiter(body[offset : offset + _SNIFF_BYTES])
    return offset, delimiter, 2 if hint else 1


def detect_delimiter(head: bytes) -> bytes:
    """The delimiter among , ; tab | that splits the header and the next records alike."""
    records: list[Counter[bytes]] = [Counter()]
    spaced: Counter[bytes] = Counter()  # followed by a space, as punctuation in text is
    for match in _TOKEN.finditer(head):
        token = match.group()
        if token in (b"\r\n", b"\n", b"\r"):
            if len(records) > _SNIFF_RECORDS:
                break
            records.append(Counter())
        elif len(token) == 1:
            records[-1][token] += 1
            spaced[token] += head[match.end() : match.end() + 1] == b" "
    header, rest = records[0], [r for r in records[1:] if r]
    candidates = [bytes([d]) for d in DELIMITERS if header[bytes([d])]]
    if not candidates:
        # One header cell: a delimiter the data rows share still shows their layout.
        used = [bytes([d]) for d in DELIMITERS if sum(1 for r in rest if r[bytes([d])])]
        return max(used, key=lambda d: sum(1 for r in rest if r[d]), default=b",")

    def score(delimiter: bytes) -> tuple[int, bool, int]:
        agree = sum(1 for record in rest if record[delimiter] == header[delimiter])
        # On a tie, a "," that is mostly followed by a space is a comma in text: Dutch,
        # French and German Excel leave "Jansen, Jan" unquoted in a ";" file.
        total = header[delimiter] + sum(record[delimiter] for record in rest)
        return agree, spaced[delimiter] * 2 <= total, header[delimiter]

    return max(candidates, key=score)


def _parse_options(delimiter: bytes, on_invalid_row: Callable[[object], str]) -> Any:
    return pa_csv.ParseOptions(
        delimiter=delimiter.decode(),
        quote_char='"',
        double_quote=True,
        escape_char=False,
        newlines_in_values=True,
        ignore_empty_lines=False,
        invalid_row_handler=on_invalid_row,
    )


def _convert_options(width: int) -> Any:
    return pa_csv.ConvertOptions(
        column_types={f"f{i}": pa.string() for i in range(width)},
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )


def _as_text(columns: Iterable[Column]) -> list[Column]:
    return [
        column if column.type == pa.string() else column.cast(pa.string()).fill_null("")
        for column in columns
    ]


def _parse_with_arrow(body: bytes, offset: int, delimiter: bytes) -> list[Column] | None:
    """Columns as pyarrow reads them, or None when a record is ragged."""
    ragged = 0

    def on_invalid_row(row: object) -> str:
        nonlocal ragged
        ragged += 1
        return "skip"

    width = _header_width(body[offset : offset + _SNIFF_BYTES], delimiter)
    if width > MAX_COLUMNS:
        raise too_many_columns(width)
    source = pa.BufferReader(pa.py_buffer(body)[offset:])
    try:
        table = pa_csv.read_csv(
            source,
            read_options=pa_csv.ReadOptions(autogenerate_column_names=True),
            parse_options=_parse_options(delimiter, on_invalid_row),
            convert_options=_convert_options(width),
        )
    except pa.ArrowInvalid:
        return None  # an empty body or a record pyarrow refuses: the stdlib decides
    if ragged:
        return None
    return _as_text(table.columns)


def _arrow_blocks(text: CsvText, delimiter: bytes, width: int, first_row: int) -> Iterator[Grid]:
    """Each block read by pyarrow; raises ArrowInvalid where `_parse_with_arrow` gives None.

    Blocks end between records, so each is a CSV of its own, read with the header's width
    (a record of another width is refused, as pyarrow does within one file).
    """
    options = pa_csv.ReadOptions(column_names=[f"f{i}" for i in range(width)], use_threads=False)
    parse = _parse_options(delimiter, lambda row: "error")
    record = first_row
    for start, end in text.blocks():
        table = pa_csv.read_csv(
            pa.BufferReader(text.read(start, end)),
            read_options=options,
            parse_options=parse,
            convert_options=_convert_options(width),
        )
        height = table.num_rows
        yield Grid(_as_text(table.columns), pa.array(range(record, record + height), pa.int32()))
        record += height


def _header_width(head: bytes, delimiter: bytes) -> int:
    count = 1
    for match in _TOKEN.finditer(head):
        token = match.group()
        if token == delimiter:
            count += 1
        elif token in (b"\r\n", b"\n", b"\r"):
            break
    return count


def _stdlib_reader(text: TextIO, delimiter: bytes) -> Iterator[list[str]]:
    csv.field_size_limit(max(csv.field_size_limit(), SIZE_LIMITS[FileFormat.CSV]))
    return csv.reader(
        text, delimiter=delimiter.decode(), quotechar='"', doublequote=True, strict=False
    )


def _stdlib_blocks(
    stream: BinaryIO, delimiter: bytes, first_row: int, block_size: int
) -> Iterator[Grid]:
    """`_parse_with_stdlib` a block at a time: each block as wide as the widest record so
    far (short records padded with ""), a file wider than MAX_COLUMNS refused at its end."""
    reader = _stdlib_reader(io.TextIOWrapper(stream, encoding="utf-8", newline=""), delimiter)
    width = 0
    record = first_row
    rows: list[list[str]] = []
    size = 0
    for row in reader:
        width = max(width, len(row))
        if width > MAX_COLUMNS:
            rows.clear()  # refused once the widest record is known
            continue
        rows.append(row)
        size += sum(map(len, row)) + len(row)
        if size >= block_size:
            yield _stdlib_grid(rows, width, record)
            record += len(rows)
            rows, size = [], 0
    if width > MAX_COLUMNS:
        raise too_many_columns(width)
    if rows:
        yield _stdlib_grid(rows, width, record)


def _stdlib_grid(rows: list[list[str]], width: int, record: int) -> Grid:
    for row in rows:
        if len(row) < width:
            row.extend([""] * (width - len(row)))
    columns = [pa.array(cells, pa.string()) for cells in zip(*rows, strict=True)]
    return Grid(columns, pa.array(range(record, record + len(rows)), pa.int32()))


def _parse_with_stdlib(text: str, delimiter: bytes) -> list[Column]:
    """Columns of a file with ragged records: short records are padded with ""."""
    rows = list(_stdlib_reader(io.StringIO(text, newline=""), delimiter))
    width = max((len(row) for row in rows), default=0)
    for row in rows:
        if len(row) < width:
            row.extend([""] * (width - len(row)))
    return [pa.array(cells, pa.string()) for cells in zip(*rows, strict=True)]


class _Window(io.RawIOBase):
    """Bytes `start` to `end` of `store`, read as a file of their own (its own position)."""

    def __init__(self, store: BinaryIO, start: int, end: int) -> None:
        self._store = store
        self._position = start
        self._end = end

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        self._store.seek(self._position)
        data = self._store.read(min(len(view), self._end - self._position))
        view[: len(data)] = data
        self._position += len(data)
        return len(data)

    def close(self) -> None:
        super().close()  # leaves the store open: the text is read again after
