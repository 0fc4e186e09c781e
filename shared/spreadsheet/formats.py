"""Decide a file's format from its first bytes (magic numbers), never from its name."""

from __future__ import annotations

from enum import Enum, auto

from shared.errors import FileRejected, Reason
from shared.i18n.text import Text, t
from shared.spreadsheet.sheet import FileFormat

HTML_PAGE = t("a web page (HTML table) saved with a spreadsheet name")


class Advice(Enum):
    """What to do instead with a file that is not an accepted format (see `unsupported`)."""

    SAVE_AS_XLSX = auto()
    EXPORT_CSV_OR_XLSX = auto()
    SAVE_TABLE = auto()
    EXPORT_FROM_SOURCE = auto()
    EXPORT_VCARD_AS_CSV = auto()
    UNZIP = auto()


ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header, or an empty archive
OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff", b"\xff\xfe", b"\xfe\xff")

# (prefix of the lower-cased, left-stripped text, what the file is, what to do instead)
_TEXT_FORMATS: tuple[tuple[bytes, Text, Advice], ...] = (
    # Translators: what a refused file is, in "This file is {what}, not a spreadsheet ...";
    # the same holds for the other "a ..." / "an ..." texts of the refused formats.
    (b"begin:vcard", t("a vCard (.vcf) contacts file"), Advice.EXPORT_VCARD_AS_CSV),
    (b"<!doctype html", HTML_PAGE, Advice.SAVE_AS_XLSX),
    (b"<html", HTML_PAGE, Advice.SAVE_AS_XLSX),
    (b"<table", HTML_PAGE, Advice.SAVE_AS_XLSX),
    (b"mime-version:", t("a single-file web page (MHTML) saved as .xls"), Advice.SAVE_AS_XLSX),
    (b"%pdf", t("a PDF document"), Advice.EXPORT_FROM_SOURCE),
    (b"{\\rtf", t("a rich-text (RTF) document"), Advice.SAVE_TABLE),
)
_BINARY_FORMATS: tuple[tuple[bytes, Text], ...] = (
    (b"\x89PNG", t("a PNG image")),
    (b"\xff\xd8\xff", t("a JPEG image")),
    (b"GIF8", t("a GIF image")),
    (b"\x1f\x8b", t("a gzip archive")),
    (b"Rar!", t("a RAR archive")),
    (b"7z\xbc\xaf", t("a 7-Zip archive")),
)


def unsupported(what: Text, advice: Advice) -> FileRejected:
    """The refusal for a file that is not one of the accepted formats: what it is, what to do."""
    return FileRejected(Reason.UNSUPPORTED_FORMAT, _unsupported_message(what, advice))


def _unsupported_message(what: Text, advice: Advice) -> Text:
    # One whole sentence per advice; {what} is what the file is ("a PDF document").
    match advice:
        case Advice.SAVE_AS_XLSX:
            # Translators: {what} is what the file is ("an Excel Binary Workbook (.xlsb)").
            return t(
                "This file is {what}, not a spreadsheet we can read. Accepted formats are "
                'CSV (UTF-8), XLSX or XLS: open it in Excel and choose File > Save As > "Excel '
                'Workbook (*.xlsx)", then upload that file.',
                what=what,
            )
        case Advice.EXPORT_CSV_OR_XLSX:
            # Translators: {what} is what the file is ("a PNG image", "a binary file").
            return t(
                "This file is {what}, not a spreadsheet we can read. Accepted formats are "
                "CSV (UTF-8), XLSX or XLS: export the contacts as CSV or XLSX, then upload that "
                "file.",
                what=what,
            )
        case Advice.SAVE_TABLE:
            # Translators: {what} is what the file is ("a Word document (.docx)").
            return t(
                "This file is {what}, not a spreadsheet we can read. Accepted formats are "
                "CSV (UTF-8), XLSX or XLS: save the table as CSV or XLSX, then upload that file.",
                what=what,
            )
        case Advice.EXPORT_FROM_SOURCE:
            # Translators: {what} is what the file is ("a PDF document").
            return t(
                "This file is {what}, not a spreadsheet we can read. Accepted formats are "
                "CSV (UTF-8), XLSX or XLS: export the contacts from the source program as CSV "
                "or XLSX, then upload that file.",
                what=what,
            )
        case Advice.EXPORT_VCARD_AS_CSV:
            # Translators: {what} is what the file is ("a vCard (.vcf) contacts file").
            return t(
                "This file is {what}, not a spreadsheet we can read. Accepted formats are "
                "CSV (UTF-8), XLSX or XLS: export the contacts as CSV instead (Google Contacts: "
                "Export > Google CSV; for Apple Contacts import the .vcf into Google Contacts or "
                "Outlook first and export a CSV there), then upload that file.",
                what=what,
            )
        case Advice.UNZIP:
            # Translators: {what} is what the file is ("a ZIP archive without an Excel
            # workbook in it").
            return t(
                "This file is {what}, not a spreadsheet we can read. Accepted formats are "
                "CSV (UTF-8), XLSX or XLS: unzip it and upload the CSV, XLSX or XLS file "
                "inside, then upload that file.",
                what=what,
            )


def not_utf8(encoding: str) -> FileRejected:
    """The refusal for a UTF-16/UTF-32 text file (CSV must be UTF-8)."""
    return FileRejected(
        Reason.NOT_UTF8,
        # Translators: {encoding} is UTF-16 or UTF-32.
        t(
            "This file is a {encoding} text file (often a Unicode Text export); CSV files "
            'must be UTF-8: in Excel choose File > Save As > "CSV UTF-8 (Comma delimited) '
            '(*.csv)", and upload the new file.',
            encoding=encoding,
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
            raise unsupported(HTML_PAGE, Advice.SAVE_AS_XLSX)
        if b"spreadsheet" in lowered or b"<workbook" in lowered:
            raise unsupported(t("an Excel 2003 XML Spreadsheet"), Advice.SAVE_AS_XLSX)
        raise unsupported(t("an XML document"), Advice.EXPORT_CSV_OR_XLSX)
    for magic, what in _BINARY_FORMATS:
        if text.startswith(magic):
            raise unsupported(what, Advice.EXPORT_CSV_OR_XLSX)
    if b"\x00" in text:
        if _looks_utf16(text):
            raise not_utf8("UTF-16")
        raise unsupported(t("a binary file"), Advice.EXPORT_CSV_OR_XLSX)
    controls = sum(1 for byte in text[:4096] if byte < 0x20 and byte not in b"\t\n\r\f\x1a")
    if controls * 20 > len(text[:4096]):
        raise unsupported(t("a binary file"), Advice.EXPORT_CSV_OR_XLSX)
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
            "damaged or not a CSV file. Export the contacts again (in Excel choose File > Save "
            'As > "CSV UTF-8 (Comma delimited) (*.csv)") and upload the new file.',
            line=str(line),
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
