"""Opaque, signed keyset page tokens, bound to the tenant and to the list's filter.

A token is base64url(JSON payload) + "." + base64url(HMAC-SHA256). The payload holds the
keyset position of the last row served, the tenant and a digest of the filter, so a token
of another tenant, of another filter, or a changed one is refused as INVALID_ARGUMENT.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from shared.errors import FieldViolation, InvalidRequest, Reason
from shared.i18n.text import t

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def page_size(requested: int) -> int:
    """The page size to serve: default 20, larger than 100 lowered, negative refused."""
    if requested < 0:
        raise InvalidRequest(
            t("page_size cannot be negative."),
            [
                FieldViolation(
                    "page_size",
                    t(
                        "Give 0 for the default ({default}) or up to {max}.",
                        default=DEFAULT_PAGE_SIZE,
                        max=MAX_PAGE_SIZE,
                    ),
                )
            ],
        )
    return min(requested or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class PageTokens:
    """Signs and checks page tokens with a server key."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def _sign(self, payload: bytes) -> bytes:
        return hmac.new(self._key, payload, hashlib.sha256).digest()

    def encode(self, tenant_id: str, scope: str, position: list[Any]) -> str:
        """A token for the page after `position` of list `scope` (a filter digest)."""
        payload = json.dumps(
            {"t": tenant_id, "s": scope, "p": position}, separators=(",", ":")
        ).encode()
        return f"{_b64(payload)}.{_b64(self._sign(payload))}"

    def decode(self, token: str, tenant_id: str, scope: str) -> list[Any] | None:
        """The position a token stands for; None for an empty token (the first page)."""
        if not token:
            return None
        try:
            body, _, signature = token.partition(".")
            payload = _unb64(body)
            if not hmac.compare_digest(self._sign(payload), _unb64(signature)):
                raise ValueError("bad signature")
            data = json.loads(payload)
            if data["t"] != tenant_id or data["s"] != scope:
                raise ValueError("token of another tenant or filter")
            position = data["p"]
            if not isinstance(position, list):
                raise ValueError("bad position")
            return position
        except (ValueError, KeyError, TypeError, json.JSONDecodeError):
            raise InvalidRequest(
                t("The page token is not valid for this list."),
                [
                    FieldViolation(
                        "page_token",
                        t(
                            "Pass the next_page_token of the previous page unchanged, with the "
                            "same filter, or leave it empty for the first page."
                        ),
                    )
                ],
                Reason.INVALID_REQUEST,
            ) from None


def scope_of(**filters: str) -> str:
    """A short digest of a list's filter values, so a token only fits its own filter."""
    text = json.dumps(filters, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def page_token_key(jwt_key: str, configured: str) -> bytes:
    """The signing key: CONTACTIMPORT_PAGE_TOKEN_KEY, else one derived from the JWT key."""
    if configured:
        return configured.encode()
    return hmac.new(jwt_key.encode(), b"contactimport page tokens", hashlib.sha256).digest()
