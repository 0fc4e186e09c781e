"""The local stack: `python -m shared.devstack {run,migrate,test,bench,leftovers}`.

- run: PostgreSQL and Redis from DATABASE_URL / BROKER_URL, or embedded ones under
  `.local/` when unset; migrations; the API and the worker as child processes in their own
  process groups; in the foreground until Ctrl-C or SIGTERM, then everything stopped.
- migrate: apply the migrations (embedded PostgreSQL started and stopped when needed).
- test: pytest against the URLs, or against embedded servers under `.local/test/<pid>/`
  (deleted afterwards, so runs side by side do not meet).
- bench: the `run` stack under `.local/bench/` in the background, then shared/tools/bench.py.
- leftovers: list processes a stack left behind (exit 1 if any); `.ci/run` uses it.

One supervisor per state folder at a time (a lock file); the pids it starts are written
down so that a later start can stop what a killed supervisor left running.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import psutil  # type: ignore[import-untyped]

from shared import embedded

EMBEDDED_DATABASE = "contactimport"
TEST_DATABASE = "contactimport_test"
DEFAULT_LISTEN = "[::]:50051"
READY_TIMEOUT = 120.0
# The API drains for CONTACTIMPORT_GRACE_SECONDS (10 s); a worker finishes its import.
STOP_TIMEOUT = 30.0
# Listening on every interface; a local client connects to localhost instead.
WILDCARD_HOSTS = frozenset({"", "[::]", "::", "0.0.0.0", "*"})  # noqa: S104 (not a bind)
FORWARDED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def say(message: str) -> None:
    print(f"devstack: {message}", flush=True)


class StackError(RuntimeError):
    """Raised when the stack cannot start, or a part of it stopped on its own."""


class StackBusy(StackError):
    """Raised when another supervisor holds the state folder."""


class StopRequested:
    """Signal handlers that ask the supervisor to stop instead of killing it."""

    def __init__(self) -> None:
        self.signum: int | None = None
        self.count = 0

    def install(self) -> None:
        for signum in FORWARDED_SIGNALS:
            signal.signal(signum, self._handle)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.signum = signum
        self.count += 1

    def __bool__(self) -> bool:
        return self.signum is not None

    def name(self) -> str:
        return signal.Signals(self.signum).name if self.signum else "-"


@dataclass
class Child:
    """A service process, leader of its own process group."""

    name: str
    process: subprocess.Popen[bytes]
    create_time: float

    @property
    def pid(self) -> int:
        return self.process.pid

    def group_alive(self) -> bool:
        return bool(_group_members(self.pid))


def _group_members(pgid: int) -> list[psutil.Process]:
    """The live processes (not zombies) of a process group."""
    members = []
    for proc in psutil.process_iter(["status"]):
        try:
            in_group = os.getpgid(proc.pid) == pgid
        except ProcessLookupError:
            continue
        if in_group and proc.info.get("status") != psutil.STATUS_ZOMBIE:
            members.append(proc)
    return members


@dataclass
class Stack:
    """Servers and services of one state folder (`.local`, `.local/test`, `.local/bench`)."""

    root: Path
    state_dir: Path
    stop: StopRequested
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    postgres: embedded.EmbeddedPostgres | None = None
    valkey: embedded.EmbeddedValkey | None = None
    children: list[Child] = field(default_factory=list)
    _lock_fd: int | None = None

    # --- lock and record ------------------------------------------------------------

    @property
    def record_path(self) -> Path:
        return self.state_dir / "devstack.json"

    def lock(self) -> bool:
        """Take the folder's lock; False when another supervisor holds it."""
        self.state_dir.mkdir(mode=0o755, parents=True, exist_ok=True)
        fd = os.open(self.state_dir / "devstack.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._lock_fd = fd
        return True

    def unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def read_record(self) -> dict[str, object]:
        try:
            data = json.loads(self.record_path.read_text())
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def write_record(self) -> None:
        record = {
            "pid": os.getpid(),
            "database_url": self.env.get("DATABASE_URL", ""),
            "broker_url": self.env.get("BROKER_URL", ""),
            "children": [
                {"name": c.name, "pid": c.pid, "create_time": c.create_time} for c in self.children
            ],
        }
        tmp = self.record_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(record, indent=2))
        tmp.replace(self.record_path)

    def stop_recorded_leftovers(self) -> None:
        """Stop the API and worker groups a killed supervisor of this folder left running."""
        children = self.read_record().get("children")
        for entry in children if isinstance(children, list) else []:
            try:
                pid, created = int(entry["pid"]), float(entry["create_time"])
                if abs(psutil.Process(pid).create_time() - created) > 0.01:
                    continue  # the pid was reused by another process
            except (KeyError, TypeError, ValueError, psutil.Error):
                continue
            say(f"stopping the {entry.get('name')} (pid {pid}) that an earlier run left behind")
            # The leader only: Dramatiq's main process passes SIGTERM on to its workers,
            # and a worker that gets a second SIGTERM kills itself uncleanly.
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            if not _wait_group(pid, STOP_TIMEOUT):
                _signal_group(pid, signal.SIGKILL)
                _wait_group(pid, 5)
        with contextlib.suppress(FileNotFoundError):
            self.record_path.unlink()

    # --- servers --------------------------------------------------------------------

    def start_servers(
        self, *, database: str, need_broker: bool = True, for_tests: bool = False
    ) -> None:
        """Use DATABASE_URL / BROKER_URL when set, else start embedded servers for them."""
        local = embedded.local_dir(self.root)
        embedded.prepare_runtime_dir(local)
        self.env["XDG_RUNTIME_DIR"] = os.environ["XDG_RUNTIME_DIR"]
        if not self.env.get("DATABASE_URL"):
            started = time.monotonic()
            self.postgres = embedded.start_postgres(
                self.state_dir / "postgres", database=database, fresh_database=for_tests
            )
            self.env["DATABASE_URL"] = self.postgres.uri
            say(
                f"embedded PostgreSQL on {self._rel(self.postgres.pgdata)} "
                f"(pid {self.postgres.pid}) ready in {time.monotonic() - started:.2f} s"
            )
        if need_broker and not self.env.get("BROKER_URL"):
            started = time.monotonic()
            self.valkey = embedded.start_valkey(self.state_dir / "valkey", persist=not for_tests)
            self.env["BROKER_URL"] = self.valkey.url
            say(
                f"embedded Valkey on {self._rel(self.valkey.data_dir)} at {self.valkey.url} "
                f"(pid {self.valkey.pid}) ready in {time.monotonic() - started:.2f} s"
            )
        self.write_record()  # `make migrate` next to a running stack reads the URL here

    def stop_servers(self) -> None:
        if self.valkey is not None:
            started = time.monotonic()
            self.valkey.stop()
            say(f"embedded Valkey stopped in {time.monotonic() - started:.2f} s")
            self.valkey = None
        if self.postgres is not None:
            started = time.monotonic()
            self.postgres.stop()
            say(f"embedded PostgreSQL stopped in {time.monotonic() - started:.2f} s")
            self.postgres = None

    def migrate(self) -> None:
        apply_migrations(self.env["DATABASE_URL"])

    # --- services -------------------------------------------------------------------

    def ensure_jwt_key(self) -> None:
        """Point the services at the development key unless a key is configured."""
        if self.env.get("CONTACTIMPORT_JWT_KEY") or self.env.get("CONTACTIMPORT_JWT_KEY_FILE"):
            return
        self.env["CONTACTIMPORT_JWT_KEY_FILE"] = str(embedded.ensure_dev_key(self.root))

    def start_services(self, worker_args: Sequence[str]) -> None:
        for module in ("services.import_api", "services.validator_worker"):
            if importlib.util.find_spec(f"{module}.__main__") is None:
                raise StackError(f"{module} has no __main__ yet: nothing to run")
        self.env.setdefault("PYTHONUNBUFFERED", "1")
        self.children.append(self._spawn("API", ["-m", "services.import_api"]))
        self.children.append(
            self._spawn("worker", ["-m", "services.validator_worker", *worker_args])
        )
        self.write_record()

    def _spawn(self, name: str, args: list[str]) -> Child:
        process = subprocess.Popen(
            [sys.executable, *args],
            cwd=self.root,
            env=self.env,
            stdin=subprocess.DEVNULL,
            # Own group: Ctrl-C reaches the supervisor only, which stops things in order.
            start_new_session=True,
        )
        try:
            created = float(psutil.Process(process.pid).create_time())
        except psutil.Error:
            created = 0.0
        say(f"started the {name} (pid {process.pid})")
        return Child(name, process, created)

    def dead_child(self) -> Child | None:
        return next((c for c in self.children if c.process.poll() is not None), None)

    def wait_ready(self, address: str, timeout: float = READY_TIMEOUT) -> None:
        """Until the API's health service answers SERVING; fail when a child dies."""
        import grpc
        from grpc_health.v1 import health_pb2, health_pb2_grpc

        deadline = time.monotonic() + timeout
        with grpc.insecure_channel(address) as channel:
            health = health_pb2_grpc.HealthStub(channel)
            while True:
                if self.stop:
                    return
                if (dead := self.dead_child()) is not None:
                    raise StackError(
                        f"the {dead.name} {exit_text(dead.process.returncode)} "
                        "while starting (its log is above)"
                    )
                try:
                    reply = health.Check(health_pb2.HealthCheckRequest(service=""), timeout=1)
                    if reply.status == health_pb2.HealthCheckResponse.SERVING:
                        return
                except grpc.RpcError:
                    pass
                if time.monotonic() > deadline:
                    raise StackError(f"the API was not SERVING on {address} after {timeout:.0f} s")
                time.sleep(0.2)

    def stop_services(self, timeout: float = STOP_TIMEOUT) -> bool:
        """SIGTERM each leader, wait, then SIGKILL whatever is left of its group."""
        if not self.children:
            return True
        started = time.monotonic()
        for child in self.children:
            if child.process.poll() is None:
                say(f"stopping the {child.name} (pid {child.pid})")
                with contextlib.suppress(ProcessLookupError):
                    child.process.send_signal(signal.SIGTERM)
        clean = True
        deadline = time.monotonic() + timeout
        for child in self.children:
            try:
                child.process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                say(f"the {child.name} did not stop in {timeout:.0f} s: killing it")
                clean = False
                _signal_group(child.pid, signal.SIGKILL)
                child.process.wait(5)
            # Processes of the group that outlived their leader (a worker's children).
            if child.group_alive():
                _signal_group(child.pid, signal.SIGTERM)
                if not _wait_group(child.pid, 5):
                    _signal_group(child.pid, signal.SIGKILL)
                    _wait_group(child.pid, 5)
        say(f"API and worker stopped in {time.monotonic() - started:.2f} s")
        self.children.clear()
        with contextlib.suppress(FileNotFoundError):
            self.record_path.unlink()
        return clean

    def _rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)


def _signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


def _wait_group(pgid: int, timeout: float) -> bool:
    """True once no live process is left in the group."""
    deadline = time.monotonic() + timeout
    while _group_members(pgid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def apply_migrations(dsn: str) -> None:
    """Apply shared/store/migrate.py's migrations, when that module exists yet."""
    if importlib.util.find_spec("shared.store.migrate") is None:
        say("shared.store.migrate does not exist yet: no migrations applied")
        return
    from shared.store.migrate import apply_migrations as apply

    started = time.monotonic()
    applied = asyncio.run(apply(dsn))
    done = f"applied {', '.join(applied)}" if applied else "schema up to date"
    say(f"migrations: {done} ({time.monotonic() - started:.2f} s)")


def client_address(listen: str) -> str:
    """Where a local client reaches a server listening on `listen` (`[::]:50051`)."""
    host, _, port = listen.rpartition(":")
    if host in WILDCARD_HOSTS:
        host = "localhost"
    return f"{host}:{port}"


@contextlib.contextmanager
def supervised(stack: Stack, *, exclusive_message: str) -> Iterator[Stack]:
    """Lock the state folder, clear a killed run's leftovers, always shut down on exit."""
    if not stack.lock():
        owner = stack.read_record().get("pid", "?")
        raise StackBusy(f"{exclusive_message} (supervisor pid {owner}); stop it first")
    try:
        stack.stop_recorded_leftovers()
        yield stack
    finally:
        try:
            stack.stop_services()
        finally:
            stack.stop_servers()
            stack.unlock()


def banner(stack: Stack, address: str) -> str:
    database = (
        f"embedded PostgreSQL 18, data in {stack._rel(stack.postgres.pgdata)}"
        if stack.postgres
        else embedded.masked_url(stack.env["DATABASE_URL"])
    )
    broker = (
        f"embedded Valkey, data in {stack._rel(stack.valkey.data_dir)}"
        if stack.valkey
        else embedded.masked_url(stack.env["BROKER_URL"])
    )
    key = stack.env.get("CONTACTIMPORT_JWT_KEY_FILE") or "CONTACTIMPORT_JWT_KEY"
    return "\n".join(
        [
            "",
            f"contactimport is running on {address} (Ctrl-C stops everything)",
            f"  database  {database}",
            f"            DATABASE_URL={stack.env['DATABASE_URL']}",
            f"  broker    {broker}",
            f"  JWT key   {key}",
            "  try it    export CONTACTIMPORT_TOKEN=$(.venv/bin/contactimport token "
            "--tenant demo --name 'Demo User' --country NL)",
            "            .venv/bin/contactimport import tests/fixtures/e2e/contacts.csv --wait",
            f"            .venv/bin/grpcurl -plaintext {address} list",
            "",
        ]
    )


def wait_foreground(stack: Stack, process: subprocess.Popen[bytes]) -> int:
    """Wait for a foreground child (pytest, the bench) while watching signals and services.

    Ctrl-C reaches the child through the terminal; SIGTERM is passed on to it.
    """
    forwarded = 0
    while True:
        try:
            return process.wait(0.2)
        except subprocess.TimeoutExpired:
            pass
        if stack.stop.count > forwarded and stack.stop.signum != signal.SIGINT:
            forwarded = stack.stop.count
            process.send_signal(signal.SIGTERM if forwarded == 1 else signal.SIGKILL)
        if (dead := stack.dead_child()) is not None:
            say(f"the {dead.name} {exit_text(dead.process.returncode)}: stopping")
            process.terminate()
            process.wait()
            return 1


# --- commands ---------------------------------------------------------------------------


def cmd_run(root: Path, worker_args: list[str]) -> int:
    stop = StopRequested()
    stop.install()
    stack = Stack(root, embedded.local_dir(root), stop)
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
    except (StackError, embedded.EmbeddedError) as exc:
        say(f"error: {exc}")
        _verify_nothing_left(stack)
        return 1


def exit_text(returncode: int | None) -> str:
    """`exited with status 3` or `was killed by SIGKILL`."""
    if returncode is not None and returncode < 0:
        return f"was killed by {signal.Signals(-returncode).name}"
    return f"exited with status {returncode}"


def _verify_nothing_left(stack: Stack) -> bool:
    left = list(embedded.leftover_processes(stack.root, stack.state_dir, services=False))
    for child in stack.children:
        if child.group_alive():
            left.append(psutil.Process(child.pid))
    for proc in left:
        say(f"still running: {embedded.describe(proc)}")
    if not left:
        say("everything stopped: no server, API or worker process left")
    return not left


def cmd_migrate(root: Path) -> int:
    if os.environ.get("DATABASE_URL"):
        apply_migrations(os.environ["DATABASE_URL"])
        return 0
    stop = StopRequested()
    stack = Stack(root, embedded.local_dir(root), stop)
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
    except (StackError, embedded.EmbeddedError) as exc:
        say(f"error: {exc}")
        return 1
    return 0


def cmd_test(root: Path, pytest_args: list[str]) -> int:
    stop = StopRequested()
    stop.install()
    # A folder per run, so that several `make test` in one tree do not share servers.
    tests_dir = embedded.local_dir(root) / "test"
    _clear_stale_test_dirs(tests_dir)
    stack = Stack(root, tests_dir / str(os.getpid()), stop)
    stack.env.setdefault("PYTHONUNBUFFERED", "1")
    command = [sys.executable, "-m", "pytest", *pytest_args]
    if stack.env.get("DATABASE_URL") and stack.env.get("BROKER_URL"):
        _ensure_database(stack.env["DATABASE_URL"])
        say(
            f"pytest against {embedded.masked_url(stack.env['DATABASE_URL'])} and "
            f"{embedded.masked_url(stack.env['BROKER_URL'])}"
        )
        code = wait_foreground(stack, subprocess.Popen(command, cwd=root, env=stack.env))
    else:
        if stack.env.get("DATABASE_URL"):
            _ensure_database(stack.env["DATABASE_URL"])
        try:
            with supervised(stack, exclusive_message="`make test` is already running here"):
                stack.start_servers(database=TEST_DATABASE, for_tests=True)
                code = wait_foreground(stack, subprocess.Popen(command, cwd=root, env=stack.env))
        except (StackError, embedded.EmbeddedError) as exc:
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
            embedded.stop_leftover_valkey(state_dir / "valkey")
            embedded.stop_leftover_postgres(state_dir / "postgres")
            shutil.rmtree(state_dir, ignore_errors=True)
        finally:
            stale.unlock()


def _ensure_database(url: str) -> None:
    import asyncpg

    try:
        if embedded.ensure_database(url):
            say(f"created the database of {embedded.masked_url(url)}")
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        # pytest then reports the real problem with the database, in context.
        say(f"could not check the database of {embedded.masked_url(url)}: {exc}")


def cmd_bench(root: Path, bench_args: list[str], worker_args: list[str]) -> int:
    stop = StopRequested()
    stop.install()
    stack = Stack(root, embedded.local_dir(root) / "bench", stop)
    try:
        with supervised(stack, exclusive_message="`make bench` is already running here"):
            started = time.monotonic()
            stack.start_servers(database=EMBEDDED_DATABASE, for_tests=True)
            stack.migrate()
            stack.ensure_jwt_key()
            listen = stack.env.get("CONTACTIMPORT_BENCH_LISTEN") or (
                f"127.0.0.1:{embedded.free_port()}"
            )
            stack.env["CONTACTIMPORT_LISTEN"] = listen
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
                "shared.tools.bench",
                "--addr",
                address,
                "--api-pid",
                str(api.pid),
                "--worker-pid",
                str(worker.pid),
                *bench_args,
            ]
            code = wait_foreground(stack, subprocess.Popen(command, cwd=root, env=stack.env))
    except StackBusy as exc:
        say(f"error: {exc}")
        return 1
    except (StackError, embedded.EmbeddedError) as exc:
        say(f"error: {exc}")
        code = 1
    return code if _verify_nothing_left(stack) else 1


def cmd_leftovers(root: Path, state_dir: Path) -> int:
    left = list(embedded.leftover_processes(root, state_dir))
    for proc in left:
        print(f"left running: {embedded.describe(proc)}")
    if not left:
        print(f"nothing left running for {state_dir}")
    return 1 if left else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    passthrough: list[str] = []
    if "--" in args:
        cut = args.index("--")
        args, passthrough = args[:cut], args[cut + 1 :]
    parser = argparse.ArgumentParser(prog="python -m shared.devstack", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="API + worker in the foreground")
    commands.add_parser("migrate", help="apply the schema migrations")
    commands.add_parser("test", help="pytest (arguments after --)")
    bench = commands.add_parser("bench", help="benchmark (bench.py arguments after --)")
    leftovers = commands.add_parser("leftovers", help="list processes a stack left running")
    for sub in (run, bench):
        sub.add_argument("--worker-processes", type=int, help="worker processes (dramatiq)")
    leftovers.add_argument("--state-dir", type=Path, default=Path(embedded.LOCAL_DIR_NAME))
    options = parser.parse_args(args)
    root = embedded.repo_root()
    os.chdir(root)
    worker_args = []
    if getattr(options, "worker_processes", None):
        worker_args = ["--processes", str(options.worker_processes)]
    if options.command == "run":
        return cmd_run(root, worker_args + passthrough)
    if options.command == "migrate":
        return cmd_migrate(root)
    if options.command == "test":
        return cmd_test(root, passthrough)
    if options.command == "bench":
        return cmd_bench(root, passthrough, worker_args)
    return cmd_leftovers(root, (root / options.state_dir).resolve())


if __name__ == "__main__":
    raise SystemExit(main())
