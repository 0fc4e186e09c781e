"""E-mail addresses: checked with email-validator (syntax only, no network look-ups)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import email_validator
from email_validator import EmailNotValidError, validate_email
from email_validator.rfc_constants import CASE_INSENSITIVE_MAILBOX_NAMES

from shared.i18n.text import Text, t

MAX_EMAIL_LENGTH = 254
_MAILTO_PREFIX = "mailto:"

# The plain ASCII addresses almost every file holds, for which email-validator's answer is
# known without asking it (its full check costs ~25 µs an address): a dot-atom local part
# of RFC 5322 atext, one "@", and a domain of LDH labels (none starting or ending with "-")
# ending in a TLD of letters. Lengths and the remaining rules are checked in
# _plain_address; anything else goes to email-validator.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_PLAIN_ADDRESS = re.compile(rf"({_ATEXT}(?:\.{_ATEXT})*)@((?:{_LABEL}\.)+[A-Za-z]+)")
_PLAIN_LOCAL_MAX = 64  # RFC 5321's limit (email-validator checks it only when strict)
_DOMAIN_MAX = 253
_TLD_MAX = 63


@dataclass(frozen=True)
class CheckedEmail:
    """An e-mail value checked: its stored form, or why it is refused."""

    normalized: str = ""
    # Why email-validator refuses it, in its own words (English), e.g. 'There must be
    # something after the @-sign.'; `problem_text` makes the message of it.
    problem: str = ""


def problem_text(column: Text, value: str, problem: str) -> Text:
    """The message for a refused e-mail value: its column, the value as quoted, and why."""
    # Translators: {column} is e.g. 'Column "E-mail"'; {value} is the cell's value,
    # quoted; {problem} is email-validator's explanation, in English (a sentence).
    return t(
        "{column}: {value} is not a valid e-mail address: {problem}",
        column=column,
        value=value,
        problem=problem,
    )


@lru_cache(maxsize=65_536)
def check_email(text: str) -> CheckedEmail:
    """Check one cleaned e-mail value and give the form to store.

    Accepted spellings: a "mailto:" link (its "?subject=..." part dropped) and a display
    name form "Jan Smit <jan@example.nl>" (only the address is stored). The domain is
    stored lower-cased, the local part as written (mail servers may treat its case).
    """
    if text[:7].lower() == _MAILTO_PREFIX:
        text = text[7:].partition("?")[0].strip()
    plain = _plain_address(text)
    if plain is not None:
        return CheckedEmail(normalized=plain)
    try:
        checked = validate_email(text, check_deliverability=False, allow_display_name=True)
    except EmailNotValidError as error:
        return CheckedEmail(problem=str(error))
    return CheckedEmail(normalized=checked.normalized)


def _plain_address(text: str) -> str | None:
    """email-validator's normalized form of a plain ASCII address it accepts, else None.

    None only means "ask email-validator": it is given for every address outside the
    plain subset, accepted or not. Inside the subset email-validator splits at the one
    "@", keeps the dot-atom local part as written, lower-cases the domain (UTS 46 maps
    only A-Z in ASCII), and accepts it unless the local part is an RFC 2142 name it
    lower-cases, a label has "--" at its third character (R-LDH), or the domain is one
    of its special-use names; lengths are counted in characters, which are bytes here.
    tests/validator_worker/test_email_rules.py compares the two on tricky addresses.
    """
    if len(text) > MAX_EMAIL_LENGTH or not text.isascii():
        return None
    match = _PLAIN_ADDRESS.fullmatch(text)
    if match is None:
        return None
    local, domain = match.groups()
    domain = domain.lower()
    if (
        len(local) > _PLAIN_LOCAL_MAX
        or len(domain) > _DOMAIN_MAX
        or "--" in domain
        or local.lower() in CASE_INSENSITIVE_MAILBOX_NAMES
    ):
        return None
    labels = domain.split(".")
    if len(labels[-1]) > _TLD_MAX:
        return None
    # Every ending of the domain ("a.b.nl", "b.nl", "nl") against the library's live list.
    endings = {".".join(labels[i:]) for i in range(len(labels))}
    if not endings.isdisjoint(email_validator.SPECIAL_USE_DOMAIN_NAMES):
        return None
    return f"{local}@{domain}"
