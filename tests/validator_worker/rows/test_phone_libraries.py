"""rphonenumbers (CONTACTIMPORT_PHONE_LIBRARY=rphonenumbers) reads numbers as phonenumbers does.

A generated corpus of Dutch, Belgian, German, French, British and US numbers, in national
and international spellings, valid and not, goes through `parse_number` with each library.
Any disagreement fails the test unless a known metadata difference explains it: the two
libraries carry different releases of libphonenumber's metadata, and a range added in the
newer release is valid in one only. Each such range is listed with the releases.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import phonenumbers
import pytest

from services.validator_worker.rows import phone_rules
from services.validator_worker.rows.phone_rules import ParsedNumber, parse_number

# E.164 prefixes of ranges whose metadata differs between the releases the two carry.
METADATA_DIFFERENCES = {
    "+4915410": "German 015410 + 6 digits mobiles: valid in phonenumbers 9.0.43's metadata, "
    "not in 9.0.41's (rphonenumbers 0.1.0)",
}
# One number of each listed range, to check that the difference is still there.
METADATA_SAMPLES = {"+4915410": ("015410123456", "DE")}

# (region, how numbers are written there): national prefixes and digit counts, plus the
# country code for international spellings. Random digits make valid and invalid numbers.
PLANS = {
    "NL": ("31", ["06", "020", "010", "030", "0800", "085"], (7, 8)),
    "BE": ("32", ["04", "02", "03", "09", "0800"], (6, 8)),
    "DE": ("49", ["015", "016", "017", "030", "089", "0221"], (6, 9)),
    "FR": ("33", ["06", "07", "01", "04", "09"], (7, 8)),
    "GB": ("44", ["07", "020", "0161", "0121", "0800"], (6, 9)),
    "US": ("1", ["212", "415", "646", "800", "555"], (7, 7)),
}


def _corpus(per_region: int = 1_500) -> Iterator[tuple[str, str]]:
    yield from METADATA_SAMPLES.values()
    rng = random.Random(20261202)
    for region, (code, prefixes, (shortest, longest)) in PLANS.items():
        for _ in range(per_region):
            prefix = rng.choice(prefixes)
            digits = "".join(
                rng.choice("0123456789") for _ in range(rng.randint(shortest, longest))
            )
            national = prefix + digits
            spelling = rng.randrange(4)
            if spelling == 0:
                yield national, region
            elif spelling == 1:
                yield f"+{code} {national.removeprefix('0')}", region
            elif spelling == 2:
                yield f"00{code}{national.removeprefix('0')}", region
            else:  # grouped as people write them
                text = " ".join(national[i : i + 3] for i in range(0, len(national), 3))
                yield text, region


@pytest.fixture
def libraries() -> Iterator[None]:
    yield
    phone_rules.use_phone_library("phonenumbers")


def _read_all(library: str, corpus: list[tuple[str, str]]) -> list[ParsedNumber]:
    phone_rules.use_phone_library(library)
    return [parse_number(text, region) for text, region in corpus]


def _explained(a: ParsedNumber, b: ParsedNumber) -> bool:
    numbers = [n.e164 for n in (a, b) if n.e164]
    return bool(numbers) and all(
        any(n.startswith(prefix) for prefix in METADATA_DIFFERENCES) for n in numbers
    )


@pytest.mark.usefixtures("libraries")
def test_rphonenumbers_agrees_with_phonenumbers_on_a_generated_corpus() -> None:
    # Given a corpus of numbers as people write them, valid and not
    corpus = list(_corpus())

    # When each library reads all of them
    expected = _read_all("phonenumbers", corpus)
    found = _read_all("rphonenumbers", corpus)

    # Then they agree on E.164, kind and validity, but for known metadata differences
    differing = [
        (text, region, a, b)
        for (text, region), a, b in zip(corpus, expected, found, strict=True)
        if a != b and not _explained(a, b)
    ]
    assert differing == [], differing[:10]
    valid = sum(1 for p in expected if p.e164)
    assert 0.2 * len(corpus) < valid < 0.9 * len(corpus)  # the corpus tests both sides


@pytest.mark.usefixtures("libraries")
@pytest.mark.parametrize("prefix", sorted(METADATA_DIFFERENCES))
def test_each_listed_metadata_difference_is_still_real(prefix: str) -> None:
    # When a release of rphonenumbers catches up, this fails: drop the range from the list.
    text, region = METADATA_SAMPLES[prefix]
    (expected,) = _read_all("phonenumbers", [(text, region)])
    (found,) = _read_all("rphonenumbers", [(text, region)])
    assert expected != found
    assert _explained(expected, found)


def test_the_default_library_is_phonenumbers() -> None:
    assert phone_rules.phone_library() == "phonenumbers"
    assert phonenumbers.__name__ == "phonenumbers"
