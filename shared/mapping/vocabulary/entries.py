"""The shapes of the vocabulary's data, and the helpers its modules write entries with."""

from __future__ import annotations

from dataclasses import dataclass

from shared.mapping.fields import AddressPart, ContactField

FIRST = ContactField.FIRST_NAME
LAST = ContactField.LAST_NAME
FULL = ContactField.FULL_NAME
COMPANY = ContactField.COMPANY
EMAIL = ContactField.EMAIL
PHONE = ContactField.PHONE
MOBILE = ContactField.MOBILE
ADDRESS = ContactField.ADDRESS
NOTES = ContactField.NOTES


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


def phrases(
    field: ContactField | None,
    language: str,
    *phrases: str,
    part: AddressPart = AddressPart.WHOLE,
    layout: str = "",
    group: str = "",
    fallback: bool = False,
    house_number: bool = False,
) -> tuple[VocabularyEntry, ...]:
    """Entries of several spellings that all mean the same."""
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


def group_parts(
    layout: str, language: str, spellings: dict[str, tuple[str, AddressPart]]
) -> tuple[VocabularyEntry, ...]:
    """Address part columns of a layout: header -> (group, part)."""
    return tuple(
        VocabularyEntry(
            phrase=phrase, field=ADDRESS, part=part, group=group, language=language, layout=layout
        )
        for phrase, (group, part) in spellings.items()
    )
