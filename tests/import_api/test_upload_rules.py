"""File rules and upload-stream rules, answered as rich gRPC errors; nothing is stored."""

from __future__ import annotations

import hashlib
import tempfile

import grpc
import pytest

from shared.gen.contactimport.v1 import import_service_pb2 as pb
from tests.support import (
    csv_bytes,
    error_details,
    retry_delay,
    upload,
    upload_messages,
    xlsx_bytes,
)

GOOD = csv_bytes([["First name", "Phone"], ["Jan", "0201234567"]])
ZIP_MAGIC = b"PK\x03\x04"


@pytest.mark.parametrize(
    ("data", "name", "code", "reason"),
    [
        pytest.param(
            "Voornaam;Telefoon\r\nJosé;020\r\n".encode("cp1252"),
            "contacts.csv",
            grpc.StatusCode.INVALID_ARGUMENT,
            "NOT_UTF8",
            id="windows-1252-csv",
        ),
        pytest.param(
            b"<html><body><table><tr><td>Name</td></tr></table></body></html>",
            "contacts.xls",
            grpc.StatusCode.INVALID_ARGUMENT,
            "UNSUPPORTED_FORMAT",
            id="html-as-xls",
        ),
        pytest.param(
            xlsx_bytes([["First name", "Phone"], ["Jan", "020"]], extra_sheets=1),
            "contacts.xlsx",
            grpc.StatusCode.INVALID_ARGUMENT,
            "MULTIPLE_SHEETS",
            id="two-sheets",
        ),
        pytest.param(
            csv_bytes([["First name", "First Name "], ["Jan", "Jan"]]),
            "contacts.csv",
            grpc.StatusCode.INVALID_ARGUMENT,
            "DUPLICATE_HEADER",
            id="duplicate-header",
        ),
        pytest.param(
            csv_bytes([["First name", ""], ["Jan", "0201234567"]]),
            "contacts.csv",
            grpc.StatusCode.INVALID_ARGUMENT,
            "MISSING_HEADER",
            id="data-under-empty-header",
        ),
        pytest.param(
            csv_bytes([["First name", "Phone"], ["", ""]]),
            "contacts.csv",
            grpc.StatusCode.INVALID_ARGUMENT,
            "EMPTY_FILE",
            id="header-only",
        ),
        pytest.param(
            csv_bytes([["Phone"]] + [[f"0612{i:06d}"] for i in range(10_001)]),
            "contacts.csv",
            grpc.StatusCode.INVALID_ARGUMENT,
            "TOO_MANY_ROWS",
            id="10001-rows",
        ),
        pytest.param(
            csv_bytes([[f"Column {i}" for i in range(2_001)], ["x"] * 2_001]),
            "wide.csv",
            grpc.StatusCode.INVALID_ARGUMENT,
            "TOO_MANY_COLUMNS",
            id="csv-2001-columns",
        ),
        pytest.param(
            xlsx_bytes([["First name", "Phone", *[""] * 2_000, "far away"]]),
            "wide.xlsx",
            grpc.StatusCode.INVALID_ARGUMENT,
            "TOO_MANY_COLUMNS",
            id="xlsx-cell-in-column-2003",
        ),
        pytest.param(
            b'First name,Phone\r\nJan,"0201234567\r\nPiet,0207654321\r\n',
            "contacts.csv",
            grpc.StatusCode.INVALID_ARGUMENT,
            "MALFORMED_FILE",
            id="unclosed-quote",
        ),
        pytest.param(
            ZIP_MAGIC + b"\x00" * 600,
            "contacts.xlsx",
            grpc.StatusCode.INVALID_ARGUMENT,
            "MALFORMED_FILE",
            id="broken-zip",
        ),
        pytest.param(
            ZIP_MAGIC + b"\x00" * (5_000_001 - len(ZIP_MAGIC)),
            "big.xlsx",
            grpc.StatusCode.RESOURCE_EXHAUSTED,
            "FILE_TOO_LARGE",
            id="xlsx-over-5mb",
        ),
    ],
)
async def test_a_file_that_breaks_a_rule_is_refused_and_not_stored(
    stub, auth, db, tenant, data, name, code, reason
):
    with pytest.raises(grpc.RpcError) as caught:
        await upload(stub, auth, data, name)

    assert caught.value.code() == code
    details = error_details(caught.value)
    assert (details["reason"], details["domain"]) == (reason, "contactimport")
    assert caught.value.details()
    assert await db.fetchval("SELECT count(*) FROM imports WHERE tenant_id = $1", tenant) == 0


async def test_a_declared_size_over_the_limit_is_refused_before_any_chunk(stub, auth):
    messages = [pb.UploadFileRequest(metadata=pb.FileMetadata(file_name="x.csv", size=20_000_001))]

    with pytest.raises(grpc.RpcError) as caught:
        await stub.UploadFile(iter(messages), metadata=auth)

    assert caught.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert error_details(caught.value)["reason"] == "FILE_TOO_LARGE"


@pytest.mark.parametrize(
    ("messages", "reason", "fields"),
    [
        pytest.param(
            [pb.UploadFileRequest(chunk=GOOD)], "METADATA_MISSING", ["metadata"], id="no-metadata"
        ),
        pytest.param(
            upload_messages(GOOD, size=len(GOOD) + 1), "SIZE_MISMATCH", [], id="size-mismatch"
        ),
        pytest.param(
            upload_messages(GOOD, sha256=hashlib.sha256(b"other").hexdigest()),
            "CHECKSUM_MISMATCH",
            [],
            id="checksum-mismatch",
        ),
        pytest.param(
            upload_messages(GOOD, sha256="xyz"),
            "INVALID_REQUEST",
            ["metadata.sha256"],
            id="checksum-not-hex",
        ),
        pytest.param(
            upload_messages(GOOD, name=""), "INVALID_REQUEST", ["metadata.file_name"], id="no-name"
        ),
        pytest.param(upload_messages(b"", name="empty.csv"), "EMPTY_FILE", [], id="no-bytes"),
    ],
)
async def test_a_bad_upload_stream_is_refused(stub, auth, messages, reason, fields):
    with pytest.raises(grpc.RpcError) as caught:
        await stub.UploadFile(iter(messages), metadata=auth)

    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    details = error_details(caught.value)
    assert details["reason"] == reason
    assert details["fields"] == fields


async def test_an_upload_in_tiny_chunks_is_the_same_file(stub, auth):
    data = csv_bytes([["First name", "Phone"]] + [[f"P{i}", "0201234567"] for i in range(100)])

    response = await stub.UploadFile(
        iter(
            upload_messages(data, chunk=7, size=len(data), sha256=hashlib.sha256(data).hexdigest())
        ),
        metadata=auth,
    )

    assert response.data_row_count == 100
    assert response.contact_import.file_size == len(data)
    assert response.contact_import.sha256 == hashlib.sha256(data).hexdigest()


async def test_a_retried_upload_with_its_request_id_stores_one_import(stub, auth, db, tenant):
    # Given an upload with a request_id
    first = await upload(stub, auth, GOOD, request_id="upload-1")

    # When it is sent again with the same id, and another file with another id
    again = await upload(stub, auth, GOOD, request_id="upload-1")
    other = await upload(stub, auth, GOOD, request_id="upload-2")

    # Then the retry answers with the first import, as the first answer was
    assert again.contact_import.import_id == first.contact_import.import_id
    assert list(again.headers) == list(first.headers)
    assert [list(r.cells) for r in again.preview_rows] == [
        list(r.cells) for r in first.preview_rows
    ]
    assert other.contact_import.import_id != first.contact_import.import_id
    stored = await db.fetchval("SELECT count(*) FROM imports WHERE tenant_id = $1", tenant)
    assert stored == 2


async def test_a_request_id_is_per_tenant(stub, auth, token_for, db):
    # Given two tenants that happen to use the same request_id
    mine = await upload(stub, auth, GOOD, request_id="same")
    theirs_auth = (
        (
            "authorization",
            f"Bearer {token_for('tenant-other-' + mine.contact_import.import_id[:8])}",
        ),
    )
    theirs = await upload(stub, theirs_auth, GOOD, request_id="same")

    # Then each gets an import of its own
    assert theirs.contact_import.import_id != mine.contact_import.import_id


async def test_a_too_long_request_id_is_a_bad_request(stub, auth):
    with pytest.raises(grpc.RpcError) as caught:
        await upload(stub, auth, GOOD, request_id="x" * 101)

    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error_details(caught.value)["fields"] == ["metadata.request_id"]


async def test_an_upload_with_no_room_to_spool_it_is_refused_busy_and_stored_when_sent_again(
    stub, auth, db, tenant, monkeypatch
):
    # Given an API whose temporary folder is full (every file it makes is /dev/full, which
    # refuses each write with ENOSPC, as a full disk does)
    big = csv_bytes([["First name", "Phone", "Notes"]] + [["Jan", "0201234567", "n" * 500]] * 4000)
    real = tempfile.TemporaryFile
    # The spool closes what it opened.
    full = lambda *a, **k: open("/dev/full", "w+b", 0)  # noqa: E731, SIM115
    monkeypatch.setattr(tempfile, "TemporaryFile", full)
    # When a file larger than what the API keeps in memory is uploaded
    with pytest.raises(grpc.RpcError) as caught:
        await upload(stub, auth, big)
    # Then it is refused busy, to be sent again, and nothing is stored
    assert caught.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert error_details(caught.value)["reason"] == "SERVER_BUSY"
    assert (retry_delay(caught.value) or 0) > 0
    assert await db.fetchval("SELECT count(*) FROM imports WHERE tenant_id = $1", tenant) == 0
    # And once there is room it is stored
    monkeypatch.setattr(tempfile, "TemporaryFile", real)
    assert (await upload(stub, auth, big)).data_row_count == 4000
