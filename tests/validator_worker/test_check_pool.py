"""One import's rows checked by several processes give exactly what one process gives."""

from __future__ import annotations

import os
import pickle
import random
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import psutil  # type: ignore[import-untyped]
import pytest

from services.validator_worker.check_pool import CheckJob, CheckPool, own_buffers
from services.validator_worker.context import WorkerContext
from services.validator_worker.pipeline import BATCH_ROWS, run_import
from services.validator_worker.rows.row_checker import BatchOutcome
from shared.mapping.matcher import suggest_mapping
from shared.spreadsheet.reader import read_sheet
from tests.support import (
    csv_bytes,
    failure_reasons,
    queued_without_worker,
    stored_contacts,
    xlsx_bytes,
)

HEADERS = ["First name", "Last name", "E-mail", "Phone", "Mobile", "Notes"]
ROWS = 2 * BATCH_ROWS + 537  # three batches, the last one short


def _rows(count: int, seed: int = 7) -> list[list[str]]:
    """Contacts with a problem in about every seventh row, spread over every batch."""
    rng = random.Random(seed)
    rows = [HEADERS]
    for i in range(count):
        phone = f"0{rng.choice(['20', '30', '10'])} {rng.randrange(1_000_000, 9_999_999)}"
        row = [
            f"Anna{i}",
            rng.choice(["de Vries", "Smit", ""]),
            f"anna{i}@example.nl",
            phone,
            f"06{rng.randrange(10_000_000, 99_999_999)}",
            rng.choice(["", "klant"]),
        ]
        problem = rng.randrange(7)
        if problem == 0:
            row[3] = "12345"  # PHONE_INVALID
        elif problem == 1:
            row[2] = "anna at example"  # EMAIL_INVALID
        elif problem == 2 and i % 3 == 0:
            row[0] = row[1] = ""  # NAME_MISSING
        rows.append(row)
    return rows


async def _check_all(pool: CheckPool, data: bytes) -> list[BatchOutcome]:
    sheet = read_sheet(data)
    job = CheckJob(suggest_mapping(sheet.headers).mapping, tuple(sheet.headers), "NL")
    batches = sheet.table.to_batches(max_chunksize=BATCH_ROWS)
    numbers = sheet.row_numbers.to_pylist()
    spans, start = [], 0
    for batch in batches:
        spans.append(numbers[start : start + batch.num_rows])
        start += batch.num_rows
    outcomes: list[BatchOutcome] = []

    async def keep(outcome: BatchOutcome, rows: int) -> None:
        outcomes.append(outcome)

    await pool.check(job, batches, spans, keep)
    return outcomes


@pytest.fixture
def two_processes():
    pool = CheckPool(2, "phonenumbers")
    pool.start()
    yield pool
    pool.close()


async def test_two_processes_give_what_one_process_gives_in_file_order(two_processes):
    # Given a three-batch file with rejected rows in every batch
    data = csv_bytes(_rows(ROWS))

    # When it is checked by one process and by two
    alone = await _check_all(CheckPool(1, "phonenumbers"), data)
    spread = await _check_all(two_processes, data)

    # Then the outcomes are identical, batch by batch, and rows stay in file order
    assert spread == alone
    assert len(alone) == 3
    rejected = [r.source_row for o in spread for r in o.rejected]
    assert rejected == sorted(rejected)
    assert len(rejected) > 3 * 50
    assert {r.problems[0].reason.value for o in spread for r in o.rejected} == {
        "PHONE_INVALID",
        "EMAIL_INVALID",
        "NAME_MISSING",
    }


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(csv_bytes(_rows(ROWS)), id="csv"),
        pytest.param(xlsx_bytes(_rows(ROWS)), id="xlsx"),
    ],
)
def test_a_batch_goes_to_a_check_process_with_its_own_rows_only(data: bytes):
    # Given the batches of a three-batch file: slices of the sheet's columns
    batches = read_sheet(data).table.to_batches(max_chunksize=BATCH_ROWS)
    whole = sum(len(pickle.dumps(b)) for b in batches)

    # When each is made ready to be sent
    sent = [own_buffers(b) for b in batches]

    # Then each holds the same rows, and all of them together about one copy of the cells
    assert sent == batches
    cells = sum(b.nbytes for b in sent)
    assert sum(len(pickle.dumps(b)) for b in sent) < 1.2 * cells < whole


async def test_a_killed_check_process_is_replaced_for_the_next_import(two_processes):
    # Given a pool one of whose processes was killed while idle
    data = csv_bytes(_rows(ROWS, seed=8))
    expected = await _check_all(CheckPool(1, "phonenumbers"), data)
    children = psutil.Process(os.getpid()).children()
    victim = next(c for c in children if "spawn_main" in " ".join(c.cmdline()))
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=10)

    # When the next file is checked
    outcomes = await _check_all(two_processes, data)

    # Then a new pool checked it, with the same outcome
    assert outcomes == expected


async def test_an_import_checked_in_two_processes_stores_what_one_process_stores(
    stub, auth, tenant, db, settings
):
    # Given the same three-batch file queued twice
    data = csv_bytes(_rows(ROWS, seed=9))
    results = {}
    for processes in (1, 2):
        import_id = await queued_without_worker(stub, auth, db, data)
        # When a worker with that many check processes runs it
        ctx = WorkerContext(settings.model_copy(update={"check_processes": processes}))
        try:
            await run_import(ctx, import_id)
        finally:
            await ctx.close()
            ctx.check_pool.close()
        contacts = {
            row: {k: v for k, v in c.items() if k not in {"id", "import_id", "created_at"}}
            for row, c in (await stored_contacts(db, tenant)).items()
            if c["import_id"] == uuid.UUID(import_id)
        }
        results[processes] = (contacts, await failure_reasons(stub, auth, import_id))
        # (the second import would only find the first's contacts: start afresh)
        await db.execute("DELETE FROM contacts WHERE tenant_id = $1", tenant)

    # Then both stored the same contacts and wrote the same workbook, rows in file order
    assert results[2] == results[1]
    contacts, reasons = results[2]
    assert len(contacts) + len(reasons) == ROWS
    assert list(reasons) == sorted(reasons)


POOL_OWNER = """
import time
from services.validator_worker.check_pool import CheckPool

if __name__ == "__main__":
    pool = CheckPool(2, "phonenumbers")
    pool.start()
    print("ready", flush=True)
    time.sleep(120)
"""


def test_check_processes_exit_when_their_worker_is_killed(tmp_path):
    # Given a process that owns a pool of two check processes
    script = tmp_path / "owner.py"
    script.write_text(POOL_OWNER)
    root = Path(__file__).resolve().parents[2]
    owner = subprocess.Popen(
        [sys.executable, str(script)],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert owner.stdout is not None
        assert owner.stdout.readline().strip() == "ready"
        children = [
            c for c in psutil.Process(owner.pid).children() if "spawn_main" in " ".join(c.cmdline())
        ]
        assert len(children) == 2

        # When it is killed outright (as the OOM killer would)
        owner.send_signal(signal.SIGKILL)
        owner.wait(timeout=10)

        # Then its check processes exit too instead of living on as orphans
        _, alive = psutil.wait_procs(children, timeout=10)
        assert alive == []
    finally:
        if owner.poll() is None:
            owner.kill()
            owner.wait(timeout=10)
        if owner.stdout is not None:
            owner.stdout.close()
