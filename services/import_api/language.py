"""The language an RPC is answered in, chosen once per call by the interceptor.

`accept-language` request metadata first (`nl-BE, fr;q=0.8`), then the token's `locale`
claim, then English (shared.i18n.negotiation). Everything the API renders for the caller
(status messages, explanations, history texts, the failure workbook) reads it here.
"""

from __future__ import annotations

import contextvars

from shared.i18n.catalogues import render
from shared.i18n.negotiation import DEFAULT_LANGUAGE
from shared.i18n.text import Text

_language: contextvars.ContextVar[str] = contextvars.ContextVar(
    "language", default=DEFAULT_LANGUAGE
)


_asked: contextvars.ContextVar[bool] = contextvars.ContextVar("language_asked", default=False)


def set_language(language: str | None) -> None:
    """Set by the interceptor before the handler runs (each RPC has its own context);
    None: the call names no language (English, or the import's own where it has one)."""
    _language.set(language or DEFAULT_LANGUAGE)
    _asked.set(language is not None)


def current_language() -> str:
    return _language.get()


def asked_language() -> str | None:
    """The language the call asked for (accept-language or the token's claim), or None."""
    return _language.get() if _asked.get() else None


def localized(text: Text) -> str:
    """The text in the caller's language."""
    return render(text, _language.get())
