"""Which of the supported languages a reader asks for (`accept-language`, a `locale` claim).

Standard semantics (RFC 9110 §12.5.4): a comma-separated list of language tags, each with an
optional `;q=` weight (default 1, 0 means "not this"); the highest-weighted tag the service
speaks wins, a regional tag matching its language ("nl-BE" → nl) and "*" matching the default.
Equal weights keep the caller's order.
"""

from __future__ import annotations

LANGUAGES = ("en", "nl", "fr", "de")
DEFAULT_LANGUAGE = "en"

# At most this many entries are looked at (a header is the caller's input).
MAX_ENTRIES = 32


def _weight(parameters: list[str]) -> float | None:
    for parameter in parameters:
        name, _, value = parameter.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                weight = float(value)
            except ValueError:
                return None
            return weight if 0 <= weight <= 1 else None
    return 1.0


def supported_language(tag: str) -> str | None:
    """The supported language of one tag ("nl-BE", "de_CH", "FR"), or None."""
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else None


def negotiate(accept_language: str) -> str | None:
    """The best supported language of an accept-language value, or None when none fits."""
    choices: list[tuple[float, int, str]] = []
    for order, entry in enumerate(accept_language.split(",")[:MAX_ENTRIES]):
        tag, *parameters = entry.split(";")
        weight = _weight(parameters)
        if not tag.strip() or weight is None or weight == 0:
            continue
        language = DEFAULT_LANGUAGE if tag.strip() == "*" else supported_language(tag)
        if language is not None:
            choices.append((-weight, order, language))
    return min(choices)[2] if choices else None


def asked_for(accept_language: str = "", locale_claim: str = "") -> str | None:
    """accept-language first, then the token's `locale` claim; None when neither names one."""
    return negotiate(accept_language) or (
        supported_language(locale_claim) if locale_claim else None
    )


def choose_language(accept_language: str = "", locale_claim: str = "") -> str:
    """accept-language first, then the token's `locale` claim, then English."""
    return asked_for(accept_language, locale_claim) or DEFAULT_LANGUAGE
