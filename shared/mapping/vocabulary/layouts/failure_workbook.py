"""The failure workbook this service writes: its own columns, when a user uploads it again.

Its "Row" and "Reason" columns in every language the workbook is written in.
"""

from __future__ import annotations

from shared.failure_workbook import REASON_HEADER, ROW_HEADER
from shared.i18n.catalogues import render
from shared.i18n.negotiation import LANGUAGES
from shared.mapping.vocabulary.entries import VocabularyEntry, phrases

LAYOUT = "failure workbook"

_NAMES = dict.fromkeys(
    render(text, lang) for text in (ROW_HEADER, REASON_HEADER) for lang in LANGUAGES
)

ENTRIES: tuple[VocabularyEntry, ...] = (*phrases(None, LAYOUT, *_NAMES, layout=LAYOUT),)
