"""The supervisor of one state folder: its lock and record, servers, API and worker.

One supervisor per state folder (`.local`, `.local/test/<pid>`, `.local/bench`) at a time,
held by a lock file; the pids it starts are written to `devstack.json` so that a later
start can stop what a killed supervisor left running. The API and the worker run as child
processes, each the leader of its own process group.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import psutil  # type: ignore[import-untyped]

from devtools.stack import embedded_postgres, embedded_valkey
from devtools.stack.errors import StackBusy, StackError
from devtools.stack.local import local_dir, prepare_runtime_dir
from devtools.stack.processes import group_members, signal_group, stop_group, wait_group
from services.cli.dev_token import ensure_dev_key

READY_TIMEOUT = 120.0
# The API drains for CONTACTIMPORT_GRACE_SECONDS (10 s); a worker finishes its import.
STOP_TIMEOUT = 30.0
FORWARDED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
SERVICE_MODULES = {"API": "services.import_api", "worker": "services.validator_worker"}


def say(message: str) -> None:
    print(f"devstack: {message}", flush=True)


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
        return bool(group_members(self.pid))


def exit_text(returncode: int | None) -> str:
    """`exited with status 3` or `was killed by SIGKILL`."""
    if returncode is not None and returncode < 0:
        return f"was killed by {signal.Signals(-returncode).name}"
    return f"exited with status {returncode}"


def apply_migrations(dsn: str) -> None:
    """Apply shared/store/migrate.py's migrations to `dsn`."""
    from shared.store.migrate import apply_migrations as apply

    started = time.monotonic()
    applied = asyncio.run(apply(dsn))
    done = f"applied {', '.join(applied)}" if applied else "schema up to date"
    say(f"migrations: {done} ({time.monotonic() - started:.2f} s)")


@dataclass
class Stack:
    """Servers and services of one state folder (`.local`, `.local/test`, `.local/bench`)."""

    root: Path
    state_dir: Path
    stop: StopRequested
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    postgres: embedded_postgres.EmbeddedPostgres | None = None
    valkey: embedded_valkey.EmbeddedValkey | None = None
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
        return read_record(self.record_path)

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
            stop_group(pid, STOP_TIMEOUT)
        with contextlib.suppress(FileNotFoundError):
            self.record_path.unlink()

    # --- servers --------------------------------------------------------------------

    def start_servers(
        self, *, database: str, need_broker: bool = True, for_tests: bool = False
    ) -> None:
        """Use DATABASE_URL / BROKER_URL when set, else start embedded servers for them."""
        prepare_runtime_dir(local_dir(self.root))
        self.env["XDG_RUNTIME_DIR"] = os.environ["XDG_RUNTIME_DIR"]
        if not self.env.get("DATABASE_URL"):
            started = time.monotonic()
            self.postgres = embedded_postgres.start_postgres(
                self.state_dir / "postgres", database=database, fresh_database=for_tests
            )
            self.env["DATABASE_URL"] = self.postgres.uri
            say(
                f"embedded PostgreSQL on {self.rel(self.postgres.pgdata)} "
                f"(pid {self.postgres.pid}) ready in {time.monotonic() - started:.2f} s"
            )
        if need_broker and not self.env.get("BROKER_URL"):
            started = time.monotonic()
            self.valkey = embedded_valkey.start_valkey(
                self.state_dir / "valkey", persist=not for_tests
            )
            self.env["BROKER_URL"] = self.valkey.url
            say(
                f"embedded Valkey on {self.rel(self.valkey.data_dir)} at {self.valkey.url} "
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
        self.env["CONTACTIMPORT_JWT_KEY_FILE"] = str(ensure_dev_key(self.root))

    def start_services(self, worker_args: Sequence[str]) -> None:
        self.env.setdefault("PYTHONUNBUFFERED", "1")
        self.children.append(self._spawn("API", ["-m", SERVICE_MODULES["API"]]))
        self.children.append(self._spawn("worker", ["-m", SERVICE_MODULES["worker"], *worker_args]))
        self.write_record()

    def restart_worker(self, worker_args: Sequence[str], timeout: float = STOP_TIMEOUT) -> Child:
        """Stop the worker (its leader, as stop_services does) and start it with these args."""
        old = next(c for c in self.children if c.name == "worker")
        say(f"restarting the worker (pid {old.pid}) with {' '.join(worker_args) or 'defaults'}")
        stop_group(old.pid, timeout)
        old.process.wait(5)
        self.children.remove(old)
        worker = self._spawn("worker", ["-m", SERVICE_MODULES["worker"], *worker_args])
        self.children.append(worker)
        self.write_record()
        return worker

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
                signal_group(child.pid, signal.SIGKILL)
                child.process.wait(5)
            # Processes of the group that outlived their leader (a worker's children).
            if child.group_alive():
                signal_group(child.pid, signal.SIGTERM)
                if not wait_group(child.pid, 5):
                    signal_group(child.pid, signal.SIGKILL)
                    wait_group(child.pid, 5)
        say(f"API and worker stopped in {time.monotonic() - started:.2f} s")
        self.children.clear()
        with contextlib.suppress(FileNotFoundError):
            self.record_path.unlink()
        return clean

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)


def read_record(path: Path) -> dict[str, object]:
    """A supervisor's `devstack.json` (empty when there is none)."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


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
