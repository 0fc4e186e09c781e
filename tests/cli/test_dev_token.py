"""The key `contactimport token` signs with, and the `token` command itself."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from services.cli import main as cli
from services.cli.dev_token import audience, signing_key


def test_signing_key_falls_back_to_the_repository_dev_key(tmp_path: Path) -> None:
    key = signing_key({}, repo_root=tmp_path)
    path = tmp_path / ".local" / "dev-jwt.key"
    assert len(bytes.fromhex(key)) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert signing_key({}, repo_root=tmp_path) == key


def test_signing_key_prefers_the_key_then_the_key_file(tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text("from-file\n")
    assert (
        signing_key({"CONTACTIMPORT_JWT_KEY": "k", "CONTACTIMPORT_JWT_KEY_FILE": str(key_file)})
        == "k"
    )
    assert signing_key({"CONTACTIMPORT_JWT_KEY_FILE": str(key_file)}) == "from-file"
    assert audience({}) == "contactimport"
    assert audience({"CONTACTIMPORT_JWT_AUDIENCE": "other"}) == "other"


def test_token_command_signs_a_token_the_server_accepts(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from shared.identity import verify_token

    key = "ab" * 32
    monkeypatch.setenv("CONTACTIMPORT_JWT_KEY", key)
    monkeypatch.delenv("CONTACTIMPORT_JWT_AUDIENCE", raising=False)
    assert cli.main(["token", "--tenant", "acme", "--name", "Ann", "--country", "nl"]) == 0
    token = capsys.readouterr().out.strip()
    identity = verify_token(token, key=key, algorithms=["HS256"], audience="contactimport")
    assert (identity.tenant_id, identity.display_name, identity.country) == ("acme", "Ann", "NL")
