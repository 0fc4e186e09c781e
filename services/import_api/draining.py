"""Draining on shutdown: in-flight calls finish, new ones go elsewhere, probes see it.

From `start()` on, every new ImportService call is refused UNAVAILABLE (SHUTTING_DOWN, with
RetryInfo) so a client retries on another server, while the calls already running go on;
`wait_idle()` returns when they have all ended or the grace period is over. Health and
reflection are not gated: a probe keeps getting answers (NOT_SERVING) until the server stops.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator

from shared.errors import Reason, Unavailable
from shared.i18n.text import t


class Drain:
    """Counts the ImportService calls in flight and refuses new ones once draining."""

    def __init__(self) -> None:
        self._running = 0
        self._draining = False
        self._idle = asyncio.Event()
        self._idle.set()

    @property
    def running(self) -> int:
        return self._running

    @property
    def draining(self) -> bool:
        return self._draining

    @contextlib.contextmanager
    def call(self) -> Iterator[None]:
        """One call's lifetime; raises Unavailable when the server is draining."""
        if self._draining:
            raise Unavailable(
                t(
                    "This server is shutting down; try the call again (another server will "
                    "answer it)."
                ),
                Reason.SHUTTING_DOWN,
            )
        self._running += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._running -= 1
            if self._running == 0:
                self._idle.set()

    def start(self) -> None:
        self._draining = True

    async def wait_idle(self, grace_seconds: float) -> bool:
        """Wait until no call is running (True) or `grace_seconds` passed (False)."""
        if self._running == 0:
            return True
        try:
            await asyncio.wait_for(self._idle.wait(), grace_seconds)
        except TimeoutError:
            return False
        return True
