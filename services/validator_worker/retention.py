"""Retention: the stored files and failure workbooks of imports older than the history go.

A purged import keeps its row (marked `purged_at`) so its contacts keep their import id, but
every RPC answers NOT_FOUND for it. Contacts are never purged. The job runs inside every
worker process on Dramatiq's event-loop thread (`RetentionTimer`); an advisory lock lets only
one worker of the fleet purge at a time.

`python -m services.validator_worker.retention` runs one purge and exits (0: done, or another
process holds the lock; 1: the database failed), for a scheduler (a Kubernetes CronJob, a
systemd timer) where workers may scale to zero; CONTACTIMPORT_WORKER_RETENTION=false then
turns the timer in the workers off.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import asyncpg
import dramatiq
from dramatiq.asyncio import EventLoopThread, get_event_loop_thread
from dramatiq.middleware import Middleware

from services.validator_worker.context import WorkerContext
from shared.logging_setup import configure_logging
from shared.settings import Settings
from shared.store import retention as store
from shared.store.pool import close_pool, create_pool

log = logging.getLogger(__name__)

# Imports purged per transaction, so one run never holds a long transaction.
PURGE_BATCH = 500


async def purge_expired(pool: asyncpg.Pool, *, now: datetime, history: timedelta) -> int:
    """Purge the imports created before `now - history`; return how many were purged.

    Returns at once when another worker holds the retention lock.
    """
    purged = 0
    while True:
        async with pool.acquire() as conn, conn.transaction():
            batch = await store.purge_before(conn, now - history, now, PURGE_BATCH)
        if batch is None:
            log.debug("retention: another worker is purging")
            return purged
        purged += batch
        if batch < PURGE_BATCH:
            return purged


def _utc_now() -> datetime:
    return datetime.now(UTC)


async def run_retention(ctx: WorkerContext, *, now: Callable[[], datetime] = _utc_now) -> None:
    """Purge at once, then every `retention_interval_seconds`, until cancelled."""
    interval = ctx.settings.retention_interval_seconds
    history = timedelta(days=ctx.settings.history_days)
    while True:
        try:
            purged = await purge_expired(await ctx.pool(), now=now(), history=history)
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as exc:
            log.warning("retention run failed, next try in %.0f s: %s", interval, exc)
        else:
            if purged:
                log.info("retention: purged %d import(s) older than %s", purged, history)
        await asyncio.sleep(interval)


class RetentionTimer(Middleware):
    """Runs `run_retention` on the worker's event loop from boot until shutdown.

    Added before ClosePool, so it stops before the pool it uses is closed.
    CONTACTIMPORT_WORKER_RETENTION=false or CONTACTIMPORT_RETENTION_INTERVAL_SECONDS <= 0
    turns it off in this process.
    """

    def __init__(self, ctx: WorkerContext) -> None:
        self._ctx = ctx
        self._loop_thread: EventLoopThread | None = None
        self._task: asyncio.Task[None] | None = None

    def after_worker_boot(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        loop_thread = get_event_loop_thread()
        settings = self._ctx.settings
        if (
            loop_thread is None
            or not settings.worker_retention
            or settings.retention_interval_seconds <= 0
        ):
            return

        async def spawn() -> asyncio.Task[None]:
            task = asyncio.create_task(run_retention(self._ctx), name="retention")
            task.add_done_callback(_log_crash)
            return task

        self._loop_thread = loop_thread
        self._task = loop_thread.run_coroutine(spawn())

    def before_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        task, loop_thread = self._task, self._loop_thread
        self._task = self._loop_thread = None
        if task is None or loop_thread is None:
            return

        async def stop() -> None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

        loop_thread.run_coroutine(stop())


def _log_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("retention stopped by an unexpected error", exc_info=task.exception())


async def run_once(settings: Settings, *, now: Callable[[], datetime] = _utc_now) -> int:
    """One purge on a pool of its own; the number of imports purged."""
    pool = await create_pool(
        settings, max_size=1, statement_timeout=settings.worker_db_statement_timeout_seconds
    )
    try:
        return await purge_expired(pool, now=now(), history=timedelta(days=settings.history_days))
    finally:
        await close_pool(pool)


def main() -> int:
    """`python -m services.validator_worker.retention`: purge once; 0 done, 1 database failed."""
    settings = Settings()
    configure_logging(settings.log_level, settings.log_format)
    if not settings.database_url:
        log.error("retention: DATABASE_URL is not set")
        return 2
    try:
        purged = asyncio.run(run_once(settings))
    except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, TimeoutError) as exc:
        log.error("retention run failed: %s", exc)
        return 1
    log.info("retention: purged %d import(s) older than %d days", purged, settings.history_days)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
