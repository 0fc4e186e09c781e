"""`contactimport import` against the fake service: the upload stream, the start
request, --wait, --json, and refusals."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from services.cli import main as cli
from shared.gen.contactimport.v1 import import_service_pb2 as pb
from tests.cli.canned import field_pairs
from tests.cli.fake_service import FakeImportService

State = pb.ContactImport
StateValue = pb.ContactImport.State


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    path = tmp_path / "contacts.csv"
    path.write_bytes(b"Voornaam;Telefoon;Opmerking\n" + b"Ann;0612345678;x\n" * 30_000)
    return path


def test_import_streams_metadata_then_chunks_with_the_token(
    fake: FakeImportService, csv_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["import", str(csv_file), "--map", "mobile=Telefoon", "--country", "nl"]) == 0
    data = csv_file.read_bytes()
    first, *chunks = fake.upload_messages
    assert first.WhichOneof("payload") == "metadata"
    assert (first.metadata.file_name, first.metadata.size) == ("contacts.csv", len(data))
    assert first.metadata.sha256 == hashlib.sha256(data).hexdigest()
    assert [len(c.chunk) for c in chunks[:-1]] == [256 * 1024] * (len(chunks) - 1)
    assert b"".join(c.chunk for c in chunks) == data
    assert set(fake.authorization) == {"Bearer tok"}
    (start,) = fake.started
    assert field_pairs(start.mapping) == [("Voornaam", "first_name"), ("Telefoon", "mobile")]
    assert start.default_country == "NL"
    assert len(start.request_id) == 36
    assert not start.dry_run
    out = capsys.readouterr().out
    assert "Headers (3): Voornaam, Telefoon, Opmerking" in out
    assert "0612345678" in out
    assert "synonym (nl)" in out
    assert out.rstrip().endswith("contactimport get imp-1 --wait")


@pytest.mark.parametrize(
    ("flags", "declared"),
    [
        pytest.param([], "", id="none"),
        pytest.param(["--encoding", "windows-1252"], "windows-1252", id="windows-1252"),
        pytest.param(["--encoding", "utf-16"], "utf-16", id="utf-16"),
    ],
)
def test_import_declares_the_encoding_it_is_given(
    fake: FakeImportService, csv_file: Path, flags: list[str], declared: str
) -> None:
    assert cli.main(["import", str(csv_file), *flags]) == 0

    first = fake.upload_messages[0]
    assert first.metadata.encoding == declared


def test_import_json_without_wait_prints_the_started_import(
    fake: FakeImportService, csv_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["import", str(csv_file), "--json", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 1
    assert json.loads(out)["state"] == "STATE_QUEUED"
    assert fake.started[0].dry_run


@pytest.mark.parametrize(
    ("final", "status"),
    [
        pytest.param(State.STATE_SUCCEEDED, 0, id="succeeded"),
        pytest.param(State.STATE_PARTIALLY_SUCCEEDED, 0, id="partially"),
        pytest.param(State.STATE_FAILED, 2, id="failed"),
    ],
)
def test_import_wait_json_prints_only_the_final_import(
    fake: FakeImportService,
    csv_file: Path,
    capsys: pytest.CaptureFixture[str],
    final: StateValue,
    status: int,
) -> None:
    fake.final_state = final
    assert cli.main(["import", str(csv_file), "--wait", "--json"]) == status
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 1
    body = json.loads(captured.out)
    assert body["state"] == State.State.Name(final)
    assert body["counts"]["processed"] == 2
    assert captured.err == ""  # no plain progress lines in --json mode


def test_import_wait_human_prints_progress_on_stderr_and_counts(
    fake: FakeImportService, csv_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["import", str(csv_file), "--wait"]) == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines()[0].startswith("QUEUED: 0/2 rows")
    assert "imported                        1" in captured.out
    assert "contactimport failures imp-1 -o failures-imp-1.xlsx" in captured.out


def test_refused_file_json_is_the_error_object_and_status_1(
    fake: FakeImportService, csv_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.refuse_upload = ("NOT_UTF8", "Row 2 is not UTF-8: save it as CSV UTF-8.")
    assert cli.main(["import", str(csv_file), "--json"]) == 1
    out = capsys.readouterr().out
    assert json.loads(out) == {
        "error": {
            "code": "INVALID_ARGUMENT",
            "reason": "NOT_UTF8",
            "message": "Row 2 is not UTF-8: save it as CSV UTF-8.",
        }
    }
    assert not fake.started


def test_refused_mapping_human_prints_violations_on_stderr(
    fake: FakeImportService, csv_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.refuse_start = (
        "INVALID_MAPPING",
        "The mapping needs a phone or mobile column.",
        (("mapping", "map a phone or mobile column"),),
    )
    assert cli.main(["import", str(csv_file), "--map", "phone="]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "error: INVALID_ARGUMENT INVALID_MAPPING: The mapping needs a phone or mobile column.",
        "  mapping: map a phone or mobile column",
    ]


def test_missing_token_says_how_to_make_one(
    fake: FakeImportService,
    csv_file: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CONTACTIMPORT_TOKEN")
    assert cli.main(["import", str(csv_file), "--json"]) == 1
    error = json.loads(capsys.readouterr().out)["error"]
    assert (error["code"], error["reason"]) == ("UNAUTHENTICATED", "TOKEN_MISSING")
    assert "contactimport token --tenant" in error["message"]
    assert "CONTACTIMPORT_TOKEN" in error["message"]
    assert not fake.upload_messages
