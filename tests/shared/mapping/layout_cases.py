"""Helpers of the export-layout tests: expected tables, and one fixture checked whole.

Every header of each fixture under tests/fixtures/layouts is either expected with its field,
address part and group, label column and reason, or must stay unmapped: the suggested
mapping must equal the table.
"""

from __future__ import annotations

from pathlib import Path

from shared.mapping.fields import AddressPart, ContactField, MatchReason
from shared.mapping.matcher import suggest_mapping
from shared.spreadsheet import read_sheet

LAYOUTS = Path(__file__).parents[2] / "fixtures" / "layouts"

F = ContactField
P = AddressPart
R = MatchReason
W = P.WHOLE
KL = R.KNOWN_LAYOUT
Expected = dict[str, tuple[ContactField, AddressPart, str, str, MatchReason]]


def one(field: ContactField, reason: MatchReason, *headers: str) -> Expected:
    """Headers that each fill `field` on their own (no group, no label column)."""
    return {h: (field, W, "", "", reason) for h in headers}


def group(name: str, reason: MatchReason, parts: dict[str, AddressPart]) -> Expected:
    """The part columns of one address group."""
    return {h: (F.ADDRESS, part, name, "", reason) for h, part in parts.items()}


def labelled(field: ContactField, pairs: dict[str, str]) -> Expected:
    """Value columns whose kind their label column decides (value header -> label header)."""
    return {v: (field, W, "", label, R.LABEL_COLUMN) for v, label in pairs.items()}


def streets(name: str, first: str, *more: str) -> Expected:
    """A group's street lines: the first one as the layout's, the numbered ones as repeats."""
    return {
        **group(name, R.KNOWN_LAYOUT, {first: P.STREET}),
        **group(name, R.NUMBERED_REPEAT, dict.fromkeys(more, P.STREET)),
    }


def fixture_headers(name: str) -> list[str]:
    """A fixture's header row as the reader gives it."""
    # Outlook's French export names two columns "Titre" (salutation, then job title): the
    # reader reports a repeated header and the upload accepts it, as the mapping leaves it out.
    return read_sheet((LAYOUTS / name).read_bytes()).headers


def check_layout(fixture: str, expected: Expected) -> None:
    """The suggested mapping of a fixture's headers is exactly the expected table."""
    # Given the header row exactly as the tool writes it
    headers = fixture_headers(fixture)
    assert set(expected) <= set(headers), set(expected) - set(headers)

    # When the matcher suggests a mapping
    suggestion = suggest_mapping(headers)

    # Then every mapped header is the expected one, and every other header stays unmapped
    got = {
        c.header: (c.field, c.address_part, c.address_group, c.label_header, c.match_reason)
        for c in suggestion.mapping.columns
    }
    assert got == expected
    assert suggestion.unmapped_headers == [h for h in headers if h not in expected]
