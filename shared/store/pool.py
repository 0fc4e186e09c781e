"""The asyncpg pool: JSON columns decoded to Python values on every connection."""

from __future__ import annotations

import json

import asyncpg

from shared.settings import Settings


async def _init_connection(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


async def create_pool(settings: Settings, *, max_size: int | None = None) -> asyncpg.Pool:
    """A pool on DATABASE_URL; jsonb columns read and write Python values."""
    pool = await asyncpg.create_pool(
        settings.database_url,
        min_size=settings.db_pool_min,
        max_size=max_size or settings.db_pool_max,
        init=_init_connection,
        command_timeout=60,
    )
    assert pool is not None
    return pool
