"""Hostile files built in the tests, and a sandbox that reads one in a child process.

`read_isolated` runs `read_sheet` in a fresh child (forkserver) whose address space is
capped with RLIMIT_AS and which is killed after a timeout, so an attack that would abort,
hang or exhaust the process fails the test instead of taking pytest down.
"""

from __future__ import annotations

import io
import multiprocessing
import resource
import struct
import time
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

import olefile  # type: ignore[import-untyped]
import xlwt

from tests.shared.spreadsheet.spreadsheet_files import (
    CONTENT_TYPES,
    ROOT_RELS,
    WORKBOOK,
    WORKBOOK_RELS,
)

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET_REL = f"{REL_NS}/worksheet"
HEADER = '<row r="1">' + "".join(
    f'<c r="{col}1" t="inlineStr"><is><t>{text}</t></is></c>'
    for col, text in (("A", "Name"), ("B", "Phone"))
)
HEADER += "</row>"
DATA_ROW = (
    '<row r="2"><c r="A2" t="inlineStr"><is><t>Jan</t></is></c>'
    '<c r="B2" t="inlineStr"><is><t>0612345678</t></is></c></row>'
)
CONTACT_ROWS = HEADER + DATA_ROW
INLINE = '<c t="inlineStr"><is><t>x</t></is></c>'  # a cell without an r attribute
LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lollollollollollollollollollol">'
    + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">'
        for n in range(1, 10)
    )
    + "]>"
)
XXE = '<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
PARAMETER_ENTITY = '<!DOCTYPE d [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>'


# --- XLSX packages ---------------------------------------------------------------------


def sheet_xml(rows: str, *, prolog: str = "", before: str = "", encoding: str = "UTF-8") -> bytes:
    """A worksheet part around `rows` (the sheetData content)."""
    text = (
        f'<?xml version="1.0" encoding="{encoding}"?>{prolog}<worksheet xmlns="{MAIN_NS}">'
        f"{before}<sheetData>{rows}</sheetData></worksheet>"
    )
    return text.encode("utf-8" if encoding == "UTF-8" else encoding.lower())


def package(
    sheet: bytes | None = None,
    *,
    sheet_path: str = "worksheets/sheet1.xml",
    parts: dict[str, bytes | str] | None = None,
    replace: dict[str, bytes | str] | None = None,
    omit: Iterable[str] = (),
    extra_rels: str = "",
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """An XLSX assembled by hand: the standard parts, `replace`d, `omit`ted or added to."""
    members: dict[str, bytes | str] = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS.replace(
            "worksheets/sheet1.xml", sheet_path
        ).replace("</Relationships>", extra_rels + "</Relationships>"),
        "xl/" + sheet_path.lstrip("/").removeprefix("xl/"): sheet
        if sheet is not None
        else sheet_xml(CONTACT_ROWS),
    }
    members.update(replace or {})
    members.update(parts or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, content in members.items():
            if name not in omit:
                archive.writestr(name, content)
    return out.getvalue()


def with_sheet_prolog(prolog: str, part: str) -> bytes:
    """A package whose `part` carries `prolog` right after its XML declaration."""
    defaults: dict[str, str] = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": sheet_xml(CONTACT_ROWS).decode(),
        "xl/sharedStrings.xml": f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}"/>',
        "xl/styles.xml": f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{MAIN_NS}"/>',
    }
    text = defaults[part]
    declaration_end = text.index("?>") + 2
    return package(replace={part: text[:declaration_end] + prolog + text[declaration_end:]})


def shared_strings(count_attributes: str, strings: Iterable[str] = ("Name", "Phone")) -> str:
    items = "".join(f"<si><t>{s}</t></si>" for s in strings)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}" {count_attributes}>'
        f"{items}</sst>"
    )


SST_ROWS = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>' + DATA_ROW


def deflated_member(size: int, byte: bytes = b" ") -> tuple[bytes, int]:
    """Raw deflate data of `size` repeated bytes (built in 1 MB steps), and its CRC."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = byte * (1 << 20)
    crc = 0
    chunks = []
    left = size
    while left:
        piece = block[: min(left, len(block))]
        chunks.append(compressor.compress(piece))
        crc = zlib.crc32(piece, crc)
        left -= len(piece)
    chunks.append(compressor.flush())
    return b"".join(chunks), crc


def zip_from_raw(
    entries: list[tuple[str, bytes, int, int, int]],
    *,
    method: int = 8,
    flags: int = 0,
    central_sizes: dict[str, tuple[int, int]] | None = None,
    zip64_sizes: dict[str, int] | None = None,
) -> bytes:
    """A ZIP written field by field: entries are (name, stored bytes, crc, size, method).

    `central_sizes` makes the central directory disagree with the local header about a
    member's (compressed, uncompressed) size; `zip64_sizes` declares a ZIP64 size.
    """
    local = io.BytesIO()
    central = io.BytesIO()
    for name, payload, crc, size, entry_method in entries:
        raw_name = name.encode()
        offset = local.tell()
        local.write(
            struct.pack(
                "<4sHHHHHIIIHH",
                b"PK\x03\x04",
                20,
                flags,
                entry_method if entry_method >= 0 else method,
                0,
                0x21,
                crc,
                len(payload),
                size,
                len(raw_name),
                0,
            )
        )
        local.write(raw_name + payload)
        compressed, uncompressed = (central_sizes or {}).get(name, (len(payload), size))
        extra = b""
        if zip64_sizes and name in zip64_sizes:
            extra = struct.pack("<HHQQ", 1, 16, zip64_sizes[name], len(payload))
            compressed = uncompressed = 0xFFFFFFFF
        central.write(
            struct.pack(
                "<4sHHHHHHIIIHHHHHII",
                b"PK\x01\x02",
                45,
                20,
                flags,
                entry_method if entry_method >= 0 else method,
                0,
                0x21,
                crc,
                compressed,
                uncompressed,
                len(raw_name),
                len(extra),
                0,
                0,
                0,
                0,
                offset,
            )
        )
        central.write(raw_name + extra)
    directory = central.getvalue()
    end = struct.pack(
        "<4sHHHHIIH",
        b"PK\x05\x06",
        0,
        0,
        len(entries),
        len(entries),
        len(directory),
        local.tell(),
        0,
    )
    return local.getvalue() + directory + end


def deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def standard_entries(sheet: bytes | None = None) -> list[tuple[str, bytes, int, int, int]]:
    """The parts of a small workbook, deflated, as zip_from_raw entries."""
    parts = {
        "[Content_Types].xml": CONTENT_TYPES.encode(),
        "_rels/.rels": ROOT_RELS.encode(),
        "xl/workbook.xml": WORKBOOK.encode(),
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS.encode(),
        "xl/worksheets/sheet1.xml": sheet if sheet is not None else sheet_xml(CONTACT_ROWS),
    }
    return [
        (name, deflate(content), zlib.crc32(content), len(content), 8)
        for name, content in parts.items()
    ]


def overlapping_zip(copies: int = 100) -> bytes:
    """A Fifield-style overlap: many central entries share one deflated 10 MB member.

    Each entry declares its true size, so together they claim copies x 10 MB.
    """
    kernel, crc = deflated_member(10_000_000)
    entries = [*standard_entries(), ("xl/media/k000.bin", kernel, crc, 10_000_000, 8)]
    data = zip_from_raw(entries)
    end = data.rfind(b"PK\x05\x06")
    directory_size, directory_start = struct.unpack_from("<II", data, end + 12)
    directory = data[directory_start : directory_start + directory_size]
    kernel_entry = directory[directory.rfind(b"PK\x01\x02") :]
    extra = b"".join(
        kernel_entry.replace(b"xl/media/k000.bin", f"xl/media/k{n:03d}.bin".encode())
        for n in range(1, copies)
    )
    new_directory = directory + extra
    count = len(entries) + copies - 1
    tail = struct.pack(
        "<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(new_directory), directory_start, 0
    )
    return data[:directory_start] + new_directory + tail


# --- XLS and other OLE2 files ----------------------------------------------------------


def workbook_stream(data: bytes) -> bytes:
    return bytes(olefile.OleFileIO(io.BytesIO(data)).openstream("Workbook").read())


def biff_records(stream: bytes) -> list[tuple[int, bytes]]:
    records = []
    pos = 0
    while pos + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, pos)
        records.append((kind, stream[pos + 4 : pos + 4 + length]))
        pos += 4 + length
    return records


def join_records(records: Iterable[tuple[int, bytes]]) -> bytes:
    return b"".join(struct.pack("<HH", kind, len(body)) + body for kind, body in records)


def xls_far_cell(row: int = 65_535, col: int = 255) -> bytes:
    """A BIFF8 XLS with a header, one contact and one number far away (xlwt writes it)."""
    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("Contacts")
    for c, value in enumerate(["Name", "Phone"]):
        sheet.write(0, c, value)
    sheet.write(1, 0, "Jan")
    sheet.write(1, 1, "0612345678")
    sheet.write(row, col, 1)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def patch_workbook_stream(data: bytes, edit: Callable[[bytes], bytes]) -> bytes:
    """An XLS whose Workbook stream is rewritten in place by `edit` (same length)."""
    stream = workbook_stream(data)
    new = edit(stream)
    if len(new) != len(stream):
        raise ValueError("the edited Workbook stream must keep its length")
    start = data.find(stream[:512])
    if start < 0 or len(stream) > 4096 - 0:  # contiguous only in a small, fresh xlwt file
        pass
    ole = olefile.OleFileIO(io.BytesIO(data), write_mode=False)
    del ole
    out = bytearray(data)
    # xlwt writes the Workbook stream contiguously after the header sectors.
    out[start : start + len(stream)] = new
    return bytes(out)


def with_dimensions(rows: int, cols: int) -> Callable[[bytes], bytes]:
    """An edit that makes the first sheet's DIMENSIONS record claim rows x cols."""

    def edit(stream: bytes) -> bytes:
        out = bytearray(stream)
        pos = 0
        bofs = 0
        while pos + 4 <= len(out):
            kind, length = struct.unpack_from("<HH", out, pos)
            bofs += kind == 0x0809
            if kind == 0x0200 and bofs == 2:
                struct.pack_into("<IIHHH", out, pos + 4, 0, rows, 0, cols, 0)
                break
            pos += 4 + length
        return bytes(out)

    return edit


def rename_workbook_stream(data: bytes, name: str) -> bytes:
    """An XLS whose "Workbook" stream is renamed in its OLE2 directory entry."""
    old = "Workbook\x00".encode("utf-16-le")
    position = data.find(old)
    new = (name + "\x00").encode("utf-16-le")
    out = bytearray(data)
    out[position : position + 64] = new.ljust(64, b"\x00")
    struct.pack_into("<H", out, position + 64, len(new))
    return bytes(out)


# --- the sandbox -----------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What reading a file did: `kind` is read, rejected, error, died or timeout."""

    kind: str
    reason: str = ""
    message: str = ""
    headers: tuple[str, ...] = ()
    rows: int = 0
    seconds: float = 0.0
    grew_mb: float = 0.0

    def __str__(self) -> str:
        detail = f"{self.reason} {self.message[:160]}" if self.reason else self.message[:200]
        return (
            f"{self.kind} in {self.seconds:.2f}s (+{self.grew_mb:.0f} MB RSS): {detail}"
            f"{' headers=' + repr(self.headers) if self.kind == 'read' else ''}"
        )


def _virtual_size() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _child(conn: Connection, data: bytes, memory_bytes: int, kwargs: dict[str, Any]) -> None:
    from shared.errors import FileRejected
    from shared.spreadsheet.reader import read_sheet

    limit = _virtual_size() + memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    try:
        sheet = read_sheet(data, **kwargs)
        outcome = Outcome("read", headers=tuple(sheet.headers), rows=sheet.data_row_count)
    except FileRejected as exc:
        outcome = Outcome("rejected", reason=exc.reason.value, message=str(exc.message))
    except BaseException as exc:
        outcome = Outcome("error", message=f"{type(exc).__name__}: {exc}")
    seconds = time.perf_counter() - start
    grew = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    conn.send(
        Outcome(
            outcome.kind,
            outcome.reason,
            outcome.message,
            outcome.headers,
            outcome.rows,
            seconds,
            grew,
        )
    )
    conn.close()


_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["shared.spreadsheet.reader"])


def read_isolated(
    data: bytes, *, timeout: float = 10.0, memory_bytes: int = 1_500_000_000, **kwargs: Any
) -> Outcome:
    """read_sheet(data) in a child capped at `memory_bytes` more address space."""
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    child = _CONTEXT.Process(target=_child, args=(sender, data, memory_bytes, kwargs))
    start = time.perf_counter()
    child.start()
    sender.close()
    try:
        if receiver.poll(timeout):
            try:
                result: Outcome = receiver.recv()
                return result
            except EOFError:
                pass
        else:
            child.kill()
            child.join()
            return Outcome("timeout", seconds=time.perf_counter() - start)
        child.join(timeout)
        return Outcome(
            "died",
            message=f"exit code {child.exitcode}",
            seconds=time.perf_counter() - start,
        )
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
