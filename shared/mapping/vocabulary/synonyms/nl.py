"""Dutch spellings of hand-made sheets, per field."""

from __future__ import annotations

from shared.mapping.fields import AddressPart as P
from shared.mapping.vocabulary.entries import (
    ADDRESS,
    COMPANY,
    EMAIL,
    FIRST,
    FULL,
    LAST,
    MOBILE,
    NOTES,
    PHONE,
    VocabularyEntry,
    phrases,
)

ENTRIES: tuple[VocabularyEntry, ...] = (
    # Names.
    *phrases(FIRST, "nl", "Voornaam", "Voornamen", "Roepnaam"),
    *phrases(FIRST, "nl", "Voorletters", fallback=True),
    *phrases(LAST, "nl", "Achternaam", "Familienaam", "Geslachtsnaam"),
    *phrases(FULL, "nl", "Volledige naam", "Volle naam", "Voor- en achternaam"),
    *phrases(FULL, "nl", "Contactpersoon", "Klantnaam", "Naam klant", "Persoon"),
    *phrases(FULL, "nl", "Klant", fallback=True),
    VocabularyEntry(phrase="Naam", field=FULL, language="nl", with_first_name=LAST),
    # The Dutch surname infix ("van", "de") has no field of its own and the last name
    # takes one column: it stays unmapped rather than be guessed into another field.
    *phrases(None, "nl", "Tussenvoegsel", "Tussenvoegsels", "Voorvoegsel"),
    *phrases(None, "nl", "Middelste naam", "Aanhef", "Titel", "Achtervoegsel", "Bijnaam"),
    # Company.
    *phrases(COMPANY, "nl", "Bedrijf", "Bedrijfsnaam", "Organisatie", "Firma", "Werkgever"),
    *phrases(COMPANY, "nl", "Naam bedrijf"),
    # E-mail.
    *phrases(EMAIL, "nl", "E-mailadres", "Mailadres", "E-mailadressen"),
    # Phone.
    *phrases(PHONE, "nl", "Telefoon", "Telefoonnummer", "Telefoonnr", "Tel. nr.", "Telnr"),
    *phrases(PHONE, "nl", "Vaste telefoon", "Vast nummer", "Telefoonnummers"),
    # Mobile.
    *phrases(MOBILE, "nl", "Mobiel", "Mobiel nummer", "Mobiele nummer", "Mobielnummer"),
    *phrases(MOBILE, "nl", "Mobiele telefoon", "Mobiele telefoonnummer", "GSM"),
    *phrases(MOBILE, "nl", "GSM-nummer", "06-nummer", "Mobiel telefoonnummer"),
    *phrases(MOBILE, "nl", "Telefoonnummer mobiel", "Telefoon mobiel"),
    # Numbers that are not phones anywhere.
    *phrases(None, "nl", "Faxnummer", "Semafoon", "Pieper"),
    # Whole addresses.
    *phrases(ADDRESS, "nl", "Adres", "Postadres", "Woonadres", "Bezoekadres"),
    *phrases(ADDRESS, "nl", "Factuuradres", "Afleveradres"),
    # Address parts.
    *phrases(ADDRESS, "nl", "Straat", "Straatnaam", "Straat en huisnummer", part=P.STREET),
    *phrases(ADDRESS, "nl", "Adresregel 1", "Adresregel 2", part=P.STREET),
    *phrases(
        ADDRESS,
        "nl",
        "Huisnummer",
        "Huisnr",
        "Toevoeging",
        "Huisnummer toevoeging",
        part=P.STREET,
        house_number=True,
    ),
    *phrases(ADDRESS, "nl", "Postbus", part=P.PO_BOX),
    *phrases(ADDRESS, "nl", "Postcode", part=P.POSTAL_CODE),
    *phrases(ADDRESS, "nl", "Plaats", "Woonplaats", "Stad", "Plaatsnaam", part=P.CITY),
    *phrases(ADDRESS, "nl", "Vestigingsplaats", "Gemeente", part=P.CITY),
    *phrases(ADDRESS, "nl", "Provincie", "Regio", part=P.REGION),
    *phrases(ADDRESS, "nl", "Land", "Land/regio", "Landcode", part=P.COUNTRY),
    # Notes.
    *phrases(NOTES, "nl", "Opmerkingen", "Opmerking", "Notities", "Notitie", "Toelichting"),
    # Columns that hold no contact data: they stay unmapped (listed so that a reader sees
    # they are known, and so that no composed spelling ever maps them).
    *phrases(None, "nl", "Functie", "Afdeling", "Geboortedatum", "Verjaardag", "Saldo"),
    *phrases(None, "nl", "Aangemaakt", "Gewijzigd", "Eigenaar", "Klantnummer", "Geslacht"),
)
