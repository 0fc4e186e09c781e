"""Publishing import jobs: inline after StartImport, and a relay that republishes what was lost.

StartImport writes an outbox row in the same transaction that queues the import. The
inline publish moves the row's `publish_after` far ahead; if it fails (broker down) the row
is made due at once, and the relay publishes it on its next pass; if the API is killed
between commit and publish, the relay publishes the row once `publish_after` has passed.
The row lives until a worker claims the import, so a message lost inside the broker is
republished after CONTACTIMPORT_REPUBLISH_AFTER_SECONDS too. Workers are idempotent, so a
second message for the same import is harmless.

Each publish is a "publish" span: the inline one a child of the StartImport call, the
relay's a child of the trace context stored with the outbox row; the message carries the
publish span's W3C traceparent to the worker (shared.tracing).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import asyncpg
import dramatiq
from opentelemetry import trace
from opentelemetry.context import Context

from shared.broker import import_message
from shared.store import outbox
from shared.tracing import context_from, current_traceparent

log = logging.getLogger(__name__)


def tracer() -> trace.Tracer:
    """This module's tracer, from the provider installed now (looked up per use, not kept)."""
    return trace.get_tracer(__name__)


# How long StartImport waits for the broker before leaving the publish to the relay,
# and when the relay may publish a row whose inline publish has not confirmed.
INLINE_TIMEOUT = 5.0
INLINE_GRACE = timedelta(seconds=30)


class JobPublisher:
    """Sends import messages to the broker from one thread (pika connections are per thread)."""

    def __init__(self, broker: dramatiq.Broker, queue_name: str) -> None:
        self._broker = broker
        self._queue = queue_name
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="publisher")

    async def publish(self, import_id: uuid.UUID, parent: Context | None = None) -> None:
        """Send the import's message, in a "publish" span under `parent` (default: current)."""
        with tracer().start_as_current_span(
            "publish",
            context=parent,
            kind=trace.SpanKind.PRODUCER,
            attributes={
                "contactimport.import_id": str(import_id),
                "messaging.system": "dramatiq",
                "messaging.destination.name": self._queue,
            },
        ):
            message = import_message(self._queue, str(import_id), current_traceparent())
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(self._executor, self._broker.enqueue, message)

    def close(self) -> None:
        self._executor.shutdown(wait=True)
        self._broker.close()


async def publish_queued(
    pool: asyncpg.Pool, publisher: JobPublisher, import_id: uuid.UUID, republish_after: timedelta
) -> bool:
    """Publish one freshly queued import; on failure leave its outbox row to the relay."""
    try:
        await asyncio.wait_for(publisher.publish(import_id), INLINE_TIMEOUT)
    except Exception:
        # The broker's exceptions vary (pika, redis, socket): any failure leaves the row due.
        log.warning(
            "publish of import %s failed; the outbox relay will retry", import_id, exc_info=True
        )
        # Due at once (not after INLINE_GRACE): the relay publishes it on its first pass
        # after the broker is back. Best effort: if the database is out too, the grace holds.
        with contextlib.suppress(Exception):
            await outbox.make_due(pool, import_id)
        return False
    await outbox.mark_published(pool, import_id, republish_after)
    return True


async def relay_once(
    pool: asyncpg.Pool, publisher: JobPublisher, republish_after: timedelta, batch: int = 100
) -> int:
    """Publish every due outbox row of a still-queued import; return how many were published."""
    published = 0
    async with pool.acquire() as conn, conn.transaction():
        for due in await outbox.lock_due(conn, batch):
            import_id = due.import_id
            try:
                parent = context_from(due.traceparent)
                await asyncio.wait_for(publisher.publish(import_id, parent), INLINE_TIMEOUT)
            except Exception:
                log.warning("outbox relay: broker publish failed; will retry", exc_info=True)
                break
            await outbox.mark_published(conn, import_id, republish_after)
            published += 1
    if published:
        log.info("outbox relay published %d import job(s)", published)
    return published


async def run_relay(
    pool: asyncpg.Pool, publisher: JobPublisher, interval: float, republish_after: timedelta
) -> None:
    """Run relay_once every `interval` seconds until cancelled."""
    while True:
        try:
            await relay_once(pool, publisher, republish_after)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.warning("outbox relay pass failed; next pass in %.0f s", interval, exc_info=True)
        await asyncio.sleep(interval)
