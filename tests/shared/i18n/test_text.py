"""Texts: rendered per language with locale numbers and plurals, stored and read back."""

from __future__ import annotations

import pytest

from shared.i18n.catalogues import language_of, render
from shared.i18n.text import Text, t, tn


def test_numbers_are_written_as_the_language_writes_them() -> None:
    text = t("{count} characters", count=12345)
    assert [render(text, lang) for lang in ("en", "nl", "de")] == [
        "12,345 characters",
        "12.345 characters",  # no translation of this made-up text: the English words
        "12.345 characters",
    ]
    assert render(text, "fr") == "12\u202f345 characters"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(t("plain"), id="plain"),
        pytest.param(t("{a} and {b}", a="x", b=3), id="params"),
        pytest.param(tn("{count} row", "{count} rows", 2, name="Ann"), id="plural"),
        pytest.param(t("{inner}!", inner=t("{n} deep", n=1)), id="nested"),
    ],
)
def test_a_text_is_stored_and_read_back_the_same(text: Text) -> None:
    assert Text.from_json(text.to_json()) == text


def test_english_plural_forms() -> None:
    assert str(tn("{count} row", "{count} rows", 1)) == "1 row"
    assert str(tn("{count} row", "{count} rows", 3)) == "3 rows"


def test_a_message_stored_before_texts_is_shown_as_written() -> None:
    assert str(Text.from_json("Odd {braces} kept")) == "Odd {braces} kept"


def test_a_text_says_which_language_it_is_really_in() -> None:
    assert language_of(t("Row"), "nl") == "nl"  # translated
    assert language_of(t("not a catalogued text"), "nl") == "en"  # shown in English
    assert language_of(t("Row"), "en") == "en"
