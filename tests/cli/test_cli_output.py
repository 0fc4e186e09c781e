"""Offline tests of the `contactimport` command: --map, output shapes, progress, and the
calls it makes, against a fake in-process servicer on a real channel."""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import stat
from collections.abc import Callable, Iterator
from concurrent import futures
from pathlib import Path
from typing import Any, NoReturn, TypeVar, cast

import grpc
import pytest
from google.protobuf import any_pb2, json_format, timestamp_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from services.cli import main as cli
from services.cli import render
from services.cli.client import CallError, Pages, PagingError
from services.cli.dev_token import audience, signing_key
from services.cli.mapping_overrides import MapOverride, apply_overrides, parse_override
from shared.gen.contactimport.v1 import import_service_pb2 as pb
from shared.gen.contactimport.v1 import import_service_pb2_grpc as pb_grpc
from shared.mapping.fields import ContactField

State = pb.ContactImport
Item = TypeVar("Item")
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
) -> NoReturn:
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
    raise AssertionError("abort_with_status raises")


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
        # History, deletion, template, contacts
        self.history: list[pb.ContactImport] = list(HISTORY)
        self.contacts: list[pb.Contact] = list(CONTACTS)
        self.list_imports_requests: list[pb.ListImportsRequest] = []
        self.list_contacts_requests: list[pb.ListContactsRequest] = []
        self.deleted: list[str] = []
        self.template_locales: list[str] = []
        self.template_file_name = "contacts-template-{locale}.xlsx"
        self.template_breaks = False  # abort the template stream after its first chunk
        self.refuse_list_call: int | None = None  # the list call (1, 2, ...) that fails
        self.repeat_page_token = False  # a broken server: the same next_page_token forever

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

    def _page(
        self,
        context: grpc.ServicerContext,
        items: list[Item],
        request: pb.ListImportsRequest | pb.ListContactsRequest,
        scope: str,
        call: int,
    ) -> tuple[list[Item], str]:
        """Paged like the server (default 20, at most 100); tokens bound to the filter."""
        if call == self.refuse_list_call:
            _rich_abort(
                context, grpc.StatusCode.UNAVAILABLE, "DATABASE_UNAVAILABLE", "Try again shortly."
            )
        if request.page_size < 0:
            _rich_abort(context, grpc.StatusCode.INVALID_ARGUMENT, "INVALID_REQUEST", "size < 0")
        size = min(request.page_size or 20, 100)
        start = 0
        if token := request.page_token:
            token_scope, _, offset = token.rpartition(":")
            if token_scope != scope or not offset.isdigit():
                _rich_abort(
                    context, grpc.StatusCode.INVALID_ARGUMENT, "INVALID_REQUEST", "Bad token."
                )
            start = int(offset)
        end = start + size
        if self.repeat_page_token:
            return items[start:end], f"{scope}:0"
        return items[start:end], f"{scope}:{end}" if end < len(items) else ""

    def ListImports(
        self, request: pb.ListImportsRequest, context: grpc.ServicerContext
    ) -> pb.ListImportsResponse:
        self._auth(context)
        self.list_imports_requests.append(request)
        call = len(self.list_imports_requests)
        items, token = self._page(context, self.history, request, "h", call)
        return pb.ListImportsResponse(imports=items, next_page_token=token)

    def ListContacts(
        self, request: pb.ListContactsRequest, context: grpc.ServicerContext
    ) -> pb.ListContactsResponse:
        self._auth(context)
        self.list_contacts_requests.append(request)
        call = len(self.list_contacts_requests)
        if len(request.query) > 200:
            _rich_abort(
                context, grpc.StatusCode.INVALID_ARGUMENT, "INVALID_REQUEST", "Query too long."
            )
        query = request.query.casefold()
        found = [
            c
            for c in self.contacts
            if (not request.import_id or c.import_id == request.import_id)
            and (
                query in f"{c.first_name} {c.last_name} {c.company}".casefold()
                or any(query in e for e in c.emails)
                or request.query in (*c.phones, *c.mobiles)
            )
        ]
        scope = f"c/{request.import_id}/{request.query}"
        items, token = self._page(context, found, request, scope, call)
        return pb.ListContactsResponse(contacts=items, next_page_token=token)

    def DeleteImport(
        self, request: pb.DeleteImportRequest, context: grpc.ServicerContext
    ) -> pb.DeleteImportResponse:
        self._auth(context)
        self.deleted.append(request.import_id)
        if request.import_id == "imp-running":
            _rich_abort(
                context,
                grpc.StatusCode.FAILED_PRECONDITION,
                "IMPORT_RUNNING",
                "The import is still running.",
            )
        if request.import_id != "imp-3":
            _rich_abort(context, grpc.StatusCode.NOT_FOUND, "IMPORT_NOT_FOUND", "No such import.")
        deleted = pb.ContactImport()
        deleted.CopyFrom(HISTORY[2])
        deleted.deletion.CopyFrom(
            pb.ImportDeletion(
                deleted_count=2,
                deleted_by="Bob Boss",
                delete_time=_ts("2026-11-21T09:30:00Z"),
                summary="2 deleted by Bob Boss.",
            )
        )
        return pb.DeleteImportResponse(contact_import=deleted)

    def DownloadTemplate(
        self, request: pb.DownloadTemplateRequest, context: grpc.ServicerContext
    ) -> Iterator[pb.DownloadTemplateResponse]:
        self._auth(context)
        self.template_locales.append(request.locale)
        locale = request.locale or "en"
        if locale not in ("en", "nl", "fr"):
            _rich_abort(context, grpc.StatusCode.INVALID_ARGUMENT, "INVALID_REQUEST", "Locale?")
        body = template_bytes(locale)
        for start in range(0, len(body), 65_536):
            if start and self.template_breaks:
                _rich_abort(context, grpc.StatusCode.INTERNAL, "INTERNAL", "Disk on fire.")
            yield pb.DownloadTemplateResponse(
                chunk=body[start : start + 65_536],
                file_name=self.template_file_name.format(locale=locale) if start == 0 else "",
            )


def template_bytes(locale: str) -> bytes:
    return b"PK\x03\x04" + locale.encode() * 50_000


def _ts(text: str) -> timestamp_pb2.Timestamp:
    stamp = timestamp_pb2.Timestamp()
    stamp.FromJsonString(text)
    return stamp


HISTORY = [  # newest first, as the server lists them
    pb.ContactImport(
        import_id="imp-5",
        file_name="new.xlsx",
        file_format=pb.FILE_FORMAT_XLSX,
        uploaded_by="Ann Admin",
        create_time=_ts("2026-11-21T10:00:00Z"),
        state=State.STATE_UPLOADED,
        counts=pb.ImportCounts(rows=10),
    ),
    pb.ContactImport(
        import_id="imp-4",
        file_name="old.csv",
        file_format=pb.FILE_FORMAT_CSV,
        uploaded_by="Ann Admin",
        create_time=_ts("2026-11-20T16:45:30Z"),
        state=State.STATE_SUCCEEDED,
        counts=pb.ImportCounts(rows=12, processed=12, imported=12),
        deletion=pb.ImportDeletion(
            deleted_count=12,
            deleted_by="Bob Boss",
            delete_time=_ts("2026-11-21T08:00:00Z"),
            summary="12 deleted by Bob Boss.",
        ),
    ),
    pb.ContactImport(
        import_id="imp-3",
        file_name="contacts.csv",
        file_format=pb.FILE_FORMAT_CSV,
        uploaded_by="Bob Boss",
        create_time=_ts("2026-11-20T09:15:00Z"),
        state=State.STATE_PARTIALLY_SUCCEEDED,
        counts=pb.ImportCounts(rows=3, processed=3, imported=2, failed=1),
        has_failure_workbook=True,
    ),
    pb.ContactImport(
        import_id="imp-2",
        file_name="export.xls",
        file_format=pb.FILE_FORMAT_XLS,
        uploaded_by="Ann Admin",
        create_time=_ts("2026-11-19T12:00:00Z"),
        state=State.STATE_FAILED,
        counts=pb.ImportCounts(rows=4, processed=4, failed=4),
        error=pb.ImportFailure(reason="NO_VALID_ROWS", message="No row was valid."),
    ),
    pb.ContactImport(
        import_id="imp-1",
        file_name="try.csv",
        file_format=pb.FILE_FORMAT_CSV,
        uploaded_by="Ann Admin",
        create_time=_ts("2026-11-18T07:05:00Z"),
        state=State.STATE_SUCCEEDED,
        counts=pb.ImportCounts(rows=5, processed=5, imported=5),
        dry_run=True,
    ),
]


def _contact(number: int, import_id: str, first: str, last: str, **values: Any) -> pb.Contact:
    return pb.Contact(
        contact_id=f"c-{number}",
        import_id=import_id,
        source_row=number + 1,
        first_name=first,
        last_name=last,
        create_time=_ts("2026-11-20T09:16:00Z"),
        **values,
    )


CONTACTS = [
    _contact(
        1,
        "imp-3",
        "Jan",
        "Jansen",
        company="Jansen BV",
        emails=["jan@example.nl", "j.jansen@work.example"],
        phones=["+31201234567"],
        mobiles=["+31612345678", "+31687654321"],
        addresses=["Damrak 1\n1012 LG Amsterdam"],
        notes="Calls back on Mondays.",
    ),
    _contact(2, "imp-3", "Eva", "", mobiles=["+31611111111"]),
    _contact(3, "imp-4", "René", "Müller", company="Café Zürich", phones=["+41441234567"]),
    _contact(4, "imp-4", "Janneke", "de Vries", emails=["janneke@example.be"]),
    _contact(5, "imp-4", "Piet", "Puk", phones=["+31101234567"]),
]


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


# history, delete, template, contacts --------------------------------------------------------


@pytest.fixture
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal wide enough for every column, whatever runs the tests."""
    monkeypatch.setenv("COLUMNS", "200")


def _json_lines(out: str) -> list[dict[str, Any]]:
    lines = out.splitlines()
    assert all(line.startswith("{") and line.endswith("}") for line in lines)
    return [json.loads(line) for line in lines]


def _cells(line: str) -> list[str]:
    """A table row's cells (columns are at least two spaces apart)."""
    return re.split(r" {2,}", line.strip())


def _as_json(message: pb.ContactImport | pb.Contact) -> dict[str, Any]:
    return json_format.MessageToDict(message)


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
    assert _json_lines(captured.out) == [_as_json(imp) for imp in HISTORY]
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

    body = _json_lines(capsys.readouterr().out)
    assert [c["contactId"] for c in body] == expected
    by_id = {c.contact_id: c for c in CONTACTS}
    assert body == [_as_json(by_id[i]) for i in expected]
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
    assert _cells(lines[0]) == ["Name", "Company", "Emails", "Phones", "Mobiles", "Import ID"]
    assert _cells(lines[1]) == [
        "Jan Jansen",
        "Jansen BV",
        "jan@example.nl, j.jansen@work.example",
        "+31201234567",
        "+31612345678, +31687654321",
        "imp-3",
    ]
    assert lines[2].startswith("Eva ")  # no last name: no trailing space in the name
    assert _cells(lines[3])[:2] == ["René Müller", "Café Zürich"]
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
    *items, last = _json_lines(captured.out)
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


@pytest.mark.parametrize(
    ("flags", "sent", "locale"),
    [
        pytest.param([], "en", "en", id="default-english"),
        pytest.param(["--locale", "nl"], "nl", "nl", id="dutch"),
        pytest.param(["--locale", "FR"], "fr", "fr", id="french-any-case"),
    ],
)
def test_template_is_saved_atomically(
    fake: FakeImportService,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    flags: list[str],
    sent: str,
    locale: str,
) -> None:
    target = tmp_path / "template.xlsx"
    assert cli.main(["template", *flags, "-o", str(target)]) == 0

    assert fake.template_locales == [sent]
    assert target.read_bytes() == template_bytes(locale)
    assert list(tmp_path.iterdir()) == [target]  # no .part left
    size = len(template_bytes(locale))
    assert capsys.readouterr().out == f"Saved {target} ({size:,} bytes)\n"

    assert cli.main(["template", *flags, "-o", str(target), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"path": str(target), "size": size}


@pytest.mark.parametrize(
    ("server_name", "saved_as"),
    [
        pytest.param("contacts-template-{locale}.xlsx", "contacts-template-nl.xlsx", id="name"),
        pytest.param("../../etc/evil-{locale}.xlsx", "evil-nl.xlsx", id="bare-name-only"),
        pytest.param("", "contacts-template-nl.xlsx", id="no-name-sent"),
    ],
)
def test_template_without_o_uses_the_servers_bare_file_name(
    fake: FakeImportService,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    server_name: str,
    saved_as: str,
) -> None:
    fake.template_file_name = server_name
    monkeypatch.chdir(tmp_path)
    assert cli.main(["template", "--locale", "nl"]) == 0
    assert [p.name for p in tmp_path.iterdir()] == [saved_as]
    assert capsys.readouterr().out == f"Saved {saved_as} (100,004 bytes)\n"


def test_a_broken_template_download_leaves_an_existing_file_as_it_was(
    fake: FakeImportService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "template.xlsx"
    target.write_bytes(b"the old one")
    fake.template_breaks = True

    assert cli.main(["template", "-o", str(target), "--json"]) == 1

    assert target.read_bytes() == b"the old one"
    assert list(tmp_path.iterdir()) == [target]
    error = json.loads(capsys.readouterr().out)["error"]
    assert (error["code"], error["reason"]) == ("INTERNAL", "INTERNAL")


def test_failures_without_o_saves_under_the_servers_bare_name(
    fake: FakeImportService,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(["failures", "imp-1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"path": "failures.xlsx", "size": 100_004}
    assert (tmp_path / "failures.xlsx").read_bytes() == fake.workbook


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
        pytest.param(["template", "--locale", "de"], id="unknown-locale"),
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


# Pages -------------------------------------------------------------------------------------


PAGED = {"": ([1, 2], "a"), "a": ([3, 4], "b"), "b": ([5], "")}


@pytest.mark.parametrize(
    ("limit", "pages", "more", "tokens"),
    [
        pytest.param(None, [[1, 2], [3, 4], [5]], False, ["", "a", "b"], id="all"),
        pytest.param(1, [[1]], True, [""], id="within-first-page"),
        pytest.param(2, [[1, 2]], True, [""], id="end-of-a-page-with-more"),
        pytest.param(3, [[1, 2], [3]], True, ["", "a"], id="into-second-page"),
        pytest.param(5, [[1, 2], [3, 4], [5]], False, ["", "a", "b"], id="exactly-all"),
        pytest.param(9, [[1, 2], [3, 4], [5]], False, ["", "a", "b"], id="more-than-all"),
    ],
)
def test_pages_follow_tokens_up_to_the_limit(
    limit: int | None, pages: list[list[int]], more: bool, tokens: list[str]
) -> None:
    asked: list[str] = []

    def fetch(token: str) -> tuple[list[int], str]:
        asked.append(token)
        return PAGED[token]

    paged = Pages(fetch, limit=limit)
    assert list(paged) == pages
    assert paged.more is more
    assert asked == tokens


def test_pages_skip_empty_pages_and_stop_on_a_repeated_token() -> None:
    answers = iter([([], "x"), ([1], "y"), ([2], "x")])
    paged = Pages(lambda _token: next(answers))
    seen: list[list[int]] = []
    with pytest.raises(PagingError) as error:
        seen.extend(paged)
    assert seen == [[1], [2]]
    assert error.value.error.reason == "PAGE_TOKEN_REPEATED"


# Rendering ---------------------------------------------------------------------------------


def test_history_keeps_the_id_when_the_terminal_is_narrow() -> None:
    lines = render.history_lines(HISTORY, max_width=60)
    assert lines[0].startswith("Import ID  Uploaded (UTC)")
    assert all(len(line) <= 60 for line in lines)
    assert any(line.startswith("(… ") and "more columns" in line for line in lines)
    assert "  ↳ 12 deleted by Bob Boss." in lines
    assert lines[-1] == "5 imports."


@pytest.mark.parametrize(
    ("deletion", "text"),
    [
        pytest.param(None, "", id="not-deleted"),
        pytest.param(
            pb.ImportDeletion(deleted_count=3, deleted_by="Ann", summary="3 deleted by Ann."),
            "3 deleted by Ann.",
            id="server-summary",
        ),
        pytest.param(
            pb.ImportDeletion(deleted_count=0, deleted_by="Ann"),
            "0 deleted by Ann.",
            id="no-summary-composed",
        ),
    ],
)
def test_deletion_text(deletion: pb.ImportDeletion | None, text: str) -> None:
    imp = pb.ContactImport(import_id="i")
    if deletion is not None:
        imp.deletion.CopyFrom(deletion)
    assert render.deletion_text(imp) == text


@pytest.mark.parametrize(
    ("stamp", "text"),
    [
        pytest.param(timestamp_pb2.Timestamp(), "-", id="unset"),
        pytest.param(_ts("2026-01-02T03:04:59.9Z"), "2026-01-02 03:04", id="utc-minutes"),
    ],
)
def test_time_text(stamp: timestamp_pb2.Timestamp, text: str) -> None:
    assert render.time_text(stamp) == text


def test_contacts_table_cuts_long_value_lists() -> None:
    many = pb.Contact(
        contact_id="c",
        import_id="imp-9",
        first_name="Zoë",
        emails=[f"person{n}@example.com" for n in range(5)],
    )
    lines = render.contacts_lines([many], max_width=200)
    emails = _cells(lines[1])[1]  # no company: the e-mails are the second cell
    assert emails.startswith("person0@example.com, person1@")
    assert emails.endswith("…")
    assert len(emails) == render.MAX_VALUES_CELL
    assert lines[-1] == "1 contact."
