"""A read sheet as bytes: what the API stores beside an XLSX, XLS or vCard upload.

The API reads such a file whole to check it and show its outline; the worker would read it
again, the same way, to import it (for a 10,000-row XLSX: a tenth of a second of archive
checks, inflating and calamine, plus what it holds meanwhile). So the API stores the sheet
it read, as one Arrow IPC file (zstd-compressed), and the worker imports that sheet: the
very rows the API checked, counted and previewed. A CSV is not stored this way: the API
reads it a block at a time and never holds it parsed, and the worker parses it in a few
hundredths of a second.

The bytes carry `FORMAT_VERSION`; a worker that meets another version (an upload stored by
an older or newer API during a rolling deploy), or bytes that are no such file, reads the
uploaded file instead, as it does for an upload stored before sheets were (`load` gives
None).
"""

from __future__ import annotations

import json

import pyarrow as pa

from shared.spreadsheet.sheet import FileFormat, RepeatedHeader, Sheet

FORMAT_VERSION = "1"
_VERSION_KEY = b"contactimport.sheet"
_ROW_NUMBER = "row_number"  # the column of row numbers, after the cell columns
_COMPRESSION = "zstd" if pa.Codec.is_available("zstd") else None


def dump(sheet: Sheet) -> bytes:
    """The sheet as Arrow IPC file bytes: its cells, row numbers and what it says of itself."""
    table = sheet.table.append_column(_ROW_NUMBER, pa.chunked_array([sheet.row_numbers]))
    metadata = {
        _VERSION_KEY: FORMAT_VERSION,
        b"format": sheet.format.value,
        b"headers": json.dumps(sheet.headers),
        b"repeated_headers": json.dumps(
            [[r.header, r.first_column, r.column] for r in sheet.repeated_headers]
        ),
        b"encoding": sheet.encoding,
    }
    table = table.replace_schema_metadata(metadata)
    sink = pa.BufferOutputStream()
    options = pa.ipc.IpcWriteOptions(compression=_COMPRESSION, use_threads=False)
    with pa.ipc.new_file(sink, table.schema, options=options) as writer:
        writer.write_table(table)
    data: bytes = sink.getvalue().to_pybytes()
    return data


def load(data: bytes) -> Sheet | None:
    """The sheet `dump` wrote; None when it was written in another format version, or the
    bytes are no sheet `dump` wrote (the worker then reads the uploaded file)."""
    try:
        table = pa.ipc.open_file(pa.py_buffer(data)).read_all()
    except (pa.ArrowException, OSError, ValueError):
        return None
    metadata = table.schema.metadata or {}
    if metadata.get(_VERSION_KEY) != FORMAT_VERSION.encode():
        return None
    numbers = table.column(_ROW_NUMBER).combine_chunks()
    cells = table.drop_columns([_ROW_NUMBER]).replace_schema_metadata(None)
    return Sheet(
        FileFormat(metadata[b"format"].decode()),
        json.loads(metadata[b"headers"]),
        cells,
        numbers,
        tuple(
            RepeatedHeader(header, first, column)
            for header, first, column in json.loads(metadata[b"repeated_headers"])
        ),
        metadata[b"encoding"].decode(),
    )
