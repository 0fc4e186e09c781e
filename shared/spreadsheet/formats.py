"""Decide a file's format from its first bytes (magic numbers), never from its name."""

from __future__ import annotations

from shared.errors import FileRejected, Reason
from shared.spreadsheet.sheet import FileFormat

ACCEPTED = "CSV (UTF-8), XLSX or XLS"
SAVE_AS_CSV_UTF8 = 'in Excel choose File > Save As > "CSV UTF-8 (Comma delimited) (*.csv)"'
SAVE_AS_XLSX = 'open it in Excel and choose File > Save As > "Excel Workbook (*.xlsx)"'

ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header, or an empty archive
OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff", b"\xff\xfe", b"\xfe\xff")

# (prefix of the lower-cased, left-stripped text, what the file is, what to do instead)
_TEXT_FORMATS: tuple[tuple[bytes, str, str], ...] = (
    (
        b"begin:vcard",
        "a vCard (.vcf) contacts file",
        "export the contacts as CSV instead (Google Contacts: Export > Google CSV; "
        "for Apple Contacts import the .vcf into Google Contacts or Outlook first and "
        "export a CSV there)",
    ),
    (b"<!doctype html", "a web page (HTML table) saved with a spreadsheet name", SAVE_AS_XLSX),
    (b"<html", "a web page (HTML table) saved with a spreadsheet name", SAVE_AS_XLSX),
    (b"<table", "a web page (HTML table) saved with a spreadsheet name", SAVE_AS_XLSX),
    (b"mime-version:", "a single-file web page (MHTML) saved as .xls", SAVE_AS_XLSX),
    (b"%pdf", "a PDF document", "export the contacts from the source program as CSV or XLSX"),
    (b"{\\rtf", "a rich-text (RTF) document", "save the table as CSV or XLSX"),
)
_BINARY_FORMATS: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)


def unsupported(what: str, advice: str) -> FileRejected:
    """The refusal for a file that is not one of the accepted formats."""
    return FileRejected(
        Reason.UNSUPPORTED_FORMAT,
        f"This file is {what}, not a spreadsheet we can read. Accepted formats are {ACCEPTED}: "
        f"{advice}, then upload that file.",
    )


def not_utf8(what: str) -> FileRejected:
    """The refusal for a text file in another encoding than UTF-8."""
    return FileRejected(
        Reason.NOT_UTF8,
        f"{what} CSV files must be UTF-8: {SAVE_AS_CSV_UTF8}, and upload the new file.",
    )


def detect_format(head: bytes) -> FileFormat:
    """The format of a file from its first bytes (at least 512, or the whole file).

    Raises FileRejected (UNSUPPORTED_FORMAT, NOT_UTF8) for anything that is not a CSV,
    an XLSX or an XLS. An OLE2 file is reported as XLS; `read_sheet` tells an XLS from
    an encrypted XLSX (also OLE2) and from other Office documents.
    """
    if head.startswith(ZIP_MAGICS):
        return FileFormat.XLSX
    if head.startswith(OLE_MAGIC):
        return FileFormat.XLS
    if head.startswith(_UTF16_32_BOMS):
        width = "UTF-32" if head[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff") else "UTF-16"
        raise not_utf8(f"This file is a {width} text file (often a Unicode Text export);")
    text = head.removeprefix(UTF8_BOM)
    lowered = text[:1024].lstrip().lower()
    for prefix, what, advice in _TEXT_FORMATS:
        if lowered.startswith(prefix):
            raise unsupported(what, advice)
    if lowered.startswith(b"<?xml"):
        if b"<html" in lowered:
            raise unsupported("a web page (HTML table) saved with a spreadsheet name", SAVE_AS_XLSX)
        if b"spreadsheet" in lowered or b"<workbook" in lowered:
            raise unsupported("an Excel 2003 XML Spreadsheet", SAVE_AS_XLSX)
        raise unsupported("an XML document", "export the contacts as CSV or XLSX")
    for magic, what in _BINARY_FORMATS:
        if text.startswith(magic):
            raise unsupported(what, "export the contacts as CSV or XLSX")
    if b"\x00" in text:
        if _looks_utf16(text):
            raise not_utf8("This file is a UTF-16 text file (often a Unicode Text export);")
        raise unsupported("a binary file", "export the contacts as CSV or XLSX")
    controls = sum(1 for byte in text[:4096] if byte < 0x20 and byte not in b"\t\n\r\f\x1a")
    if controls * 20 > len(text[:4096]):
        raise unsupported("a binary file", "export the contacts as CSV or XLSX")
    return FileFormat.CSV


def check_text(data: bytes) -> None:
    """Refuse a CSV with a NUL byte anywhere (detect_format sees only the head).

    No text file holds one: it is a damaged file, or binary data after a text-like start,
    and PostgreSQL text could not store it.
    """
    position = data.find(b"\x00")
    if position < 0:
        return
    line = data.count(b"\n", 0, position) + 1
    raise FileRejected(
        Reason.MALFORMED_FILE,
        f"The file is not plain text: line {line} holds a NUL byte (0x00), so it is damaged "
        f"or not a CSV file. Export the contacts again ({SAVE_AS_CSV_UTF8}) and upload the "
        "new file.",
        line=str(line),
    )


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 text without a BOM: ASCII letters with a NUL byte beside each."""
    sample = head[: len(head) & ~1][:1024]
    if len(sample) < 4:
        return False
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    return max(even_nuls, odd_nuls) > half * 0.6 and min(even_nuls, odd_nuls) < half * 0.1
