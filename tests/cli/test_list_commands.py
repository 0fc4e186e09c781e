"""`contactimport history` and `contacts` against the fake service: every page followed,
--limit, --json lines, the tables."""

from __future__ import annotations

import io
import json

import pytest
from google.protobuf import json_format

from services.cli import main as cli
from tests.cli.canned import CONTACTS, HISTORY
from tests.cli.fake_service import FakeImportService
from tests.cli.printed import as_json, cells, json_lines


@pytest.fixture
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal wide enough for every column, whatever runs the tests."""
    monkeypatch.setenv("COLUMNS", "200")


@pytest.mark.parametrize(
    ("flags", "sent_size", "tokens"),
    [
        pytest.param([], 100, [""], id="default-one-page-of-100"),
        pytest.param(["--page-size", "2"], 2, ["", "h:2", "h:4"], id="three-pages"),
        pytest.param(["--page-size", "1"], 1, ["", "h:1", "h:2", "h:3", "h:4"], id="one-per-page"),
        pytest.param(["--page-size", "5"], 5, [""], id="exactly-one-page"),
        pytest.param(["--page-size", "500"], 500, [""], id="server-lowers-the-size"),
    ],
)
def test_history_json_prints_every_import_newest_first_across_pages(
    fake: FakeImportService,
    capsys: pytest.CaptureFixture[str],
    flags: list[str],
    sent_size: int,
    tokens: list[str],
) -> None:
    assert cli.main(["history", "--json", *flags]) == 0

    captured = capsys.readouterr()
    assert json_lines(captured.out) == [as_json(imp) for imp in HISTORY]
    assert captured.err == ""
    assert [r.page_token for r in fake.list_imports_requests] == tokens
    assert {r.page_size for r in fake.list_imports_requests} == {sent_size}
    assert set(fake.authorization) == {"Bearer tok"}


def test_history_json_lines_are_protobuf_json_mapping(
    fake: FakeImportService, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["history", "--json", "--page-size", "2"]) == 0
    out = capsys.readouterr().out
    first, deleted = out.splitlines()[:2]
    assert first == json_format.MessageToJson(HISTORY[0], indent=None)
    assert json.loads(deleted)["deletion"] == {
        "deletedCount": 12,
        "deletedBy": "Bob Boss",
        "deleteTime": "2026-11-21T08:00:00Z",
        "summary": "12 deleted by Bob Boss.",
    }
    assert json.loads(first)["createTime"] == "2026-11-21T10:00:00Z"
    assert json.loads(first)["state"] == "STATE_UPLOADED"


@pytest.mark.usefixtures("wide")
def test_history_table_newest_first_with_the_deletion_under_its_import(
    fake: FakeImportService, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["history", "--page-size", "2"]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == [
        *("Import", "ID", "Uploaded", "(UTC)", "File", "Format", "State"),
        *("Rows", "Imported", "Failed", "Uploaded", "by"),
    ]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert [line.split()[0] for line in lines[1:] if line.startswith("imp-")] == [
        "imp-5",
        "imp-4",
        "imp-3",
        "imp-2",
        "imp-1",
    ]
    assert rows["imp-3"].split() == [
        *("imp-3", "2026-11-20", "09:15", "contacts.csv", "CSV", "PARTIALLY_SUCCEEDED"),
        *("3", "2", "1", "Bob", "Boss"),
    ]
    # Never started: the rows are known, imported and failed are not
    assert rows["imp-5"].split()[5:9] == ["UPLOADED", "10", "-", "-"]
    assert "SUCCEEDED, dry run" in rows["imp-1"]
    # The deleted import's "N deleted by NAME." is on the line under it
    assert lines[lines.index(rows["imp-4"]) + 1] == "  ↳ 12 deleted by Bob Boss."
    assert sum("deleted by" in line for line in lines) == 1
    assert lines[-1] == "5 imports."


@pytest.mark.parametrize(
    ("argv", "shown", "sent_size", "calls", "last_line"),
    [
        pytest.param(
            ["history", "--limit", "3", "--page-size", "2"],
            3,
            2,
            2,
            "First 3 imports shown; there are more (raise --limit, or leave it out).",
            id="history-limit-across-pages",
        ),
        pytest.param(
            ["history", "--limit", "2"], 2, 2, 1, "First 2 imports shown;", id="history-limit-small"
        ),
        pytest.param(["history", "--limit", "5"], 5, 5, 1, "5 imports.", id="history-limit-all"),
        pytest.param(["history", "--limit", "50"], 5, 50, 1, "5 imports.", id="history-limit-more"),
        pytest.param(
            ["contacts", "--limit", "1"], 1, 1, 1, "First 1 contact shown;", id="contacts-limit"
        ),
        pytest.param(
            ["contacts", "--limit", "4", "--page-size", "3"],
            4,
            3,
            2,
            "First 4 contacts shown;",
            id="contacts-limit-across-pages",
        ),
    ],
)
def test_limit_stops_early_and_says_so(
    fake: FakeImportService,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    shown: int,
    sent_size: int,
    calls: int,
    last_line: str,
) -> None:
    requests = fake.list_imports_requests if argv[0] == "history" else fake.list_contacts_requests

    assert cli.main(argv) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith(last_line)
    assert len(requests) == calls
    assert {r.page_size for r in requests} == {sent_size}

    requests.clear()
    assert cli.main([*argv, "--json"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == shown
    assert len(requests) == calls


@pytest.mark.parametrize(
    ("args", "expected", "sent_import", "sent_query"),
    [
        pytest.param([], ["c-1", "c-2", "c-3", "c-4", "c-5"], "", "", id="all"),
        pytest.param(["jan"], ["c-1", "c-4"], "", "jan", id="query-name"),
        pytest.param(["ZÜRICH"], ["c-3"], "", "ZÜRICH", id="query-company-unicode"),
        pytest.param(["+31687654321"], ["c-1"], "", "+31687654321", id="query-number"),
        pytest.param(["--import", "imp-4"], ["c-3", "c-4", "c-5"], "imp-4", "", id="one-import"),
        pytest.param(["jan", "--import", "imp-4"], ["c-4"], "imp-4", "jan", id="both"),
        pytest.param(["nobody"], [], "", "nobody", id="none-found"),
    ],
)
def test_contacts_json_follows_every_page_with_the_same_filter(
    fake: FakeImportService,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    expected: list[str],
    sent_import: str,
    sent_query: str,
) -> None:
    assert cli.main(["contacts", *args, "--json", "--page-size", "2"]) == 0

    body = json_lines(capsys.readouterr().out)
    assert [c["contactId"] for c in body] == expected
    by_id = {c.contact_id: c for c in CONTACTS}
    assert body == [as_json(by_id[i]) for i in expected]
    requests = fake.list_contacts_requests
    assert len(requests) == max(1, (len(expected) + 1) // 2)
    assert {(r.import_id, r.query, r.page_size) for r in requests} == {(sent_import, sent_query, 2)}


def test_contact_json_line_carries_every_value(
    fake: FakeImportService, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["contacts", "Jansen BV", "--json"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert line == json_format.MessageToJson(CONTACTS[0], indent=None)
    assert json.loads(line) == {
        "contactId": "c-1",
        "importId": "imp-3",
        "sourceRow": 2,
        "firstName": "Jan",
        "lastName": "Jansen",
        "company": "Jansen BV",
        "emails": ["jan@example.nl", "j.jansen@work.example"],
        "phones": ["+31201234567"],
        "mobiles": ["+31612345678", "+31687654321"],
        "addresses": ["Damrak 1\n1012 LG Amsterdam"],
        "notes": "Calls back on Mondays.",
        "createTime": "2026-11-20T09:16:00Z",
    }


@pytest.mark.usefixtures("wide")
def test_contacts_table_shows_names_values_and_import(
    fake: FakeImportService, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["contacts", "--page-size", "2"]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert cells(lines[0]) == ["Name", "Company", "Emails", "Phones", "Mobiles", "Import ID"]
    assert cells(lines[1]) == [
        "Jan Jansen",
        "Jansen BV",
        "jan@example.nl, j.jansen@work.example",
        "+31201234567",
        "+31612345678, +31687654321",
        "imp-3",
    ]
    assert lines[2].startswith("Eva ")  # no last name: no trailing space in the name
    assert cells(lines[3])[:2] == ["René Müller", "Café Zürich"]
    assert len(lines) == 1 + 5 + 1
    assert lines[-1] == "5 contacts."


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(["contacts", "nobody"], "No contacts found.", id="contacts"),
        pytest.param(["history"], "No imports in the history.", id="history"),
    ],
)
def test_empty_lists_say_so_and_json_prints_nothing(
    fake: FakeImportService,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    fake.history = []
    assert cli.main(argv) == 0
    assert capsys.readouterr().out == message + "\n"
    assert cli.main([*argv, "--json"]) == 0
    assert capsys.readouterr().out == ""


class ClosedPipe(io.StringIO):
    """stdout of `contactimport contacts --json | head -1` once head has gone."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_reader_that_goes_away_ends_the_listing_quietly(
    fake: FakeImportService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdout", ClosedPipe())
    assert cli.main(["contacts", "--json", "--page-size", "1"]) == 1
    assert len(fake.list_contacts_requests) == 1  # it stopped at the first page
