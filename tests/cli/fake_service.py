"""A fake `ImportService`: answers like the real one from canned data and records what
it was sent, so the CLI tests run offline on a real channel."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NoReturn, TypeVar

import grpc
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from services.cli import render
from shared.gen.contactimport.v1 import import_service_pb2 as pb
from shared.gen.contactimport.v1 import import_service_pb2_grpc as pb_grpc
from tests.cli.canned import CONTACTS, HISTORY, SUGGESTED, template_bytes, timestamp

State = pb.ContactImport
StateValue = pb.ContactImport.State
Item = TypeVar("Item")


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
        self.languages: list[str] = []  # accept-language of each call
        self.template_file_name = "contacts-template-{locale}.xlsx"
        self.template_breaks = False  # abort the template stream after its first chunk
        self.refuse_list_call: int | None = None  # the list call (1, 2, ...) from which on all fail
        self.repeat_page_token = False  # a broken server: the same next_page_token forever
        self.unavailable_gets = 0  # GetImport answers UNAVAILABLE this many times first
        self.get_calls = 0

    def _auth(self, context: grpc.ServicerContext) -> None:
        metadata = dict(context.invocation_metadata())
        self.authorization.append(str(metadata.get("authorization", "")))
        self.languages.append(str(metadata.get("accept-language", "")))

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
        self.get_calls += 1
        if self.get_calls <= self.unavailable_gets:
            context.abort(grpc.StatusCode.UNAVAILABLE, "the database cannot be reached")
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
        if self.refuse_list_call is not None and call >= self.refuse_list_call:
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
                delete_time=timestamp("2026-11-21T09:30:00Z"),
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
