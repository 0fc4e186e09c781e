"""Two worker processes storing overlapping imports of one tenant create each person once."""

from __future__ import annotations

import asyncio
import uuid

from grpc import aio

from services.import_api.server import start_server
from shared.gen.contactimport.v1 import import_service_pb2_grpc as pb_grpc
from tests.support import csv_bytes, start, upload, wait_finished
from tests.worker_processes import delete_queues, start_worker, wait_for_consumers, worker_env


def _people(numbers: range) -> list[list[str]]:
    return [[f"Person{i}", f"p{i}@example.nl", f"0612{i:06d}"] for i in numbers]


# 200 people in both files, 100 of each file's own.
FILE_A = csv_bytes([["First name", "Email", "Mobile"], *_people(range(0, 300))])
FILE_B = csv_bytes([["First name", "Email", "Mobile"], *_people(range(100, 400))])


# Kept under their old names for the tests that import them from here.
_wait_for_consumers = wait_for_consumers
_delete_queues = delete_queues


async def test_two_workers_never_create_one_person_twice(settings, token_for, db):
    # Given an API and two worker processes of their own queue
    queue = f"{settings.queue}-pair"
    pair = settings.model_copy(update={"queue": queue})
    env = worker_env(settings, queue, CONTACTIMPORT_CHECK_PROCESSES="2")
    workers = [start_worker(env) for _ in range(2)]
    await asyncio.to_thread(_wait_for_consumers, settings.broker_url, queue, 2)
    api = await start_server(pair, listen="127.0.0.1:0")
    tenant = f"t-{uuid.uuid4().hex[:8]}"
    auth = (("authorization", f"Bearer {token_for(tenant)}"),)
    try:
        async with aio.insecure_channel(f"127.0.0.1:{api.port}") as channel:
            stub = pb_grpc.ImportServiceStub(channel)
            uploads = [await upload(stub, auth, data) for data in (FILE_A, FILE_B)]

            # When both are started at once (one message each, one per worker)
            started = await asyncio.gather(*(start(stub, auth, u) for u in uploads))
            finished = await asyncio.gather(
                *(wait_finished(stub, auth, s.import_id, timeout=120) for s in started)
            )
    finally:
        await api.stop(0)
        for worker in workers:
            worker.terminate()  # SIGTERM to Dramatiq's main process: it stops its children
        for worker in workers:
            worker.wait(timeout=60)
        _delete_queues(settings.broker_url, queue)

    # Then the 400 people are stored once each, and the counts say so
    total = await db.fetchval("SELECT count(*) FROM contacts WHERE tenant_id = $1", tenant)
    doubled = await db.fetchval(
        "SELECT count(*) FROM (SELECT email_keys FROM contacts WHERE tenant_id = $1"
        " GROUP BY email_keys HAVING count(*) > 1) AS d",
        tenant,
    )
    assert (total, doubled) == (400, 0), [f.counts for f in finished]
    assert sum(f.counts.created for f in finished) == 400
    assert sum(f.counts.unchanged for f in finished) == 200
