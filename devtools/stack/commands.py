"""One function per subcommand of `python -m devtools.stack`; each returns the exit code."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import cast

import psutil  # type: ignore[import-untyped]

from devtools.stack import embedded_postgres, embedded_valkey
from devtools.stack.errors import StackBusy, StackError
from devtools.stack.local import free_port, local_dir, masked_url
from devtools.stack.processes import describe, leftover_processes
from devtools.stack.supervisor import (
    Stack,
    StopRequested,
    apply_migrations,
    exit_text,
    read_record,
    say,
    supervised,
    wait_foreground,
)

EMBEDDED_DATABASE = "contactimport"
TEST_DATABASE = "contactimport_test"
DEFAULT_LISTEN = "[::]:50051"
# Listening on every interface; a local client connects to localhost instead.
WILDCARD_HOSTS = frozenset({"", "[::]", "::", "0.0.0.0", "*"})  # noqa: S104 (not a bind)
# What `env` prints, and the record key it reads for a running `make run`.
ENV_NAMES = {"DATABASE_URL": "database_url", "BROKER_URL": "broker_url"}


def client_address(listen: str) -> str:
    """Where a local client reaches a server listening on `listen` (`[::]:50051`)."""
    host, _, port = listen.rpartition(":")
    if host in WILDCARD_HOSTS:
        host = "localhost"
    return f"{host}:{port}"


def banner(stack: Stack, address: str) -> str:
    database = (
        f"embedded PostgreSQL 18, data in {stack.rel(stack.postgres.pgdata)}"
        if stack.postgres
        else masked_url(stack.env["DATABASE_URL"])
    )
    broker = (
        f"embedded Valkey, data in {stack.rel(stack.valkey.data_dir)}"
        if stack.valkey
        else masked_url(stack.env["BROKER_URL"])
    )
    key = stack.env.get("CONTACTIMPORT_JWT_KEY_FILE") or "CONTACTIMPORT_JWT_KEY"
    # The API's (CONTACTIMPORT_METRICS_PORT) and Dramatiq's own for the worker.
    api_metrics = stack.env.get("CONTACTIMPORT_METRICS_PORT", "9101")
    worker_metrics = stack.env.get("dramatiq_prom_port", "9191")
    return "\n".join(
        [
            "",
            f"contactimport is running on {address} (Ctrl-C stops everything)",
            f"  database  {database}",
            f"            DATABASE_URL={stack.env['DATABASE_URL']}",
            f"  broker    {broker}",
            f"  JWT key   {key}",
            f"  metrics   API http://localhost:{api_metrics}/metrics, "
            f"worker http://localhost:{worker_metrics}/metrics (Prometheus; 0: off)",
            "  try it    export CONTACTIMPORT_TOKEN=$(.venv/bin/contactimport token "
            "--tenant demo --name 'Demo User' --country NL)",
            "            .venv/bin/contactimport import tests/fixtures/e2e/contacts.csv --wait",
            f"            .venv/bin/grpcurl -plaintext {address} list",
            "",
        ]
    )


def _verify_nothing_left(stack: Stack) -> bool:
    left = list(leftover_processes(stack.root, stack.state_dir, services=False))
    left += [psutil.Process(child.pid) for child in stack.children if child.group_alive()]
    for proc in left:
        say(f"still running: {describe(proc)}")
    if not left:
        say("everything stopped: no server, API or worker process left")
    return not left


def cmd_run(root: Path, worker_args: list[str]) -> int:
    stop = StopRequested()
    stop.install()
    stack = Stack(root, local_dir(root), stop)
    started = time.monotonic()
    clean = True
    try:
        with supervised(stack, exclusive_message="`make run` is already running here"):
            stack.start_servers(database=EMBEDDED_DATABASE)
            if stop:
                return 0
            stack.migrate()
            stack.ensure_jwt_key()
            listen = stack.env.setdefault("CONTACTIMPORT_LISTEN", DEFAULT_LISTEN)
            address = client_address(listen)
            stack.start_services(worker_args)
            stack.wait_ready(address)
            if not stop:
                say(f"ready in {time.monotonic() - started:.2f} s")
                print(banner(stack, address), flush=True)
            while not stop:
                if (dead := stack.dead_child()) is not None:
                    say(f"the {dead.name} {exit_text(dead.process.returncode)}: stopping all")
                    clean = False
                    break
                time.sleep(0.2)
            else:
                say(f"{stop.name()} received: stopping")
            stopping = time.monotonic()
            clean = stack.stop_services() and clean
            stack.stop_servers()
        clean = _verify_nothing_left(stack) and clean
        say(f"stopped in {time.monotonic() - stopping:.2f} s")
        return 0 if clean else 1
    except StackBusy as exc:
        say(f"error: {exc}")
        return 1
    except StackError as exc:
        say(f"error: {exc}")
        _verify_nothing_left(stack)
        return 1


def cmd_migrate(root: Path) -> int:
    if os.environ.get("DATABASE_URL"):
        apply_migrations(os.environ["DATABASE_URL"])
        return 0
    stack = Stack(root, local_dir(root), StopRequested())
    if not stack.lock():
        # A running `make run` owns the embedded server: migrate through it.
        url = stack.read_record().get("database_url")
        if not isinstance(url, str) or not url:
            say("another devstack holds .local and has not started PostgreSQL yet; try again")
            return 1
        apply_migrations(url)
        return 0
    stack.unlock()
    try:
        with supervised(stack, exclusive_message="`make run` is already running here"):
            stack.start_servers(database=EMBEDDED_DATABASE, need_broker=False)
            stack.migrate()
    except StackError as exc:
        say(f"error: {exc}")
        return 1
    return 0


def cmd_test(root: Path, pytest_args: list[str]) -> int:
    stop = StopRequested()
    stop.install()
    # A folder per run, so that several `make test` in one tree do not share servers.
    tests_dir = local_dir(root) / "test"
    _clear_stale_test_dirs(tests_dir)
    stack = Stack(root, tests_dir / str(os.getpid()), stop)
    stack.env.setdefault("PYTHONUNBUFFERED", "1")
    command = [sys.executable, "-m", "pytest", *pytest_args]
    if stack.env.get("DATABASE_URL") and stack.env.get("BROKER_URL"):
        _ensure_database(stack.env["DATABASE_URL"])
        say(
            f"pytest against {masked_url(stack.env['DATABASE_URL'])} and "
            f"{masked_url(stack.env['BROKER_URL'])}"
        )
        code = wait_foreground(stack, subprocess.Popen(command, cwd=root, env=stack.env))
    else:
        if stack.env.get("DATABASE_URL"):
            _ensure_database(stack.env["DATABASE_URL"])
        try:
            with supervised(stack, exclusive_message="`make test` is already running here"):
                stack.start_servers(database=TEST_DATABASE, for_tests=True)
                code = wait_foreground(stack, subprocess.Popen(command, cwd=root, env=stack.env))
        except StackError as exc:
            say(f"error: {exc}")
            return 1
        finally:
            shutil.rmtree(stack.state_dir, ignore_errors=True)
    if code == 5:
        say("pytest collected no tests: that counts as a failure")
    return code


def _clear_stale_test_dirs(tests_dir: Path) -> None:
    """Stop the servers of test runs whose supervisor died, and delete their folders."""
    if not tests_dir.is_dir():
        return
    for state_dir in tests_dir.iterdir():
        stale = Stack(tests_dir.parent.parent, state_dir, StopRequested())
        if not state_dir.is_dir() or not stale.lock():
            continue  # a running `make test` holds it
        try:
            embedded_valkey.stop_leftover_valkey(state_dir / "valkey")
            embedded_postgres.stop_leftover_postgres(state_dir / "postgres")
            shutil.rmtree(state_dir, ignore_errors=True)
        finally:
            stale.unlock()


def _ensure_database(url: str) -> None:
    import asyncpg

    try:
        if embedded_postgres.ensure_database(url):
            say(f"created the database of {masked_url(url)}")
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        # pytest then reports the real problem with the database, in context.
        say(f"could not check the database of {masked_url(url)}: {exc}")


def cmd_bench(root: Path, bench_args: list[str], worker_args: list[str], burst: int = 0) -> int:
    stop = StopRequested()
    stop.install()
    stack = Stack(root, local_dir(root) / "bench", stop)
    try:
        with supervised(stack, exclusive_message="`make bench` is already running here"):
            started = time.monotonic()
            stack.start_servers(database=EMBEDDED_DATABASE, for_tests=True)
            stack.migrate()
            stack.ensure_jwt_key()
            listen = stack.env.get("CONTACTIMPORT_BENCH_LISTEN") or f"127.0.0.1:{free_port()}"
            stack.env["CONTACTIMPORT_LISTEN"] = listen
            # No metrics servers: their fixed ports may be a `make run`'s.
            stack.env["CONTACTIMPORT_METRICS_PORT"] = "0"
            stack.env["dramatiq_prom_port"] = "0"
            address = client_address(listen)
            stack.start_services(worker_args)
            stack.wait_ready(address)
            if stop:
                return 1
            say(f"stack ready on {address} in {time.monotonic() - started:.2f} s")
            api, worker = stack.children
            command = [
                sys.executable,
                "-m",
                "devtools.bench",
                "--addr",
                address,
                "--api-pid",
                str(api.pid),
                "--worker-pid",
                str(worker.pid),
                *bench_args,
            ]
            code = wait_foreground(stack, subprocess.Popen(command, cwd=root, env=stack.env))
            if code == 0 and burst and not stop:
                code = _bench_bursts(stack, address, burst, bench_args)
    except StackBusy as exc:
        say(f"error: {exc}")
        return 1
    except StackError as exc:
        say(f"error: {exc}")
        code = 1
    return code if _verify_nothing_left(stack) else 1


# The worker process counts a burst is timed with: scaling out from one process to two.
BURST_PROCESSES = (1, 2)


def _bench_bursts(stack: Stack, address: str, imports: int, bench_args: list[str]) -> int:
    """`imports` imports at once, with the worker restarted at each of BURST_PROCESSES."""
    rows = bench_args[bench_args.index("--rows") + 1] if "--rows" in bench_args else "10000"
    results: dict[int, dict[str, object]] = {}
    for processes in BURST_PROCESSES:
        stack.restart_worker(["--processes", str(processes)])
        record = stack.state_dir / f"burst-{processes}.json"
        command = [
            sys.executable,
            "-m",
            "devtools.bench_burst",
            "--addr",
            address,
            "--imports",
            str(imports),
            "--rows",
            rows,
            "--label",
            f"with {processes} worker process{'es' if processes > 1 else ''}",
            "--record",
            str(record),
        ]
        code = wait_foreground(stack, subprocess.Popen(command, cwd=stack.root, env=stack.env))
        if code != 0 or stack.stop:
            return code or 1
        results[processes] = json.loads(record.read_text())
    one, two = (float(str(results[p]["imports_per_minute"])) for p in BURST_PROCESSES)
    print(
        f"Burst of {imports}: {one:.1f} imports a minute with 1 worker process, {two:.1f} with 2"
        f" ({two / one:.2f}x)",
        flush=True,
    )
    for processes in BURST_PROCESSES:
        api, worker = (cast(dict[str, float], results[processes][k]) for k in MEMORY_KEYS)
        print(
            f"  with {processes}: API peak {api['peak']:.0f} / after {api['after']:.0f} MiB"
            f" (idle {api['idle']:.0f}); largest worker process {worker['peak']:.0f} /"
            f" {worker['after']:.0f} MiB (idle {worker['idle']:.0f}), worker tree peak"
            f" {worker['tree']:.0f} MiB",
            flush=True,
        )
    return 0


MEMORY_KEYS = ("api_mib", "worker_mib")


def cmd_env(state_dir: Path, name: str) -> int:
    """Print `name` as the services of `make run` see it: the environment's, else the URL
    the running supervisor of `state_dir` started (its embedded server's)."""
    if value := os.environ.get(name, ""):
        print(value)
        return 0
    value = str(read_record(state_dir / "devstack.json").get(ENV_NAMES[name]) or "")
    if not value:
        print(f"{name} is not set and no `make run` is running on {state_dir}", file=sys.stderr)
        return 1
    print(value)
    return 0


def cmd_leftovers(root: Path, state_dir: Path) -> int:
    left = list(leftover_processes(root, state_dir))
    for proc in left:
        print(f"left running: {describe(proc)}")
    if not left:
        print(f"nothing left running for {state_dir}")
    return 1 if left else 0
