"""The failure workbook: text cells only, values round-trip, reasons readable."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest
from openpyxl.utils.escape import unescape
from python_calamine import CalamineWorkbook

from shared.errors import Reason
from shared.failure_workbook import (
    MAX_CELL_CHARACTERS,
    SHEET_TITLE,
    write_failure_workbook,
)
from shared.i18n.text import verbatim
from shared.rejected_rows import RejectedRow, RowProblem

PROBLEMS = [
    RowProblem(Reason.PHONE_INVALID, verbatim('Column "Tel": "12ab" is not a valid phone number.')),
    RowProblem(Reason.NAME_MISSING, verbatim('No name: Column "Naam" empty.')),
]


def rows_of(data: bytes) -> list[list[str]]:
    """Cell values as openpyxl reads them, with OOXML's _xHHHH_ escapes decoded as Excel does."""
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [[unescape(c.value) if c.value else "" for c in row] for row in sheet.iter_rows()]


def sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def one_value(value: str) -> bytes:
    return write_failure_workbook(["Value"], [RejectedRow(7, [value], PROBLEMS)])


@pytest.mark.parametrize(
    "value",
    [
        pytest.param('=HYPERLINK("http://evil.example","Click")', id="formula"),
        pytest.param("=1+1", id="formula-sum"),
        pytest.param("+31 6 12345678", id="plus"),
        pytest.param("-5", id="minus"),
        pytest.param("@SUM(A1)", id="at"),
        pytest.param("\t=1+1", id="leading-tab"),
        pytest.param("\r=1+1", id="leading-cr"),
        pytest.param("a\r\nb\nc", id="crlf"),
        pytest.param("  spaces kept  ", id="spaces"),
        pytest.param("Zoë 😀 O'Brien שלום", id="emoji-rtl-apostrophe"),
        pytest.param("literal _x0041_ text", id="ooxml-escape-literal"),
        pytest.param("0042", id="leading-zero"),
        pytest.param("1e5", id="number-like"),
        pytest.param("TRUE", id="bool-like"),
        pytest.param("", id="empty"),
    ],
)
def test_values_round_trip_as_text(value: str) -> None:
    data = one_value(value)

    assert rows_of(data)[1][0] == value
    calamine = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    assert calamine.to_python()[1][0] == value
    xml = sheet_xml(data)
    assert "<f>" not in xml
    assert "<f " not in xml
    assert re.findall(r'<c r="[A-Z]+\d+"[^>]*>', xml) == re.findall(
        r'<c r="[A-Z]+\d+"(?: s="\d+")? t="inlineStr"\s*/?>', xml
    )


def test_every_cell_is_an_inline_string() -> None:
    data = one_value("=1+1")

    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.title == str(SHEET_TITLE)
    assert {c.data_type for row in sheet.iter_rows() for c in row} == {"s"}


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        pytest.param("=1+1", True, id="equals"),
        pytest.param("+31", True, id="plus"),
        pytest.param("-5", True, id="minus"),
        pytest.param("@x", True, id="at"),
        pytest.param("Jan", False, id="plain"),
    ],
)
def test_risky_values_get_a_quote_prefix(value: str, quoted: bool) -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(one_value(value))).active

    assert bool(sheet["A2"].quotePrefix) is quoted


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("a\x01b\x08c\x0bd\x1fe", "abcde", id="c0-forbidden"),
        pytest.param("a\ufffeb\uffffc", "abc", id="non-characters"),
        pytest.param("x" * 40_000, "x" * MAX_CELL_CHARACTERS, id="cut-at-limit"),
        pytest.param("😀" * 20_000, "😀" * (MAX_CELL_CHARACTERS // 2), id="cut-whole-emoji"),
    ],
)
def test_values_made_storable(value: str, expected: str) -> None:
    assert rows_of(one_value(value))[1][0] == expected


def test_header_row_and_reasons() -> None:
    data = write_failure_workbook(
        ["Naam", "Tel"], [RejectedRow(7, ["", "12ab"], PROBLEMS), RejectedRow(12, ["Jan"], [])]
    )

    rows = rows_of(data)
    assert rows[0] == ["Naam", "Tel", "Row", "Reason"]
    assert rows[1][:3] == ["", "12ab", "7"]
    assert rows[1][3].split("\n") == [
        'Phone invalid: Column "Tel": "12ab" is not a valid phone number.',
        'Name missing: No name: Column "Naam" empty.',
    ]
    assert rows[2][:3] == ["Jan", "", "12"]


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param(["Row", "Reason"], id="exact"),
        pytest.param([" row", "REASON "], id="folded"),
        pytest.param(["Rij", "Reden"], id="written-in-dutch"),
        pytest.param(["Zeile", "Grund"], id="written-in-german"),
    ],
)
def test_reuploaded_failure_workbook_replaces_row_and_reason(extra: list[str]) -> None:
    data = write_failure_workbook(
        ["Naam", "Tel", *extra],
        [RejectedRow(3, ["Jan", "12ab", "7", "Phone invalid: old"], PROBLEMS)],
    )

    rows = rows_of(data)
    assert rows[0] == ["Naam", "Tel", "Row", "Reason"]
    assert rows[1][:3] == ["Jan", "12ab", "3"]
    assert "old" not in rows[1][3]


def test_no_rejected_rows_gives_header_only() -> None:
    assert rows_of(write_failure_workbook(["Naam"], [])) == [["Naam", "Row", "Reason"]]


def test_the_workbook_is_written_in_the_language_asked_for() -> None:
    rows = rows_of(write_failure_workbook(["Naam"], [RejectedRow(4, ["Jan"], PROBLEMS)], "nl"))
    assert rows[0] == ["Naam", "Rij", "Reden"]
    assert rows[1][2].split("\n")[0].startswith("Ongeldig telefoonnummer: ")
