"""The worker's reads and writes of an import: claim, progress, and the final commit."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import asyncpg

from shared.contact_fields import Mapping, mapping_from_json
from shared.db.imports import ImportState

CONTACT_COLUMNS = (
    "tenant_id",
    "import_id",
    "source_row",
    "first_name",
    "last_name",
    "company",
    "emails",
    "phones",
    "mobiles",
    "addresses",
    "notes",
    "search_text",
)


@dataclass(frozen=True)
class ClaimedImport:
    """What a worker needs to run an import it has claimed."""

    id: uuid.UUID
    tenant_id: str
    attempt: int
    file_format: str
    headers: list[str]
    mapping: Mapping
    default_country: str
    dry_run: bool


@dataclass(frozen=True)
class Claim:
    """The result of trying to claim: the import, or why not."""

    claimed: ClaimedImport | None
    state: ImportState | None  # the state found when not claimed (None: no such import)


async def claim(conn: asyncpg.Connection, import_id: uuid.UUID, lease: timedelta) -> Claim:
    """Move a QUEUED import (or a RUNNING one whose worker's lease ran out) to RUNNING.

    A deleted or purged import is never claimed: its message is dropped as done.
    """
    async with conn.transaction():
        row = await conn.fetchrow(
            """
            UPDATE imports SET state = 'RUNNING', attempts = attempts + 1,
                lease_until = now() + $2, started_at = coalesce(started_at, now()),
                rows_processed = 0, updated_at = now()
            WHERE id = $1 AND deleted_at IS NULL AND purged_at IS NULL
                AND (state = 'QUEUED' OR (state = 'RUNNING' AND lease_until < now()))
            RETURNING id, tenant_id, attempts, file_format, headers, mapping, default_country,
                dry_run
            """,
            import_id,
            lease,
        )
        if row is None:
            state = await conn.fetchval("SELECT state FROM imports WHERE id = $1", import_id)
            return Claim(None, ImportState(state) if state is not None else None)
        await conn.execute("DELETE FROM import_outbox WHERE import_id = $1", import_id)
        await notify(conn, import_id)
    return Claim(
        ClaimedImport(
            id=row["id"],
            tenant_id=row["tenant_id"],
            attempt=row["attempts"],
            file_format=row["file_format"],
            headers=list(row["headers"]),
            mapping=mapping_from_json(row["mapping"]),
            default_country=row["default_country"],
            dry_run=row["dry_run"],
        ),
        ImportState.RUNNING,
    )


async def notify(conn: asyncpg.Connection, import_id: uuid.UUID) -> None:
    await conn.execute("SELECT pg_notify('import_changed', $1)", str(import_id))


async def load_file(conn: asyncpg.Connection, job: ClaimedImport) -> bytes:
    content = await conn.fetchval(
        "SELECT content FROM import_files WHERE import_id = $1 AND tenant_id = $2",
        job.id,
        job.tenant_id,
    )
    if content is None:
        raise LookupError(f"the stored file of import {job.id} is gone")
    return bytes(content)


async def report_progress(
    conn: asyncpg.Connection, job: ClaimedImport, processed: int, lease: timedelta
) -> None:
    """Publish progress and extend the lease, while this worker still owns the import."""
    await conn.execute(
        """
        UPDATE imports SET rows_processed = $3, lease_until = now() + $4, updated_at = now()
        WHERE id = $1 AND attempts = $2 AND state = 'RUNNING'
        """,
        job.id,
        job.attempt,
        processed,
        lease,
    )
    await notify(conn, job.id)


@dataclass(frozen=True)
class Outcome:
    """The end of an import, written in one transaction."""

    state: ImportState
    rows_processed: int
    imported: int
    failed: int
    mobiles_as_phone: int
    timings: dict[str, float]
    workbook: bytes | None
    error_reason: str | None = None
    error_message: str | None = None


async def finish(
    conn: asyncpg.Connection, job: ClaimedImport, contacts: list[tuple[Any, ...]], outcome: Outcome
) -> bool:
    """Store the contacts, the workbook and the terminal state at once; False if no longer ours.

    Contacts go through a staging table so that a second run of the same import (a
    redelivered message whose first run committed) inserts nothing twice.
    """
    async with conn.transaction():
        owner = await conn.fetchrow(
            "SELECT state, attempts, purged_at IS NOT NULL OR deleted_at IS NOT NULL AS gone"
            " FROM imports WHERE id = $1 FOR UPDATE",
            job.id,
        )
        if (
            owner is None
            or owner["state"] != "RUNNING"
            or owner["attempts"] != job.attempt
            or owner["gone"]
        ):
            return False
        started = time.perf_counter()
        if contacts:
            await conn.execute(
                """
                CREATE TEMP TABLE contacts_staging (
                    tenant_id text, import_id uuid, source_row integer, first_name text,
                    last_name text, company text, emails text[], phones text[], mobiles text[],
                    addresses text[], notes text, search_text text
                ) ON COMMIT DROP
                """
            )
            await conn.copy_records_to_table(
                "contacts_staging", records=contacts, columns=CONTACT_COLUMNS
            )
            columns = ", ".join(CONTACT_COLUMNS)
            await conn.execute(
                f"INSERT INTO contacts ({columns}) SELECT {columns} FROM contacts_staging"
                " ON CONFLICT ON CONSTRAINT contacts_one_per_source_row DO NOTHING"
            )
        outcome.timings["insert"] = time.perf_counter() - started
        if outcome.workbook is not None:
            await conn.execute(
                """
                INSERT INTO failure_workbooks (import_id, tenant_id, content) VALUES ($1, $2, $3)
                ON CONFLICT (import_id) DO UPDATE SET content = excluded.content, created_at = now()
                """,
                job.id,
                job.tenant_id,
                outcome.workbook,
            )
        await conn.execute(
            """
            UPDATE imports SET state = $2, rows_processed = $3, imported_count = $4,
                failed_count = $5, mobiles_as_phone = $6, timings = $7, error_reason = $8,
                error_message = $9, finished_at = now(), updated_at = now(), lease_until = NULL
            WHERE id = $1
            """,
            job.id,
            outcome.state.value,
            outcome.rows_processed,
            outcome.imported,
            outcome.failed,
            outcome.mobiles_as_phone,
            outcome.timings,
            outcome.error_reason,
            outcome.error_message,
        )
        await notify(conn, job.id)
    return True


async def fail(conn: asyncpg.Connection, import_id: uuid.UUID, reason: str, message: str) -> None:
    """End an import in FAILED with an error (nothing stored)."""
    await conn.execute(
        """
        UPDATE imports SET state = 'FAILED', error_reason = $2, error_message = $3,
            finished_at = now(), updated_at = now(), lease_until = NULL
        WHERE id = $1 AND state IN ('QUEUED', 'RUNNING')
        """,
        import_id,
        reason,
        message,
    )
    await notify(conn, import_id)
