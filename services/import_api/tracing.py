"""A server span per ImportService call (OpenTelemetry), around everything else the call does.

Registered first, so the span is the current one while the other interceptors and the
servicer run: StartImport's publish and outbox row take their trace context from it.
Registered only when the process has a tracer provider (shared.tracing): otherwise no cost.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import grpc
from grpc import aio
from opentelemetry import trace

from services.import_api.call_wrapping import Streaming, Unary, final_code, wrap_handler
from shared.tracing import tracing_installed

TRACED_PREFIX = "/contactimport."
# Server-side codes that mean the server failed (OpenTelemetry's gRPC conventions).
SERVER_ERRORS = frozenset(
    {
        grpc.StatusCode.UNKNOWN,
        grpc.StatusCode.DEADLINE_EXCEEDED,
        grpc.StatusCode.UNIMPLEMENTED,
        grpc.StatusCode.INTERNAL,
        grpc.StatusCode.UNAVAILABLE,
        grpc.StatusCode.DATA_LOSS,
    }
)


def tracer() -> trace.Tracer:
    """This module's tracer, from the provider installed now (looked up per use, not kept)."""
    return trace.get_tracer(__name__)


def tracing_interceptors() -> list[aio.ServerInterceptor]:
    """[TracingInterceptor()] when this process has a tracer provider, else nothing."""
    return [TracingInterceptor()] if tracing_installed() else []


class TracingInterceptor(aio.ServerInterceptor):  # type: ignore[misc]
    """Opens a SERVER span named like `contactimport.v1.ImportService/StartImport` per call."""

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler]],
        details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler:
        handler = await continuation(details)
        method: str = details.method
        if handler is None or not method.startswith(TRACED_PREFIX):
            return handler  # health checks and reflection: not worth a span
        return _traced(handler, method)


def _attributes(method: str) -> dict[str, str]:
    service, _, name = method.lstrip("/").partition("/")
    return {"rpc.system": "grpc", "rpc.service": service, "rpc.method": name}


def _end(span: trace.Span, context: aio.ServicerContext, failed: bool) -> None:
    code = final_code(context, failed)
    span.set_attribute("rpc.grpc.status_code", code.value[0])
    if code in SERVER_ERRORS:
        span.set_status(trace.StatusCode.ERROR, code.name)


def _traced(handler: grpc.RpcMethodHandler, method: str) -> grpc.RpcMethodHandler:
    name, attributes = method.lstrip("/"), _attributes(method)

    def unary(inner: Unary) -> Unary:
        async def unary_response(request: Any, context: aio.ServicerContext) -> Any:
            with tracer().start_as_current_span(
                name,
                kind=trace.SpanKind.SERVER,
                attributes=attributes,
                record_exception=False,
                set_status_on_exception=False,
            ) as span:
                try:
                    response = await inner(request, context)
                except BaseException:
                    _end(span, context, failed=True)
                    raise
                _end(span, context, failed=False)
                return response

        return unary_response

    def streaming(inner: Streaming) -> Streaming:
        async def stream_response(request: Any, context: aio.ServicerContext) -> AsyncIterator[Any]:
            # Not made current: a context attached across the generator's yields could be
            # detached in another one; nothing under a streaming call publishes.
            span = tracer().start_span(name, kind=trace.SpanKind.SERVER, attributes=attributes)
            try:
                async for response in inner(request, context):
                    yield response
            except BaseException:
                _end(span, context, failed=True)
                raise
            else:
                _end(span, context, failed=False)
            finally:
                span.end()

        return stream_response

    return wrap_handler(handler, unary, streaming)
