"""Import change notifications: PostgreSQL NOTIFY on one channel, LISTEN in the API.

Every write that changes an import (claim, progress, finish, failure, deletion) notifies
in its own transaction, so a watcher wakes only for a committed change. The payload is the
import id.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import asyncpg

CHANNEL = "import_changed"


async def notify(conn: asyncpg.Connection, import_id: uuid.UUID) -> None:
    """Tell listeners that this import changed (delivered when the transaction commits)."""
    await conn.execute("SELECT pg_notify($1, $2)", CHANNEL, str(import_id))


async def listen(
    dsn: str, on_change: Callable[[str], None], *, connect_seconds: float = 5.0
) -> asyncpg.Connection:
    """A connection of its own that calls `on_change(import_id)` for every notification.

    Connecting waits at most `connect_seconds` (TimeoutError).
    """
    conn = await asyncpg.connect(dsn, timeout=connect_seconds)

    def deliver(_conn: object, _pid: int, _channel: str, payload: str) -> None:
        on_change(payload)

    try:
        await conn.add_listener(CHANNEL, deliver)
    except BaseException:
        await conn.close()
        raise
    return conn
