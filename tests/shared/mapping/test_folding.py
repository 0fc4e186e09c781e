"""Folding: how headers, labels and search text are compared."""

from __future__ import annotations

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
