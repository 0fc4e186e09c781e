"""Real worker processes for tests: start one on a queue of its own, wait until it consumes,
stop it with a real signal, and delete the queue afterwards.

A process of its own, never a second worker in the test process: Dramatiq's asyncio event
loop is one per process, shared by every worker in it, so a second worker there would leave
the first one's loop and the process would never exit.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping

from shared.broker import make_broker
from shared.settings import Settings


def worker_env(settings: Settings, queue: str, **overrides: str) -> dict[str, str]:
    """The environment of a worker process on `queue` (retention off, one check process)."""
    return (
        dict(os.environ)
        | {
            "DATABASE_URL": settings.database_url,
            "BROKER_URL": settings.broker_url,
            "CONTACTIMPORT_QUEUE": queue,
            "CONTACTIMPORT_RETENTION_INTERVAL_SECONDS": "0",
            "CONTACTIMPORT_CHECK_PROCESSES": "1",
            # No Dramatiq metrics server unless a test asks (its port is one per machine).
            "dramatiq_prom_port": "0",
        }
        | overrides
    )


def start_worker(env: Mapping[str, str], processes: int = 1) -> subprocess.Popen[bytes]:
    """`python -m services.validator_worker` in a session of its own (so it can be killed whole)."""
    return subprocess.Popen(
        [sys.executable, "-m", "services.validator_worker", "--processes", str(processes)],
        env=dict(env),
        start_new_session=True,
    )


def stop_worker(worker: subprocess.Popen[bytes], seconds: float = 60) -> int:
    """SIGTERM (Dramatiq's main process stops its children), SIGKILL of the group if stuck."""
    if worker.poll() is None:
        worker.terminate()
    try:
        return worker.wait(seconds)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGKILL)
        return worker.wait(10)


def kill_worker(worker: subprocess.Popen[bytes]) -> None:
    """SIGKILL the worker's whole process group (main process, workers, check processes)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(10)


def wait_for_consumers(broker_url: str, queue: str, wanted: int, seconds: float = 60) -> None:
    """Block until `wanted` workers consume the queue, so each takes one of the messages."""
    broker = make_broker(broker_url)
    try:
        channel = getattr(broker, "channel", None)
        if channel is None:  # Redis has no consumer count: the workers poll, both get work
            return
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                declared = channel.queue_declare(queue, passive=True)
            except Exception:  # not declared yet: pika closes the channel, open another
                del broker.channel  # type: ignore[attr-defined]
                channel = broker.channel  # type: ignore[attr-defined]
            else:
                if declared.method.consumer_count >= wanted:
                    return
            time.sleep(0.2)
        raise TimeoutError(f"fewer than {wanted} workers consume {queue} after {seconds} s")
    finally:
        broker.close()


def delete_queues(broker_url: str, queue: str) -> None:
    """Delete the queue, its delay queue and its dead letters (RabbitMQ; Redis: nothing)."""
    broker = make_broker(broker_url)
    channel = getattr(broker, "channel", None)
    for name in (queue, f"{queue}.DQ", f"{queue}.XQ"):
        with contextlib.suppress(Exception):
            if channel is not None:
                channel.queue_delete(name)
    broker.close()
