"""The address groups that a file's address columns form, and the part each column is."""

from __future__ import annotations

import pytest

from shared.mapping.fields import AddressPart, ContactField
from shared.mapping.matcher import suggest_mapping

P = AddressPart


def _addresses(headers: list[str]) -> list[tuple[str, AddressPart, str]]:
    columns = suggest_mapping(headers).mapping.columns
    return [
        (c.header, c.address_part, c.address_group)
        for c in columns
        if c.field is ContactField.ADDRESS
    ]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        pytest.param(
            ["Street", "Postcode", "City", "Country"],
            [
                ("Street", P.STREET, "Address"),
                ("Postcode", P.POSTAL_CODE, "Address"),
                ("City", P.CITY, "Address"),
                ("Country", P.COUNTRY, "Address"),
            ],
            id="parts-form-one-group",
        ),
        pytest.param(
            ["Straße", "PLZ", "Ort", "Land", "Bundesland"],
            [
                ("Straße", P.STREET, "Address"),
                ("PLZ", P.POSTAL_CODE, "Address"),
                ("Ort", P.CITY, "Address"),
                ("Land", P.COUNTRY, "Address"),
                ("Bundesland", P.REGION, "Address"),
            ],
            id="de-parts",
        ),
        pytest.param(
            ["Rue", "Code postal", "Ville", "Pays"],
            [
                ("Rue", P.STREET, "Address"),
                ("Code postal", P.POSTAL_CODE, "Address"),
                ("Ville", P.CITY, "Address"),
                ("Pays", P.COUNTRY, "Address"),
            ],
            id="fr-parts",
        ),
        pytest.param(
            ["Adres", "Postcode", "Woonplaats"],
            [
                ("Adres", P.STREET, "Address"),
                ("Postcode", P.POSTAL_CODE, "Address"),
                ("Woonplaats", P.CITY, "Address"),
            ],
            id="nl-address-beside-parts-is-the-street",
        ),
        pytest.param(["Adres"], [("Adres", P.WHOLE, "")], id="nl-whole"),
        pytest.param(["Adresse"], [("Adresse", P.WHOLE, "")], id="fr-de-whole"),
        pytest.param(["Anschrift"], [("Anschrift", P.WHOLE, "")], id="de-whole"),
        pytest.param(
            ["Address", "Address 2"],
            [("Address", P.WHOLE, ""), ("Address 2", P.WHOLE, "")],
            id="numbered-whole-addresses",
        ),
        pytest.param(
            ["Street", "City", "Street 2", "City 2"],
            [
                ("Street", P.STREET, "Address"),
                ("City", P.CITY, "Address"),
                ("Street 2", P.STREET, "Address 2"),
                ("City 2", P.CITY, "Address 2"),
            ],
            id="numbered-groups",
        ),
        pytest.param(
            ["Address line 1", "Address line 2", "Zip", "Town"],
            [
                ("Address line 1", P.STREET, "Address"),
                ("Address line 2", P.STREET, "Address"),
                ("Zip", P.POSTAL_CODE, "Address"),
                ("Town", P.CITY, "Address"),
            ],
            id="street-lines",
        ),
        pytest.param(
            ["Straat (thuis)", "Plaats (thuis)", "Straat (werk)", "Plaats (werk)"],
            [
                ("Straat (thuis)", P.STREET, "Home"),
                ("Plaats (thuis)", P.CITY, "Home"),
                ("Straat (werk)", P.STREET, "Business"),
                ("Plaats (werk)", P.CITY, "Business"),
            ],
            id="qualifier-names-the-group",
        ),
        pytest.param(
            ["Street (Warehouse)", "City (Warehouse)"],
            [
                ("Street (Warehouse)", P.STREET, "Warehouse"),
                ("City (Warehouse)", P.CITY, "Warehouse"),
            ],
            id="unknown-qualifier-is-the-group-as-written",
        ),
        pytest.param(
            ["Shipping City", "Shipping Zip"],
            [("Shipping City", P.CITY, "Shipping"), ("Shipping Zip", P.POSTAL_CODE, "Shipping")],
            id="group-word-parts",
        ),
        pytest.param(
            ["Adres", "Huisnummer", "Postcode", "Plaats"],
            [
                ("Adres", P.STREET, "Address"),
                ("Huisnummer", P.STREET, "Address"),
                ("Postcode", P.POSTAL_CODE, "Address"),
                ("Plaats", P.CITY, "Address"),
            ],
            id="house-number-makes-no-formatted-address",
        ),
        pytest.param(
            ["Address", "Address 2", "City", "State"],
            [
                ("Address", P.STREET, "Address"),
                ("Address 2", P.STREET, "Address"),
                ("City", P.CITY, "Address"),
                ("State", P.REGION, "Address"),
            ],
            id="numbered-address-is-a-street-line",
        ),
        pytest.param(
            ["address", "address_zip", "address_city"],
            [
                ("address", P.STREET, "Address"),
                ("address_zip", P.POSTAL_CODE, "Address"),
                ("address_city", P.CITY, "Address"),
            ],
            id="snake-case-parts",
        ),
        pytest.param(
            ["County", "State", "Zip"],
            [("State", P.REGION, "Address"), ("Zip", P.POSTAL_CODE, "Address")],
            id="us-state-beats-county",
        ),
        pytest.param(
            ["County", "Postcode"],
            [("County", P.REGION, "Address"), ("Postcode", P.POSTAL_CODE, "Address")],
            id="uk-county-alone",
        ),
        pytest.param(
            ["Rechnungsanschrift (Straße)", "Rechnungsanschrift (PLZ)", "Lieferanschrift"],
            [
                ("Rechnungsanschrift (Straße)", P.STREET, "Billing"),
                ("Rechnungsanschrift (PLZ)", P.POSTAL_CODE, "Billing"),
                ("Lieferanschrift", P.WHOLE, ""),
            ],
            id="part-in-brackets-of-a-group-address",
        ),
        pytest.param(
            ["Home Address", "Home Street", "Home City", "Business Phone"],
            [
                ("Home Address", P.FORMATTED, "Home"),
                ("Home Street", P.STREET, "Home"),
                ("Home City", P.CITY, "Home"),
            ],
            id="outlook-home-address-beside-its-street",
        ),
        pytest.param(
            ["Home Address", "Home City", "Home ZipCode", "Home Phone", "Work Phone"],
            [
                ("Home Address", P.STREET, "Home"),
                ("Home City", P.CITY, "Home"),
                ("Home ZipCode", P.POSTAL_CODE, "Home"),
            ],
            id="thunderbird-home-address-is-its-street",
        ),
    ],
)
def test_address_groups(headers: list[str], expected: list[tuple[str, AddressPart, str]]) -> None:
    assert _addresses(headers) == expected


def test_salesforce_mailing_address_is_one_group() -> None:
    headers = ["Mailing Street", "Mailing City", "Mailing State/Province",
               "Mailing Zip/Postal Code", "Mailing Country"]  # fmt: skip
    assert {group for _, _, group in _addresses(headers)} == {"Mailing"}
    assert [part for _, part, _ in _addresses(headers)] == [
        P.STREET, P.CITY, P.REGION, P.POSTAL_CODE, P.COUNTRY
    ]  # fmt: skip
