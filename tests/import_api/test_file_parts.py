"""A large upload is stored in 1 MiB parts and read back whole by the worker."""

from __future__ import annotations

import uuid

from shared.store.imports import FILE_PART_BYTES
from tests.support import csv_bytes, start, stored_contacts, upload, wait_finished


async def test_a_large_file_is_stored_in_parts_and_imported_whole(stub, auth, tenant, db, worker):
    # Given a CSV of about 2.6 MB: 30 contacts with long notes (accents and emoji)
    notes = [f"{i:02d} " + ("Zoë belt terug ☎️ 😀 " * 4_000)[:70_000] for i in range(30)]
    rows = [["First name", "Mobile", "Notes"]]
    rows += [[f"Anna {i}", f"06 1234 56{i:02d}", notes[i]] for i in range(30)]
    data = csv_bytes(rows)
    assert 2 * FILE_PART_BYTES < len(data) <= 3 * FILE_PART_BYTES

    # When it is uploaded and imported
    uploaded = await upload(stub, auth, data)
    import_id = uploaded.contact_import.import_id
    parts = await db.fetch(
        "SELECT part, length(content) AS size FROM import_files WHERE import_id = $1 ORDER BY part",
        uuid.UUID(import_id),
    )
    finished = await wait_finished(stub, auth, (await start(stub, auth, uploaded)).import_id)

    # Then it was stored as three parts of at most 1 MiB, and every note arrived whole
    assert [p["part"] for p in parts] == [0, 1, 2]
    assert sum(p["size"] for p in parts) == len(data)
    assert max(p["size"] for p in parts) == FILE_PART_BYTES
    assert finished.counts.imported == 30
    stored = await stored_contacts(db, tenant)
    assert sorted(c["notes"] for c in stored.values()) == [n.strip() for n in notes]
