"""Turn an uploaded file's bytes into a checked Sheet: the one entry point of this package.

Measured (2-core dev machine, 10,000 rows x 15 columns, a third of them numbers, median
of 7): CSV 14 ms (pyarrow; 38 ms when a ragged row sends it to the stdlib csv module),
XLS 67 ms, XLSX 155 ms, of which calamine's sheet parse is about 95 ms and the archive
guard (inflate every part, DTD and extent scan) about 30 ms; calamine's sheet parse is
the floor (openpyxl read-only: 703 ms for 10,000 x 12, TOOLING.md).
"""

from __future__ import annotations

import dataclasses
from typing import BinaryIO

from shared.spreadsheet.csv_reader import BLOCK_BYTES, csv_blocks, csv_text, read_csv
from shared.spreadsheet.encodings import text_encoding, to_utf8, utf8_chunks
from shared.spreadsheet.excel_reader import read_xls, read_xlsx
from shared.spreadsheet.formats import detect_format, plain_chunks, plain_text
from shared.spreadsheet.sheet import FileFormat, Sheet, SheetOutline
from shared.spreadsheet.sheet_rules import SheetRules, build_sheet
from shared.spreadsheet.vcard_reader import read_vcard

DEFAULT_MAX_INFLATED_BYTES = 200_000_000
_HEAD_BYTES = 4096


def read_sheet(
    data: bytes, *, encoding: str = "", max_inflated_bytes: int = DEFAULT_MAX_INFLATED_BYTES
) -> Sheet:
    """Check every file rule except the size limit and return the file's one Sheet.

    Raises FileRejected with SPEC's reason code and a message that says what to do.
    `encoding` is the one the caller declared for a text file ("" for none: its BOM, else
    UTF-8); it is not used for XLSX and XLS, which say their own. `max_inflated_bytes` caps
    what an XLSX archive may inflate to, all parts together.
    """
    head = data[:_HEAD_BYTES]
    fmt = detect_format(head, encoding)
    if fmt is FileFormat.XLSX:
        return build_sheet(fmt, read_xlsx(data, max_inflated_bytes=max_inflated_bytes))
    if fmt is FileFormat.XLS:
        return build_sheet(fmt, read_xls(data))
    used = text_encoding(head, encoding)
    text = plain_text(to_utf8(data, used))
    grid = read_csv(text) if fmt is FileFormat.CSV else read_vcard(text)
    del text
    return dataclasses.replace(build_sheet(fmt, grid), encoding=used.name)


def read_outline(
    file: BinaryIO,
    *,
    first_rows: int,
    encoding: str = "",
    max_inflated_bytes: int = DEFAULT_MAX_INFLATED_BYTES,
    block_size: int = BLOCK_BYTES,
) -> SheetOutline:
    """Check every file rule `read_sheet` checks and return the file's outline.

    The outcome is `read_sheet`'s (the same refusal, or its headers, row count and first
    `first_rows` rows), but a CSV is read from `file` (seekable) a chunk at a time: its
    text is converted, cleaned and kept aside in a temporary file (`csv_text`), then read
    `block_size` bytes at a time, so neither the file nor its text is ever held whole.
    XLSX, XLS and vCard files (at most 5, 10 and 20 MB) are read whole.
    """
    file.seek(0)
    head = file.read(_HEAD_BYTES)
    fmt = detect_format(head, encoding)
    if fmt is not FileFormat.CSV:
        file.seek(0)
        sheet = read_sheet(file.read(), encoding=encoding, max_inflated_bytes=max_inflated_bytes)
        return SheetOutline(
            fmt,
            sheet.headers,
            sheet.data_row_count,
            sheet.preview(first_rows),
            lambda index: sheet.table.column(index).to_pylist(),
            sheet.repeated_headers,
            sheet.encoding,
            sheet,
        )
    used = text_encoding(head, encoding)
    text = csv_text(plain_chunks(lambda: utf8_chunks(file, used)), block_size)
    rules = SheetRules(first_rows=first_rows)
    try:
        for grid in csv_blocks(text):
            if grid is None:
                rules = SheetRules(first_rows=first_rows)
            else:
                rules.feed(grid.columns, grid.row_numbers)
        shape = rules.finish()
    except BaseException:
        text.close()
        raise

    def column_cells(index: int) -> list[str]:
        column = shape.columns[index]
        cells: list[str] = []
        record = 0
        for grid in csv_blocks(text):
            if grid is None:
                cells, record = [], 0
                continue
            start, end = max(1, record), min(shape.end_record, record + grid.height)
            if start < end:
                cells += grid.columns[column].slice(start - record, end - start).to_pylist()
            record += grid.height
        return cells

    return SheetOutline(
        fmt,
        shape.headers,
        shape.data_row_count,
        shape.first_rows,
        column_cells,
        shape.repeated_headers,
        used.name,
        release=text.close,
    )
