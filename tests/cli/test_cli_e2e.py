"""The `contactimport` command against the real in-process server, broker and worker.

The server runs on the session's event loop, so each command runs in a thread
(`asyncio.to_thread`) while the test awaits it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from services.cli import main as cli
from shared.settings import Settings
from tests.cli.printed import json_lines
from tests.support import csv_bytes

HEADER = ["Voornaam", "Achternaam", "Telefoon", "E-mail"]
VALID = [["Jan", "Jansen", "020 123 4567", "jan@example.nl"], ["Eva", "", "0612345678", ""]]
INVALID = [["Piet", "Puk", "12", ""]]  # PHONE_INVALID
OTHERS = [["Kees", "Bakker", "020 765 4321", "kees@example.nl"], ["Mia", "", "0687654321", ""]]


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


# history, delete, template, contacts (issue 5) -----------------------------------------------


async def import_file(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    rows: list[list[str]],
    name: str,
    *flags: str,
) -> dict[str, Any]:
    """Import a file to its end through the command; the finished import."""
    path = str(write(tmp_path, rows, name))
    assert await run("import", path, "--wait", "--json", *flags) == 0
    body: dict[str, Any] = json.loads(capsys.readouterr().out)
    return body


@pytest.mark.usefixtures("worker", "cli_env")
async def test_history_lists_every_import_newest_first_across_pages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given two finished imports and one uploaded but never started (its mapping refused)
    first = await import_file(tmp_path, capsys, [HEADER, *VALID, *INVALID], "first.csv")
    second = await import_file(tmp_path, capsys, [HEADER, *VALID], "second.csv")
    never = write(tmp_path, [HEADER, *VALID], "never.csv")
    assert await run("import", str(never), "--map", "phone=", "--map", "mobile=") == 1
    capsys.readouterr()

    # When the history is listed one import per page
    status = await run("history", "--json", "--page-size", "1")

    # Then every page is followed: three lines, newest first, in protobuf's JSON mapping
    captured = capsys.readouterr()
    assert status == 0
    body = json_lines(captured.out)
    assert [b["fileName"] for b in body] == ["never.csv", "second.csv", "first.csv"]
    assert [b["state"] for b in body] == [
        "STATE_UPLOADED",
        "STATE_SUCCEEDED",
        "STATE_PARTIALLY_SUCCEEDED",
    ]
    assert [b["importId"] for b in body[1:]] == [second["importId"], first["importId"]]
    assert body[2]["counts"]["failed"] == 1
    assert {b["uploadedBy"] for b in body} == {"Anna Admin"}
    assert {b["fileFormat"] for b in body} == {"FILE_FORMAT_CSV"}
    assert "deletion" not in body[1]

    # And the table says the same, newest first
    assert await run("history", "--page-size", "2") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Import ID")
    names = [n for line in lines[1:] for n in ("never", "second", "first") if f"{n}.csv" in line]
    assert names == ["never", "second", "first"]
    assert lines[-1] == "3 imports."


@pytest.mark.usefixtures("cli_env")
async def test_a_new_tenant_has_an_empty_history(capsys: pytest.CaptureFixture[str]) -> None:
    assert await run("history") == 0
    assert capsys.readouterr().out == "No imports in the history.\n"
    assert await run("history", "--json") == 0
    assert capsys.readouterr().out == ""


@pytest.mark.usefixtures("worker", "cli_env")
async def test_delete_removes_the_imports_contacts_once_and_the_history_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given two imports of two contacts each
    gone = await import_file(tmp_path, capsys, [HEADER, *VALID], "gone.csv")
    kept = await import_file(tmp_path, capsys, [HEADER, *OTHERS], "kept.csv")

    # When the first is deleted
    status = await run("delete", gone["importId"], "--json")

    # Then its two contacts are deleted, by the caller
    assert status == 0
    deletion = json.loads(capsys.readouterr().out)["deletion"]
    assert deletion["deletedCount"] == 2
    assert deletion["deletedBy"] == "Anna Admin"
    assert deletion["summary"] == "2 deleted by Anna Admin."
    assert "deleteTime" in deletion

    # And deleting it again answers the same and deletes nothing more
    assert await run("delete", gone["importId"], "--json") == 0
    assert json.loads(capsys.readouterr().out)["deletion"] == deletion
    assert await run("delete", gone["importId"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("2 deleted by Anna Admin.")

    # And only the other import's contacts are left
    assert await run("contacts", "--json") == 0
    assert {c["importId"] for c in json_lines(capsys.readouterr().out)} == {kept["importId"]}

    # And the history shows "2 deleted by Anna Admin." under the deleted import
    assert await run("history") == 0
    lines = capsys.readouterr().out.splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith(gone["importId"]))
    assert lines[row + 1] == "  ↳ 2 deleted by Anna Admin."
    assert sum("deleted by" in line for line in lines) == 1


@pytest.mark.usefixtures("cli_env")
async def test_delete_of_an_unknown_or_another_tenants_import_is_not_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], token_for: Callable[..., str]
) -> None:
    status = await run("delete", "00000000-0000-4000-8000-000000000000", "--json")
    assert status == 1
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "NOT_FOUND"

    # An import of this tenant, uploaded only (its mapping refused) ...
    path = write(tmp_path, [HEADER, *VALID])
    assert await run("import", str(path), "--map", "phone=", "--map", "mobile=") == 1
    capsys.readouterr()
    assert await run("history", "--json") == 0
    (mine,) = json_lines(capsys.readouterr().out)
    # ... that another tenant tries to delete
    other = token_for("someone-else")
    assert await run("delete", mine["importId"], "--json", "--token", other) == 1
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "NOT_FOUND"


@pytest.mark.parametrize("locale", ["en", "nl", "fr"])
@pytest.mark.usefixtures("worker", "cli_env")
async def test_template_saved_then_imported_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], locale: str
) -> None:
    # Given the template saved in a language
    target = tmp_path / f"template-{locale}.xlsx"
    status = await run("template", "--locale", locale, "-o", str(target))

    # Then it is saved whole, atomically: one worksheet, the headers and one example row
    assert status == 0
    assert capsys.readouterr().out == f"Saved {target} ({target.stat().st_size:,} bytes)\n"
    assert not target.with_name(target.name + ".part").exists()
    book = openpyxl.load_workbook(target)
    assert len(book.worksheets) == 1
    rows = [[c.value for c in row] for row in book.worksheets[0].iter_rows()]
    assert len(rows) == 2
    assert all(rows[0])
    assert len(rows[0]) == len(set(rows[0]))

    # And importing it back matches every column and imports the example
    assert await run("import", str(target), "--wait", "--json") == 0
    imported = json.loads(capsys.readouterr().out)
    assert imported["state"] == "STATE_SUCCEEDED"
    assert imported["counts"]["imported"] == 1
    assert len(imported["mapping"]["columns"]) == len(rows[0])

    # And the example contact is listed under that import
    assert await run("contacts", "--import", imported["importId"], "--json") == 0
    (contact,) = json_lines(capsys.readouterr().out)
    assert contact["importId"] == imported["importId"]


@pytest.mark.usefixtures("worker", "cli_env")
async def test_contacts_are_searched_and_every_page_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given Jan and Eva from one import, and Jan again from another (created again)
    first = await import_file(tmp_path, capsys, [HEADER, *VALID], "first.csv")
    second = await import_file(
        tmp_path, capsys, [HEADER, VALID[0]], "second.csv", "--duplicates", "create"
    )

    # When every contact is listed one per page
    assert await run("contacts", "--json", "--page-size", "1") == 0

    # Then all three come, each once, with their values and import
    every = json_lines(capsys.readouterr().out)
    assert len(every) == 3
    assert len({c["contactId"] for c in every}) == 3
    jan = next(c for c in every if c["importId"] == first["importId"] and c["firstName"] == "Jan")
    assert jan["lastName"] == "Jansen"
    assert jan["emails"] == ["jan@example.nl"]
    assert jan["phones"] == ["+31201234567"]

    # And a query finds by name (any case), e-mail, and a number in another spelling
    for query, expected in [
        ("JANSEN", {"Jan"}),
        ("jan@example", {"Jan"}),
        ("+31 20 123 45 67", {"Jan"}),
        ("06-12 34 56 78", {"Eva"}),
        ("nobody", set()),
    ]:
        assert await run("contacts", query, "--json", "--page-size", "1") == 0
        found = json_lines(capsys.readouterr().out)
        assert {c["firstName"] for c in found} == expected, query

    # And --import keeps to one import, also with a query
    assert await run("contacts", "jansen", "--import", second["importId"], "--json") == 0
    (only,) = json_lines(capsys.readouterr().out)
    assert only["importId"] == second["importId"]

    # And the table shows them with their import
    assert await run("contacts", "jansen") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:2] == ["Name", "Company"]
    assert sum(line.startswith("Jan Jansen") for line in lines) == 2
    assert lines[-1] == "2 contacts."


@pytest.mark.usefixtures("cli_env")
async def test_a_refused_contacts_query_is_the_error_object(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert await run("contacts", "x" * 201, "--json") == 1
    body = json.loads(capsys.readouterr().out)
    assert list(body["error"]) == ["code", "reason", "message"]
    assert body["error"]["code"] == "INVALID_ARGUMENT"


@pytest.mark.usefixtures("worker", "cli_env")
async def test_import_duplicates_flag_sets_the_policy_and_json_carries_the_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given Jan and Eva imported once
    await import_file(tmp_path, capsys, [HEADER, *VALID], "first.csv")
    newer = [["Jan", "Jansen", "020 123 4567", "jan@example.nl; jan@werk.nl"], VALID[1]]

    # When a newer export is imported with --duplicates update, then again with the default
    updated = await import_file(
        tmp_path, capsys, [HEADER, *newer], "b.csv", "--duplicates", "update"
    )
    skipped = await import_file(tmp_path, capsys, [HEADER, *newer], "c.csv")

    # Then --json carries the policy and the counts under their protobuf JSON names
    assert updated["duplicatePolicy"] == "DUPLICATE_POLICY_UPDATE"
    assert {k: updated["counts"].get(k, 0) for k in ("updated", "unchanged", "mergedInFile")} == {
        "updated": 1,
        "unchanged": 1,
        "mergedInFile": 0,
    }
    assert skipped["duplicatePolicy"] == "DUPLICATE_POLICY_SKIP"
    assert skipped["counts"]["unchanged"] == 2
    assert skipped["counts"].get("created", 0) == 0

    # And the text output names every count
    assert await run("get", skipped["importId"]) == 0
    text = capsys.readouterr().out
    for label in ("created", "updated", "unchanged", "merged in file"):
        assert label in text
