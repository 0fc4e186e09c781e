"""Traces: one trace from StartImport through the outbox publish and the broker message to the
worker's stages, across two processes (the API here, a real worker process).

The API's spans go to an in-memory exporter; the worker process writes its spans as JSON
lines (OTEL_TRACES_EXPORTER=console, the SDK's standard variable, supported by
shared.tracing) to the output Dramatiq collects, which the test reads.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any

import dramatiq
import pytest
from dramatiq.brokers.stub import StubBroker
from grpc import aio
from opentelemetry import trace
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.util._once import Once

from services.import_api import job_outbox
from services.import_api.job_outbox import JobPublisher, relay_once
from services.import_api.server import start_server
from shared.broker import import_message
from shared.gen.contactimport.v1 import import_service_pb2 as pb
from shared.gen.contactimport.v1 import import_service_pb2_grpc as pb_grpc
from shared.tracing import context_from, current_traceparent, setup_tracing, wanted_exporters
from tests.support import csv_bytes, start, upload, wait_finished
from tests.worker_processes import delete_queues, kill_worker, stop_worker, worker_env

# A valid row and one with a bad phone number (so the workbook stage runs too).
ROWS = [["First name", "Phone"], ["Jantracing", "0201234567"], ["Piettracing", "not-a-phone"]]
CONTACT_DATA = ("Jantracing", "201234567", "Piettracing", "not-a-phone")
STAGES = {"parse", "check", "match", "store", "workbook"}
WAIT_SECONDS = 60


@pytest.fixture
def api_spans() -> Iterator[InMemorySpanExporter]:
    """This process's global tracer provider, exporting to memory; the old one put back after."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: "contactimport-api"}))
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    saved = trace._TRACER_PROVIDER, trace._TRACER_PROVIDER_SET_ONCE
    trace._TRACER_PROVIDER, trace._TRACER_PROVIDER_SET_ONCE = None, Once()
    trace.set_tracer_provider(provider)
    try:
        yield exporter
    finally:
        trace._TRACER_PROVIDER, trace._TRACER_PROVIDER_SET_ONCE = saved
        provider.shutdown()


class WorkerSpans:
    """Reads a worker process's output; keeps the span lines, and says when one ends."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.spans: list[dict[str, Any]] = []
        self.lines: list[str] = []
        self._process = process
        self._seen = threading.Condition()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        assert self._process.stdout is not None
        for raw in self._process.stdout:
            line = raw.decode("utf-8", "replace").strip()
            with self._seen:
                self.lines.append(line)
                if line.startswith("{") and '"context"' in line:
                    self.spans.append(json.loads(line))
                    self._seen.notify_all()

    def close(self) -> None:
        """After the process exited: the reader has seen the end of its output."""
        self._thread.join(10)
        assert self._process.stdout is not None
        self._process.stdout.close()

    def wait_for(self, name: str, seconds: float) -> dict[str, Any]:
        """The first span named `name`, waited for up to `seconds`."""

        def found() -> dict[str, Any] | None:
            return next((s for s in self.spans if s["name"] == name), None)

        with self._seen:
            if not self._seen.wait_for(lambda: found() is not None, seconds):
                tail = "\n".join(self.lines[-30:])
                raise TimeoutError(f"no {name} span from the worker in {seconds} s:\n{tail}")
            span = found()
            assert span is not None
            return span


@pytest.fixture
async def traced_worker(settings) -> AsyncIterator[tuple[Any, WorkerSpans]]:
    """A worker process on a queue of its own writing its spans to its output."""
    queue = f"{settings.queue}-tracing"
    env = worker_env(settings, queue, OTEL_TRACES_EXPORTER="console")
    for variable in ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"):
        env.pop(variable, None)
    env.pop("OTEL_SERVICE_NAME", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "services.validator_worker", "--processes", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    spans = WorkerSpans(process)
    try:
        yield settings.model_copy(update={"queue": queue}), spans
    finally:
        await asyncio.to_thread(stop_worker, process)
        kill_worker(process)  # what is left of its group, if anything
        spans.close()
        delete_queues(settings.broker_url, queue)


def _hex(number: int, width: int) -> str:
    return f"0x{number:0{width}x}"


def _traceparent(context: trace.SpanContext) -> str:
    return f"00-{context.trace_id:032x}-{context.span_id:016x}-{context.trace_flags:02x}"


def _one(spans: list[ReadableSpan], name: str) -> ReadableSpan:
    found = [s for s in spans if s.name == name]
    assert len(found) == 1, [s.name for s in spans]
    return found[0]


async def test_one_trace_runs_from_start_import_through_the_message_to_the_worker_stages(
    api_spans, traced_worker, auth
) -> None:
    # Given an API with a tracer provider and a worker process exporting its spans
    settings, worker = traced_worker
    api = await start_server(settings, listen="127.0.0.1:0", run_relay_task=False)
    try:
        async with aio.insecure_channel(f"127.0.0.1:{api.port}") as channel:
            stub = pb_grpc.ImportServiceStub(channel)
            uploaded = await upload(stub, auth, csv_bytes(ROWS))
            import_id = uploaded.contact_import.import_id
            # When the import is started and runs to its end
            await start(stub, auth, uploaded)
            finished = await wait_finished(stub, auth, import_id)
    finally:
        await api.stop(0.5)
    assert finished.state == pb.ContactImport.STATE_PARTIALLY_SUCCEEDED
    process_import = await asyncio.to_thread(worker.wait_for, "process_import", WAIT_SECONDS)

    # Then the API's StartImport span is the parent of the publish span
    spans = list(api_spans.get_finished_spans())
    start_span = _one(spans, "contactimport.v1.ImportService/StartImport")
    publish = _one(spans, "publish")
    assert start_span.kind is trace.SpanKind.SERVER
    assert start_span.attributes is not None
    assert start_span.attributes["rpc.grpc.status_code"] == 0
    assert publish.parent is not None
    assert publish.context is not None
    assert start_span.context is not None
    assert publish.parent.span_id == start_span.context.span_id
    assert publish.attributes is not None
    assert publish.attributes["contactimport.import_id"] == import_id
    trace_id = _hex(start_span.context.trace_id, 32)

    # and the worker's process_import span is the publish span's child, in the same trace
    assert process_import["context"]["trace_id"] == trace_id
    assert process_import["parent_id"] == _hex(publish.context.span_id, 16)
    assert process_import["kind"] == "SpanKind.CONSUMER"
    assert process_import["resource"]["attributes"]["service.name"] == "contactimport-worker"
    attributes = process_import["attributes"]
    assert attributes["contactimport.import_id"] == import_id
    assert attributes["contactimport.format"] == "csv"
    assert (attributes["contactimport.rows"], attributes["contactimport.rows_failed"]) == (2, 1)

    # and each stage is a child of process_import
    stages = {
        s["name"]: s for s in worker.spans if s["parent_id"] == process_import["context"]["span_id"]
    }
    assert set(stages) == STAGES
    assert {s["context"]["trace_id"] for s in stages.values()} == {trace_id}

    # and no span holds contact data
    exported = [json.dumps(s) for s in worker.spans] + [s.to_json() for s in spans]
    assert not [value for value in CONTACT_DATA for text in exported if value in text]


@pytest.fixture
async def paused_job_relay(api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The session API's job relay does nothing until the test ends (the test relays), so
    it cannot publish the test's outbox row first (a failed inline publish makes it due)."""
    called = asyncio.Event()

    async def paused(*args: Any, **kwargs: Any) -> int:
        called.set()
        return 0

    monkeypatch.setattr(job_outbox, "relay_once", paused)
    # Once the paused pass ran, no pass that began before the patch is still going.
    await asyncio.wait_for(called.wait(), 30)


@pytest.mark.usefixtures("paused_job_relay")
async def test_the_relay_publish_continues_the_trace_stored_with_the_outbox_row(
    api_spans, settings, token_for, db
) -> None:
    # Given a StartImport whose inline publish is lost (the broker is unreachable)
    offline = settings.model_copy(
        update={"broker_url": "amqp://guest:guest@127.0.0.1:1/%2F", "outbox_interval_seconds": 3600}
    )
    api = await start_server(offline, listen="127.0.0.1:0", run_relay_task=False)
    auth = (("authorization", f"Bearer {token_for(tenant=f't-{uuid.uuid4().hex[:6]}')}"),)
    try:
        async with aio.insecure_channel(f"127.0.0.1:{api.port}") as channel:
            stub = pb_grpc.ImportServiceStub(channel)
            uploaded = await upload(stub, auth, csv_bytes(ROWS))
            queued = await start(stub, auth, uploaded)
    finally:
        await api.stop(0)
    import_id = uuid.UUID(queued.import_id)
    start_span = _one(
        list(api_spans.get_finished_spans()), "contactimport.v1.ImportService/StartImport"
    )
    assert start_span.context is not None
    stored = await db.fetchval(
        "SELECT traceparent FROM import_outbox WHERE import_id = $1", import_id
    )
    assert stored == _traceparent(start_span.context)
    api_spans.clear()

    # When the relay publishes the row (to a stub broker, read back below)
    broker = StubBroker()
    broker.declare_queue(settings.queue)
    await db.execute(
        "UPDATE import_outbox SET publish_after = now() WHERE import_id = $1", import_id
    )
    publisher = JobPublisher(broker, settings.queue)
    try:
        assert await relay_once(db, publisher, republish_after=timedelta(minutes=10)) >= 1
    finally:
        publisher.close()

    # Then its publish span is a child of the stored StartImport span, and the message
    # carries the publish span's context
    publish = next(
        s
        for s in api_spans.get_finished_spans()
        if s.name == "publish"
        and s.attributes is not None
        and s.attributes["contactimport.import_id"] == str(import_id)
    )
    assert publish.parent is not None
    assert publish.context is not None
    assert (publish.parent.trace_id, publish.parent.span_id) == (
        start_span.context.trace_id,
        start_span.context.span_id,
    )
    messages = [dramatiq.Message.decode(m) for m in broker.queues[settings.queue].queue]
    options = next(m.options for m in messages if m.args == (str(import_id),))
    assert options["traceparent"] == _traceparent(publish.context)
    await db.execute("DELETE FROM import_outbox WHERE import_id = $1", import_id)


@pytest.mark.parametrize(
    "environ",
    [
        pytest.param({}, id="no-otel-variables"),
        pytest.param({"OTEL_SERVICE_NAME": "x"}, id="service-name-only"),
        pytest.param(
            {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318", "OTEL_SDK_DISABLED": "true"},
            id="sdk-disabled",
        ),
        pytest.param(
            {
                "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318",
                "OTEL_TRACES_EXPORTER": "none",
            },
            id="exporter-none",
        ),
    ],
)
def test_without_an_otlp_endpoint_no_tracer_provider_is_installed(environ) -> None:
    # Given the global provider as it is
    before = trace.get_tracer_provider()
    # When tracing is set up from an environment that names no collector
    provider = setup_tracing("contactimport-api", environ)
    # Then no provider is installed and nothing is carried
    assert provider is None
    assert trace.get_tracer_provider() is before
    assert wanted_exporters(environ) == []


@pytest.mark.parametrize(
    ("environ", "exporters"),
    [
        pytest.param({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"}, ["otlp"], id="endpoint"),
        pytest.param(
            {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://c:4318/v1/traces"},
            ["otlp"],
            id="traces-endpoint",
        ),
        pytest.param({"OTEL_TRACES_EXPORTER": "console"}, ["console"], id="console"),
    ],
)
def test_an_otlp_endpoint_or_the_console_exporter_turns_traces_on(environ, exporters) -> None:
    assert wanted_exporters(environ) == exporters


def test_the_api_process_without_otel_variables_loads_no_sdk() -> None:
    # Given an API process's start-up with no OTEL_* variable
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    code = (
        "import sys; from opentelemetry import trace; from shared.tracing import setup_tracing;"
        "import services.import_api.server;"
        "assert setup_tracing('contactimport-api') is None;"
        "assert isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider);"
        "assert 'opentelemetry.sdk.trace' not in sys.modules, 'SDK loaded'"
    )
    # When it sets up tracing, then no provider is installed and the SDK is not even loaded
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60)


def test_the_trace_context_rides_in_the_message_options(api_spans) -> None:
    # Given a current span
    with trace.get_tracer(__name__).start_as_current_span("StartImport") as span:
        traceparent = current_traceparent()
    # Then its W3C traceparent goes into the message and reads back as its parent
    assert traceparent is not None
    message = import_message("q", "0b1d3c0e-0000-4000-8000-000000000000", traceparent)
    assert message.options == {"traceparent": traceparent}
    parent = trace.get_current_span(context_from(message.options["traceparent"]))
    assert parent.get_span_context().span_id == span.get_span_context().span_id
    # and without a span the message carries nothing
    assert current_traceparent() is None
    assert import_message("q", "x").options == {}
