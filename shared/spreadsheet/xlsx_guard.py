"""Check an XLSX archive before any parser inflates it: a workbook, no bomb, no DTD.

Every member is inflated here in 1 MB chunks through `zipfile`, which stops a member at its
declared size and then fails its CRC check, so a header that lies about its size is caught;
the real inflated bytes are counted against the cap as they come. XML parts may not carry a
DOCTYPE or ENTITY declaration (nothing is ever expanded), and cell references are scanned
for the sheet's extent because calamine allocates the whole rectangle up to the farthest
cell (a 2-cell file with a cell in XFD1048576 would abort the process).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from shared.errors import FileRejected, Reason
from shared.spreadsheet.formats import SAVE_AS_XLSX, unsupported
from shared.spreadsheet.sheet import MAX_COLUMNS
from shared.spreadsheet.sheet_rules import too_many_columns

CHUNK_BYTES = 1 << 20
# calamine holds about 32 bytes per cell of the rectangle: 4 million cells is about 130 MB.
MAX_SHEET_CELLS = 4_000_000
WORKBOOK_PART = "xl/workbook.xml"

# Markup declarations other than comments and CDATA (DOCTYPE, ENTITY, ...), UTF-8 or UTF-16.
_DECLARATION = re.compile(rb"<!(?!--|\[CDATA\[)|<\x00!\x00(?!-\x00-\x00|\[\x00)")
_MULTI_LETTER_COLUMNS = re.compile(rb' r="([A-Z]{2,3})\d')
_FOUR_DIGIT_ROWS = re.compile(rb' r="[A-Z]{1,3}(\d{4,})"')
_OVERLAP = 32  # bytes kept from the previous chunk so no token is split between two chunks

# (member that marks the format, what the file is, what to do instead)
_OTHER_ZIP_FORMATS: tuple[tuple[str, str, str], ...] = (
    ("xl/workbook.bin", "an Excel Binary Workbook (.xlsb)", SAVE_AS_XLSX),
    ("content.xml", "an OpenDocument file (.ods/.odt)", SAVE_AS_XLSX),
    ("word/document.xml", "a Word document (.docx)", "save the table as CSV or XLSX"),
    ("ppt/presentation.xml", "a PowerPoint presentation", "save the table as CSV or XLSX"),
)


@dataclass(frozen=True)
class SheetEntry:
    """A sheet listed in workbook.xml; `state` is visible, hidden or veryHidden."""

    name: str
    state: str


def malformed(detail: str) -> FileRejected:
    """The refusal for a damaged or unsafe workbook."""
    return FileRejected(
        Reason.MALFORMED_FILE,
        f"The file cannot be read safely: {detail}. Open it in Excel, save it again as "
        "XLSX (or as CSV UTF-8) and upload the new file.",
    )


def inspect_xlsx(data: bytes, *, max_inflated_bytes: int) -> list[SheetEntry]:
    """The sheets of a checked XLSX archive; raises FileRejected when it is unsafe or no XLSX."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise malformed("it looks like a ZIP/XLSX file but is damaged") from exc
    with archive:
        members = archive.infolist()
        _check_is_workbook({m.filename for m in members})
        if len({m.filename for m in members}) != len(members):
            raise malformed("the archive holds two parts with the same name")
        if any(m.flag_bits & 0x1 for m in members):
            raise FileRejected(
                Reason.ENCRYPTED_FILE,
                "The file is password-protected. Open it, remove the password and upload it again.",
            )
        _check_declared_sizes(members, max_inflated_bytes)
        workbook_xml = _inflate_all(archive, members, max_inflated_bytes)
    return _workbook_sheets(workbook_xml)


def _check_is_workbook(names: set[str]) -> None:
    if WORKBOOK_PART in names:
        return
    for marker, what, advice in _OTHER_ZIP_FORMATS:
        if marker in names:
            raise unsupported(what, advice)
    if "mimetype" in names:
        raise unsupported("an OpenDocument file (.ods)", SAVE_AS_XLSX)
    raise unsupported(
        "a ZIP archive without an Excel workbook in it",
        "unzip it and upload the CSV, XLSX or XLS file inside",
    )


def _check_declared_sizes(members: list[zipfile.ZipInfo], cap: int) -> None:
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > cap or total > cap:
            raise malformed(f"it would inflate to more than {cap:,} bytes (a decompression bomb)")


def _inflate_all(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], cap: int) -> bytes:
    """Inflate every member once, counting real bytes; returns workbook.xml."""
    total = 0
    workbook_xml = b""
    for member in members:
        is_xml = member.filename.endswith((".xml", ".rels", ".vml"))
        parts: list[bytes] = []
        tail = b""
        max_row = max_col = row_elements = 0
        try:
            with archive.open(member) as stream:
                while chunk := stream.read(CHUNK_BYTES):
                    total += len(chunk)
                    if total > cap:
                        raise malformed(
                            f"it inflates to more than {cap:,} bytes (a decompression bomb)"
                        )
                    if not is_xml:
                        continue
                    window = tail + chunk
                    # "!" is rare in XML: look for it first, the regex only where it is.
                    if b"!" in window and _DECLARATION.search(window):
                        raise malformed(
                            f"the part {member.filename} declares a DOCTYPE or an entity, "
                            "which spreadsheets never need"
                        )
                    rows, cols = _extent(window)
                    # Rows without an r attribute follow each other: count them too.
                    row_elements += chunk.count(b"<row") + chunk.count(b":row")
                    max_row = max(max_row, rows, row_elements if cols else 0)
                    max_col = max(max_col, cols)
                    tail = window[-_OVERLAP:]
                    if member.filename == WORKBOOK_PART:
                        parts.append(chunk)
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, ValueError) as exc:
            raise malformed(f"the part {member.filename} is damaged") from exc
        _check_extent(max_row, max_col)
        if parts:
            workbook_xml = b"".join(parts)
    return workbook_xml


def _extent(window: bytes) -> tuple[int, int]:
    """An upper bound of the (row, column) of the cell references in a chunk of XML.

    Exact when a reference has two or more column letters or four or more row digits, else
    the bound of the short forms (column Z, row 999): cheap for the usual sheet, and never so
    loose that a wide sheet of a few rows looks like millions of cells.
    """
    if b"<" not in window or (b' r="' not in window and b"<c" not in window):
        return 0, 0
    letters = set(_MULTI_LETTER_COLUMNS.findall(window))
    cols = max((_column_number(c) for c in letters), default=26)
    rows = max((int(r) for r in _FOUR_DIGIT_ROWS.findall(window)), default=999)
    return rows, cols


def _column_number(letters: bytes) -> int:
    number = 0
    for byte in letters:
        number = number * 26 + byte - 64
    return number


def _check_extent(max_row: int, max_col: int) -> None:
    if max_col > MAX_COLUMNS:
        raise too_many_columns(max_col)
    if max_row * max_col <= MAX_SHEET_CELLS:
        return
    raise FileRejected(
        Reason.TOO_MANY_ROWS,
        f"The sheet has cells as far as row {max_row:,} and column {max_col:,}, more than "
        f"{MAX_SHEET_CELLS:,} cells to read. Delete the rows below and the columns right of "
        "your contacts (select them, right-click > Delete) and upload the file again.",
    )


def _workbook_sheets(workbook_xml: bytes) -> list[SheetEntry]:
    try:
        root = fromstring(workbook_xml, forbid_dtd=True)
    except (DefusedXmlException, ParseError) as exc:
        raise malformed(f"the part {WORKBOOK_PART} is not valid XML") from exc
    sheets = [
        SheetEntry(element.get("name", ""), element.get("state", "visible"))
        for element in root.iter()
        if isinstance(element.tag, str) and element.tag.rsplit("}", 1)[-1] == "sheet"
    ]
    if not sheets:
        raise malformed("the workbook lists no sheets")
    return sheets
