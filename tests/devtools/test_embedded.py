"""The embedded servers of `make run` / `make test`: start, stop, and recovery after a kill.

These start real servers (about a second each) and need no DATABASE_URL or BROKER_URL.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import asyncpg
import psutil  # type: ignore[import-untyped]
import pytest

from devtools.stack import processes
from devtools.stack.commands import client_address
from devtools.stack.embedded_postgres import start_postgres
from devtools.stack.embedded_valkey import start_valkey
from devtools.stack.local import masked_url
from services.cli.dev_token import dev_key_path, ensure_dev_key

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    return tmp_path


def _pong(url: str) -> bytes:
    host, port = url.removeprefix("redis://").split("/")[0].split(":")
    with socket.create_connection((host, int(port)), timeout=2) as sock:
        sock.sendall(b"*1\r\n$4\r\nPING\r\n")
        return sock.recv(64)


def test_dev_key_is_made_once_and_private(tmp_path: Path) -> None:
    # Given a repository without a key
    # When the key is asked for twice
    first = ensure_dev_key(tmp_path)
    content = first.read_text()
    second = ensure_dev_key(tmp_path)

    # Then one 0600 file of 32 random bytes in hex lives in .local/
    assert first == second == dev_key_path(tmp_path) == tmp_path / ".local/dev-jwt.key"
    assert second.read_text() == content
    assert len(content.strip()) == 64
    int(content, 16)
    assert stat.S_IMODE(first.stat().st_mode) == 0o600


def test_servers_start_answer_and_stop_leaving_nothing(state_dir: Path) -> None:
    # Given embedded PostgreSQL and Valkey started in a state folder
    postgres = start_postgres(state_dir / "postgres", database="contactimport")
    valkey = start_valkey(state_dir / "valkey")
    try:
        # When a client talks to them
        async def query() -> object:
            conn = await asyncpg.connect(postgres.uri)
            try:
                return await conn.fetchval("SELECT current_database()")
            finally:
                await conn.close()

        # Then both answer, the broker with append-only persistence on
        assert asyncio.run(query()) == "contactimport"
        assert _pong(valkey.url).startswith(b"+PONG")
        assert "appendonly yes" in (valkey.data_dir / "valkey.conf").read_text()
        assert list(processes.leftover_processes(state_dir, state_dir, services=False))
    finally:
        valkey.stop()
        postgres.stop()

    # And once stopped nothing of theirs runs
    assert list(processes.leftover_processes(state_dir, state_dir, services=False)) == []


def test_servers_of_a_killed_supervisor_are_stopped_at_the_next_start(state_dir: Path) -> None:
    # Given a supervisor that started both servers and was killed with SIGKILL
    script = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from devtools.stack.embedded_postgres import start_postgres
        from devtools.stack.embedded_valkey import start_valkey
        state = Path({str(state_dir)!r})
        start_postgres(state / "postgres", database="contactimport")
        start_valkey(state / "valkey")
        print("ready", flush=True)
        time.sleep(60)
        """
    )
    supervisor = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, cwd=ROOT, env=dict(os.environ)
    )
    assert supervisor.stdout is not None
    assert supervisor.stdout.readline().strip() == b"ready"
    supervisor.send_signal(signal.SIGKILL)
    supervisor.wait()
    supervisor.stdout.close()
    orphans = list(processes.leftover_processes(state_dir, state_dir, services=False))
    assert orphans, "the servers outlive a killed supervisor"

    # When the next run starts them on the same folders
    postgres = start_postgres(state_dir / "postgres", database="contactimport")
    valkey = start_valkey(state_dir / "valkey")
    try:
        # Then the old servers are gone and new ones run
        assert not [p for p in orphans if _running(p)]
        assert _pong(valkey.url).startswith(b"+PONG")
    finally:
        valkey.stop()
        postgres.stop()
    assert list(processes.leftover_processes(state_dir, state_dir, services=False)) == []


def _running(proc: psutil.Process) -> bool:
    try:
        return bool(proc.status() != psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return False


@pytest.mark.parametrize(
    ("listen", "address"),
    [
        pytest.param("[::]:50051", "localhost:50051", id="ipv6-any"),
        pytest.param("0.0.0.0:6000", "localhost:6000", id="ipv4-any"),
        pytest.param("127.0.0.1:7000", "127.0.0.1:7000", id="loopback"),
    ],
)
def test_client_address_of_a_listen_address(listen: str, address: str) -> None:
    assert client_address(listen) == address


def test_masked_url_hides_the_password() -> None:
    url = "amqp://guest:secret@127.0.0.1:5672/%2F"
    assert masked_url(url) == "amqp://guest:***@127.0.0.1:5672/%2F"
    assert masked_url("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"
