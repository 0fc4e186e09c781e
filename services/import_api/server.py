"""The API process: gRPC server lifecycle, health, reflection, and the outbox relay."""

from __future__ import annotations

import asyncio
import logging
import signal
import ssl
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import asyncpg
import grpc
from grpc import aio
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from services.import_api.contacts import ContactsService
from services.import_api.draining import Drain
from services.import_api.event_relay import EventPublisher, make_broker_publisher, run_event_relay
from services.import_api.import_events import ImportEvents
from services.import_api.imports import ImportsService
from services.import_api.interceptor import ImportServiceInterceptor
from services.import_api.job_outbox import JobPublisher, run_relay
from services.import_api.messages import encode_event
from services.import_api.metrics import ApiMetrics
from services.import_api.page_tokens import PageTokens, page_token_key
from services.import_api.servicer import ImportServicer
from services.import_api.tracing import tracing_interceptors
from shared.broker import make_broker
from shared.collector import settle_collector
from shared.gen.contactimport.v1 import import_service_pb2 as pb
from shared.gen.contactimport.v1 import import_service_pb2_grpc as pb_grpc
from shared.logging_setup import configure_logging
from shared.memory import use_returnable_allocators
from shared.settings import Settings
from shared.store.pool import close_pool, create_pool
from shared.tracing import setup_tracing, shutdown_tracing

log = logging.getLogger(__name__)

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["ImportService"].full_name
MAX_MESSAGE = 4 * 1024 * 1024 + 1024


@dataclass
class ApiServer:
    """A running API: the gRPC server and what it owns."""

    server: aio.Server
    port: int
    health: health.aio.HealthServicer
    pool: asyncpg.Pool
    publisher: JobPublisher
    events: ImportEvents
    drain: Drain
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    event_publisher: EventPublisher | None = None  # the completion events relay's
    metrics: ApiMetrics = field(default_factory=ApiMetrics)

    async def stop(self, grace: float) -> None:
        """Drain for up to `grace` seconds, then stop and close what it owns.

        Draining: health answers NOT_SERVING (the server keeps answering probes), new
        ImportService calls are refused UNAVAILABLE so clients retry on another server, and
        the calls in flight go on. Whatever still runs after `grace` is cancelled.
        """
        await self.health.enter_graceful_shutdown()
        self.drain.start()
        if not await self.drain.wait_idle(grace):
            log.warning(
                "stopping with %d calls still running after %.1f s", self.drain.running, grace
            )
        await self.server.stop(0)
        self.metrics.stop()
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await self.events.close()
        await close_pool(self.pool)
        await asyncio.to_thread(self.publisher.close)
        if self.event_publisher is not None:
            await asyncio.to_thread(self.event_publisher.close)


async def start_server(
    settings: Settings, *, listen: str | None = None, run_relay_task: bool = True
) -> ApiServer:
    """Start serving on `listen` (default CONTACTIMPORT_LISTEN); port 0 picks a free port."""
    credentials = server_credentials(settings)  # first: bad TLS settings open nothing
    pool = await create_pool(settings)
    publisher = JobPublisher(make_broker(settings.broker_url), settings.queue)
    events = ImportEvents(settings.database_url)
    await events.start()
    imports = ImportsService(pool, settings, publisher, events)
    contacts = ContactsService(
        pool, PageTokens(page_token_key(settings.jwt_verify_key(), settings.page_token_key))
    )

    drain = Drain()
    metrics = ApiMetrics()
    server = aio.server(
        # Tracing first: its span is the current one in everything after it. Metrics next:
        # they count every call with the code the caller saw (refusals included).
        interceptors=[
            *tracing_interceptors(),
            metrics.interceptor(),
            ImportServiceInterceptor(settings, drain),
        ],
        options=[
            ("grpc.max_receive_message_length", MAX_MESSAGE),
            ("grpc.max_send_message_length", MAX_MESSAGE),
        ],
    )
    pb_grpc.add_ImportServiceServicer_to_server(ImportServicer(imports, contacts), server)  # type: ignore[no-untyped-call]
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable_server_reflection(
        (SERVICE_NAME, health.SERVICE_NAME, reflection.SERVICE_NAME), server
    )
    if credentials is None:
        port = server.add_insecure_port(listen or settings.listen)
        log.info("gRPC port: plaintext (no CONTACTIMPORT_TLS_CERT_FILE)")
    else:
        port = server.add_secure_port(listen or settings.listen, credentials)
        log.info(
            "gRPC port: TLS with %s, %s",
            settings.tls_cert_file,
            f"client certificates signed by {settings.tls_client_ca_file} required"
            if settings.tls_client_ca_file
            else "no client certificates",
        )
    await server.start()
    for name in ("", SERVICE_NAME):
        await health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)

    api = ApiServer(server, port, health_servicer, pool, publisher, events, drain, metrics=metrics)
    metrics.watch_queue(pool, asyncio.get_running_loop())
    if settings.metrics_port:
        metrics.serve(settings.metrics_port)
    if run_relay_task:
        api.tasks.append(
            asyncio.create_task(
                run_relay(
                    pool,
                    publisher,
                    settings.outbox_interval_seconds,
                    timedelta(seconds=settings.republish_after_seconds),
                ),
                name="outbox-relay",
            )
        )
        api.event_publisher = EventPublisher(
            make_broker_publisher(settings.broker_url, settings.events_exchange), encode_event
        )
        api.tasks.append(
            asyncio.create_task(
                run_event_relay(pool, api.event_publisher, settings.outbox_interval_seconds),
                name="event-relay",
            )
        )
    return api


class TlsSetupError(ValueError):
    """Raised when the TLS settings cannot serve: a file missing or not what it should be."""


def server_credentials(settings: Settings) -> grpc.ServerCredentials | None:
    """The gRPC port's TLS credentials from CONTACTIMPORT_TLS_*; None: plaintext.

    The files are read and checked here, once (restart to rotate them), so a wrong one stops
    the start-up with its name rather than failing every handshake later.
    """
    cert, key, client_ca = (
        settings.tls_cert_file,
        settings.tls_key_file,
        settings.tls_client_ca_file,
    )
    if cert is None and key is None:
        if client_ca is not None:
            raise TlsSetupError(
                "CONTACTIMPORT_TLS_CLIENT_CA_FILE is set without CONTACTIMPORT_TLS_CERT_FILE "
                "and CONTACTIMPORT_TLS_KEY_FILE: client certificates need TLS, set those too"
            )
        return None
    if cert is None or key is None:
        given, missing = ("CERT", "KEY") if key is None else ("KEY", "CERT")
        raise TlsSetupError(
            f"CONTACTIMPORT_TLS_{given}_FILE is set without CONTACTIMPORT_TLS_{missing}_FILE: "
            "set both, the server's certificate chain and its private key (PEM)"
        )
    chain = _read_pem("CONTACTIMPORT_TLS_CERT_FILE", cert)
    private_key = _read_pem("CONTACTIMPORT_TLS_KEY_FILE", key)
    roots = _read_pem("CONTACTIMPORT_TLS_CLIENT_CA_FILE", client_ca) if client_ca else None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        # A password, so an encrypted key fails here instead of prompting on a terminal.
        context.load_cert_chain(cert, key, password=b"")
    except ssl.SSLError as error:
        raise TlsSetupError(
            f"CONTACTIMPORT_TLS_CERT_FILE {cert} and CONTACTIMPORT_TLS_KEY_FILE {key} are not a "
            "PEM certificate chain and its (unencrypted) private key "
            f"({error.reason or 'no PEM data'})"
        ) from None
    if roots is not None:
        try:
            context.load_verify_locations(cadata=roots.decode("ascii", "replace"))
        except ssl.SSLError as error:
            raise TlsSetupError(
                f"CONTACTIMPORT_TLS_CLIENT_CA_FILE {client_ca} holds no PEM CA certificate "
                f"({error.reason or 'no PEM data'})"
            ) from None
    return grpc.ssl_server_credentials(
        [(private_key, chain)], root_certificates=roots, require_client_auth=roots is not None
    )


def _read_pem(name: str, path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise TlsSetupError(f"{name} {path}: {error.strerror or error}") from None


async def serve(settings: Settings) -> None:
    """Serve until SIGTERM or SIGINT, then stop gracefully."""
    api = await start_server(settings)
    log.info("contactimport API listening on %s (port %d)", settings.listen, api.port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    log.info("stopping: draining calls for up to %.0f s", settings.grace_seconds)
    await api.stop(settings.grace_seconds)
    log.info("stopped")


def main() -> None:
    use_returnable_allocators()
    settings = Settings()
    configure_logging(settings.log_level, settings.log_format)
    traces = setup_tracing("contactimport-api")  # None unless OTEL_EXPORTER_OTLP_* is set
    settle_collector()
    try:
        asyncio.run(serve(settings))
    except TlsSetupError as error:
        log.critical("not starting: %s", error)
        raise SystemExit(2) from None
    finally:
        shutdown_tracing(traces)
