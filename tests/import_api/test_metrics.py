"""Prometheus metrics, scraped for real after imports: the API's per-RPC counts, codes and
latencies and the queue's gauges on CONTACTIMPORT_METRICS_PORT, and the worker's import
figures, in process and from a worker process's Dramatiq exposition server."""

from __future__ import annotations

import asyncio
import time
import urllib.request
import uuid

import grpc
import pytest
from grpc import aio
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from devtools.stack.local import free_port
from services.import_api.server import start_server
from shared.gen.contactimport.v1 import import_service_pb2 as pb
from shared.gen.contactimport.v1 import import_service_pb2_grpc as pb_grpc
from tests.support import csv_bytes, import_file, queued_without_worker, start, upload
from tests.worker_processes import (
    delete_queues,
    start_worker,
    stop_worker,
    wait_for_consumers,
    worker_env,
)

SERVICE = "contactimport.v1.ImportService"
# Three rows: two valid Dutch contacts, one with a number that is no phone number.
FILE = csv_bytes(
    [
        ["First name", "Phone"],
        ["Jan", "0201234567"],
        ["Piet", "0201234568"],
        ["Kees", "not a number"],
    ]
)


def _scrape(port: int) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of http://127.0.0.1:port/metrics by (name, sorted labels)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as answer:
        text = answer.read().decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _labels(**labels: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(labels.items()))


@pytest.mark.usefixtures("worker")
async def test_the_api_counts_each_rpc_by_code_and_reports_the_queue(settings, auth, db):
    # Given an API serving its metrics on a port of its own
    api = await start_server(
        settings.model_copy(update={"metrics_port": free_port()}), listen="127.0.0.1:0"
    )
    try:
        async with aio.insecure_channel(f"127.0.0.1:{api.port}") as channel:
            stub = pb_grpc.ImportServiceStub(channel)
            # When an import runs through it, one call is refused, and one import waits
            await import_file(stub, auth, FILE)
            with pytest.raises(grpc.RpcError):
                await stub.GetImport(pb.GetImportRequest(import_id="nope"), metadata=auth)
            waiting = uuid.UUID(await queued_without_worker(stub, auth, db, FILE))
            await db.execute(
                "UPDATE imports SET queued_at = now() - interval '90 seconds' WHERE id = $1",
                waiting,
            )
            await db.execute(
                "INSERT INTO import_outbox (import_id, publish_after)"
                " VALUES ($1, now() + interval '1 hour')",
                waiting,
            )
            scraped = await asyncio.to_thread(_scrape, api.metrics.port)
    finally:
        await api.stop(0)
        await db.execute("DELETE FROM import_outbox WHERE import_id = $1", waiting)
        await db.execute("UPDATE imports SET state = 'FAILED' WHERE id = $1", waiting)

    # Then each call is counted with the code its caller saw, and timed
    def calls(method: str, code: str) -> float:
        name = "contactimport_rpc_requests_total"
        return scraped.get((name, _labels(method=f"{SERVICE}/{method}", code=code)), 0)

    assert calls("UploadFile", "OK") == 2
    assert calls("StartImport", "OK") == 1
    assert calls("GetImport", "INVALID_ARGUMENT") == 1
    assert calls("WatchImport", "OK") >= 1
    uploads = ("contactimport_rpc_duration_seconds_count", _labels(method=f"{SERVICE}/UploadFile"))
    assert scraped[uploads] == 2
    # And the queue's gauges come from the database at the scrape
    assert scraped[("contactimport_outbox_backlog", ())] >= 1
    assert scraped[("contactimport_oldest_queued_import_age_seconds", ())] >= 90


@pytest.mark.usefixtures("worker")
async def test_the_worker_counts_imports_rows_and_reasons(stub, auth):
    def value(name: str, **labels: str) -> float:
        return REGISTRY.get_sample_value(name, labels) or 0.0

    before = {
        "finished": value("contactimport_imports_finished_total", state="PARTIALLY_SUCCEEDED"),
        "checked": value("contactimport_rows_checked_total", format="csv"),
        "invalid": value("contactimport_rows_rejected_total", reason="PHONE_INVALID"),
        "timed": value("contactimport_import_duration_seconds_count", format="csv"),
    }
    done = await import_file(stub, auth, FILE)
    assert done.state == pb.ContactImport.STATE_PARTIALLY_SUCCEEDED

    after = {
        "finished": value("contactimport_imports_finished_total", state="PARTIALLY_SUCCEEDED"),
        "checked": value("contactimport_rows_checked_total", format="csv"),
        "invalid": value("contactimport_rows_rejected_total", reason="PHONE_INVALID"),
        "timed": value("contactimport_import_duration_seconds_count", format="csv"),
    }
    assert {key: after[key] - before[key] for key in before} == {
        "finished": 1,
        "checked": 3,
        "invalid": 1,
        "timed": 1,
    }


async def test_a_worker_process_serves_dramatiq_and_import_metrics(settings, auth, tmp_path):
    # Given a worker process with Dramatiq's exposition server on a port of its own
    queue = f"{settings.queue}-metrics"
    port = free_port()
    env = worker_env(settings, queue, dramatiq_prom_port=str(port), dramatiq_prom_db=str(tmp_path))
    worker = start_worker(env)
    api = await start_server(settings.model_copy(update={"queue": queue}), listen="127.0.0.1:0")
    try:
        await asyncio.to_thread(wait_for_consumers, settings.broker_url, queue, 1)
        async with aio.insecure_channel(f"127.0.0.1:{api.port}") as channel:
            stub = pb_grpc.ImportServiceStub(channel)
            # When an import runs there
            await start(stub, auth, await upload(stub, auth, FILE))
            scraped = await _scrape_until(port, "contactimport_imports_finished_total")
    finally:
        await api.stop(0)
        await asyncio.to_thread(stop_worker, worker)
        delete_queues(settings.broker_url, queue)

    # Then its endpoint serves the import's figures beside Dramatiq's own
    finished = ("contactimport_imports_finished_total", _labels(state="PARTIALLY_SUCCEEDED"))
    assert scraped[finished] == 1
    assert scraped[("contactimport_rows_checked_total", _labels(format="csv"))] == 3
    assert scraped[("contactimport_rows_rejected_total", _labels(reason="PHONE_INVALID"))] == 1
    dramatiq = ("dramatiq_messages_total", _labels(queue_name=queue, actor_name="process_import"))
    assert scraped[dramatiq] == 1


async def _scrape_until(
    port: int, name: str, seconds: float = 60
) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Scrape until a sample of `name` shows (the import ended), within `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            scraped = await asyncio.to_thread(_scrape, port)
        except OSError:
            scraped = {}  # the exposition server is still starting
        if any(key[0] == name for key in scraped) or time.monotonic() > deadline:
            return scraped
        await asyncio.sleep(0.2)  # polling the endpoint: what the test watches
