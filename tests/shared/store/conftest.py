"""A pool made as the services make theirs (jsonb codecs), for calling the store directly."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest

from shared.settings import Settings
from shared.store.pool import create_pool


@pytest.fixture(scope="session")
async def db(settings: Settings) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(settings, max_size=4)
    yield pool
    await pool.close()
