"""Folding: how headers, labels and search text are compared."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from shared.mapping.folding import compact, contact_search_text, fold_header, fold_text, words


@pytest.mark.parametrize(
    ("header", "folded"),
    [
        pytest.param("Prénom", "prenom", id="accent"),
        pytest.param("TELEFOON", "telefoon", id="case"),
        pytest.param("Straße", "strasse", id="sharp-s-casefold"),
        pytest.param("Mobiel\u00a0nummer", "mobiel nummer", id="nbsp"),
        pytest.param("Mobiel\nnummer", "mobiel nummer", id="alt-enter-line-break"),
        pytest.param("Mobiel\r\nnummer", "mobiel nummer", id="crlf"),
        pytest.param("E-mail\t2", "e-mail 2", id="tab"),
        pytest.param("  First   name  ", "first name", id="double-and-outer-spaces"),
        pytest.param("\ufeffVoornaam", "voornaam", id="bom"),
        pytest.param("Ｅｍａｉｌ", "email", id="fullwidth"),
        pytest.param("", "", id="empty"),
    ],
)
def test_fold_header(header: str, folded: str) -> None:
    assert fold_header(header) == folded


@pytest.mark.parametrize(
    ("text", "compacted", "split"),
    [
        pytest.param("E-mail", "email", ["e", "mail"], id="hyphen"),
        pytest.param("* Work Fax", "workfax", ["work", "fax"], id="google-label"),
        pytest.param("Télécopie", "telecopie", ["telecopie"], id="accent"),
        pytest.param("address_zip", "addresszip", ["address", "zip"], id="underscore"),
        pytest.param(" * ", "", [], id="punctuation-only"),
    ],
)
def test_compact_and_words(text: str, compacted: str, split: list[str]) -> None:
    assert compact(text) == compacted
    assert words(text) == split


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        pytest.param("Søren", "soren", id="o-slash"),
        pytest.param("ŁUKASZ", "lukasz", id="l-stroke"),
        pytest.param("Yılmaz", "yilmaz", id="dotless-i"),
        pytest.param("Æbeltoft", "aebeltoft", id="ae"),
        pytest.param("  Zoë\u00a0 de  Vries ", "zoe de vries", id="accent-and-spaces"),
    ],
)
def test_fold_text_folds_letters_unicode_does_not_decompose(text: str, folded: str) -> None:
    assert fold_text(text) == folded


def test_contact_search_text_keeps_name_and_company_apart() -> None:
    assert contact_search_text("Søren", "", "Bakkerij Æ") == "soren\nbakkerij ae"
    assert contact_search_text("", "", "") == "\n"


def _generated_texts() -> list[str]:
    # Every ASCII character alone and between letters, then random ASCII texts rich in
    # whitespace and control characters, and the same with accents and format characters.
    rng = random.Random(20261204)
    ascii_chars = [chr(c) for c in range(128)]
    texts = [c for c in ascii_chars] + [f"Ab{c}Cd{c}" for c in ascii_chars]
    unusual = ["\u00a0", "\u00e9", "e\u0301", "\u200b", "\ufeff", "\u00df", "\uff25", "\u00c5"]
    for _ in range(20_000):
        size = rng.randint(0, 24)
        texts.append("".join(rng.choice(ascii_chars + [" "] * 8) for _ in range(size)))
    for _ in range(5_000):
        size = rng.randint(1, 16)
        texts.append("".join(rng.choice(ascii_chars + unusual) for _ in range(size)))
    return texts


def _folded_char_by_char(text: str) -> str:
    # fold_header as first written: every character looked up, no shortcut.
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(
        c for c in decomposed if not unicodedata.combining(c) and unicodedata.category(c) != "Cf"
    )
    return re.sub(r"\s+", " ", kept).strip()


def test_fold_shortcuts_give_the_char_by_char_answer() -> None:
    texts = _generated_texts()
    differing = [t for t in texts if fold_header(t) != _folded_char_by_char(t)]
    assert not differing
