"""The Dramatiq actors of the worker, bound to a broker built from the settings."""

from __future__ import annotations

import logging
import uuid
from typing import Any

import dramatiq
from dramatiq.asyncio import get_event_loop_thread
from dramatiq.middleware import Middleware
from dramatiq.middleware.asyncio import AsyncIO

from services.validator_worker.context import WorkerContext
from services.validator_worker.pipeline import run_import
from services.validator_worker.retention import RetentionTimer
from services.validator_worker.rows.phone_rules import use_phone_library
from shared.broker import PROCESS_IMPORT_ACTOR, make_broker
from shared.errors import ImportBusy, Reason
from shared.i18n.text import t
from shared.settings import Settings
from shared.store import runs

log = logging.getLogger(__name__)

RETRIES_EXHAUSTED_ACTOR = "import_retries_exhausted"
# Unexpected errors (database outage, a bug) are retried this often, then the import FAILS.
MAX_RETRIES = 3
# A live lease of another worker is waited out this often (backoff up to a minute each).
MAX_BUSY_RETRIES = 30


def _retry_when(retries: int, exc: BaseException) -> bool:
    if isinstance(exc, ImportBusy):
        return retries < MAX_BUSY_RETRIES
    return retries < MAX_RETRIES


class ClosePool(Middleware):
    """Closes the worker's database pool on its event loop before that loop stops."""

    def __init__(self, ctx: WorkerContext) -> None:
        self._ctx = ctx

    def before_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        loop_thread = get_event_loop_thread()
        if loop_thread is not None:
            loop_thread.run_coroutine(self._ctx.close())


class CheckProcesses(Middleware):
    """Starts the worker process's row check processes at boot, stops them at shutdown."""

    def __init__(self, ctx: WorkerContext) -> None:
        self._ctx = ctx

    def after_worker_boot(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        self._ctx.check_pool.start()

    def after_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        # After the actor threads stopped: no import is using the processes any more.
        self._ctx.check_pool.close()


def build_worker_broker(settings: Settings) -> tuple[dramatiq.Broker, WorkerContext]:
    """A broker with the import actors registered on settings.queue, and the retention timer."""
    use_phone_library(settings.phone_library)
    broker = make_broker(settings.broker_url)
    ctx = WorkerContext(settings)
    broker.add_middleware(AsyncIO())
    # Before ClosePool: the retention loop stops before its pool is closed.
    broker.add_middleware(RetentionTimer(ctx))
    broker.add_middleware(ClosePool(ctx))
    broker.add_middleware(CheckProcesses(ctx))

    async def process_import(import_id: str) -> None:
        try:
            uuid.UUID(import_id)
        except ValueError:
            log.error("dropping a message with a bad import id")
            return
        await run_import(ctx, import_id)

    async def import_retries_exhausted(message: dict[str, Any], retry_info: dict[str, Any]) -> None:
        import_id = uuid.UUID(message["args"][0])
        pool = await ctx.pool()
        async with pool.acquire() as conn:
            await runs.fail(
                conn,
                import_id,
                Reason.WORKER_ERROR.value,
                t(
                    "The import could not be finished after several tries; nothing was stored. "
                    "Start it again by uploading the file once more, or contact support."
                ),
            )
        log.error("import %s failed after %s retries", import_id, retry_info.get("retries"))

    dramatiq.actor(
        actor_name=PROCESS_IMPORT_ACTOR,
        queue_name=settings.queue,
        broker=broker,
        retry_when=_retry_when,
        min_backoff=2_000,
        max_backoff=60_000,
        on_retry_exhausted=RETRIES_EXHAUSTED_ACTOR,
    )(process_import)
    dramatiq.actor(
        actor_name=RETRIES_EXHAUSTED_ACTOR,
        queue_name=settings.queue,
        broker=broker,
        max_retries=5,
    )(import_retries_exhausted)
    return broker, ctx
