"""The event outbox: one row per completion event until the API's relay has published it.

A row is added in the transaction that makes the change (the worker's terminal transition
in `store.runs`, DeleteImport's `store.imports.mark_deleted`), so an event exists exactly
when its change was committed. The relay (`services.import_api.event_relay`) locks
unpublished rows, publishes each and marks it published after the broker's confirm; a
publish that is not confirmed leaves the row for the next pass (at least once; consumers
drop a repeated event id). Published rows are pruned after a while.

The rows hold the event as columns: encoding it as protobuf is the API edge's job.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

import asyncpg

FINISHED = "import.finished"
DELETED = "import.deleted"
ROUTING_KEYS = (FINISHED, DELETED)
# The actor of a change nobody asked for in a call: the worker ended the import.
SYSTEM = "system"

# The import's counts as they are after the change (`i` is the imports row).
_COUNTS = """
    jsonb_build_object(
        'rows', i.rows_total, 'processed', i.rows_processed, 'imported', i.imported_count,
        'failed', i.failed_count, 'mobiles_as_phone', i.mobiles_as_phone,
        'created', i.created_count, 'updated', i.updated_count,
        'unchanged', i.unchanged_count, 'merged_in_file', i.merged_count,
        'deleted', coalesce(i.deleted_count, 0), 'restored', coalesce(i.restored_count, 0),
        'kept', coalesce(i.kept_count, 0))
"""


@dataclass(frozen=True)
class EventCounts:
    """The import's counts after the change (the deletion's three are 0 unless deleted)."""

    rows: int = 0
    processed: int = 0
    imported: int = 0
    failed: int = 0
    mobiles_as_phone: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    merged_in_file: int = 0
    deleted: int = 0
    restored: int = 0
    kept: int = 0


@dataclass(frozen=True)
class EventRecord:
    """One completion event as stored."""

    id: uuid.UUID
    tenant_id: str
    import_id: uuid.UUID
    routing_key: str
    state: str
    counts: EventCounts
    error_reason: str
    dry_run: bool
    actor_id: str
    actor_name: str
    occurred_at: datetime
    publishes: int = 0


async def add_finished(conn: asyncpg.Connection, import_id: uuid.UUID) -> None:
    """An import.finished row for an import just moved to its terminal state.

    In the caller's transaction, after the UPDATE that ended it (the counts are read back).
    """
    await _add(conn, import_id, FINISHED, SYSTEM, SYSTEM, "finished_at")


async def add_deleted(
    conn: asyncpg.Connection, import_id: uuid.UUID, actor_id: str, actor_name: str
) -> None:
    """An import.deleted row, in DeleteImport's transaction after the deletion is recorded."""
    await _add(conn, import_id, DELETED, actor_id, actor_name, "deleted_at")


async def _add(
    conn: asyncpg.Connection,
    import_id: uuid.UUID,
    routing_key: str,
    actor_id: str,
    actor_name: str,
    when: Literal["finished_at", "deleted_at"],
) -> None:
    """One event row from the import as it is now in the caller's transaction."""
    await conn.execute(
        f"""
        INSERT INTO import_events (tenant_id, import_id, routing_key, state, counts,
            error_reason, dry_run, actor_id, actor_name, occurred_at)
        SELECT i.tenant_id, i.id, $2, i.state, {_COUNTS}, coalesce(i.error_reason, ''),
            i.dry_run, $3, $4, coalesce(i.{when}, now())
        FROM imports i WHERE i.id = $1
        """,
        import_id,
        routing_key,
        actor_id,
        actor_name,
    )


def _record(row: asyncpg.Record) -> EventRecord:
    counts = row["counts"]
    values = json.loads(counts) if isinstance(counts, str) else dict(counts)
    return EventRecord(
        id=row["id"],
        tenant_id=row["tenant_id"],
        import_id=row["import_id"],
        routing_key=row["routing_key"],
        state=row["state"],
        counts=EventCounts(**{k: int(v) for k, v in values.items()}),
        error_reason=row["error_reason"],
        dry_run=row["dry_run"],
        actor_id=row["actor_id"],
        actor_name=row["actor_name"],
        occurred_at=row["occurred_at"],
        publishes=row["publishes"],
    )


_COLUMNS = """id, tenant_id, import_id, routing_key, state, counts, error_reason, dry_run,
    actor_id, actor_name, occurred_at, publishes"""


async def lock_unpublished(conn: asyncpg.Connection, limit: int) -> list[EventRecord]:
    """The oldest unpublished events, locked (others' locked rows skipped).

    In the caller's transaction, so two relays never publish the same row at once.
    """
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM import_events WHERE published_at IS NULL"
        " ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED",
        limit,
    )
    return [_record(row) for row in rows]


async def mark_published(conn: asyncpg.Connection | asyncpg.Pool, event_id: uuid.UUID) -> None:
    """The broker confirmed the event: count the publish and take it off the relay's list."""
    await conn.execute(
        "UPDATE import_events SET published_at = now(), publishes = publishes + 1 WHERE id = $1",
        event_id,
    )


async def prune_published(conn: asyncpg.Connection | asyncpg.Pool, older_than: timedelta) -> int:
    """Remove events published more than `older_than` ago; return how many."""
    status = await conn.execute(
        "DELETE FROM import_events WHERE published_at < now() - $1::interval", older_than
    )
    return int(status.split()[-1])


async def for_import(
    conn: asyncpg.Connection | asyncpg.Pool, import_id: uuid.UUID
) -> list[EventRecord]:
    """Every stored event of one import, oldest first (tests and support)."""
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM import_events WHERE import_id = $1 ORDER BY created_at, id",
        import_id,
    )
    return [_record(row) for row in rows]
