"""Giving memory back to the operating system once a file has been dealt with.

Reading a file takes a few times its size, in Arrow buffers (pyarrow's mimalloc pool) and
in the C heap; both allocators keep freed pages for reuse, so a process that read a 20 MB
CSV would stay that much larger until it exits. The API calls `give_back_memory` after each
upload and the worker after each import (and its check processes after each batch):
measured on a 20 MB CSV, a reader went from 208 MiB back to 100 MiB (86 before reading).

What can be given back depends on the allocators, so each process calls
`use_returnable_allocators` first thing: Arrow allocates from the C heap (its default,
mimalloc, keeps freed pages mapped in its arenas; `services/__init__.py` names the system
pool in ARROW_DEFAULT_MEMORY_POOL before pyarrow is imported, since Arrow's C++ code
(writing a stored sheet, for one) takes its pool from there: 12 MiB kept after storing the
sheet of a 10,000-row XLSX with mimalloc, none with the system pool) and the C heap has at
most two arenas (glibc makes one per thread, up to eight per core, and a page is returned
only when no arena holds a byte on it). Measured on a worker running four 20 MB imports in
a row: 73 MiB above idle after each with the defaults, 17 MiB with these. glibc also raises
its mmap threshold each time a large block is freed (up to 32 MiB), after which Arrow's
buffers of a read come from the heap and their freed pages count as resident until a trim:
the threshold is fixed at 128 KiB, so a large buffer is mapped on its own and unmapped when
freed (reading a 20 MB CSV: 56 MiB above its start at the peak with the floating threshold,
27 with the fixed one; streamed in 1 MiB blocks, 32 and 7). An operator's own
`ARROW_DEFAULT_MEMORY_POOL`, `MALLOC_ARENA_MAX` or `MALLOC_MMAP_THRESHOLD_` wins.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
from functools import cache

import pyarrow as pa

log = logging.getLogger(__name__)


# mallopt's parameter number for the arena limit (glibc's malloc.h).
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8
ARENAS = 2
MMAP_THRESHOLD = 128 * 1024


@cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name) if name else None
    except OSError:
        return None


def use_returnable_allocators() -> None:
    """Allocate so that freed memory can go back to the system (call before threads start)."""
    if "ARROW_DEFAULT_MEMORY_POOL" not in os.environ:
        pa.set_memory_pool(pa.system_memory_pool())
    elif (
        os.environ["ARROW_DEFAULT_MEMORY_POOL"] == "system" != pa.default_memory_pool().backend_name
    ):
        # Set after pyarrow chose its pool (`services/__init__.py` sets it first).
        log.warning("Arrow's C++ code allocates from %s", pa.default_memory_pool().backend_name)
        pa.set_memory_pool(pa.system_memory_pool())
    libc = _libc()
    if libc is None or not hasattr(libc, "mallopt"):
        return
    if "MALLOC_ARENA_MAX" not in os.environ:
        libc.mallopt(_M_ARENA_MAX, ARENAS)
    if "MALLOC_MMAP_THRESHOLD_" not in os.environ:
        libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)


def give_back_memory() -> None:
    """Return the free pages of Arrow's pool and of the C heap (well under a millisecond)."""
    pa.default_memory_pool().release_unused()
    libc = _libc()
    # glibc only (musl and macOS have no malloc_trim).
    if libc is not None and hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)
