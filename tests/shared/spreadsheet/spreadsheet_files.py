"""Builders of small spreadsheet files, made in the tests (no binary fixtures)."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Sequence
from typing import Any

import msoffcrypto
import olefile  # type: ignore[import-untyped]
import openpyxl
import xlwt

Rows = Sequence[Sequence[Any]]

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Contacts" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def xlsx(rows: Rows, *, hidden: Sequence[str] = (), extra: Sequence[str] = ()) -> bytes:
    """An XLSX written by openpyxl; `extra` and `hidden` add more (hidden) sheets."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Contacts"
    for row in rows:
        sheet.append(list(row))
    for name in extra:
        workbook.create_sheet(name)
    for name in hidden:
        workbook.create_sheet(name).sheet_state = "hidden"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def raw_xlsx(
    sheet_data: str,
    *,
    prolog: str = "",
    parts: dict[str, bytes] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """A minimal XLSX assembled by hand, for cached formula values and unsafe parts."""
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{sheet_data}</sheetData></worksheet>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, content in (parts or {}).items():
            archive.writestr(name, content)
    return out.getvalue()


def inline_row(number: int, cells: Sequence[str]) -> str:
    """One <row> of inline strings, columns A, B, ..."""
    xml = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{cell}</t></is></c>'
        for i, cell in enumerate(cells)
    )
    return f'<row r="{number}">{xml}</row>'


def xls(rows: Rows, *, sheets: int = 1) -> bytes:
    """A BIFF8 XLS written by xlwt."""
    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("Contacts")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    for index in range(1, sheets):
        workbook.add_sheet(f"Sheet{index + 1}")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def encrypted_xlsx(rows: Rows) -> bytes:
    """A real password-protected XLSX (ECMA-376 agile encryption by msoffcrypto-tool)."""
    out = io.BytesIO()
    msoffcrypto.OfficeFile(io.BytesIO(xlsx(rows))).encrypt("secret", out)
    return out.getvalue()


def xls_with_filepass(rows: Rows) -> bytes:
    """An XLS whose globals carry a FILEPASS record (XOR obfuscation), as Excel writes it.

    msoffcrypto-tool cannot encrypt XLS, so xlwt's INTERFACEHDR..WRITEACCESS records
    (132 bytes right after BOF) are rewritten in place as FILEPASS + a shorter WRITEACCESS.
    """
    data = bytearray(xls(rows))
    stream = olefile.OleFileIO(io.BytesIO(bytes(data))).openstream("Workbook").read()
    start = data.find(stream[:160])
    patch = struct.pack("<HHHHH", 0x2F, 6, 0, 0x1234, 0x5678) + struct.pack("<HH", 0x5C, 118)
    patch += b" " * 118
    assert len(patch) == 132
    data[start + 20 : start + 152] = patch
    return bytes(data)


def plain_zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def lying_size_xlsx() -> bytes:
    """An XLSX whose sheet member declares 100 bytes but inflates to 3 MB."""
    big = inline_row(1, ["Name", "Phone"]) + "".join(
        inline_row(n, ["x" * 200, "1"]) for n in range(2, 12_000)
    )
    data = bytearray(raw_xlsx(big))
    name = b"xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        real = archive.getinfo(name.decode()).file_size
    for signature, size_offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        pos = 0
        while (pos := data.find(signature, pos)) != -1:
            name_length = struct.unpack_from("<H", data, pos + (26 if size_offset == 22 else 28))[0]
            header = 30 if size_offset == 22 else 46
            if data[pos + header : pos + header + name_length] == name:
                assert struct.unpack_from("<I", data, pos + size_offset)[0] == real
                struct.pack_into("<I", data, pos + size_offset, 100)
            pos += 4
    return bytes(data)
