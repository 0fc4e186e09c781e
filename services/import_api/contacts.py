"""Finding stored contacts (ListContacts): by import, by name, company, e-mail or number.

A query matches a contact whose folded name or company contains the folded query
(`shared.text_folding`, stored by the worker in `contacts.search_text`), whose e-mail
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
from datetime import datetime
from typing import Any

import asyncpg
import phonenumbers

from services.import_api.imports import parse_import_id
from services.import_api.page_tokens import PageTokens, page_size, scope_of
from shared.errors import FieldViolation, InvalidRequest, NotFound
from shared.identity import Identity
from shared.text_folding import fold_text

MAX_QUERY_LENGTH = 200

_COLUMNS = (
    "id, import_id, source_row, first_name, last_name, company, emails, phones, mobiles,"
    " addresses, notes, created_at"
)


@dataclass(frozen=True)
class StoredContact:
    """One contact as ListContacts returns it."""

    id: int
    import_id: uuid.UUID
    source_row: int
    first_name: str
    last_name: str
    company: str
    emails: list[str]
    phones: list[str]
    mobiles: list[str]
    addresses: list[str]
    notes: str
    created_at: datetime

    @classmethod
    def from_row(cls, row: asyncpg.Record) -> StoredContact:
        return cls(
            id=row["id"],
            import_id=row["import_id"],
            source_row=row["source_row"],
            first_name=row["first_name"],
            last_name=row["last_name"],
            company=row["company"],
            emails=list(row["emails"]),
            phones=list(row["phones"]),
            mobiles=list(row["mobiles"]),
            addresses=list(row["addresses"]),
            notes=row["notes"],
            created_at=row["created_at"],
        )


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
            f"The query is longer than {MAX_QUERY_LENGTH} characters.",
            [FieldViolation("query", f"Give at most {MAX_QUERY_LENGTH} characters.")],
        )
    return query


def _position(position: list[Any] | None) -> int:
    """The last contact id a page token stands for (0 before the first page)."""
    if position is None:
        return 0
    if len(position) != 1 or not isinstance(position[0], int) or isinstance(position[0], bool):
        # A signed token always has this shape; only a token of another version differs.
        raise InvalidRequest(
            "The page token is not valid for this list.",
            [FieldViolation("page_token", "Leave it empty to start from the first page.")],
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

        conditions = ["tenant_id = $1", "id > $2"]
        args: list[Any] = [who.tenant_id, after]

        def arg(value: Any) -> str:
            args.append(value)
            return f"${len(args)}"

        if only_import is not None:
            await self._check_import(who, only_import)
            conditions.append(f"import_id = {arg(only_import)}")
        if query:
            matches = [
                "EXISTS (SELECT FROM unnest(emails) AS e"
                f" WHERE strpos(lower(e), lower({arg(query)})) > 0)"
            ]
            if folded := fold_text(query):  # empty for a query of invisible characters
                matches.append(f"strpos(search_text, {arg(folded)}) > 0")
            if number := query_number(query, who.country):
                wanted = arg([number])
                matches.append(f"phones @> {wanted}::text[] OR mobiles @> {wanted}::text[]")
            conditions.append(f"({' OR '.join(matches)})")
        rows = await self._pool.fetch(
            f"SELECT {_COLUMNS} FROM contacts WHERE {' AND '.join(conditions)}"
            f" ORDER BY id LIMIT {arg(size + 1)}",
            *args,
        )
        contacts = [StoredContact.from_row(row) for row in rows[:size]]
        next_token = (
            self._tokens.encode(who.tenant_id, scope, [contacts[-1].id]) if len(rows) > size else ""
        )
        return ContactsPage(contacts, next_token)

    async def _check_import(self, who: Identity, import_id: uuid.UUID) -> None:
        # Any of the tenant's imports, also one whose file retention purged: its contacts
        # stay. Another tenant's import is as absent as one that never existed.
        exists = await self._pool.fetchval(
            "SELECT EXISTS (SELECT FROM imports WHERE id = $1 AND tenant_id = $2)",
            import_id,
            who.tenant_id,
        )
        if not exists:
            raise NotFound(f"No import {import_id} exists for your account.")
