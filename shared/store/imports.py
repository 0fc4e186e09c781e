"""The imports table and its files: every read and write of an import's lifecycle.

The API uses the upload, start, history and deletion statements; the worker claims,
reports progress and finishes. Each state change is guarded by `lifecycle.may_move_to`
and every lookup by `lifecycle.in_history` / `lifecycle.live`, so the rules of
`shared.store.lifecycle` hold in every statement.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeAlias

import asyncpg

from shared.contacts import DuplicatePolicy
from shared.mapping.fields import Mapping, mapping_from_json, mapping_to_json
from shared.store.lifecycle import ImportState, in_history, live, may_move_to
from shared.store.notify import notify

# A pool or one connection (inside a transaction): reads work on either.
Connection: TypeAlias = asyncpg.Connection | asyncpg.Pool

# The columns every read of an import selects (never the file or the workbook).
IMPORT_COLUMNS = """
    i.id, i.tenant_id, i.file_name, i.file_format, i.file_size, i.sha256, i.uploaded_by,
    i.headers, i.state, i.rows_total, i.rows_processed, i.imported_count, i.failed_count,
    i.mobiles_as_phone, i.mapping, i.default_country, i.dry_run, i.start_request_id,
    i.error_reason, i.error_message, i.timings, i.created_at, i.updated_at, i.finished_at,
    i.duplicate_policy, i.created_count, i.updated_count, i.unchanged_count, i.merged_count,
    i.deleted_at, i.deleted_by, i.deleted_count, i.restored_count, i.kept_count,
    EXISTS (SELECT 1 FROM failure_workbooks w WHERE w.import_id = i.id) AS has_failure_workbook
"""


@dataclass(frozen=True)
class ImportRecord:
    """One import row."""

    id: uuid.UUID
    tenant_id: str
    file_name: str
    file_format: str
    file_size: int
    sha256: str
    uploaded_by: str
    headers: list[str]
    state: ImportState
    rows_total: int
    rows_processed: int
    imported_count: int
    failed_count: int
    mobiles_as_phone: int
    mapping: Mapping | None
    default_country: str
    dry_run: bool
    start_request_id: str | None
    error_reason: str | None
    error_message: str | None
    timings: dict[str, float] | None
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None
    has_failure_workbook: bool
    duplicate_policy: DuplicatePolicy = DuplicatePolicy.SKIP
    created_count: int = 0
    updated_count: int = 0
    unchanged_count: int = 0
    merged_count: int = 0
    deleted_at: datetime | None = None
    deleted_by: str | None = None
    deleted_count: int | None = None
    restored_count: int | None = None
    kept_count: int | None = None

    @property
    def deletion_summary(self) -> str:
        """The history's text for a deleted import ("12 deleted by Anna."); "" otherwise.

        "12 deleted, 3 restored by Anna." when the deletion restored updated contacts.
        """
        if self.deleted_at is None:
            return ""
        restored = f", {self.restored_count} restored" if self.restored_count else ""
        return f"{self.deleted_count} deleted{restored} by {self.deleted_by}."

    @classmethod
    def from_row(cls, row: asyncpg.Record) -> ImportRecord:
        values: dict[str, Any] = dict(row)
        values["state"] = ImportState(values["state"])
        values["duplicate_policy"] = DuplicatePolicy(values["duplicate_policy"])
        values["headers"] = list(values["headers"])
        raw_mapping = values["mapping"]
        values["mapping"] = mapping_from_json(raw_mapping) if raw_mapping is not None else None
        return cls(**values)


async def fetch_import(
    conn: Connection,
    tenant_id: str,
    import_id: uuid.UUID,
    *,
    created_after: datetime | None = None,
    lock: bool = False,
) -> ImportRecord | None:
    """The tenant's import, or None (another tenant's import is as absent as a missing one).

    A purged import is absent too, and so is one created before `created_after` (the start
    of the history window): it has left the history even if retention has not run yet.
    `lock` takes the row lock (inside a transaction) that every state change waits on.
    """
    row = await conn.fetchrow(
        f"SELECT {IMPORT_COLUMNS} FROM imports i WHERE i.id = $1 AND i.tenant_id = $2"
        f" AND {in_history('i', '$3')}{' FOR UPDATE OF i' if lock else ''}",
        import_id,
        tenant_id,
        created_after,
    )
    return ImportRecord.from_row(row) if row is not None else None


# ---- upload and preview (API)


@dataclass(frozen=True)
class NewUpload:
    """A checked upload, stored as an UPLOADED import with its file."""

    import_id: uuid.UUID
    tenant_id: str
    file_name: str
    file_format: str
    content: bytes
    sha256: str
    uploaded_by: str
    uploaded_by_subject: str
    headers: list[str]
    preview_rows: list[tuple[int, list[str]]]
    suggested_mapping: Mapping
    unmapped_headers: list[str]
    left_out: list[dict[str, str]]
    rows_total: int


async def insert_upload(pool: asyncpg.Pool, upload: NewUpload) -> None:
    """Store the import row and its file in one transaction."""
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute(
            """
            INSERT INTO imports (id, tenant_id, file_name, file_format, file_size, sha256,
                uploaded_by, uploaded_by_subject, headers, preview_rows, suggested_mapping,
                unmapped_headers, left_out, state, rows_total)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
            """,
            upload.import_id,
            upload.tenant_id,
            upload.file_name,
            upload.file_format,
            len(upload.content),
            upload.sha256,
            upload.uploaded_by,
            upload.uploaded_by_subject,
            upload.headers,
            [[n, cells] for n, cells in upload.preview_rows],
            mapping_to_json(upload.suggested_mapping),
            upload.unmapped_headers,
            upload.left_out,
            ImportState.UPLOADED.value,
            upload.rows_total,
        )
        await conn.execute(
            "INSERT INTO import_files (import_id, tenant_id, content) VALUES ($1, $2, $3)",
            upload.import_id,
            upload.tenant_id,
            upload.content,
        )


@dataclass(frozen=True)
class StoredPreview:
    """What UploadFile stored for the preview: rows, the suggestion and why headers were left."""

    rows: list[tuple[int, list[str]]]
    suggested_mapping: Mapping
    unmapped_headers: list[str]
    left_out: list[dict[str, str]]


async def fetch_preview(
    conn: Connection, tenant_id: str, import_id: uuid.UUID, row_limit: int
) -> StoredPreview | None:
    row = await conn.fetchrow(
        "SELECT preview_rows, suggested_mapping, unmapped_headers, left_out FROM imports i"
        f" WHERE i.id = $1 AND i.tenant_id = $2 AND {in_history('i', 'NULL')}",
        import_id,
        tenant_id,
    )
    if row is None:
        return None
    return StoredPreview(
        [(int(n), list(cells)) for n, cells in row["preview_rows"][:row_limit]],
        mapping_from_json(row["suggested_mapping"]),
        list(row["unmapped_headers"]),
        list(row["left_out"]),
    )


async def fetch_failure_workbook(
    pool: asyncpg.Pool, tenant_id: str, import_id: uuid.UUID
) -> bytes | None:
    content = await pool.fetchval(
        "SELECT content FROM failure_workbooks WHERE import_id = $1 AND tenant_id = $2",
        import_id,
        tenant_id,
    )
    return bytes(content) if content is not None else None


# ---- start (API)


@dataclass(frozen=True)
class StartChoice:
    """What StartImport chose: the mapping, the default country, dry run, the request id."""

    mapping: Mapping
    default_country: str
    dry_run: bool
    request_id: str
    duplicate_policy: DuplicatePolicy = DuplicatePolicy.SKIP


async def mark_queued(
    conn: asyncpg.Connection, tenant_id: str, import_id: uuid.UUID, choice: StartChoice
) -> bool:
    """UPLOADED -> QUEUED, in the caller's transaction; False when the import cannot move."""
    done = await conn.fetchval(
        f"""
        UPDATE imports i SET state = $3, mapping = $4, default_country = $5, dry_run = $6,
            start_request_id = $7, duplicate_policy = $8, queued_at = now(), updated_at = now()
        WHERE i.id = $1 AND i.tenant_id = $2 AND {live("i", "NULL")}
            AND {may_move_to("i", ImportState.QUEUED)}
        RETURNING true
        """,
        import_id,
        tenant_id,
        ImportState.QUEUED.value,
        mapping_to_json(choice.mapping),
        choice.default_country,
        choice.dry_run,
        choice.request_id,
        choice.duplicate_policy.value,
    )
    return bool(done)


# ---- history and deletion (API)


async def history_page(
    pool: asyncpg.Pool,
    tenant_id: str,
    *,
    created_after: datetime,
    deleted_after: datetime,
    before: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[ImportRecord]:
    """The tenant's imports newest first (created_at DESC, id DESC), after a keyset position.

    A deleted import is listed while it was deleted after `deleted_after`.
    """
    keyset = "AND (i.created_at, i.id) < ($4, $5)" if before is not None else ""
    rows = await pool.fetch(
        f"""
        SELECT {IMPORT_COLUMNS} FROM imports i
        WHERE i.tenant_id = $1 AND {in_history("i", "$2")}
            AND (i.deleted_at IS NULL OR i.deleted_at >= $3) {keyset}
        ORDER BY i.created_at DESC, i.id DESC
        LIMIT {int(limit)}
        """,
        tenant_id,
        created_after,
        deleted_after,
        *(before or ()),
    )
    return [ImportRecord.from_row(r) for r in rows]


@dataclass(frozen=True)
class Deletion:
    """Who deleted an import's contacts, when, and how many."""

    at: datetime
    by: str
    by_subject: str
    count: int
    restored: int = 0
    kept: int = 0


async def mark_deleted(
    conn: asyncpg.Connection, tenant_id: str, import_id: uuid.UUID, deletion: Deletion
) -> None:
    """Record a deletion, in the transaction that deleted the contacts (row locked)."""
    await conn.execute(
        """
        UPDATE imports SET deleted_at = $3, deleted_by = $4, deleted_by_subject = $5,
            deleted_count = $6, restored_count = $7, kept_count = $8, updated_at = $3
        WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL
        """,
        import_id,
        tenant_id,
        deletion.at,
        deletion.by,
        deletion.by_subject,
        deletion.count,
        deletion.restored,
        deletion.kept,
    )
    await notify(conn, import_id)


# ---- the worker's run: claim, progress, finish


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


@dataclass(frozen=True)
class Claim:
    """The result of trying to claim: the import, or why not."""

    claimed: ClaimedImport | None
    state: ImportState | None  # the state found when not claimed (None: no such import)


async def claim(conn: asyncpg.Connection, import_id: uuid.UUID, lease: timedelta) -> Claim:
    """Move a QUEUED import (or a RUNNING one whose worker's lease ran out) to RUNNING.

    A deleted or purged import is never claimed: its message is dropped as done. The claim
    also removes the import's outbox row: from now on the lease, not the outbox, guards it.
    """
    async with conn.transaction():
        row = await conn.fetchrow(
            f"""
            UPDATE imports i SET state = $3, attempts = attempts + 1,
                lease_until = now() + $2, started_at = coalesce(started_at, now()),
                rows_processed = 0, updated_at = now()
            WHERE i.id = $1 AND {live("i", "NULL")} AND {may_move_to("i", ImportState.RUNNING)}
                AND (i.state <> $3 OR i.lease_until < now())
            RETURNING id, tenant_id, attempts, file_format, headers, mapping, default_country,
                dry_run, duplicate_policy
            """,
            import_id,
            lease,
            ImportState.RUNNING.value,
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
        ),
        ImportState.RUNNING,
    )


async def load_file(conn: asyncpg.Connection, job: ClaimedImport) -> bytes | None:
    """The claimed import's stored bytes; None when retention removed them meanwhile."""
    content = await conn.fetchval(
        "SELECT content FROM import_files WHERE import_id = $1 AND tenant_id = $2",
        job.id,
        job.tenant_id,
    )
    return bytes(content) if content is not None else None


def _owned(alias: str) -> str:
    # This worker's attempt is still the running one ($1 id, $2 attempt).
    return f"{alias}.id = $1 AND {alias}.attempts = $2 AND {alias}.state = 'RUNNING'"


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
    error_message: str | None = None
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
            INSERT INTO failure_workbooks (import_id, tenant_id, content) VALUES ($1, $2, $3)
            ON CONFLICT (import_id) DO UPDATE SET content = excluded.content, created_at = now()
            """,
            job.id,
            job.tenant_id,
            outcome.workbook,
        )
    await conn.execute(
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
        outcome.error_message,
        outcome.created,
        outcome.updated,
        outcome.unchanged,
        outcome.merged_in_file,
    )
    await notify(conn, job.id)


async def fail(conn: asyncpg.Connection, import_id: uuid.UUID, reason: str, message: str) -> None:
    """End a queued or running import in FAILED with an error (nothing stored)."""
    await conn.execute(
        f"""
        UPDATE imports i SET state = $4, error_reason = $2, error_message = $3,
            finished_at = now(), updated_at = now(), lease_until = NULL
        WHERE i.id = $1 AND {may_move_to("i", ImportState.FAILED)}
        """,
        import_id,
        reason,
        message,
        ImportState.FAILED.value,
    )
    await notify(conn, import_id)


# ---- retention (worker)

# pg_try_advisory_xact_lock key: one purging worker at a time ("purg").
RETENTION_LOCK_KEY = 0x70757267


async def purge_before(
    conn: asyncpg.Connection, cutoff: datetime, now: datetime, limit: int
) -> int | None:
    """Purge up to `limit` imports created before `cutoff`, in the caller's transaction.

    None when another worker holds the retention lock. Rows that a running DeleteImport
    has locked are skipped and purged on the next run.
    """
    if not await conn.fetchval("SELECT pg_try_advisory_xact_lock($1)", RETENTION_LOCK_KEY):
        return None
    rows = await conn.fetch(
        """
        SELECT id FROM imports WHERE created_at < $1 AND purged_at IS NULL
        ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED
        """,
        cutoff,
        limit,
    )
    ids = [r["id"] for r in rows]
    if ids:
        await conn.execute("DELETE FROM import_files WHERE import_id = ANY($1)", ids)
        await conn.execute("DELETE FROM failure_workbooks WHERE import_id = ANY($1)", ids)
        # A purged import is never claimed, so its outbox row would be republished forever.
        await conn.execute("DELETE FROM import_outbox WHERE import_id = ANY($1)", ids)
        await conn.execute("UPDATE imports SET purged_at = $2 WHERE id = ANY($1)", ids, now)
    return len(ids)


async def ever_existed(pool: asyncpg.Pool, tenant_id: str, import_id: uuid.UUID) -> bool:
    """Whether the tenant ever had this import (purged ones too: their contacts stay)."""
    return bool(
        await pool.fetchval(
            "SELECT EXISTS (SELECT FROM imports WHERE id = $1 AND tenant_id = $2)",
            import_id,
            tenant_id,
        )
    )
