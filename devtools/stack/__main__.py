"""`python -m devtools.stack {run,migrate,test,bench,env,leftovers}` (see the package doc)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import devtools.stack
from devtools.stack import commands
from devtools.stack.local import LOCAL_DIR_NAME, repo_root


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    passthrough: list[str] = []
    if "--" in args:
        cut = args.index("--")
        args, passthrough = args[:cut], args[cut + 1 :]
    parser = argparse.ArgumentParser(
        prog="python -m devtools.stack",
        description=devtools.stack.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    subcommands = parser.add_subparsers(dest="command", required=True)
    run = subcommands.add_parser("run", help="API + worker in the foreground")
    subcommands.add_parser("migrate", help="apply the schema migrations")
    subcommands.add_parser("test", help="pytest (arguments after --)")
    bench = subcommands.add_parser("bench", help="benchmark (bench.py arguments after --)")
    bench.add_argument(
        "--burst", type=int, default=10, help="imports of the burst runs (0: no burst)"
    )
    env = subcommands.add_parser("env", help="print a URL of the running `make run`")
    leftovers = subcommands.add_parser("leftovers", help="list processes a stack left running")
    for sub in (run, bench):
        sub.add_argument("--worker-processes", type=int, help="worker processes (dramatiq)")
    env.add_argument("name", choices=sorted(commands.ENV_NAMES))
    for sub in (env, leftovers):
        sub.add_argument("--state-dir", type=Path, default=Path(LOCAL_DIR_NAME))
    options = parser.parse_args(args)
    root = repo_root()
    os.chdir(root)
    worker_args = []
    if getattr(options, "worker_processes", None):
        worker_args = ["--processes", str(options.worker_processes)]
    if options.command == "run":
        return commands.cmd_run(root, worker_args + passthrough)
    if options.command == "migrate":
        return commands.cmd_migrate(root)
    if options.command == "test":
        return commands.cmd_test(root, passthrough)
    if options.command == "bench":
        return commands.cmd_bench(root, passthrough, worker_args, options.burst)
    if options.command == "env":
        return commands.cmd_env((root / options.state_dir).resolve(), options.name)
    return commands.cmd_leftovers(root, (root / options.state_dir).resolve())


if __name__ == "__main__":
    raise SystemExit(main())
