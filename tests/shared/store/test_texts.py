"""Texts the store keeps in a text column: an import's error, read back as the same text."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from shared.i18n.catalogues import render
from shared.i18n.text import t, tn
from shared.store import imports as store
from shared.store import runs
from shared.store.imports import ImportRecord
from shared.store.lifecycle import ImportState
from tests.shared.store.stored_imports import import_in


async def test_a_failed_imports_error_is_read_back_as_the_text_it_was(db, tenant):
    # Given a queued import failed with a text that has parameters, a nested text and a count
    import_id = await import_in(db, tenant, ImportState.QUEUED)
    text = t(
        "Column {column}: {problem}",
        column="Tel {x}",
        problem=tn("{count} row", "{count} rows", 1200),
    )
    async with db.acquire() as conn:
        await runs.fail(conn, import_id, "WORKER_ERROR", text)

    # When the import is read
    record = await store.fetch_import(db, tenant, import_id)

    # Then its error is the same text, rendered again in any language
    assert record is not None
    assert record.error_message == text
    assert str(record.error_message) == "Column Tel {x}: 1,200 rows"
    assert render(record.error_message, "nl") == render(text, "nl")


async def test_an_error_stored_before_texts_is_shown_as_written(db, tenant):
    # Given an import whose error message was stored as plain text (braces and all)
    import_id = await import_in(db, tenant, ImportState.QUEUED)
    for written in ("The import failed {badly}.", '"quoted"', "12"):
        await db.execute(
            "UPDATE imports SET error_reason = 'WORKER_ERROR', error_message = $2 WHERE id = $1",
            import_id,
            written,
        )

        # When it is read
        record = await store.fetch_import(db, tenant, import_id)

        # Then it reads as it was written
        assert record is not None
        assert record.error_message is not None
        assert str(record.error_message) == written
        assert render(record.error_message, "fr") == written


def _deleted(record: ImportRecord, deleted: int, restored: int) -> ImportRecord:
    return replace(
        record,
        deleted_at=datetime.now(UTC),
        deleted_by="Anna {Admin}",
        deleted_count=deleted,
        restored_count=restored,
    )


async def test_a_deletion_summary_counts_in_english(db, tenant):
    # Given an import as read, then deleted with and without restored contacts
    import_id = await import_in(db, tenant, ImportState.QUEUED)
    record = await store.fetch_import(db, tenant, import_id)
    assert record is not None
    assert record.deletion_summary is None

    # Then the summary reads as the history shows it
    assert str(_deleted(record, 1, 0).deletion_summary) == "1 deleted by Anna {Admin}."
    assert str(_deleted(record, 1200, 0).deletion_summary) == "1,200 deleted by Anna {Admin}."
    assert (
        str(_deleted(record, 12, 1).deletion_summary) == "12 deleted, 1 restored by Anna {Admin}."
    )
