"""The values of a request, checked: an import id, the default country, a request id.

Each check raises INVALID_ARGUMENT naming the field and saying what to give instead.
"""

from __future__ import annotations

import uuid
from dataclasses import replace

import phonenumbers

from shared.errors import FieldViolation, InvalidRequest, Reason
from shared.i18n.text import t
from shared.identity import Identity
from shared.mapping.fields import Mapping
from shared.mapping.rules import resolve_header

MAX_REQUEST_ID = 100


def parse_import_id(value: str, field: str = "import_id") -> uuid.UUID:
    """The import id of a request, or INVALID_ARGUMENT naming the field."""
    try:
        return uuid.UUID(value)
    except ValueError:
        raise InvalidRequest(
            t("The import id is not valid."),
            [FieldViolation(field, t("Give the import id that UploadFile returned (a UUID)."))],
        ) from None


def choose_country(requested: str, who: Identity) -> str:
    """The default country: the request's, else the token's head office."""
    country = (requested.strip() or who.country).strip().upper()
    if not country:
        raise InvalidRequest(
            t(
                "No default country: set `default_country` (ISO 3166-1 alpha-2, e.g. NL), "
                "since the token names no head-office country."
            ),
            [FieldViolation("default_country", t("Give a two-letter country code such as NL."))],
            Reason.COUNTRY_MISSING,
        )
    if country not in phonenumbers.SUPPORTED_REGIONS:
        raise InvalidRequest(
            # Translators: {country} is the code the caller gave, as given.
            t("'{country}' is not a country code phone numbers know.", country=country),
            [
                FieldViolation(
                    "default_country", t("Give an ISO 3166-1 alpha-2 code such as NL or BE.")
                )
            ],
        )
    return country


def with_file_headers(mapping: Mapping, headers: list[str]) -> Mapping:
    """A checked mapping with every header as the file spells it (the worker finds it so)."""

    def exact(header: str) -> str:
        return (resolve_header(header, headers) or header) if header else ""

    return Mapping(
        tuple(
            replace(c, header=exact(c.header), label_header=exact(c.label_header))
            for c in mapping.columns
        )
    )


def check_request_id(request_id: str, rpc: str) -> None:
    """A client-chosen id that makes a retried call safe: required, at most 100 characters."""
    if not request_id.strip() or len(request_id) > MAX_REQUEST_ID:
        raise InvalidRequest(
            # Translators: {rpc} is the name of the API call, such as StartImport.
            t("{rpc} needs a request_id so that a retried call is safe.", rpc=rpc),
            [
                FieldViolation(
                    "request_id",
                    t(
                        "Give a client-chosen id (a UUID), at most {max} characters.",
                        max=MAX_REQUEST_ID,
                    ),
                )
            ],
        )


def check_optional_request_id(request_id: str, rpc: str) -> None:
    """An optional request_id (AIP-155): when given, at most 100 characters."""
    if len(request_id) > MAX_REQUEST_ID:
        raise InvalidRequest(
            # Translators: {rpc} is the name of the API call, such as DeleteImport.
            t("The request_id of {rpc} is too long.", rpc=rpc),
            [FieldViolation("request_id", t("At most {max} characters.", max=MAX_REQUEST_ID))],
        )
