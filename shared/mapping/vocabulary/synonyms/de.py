"""German spellings of hand-made sheets, per field."""

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
    *phrases(FIRST, "de", "Vorname", "Vornamen", "Rufname", "Vorname des Kontakts"),
    *phrases(LAST, "de", "Nachname", "Familienname", "Zuname", "Nachname des Kontakts"),
    *phrases(FULL, "de", "Vollständiger Name", "Vor- und Nachname", "Ansprechpartner"),
    *phrases(FULL, "de", "Kontaktperson", "Anzeigename"),
    *phrases(None, "de", "Weitere Vornamen", "Anrede", "Titel", "Spitzname", "Initialen"),
    # Company.
    *phrases(COMPANY, "de", "Firma", "Firmenname", "Unternehmen", "Organisation"),
    # E-mail.
    *phrases(EMAIL, "de", "E-Mail-Adresse", "Mailadresse"),
    # Phone.
    *phrases(PHONE, "de", "Telefon", "Telefonnummer", "Rufnummer", "Festnetz", "Tel.-Nr."),
    # Mobile.
    *phrases(MOBILE, "de", "Handy", "Mobiltelefon", "Handynummer", "Mobilnummer", "Mobil"),
    *phrases(MOBILE, "de", "Mobilfunknummer", "Natel", "Mobil-Tel.-Nr.", "Mobil-Tel."),
    # Numbers that are not phones anywhere.
    *phrases(None, "de", "Faxnummer", "Funkrufempfänger"),
    # Whole addresses.
    *phrases(ADDRESS, "de", "Adresse", "Anschrift", "Postanschrift", "Postadresse"),
    *phrases(ADDRESS, "de", "Rechnungsanschrift", "Rechnungsadresse", group="Billing"),
    *phrases(ADDRESS, "de", "Lieferanschrift", "Lieferadresse", group="Shipping"),
    # Address parts.
    *phrases(ADDRESS, "de", "Straße", "Strasse", "Straße und Hausnummer", part=P.STREET),
    *phrases(ADDRESS, "de", "Adresszeile 1", "Adresszeile 2", part=P.STREET),
    *phrases(ADDRESS, "de", "Hausnummer", "Haus-Nr.", "Hausnr.", part=P.STREET, house_number=True),
    *phrases(ADDRESS, "de", "Adresszusatz", part=P.EXTENDED),
    *phrases(ADDRESS, "de", "Postfach", part=P.PO_BOX),
    *phrases(ADDRESS, "de", "PLZ", "Postleitzahl", part=P.POSTAL_CODE),
    *phrases(ADDRESS, "de", "Ort", "Stadt", "Wohnort", "Ortschaft", part=P.CITY),
    *phrases(ADDRESS, "de", "Bundesland", "Kanton", "Bundesland/Kanton", part=P.REGION),
    *phrases(ADDRESS, "de", "Land/Region", "Nationskennzeichen", part=P.COUNTRY),
    *phrases(ADDRESS, "de", "Länderkennzeichen", "Ländercode", part=P.COUNTRY),
    # Notes.
    *phrases(NOTES, "de", "Notizen", "Notiz", "Bemerkungen", "Bemerkung", "Anmerkungen"),
    *phrases(NOTES, "de", "Kommentar", "Kommentare"),
    # Columns that hold no contact data: they stay unmapped (listed so that a reader sees
    # they are known, and so that no composed spelling ever maps them).
    *phrases(None, "de", "Position", "Beruf", "Abteilung", "Geburtstag", "Geburtsdatum"),
    *phrases(None, "de", "Webseite", "Erstellt", "Geändert", "Besitzer", "Kategorien"),
)
