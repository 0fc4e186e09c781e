"""Phone values: spellings accepted, invalid and scientific-notation values.

Label words are tests/shared/mapping/test_labels.py (one classifier for preview and import).
"""

from __future__ import annotations

import phonenumbers
import pytest

from services.validator_worker.rows.phone_rules import (
    NumberKind,
    NumberProblem,
    parse_number,
    problem_text,
)
from services.validator_worker.rows.problems import columns_text


def _message(text: str, country: str) -> str:
    """The English message for a refused phone value in a column \"Tel\"."""
    problem = parse_number(text, country).problem
    assert problem is not None
    return str(problem_text(problem, columns_text(["Tel"]), f'"{text}"', country))


@pytest.mark.parametrize(
    ("text", "country", "e164", "kind"),
    [
        pytest.param("06 12345678", "NL", "+31612345678", NumberKind.MOBILE, id="spaces"),
        pytest.param("06-12.34.56.78", "NL", "+31612345678", NumberKind.MOBILE, id="dots-dashes"),
        pytest.param("(020) 123 4567", "NL", "+31201234567", NumberKind.FIXED_LINE, id="parens"),
        pytest.param("0031 20 1234567", "NL", "+31201234567", NumberKind.FIXED_LINE, id="lead-00"),
        pytest.param(
            "+31 (0)20 123 4567", "NL", "+31201234567", NumberKind.FIXED_LINE, id="plus-0"
        ),
        pytest.param("tel:+31-6-12345678", "NL", "+31612345678", NumberKind.MOBILE, id="tel-uri"),
        pytest.param("TEL:+31612345678", "DE", "+31612345678", NumberKind.MOBILE, id="tel-upper"),
        pytest.param("020 1234567 x123", "NL", "+31201234567", NumberKind.FIXED_LINE, id="ext-x"),
        pytest.param("020 1234567 ext. 12", "NL", "+31201234567", NumberKind.FIXED_LINE, id="ext"),
        pytest.param("612345678", "NL", "+31612345678", NumberKind.MOBILE, id="excel-lost-zero"),
        pytest.param("612345678.0", "NL", "+31612345678", NumberKind.MOBILE, id="float-text"),
        pytest.param(
            "+31612345678.00", "NL", "+31612345678", NumberKind.MOBILE, id="float-text-plus"
        ),
        pytest.param(
            "06\u202f12\u202f34\u202f56\u202f78",
            "NL",
            "+31612345678",
            NumberKind.MOBILE,
            id="narrow-no-break-spaces",
        ),
        pytest.param(
            "06\u2009123\u00a045678", "NL", "+31612345678", NumberKind.MOBILE, id="thin-spaces"
        ),
        pytest.param(
            "+44 7911 123456", "NL", "+447911123456", NumberKind.MOBILE, id="other-country"
        ),
        pytest.param("(212) 555-0100", "US", "+12125550100", NumberKind.EITHER, id="us-either"),
    ],
)
def test_valid_spellings_give_e164(text: str, country: str, e164: str, kind: NumberKind) -> None:
    parsed = parse_number(text, country)

    assert (parsed.e164, parsed.kind, parsed.problem) == (e164, kind, None)


@pytest.mark.parametrize(
    ("text", "problem", "words"),
    [
        pytest.param("12ab", NumberProblem.INVALID, "not a valid phone number", id="letters"),
        pytest.param("123", NumberProblem.INVALID, "not a valid phone number", id="too-short"),
        pytest.param("1234.0", NumberProblem.INVALID, "not a valid phone number", id="short-float"),
        pytest.param(
            "612345678.5", NumberProblem.INVALID, "not a valid phone number", id="fraction"
        ),
        pytest.param(
            "06 1234567890123", NumberProblem.INVALID, "not a valid phone number", id="too-long"
        ),
        pytest.param(
            "+99 1234567", NumberProblem.INVALID, "not a valid phone number", id="no-such-country"
        ),
        pytest.param(
            "4.47E+11", NumberProblem.SCIENTIFIC, "scientific notation", id="scientific-dot"
        ),
        pytest.param(
            "4,47E+11", NumberProblem.SCIENTIFIC, "scientific notation", id="scientific-comma"
        ),
        pytest.param(
            "3.1612e10", NumberProblem.SCIENTIFIC, "scientific notation", id="scientific-lower"
        ),
    ],
)
def test_invalid_values_say_why(text: str, problem: NumberProblem, words: str) -> None:
    parsed = parse_number(text, "NL")

    assert parsed.e164 == ""
    assert parsed.problem is problem
    assert words in _message(text, "NL")


def test_scientific_notation_tells_what_to_do() -> None:
    message = _message("4.47E+11", "GB")

    assert message == (
        'Column "Tel": "4.47E+11" is in scientific notation: Excel turned the number into a'
        " figure like 4.47E+11 and digits were lost. Format the column as Text in Excel and"
        " export the file again."
    )


def test_invalid_message_names_the_default_country() -> None:
    assert _message("12ab", "BE") == (
        'Column "Tel": "12ab" is not a valid phone number (numbers without a country code are'
        " read as BE)."
    )


@pytest.mark.parametrize(
    "text",
    ["+31201234567", "+31612345678", "+12125550100", "+31 6 9", "+800 1234 5678", "+4420"],
)
def test_number_type_check_matches_is_valid_number(text: str) -> None:
    number = phonenumbers.parse(text, "NL")
    valid = phonenumbers.is_valid_number(number)

    assert (parse_number(text, "NL").e164 != "") is valid
