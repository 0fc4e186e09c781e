"""Graceful stop, and a database outage answered as UNAVAILABLE with nothing lost."""

from __future__ import annotations

import asyncio

import grpc
import pytest
from grpc import aio
from grpc_health.v1 import health_pb2, health_pb2_grpc

from services.import_api.server import start_server
from shared.gen.contactimport.v1 import import_service_pb2 as pb
from shared.gen.contactimport.v1 import import_service_pb2_grpc as pb_grpc
from tests.support import csv_bytes, error_details, upload, upload_messages

FILE = csv_bytes([["First name", "Phone"], ["Jan", "0201234567"]])


async def test_a_database_outage_is_unavailable_and_loses_nothing(
    settings, proxy, auth, db, tenant
):
    # Given an API whose database connections run through a proxy
    through_proxy = settings.model_copy(
        update={"database_url": proxy.dsn(settings), "db_pool_min": 0}
    )
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


async def _until(condition, within: float = 5.0) -> None:
    """Wait until `condition()` holds (a state of the server this test watches)."""

    async def watch() -> None:
        while not condition():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(watch(), within)


async def test_draining_answers_probes_finishes_calls_in_flight_and_refuses_new_ones(
    settings, auth, db, tenant
):
    # Given a running API with an upload in flight (metadata and half the file sent)
    api = await start_server(settings, listen="127.0.0.1:0", run_relay_task=False)
    async with aio.insecure_channel(f"127.0.0.1:{api.port}") as channel:
        stub = pb_grpc.ImportServiceStub(channel)
        health = health_pb2_grpc.HealthStub(channel)
        first, *chunks = upload_messages(FILE, chunk=len(FILE) // 2 + 1)
        in_flight = stub.UploadFile(metadata=auth)
        await in_flight.write(first)
        await in_flight.write(chunks[0])
        await _until(lambda: api.drain.running == 1)

        # When it is told to stop, with a grace period
        stopping = asyncio.create_task(api.stop(10.0))
        await _until(lambda: api.drain.draining)

        # Then probes still get answers, NOT_SERVING (draining, not dead)
        for service in ("", "contactimport.v1.ImportService"):
            answer = await health.Check(health_pb2.HealthCheckRequest(service=service), timeout=2)
            assert answer.status == health_pb2.HealthCheckResponse.NOT_SERVING

        # And a new call is refused UNAVAILABLE with a reason and RetryInfo, to retry elsewhere
        with pytest.raises(grpc.RpcError) as caught:
            await stub.ListImports(pb.ListImportsRequest(), metadata=auth, timeout=2)
        assert caught.value.code() == grpc.StatusCode.UNAVAILABLE
        assert error_details(caught.value)["reason"] == "SHUTTING_DOWN"

        # And the upload in flight finishes and is stored
        await in_flight.write(chunks[1])
        await in_flight.done_writing()
        uploaded = await in_flight
        assert uploaded.contact_import.import_id

        # And once nothing runs, the server stops without waiting out the grace period
        await asyncio.wait_for(stopping, 5)
    stored = await db.fetchval("SELECT count(*) FROM imports WHERE tenant_id = $1", tenant)
    assert stored == 1
