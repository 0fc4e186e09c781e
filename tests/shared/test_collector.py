"""The garbage collector a service process settles on after start-up."""

from __future__ import annotations

import json
import subprocess
import sys

# In a process of its own: freezing and thresholds hold for the whole interpreter.
PROBE = r"""
import gc, json, weakref
import phonenumbers  # start-up objects: a library's metadata
from shared.collector import YOUNG_THRESHOLD, settle_collector

phonenumbers.parse("+31 20 123 4567")  # loads the metadata of a region
settle_collector()
frozen = gc.get_freeze_count()

class Node:
    pass

collected = []
def cycle():
    a, b = Node(), Node()
    a.other, b.other = b, a
    weakref.finalize(a, collected.append, "a")

cycle()
before = bool(collected)
# Containers made after the cycle: the young generation is collected within this many.
keep = [[] for _ in range(YOUNG_THRESHOLD * 2)]
print(json.dumps({
    "frozen": frozen,
    "threshold": gc.get_threshold()[0],
    "expected_threshold": YOUNG_THRESHOLD,
    "collected_at_once": before,
    "collected_later": collected == ["a"],
}))
"""


def test_startup_objects_are_frozen_and_cycles_still_collected() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=True
    )
    seen = json.loads(done.stdout)
    assert seen["frozen"] > 10_000  # the interpreter's and the phone library's objects
    assert seen["threshold"] == seen["expected_threshold"]
    # A cycle is not freed by reference counting; the collector frees it, a little later.
    assert not seen["collected_at_once"]
    assert seen["collected_later"]
