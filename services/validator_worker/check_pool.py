"""Checking the rows of one import on every core: batches spread over a process pool.

Each worker process owns one pool of CONTACTIMPORT_CHECK_PROCESSES processes (default: the
machine's cores), started when the worker boots so no import pays for the start-up. A
file's batches go to the pool together and come back in file order, so contacts, rejected
rows and the failure workbook are exactly what one process checking them in turn gives
(tests/validator_worker/test_check_pool.py compares the two). With 1 process, or when a
file is a single batch, rows are checked in a thread of the worker itself. The failure
workbook is written in a pool process too (`call`), while the worker stores the contacts.

The pool's processes are started fresh ("spawn"), never forked from the worker, whose
threads (Dramatiq's consumers, the event loop) a fork would copy in an unknown state. A
check process that dies (killed, out of memory) breaks the pool: a new pool checks the
file again when no batch had come back yet; otherwise that attempt of the import fails
with a retryable error (nothing is stored) and Dramatiq runs it again.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import multiprocessing
import multiprocessing.connection
import os
import threading
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

import pyarrow as pa

from services.validator_worker.rows.phone_rules import use_phone_library
from services.validator_worker.rows.row_checker import BatchOutcome, RowChecker
from shared.collector import settle_collector
from shared.mapping.fields import Mapping
from shared.memory import give_back_memory, use_returnable_allocators

log = logging.getLogger(__name__)
T = TypeVar("T")

# How long a fresh check process may take to import the checking code (~1 s here).
START_TIMEOUT = 60.0


@dataclass(frozen=True)
class CheckJob:
    """What a check process needs to check a file's rows: the checker's arguments."""

    mapping: Mapping
    headers: tuple[str, ...]
    default_country: str


@lru_cache(maxsize=8)
def _checker(job: CheckJob) -> RowChecker:
    return RowChecker(job.mapping, list(job.headers), job.default_country)


def _start_check_process(phone_library: str) -> None:
    use_returnable_allocators()
    # A worker killed outright (SIGKILL, the OOM killer) must not leave its check processes
    # behind: they hold copies of the pool's pipes, so no end-of-file would ever tell them.
    threading.Thread(target=_exit_with_parent, name="exit-with-worker", daemon=True).start()
    use_phone_library(phone_library)
    # Loaded now, not inside the first import that writes a workbook (~0.2 s).
    importlib.import_module("shared.failure_workbook")
    settle_collector()


def _exit_with_parent() -> None:
    parent = multiprocessing.parent_process()
    if parent is not None:
        multiprocessing.connection.wait([parent.sentinel])  # readable once the parent is gone
        os._exit(1)


def _ready() -> int:
    return os.getpid()


def own_buffers(batch: pa.RecordBatch) -> pa.RecordBatch:
    """The batch's rows in buffers of their own, for sending to a check process.

    A batch sliced from a table shares the table's whole column buffers, and pickling it
    copies them whole: the ten batches of a 10,000-row file sent 15 MB instead of 1.5.
    """
    return pa.RecordBatch.from_arrays(
        [pa.concat_arrays([column]) for column in batch.columns], schema=batch.schema
    )


def check_batch(job: CheckJob, batch: pa.RecordBatch, row_numbers: Sequence[int]) -> BatchOutcome:
    """Check one batch (in a pool process, or in the worker's own thread)."""
    try:
        return _checker(job).check(batch, row_numbers)
    finally:
        give_back_memory()


class CheckPool:
    """The worker process's pool of check processes (none when `processes` ≤ 1)."""

    def __init__(self, processes: int, phone_library: str) -> None:
        self.processes = max(processes, 1)
        self._phone_library = phone_library
        self._executor: ProcessPoolExecutor | None = None

    def start(self) -> None:
        """Start the processes and wait until each has imported the checking code."""
        if self.processes <= 1 or self._executor is not None:
            return
        self._executor = ProcessPoolExecutor(
            max_workers=self.processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_check_process,
            initargs=(self._phone_library,),
        )
        # The pool starts a process per task submitted while none is idle: one task each.
        for started in [self._executor.submit(_ready) for _ in range(self.processes)]:
            started.result(timeout=START_TIMEOUT)
        log.info("row checks run in %d processes (%s)", self.processes, self._phone_library)

    def close(self) -> None:
        """Stop the processes (a batch being checked is finished first: well under a second)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    async def check(
        self,
        job: CheckJob,
        batches: Sequence[pa.RecordBatch],
        row_numbers: Sequence[Sequence[int]],
        on_checked: Callable[[BatchOutcome, int], Awaitable[None]],
    ) -> None:
        """Check every batch; `on_checked(outcome, rows)` is awaited for each, in file order."""
        if self.processes <= 1 or len(batches) <= 1:
            for batch, numbers in zip(batches, row_numbers, strict=True):
                outcome = await asyncio.to_thread(check_batch, job, batch, numbers)
                await on_checked(outcome, batch.num_rows)
            return
        delivered = 0
        for attempt in (1, 2):
            # In a thread: a pool that has to be (re)started takes about a second.
            await asyncio.to_thread(self.start)
            assert self._executor is not None
            futures: list[Future[BatchOutcome]] = []
            try:
                futures = [
                    self._executor.submit(check_batch, job, own_buffers(batch), numbers)
                    for batch, numbers in zip(batches, row_numbers, strict=True)
                ]
                for batch, future in zip(batches, futures, strict=True):
                    outcome = await asyncio.wrap_future(future)
                    delivered += 1
                    await on_checked(outcome, batch.num_rows)
                return
            except BrokenProcessPool:
                # A check process died (killed, out of memory). Before any batch came back
                # the file is simply checked again by a new pool; after, this attempt of the
                # import fails and Dramatiq retries it.
                self._replace()
                if delivered or attempt == 2:
                    raise
            finally:
                for future in futures:
                    future.cancel()

    async def call(self, function: Callable[..., T], *args: object) -> T:
        """`function(*args)` in a pool process (a thread of the worker without a pool).

        For CPU work beside the rows' checks, e.g. the failure workbook, written while the
        worker stores the contacts. A pool found broken is renewed once.
        """
        if self.processes <= 1:
            return await asyncio.to_thread(function, *args)
        for attempt in (1, 2):
            await asyncio.to_thread(self.start)
            assert self._executor is not None
            try:
                return await asyncio.wrap_future(self._executor.submit(function, *args))
            except BrokenProcessPool:
                self._replace()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _replace(self) -> None:
        log.error("a row check process died; starting a new pool for the next import")
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
