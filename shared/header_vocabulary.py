"""What header spellings mean: the matcher's knowledge of columns, kept as data.

Each `VocabularyEntry` says that a header spelled like `phrase` fills `field` (or, with
`field=None`, is a known column that holds no contact data and stays unmapped). Phrases are
written as users and tools write them; the matcher folds case, accents, spaces, line breaks
and punctuation before comparing, and handles numbered repeats ("E-mail 2"), qualifiers in
parentheses or after a slash, and group words ("Business", "privat", "(thuis)") generically.
A `#` in a phrase stands for a number ("Phone # - Value"), which the matcher captures.

Adding a tool's export layout is a data change: add its entries with `layout` set to the
tool's name, and a fixture with its headers under tests/.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.contact_fields import AddressPart, ContactField

FIRST = ContactField.FIRST_NAME
LAST = ContactField.LAST_NAME
FULL = ContactField.FULL_NAME
COMPANY = ContactField.COMPANY
EMAIL = ContactField.EMAIL
PHONE = ContactField.PHONE
MOBILE = ContactField.MOBILE
ADDRESS = ContactField.ADDRESS
NOTES = ContactField.NOTES

GOOGLE = "Google Contacts"
OUTLOOK = "Outlook"
QUICKBOOKS = "QuickBooks Online"
HUBSPOT = "HubSpot"
SALESFORCE = "Salesforce"
VCARD = "vCard converter"
THUNDERBIRD = "Thunderbird"
ATMAIL = "Atmail"
FAILURE_WORKBOOK = "failure workbook"

DEFAULT_ADDRESS_GROUP = "Address"
"""The group of address parts that carry no group word ("Street", "Postcode", "City")."""


@dataclass(frozen=True, kw_only=True)
class VocabularyEntry:
    """One header spelling and what a column under it holds."""

    phrase: str
    field: ContactField | None
    """None: a known column with no importable contact data (fax, id, job title)."""
    part: AddressPart = AddressPart.WHOLE
    group: str = ""
    """The address group of a part column ("Business"); `#` takes the phrase's number."""
    language: str = ""
    layout: str = ""
    """The tool whose export writes this header; "" for a generic synonym."""
    labels: tuple[str, ...] = ()
    """Phrases of a label column beside this value column ("Phone # - Label")."""
    fallback: bool = False
    """Take the field only when no other header in the file claims it."""
    with_first_name: ContactField | None = None
    """The field meant when the file has a first-name column but no last-name column
    (German and Dutch sheets write "Vorname | Name": there "Name" is the surname)."""
    house_number: bool = False
    """A street part with only the house number ("Huisnummer"): beside it a plain address
    column is the street name ("Adres | Huisnummer"), not the formatted address."""


@dataclass(frozen=True)
class GroupWord:
    """A word before or after a phrase that names an address group or a number's place."""

    phrase: str
    group: str
    language: str


@dataclass(frozen=True)
class LabelWord:
    """A word in a phone label or qualifier that decides the number's kind.

    `field` MOBILE makes a mobile; None means not a phone at all (fax, pager, telex).
    """

    phrase: str
    field: ContactField | None


def _words(
    field: ContactField | None,
    language: str,
    *phrases: str,
    part: AddressPart = AddressPart.WHOLE,
    layout: str = "",
    group: str = "",
    fallback: bool = False,
    house_number: bool = False,
) -> tuple[VocabularyEntry, ...]:
    return tuple(
        VocabularyEntry(
            phrase=p,
            field=field,
            part=part,
            group=group,
            language=language,
            layout=layout,
            fallback=fallback,
            house_number=house_number,
        )
        for p in phrases
    )


_P = AddressPart

# Hand-made sheets: synonyms per field and language.
SYNONYMS: tuple[VocabularyEntry, ...] = (
    # Names.
    *_words(FIRST, "en", "First name", "Firstname", "Given name", "Given names", "Forename"),
    *_words(FIRST, "nl", "Voornaam", "Voornamen", "Roepnaam"),
    *_words(FIRST, "fr", "Prénom", "Prénoms"),
    *_words(FIRST, "de", "Vorname", "Vornamen", "Rufname", "Vorname des Kontakts"),
    *_words(FIRST, "nl", "Voorletters", fallback=True),
    *_words(LAST, "en", "Last name", "Lastname", "Surname", "Family name"),
    *_words(LAST, "nl", "Achternaam", "Familienaam", "Geslachtsnaam"),
    *_words(LAST, "fr", "Nom de famille"),
    *_words(LAST, "de", "Nachname", "Familienname", "Zuname", "Nachname des Kontakts"),
    *_words(FULL, "en", "Full name", "Display name", "Contact name", "Contact person"),
    *_words(FULL, "en", "Customer name", "Client name", "Formatted name"),
    *_words(FULL, "nl", "Volledige naam", "Volle naam", "Voor- en achternaam"),
    *_words(FULL, "nl", "Contactpersoon", "Klantnaam", "Naam klant", "Persoon"),
    *_words(FULL, "fr", "Nom complet", "Prénom et nom", "Nom et prénom", "Nom du contact"),
    *_words(FULL, "fr", "Nom à afficher"),
    *_words(FULL, "de", "Vollständiger Name", "Vor- und Nachname", "Ansprechpartner"),
    *_words(FULL, "de", "Kontaktperson", "Anzeigename"),
    *_words(FULL, "en", "Contact", "Customer", "Client", fallback=True),
    *_words(FULL, "nl", "Klant", fallback=True),
    VocabularyEntry(phrase="Name", field=FULL, language="en", with_first_name=LAST),
    VocabularyEntry(phrase="Naam", field=FULL, language="nl", with_first_name=LAST),
    VocabularyEntry(phrase="Nom", field=FULL, language="fr", with_first_name=LAST),
    # The Dutch surname infix ("van", "de") has no field of its own and the last name
    # takes one column: it stays unmapped rather than be guessed into another field.
    *_words(None, "nl", "Tussenvoegsel", "Tussenvoegsels", "Voorvoegsel"),
    *_words(None, "en", "Middle name", "Middle names", "Additional name", "Initials"),
    *_words(None, "en", "Title", "Salutation", "Prefix", "Suffix", "Name prefix"),
    *_words(None, "en", "Name suffix", "Nickname"),
    *_words(None, "nl", "Middelste naam", "Aanhef", "Titel", "Achtervoegsel", "Bijnaam"),
    *_words(None, "fr", "Deuxième prénom", "Civilité", "Titre", "Surnom"),
    *_words(None, "de", "Weitere Vornamen", "Anrede", "Titel", "Spitzname", "Initialen"),
    # Company.
    *_words(COMPANY, "en", "Company", "Company name", "Organization", "Organisation"),
    *_words(COMPANY, "en", "Organization name", "Organisation name", "Business name"),
    *_words(COMPANY, "en", "Employer", "Society"),
    *_words(COMPANY, "nl", "Bedrijf", "Bedrijfsnaam", "Organisatie", "Firma", "Werkgever"),
    *_words(COMPANY, "nl", "Naam bedrijf"),
    *_words(COMPANY, "fr", "Société", "Entreprise", "Raison sociale", "Organisme"),
    *_words(COMPANY, "fr", "Nom de l'entreprise", "Nom de la société"),
    *_words(COMPANY, "de", "Firma", "Firmenname", "Unternehmen", "Organisation"),
    # E-mail.
    *_words(EMAIL, "en", "E-mail", "Email address", "E-mail address", "Mail"),
    *_words(EMAIL, "en", "Mail address", "Email addresses", "E-mail addresses"),
    *_words(EMAIL, "nl", "E-mailadres", "Mailadres", "E-mailadressen"),
    *_words(EMAIL, "fr", "Courriel", "Adresse e-mail", "Adresse électronique"),
    *_words(EMAIL, "fr", "Adresse mail", "Adresse de messagerie", "Mél"),
    *_words(EMAIL, "de", "E-Mail-Adresse", "Mailadresse"),
    # Phone.
    *_words(PHONE, "en", "Phone number", "Telephone", "Telephone number", "Tel", "Tel."),
    *_words(PHONE, "en", "Phone no", "Tel no", "Contact number", "Landline", "Phone numbers"),
    *_words(PHONE, "en", "All phone numbers", "Video phone", "Phone video"),
    # "officenumber", "homenumber": a group word before "number" alone is a phone.
    *_words(PHONE, "en", "Office number", "Work number", "Business number", "Home number"),
    *_words(PHONE, "nl", "Telefoon", "Telefoonnummer", "Telefoonnr", "Tel. nr.", "Telnr"),
    *_words(PHONE, "nl", "Vaste telefoon", "Vast nummer", "Telefoonnummers"),
    *_words(PHONE, "fr", "Téléphone", "Numéro de téléphone", "Tél", "Tél.", "Téléphone fixe"),
    *_words(PHONE, "fr", "Fixe", "No de téléphone"),
    *_words(PHONE, "de", "Telefon", "Telefonnummer", "Rufnummer", "Festnetz", "Tel.-Nr."),
    # Mobile.
    *_words(MOBILE, "en", "Mobile phone", "Mobile number", "Mobile phone number", "Cell"),
    *_words(MOBILE, "en", "Cell phone", "Cellphone", "Cell number", "Cellular", "Mobile no"),
    *_words(MOBILE, "nl", "Mobiel", "Mobiel nummer", "Mobiele nummer", "Mobielnummer"),
    *_words(MOBILE, "nl", "Mobiele telefoon", "Mobiele telefoonnummer", "GSM"),
    *_words(MOBILE, "nl", "GSM-nummer", "06-nummer", "Mobiel telefoonnummer"),
    *_words(MOBILE, "nl", "Telefoonnummer mobiel", "Telefoon mobiel"),
    *_words(MOBILE, "fr", "Portable", "Téléphone portable", "Téléphone mobile", "Mobile"),
    *_words(MOBILE, "fr", "Numéro de portable", "Numéro de mobile", "Cellulaire"),
    *_words(MOBILE, "de", "Handy", "Mobiltelefon", "Handynummer", "Mobilnummer", "Mobil"),
    *_words(MOBILE, "de", "Mobilfunknummer", "Natel", "Mobil-Tel.-Nr.", "Mobil-Tel."),
    # Numbers that are not phones anywhere.
    *_words(None, "en", "Fax", "Fax number", "Telefax", "Pager", "Telex", "Beeper"),
    *_words(None, "nl", "Faxnummer", "Semafoon", "Pieper"),
    *_words(None, "fr", "Télécopie", "Télécopieur", "Numéro de fax"),
    *_words(None, "de", "Faxnummer", "Funkrufempfänger"),
    # Whole addresses.
    *_words(ADDRESS, "en", "Postal address", "Mailing address", "Full address"),
    *_words(ADDRESS, "en", "Complete address"),
    *_words(ADDRESS, "en", "Home address", "Billing address", "Shipping address"),
    *_words(ADDRESS, "nl", "Adres", "Postadres", "Woonadres", "Bezoekadres"),
    *_words(ADDRESS, "nl", "Factuuradres", "Afleveradres"),
    *_words(ADDRESS, "fr", "Adresse", "Adresse postale", "Adresse complète"),
    *_words(ADDRESS, "de", "Adresse", "Anschrift", "Postanschrift", "Postadresse"),
    *_words(ADDRESS, "de", "Rechnungsanschrift", "Rechnungsadresse", group="Billing"),
    *_words(ADDRESS, "de", "Lieferanschrift", "Lieferadresse", group="Shipping"),
    # Address parts.
    *_words(ADDRESS, "en", "Street", "Street address", "Address line 1", part=_P.STREET),
    *_words(ADDRESS, "en", "Address line 2", "Address line 3", "Street name", part=_P.STREET),
    *_words(ADDRESS, "en", "Street 1", "Street1", part=_P.STREET),
    *_words(ADDRESS, "en", "House number", part=_P.STREET, house_number=True),
    *_words(ADDRESS, "nl", "Straat", "Straatnaam", "Straat en huisnummer", part=_P.STREET),
    *_words(ADDRESS, "nl", "Adresregel 1", "Adresregel 2", part=_P.STREET),
    *_words(
        ADDRESS,
        "nl",
        "Huisnummer",
        "Huisnr",
        "Toevoeging",
        "Huisnummer toevoeging",
        part=_P.STREET,
        house_number=True,
    ),
    *_words(ADDRESS, "fr", "Rue", "Adresse ligne 1", "Adresse ligne 2", part=_P.STREET),
    *_words(ADDRESS, "fr", "Numéro et rue", "Voie", part=_P.STREET),
    *_words(ADDRESS, "de", "Straße", "Strasse", "Straße und Hausnummer", part=_P.STREET),
    *_words(ADDRESS, "de", "Adresszeile 1", "Adresszeile 2", part=_P.STREET),
    *_words(ADDRESS, "de", "Hausnummer", "Haus-Nr.", "Hausnr.", part=_P.STREET, house_number=True),
    *_words(ADDRESS, "en", "Extended address", "Address line extra", part=_P.EXTENDED),
    *_words(ADDRESS, "fr", "Complément d'adresse", part=_P.EXTENDED),
    *_words(ADDRESS, "de", "Adresszusatz", part=_P.EXTENDED),
    *_words(ADDRESS, "en", "PO Box", "P.O. Box", "Post office box", part=_P.PO_BOX),
    *_words(ADDRESS, "en", "Address PO Box", part=_P.PO_BOX),
    *_words(ADDRESS, "nl", "Postbus", part=_P.PO_BOX),
    *_words(ADDRESS, "fr", "Boîte postale", "BP", part=_P.PO_BOX),
    *_words(ADDRESS, "de", "Postfach", part=_P.PO_BOX),
    *_words(ADDRESS, "en", "Postal code", "Postcode", "Post code", "Zip", part=_P.POSTAL_CODE),
    *_words(ADDRESS, "en", "Zip code", "Zipcode", "Zip/Postal code", part=_P.POSTAL_CODE),
    *_words(ADDRESS, "en", "Postal/Zip code", part=_P.POSTAL_CODE),
    *_words(ADDRESS, "nl", "Postcode", part=_P.POSTAL_CODE),
    *_words(ADDRESS, "fr", "Code postal", "CP", part=_P.POSTAL_CODE),
    *_words(ADDRESS, "de", "PLZ", "Postleitzahl", part=_P.POSTAL_CODE),
    *_words(ADDRESS, "en", "City", "Town", "City/Town", "Locality", part=_P.CITY),
    *_words(ADDRESS, "nl", "Plaats", "Woonplaats", "Stad", "Plaatsnaam", part=_P.CITY),
    *_words(ADDRESS, "nl", "Vestigingsplaats", "Gemeente", part=_P.CITY),
    *_words(ADDRESS, "fr", "Ville", "Localité", "Commune", part=_P.CITY),
    *_words(ADDRESS, "de", "Ort", "Stadt", "Wohnort", "Ortschaft", part=_P.CITY),
    *_words(ADDRESS, "en", "State", "Province", "Region", part=_P.REGION),
    # A US sheet writes both "State" and "County": the county is a region only alone (UK).
    *_words(ADDRESS, "en", "County", part=_P.REGION, fallback=True),
    *_words(ADDRESS, "en", "State/Province", "State/Region", "Province/State", part=_P.REGION),
    *_words(ADDRESS, "nl", "Provincie", "Regio", part=_P.REGION),
    *_words(ADDRESS, "fr", "Région", "Département", "État", "État/Province", part=_P.REGION),
    *_words(ADDRESS, "de", "Bundesland", "Kanton", "Bundesland/Kanton", part=_P.REGION),
    *_words(ADDRESS, "en", "Country", "Country/Region", "Country code", part=_P.COUNTRY),
    *_words(ADDRESS, "nl", "Land", "Land/regio", "Landcode", part=_P.COUNTRY),
    *_words(ADDRESS, "fr", "Pays", "Pays/Région", part=_P.COUNTRY),
    *_words(ADDRESS, "de", "Land/Region", "Nationskennzeichen", part=_P.COUNTRY),
    *_words(ADDRESS, "de", "Länderkennzeichen", "Ländercode", part=_P.COUNTRY),
    # Notes.
    *_words(NOTES, "en", "Notes", "Note", "Comments", "Comment", "Remarks", "Memo"),
    *_words(NOTES, "nl", "Opmerkingen", "Opmerking", "Notities", "Notitie", "Toelichting"),
    *_words(NOTES, "fr", "Remarques", "Remarque", "Commentaires", "Commentaire"),
    *_words(NOTES, "de", "Notizen", "Notiz", "Bemerkungen", "Bemerkung", "Anmerkungen"),
    *_words(NOTES, "de", "Kommentar", "Kommentare"),
    # Columns that hold no contact data: they stay unmapped (listed so that a reader sees
    # they are known, and so that no composed spelling ever maps them).
    *_words(None, "en", "Id", "Record ID", "Contact ID", "Customer ID", "Created"),
    *_words(None, "en", "Created date", "Create date", "Created at", "Modified", "Updated"),
    *_words(None, "en", "Last modified", "Owner", "Contact owner", "Job title", "Position"),
    *_words(None, "en", "Department", "Website", "Web page", "Website URL", "URL"),
    *_words(None, "en", "Birthday", "Birthdate", "Date of birth", "Anniversary", "Labels"),
    *_words(None, "en", "Groups", "Group membership", "Categories", "Tags", "Balance"),
    *_words(None, "en", "Open balance", "Gender", "Language", "Photo", "Lead status"),
    *_words(None, "nl", "Functie", "Afdeling", "Geboortedatum", "Verjaardag", "Saldo"),
    *_words(None, "nl", "Aangemaakt", "Gewijzigd", "Eigenaar", "Klantnummer", "Geslacht"),
    *_words(None, "fr", "Fonction", "Poste", "Date de naissance", "Anniversaire", "Solde"),
    *_words(None, "fr", "Site web", "Créé le", "Propriétaire", "Service"),
    *_words(None, "de", "Position", "Beruf", "Abteilung", "Geburtstag", "Geburtsdatum"),
    *_words(None, "de", "Webseite", "Erstellt", "Geändert", "Besitzer", "Kategorien"),
    *_words(None, FAILURE_WORKBOOK, "Row", "Reason", layout=FAILURE_WORKBOOK),
)


def _group_parts(
    layout: str, language: str, spellings: dict[str, tuple[str, AddressPart]]
) -> tuple[VocabularyEntry, ...]:
    """Address part columns of a layout: header -> (group, part)."""
    return tuple(
        VocabularyEntry(
            phrase=phrase, field=ADDRESS, part=part, group=group, language=language, layout=layout
        )
        for phrase, (group, part) in spellings.items()
    )


def _outlook_groups(
    language: str, groups: dict[str, str], parts: dict[AddressPart, str]
) -> dict[str, tuple[str, AddressPart]]:
    """Outlook's address columns: every group spelled with every part ("{part}" template)."""
    return {
        template.format(group=spelled): (group, part)
        for group, spelled in groups.items()
        for part, template in parts.items()
    }


_OUTLOOK_EN_PARTS = {
    _P.STREET: "{group} Street",
    _P.CITY: "{group} City",
    _P.REGION: "{group} State",
    _P.POSTAL_CODE: "{group} Postal Code",
    _P.COUNTRY: "{group} Country/Region",
    _P.PO_BOX: "{group} Address PO Box",
}

_OUTLOOK_DE = {
    **_outlook_groups(
        "de",
        {"Business": "geschäftlich", "Home": "privat"},
        {
            _P.STREET: "Straße {group}",
            _P.CITY: "Ort {group}",
            _P.REGION: "Region {group}",
            _P.POSTAL_CODE: "Postleitzahl {group}",
            _P.COUNTRY: "Land/Region {group}",
            _P.PO_BOX: "Postfach {group}",
        },
    ),
    "Bundesland/Kanton privat": ("Home", _P.REGION),
    "Weitere Straße": ("Other", _P.STREET),
    "Weiterer Ort": ("Other", _P.CITY),
    "Weiteres/r Bundesland/Kanton": ("Other", _P.REGION),
    "Weitere Postleitzahl": ("Other", _P.POSTAL_CODE),
    "Weiteres/r Land/Region": ("Other", _P.COUNTRY),
    "Weiteres/e Land/Region": ("Other", _P.COUNTRY),
    "Weiteres Postfach": ("Other", _P.PO_BOX),
}

_OUTLOOK_FR = _outlook_groups(
    "fr",
    {"Business": "bureau", "Home": "domicile", "Other": "autre"},
    {
        _P.STREET: "Rue ({group})",
        _P.CITY: "Ville ({group})",
        _P.REGION: "Dép/Région ({group})",
        _P.POSTAL_CODE: "Code postal ({group})",
        _P.COUNTRY: "Pays/Région ({group})",
    },
) | {
    "B.P. professionnelle": ("Business", _P.PO_BOX),
    "Boîte postale du domicile": ("Home", _P.PO_BOX),
    "Autre boîte postale": ("Other", _P.PO_BOX),
}

_OUTLOOK_NL = {
    **_outlook_groups(
        "nl",
        {"Business": "Werkadres", "Home": "Huisadres", "Other": "Ander adres"},
        {
            _P.STREET: "{group}, straat",
            _P.CITY: "{group}, plaats",
            _P.REGION: "{group}, provincie",
            _P.POSTAL_CODE: "{group}, postcode",
            _P.PO_BOX: "{group}, postbusnummer",
        },
    ),
    "Werkadres 2, straat": ("Business", _P.STREET),
    "Werkadres 3, straat": ("Business", _P.STREET),
    "Huisadres, straat 2": ("Home", _P.STREET),
    "Huisadres, straat 3": ("Home", _P.STREET),
    "Ander adres, straat 2": ("Other", _P.STREET),
    "Ander adres, straat 3": ("Other", _P.STREET),
    "Land/regio (werk)": ("Business", _P.COUNTRY),
    "Land/regio (thuis)": ("Home", _P.COUNTRY),
    "Land/regio (anders)": ("Other", _P.COUNTRY),
}

# Export layouts of other tools (SPEC "Real-world exports"). Only the spellings that are
# the tool's own are listed; plain ones ("First Name", "Email", "City") are synonyms above.
LAYOUTS: tuple[VocabularyEntry, ...] = (
    # Google Contacts, current "Google CSV" and the legacy layout.
    *_words(FULL, "en", "Name", layout=GOOGLE),
    *_words(COMPANY, "en", "Organization Name", "Organization # - Name", layout=GOOGLE),
    *_words(None, "en", "Organization Title", "Organization Department", layout=GOOGLE),
    *_words(None, "en", "Organization # - Title", "Organization # - Department", layout=GOOGLE),
    *_words(None, "en", "Organization # - Type", "Organization # - Yomi Name", layout=GOOGLE),
    *_words(None, "en", "Organization # - Symbol", "Organization # - Location", layout=GOOGLE),
    *_words(
        None, "en", "Organization # - Job Description", "Organization # - Label", layout=GOOGLE
    ),
    *_words(None, "en", "Phonetic First Name", "Phonetic Middle Name", layout=GOOGLE),
    *_words(None, "en", "Phonetic Last Name", "File As", "Group Membership", layout=GOOGLE),
    *_words(
        None, "en", "Given Name Yomi", "Family Name Yomi", "Additional Name Yomi", layout=GOOGLE
    ),
    *_words(None, "en", "Yomi Name", "Short Name", "Maiden Name", "Occupation", layout=GOOGLE),
    *_words(None, "en", "Billing Information", "Directory Server", "Mileage", layout=GOOGLE),
    *_words(None, "en", "Sensitivity", "Priority", "Subject", "Hobby", "Location", layout=GOOGLE),
    *(
        VocabularyEntry(
            phrase=f"{kind} # - Value",
            field=field,
            language="en",
            layout=GOOGLE,
            labels=(f"{kind} # - Label", f"{kind} # - Type"),
        )
        for kind, field in (("E-mail", EMAIL), ("Phone", PHONE))
    ),
    *_words(None, "en", "E-mail # - Label", "E-mail # - Type", layout=GOOGLE),
    *_words(None, "en", "Phone # - Label", "Phone # - Type", layout=GOOGLE),
    *_words(None, "en", "Address # - Label", "Address # - Type", layout=GOOGLE),
    *_words(
        None, "en", "Website # - Label", "Website # - Type", "Website # - Value", layout=GOOGLE
    ),
    *_words(
        None, "en", "IM # - Label", "IM # - Type", "IM # - Service", "IM # - Value", layout=GOOGLE
    ),
    *_words(
        None, "en", "Relation # - Label", "Relation # - Type", "Relation # - Value", layout=GOOGLE
    ),
    *_words(None, "en", "Event # - Label", "Event # - Type", "Event # - Value", layout=GOOGLE),
    *_words(None, "en", "Custom Field # - Label", "Custom Field # - Type", layout=GOOGLE),
    *_words(None, "en", "Custom Field # - Value", "Jot # - Type", "Jot # - Value", layout=GOOGLE),
    *_group_parts(
        GOOGLE,
        "en",
        {
            f"Address # - {spelled}": ("Address #", part)
            for spelled, part in (
                ("Formatted", _P.FORMATTED),
                ("Street", _P.STREET),
                ("City", _P.CITY),
                ("PO Box", _P.PO_BOX),
                ("Region", _P.REGION),
                ("Postal Code", _P.POSTAL_CODE),
                ("Country", _P.COUNTRY),
                ("Extended Address", _P.EXTENDED),
            )
        },
    ),
    # Outlook: the English CSV export (desktop and Outlook.com) ...
    *_words(PHONE, "en", "Business Phone", "Business Phone 2", "Home Phone", layout=OUTLOOK),
    *_words(PHONE, "en", "Home Phone 2", "Other Phone", "Primary Phone", layout=OUTLOOK),
    *_words(PHONE, "en", "Company Main Phone", "Car Phone", "Callback", layout=OUTLOOK),
    *_words(PHONE, "en", "Radio Phone", "ISDN", "TTY/TDD Phone", layout=OUTLOOK),
    *_words(MOBILE, "en", "Mobile Phone", "Mobile Phone 2", layout=OUTLOOK),
    *_words(None, "en", "Business Fax", "Home Fax", "Other Fax", layout=OUTLOOK),
    *_words(None, "en", "Assistant's Phone", "Assistant's Name", "Manager's Name", layout=OUTLOOK),
    *_words(EMAIL, "en", "E-mail Address", "E-mail # Address", layout=OUTLOOK),
    *_words(None, "en", "E-mail Type", "E-mail # Type", "E-mail Display Name", layout=OUTLOOK),
    *_words(None, "en", "E-mail # Display Name", "Internet Free Busy", layout=OUTLOOK),
    *_words(None, "en", "Office Location", "Government ID Number", "Account", layout=OUTLOOK),
    *_words(None, "en", "Organizational ID Number", "Referred By", "Keywords", layout=OUTLOOK),
    *_words(None, "en", "Children", "Spouse", "Profession", "Private", "Web Page", layout=OUTLOOK),
    *_words(
        None, "en", "Personal Web Page", "User 1", "User 2", "User 3", "User 4", layout=OUTLOOK
    ),
    *_words(None, "en", "Given Yomi", "Surname Yomi", "Company Yomi", "IMAddress", layout=OUTLOOK),
    # A whole address of its group: the formatted address beside a street, else the street.
    *_group_parts(
        OUTLOOK,
        "en",
        {f"{group} Address": (group, _P.WHOLE) for group in ("Business", "Home", "Other")},
    ),
    *_group_parts(
        OUTLOOK,
        "en",
        {
            **_outlook_groups(
                "en",
                {"Business": "Business", "Home": "Home", "Other": "Other"},
                _OUTLOOK_EN_PARTS,
            ),
            "Business State/Province": ("Business", _P.REGION),
            "Home State/Province": ("Home", _P.REGION),
        },
    ),
    # ... and its German, French and Dutch column names.
    *_words(PHONE, "de", "Telefon geschäftlich", "Telefon geschäftlich 2", layout=OUTLOOK),
    *_words(PHONE, "de", "Telefon privat", "Telefon privat 2", "Weiteres Telefon", layout=OUTLOOK),
    *_words(
        PHONE, "de", "Haupttelefon", "Telefon Firma", "Autotelefon", "Rückmeldung", layout=OUTLOOK
    ),
    *_words(PHONE, "de", "Telefon für Hörbehinderte", layout=OUTLOOK),
    *_words(MOBILE, "de", "Mobiltelefon 2", layout=OUTLOOK),
    *_words(
        None,
        "de",
        "Fax geschäftlich",
        "Fax privat",
        "Weiteres Fax",
        "Telefon Assistent",
        layout=OUTLOOK,
    ),
    *_words(EMAIL, "de", "E-Mail-Adresse", "E-Mail #: Adresse", layout=OUTLOOK),
    *_words(None, "de", "E-Mail-Typ", "E-Mail #: Typ", "E-Mail: Angezeigter Name", layout=OUTLOOK),
    *_words(None, "de", "E-Mail #: Angezeigter Name", "Name Assistent", layout=OUTLOOK),
    # "Ort" and "Büro" alone are Outlook's office location, not a city.
    *_words(None, "de", "Ort", "Büro", "Beruf", "Abrechnungsinformation", layout=OUTLOOK),
    *_words(None, "de", "Name des/r Vorgesetzten", "Organisationsnr.", layout=OUTLOOK),
    *_words(None, "de", "Regierungsnr.", "Reisekilometer", "Empfohlen von", layout=OUTLOOK),
    *_words(None, "de", "Benutzer #", "Internet Frei/Gebucht", "Jahrestag", layout=OUTLOOK),
    *_group_parts(OUTLOOK, "de", _OUTLOOK_DE),
    *_words(PHONE, "fr", "Téléphone (bureau)", "Téléphone 2 (bureau)", layout=OUTLOOK),
    *_words(PHONE, "fr", "Téléphone (domicile)", "Téléphone 2 (domicile)", layout=OUTLOOK),
    *_words(PHONE, "fr", "Téléphone principal", "Téléphone société", "Rappel", layout=OUTLOOK),
    *_words(PHONE, "fr", "Téléphone (voiture)", "Téléphone (autre)", "RNIS", layout=OUTLOOK),
    *_words(PHONE, "fr", "Radio téléphone", "Téléphone TDD/TTY", layout=OUTLOOK),
    *_words(MOBILE, "fr", "Tél. mobile", layout=OUTLOOK),
    *_words(
        None,
        "fr",
        "Télécopie (bureau)",
        "Télécopie (domicile)",
        "Télécopie (autre)",
        layout=OUTLOOK,
    ),
    *_words(
        None, "fr", "Récepteur de radiomessagerie", "Téléphone de l'assistant(e)", layout=OUTLOOK
    ),
    *_words(None, "fr", "Type de messagerie", "Type de messagerie #", layout=OUTLOOK),
    *_words(None, "fr", "Nom complet de l'adresse de messagerie", layout=OUTLOOK),
    *_words(None, "fr", "Nom complet de l'adresse de messagerie #", "Emplacement", layout=OUTLOOK),
    *_words(EMAIL, "fr", "Adresse de messagerie", "Adresse de messagerie #", layout=OUTLOOK),
    *_group_parts(OUTLOOK, "fr", _OUTLOOK_FR),
    *_words(
        PHONE, "nl", "Telefoon op werk", "Telefoon op werk 2", "Telefoon thuis", layout=OUTLOOK
    ),
    *_words(PHONE, "nl", "Telefoon thuis 2", "Andere telefoon", "Hoofdtelefoon", layout=OUTLOOK),
    *_words(PHONE, "nl", "Hoofdtelefoon bedrijf", "Autotelefoon", "Terugbellen", layout=OUTLOOK),
    *_words(PHONE, "nl", "Radiotelefoon", "Teksttelefoon", layout=OUTLOOK),
    *_words(
        None, "nl", "Fax op werk", "Fax thuis", "Andere fax", "Telefoon assistent", layout=OUTLOOK
    ),
    *_words(None, "nl", "E-mailtype", "E-mailtype #", "Weergavenaam voor e-mail", layout=OUTLOOK),
    *_words(None, "nl", "E-mail, weergegeven naam #", "Kantoorlocatie", "Locatie", layout=OUTLOOK),
    *_group_parts(OUTLOOK, "nl", _OUTLOOK_NL),
    # QuickBooks Online customer lists.
    *_words(FULL, "en", "Customer", layout=QUICKBOOKS, fallback=True),
    *_words(PHONE, "en", "Phone Numbers", layout=QUICKBOOKS),
    *_words(ADDRESS, "en", "Billing Address", "Shipping Address", layout=QUICKBOOKS),
    *_words(
        None,
        "en",
        "Customer Type",
        "Terms",
        "Open Balance",
        "Attachments",
        "Currency",
        layout=QUICKBOOKS,
    ),
    # HubSpot contact exports.
    *_words(PHONE, "en", "Phone Number", layout=HUBSPOT),
    *_words(MOBILE, "en", "Mobile Phone Number", layout=HUBSPOT),
    *_words(COMPANY, "en", "Company Name", layout=HUBSPOT),
    *_words(COMPANY, "en", "Associated Company", layout=HUBSPOT, fallback=True),
    *_words(None, "en", "Fax Number", "Associated Company ID", "Lifecycle Stage", layout=HUBSPOT),
    *_words(None, "en", "Last Activity Date", "Marketing contact status", layout=HUBSPOT),
    *_words(None, "en", "Primary Associated Company ID", "Lead Status", layout=HUBSPOT),
    *_words(ADDRESS, "en", "Street Address", part=_P.STREET, layout=HUBSPOT),
    *_words(ADDRESS, "en", "State/Region", part=_P.REGION, layout=HUBSPOT),
    *_words(ADDRESS, "en", "Country/Region", part=_P.COUNTRY, layout=HUBSPOT),
    # Salesforce contact reports (labels) and Data Loader exports (API names).
    *_words(COMPANY, "en", "Account Name", "Account: Account Name", layout=SALESFORCE),
    *_words(MOBILE, "en", "Mobile", "MobilePhone", layout=SALESFORCE),
    *_words(PHONE, "en", "HomePhone", "OtherPhone", layout=SALESFORCE),
    *_words(
        None, "en", "Asst. Phone", "AssistantPhone", "Assistant", "Lead Source", layout=SALESFORCE
    ),
    *_words(None, "en", "Contact Owner", "Account ID", "AccountId", layout=SALESFORCE),
    *_words(NOTES, "en", "Description", layout=SALESFORCE),
    *_words(ADDRESS, "en", "Mailing Address", "Other Address", layout=SALESFORCE),
    *_group_parts(
        SALESFORCE,
        "en",
        {
            f"{group} {spelled}": (group, part)
            for group in ("Mailing", "Other", "Billing", "Shipping")
            for spelled, part in (
                ("Street", _P.STREET),
                ("City", _P.CITY),
                ("State/Province", _P.REGION),
                ("State", _P.REGION),
                ("Zip/Postal Code", _P.POSTAL_CODE),
                ("PostalCode", _P.POSTAL_CODE),
                ("Country", _P.COUNTRY),
            )
        },
    ),
    # Footer lines of reports are rows, not headers; nothing to list for them here.
    # vCard-to-CSV converters (property names with a type and a number).
    *_words(FULL, "en", "FormattedName", "FullName", layout=VCARD),
    *_words(FIRST, "en", "GivenNames", layout=VCARD),
    *_words(LAST, "en", "FamilyName", "FamilyNames", layout=VCARD),
    *_words(None, "en", "AdditionalNames", "HonorificPrefixes", "HonorificSuffixes", layout=VCARD),
    *_words(MOBILE, "en", "TelCell", "TelMobile", layout=VCARD),
    *_words(PHONE, "en", "TelVoice", "TelWork", "TelHome", "TelMain", "Tel", layout=VCARD),
    # TYPE=text: the number takes text messages (a mobile); TYPE=textphone is a TTY line,
    # a phone like Outlook's "TTY/TDD Phone".
    *_words(MOBILE, "en", "TelText", layout=VCARD),
    *_words(PHONE, "en", "TelVideo", "TelTextphone", layout=VCARD),
    *_words(None, "en", "TelFax", "TelPager", layout=VCARD),
    *_words(EMAIL, "en", "EmailWork", "EmailHome", "EmailInternet", layout=VCARD),
    # "EmailPref" holds the name of the preferred column ("EmailWork"), not an address.
    *_words(None, "en", "EmailPref", "Prefixes", "Suffixes", "Unit", layout=VCARD),
    *_words(EMAIL, "en", "EmailOther", layout=VCARD),
    *_words(COMPANY, "en", "Org", layout=VCARD),
    *_words(None, "en", "Role", "Url", "Bday", "Rev", "Uid", layout=VCARD),
    # Thunderbird's address book CSV: its French address columns are the street line.
    *_group_parts(
        THUNDERBIRD,
        "fr",
        {
            "Adresse privée": ("Home", _P.STREET),
            "Adresse professionnelle": ("Business", _P.STREET),
        },
    ),
    # Atmail's address book CSV.
    *_words(COMPANY, "en", "Work Company", layout=ATMAIL),
    *_words(NOTES, "en", "Info", layout=ATMAIL),
)

VOCABULARY: tuple[VocabularyEntry, ...] = SYNONYMS + LAYOUTS

# Words before or after a phrase that name where a number or an address belongs
# ("Business Street", "Telefon geschäftlich", "Straat (thuis)").
GROUP_WORDS: tuple[GroupWord, ...] = tuple(
    GroupWord(phrase, group, language)
    for group, language, phrases in (
        ("Business", "en", ("Business", "Work", "Office", "Company")),
        ("Home", "en", ("Home", "Personal", "Private")),
        ("Other", "en", ("Other", "Alternate", "Alternative", "Secondary")),
        ("Primary", "en", ("Primary", "Main")),
        # "address_zip", "Address City": the parts of the plain address.
        (DEFAULT_ADDRESS_GROUP, "en", ("Address",)),
        ("Mailing", "en", ("Mailing", "Postal")),
        ("Billing", "en", ("Billing", "Invoice")),
        ("Shipping", "en", ("Shipping", "Delivery")),
        ("Business", "nl", ("Werk", "Op werk", "Zakelijk", "Kantoor", "Bedrijf")),
        ("Home", "nl", ("Thuis", "Privé", "Prive")),
        ("Other", "nl", ("Overig", "Overige", "Ander", "Andere", "Anders")),
        ("Billing", "nl", ("Factuur",)),
        ("Business", "fr", ("Bureau", "Travail", "Professionnel", "Professionnelle")),
        ("Home", "fr", ("Domicile", "Personnel", "Personnelle", "Privé", "Privée")),
        ("Other", "fr", ("Autre", "Secondaire")),
        ("Primary", "fr", ("Principal", "Principale")),
        ("Billing", "fr", ("Facturation",)),
        ("Shipping", "fr", ("Livraison",)),
        ("Business", "de", ("Geschäftlich", "Dienstlich", "Büro", "Arbeit", "Firma")),
        ("Home", "de", ("Privat",)),
        ("Other", "de", ("Weitere", "Weiteres", "Weiterer", "Weiteres/r", "Andere")),
        ("Other", "de", ("Sekundär", "Sekundäre")),
        ("Primary", "de", ("Primär", "Primäre")),
        ("Billing", "de", ("Rechnung",)),
        ("Shipping", "de", ("Lieferung",)),
    )
    for phrase in phrases
)

# Words of a phone label ("Phone 1 - Label": "Mobile", "Work Fax") or a header qualifier
# ("Telefoon (mobiel)") that decide the kind of the number.
LABEL_WORDS: tuple[LabelWord, ...] = (
    *(
        LabelWord(p, MOBILE)
        for p in (
            "Mobile",
            "Mobile phone",
            "Cell",
            "Cellular",
            "Cell phone",
            "Mobiel",
            "Mobiele",
            "Mobiele telefoon",
            "GSM",
            "Portable",
            "Cellulaire",
            "Handy",
            "Mobil",
            "Mobiltelefon",
            "Mobiltelefonnummer",
            "Mobilnummer",
            "Mobielnummer",
            "Mobilfunk",
            "Handynummer",
            "Natel",
            "Celular",
            "Cellulare",
            "Móvil",
            "Cellphone",
            "iPhone",
            "TelCell",
            "Wireless",
        )
    ),
    *(
        LabelWord(p, None)
        for p in (
            "Fax",
            "Telefax",
            "Work fax",
            "Home fax",
            "Other fax",
            "Faxnummer",
            "Faxnr",
            "TelFax",
            "Télécopie",
            "Télécopieur",
            "Pager",
            "Piepser",
            "Bip",
            "Funkrufempfänger",
            "Beeper",
            "Pieper",
            "Semafoon",
            "Telex",
        )
    ),
)
