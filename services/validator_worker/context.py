"""What one worker process shares between jobs: settings, asyncpg pool, row check processes."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import asyncpg

from services.validator_worker.check_pool import CheckPool
from shared.settings import Settings
from shared.store.pool import create_pool

# A worker process runs one import at a time: one connection for the run, one for retention.
WORKER_POOL_SIZE = 2


@dataclass
class WorkerContext:
    """The process context: settings, a pool made on the actors' event loop, check processes."""

    settings: Settings
    check_pool: CheckPool = field(init=False, repr=False)
    _pool: asyncpg.Pool | None = field(default=None, repr=False)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)

    def __post_init__(self) -> None:
        self.check_pool = CheckPool(self.settings.check_processes, self.settings.phone_library)

    async def pool(self) -> asyncpg.Pool:
        # Created on the event loop that runs the actors (Dramatiq's AsyncIO thread).
        async with self._lock:
            if self._pool is None:
                self._pool = await create_pool(self.settings, max_size=WORKER_POOL_SIZE)
            return self._pool

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None
