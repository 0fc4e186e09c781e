"""Phone and mobile numbers: parsing to E.164 and what kind of number phonenumbers says it is.

What a label column says a number is, is `shared.mapping.labels` (the matcher's classifier).
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from types import ModuleType

import phonenumbers as _phonenumbers

from shared.i18n.text import Text, t

# CONTACTIMPORT_PHONE_LIBRARY: phonenumbers (the default: Google's metadata, kept current)
# or rphonenumbers (the same API on a Rust port, ~10x faster; young, metadata trails).
PHONE_LIBRARIES = ("phonenumbers", "rphonenumbers")


def _load(name: str) -> ModuleType:
    if name not in PHONE_LIBRARIES:
        raise ValueError(f"unknown phone library {name!r}; choose one of {PHONE_LIBRARIES}")
    library = importlib.import_module(name)
    if hasattr(library, "enable_pattern_cache"):
        # Keep phonenumbers' compiled metadata patterns (a bounded set) instead of leaving
        # them to the re module's small cache: number_type alone looks up ~11 patterns a
        # number, and the lookup through re.compile cost a seventh of the parsing time.
        library.enable_pattern_cache()
    return library


_library = _load("phonenumbers")


def use_phone_library(name: str) -> None:
    """Parse with this library from now on (the worker calls it once, at start-up)."""
    global _library
    _library = _load(name)
    parse_number.cache_clear()


def phone_library() -> str:
    """The name of the library parse_number uses."""
    return _library.__name__


class NumberKind(StrEnum):
    """What phonenumbers knows a valid number to be, as far as this service cares."""

    FIXED_LINE = "fixed_line"
    MOBILE = "mobile"
    EITHER = "either"  # FIXED_LINE_OR_MOBILE, VoIP, toll-free and the rest: kept where mapped


class NumberProblem(StrEnum):
    """Why a phone value has no E.164 form (`problem_text` says it to the user)."""

    SCIENTIFIC = "scientific"  # Excel showed it as a figure like 4.47E+11: digits lost
    INVALID = "invalid"  # not a valid number, read in the default country


@dataclass(frozen=True)
class ParsedNumber:
    """A phone value read with a default country: its E.164 form, or why it has none."""

    e164: str = ""
    kind: NumberKind = NumberKind.EITHER
    problem: NumberProblem | None = None


def problem_text(problem: NumberProblem, column: Text, value: str, default_country: str) -> Text:
    """The message for a refused phone value: its column, the value as quoted, and why."""
    if problem is NumberProblem.SCIENTIFIC:
        # Translators: {column} is e.g. 'Column "Tel"'; {value} is the cell's value, quoted.
        # "Text" is the name of Excel's cell format (use the name Excel shows in your language).
        return t(
            "{column}: {value} is in scientific notation: Excel turned the number into a"
            " figure like 4.47E+11 and digits were lost. Format the column as Text in Excel"
            " and export the file again.",
            column=column,
            value=value,
        )
    # Translators: {column} is e.g. 'Column "Tel"'; {value} is the cell's value, quoted;
    # {country} is an ISO 3166-1 alpha-2 code such as NL.
    return t(
        "{column}: {value} is not a valid phone number (numbers without a country code are"
        " read as {country}).",
        column=column,
        value=value,
        country=default_country,
    )


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


@lru_cache(maxsize=65_536)
def parse_number(text: str, default_country: str) -> ParsedNumber:
    """Parse one cleaned phone value; a number without a country code is read in default_country.

    Pure, so it is cached: files repeat numbers (a head office's switchboard) and retries
    re-read the same file.
    """
    if ("E" in text or "e" in text) and _is_scientific(text):
        return ParsedNumber(problem=NumberProblem.SCIENTIFIC)
    if text[:4].lower() == _TEL_PREFIX:
        text = text[4:].lstrip()
    if not text.isascii():
        text = text.translate(_SPACES)
    elif text.endswith("0") and _FLOAT_DIGITS.fullmatch(text):
        text = text.partition(".")[0]
    library = _library
    types = library.PhoneNumberType
    # number_type is UNKNOWN exactly when is_valid_number is False (both match the number
    # against its region's patterns); one call instead of two halves the cost.
    fast = library is _phonenumbers
    number_type_of = phonenumbers_type if fast else library.number_type
    number = _plain_number(text, default_country) if fast else None
    number_type = number_type_of(number) if number is not None else types.UNKNOWN
    if number_type == types.UNKNOWN:  # not plain, or not valid: the library reads it whole
        try:
            number = library.parse(text, default_country)
        except library.NumberParseException:
            return ParsedNumber(problem=NumberProblem.INVALID)
        number_type = number_type_of(number)
    if number_type == types.UNKNOWN:
        return ParsedNumber(problem=NumberProblem.INVALID)
    kind = (
        NumberKind.FIXED_LINE
        if number_type == types.FIXED_LINE
        else NumberKind.MOBILE
        if number_type == types.MOBILE
        else NumberKind.EITHER
    )
    # E.164 has no extension: "x123" is read and not stored.
    e164 = library.format_number(number, library.PhoneNumberFormat.E164)
    return ParsedNumber(e164=e164, kind=kind)


# The fast path for plain spellings (phonenumbers only; rphonenumbers is fast already).
# phonenumbers.parse spends most of its time finding and normalizing the number in free
# text; a number written as digits with spaces, dashes, dots or brackets, with "+", "00"
# or one national "0" in front, is split into country code and national number directly.
# Only a *valid* result is kept: for it, the library's own steps (international prefix,
# country code, national prefix stripped unless the rest is not viable, length check) give
# the same number, and anything else is read by phonenumbers.parse. The regions whose
# national spellings it reads have "00" as international and "0" as national prefix, with no
# carrier codes or transform rules (NL, BE, DE, FR, AT, CH, SE, IE, ...); an international
# number is read for a country code whose national prefix is "0" or none, when the rest
# does not start with 0. tests/validator_worker/rows/test_phone_fast_path.py compares the two
# on a generated corpus of 40,000 spellings.
_PLAIN = re.compile(r"\+?[0-9 ().-]{4,40}")
_SEPARATORS = str.maketrans("", "", " ().-")


@lru_cache(maxsize=512)
def _region_code(region: str) -> int | None:
    """The country code of a region whose national spellings the fast path reads."""
    metadata = _phonenumbers.PhoneMetadata.metadata_for_region(region, None)
    if (
        metadata is None
        or metadata.international_prefix != "00"
        or metadata.national_prefix_for_parsing != "0"
        or metadata.national_prefix_transform_rule
        or metadata.country_code is None
    ):
        return None
    return metadata.country_code


@lru_cache(maxsize=512)
def _plain_country(code: int) -> bool:
    """Whether numbers of this country code have no national prefix to strip but "0"."""
    region = _phonenumbers.region_code_for_country_code(code)
    metadata = _phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(code, region)
    return metadata is not None and (
        metadata.national_prefix_for_parsing in (None, "0")
        and not metadata.national_prefix_transform_rule
    )


def _plain_number(text: str, region: str) -> _phonenumbers.PhoneNumber | None:
    """The phonenumbers PhoneNumber of a plain spelling, or None: ask phonenumbers.parse."""
    if not _PLAIN.fullmatch(text):
        return None
    digits = text.translate(_SEPARATORS)
    if digits.startswith("+"):
        international = digits[1:]
    elif digits.startswith("00") and _region_code(region) is not None:
        international = digits[2:]
    else:
        code = _region_code(region)
        if code is None or not digits.startswith("0") or digits[1:2] in ("", "0"):
            return None
        return _phonenumbers.PhoneNumber(country_code=code, national_number=int(digits[1:]))
    if not international.isdigit() or international[0] == "0":
        return None
    for length in (1, 2, 3):
        code = int(international[:length])
        if code in _phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            national = international[length:]
            if len(national) < 2 or national[0] == "0" or not _plain_country(code):
                return None
            return _phonenumbers.PhoneNumber(country_code=code, national_number=int(national))
    return None


# phonenumbers.number_type, for a country code that one region has, without the library's
# calls per pattern: it matches the national number against the region's general pattern,
# then the special types in the library's order (premium rate, toll-free, shared cost,
# VoIP, personal, pager, UAN, voicemail), then fixed line and mobile, each after a check of
# the type's possible lengths. Here those patterns are compiled once per country code and
# tried in the same order with the same checks; ~5x faster, and
# tests/validator_worker/rows/test_phone_number_type.py requires the library's answer on
# every region's example numbers and 100,000 variants of them. A country code that several
# regions share (+1, +44, +7, ...) is left to the library, which picks the region first.
_Desc = tuple[frozenset[int] | None, Callable[[str], object] | None] | None
_SPECIAL_TYPES = (
    ("premium_rate", _phonenumbers.PhoneNumberType.PREMIUM_RATE),
    ("toll_free", _phonenumbers.PhoneNumberType.TOLL_FREE),
    ("shared_cost", _phonenumbers.PhoneNumberType.SHARED_COST),
    ("voip", _phonenumbers.PhoneNumberType.VOIP),
    ("personal_number", _phonenumbers.PhoneNumberType.PERSONAL_NUMBER),
    ("pager", _phonenumbers.PhoneNumberType.PAGER),
    ("uan", _phonenumbers.PhoneNumberType.UAN),
    ("voicemail", _phonenumbers.PhoneNumberType.VOICEMAIL),
)


@dataclass(frozen=True)
class _Types:
    general: _Desc
    special: tuple[tuple[int, _Desc], ...]
    fixed_line: _Desc
    mobile: _Desc
    same_mobile_and_fixed_line: bool


def _desc(desc: _phonenumbers.PhoneNumberDesc | None) -> _Desc:
    if desc is None:
        return None
    lengths = frozenset(desc.possible_length) if len(desc.possible_length) > 0 else None
    pattern = desc.national_number_pattern
    return lengths, re.compile(pattern).fullmatch if pattern else None


@lru_cache(maxsize=1024)
def _types(country_code: int) -> _Types | None:
    regions = _phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(country_code)
    if regions is None or len(regions) != 1:
        return None
    metadata = _phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(
        country_code, regions[0]
    )
    if metadata is None:
        return None
    return _Types(
        _desc(metadata.general_desc),
        tuple((kind, _desc(getattr(metadata, name))) for name, kind in _SPECIAL_TYPES),
        _desc(metadata.fixed_line),
        _desc(metadata.mobile),
        bool(metadata.same_mobile_and_fixed_line_pattern),
    )


def _matches(national: str, desc: _Desc) -> bool:
    if desc is None:
        return False
    lengths, fullmatch = desc
    if lengths is not None and len(national) not in lengths:
        return False
    return fullmatch is not None and fullmatch(national) is not None


def phonenumbers_type(number: _phonenumbers.PhoneNumber) -> int:
    """phonenumbers.number_type(number), the same answer for every number."""
    types = _types(number.country_code)
    if types is None:
        return int(_phonenumbers.number_type(number))
    kinds = _phonenumbers.PhoneNumberType
    national = str(number.national_number)
    if number.italian_leading_zero:
        zeros = 1 if number.number_of_leading_zeros is None else number.number_of_leading_zeros
        national = "0" * max(zeros, 0) + national
    if not _matches(national, types.general):
        return int(kinds.UNKNOWN)
    for kind, desc in types.special:
        if _matches(national, desc):
            return int(kind)
    if _matches(national, types.fixed_line):
        if types.same_mobile_and_fixed_line or _matches(national, types.mobile):
            return int(kinds.FIXED_LINE_OR_MOBILE)
        return int(kinds.FIXED_LINE)
    if not types.same_mobile_and_fixed_line and _matches(national, types.mobile):
        return int(kinds.MOBILE)
    return int(kinds.UNKNOWN)
