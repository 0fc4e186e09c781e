"""Thunderbird's address book CSV: its French address columns are the street line."""

from __future__ import annotations

from shared.mapping.fields import AddressPart as P
from shared.mapping.vocabulary.entries import (
    VocabularyEntry,
    group_parts,
)

LAYOUT = "Thunderbird"

ENTRIES: tuple[VocabularyEntry, ...] = (
    *group_parts(
        LAYOUT,
        "fr",
        {
            "Adresse privée": ("Home", P.STREET),
            "Adresse professionnelle": ("Business", P.STREET),
        },
    ),
)
