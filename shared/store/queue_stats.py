"""How far behind the workers are: the outbox backlog and the oldest queued import."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

from shared.store.lifecycle import ImportState


@dataclass(frozen=True)
class QueueStats:
    outbox_backlog: int  # outbox rows of imports still QUEUED (no worker has claimed them)
    oldest_queued_seconds: float  # age of the oldest QUEUED import; 0 when none


async def queue_stats(conn: asyncpg.Connection | asyncpg.Pool) -> QueueStats:
    """Across every tenant (an operator's figure): two index-friendly aggregates."""
    row = await conn.fetchrow(
        """
        SELECT
            (SELECT count(*) FROM import_outbox o JOIN imports i ON i.id = o.import_id
              WHERE i.state = $1) AS backlog,
            (SELECT coalesce(extract(epoch FROM now() - min(coalesce(queued_at, created_at))), 0)
               FROM imports WHERE state = $1) AS oldest
        """,
        ImportState.QUEUED.value,
    )
    assert row is not None
    return QueueStats(int(row["backlog"]), float(row["oldest"]))
