"""E-mail addresses: checked with email-validator (syntax only, no network look-ups)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
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


class EmailProblem(StrEnum):
    """Why an e-mail value is refused, said in the reader's language by `problem_text`.

    email-validator explains in English sentences; `_problem_of` sorts them into these.
    """

    NO_AT = "no-at"  # no "@", or a look-alike (full-width "＠")
    NOTHING_BEFORE_AT = "nothing-before-at"
    NOTHING_AFTER_AT = "nothing-after-at"
    CHARACTER_BEFORE_AT = "character-before-at"  # a space, comma, quote ... in the mailbox
    CHARACTER_AFTER_AT = "character-after-at"  # a character no domain name has
    CHARACTER = "character"  # a character not allowed, where the library does not say
    INVISIBLE_CHARACTER = "invisible-character"  # control, format or private-use characters
    PUNCTUATION = "punctuation"  # ".." or a period/hyphen at the start or end of a part
    NOT_A_DOMAIN = "not-a-domain"  # no period, no known top-level domain, bad brackets/IDNA
    RESERVED_DOMAIN = "reserved-domain"  # localhost, .test, .invalid, ...
    TOO_LONG = "too-long"  # a domain label over 63 (the whole value's length is checked before)
    EXTRA_TEXT = "extra-text"  # text around the address: after it, unbalanced <...>
    OTHER = "other"  # anything email-validator may say that none of the above is


@dataclass(frozen=True)
class CheckedEmail:
    """An e-mail value checked: its stored form, or why it is refused."""

    normalized: str = ""
    problem: EmailProblem | None = None


# (words in email-validator 2.x's message, lower-cased; the problem), first match wins.
# tests/validator_worker/rows/test_email_rules.py checks that the addresses it refuses on
# every edge get a problem other than OTHER, so a library upgrade that rewords is noticed.
_LIBRARY_MESSAGES: tuple[tuple[tuple[str, ...], EmailProblem], ...] = (
    (("must have an @-sign",), EmailProblem.NO_AT),
    (("instead of a regular at-sign",), EmailProblem.NO_AT),
    (("something before the @-sign",), EmailProblem.NOTHING_BEFORE_AT),
    (("something after the @-sign",), EmailProblem.NOTHING_AFTER_AT),
    (("too long",), EmailProblem.TOO_LONG),
    (("so many characters",), EmailProblem.TOO_LONG),
    (("unsafe characters",), EmailProblem.INVISIBLE_CHARACTER),
    (("special-use or reserved",), EmailProblem.RESERVED_DOMAIN),
    (("two periods in a row",), EmailProblem.PUNCTUATION),
    (("period and a hyphen",), EmailProblem.PUNCTUATION),
    (("cannot start with a",), EmailProblem.PUNCTUATION),
    (("cannot end with a",), EmailProblem.PUNCTUATION),
    (("cannot have a", "immediately"), EmailProblem.PUNCTUATION),
    (("display name",), EmailProblem.EXTRA_TEXT),
    (("angle bracket",), EmailProblem.EXTRA_TEXT),
    (("anything after the email address",), EmailProblem.EXTRA_TEXT),
    (("after close quote",), EmailProblem.CHARACTER_BEFORE_AT),
    (("quoting the part before",), EmailProblem.CHARACTER_BEFORE_AT),
    (("before the @-sign",), EmailProblem.CHARACTER_BEFORE_AT),
    (("after the @-sign", "character"), EmailProblem.CHARACTER_AFTER_AT),
    (("after the @-sign",), EmailProblem.NOT_A_DOMAIN),
    (("two dashes",), EmailProblem.NOT_A_DOMAIN),
    (("character",), EmailProblem.CHARACTER),
    (("not valid ascii",), EmailProblem.CHARACTER),
)


def _problem_of(library_message: str) -> EmailProblem:
    lowered = library_message.lower()
    for words, problem in _LIBRARY_MESSAGES:
        if all(word in lowered for word in words):
            return problem
    return EmailProblem.OTHER


def problem_text(column: Text, value: str, problem: EmailProblem) -> Text:
    """The message for a refused e-mail value: its column, the value as quoted, and why."""
    # Translators: in each of these, {column} is e.g. 'Column "E-mail"' and {value} the
    # cell's value, quoted.
    match problem:
        case EmailProblem.NO_AT:
            return t(
                "{column}: {value} is not a valid e-mail address: it has no @.",
                column=column,
                value=value,
            )
        case EmailProblem.NOTHING_BEFORE_AT:
            return t(
                "{column}: {value} is not a valid e-mail address: nothing comes before the @.",
                column=column,
                value=value,
            )
        case EmailProblem.NOTHING_AFTER_AT:
            return t(
                "{column}: {value} is not a valid e-mail address: nothing comes after the @.",
                column=column,
                value=value,
            )
        case EmailProblem.CHARACTER_BEFORE_AT:
            return t(
                "{column}: {value} is not a valid e-mail address: the part before the @ holds a"
                " character an e-mail address cannot have (such as a space, a comma or a quote).",
                column=column,
                value=value,
            )
        case EmailProblem.CHARACTER_AFTER_AT:
            return t(
                "{column}: {value} is not a valid e-mail address: the part after the @ holds a"
                " character a domain name cannot have (such as a space, a comma or an"
                " underscore).",
                column=column,
                value=value,
            )
        case EmailProblem.CHARACTER:
            return t(
                "{column}: {value} is not a valid e-mail address: it holds a character an"
                " e-mail address cannot have.",
                column=column,
                value=value,
            )
        case EmailProblem.INVISIBLE_CHARACTER:
            return t(
                "{column}: {value} is not a valid e-mail address: it holds an invisible or"
                " control character; type the address again.",
                column=column,
                value=value,
            )
        case EmailProblem.PUNCTUATION:
            return t(
                "{column}: {value} is not a valid e-mail address: a period or hyphen is in the"
                " wrong place (two in a row, or at the start or end of a part).",
                column=column,
                value=value,
            )
        case EmailProblem.NOT_A_DOMAIN:
            return t(
                "{column}: {value} is not a valid e-mail address: the part after the @ is not a"
                " domain name such as example.nl.",
                column=column,
                value=value,
            )
        case EmailProblem.RESERVED_DOMAIN:
            return t(
                "{column}: {value} is not a valid e-mail address: the part after the @ is a"
                " reserved name that cannot receive e-mail.",
                column=column,
                value=value,
            )
        case EmailProblem.TOO_LONG:
            return t(
                "{column}: {value} is not a valid e-mail address: a part of it is too long (a"
                " domain name has at most 63 characters between two periods).",
                column=column,
                value=value,
            )
        case EmailProblem.EXTRA_TEXT:
            return t(
                "{column}: {value} is not a valid e-mail address: there is other text around"
                " the address; keep only the address itself.",
                column=column,
                value=value,
            )
        case EmailProblem.OTHER:
            return t(
                "{column}: {value} is not a valid e-mail address.",
                column=column,
                value=value,
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
        return CheckedEmail(problem=_problem_of(str(error)))
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
