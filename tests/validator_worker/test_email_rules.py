"""E-mail values: what is accepted, how it is stored, what is refused."""

from __future__ import annotations

import pytest

from services.validator_worker.email_rules import check_email


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        pytest.param("jan@example.nl", "jan@example.nl", id="plain"),
        pytest.param("Jan.Smit@Example.COM", "Jan.Smit@example.com", id="domain-lowered"),
        pytest.param("o'brien+tag@example.ie", "o'brien+tag@example.ie", id="apostrophe-plus"),
        pytest.param("mailto:jan@example.nl", "jan@example.nl", id="mailto"),
        pytest.param("MAILTO:jan@example.nl?subject=Hi", "jan@example.nl", id="mailto-query"),
        pytest.param("Jan Smit <jan@Example.nl>", "jan@example.nl", id="display-name"),
        pytest.param("zoë@bücher.de", "zoë@bücher.de", id="international"),
    ],
)
def test_valid_addresses_are_stored_normalized(text: str, stored: str) -> None:
    checked = check_email(text)

    assert (checked.normalized, checked.problem) == (stored, "")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("jan", id="no-at"),
        pytest.param("jan@", id="no-domain"),
        pytest.param("jan@@example.nl", id="two-at"),
        pytest.param("jan@localhost", id="no-dot"),
        pytest.param("jan smit@example.nl", id="space"),
        pytest.param("jan@example..nl", id="double-dot"),
    ],
)
def test_invalid_addresses_say_why(text: str) -> None:
    checked = check_email(text)

    assert checked.normalized == ""
    assert checked.problem.startswith("is not a valid e-mail address: ")
