"""Check an XLSX archive before any parser inflates it: a workbook, no bomb, no DTD.

Every member is inflated here in 1 MB chunks through `zipfile`, which stops a member at its
declared size and then fails its CRC check, so a header that lies about its size is caught;
the real inflated bytes are counted against the cap as they come. XML parts may not carry a
DOCTYPE or ENTITY declaration (nothing is ever expanded), and cell references are scanned
for the sheet's extent because calamine allocates the whole rectangle up to the farthest
cell (a 2-cell file with a cell in XFD1048576 would abort the process).

The sheet parts are the ones workbook.xml's sheets point to through its .rels, whatever
their names (calamine reads "sheet1.png" as XML if told to). Their extent is read from the
cell references by two quick regexes when every <c> and <row> tag is written as Excel
writes it (`<c r="A1"`); any other spelling (no r, r not first, r='...', a prefix, ...)
sends the part through an exact tag scan that follows calamine's rules (a cell without r
is one column right of the previous one, a row without r one below). A shared-string
table may not declare more entries than a sheet may have cells: calamine reserves memory
for its uniqueCount up front.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from shared.errors import FileRejected, Reason
from shared.i18n.text import Text, t
from shared.spreadsheet.formats import Advice, unsupported
from shared.spreadsheet.sheet import MAX_COLUMNS
from shared.spreadsheet.sheet_rules import too_many_columns

CHUNK_BYTES = 1 << 20
# calamine holds about 32 bytes per cell of the rectangle: 4 million cells is about 130 MB.
MAX_SHEET_CELLS = 4_000_000
MAX_EXCEL_ROWS = 1_048_576
# workbook.xml and its .rels are parsed whole: real ones are a few kB.
MAX_PARSED_PART_BYTES = 5_000_000
WORKBOOK_PART = "xl/workbook.xml"
WORKBOOK_RELS_PART = "xl/_rels/workbook.xml.rels"
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

# Markup declarations other than comments and CDATA (DOCTYPE, ENTITY, ...), UTF-8 or UTF-16.
_DECLARATION = re.compile(rb"<!(?!--|\[CDATA\[)|<\x00!\x00(?!-\x00-\x00|\[\x00)")
# In a part written as Excel writes it: column letters of two or more, rows of four or more
# digits (calamine takes lower-case letters and leading zeros too), in cells and rows.
_MULTI_LETTER_COLUMNS = re.compile(rb' r="([A-Za-z]{2,})')
_FOUR_DIGIT_ROWS = re.compile(rb' r="[A-Za-z]*([1-9]\d{3,})')
# A row number with leading zeros could be longer than the overlap between two chunks.
_LEADING_ZERO = re.compile(rb' r="[A-Za-z]*0')
# Elements of a sheet whose tag starts like <c or <row but that are no cells or rows.
_NOT_CELLS = (b"<co", b"<cf", b"<cu", b"<ce", b"<ch", b"<c:")
_NOT_ROWS = (b"<rowB", b"<rowI", b"<rowF")
# Other attributes whose name ends in r, as Excel and openpyxl write them.
_OTHER_R_ATTRIBUTES = (
    b'xmlns:r="',
    b'xmlns:xr="',
    b'header="',
    b'footer="',
    b'operator="',
    b'showRuler="',
)
# The exact scan: every <c>/<row> start tag (attribute values may hold ">"), its r values.
_CELL_TAG = re.compile(
    rb"""<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])((?:[^>"']|"[^"]*"|'[^']*')*)>"""
)
_R_ATTRIBUTE = re.compile(rb"""(?<![\w.:-])r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REFERENCE = re.compile(rb"([A-Za-z]*)0*(\d*)")
_ANY_MULTI_LETTER_COLUMNS = re.compile(rb"""(?<![\w.:-])r\s*=\s*["']\s*([A-Za-z]{2,})""")
_ANY_FOUR_DIGIT_ROWS = re.compile(rb"""(?<![\w.:-])r\s*=\s*["']\s*[A-Za-z]*0*([1-9]\d{3,})""")
# Every <sst> start tag (attribute values may hold ">"), and its uniqueCount.
_SST_TAG = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?sst(?=[\s/>])((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_SST_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sst(?=[\s/>])")
_UNIQUE_COUNT = re.compile(rb"""(?<![\w.:-])uniqueCount\s*=\s*["']\s*\+?0*(\d+)""")
_OVERLAP = 32  # bytes kept from the previous chunk so no token is split between two chunks
_ANCHOR_SLACK = 8  # at least the offset of "r=" in the tokens counted around it

# (member that marks the format, what the file is, what to do instead)
_OTHER_ZIP_FORMATS: tuple[tuple[str, Text, Advice], ...] = (
    # Translators: what a refused file is, in "This file is {what}, not a spreadsheet ...".
    ("xl/workbook.bin", t("an Excel Binary Workbook (.xlsb)"), Advice.SAVE_AS_XLSX),
    ("content.xml", t("an OpenDocument file (.ods/.odt)"), Advice.SAVE_AS_XLSX),
    ("word/document.xml", t("a Word document (.docx)"), Advice.SAVE_TABLE),
    ("ppt/presentation.xml", t("a PowerPoint presentation"), Advice.SAVE_TABLE),
)


@dataclass(frozen=True)
class SheetEntry:
    """A sheet listed in workbook.xml; `state` is visible, hidden or veryHidden."""

    name: str
    state: str


def malformed(detail: Text) -> FileRejected:
    """The refusal for a damaged or unsafe workbook."""
    return FileRejected(
        Reason.MALFORMED_FILE,
        # Translators: {detail} says what is wrong ("the part xl/styles.xml is damaged").
        t(
            "The file cannot be read safely: {detail}. Open it in Excel, save it again as "
            "XLSX (or as CSV UTF-8) and upload the new file.",
            detail=detail,
        ),
    )


def _damaged(part: str) -> Text:
    # Translators: completes "The file cannot be read safely: {detail}.", as the other
    # "the part ..." and "it ..." texts do; {part} is a file inside the XLSX archive, such
    # as xl/worksheets/sheet1.xml.
    return t("the part {part} is damaged", part=part)


def _declares(part: str) -> Text:
    # Translators: {part} is a file inside the XLSX archive, such as xl/workbook.xml.
    return t(
        "the part {part} declares a DOCTYPE or an entity, which spreadsheets never need",
        part=part,
    )


def inspect_xlsx(data: bytes, *, max_inflated_bytes: int) -> list[SheetEntry]:
    """The sheets of a checked XLSX archive; raises FileRejected when it is unsafe or no XLSX."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise malformed(t("it looks like a ZIP/XLSX file but is damaged")) from exc
    with archive:
        members = archive.infolist()
        _check_is_workbook({m.filename for m in members})
        if len({m.filename for m in members}) != len(members):
            raise malformed(t("the archive holds two parts with the same name"))
        if any(m.flag_bits & 0x1 for m in members):
            raise FileRejected(
                Reason.ENCRYPTED_FILE,
                t(
                    "The file is password-protected. Open it, remove the password and upload "
                    "it again."
                ),
            )
        _check_declared_sizes(members, max_inflated_bytes)
        sheets, sheet_files = _workbook_sheets(archive)
        _inflate_all(archive, members, max_inflated_bytes, sheet_files)
    return sheets


def _check_is_workbook(names: set[str]) -> None:
    if WORKBOOK_PART in names:
        return
    for marker, what, advice in _OTHER_ZIP_FORMATS:
        if marker in names:
            raise unsupported(what, advice)
    if "mimetype" in names:
        raise unsupported(t("an OpenDocument file (.ods)"), Advice.SAVE_AS_XLSX)
    raise unsupported(t("a ZIP archive without an Excel workbook in it"), Advice.UNZIP)


def _check_declared_sizes(members: list[zipfile.ZipInfo], cap: int) -> None:
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > cap or total > cap:
            raise malformed(
                t("it would inflate to more than {cap} bytes (a decompression bomb)", cap=cap)
            )


def _inflate_all(
    archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], cap: int, sheet_files: set[str]
) -> None:
    """Inflate every member once, counting real bytes; check XML parts and sheet extents."""
    total = 0
    for member in members:
        is_sheet = _file_name(member.filename) in sheet_files
        is_xml = is_sheet or member.filename.lower().endswith(_XML_SUFFIXES)
        tail = b""
        max_row = max_col = row_elements = strings = counted = 0
        exact = False
        sst_carry: bytes | None = None
        try:
            with archive.open(member) as stream:
                while chunk := stream.read(CHUNK_BYTES):
                    total += len(chunk)
                    if total > cap:
                        raise malformed(
                            t(
                                "it inflates to more than {cap} bytes (a decompression bomb)",
                                cap=cap,
                            )
                        )
                    if not is_xml:
                        continue
                    window = tail + chunk
                    # "!" is rare in XML: look for it first, the regex only where it is.
                    if b"!" in window and _DECLARATION.search(window):
                        raise malformed(_declares(member.filename))
                    if sst_carry is not None:
                        sst_carry = _check_shared_strings(sst_carry + chunk, member)
                    elif b"sst" in window:
                        sst_carry = _check_shared_strings(window, member)
                    strings += chunk.count(b"<si") + chunk.count(b":si")
                    if strings > MAX_SHEET_CELLS:
                        raise malformed(
                            t(
                                "the part {part} holds more than {limit} shared strings",
                                part=member.filename,
                                limit=MAX_SHEET_CELLS,
                            )
                        )
                    tail = window[-_OVERLAP:]
                    if not is_sheet or exact:
                        continue
                    # Count tokens anchored up to the last bytes; those are counted next.
                    end = max(counted, len(window) - _OVERLAP + _ANCHOR_SLACK)
                    exact = not _written_as_excel_does(window, counted, end)
                    counted = end - (len(window) - len(tail))
                    rows, cols = _extent(window)
                    # Rows without an r attribute follow each other: count them too.
                    row_elements += chunk.count(b"<row") + chunk.count(b":row")
                    max_row = max(max_row, rows, row_elements if cols else 0)
                    max_col = max(max_col, cols)
            if is_sheet and not exact:
                exact = not _written_as_excel_does(tail, counted, len(tail))  # the last bytes
            if exact:
                with archive.open(member) as stream:
                    max_row, max_col = _exact_extent(stream)
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, ValueError) as exc:
            raise malformed(_damaged(member.filename)) from exc
        _check_extent(max_row, max_col)


def _file_name(path: str) -> str:
    """The last component of a part name or relationship target, compared without case."""
    return path.replace("\\", "/").rsplit("/", 1)[-1].lower()


def _check_shared_strings(window: bytes, member: zipfile.ZipInfo) -> bytes:
    """Refuse an <sst> tag whose uniqueCount is over MAX_SHEET_CELLS; returns the carry.

    calamine reserves memory for uniqueCount strings up front (2,000,000,000 would abort
    the process). An unfinished tag at the end is carried into the next window; a tag of
    more than a chunk is refused, since a real one is a few hundred bytes.
    """
    end = 0
    for match in _SST_TAG.finditer(window):
        end = match.end()
        for count in _UNIQUE_COUNT.findall(match.group(1)):
            if int(count) > MAX_SHEET_CELLS:
                raise malformed(
                    t(
                        "the part {part} declares {count} shared strings, more than {limit}",
                        part=member.filename,
                        count=int(count),
                        limit=MAX_SHEET_CELLS,
                    )
                )
    start = window.rfind(b"<", end)
    carry = window[start:] if start >= 0 else b""
    if len(carry) > CHUNK_BYTES:
        if _SST_START.match(carry):
            raise malformed(t("the part {part} has a damaged <sst> tag", part=member.filename))
        carry = carry[-_OVERLAP:]
    return carry


def _written_as_excel_does(window: bytes, start: int, end: int) -> bool:
    """True when every <c>, <row> and r= in window[start:end] is `<c r="`, `<row r="`.

    A token is counted in the window where its anchor (its "<", or the "r" of "r=") lies
    in [start, end), so each is counted once across chunks whatever its length. Elements
    that only start like <c or <row, and other attributes ending in r, are subtracted,
    so the counts stay exact.
    """

    def count(token: bytes, anchor: int = 0) -> int:
        return window.count(token, max(0, start - anchor), end - anchor + len(token) - 1)

    if b":c" in window or b":row" in window or _LEADING_ZERO.search(window):
        return False  # prefixed tags, zero-padded rows: let the exact scan read them
    cells = count(b"<c") - count(b'<c r="')
    if cells and cells != sum(count(token) for token in _NOT_CELLS):
        return False
    rows = count(b"<row") - count(b'<row r="')
    if rows and rows != sum(count(token) for token in _NOT_ROWS):
        return False
    other_r = count(b"r=") - count(b' r="', 1)
    return not other_r or other_r == sum(
        count(token, token.index(b"r=")) for token in _OTHER_R_ATTRIBUTES
    )


def _exact_extent(stream: IO[bytes]) -> tuple[int, int]:
    """The farthest (row, column) calamine gives a cell, read tag by tag.

    Every r attribute anywhere also counts (a safety net for a tag cut between two chunks).
    Stops as soon as the extent is over a limit; the loop is bounded by those limits.
    """
    row = col = max_row = max_col = 0
    carry = b""
    while chunk := stream.read(CHUNK_BYTES):
        window = carry + chunk
        for letters in set(_ANY_MULTI_LETTER_COLUMNS.findall(window)):
            max_col = max(max_col, _column_number(letters.upper()))
        max_row = max(max_row, *map(int, set(_ANY_FOUR_DIGIT_ROWS.findall(window))), 0)
        end = 0
        for match in _CELL_TAG.finditer(window):
            end = match.end()
            name, attributes = match.groups()
            references = (
                [_reference(a or b) for a, b in _R_ATTRIBUTE.findall(attributes)]
                if b"r" in attributes
                else []
            )
            if name == b"row":
                numbers = [number for _, number in references if number]
                row = max(numbers) if numbers else row + 1
                col = 0
                continue
            columns = [column for column, _ in references if column]
            col = max(columns) if columns else col + 1
            row = max([row] + [number for _, number in references])
            if col > max_col or row > max_row:
                max_col = max(max_col, col)
                max_row = max(max_row, row)
                if _over_limits(max_row, max_col):
                    return max_row, max_col
        max_row = max(max_row, row)  # rows without cells
        if _over_limits(max_row, max_col):
            return max_row, max_col
        # Carry an unfinished tag (never one already counted) into the next window.
        start = window.rfind(b"<", end)
        if start < 0 or len(window) - start > CHUNK_BYTES:
            start = max(end, len(window) - _OVERLAP)
        carry = window[start:]
    return max_row, max_col


def _reference(value: bytes) -> tuple[int, int]:
    """The (column, row) numbers of a cell reference as calamine reads it; 0 when absent."""
    match = _REFERENCE.match(value.strip())
    letters, digits = match.groups() if match else (b"", b"")
    return (_column_number(letters.upper()) if letters else 0), int(digits or 0)


def _over_limits(max_row: int, max_col: int) -> bool:
    return max_col > MAX_COLUMNS or max_row > MAX_EXCEL_ROWS or max_row * max_col > MAX_SHEET_CELLS


def _extent(window: bytes) -> tuple[int, int]:
    """An upper bound of the (row, column) of the cell references in a chunk of XML.

    Exact when a reference has two or more column letters or four or more row digits, else
    the bound of the short forms (column Z, row 999): cheap for the usual sheet, and never so
    loose that a wide sheet of a few rows looks like millions of cells.
    """
    if b"<" not in window or (b' r="' not in window and b"<c" not in window):
        return 0, 0
    letters = set(_MULTI_LETTER_COLUMNS.findall(window))
    cols = max((_column_number(c.upper()) for c in letters), default=26)
    rows = max(map(int, set(_FOUR_DIGIT_ROWS.findall(window))), default=999)
    return rows, cols


def _column_number(letters: bytes) -> int:
    number = 0
    for byte in letters:
        number = number * 26 + byte - 64
    return number


def _check_extent(max_row: int, max_col: int) -> None:
    if max_col > MAX_COLUMNS:
        raise too_many_columns(max_col)
    if max_row * max_col <= MAX_SHEET_CELLS and max_row <= MAX_EXCEL_ROWS:
        return
    raise too_many_cells(max_row, max_col)


def too_many_cells(rows: int, columns: int) -> FileRejected:
    """The refusal for a sheet whose used area is too large to read (XLSX and XLS)."""
    return FileRejected(
        Reason.TOO_MANY_ROWS,
        t(
            "The sheet has cells as far as row {rows} and column {columns}, more than "
            "{limit} cells to read. Delete the rows below and the columns right of your "
            "contacts (select them, right-click > Delete) and upload the file again.",
            rows=rows,
            columns=columns,
            limit=MAX_SHEET_CELLS,
        ),
    )


def _workbook_sheets(archive: zipfile.ZipFile) -> tuple[list[SheetEntry], set[str]]:
    """The sheets workbook.xml lists, and the file names of the parts they point to."""
    root = _parse_part(archive, WORKBOOK_PART)
    elements = [
        element
        for element in root.iter()
        if isinstance(element.tag, str) and element.tag.rsplit("}", 1)[-1] == "sheet"
    ]
    if not elements:
        raise malformed(t("the workbook lists no sheets"))
    sheets = [SheetEntry(e.get("name", ""), e.get("state", "visible")) for e in elements]
    targets: dict[str, str] = {}
    if WORKBOOK_RELS_PART in archive.NameToInfo:
        for element in _parse_part(archive, WORKBOOK_RELS_PART).iter():
            if isinstance(element.tag, str) and element.tag.endswith("Relationship"):
                targets[element.get("Id", "")] = element.get("Target", "")
    ids = {e.get(_REL_ID, "") for e in elements}
    return sheets, {_file_name(targets[i]) for i in ids if i in targets}


def _parse_part(archive: zipfile.ZipFile, name: str) -> Any:
    """A small XML part parsed with defusedxml (no DTD): workbook.xml or its .rels."""
    info = archive.getinfo(name)
    if info.file_size > MAX_PARSED_PART_BYTES:
        raise malformed(
            t(
                "the part {part} is {size} bytes, far more than a workbook needs",
                part=name,
                size=info.file_size,
            )
        )
    try:
        xml = archive.read(info)
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, ValueError) as exc:
        raise malformed(_damaged(name)) from exc
    if len(xml) > MAX_PARSED_PART_BYTES:
        raise malformed(_damaged(name))
    if b"!" in xml and _DECLARATION.search(xml):
        raise malformed(_declares(name))
    try:
        return fromstring(xml, forbid_dtd=True)
    except (DefusedXmlException, ParseError) as exc:
        raise malformed(t("the part {part} is not valid XML", part=name)) from exc
