"""The key `contactimport token` signs with: the one the server verifies with locally."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

DEFAULT_AUDIENCE = "contactimport"


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
    from shared import embedded  # here: it loads asyncpg and psutil, which only this needs

    root = repo_root if repo_root is not None else embedded.repo_root()
    return embedded.ensure_dev_key(root).read_text().strip()


def audience(env: Mapping[str, str]) -> str:
    """CONTACTIMPORT_JWT_AUDIENCE, as the server checks it (default "contactimport")."""
    return env.get("CONTACTIMPORT_JWT_AUDIENCE") or DEFAULT_AUDIENCE
