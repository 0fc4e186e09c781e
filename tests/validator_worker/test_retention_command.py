"""`python -m services.validator_worker.retention`: one purge, then exit (the CronJob's command).

And CONTACTIMPORT_WORKER_RETENTION=false keeps the worker's own retention timer off.
"""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from dramatiq.asyncio import get_event_loop_thread

from services.validator_worker.context import WorkerContext
from services.validator_worker.retention import RetentionTimer
from tests.support import csv_bytes, upload

ROOT = Path(__file__).resolve().parents[2]
FILE = csv_bytes([["First name", "Phone"], ["Jan", "0201234567"]])
# The command connects, purges and exits in about a second; this bounds a hang.
COMMAND_TIMEOUT = 60.0


async def _run_retention(env: dict[str, str]) -> tuple[int, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("CONTACTIMPORT_")}
    base.pop("DATABASE_URL", None)
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "services.validator_worker.retention",
        cwd=ROOT,
        env={**base, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        out, _ = await asyncio.wait_for(proc.communicate(), COMMAND_TIMEOUT)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise
    assert proc.returncode is not None
    return proc.returncode, out.decode()


async def _age(db, import_id: uuid.UUID, age: timedelta) -> None:
    await db.execute(
        "UPDATE imports SET created_at = created_at - $2::interval WHERE id = $1", import_id, age
    )


async def test_the_command_purges_an_expired_import_and_exits_0(stub, auth, db, settings):
    # Given an import 30 days old and one 2 days old (history: 20 days)
    old = uuid.UUID((await upload(stub, auth, FILE)).contact_import.import_id)
    recent = uuid.UUID((await upload(stub, auth, FILE)).contact_import.import_id)
    await _age(db, old, timedelta(days=30))
    await _age(db, recent, timedelta(days=2))

    # When the retention command runs once
    code, output = await _run_retention(
        {"DATABASE_URL": settings.database_url, "CONTACTIMPORT_HISTORY_DAYS": "20"}
    )

    # Then it exited 0 having purged the old import's file, and left the recent one alone
    assert code == 0, output
    assert "purged" in output
    rows = {
        r["id"]: r
        for r in await db.fetch(
            """
            SELECT id, purged_at IS NOT NULL AS purged,
                (SELECT count(*) FROM import_files f WHERE f.import_id = i.id) AS files
            FROM imports i WHERE id = ANY($1::uuid[])
            """,
            [old, recent],
        )
    }
    assert (rows[old]["purged"], rows[old]["files"]) == (True, 0)
    assert (rows[recent]["purged"], rows[recent]["files"]) == (False, 1)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        pytest.param(
            {
                # Nothing listens on port 1: connection refused at once.
                "DATABASE_URL": "postgresql://postgres@127.0.0.1:1/none",
                "CONTACTIMPORT_DB_CONNECT_TIMEOUT_SECONDS": "1",
            },
            1,
            id="database-unreachable",
        ),
        pytest.param({}, 2, id="no-database-url"),
    ],
)
async def test_the_command_fails_visibly_without_a_database(env, expected):
    code, output = await _run_retention(env)
    assert code == expected, output


@pytest.mark.usefixtures("worker")
@pytest.mark.parametrize(
    ("worker_retention", "timer_runs"),
    [
        pytest.param(True, True, id="on-by-default"),
        pytest.param(False, False, id="off-for-the-cronjob"),
    ],
)
async def test_worker_retention_setting_turns_the_timer_on_or_off(
    settings, worker_retention, timer_runs
):
    # Given a worker context whose event loop runs (the session worker's), with the setting
    loop_thread = get_event_loop_thread()
    assert loop_thread is not None
    ctx = WorkerContext(settings.model_copy(update={"worker_retention": worker_retention}))
    timer = RetentionTimer(ctx)

    # When the worker boots
    timer.after_worker_boot(None, None)  # type: ignore[arg-type]
    try:
        # Then the retention task was started only when the setting is on
        assert (timer._task is not None) == timer_runs
    finally:
        timer.before_worker_shutdown(None, None)  # type: ignore[arg-type]
        await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(ctx.close(), loop_thread.loop))
