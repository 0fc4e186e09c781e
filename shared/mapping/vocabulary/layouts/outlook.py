"""Outlook's CSV export (desktop and Outlook.com), in English, German, French and Dutch."""

from __future__ import annotations

from shared.mapping.fields import AddressPart
from shared.mapping.vocabulary.entries import (
    EMAIL,
    MOBILE,
    PHONE,
    VocabularyEntry,
    group_parts,
    phrases,
)

LAYOUT = "Outlook"

P = AddressPart


def _groups(
    language: str, groups: dict[str, str], parts: dict[AddressPart, str]
) -> dict[str, tuple[str, AddressPart]]:
    """Outlook's address columns: every group spelled with every part ("{part}" template)."""
    return {
        template.format(group=spelled): (group, part)
        for group, spelled in groups.items()
        for part, template in parts.items()
    }


_EN_PARTS = {
    P.STREET: "{group} Street",
    P.CITY: "{group} City",
    P.REGION: "{group} State",
    P.POSTAL_CODE: "{group} Postal Code",
    P.COUNTRY: "{group} Country/Region",
    P.PO_BOX: "{group} Address PO Box",
}

_DE = {
    **_groups(
        "de",
        {"Business": "geschäftlich", "Home": "privat"},
        {
            P.STREET: "Straße {group}",
            P.CITY: "Ort {group}",
            P.REGION: "Region {group}",
            P.POSTAL_CODE: "Postleitzahl {group}",
            P.COUNTRY: "Land/Region {group}",
            P.PO_BOX: "Postfach {group}",
        },
    ),
    "Bundesland/Kanton privat": ("Home", P.REGION),
    "Weitere Straße": ("Other", P.STREET),
    "Weiterer Ort": ("Other", P.CITY),
    "Weiteres/r Bundesland/Kanton": ("Other", P.REGION),
    "Weitere Postleitzahl": ("Other", P.POSTAL_CODE),
    "Weiteres/r Land/Region": ("Other", P.COUNTRY),
    "Weiteres/e Land/Region": ("Other", P.COUNTRY),
    "Weiteres Postfach": ("Other", P.PO_BOX),
}

_FR = _groups(
    "fr",
    {"Business": "bureau", "Home": "domicile", "Other": "autre"},
    {
        P.STREET: "Rue ({group})",
        P.CITY: "Ville ({group})",
        P.REGION: "Dép/Région ({group})",
        P.POSTAL_CODE: "Code postal ({group})",
        P.COUNTRY: "Pays/Région ({group})",
    },
) | {
    "B.P. professionnelle": ("Business", P.PO_BOX),
    "Boîte postale du domicile": ("Home", P.PO_BOX),
    "Autre boîte postale": ("Other", P.PO_BOX),
}

_NL = {
    **_groups(
        "nl",
        {"Business": "Werkadres", "Home": "Huisadres", "Other": "Ander adres"},
        {
            P.STREET: "{group}, straat",
            P.CITY: "{group}, plaats",
            P.REGION: "{group}, provincie",
            P.POSTAL_CODE: "{group}, postcode",
            P.PO_BOX: "{group}, postbusnummer",
        },
    ),
    "Werkadres 2, straat": ("Business", P.STREET),
    "Werkadres 3, straat": ("Business", P.STREET),
    "Huisadres, straat 2": ("Home", P.STREET),
    "Huisadres, straat 3": ("Home", P.STREET),
    "Ander adres, straat 2": ("Other", P.STREET),
    "Ander adres, straat 3": ("Other", P.STREET),
    "Land/regio (werk)": ("Business", P.COUNTRY),
    "Land/regio (thuis)": ("Home", P.COUNTRY),
    "Land/regio (anders)": ("Other", P.COUNTRY),
}

ENTRIES: tuple[VocabularyEntry, ...] = (
    # English.
    *phrases(PHONE, "en", "Business Phone", "Business Phone 2", "Home Phone", layout=LAYOUT),
    *phrases(PHONE, "en", "Home Phone 2", "Other Phone", "Primary Phone", layout=LAYOUT),
    *phrases(PHONE, "en", "Company Main Phone", "Car Phone", "Callback", layout=LAYOUT),
    *phrases(PHONE, "en", "Radio Phone", "ISDN", "TTY/TDD Phone", layout=LAYOUT),
    *phrases(MOBILE, "en", "Mobile Phone", "Mobile Phone 2", layout=LAYOUT),
    *phrases(None, "en", "Business Fax", "Home Fax", "Other Fax", layout=LAYOUT),
    *phrases(None, "en", "Assistant's Phone", "Assistant's Name", "Manager's Name", layout=LAYOUT),
    *phrases(EMAIL, "en", "E-mail Address", "E-mail # Address", layout=LAYOUT),
    *phrases(None, "en", "E-mail Type", "E-mail # Type", "E-mail Display Name", layout=LAYOUT),
    *phrases(None, "en", "E-mail # Display Name", "Internet Free Busy", layout=LAYOUT),
    *phrases(None, "en", "Office Location", "Government ID Number", "Account", layout=LAYOUT),
    *phrases(None, "en", "Organizational ID Number", "Referred By", "Keywords", layout=LAYOUT),
    *phrases(None, "en", "Children", "Spouse", "Profession", "Private", "Web Page", layout=LAYOUT),
    *phrases(
        None, "en", "Personal Web Page", "User 1", "User 2", "User 3", "User 4", layout=LAYOUT
    ),
    *phrases(None, "en", "Given Yomi", "Surname Yomi", "Company Yomi", "IMAddress", layout=LAYOUT),
    # A whole address of its group: the formatted address beside a street, else the street.
    *group_parts(
        LAYOUT,
        "en",
        {f"{group} Address": (group, P.WHOLE) for group in ("Business", "Home", "Other")},
    ),
    *group_parts(
        LAYOUT,
        "en",
        {
            **_groups(
                "en",
                {"Business": "Business", "Home": "Home", "Other": "Other"},
                _EN_PARTS,
            ),
            "Business State/Province": ("Business", P.REGION),
            "Home State/Province": ("Home", P.REGION),
        },
    ),
    # German.
    *phrases(PHONE, "de", "Telefon geschäftlich", "Telefon geschäftlich 2", layout=LAYOUT),
    *phrases(PHONE, "de", "Telefon privat", "Telefon privat 2", "Weiteres Telefon", layout=LAYOUT),
    *phrases(
        PHONE, "de", "Haupttelefon", "Telefon Firma", "Autotelefon", "Rückmeldung", layout=LAYOUT
    ),
    *phrases(PHONE, "de", "Telefon für Hörbehinderte", layout=LAYOUT),
    *phrases(MOBILE, "de", "Mobiltelefon 2", layout=LAYOUT),
    *phrases(
        None,
        "de",
        "Fax geschäftlich",
        "Fax privat",
        "Weiteres Fax",
        "Telefon Assistent",
        layout=LAYOUT,
    ),
    *phrases(EMAIL, "de", "E-Mail-Adresse", "E-Mail #: Adresse", layout=LAYOUT),
    *phrases(None, "de", "E-Mail-Typ", "E-Mail #: Typ", "E-Mail: Angezeigter Name", layout=LAYOUT),
    *phrases(None, "de", "E-Mail #: Angezeigter Name", "Name Assistent", layout=LAYOUT),
    # "Ort" and "Büro" alone are Outlook's office location, not a city.
    *phrases(None, "de", "Ort", "Büro", "Beruf", "Abrechnungsinformation", layout=LAYOUT),
    *phrases(None, "de", "Name des/r Vorgesetzten", "Organisationsnr.", layout=LAYOUT),
    *phrases(None, "de", "Regierungsnr.", "Reisekilometer", "Empfohlen von", layout=LAYOUT),
    *phrases(None, "de", "Benutzer #", "Internet Frei/Gebucht", "Jahrestag", layout=LAYOUT),
    *group_parts(LAYOUT, "de", _DE),
    # French.
    *phrases(PHONE, "fr", "Téléphone (bureau)", "Téléphone 2 (bureau)", layout=LAYOUT),
    *phrases(PHONE, "fr", "Téléphone (domicile)", "Téléphone 2 (domicile)", layout=LAYOUT),
    *phrases(PHONE, "fr", "Téléphone principal", "Téléphone société", "Rappel", layout=LAYOUT),
    *phrases(PHONE, "fr", "Téléphone (voiture)", "Téléphone (autre)", "RNIS", layout=LAYOUT),
    *phrases(PHONE, "fr", "Radio téléphone", "Téléphone TDD/TTY", layout=LAYOUT),
    *phrases(MOBILE, "fr", "Tél. mobile", layout=LAYOUT),
    *phrases(
        None,
        "fr",
        "Télécopie (bureau)",
        "Télécopie (domicile)",
        "Télécopie (autre)",
        layout=LAYOUT,
    ),
    *phrases(
        None, "fr", "Récepteur de radiomessagerie", "Téléphone de l'assistant(e)", layout=LAYOUT
    ),
    *phrases(None, "fr", "Type de messagerie", "Type de messagerie #", layout=LAYOUT),
    *phrases(None, "fr", "Nom complet de l'adresse de messagerie", layout=LAYOUT),
    *phrases(None, "fr", "Nom complet de l'adresse de messagerie #", "Emplacement", layout=LAYOUT),
    *phrases(EMAIL, "fr", "Adresse de messagerie", "Adresse de messagerie #", layout=LAYOUT),
    *group_parts(LAYOUT, "fr", _FR),
    # Dutch.
    *phrases(
        PHONE, "nl", "Telefoon op werk", "Telefoon op werk 2", "Telefoon thuis", layout=LAYOUT
    ),
    *phrases(PHONE, "nl", "Telefoon thuis 2", "Andere telefoon", "Hoofdtelefoon", layout=LAYOUT),
    *phrases(PHONE, "nl", "Hoofdtelefoon bedrijf", "Autotelefoon", "Terugbellen", layout=LAYOUT),
    *phrases(PHONE, "nl", "Radiotelefoon", "Teksttelefoon", layout=LAYOUT),
    *phrases(
        None, "nl", "Fax op werk", "Fax thuis", "Andere fax", "Telefoon assistent", layout=LAYOUT
    ),
    *phrases(None, "nl", "E-mailtype", "E-mailtype #", "Weergavenaam voor e-mail", layout=LAYOUT),
    *phrases(None, "nl", "E-mail, weergegeven naam #", "Kantoorlocatie", "Locatie", layout=LAYOUT),
    *group_parts(LAYOUT, "nl", _NL),
)
