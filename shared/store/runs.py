"""The worker's side of an import's lifecycle: claim it, report progress, store the end.

A claim moves QUEUED (or RUNNING with an expired lease) to RUNNING and takes a lease that
every progress report extends; the result is stored only while this attempt still owns a
live import (`lock_owned`), in the transaction that also stores the contacts.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import asyncpg

from shared.contacts import DuplicatePolicy
from shared.i18n.text import Text
from shared.mapping.fields import Mapping, mapping_from_json
from shared.store import event_outbox
from shared.store.imports import text_to_store
from shared.store.lifecycle import ImportState, live, may_move_to
from shared.store.notify import notify


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
    duplicate_policy: DuplicatePolicy
    language: str = "en"  # the language the import was started in (its workbook's)
    encoding: str = ""  # the text encoding the upload was read in (read the file in it)


@dataclass(frozen=True)
class Claim:
    """The result of trying to claim: the import, or why not."""

    claimed: ClaimedImport | None
    state: ImportState | None  # the state found when not claimed (None: no such import)


async def claim(
    conn: asyncpg.Connection, import_id: uuid.UUID, lease: timedelta, owner: str = ""
) -> Claim:
    """Move a QUEUED import (or a RUNNING one whose worker's lease ran out) to RUNNING.

    `owner` names the claiming worker process: a RUNNING import whose live lease is its own
    (its earlier attempt failed, perhaps without hearing that its claim succeeded) is
    claimed again at once.

    A deleted or purged import is never claimed: its message is dropped as done. The claim
    also removes the import's outbox row: from now on the lease, not the outbox, guards it.
    """
    async with conn.transaction():
        row = await conn.fetchrow(
            f"""
            UPDATE imports i SET state = $3, attempts = attempts + 1,
                lease_until = now() + $2, started_at = coalesce(started_at, now()),
                rows_processed = 0, updated_at = now(), lease_owner = nullif($4, '')
            WHERE i.id = $1 AND {live("i", "NULL")} AND {may_move_to("i", ImportState.RUNNING)}
                AND (i.state <> $3 OR i.lease_until <= now() OR i.lease_owner = nullif($4, ''))
            RETURNING id, tenant_id, attempts, file_format, headers, mapping, default_country,
                dry_run, duplicate_policy, language, encoding
            """,
            import_id,
            lease,
            ImportState.RUNNING.value,
            owner,
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
            duplicate_policy=DuplicatePolicy(row["duplicate_policy"]),
            language=row["language"],
            encoding=row["encoding"],
        ),
        ImportState.RUNNING,
    )


async def load_file(conn: asyncpg.Connection, job: ClaimedImport) -> bytes | None:
    """The claimed import's stored bytes; None when retention removed them meanwhile."""
    parts = await conn.fetch(
        "SELECT content FROM import_files WHERE import_id = $1 AND tenant_id = $2 ORDER BY part",
        job.id,
        job.tenant_id,
    )
    if not parts:
        return None
    return b"".join(part["content"] for part in parts)


async def load_sheet(conn: asyncpg.Connection, job: ClaimedImport) -> bytes | None:
    """The sheet the API read from the claimed import's file; None for a CSV (or none kept)."""
    content: bytes | None = await conn.fetchval(
        "SELECT content FROM import_sheets WHERE import_id = $1 AND tenant_id = $2",
        job.id,
        job.tenant_id,
    )
    return content


def _owned(alias: str) -> str:
    # This worker's attempt is still the running one ($1 id, $2 attempt).
    return f"{alias}.id = $1 AND {alias}.attempts = $2 AND {alias}.state = 'RUNNING'"


async def release(conn: asyncpg.Connection, job: ClaimedImport) -> bool:
    """Give up this worker's claim after a failure, so that a retry may claim it at once.

    The import stays RUNNING with its lease run out (what `claim` takes over); False when
    this attempt no longer owns it (another worker has claimed it since, or it ended).
    """
    status = await conn.execute(
        f"UPDATE imports i SET lease_until = now(), updated_at = now() WHERE {_owned('i')}",
        job.id,
        job.attempt,
    )
    return bool(status.endswith(" 1"))


async def report_progress(
    conn: asyncpg.Connection, job: ClaimedImport, processed: int, lease: timedelta
) -> None:
    """Publish progress and extend the lease, while this worker still owns the import."""
    await conn.execute(
        f"""
        UPDATE imports i SET rows_processed = $3, lease_until = now() + $4, updated_at = now()
        WHERE {_owned("i")}
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
    # The workbook's headers and rows as codes + parameters (shared.rejected_rows), so the
    # API can write it again in another language.
    workbook_rows: dict[str, Any] | None = None
    error_message: Text | None = None
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    merged_in_file: int = 0


async def lock_owned(conn: asyncpg.Connection, job: ClaimedImport) -> bool:
    """Lock the import row while this worker's attempt still owns it and it is live.

    The first statement of the transaction that stores a run's result: False (nothing may
    be stored) when another worker took the import over, or it was deleted or purged.
    """
    owned = await conn.fetchval(
        f"SELECT true FROM imports i WHERE {_owned('i')} AND {live('i', 'NULL')} FOR UPDATE",
        job.id,
        job.attempt,
    )
    return bool(owned)


async def store_outcome(conn: asyncpg.Connection, job: ClaimedImport, outcome: Outcome) -> None:
    """RUNNING -> terminal with counts, timings and the workbook (row locked by lock_owned)."""
    if outcome.workbook is not None:
        await conn.execute(
            """
            INSERT INTO failure_workbooks (import_id, tenant_id, content, language, rows)
            VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (import_id) DO UPDATE SET content = excluded.content,
                language = excluded.language, rows = excluded.rows, created_at = now()
            """,
            job.id,
            job.tenant_id,
            outcome.workbook,
            job.language,
            json.dumps(outcome.workbook_rows) if outcome.workbook_rows is not None else None,
        )
    status = await conn.execute(
        f"""
        UPDATE imports i SET state = $3, rows_processed = $4, imported_count = $5,
            failed_count = $6, mobiles_as_phone = $7, timings = $8, error_reason = $9,
            error_message = $10, created_count = $11, updated_count = $12,
            unchanged_count = $13, merged_count = $14, finished_at = now(),
            updated_at = now(), lease_until = NULL
        WHERE {_owned("i")}
        """,
        job.id,
        job.attempt,
        outcome.state.value,
        outcome.rows_processed,
        outcome.imported,
        outcome.failed,
        outcome.mobiles_as_phone,
        outcome.timings,
        outcome.error_reason,
        text_to_store(outcome.error_message),
        outcome.created,
        outcome.updated,
        outcome.unchanged,
        outcome.merged_in_file,
    )
    if status.endswith(" 1") and outcome.state.terminal:
        await event_outbox.add_finished(conn, job.id)  # same transaction: one event per end
    await notify(conn, job.id)


async def fail(conn: asyncpg.Connection, import_id: uuid.UUID, reason: str, message: Text) -> None:
    """End a queued or running import in FAILED with an error (nothing stored)."""
    async with conn.transaction():  # the import.finished event commits with the end
        status = await conn.execute(
            f"""
            UPDATE imports i SET state = $4, error_reason = $2, error_message = $3,
                finished_at = now(), updated_at = now(), lease_until = NULL
            WHERE i.id = $1 AND {may_move_to("i", ImportState.FAILED)}
            """,
            import_id,
            reason,
            text_to_store(message),
            ImportState.FAILED.value,
        )
        if status.endswith(" 1"):
            await event_outbox.add_finished(conn, import_id)
        await notify(conn, import_id)
