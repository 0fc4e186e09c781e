"""A pseudo-language for tests: every text "translated" to x's, its placeholders kept.

Rendered in it, a message shows only its parameters' values (headers, names, numbers) and
x's: an English word that is left is English that no catalogue can translate (a fragment
glued in as a plain string).
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterator

import pytest

from shared.i18n import catalogues
from shared.i18n.text import Text

PSEUDO = "nl"  # rendered with Dutch number formats; the texts are the pseudo-language's
_PLACEHOLDER = re.compile(r"(\{[^{}]*\})")
_LETTER = re.compile(r"[^\W\d_]")


def pseudo(source: str) -> str:
    """A source text with every letter outside its placeholders made an x."""
    parts = _PLACEHOLDER.split(source)
    return "".join(p if _PLACEHOLDER.fullmatch(p) else _LETTER.sub("x", p) for p in parts)


class PseudoTranslations(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)


def use_pseudo_language(monkeypatch: pytest.MonkeyPatch) -> str:
    """Render texts in language PSEUDO in the pseudo-language (for the test's duration)."""
    real = catalogues.translations
    monkeypatch.setattr(
        catalogues,
        "translations",
        lambda language: PseudoTranslations() if language == PSEUDO else real(language),
    )
    return PSEUDO


def plain_values(text: Text) -> Iterator[str]:
    """Every plain-string parameter of a text and of the texts inside it."""
    for _, value in text.params:
        if isinstance(value, Text):
            yield from plain_values(value)
        elif isinstance(value, str):
            yield value


def english_words(rendered: str, *values: str) -> list[str]:
    """The words of length 2 or more left in a pseudo rendering, apart from `values`."""
    for value in sorted(filter(None, values), key=len, reverse=True):
        rendered = rendered.replace(value, " ")
    return [w for w in re.findall(r"[^\W\d_]{2,}", rendered) if set(w.lower()) != {"x"}]
