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
from services.validator_worker.metrics import import_metrics
from services.validator_worker.pipeline import run_import
from services.validator_worker.retention import RetentionTimer
from services.validator_worker.rows.phone_rules import use_phone_library
from services.validator_worker.shutdown import ImportInterrupted, StopWithin
from services.validator_worker.tracing import Tracing
from shared.broker import PROCESS_IMPORT_ACTOR, make_broker
from shared.errors import ImportBusy, Reason
from shared.i18n.text import t
from shared.settings import Settings
from shared.store import runs
from shared.store.lifecycle import ImportState

log = logging.getLogger(__name__)

RETRIES_EXHAUSTED_ACTOR = "import_retries_exhausted"
# Unexpected errors (a database or broker outage, a bug) are retried with jittered backoff
# from 1 s up to 20 s between tries, for about 15 minutes (60 tries), then the import FAILS:
# an outage of up to 10 minutes ends with the import finished, at most ~20 s after it heals.
MAX_RETRIES = 60
MIN_BACKOFF_MS = 1_000
MAX_BACKOFF_MS = 20_000
# Another worker's live lease (it runs the import, or it died and its lease has not run out
# yet) is waited out by sending the message again later: never counted as an error. At most
# this many times (an hour at the longest wait), then the message is dropped with a log line.
MAX_BUSY_WAITS = 120
BUSY_WAIT_MS = (5_000, 30_000)  # the first wait, and the longest


def busy_wait_ms(waits: int) -> int:
    """How long the n-th busy wait lasts: doubling from 5 s up to 30 s."""
    first, longest = BUSY_WAIT_MS
    return int(min(first * 2**waits, longest))


class ClosePool(Middleware):
    """Closes the worker's database pool on its event loop before that loop stops.

    After the actor threads stopped (the running import finished or was interrupted and
    gave up its claim through this pool); `after_` hooks run in reverse order, so this runs
    before the AsyncIO middleware stops the loop.
    """

    def __init__(self, ctx: WorkerContext) -> None:
        self._ctx = ctx

    def after_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        loop_thread = get_event_loop_thread()
        if loop_thread is None:
            return
        try:
            loop_thread.run_coroutine(self._ctx.close())
        except Exception:
            # Never stop the shutdown: the later middleware stop the event loop and the
            # check processes, and a process that cannot stop them cannot exit.
            log.exception("closing the worker's database pool failed")


class CheckProcesses(Middleware):
    """Starts the worker process's row check processes at boot, stops them at shutdown."""

    def __init__(self, ctx: WorkerContext) -> None:
        self._ctx = ctx

    def after_worker_boot(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        self._ctx.check_pool.start()

    def after_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        # After the actor threads stopped: no import is using the processes any more.
        self._ctx.check_pool.close()


def build_worker_broker(
    settings: Settings, *, prometheus: bool = False
) -> tuple[dramatiq.Broker, WorkerContext]:
    """A broker with the import actors registered on settings.queue, and the retention timer.

    `prometheus`: add Dramatiq's Prometheus middleware (only under the `dramatiq` command,
    which runs its exposition server; services.validator_worker.metrics).
    """
    use_phone_library(settings.phone_library)
    broker = make_broker(settings.broker_url)
    ctx = WorkerContext(settings)
    # First: traces are set up before the others boot and flushed after they shut down.
    broker.add_middleware(Tracing())
    broker.add_middleware(AsyncIO())
    # Before ClosePool: the retention loop stops before its pool is closed.
    broker.add_middleware(RetentionTimer(ctx))
    broker.add_middleware(ClosePool(ctx))
    broker.add_middleware(StopWithin(ctx, settings.worker_shutdown_seconds))
    broker.add_middleware(CheckProcesses(ctx))
    if prometheus:
        # Dramatiq's own metrics and an exposition server for every process of the command
        # (imported here: the module makes its multiprocess folder when imported).
        from dramatiq.middleware.prometheus import Prometheus

        broker.add_middleware(Prometheus())

    async def process_import(import_id: str, busy_waits: int = 0) -> None:
        try:
            uuid.UUID(import_id)
        except ValueError:
            log.error("dropping a message with a bad import id")
            return
        try:
            await run_import(ctx, import_id)
        except ImportInterrupted:
            # Stopped by this process's shutdown, claim given up: sent again at once for
            # another worker (not a retry: it spends none of the error budget).
            actor.send_with_options(args=(import_id,), kwargs={"busy_waits": busy_waits})
            log.info("import %s: handed back to the queue at shutdown", import_id)
        except ImportBusy:
            if busy_waits >= MAX_BUSY_WAITS:
                log.error(
                    "import %s: still busy after %d waits; message dropped", import_id, busy_waits
                )
                return
            # A message of its own, later: not a retry, so it spends none of the error budget.
            actor.send_with_options(
                args=(import_id,),
                kwargs={"busy_waits": busy_waits + 1},
                delay=busy_wait_ms(busy_waits),
            )

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
        import_metrics().record(ImportState.FAILED.value, "unknown", 0.0)
        log.error("import %s failed after %s retries", import_id, retry_info.get("retries"))

    actor = dramatiq.actor(
        actor_name=PROCESS_IMPORT_ACTOR,
        queue_name=settings.queue,
        broker=broker,
        max_retries=MAX_RETRIES,
        min_backoff=MIN_BACKOFF_MS,
        max_backoff=MAX_BACKOFF_MS,
        on_retry_exhausted=RETRIES_EXHAUSTED_ACTOR,
    )(process_import)
    dramatiq.actor(
        actor_name=RETRIES_EXHAUSTED_ACTOR,
        queue_name=settings.queue,
        broker=broker,
        max_retries=5,
    )(import_retries_exhausted)
    return broker, ctx
