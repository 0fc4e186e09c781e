"""Words the matcher reads inside headers and labels: group words and phone label words."""

from __future__ import annotations

from shared.mapping.fields import ContactField
from shared.mapping.vocabulary.entries import GroupWord, LabelWord

DEFAULT_ADDRESS_GROUP = "Address"
"""The group of address parts that carry no group word ("Street", "Postcode", "City")."""

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
        LabelWord(p, ContactField.MOBILE)
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
