"""The matcher measured on real header spellings (header_spellings.tsv, beside this file).

Each spelling is evaluated in its source's context (a layout's whole header row, or a
hand-made sheet's), as `devtools.header_hit_rate` does; the hit rate may not fall
below the rate measured when the list was collected. `pytest -rA` shows the misses.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from devtools.header_hit_rate import evaluate, hit_rate, load, report

SPELLINGS = Path(__file__).with_name("header_spellings.tsv")
# The hit rate measured when the list was collected, rounded down to a whole percent.
MINIMUM_HIT_RATE = 0.99
MINIMUM_SPELLINGS = 200


def test_the_list_is_large_enough_and_well_formed() -> None:
    sections = load(SPELLINGS)
    spellings = [s for section in sections for s in section.spellings]
    assert len(spellings) >= MINIMUM_SPELLINGS
    assert all(s.source.strip() for s in spellings), "every spelling names its source"


def test_hit_rate_on_real_header_spellings() -> None:
    results = evaluate(load(SPELLINGS))
    print(report(results))
    rate = hit_rate(results)
    if rate < MINIMUM_HIT_RATE:
        pytest.fail(f"hit rate {rate:.1%} fell below {MINIMUM_HIT_RATE:.0%}\n{report(results)}")
