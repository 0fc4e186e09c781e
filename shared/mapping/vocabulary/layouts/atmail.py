"""Atmail's address book CSV."""

from __future__ import annotations

from shared.mapping.vocabulary.entries import (
    COMPANY,
    NOTES,
    VocabularyEntry,
    phrases,
)

LAYOUT = "Atmail"

ENTRIES: tuple[VocabularyEntry, ...] = (
    *phrases(COMPANY, "en", "Work Company", layout=LAYOUT),
    *phrases(NOTES, "en", "Info", layout=LAYOUT),
)
