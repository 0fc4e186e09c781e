"""The contacts table: the worker's bulk insert, DeleteImport's removal, ListContacts' reads.

Columns derive from `shared.contacts.ContactRecord`; the staging table the COPY fills is
made from the contacts table itself, so neither list is written out twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

import asyncpg

from shared.contacts import CONTACT_FIELDS, ContactRecord, StoredContact
from shared.text_folding import contact_search_text

# What one COPY record holds, in order: the owner, the record's fields, the search text.
COPY_COLUMNS = ("tenant_id", "import_id", *CONTACT_FIELDS, "search_text")
_READ_COLUMNS = ", ".join(("id", "import_id", *CONTACT_FIELDS, "created_at"))
_values = attrgetter(*CONTACT_FIELDS)


def _copy_record(tenant_id: str, import_id: uuid.UUID, c: ContactRecord) -> tuple[Any, ...]:
    return (
        tenant_id,
        import_id,
        *_values(c),
        contact_search_text(c.first_name, c.last_name, c.company),
    )


async def insert_contacts(
    conn: asyncpg.Connection,
    tenant_id: str,
    import_id: uuid.UUID,
    contacts: Sequence[ContactRecord],
) -> None:
    """Binary COPY into a staging table, then insert what this import has not stored yet.

    In the caller's transaction. A second run of the same import (a redelivered message
    whose first run committed) inserts nothing twice: (import_id, source_row) is unique.
    """
    if not contacts:
        return
    columns = ", ".join(COPY_COLUMNS)
    await conn.execute(
        f"CREATE TEMP TABLE contacts_staging ON COMMIT DROP AS"
        f" SELECT {columns} FROM contacts WITH NO DATA"
    )
    await conn.copy_records_to_table(
        "contacts_staging",
        records=[_copy_record(tenant_id, import_id, c) for c in contacts],
        columns=COPY_COLUMNS,
    )
    await conn.execute(
        f"INSERT INTO contacts ({columns}) SELECT {columns} FROM contacts_staging"
        " ON CONFLICT ON CONSTRAINT contacts_one_per_source_row DO NOTHING"
    )


async def delete_for_import(conn: asyncpg.Connection, tenant_id: str, import_id: uuid.UUID) -> int:
    """Delete this import's contacts of this tenant; return how many."""
    outcome = await conn.execute(
        "DELETE FROM contacts WHERE import_id = $1 AND tenant_id = $2", import_id, tenant_id
    )
    return int(outcome.split()[-1])


@dataclass(frozen=True)
class ContactFilter:
    """Which contacts a ListContacts page holds; every part given narrows it.

    A contact matches the query parts when any of them matches: an e-mail containing
    `email_part`, a folded name or company containing `folded_text`, or `number` (E.164)
    among its phones or mobiles.
    """

    import_id: uuid.UUID | None = None
    email_part: str = ""
    folded_text: str = ""
    number: str = ""


def _row(row: asyncpg.Record) -> StoredContact:
    values = dict(row)
    for name in ("emails", "phones", "mobiles", "addresses"):
        values[name] = list(values[name])
    return StoredContact(**values)


async def list_contacts(
    pool: asyncpg.Pool, tenant_id: str, found_by: ContactFilter, *, after_id: int, limit: int
) -> list[StoredContact]:
    """The tenant's contacts matching the filter, by id ascending, after `after_id`."""
    conditions = ["tenant_id = $1", "id > $2"]
    args: list[Any] = [tenant_id, after_id]

    def arg(value: Any) -> str:
        args.append(value)
        return f"${len(args)}"

    if found_by.import_id is not None:
        conditions.append(f"import_id = {arg(found_by.import_id)}")
    matches = []
    if found_by.email_part:
        matches.append(
            "EXISTS (SELECT FROM unnest(emails) AS e"
            f" WHERE strpos(lower(e), lower({arg(found_by.email_part)})) > 0)"
        )
    if found_by.folded_text:
        matches.append(f"strpos(search_text, {arg(found_by.folded_text)}) > 0")
    if found_by.number:
        wanted = arg([found_by.number])
        matches.append(f"phones @> {wanted}::text[] OR mobiles @> {wanted}::text[]")
    if matches:
        conditions.append(f"({' OR '.join(matches)})")
    rows = await pool.fetch(
        f"SELECT {_READ_COLUMNS} FROM contacts WHERE {' AND '.join(conditions)}"
        f" ORDER BY id LIMIT {arg(limit)}",
        *args,
    )
    return [_row(row) for row in rows]
