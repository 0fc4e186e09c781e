"""What one worker process shares between jobs: settings, asyncpg pool, row check processes."""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from dataclasses import dataclass, field

import asyncpg

from services.validator_worker.check_pool import CheckPool
from shared.settings import Settings
from shared.store.pool import close_pool, create_pool

# A worker process runs one import at a time: one connection holds the run's transaction,
# one reports its progress meanwhile, one is retention's.
WORKER_POOL_SIZE = 3


@dataclass
class WorkerContext:
    """The process context: settings, a pool made on the actors' event loop, check processes."""

    settings: Settings
    check_pool: CheckPool = field(init=False, repr=False)
    _pool: asyncpg.Pool | None = field(default=None, repr=False)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)
    # This process's name on the leases it holds (runs.claim): unique per process start.
    owner: str = field(
        default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    )
    # Claims given up in the background after a failure (kept so they are not collected).
    background: set[asyncio.Task[None]] = field(default_factory=set, repr=False)
    # The imports running now (at most one), and whether the process is shutting down
    # (services.validator_worker.shutdown).
    running: set[asyncio.Task[object]] = field(default_factory=set, repr=False)
    stopping: bool = False

    def __post_init__(self) -> None:
        self.check_pool = CheckPool(self.settings.check_processes, self.settings.phone_library)

    async def pool(self) -> asyncpg.Pool:
        # Created on the event loop that runs the actors (Dramatiq's AsyncIO thread).
        async with self._lock:
            if self._pool is None:
                self._pool = await create_pool(
                    self.settings,
                    max_size=WORKER_POOL_SIZE,
                    statement_timeout=self.settings.worker_db_statement_timeout_seconds,
                )
            return self._pool

    def in_background(self, work: asyncio.Task[None]) -> None:
        self.background.add(work)
        work.add_done_callback(self.background.discard)

    async def close(self) -> None:
        for work in list(self.background):
            work.cancel()
        if self._pool is not None:
            await close_pool(self._pool)
            self._pool = None
