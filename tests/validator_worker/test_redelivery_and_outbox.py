"""A job runs at most once in effect: redelivered messages, stolen leases, lost publishes."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest
from grpc import aio

from services.import_api.job_outbox import JobPublisher, relay_once
from services.import_api.server import start_server
from services.validator_worker.context import WorkerContext
from services.validator_worker.pipeline import run_import
from shared.broker import import_message, make_broker
from shared.gen.contactimport.v1 import import_service_pb2 as pb
from shared.gen.contactimport.v1 import import_service_pb2_grpc as pb_grpc
from tests.support import csv_bytes, queued_without_worker, start, upload, wait_finished

ROWS = [["First name", "Mobile"]] + [[f"P{i}", f"0612{i:06d}"] for i in range(300)]


async def _queued_import(stub, auth) -> str:
    uploaded = await upload(stub, auth, csv_bytes(ROWS))
    return (await start(stub, auth, uploaded)).import_id


async def _contact_count(db, import_id: str) -> int:
    return await db.fetchval(
        "SELECT count(*) FROM contacts WHERE import_id = $1", uuid.UUID(import_id)
    )


async def test_a_redelivered_message_stores_nothing_twice(stub, auth, db, settings, worker):
    # Given an import the worker has finished
    import_id = await _queued_import(stub, auth)
    first = await wait_finished(stub, auth, import_id)
    assert first.counts.imported == 300

    # When the broker delivers its message again (twice)
    broker = make_broker(settings.broker_url)
    try:
        for _ in range(2):
            broker.enqueue(import_message(settings.queue, import_id))
        # Wait until the queue is drained and the worker has handled what it took.
        await asyncio.to_thread(broker.join, settings.queue, timeout=30_000)
        await asyncio.to_thread(worker.join)
    finally:
        broker.close()

    # Then nothing changed
    again = await stub.GetImport(pb.GetImportRequest(import_id=import_id), metadata=auth)
    assert again.contact_import.counts == first.counts
    assert again.contact_import.update_time == first.update_time
    assert await _contact_count(db, import_id) == 300


async def test_two_workers_racing_for_one_import_store_it_once(stub, auth, db, settings):
    # Given a queued import that has no message (the test runs the job itself)
    import_id = await queued_without_worker(stub, auth, db, csv_bytes(ROWS))

    # When two workers run it at the same time
    contexts = [WorkerContext(settings), WorkerContext(settings)]
    results = await asyncio.gather(
        *(run_import(ctx, import_id) for ctx in contexts), return_exceptions=True
    )
    for ctx in contexts:
        await ctx.close()

    # Then one ran it and the other found it taken; the contacts are there once
    assert sum(r is None for r in results) >= 1
    assert await _contact_count(db, import_id) == 300
    state = await db.fetchval("SELECT state FROM imports WHERE id = $1", uuid.UUID(import_id))
    assert state == "SUCCEEDED"


async def test_a_crashed_workers_import_is_taken_over_after_its_lease(stub, auth, db, settings):
    # Given an import left RUNNING by a worker that died, its lease run out
    import_id = await queued_without_worker(stub, auth, db, csv_bytes(ROWS))
    await db.execute(
        "UPDATE imports SET state = 'RUNNING', attempts = 1, lease_until = now() - interval '1 s'"
        " WHERE id = $1",
        uuid.UUID(import_id),
    )

    # When the redelivered message is run
    ctx = WorkerContext(settings)
    await run_import(ctx, import_id)
    await ctx.close()

    # Then the import is finished, once
    row = await db.fetchrow(
        "SELECT state, attempts, imported_count FROM imports WHERE id = $1", uuid.UUID(import_id)
    )
    assert (row["state"], row["attempts"], row["imported_count"]) == ("SUCCEEDED", 2, 300)
    assert await _contact_count(db, import_id) == 300


async def test_a_lost_publish_is_published_by_the_outbox_relay(settings, token_for, db, worker):
    # Given an API whose broker is unreachable, so StartImport's publish is lost
    offline = settings.model_copy(
        update={"broker_url": "amqp://guest:guest@127.0.0.1:1/%2F", "outbox_interval_seconds": 3600}
    )
    api = await start_server(offline, listen="127.0.0.1:0", run_relay_task=False)
    auth = (("authorization", f"Bearer {token_for(tenant=f't-{uuid.uuid4().hex[:6]}')}"),)
    async with aio.insecure_channel(f"127.0.0.1:{api.port}") as channel:
        stub = pb_grpc.ImportServiceStub(channel)
        uploaded = await upload(stub, auth, csv_bytes(ROWS))
        queued = await start(stub, auth, uploaded)
        assert queued.state == pb.ContactImport.STATE_QUEUED
    await api.stop(0)

    # When the relay runs with a reachable broker once the row is due
    import_id = uuid.UUID(queued.import_id)
    await db.execute(
        "UPDATE import_outbox SET publish_after = now() WHERE import_id = $1", import_id
    )
    publisher = JobPublisher(make_broker(settings.broker_url), settings.queue)
    try:
        await relay_once(db, publisher, republish_after=timedelta(minutes=10))
    finally:
        publisher.close()

    # Then the worker runs the import once (this relay published it, or the session API's
    # relay found the due row first: which one is not the point, that it ran once is)
    for _ in range(100):
        state = await db.fetchval("SELECT state FROM imports WHERE id = $1", import_id)
        if state == "SUCCEEDED":
            break
        await asyncio.sleep(0.1)
    assert state == "SUCCEEDED"
    assert await db.fetchval("SELECT attempts FROM imports WHERE id = $1", import_id) == 1
    assert await _contact_count(db, queued.import_id) == 300
    assert (
        await db.fetchval("SELECT count(*) FROM import_outbox WHERE import_id = $1", import_id) == 0
    )


@pytest.mark.parametrize(
    "gone",
    [
        pytest.param("deleted_at = now(), deleted_by = 'x', deleted_count = 0", id="deleted"),
        pytest.param("purged_at = now()", id="purged"),
    ],
)
async def test_a_run_whose_import_went_away_stores_nothing(stub, auth, db, settings, gone):
    # Given a worker that has claimed an import
    from shared.store import runs as import_store

    import_id = uuid.UUID(await queued_without_worker(stub, auth, db, csv_bytes(ROWS)))
    ctx = WorkerContext(settings)
    pool = await ctx.pool()
    async with pool.acquire() as conn:
        claim = await import_store.claim(conn, import_id, timedelta(minutes=1))
    assert claim.claimed is not None

    # When the import is deleted or purged before the worker commits
    await db.execute(f"UPDATE imports SET {gone} WHERE id = $1", import_id)
    async with pool.acquire() as conn, conn.transaction():
        # The first step of storing a run's result: the run must still own a live import.
        done = await import_store.lock_owned(conn, claim.claimed)
    await ctx.close()

    # Then the run's result is dropped: no contact, no workbook, state unchanged
    assert done is False
    assert await _contact_count(db, str(import_id)) == 0
    assert (
        await db.fetchval("SELECT count(*) FROM failure_workbooks WHERE import_id = $1", import_id)
        == 0
    )
    assert await db.fetchval("SELECT state FROM imports WHERE id = $1", import_id) == "RUNNING"
