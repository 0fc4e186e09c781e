"""ContactStaging: rows written batch by batch, then settled to exactly what matching decided."""

from __future__ import annotations

import dataclasses
import uuid

import asyncpg
import pytest

from shared.contacts import ContactRecord
from shared.store import contacts as contact_store


def _record(row: int, email: str, mobile: str) -> ContactRecord:
    return ContactRecord(row, f"Klant{row}", "Jansen", "", [email], [], [mobile], [], "")


async def _stored(conn: asyncpg.Connection, tenant: str) -> dict[int, tuple[list[str], str]]:
    rows = await conn.fetch(
        "SELECT source_row, emails, company FROM contacts WHERE tenant_id = $1", tenant
    )
    return {r["source_row"]: (list(r["emails"]), r["company"]) for r in rows}


async def _keys(conn: asyncpg.Connection, tenant: str) -> set[tuple[int, str]]:
    rows = await conn.fetch(
        "SELECT c.source_row, k.key FROM contact_keys k JOIN contacts c ON c.id = k.contact_id"
        " WHERE k.tenant_id = $1",
        tenant,
    )
    orphans = await conn.fetchval(
        "SELECT count(*) FROM contact_keys k WHERE k.tenant_id = $1"
        " AND NOT EXISTS (SELECT FROM contacts c WHERE c.id = k.contact_id)",
        tenant,
    )
    assert orphans == 0
    return {(r["source_row"], r["key"]) for r in rows}


async def _tenant_with_contacts_of(db, records: list[ContactRecord]) -> str:
    # A tenant whose contacts (of another import) share every key with these records.
    tenant = f"tenant-{uuid.uuid4().hex[:8]}"
    async with db.acquire() as conn, conn.transaction():
        earlier = contact_store.ContactStaging(conn, tenant, uuid.uuid4(), creates_all=True)
        await earlier.add(records)
        await earlier.store(records)
    return tenant


@pytest.mark.parametrize(
    ("known", "optimistic"),
    [
        pytest.param([], True, id="new-tenant-written-straight"),
        pytest.param(["x@example.nl"], True, id="first-batch-unknown-written-straight"),
        pytest.param(["a@example.nl"], False, id="half-the-first-batch-known-staged"),
    ],
)
async def test_store_leaves_exactly_the_creates_with_their_final_values(db, known, optimistic):
    # Given a tenant whose earlier contacts (source rows from 100) have these addresses
    tenant = await _tenant_with_contacts_of(
        db, [_record(100 + i, email, f"+3170000000{i}") for i, email in enumerate(known)]
    )
    import_id = uuid.uuid4()
    first = [_record(2, "a@example.nl", "+31611111111"), _record(3, "b@example.nl", "+31622222222")]
    second = [
        _record(4, "c@example.nl", "+31633333333"),
        _record(5, "d@example.nl", "+31644444444"),
    ]
    # Row 3 merged a later row in (a second e-mail, a company), row 4 was refused or matched
    # an existing contact, rows 2 and 5 stay as they were written.
    merged = dataclasses.replace(first[1], emails=["b@example.nl", "b@werk.nl"], company="Werk BV")
    async with db.acquire() as conn, conn.transaction():
        staging = contact_store.ContactStaging(conn, tenant, import_id)
        await staging.add(first)
        assert staging.optimistic is optimistic
        await staging.add(second)
        await staging.store([first[0], merged, second[1]])

        earlier = {100 + i: ([email], "") for i, email in enumerate(known)}
        assert await _stored(conn, tenant) == earlier | {
            2: (["a@example.nl"], ""),
            3: (["b@example.nl", "b@werk.nl"], "Werk BV"),
            5: (["d@example.nl"], ""),
        }
        assert {(row, key) for row, key in await _keys(conn, tenant) if row < 100} == {
            (2, "e:a@example.nl"),
            (2, "m:+31611111111"),
            (3, "e:b@example.nl"),
            (3, "e:b@werk.nl"),
            (3, "m:+31622222222"),
            (5, "e:d@example.nl"),
            (5, "m:+31644444444"),
        }
        # This import's own rows are never an existing contact to it.
        assert await contact_store.has_contacts(conn, tenant, import_id) is bool(known)
        found = await contact_store.find_existing(conn, tenant, import_id, first)
        assert {e for c in found for e in c.emails} == set(known) & {"a@example.nl", "b@example.nl"}
        assert await contact_store.has_contacts(conn, tenant, uuid.uuid4())


async def test_a_rolled_back_transaction_leaves_nothing(db):
    tenant, import_id = f"tenant-{uuid.uuid4().hex[:8]}", uuid.uuid4()
    async with db.acquire() as conn:
        transaction = conn.transaction()
        await transaction.start()
        staging = contact_store.ContactStaging(conn, tenant, import_id)
        await staging.add([_record(2, "a@example.nl", "+31611111111")])
        await transaction.rollback()
        assert await _stored(conn, tenant) == {}
        assert await _keys(conn, tenant) == set()
