"""The API process: gRPC server lifecycle, health, reflection, and the outbox relay."""

from __future__ import annotations

import asyncio
import logging
import signal
from dataclasses import dataclass, field
from datetime import timedelta

import asyncpg
from grpc import aio
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from services.import_api.contacts import ContactsService
from services.import_api.draining import Drain
from services.import_api.import_events import ImportEvents
from services.import_api.imports import ImportsService
from services.import_api.interceptor import ImportServiceInterceptor
from services.import_api.job_outbox import JobPublisher, run_relay
from services.import_api.page_tokens import PageTokens, page_token_key
from services.import_api.servicer import ImportServicer
from shared.broker import make_broker
from shared.gen.contactimport.v1 import import_service_pb2 as pb
from shared.gen.contactimport.v1 import import_service_pb2_grpc as pb_grpc
from shared.logging_setup import configure_logging
from shared.memory import use_returnable_allocators
from shared.settings import Settings
from shared.store.pool import close_pool, create_pool

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
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await self.events.close()
        await close_pool(self.pool)
        await asyncio.to_thread(self.publisher.close)


async def start_server(
    settings: Settings, *, listen: str | None = None, run_relay_task: bool = True
) -> ApiServer:
    """Start serving on `listen` (default CONTACTIMPORT_LISTEN); port 0 picks a free port."""
    pool = await create_pool(settings)
    publisher = JobPublisher(make_broker(settings.broker_url), settings.queue)
    events = ImportEvents(settings.database_url)
    await events.start()
    imports = ImportsService(pool, settings, publisher, events)
    contacts = ContactsService(
        pool, PageTokens(page_token_key(settings.jwt_verify_key(), settings.page_token_key))
    )

    drain = Drain()
    server = aio.server(
        interceptors=[ImportServiceInterceptor(settings, drain)],
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
    port = server.add_insecure_port(listen or settings.listen)
    await server.start()
    for name in ("", SERVICE_NAME):
        await health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)

    api = ApiServer(server, port, health_servicer, pool, publisher, events, drain)
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
    return api


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
    configure_logging(settings.log_level)
    asyncio.run(serve(settings))
