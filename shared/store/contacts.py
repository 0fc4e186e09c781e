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
    """An import's valid rows, written while later batches are checked, then settled.

    The worker hands over each checked batch at once, so encoding and sending its rows (and,
    written straight, the server's index work) overlaps with the checks of the batches after
    it. Two ways, chosen at the first batch:

    - **straight**, when matching will likely create most rows (the policy creates every
      row, the tenant has no contacts, or fewer than half of the first batch's rows share
      a match key with one): each row is written to `contacts` and `contact_keys` as a new
      contact, with an id drawn from the sequence; `store` then deletes the rows matching did
      not create (merged into an earlier row, matched, refused) and rewrites the creates a
      later row merged into;
    - **staged** otherwise: rows are COPYed into temporary tables, and `store` inserts the
      creates and their keys from them in one statement, so a re-import that matches most
      rows to existing contacts writes (and deletes again) nothing in vain.

    The choice is a guess about cost, never about outcome: what is stored is what matching
    decides, either way. Only the caller's transaction sees the rows until it commits, and
    matching leaves this import's own rows out (`find_existing`, `has_contacts`); roll it
    back to drop everything. Open it on the connection that stores the contacts.
    """

    def __init__(
        self,
        conn: asyncpg.Connection,
        tenant_id: str,
        import_id: uuid.UUID,
        *,
        creates_all: bool = False,
        rows: int = 0,
    ) -> None:
        self._conn, self._tenant_id, self._import_id = conn, tenant_id, import_id
        self._creates_all = creates_all
        # Written straight, ids for every row the import checks (`rows`, when known) are
        # drawn at the first batch: one round trip instead of one per batch.
        self._rows = rows
        self._spare_ids: list[int] = []
        self.optimistic: bool | None = None  # decided at the first batch
        # source row -> the record written for it (and its contact id, written straight)
        self._staged: dict[int, ContactRecord] = {}
        self._ids: dict[int, int] = {}

    async def add(self, contacts: Sequence[ContactRecord]) -> None:
        """Write these rows' records (each source row once: see `store` for a change)."""
        if not contacts:
            return
        if self.optimistic is None:
            self.optimistic = await self._most_are_new(contacts)
        if self.optimistic:
            ids = await self._take_ids(len(contacts))
            await _copy_contacts(self._conn, self._tenant_id, self._import_id, ids, contacts)
            await _write_keys(self._conn, self._tenant_id, list(zip(ids, contacts, strict=True)))
            self._ids.update((c.source_row, i) for i, c in zip(ids, contacts, strict=True))
        else:
            await self._stage(contacts)
        self._staged.update((c.source_row, c) for c in contacts)

    async def _take_ids(self, count: int) -> list[int]:
        if len(self._spare_ids) < count:
            wanted = max(count, self._rows - len(self._ids)) - len(self._spare_ids)
            self._spare_ids += await _new_ids(self._conn, wanted)
        ids, self._spare_ids = self._spare_ids[:count], self._spare_ids[count:]
        return ids

    async def _most_are_new(self, sample: Sequence[ContactRecord]) -> bool:
        if self._creates_all:
            return True
        if not await has_contacts(self._conn, self._tenant_id, self._import_id):
            return True
        found = await find_existing(self._conn, self._tenant_id, self._import_id, sample)
        return len(found) * 2 < len(sample)

    async def store(self, creates: Sequence[ContactRecord]) -> None:
        """Leave exactly these contacts stored by the import (with their match keys)."""
        changed = [c for c in creates if self._staged.get(c.source_row) is not c]
        if self.optimistic:
            if unknown := [c.source_row for c in changed if c.source_row not in self._ids]:
                raise ValueError(f"rows {unknown[:5]} were never added")
            kept = {c.source_row for c in creates}
            dropped = [(i, self._staged[row]) for row, i in self._ids.items() if row not in kept]
            await _delete_written(self._conn, self._tenant_id, dropped)
            before = [(self._ids[c.source_row], self._staged[c.source_row]) for c in changed]
            await _rewrite(
                self._conn,
                self._tenant_id,
                "contacts_rewritten",
                [(self._ids[c.source_row], c) for c in changed],
                old_keys=_keys_of(before),
            )
            return
        if not creates:
            return
        if changed:
            await self._stage(changed)
        columns = ", ".join(COPY_COLUMNS)
        await self._conn.execute(
            f"WITH stored AS (INSERT INTO contacts ({columns}) SELECT {columns}"
            " FROM contacts_staging WHERE source_row = ANY($1::integer[])"
            " RETURNING id, source_row)"
            " INSERT INTO contact_keys (tenant_id, key, contact_id)"
            " SELECT $2, k.key, s.id FROM stored s JOIN contact_keys_staging k USING (source_row)",
            [c.source_row for c in creates],
            self._tenant_id,
        )

    async def _stage(self, contacts: Sequence[ContactRecord]) -> None:
        if not self._staged:  # the first batch: the tables are made
            columns = ", ".join(COPY_COLUMNS)
            await self._conn.execute(
                f"CREATE TEMP TABLE contacts_staging ON COMMIT DROP AS"
                f" SELECT {columns} FROM contacts WITH NO DATA;"
                " CREATE TEMP TABLE contact_keys_staging"
                ' (source_row integer NOT NULL, key text COLLATE "C" NOT NULL) ON COMMIT DROP'
            )
        if again := [c.source_row for c in contacts if c.source_row in self._staged]:
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


async def _new_ids(conn: asyncpg.Connection, count: int) -> list[int]:
    ids: list[int] = await conn.fetchval(
        "SELECT array_agg(nextval(pg_get_serial_sequence('contacts', 'id')))"
        " FROM generate_series(1, $1)",
        count,
    )
    return ids


async def _copy_contacts(
    conn: asyncpg.Connection,
    tenant_id: str,
    import_id: uuid.UUID,
    ids: Sequence[int],
    contacts: Sequence[ContactRecord],
) -> None:
    # COPY writes the ids given (GENERATED ALWAYS binds INSERT only).
    await conn.copy_records_to_table(
        "contacts",
        records=[
            (contact_id, *_copy_record(tenant_id, import_id, c))
            for contact_id, c in zip(ids, contacts, strict=True)
        ],
        columns=("id", *COPY_COLUMNS),
    )


async def _delete_written(
    conn: asyncpg.Connection, tenant_id: str, written: Sequence[tuple[int, ContactRecord]]
) -> None:
    """Delete contacts this run wrote (id, the record written) and their match keys."""
    if not written:
        return
    await _delete_keys(conn, tenant_id, _keys_of(written))
    await conn.execute(
        "DELETE FROM contacts WHERE id = ANY($1::bigint[]) AND tenant_id = $2",
        [contact_id for contact_id, _ in written],
        tenant_id,
    )


def _keys_of(contacts: Sequence[tuple[int, ContactRecord]]) -> list[tuple[str, int]]:
    return [(key, contact_id) for contact_id, c in contacts for key in match_keys(c)]


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


async def has_contacts(
    conn: asyncpg.Connection, tenant_id: str, import_id: uuid.UUID | None = None
) -> bool:
    """Whether the tenant has any contact (stored by another import than `import_id`)."""
    if import_id is None:
        query = "SELECT EXISTS (SELECT FROM contacts WHERE tenant_id = $1)"
        return bool(await conn.fetchval(query, tenant_id))
    return bool(
        await conn.fetchval(
            "SELECT EXISTS (SELECT FROM contacts WHERE tenant_id = $1 AND import_id <> $2)",
            tenant_id,
            import_id,
        )
    )


async def find_existing(
    conn: asyncpg.Connection,
    tenant_id: str,
    import_id: uuid.UUID,
    records: Sequence[ContactRecord],
) -> list[StoredContact]:
    """The tenant's contacts that share an e-mail key, a mobile or a phone with the records.

    One query for a whole import: an index scan of contact_keys (tenant, key) for every
    key, then the contacts found. The contacts of `import_id` itself (its rows written
    so far, see `ContactStaging`) are left out.
    """
    keys = sorted({key for record in records for key in match_keys(record)})
    if not keys:
        return []
    rows = await conn.fetch(
        f"SELECT {_READ_COLUMNS} FROM contacts c WHERE c.id IN (SELECT k.contact_id"
        " FROM contact_keys k WHERE k.tenant_id = $1 AND k.key = ANY($2::text[]))"
        " AND c.import_id <> $3 ORDER BY c.id",
        tenant_id,
        keys,
        import_id,
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
    await _rewrite(conn, tenant_id, "contact_updates", [(u.contact_id, u.values) for u in updates])
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


async def _rewrite(
    conn: asyncpg.Connection,
    tenant_id: str,
    table: str,
    rows: Sequence[tuple[int, ContactRecord]],
    *,
    old_keys: Sequence[tuple[str, int]] | None = None,
) -> None:
    """Give these contacts (id, values) their new values and match keys: a staging COPY
    (`table`), one UPDATE, the old keys deleted and the new ones written.

    `old_keys` (key, contact id), when the caller knows them, are deleted by primary key;
    else the old keys are found through the by-contact index.
    """
    if not rows:
        return
    await _stage_values(conn, table, rows)
    await _update_from(conn, tenant_id, table)
    if old_keys is None:
        await conn.execute(
            f"DELETE FROM contact_keys k USING {table} s WHERE k.contact_id = s.id"
            " AND k.tenant_id = $1",
            tenant_id,
        )
    else:
        await _delete_keys(conn, tenant_id, old_keys)
    await _write_keys(conn, tenant_id, rows)


async def _delete_keys(
    conn: asyncpg.Connection, tenant_id: str, keys: Sequence[tuple[str, int]]
) -> None:
    """Delete these (key, contact id) rows of the tenant, each by its primary key.

    Whole primary keys keep the plan an index lookup per row whatever the table's
    statistics say (with contact ids alone and no statistics, PostgreSQL chose to read all
    of contact_keys).
    """
    if not keys:
        return
    await conn.execute(
        "DELETE FROM contact_keys WHERE tenant_id = $1 AND (key, contact_id) IN"
        " (SELECT * FROM unnest($2::text[], $3::bigint[]))",
        tenant_id,
        [key for key, _ in keys],
        [contact_id for _, contact_id in keys],
    )


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
    """Write the staged values of the tenant's contacts."""
    sets = ", ".join(f"{name} = s.{name}" for name in _UPDATE_COLUMNS[1:])
    await conn.execute(
        f"UPDATE contacts c SET {sets} FROM {table} s WHERE c.id = s.id AND c.tenant_id = $1",
        tenant_id,
    )


async def _write_keys(
    conn: asyncpg.Connection, tenant_id: str, rows: Sequence[tuple[int, ContactRecord]]
) -> None:
    await conn.copy_records_to_table(
        "contact_keys",
        records=[(tenant_id, key, contact_id) for key, contact_id in _keys_of(rows)],
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
        await _rewrite(conn, tenant_id, "contact_restores", restored)
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
