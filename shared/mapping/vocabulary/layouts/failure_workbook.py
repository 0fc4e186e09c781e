"""The failure workbook this service writes: its own columns, when a user uploads it again."""

from __future__ import annotations

from shared.mapping.vocabulary.entries import VocabularyEntry, phrases

LAYOUT = "failure workbook"

ENTRIES: tuple[VocabularyEntry, ...] = (*phrases(None, LAYOUT, "Row", "Reason", layout=LAYOUT),)
