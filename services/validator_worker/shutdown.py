"""Stopping a worker process within its stated shutdown timeout.

On SIGTERM Dramatiq stops taking messages and waits for the one being run. The import it
runs gets CONTACTIMPORT_WORKER_SHUTDOWN_SECONDS to finish; after that it is interrupted:
its open transaction is rolled back, its claim given up (`runs.release`) and its message
sent again at once, so another worker takes the import over without waiting for the lease.
Nothing is stored twice: an import's contacts are written in one transaction at its end.
"""

from __future__ import annotations

import asyncio
import logging

import dramatiq
from dramatiq.asyncio import get_event_loop_thread
from dramatiq.middleware import Middleware

from services.validator_worker.context import WorkerContext

log = logging.getLogger(__name__)

# Dramatiq's own bound on joining its threads after SIGTERM (`--worker-shutdown-timeout`):
# this much above ours, for giving up the claim and sending the message again.
RELEASE_MARGIN_SECONDS = 15.0


class ImportInterrupted(Exception):
    """The running import was stopped by the worker's shutdown; its claim is given up."""


def dramatiq_shutdown_timeout_ms(seconds: float) -> int:
    """Dramatiq's thread-join bound for a worker whose imports get `seconds` to finish."""
    return int((seconds + RELEASE_MARGIN_SECONDS) * 1000)


class StopWithin(Middleware):
    """At shutdown, interrupts the imports still running after `seconds`."""

    def __init__(self, ctx: WorkerContext, seconds: float) -> None:
        self._ctx = ctx
        self._seconds = seconds

    def before_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        loop_thread = get_event_loop_thread()
        if loop_thread is None:
            return
        loop = loop_thread.loop
        loop.call_soon_threadsafe(self._arm, loop)

    def _arm(self, loop: asyncio.AbstractEventLoop) -> None:
        self._ctx.stopping = True
        if self._ctx.running:
            log.info("shutdown: the running import has %.0f s to finish", self._seconds)
        loop.call_later(self._seconds, self._interrupt)

    def _interrupt(self) -> None:
        for task in list(self._ctx.running):
            log.warning("shutdown: interrupting the running import after %.0f s", self._seconds)
            task.cancel()
