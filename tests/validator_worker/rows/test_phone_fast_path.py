"""The fast path for plain phone spellings gives exactly what phonenumbers.parse gives.

`parse_number` reads a number written as digits with spaces, dashes, dots or brackets (and
"+", "00" or one national "0" in front) without phonenumbers.parse, keeping the result
only when it is a valid number. A generated corpus of spellings from many countries, read
with many default regions, must give the same ParsedNumber with and without the fast path;
and the fast path must really be taken for most of the valid ones.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from services.validator_worker.rows import phone_rules
from services.validator_worker.rows.phone_rules import ParsedNumber, parse_number

# country code, national prefixes people dial, digits after them (shortest, longest)
PLANS = {
    "NL": ("31", ["06", "020", "010", "030", "0800", "085", "088", "0900"], (6, 8)),
    "BE": ("32", ["04", "02", "03", "09", "0800", "0475"], (5, 8)),
    "DE": ("49", ["015", "016", "017", "030", "089", "0221", "0800"], (5, 9)),
    "FR": ("33", ["06", "07", "01", "04", "09", "08"], (6, 8)),
    "GB": ("44", ["07", "020", "0161", "0121", "0800", "01"], (5, 9)),
    "US": ("1", ["212", "415", "646", "800", "555", "1212"], (6, 8)),
    "AT": ("43", ["0664", "01", "0316", "0699"], (4, 9)),
    "CH": ("41", ["079", "044", "031", "0800"], (5, 8)),
    "IE": ("353", ["087", "01", "021", "1800"], (5, 8)),
    "SE": ("46", ["070", "08", "031", "0771"], (5, 8)),
    "IT": ("39", ["06", "02", "333", "347", "0"], (5, 9)),
    "LU": ("352", ["621", "26", "4"], (4, 8)),
    "ES": ("34", ["6", "91", "93", "7"], (6, 8)),
}
DEFAULT_REGIONS = ["NL", "BE", "DE", "FR", "GB", "US", "AT", "CH", "IE", "SE", "IT", "LU"]


def _spellings(national: str, code: str, rng: random.Random) -> str:
    rest = national.removeprefix("0")
    spelling = rng.randrange(10)
    if spelling == 0:
        return national
    if spelling == 1:
        return f"+{code} {rest}"
    if spelling == 2:
        return f"00{code}{rest}"
    if spelling == 3:
        return f"+{code} (0){rest}"
    if spelling == 4:
        return f"({national[:3]}) {national[3:]}"
    if spelling == 5:
        return "-".join(national[i : i + 2] for i in range(0, len(national), 2))
    if spelling == 6:
        return ".".join(national[i : i + 2] for i in range(0, len(national), 2))
    if spelling == 7:
        return f"+{code}{rest}"
    if spelling == 8:
        return f"{code}{rest}"  # the country code without "+" or "00"
    return " ".join(national[i : i + 3] for i in range(0, len(national), 3))


def corpus(size: int = 40_000) -> Iterator[tuple[str, str]]:
    rng = random.Random(20261203)
    plans = list(PLANS.values())
    for _ in range(size):
        code, prefixes, (shortest, longest) = rng.choice(plans)
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(shortest, longest)))
        yield _spellings(rng.choice(prefixes) + digits, code, rng), rng.choice(DEFAULT_REGIONS)


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    parse_number.cache_clear()
    yield
    parse_number.cache_clear()


def _read(items: list[tuple[str, str]]) -> list[ParsedNumber]:
    parse_number.cache_clear()
    return [parse_number(text, region) for text, region in items]


@pytest.mark.usefixtures("fresh_cache")
def test_the_fast_path_reads_every_spelling_as_phonenumbers_does(monkeypatch):
    # Given 40,000 spellings of numbers of 13 countries, each with a default region
    items = list(corpus())

    # When they are read with the fast path and with phonenumbers.parse alone
    fast = _read(items)
    taken = sum(phone_rules._plain_number(t, r) is not None for t, r in items)
    monkeypatch.setattr(phone_rules, "_plain_number", lambda text, region: None)
    library = _read(items)

    # Then every reading is the same, and the fast path did a good part of the work
    differences = [(item, a, b) for item, a, b in zip(items, fast, library, strict=True) if a != b]
    assert differences == []
    valid = sum(1 for p in library if p.e164)
    assert valid > 10_000
    assert taken > valid // 2


@pytest.mark.parametrize(
    ("text", "region", "e164"),
    [
        pytest.param("06 12345678", "NL", "+31612345678", id="national-mobile"),
        pytest.param("(020) 123 4567", "NL", "+31201234567", id="brackets"),
        pytest.param("0032 470 12 34 56", "NL", "+32470123456", id="idd-00"),
        pytest.param("+49 30 1234567", "NL", "+49301234567", id="plus"),
        pytest.param("06.12.34.56.78", "FR", "+33612345678", id="dots"),
    ],
)
@pytest.mark.usefixtures("fresh_cache")
def test_plain_spellings_take_the_fast_path(text, region, e164):
    assert phone_rules._plain_number(text, region) is not None
    assert parse_number(text, region).e164 == e164


@pytest.mark.parametrize(
    ("text", "region"),
    [
        pytest.param("+31 (0)20 1234567", "NL", id="national-prefix-after-country-code"),
        pytest.param("0612345678", "GB", id="region-with-other-prefix-rules"),
        pytest.param("+1 212 555 1234", "NL", id="nanp-national-prefix-1"),
        pytest.param("06 1234 5678 ext 12", "NL", id="letters"),
        pytest.param("020/1234567", "NL", id="slash"),
    ],
)
def test_other_spellings_go_to_phonenumbers(text, region):
    assert phone_rules._plain_number(text, region) is None
