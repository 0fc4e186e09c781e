"""Broker outages made with RabbitMQ's own management commands (a vhost of the test's own,
taken down with `rabbitmqctl`): an import ends finished exactly once, soon after the broker
is back, whether the outage hits a running import or the StartImport that queues one."""

from __future__ import annotations

import asyncio
import time

import asyncpg
import pytest
from grpc import aio

from services.import_api.server import start_server
from shared.gen.contactimport.v1 import import_service_pb2 as pb
from shared.gen.contactimport.v1 import import_service_pb2_grpc as pb_grpc
from shared.store import contacts as contact_store
from tests.support import csv_bytes, start, until_running, upload, wait_finished
from tests.worker_processes import start_worker, stop_worker, wait_for_consumers, worker_env

ROWS = 1_000
FILE = csv_bytes(
    [["First name", "Last name", "Mobile"]]
    + [[f"Jan{i}", f"Smit{i}", f"06{13_000_000 + i}"] for i in range(ROWS)]
)
OUTAGE_SECONDS = 3.0  # the outage itself: its length is the test's input
HEALED_WITHIN_SECONDS = 30.0  # the bound after the fault heals


@pytest.fixture
async def on_vhost(settings, rabbit_vhost):
    """An API (in this process) and a worker process, both on the test's own vhost."""
    vhosted = settings.model_copy(update={"broker_url": rabbit_vhost.url})
    worker = start_worker(worker_env(vhosted, settings.queue))
    api = await start_server(vhosted, listen="127.0.0.1:0")
    try:
        await asyncio.to_thread(wait_for_consumers, rabbit_vhost.url, settings.queue, 1)
        async with aio.insecure_channel(f"127.0.0.1:{api.port}") as channel:
            yield pb_grpc.ImportServiceStub(channel)
    finally:
        rabbit_vhost.up()
        await api.stop(0)
        await asyncio.to_thread(stop_worker, worker)


async def _stored(db, tenant: str) -> int:
    return int(await db.fetchval("SELECT count(*) FROM contacts WHERE tenant_id = $1", tenant))


async def test_a_broker_outage_during_an_import_costs_nothing(
    settings, on_vhost, rabbit_vhost, auth, db, tenant
):
    stub = on_vhost
    # Given an import that runs and cannot finish yet (the test holds its tenant's store lock)
    holder = await asyncpg.connect(settings.database_url)
    try:
        held = holder.transaction()
        await held.start()
        await contact_store.lock_tenant(holder, tenant)
        started = await start(stub, auth, await upload(stub, auth, FILE))
        await asyncio.wait_for(until_running(stub, auth, started.import_id), 60)

        # When the broker closes every connection of the vhost and refuses new ones for a while
        await asyncio.to_thread(rabbit_vhost.down)
        await asyncio.sleep(OUTAGE_SECONDS)
        await asyncio.to_thread(rabbit_vhost.up)
        healed_at = time.monotonic()
        await held.rollback()
    finally:
        await holder.close()

    # Then the import finishes soon after, in its first attempt, every row stored once
    finished = await wait_finished(stub, auth, started.import_id, timeout=HEALED_WITHIN_SECONDS)
    assert time.monotonic() - healed_at < HEALED_WITHIN_SECONDS
    assert finished.state == pb.ContactImport.STATE_SUCCEEDED, finished.error.message
    attempts = await db.fetchval(
        "SELECT attempts FROM imports WHERE id = $1::uuid", started.import_id
    )
    assert attempts == 1
    assert await _stored(db, tenant) == ROWS


async def test_an_import_queued_while_the_broker_is_down_runs_once_it_is_back(
    on_vhost, rabbit_vhost, auth, db, tenant
):
    stub = on_vhost
    uploaded = await upload(stub, auth, FILE)
    # Given a broker that refuses the vhost's connections
    await asyncio.to_thread(rabbit_vhost.down)
    try:
        # When an import is started: it is queued all the same (the job waits in the outbox)
        asked = time.monotonic()
        started = await start(stub, auth, uploaded)
        assert time.monotonic() - asked < 10  # the publish waits at most 5 s
        assert started.state == pb.ContactImport.STATE_QUEUED
        await asyncio.sleep(OUTAGE_SECONDS)
    finally:
        await asyncio.to_thread(rabbit_vhost.up)
    healed_at = time.monotonic()

    # Then once the broker is back the relay publishes it and it finishes, once
    finished = await wait_finished(stub, auth, started.import_id, timeout=HEALED_WITHIN_SECONDS)
    assert time.monotonic() - healed_at < HEALED_WITHIN_SECONDS
    assert finished.state == pb.ContactImport.STATE_SUCCEEDED, finished.error.message
    assert await _stored(db, tenant) == ROWS
