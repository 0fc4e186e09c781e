"""The asyncpg pool: JSON columns decoded to Python values, and a bound on every wait.

asyncpg bounds connecting (`timeout`) and each statement (`command_timeout`), but taking a
connection from the pool waits without a bound unless every caller passes one; the pool
here gives each `acquire()` the configured bound, so a database that silently drops packets
(a partition, a failover) gives TimeoutError after a known time wherever it is waited on,
which the API answers UNAVAILABLE and the worker retries.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import asyncpg
from asyncpg.pool import PoolAcquireContext

from shared.settings import Settings

# A healthy release (RESET ALL on the connection) takes milliseconds.
RELEASE_SECONDS = 1.0


async def _init_connection(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


class BoundedPool(asyncpg.Pool):  # type: ignore[misc]
    """An asyncpg pool whose `acquire()` and `release()` wait a bounded time by default.

    Release matters after a statement timed out: asyncpg then waits for the server to
    confirm the cancellation (up to the statement timeout again) before the connection can
    be reused; bounded, the connection is closed instead and the caller hears at once.
    """

    __slots__ = ("_acquire_timeout",)

    def __init__(self, *args: Any, acquire_timeout: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._acquire_timeout = acquire_timeout

    def acquire(self, *, timeout: float | None = None) -> PoolAcquireContext:
        return super().acquire(timeout=self._acquire_timeout if timeout is None else timeout)

    async def release(  # asyncpg's own signature
        self,
        connection: asyncpg.Connection,
        *,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> None:
        await super().release(connection, timeout=RELEASE_SECONDS if timeout is None else timeout)


async def create_pool(
    settings: Settings, *, max_size: int | None = None, statement_timeout: float | None = None
) -> asyncpg.Pool:
    """A pool on DATABASE_URL; jsonb columns read and write Python values.

    Connecting, acquiring and each statement are bounded by the settings'
    db_*_timeout_seconds (`statement_timeout` overrides the statement bound: the worker's).
    """
    pool = BoundedPool(
        settings.database_url,
        min_size=settings.db_pool_min,
        max_size=max_size or settings.db_pool_max,
        max_queries=50_000,
        max_inactive_connection_lifetime=300.0,
        setup=None,
        init=_init_connection,
        reset=None,
        loop=None,
        connection_class=asyncpg.Connection,
        record_class=asyncpg.Record,
        acquire_timeout=settings.db_acquire_timeout_seconds,
        timeout=settings.db_connect_timeout_seconds,
        command_timeout=statement_timeout or settings.db_statement_timeout_seconds,
    )
    await pool
    return pool


# A graceful close waits for every connection to be released; after an outage one may never
# be (asyncpg would wait, warning, for a minute): then the rest are cut.
CLOSE_SECONDS = 5.0


async def close_pool(pool: asyncpg.Pool) -> None:
    """Close gracefully within CLOSE_SECONDS, else terminate every connection."""
    try:
        await asyncio.wait_for(pool.close(), CLOSE_SECONDS)
    except (TimeoutError, OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
        pool.terminate()
