"""The store's SQL guards move an import exactly as the lifecycle table allows."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from shared.i18n.text import verbatim
from shared.store import imports as store
from shared.store import runs
from shared.store.imports import StartChoice
from shared.store.lifecycle import TRANSITIONS, ImportState
from tests.shared.store.stored_imports import MAPPING, import_in


async def _state(db, import_id: uuid.UUID) -> ImportState:
    return ImportState(await db.fetchval("SELECT state FROM imports WHERE id = $1", import_id))


async def _queue(db, tenant: str, import_id: uuid.UUID) -> None:
    async with db.acquire() as conn, conn.transaction():
        await store.mark_queued(conn, tenant, import_id, StartChoice(MAPPING, "NL", False, "r"))


async def _claim(db, tenant: str, import_id: uuid.UUID) -> None:
    async with db.acquire() as conn:
        await runs.claim(conn, import_id, timedelta(minutes=1))


async def _fail(db, tenant: str, import_id: uuid.UUID) -> None:
    async with db.acquire() as conn:
        await runs.fail(conn, import_id, "WORKER_ERROR", verbatim("test"))


MOVES = {ImportState.QUEUED: _queue, ImportState.RUNNING: _claim, ImportState.FAILED: _fail}
CASES = [
    pytest.param(source, target, id=f"{source.value}-to-{target.value}")
    for source in ImportState
    for target in MOVES
]


@pytest.mark.parametrize(("source", "target"), CASES)
async def test_a_store_write_moves_an_import_only_as_the_table_allows(db, tenant, source, target):
    # Given an import in state `source` (a RUNNING one with an expired lease)
    import_id = await import_in(db, tenant, source)

    # When the store's write for `target` runs
    await MOVES[target](db, tenant, import_id)

    # Then it moved exactly when the lifecycle table allows it
    allowed = target in TRANSITIONS[source]
    assert await _state(db, import_id) == (target if allowed else source)
    assert source.can_move_to(target) is allowed


@pytest.mark.parametrize(
    ("gone", "columns"),
    [
        pytest.param(
            "deleted",
            {"deleted_at": datetime.now(UTC), "deleted_by": "Anna", "deleted_count": 0},
            id="deleted",
        ),
        pytest.param("purged", {"purged_at": datetime.now(UTC)}, id="purged"),
    ],
)
@pytest.mark.parametrize("target", [ImportState.QUEUED, ImportState.RUNNING])
async def test_a_deleted_or_purged_import_is_never_queued_or_claimed(
    db, tenant, gone, columns, target
):
    # Given an import that could move to `target`, but is deleted or purged
    source = ImportState.UPLOADED if target is ImportState.QUEUED else ImportState.QUEUED
    import_id = await import_in(db, tenant, source, **columns)

    # When the store tries the move
    await MOVES[target](db, tenant, import_id)

    # Then it stays where it was
    assert await _state(db, import_id) == source


async def test_outside_the_history_window_an_import_is_absent(db, tenant):
    # Given an import created 21 days ago (retention has not run yet)
    import_id = await import_in(
        db, tenant, ImportState.SUCCEEDED, created_at=datetime.now(UTC) - timedelta(days=21)
    )

    # When it is read with a 20-day window, and without one
    window = datetime.now(UTC) - timedelta(days=20)
    inside = await store.fetch_import(db, tenant, import_id, created_after=window)
    anywhere = await store.fetch_import(db, tenant, import_id)

    # Then callers do not see it; another tenant never does
    assert inside is None
    assert anywhere is not None
    assert await store.fetch_import(db, "another-tenant", import_id) is None
    # (purged now, so the retention tests of this session never count it)
    await db.execute("UPDATE imports SET purged_at = now() WHERE id = $1", import_id)
