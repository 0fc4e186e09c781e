"""The worker's Prometheus metrics: Dramatiq's own middleware, plus the imports' figures.

Under the `dramatiq` command (`python -m services.validator_worker`) Dramatiq's Prometheus
middleware serves every worker process's metrics from one exposition process on
dramatiq_prom_host:dramatiq_prom_port (default 0.0.0.0:9191; "0" turns it off), from
prometheus_client's multiprocess files in dramatiq_prom_db (default /tmp/dramatiq-prometheus).
The contactimport_* metrics here are made on first use, after the middleware has pointed
prometheus_client at those files, so the same endpoint serves them (prometheus_client picks
its value storage when first imported, so it is imported here only then). Without the
middleware (an in-process worker, as in the tests) they live in its default registry.
"""

from __future__ import annotations

import os
from collections import Counter as Tally
from functools import cache
from typing import Any

# Seconds from claim to the end: a 10,000-row import takes one to a few seconds.
DURATION_BUCKETS = (0.25, 0.5, 1, 2, 3, 5, 7.5, 10, 15, 30, 60, 120, 300, 900)


def dramatiq_metrics_wanted() -> bool:
    """Whether the Dramatiq exposition server is on (dramatiq_prom_port is not "0")."""
    return os.environ.get("dramatiq_prom_port", "9191") != "0"  # noqa: SIM112 (its name)


class ImportMetrics:
    """What the worker counts per import, labelled by end state, format and reason."""

    def __init__(self, registry: Any) -> None:
        from prometheus_client import Counter, Histogram

        self.finished = Counter(
            "contactimport_imports_finished",
            "Imports that ended, by state.",
            ["state"],
            registry=registry,
        )
        self.rows_checked = Counter(
            "contactimport_rows_checked",
            "Data rows checked, by file format.",
            ["format"],
            registry=registry,
        )
        self.rows_rejected = Counter(
            "contactimport_rows_rejected",
            "Rejected rows' problems, by reason code (a row with two problems counts twice).",
            ["reason"],
            registry=registry,
        )
        self.duration = Histogram(
            "contactimport_import_duration_seconds",
            "Time from a worker's claim to the import's end, by file format.",
            ["format"],
            buckets=DURATION_BUCKETS,
            registry=registry,
        )

    def record(
        self,
        state: str,
        file_format: str,
        seconds: float,
        rows_checked: int = 0,
        reasons: Tally[str] | None = None,
    ) -> None:
        self.finished.labels(state).inc()
        self.duration.labels(file_format).observe(seconds)
        if rows_checked:
            self.rows_checked.labels(file_format).inc(rows_checked)
        for reason, count in (reasons or Tally()).items():
            self.rows_rejected.labels(reason).inc(count)


@cache
def import_metrics() -> ImportMetrics:
    """This process's import metrics, made on first use (see the module's docstring)."""
    from prometheus_client import REGISTRY

    return ImportMetrics(REGISTRY)
