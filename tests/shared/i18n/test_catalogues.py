"""The catalogues: every text is translated in every language, keeps its placeholders and
renders; `make messages` keeps the catalogues in step with the code (checked by `make lint`).
"""

from __future__ import annotations

import string

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from devtools.messages import TEMPLATE
from shared.i18n.catalogues import DOMAIN, catalogue_path, render
from shared.i18n.negotiation import DEFAULT_LANGUAGE, LANGUAGES
from shared.i18n.text import Text

TRANSLATED = [lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE]


def _read(path: object, language: str | None = None) -> Catalog:
    with open(path, "rb") as po:  # type: ignore[call-overload]
        return read_po(po, locale=language, domain=DOMAIN)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _sources() -> list[tuple[str, ...]]:
    return [(m.id,) if isinstance(m.id, str) else tuple(m.id) for m in _read(TEMPLATE) if m.id]


def _translated(catalog: Catalog, source: tuple[str, ...]) -> list[str] | None:
    """The translation's forms ([] when it has none), or None when it is fuzzy or absent."""
    message = catalog.get(source[0] if len(source) == 1 else source)
    if message is None or message.fuzzy:
        return None
    string = message.string
    return [] if not string else [string] if isinstance(string, str) else list(string)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_text_is_translated(language: str) -> None:
    catalog = _read(catalogue_path(language), language)
    missing = []
    for source in _sources():
        forms = _translated(catalog, source)
        if not forms or not all(forms):
            missing.append(source[0])
    assert not missing, f"{len(missing)} texts not translated in {language}: {missing[:5]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_translation_keeps_its_placeholders(language: str) -> None:
    catalog = _read(catalogue_path(language), language)
    problems = []
    for source in _sources():
        forms = _translated(catalog, source)
        if not forms or not any(forms):
            continue  # test_every_text_is_translated says so
        if not all(forms) or len(forms) != (1 if len(source) == 1 else catalog.num_plurals):
            problems.append(f"plural forms missing: {source[0]!r}")
            continue
        wanted = set().union(*(placeholders(s) for s in source))
        for form in forms:
            found = placeholders(form)
            # A plural form may say the number in words ("één rij"): {count} may be left out.
            if found - wanted or (wanted - {"count"}) - found:
                problems.append(
                    f"placeholders of {source[0]!r}: {sorted(found)} ≠ {sorted(wanted)}"
                )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_translation_renders(language: str) -> None:
    for source in _sources():
        params = tuple((name, 2) for name in set().union(*(placeholders(s) for s in source)))
        plural = source[1] if len(source) > 1 else ""
        for count in (1, 2, 5, 1_000_000) if plural else (None,):
            text = Text(source[0], params, plural, count)
            assert render(text, language)


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_translation_is_left_in_english(language: str) -> None:
    # Words that are the same in both languages are fine (a column title "E-mail"); whole
    # sentences never are.
    catalog = _read(catalogue_path(language), language)
    same = [
        m.id
        for m in catalog
        if m.id and isinstance(m.id, str) and m.string == m.id and len(m.id.split()) > 3
    ]
    assert not same
