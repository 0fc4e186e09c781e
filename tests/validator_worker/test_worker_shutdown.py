"""SIGTERM to a worker: the running import finishes within the worker's shutdown timeout, or
it is interrupted, gives up its claim and is taken over at once by another worker."""

from __future__ import annotations

import asyncio
import contextlib
import time

import asyncpg
from grpc import aio

from services.import_api.server import start_server
from services.validator_worker.shutdown import dramatiq_shutdown_timeout_ms
from shared.gen.contactimport.v1 import import_service_pb2 as pb
from shared.gen.contactimport.v1 import import_service_pb2_grpc as pb_grpc
from shared.store import contacts as contact_store
from tests.support import csv_bytes, start, until_running, upload, wait_finished
from tests.worker_processes import (
    delete_queues,
    start_worker,
    stop_worker,
    wait_for_consumers,
    worker_env,
)


def _file(rows: int) -> bytes:
    return csv_bytes(
        [["First name", "Last name", "Mobile"]]
        + [[f"Jan{i}", f"Smit{i}", f"06{12_000_000 + i}"] for i in range(rows)]
    )


async def _stored(db, tenant: str) -> int:
    return int(await db.fetchval("SELECT count(*) FROM contacts WHERE tenant_id = $1", tenant))


async def _attempts(db, import_id: str) -> int:
    return int(await db.fetchval("SELECT attempts FROM imports WHERE id = $1::uuid", import_id))


@contextlib.asynccontextmanager
async def _running_import(settings, queue: str, env, auth, rows: int):
    """A worker process on `queue` (more may be added to the yielded list) and an API, with
    an import of `rows` rows that the worker runs now: yields (stub, import id, workers)."""
    workers = [start_worker(env)]
    api = await start_server(settings.model_copy(update={"queue": queue}), listen="127.0.0.1:0")
    try:
        await asyncio.to_thread(wait_for_consumers, settings.broker_url, queue, 1)
        async with aio.insecure_channel(f"127.0.0.1:{api.port}") as channel:
            stub = pb_grpc.ImportServiceStub(channel)
            started = await start(stub, auth, await upload(stub, auth, _file(rows)))
            await asyncio.wait_for(until_running(stub, auth, started.import_id), 60)
            yield stub, started.import_id, workers
    finally:
        await api.stop(0)
        for worker in workers:
            await asyncio.to_thread(stop_worker, worker)
        delete_queues(settings.broker_url, queue)


async def test_sigterm_lets_the_running_import_finish(settings, auth, db, tenant):
    # Given a worker process with a shutdown timeout longer than its import needs, running one
    queue = f"{settings.queue}-finish"
    rows = 3_000
    env = worker_env(settings, queue, CONTACTIMPORT_WORKER_SHUTDOWN_SECONDS="60")
    async with _running_import(settings, queue, env, auth, rows) as (stub, import_id, workers):
        # When it is told to stop while it runs the import
        workers[0].terminate()
        exit_code = await asyncio.to_thread(workers[0].wait, 90)

        # Then it exits cleanly with the import finished, in one attempt
        finished = await wait_finished(stub, auth, import_id, timeout=5)
    assert exit_code == 0
    assert finished.state == pb.ContactImport.STATE_SUCCEEDED, finished.error.message
    assert await _attempts(db, import_id) == 1
    assert await _stored(db, tenant) == rows


async def test_an_import_interrupted_at_shutdown_is_taken_over_at_once(settings, auth, db, tenant):
    # Given a worker that gives its import half a second at shutdown, a 120 s lease, and an
    # import it runs that cannot finish yet: the test holds its tenant's store lock
    queue = f"{settings.queue}-interrupt"
    rows = 2_000
    env = worker_env(
        settings,
        queue,
        CONTACTIMPORT_WORKER_SHUTDOWN_SECONDS="0.5",
        CONTACTIMPORT_WORKER_LEASE_SECONDS="120",
    )
    holder = await asyncpg.connect(settings.database_url)
    try:
        held = holder.transaction()
        await held.start()
        await contact_store.lock_tenant(holder, tenant)
        async with _running_import(settings, queue, env, auth, rows) as (stub, import_id, workers):
            # When it is told to stop while the import runs
            stopped_at = time.monotonic()
            workers[0].terminate()
            exit_code = await asyncio.to_thread(workers[0].wait, 60)
            stopped_in = time.monotonic() - stopped_at

            # Then it stopped within its stated bound, and the import's claim is given up
            assert exit_code == 0
            assert stopped_in < dramatiq_shutdown_timeout_ms(0.5) / 1000
            lease_left = await db.fetchval(
                "SELECT extract(epoch FROM lease_until - now()) FROM imports WHERE id = $1::uuid",
                import_id,
            )
            assert lease_left <= 0

            # And another worker takes it over from the queue at once, long before the lease
            await held.rollback()
            workers.append(start_worker(env))
            finished = await wait_finished(stub, auth, import_id, timeout=60)
    finally:
        await holder.close()
    assert finished.state == pb.ContactImport.STATE_SUCCEEDED, finished.error.message
    assert await _attempts(db, import_id) == 2
    assert await _stored(db, tenant) == rows
