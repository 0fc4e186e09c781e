"""Spellings of hand-made sheets, one module per language; the first language listed wins
where two spell a header alike."""

from __future__ import annotations

from shared.mapping.vocabulary.entries import VocabularyEntry
from shared.mapping.vocabulary.synonyms import de, en, fr, nl

SYNONYMS: tuple[VocabularyEntry, ...] = en.ENTRIES + nl.ENTRIES + fr.ENTRIES + de.ENTRIES
