"""Versioned schema migrations: every `NNNN_name.sql` in migrations/ applied once, in order."""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path

import asyncpg

MIGRATIONS = Path(__file__).with_name("migrations")
# Serialises concurrent migrators (several API replicas starting at once).
_LOCK_KEY = 0x636F6E74  # "cont"

log = logging.getLogger(__name__)


def migration_files() -> list[Path]:
    return sorted(MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.sql"))


async def apply_migrations(dsn: str) -> list[str]:
    """Apply the migrations the database lacks; return the versions applied now."""
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("SELECT pg_advisory_lock($1)", _LOCK_KEY)
        try:
            await conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
            )
            done = {r["version"] for r in await conn.fetch("SELECT version FROM schema_migrations")}
            applied = []
            for path in migration_files():
                version = path.stem
                if version in done:
                    continue
                async with conn.transaction():
                    await conn.execute(path.read_text())
                    await conn.execute(
                        "INSERT INTO schema_migrations (version) VALUES ($1)", version
                    )
                log.info("applied migration %s", version)
                applied.append(version)
            return applied
        finally:
            await conn.execute("SELECT pg_advisory_unlock($1)", _LOCK_KEY)
    finally:
        await conn.close()


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s %(message)s")
    dsn = os.environ.get("DATABASE_URL", "")
    if not dsn:
        print("DATABASE_URL is not set (`make migrate` starts the embedded PostgreSQL for you).")
        return 2
    applied = asyncio.run(apply_migrations(dsn))
    print(f"schema up to date ({len(applied)} migration(s) applied now)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
