"""E-mail values: what is accepted, how it is stored, what is refused."""

from __future__ import annotations

import random

import pytest
from email_validator import EmailNotValidError, validate_email

from services.validator_worker.rows.email_rules import (
    CheckedEmail,
    EmailProblem,
    _plain_address,
    _problem_of,
    check_email,
    problem_text,
)
from services.validator_worker.rows.problems import columns_text
from shared.i18n.catalogues import render
from shared.i18n.negotiation import LANGUAGES


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

    assert (checked.normalized, checked.problem) == (stored, None)


E = EmailProblem


@pytest.mark.parametrize(
    ("text", "problem", "words"),
    [
        pytest.param("jan", E.NO_AT, "it has no @", id="no-at"),
        pytest.param("jan＠example.nl", E.NO_AT, "it has no @", id="full-width-at"),
        pytest.param("@example.nl", E.NOTHING_BEFORE_AT, "nothing comes before", id="no-mailbox"),
        pytest.param("jan@", E.NOTHING_AFTER_AT, "nothing comes after", id="no-domain"),
        pytest.param("jan@@example.nl", E.CHARACTER_AFTER_AT, "domain name cannot", id="two-at"),
        pytest.param("jan smit@example.nl", E.CHARACTER_BEFORE_AT, "a space", id="space"),
        pytest.param("jan,smit@example.nl", E.CHARACTER_BEFORE_AT, "a comma", id="comma"),
        pytest.param("jan@exa_mple.nl", E.CHARACTER_AFTER_AT, "underscore", id="underscore"),
        pytest.param("jan\u200b@example.nl", E.INVISIBLE_CHARACTER, "invisible", id="zwsp"),
        pytest.param("jan@example..nl", E.PUNCTUATION, "two in a row", id="double-dot"),
        pytest.param("jan.@example.nl", E.PUNCTUATION, "wrong place", id="dot-before-at"),
        pytest.param(".jan@example.nl", E.PUNCTUATION, "wrong place", id="leading-dot"),
        pytest.param("jan@-example.nl", E.PUNCTUATION, "wrong place", id="leading-hyphen"),
        pytest.param("jan@localhost", E.NOT_A_DOMAIN, "example.nl", id="no-dot"),
        pytest.param("jan@example.123", E.NOT_A_DOMAIN, "example.nl", id="numeric-tld"),
        pytest.param("jan@host.local", E.RESERVED_DOMAIN, "reserved", id="special-use"),
        pytest.param(f"jan@{'x' * 64}.nl", E.TOO_LONG, "63 characters", id="label-64"),
        pytest.param("Jan <jan@example.nl> x", E.EXTRA_TEXT, "other text", id="text-after"),
        pytest.param('"jan"x@example.nl', E.CHARACTER_BEFORE_AT, "quote", id="after-quote"),
        pytest.param("<jan@example.nl", E.EXTRA_TEXT, "other text", id="open-bracket"),
    ],
)
def test_invalid_addresses_say_why(text: str, problem: EmailProblem, words: str) -> None:
    checked = check_email(text)

    assert (checked.normalized, checked.problem) == ("", problem)
    message = str(problem_text(columns_text(["E-mail"]), f'"{text}"', problem))
    assert message.startswith(f'Column "E-mail": "{text}" is not a valid e-mail address')
    assert words in message


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("problem", list(EmailProblem))
def test_every_problem_has_its_own_message_in_every_language(
    problem: EmailProblem, language: str
) -> None:
    def said(which: EmailProblem) -> str:
        return render(problem_text(columns_text(["E-mail"]), '"x"', which), language)

    assert said(problem).count('"x"') == 1
    assert [said(p) for p in EmailProblem].count(said(problem)) == 1


def _tricky_addresses(count: int, seed: int) -> list[str]:
    """Addresses built from pieces on every edge of the plain-address subset, and plain ones."""
    rng = random.Random(seed)
    good_locals = ["jan", "Jan.Smit", "o'brien+tag", "a_b-c", "x{y}|z~", "a!#$%&*/=?^`", "x" * 64]
    bad_locals = [
        "a..b", ".a", "a.", '"q"', '"a b"', "jan smit", "zoë", "info", "POSTMASTER", "Sales",
        "x" * 65, "a@b", "a(b)", "a,b", "a\\b", "", "日本", "a\tb", "a<b",
    ]  # fmt: skip
    good_labels = ["example", "Example", "EXAMPLE", "a", "a-b", "1", "123", "x" * 63, "ab-c"]
    bad_labels = [
        "-a", "a-", "ab--c", "xn--bcher-kva", "bücher", "a_b", "", "x" * 64, "ｅｘａｍｐｌｅ",
        "a b", "local", "test", "invalid", "localhost", "onion",
    ]  # fmt: skip
    good_tlds = ["nl", "COM", "co.uk", "x" * 63, "example"]
    bad_tlds = [
        "local", "test", "invalid", "localhost", "arpa", "onion", "alt", "123", "b1", "x" * 64,
        "nl.", "", "中国", "xn--fiqs8s", "nl ",
    ]  # fmt: skip

    def pick(good: list[str], bad: list[str]) -> str:
        return rng.choice(good if rng.random() < 0.8 else bad)

    out = []
    for _ in range(count):
        labels = [pick(good_labels, bad_labels) for _ in range(rng.choice([0, 1, 1, 2, 4]))]
        domain = ".".join([*labels, pick(good_tlds, bad_tlds)])
        if rng.random() < 0.03:
            domain = ".".join(["a" * 60] * 5) + ".nl"  # longer than 253
        address = f"{pick(good_locals, bad_locals)}@{domain}"
        shape = rng.random()
        if shape < 0.05:
            address = f"Jan <{address}>"
        elif shape < 0.08:
            address = address.replace("@", "@@", 1)
        elif shape < 0.1:
            address = f" {address}"
        elif shape < 0.12:
            address = f"mailto:{address}?subject=Hi"
        out.append(address)
    return out


def _email_validator_alone(text: str) -> CheckedEmail:
    """check_email as it was before the shortcut: every address through email-validator."""
    if text[:7].lower() == "mailto:":
        text = text[7:].partition("?")[0].strip()
    try:
        checked = validate_email(text, check_deliverability=False, allow_display_name=True)
    except EmailNotValidError as error:
        return CheckedEmail(problem=_problem_of(str(error)))
    return CheckedEmail(normalized=checked.normalized)


def test_every_refusal_of_email_validator_has_a_named_problem() -> None:
    # Given addresses on every edge that email-validator refuses, each with its English reason
    refused: dict[str, str] = {}
    for address in _tricky_addresses(4000, seed=20261203):
        try:
            validate_email(address, check_deliverability=False, allow_display_name=True)
        except EmailNotValidError as error:
            refused[str(error)] = address

    # Then each reason is sorted into a problem the reader is told in their language
    assert len(refused) > 20
    assert {m: a for m, a in refused.items() if _problem_of(m) is EmailProblem.OTHER} == {}


def test_plain_address_shortcut_never_disagrees_with_email_validator() -> None:
    # Given tricky addresses, accepted and refused ones
    addresses = _tricky_addresses(4000, seed=20261126)

    # When each is checked with the shortcut and without it
    taken = [a for a in addresses if _plain_address(a) is not None]
    differ = [a for a in addresses if check_email.__wrapped__(a) != _email_validator_alone(a)]

    # Then the answers (stored form and message) are the same, and both paths were used
    assert differ == []
    assert 1000 < len(taken) < len(addresses) - 1000


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("jan@example.nl", id="plain"),
        pytest.param("Jan.Smit@Sub.Example.COM", id="upper-domain"),
        pytest.param("o'brien+tag@example.ie", id="atext"),
        pytest.param(f"{'j' * 64}@example.nl", id="local-64"),
    ],
)
def test_plain_addresses_take_the_shortcut(text: str) -> None:
    assert _plain_address(text) == check_email(text).normalized != ""


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("jan@host.local", id="special-use"),
        pytest.param("jan@localhost", id="no-dot"),
        pytest.param("Info@example.nl", id="rfc2142-name-lowered"),
        pytest.param("jan@ab--c.nl", id="r-ldh-label"),
        pytest.param("jan@example.123", id="numeric-tld"),
        pytest.param("zoë@example.nl", id="unicode"),
        pytest.param(f"{'j' * 65}@example.nl", id="local-65"),
    ],
)
def test_other_addresses_go_to_email_validator(text: str) -> None:
    assert _plain_address(text) is None
