"""Explanations, field names and mapping problems are whole translatable texts.

Rendered in a pseudo-language where every text is x's (tests/shared/spreadsheet/
pseudo_language.py), what is left must be the file's own values (headers, the caller's
group names), tool names and the request's codes: never a word of English.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from shared.errors import FileRejected
from shared.i18n.catalogues import render
from shared.i18n.text import Text
from shared.mapping.explanations import explain_headers, field_display_name
from shared.mapping.fields import AddressPart, ColumnMapping, ContactField, Mapping, MatchReason
from shared.mapping.matcher import Suggestion, suggest_mapping
from shared.mapping.rules import check_mapping
from shared.mapping.vocabulary import DEFAULT_ADDRESS_GROUP, VOCABULARY
from shared.spreadsheet import read_sheet
from tests.shared.spreadsheet.pseudo_language import (
    english_words,
    plain_values,
    use_pseudo_language,
)

LAYOUT_FIXTURES = sorted((Path(__file__).parents[2] / "fixtures" / "layouts").glob("*.csv"))
LAYOUTS = {entry.layout for entry in VOCABULARY if entry.layout}
# The product's own address groups: shown in the reader's language, never as written here.
_OWN_GROUP = re.compile(re.escape(DEFAULT_ADDRESS_GROUP) + r"(?: \d+)?")


def _left_in_english(text: Text, language: str, *values: str) -> list[str]:
    """English words of a text rendered in the pseudo-language, apart from `values`."""
    return english_words(render(text, language), *values, *LAYOUTS)


def _groups(mapping: Mapping) -> list[str]:
    return [c.address_group for c in mapping.columns if not _OWN_GROUP.fullmatch(c.address_group)]


@pytest.mark.parametrize("fixture", LAYOUT_FIXTURES, ids=lambda path: path.stem)
def test_every_explanation_of_a_layout_is_translated(
    monkeypatch: pytest.MonkeyPatch, fixture: Path
) -> None:
    language = use_pseudo_language(monkeypatch)
    try:
        headers = read_sheet(fixture.read_bytes()).headers
    except FileRejected:
        pytest.skip("a report with title rows: refused before matching")
    suggestion = suggest_mapping(headers)
    values = [*headers, *_groups(suggestion.mapping)]
    for match in explain_headers(headers, suggestion):
        assert not _left_in_english(match.explanation, language, *values), match
        if match.field_display_name is not None:
            assert not _left_in_english(match.field_display_name, language, *values), match


@pytest.mark.parametrize("reason", list(MatchReason))
@pytest.mark.parametrize("detail", ["", "nl", "de", "Outlook", "2026-11-30 klanten.csv"])
def test_every_match_reason_is_translated(
    monkeypatch: pytest.MonkeyPatch, reason: MatchReason, detail: str
) -> None:
    language = use_pseudo_language(monkeypatch)
    column = ColumnMapping(
        "Tel 2", ContactField.PHONE, label_header="Soort", match_reason=reason, match_detail=detail
    )
    mapping = Mapping((column,))
    for match in explain_headers(["Tel 2", "Soort", "Extra"], Suggestion(mapping, ["Extra"], ())):
        assert not _left_in_english(
            match.explanation, language, "Tel 2", "Soort", "klanten.csv", detail
        ), str(match.explanation)


@pytest.mark.parametrize("group", ["", DEFAULT_ADDRESS_GROUP, "Address 2", "Address 12"])
@pytest.mark.parametrize("part", list(AddressPart))
def test_the_products_own_address_names_are_translated(
    monkeypatch: pytest.MonkeyPatch, group: str, part: AddressPart
) -> None:
    language = use_pseudo_language(monkeypatch)
    name = field_display_name(ColumnMapping("Adres", ContactField.ADDRESS, part, group))
    assert not _left_in_english(name, language), str(name)


def test_a_callers_group_is_shown_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    language = use_pseudo_language(monkeypatch)
    name = field_display_name(
        ColumnMapping("Plaats", ContactField.ADDRESS, AddressPart.CITY, "Kantoor")
    )
    assert str(name) == "Kantoor address, city"
    assert render(name, language) == "Kantoor xxxxxxx, xxxx"


def test_every_mapping_problem_is_translated(monkeypatch: pytest.MonkeyPatch) -> None:
    language = use_pseudo_language(monkeypatch)
    column = ColumnMapping
    headers = ["A", "B", "Tel", "Tel", "Adres", "Plaats", "Mob", "Soort"]
    mapping = Mapping(
        (
            column("Missing", ContactField.COMPANY),
            column("Tel", ContactField.PHONE),
            column("A", ContactField.COMPANY, AddressPart.CITY, "g", "Soort"),
            column("B", ContactField.COMPANY),
            column("Adres", ContactField.ADDRESS, AddressPart.CITY, "Thuis"),
            column("Plaats", ContactField.ADDRESS, AddressPart.CITY, "Thuis"),
            column("Mob", ContactField.MOBILE, label_header="Nope"),
            column("Soort", ContactField.NOTES),
            column("A", ContactField.ADDRESS, AddressPart.CITY, "x" * 101),
        )
    )
    violations = check_mapping(mapping, headers)
    assert len(violations) >= 10
    for violation in violations:
        # The request's codes (an address part's value) and the caller's values stay.
        values = list(plain_values(violation.description))
        assert not _left_in_english(violation.description, language, *values), str(
            violation.description
        )
    too_many = check_mapping(Mapping((column("A", ContactField.NOTES),) * 1001), headers)
    assert not _left_in_english(too_many[0].description, language)
