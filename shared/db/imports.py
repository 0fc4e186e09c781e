"""The import resource as stored, and the reads both the API and the worker need."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import asyncpg

from shared.contact_fields import Mapping, mapping_from_json


class ImportState(StrEnum):
    """The lifecycle of an import (the proto's ContactImport.State without prefix)."""

    UPLOADED = "UPLOADED"
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    PARTIALLY_SUCCEEDED = "PARTIALLY_SUCCEEDED"
    FAILED = "FAILED"

    @property
    def terminal(self) -> bool:
        return self in TERMINAL_STATES


TERMINAL_STATES = frozenset(
    {ImportState.SUCCEEDED, ImportState.PARTIALLY_SUCCEEDED, ImportState.FAILED}
)

# The columns every read of an import selects (never the file or the workbook).
IMPORT_COLUMNS = """
    i.id, i.tenant_id, i.file_name, i.file_format, i.file_size, i.sha256, i.uploaded_by,
    i.headers, i.state, i.rows_total, i.rows_processed, i.imported_count, i.failed_count,
    i.mobiles_as_phone, i.mapping, i.default_country, i.dry_run, i.start_request_id,
    i.error_reason, i.error_message, i.timings, i.created_at, i.updated_at, i.finished_at,
    i.deleted_at, i.deleted_by, i.deleted_count,
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
    deleted_at: datetime | None = None
    deleted_by: str | None = None
    deleted_count: int | None = None

    @property
    def deletion_summary(self) -> str:
        """The history's text for a deleted import ("12 deleted by Anna."); "" otherwise."""
        if self.deleted_at is None:
            return ""
        return f"{self.deleted_count} deleted by {self.deleted_by}."

    @classmethod
    def from_row(cls, row: asyncpg.Record) -> ImportRecord:
        values: dict[str, Any] = dict(row)
        values["state"] = ImportState(values["state"])
        values["headers"] = list(values["headers"])
        raw_mapping = values["mapping"]
        values["mapping"] = mapping_from_json(raw_mapping) if raw_mapping is not None else None
        return cls(**values)


async def fetch_import(
    conn: asyncpg.Connection | asyncpg.Pool,
    tenant_id: str,
    import_id: uuid.UUID,
    *,
    created_after: datetime | None = None,
) -> ImportRecord | None:
    """The tenant's import, or None (another tenant's import is as absent as a missing one).

    A purged import is absent too, and so is one created before `created_after` (the start
    of the history window): it has left the history even if retention has not run yet.
    """
    row = await conn.fetchrow(
        f"SELECT {IMPORT_COLUMNS} FROM imports i WHERE i.id = $1 AND i.tenant_id = $2"
        " AND i.purged_at IS NULL AND ($3::timestamptz IS NULL OR i.created_at >= $3)",
        import_id,
        tenant_id,
        created_after,
    )
    return ImportRecord.from_row(row) if row is not None else None
