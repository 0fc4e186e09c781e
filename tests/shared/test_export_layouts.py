"""The suggested mapping of each real export layout, header by header (tests/fixtures/layouts).

Every header of each fixture is either expected below with its field, address part and
group, label column and reason, or must stay unmapped: the mapping must equal the table.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.contact_fields import AddressPart, ContactField, MatchReason
from shared.header_matching import suggest_mapping
from shared.spreadsheet import read_sheet

LAYOUTS = Path(__file__).parents[1] / "fixtures" / "layouts"

F = ContactField
P = AddressPart
R = MatchReason
W = P.WHOLE
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


def google_address(n: int) -> Expected:
    a = f"Address {n} - "
    return group(
        f"Address {n}",
        R.KNOWN_LAYOUT,
        {
            a + "Formatted": P.FORMATTED,
            a + "Street": P.STREET,
            a + "City": P.CITY,
            a + "PO Box": P.PO_BOX,
            a + "Region": P.REGION,
            a + "Postal Code": P.POSTAL_CODE,
            a + "Country": P.COUNTRY,
            a + "Extended Address": P.EXTENDED,
        },
    )


def streets(name: str, first: str, *more: str) -> Expected:
    """A group's street lines: the first one as the layout's, the numbered ones as repeats."""
    return {
        **group(name, R.KNOWN_LAYOUT, {first: P.STREET}),
        **group(name, R.NUMBERED_REPEAT, dict.fromkeys(more, P.STREET)),
    }


KL = R.KNOWN_LAYOUT

GOOGLE_CSV: Expected = {
    **one(F.FIRST_NAME, R.EXACT_NAME, "First Name"),
    **one(F.LAST_NAME, R.EXACT_NAME, "Last Name"),
    **one(F.COMPANY, KL, "Organization Name"),
    **one(F.NOTES, R.EXACT_NAME, "Notes"),
    **labelled(F.EMAIL, {f"E-mail {n} - Value": f"E-mail {n} - Label" for n in (1, 2)}),
    **labelled(F.PHONE, {f"Phone {n} - Value": f"Phone {n} - Label" for n in (1, 2, 3)}),
    **google_address(1),
    **google_address(2),
}

GOOGLE_LEGACY: Expected = {
    **one(F.FULL_NAME, KL, "Name"),
    **one(F.FIRST_NAME, R.SYNONYM, "Given Name"),
    **one(F.LAST_NAME, R.SYNONYM, "Family Name"),
    **one(F.NOTES, R.EXACT_NAME, "Notes"),
    **one(F.COMPANY, KL, "Organization 1 - Name"),
    **labelled(F.EMAIL, {f"E-mail {n} - Value": f"E-mail {n} - Type" for n in (1, 2)}),
    **labelled(F.PHONE, {f"Phone {n} - Value": f"Phone {n} - Type" for n in (1, 2)}),
    **google_address(1),
}


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

QUICKBOOKS: Expected = {
    # "Customer" is the display name (often the company): the person's "Full Name" wins.
    **one(F.PHONE, KL, "Phone Numbers"),
    **one(F.EMAIL, R.EXACT_NAME, "Email"),
    **one(F.FULL_NAME, R.EXACT_NAME, "Full Name"),
    **one(F.ADDRESS, KL, "Billing Address"),
}

HUBSPOT: Expected = {
    **one(F.FIRST_NAME, R.EXACT_NAME, "First Name"),
    **one(F.LAST_NAME, R.EXACT_NAME, "Last Name"),
    **one(F.EMAIL, R.EXACT_NAME, "Email"),
    **one(F.PHONE, KL, "Phone Number"),
    **one(F.MOBILE, KL, "Mobile Phone Number"),
    **one(F.COMPANY, KL, "Company Name"),
    **group("Address", KL, {"Street Address": P.STREET, "State/Region": P.REGION}),
    **group("Address", KL, {"Country/Region": P.COUNTRY}),
    **group("Address", R.SYNONYM, {"City": P.CITY, "Postal Code": P.POSTAL_CODE}),
}

SALESFORCE: Expected = {
    **one(F.FIRST_NAME, R.EXACT_NAME, "First Name"),
    **one(F.LAST_NAME, R.EXACT_NAME, "Last Name"),
    **one(F.COMPANY, KL, "Account Name"),
    **group(
        "Mailing",
        KL,
        {
            "Mailing Street": P.STREET,
            "Mailing City": P.CITY,
            "Mailing State/Province": P.REGION,
            "Mailing Zip/Postal Code": P.POSTAL_CODE,
            "Mailing Country": P.COUNTRY,
        },
    ),
    **one(F.PHONE, R.EXACT_NAME, "Phone"),
    **one(F.MOBILE, R.EXACT_NAME, "Mobile"),
    **one(F.EMAIL, R.EXACT_NAME, "Email"),
}


def vcard_group(name: str, suffix: str) -> Expected:
    return group(
        name,
        R.SYNONYM,
        {
            f"PostOfficeBox{suffix}": P.PO_BOX,
            f"ExtendedAddress{suffix}": P.EXTENDED,
            f"Street{suffix}": P.STREET,
            f"City{suffix}": P.CITY,
            f"Region{suffix}": P.REGION,
            f"PostalCode{suffix}": P.POSTAL_CODE,
            f"Country{suffix}": P.COUNTRY,
        },
    )


def vcard_tels(suffix: str, reason: MatchReason) -> Expected:
    # Text: takes text messages (a mobile); Textphone: a TTY line; Fax, Pager: unmapped.
    return {
        **one(F.MOBILE, reason, f"TelText{suffix}", f"TelCell{suffix}"),
        **one(F.PHONE, reason, f"TelVoice{suffix}", f"TelVideo{suffix}", f"TelTextphone{suffix}"),
    }


VCARD: Expected = {
    # BoarderEB/vcf2csv writes the family name as "Name": beside a first name it is the surname.
    **one(F.LAST_NAME, R.SYNONYM, "Name"),
    **one(F.FIRST_NAME, KL, "GivenNames"),
    **one(F.COMPANY, R.SYNONYM, "Organisation"),
    **vcard_group("Address", ""),
    **vcard_group("Business", "Work"),
    **vcard_group("Home", "Home"),
    **one(F.EMAIL, KL, "EmailWork", "EmailHome"),
    **one(F.EMAIL, R.EXACT_NAME, "Email0", "Email1"),
    **one(F.EMAIL, R.NUMBERED_REPEAT, "Email2"),
    **one(F.NOTES, R.SYNONYM, "Note"),
    **vcard_tels("Work", KL),
    **vcard_tels("Home", KL),
    **vcard_tels("0", KL),
    **vcard_tels("1", KL),
    **vcard_tels("2", R.NUMBERED_REPEAT),
    **vcard_tels("3", R.NUMBERED_REPEAT),
}

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

CASES = [
    pytest.param("google_csv.csv", GOOGLE_CSV, id="google-csv"),
    pytest.param("google_legacy.csv", GOOGLE_LEGACY, id="google-legacy"),
    pytest.param("outlook_en.csv", OUTLOOK_EN, id="outlook-en"),
    pytest.param("outlook_de.csv", OUTLOOK_DE, id="outlook-de"),
    pytest.param("outlook_nl.csv", OUTLOOK_NL, id="outlook-nl"),
    pytest.param("outlook_fr.csv", OUTLOOK_FR, id="outlook-fr"),
    pytest.param("quickbooks_customers.csv", QUICKBOOKS, id="quickbooks"),
    pytest.param("hubspot_contacts.csv", HUBSPOT, id="hubspot-csv"),
    pytest.param("hubspot_contacts.xlsx", HUBSPOT, id="hubspot-xlsx"),
    pytest.param("salesforce_contacts.csv", SALESFORCE, id="salesforce"),
    pytest.param("vcard_converter.csv", VCARD, id="vcard-converter"),
    pytest.param("handmade_en.csv", HANDMADE_EN, id="handmade-en"),
    pytest.param("handmade_nl.csv", HANDMADE_NL, id="handmade-nl"),
    pytest.param("handmade_fr.csv", HANDMADE_FR, id="handmade-fr"),
    pytest.param("handmade_de.csv", HANDMADE_DE, id="handmade-de"),
]


def _headers(name: str) -> list[str]:
    # Outlook's French export names two columns "Titre" (salutation, then job title): the
    # reader accepts a repeated header that the suggested mapping leaves out.
    return read_sheet((LAYOUTS / name).read_bytes()).headers


@pytest.mark.parametrize(("fixture", "expected"), CASES)
def test_every_header_of_the_layout_maps_as_a_user_expects(
    fixture: str, expected: Expected
) -> None:
    # Given the header row exactly as the tool writes it
    headers = _headers(fixture)
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


@pytest.mark.parametrize(
    ("fixture", "layout"),
    [
        pytest.param("google_csv.csv", "Google Contacts", id="google-csv"),
        pytest.param("google_legacy.csv", "Google Contacts", id="google-legacy"),
        pytest.param("outlook_en.csv", "Outlook", id="outlook-en"),
        pytest.param("outlook_de.csv", "Outlook", id="outlook-de"),
        pytest.param("outlook_nl.csv", "Outlook", id="outlook-nl"),
        pytest.param("outlook_fr.csv", "Outlook", id="outlook-fr"),
        pytest.param("quickbooks_customers.csv", "QuickBooks Online", id="quickbooks"),
        pytest.param("hubspot_contacts.csv", "HubSpot", id="hubspot"),
        pytest.param("salesforce_contacts.csv", "Salesforce", id="salesforce"),
        pytest.param("vcard_converter.csv", "vCard converter", id="vcard-converter"),
    ],
)
def test_known_layout_columns_name_their_tool(fixture: str, layout: str) -> None:
    suggestion = suggest_mapping(_headers(fixture))
    details = {
        c.match_detail for c in suggestion.mapping.columns if c.match_reason is R.KNOWN_LAYOUT
    }
    assert details == {layout}
