"""Measure row checking alone: RowChecker over the bench's realistic rows, no services.

`python -m devtools.profile_rows [--rows N] [--runs N] [--profile]` generates `--rows`
bench rows (a fresh seed every run, so no cache of parsed numbers or e-mails carries over),
reads them as the worker does (CSV bytes through `read_sheet`: string columns c0, c1, ...),
checks them in 1,000-row batches with the bench's suggested mapping, and prints each run
and the median. Before each run every lru cache of the checking modules is cleared, as in
a worker meeting a new file. `--profile` adds a cProfile top-20 (cumulative) of one more run.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import statistics
import time
from types import ModuleType

from devtools.bench import HEADERS, generate_rows, to_csv
from services.validator_worker.rows import email_rules, phone_rules, row_checker
from services.validator_worker.rows.row_checker import RowChecker
from shared import value_cleaning
from shared.collector import settle_collector
from shared.mapping.matcher import suggest_mapping
from shared.spreadsheet.reader import read_sheet
from shared.spreadsheet.sheet import Sheet

BATCH_ROWS = 1_000  # as services/validator_worker/pipeline.py
COUNTRY = "NL"  # as the bench
_CHECKING_MODULES: tuple[ModuleType, ...] = (email_rules, phone_rules, row_checker, value_cleaning)


def clear_caches() -> None:
    """Forget every cached result of the checking modules (a worker meeting a new file)."""
    for module in _CHECKING_MODULES:
        for value in vars(module).values():
            cache_clear = getattr(value, "cache_clear", None)
            if callable(cache_clear):
                cache_clear()


def fresh_sheet(rows: int) -> Sheet:
    """`rows` bench rows with a seed of their own, read as the worker reads a CSV upload."""
    generated, _ = generate_rows(rows, seed=random.SystemRandom().randrange(2**32))
    return read_sheet(to_csv(generated))


def check_sheet(sheet: Sheet) -> tuple[int, int]:
    """Check a whole sheet batch by batch; (contacts, rejected rows)."""
    checker = RowChecker(suggest_mapping(HEADERS).mapping, sheet.headers, COUNTRY)
    numbers = sheet.row_numbers.to_pylist()
    contacts = rejected = processed = 0
    for batch in sheet.table.to_batches(max_chunksize=BATCH_ROWS):
        outcome = checker.check(batch, numbers[processed : processed + batch.num_rows])
        contacts += len(outcome.contacts)
        rejected += len(outcome.rejected)
        processed += batch.num_rows
    return contacts, rejected


def timed_run(rows: int) -> tuple[float, int, int]:
    sheet = fresh_sheet(rows)
    clear_caches()
    started = time.perf_counter()
    contacts, rejected = check_sheet(sheet)
    return time.perf_counter() - started, contacts, rejected


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print a cProfile top-20")
    args = parser.parse_args(argv)
    settle_collector()  # as a check process does once it has imported the checking code

    seconds: list[float] = []
    for run in range(1, args.runs + 1):
        took, contacts, rejected = timed_run(args.rows)
        seconds.append(took)
        print(f"run {run}: {took:.3f} s ({contacts} contacts, {rejected} rejected)")
    print(f"median of {args.runs}: {statistics.median(seconds):.3f} s per {args.rows:,} rows")

    if args.profile:
        sheet = fresh_sheet(args.rows)
        clear_caches()
        profiler = cProfile.Profile()
        profiler.runcall(check_sheet, sheet)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(20)


if __name__ == "__main__":
    main()
