"""Decide a file's format from its first bytes (magic numbers), never from its name."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from enum import Enum, auto

from shared.errors import FileRejected, Reason
from shared.i18n.text import Text, t
from shared.spreadsheet.encodings import (
    UTF8,
    head_as_utf8,
    line_breaks,
    lines_before,
    text_encoding,
)
from shared.spreadsheet.sheet import FileFormat

HTML_PAGE = t("a web page (HTML table) saved with a spreadsheet name")


class Advice(Enum):
    """What to do instead with a file that is not an accepted format (see `unsupported`)."""

    SAVE_AS_XLSX = auto()
    EXPORT_CSV_OR_XLSX = auto()
    SAVE_TABLE = auto()
    EXPORT_FROM_SOURCE = auto()
    UNZIP = auto()


ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header, or an empty archive
OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
# Bytes of a text file that are no text (C0 controls but tab, LF, FF, CR and DOS's ^Z end
# mark). A few are stray bytes inside values, which cleaning removes; more than one byte in
# _BINARY_SHARE of a stretch is binary data.
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n\r\f\x1a")
_BINARY_SHARE = 20
_REMOVED_CONTROLS = bytes(b for b in range(0x20) if b not in b"\t\n\r")
_SCAN_BYTES = 64 * 1024

# (prefix of the lower-cased, left-stripped text, what the file is, what to do instead)
_TEXT_FORMATS: tuple[tuple[bytes, Text, Advice], ...] = (
    # Translators: what a refused file is, in "This file is {what}, not a spreadsheet ...";
    # the same holds for the other "a ..." / "an ..." texts of the refused formats.
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
                'CSV, vCard, XLSX or XLS: open it in Excel and choose File > Save As > "Excel '
                'Workbook (*.xlsx)", then upload that file.',
                what=what,
            )
        case Advice.EXPORT_CSV_OR_XLSX:
            # Translators: {what} is what the file is ("a PNG image", "a binary file").
            return t(
                "This file is {what}, not a spreadsheet we can read. Accepted formats are "
                "CSV, vCard, XLSX or XLS: export the contacts as CSV or XLSX, then upload that "
                "file.",
                what=what,
            )
        case Advice.SAVE_TABLE:
            # Translators: {what} is what the file is ("a Word document (.docx)").
            return t(
                "This file is {what}, not a spreadsheet we can read. Accepted formats are "
                "CSV, vCard, XLSX or XLS: save the table as CSV or XLSX, then upload that file.",
                what=what,
            )
        case Advice.EXPORT_FROM_SOURCE:
            # Translators: {what} is what the file is ("a PDF document").
            return t(
                "This file is {what}, not a spreadsheet we can read. Accepted formats are "
                "CSV, vCard, XLSX or XLS: export the contacts from the source program as CSV "
                "or XLSX, then upload that file.",
                what=what,
            )
        case Advice.UNZIP:
            # Translators: {what} is what the file is ("a ZIP archive without an Excel
            # workbook in it").
            return t(
                "This file is {what}, not a spreadsheet we can read. Accepted formats are "
                "CSV, vCard, XLSX or XLS: unzip it and upload the CSV, XLSX or XLS file "
                "inside, then upload that file.",
                what=what,
            )


def utf16_without_bom() -> FileRejected:
    """The refusal for UTF-16 text without a byte-order mark, its encoding not declared."""
    return FileRejected(
        Reason.NOT_UTF8,
        t(
            "This file is UTF-16 text without a byte-order mark (often a Unicode Text "
            "export), so its encoding cannot be told for sure. Upload it again with its "
            "encoding (`contactimport import --encoding utf-16`, or `encoding` in the "
            "upload's metadata), or in Excel choose File > Save As > \"CSV UTF-8 (Comma "
            'delimited) (*.csv)" and upload the new file.'
        ),
        likely_encoding="utf-16",
    )


def detect_format(head: bytes, declared_encoding: str = "") -> FileFormat:
    """The format of a file from its first bytes (at least 512, or the whole file).

    A text file is read in the encoding its BOM names, else in `declared_encoding`, else as
    UTF-8 (shared/spreadsheet/encodings.py). Raises FileRejected (UNSUPPORTED_FORMAT,
    NOT_UTF8) for anything that is not a CSV, a vCard, an XLSX or an XLS. An OLE2 file is
    reported as XLS; `read_sheet` tells an XLS from an encrypted XLSX (also OLE2) and from
    other Office documents.
    """
    if head.startswith(ZIP_MAGICS):
        return FileFormat.XLSX
    if head.startswith(OLE_MAGIC):
        return FileFormat.XLS
    encoding = text_encoding(head, declared_encoding)
    text = head_as_utf8(head, encoding)
    lowered = text[:1024].lstrip().lower()
    if lowered.startswith(b"begin:vcard"):
        return FileFormat.VCARD
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
    if encoding == UTF8 and b"\x00" in text and _looks_utf16(text):
        raise utf16_without_bom()
    if _controls_in(text[:4096])[0]:
        raise unsupported(t("a binary file"), Advice.EXPORT_CSV_OR_XLSX)
    return FileFormat.CSV


def plain_text(text: bytes) -> bytes:
    """A text file's UTF-8 bytes without C0 control characters (tab, LF and CR kept).

    A stray NUL, BEL or ESC inside a value (broken exports, copy-paste) is removed and the
    row kept, as SPEC says of values; PostgreSQL text could not hold a NUL anyway. A file
    that turns into binary data after its start (detect_format sees only the head), with
    more control bytes in a stretch than text could have, is refused. `plain_chunks` is the
    same for a text read in chunks.
    """
    removed = False
    for start in range(0, len(text), _SCAN_BYTES):
        binary, controls = _controls_in(text[start : start + _SCAN_BYTES])
        if binary:
            raise _binary_data(line_breaks(text[:start]) + 1)
        removed = removed or controls
    return text.translate(None, _REMOVED_CONTROLS) if removed else text  # most: no copy


def plain_chunks(text: Callable[[], Iterator[bytes]]) -> Iterator[bytes]:
    """`plain_text` of the text `text()` gives in chunks: the same text, or the same refusal.

    A refusal of the chunks themselves (NOT_UTF8 further on) wins over binary data, as it
    does when the whole text is converted first; `text` is called again only to count the
    lines before binary data.
    """
    pending = b""
    binary_at: int | None = None
    offset = 0  # of `pending` in the text
    for chunk in text():
        if binary_at is not None:
            continue  # read to the end: a text that does not decode is refused as such
        data = pending + chunk if pending else chunk
        whole = len(data) - len(data) % _SCAN_BYTES
        removed = False
        for start in range(0, whole, _SCAN_BYTES):
            binary, controls = _controls_in(data[start : start + _SCAN_BYTES])
            if binary:
                binary_at = offset + start
                break
            removed = removed or controls
        pending = data[whole:]
        offset += whole
        if binary_at is None and whole:
            out = data[:whole] if whole < len(data) else data
            yield out.translate(None, _REMOVED_CONTROLS) if removed else out
    if binary_at is None and pending:
        binary, controls = _controls_in(pending)
        if binary:
            binary_at = offset
        else:
            yield pending.translate(None, _REMOVED_CONTROLS) if controls else pending
    if binary_at is not None:
        raise _binary_data(lines_before(text(), binary_at) + 1)


def _binary_data(line_number: int) -> FileRejected:
    line = str(line_number)
    return FileRejected(
        Reason.MALFORMED_FILE,
        t(
            "The file is not plain text from line {line} on: it holds binary data "
            "there, so it is damaged or not a CSV file. Export the contacts again (in "
            'Excel choose File > Save As > "CSV UTF-8 (Comma delimited) (*.csv)") and '
            "upload the new file.",
            line=line,
        ),
        line=line,
    )


def _controls_in(stretch: bytes) -> tuple[bool, bool]:
    """(whether the stretch is binary data, whether it holds a control cleaning removes)."""
    # Counted over at least 512 bytes, so that a small file's one stray byte is no reason,
    # unless a quarter of a small file is control bytes.
    controls = len(stretch) - len(stretch.translate(None, _CONTROL_BYTES))
    binary = controls * _BINARY_SHARE > max(len(stretch), 512) or controls * 4 > len(stretch)
    # _REMOVED_CONTROLS are _CONTROL_BYTES with FF and ^Z.
    return binary, controls > 0 or b"\f" in stretch or b"\x1a" in stretch


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 text without a BOM: ASCII letters with a NUL byte beside each."""
    sample = head[: len(head) & ~1][:1024]
    if len(sample) < 4:
        return False
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    return max(even_nuls, odd_nuls) > half * 0.6 and min(even_nuls, odd_nuls) < half * 0.1
