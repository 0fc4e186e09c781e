"""`--map FIELD=HEADER`: parsing it, and applying it to the suggested mapping."""

from __future__ import annotations

import argparse

import pytest

from services.cli import render
from services.cli.mapping_overrides import MapOverride, apply_overrides, parse_override
from shared.gen.contactimport.v1 import import_service_pb2 as pb
from shared.mapping.fields import ContactField
from tests.cli.canned import SUGGESTED, field_pairs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("phone=Tel", MapOverride(ContactField.PHONE, "Tel"), id="plain"),
        pytest.param(" Mobile = GSM ", MapOverride(ContactField.MOBILE, "GSM"), id="trimmed-case"),
        pytest.param("notes=", MapOverride(ContactField.NOTES, ""), id="empty-removes"),
        pytest.param("email=a=b", MapOverride(ContactField.EMAIL, "a=b"), id="equals-in-header"),
        pytest.param("full_name=Naam", MapOverride(ContactField.FULL_NAME, "Naam"), id="full-name"),
    ],
)
def test_parse_override(text: str, expected: MapOverride) -> None:
    assert parse_override(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("phone", id="no-equals"),
        pytest.param("fax=Fax", id="unknown-field"),
        pytest.param("=Tel", id="no-field"),
    ],
)
def test_parse_override_refuses(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        parse_override(text)


BASE = [
    ("Voornaam", "first_name"),
    ("Achternaam", "last_name"),
    ("Telefoon", "phone"),
    ("E-mail", "email"),
    ("Straat", "address"),
]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        pytest.param([], BASE, id="none"),
        pytest.param(
            ["first_name=Naam"],
            [p for p in BASE if p[1] != "first_name"] + [("Naam", "first_name")],
            id="single-valued-replaces",
        ),
        pytest.param(["phone=Werk"], [*BASE, ("Werk", "phone")], id="multi-valued-adds"),
        pytest.param(
            ["mobile=Telefoon"],
            [p for p in BASE if p[0] != "Telefoon"] + [("Telefoon", "mobile")],
            id="header-moves-to-new-field",
        ),
        pytest.param(
            ["mobile= telefoon "],
            [p for p in BASE if p[0] != "Telefoon"] + [("telefoon", "mobile")],
            id="header-compared-case-insensitively",
        ),
        pytest.param(["email="], [p for p in BASE if p[1] != "email"], id="empty-removes-field"),
        pytest.param(["company="], BASE, id="removing-absent-field-is-harmless"),
        pytest.param(
            ["phone=", "phone=Mobiel"],
            [p for p in BASE if p[1] != "phone"] + [("Mobiel", "phone")],
            id="applied-in-order",
        ),
        pytest.param(
            ["phone=Werk", "phone=Werk"], [*BASE, ("Werk", "phone")], id="same-column-once"
        ),
    ],
)
def test_apply_overrides(overrides: list[str], expected: list[tuple[str, str]]) -> None:
    mapping = apply_overrides(SUGGESTED, [parse_override(o) for o in overrides])
    assert field_pairs(mapping) == expected


def test_apply_overrides_keeps_untouched_columns_whole_and_the_suggestion_as_it_was() -> None:
    mapping = apply_overrides(SUGGESTED, [parse_override("first_name=Naam")])
    street = mapping.columns[3]
    assert (street.address_part, street.address_group) == (pb.ADDRESS_PART_STREET, "Home")
    assert mapping.columns[0].match_reason == pb.MATCH_REASON_SYNONYM
    assert mapping.columns[-1].match_reason == pb.MATCH_REASON_UNSPECIFIED
    assert render.match_text(mapping.columns[-1]) == "set by --map"
    assert field_pairs(SUGGESTED) == BASE  # the suggestion itself is untouched
