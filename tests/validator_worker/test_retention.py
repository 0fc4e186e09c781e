"""Retention: files, sheets and workbooks of imports older than 20 days purged, contacts kept."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import dramatiq
import grpc
import pytest
from dramatiq.asyncio import get_event_loop_thread, set_event_loop_thread

from services.validator_worker.actors import build_worker_broker
from services.validator_worker.retention import purge_expired
from shared.gen.contactimport.v1 import import_service_pb2 as pb
from shared.store.retention import RETENTION_LOCK_KEY
from tests.support import (
    csv_bytes,
    download_failures,
    error_details,
    import_file,
    upload,
    xlsx_bytes,
)

pytestmark = pytest.mark.usefixtures("worker")

HISTORY = timedelta(days=20)
# One good row and one bad: contacts and a failure workbook.
FILE = csv_bytes([["First name", "Phone"], ["Jan", "0201234567"], ["Piet", "nope"]])


async def _stored(db, import_id: uuid.UUID) -> dict[str, int]:
    row = await db.fetchrow(
        """
        SELECT (SELECT count(*) FROM import_files WHERE import_id = $1) AS files,
            (SELECT count(*) FROM failure_workbooks WHERE import_id = $1) AS workbooks,
            (SELECT count(*) FROM contacts WHERE import_id = $1) AS contacts
        """,
        import_id,
    )
    return dict(row)


async def test_a_purge_with_a_moved_clock_drops_files_and_workbooks_and_keeps_contacts(
    stub, auth, db
):
    # Given a partially succeeded import: its file, its failure workbook and a contact
    finished = await import_file(stub, auth, FILE)
    assert finished.state == pb.ContactImport.STATE_PARTIALLY_SUCCEEDED
    import_id = uuid.UUID(finished.import_id)
    assert await _stored(db, import_id) == {"files": 1, "workbooks": 1, "contacts": 1}

    # When retention runs when it is 19 days old, then 21 days old, then again (the import
    # is aged rather than the clock moved, so no other test's import is purged)
    await _age(db, import_id, timedelta(days=19))
    early = await purge_expired(db, now=datetime.now(UTC), history=HISTORY)
    kept = await _stored(db, import_id)
    await _age(db, import_id, timedelta(days=2))
    later = datetime.now(UTC)
    purged = await purge_expired(db, now=later, history=HISTORY)
    again = await purge_expired(db, now=later, history=HISTORY)

    # Then the first left it alone, the second purged its file and workbook but not its
    # contact, and the third found nothing left
    assert early == 0
    assert kept == {"files": 1, "workbooks": 1, "contacts": 1}
    assert purged == 1
    assert again == 0
    assert await _stored(db, import_id) == {"files": 0, "workbooks": 0, "contacts": 1}
    assert await db.fetchval("SELECT purged_at FROM imports WHERE id = $1", import_id) == later

    # And every RPC on it answers NOT_FOUND; the history no longer lists it
    calls = [
        stub.GetImport(pb.GetImportRequest(import_id=str(import_id)), metadata=auth),
        download_failures(stub, auth, str(import_id)),
        stub.GetFilePreview(pb.GetFilePreviewRequest(import_id=str(import_id)), metadata=auth),
        stub.DeleteImport(pb.DeleteImportRequest(import_id=str(import_id)), metadata=auth),
    ]
    for call in calls:
        with pytest.raises(grpc.RpcError) as caught:
            await call
        assert caught.value.code() == grpc.StatusCode.NOT_FOUND
        assert error_details(caught.value)["reason"] == "IMPORT_NOT_FOUND"
    history = await stub.ListImports(pb.ListImportsRequest(), metadata=auth)
    assert list(history.imports) == []


async def test_only_one_worker_purges_at_a_time(stub, auth, db):
    # Given an old import, and another worker holding the retention lock
    uploaded = await upload(stub, auth, FILE)
    import_id = uuid.UUID(uploaded.contact_import.import_id)
    await _age(db, import_id, timedelta(days=30))
    later = datetime.now(UTC)
    async with db.acquire() as holder, holder.transaction():
        await holder.execute("SELECT pg_advisory_xact_lock($1)", RETENTION_LOCK_KEY)

        # When this worker runs retention meanwhile
        skipped = await purge_expired(db, now=later, history=HISTORY)
        untouched = await db.fetchval("SELECT purged_at FROM imports WHERE id = $1", import_id)

    # Then it purged nothing until the lock was free
    assert (skipped, untouched) == (0, None)
    assert await purge_expired(db, now=later, history=HISTORY) >= 1
    assert await db.fetchval("SELECT purged_at FROM imports WHERE id = $1", import_id) == later


async def _age(db, import_id: uuid.UUID, age: timedelta) -> None:
    await db.execute(
        "UPDATE imports SET created_at = created_at - $2::interval WHERE id = $1", import_id, age
    )


async def _purged(db, import_id: uuid.UUID, timeout: float = 3.0) -> bool:
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        if await db.fetchval("SELECT purged_at IS NOT NULL FROM imports WHERE id = $1", import_id):
            return True
        await asyncio.sleep(0.05)
    return False


async def test_the_worker_purges_on_its_own_timer(stub, auth, db, settings):
    # Given an import 30 days old, and a worker process whose retention runs every 0.2 s
    first = await upload(stub, auth, FILE)
    first_id = uuid.UUID(first.contact_import.import_id)
    await _age(db, first_id, timedelta(days=30))
    quick = settings.model_copy(
        update={
            "retention_interval_seconds": 0.2,
            "queue": f"contactimport-retention-{secrets.token_hex(4)}",
        }
    )
    # Dramatiq's event-loop thread is process-global: keep the session worker's.
    session_loop = get_event_loop_thread()
    broker, _ = build_worker_broker(quick)
    worker = dramatiq.Worker(broker, worker_threads=1, worker_timeout=100)
    worker.start()
    try:
        # When it runs at boot, and an import becomes old while it runs
        at_boot = await _purged(db, first_id)
        second = await upload(stub, auth, FILE)
        second_id = uuid.UUID(second.contact_import.import_id)
        await _age(db, second_id, timedelta(days=30))
        on_timer = await _purged(db, second_id)
    finally:
        await asyncio.to_thread(worker.stop)
        channel: Any = getattr(broker, "channel", None)
        for name in (quick.queue, f"{quick.queue}.DQ", f"{quick.queue}.XQ"):
            with contextlib.suppress(Exception):
                channel.queue_delete(name)
        broker.close()
        set_event_loop_thread(session_loop)

    # Then both were purged by the worker, and it stopped cleanly
    assert (at_boot, on_timer) == (True, True)
    assert await _stored(db, second_id) == {"files": 0, "workbooks": 0, "contacts": 0}


async def test_a_purge_drops_the_sheet_stored_with_an_xlsx_upload(stub, auth, db):
    # Given an XLSX upload, 21 days old, with the sheet the API read stored beside it
    uploaded = await upload(stub, auth, xlsx_bytes([["First name"], ["Jan"]]), "c.xlsx")
    import_id = uuid.UUID(uploaded.contact_import.import_id)
    sheets = "SELECT count(*) FROM import_sheets WHERE import_id = $1"
    assert await db.fetchval(sheets, import_id) == 1
    await _age(db, import_id, timedelta(days=21))

    # When retention runs
    await purge_expired(db, now=datetime.now(UTC), history=HISTORY)

    # Then the sheet went with the file
    assert await db.fetchval(sheets, import_id) == 0
    assert await _stored(db, import_id) == {"files": 0, "workbooks": 0, "contacts": 0}
