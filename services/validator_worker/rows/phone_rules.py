"""Phone and mobile numbers: parsing to E.164 and what kind of number phonenumbers says it is.

What a label column says a number is, is `shared.mapping.labels` (the matcher's classifier).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType

# Keep phonenumbers' compiled metadata patterns (a bounded set) instead of leaving them to
# the re module's small cache: number_type alone looks up ~11 patterns a number, and the
# lookup through re.compile cost a seventh of the parsing time. Same patterns, same results.
phonenumbers.enable_pattern_cache()


class NumberKind(StrEnum):
    """What phonenumbers knows a valid number to be, as far as this service cares."""

    FIXED_LINE = "fixed_line"
    MOBILE = "mobile"
    EITHER = "either"  # FIXED_LINE_OR_MOBILE, VoIP, toll-free and the rest: kept where mapped


@dataclass(frozen=True)
class ParsedNumber:
    """A phone value read with a default country: its E.164 form, or why it has none."""

    e164: str = ""
    kind: NumberKind = NumberKind.EITHER
    problem: str = ""  # the reason without the column, e.g. 'is not a valid phone number'


_TEL_PREFIX = "tel:"
# phonenumbers reads a space and NBSP between digits but not the thin and narrow no-break
# spaces that French and Swiss number formats put there ("06\u202f12\u202f34\u202f56\u202f78").
_SPACES = {
    code: " "
    for code in range(0x80, 0x3001)
    if unicodedata.category(chr(code)) == "Zs" and code != 0xA0
}
# A whole number written by a tool that held it as a float ("612345678.0", pandas' CSV):
# every digit is there, only the float's ".0" is extra.
_FLOAT_DIGITS = re.compile(r"\+?\d{6,}\.0+")


def _is_scientific(text: str) -> bool:
    # "4.47E+11", "4,47E+11", "4.47e11": Excel's way to show a long number (digits lost).
    mantissa, sep, exponent = text.upper().partition("E")
    if not sep or not exponent or not mantissa:
        return False
    exponent = exponent.removeprefix("+").removeprefix("-")
    mantissa = mantissa.removeprefix("+").removeprefix("-").replace(",", ".", 1)
    whole, _, fraction = mantissa.partition(".")
    return exponent.isdigit() and whole.isdigit() and (not fraction or fraction.isdigit())


_KIND_OF_TYPE = {
    PhoneNumberType.FIXED_LINE: NumberKind.FIXED_LINE,
    PhoneNumberType.MOBILE: NumberKind.MOBILE,
}


@lru_cache(maxsize=65_536)
def parse_number(text: str, default_country: str) -> ParsedNumber:
    """Parse one cleaned phone value; a number without a country code is read in default_country.

    Pure, so it is cached: files repeat numbers (a head office's switchboard) and retries
    re-read the same file.
    """
    if ("E" in text or "e" in text) and _is_scientific(text):
        return ParsedNumber(
            problem=(
                "is in scientific notation: Excel turned the number into a figure like"
                " 4.47E+11 and digits were lost. Format the column as Text in Excel and"
                " export the file again"
            )
        )
    if text[:4].lower() == _TEL_PREFIX:
        text = text[4:].lstrip()
    if not text.isascii():
        text = text.translate(_SPACES)
    elif text.endswith("0") and _FLOAT_DIGITS.fullmatch(text):
        text = text.partition(".")[0]
    try:
        number = phonenumbers.parse(text, default_country)
    except NumberParseException:
        return ParsedNumber(problem=_invalid(default_country))
    # number_type is UNKNOWN exactly when is_valid_number is False (both match the number
    # against its region's patterns); one call instead of two halves the cost.
    number_type = phonenumbers.number_type(number)
    if number_type == PhoneNumberType.UNKNOWN:
        return ParsedNumber(problem=_invalid(default_country))
    kind = _KIND_OF_TYPE.get(number_type, NumberKind.EITHER)
    # E.164 has no extension: "x123" is read and not stored.
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return ParsedNumber(e164=e164, kind=kind)


def _invalid(default_country: str) -> str:
    return (
        "is not a valid phone number (numbers without a country code are read as"
        f" {default_country})"
    )
