"""OpenTelemetry traces: one provider per process, and the W3C trace context carried in messages.

Spans are exported only when OTEL_EXPORTER_OTLP_ENDPOINT (or
OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set, by OTLP over HTTP in batches;
OTEL_TRACES_EXPORTER=console writes each span as one line of JSON to stdout (debugging, and
the tests). Otherwise no provider is installed: the API's no-op tracer, and the SDK is not
even imported. Spans carry ids and counts, never contact data.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")
# How long a stopping process waits for its last spans to leave.
SHUTDOWN_TIMEOUT_MILLIS = 5_000

# Always W3C `traceparent` (the outbox column and the message option hold exactly that),
# whatever OTEL_PROPAGATORS says.
_W3C = TraceContextTextMapPropagator()


def wanted_exporters(environ: Mapping[str, str]) -> list[str]:
    """The span exporters the environment asks for: "otlp" and/or "console", or none."""
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return []
    names = environ.get("OTEL_TRACES_EXPORTER", "otlp").lower().replace(" ", "").split(",")
    endpoint = any(environ.get(variable, "").strip() for variable in ENDPOINT_VARIABLES)
    # OTLP only towards a collector named in the environment, never the SDK's localhost default.
    return [n for n in names if n == "console" or (n == "otlp" and endpoint)]


def setup_tracing(
    default_service_name: str, environ: Mapping[str, str] = os.environ
) -> TracerProvider | None:
    """Install this process's tracer provider if the environment asks for export; else None."""
    exporters = wanted_exporters(environ)
    if not exporters:
        return None
    # Imported only when traces are on: a process without them never loads the SDK.
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import (
        BatchSpanProcessor,
        ConsoleSpanExporter,
        SimpleSpanProcessor,
    )

    service = environ.get("OTEL_SERVICE_NAME", "").strip() or default_service_name
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: service}))
    if "otlp" in exporters:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    if "console" in exporters:
        # One line per span, written as it ends (sys.stdout now: Dramatiq redirects it).
        provider.add_span_processor(
            SimpleSpanProcessor(
                ConsoleSpanExporter(
                    out=sys.stdout, formatter=lambda span: span.to_json(indent=None) + "\n"
                )
            )
        )
    trace.set_tracer_provider(provider)
    return provider


def shutdown_tracing(provider: TracerProvider | None) -> None:
    """Send the spans still buffered (bounded), then stop the provider."""
    if provider is None:
        return
    provider.force_flush(SHUTDOWN_TIMEOUT_MILLIS)
    provider.shutdown()


def tracing_installed() -> bool:
    """Whether this process has a real tracer provider (else spans are no-ops)."""
    return not isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider)


def current_traceparent() -> str | None:
    """The W3C traceparent of the current span; None when there is no (sampled) span."""
    carrier: dict[str, str] = {}
    _W3C.inject(carrier)
    return carrier.get("traceparent")


def context_from(traceparent: str | None) -> Context:
    """A context whose parent is the span a stored traceparent names (empty if none)."""
    return _W3C.extract({"traceparent": traceparent} if traceparent else {})
