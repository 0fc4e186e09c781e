"""The API's Prometheus metrics, served on CONTACTIMPORT_METRICS_PORT (default 9101, 0: off).

Per RPC: calls by method and final status code, and latency. The queue's state, read from
the database when scraped (bounded by the statement timeout; a failed read keeps the last
figures and logs): the outbox backlog and the age of the oldest queued import. Each API
server has a registry of its own. docs/operations.md, "Metrics", lists every metric.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import asyncpg
import grpc
from grpc import aio
from prometheus_client import CollectorRegistry, Counter, Histogram, start_http_server
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from services.import_api.call_wrapping import Streaming, Unary, final_code, wrap_handler
from shared.store.queue_stats import QueueStats, queue_stats

log = logging.getLogger(__name__)

# Latency buckets in seconds: unary calls take milliseconds, uploads and downloads seconds.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
SCRAPE_READ_SECONDS = 3.0


class ApiMetrics:
    """One API server's metrics and, once `serve` is called, their HTTP endpoint."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "contactimport_rpc_requests",
            "RPCs answered, by method and final gRPC status code.",
            ["method", "code"],
            registry=self.registry,
        )
        self.duration = Histogram(
            "contactimport_rpc_duration_seconds",
            "Time from a call's start to its last response, by method.",
            ["method"],
            buckets=BUCKETS,
            registry=self.registry,
        )
        self._http: Any = None
        self._thread: Any = None
        self.port = 0

    def watch_queue(self, pool: asyncpg.Pool, loop: asyncio.AbstractEventLoop) -> None:
        """Report the queue's gauges, read from `pool` on `loop` at each scrape."""
        self.registry.register(_QueueCollector(pool, loop))

    def serve(self, port: int, host: str = "0.0.0.0") -> None:  # noqa: S104 (every interface)
        self._http, self._thread = start_http_server(port, addr=host, registry=self.registry)
        self.port = self._http.server_port
        log.info("metrics: http://%s:%d/metrics", host, self.port)

    def stop(self) -> None:
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
            self._http = None

    def interceptor(self) -> aio.ServerInterceptor:
        return _MetricsInterceptor(self)

    def observe(self, method: str, code: grpc.StatusCode, seconds: float) -> None:
        self.requests.labels(method, code.name).inc()
        self.duration.labels(method).observe(seconds)


class _MetricsInterceptor(aio.ServerInterceptor):  # type: ignore[misc]
    def __init__(self, metrics: ApiMetrics) -> None:
        self._metrics = metrics

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler]],
        details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler:
        handler = await continuation(details)
        if handler is None:
            return handler
        method = details.method.lstrip("/")
        metrics = self._metrics

        def unary(inner: Unary) -> Unary:
            async def counted(request: Any, context: aio.ServicerContext) -> Any:
                started, failed = time.perf_counter(), True
                try:
                    response = await inner(request, context)
                    failed = False
                    return response
                finally:
                    code = final_code(context, failed)
                    metrics.observe(method, code, time.perf_counter() - started)

            return counted

        def streaming(inner: Streaming) -> Streaming:
            async def counted(request: Any, context: aio.ServicerContext) -> AsyncIterator[Any]:
                started, failed = time.perf_counter(), True
                try:
                    async for response in inner(request, context):
                        yield response
                    failed = False
                finally:
                    code = final_code(context, failed)
                    metrics.observe(method, code, time.perf_counter() - started)

            return counted

        return wrap_handler(handler, unary, streaming)


class _QueueCollector(Collector):
    """The queue's gauges, read on the API's event loop when Prometheus scrapes."""

    def __init__(self, pool: asyncpg.Pool, loop: asyncio.AbstractEventLoop) -> None:
        self._pool = pool
        self._loop = loop
        self._last = QueueStats(0, 0.0)

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            read = asyncio.run_coroutine_threadsafe(queue_stats(self._pool), self._loop)
            self._last = read.result(timeout=SCRAPE_READ_SECONDS)
        except Exception:
            log.warning("metrics: reading the queue's state failed; last figures kept")
        yield GaugeMetricFamily(
            "contactimport_outbox_backlog",
            "Outbox rows of imports still queued (not yet claimed by a worker).",
            value=self._last.outbox_backlog,
        )
        yield GaugeMetricFamily(
            "contactimport_oldest_queued_import_age_seconds",
            "Age of the oldest queued import (0 when none is queued).",
            value=self._last.oldest_queued_seconds,
        )
