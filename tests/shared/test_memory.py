"""The allocators a service process uses (what they give back is measured by `make bench`)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

# Run in a process of its own: the allocators are chosen once, before threads start.
PROBE = r"""
import pyarrow as pa
from shared.memory import use_returnable_allocators

use_returnable_allocators()
print(pa.default_memory_pool().backend_name)
"""


OVERRIDES = ("ARROW_DEFAULT_MEMORY_POOL", "MALLOC_ARENA_MAX")


def _probe(script: str = PROBE, **env: str) -> list[str]:
    own = {k: v for k, v in os.environ.items() if k not in OVERRIDES}
    done = subprocess.run(
        [sys.executable, "-c", script],
        env={**own, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.split()


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        pytest.param({}, "system", id="default-system-heap"),
        pytest.param({"ARROW_DEFAULT_MEMORY_POOL": "mimalloc"}, "mimalloc", id="operator-wins"),
    ],
)
def test_arrow_allocates_from_the_c_heap_unless_told_otherwise(
    env: dict[str, str], backend: str
) -> None:
    assert _probe(**env)[0] == backend


# 80 blocks of 1 MiB, each followed by a small heap block that stays in use while the big
# ones are freed (as an Arrow read leaves its small allocations between its buffers).
FRAGMENTS = r"""
import sys
from shared.memory import use_returnable_allocators

if sys.argv[1] == "yes":
    use_returnable_allocators()


def resident_mib():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024


first = bytearray(1 << 20)
del first  # glibc's floating threshold rises to 1 MiB here
start = resident_mib()
kept, blocks = [], []
for _ in range(80):
    blocks.append(bytearray(1 << 20))
    kept.append(bytearray(600))
del blocks
print(resident_mib() - start)
"""


@pytest.mark.parametrize(
    ("call", "at_most", "at_least"),
    [
        pytest.param("yes", 8, 0, id="fixed-threshold-gives-back"),
        # The same probe without the call keeps them: the probe sees the difference.
        pytest.param("no", None, 40, id="floating-threshold-keeps"),
    ],
)
def test_freed_large_blocks_leave_the_process_at_once(
    call: str, at_most: int | None, at_least: int
) -> None:
    own = {k: v for k, v in os.environ.items() if k not in (*OVERRIDES, "MALLOC_MMAP_THRESHOLD_")}
    done = subprocess.run(
        [sys.executable, "-c", FRAGMENTS, call],
        env=own,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    still_resident = int(done.stdout)
    assert still_resident >= at_least
    if at_most is not None:
        assert still_resident <= at_most


SERVICE_START = r"""
import services  # what `python -m services.import_api` (or the worker) imports first
import pyarrow as pa

print(pa.default_memory_pool().backend_name)
"""


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        pytest.param({}, "system", id="services-choose-the-system-heap"),
        pytest.param({"ARROW_DEFAULT_MEMORY_POOL": "mimalloc"}, "mimalloc", id="operator-wins"),
    ],
)
def test_arrow_s_own_code_allocates_from_the_pool_a_service_chose(
    env: dict[str, str], backend: str
) -> None:
    # Given a process started as a service is (the services package imported first), with
    # no call that sets pyarrow's pool: Arrow's C++ code (an IPC writer, a compressor)
    # allocates from the pool pyarrow reports here
    # Then it is the C heap (which gives freed pages back), unless an operator chose
    assert _probe(SERVICE_START, **env) == [backend]
