"""`contactimport delete` against the fake service."""

from __future__ import annotations

import json

import pytest

from services.cli import main as cli
from tests.cli.fake_service import FakeImportService


def test_deleting_a_running_import_says_what_to_do(
    fake: FakeImportService, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["delete", "imp-running"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "error: FAILED_PRECONDITION IMPORT_RUNNING: The import is still running.",
        "Wait for it to end (contactimport get imp-running --wait), then delete it.",
    ]


@pytest.mark.parametrize(
    "json_flag", [pytest.param([], id="human"), pytest.param(["--json"], id="json")]
)
def test_delete_shows_what_was_deleted(
    fake: FakeImportService, capsys: pytest.CaptureFixture[str], json_flag: list[str]
) -> None:
    assert cli.main(["delete", "imp-3", *json_flag]) == 0

    out = capsys.readouterr().out
    assert fake.deleted == ["imp-3"]
    if json_flag:
        (line,) = out.splitlines()
        body = json.loads(line)
        assert body["importId"] == "imp-3"
        assert body["deletion"] == {
            "deletedCount": 2,
            "deletedBy": "Bob Boss",
            "deleteTime": "2026-11-21T09:30:00Z",
            "summary": "2 deleted by Bob Boss.",
        }
    else:
        assert out.splitlines() == [
            "Deleted the contacts of import imp-3 (contacts.csv, uploaded 2026-11-20 09:15 UTC "
            "by Bob Boss).",
            "2 deleted by Bob Boss. (2026-11-21 09:30 UTC)",
        ]
