"""The key `contactimport token` signs with: the one the server verifies with locally."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

DEFAULT_AUDIENCE = "contactimport"
# The checkout's git-ignored folder for local state; `make run` (devtools.stack) points the
# services at the same file.
DEV_KEY_PATH = Path(".local") / "dev-jwt.key"
REPO_ROOT = Path(__file__).resolve().parents[2]


def signing_key(env: Mapping[str, str], repo_root: Path | None = None) -> str:
    """CONTACTIMPORT_JWT_KEY, else the file CONTACTIMPORT_JWT_KEY_FILE names, else the dev key.

    The same order as `Settings.jwt_verify_key`, read straight from the environment so that
    no unrelated server setting can stop a token from being made. The development key is
    the repository's `.local/dev-jwt.key`, made when missing exactly as `make run` makes it.
    """
    if key := env.get("CONTACTIMPORT_JWT_KEY", ""):
        return key
    if key_file := env.get("CONTACTIMPORT_JWT_KEY_FILE", ""):
        return Path(key_file).read_text().strip()
    root = repo_root if repo_root is not None else REPO_ROOT
    return ensure_dev_key(root).read_text().strip()


def dev_key_path(repo_root: Path) -> Path:
    """Where the local development JWT key lives (`make run` and `contactimport token`)."""
    return repo_root / DEV_KEY_PATH


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


def audience(env: Mapping[str, str]) -> str:
    """CONTACTIMPORT_JWT_AUDIENCE, as the server checks it (default "contactimport")."""
    return env.get("CONTACTIMPORT_JWT_AUDIENCE") or DEFAULT_AUDIENCE
