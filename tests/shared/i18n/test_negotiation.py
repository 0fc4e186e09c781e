"""Which language a caller gets: accept-language, then the token's locale claim, then English."""

from __future__ import annotations

import pytest

from shared.i18n.negotiation import choose_language, negotiate


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        pytest.param("nl", "nl", id="plain"),
        pytest.param("nl-BE, fr;q=0.8", "nl", id="region-first"),
        pytest.param("fr-BE;q=0.9, nl-BE;q=0.8", "fr", id="weights"),
        pytest.param("es, de;q=0.5", "de", id="unsupported-skipped"),
        pytest.param("DE-ch", "de", id="case-and-region"),
        pytest.param("de_DE", "de", id="posix-style"),
        pytest.param("nl;q=0, fr;q=0.1", "fr", id="q-zero-means-not"),
        pytest.param("fr;q=0.5, nl;q=0.5", "fr", id="equal-weights-keep-order"),
        pytest.param("es, *;q=0.1", "en", id="wildcard-default"),
        pytest.param("nl;q=abc, de", "de", id="bad-weight-ignored"),
        pytest.param("nl;q=1.5, de", "de", id="weight-out-of-range-ignored"),
        pytest.param("es, it", None, id="none-spoken"),
        pytest.param("", None, id="empty"),
        pytest.param(" , ;q=1", None, id="only-separators"),
    ],
)
def test_accept_language(header: str, expected: str | None) -> None:
    assert negotiate(header) == expected


@pytest.mark.parametrize(
    ("header", "claim", "expected"),
    [
        pytest.param("fr", "nl-BE", "fr", id="header-wins"),
        pytest.param("", "nl-BE", "nl", id="claim-when-no-header"),
        pytest.param("es", "de", "de", id="claim-when-header-unspoken"),
        pytest.param("", "pt-BR", "en", id="english-last"),
        pytest.param("", "", "en", id="nothing-given"),
    ],
)
def test_choose_language(header: str, claim: str, expected: str) -> None:
    assert choose_language(header, claim) == expected


def test_a_long_header_is_read_only_so_far() -> None:
    assert negotiate(",".join(["es"] * 10_000 + ["nl"])) is None
