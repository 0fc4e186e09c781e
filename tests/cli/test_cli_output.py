"""Offline tests of the `contactimport` command: --map, output shapes, progress, and the
calls it makes, against a fake in-process servicer on a real channel."""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import stat
from collections.abc import Callable, Iterator
from concurrent import futures
from pathlib import Path
from typing import Any, cast

import grpc
import pytest
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from services.cli import main as cli
from services.cli import render
from services.cli.client import CallError
from services.cli.dev_token import audience, signing_key
from services.cli.mapping_overrides import MapOverride, apply_overrides, parse_override
from shared.contact_fields import ContactField
from shared.gen.contactimport.v1 import import_service_pb2 as pb
from shared.gen.contactimport.v1 import import_service_pb2_grpc as pb_grpc

State = pb.ContactImport
StateValue = pb.ContactImport.State


# --map ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("phone=Tel", MapOverride(ContactField.PHONE, "Tel"), id="plain"),
        pytest.param(" Mobile = GSM ", MapOverride(ContactField.MOBILE, "GSM"), id="trimmed-case"),
        pytest.param("notes=", MapOverride(ContactField.NOTES, ""), id="empty-removes"),
        pytest.param("email=a=b", MapOverride(ContactField.EMAIL, "a=b"), id="equals-in-header"),
        pytest.param("full_name=Naam", MapOverride(ContactField.FULL_NAME, "Naam"), id="full-name"),
    ],
)
def test_parse_override(text: str, expected: MapOverride) -> None:
    assert parse_override(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("phone", id="no-equals"),
        pytest.param("fax=Fax", id="unknown-field"),
        pytest.param("=Tel", id="no-field"),
    ],
)
def test_parse_override_refuses(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        parse_override(text)


def _col(header: str, field: str, **extra: Any) -> pb.ColumnMapping:
    return pb.ColumnMapping(header=header, field=f"CONTACT_FIELD_{field.upper()}", **extra)


SUGGESTED = pb.Mapping(
    columns=[
        _col("Voornaam", "first_name", match_reason=pb.MATCH_REASON_SYNONYM, match_detail="nl"),
        _col("Achternaam", "last_name", match_reason=pb.MATCH_REASON_SYNONYM),
        _col("Telefoon", "phone", match_reason=pb.MATCH_REASON_SYNONYM),
        _col("E-mail", "email", match_reason=pb.MATCH_REASON_EXACT_NAME),
        _col("Straat", "address", address_part=pb.ADDRESS_PART_STREET, address_group="Home"),
    ]
)


def _pairs(mapping: pb.Mapping) -> list[tuple[str, str]]:
    return [
        (c.header, pb.ContactField.Name(c.field).removeprefix("CONTACT_FIELD_").lower())
        for c in mapping.columns
    ]


BASE = [
    ("Voornaam", "first_name"),
    ("Achternaam", "last_name"),
    ("Telefoon", "phone"),
    ("E-mail", "email"),
    ("Straat", "address"),
]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        pytest.param([], BASE, id="none"),
        pytest.param(
            ["first_name=Naam"],
            [p for p in BASE if p[1] != "first_name"] + [("Naam", "first_name")],
            id="single-valued-replaces",
        ),
        pytest.param(["phone=Werk"], [*BASE, ("Werk", "phone")], id="multi-valued-adds"),
        pytest.param(
            ["mobile=Telefoon"],
            [p for p in BASE if p[0] != "Telefoon"] + [("Telefoon", "mobile")],
            id="header-moves-to-new-field",
        ),
        pytest.param(
            ["mobile= telefoon "],
            [p for p in BASE if p[0] != "Telefoon"] + [("telefoon", "mobile")],
            id="header-compared-case-insensitively",
        ),
        pytest.param(["email="], [p for p in BASE if p[1] != "email"], id="empty-removes-field"),
        pytest.param(["company="], BASE, id="removing-absent-field-is-harmless"),
        pytest.param(
            ["phone=", "phone=Mobiel"],
            [p for p in BASE if p[1] != "phone"] + [("Mobiel", "phone")],
            id="applied-in-order",
        ),
        pytest.param(
            ["phone=Werk", "phone=Werk"], [*BASE, ("Werk", "phone")], id="same-column-once"
        ),
    ],
)
def test_apply_overrides(overrides: list[str], expected: list[tuple[str, str]]) -> None:
    mapping = apply_overrides(SUGGESTED, [parse_override(o) for o in overrides])
    assert _pairs(mapping) == expected


def test_apply_overrides_keeps_untouched_columns_whole_and_the_suggestion_as_it_was() -> None:
    mapping = apply_overrides(SUGGESTED, [parse_override("first_name=Naam")])
    street = mapping.columns[3]
    assert (street.address_part, street.address_group) == (pb.ADDRESS_PART_STREET, "Home")
    assert mapping.columns[0].match_reason == pb.MATCH_REASON_SYNONYM
    assert mapping.columns[-1].match_reason == pb.MATCH_REASON_UNSPECIFIED
    assert render.match_text(mapping.columns[-1]) == "set by --map"
    assert _pairs(SUGGESTED) == BASE  # the suggestion itself is untouched


# --json and error output ------------------------------------------------------------------


def test_error_json_has_exactly_the_documented_shape() -> None:
    error = CallError("INVALID_ARGUMENT", "NOT_UTF8", "Save it as “CSV UTF-8”.", (("f", "d"),))
    text = render.error_json(error)
    assert "\n" not in text
    assert json.loads(text) == {
        "error": {
            "code": "INVALID_ARGUMENT",
            "reason": "NOT_UTF8",
            "message": "Save it as “CSV UTF-8”.",
        }
    }


def test_error_lines_name_code_reason_and_violations() -> None:
    error = CallError(
        "INVALID_ARGUMENT",
        "INVALID_MAPPING",
        "The mapping is incomplete.",
        (("mapping.columns", "add a phone or mobile column"),),
    )
    assert render.error_lines(error) == [
        "error: INVALID_ARGUMENT INVALID_MAPPING: The mapping is incomplete.",
        "  mapping.columns: add a phone or mobile column",
    ]
    assert render.error_lines(CallError("UNAVAILABLE", "", "down")) == ["error: UNAVAILABLE: down"]


def test_import_json_is_one_line_in_protobuf_json_mapping() -> None:
    imp = pb.ContactImport(
        import_id="i-1",
        state=State.STATE_PARTIALLY_SUCCEEDED,
        counts=pb.ImportCounts(rows=3, processed=3, imported=2, failed=1),
        has_failure_workbook=True,
    )
    text = render.import_json(imp)
    assert "\n" not in text
    assert json.loads(text) == {
        "importId": "i-1",
        "state": "STATE_PARTIALLY_SUCCEEDED",
        "counts": {"rows": 3, "processed": 3, "imported": 2, "failed": 1},
        "hasFailureWorkbook": True,
    }


# Progress ---------------------------------------------------------------------------------


def _imp(state: StateValue, rows: int = 0, processed: int = 0, **counts: int) -> pb.ContactImport:
    return pb.ContactImport(
        import_id="i-1",
        state=state,
        counts=pb.ImportCounts(rows=rows, processed=processed, **counts),
    )


@pytest.mark.parametrize(
    ("imp", "bar", "line"),
    [
        pytest.param(
            _imp(State.STATE_QUEUED, rows=10_000),
            "[" + "-" * 30 + "]   0%  0/10,000 rows  QUEUED",
            "QUEUED: 0/10000 rows processed (0%), 0 imported, 0 failed",
            id="queued",
        ),
        pytest.param(
            _imp(State.STATE_RUNNING, rows=10_000, processed=5_000, imported=4_990, failed=10),
            "[" + "#" * 15 + "-" * 15 + "]  50%  5,000/10,000 rows  RUNNING",
            "RUNNING: 5000/10000 rows processed (50%), 4990 imported, 10 failed",
            id="half",
        ),
        pytest.param(
            _imp(State.STATE_RUNNING),
            "[" + "-" * 30 + "]   0%  0/0 rows  RUNNING",
            "RUNNING: 0/0 rows processed (0%), 0 imported, 0 failed",
            id="no-rows-known",
        ),
        pytest.param(
            _imp(State.STATE_FAILED, rows=4, processed=1),
            "[" + "#" * 30 + "] 100%  1/4 rows  FAILED",
            "FAILED: 1/4 rows processed (25%), 0 imported, 0 failed",
            id="terminal-fills-bar",
        ),
    ],
)
def test_progress_formats(imp: pb.ContactImport, bar: str, line: str) -> None:
    assert render.progress_bar(imp) == bar
    assert render.progress_line(imp) == line


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_plain_progress_prints_at_most_every_second_and_always_the_end() -> None:
    # Given a non-terminal stream and a clock we move by hand
    stream, clock = io.StringIO(), FakeClock()
    progress = render.Progress(stream, tty=False, clock=clock)
    # When updates come faster than once a second
    progress.update(_imp(State.STATE_QUEUED, rows=10))
    clock.now += 0.5
    progress.update(_imp(State.STATE_RUNNING, rows=10, processed=5))
    clock.now += 0.6
    progress.update(_imp(State.STATE_RUNNING, rows=10, processed=8))
    clock.now += 0.1
    progress.update(_imp(State.STATE_SUCCEEDED, rows=10, processed=10, imported=10))
    progress.close()
    # Then only the first, the one a second later, and the terminal one are printed
    assert [line.split(":")[0] for line in stream.getvalue().splitlines()] == [
        "QUEUED",
        "RUNNING",
        "SUCCEEDED",
    ]
    assert "8/10" in stream.getvalue()


def test_tty_progress_redraws_one_line_and_ends_it() -> None:
    stream = io.StringIO()
    progress = render.Progress(stream, tty=True)
    progress.update(_imp(State.STATE_RUNNING, rows=10, processed=5))
    progress.update(_imp(State.STATE_SUCCEEDED, rows=10, processed=10))
    progress.close()
    text = stream.getvalue()
    assert text.count("\r") == 2
    assert text.endswith("SUCCEEDED\x1b[K\n")


def test_counts_lines_point_to_the_failure_workbook_only_when_rows_failed() -> None:
    done = _imp(State.STATE_PARTIALLY_SUCCEEDED, rows=3, processed=3, imported=2, failed=1)
    lines = render.counts_lines(done)
    assert lines[0] == "Import i-1: PARTIALLY_SUCCEEDED"
    assert lines[-1].endswith("contactimport failures i-1 -o failures-i-1.xlsx")
    clean = render.counts_lines(_imp(State.STATE_SUCCEEDED, rows=3, processed=3, imported=3))
    assert not any("failures" in line for line in clean)


def test_table_cuts_long_cells_and_columns_that_do_not_fit() -> None:
    lines = render.table([["A", "B", "C"], ["x" * 40, "y", "z"]], max_width=28)
    assert lines[1] == "x" * 23 + "…  y"
    assert lines[-1].startswith("(… 1 more columns")


def _upload_answer(**extra: Any) -> pb.UploadFileResponse:
    return pb.UploadFileResponse(
        contact_import=_imp(State.STATE_UPLOADED),
        headers=["Voornaam", "Mobiel", "Shoe size"],
        suggested_mapping=pb.Mapping(columns=SUGGESTED.columns[:1]),
        unmapped_headers=["Shoe size"],
        **extra,
    )


def test_suggested_mapping_shows_every_header_with_its_field_and_why() -> None:
    why_long = "Label column of “Phone 1 - Value”: its value decides, row by row, that kind"
    answer = _upload_answer(
        header_matches=[
            pb.HeaderMatch(
                header="Voornaam",
                mapped=True,
                column=SUGGESTED.columns[0],
                field_display_name="First name",
                explanation="Synonym (Dutch) of First name",
            ),
            pb.HeaderMatch(
                header="Mobiel",
                mapped=True,
                column=_col("Mobiel", "mobile", match_reason=pb.MATCH_REASON_REMEMBERED),
                field_display_name="Mobile",
                explanation="Remembered from your import of “a.csv” on 2026-11-20",
            ),
            pb.HeaderMatch(
                header="Shoe size",
                unmapped_reason=pb.UNMAPPED_REASON_NO_MATCH,
                explanation="No field matches this header",
            ),
            pb.HeaderMatch(
                header="Phone 1 - Label",
                unmapped_reason=pb.UNMAPPED_REASON_LABEL_COLUMN,
                explanation=why_long,
            ),
        ]
    )

    lines = render.upload_lines(answer, max_width=120)

    table = lines[lines.index("Suggested mapping:") + 1 :]
    assert [line.split()[:3] for line in table[:1]] == [["Header", "Field", "Why"]]
    assert table[1].split("  ")[-1] == "Synonym (Dutch) of First name"
    assert "first_name" in table[1]
    assert table[2].endswith("Remembered from your import of “a.csv” on 2026-11-20")
    assert table[3].startswith("  Shoe size")
    assert "  -  " in table[3]
    assert table[3].endswith("No field matches this header")
    assert table[4].endswith(why_long)  # the explanation takes the rest of the line
    assert not any(line.startswith("  Not imported") for line in lines)
    narrow = render.upload_lines(answer, max_width=60)
    narrow_table = narrow[narrow.index("Suggested mapping:") + 1 :]
    assert all(len(line) <= 60 for line in narrow_table)
    assert narrow_table[4].endswith("…")  # cut, but the Why column is still there


def test_suggested_mapping_without_header_matches_lists_the_left_out_headers() -> None:
    lines = render.upload_lines(_upload_answer(), max_width=100)
    assert lines[-1] == "  Not imported: Shoe size"


# Token key --------------------------------------------------------------------------------


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


# Calls against a fake servicer ------------------------------------------------------------


def _rich_abort(
    context: grpc.ServicerContext,
    code: grpc.StatusCode,
    reason: str,
    message: str,
    violations: tuple[tuple[str, str], ...] = (),
) -> None:
    info = any_pb2.Any()
    info.Pack(error_details_pb2.ErrorInfo(reason=reason, domain="contactimport"))
    details = [info]
    if violations:
        bad = any_pb2.Any()
        bad.Pack(
            error_details_pb2.BadRequest(
                field_violations=[
                    error_details_pb2.BadRequest.FieldViolation(field=f, description=d)
                    for f, d in violations
                ]
            )
        )
        details.append(bad)
    status = status_pb2.Status(code=getattr(code_pb2, code.name), message=message, details=details)
    context.abort_with_status(rpc_status.to_status(status))


class FakeImportService(pb_grpc.ImportServiceServicer):
    """Answers like the real service, from canned data; records what it was sent."""

    def __init__(self) -> None:
        self.refuse_upload: tuple[str, str] | None = None
        self.refuse_start: tuple[str, str, tuple[tuple[str, str], ...]] | None = None
        self.final_state: StateValue = State.STATE_PARTIALLY_SUCCEEDED
        self.authorization: list[str] = []
        self.upload_messages: list[pb.UploadFileRequest] = []
        self.started: list[pb.StartImportRequest] = []
        self.workbook = b"PK\x03\x04" + b"x" * 100_000

    def _auth(self, context: grpc.ServicerContext) -> None:
        metadata = dict(context.invocation_metadata())
        self.authorization.append(str(metadata.get("authorization", "")))

    def _imp(self, state: StateValue, processed: int = 0) -> pb.ContactImport:
        failed = 1 if state in (State.STATE_PARTIALLY_SUCCEEDED, State.STATE_FAILED) else 0
        imported = 0 if state == State.STATE_FAILED else processed - failed
        return pb.ContactImport(
            import_id="imp-1",
            file_name="contacts.csv",
            file_format=pb.FILE_FORMAT_CSV,
            state=state,
            counts=pb.ImportCounts(
                rows=2,
                processed=processed,
                imported=max(imported, 0) if state in render.TERMINAL_STATES else 0,
                failed=failed if state in render.TERMINAL_STATES else 0,
            ),
        )

    def UploadFile(
        self, request_iterator: Iterator[pb.UploadFileRequest], context: grpc.ServicerContext
    ) -> pb.UploadFileResponse:
        self._auth(context)
        self.upload_messages = list(request_iterator)
        if self.refuse_upload:
            _rich_abort(context, grpc.StatusCode.INVALID_ARGUMENT, *self.refuse_upload)
        return pb.UploadFileResponse(
            contact_import=self._imp(State.STATE_UPLOADED),
            headers=["Voornaam", "Telefoon", "Opmerking"],
            data_row_count=2,
            preview_rows=[
                pb.PreviewRow(row_number=2, cells=["Ann", "0612345678", "x"]),
                pb.PreviewRow(row_number=3, cells=["Bob", "nope", ""]),
            ],
            suggested_mapping=pb.Mapping(columns=SUGGESTED.columns[:1]),
            unmapped_headers=["Telefoon", "Opmerking"],
        )

    def StartImport(
        self, request: pb.StartImportRequest, context: grpc.ServicerContext
    ) -> pb.StartImportResponse:
        self._auth(context)
        self.started.append(request)
        if self.refuse_start:
            _rich_abort(context, grpc.StatusCode.INVALID_ARGUMENT, *self.refuse_start)
        return pb.StartImportResponse(contact_import=self._imp(State.STATE_QUEUED))

    def GetImport(
        self, request: pb.GetImportRequest, context: grpc.ServicerContext
    ) -> pb.GetImportResponse:
        self._auth(context)
        return pb.GetImportResponse(contact_import=self._imp(self.final_state, 2))

    def WatchImport(
        self, request: pb.WatchImportRequest, context: grpc.ServicerContext
    ) -> Iterator[pb.WatchImportResponse]:
        self._auth(context)
        for imp in (
            self._imp(State.STATE_QUEUED),
            self._imp(State.STATE_RUNNING, 1),
            self._imp(self.final_state, 2),
        ):
            yield pb.WatchImportResponse(contact_import=imp)

    def DownloadFailures(
        self, request: pb.DownloadFailuresRequest, context: grpc.ServicerContext
    ) -> Iterator[pb.DownloadFailuresResponse]:
        self._auth(context)
        if request.import_id != "imp-1":
            _rich_abort(context, grpc.StatusCode.NOT_FOUND, "IMPORT_NOT_FOUND", "No such import.")
        for start in range(0, len(self.workbook), 65_536):
            yield pb.DownloadFailuresResponse(
                chunk=self.workbook[start : start + 65_536],
                file_name="failures.xlsx" if start == 0 else "",
            )


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeImportService]:
    service = FakeImportService()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    register = cast(
        Callable[[object, grpc.Server], None], pb_grpc.add_ImportServiceServicer_to_server
    )
    register(service, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    monkeypatch.setenv("CONTACTIMPORT_ADDR", f"127.0.0.1:{port}")
    monkeypatch.setenv("CONTACTIMPORT_TOKEN", "tok")
    yield service
    server.stop(None)


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
    assert _pairs(start.mapping) == [("Voornaam", "first_name"), ("Telefoon", "mobile")]
    assert start.default_country == "NL"
    assert len(start.request_id) == 36
    assert not start.dry_run
    out = capsys.readouterr().out
    assert "Headers (3): Voornaam, Telefoon, Opmerking" in out
    assert "0612345678" in out
    assert "synonym (nl)" in out
    assert out.rstrip().endswith("contactimport get imp-1 --wait")


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


def test_failures_saves_the_workbook_atomically(
    fake: FakeImportService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.xlsx"
    assert cli.main(["failures", "imp-1", "-o", str(target)]) == 0
    assert target.read_bytes() == fake.workbook
    assert not (tmp_path / "out.xlsx.part").exists()
    assert capsys.readouterr().out.strip() == f"Saved {target} (100,004 bytes)"


def test_failures_of_an_unknown_import_leaves_no_file(
    fake: FakeImportService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.xlsx"
    assert cli.main(["failures", "other", "-o", str(target)]) == 1
    assert capsys.readouterr().err.strip() == "error: NOT_FOUND IMPORT_NOT_FOUND: No such import."
    assert list(tmp_path.iterdir()) == []
