"""One import, start to end: claim, read, check rows, store contacts, write the workbook.

Each stage is timed (`parse`, `validate`, `workbook`, `insert`) and the timings are stored
with the import. The run is safe twice for the same import: the claim, the lease and the
ownership check before storing (`shared.store.imports`) make sure one attempt stores.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from datetime import timedelta

import asyncpg

from services.validator_worker.context import WorkerContext
from services.validator_worker.failure_workbook import write_failure_workbook
from services.validator_worker.row_rules import RejectedRow, RowChecker
from shared.contacts import ContactRecord
from shared.errors import FileRejected, ImportBusy, ImportUnrunnable, Reason
from shared.settings import Settings
from shared.spreadsheet.reader import read_sheet
from shared.store import imports as store
from shared.store.imports import ClaimedImport, Outcome
from shared.store.lifecycle import ImportState

log = logging.getLogger(__name__)

BATCH_ROWS = 1_000


def _final_state(imported: int, failed: int) -> ImportState:
    if imported and failed:
        return ImportState.PARTIALLY_SUCCEEDED
    return ImportState.SUCCEEDED if imported else ImportState.FAILED


async def run_import(ctx: WorkerContext, import_id: str) -> None:
    """Run one import message; safe to run twice for the same import."""
    pool = await ctx.pool()
    lease = timedelta(seconds=ctx.settings.worker_lease_seconds)
    job_id = uuid.UUID(import_id)
    async with pool.acquire() as conn:
        claim = await store.claim(conn, job_id, lease)
    if claim.claimed is None:
        if claim.state is ImportState.RUNNING:
            raise ImportBusy(f"import {import_id} is being run by another worker")
        log.info("import %s needs no work (state %s)", import_id, claim.state)
        return
    job = claim.claimed
    log.info("import %s claimed (attempt %d, tenant %s)", job.id, job.attempt, job.tenant_id)
    try:
        await _run_claimed(pool, ctx.settings, job, lease)
    except (FileRejected, ImportUnrunnable) as exc:
        # Permanent: a retry would read the same file the same way.
        async with pool.acquire() as conn:
            await store.fail(conn, job.id, exc.reason.value, exc.message)
        log.warning("import %s failed: %s (%s)", job.id, type(exc).__name__, exc.reason)


async def _run_claimed(
    pool: asyncpg.Pool, settings: Settings, job: ClaimedImport, lease: timedelta
) -> None:
    timings: dict[str, float] = {}
    async with pool.acquire() as conn:
        data = await store.load_file(conn, job)
    if data is None:
        raise ImportUnrunnable(
            "The uploaded file is no longer stored (it left the history); upload it again."
        )

    started = time.perf_counter()
    # The same limits the API checked the upload with, so what it accepted is read here.
    sheet = await asyncio.to_thread(
        read_sheet, data, max_inflated_bytes=settings.max_inflated_bytes
    )
    del data
    timings["parse"] = time.perf_counter() - started

    checker = RowChecker(job.mapping, sheet.headers, job.default_country)
    contacts: list[ContactRecord] = []
    rejected: list[RejectedRow] = []
    moved = processed = 0
    validate = 0.0
    numbers = sheet.row_numbers.to_pylist()
    for batch in sheet.table.to_batches(max_chunksize=BATCH_ROWS):
        started = time.perf_counter()
        outcome = await asyncio.to_thread(
            checker.check, batch, numbers[processed : processed + batch.num_rows]
        )
        validate += time.perf_counter() - started
        contacts.extend(outcome.contacts)
        rejected.extend(outcome.rejected)
        moved += outcome.mobiles_stored_as_phone
        processed += batch.num_rows
        async with pool.acquire() as conn:
            await store.report_progress(conn, job, processed, lease)
    timings["validate"] = validate

    started = time.perf_counter()
    workbook = (
        await asyncio.to_thread(write_failure_workbook, sheet.headers, rejected)
        if rejected
        else None
    )
    timings["workbook"] = time.perf_counter() - started

    imported = len(contacts)
    state = _final_state(imported, len(rejected))
    error = (
        (
            Reason.NO_VALID_ROWS.value,
            "No row could be imported; the failure workbook gives the reason for each row.",
        )
        if state is ImportState.FAILED
        else (None, None)
    )
    result = Outcome(state, processed, imported, len(rejected), moved, timings, workbook, *error)
    async with pool.acquire() as conn:
        done = await store.finish(conn, job, [] if job.dry_run else contacts, result)
    if not done:
        log.warning(
            "import %s was taken over, deleted or purged meanwhile; this run's result dropped",
            job.id,
        )
        return
    log.info(
        "import %s %s: rows=%d imported=%d failed=%d dry_run=%s",
        job.id,
        state.value,
        processed,
        imported,
        len(rejected),
        job.dry_run,
    )
