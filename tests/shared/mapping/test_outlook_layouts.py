"""Outlook's CSV export in English, German, Dutch and French, header by header."""

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
    streets,
)


def outlook_en_group(name: str) -> Expected:
    return {
        **streets(name, f"{name} Street", f"{name} Street 2", f"{name} Street 3"),
        **group(
            name,
            KL,
            {
                f"{name} City": P.CITY,
                f"{name} State": P.REGION,
                f"{name} Postal Code": P.POSTAL_CODE,
                f"{name} Country/Region": P.COUNTRY,
                f"{name} Address PO Box": P.PO_BOX,
            },
        ),
    }


OUTLOOK_EN: Expected = {
    **one(F.FIRST_NAME, R.EXACT_NAME, "First Name"),
    **one(F.LAST_NAME, R.EXACT_NAME, "Last Name"),
    **one(F.COMPANY, R.EXACT_NAME, "Company"),
    **one(F.NOTES, R.EXACT_NAME, "Notes"),
    **outlook_en_group("Business"),
    **outlook_en_group("Home"),
    **outlook_en_group("Other"),
    # Fax, pager, telex and the assistant's phone stay unmapped.
    **one(F.PHONE, KL, "Business Phone", "Business Phone 2", "Callback", "Car Phone"),
    **one(F.PHONE, KL, "Company Main Phone", "Home Phone", "Home Phone 2", "ISDN"),
    **one(F.PHONE, KL, "Other Phone", "Primary Phone", "Radio Phone", "TTY/TDD Phone"),
    **one(F.MOBILE, KL, "Mobile Phone"),
    **one(F.EMAIL, KL, "E-mail Address", "E-mail 2 Address", "E-mail 3 Address"),
}


def outlook_de_group(name: str, word: str, region: str) -> Expected:
    return {
        **streets(name, f"Straße {word}", f"Straße {word} 2", f"Straße {word} 3"),
        **group(
            name,
            KL,
            {
                f"Ort {word}": P.CITY,
                region: P.REGION,
                f"Postleitzahl {word}": P.POSTAL_CODE,
                f"Land/Region {word}": P.COUNTRY,
                f"Postfach {word}": P.PO_BOX,
            },
        ),
    }


OUTLOOK_DE: Expected = {
    **one(F.FIRST_NAME, R.SYNONYM, "Vorname"),
    **one(F.LAST_NAME, R.SYNONYM, "Nachname"),
    **one(F.COMPANY, R.SYNONYM, "Firma"),
    **one(F.NOTES, R.SYNONYM, "Notizen"),
    **outlook_de_group("Business", "geschäftlich", "Region geschäftlich"),
    **outlook_de_group("Home", "privat", "Bundesland/Kanton privat"),
    **streets("Other", "Weitere Straße", "Weitere Straße 2", "Weitere Straße 3"),
    **group(
        "Other",
        KL,
        {
            "Weiterer Ort": P.CITY,
            "Weiteres/r Bundesland/Kanton": P.REGION,
            "Weitere Postleitzahl": P.POSTAL_CODE,
            "Weiteres/e Land/Region": P.COUNTRY,
            "Weiteres Postfach": P.PO_BOX,
        },
    ),
    **one(F.PHONE, KL, "Telefon geschäftlich", "Telefon geschäftlich 2", "Rückmeldung"),
    **one(F.PHONE, KL, "Autotelefon", "Telefon Firma", "Telefon privat", "Telefon privat 2"),
    **one(F.PHONE, KL, "ISDN", "Weiteres Telefon", "Haupttelefon", "Telefon für Hörbehinderte"),
    **one(F.MOBILE, R.SYNONYM, "Mobiltelefon"),
    **one(F.MOBILE, KL, "Mobiltelefon 2"),
    **one(F.EMAIL, KL, "E-Mail-Adresse", "E-Mail 2: Adresse", "E-Mail 3: Adresse"),
    # "Ort" alone is the office location, "Büro" the office: both stay unmapped.
}


def outlook_nl_group(name: str, word: str, country: str) -> Expected:
    return group(
        name,
        KL,
        {
            f"{word}, plaats": P.CITY,
            f"{word}, provincie": P.REGION,
            f"{word}, postcode": P.POSTAL_CODE,
            country: P.COUNTRY,
            f"{word}, postbusnummer": P.PO_BOX,
        },
    )


OUTLOOK_NL: Expected = {
    **one(F.FIRST_NAME, R.SYNONYM, "Voornaam"),
    **one(F.LAST_NAME, R.SYNONYM, "Achternaam"),
    **one(F.COMPANY, R.SYNONYM, "Bedrijf"),
    **one(F.NOTES, R.SYNONYM, "Notities"),
    **group(
        "Business",
        KL,
        dict.fromkeys(
            ["Werkadres, straat", "Werkadres 2, straat", "Werkadres 3, straat"], P.STREET
        ),
    ),
    **outlook_nl_group("Business", "Werkadres", "Land/regio (werk)"),
    **group(
        "Home",
        KL,
        dict.fromkeys(
            ["Huisadres, straat", "Huisadres, straat 2", "Huisadres, straat 3"], P.STREET
        ),
    ),
    **outlook_nl_group("Home", "Huisadres", "Land/regio (thuis)"),
    **group(
        "Other",
        KL,
        dict.fromkeys(
            ["Ander adres, straat", "Ander adres, straat 2", "Ander adres, straat 3"], P.STREET
        ),
    ),
    **outlook_nl_group("Other", "Ander adres", "Land/regio (anders)"),
    **one(F.PHONE, KL, "Telefoon op werk", "Telefoon op werk 2", "Terugbellen", "Autotelefoon"),
    **one(F.PHONE, KL, "Hoofdtelefoon bedrijf", "Telefoon thuis", "Telefoon thuis 2", "ISDN"),
    **one(F.PHONE, KL, "Andere telefoon", "Hoofdtelefoon", "Radiotelefoon", "Teksttelefoon"),
    **one(F.MOBILE, R.SYNONYM, "Mobiele telefoon"),
    **one(F.EMAIL, R.SYNONYM, "E-mailadres"),
    **one(F.EMAIL, R.NUMBERED_REPEAT, "E-mailadres 2", "E-mailadres 3"),
}


def outlook_fr_group(name: str, word: str, po_box: str) -> Expected:
    return {
        **group(name, KL, {f"Rue ({word})": P.STREET}),
        **group(
            name, R.NUMBERED_REPEAT, dict.fromkeys([f"Rue ({word}) 2", f"Rue ({word}) 3"], P.STREET)
        ),
        **group(
            name,
            KL,
            {
                f"Ville ({word})": P.CITY,
                f"Dép/Région ({word})": P.REGION,
                f"Code postal ({word})": P.POSTAL_CODE,
                f"Pays/Région ({word})": P.COUNTRY,
                po_box: P.PO_BOX,
            },
        ),
    }


OUTLOOK_FR: Expected = {
    **one(F.FIRST_NAME, R.SYNONYM, "Prénom"),
    **one(F.LAST_NAME, R.SYNONYM, "Nom"),
    **one(F.COMPANY, R.SYNONYM, "Société"),
    **one(F.NOTES, R.EXACT_NAME, "Notes"),
    **outlook_fr_group("Business", "bureau", "B.P. professionnelle"),
    **outlook_fr_group("Home", "domicile", "Boîte postale du domicile"),
    **outlook_fr_group("Other", "autre", "Autre boîte postale"),
    **one(F.PHONE, KL, "Téléphone (bureau)", "Téléphone 2 (bureau)", "Rappel"),
    **one(F.PHONE, KL, "Téléphone (voiture)", "Téléphone société", "Téléphone (domicile)"),
    **one(F.PHONE, KL, "Téléphone 2 (domicile)", "RNIS", "Téléphone (autre)"),
    **one(F.PHONE, KL, "Téléphone principal", "Radio téléphone", "Téléphone TDD/TTY"),
    **one(F.MOBILE, KL, "Tél. mobile"),
    **one(F.EMAIL, KL, "Adresse de messagerie", "Adresse de messagerie 2"),
    **one(F.EMAIL, KL, "Adresse de messagerie 3"),
}


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        pytest.param("outlook_en.csv", OUTLOOK_EN, id="outlook-en"),
        pytest.param("outlook_de.csv", OUTLOOK_DE, id="outlook-de"),
        pytest.param("outlook_nl.csv", OUTLOOK_NL, id="outlook-nl"),
        pytest.param("outlook_fr.csv", OUTLOOK_FR, id="outlook-fr"),
    ],
)
def test_every_header_of_the_outlook_export_maps_as_a_user_expects(
    fixture: str, expected: Expected
) -> None:
    check_layout(fixture, expected)
