"""Finding stored contacts (ListContacts): by import, by name, company, e-mail or number.

A query matches a contact whose folded name or company contains the folded query
(`shared.mapping.folding`, stored by the worker in `contacts.search_text`), whose e-mail
contains it case-insensitively, or that has the query's number: the query read with
phonenumbers in the tenant's head-office country and compared in E.164, so "020-1234567",
"+31 20 123 4567" and "0031201234567" all find +31201234567. Without a country only a
number written with its country code ("+31 ...") is read as a number.

Pages are keyset on the contact id, ascending (the order contacts were stored in: an
import's rows in file order); a page token is bound to the tenant and to the filter.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import asyncpg
import phonenumbers

from services.import_api.page_tokens import PageTokens, page_size, scope_of
from services.import_api.requests import parse_import_id
from shared.contacts import StoredContact
from shared.errors import FieldViolation, InvalidRequest, NotFound
from shared.i18n.text import t
from shared.identity import Identity
from shared.mapping.folding import fold_text
from shared.store import contacts as contact_store
from shared.store.imports import ever_existed

MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class ContactsPage:
    """A page of contacts and the token of the next one ("" on the last page)."""

    contacts: list[StoredContact]
    next_page_token: str


def query_number(query: str, country: str) -> str | None:
    """The query as an E.164 number, when it is a valid one in the tenant's country."""
    if not any(ch.isdigit() for ch in query):
        return None
    try:
        number = phonenumbers.parse(query, country or None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _clean_query(query: str) -> str:
    query = query.strip()
    if len(query) > MAX_QUERY_LENGTH:
        raise InvalidRequest(
            t("The query is longer than {max} characters.", max=MAX_QUERY_LENGTH),
            [FieldViolation("query", t("Give at most {max} characters.", max=MAX_QUERY_LENGTH))],
        )
    return query


def _position(position: list[Any] | None) -> int:
    """The last contact id a page token stands for (0 before the first page)."""
    if position is None:
        return 0
    if len(position) != 1 or not isinstance(position[0], int) or isinstance(position[0], bool):
        # A signed token always has this shape; only a token of another version differs.
        raise InvalidRequest(
            t("The page token is not valid for this list."),
            [FieldViolation("page_token", t("Leave it empty to start from the first page."))],
        )
    return position[0]


class ContactsService:
    """The ListContacts use case; every call acts for one tenant."""

    def __init__(self, pool: asyncpg.Pool, tokens: PageTokens) -> None:
        self._pool = pool
        self._tokens = tokens

    async def list(
        self, who: Identity, import_id: str, query: str, requested_size: int, page_token: str
    ) -> ContactsPage:
        size = page_size(requested_size)
        query = _clean_query(query)
        only_import = parse_import_id(import_id) if import_id else None
        scope = scope_of(import_id=str(only_import or ""), query=query)
        after = _position(self._tokens.decode(page_token, who.tenant_id, scope))

        if only_import is not None:
            await self._check_import(who, only_import)
        found_by = contact_store.ContactFilter(import_id=only_import)
        if query:
            found_by = contact_store.ContactFilter(
                import_id=only_import,
                email_part=query,
                # Empty for a query of invisible characters.
                folded_text=fold_text(query),
                number=query_number(query, who.country) or "",
            )
        rows = await contact_store.list_contacts(
            self._pool, who.tenant_id, found_by, after_id=after, limit=size + 1
        )
        contacts = rows[:size]
        next_token = (
            self._tokens.encode(who.tenant_id, scope, [contacts[-1].id]) if len(rows) > size else ""
        )
        return ContactsPage(contacts, next_token)

    async def _check_import(self, who: Identity, import_id: uuid.UUID) -> None:
        # Any of the tenant's imports, also one whose file retention purged: its contacts
        # stay. Another tenant's import is as absent as one that never existed.
        exists = await ever_existed(self._pool, who.tenant_id, import_id)
        if not exists:
            raise NotFound(
                t("No import {import_id} exists for your account.", import_id=str(import_id))
            )
