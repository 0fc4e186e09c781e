"""The contacts table: the worker's bulk insert, DeleteImport's removal, ListContacts' reads.

Columns derive from `shared.contacts.ContactRecord`; the staging tables the COPYs fill are
made from the contacts table itself, so neither list is written out twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from operator import attrgetter
from typing import Any

import asyncpg

from shared.contacts import (
    CONTACT_FIELDS,
    MULTI_VALUE_FIELDS,
    ContactRecord,
    ContactUpdate,
    StoredContact,
    email_key,
)
from shared.mapping.folding import contact_search_text

# What the store derives from a record: its match keys and its search text.
DERIVED_COLUMNS = ("email_keys", "search_text")
# What one COPY record holds, in order: the owner, the record's fields, the derived ones.
COPY_COLUMNS = ("tenant_id", "import_id", *CONTACT_FIELDS, *DERIVED_COLUMNS)
# What a read returns, on the contacts table as `c`.
_READ_COLUMNS = ", ".join(
    f"c.{name}" for name in ("id", "import_id", *CONTACT_FIELDS, "created_at")
)
_values = attrgetter(*CONTACT_FIELDS)


def _derived(c: ContactRecord) -> tuple[list[str], str]:
    return (
        [email_key(e) for e in c.emails],
        contact_search_text(c.first_name, c.last_name, c.company),
    )


def _copy_record(tenant_id: str, import_id: uuid.UUID, c: ContactRecord) -> tuple[Any, ...]:
    return (tenant_id, import_id, *_values(c), *_derived(c))


class ContactStaging:
    """An import's valid rows, COPYed into temporary tables while later batches are checked.

    The worker stages each checked batch at once, so the encoding and sending of the rows
    (most of the client's share of storing them) overlaps with the checks of the batches
    after it; what matching decides is stored afterwards in two statements on the server.
    Lives in the caller's transaction (the tables drop at its end): open it on the
    connection that will store the contacts, and commit or roll back there.
    """

    def __init__(self, conn: asyncpg.Connection, tenant_id: str, import_id: uuid.UUID) -> None:
        self._conn, self._tenant_id, self._import_id = conn, tenant_id, import_id
        self._staged: dict[int, ContactRecord] = {}  # source row -> the record staged for it
        self._created = False

    async def add(self, contacts: Sequence[ContactRecord]) -> None:
        """Stage these records (each source row once; a later add of a row replaces it)."""
        if not contacts:
            return
        if not self._created:
            columns = ", ".join(COPY_COLUMNS)
            await self._conn.execute(
                f"CREATE TEMP TABLE contacts_staging ON COMMIT DROP AS"
                f" SELECT {columns} FROM contacts WITH NO DATA;"
                " CREATE TEMP TABLE contact_keys_staging"
                ' (source_row integer NOT NULL, key text COLLATE "C" NOT NULL) ON COMMIT DROP'
            )
            self._created = True
        rows = [c.source_row for c in contacts]
        if again := [row for row in rows if row in self._staged]:
            await self._conn.execute(
                "DELETE FROM contacts_staging WHERE source_row = ANY($1::integer[])", again
            )
            await self._conn.execute(
                "DELETE FROM contact_keys_staging WHERE source_row = ANY($1::integer[])", again
            )
        await self._conn.copy_records_to_table(
            "contacts_staging",
            records=[_copy_record(self._tenant_id, self._import_id, c) for c in contacts],
            columns=COPY_COLUMNS,
        )
        await self._conn.copy_records_to_table(
            "contact_keys_staging",
            records=[(c.source_row, key) for c in contacts for key in match_keys(c)],
            columns=("source_row", "key"),
        )
        self._staged.update(zip(rows, contacts, strict=True))

    async def store(self, creates: Sequence[ContactRecord]) -> None:
        """Insert these contacts and their match keys, staging first any not staged as they are.

        A create whose values matching changed (a later row merged into it) is staged anew.
        A second run of the same import (a redelivered message whose first run committed)
        inserts nothing twice: (import_id, source_row) is unique.
        """
        if not creates:
            return
        await self.add([c for c in creates if self._staged.get(c.source_row) is not c])
        columns = ", ".join(COPY_COLUMNS)
        await self._conn.execute(
            f"WITH stored AS (INSERT INTO contacts ({columns}) SELECT {columns}"
            " FROM contacts_staging WHERE source_row = ANY($1::integer[])"
            " ON CONFLICT ON CONSTRAINT contacts_one_per_source_row DO NOTHING"
            " RETURNING id, source_row)"
            " INSERT INTO contact_keys (tenant_id, key, contact_id)"
            " SELECT $2, k.key, s.id FROM stored s JOIN contact_keys_staging k USING (source_row)",
            [c.source_row for c in creates],
            self._tenant_id,
        )


_KEY_COLUMNS = ("tenant_id", "key", "contact_id")


def _email_match_key(email: str) -> str:
    return f"e:{email_key(email)}"


def match_keys(c: ContactRecord) -> list[str]:
    """The contact_keys of a contact: "e:" e-mail key, "m:" mobile, "p:" phone.

    The same as the SQL function contact_match_keys (migration 0005), which the backfill
    uses; a test compares the two on stored contacts.
    """
    keys = [_email_match_key(e) for e in c.emails]
    keys += [f"{_MOBILE}:{m}" for m in c.mobiles]
    keys += [f"{_PHONE}:{p}" for p in c.phones]
    return list(dict.fromkeys(keys))


_MOBILE, _PHONE = "m", "p"


def _number_keys(number: str) -> list[str]:
    """The keys of a number (E.164) held as a mobile or as a phone."""
    return [f"{_MOBILE}:{number}", f"{_PHONE}:{number}"]


async def delete_for_import(conn: asyncpg.Connection, tenant_id: str, import_id: uuid.UUID) -> int:
    """Delete this import's contacts of this tenant, and their match keys; return how many."""
    await conn.execute(
        "DELETE FROM contact_keys k USING contacts c WHERE k.contact_id = c.id"
        " AND k.tenant_id = $2 AND c.import_id = $1 AND c.tenant_id = $2",
        import_id,
        tenant_id,
    )
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


def _row(row: asyncpg.Record | dict[str, Any]) -> StoredContact:
    values = dict(row)
    for name in MULTI_VALUE_FIELDS:
        values[name] = list(values[name])
    if "updated_by" in values:
        values["updated_by"] = tuple(values["updated_by"])
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
        keys = arg(_number_keys(found_by.number))
        matches.append(
            "id IN (SELECT k.contact_id FROM contact_keys k"
            f" WHERE k.tenant_id = $1 AND k.key = ANY({keys}::text[]))"
        )
    if matches:
        conditions.append(f"({' OR '.join(matches)})")
    rows = await pool.fetch(
        f"SELECT {_READ_COLUMNS}, {_UPDATED_BY} FROM contacts c"
        f" WHERE {' AND '.join(conditions)} ORDER BY id LIMIT {arg(limit)}",
        *args,
    )
    return [_row(row) for row in rows]


# The imports that changed a contact after it was created, in the order they did.
_UPDATED_BY = (
    "ARRAY(SELECT ch.import_id FROM contact_changes ch WHERE ch.contact_id = c.id"
    " GROUP BY ch.import_id ORDER BY min(ch.id)) AS updated_by"
)


# ---- matching and updating (worker), undo (API)


async def lock_tenant(conn: asyncpg.Connection, tenant_id: str) -> None:
    """Serialise the storing of one tenant's imports until the transaction ends.

    Matching reads the tenant's contacts and then writes: two imports of one tenant storing
    at once (two workers) could each create the same person. The lock makes the second wait
    and then see what the first stored.
    """
    await conn.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended('contactimport.contacts:' || $1, 0))",
        tenant_id,
    )


async def has_contacts(conn: asyncpg.Connection, tenant_id: str) -> bool:
    """Whether the tenant has any contact with a match key (one index probe)."""
    return bool(
        await conn.fetchval(
            "SELECT EXISTS (SELECT FROM contact_keys WHERE tenant_id = $1)", tenant_id
        )
    )


async def find_existing(
    conn: asyncpg.Connection, tenant_id: str, records: Sequence[ContactRecord]
) -> list[StoredContact]:
    """The tenant's contacts that share an e-mail key, a mobile or a phone with the records.

    One query for a whole import: an index scan of contact_keys (tenant, key) for every
    key, then the contacts found.
    """
    keys = sorted({key for record in records for key in match_keys(record)})
    if not keys:
        return []
    rows = await conn.fetch(
        f"SELECT {_READ_COLUMNS} FROM contacts c WHERE c.id IN (SELECT k.contact_id"
        " FROM contact_keys k WHERE k.tenant_id = $1 AND k.key = ANY($2::text[]))"
        " ORDER BY c.id",
        tenant_id,
        keys,
    )
    return [_row(row) for row in rows]


async def known_emails(pool: asyncpg.Pool, tenant_id: str, emails: set[str]) -> set[str]:
    """Which of these e-mail keys (`email_key`) the tenant's contacts have (an estimate)."""
    if not emails:
        return set()
    by_key = {_email_match_key(e): e for e in emails}
    rows = await pool.fetch(
        "SELECT key FROM contact_keys WHERE tenant_id = $1 AND key = ANY($2::text[])",
        tenant_id,
        sorted(by_key),
    )
    return {by_key[row["key"]] for row in rows}


_UPDATE_COLUMNS = ("id", *CONTACT_FIELDS[1:], *DERIVED_COLUMNS)
_CHANGE_COLUMNS = ("tenant_id", "import_id", "contact_id", "field", "value")


async def apply_updates(
    conn: asyncpg.Connection,
    tenant_id: str,
    import_id: uuid.UUID,
    updates: Sequence[ContactUpdate],
) -> None:
    """Write the new values of updated contacts and log every change (for undo).

    In the caller's transaction: a staging COPY and one UPDATE, whatever the count.
    """
    if not updates:
        return
    staged = [(u.contact_id, u.values) for u in updates]
    await _stage_values(conn, "contact_updates", staged)
    await _update_from(conn, tenant_id, "contact_updates")
    await _write_keys(conn, tenant_id, staged)
    changes = [
        (tenant_id, import_id, u.contact_id, name, value)
        for u in updates
        for name, values in u.added.items()
        for value in values
    ] + [
        (tenant_id, import_id, u.contact_id, name, value)
        for u in updates
        for name, value in u.filled.items()
    ]
    await conn.copy_records_to_table("contact_changes", records=changes, columns=_CHANGE_COLUMNS)


async def _stage_values(
    conn: asyncpg.Connection, table: str, rows: Sequence[tuple[int, ContactRecord]]
) -> None:
    columns = ", ".join(_UPDATE_COLUMNS)
    await conn.execute(
        f"CREATE TEMP TABLE {table} ON COMMIT DROP AS SELECT {columns} FROM contacts WITH NO DATA"
    )
    await conn.copy_records_to_table(
        table,
        records=[(cid, *_values(v)[1:], *_derived(v)) for cid, v in rows],
        columns=_UPDATE_COLUMNS,
    )


async def _update_from(conn: asyncpg.Connection, tenant_id: str, table: str) -> None:
    """Write the staged values of the tenant's contacts, and drop their old match keys."""
    sets = ", ".join(f"{name} = s.{name}" for name in _UPDATE_COLUMNS[1:])
    await conn.execute(
        f"UPDATE contacts c SET {sets} FROM {table} s WHERE c.id = s.id AND c.tenant_id = $1",
        tenant_id,
    )
    await conn.execute(
        f"DELETE FROM contact_keys k USING {table} s WHERE k.contact_id = s.id"
        " AND k.tenant_id = $1",
        tenant_id,
    )


async def _write_keys(
    conn: asyncpg.Connection, tenant_id: str, rows: Sequence[tuple[int, ContactRecord]]
) -> None:
    await conn.copy_records_to_table(
        "contact_keys",
        records=[(tenant_id, key, cid) for cid, values in rows for key in match_keys(values)],
        columns=_KEY_COLUMNS,
    )


@dataclass(frozen=True)
class Undone:
    """What undoing an import did: contacts deleted and restored, values kept."""

    deleted: int
    restored: int
    kept: int


async def undo_import(conn: asyncpg.Connection, tenant_id: str, import_id: uuid.UUID) -> Undone:
    """Delete the contacts the import created; take back what it changed on the others.

    A value it added is removed, a field it filled is emptied, unless the value has changed
    since (a later import or an edit): then it is kept and counted. In the caller's
    transaction, with the import row locked.
    """
    deleted = await delete_for_import(conn, tenant_id, import_id)
    rows = await conn.fetch(
        f"SELECT {_READ_COLUMNS}, ch.field, ch.value FROM contact_changes ch"
        " JOIN contacts c ON c.id = ch.contact_id"
        " WHERE ch.import_id = $1 AND ch.tenant_id = $2 ORDER BY c.id, ch.id FOR UPDATE OF c",
        import_id,
        tenant_id,
    )
    contacts: dict[int, ContactRecord] = {}
    changed: set[int] = set()
    kept = 0
    for row in rows:
        contact_id = row["id"]
        current = contacts.get(contact_id) or _row(_without(row, "field", "value"))
        name, value = row["field"], row["value"]
        if name in MULTI_VALUE_FIELDS:
            values = list(getattr(current, name))
            if value in values:
                values.remove(value)
                current = replace(current, **_field(name, values))
                changed.add(contact_id)
            else:
                kept += 1
        elif getattr(current, name) == value:
            current = replace(current, **_field(name, ""))
            changed.add(contact_id)
        else:
            kept += 1
        contacts[contact_id] = current
    if changed:
        restored = [(i, contacts[i]) for i in sorted(changed)]
        await _stage_values(conn, "contact_restores", restored)
        await _update_from(conn, tenant_id, "contact_restores")
        await _write_keys(conn, tenant_id, restored)
    await conn.execute(
        "DELETE FROM contact_changes WHERE import_id = $1 AND tenant_id = $2",
        import_id,
        tenant_id,
    )
    return Undone(deleted, len(changed), kept)


def _field(name: str, value: Any) -> dict[str, Any]:
    return {name: value}


def _without(row: asyncpg.Record, *names: str) -> dict[str, Any]:
    return {k: v for k, v in dict(row).items() if k not in names}
