"""Folding text for comparison: one family of folds, each built on `fold_header`.

- `fold_header`: case, accents, invisible format characters and whitespace folded; how the
  matcher and remembered mappings compare headers.
- `compact` and `words`: a folded text without its spaces and punctuation ("E-mail" =
  "Email"), or split at them; how vocabulary spellings and phone labels compare.
- `fold_text` and `contact_search_text`: `fold_header` plus the letters Unicode does not
  decompose; the one spelling that stored contacts and search queries compare in.

The worker stores each contact's folded name and company (`contacts.search_text`) and
ListContacts folds its query the same way, so the database compares plain substrings and
needs no extension (no unaccent, no pg_trgm). Changing `fold_text` changes what stored rows
mean: new rows would need the old ones refolded.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WHITESPACE = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[\W_]+")
# Letters that Unicode does not decompose into a base letter and an accent, so that
# NFKD leaves them as they are: "Søren" is found by "soren", "Łukasz" by "lukasz".
_UNDECOMPOSED = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"}
)
# Between the name and the company, so that a query never matches across the two.
_FIELD_BREAK = "\n"


def fold_header(header: str) -> str:
    """A header as the matcher compares it: case, accents, line breaks and spaces folded."""
    if header.isascii():
        # ASCII decomposes to itself and holds no accent and no format character: only case
        # and whitespace fold. Most names and headers take this path; a test proves it gives
        # the general path's answer on every ASCII character and on generated texts.
        return " ".join(header.lower().split())
    return _fold_unicode(header)


def _fold_unicode(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    if not decomposed.isascii():
        # Drop accents (combining marks) and invisible format characters (BOM, zero width).
        decomposed = "".join(
            c
            for c in decomposed
            if not unicodedata.combining(c) and unicodedata.category(c) != "Cf"
        )
    return _WHITESPACE.sub(" ", decomposed).strip()


def compact(text: str) -> str:
    """A folded text with every space and punctuation mark removed ("E-mail" = "Email")."""
    return _NOT_WORD.sub("", fold_header(text))


def words(text: str) -> list[str]:
    """The words of a folded text, split at spaces and punctuation ("* Work Fax")."""
    return [word for word in _NOT_WORD.split(fold_header(text)) if word]


@lru_cache(maxsize=65_536)
def fold_text(text: str) -> str:
    """Text as search compares it: case and accents folded, whitespace collapsed."""
    return fold_header(text).translate(_UNDECOMPOSED)


def contact_search_text(first_name: str, last_name: str, company: str) -> str:
    """The folded text a contact is found by: "first last", a line break, the company."""
    name = " ".join(part for part in (fold_text(first_name), fold_text(last_name)) if part)
    return f"{name}{_FIELD_BREAK}{fold_text(company)}"
