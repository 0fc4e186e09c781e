"""Folding text for search: the one spelling that stored contacts and queries compare in.

The worker stores each contact's folded name and company (`contacts.search_text`) and
ListContacts folds its query the same way, so the database compares plain substrings and
needs no extension (no unaccent, no pg_trgm). Changing the folding changes what stored
rows mean: new rows would need the old ones refolded.
"""

from __future__ import annotations

from shared.header_matching import fold_header

# Letters that Unicode does not decompose into a base letter and an accent, so that
# NFKD leaves them as they are: "Søren" is found by "soren", "Łukasz" by "lukasz".
_UNDECOMPOSED = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"}
)
# Between the name and the company, so that a query never matches across the two.
_FIELD_BREAK = "\n"


def fold_text(text: str) -> str:
    """Text as search compares it: case and accents folded, whitespace collapsed."""
    return fold_header(text).translate(_UNDECOMPOSED)


def contact_search_text(first_name: str, last_name: str, company: str) -> str:
    """The folded text a contact is found by: "first last", a line break, the company."""
    name = " ".join(part for part in (fold_text(first_name), fold_text(last_name)) if part)
    return f"{name}{_FIELD_BREAK}{fold_text(company)}"
