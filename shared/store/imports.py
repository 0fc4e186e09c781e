"""The imports table and its files: every read and write of an import's lifecycle.

The API uses the upload, start, history and deletion statements; the worker claims,
reports progress and finishes. Each state change is guarded by `lifecycle.may_move_to`
and every lookup by `lifecycle.in_history` / `lifecycle.live`, so the rules of
`shared.store.lifecycle` hold in every statement.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO, TypeAlias

import asyncpg

from shared.contacts import DuplicatePolicy
from shared.i18n.text import Text, tn
from shared.mapping.fields import Mapping, mapping_from_json, mapping_to_json
from shared.store import event_outbox
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
    i.existing_rows, i.language, i.encoding,
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
    error_message: Text | None
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
    existing_rows: int = 0
    language: str = "en"  # the language StartImport was called in (the workbook's)
    encoding: str = ""  # the text encoding the file was read in ("" for XLSX/XLS)

    @property
    def deletion_summary(self) -> Text | None:
        """The history's text for a deleted import ("12 deleted by Anna."); None otherwise.

        "12 deleted, 3 restored by Anna." when the deletion restored updated contacts.
        """
        if self.deleted_at is None:
            return None
        deleted = self.deleted_count or 0
        name = self.deleted_by or ""
        if not self.restored_count:
            # Translators: {count} contacts were deleted by the person {name}.
            return tn(
                "{count} deleted by {name}.", "{count} deleted by {name}.", deleted, name=name
            )
        # Translators: {count} contacts were deleted and {restored} ("3 restored", the
        # contacts whose earlier values came back) by the person {name}.
        return tn(
            "{count} deleted, {restored} by {name}.",
            "{count} deleted, {restored} by {name}.",
            deleted,
            restored=tn("{count} restored", "{count} restored", self.restored_count),
            name=name,
        )

    @classmethod
    def from_row(cls, row: asyncpg.Record) -> ImportRecord:
        values: dict[str, Any] = dict(row)
        values["state"] = ImportState(values["state"])
        values["duplicate_policy"] = DuplicatePolicy(values["duplicate_policy"])
        values["headers"] = list(values["headers"])
        raw_mapping = values["mapping"]
        values["mapping"] = mapping_from_json(raw_mapping) if raw_mapping is not None else None
        values["error_message"] = stored_text(values["error_message"])
        return cls(**values)


def text_to_store(text: Text | None) -> str | None:
    """A text for a text column (its JSON form, read back by `stored_text`)."""
    return json.dumps(text.to_json()) if text is not None else None


def stored_text(value: str | None) -> Text | None:
    """A text column's text: its JSON form, or (rows written before texts were) as written."""
    if value is None:
        return None
    try:
        data = json.loads(value)
    except ValueError:
        data = None
    return Text.from_json(data if isinstance(data, dict) else value)


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
    content: BinaryIO
    """The file as uploaded, read from its start a part at a time (never whole)."""
    file_size: int
    sha256: str
    uploaded_by: str
    uploaded_by_subject: str
    headers: list[str]
    preview_rows: list[tuple[int, list[str]]]
    suggested_mapping: Mapping
    unmapped_headers: list[str]
    left_out: list[dict[str, str]]
    rows_total: int
    existing_rows: int = 0
    encoding: str = ""
    """The text encoding the file was read in ("" for XLSX/XLS)."""
    request_id: str = ""
    """The caller's id for the upload ("" for none; unique per tenant, migration 0013)."""
    sheet: bytes | None = None
    """The sheet read from the file (`shared.spreadsheet.stored_sheet`), for the formats
    read whole (XLSX, XLS, vCard); None for a CSV."""


# An upload is stored in parts of this size (migration 0007).
FILE_PART_BYTES = 1 << 20


async def find_upload(
    conn: Connection, tenant_id: str, request_id: str, *, created_after: datetime
) -> uuid.UUID | None:
    """The import an earlier upload with this request_id stored (in the history), if any."""
    found: uuid.UUID | None = await conn.fetchval(
        "SELECT id FROM imports WHERE tenant_id = $1 AND upload_request_id = $2"
        " AND created_at > $3",
        tenant_id,
        request_id,
        created_after,
    )
    return found


async def insert_upload(pool: asyncpg.Pool, upload: NewUpload) -> None:
    """Store the import row, its file and the sheet read from it in one transaction."""
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute(
            """
            INSERT INTO imports (id, tenant_id, file_name, file_format, file_size, sha256,
                uploaded_by, uploaded_by_subject, headers, preview_rows, suggested_mapping,
                unmapped_headers, left_out, state, rows_total, existing_rows, encoding,
                upload_request_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
                $17, nullif($18, ''))
            """,
            upload.import_id,
            upload.tenant_id,
            upload.file_name,
            upload.file_format,
            upload.file_size,
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
            upload.existing_rows,
            upload.encoding,
            upload.request_id,
        )
        # Part by part: each statement reads and encodes one part, never the whole file.
        upload.content.seek(0)
        part = 0
        while content := upload.content.read(FILE_PART_BYTES):
            await conn.execute(
                "INSERT INTO import_files (import_id, tenant_id, part, content)"
                " VALUES ($1, $2, $3, $4)",
                upload.import_id,
                upload.tenant_id,
                part,
                content,
            )
            part += 1
        if upload.sheet is not None:
            await conn.execute(
                "INSERT INTO import_sheets (import_id, tenant_id, content) VALUES ($1, $2, $3)",
                upload.import_id,
                upload.tenant_id,
                upload.sheet,
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


@dataclass(frozen=True)
class StoredWorkbook:
    """A failure workbook as the worker wrote it, and its rows to write it again."""

    content: bytes
    language: str
    rows: dict[str, Any] | None  # {"headers": [...], "rows": [RejectedRow.to_json()...]}


async def fetch_failure_workbook(
    pool: asyncpg.Pool, tenant_id: str, import_id: uuid.UUID
) -> StoredWorkbook | None:
    row = await pool.fetchrow(
        "SELECT content, language, rows FROM failure_workbooks"
        " WHERE import_id = $1 AND tenant_id = $2",
        import_id,
        tenant_id,
    )
    if row is None:
        return None
    rows = json.loads(row["rows"]) if row["rows"] is not None else None
    return StoredWorkbook(bytes(row["content"]), row["language"], rows)


# ---- start (API)


@dataclass(frozen=True)
class StartChoice:
    """What StartImport chose: the mapping, the default country, dry run, the request id."""

    mapping: Mapping
    default_country: str
    dry_run: bool
    request_id: str
    duplicate_policy: DuplicatePolicy = DuplicatePolicy.SKIP
    language: str = "en"


async def mark_queued(
    conn: asyncpg.Connection, tenant_id: str, import_id: uuid.UUID, choice: StartChoice
) -> bool:
    """UPLOADED -> QUEUED, in the caller's transaction; False when the import cannot move."""
    done = await conn.fetchval(
        f"""
        UPDATE imports i SET state = $3, mapping = $4, default_country = $5, dry_run = $6,
            start_request_id = $7, duplicate_policy = $8, language = $9, queued_at = now(),
            updated_at = now()
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
        choice.language,
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
    """Record a deletion, in the transaction that deleted the contacts (row locked).

    The same transaction adds the import.deleted event (`store.event_outbox`).
    """
    status = await conn.execute(
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
    if status.endswith(" 1"):
        await event_outbox.add_deleted(
            conn, import_id, deletion.by_subject or deletion.by, deletion.by
        )
    await notify(conn, import_id)


async def ever_existed(pool: asyncpg.Pool, tenant_id: str, import_id: uuid.UUID) -> bool:
    """Whether the tenant ever had this import (purged ones too: their contacts stay)."""
    return bool(
        await pool.fetchval(
            "SELECT EXISTS (SELECT FROM imports WHERE id = $1 AND tenant_id = $2)",
            import_id,
            tenant_id,
        )
    )
