"""Failures of any command against the fake service: the error object, a missing token,
a bad command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from services.cli import main as cli
from tests.cli.fake_service import FakeImportService
from tests.cli.printed import json_lines

ERROR_KEYS = ["code", "reason", "message"]


@pytest.mark.parametrize(
    ("argv", "setup", "lines_before", "code", "reason"),
    [
        pytest.param(
            ["history", "--page-size", "2"],
            {"refuse_list_call": 1},
            0,
            "UNAVAILABLE",
            "DATABASE_UNAVAILABLE",
            id="history-first-page-fails",
        ),
        pytest.param(
            ["history", "--page-size", "2"],
            {"refuse_list_call": 3},
            4,
            "UNAVAILABLE",
            "DATABASE_UNAVAILABLE",
            id="history-third-page-fails-after-two",
        ),
        pytest.param(
            ["contacts", "--page-size", "2"],
            {"refuse_list_call": 2},
            2,
            "UNAVAILABLE",
            "DATABASE_UNAVAILABLE",
            id="contacts-second-page-fails",
        ),
        pytest.param(
            ["contacts", "x" * 201],
            {},
            0,
            "INVALID_ARGUMENT",
            "INVALID_REQUEST",
            id="contacts-query-refused",
        ),
        pytest.param(
            ["history", "--page-size", "2"],
            {"repeat_page_token": True},
            4,
            "INTERNAL",
            "PAGE_TOKEN_REPEATED",
            id="history-server-repeats-a-token",
        ),
        pytest.param(
            ["delete", "imp-running"],
            {},
            0,
            "FAILED_PRECONDITION",
            "IMPORT_RUNNING",
            id="delete-running",
        ),
        pytest.param(
            ["delete", "nope"], {}, 0, "NOT_FOUND", "IMPORT_NOT_FOUND", id="delete-unknown"
        ),
    ],
)
def test_errors_are_the_json_error_object_last_and_exit_1(
    fake: FakeImportService,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    setup: dict[str, Any],
    lines_before: int,
    code: str,
    reason: str,
) -> None:
    for name, value in setup.items():
        setattr(fake, name, value)

    assert cli.main([*argv, "--json"]) == 1

    captured = capsys.readouterr()
    *items, last = json_lines(captured.out)
    assert len(items) == lines_before
    assert all("importId" in item or "contactId" in item for item in items)
    assert list(last) == ["error"]
    assert list(last["error"]) == ERROR_KEYS
    assert (last["error"]["code"], last["error"]["reason"]) == (code, reason)
    assert captured.err == ""

    fake.list_imports_requests.clear()
    fake.list_contacts_requests.clear()
    assert cli.main(argv) == 1  # human: nothing on stdout, the error on stderr

    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"error: {code} {reason}: ")


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["history"], id="history"),
        pytest.param(["delete", "imp-3"], id="delete"),
        pytest.param(["template", "-o", "t.xlsx"], id="template"),
        pytest.param(["contacts", "jan"], id="contacts"),
    ],
)
def test_new_commands_without_a_token_say_how_to_make_one(
    fake: FakeImportService,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
) -> None:
    monkeypatch.delenv("CONTACTIMPORT_TOKEN")
    monkeypatch.chdir(tmp_path)
    assert cli.main([*argv, "--json"]) == 1
    (line,) = capsys.readouterr().out.splitlines()
    error = json.loads(line)["error"]
    assert (error["code"], error["reason"]) == ("UNAUTHENTICATED", "TOKEN_MISSING")
    assert fake.authorization == []
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["history", "--page-size", "0"], id="page-size-zero"),
        pytest.param(["contacts", "--page-size", "-5"], id="page-size-negative"),
        pytest.param(["contacts", "--limit", "0"], id="limit-zero"),
        pytest.param(["history", "--limit", "many"], id="limit-not-a-number"),
        pytest.param(["template", "--locale", "es"], id="unknown-locale"),
        pytest.param(["delete"], id="delete-without-id"),
        pytest.param(["contacts", "a", "b"], id="two-queries"),
    ],
)
def test_bad_command_lines_exit_2_before_any_call(
    fake: FakeImportService, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(argv)
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.startswith("usage: contactimport")
    assert fake.authorization == []
