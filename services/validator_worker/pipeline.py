"""One import, start to end: claim, read, check rows, store contacts, write the workbook.

The rows come from the sheet the API read and stored for an XLSX, XLS or vCard upload
(`shared.spreadsheet.stored_sheet`), else from the file, read again as the API read it.

Each stage is timed (`parse`, `validate`, `match`, `insert`, `workbook`) and the timings are
stored with the import. Rows are checked in the worker process's check processes
(`check_pool`), and the workbook is written there while the contacts are stored. The run
is safe twice for the same import: the claim, the lease and the ownership check before
storing (`shared.store.imports`) make sure one attempt stores.
"""

from __future__ import annotations

import asyncio
import bisect
import dataclasses
import itertools
import logging
import time
import uuid
from collections import Counter as Tally
from datetime import timedelta

import asyncpg

from services.validator_worker.check_pool import CheckJob, CheckPool
from services.validator_worker.contact_matching import (
    ImportPlan,
    RowRefusal,
    plan_import,
)
from services.validator_worker.context import WorkerContext
from services.validator_worker.metrics import import_metrics
from services.validator_worker.rows.row_checker import BatchOutcome
from services.validator_worker.shutdown import ImportInterrupted
from services.validator_worker.tracing import (
    describe_import,
    describe_outcome,
    record_stage,
    stage,
)
from shared.contacts import ContactRecord, DuplicatePolicy
from shared.errors import FileRejected, ImportBusy, ImportUnrunnable, Reason
from shared.failure_workbook import timed_workbook
from shared.i18n.text import t
from shared.memory import give_back_memory
from shared.rejected_rows import RejectedRow, RowProblem
from shared.settings import Settings
from shared.spreadsheet import stored_sheet
from shared.spreadsheet.reader import read_sheet
from shared.spreadsheet.sheet import FileFormat, Sheet
from shared.store import contacts as contact_store
from shared.store import runs
from shared.store.lifecycle import ImportState
from shared.store.runs import ClaimedImport, Outcome

log = logging.getLogger(__name__)

BATCH_ROWS = 1_000
# Progress (and the lease with it) is published at most this often, and once all rows are
# checked: each report is a round trip that the storing of the next batch would wait for.
PROGRESS_SECONDS = 0.25


class _ResultDropped(Exception):
    """The run no longer owns its import: what it wrote is rolled back, nothing stored."""


def _final_state(imported: int, failed: int) -> ImportState:
    if imported and failed:
        return ImportState.PARTIALLY_SUCCEEDED
    return ImportState.SUCCEEDED if imported else ImportState.FAILED


async def _plan(
    conn: asyncpg.Connection, job: ClaimedImport, rows: list[ContactRecord]
) -> ImportPlan:
    """What storing the rows does, decided against the tenant's contacts as they are now."""
    if job.duplicate_policy is DuplicatePolicy.CREATE:
        return plan_import(rows, [], job.duplicate_policy)
    await contact_store.lock_tenant(conn, job.tenant_id)
    existing = (
        await contact_store.find_existing(conn, job.tenant_id, job.id, rows)
        if await contact_store.has_contacts(conn, job.tenant_id, job.id)
        else []
    )
    return plan_import(rows, existing, job.duplicate_policy)


async def _sheet(pool: asyncpg.Pool, settings: Settings, job: ClaimedImport) -> Sheet:
    """The import's rows: the sheet the API read and stored, else the file read again."""
    async with pool.acquire() as conn:
        # The API stores no sheet for a CSV: no look-up for one.
        stored = None if job.file_format == FileFormat.CSV else await runs.load_sheet(conn, job)
        sheet = None if stored is None else await asyncio.to_thread(stored_sheet.load, stored)
        data = None if sheet is not None else await runs.load_file(conn, job)
    del stored
    if sheet is not None:
        return sheet
    if data is None:
        raise ImportUnrunnable(
            t("The uploaded file is no longer stored (it left the history); upload it again.")
        )
    # A CSV (or a sheet stored in another version): read with the same limits and encoding
    # the API read the upload with, so what it accepted is read here, the same way.
    return await asyncio.to_thread(
        read_sheet, data, encoding=job.encoding, max_inflated_bytes=settings.max_inflated_bytes
    )


def _refused_row(sheet: Sheet, numbers: list[int], refusal: RowRefusal) -> RejectedRow:
    """A valid row that storing refused, with its original cells for the workbook."""
    index = bisect.bisect_left(numbers, refusal.source_row)
    cells = [column[index].as_py() or "" for column in sheet.table.columns]
    return RejectedRow(refusal.source_row, cells, [RowProblem(refusal.reason, refusal.message)])


def _outcome(
    processed: int,
    plan: ImportPlan,
    rejected: list[RejectedRow],
    moved: int,
    timings: dict[str, float],
    workbook: bytes | None,
) -> Outcome:
    state = _final_state(plan.imported, len(rejected))
    failed = state is ImportState.FAILED
    assert processed == plan.imported + len(rejected), "every row is imported or rejected"
    return Outcome(
        state,
        processed,
        plan.imported,
        len(rejected),
        moved,
        timings,
        workbook,
        error_reason=Reason.NO_VALID_ROWS.value if failed else None,
        error_message=(
            t("No row could be imported; the failure workbook gives the reason for each row.")
            if failed
            else None
        ),
        created=plan.created,
        updated=plan.updated,
        unchanged=plan.unchanged,
        merged_in_file=plan.merged_in_file,
    )


# While the database is out, giving up a claim is tried this often until the lease runs out.
RELEASE_RETRY_SECONDS = 1.0


async def _release(pool: asyncpg.Pool, job: ClaimedImport) -> bool:
    """Give up the claim of a failed attempt; False when the database cannot be reached."""
    try:
        async with pool.acquire() as conn:
            await runs.release(conn, job)
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
        return False
    return True


async def _release_when_back(pool: asyncpg.Pool, job: ClaimedImport, lease: timedelta) -> None:
    """Keep trying to give up the claim until the database is back (or the lease is over)."""
    deadline = time.monotonic() + lease.total_seconds()
    while time.monotonic() < deadline:
        await asyncio.sleep(RELEASE_RETRY_SECONDS)
        if await _release(pool, job):
            log.info("import %s: claim given up after the database came back", job.id)
            return


async def run_import(ctx: WorkerContext, import_id: str) -> None:
    """Run one import message; safe to run twice for the same import."""
    pool = await ctx.pool()
    lease = timedelta(seconds=ctx.settings.worker_lease_seconds)
    job_id = uuid.UUID(import_id)
    if ctx.stopping:  # a message taken as the shutdown began: left to another worker
        raise ImportInterrupted(job_id)
    async with pool.acquire() as conn:
        claim = await runs.claim(conn, job_id, lease, ctx.owner)
    if claim.claimed is None:
        if claim.state is ImportState.RUNNING:
            raise ImportBusy(t("The import is being run by another worker."))
        log.info("import %s needs no work (state %s)", import_id, claim.state)
        return
    job = claim.claimed
    claimed_at = time.monotonic()
    log.info("import %s claimed (attempt %d, tenant %s)", job.id, job.attempt, job.tenant_id)
    describe_import(job.tenant_id, job.file_format, job.attempt)
    this = asyncio.current_task()
    assert this is not None
    ctx.running.add(this)
    try:
        await _run_claimed(pool, ctx.check_pool, ctx.settings, job, lease)
    except asyncio.CancelledError:
        if not ctx.stopping:
            raise
        # Interrupted by the shutdown timeout (services.validator_worker.shutdown): the
        # transaction was rolled back; give the claim up so another worker takes over now.
        if not await _release(pool, job):
            log.warning("import %s: claim not given up; its lease runs out", job.id)
        raise ImportInterrupted(job.id) from None
    except (FileRejected, ImportUnrunnable) as exc:
        # Permanent: a retry would read the same file the same way.
        async with pool.acquire() as conn:
            await runs.fail(conn, job.id, exc.reason.value, exc.message)
        import_metrics().record(
            ImportState.FAILED.value, job.file_format, time.monotonic() - claimed_at
        )
        log.warning("import %s failed: %s (%s)", job.id, type(exc).__name__, exc.reason)
    except Exception:
        # Retried (a database or broker fault, a bug): the claim is given up first, so the
        # retry, on any worker, can claim the import at once instead of after the lease.
        if not await _release(pool, job):
            ctx.in_background(asyncio.create_task(_release_when_back(pool, job, lease)))
        raise
    finally:
        ctx.running.discard(this)
        # The file, its rows and the workbook are freed by now: hand the pages back.
        give_back_memory()


async def _run_claimed(
    pool: asyncpg.Pool,
    check_pool: CheckPool,
    settings: Settings,
    job: ClaimedImport,
    lease: timedelta,
) -> None:
    timings: dict[str, float] = {}
    began = time.monotonic()  # just after the claim
    with stage(timings, "parse"):
        sheet = await _sheet(pool, settings, job)

    contacts: list[ContactRecord] = []
    rejected: list[RejectedRow] = []
    moved = processed = 0
    numbers = sheet.row_numbers.to_pylist()
    batches = sheet.table.to_batches(max_chunksize=BATCH_ROWS)
    offsets = [0, *itertools.accumulate(b.num_rows for b in batches)]

    # One transaction from the first checked batch to the outcome. Each batch's valid rows
    # are written in it as they come back, while the check processes go on with the next
    # ones; matching then reads the tenant's contacts and settles what is stored under a
    # tenant lock, so two imports of one tenant never create the same person twice.
    try:
        async with pool.acquire() as conn, conn.transaction():
            staging = (
                None
                if job.dry_run
                else contact_store.ContactStaging(
                    conn,
                    job.tenant_id,
                    job.id,
                    creates_all=job.duplicate_policy is DuplicatePolicy.CREATE,
                    rows=len(numbers),
                )
            )

            reported = time.monotonic()

            async def checked(outcome: BatchOutcome, rows: int) -> None:
                nonlocal moved, processed, reported
                contacts.extend(outcome.contacts)
                rejected.extend(outcome.rejected)
                moved += outcome.mobiles_stored_as_phone
                processed += rows
                if staging is not None:
                    await staging.add(outcome.contacts)
                if processed < len(numbers) and time.monotonic() - reported < PROGRESS_SECONDS:
                    return
                reported = time.monotonic()
                # On a connection of its own: the progress is seen before the import commits.
                async with pool.acquire() as progress:
                    await runs.report_progress(progress, job, processed, lease)

            with stage(timings, "validate"):
                await check_pool.check(
                    CheckJob(job.mapping, tuple(sheet.headers), job.default_country),
                    batches,
                    [numbers[start:end] for start, end in itertools.pairwise(offsets)],
                    checked,
                )

            if not await runs.lock_owned(conn, job):
                raise _ResultDropped  # rolls back what was written

            def write(rows: list[RejectedRow]) -> asyncio.Future[tuple[bytes, float]] | None:
                # In a check process, while this one matches and stores the contacts.
                return (
                    asyncio.ensure_future(
                        check_pool.call(timed_workbook, sheet.headers, rows, job.language)
                    )
                    if rows
                    else None
                )

            # Matching seldom refuses a row: the workbook of the checks' rejections is begun
            # at once, and written again only when matching refused some.
            writing = write(rejected)
            try:
                with stage(timings, "match"):
                    plan = await _plan(conn, job, contacts)
                if plan.refused:
                    if writing is not None:
                        writing.cancel()
                    rejected = sorted(
                        rejected + [_refused_row(sheet, numbers, r) for r in plan.refused],
                        key=lambda r: r.source_row,
                    )
                    writing = write(rejected)
                with stage(timings, "insert"):
                    if staging is not None:
                        await staging.store(plan.creates)
                        await contact_store.apply_updates(conn, job.tenant_id, job.id, plan.updates)
                workbook, seconds = await writing if writing else (None, 0.0)
                record_stage(timings, "workbook", seconds)
            finally:
                if writing is not None and not writing.done():
                    writing.cancel()
            result = _outcome(processed, plan, rejected, moved, timings, workbook)
            if workbook is not None:
                result = dataclasses.replace(
                    result,
                    workbook_rows={
                        "headers": list(sheet.headers),
                        "rows": [row.to_json() for row in rejected],
                    },
                )
            await runs.store_outcome(conn, job, result)
    except _ResultDropped:
        log.warning(
            "import %s was taken over, deleted or purged meanwhile; this run's result dropped",
            job.id,
        )
        return
    state, imported = result.state, result.imported
    describe_outcome(state.value, processed, imported, len(rejected))
    import_metrics().record(
        state.value,
        job.file_format,
        time.monotonic() - began,
        rows_checked=processed,
        reasons=Tally(p.reason.value for row in rejected for p in row.problems),
    )
    log.info(
        "import %s %s: rows=%d imported=%d failed=%d dry_run=%s",
        job.id,
        state.value,
        processed,
        imported,
        len(rejected),
        job.dry_run,
    )
