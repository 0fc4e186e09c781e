"""The remembered_mappings table: a tenant's chosen mapping per header signature."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg


@dataclass(frozen=True)
class RememberedMapping:
    """A stored choice: the mapping JSON (headers folded), and the file it was chosen for."""

    mapping: Any
    file_name: str
    updated_at: datetime


async def save(
    conn: asyncpg.Connection,
    *,
    tenant_id: str,
    signature: str,
    mapping: Any,
    import_id: uuid.UUID,
    file_name: str,
) -> None:
    """Store or replace the tenant's mapping for this signature."""
    await conn.execute(
        """
        INSERT INTO remembered_mappings
            (tenant_id, signature, mapping, source_import_id, file_name, updated_at)
        VALUES ($1, $2, $3, $4, $5, now())
        ON CONFLICT (tenant_id, signature) DO UPDATE SET mapping = EXCLUDED.mapping,
            source_import_id = EXCLUDED.source_import_id, file_name = EXCLUDED.file_name,
            updated_at = EXCLUDED.updated_at
        """,
        tenant_id,
        signature,
        mapping,
        import_id,
        file_name,
    )


async def find(
    conn: asyncpg.Connection | asyncpg.Pool, *, tenant_id: str, signature: str
) -> RememberedMapping | None:
    row = await conn.fetchrow(
        "SELECT mapping, file_name, updated_at FROM remembered_mappings"
        " WHERE tenant_id = $1 AND signature = $2",
        tenant_id,
        signature,
    )
    if row is None:
        return None
    return RememberedMapping(row["mapping"], row["file_name"], row["updated_at"])
