"""`python -m services.validator_worker [dramatiq options]`: run the worker processes.

Runs Dramatiq's own CLI on services.validator_worker.main, listening on
CONTACTIMPORT_QUEUE with one thread per process (rows are checked on the CPU, so a
process runs one import at a time; scale with --processes and more machines).
Options given here (e.g. `--processes 4`) are passed to `dramatiq`.
"""

import os
import sys

from shared.settings import Settings

queue = Settings().queue
args = sys.argv[1:]
defaults = [] if "--threads" in args or "-t" in args else ["--threads", "1"]
os.execv(
    sys.executable,
    [
        sys.executable,
        "-m",
        "dramatiq",
        "services.validator_worker.main",
        "--queues",
        queue,
        *defaults,
        *args,
    ],
)
