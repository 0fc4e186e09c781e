"""The checkout's git-ignored `.local/` folder and small helpers of the local stack."""

from __future__ import annotations

import os
import socket
import tempfile
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

LOCAL_DIR_NAME = ".local"


def repo_root() -> Path:
    """The checkout these tools live in (devtools/ is one level below it)."""
    return Path(__file__).resolve().parents[2]


def local_dir(root: Path) -> Path:
    """The repository's git-ignored folder for local state (created on demand)."""
    path = root / LOCAL_DIR_NAME
    path.mkdir(mode=0o755, exist_ok=True)
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


def masked_url(url: str) -> str:
    """A URL with its password replaced by `***`, for banners and logs."""
    parts = urlsplit(url)
    if parts.password:
        netloc = f"{quote(parts.username or '')}:***@{parts.hostname or ''}"
        if parts.port:
            netloc += f":{parts.port}"
        return urlunsplit(parts._replace(netloc=netloc))
    return url
