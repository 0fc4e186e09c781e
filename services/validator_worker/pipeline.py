"""One import, start to end: claim, read, check rows, store contacts, write the workbook."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import asyncpg

from services.validator_worker import import_store
from services.validator_worker.failure_workbook import write_failure_workbook
from services.validator_worker.import_store import ClaimedImport, Outcome
from services.validator_worker.row_rules import ContactRecord, RejectedRow, RowChecker
from shared.db.imports import ImportState
from shared.db.pool import create_pool
from shared.errors import FileRejected, Reason
from shared.settings import Settings
from shared.spreadsheet.reader import read_sheet
from shared.text_folding import contact_search_text

log = logging.getLogger(__name__)

BATCH_ROWS = 1_000


class ImportBusy(Exception):
    """Raised when another worker holds a live lease on the import; retried later."""


@dataclass
class WorkerContext:
    """What one worker process shares between jobs: settings and its asyncpg pool."""

    settings: Settings
    _pool: asyncpg.Pool | None = field(default=None, repr=False)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)

    async def pool(self) -> asyncpg.Pool:
        # Created on the event loop that runs the actors (Dramatiq's AsyncIO thread).
        async with self._lock:
            if self._pool is None:
                self._pool = await create_pool(self.settings, max_size=2)
            return self._pool

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None


def _contact_row(tenant_id: str, import_id: uuid.UUID, c: ContactRecord) -> tuple[Any, ...]:
    return (
        tenant_id,
        import_id,
        c.source_row,
        c.first_name,
        c.last_name,
        c.company,
        c.emails,
        c.phones,
        c.mobiles,
        c.addresses,
        c.notes,
        contact_search_text(c.first_name, c.last_name, c.company),
    )


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
        claim = await import_store.claim(conn, job_id, lease)
    if claim.claimed is None:
        if claim.state is ImportState.RUNNING:
            raise ImportBusy(f"import {import_id} is being run by another worker")
        log.info("import %s needs no work (state %s)", import_id, claim.state)
        return
    job = claim.claimed
    log.info("import %s claimed (attempt %d, tenant %s)", job.id, job.attempt, job.tenant_id)
    try:
        await _run_claimed(pool, job, lease)
    except FileRejected as exc:
        async with pool.acquire() as conn:
            await import_store.fail(conn, job.id, exc.reason.value, exc.message)
        log.warning("import %s failed: stored file refused (%s)", job.id, exc.reason)


async def _run_claimed(pool: asyncpg.Pool, job: ClaimedImport, lease: timedelta) -> None:
    timings: dict[str, float] = {}
    async with pool.acquire() as conn:
        data = await import_store.load_file(conn, job)

    started = time.perf_counter()
    sheet = await asyncio.to_thread(read_sheet, data)
    del data
    timings["parse"] = time.perf_counter() - started

    checker = RowChecker(job.mapping, sheet.headers, job.default_country)
    contacts: list[tuple[Any, ...]] = []
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
        contacts.extend(_contact_row(job.tenant_id, job.id, c) for c in outcome.contacts)
        rejected.extend(outcome.rejected)
        moved += outcome.mobiles_stored_as_phone
        processed += batch.num_rows
        async with pool.acquire() as conn:
            await import_store.report_progress(conn, job, processed, lease)
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
    async with pool.acquire() as conn:
        done = await import_store.finish(
            conn,
            job,
            [] if job.dry_run else contacts,
            Outcome(state, processed, imported, len(rejected), moved, timings, workbook, *error),
        )
    if not done:
        log.warning("import %s was taken over by another worker; this run's result dropped", job.id)
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
