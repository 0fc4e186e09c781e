"""Hand-made sheets in English, Dutch, French and German, header by header."""

from __future__ import annotations

import pytest

from tests.shared.mapping.layout_cases import (
    KL,
    Expected,
    F,
    P,
    R,
    check_layout,
    group,
    one,
)

HANDMADE_EN: Expected = {
    # The reader trims the header's stray spaces (" Full Name ").
    **one(F.FULL_NAME, R.EXACT_NAME, "Full Name"),
    **one(F.COMPANY, R.EXACT_NAME, "Company"),
    **one(F.MOBILE, R.SYNONYM, "Mobile\nnumber"),
    **one(F.PHONE, R.EXACT_NAME, "Phone (work)"),
    **one(F.EMAIL, R.EXACT_NAME, "E-mail (personal)"),
    **group(
        "Address", R.SYNONYM, {"Street Address": P.STREET, "City": P.CITY, "Zip": P.POSTAL_CODE}
    ),
    **one(F.NOTES, R.EXACT_NAME, "Notes"),
}

HANDMADE_NL: Expected = {
    **one(F.FIRST_NAME, R.SYNONYM, "Voornaam"),
    **one(F.LAST_NAME, R.SYNONYM, "Achternaam"),
    **one(F.COMPANY, R.SYNONYM, "Bedrijfsnaam"),
    **one(F.PHONE, R.SYNONYM, "Telefoon (werk)"),
    **one(F.MOBILE, R.SYNONYM, "Mobiel\nnummer"),
    **one(F.EMAIL, R.EXACT_NAME, "E-mail (privé)"),
    # "Adres" beside a postcode and a city is their street line.
    **group("Address", R.SYNONYM, {"Adres": P.STREET, "Postcode": P.POSTAL_CODE}),
    **group("Address", R.SYNONYM, {"Woonplaats": P.CITY}),
    **one(F.NOTES, R.SYNONYM, "Opmerkingen"),
}

HANDMADE_FR: Expected = {
    **one(F.LAST_NAME, R.SYNONYM, "Nom"),
    **one(F.FIRST_NAME, R.SYNONYM, "Prénom"),
    **one(F.COMPANY, R.SYNONYM, "Société"),
    **one(F.PHONE, R.SYNONYM, "Téléphone (fixe)"),
    **one(F.MOBILE, R.SYNONYM, "Portable"),
    **one(F.EMAIL, R.SYNONYM, "Courriel"),
    **group(
        "Address", R.SYNONYM, {"Adresse": P.STREET, "Code postal": P.POSTAL_CODE, "Ville": P.CITY}
    ),
    **one(F.NOTES, R.SYNONYM, "Remarques"),
}

HANDMADE_DE: Expected = {
    **one(F.FIRST_NAME, R.SYNONYM, "Vorname"),
    # "Vorname | Name": beside a first name, "Name" is the surname.
    **one(F.LAST_NAME, R.SYNONYM, "Name"),
    **one(F.COMPANY, R.SYNONYM, "Firma"),
    **one(F.PHONE, KL, "Telefon (geschäftlich)"),
    **one(F.MOBILE, R.SYNONYM, "Handy"),
    **one(F.EMAIL, R.EXACT_NAME, "E-Mail (privat)"),
    # Here "Ort" is the city: one Outlook spelling does not make the sheet an Outlook export.
    **group("Address", R.SYNONYM, {"Straße": P.STREET, "PLZ": P.POSTAL_CODE, "Ort": P.CITY}),
    **one(F.NOTES, R.SYNONYM, "Bemerkungen"),
}


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        pytest.param("handmade_en.csv", HANDMADE_EN, id="handmade-en"),
        pytest.param("handmade_nl.csv", HANDMADE_NL, id="handmade-nl"),
        pytest.param("handmade_fr.csv", HANDMADE_FR, id="handmade-fr"),
        pytest.param("handmade_de.csv", HANDMADE_DE, id="handmade-de"),
    ],
)
def test_every_header_of_the_sheet_maps_as_a_user_expects(fixture: str, expected: Expected) -> None:
    check_layout(fixture, expected)
