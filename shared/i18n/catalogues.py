"""The translations, one gettext catalogue per language, and rendering a text in one.

The catalogues are the `.po` files under `locale/` (what translators edit; `make messages`
brings them up to date with the code). They are read with Babel when first needed and
compiled in memory, so no compiled `.mo` file has to be kept in step. English is the
source language: its texts are the code's own.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from shared.i18n.negotiation import DEFAULT_LANGUAGE, LANGUAGES
from shared.i18n.text import Param, Text

DOMAIN = "contactimport"
LOCALE_DIR = Path(__file__).with_name("locale")


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The language's translations (English, or an unknown language: the source texts)."""
    if language == DEFAULT_LANGUAGE or language not in LANGUAGES:
        return gettext.NullTranslations()
    with catalogue_path(language).open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _param(value: Param, language: str) -> str:
    if isinstance(value, Text):
        return render(value, language)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return format_decimal(value, locale=language)
    return value


def render(text: Text, language: str) -> str:
    """The text in the language (its English source where a translation is missing)."""
    found = translations(language)
    if text.plural:
        template = found.ngettext(text.source, text.plural, text.count or 0)
    else:
        template = found.gettext(text.source)
    return template.format_map({k: _param(v, language) for k, v in text.params})


def language_of(text: Text, language: str) -> str:
    """The language `render(text, language)` is really in: English where the catalogue has
    no translation of the text yet (LocalizedMessage.locale must not claim otherwise)."""
    if language == DEFAULT_LANGUAGE or language not in LANGUAGES:
        return DEFAULT_LANGUAGE
    found = translations(language)
    if text.plural:
        translated = found.ngettext(text.source, text.plural, 2) != text.plural
    else:
        translated = found.gettext(text.source) != text.source
    return language if translated else DEFAULT_LANGUAGE
