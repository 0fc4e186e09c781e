"""The publish outbox: one row per queued import until a worker claims it.

StartImport adds the row in the transaction that queues the import; a publish pushes its
`publish_after` ahead; the relay publishes rows whose time has come; the worker's claim
(`store.imports.claim`) and retention remove them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

import asyncpg

from shared.store.lifecycle import ImportState


@dataclass(frozen=True)
class DueJob:
    """An outbox row to publish: the import, and the trace context that queued it."""

    import_id: uuid.UUID
    traceparent: str | None


async def add(
    conn: asyncpg.Connection,
    import_id: uuid.UUID,
    publish_after: timedelta,
    traceparent: str | None = None,
) -> None:
    """A row due `publish_after` from now, in the caller's (queuing) transaction.

    `traceparent`: the W3C trace context of the StartImport call, for the relay's publish.
    """
    await conn.execute(
        "INSERT INTO import_outbox (import_id, publish_after, traceparent)"
        " VALUES ($1, now() + $2, $3)",
        import_id,
        publish_after,
        traceparent,
    )


async def mark_published(
    conn: asyncpg.Connection | asyncpg.Pool, import_id: uuid.UUID, republish_after: timedelta
) -> None:
    """Count a publish and make the row due again only after `republish_after`."""
    await conn.execute(
        "UPDATE import_outbox SET publish_after = now() + $2, publishes = publishes + 1"
        " WHERE import_id = $1",
        import_id,
        republish_after,
    )


async def make_due(conn: asyncpg.Connection | asyncpg.Pool, import_id: uuid.UUID) -> None:
    """Make the row due now: its inline publish failed, so the relay's next pass takes it."""
    await conn.execute(
        "UPDATE import_outbox SET publish_after = now() WHERE import_id = $1", import_id
    )


async def lock_due(conn: asyncpg.Connection, limit: int) -> list[DueJob]:
    """The due rows of still-queued imports, locked (others' locked rows skipped).

    In the caller's transaction, so two relays never publish the same row at once.
    """
    rows = await conn.fetch(
        "SELECT o.import_id, o.traceparent"
        " FROM import_outbox o JOIN imports i ON i.id = o.import_id"
        " WHERE o.publish_after <= now() AND i.state = $2"
        " ORDER BY o.publish_after LIMIT $1 FOR UPDATE OF o SKIP LOCKED",
        limit,
        ImportState.QUEUED.value,
    )
    return [DueJob(row["import_id"], row["traceparent"]) for row in rows]
