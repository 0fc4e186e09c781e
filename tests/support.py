"""Helpers for the end-to-end tests: files, uploads, starts, and reading rich errors."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import uuid
from typing import Any

import grpc
import openpyxl
import xlwt
from google.rpc import error_details_pb2, status_pb2

from shared.gen.contactimport.v1 import import_service_pb2 as pb
from shared.gen.contactimport.v1 import import_service_pb2_grpc as pb_grpc

Metadata = tuple[tuple[str, str], ...]
TERMINAL = {
    pb.ContactImport.STATE_SUCCEEDED,
    pb.ContactImport.STATE_PARTIALLY_SUCCEEDED,
    pb.ContactImport.STATE_FAILED,
}


def csv_bytes(rows: list[list[str]], delimiter: str = ",", bom: bool = False) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode()


def xlsx_bytes(rows: list[list[Any]], extra_sheets: int = 0) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for n in range(extra_sheets):
        book.create_sheet(f"Extra {n + 1}")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xls_bytes(rows: list[list[Any]]) -> bytes:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Contacts")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload_messages(
    data: bytes, name: str = "contacts.csv", chunk: int = 64 * 1024, **meta: Any
) -> list[pb.UploadFileRequest]:
    messages = [pb.UploadFileRequest(metadata=pb.FileMetadata(file_name=name, **meta))]
    messages += [
        pb.UploadFileRequest(chunk=data[i : i + chunk]) for i in range(0, len(data), chunk)
    ]
    return messages


async def upload(
    stub: pb_grpc.ImportServiceStub,
    auth: Metadata,
    data: bytes,
    name: str = "contacts.csv",
    *,
    checksum: bool = True,
    encoding: str = "",
    request_id: str = "",
) -> pb.UploadFileResponse:
    meta: dict[str, Any] = (
        {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()} if checksum else {}
    )
    meta["encoding"] = encoding
    meta["request_id"] = request_id
    return await stub.UploadFile(iter(upload_messages(data, name, **meta)), metadata=auth)


async def start(
    stub: pb_grpc.ImportServiceStub,
    auth: Metadata,
    uploaded: pb.UploadFileResponse,
    *,
    mapping: pb.Mapping | None = None,
    country: str = "",
    dry_run: bool = False,
    request_id: str | None = None,
    policy: pb.DuplicatePolicy = pb.DUPLICATE_POLICY_UNSPECIFIED,
) -> pb.ContactImport:
    response = await stub.StartImport(
        pb.StartImportRequest(
            import_id=uploaded.contact_import.import_id,
            mapping=mapping if mapping is not None else uploaded.suggested_mapping,
            default_country=country,
            dry_run=dry_run,
            request_id=request_id or str(uuid.uuid4()),
            duplicate_policy=policy,
        ),
        metadata=auth,
    )
    return response.contact_import


async def wait_finished(
    stub: pb_grpc.ImportServiceStub, auth: Metadata, import_id: str, timeout: float = 60
) -> pb.ContactImport:
    async def follow() -> pb.ContactImport:
        last = None
        async for update in stub.WatchImport(
            pb.WatchImportRequest(import_id=import_id), metadata=auth
        ):
            last = update.contact_import
        assert last is not None
        if last.state in TERMINAL and last.error.reason in ("", "NO_VALID_ROWS"):
            # Counts add up on every import that ran to its end.
            c = last.counts
            assert c.imported == c.created + c.updated + c.unchanged + c.merged_in_file, c
            assert c.rows == c.imported + c.failed, c
        return last

    return await asyncio.wait_for(follow(), timeout)


async def until_running(stub: pb_grpc.ImportServiceStub, auth: Metadata, import_id: str) -> None:
    """Return once a worker runs the import (WatchImport; bound it with asyncio.wait_for)."""
    request = pb.WatchImportRequest(import_id=import_id)
    async for update in stub.WatchImport(request, metadata=auth):
        if update.contact_import.state == pb.ContactImport.STATE_RUNNING:
            return


async def import_file(
    stub: pb_grpc.ImportServiceStub,
    auth: Metadata,
    data: bytes,
    name: str = "contacts.csv",
    *,
    encoding: str = "",
    **kw: Any,
) -> pb.ContactImport:
    uploaded = await upload(stub, auth, data, name, encoding=encoding)
    started = await start(stub, auth, uploaded, **kw)
    return await wait_finished(stub, auth, started.import_id)


def error_details(error: grpc.RpcError) -> dict[str, Any]:
    """ErrorInfo reason/domain/metadata, BadRequest fields, LocalizedMessage and the status
    message."""
    found: dict[str, Any] = {
        "reason": None,
        "domain": None,
        "fields": [],
        "localized": None,
        "metadata": {},
    }
    for key, value in error.trailing_metadata() or ():
        if key != "grpc-status-details-bin":
            continue
        status = status_pb2.Status.FromString(value)
        found["message"] = status.message
        for detail in status.details:
            info = error_details_pb2.ErrorInfo()
            bad = error_details_pb2.BadRequest()
            localized = error_details_pb2.LocalizedMessage()
            if detail.Is(localized.DESCRIPTOR):
                detail.Unpack(localized)
                found["localized"] = (localized.locale, localized.message)
            if detail.Is(info.DESCRIPTOR):
                detail.Unpack(info)
                found["reason"], found["domain"] = info.reason, info.domain
                found["metadata"] = dict(info.metadata)
            elif detail.Is(bad.DESCRIPTOR):
                detail.Unpack(bad)
                found["fields"] = [v.field for v in bad.field_violations]
    return found


def retry_delay(error: grpc.RpcError) -> float | None:
    """The seconds the error's RetryInfo says to wait, or None without one."""
    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            for detail in status_pb2.Status.FromString(value).details:
                info = error_details_pb2.RetryInfo()
                if detail.Is(info.DESCRIPTOR):
                    detail.Unpack(info)
                    return info.retry_delay.ToTimedelta().total_seconds()
    return None


async def download_failures(
    stub: pb_grpc.ImportServiceStub, auth: Metadata, import_id: str
) -> tuple[str, bytes]:
    """The failure workbook (in the language of `auth`'s accept-language, if any)."""
    name, parts = "", []
    async for message in stub.DownloadFailures(
        pb.DownloadFailuresRequest(import_id=import_id), metadata=auth
    ):
        name = name or message.file_name
        parts.append(message.chunk)
    return name, b"".join(parts)


async def queued_without_worker(
    stub: pb_grpc.ImportServiceStub,
    auth: Metadata,
    db: Any,
    data: bytes,
    name: str = "contacts.csv",
) -> str:
    """An upload set to QUEUED with its suggested mapping directly: no outbox row, no message.

    For tests that run the worker's pipeline themselves (`run_import`).
    """
    uploaded = await upload(stub, auth, data, name=name)
    import_id = uuid.UUID(uploaded.contact_import.import_id)
    await db.execute(
        "UPDATE imports SET state = 'QUEUED', mapping = suggested_mapping, default_country = 'NL',"
        " start_request_id = 'test' WHERE id = $1",
        import_id,
    )
    return str(import_id)


async def stored_contacts(db: Any, tenant: str) -> dict[int, dict[str, Any]]:
    """The tenant's stored contacts by source row, every column (arrays as lists)."""
    records = await db.fetch(
        "SELECT * FROM contacts WHERE tenant_id = $1 ORDER BY source_row", tenant
    )
    return {
        r["source_row"]: {k: list(v) if isinstance(v, list) else v for k, v in dict(r).items()}
        for r in records
    }


async def failure_reasons(
    stub: pb_grpc.ImportServiceStub, auth: Metadata, import_id: str
) -> dict[int, str]:
    """The failure workbook's Reason column by its Row column."""
    _, workbook = await download_failures(stub, auth, import_id)
    rows = list(openpyxl.load_workbook(io.BytesIO(workbook)).active.iter_rows(values_only=True))
    row_at, reason_at = rows[0].index("Row"), rows[0].index("Reason")
    return {int(r[row_at]): r[reason_at] for r in rows[1:]}
