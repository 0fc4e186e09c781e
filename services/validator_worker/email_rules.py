"""E-mail addresses: checked with email-validator (syntax only, no network look-ups)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email

MAX_EMAIL_LENGTH = 254
_MAILTO_PREFIX = "mailto:"


@dataclass(frozen=True)
class CheckedEmail:
    """An e-mail value checked: its stored form, or why it is refused."""

    normalized: str = ""
    problem: str = ""  # the reason without the column, e.g. 'is not a valid e-mail address: ...'


@lru_cache(maxsize=65_536)
def check_email(text: str) -> CheckedEmail:
    """Check one cleaned e-mail value and give the form to store.

    Accepted spellings: a "mailto:" link (its "?subject=..." part dropped) and a display
    name form "Jan Smit <jan@example.nl>" (only the address is stored). The domain is
    stored lower-cased, the local part as written (mail servers may treat its case).
    """
    if text[:7].lower() == _MAILTO_PREFIX:
        text = text[7:].partition("?")[0].strip()
    try:
        checked = validate_email(text, check_deliverability=False, allow_display_name=True)
    except EmailNotValidError as error:
        return CheckedEmail(problem=f"is not a valid e-mail address: {error}")
    return CheckedEmail(normalized=checked.normalized)
