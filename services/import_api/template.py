"""The import template: an XLSX whose header row names every contact field, in a language.

Each header is a spelling the matcher maps by itself (an exact field name or a synonym,
numbered repeats for the extra slots), so a filled-in template needs no mapping change;
tests/import_api/test_template.py uploads it back in every language to prove it.
Every cell is text and every column is formatted as Text, so Excel keeps a number's "+"
and leading zero as typed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from shared.errors import FieldViolation, InvalidRequest
from shared.i18n.text import t
from shared.mapping.fields import MAX_VALUES_PER_KIND, ContactField

DEFAULT_LOCALE = "en"
_TEXT_FORMAT = "@"
_MIN_WIDTH = 12
_MAX_WIDTH = 40


@dataclass(frozen=True)
class _Language:
    """A template's words in one language."""

    sheet_title: str
    headers: dict[ContactField, str]
    country: str
    """The example address's country line."""
    notes_example: str


_LANGUAGES: dict[str, _Language] = {
    "en": _Language(
        "Contacts",
        {
            ContactField.FIRST_NAME: "First name",
            ContactField.LAST_NAME: "Last name",
            ContactField.COMPANY: "Company",
            ContactField.EMAIL: "Email",
            ContactField.PHONE: "Phone",
            ContactField.MOBILE: "Mobile",
            ContactField.ADDRESS: "Address",
            ContactField.NOTES: "Notes",
        },
        "Netherlands",
        "Example row: replace it with your own contacts.",
    ),
    "nl": _Language(
        "Contacten",
        {
            ContactField.FIRST_NAME: "Voornaam",
            ContactField.LAST_NAME: "Achternaam",
            ContactField.COMPANY: "Bedrijf",
            ContactField.EMAIL: "E-mail",
            ContactField.PHONE: "Telefoon",
            ContactField.MOBILE: "Mobiel",
            ContactField.ADDRESS: "Adres",
            ContactField.NOTES: "Notities",
        },
        "Nederland",
        "Voorbeeldrij: vervang deze door uw eigen contacten.",
    ),
    "fr": _Language(
        "Contacts",
        {
            ContactField.FIRST_NAME: "Prénom",
            ContactField.LAST_NAME: "Nom",
            ContactField.COMPANY: "Société",
            ContactField.EMAIL: "E-mail",
            ContactField.PHONE: "Téléphone",
            ContactField.MOBILE: "Portable",
            ContactField.ADDRESS: "Adresse",
            ContactField.NOTES: "Notes",
        },
        "Pays-Bas",
        "Ligne d'exemple : remplacez-la par vos propres contacts.",
    ),
    "de": _Language(
        "Kontakte",
        {
            ContactField.FIRST_NAME: "Vorname",
            ContactField.LAST_NAME: "Nachname",
            ContactField.COMPANY: "Firma",
            ContactField.EMAIL: "E-Mail",
            ContactField.PHONE: "Telefon",
            ContactField.MOBILE: "Handy",
            ContactField.ADDRESS: "Adresse",
            ContactField.NOTES: "Notizen",
        },
        "Niederlande",
        "Beispielzeile: Ersetzen Sie sie durch Ihre eigenen Kontakte.",
    ),
}
LOCALES = tuple(_LANGUAGES)

# The columns in order, and how many each field gets: the multi-valued fields get one
# column per value a contact may have ("Email", "Email 2" ... "Email 5").
_COLUMNS: tuple[tuple[ContactField, int], ...] = (
    (ContactField.FIRST_NAME, 1),
    (ContactField.LAST_NAME, 1),
    (ContactField.COMPANY, 1),
    (ContactField.EMAIL, MAX_VALUES_PER_KIND),
    (ContactField.PHONE, MAX_VALUES_PER_KIND),
    (ContactField.MOBILE, MAX_VALUES_PER_KIND),
    (ContactField.ADDRESS, MAX_VALUES_PER_KIND),
    (ContactField.NOTES, 1),
)

# The example row fills the first column of each field. International numbers (+31), so
# the row imports whatever the tenant's country; example.com is reserved for examples.
EXAMPLE: dict[ContactField, str] = {
    ContactField.FIRST_NAME: "Emma",
    ContactField.LAST_NAME: "de Vries",
    ContactField.COMPANY: "De Vries Installatietechniek B.V.",
    ContactField.EMAIL: "emma.devries@example.com",
    ContactField.PHONE: "+31 20 123 4567",
    ContactField.MOBILE: "+31 6 12345678",
}
EXAMPLE_ADDRESS_LINES = ("Keizersgracht 123", "1015 CJ Amsterdam")


def template_locale(requested: str) -> str:
    """The template language of a request: "en" when empty, else one of LOCALES."""
    locale = requested.strip().lower() or DEFAULT_LOCALE
    if locale not in _LANGUAGES:
        accepted = ", ".join(f'"{code}"' for code in LOCALES)
        raise InvalidRequest(
            # Translators: {locale} is the language the caller asked for, as given; {accepted}
            # lists the language codes there are templates in ("en", "nl", ...).
            t(
                "There is no template in '{locale}': locale is one of {accepted}.",
                locale=requested,
                accepted=accepted,
            ),
            [
                FieldViolation(
                    "locale",
                    # Translators: {accepted} lists the language codes ("en", "nl", ...).
                    t(
                        "Give one of {accepted}, or leave it empty for English.",
                        accepted=accepted,
                    ),
                )
            ],
        )
    return locale


def template_headers(locale: str) -> list[str]:
    """The header row of the template in a language (one of LOCALES)."""
    words = _LANGUAGES[locale].headers
    return [
        words[field] if slot == 1 else f"{words[field]} {slot}"
        for field, slots in _COLUMNS
        for slot in range(1, slots + 1)
    ]


def _example_row(locale: str) -> list[str]:
    language = _LANGUAGES[locale]
    example = {
        **EXAMPLE,
        ContactField.ADDRESS: "\n".join((*EXAMPLE_ADDRESS_LINES, language.country)),
        ContactField.NOTES: language.notes_example,
    }
    return [
        example.get(field, "") if slot == 1 else ""
        for field, slots in _COLUMNS
        for slot in range(1, slots + 1)
    ]


@cache
def build_template(locale: str) -> tuple[str, bytes]:
    """The template's file name and XLSX bytes in a language (one of LOCALES)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its one worksheet
    sheet.title = _LANGUAGES[locale].sheet_title
    headers = template_headers(locale)
    example = _example_row(locale)
    sheet.append(headers)
    sheet.append(example)
    bold = Font(bold=True)
    wrapped = Alignment(wrap_text=True, vertical="top")
    for index, (header, value) in enumerate(zip(headers, example, strict=True), start=1):
        sheet.cell(row=1, column=index).font = bold
        letter = get_column_letter(index)
        dimension = sheet.column_dimensions[letter]
        longest = max([len(header), *(len(line) for line in value.splitlines())])
        dimension.width = min(max(longest + 2, _MIN_WIDTH), _MAX_WIDTH)
        # Text format for the whole column: what a user types later stays text too.
        dimension.number_format = _TEXT_FORMAT
        for row in (1, 2):
            sheet.cell(row=row, column=index).number_format = _TEXT_FORMAT
        if "\n" in value:
            sheet.cell(row=2, column=index).alignment = wrapped
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return f"contactimport-template-{locale}.xlsx", buffer.getvalue()
