"""A database outage during an import costs no more than the outage: the failing worker
gives up its claim, so the retry starts as soon as the database is back, and the import
ends finished exactly once."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator

import pytest
from grpc import aio

from services.import_api.server import start_server
from services.validator_worker.actors import busy_wait_ms
from shared.gen.contactimport.v1 import import_service_pb2 as pb
from shared.gen.contactimport.v1 import import_service_pb2_grpc as pb_grpc
from shared.settings import Settings
from tests.faults import Fault
from tests.support import csv_bytes, start, upload, wait_finished
from tests.validator_worker.test_concurrent_imports import _delete_queues, _wait_for_consumers

ROWS = 5_000
FILE = csv_bytes(
    [["First name", "Last name", "Mobile"]]
    + [[f"Jan{i}", f"Smit{i}", f"06{12_000_000 + i}"] for i in range(ROWS)]
)
# The bound on how soon after the fault heals the import must be finished.
HEALED_WITHIN_SECONDS = 30.0


@pytest.fixture
async def worker_via_proxy(settings, proxy) -> AsyncIterator[Settings]:
    """A worker process whose database runs through the proxy, with the default 120 s lease.

    A process of its own: Dramatiq's asyncio event loop is one per process, shared by every
    worker in it, so a second worker in the test process would leave the first one's loop.
    """
    queue = f"{settings.queue}-outage"
    env = os.environ | {
        "DATABASE_URL": proxy.dsn(settings),
        "BROKER_URL": settings.broker_url,
        "CONTACTIMPORT_QUEUE": queue,
        "CONTACTIMPORT_WORKER_LEASE_SECONDS": "120",
        "CONTACTIMPORT_RETENTION_INTERVAL_SECONDS": "0",
        "CONTACTIMPORT_CHECK_PROCESSES": "1",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "services.validator_worker", "--processes", "1"],
        env=env,
        start_new_session=True,
    )
    try:
        await asyncio.to_thread(_wait_for_consumers, settings.broker_url, queue, 1)
        yield settings.model_copy(update={"queue": queue})
    finally:
        worker.terminate()  # SIGTERM to Dramatiq's main process: it stops its children
        await asyncio.to_thread(worker.wait, 60)
        _delete_queues(settings.broker_url, queue)


async def _until_running(stub, auth, import_id: str) -> None:
    async for update in stub.WatchImport(pb.WatchImportRequest(import_id=import_id), metadata=auth):
        if update.contact_import.state == pb.ContactImport.STATE_RUNNING:
            return


@pytest.mark.parametrize("fault", [Fault.REFUSE, Fault.RESET], ids=str)
async def test_a_database_outage_mid_import_heals_into_one_finished_import(
    settings, worker_via_proxy, proxy, auth, db, tenant, fault
):
    # Given an API (database direct) and a worker whose database goes through a proxy
    api_settings = worker_via_proxy
    api = await start_server(api_settings, listen="127.0.0.1:0")
    try:
        async with aio.insecure_channel(f"127.0.0.1:{api.port}") as channel:
            stub = pb_grpc.ImportServiceStub(channel)
            uploaded = await upload(stub, auth, FILE)
            started = await start(stub, auth, uploaded)

            # When the worker's database fails while it runs the import, for a few seconds
            await asyncio.wait_for(_until_running(stub, auth, started.import_id), 60)
            await proxy.break_with(fault)
            await asyncio.sleep(3)  # the outage itself: its length is the test's input
            await proxy.heal()

            # Then the import is finished soon after, well before the 120 s lease would end
            finished = await wait_finished(
                stub, auth, started.import_id, timeout=HEALED_WITHIN_SECONDS
            )
    finally:
        await api.stop(0)

    # And it ran again (the first attempt failed) and stored every contact exactly once
    assert finished.state == pb.ContactImport.STATE_SUCCEEDED, finished.error.message
    attempts = await db.fetchval(
        "SELECT attempts FROM imports WHERE id = $1::uuid", started.import_id
    )
    assert attempts >= 2
    stored = await db.fetchval("SELECT count(*) FROM contacts WHERE tenant_id = $1", tenant)
    assert (finished.counts.imported, stored) == (ROWS, ROWS)


def test_busy_waits_grow_to_a_bound():
    assert [busy_wait_ms(n) for n in range(5)] == [5_000, 10_000, 20_000, 30_000, 30_000]
