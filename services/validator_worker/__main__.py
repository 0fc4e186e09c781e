"""`python -m services.validator_worker [dramatiq options]`: run the worker processes.

Runs Dramatiq's own CLI on services.validator_worker.dramatiq_app, listening on
CONTACTIMPORT_QUEUE with one thread per process (rows are checked on the CPU, so a
process runs one import at a time; scale with --processes and more machines) and a
100 ms idle poll.
Options given here (e.g. `--processes 4`) are passed to `dramatiq`.
"""

import os
import sys

from shared.settings import Settings

queue = Settings().queue
args = sys.argv[1:]
defaults = [] if "--threads" in args or "-t" in args else ["--threads", "1"]
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
        queue,
        *defaults,
        *args,
    ],
)
