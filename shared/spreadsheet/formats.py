"""Decide a file's format from its first bytes (magic numbers), never from its name."""

from __future__ import annotations

from shared.errors import FileRejected, Reason
from shared.i18n.text import Text, t
from shared.spreadsheet.sheet import FileFormat

ACCEPTED = "CSV (UTF-8), XLSX or XLS"
# Translators: an instruction inserted into longer messages ("To fix it, {save_as} and ...").
SAVE_AS_CSV_UTF8 = t('in Excel choose File > Save As > "CSV UTF-8 (Comma delimited) (*.csv)"')
# Translators: an instruction inserted into longer messages ("...: {advice}, then upload ...").
SAVE_AS_XLSX = t('open it in Excel and choose File > Save As > "Excel Workbook (*.xlsx)"')
EXPORT_CSV_OR_XLSX = t("export the contacts as CSV or XLSX")
HTML_PAGE = t("a web page (HTML table) saved with a spreadsheet name")

ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header, or an empty archive
OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff", b"\xff\xfe", b"\xfe\xff")

# (prefix of the lower-cased, left-stripped text, what the file is, what to do instead)
# Translators: {what} texts below complete "This file is {what}, not a spreadsheet ...".
_TEXT_FORMATS: tuple[tuple[bytes, Text, Text], ...] = (
    (
        b"begin:vcard",
        t("a vCard (.vcf) contacts file"),
        t(
            "export the contacts as CSV instead (Google Contacts: Export > Google CSV; "
            "for Apple Contacts import the .vcf into Google Contacts or Outlook first and "
            "export a CSV there)"
        ),
    ),
    (b"<!doctype html", HTML_PAGE, SAVE_AS_XLSX),
    (b"<html", HTML_PAGE, SAVE_AS_XLSX),
    (b"<table", HTML_PAGE, SAVE_AS_XLSX),
    (b"mime-version:", t("a single-file web page (MHTML) saved as .xls"), SAVE_AS_XLSX),
    (
        b"%pdf",
        t("a PDF document"),
        t("export the contacts from the source program as CSV or XLSX"),
    ),
    (b"{\\rtf", t("a rich-text (RTF) document"), t("save the table as CSV or XLSX")),
)
_BINARY_FORMATS: tuple[tuple[bytes, Text], ...] = (
    (b"\x89PNG", t("a PNG image")),
    (b"\xff\xd8\xff", t("a JPEG image")),
    (b"GIF8", t("a GIF image")),
    (b"\x1f\x8b", t("a gzip archive")),
    (b"Rar!", t("a RAR archive")),
    (b"7z\xbc\xaf", t("a 7-Zip archive")),
)


def unsupported(what: Text, advice: Text) -> FileRejected:
    """The refusal for a file that is not one of the accepted formats."""
    return FileRejected(
        Reason.UNSUPPORTED_FORMAT,
        # Translators: {what} is what the file is ("a PDF document"), {accepted} the formats,
        # {advice} what to do ("export the contacts as CSV or XLSX").
        t(
            "This file is {what}, not a spreadsheet we can read. Accepted formats are "
            "{accepted}: {advice}, then upload that file.",
            what=what,
            accepted=ACCEPTED,
            advice=advice,
        ),
    )


def not_utf8(encoding: str) -> FileRejected:
    """The refusal for a UTF-16/UTF-32 text file (CSV must be UTF-8)."""
    return FileRejected(
        Reason.NOT_UTF8,
        # Translators: {encoding} is UTF-16 or UTF-32; {save_as} says how to save as CSV UTF-8.
        t(
            "This file is a {encoding} text file (often a Unicode Text export); CSV files "
            "must be UTF-8: {save_as}, and upload the new file.",
            encoding=encoding,
            save_as=SAVE_AS_CSV_UTF8,
        ),
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
        raise not_utf8(width)
    text = head.removeprefix(UTF8_BOM)
    lowered = text[:1024].lstrip().lower()
    for prefix, what, advice in _TEXT_FORMATS:
        if lowered.startswith(prefix):
            raise unsupported(what, advice)
    if lowered.startswith(b"<?xml"):
        if b"<html" in lowered:
            raise unsupported(HTML_PAGE, SAVE_AS_XLSX)
        if b"spreadsheet" in lowered or b"<workbook" in lowered:
            raise unsupported(t("an Excel 2003 XML Spreadsheet"), SAVE_AS_XLSX)
        raise unsupported(t("an XML document"), EXPORT_CSV_OR_XLSX)
    for magic, what in _BINARY_FORMATS:
        if text.startswith(magic):
            raise unsupported(what, EXPORT_CSV_OR_XLSX)
    if b"\x00" in text:
        if _looks_utf16(text):
            raise not_utf8("UTF-16")
        raise unsupported(t("a binary file"), EXPORT_CSV_OR_XLSX)
    controls = sum(1 for byte in text[:4096] if byte < 0x20 and byte not in b"\t\n\r\f\x1a")
    if controls * 20 > len(text[:4096]):
        raise unsupported(t("a binary file"), EXPORT_CSV_OR_XLSX)
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
        t(
            "The file is not plain text: line {line} holds a NUL byte (0x00), so it is "
            "damaged or not a CSV file. Export the contacts again ({save_as}) and upload the "
            "new file.",
            line=str(line),
            save_as=SAVE_AS_CSV_UTF8,
        ),
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
