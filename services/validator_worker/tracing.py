"""Worker traces: a `process_import` span per import message, and a span per pipeline stage.

The middleware installs the process's tracer provider at worker boot (shared.tracing: only
when OTEL_EXPORTER_OTLP_* asks for it) and flushes it at shutdown. Each process_import
message continues the trace whose W3C traceparent the API put in its options (the publish
span), as a CONSUMER span made current on the worker thread before the actor runs. The async
actor runs on Dramatiq's event-loop thread: `run_coroutine_threadsafe` schedules it from the
worker thread, and asyncio copies that thread's context into the task, so the span reaches
the pipeline; `stage()` opens the stage spans under it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import dramatiq
from dramatiq.broker import MessageProxy
from dramatiq.middleware import Middleware
from opentelemetry import context as otel_context
from opentelemetry import trace

from shared.broker import PROCESS_IMPORT_ACTOR
from shared.tracing import context_from, setup_tracing, shutdown_tracing

SERVICE_NAME = "contactimport-worker"
# The pipeline's timing keys (stored with the import) and the names of their spans.
STAGE_SPANS = {
    "parse": "parse",
    "validate": "check",
    "match": "match",
    "insert": "store",
    "workbook": "workbook",
}


def tracer() -> trace.Tracer:
    """This module's tracer, from the provider installed now (looked up per use, not kept)."""
    return trace.get_tracer(__name__)


class Tracing(Middleware):
    """Owns the process's tracer provider and each import message's `process_import` span."""

    def __init__(self) -> None:
        self._provider: Any = None
        self._open = threading.local()  # the span of the message this worker thread runs

    def before_worker_boot(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        # In each worker process (after Dramatiq's fork): the batch exporter's thread is ours.
        self._provider = setup_tracing(SERVICE_NAME)

    def after_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        shutdown_tracing(self._provider)
        self._provider = None

    def before_process_message(self, broker: dramatiq.Broker, message: MessageProxy) -> None:
        if message.actor_name != PROCESS_IMPORT_ACTOR:
            return
        span = tracer().start_span(
            "process_import",
            context=context_from(message.options.get("traceparent")),
            kind=trace.SpanKind.CONSUMER,
            attributes={
                "contactimport.import_id": str(message.args[0]) if message.args else "",
                "messaging.system": "dramatiq",
                "messaging.destination.name": message.queue_name,
                "messaging.message.id": message.message_id,
                "messaging.dramatiq.retries": int(message.options.get("retries", 0)),
            },
        )
        token = otel_context.attach(trace.set_span_in_context(span))
        self._open.span = (span, token)

    def after_process_message(
        self,
        broker: dramatiq.Broker,
        message: MessageProxy,
        *,
        result: Any = None,
        exception: BaseException | None = None,
    ) -> None:
        opened = getattr(self._open, "span", None)
        if opened is None:
            return
        self._open.span = None
        span, token = opened
        if exception is not None:
            span.record_exception(exception)
            span.set_status(trace.StatusCode.ERROR, type(exception).__name__)
        span.end()
        otel_context.detach(token)

    def after_skip_message(self, broker: dramatiq.Broker, message: MessageProxy) -> None:
        self.after_process_message(broker, message)


@contextmanager
def stage(timings: dict[str, float], name: str) -> Iterator[None]:
    """Time one pipeline stage into `timings[name]`, inside a span of its own."""
    with tracer().start_as_current_span(STAGE_SPANS[name]):
        started = time.perf_counter()
        yield
        timings[name] = time.perf_counter() - started


def record_stage(timings: dict[str, float], name: str, seconds: float) -> None:
    """A stage timed elsewhere (the workbook, in a check process): its time and its span."""
    timings[name] = seconds
    if seconds > 0:
        ended = time.time_ns()
        span = tracer().start_span(STAGE_SPANS[name], start_time=ended - int(seconds * 1e9))
        span.end(end_time=ended)


def describe_import(tenant_id: str, file_format: str, attempt: int) -> None:
    """Ids of the claimed import on the current (process_import) span: never contact data."""
    trace.get_current_span().set_attributes(
        {
            "contactimport.tenant_id": tenant_id,
            "contactimport.format": file_format,
            "contactimport.attempt": attempt,
        }
    )


def describe_outcome(state: str, rows: int, imported: int, failed: int) -> None:
    """The import's end state and row counts on the current (process_import) span."""
    trace.get_current_span().set_attributes(
        {
            "contactimport.state": state,
            "contactimport.rows": rows,
            "contactimport.rows_imported": imported,
            "contactimport.rows_failed": failed,
        }
    )
