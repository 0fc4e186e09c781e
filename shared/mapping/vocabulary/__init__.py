"""What header spellings mean: the matcher's knowledge of columns, kept as data.

Each `VocabularyEntry` says that a header spelled like `phrase` fills `field` (or, with
`field=None`, is a known column that holds no contact data and stays unmapped). Phrases are
written as users and tools write them; the matcher folds case, accents, spaces, line breaks
and punctuation before comparing, and handles numbered repeats ("E-mail 2"), qualifiers in
parentheses or after a slash, and group words ("Business", "privat", "(thuis)") generically.
A `#` in a phrase stands for a number ("Phone # - Value"), which the matcher captures.

- `synonyms/`: hand-made sheets, one module per language.
- `layouts/`: one module per tool's export layout; adding a tool is adding its module
  (see `layouts/__init__.py`) and a fixture with its headers under tests/fixtures/layouts.
- `words.py`: group words ("Business Street") and phone label words ("Mobile", "Fax").
- `entries.py`: the shapes of the data and the helpers the modules write it with.
"""

from __future__ import annotations

from shared.mapping.vocabulary.entries import GroupWord, LabelWord, VocabularyEntry
from shared.mapping.vocabulary.layouts import LAYOUTS
from shared.mapping.vocabulary.synonyms import SYNONYMS
from shared.mapping.vocabulary.words import DEFAULT_ADDRESS_GROUP, GROUP_WORDS, LABEL_WORDS

VOCABULARY: tuple[VocabularyEntry, ...] = SYNONYMS + LAYOUTS

__all__ = [
    "DEFAULT_ADDRESS_GROUP",
    "GROUP_WORDS",
    "LABEL_WORDS",
    "VOCABULARY",
    "GroupWord",
    "LabelWord",
    "VocabularyEntry",
]
