"""The `contactimport` command against the real in-process server, broker and worker.

The server runs on the session's event loop, so each command runs in a thread
(`asyncio.to_thread`) while the test awaits it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from services.cli import main as cli
from shared.settings import Settings
from tests.support import csv_bytes

HEADER = ["Voornaam", "Achternaam", "Telefoon", "E-mail"]
VALID = [["Jan", "Jansen", "020 123 4567", "jan@example.nl"], ["Eva", "", "0612345678", ""]]
INVALID = [["Piet", "Puk", "12", ""]]  # PHONE_INVALID


@pytest.fixture
def cli_env(
    monkeypatch: pytest.MonkeyPatch, api_address: str, token_for: Callable[..., str], tenant: str
) -> None:
    """Point the command at the test server, with a token of this test's tenant."""
    monkeypatch.setenv("CONTACTIMPORT_ADDR", api_address)
    monkeypatch.setenv("CONTACTIMPORT_TOKEN", token_for(tenant))


async def run(*argv: str) -> int:
    return await asyncio.to_thread(cli.main, list(argv))


def write(tmp_path: Path, rows: list[list[str]], name: str = "contacts.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows))
    return path


@pytest.mark.usefixtures("worker", "cli_env")
async def test_import_wait_json_then_failures_saves_the_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a file with two valid rows and one bad phone number
    path = write(tmp_path, [HEADER, *VALID, *INVALID])

    # When it is imported with --wait --json
    status = await run("import", str(path), "--wait", "--json")

    # Then stdout holds one JSON object: the finished import
    captured = capsys.readouterr()
    assert status == 0
    assert len(captured.out.splitlines()) == 1
    body = json.loads(captured.out)
    assert body["state"] == "STATE_PARTIALLY_SUCCEEDED"
    assert body["counts"]["rows"] == 3
    assert body["counts"]["imported"] == 2
    assert body["counts"]["failed"] == 1
    assert body["hasFailureWorkbook"] is True

    # And `failures` saves the workbook with the rejected row, its number and reason
    target = tmp_path / "failures.xlsx"
    assert await run("failures", body["importId"], "-o", str(target)) == 0
    assert capsys.readouterr().out.startswith(f"Saved {target} (")
    assert not target.with_name("failures.xlsx.part").exists()
    sheet = openpyxl.load_workbook(target).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][: len(HEADER)] == HEADER
    assert "Row" in rows[0]
    assert "Reason" in rows[0]
    assert rows[1][rows[0].index("Row")] == "4"


@pytest.mark.usefixtures("worker", "cli_env")
async def test_import_wait_human_prints_preview_mapping_and_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, [HEADER, *VALID, *INVALID])

    status = await run("import", str(path), "--wait")

    captured = capsys.readouterr()
    assert status == 0
    assert "Headers (4): Voornaam, Achternaam, Telefoon, E-mail" in captured.out
    assert "020 123 4567" in captured.out  # preview
    assert "first_name" in captured.out  # suggested mapping
    assert "PARTIALLY_SUCCEEDED" in captured.out
    assert "contactimport failures " in captured.out
    # stderr is not a terminal here: plain progress lines, the last one terminal
    assert captured.err.splitlines()[-1].startswith("PARTIALLY_SUCCEEDED: 3/3 rows")


@pytest.mark.usefixtures("worker", "cli_env")
async def test_an_import_that_fails_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, [HEADER, *INVALID])

    status = await run("import", str(path), "--wait", "--json")

    assert status == 2
    assert json.loads(capsys.readouterr().out)["state"] == "STATE_FAILED"


@pytest.mark.usefixtures("cli_env")
async def test_a_refused_file_prints_the_error_object_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "windows.csv"
    path.write_bytes("Voornaam,Telefoon\nRené,0612345678\n".encode("cp1252"))

    status = await run("import", str(path), "--json")

    captured = capsys.readouterr()
    assert status == 1
    body = json.loads(captured.out)
    assert list(body) == ["error"]
    assert list(body["error"]) == ["code", "reason", "message"]
    assert (body["error"]["code"], body["error"]["reason"]) == ("INVALID_ARGUMENT", "NOT_UTF8")
    assert "UTF-8" in body["error"]["message"]


@pytest.mark.usefixtures("cli_env")
async def test_a_map_override_the_server_refuses_prints_its_violations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a mapping left without any phone column
    path = write(tmp_path, [HEADER, *VALID])

    status = await run("import", str(path), "--map", "phone=", "--map", "mobile=")

    err = capsys.readouterr().err.splitlines()
    assert status == 1
    assert err[0].startswith("error: INVALID_ARGUMENT INVALID_MAPPING: ")
    assert len(err) > 1  # the BadRequest field violations, one per line


@pytest.mark.usefixtures("cli_env")
async def test_the_token_command_makes_a_token_the_server_accepts(
    monkeypatch: pytest.MonkeyPatch, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a token minted by the command with the server's key
    monkeypatch.setenv("CONTACTIMPORT_JWT_KEY", settings.jwt_key)
    assert await run("token", "--tenant", "cli-tenant", "--name", "Cli User") == 0
    token = capsys.readouterr().out.strip()

    # When it asks for an import that does not exist
    status = await run("get", "00000000-0000-4000-8000-000000000000", "--json", "--token", token)

    # Then the server knows the caller and answers NOT_FOUND, not UNAUTHENTICATED
    assert status == 1
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "NOT_FOUND"


@pytest.mark.usefixtures("cli_env")
async def test_a_bad_token_is_unauthenticated(capsys: pytest.CaptureFixture[str]) -> None:
    status = await run("get", "00000000-0000-4000-8000-000000000000", "--json", "--token", "x.y.z")

    assert status == 1
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "UNAUTHENTICATED"
