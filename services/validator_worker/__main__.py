"""`python -m services.validator_worker [dramatiq options]`: run the worker processes.

Runs Dramatiq's own CLI on services.validator_worker.dramatiq_app, listening on
CONTACTIMPORT_QUEUE with one thread per process (rows are checked on the CPU, so a
process runs one import at a time; scale with --processes and more machines) and a
100 ms idle poll. On SIGTERM the running import gets CONTACTIMPORT_WORKER_SHUTDOWN_SECONDS to
finish, then gives up its claim; Dramatiq waits 15 s longer than that for its threads.
Options given here (e.g. `--processes 4`) are passed to `dramatiq`.
"""

import os
import sys

from services.validator_worker.shutdown import dramatiq_shutdown_timeout_ms
from shared.settings import Settings

settings = Settings()
args = sys.argv[1:]
defaults = [] if "--threads" in args or "-t" in args else ["--threads", "1"]
if not any(arg.startswith("--worker-shutdown-timeout") for arg in args):
    # Above CONTACTIMPORT_WORKER_SHUTDOWN_SECONDS: the import is interrupted and its claim
    # given up before Dramatiq stops waiting for its thread (services.validator_worker.shutdown).
    timeout_ms = dramatiq_shutdown_timeout_ms(settings.worker_shutdown_seconds)
    defaults += ["--worker-shutdown-timeout", str(timeout_ms)]
# An idle Redis consumer polls with a backoff up to this many ms (Dramatiq's default is
# 1000, read from this variable at import); RabbitMQ pushes, so there it only bounds how
# often the worker checks for shutdown.
os.environ.setdefault("dramatiq_worker_timeout", "100")
os.execv(
    sys.executable,
    [
        sys.executable,
        "-m",
        "dramatiq",
        "services.validator_worker.dramatiq_app",
        "--queues",
        settings.queue,
        *defaults,
        *args,
    ],
)
