"""The failure workbook: the rejected rows as uploaded, with their row number and reasons.

Written in one language: its sheet title, its two columns ("Row", "Reason" — "Rij", "Reden"
in Dutch) and every reason. The worker writes it in the import's language when the import
ends; the API writes it again from the stored rows when a download asks for another one.

Every cell is an inline text cell (`shared.text_workbook`), so no value can become a
formula (OWASP's CSV/formula injection); a cell starting with = + - @ gets a quote prefix,
so that Excel keeps it as text when it is edited.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from shared.errors import Reason
from shared.i18n.catalogues import render
from shared.i18n.negotiation import DEFAULT_LANGUAGE, LANGUAGES
from shared.i18n.text import Text, t
from shared.rejected_rows import RejectedRow
from shared.text_workbook import Cell, write_text_workbook

# Translators: the title of the failure workbook's sheet (Excel allows 31 characters).
SHEET_TITLE = t("Failed rows")
# Translators: the failure workbook's column with the row number in the uploaded file.
ROW_HEADER = t("Row")
# Translators: the failure workbook's column with why the row was not imported.
REASON_HEADER = t("Reason")
MAX_CELL_CHARACTERS = 32_767  # Excel's limit, counted in UTF-16 code units
REASON_SEPARATOR = "\n"

# Translators: a failed row's reason title, before its message ("Phone invalid: ...").
REASON_TITLES: dict[Reason, Text] = {
    Reason.NAME_MISSING: t("Name missing"),
    Reason.PHONE_MISSING: t("Phone missing"),
    Reason.PHONE_INVALID: t("Phone invalid"),
    Reason.EMAIL_INVALID: t("E-mail invalid"),
    Reason.TOO_MANY_VALUES: t("Too many values"),
    Reason.VALUE_TOO_LONG: t("Value too long"),
    Reason.AMBIGUOUS_MATCH: t("Matches several contacts"),
}


def extra_column_names() -> tuple[set[str], set[str]]:
    """The "Row" and "Reason" headers in every language, folded: a re-uploaded workbook's."""
    return (
        {render(ROW_HEADER, lang).casefold() for lang in LANGUAGES},
        {render(REASON_HEADER, lang).casefold() for lang in LANGUAGES},
    )


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
    """A re-uploaded failure workbook already ends in "Row" and "Reason" (in any language)."""
    rows, reasons = extra_column_names()
    return (
        len(headers) >= 2
        and headers[-2].strip().casefold() in rows
        and headers[-1].strip().casefold() in reasons
    )


def _title(reason: Reason, language: str) -> str:
    title = REASON_TITLES.get(reason)
    return render(title, language) if title else reason.replace("_", " ").capitalize()


def reasons_text(rejected: RejectedRow, language: str = DEFAULT_LANGUAGE) -> str:
    """Every problem of a row, one per line: "Phone invalid: Column "Tel": ..."."""
    return REASON_SEPARATOR.join(
        f"{_title(p.reason, language)}: {render(p.message, language)}" for p in rejected.problems
    )


def write_failure_workbook(
    headers: list[str], rejected: Iterable[RejectedRow], language: str = DEFAULT_LANGUAGE
) -> bytes:
    """The XLSX bytes of the failure workbook in the language (one sheet, "Failed rows")."""
    keep = len(headers) - 2 if _is_extra_pair(headers) else len(headers)
    extra = [render(ROW_HEADER, language), render(REASON_HEADER, language)]

    def rows() -> Iterator[list[Cell]]:
        yield [_cell(h) for h in [*headers[:keep], *extra]]
        for row in rejected:
            values = [*row.values[:keep], *[""] * (keep - len(row.values))]
            yield [_cell(v) for v in values] + [
                _cell(str(row.source_row)),
                _cell(reasons_text(row, language)),
            ]

    return write_text_workbook(render(SHEET_TITLE, language), rows())


def _cell(value: str) -> Cell:
    value = text_for_cell(value)
    return _ooxml_escaped(value), value.startswith(_FORMULA_STARTS)


def timed_workbook(
    headers: list[str], rejected: list[RejectedRow], language: str
) -> tuple[bytes, float]:
    """The workbook and the seconds it took to write (in a check process: its own clock)."""
    started = time.perf_counter()
    return write_failure_workbook(headers, rejected, language), time.perf_counter() - started
