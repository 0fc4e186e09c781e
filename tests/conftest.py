"""Shared fixtures: a fresh database on the real server, the real broker, an in-process
gRPC server on a free port with a real channel, and a worker consuming from the broker.

DATABASE_URL and BROKER_URL name the servers (`make test` starts embedded ones when they
are unset). Without them a test that needs them is skipped locally and fails on CI.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import dramatiq
import pytest
from grpc import aio

from services.import_api.server import ApiServer, start_server
from services.validator_worker.actors import build_worker_broker
from shared.gen.contactimport.v1 import import_service_pb2_grpc as pb_grpc
from shared.identity import mint_token
from shared.settings import Settings
from shared.store.migrate import apply_migrations
from tests.faults import TcpProxy
from tests.rabbitmq_vhost import Vhost, rabbitmqctl_usable

CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _need(variable: str) -> str:
    value = os.environ.get(variable, "")
    if not value:
        message = f"{variable} is not set; run the tests with `make test`"
        if CI:
            pytest.fail(message)
        pytest.skip(message)
    return value


def _with_database(dsn: str, name: str) -> str:
    return urlunsplit(urlsplit(dsn)._replace(path=f"/{name}"))


@pytest.fixture(scope="session")
async def database_url() -> AsyncIterator[str]:
    """A database of its own for this test session, migrated, dropped at the end."""
    server_dsn = _need("DATABASE_URL")
    name = f"contactimport_test_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(server_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    dsn = _with_database(server_dsn, name)
    await apply_migrations(dsn)
    yield dsn
    admin = await asyncpg.connect(server_dsn)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return Settings(
        DATABASE_URL=database_url,
        BROKER_URL=_need("BROKER_URL"),
        queue=f"contactimport-test-{secrets.token_hex(4)}",
        events_exchange=f"contactimport-test-events-{secrets.token_hex(4)}",
        metrics_port=0,  # a test that scrapes starts a server of its own on a free port
        jwt_key=secrets.token_hex(32),
        outbox_interval_seconds=0.5,
        worker_lease_seconds=30,
        grace_seconds=1,
    )


@pytest.fixture(scope="session")
async def db(settings: Settings) -> AsyncIterator[asyncpg.Pool]:
    pool = await asyncpg.create_pool(settings.database_url, min_size=1, max_size=4)
    assert pool is not None
    yield pool
    await pool.close()


@pytest.fixture(scope="session")
async def api(settings: Settings) -> AsyncIterator[ApiServer]:
    server = await start_server(settings, listen="127.0.0.1:0")
    yield server
    await server.stop(0.5)


@pytest.fixture(scope="session")
def api_address(api: ApiServer) -> str:
    return f"127.0.0.1:{api.port}"


@pytest.fixture(scope="session")
def worker(settings: Settings) -> Iterator[dramatiq.Worker]:
    """A Dramatiq worker in this process, consuming the session's queue on the real broker."""
    broker, context = build_worker_broker(settings)
    worker = dramatiq.Worker(broker, worker_threads=1, worker_timeout=100)
    worker.start()
    yield worker
    worker.stop()
    _delete_queues(broker, settings.queue)
    with contextlib.suppress(Exception):  # the session's events exchange (RabbitMQ only)
        if (channel := getattr(broker, "channel", None)) is not None:
            channel.exchange_delete(settings.events_exchange)
    broker.close()
    del context


def _delete_queues(broker: dramatiq.Broker, queue: str) -> None:
    channel = getattr(broker, "channel", None)
    if channel is None:
        return
    for name in (queue, f"{queue}.DQ", f"{queue}.XQ"):
        with contextlib.suppress(Exception):
            channel.queue_delete(name)


@pytest.fixture(scope="session")
def token_for(settings: Settings) -> Callable[..., str]:
    def make(tenant: str = "tenant-a", name: str = "Anna Admin", country: str = "NL") -> str:
        return mint_token(key=settings.jwt_key, tenant_id=tenant, name=name, country=country)

    return make


@pytest.fixture(scope="session")
async def channel(api_address: str) -> AsyncIterator[aio.Channel]:
    async with aio.insecure_channel(api_address) as ch:
        yield ch


@pytest.fixture(scope="session")
def stub(channel: aio.Channel) -> pb_grpc.ImportServiceStub:
    return pb_grpc.ImportServiceStub(channel)


@pytest.fixture
def tenant() -> str:
    """A tenant of its own for each test, so tests never see each other's imports."""
    return f"tenant-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def auth(token_for: Callable[..., str], tenant: str) -> tuple[tuple[str, str], ...]:
    return (("authorization", f"Bearer {token_for(tenant)}"),)


@pytest.fixture
async def proxy(settings: Settings) -> AsyncIterator[TcpProxy]:
    """A fault-injecting TCP proxy in front of the test database (tests/faults.py)."""
    proxy = TcpProxy.for_settings(settings)
    await proxy.start()
    yield proxy
    await proxy.close()


@pytest.fixture
def rabbit_vhost(settings: Settings) -> Iterator[Vhost]:
    """A RabbitMQ vhost of the test's own that the test can take down (tests/rabbitmq_vhost.py).

    Skipped with a Redis broker; without rabbitmqctl (or root) skipped locally, failed on CI.
    """
    if not settings.broker_url.startswith("amqp"):
        pytest.skip("RabbitMQ's management commands need a RabbitMQ broker")
    missing = rabbitmqctl_usable()
    if missing is not None:
        if CI:
            pytest.fail(missing)
        pytest.skip(missing)
    vhost = Vhost(settings.broker_url)
    vhost.create()
    try:
        yield vhost
    finally:
        vhost.up()
        vhost.delete()
