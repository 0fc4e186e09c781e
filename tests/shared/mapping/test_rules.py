"""StartImport's mapping checks: one violation per problem, with a field path."""

from __future__ import annotations

from typing import Any

import pytest

from shared.mapping.fields import AddressPart, ColumnMapping, ContactField, Mapping
from shared.mapping.matcher import suggest_mapping
from shared.mapping.rules import MappingProblem, check_mapping, resolve_header

F = ContactField
P = AddressPart
M = MappingProblem

HEADERS = [
    "Voornaam", "Achternaam", "Naam", "Bedrijf", "Telefoon", "Mobiel", "E-mail",
    "Phone 1 - Label", "Phone 1 - Value", "Straat", "Huisnummer", "Postcode", "Plaats",
    "Adres", "Opmerkingen",
]  # fmt: skip
BASE = (
    ColumnMapping("Voornaam", F.FIRST_NAME),
    ColumnMapping("Telefoon", F.PHONE),
)


def _check(*extra: ColumnMapping, base: tuple[ColumnMapping, ...] = BASE) -> list[tuple[str, str]]:
    violations = check_mapping(Mapping(base + extra), HEADERS)
    return [(v.field, v.reason) for v in violations]


def test_a_good_mapping_has_no_violations() -> None:
    assert _check() == []


def test_the_suggested_mapping_of_a_file_passes() -> None:
    assert check_mapping(suggest_mapping(HEADERS).mapping, HEADERS) == []


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        pytest.param([ColumnMapping("Achternaam", F.LAST_NAME)], [], id="fine"),
        pytest.param(
            [ColumnMapping(" achternaam ", F.LAST_NAME)], [], id="header-trimmed-casefolded"
        ),
        pytest.param(
            [ColumnMapping("Surname", F.LAST_NAME)],
            [("mapping.columns[2].header", M.HEADER_NOT_FOUND)],
            id="header-not-in-file",
        ),
        pytest.param(
            [ColumnMapping("TELEFOON", F.MOBILE)],
            [("mapping.columns[2].header", M.HEADER_MAPPED_TWICE)],
            id="header-mapped-twice",
        ),
        pytest.param(
            [ColumnMapping("Achternaam", "")],  # type: ignore[arg-type]  # an unspecified enum
            [("mapping.columns[2].field", M.FIELD_MISSING)],
            id="field-unspecified",
        ),
        pytest.param(
            [ColumnMapping("Naam", F.FIRST_NAME)],
            [("mapping.columns[2].field", M.FIELD_TAKES_ONE_COLUMN)],
            id="single-field-twice",
        ),
        pytest.param(
            [ColumnMapping("Mobiel", F.PHONE), ColumnMapping("E-mail", F.EMAIL)],
            [],
            id="multi-column-field-twice",
        ),
        pytest.param(
            [ColumnMapping("Bedrijf", F.COMPANY, address_part=P.CITY)],
            [("mapping.columns[2].address_part", M.ADDRESS_PART_NOT_ALLOWED)],
            id="part-on-non-address",
        ),
        pytest.param(
            [ColumnMapping("Bedrijf", F.COMPANY, address_group="Home")],
            [("mapping.columns[2].address_group", M.ADDRESS_PART_NOT_ALLOWED)],
            id="group-on-non-address",
        ),
        pytest.param(
            [ColumnMapping("Plaats", F.ADDRESS, address_part="town")],  # type: ignore[arg-type]
            [("mapping.columns[2].address_part", M.ADDRESS_PART_INVALID)],
            id="part-unknown",
        ),
        pytest.param(
            [
                ColumnMapping("Plaats", F.ADDRESS, address_part=P.CITY, address_group="Home"),
                ColumnMapping("Postcode", F.ADDRESS, address_part=P.CITY, address_group="Home"),
            ],
            [("mapping.columns[3].address_part", M.ADDRESS_PART_TWICE)],
            id="part-twice-in-group",
        ),
        pytest.param(
            [
                ColumnMapping("Plaats", F.ADDRESS, address_part=P.CITY, address_group="Home"),
                ColumnMapping("Postcode", F.ADDRESS, address_part=P.CITY, address_group="Work"),
            ],
            [],
            id="same-part-in-two-groups",
        ),
        pytest.param(
            [
                ColumnMapping("Straat", F.ADDRESS, address_part=P.STREET, address_group="Home"),
                ColumnMapping("Huisnummer", F.ADDRESS, address_part=P.STREET, address_group="Home"),
            ],
            [],
            id="street-lines-repeat",
        ),
        pytest.param(
            [ColumnMapping("Adres", F.ADDRESS), ColumnMapping("Plaats", F.ADDRESS)],
            [],
            id="whole-addresses-without-group-repeat",
        ),
        pytest.param(
            [ColumnMapping("Plaats", F.ADDRESS, address_part=P.CITY, address_group="x" * 101)],
            [("mapping.columns[2].address_group", M.ADDRESS_GROUP_TOO_LONG)],
            id="group-too-long",
        ),
        pytest.param(
            [ColumnMapping("Plaats", F.ADDRESS, address_part=P.CITY, address_group="x" * 100)],
            [],
            id="group-at-limit",
        ),
        pytest.param(
            [ColumnMapping("Phone 1 - Value", F.PHONE, label_header="Phone 1 - Label")],
            [],
            id="label-column",
        ),
        pytest.param(
            [ColumnMapping("Opmerkingen", F.NOTES, label_header="Phone 1 - Label")],
            [("mapping.columns[2].label_header", M.LABEL_NOT_ALLOWED)],
            id="label-on-notes",
        ),
        pytest.param(
            [ColumnMapping("Phone 1 - Value", F.PHONE, label_header="Phone 9 - Label")],
            [("mapping.columns[2].label_header", M.LABEL_HEADER_NOT_FOUND)],
            id="label-header-not-in-file",
        ),
        pytest.param(
            [ColumnMapping("Phone 1 - Value", F.PHONE, label_header="telefoon")],
            [("mapping.columns[2].label_header", M.LABEL_HEADER_MAPPED)],
            id="label-header-is-mapped",
        ),
    ],
)
def test_column_rules(extra: list[ColumnMapping], expected: list[tuple[str, str]]) -> None:
    assert _check(*extra) == expected


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        pytest.param(
            (ColumnMapping("Telefoon", F.PHONE),),
            [("mapping.columns", M.NAME_FIELD_MISSING)],
            id="no-name",
        ),
        pytest.param(
            (ColumnMapping("Naam", F.FULL_NAME), ColumnMapping("Mobiel", F.MOBILE)),
            [],
            id="full-name-and-mobile",
        ),
        pytest.param(
            (ColumnMapping("Achternaam", F.LAST_NAME), ColumnMapping("E-mail", F.EMAIL)),
            [("mapping.columns", M.PHONE_FIELD_MISSING)],
            id="no-phone",
        ),
        pytest.param(
            (
                ColumnMapping("Achternaam", F.LAST_NAME),
                ColumnMapping("Phone 1 - Value", F.PHONE, label_header="Phone 1 - Label"),
            ),
            [],
            id="labelled-phone-counts",
        ),
        pytest.param(
            (),
            [("mapping.columns", M.NAME_FIELD_MISSING), ("mapping.columns", M.PHONE_FIELD_MISSING)],
            id="empty",
        ),
    ],
)
def test_required_fields(
    columns: tuple[ColumnMapping, ...], expected: list[tuple[str, str]]
) -> None:
    assert _check(base=columns) == expected


def test_too_many_columns_is_one_violation() -> None:
    columns = BASE + tuple(ColumnMapping(f"c{i}", F.NOTES) for i in range(999))
    violations = check_mapping(Mapping(columns), HEADERS)
    assert [(v.field, v.reason) for v in violations] == [("mapping.columns", M.TOO_MANY_COLUMNS)]
    assert "at most 1,000" in str(violations[0].description)


def test_descriptions_say_what_to_do() -> None:
    violations = check_mapping(Mapping((ColumnMapping("Surname", F.LAST_NAME),)), HEADERS)
    assert [str(v.description) for v in violations] == [
        "The file has no column 'Surname'; use a header exactly as the file's first row has it.",
        "Map a column to phone or mobile: every contact needs a phone number.",
    ]


@pytest.mark.parametrize(
    ("header", "resolved"),
    [
        pytest.param("Voornaam", "Voornaam", id="exact"),
        pytest.param("  VOORNAAM ", "Voornaam", id="trimmed-casefolded"),
        pytest.param("Voornaam 2", None, id="absent"),
        pytest.param("", None, id="empty"),
    ],
)
def test_resolve_header(header: str, resolved: Any) -> None:
    assert resolve_header(header, HEADERS) == resolved


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(["Voornaam", "Telefoon", "City", "Woonplaats", "Plaats"], id="three-cities"),
        pytest.param(["Naam", "GSM", "Adres", "Straat", "Postcode", "Plaats"], id="nl-address"),
        pytest.param(["Name", "Phone", "Address", "Address 2", "Adresse"], id="whole-addresses"),
        pytest.param(
            [
                "Name",
                "Phone 1 - Label",
                "Phone 1 - Value",
                "Address 1 - Formatted",
                "Address 1 - Street",
                "Address 1 - City",
                "Address 2 - City",
            ],
            id="google",
        ),
        pytest.param(
            [
                "First Name",
                "Business Phone",
                "Business Street",
                "Business Street 2",
                "Business City",
                "Home Street",
                "Home City",
                "Other City",
            ],
            id="outlook",
        ),
    ],
)
def test_suggested_mappings_pass_the_checks(headers: list[str]) -> None:
    assert check_mapping(suggest_mapping(headers).mapping, headers) == []


# French Outlook writes "Titre" twice (salutation, then job title); an upload accepts a
# repeated header as long as the suggested mapping leaves it out.
REPEATED = ["Prénom", "Titre", "Téléphone", "Titre", "Mobile"]


@pytest.mark.parametrize(
    ("column", "path"),
    [
        pytest.param(ColumnMapping("Titre", F.NOTES), "mapping.columns[2].header", id="header"),
        pytest.param(
            ColumnMapping(" TITRE", F.NOTES), "mapping.columns[2].header", id="casefolded"
        ),
        pytest.param(
            ColumnMapping("Mobile", F.PHONE, label_header="Titre"),
            "mapping.columns[2].label_header",
            id="label-header",
        ),
    ],
)
def test_a_header_the_file_repeats_cannot_be_mapped(column: ColumnMapping, path: str) -> None:
    # Given a file with two columns under one header
    mapping = Mapping(
        (ColumnMapping("Prénom", F.FIRST_NAME), ColumnMapping("Téléphone", F.PHONE), column)
    )

    # When a mapping names that header
    violations = check_mapping(mapping, REPEATED)

    # Then it is refused as ambiguous, with how to fix it
    assert [(v.field, v.reason) for v in violations] == [(path, M.HEADER_AMBIGUOUS)]
    assert str(violations[0].description) == (
        "The file has 2 columns named 'Titre' (columns 2 and 4), so it is ambiguous which one "
        "to import; rename one of them in the file (for example 'Titre 2') and upload it again."
    )


def test_a_file_with_a_repeated_unmapped_header_keeps_its_suggestion() -> None:
    suggestion = suggest_mapping(REPEATED)

    assert "Titre" not in suggestion.mapping.headers()
    assert check_mapping(suggestion.mapping, REPEATED) == []
