"""Wakes WatchImport streams when a worker changes an import (PostgreSQL LISTEN/NOTIFY).

Every progress or state change notifies (`shared.store.notify`); one
listening connection per API process fans the notifications out. Watchers also wake
every `poll_seconds`, so a lost notification or a dropped listener only slows them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable

import asyncpg

from shared.store.notify import listen

log = logging.getLogger(__name__)


class ImportEvents:
    """Per-import wake-ups for watchers."""

    def __init__(self, dsn: str, poll_seconds: float = 1.0) -> None:
        self._dsn = dsn
        self._poll = poll_seconds
        self._waiters: dict[str, set[asyncio.Event]] = defaultdict(set)
        self._conn: asyncpg.Connection | None = None

    async def start(self) -> None:
        try:
            self._conn = await listen(self._dsn, self._on_notify)
        except (OSError, asyncpg.PostgresError):
            log.warning("cannot LISTEN for import changes; watchers poll instead", exc_info=True)
            self._conn = None

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    def _on_notify(self, import_id: str) -> None:
        for event in self._waiters.get(import_id, ()):
            event.set()

    @contextlib.asynccontextmanager
    async def subscribe(self, import_id: str) -> AsyncIterator[Callable[[], Awaitable[None]]]:
        """Yield `changed()`: it returns once the import may have changed since the last call.

        The wake-up is re-armed before it returns, so a change between a read and the next
        `changed()` call is never missed.
        """
        event = asyncio.Event()
        self._waiters[import_id].add(event)

        async def changed() -> None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), self._poll)
            event.clear()

        try:
            yield changed
        finally:
            waiters = self._waiters[import_id]
            waiters.discard(event)
            if not waiters:
                del self._waiters[import_id]
