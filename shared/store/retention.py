"""Retention: the stored files, sheets and workbooks of imports older than the history go.

The import row stays (marked `purged_at`) so its contacts keep their import id; contacts
are never purged.
"""

from __future__ import annotations

from datetime import datetime

import asyncpg

# pg_try_advisory_xact_lock key: one purging worker at a time ("purg").
RETENTION_LOCK_KEY = 0x70757267


async def purge_before(
    conn: asyncpg.Connection, cutoff: datetime, now: datetime, limit: int
) -> int | None:
    """Purge up to `limit` imports created before `cutoff`, in the caller's transaction.

    None when another worker holds the retention lock. Rows that a running DeleteImport
    has locked are skipped and purged on the next run.
    """
    if not await conn.fetchval("SELECT pg_try_advisory_xact_lock($1)", RETENTION_LOCK_KEY):
        return None
    rows = await conn.fetch(
        """
        SELECT id FROM imports WHERE created_at < $1 AND purged_at IS NULL
        ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED
        """,
        cutoff,
        limit,
    )
    ids = [r["id"] for r in rows]
    if ids:
        await conn.execute("DELETE FROM import_files WHERE import_id = ANY($1)", ids)
        await conn.execute("DELETE FROM import_sheets WHERE import_id = ANY($1)", ids)
        await conn.execute("DELETE FROM failure_workbooks WHERE import_id = ANY($1)", ids)
        # A purged import is never claimed, so its outbox row would be republished forever.
        await conn.execute("DELETE FROM import_outbox WHERE import_id = ANY($1)", ids)
        await conn.execute("UPDATE imports SET purged_at = $2 WHERE id = ANY($1)", ids, now)
    return len(ids)
