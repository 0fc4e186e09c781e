"""`phonenumbers_type` answers exactly what phonenumbers.number_type answers.

The worker asks for the type of every number it reads (UNKNOWN also means "not valid"), so
the library's own function, which goes through a chain of calls for each of ~11 patterns,
is replaced by the same matching on patterns compiled once. This compares the two on every
region's example number of every type and on random variants of each (other digits, other
lengths, Italian leading zeros), and requires that most of them take the fast way.
"""

from __future__ import annotations

import random

import phonenumbers

from services.validator_worker.rows import phone_rules
from services.validator_worker.rows.phone_rules import phonenumbers_type

TYPES = [
    value
    for name, value in vars(phonenumbers.PhoneNumberType).items()
    if name.isupper() and isinstance(value, int)
]
VARIANTS = 80


def _examples() -> list[phonenumbers.PhoneNumber]:
    regions = sorted(phonenumbers.SUPPORTED_REGIONS)
    numbers = []
    for region in regions:
        for kind in TYPES:
            number = phonenumbers.example_number_for_type(region, kind)
            if number is not None:
                numbers.append(number)
    for code in sorted(phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS):
        number = phonenumbers.example_number_for_non_geo_entity(code)
        if number is not None:
            numbers.append(number)
    return numbers


def _variants(
    number: phonenumbers.PhoneNumber, rng: random.Random
) -> list[phonenumbers.PhoneNumber]:
    digits = str(number.national_number)
    found = []
    for _ in range(VARIANTS):
        keep = rng.randint(0, len(digits))
        length = max(1, len(digits) + rng.choice([-2, -1, 0, 0, 0, 1, 2]))
        tail = "".join(rng.choice("0123456789") for _ in range(max(0, length - keep)))
        national = (digits[:keep] + tail)[:length].lstrip("0") or "1"
        leading_zero = (
            number.italian_leading_zero if rng.random() < 0.8 else not number.italian_leading_zero
        )
        found.append(
            phonenumbers.PhoneNumber(
                country_code=number.country_code,
                national_number=int(national),
                italian_leading_zero=leading_zero or None,
                number_of_leading_zeros=rng.choice([None, None, 1, 2]) if leading_zero else None,
            )
        )
    return found


def test_the_type_is_the_librarys_for_every_region_and_variants() -> None:
    # Given every region's example numbers and random variants of each
    rng = random.Random(20261207)
    numbers = []
    for example in _examples():
        numbers.append(example)
        numbers += _variants(example, rng)
    assert len(numbers) > 100_000
    # Then each gets the library's type (valid or not, of whatever kind)
    differ = [n for n in numbers if phonenumbers_type(n) != phonenumbers.number_type(n)]
    assert differ == []
    # And the comparison covers valid numbers of many kinds, and mostly the fast way
    kinds = {phonenumbers.number_type(n) for n in numbers}
    assert len(kinds) >= 10
    fast = sum(1 for n in numbers if phone_rules._types(n.country_code) is not None)
    assert fast > len(numbers) * 0.7
