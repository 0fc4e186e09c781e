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


def _probe(**env: str) -> list[str]:
    own = {k: v for k, v in os.environ.items() if k not in OVERRIDES}
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
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
