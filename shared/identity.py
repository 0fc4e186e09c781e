"""Who is calling: a bearer JWT verified with the configured key gives tenant and person."""

from __future__ import annotations

import time
from dataclasses import dataclass

import jwt

from shared.errors import Reason, Unauthenticated
from shared.i18n.text import Text, t

# Claims: `tenant_id` (required), `name` (display name, required), `country` (ISO
# 3166-1 alpha-2 of the head office, optional), `locale` (the person's language as a
# BCP 47 tag such as "nl-BE", optional), `sub` (the person's id, optional),
# `exp` (required), `aud` (must equal the configured audience).
REQUIRED_CLAIMS = ["tenant_id", "name", "exp", "aud"]


@dataclass(frozen=True)
class Identity:
    """The tenant and person a call acts for."""

    tenant_id: str
    display_name: str
    country: str = ""
    subject: str = ""
    locale: str = ""


def verify_token(token: str, *, key: str, algorithms: list[str], audience: str) -> Identity:
    """Verify a bearer token and read its claims; raise Unauthenticated when it is bad."""
    if not key:
        raise Unauthenticated(
            t(
                "The server has no JWT key configured, so no token can be verified; "
                "set CONTACTIMPORT_JWT_KEY or CONTACTIMPORT_JWT_KEY_FILE."
            ),
        )
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=algorithms,
            audience=audience,
            options={"require": REQUIRED_CLAIMS},
        )
    except jwt.ExpiredSignatureError:
        raise Unauthenticated(t("The token has expired; ask for a new one.")) from None
    except jwt.MissingRequiredClaimError as exc:
        raise Unauthenticated(
            t("The token has no `{claim}` claim; ask for a new one.", claim=exc.claim)
        ) from None
    except jwt.InvalidTokenError as exc:
        raise Unauthenticated(_invalid_token(exc)) from None
    tenant = claims.get("tenant_id")
    name = claims.get("name")
    country = claims.get("country") or ""
    if not isinstance(tenant, str) or not tenant or not isinstance(name, str) or not name:
        raise Unauthenticated(t("The token must carry a non-empty `tenant_id` and `name` claim."))
    if not isinstance(country, str) or (country and not (len(country) == 2 and country.isalpha())):
        raise Unauthenticated(t("The token's `country` claim must be an ISO 3166-1 alpha-2 code."))
    locale = claims.get("locale") or ""
    if not isinstance(locale, str) or len(locale) > 35:
        raise Unauthenticated(t("The token's `locale` claim must be a language tag such as nl-BE."))
    return Identity(tenant, name, country.upper(), str(claims.get("sub") or ""), locale)


def _invalid_token(exc: jwt.InvalidTokenError) -> Text:
    """Why PyJWT refused a token, said in the reader's language (its own words are English)."""
    if isinstance(exc, jwt.InvalidAudienceError):
        return t("The token is for another service (its `aud` claim); ask for a new one.")
    if isinstance(exc, jwt.InvalidSignatureError):
        return t("The token's signature does not match the server's key; ask for a new one.")
    if isinstance(exc, jwt.ImmatureSignatureError):
        return t(
            "The token is not valid yet (its `nbf` or `iat` claim lies in the future); check"
            " the clocks of the issuer and this server."
        )
    if isinstance(exc, jwt.InvalidAlgorithmError):
        return t("The token is signed with an algorithm the server does not accept.")
    return t("The bearer token cannot be read (it is damaged or not a JWT); ask for a new one.")


def mint_token(
    *,
    key: str,
    tenant_id: str,
    name: str,
    country: str = "",
    subject: str = "",
    locale: str = "",
    audience: str = "contactimport",
    ttl_seconds: int = 12 * 3600,
    algorithm: str = "HS256",
) -> str:
    """Sign a token (local development and tests; production tokens come from the IdP)."""
    now = int(time.time())
    claims: dict[str, object] = {
        "tenant_id": tenant_id,
        "name": name,
        "aud": audience,
        "iat": now,
        "exp": now + ttl_seconds,
    }
    if country:
        claims["country"] = country.upper()
    if subject:
        claims["sub"] = subject
    if locale:
        claims["locale"] = locale
    return jwt.encode(claims, key, algorithm=algorithm)


def bearer_token(metadata: dict[str, str]) -> str:
    """The token of an `authorization: Bearer <token>` metadata entry."""
    value = metadata.get("authorization", "")
    scheme, _, token = value.partition(" ")
    if not value:
        raise Unauthenticated(
            t(
                "No token: send `authorization: Bearer <JWT>` metadata "
                "(`contactimport token` makes one for local development)."
            ),
            Reason.TOKEN_MISSING,
        )
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated(t("The authorization metadata must read `Bearer <JWT>`."))
    return token.strip()
