"""Chaos: a burst of imports while worker processes are killed (SIGKILL) or stopped (SIGTERM)
at random and replaced, and the API is restarted once. Every import ends terminal with each
of its rows stored exactly once. Bounded in time and count; loopback only.

The random choices come from one seed, printed on failure (`CHAOS_SEED=... make test` runs
the same choices again).
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess

from grpc import aio

from services.import_api.server import ApiServer, start_server
from shared.gen.contactimport.v1 import import_service_pb2 as pb
from shared.gen.contactimport.v1 import import_service_pb2_grpc as pb_grpc
from shared.spreadsheet.sheet import MAX_DATA_ROWS
from shared.store.lifecycle import TERMINAL_STATES
from tests.support import csv_bytes, start, upload, wait_finished
from tests.worker_processes import (
    delete_queues,
    kill_worker,
    start_worker,
    stop_worker,
    wait_for_consumers,
    worker_env,
)

IMPORTS = 14
ROWS = MAX_DATA_ROWS  # runs as long as a file allows, so every disruption finds one running
WORKERS = 2
DISRUPTIONS = 5  # workers running one of the imports, killed or stopped and replaced at once
FINISHED_WITHIN_SECONDS = 180.0
POLL_SECONDS = 0.05


def _file(n: int) -> bytes:
    return csv_bytes(
        [["First name", "Last name", "Mobile"]]
        + [[f"P{n}x{i}", f"Chaos{n}", f"06{20_000_000 + n * 10_000 + i}"] for i in range(ROWS)]
    )


class Fleet:
    """The worker processes of one queue; a disrupted one is replaced at once."""

    def __init__(self, env: dict[str, str]) -> None:
        self._env = env
        self.alive: list[subprocess.Popen[bytes]] = []
        self.gone: list[subprocess.Popen[bytes]] = []

    def grow(self, count: int) -> None:
        self.alive += [start_worker(self._env) for _ in range(count)]

    def running(self, owner: str) -> subprocess.Popen[bytes] | None:
        """The live worker whose process holds a lease ("host:pid:tag"), if it is one of ours."""
        try:
            group = os.getpgid(int(owner.split(":")[1]))
        except (ProcessLookupError, IndexError, ValueError):
            return None
        return next((w for w in self.alive if w.pid == group), None)

    def disrupt(self, victim: subprocess.Popen[bytes], how: signal.Signals) -> None:
        self.alive.remove(victim)
        if how is signal.SIGKILL:
            kill_worker(victim)  # the main process, its worker and its check process
        else:
            victim.send_signal(signal.SIGTERM)  # finishes or hands back its import
        self.gone.append(victim)
        self.grow(1)

    def stop(self) -> None:
        for worker in self.alive + self.gone:
            stop_worker(worker)


async def _disrupt(
    fleet: Fleet, db, ids: list[str], rng: random.Random, log: list[tuple[str, str]]
) -> None:
    """Each time one of the imports runs on a live worker: wait a random moment, disrupt it."""
    while len(log) < DISRUPTIONS:
        rows = await db.fetch(
            "SELECT id::text, state, lease_owner FROM imports WHERE id = ANY($1::uuid[])", ids
        )
        if len(rows) == IMPORTS and all(r["state"] in TERMINAL_STATES for r in rows):
            return  # the burst is over
        targets = [
            (r["id"], worker)
            for r in rows
            if r["state"] == "RUNNING" and (worker := fleet.running(r["lease_owner"] or ""))
        ]
        if not targets:
            await asyncio.sleep(POLL_SECONDS)  # watching the imports' state
            continue
        import_id, victim = rng.choice(targets)
        await asyncio.sleep(rng.uniform(0, 0.2))  # somewhere in its run: the test's input
        how = rng.choice([signal.SIGKILL, signal.SIGTERM])
        await asyncio.to_thread(fleet.disrupt, victim, how)
        state = await db.fetchval("SELECT state FROM imports WHERE id = $1::uuid", import_id)
        log.append((import_id, f"{how.name} {'mid-run' if state == 'RUNNING' else 'after'}"))


async def test_a_burst_survives_killed_workers_and_an_api_restart(settings, token_for, db):
    seed = int(os.environ.get("CHAOS_SEED", random.randrange(1 << 32)))
    rng = random.Random(seed)
    queue = f"{settings.queue}-chaos"
    chaotic = settings.model_copy(update={"queue": queue})
    fleet = Fleet(
        worker_env(
            settings,
            queue,
            # A killed worker's import is taken over soon, a stopped one hands it back soon.
            CONTACTIMPORT_WORKER_LEASE_SECONDS="5",
            CONTACTIMPORT_WORKER_SHUTDOWN_SECONDS="1",
        )
    )
    tenants = [f"chaos-{seed:x}-{n}" for n in range(IMPORTS)]
    auths = [(("authorization", f"Bearer {token_for(t)}"),) for t in tenants]
    disruptions: list[tuple[str, str]] = []
    api: ApiServer | None = None
    ids: list[str] = []
    try:
        api = await start_server(chaotic, listen="127.0.0.1:0")
        port = api.port
        fleet.grow(WORKERS)
        await asyncio.to_thread(wait_for_consumers, settings.broker_url, queue, WORKERS)
        chaos = asyncio.create_task(_disrupt(fleet, db, ids, rng, disruptions))

        # The burst: half the imports through the first API, half through its restart
        for n in range(IMPORTS):
            if n == IMPORTS // 2:
                await api.stop(1)
                api = await start_server(chaotic, listen=f"127.0.0.1:{port}")
            async with aio.insecure_channel(f"127.0.0.1:{port}") as channel:
                stub = pb_grpc.ImportServiceStub(channel)
                started = await start(stub, auths[n], await upload(stub, auths[n], _file(n)))
                ids.append(started.import_id)
        await asyncio.wait_for(chaos, FINISHED_WITHIN_SECONDS)

        async with aio.insecure_channel(f"127.0.0.1:{port}") as channel:
            stub = pb_grpc.ImportServiceStub(channel)
            finished = await asyncio.wait_for(
                asyncio.gather(
                    *(
                        wait_finished(stub, a, i, FINISHED_WITHIN_SECONDS)
                        for a, i in zip(auths, ids, strict=True)
                    )
                ),
                FINISHED_WITHIN_SECONDS,
            )
    finally:
        if api is not None:
            await api.stop(0)
        await asyncio.to_thread(fleet.stop)
        delete_queues(settings.broker_url, queue)

    attempts = dict(
        await db.fetch("SELECT id::text, attempts FROM imports WHERE id = ANY($1::uuid[])", ids)
    )
    seen = f"seed {seed}, disruptions {disruptions}, attempts {attempts}"
    for n, done in enumerate(finished):
        assert done.state == pb.ContactImport.STATE_SUCCEEDED, f"import {n}: {done.error}; {seen}"
        assert done.counts.imported == ROWS, f"import {n}; {seen}"
        stored, people = await db.fetchrow(
            "SELECT count(*), count(DISTINCT first_name) FROM contacts WHERE tenant_id = $1",
            tenants[n],
        )
        assert (stored, people) == (ROWS, ROWS), f"import {n}; {seen}"
    # Each disruption hit a worker running an import; one killed mid-run ran again
    assert len(disruptions) == DISRUPTIONS, seen
    for import_id, how in disruptions:
        if how == "SIGKILL mid-run":
            assert attempts[import_id] >= 2, seen
    print(f"chaos: {seen}")
