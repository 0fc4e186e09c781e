"""A database outage during an import costs no more than the outage: the failing worker
gives up its claim, so the retry starts as soon as the database is back, and the import
ends finished exactly once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from grpc import aio

from services.import_api.server import start_server
from services.validator_worker.actors import busy_wait_ms
from shared.gen.contactimport.v1 import import_service_pb2 as pb
from shared.gen.contactimport.v1 import import_service_pb2_grpc as pb_grpc
from shared.settings import Settings
from tests.faults import Fault
from tests.support import csv_bytes, start, until_running, upload, wait_finished
from tests.worker_processes import (
    delete_queues,
    start_worker,
    stop_worker,
    wait_for_consumers,
    worker_env,
)

ROWS = 5_000
FILE = csv_bytes(
    [["First name", "Last name", "Mobile"]]
    + [[f"Jan{i}", f"Smit{i}", f"06{12_000_000 + i}"] for i in range(ROWS)]
)
# The bound on how soon after the fault heals the import must be finished.
HEALED_WITHIN_SECONDS = 30.0
STATEMENT_TIMEOUT_SECONDS = 5.0


@pytest.fixture
async def worker_via_proxy(settings, proxy) -> AsyncIterator[Settings]:
    """A worker process whose database runs through the proxy, with the default 120 s lease."""
    queue = f"{settings.queue}-outage"
    env = worker_env(
        settings,
        queue,
        DATABASE_URL=proxy.dsn(settings),
        CONTACTIMPORT_WORKER_LEASE_SECONDS="120",
        # A black-holed statement gives up after this long (60 s by default), then as a reset.
        CONTACTIMPORT_WORKER_DB_STATEMENT_TIMEOUT_SECONDS=str(STATEMENT_TIMEOUT_SECONDS),
    )
    worker = start_worker(env)
    try:
        await asyncio.to_thread(wait_for_consumers, settings.broker_url, queue, 1)
        yield settings.model_copy(update={"queue": queue})
    finally:
        await asyncio.to_thread(stop_worker, worker)
        delete_queues(settings.broker_url, queue)


@pytest.mark.parametrize(
    ("fault", "outage_seconds"),
    [
        pytest.param(Fault.REFUSE, 3.0, id="refused"),
        pytest.param(Fault.RESET, 3.0, id="reset"),
        # Longer than the worker's statement timeout: the stuck statement gives up, the
        # retries' connects give up after 2 s each, until the network is back.
        pytest.param(Fault.BLACKHOLE, STATEMENT_TIMEOUT_SECONDS + 3.0, id="black-holed"),
    ],
)
async def test_a_database_outage_mid_import_heals_into_one_finished_import(
    settings, worker_via_proxy, proxy, auth, db, tenant, fault, outage_seconds
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
            await asyncio.wait_for(until_running(stub, auth, started.import_id), 60)
            await proxy.break_with(fault)
            await asyncio.sleep(outage_seconds)  # the outage itself: the test's input
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
