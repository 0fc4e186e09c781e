"""The failure workbook: the rejected rows as uploaded, with their row number and reasons.

Every cell is an inline text cell, so no value can become a formula (OWASP's CSV/formula
injection): openpyxl makes any string starting with "=" a formula, and that is undone
cell by cell. Excel keeps cells starting with = + - @ as text when edited (quotePrefix).
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell

from services.validator_worker.rows.problems import RejectedRow
from shared.errors import Reason

SHEET_TITLE = "Failed rows"
ROW_HEADER = "Row"
REASON_HEADER = "Reason"
MAX_CELL_CHARACTERS = 32_767  # Excel's limit, counted in UTF-16 code units
REASON_SEPARATOR = "\n"

REASON_TITLES: dict[Reason, str] = {
    Reason.NAME_MISSING: "Name missing",
    Reason.PHONE_MISSING: "Phone missing",
    Reason.PHONE_INVALID: "Phone invalid",
    Reason.EMAIL_INVALID: "E-mail invalid",
    Reason.TOO_MANY_VALUES: "Too many values",
    Reason.VALUE_TOO_LONG: "Value too long",
    Reason.AMBIGUOUS_MATCH: "Matches several contacts",
}

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# XML 1.0 also forbids U+FFFE and U+FFFF, which openpyxl's pattern lets through.
_NON_CHARACTERS_RE = re.compile("[\ufffe\uffff]")
# OOXML reads "_xHHHH_" in a string as an escaped character: escape the "_" of a literal
# one, and write CR that way (an XML parser would turn a raw CR into LF).
_OOXML_ESCAPE_RE = re.compile("_(?=x[0-9A-Fa-f]{4}_)")


def text_for_cell(value: str) -> str:
    """A value as the workbook can hold it: forbidden characters removed, cut at the limit."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    value = _NON_CHARACTERS_RE.sub("", value)
    if len(value) > MAX_CELL_CHARACTERS // 2:
        encoded = value.encode("utf-16-le", "surrogatepass")
        if len(encoded) > MAX_CELL_CHARACTERS * 2:
            # Never split an emoji's surrogate pair: a half pair is dropped.
            value = encoded[: MAX_CELL_CHARACTERS * 2].decode("utf-16-le", "ignore")
    return value


def _ooxml_escaped(value: str) -> str:
    if "_x" in value:
        value = _OOXML_ESCAPE_RE.sub("_x005F_", value)
    if "\r" in value:
        value = value.replace("\r", "_x000D_")
    return value


def _is_extra_pair(headers: list[str]) -> bool:
    """A re-uploaded failure workbook already ends in "Row" and "Reason"."""
    return len(headers) >= 2 and [h.strip().casefold() for h in headers[-2:]] == [
        ROW_HEADER.casefold(),
        REASON_HEADER.casefold(),
    ]


def reasons_text(rejected: RejectedRow) -> str:
    """Every problem of a row, one per line: "Phone invalid: Column "Tel": ..."."""
    return REASON_SEPARATOR.join(
        f"{REASON_TITLES.get(p.reason, p.reason.replace('_', ' ').capitalize())}: {p.message}"
        for p in rejected.problems
    )


def write_failure_workbook(headers: list[str], rejected: Iterable[RejectedRow]) -> bytes:
    """The XLSX bytes of the failure workbook (one sheet, "Failed rows")."""
    keep = len(headers) - 2 if _is_extra_pair(headers) else len(headers)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)

    def text_cell(value: str) -> WriteOnlyCell:
        value = text_for_cell(value)
        cell = WriteOnlyCell(sheet, value=_ooxml_escaped(value))
        cell.data_type = "s"  # never a formula, never a number: an inline string
        if value.startswith(_FORMULA_STARTS):
            cell.quotePrefix = True
        return cell

    sheet.append([text_cell(h) for h in [*headers[:keep], ROW_HEADER, REASON_HEADER]])
    for row in rejected:
        values = [*row.values[:keep], *[""] * (keep - len(row.values))]
        sheet.append(
            [text_cell(v) for v in values]
            + [text_cell(str(row.source_row)), text_cell(reasons_text(row))]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def timed_workbook(headers: list[str], rejected: list[RejectedRow]) -> tuple[bytes, float]:
    """The workbook and the seconds it took to write (in a check process: its own clock)."""
    started = time.perf_counter()
    return write_failure_workbook(headers, rejected), time.perf_counter() - started
