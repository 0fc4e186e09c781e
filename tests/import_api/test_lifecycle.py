"""Graceful stop, and a database outage answered as UNAVAILABLE with nothing lost."""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import parse_qs, urlsplit, urlunsplit

import grpc
import pytest
from grpc import aio
from grpc_health.v1 import health_pb2, health_pb2_grpc

from services.import_api.server import start_server
from shared.gen.contactimport.v1 import import_service_pb2 as pb
from shared.gen.contactimport.v1 import import_service_pb2_grpc as pb_grpc
from tests.support import csv_bytes, error_details, upload

FILE = csv_bytes([["First name", "Phone"], ["Jan", "0201234567"]])


class TcpProxy:
    """A loopback TCP proxy to PostgreSQL that the test can cut, as a network outage does.

    The server behind it is reached over TCP, or over its unix socket (the embedded one).
    """

    def __init__(self, host: str, port: int, socket_dir: str = "") -> None:
        self._target = (host, port)
        self._socket = f"{socket_dir}/.s.PGSQL.{port}" if socket_dir else ""
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self.port = 0

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self._socket:
            up_reader, up_writer = await asyncio.open_unix_connection(self._socket)
        else:
            up_reader, up_writer = await asyncio.open_connection(*self._target)
        self._writers |= {writer, up_writer}

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError, asyncio.CancelledError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    async def cut(self) -> None:
        """Stop accepting and drop every open connection."""
        assert self._server is not None
        self._server.close()
        for writer in self._writers:
            writer.transport.abort()
        self._writers.clear()


@pytest.fixture
async def proxy(settings):
    parts = urlsplit(settings.database_url)
    socket_dir = parse_qs(parts.query).get("host", [""])[0] if not parts.hostname else ""
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432, socket_dir)
    await proxy.start()
    yield proxy
    await proxy.cut()


async def test_a_database_outage_is_unavailable_and_loses_nothing(
    settings, proxy, auth, db, tenant
):
    # Given an API whose database connections run through a proxy
    parts = urlsplit(settings.database_url)
    netloc = f"{parts.username or ''}{'@' if parts.username else ''}127.0.0.1:{proxy.port}"
    # Over TCP to the proxy, also when the server itself listens on a unix socket only.
    dsn = urlunsplit(parts._replace(netloc=netloc, query=""))
    through_proxy = settings.model_copy(update={"database_url": dsn, "db_pool_min": 0})
    api = await start_server(through_proxy, listen="127.0.0.1:0", run_relay_task=False)
    try:
        async with aio.insecure_channel(f"127.0.0.1:{api.port}") as channel:
            stub = pb_grpc.ImportServiceStub(channel)
            uploaded = await upload(stub, auth, FILE)

            # When the network to the database goes away
            await proxy.cut()
            with pytest.raises(grpc.RpcError) as caught:
                await stub.GetImport(
                    pb.GetImportRequest(import_id=uploaded.contact_import.import_id),
                    metadata=auth,
                )
            with pytest.raises(grpc.RpcError) as upload_caught:
                await upload(stub, auth, FILE)
    finally:
        await api.stop(0)

    # Then the calls answer UNAVAILABLE and what was stored before is intact
    for error in (caught.value, upload_caught.value):
        assert error.code() == grpc.StatusCode.UNAVAILABLE
        assert error_details(error)["reason"] == "DATABASE_UNAVAILABLE"
    assert await db.fetchval("SELECT count(*) FROM imports WHERE tenant_id = $1", tenant) == 1
    assert (
        await db.fetchval(
            "SELECT count(*) FROM import_files f JOIN imports i ON i.id = f.import_id"
            " WHERE i.tenant_id = $1",
            tenant,
        )
        == 1
    )


async def test_stop_reports_not_serving_then_closes(settings):
    # Given a running API watched by a health client
    api = await start_server(settings, listen="127.0.0.1:0", run_relay_task=False)
    async with aio.insecure_channel(f"127.0.0.1:{api.port}") as channel:
        health = health_pb2_grpc.HealthStub(channel)
        watch = health.Watch(
            health_pb2.HealthCheckRequest(service="contactimport.v1.ImportService")
        )
        first = await watch.read()
        assert first.status == health_pb2.HealthCheckResponse.SERVING

        # When it is stopped with a grace period
        stopping = asyncio.create_task(api.stop(0.5))
        update = await asyncio.wait_for(watch.read(), 5)
        await stopping

        # Then it said NOT_SERVING before it went away, and takes no more calls
        assert update.status == health_pb2.HealthCheckResponse.NOT_SERVING
        with pytest.raises(grpc.RpcError) as caught:
            await health.Check(health_pb2.HealthCheckRequest(service=""), timeout=2)
        assert caught.value.code() == grpc.StatusCode.UNAVAILABLE
