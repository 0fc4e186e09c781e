"""Read a CSV file's UTF-8 text into a Grid: `sep=` hint, delimiter, quotes, pyarrow parse.

pyarrow parses the file with every column as text; a blank line comes back as a row of
empty cells, so record i is row i + 1 (+1 after a `sep=` line). A ragged record (more or
fewer cells than the header) cannot be kept by pyarrow, so when one exists the whole file
is read again with the stdlib csv module (measured: 10,000 x 15 cells, pyarrow 18 ms,
stdlib 38 ms); both give the same cells.

`read_csv` gives the whole file as one grid (the worker imports every row); `csv_blocks`
gives it a block of about a megabyte at a time, for a reader that keeps only what the rules
need (the API's outline: tests/shared/spreadsheet/test_outline.py proves the two agree).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TextIO

import pyarrow as pa
import pyarrow.csv as pa_csv

from shared.errors import FileRejected, Reason
from shared.i18n.text import t
from shared.spreadsheet.encodings import line_breaks
from shared.spreadsheet.sheet import MAX_COLUMNS, SIZE_LIMITS, FileFormat
from shared.spreadsheet.sheet_rules import Column, Grid, too_many_columns

DELIMITERS = b",;\t|"
_SEP_HINT = re.compile(rb'\A"?sep=([,;\t|])"?\1*[ \t]*(?:\r\n|\n|\r|\Z)', re.IGNORECASE)
_TOKEN = re.compile(rb'"(?:[^"]|"")*"|[,;\t|]|\r\n|\n|\r')
_SNIFF_BYTES = 64 * 1024
_SNIFF_RECORDS = 20
BLOCK_BYTES = 1 << 20


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


def csv_blocks(
    body: bytes, block_size: int = BLOCK_BYTES, layout: CsvLayout | None = None
) -> Iterator[Grid | None]:
    """The records of `read_csv`, in blocks of about `block_size` bytes, in file order.

    None means: the blocks given so far are void, the records come again from the first
    (pyarrow met a ragged record, or one longer than a block, and the stdlib reads the file).
    Only the block being read is held, besides `body`. `layout` is `csv_layout(body)`, for
    a caller that reads the file more than once.
    """
    offset, delimiter, first_row = layout or csv_layout(body)
    width = _header_width(body[offset : offset + _SNIFF_BYTES], delimiter)
    if width > MAX_COLUMNS:
        raise too_many_columns(width)
    given = False
    try:
        for grid in _arrow_blocks(body, offset, delimiter, width, first_row, block_size):
            given = True
            yield grid
        return
    except pa.ArrowInvalid:
        pass  # an empty body, a ragged record or one pyarrow refuses: the stdlib decides
    if given:
        yield None
    yield from _stdlib_blocks(body, offset, delimiter, first_row, block_size)


def csv_layout(body: bytes) -> CsvLayout:
    """(where the records start, the delimiter, the first record's row number); refuses
    an unclosed quote."""
    hint = _SEP_HINT.match(body)
    offset = hint.end() if hint else 0
    delimiter = hint.group(1) if hint else detect_delimiter(body[offset : offset + _SNIFF_BYTES])
    _check_quotes(body, delimiter)
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


def _check_quotes(body: bytes, delimiter: bytes) -> None:
    """Refuse a quote that is never closed, naming the row where it opens.

    A quoted value opens with a " at the start of a field (the file's start, or after the
    delimiter or a line break) and closes at the next " that is not doubled; a " inside an
    unquoted field is a character. Only the last quoted value can run to the end of the
    file, and the line breaks inside the closed ones are counted only when it does.
    """
    if b'"' not in body:
        return
    # The character before the quote is part of the match (a look-behind would make the
    # regex engine try every position; this way it jumps from one field start to the next).
    quoted = re.compile(rb"(?:\A|[" + re.escape(delimiter) + rb'\r\n])("(?:[^"]+|"")*)("|\Z)')
    last = None
    for last in quoted.finditer(body):  # noqa: B007 (the last match is the one looked at)
        pass
    if last is None or last.group(2):
        return
    opening = last.start(1)
    # Line breaks inside closed quoted values do not start a new row.
    inside = sum(line_breaks(match.group(1)) for match in quoted.finditer(body, 0, last.start()))
    line = line_breaks(body[:opening]) + 1
    row = line - inside
    if line == row:
        message = t(
            'A quoted value that starts in row {row} is never closed: add the missing " '
            "at the end of that value (or remove the opening one) and upload the file "
            "again.",
            row=str(row),
        )
    else:
        # Translators: {row} is the row number a spreadsheet shows, {line} the line of
        # the file it starts on (values with line breaks make the two differ).
        message = t(
            "A quoted value that starts in row {row} (line {line} of the file) is never "
            'closed: add the missing " at the end of that value (or remove the opening '
            "one) and upload the file again.",
            row=str(row),
            line=str(line),
        )
    raise FileRejected(Reason.MALFORMED_FILE, message, row=str(row))


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


def _arrow_blocks(
    body: bytes, offset: int, delimiter: bytes, width: int, first_row: int, block_size: int
) -> Iterator[Grid]:
    """pyarrow's streaming read; raises ArrowInvalid where `_parse_with_arrow` gives None."""
    reader = pa_csv.open_csv(
        pa.BufferReader(pa.py_buffer(body)[offset:]),
        read_options=pa_csv.ReadOptions(
            autogenerate_column_names=True, block_size=block_size, use_threads=False
        ),
        parse_options=_parse_options(delimiter, lambda row: "error"),
        convert_options=_convert_options(width),
    )
    record = first_row
    for batch in reader:
        yield Grid(
            _as_text(batch.columns), pa.array(range(record, record + batch.num_rows), pa.int32())
        )
        record += batch.num_rows


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
    body: bytes, offset: int, delimiter: bytes, first_row: int, block_size: int
) -> Iterator[Grid]:
    """`_parse_with_stdlib` a block at a time: each block as wide as the widest record so
    far (short records padded with ""), a file wider than MAX_COLUMNS refused at its end."""
    stream = io.BytesIO(body)  # shares `body` while nothing writes to it
    stream.seek(offset)
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
