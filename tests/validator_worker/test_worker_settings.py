"""A worker that reads a stored file reads it with its configured limits.

An XLSX upload is imported from the sheet the API read (shared/spreadsheet/stored_sheet.py);
the worker reads the file itself when no sheet is stored with it (an upload stored before
sheets were, or in another format version), and then its own limits apply.
"""

from __future__ import annotations

import uuid

import pytest

from services.validator_worker.context import WorkerContext
from services.validator_worker.pipeline import run_import
from shared.errors import Reason
from tests.support import queued_without_worker, xlsx_bytes

ROWS = [["First name", "Mobile"]] + [[f"P{i}", f"0612{i:06d}"] for i in range(50)]


@pytest.mark.parametrize(
    ("cap", "state", "reason"),
    [
        # The upload passed the API's cap, so a worker with that cap imports it...
        pytest.param(None, "SUCCEEDED", None, id="same-cap-imports"),
        # ...and a worker configured lower refuses it: the setting reaches the reader.
        pytest.param(2_000, "FAILED", Reason.MALFORMED_FILE.value, id="lower-cap-refuses"),
    ],
)
async def test_the_worker_reads_with_its_configured_inflated_size_cap(
    stub, auth, db, settings, cap, state, reason
):
    # Given an XLSX the API accepted, queued for a worker, with no sheet stored beside it
    import_id = await queued_without_worker(stub, auth, db, xlsx_bytes(ROWS), name="c.xlsx")
    await db.execute("DELETE FROM import_sheets WHERE import_id = $1", uuid.UUID(import_id))

    # When a worker with CONTACTIMPORT_MAX_INFLATED_BYTES = cap runs it
    worker_settings = settings.model_copy(
        update={"max_inflated_bytes": cap or settings.max_inflated_bytes}
    )
    ctx = WorkerContext(worker_settings)
    try:
        await run_import(ctx, import_id)
    finally:
        await ctx.close()

    # Then the import ends as that cap decides
    row = await db.fetchrow(
        "SELECT state, error_reason, imported_count FROM imports WHERE id = $1",
        uuid.UUID(import_id),
    )
    assert (row["state"], row["error_reason"]) == (state, reason)
    assert row["imported_count"] == (50 if state == "SUCCEEDED" else 0)
