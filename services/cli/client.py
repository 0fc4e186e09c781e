"""One place that opens the channel, builds typed calls and reads rich error details."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import grpc
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from shared.gen.contactimport.v1 import import_service_pb2 as pb

DEFAULT_ADDRESS = "localhost:50051"
UNARY_TIMEOUT_SECONDS = 60.0
UPLOAD_TIMEOUT_SECONDS = 600.0

_SERVICE = pb.DESCRIPTOR.services_by_name["ImportService"].full_name


@dataclass(frozen=True)
class Connection:
    """Where the server is and who calls it, read from the environment and the flags."""

    address: str
    token: str
    tls: bool = False

    @classmethod
    def from_env(cls, *, token: str | None = None, tls: bool = False) -> Connection:
        return cls(
            address=os.environ.get("CONTACTIMPORT_ADDR") or DEFAULT_ADDRESS,
            token=token or os.environ.get("CONTACTIMPORT_TOKEN", "").strip(),
            tls=tls,
        )


class MissingToken(Exception):
    """Raised when a call needs a token and neither --token nor CONTACTIMPORT_TOKEN gives one."""


@dataclass(frozen=True)
class CallError(Exception):
    """A failed RPC as the user sees it: status name, ErrorInfo reason, message, violations."""

    code: str
    reason: str
    message: str
    violations: tuple[tuple[str, str], ...] = field(default=())

    @classmethod
    def from_rpc_error(cls, error: grpc.RpcError) -> CallError:
        """Read `google.rpc.Status` details (ErrorInfo, BadRequest) from a failed sync call."""
        code = error.code().name
        message = error.details() or ""
        reason = ""
        violations: list[tuple[str, str]] = []
        status = None
        if isinstance(error, grpc.Call):
            try:
                status = rpc_status.from_call(error)
            except ValueError:  # details disagree with the call's status: use the call's
                status = None
        if status is not None:
            message = status.message or message
            for detail in status.details:
                if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
                    info = error_details_pb2.ErrorInfo()
                    detail.Unpack(info)
                    reason = info.reason
                elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
                    bad = error_details_pb2.BadRequest()
                    detail.Unpack(bad)
                    violations.extend((v.field, v.description) for v in bad.field_violations)
        return cls(code, reason, message, tuple(violations))


class ImportClient:
    """Typed calls of `contactimport.v1.ImportService`, each with the bearer token."""

    def __init__(self, channel: grpc.Channel, token: str) -> None:
        self._metadata = (("authorization", f"Bearer {token}"),)
        self._upload: grpc.StreamUnaryMultiCallable[pb.UploadFileRequest, pb.UploadFileResponse]
        self._upload = channel.stream_unary(
            f"/{_SERVICE}/UploadFile",
            request_serializer=pb.UploadFileRequest.SerializeToString,
            response_deserializer=pb.UploadFileResponse.FromString,
        )
        self._start: grpc.UnaryUnaryMultiCallable[pb.StartImportRequest, pb.StartImportResponse]
        self._start = channel.unary_unary(
            f"/{_SERVICE}/StartImport",
            request_serializer=pb.StartImportRequest.SerializeToString,
            response_deserializer=pb.StartImportResponse.FromString,
        )
        self._get: grpc.UnaryUnaryMultiCallable[pb.GetImportRequest, pb.GetImportResponse]
        self._get = channel.unary_unary(
            f"/{_SERVICE}/GetImport",
            request_serializer=pb.GetImportRequest.SerializeToString,
            response_deserializer=pb.GetImportResponse.FromString,
        )
        self._watch: grpc.UnaryStreamMultiCallable[pb.WatchImportRequest, pb.WatchImportResponse]
        self._watch = channel.unary_stream(
            f"/{_SERVICE}/WatchImport",
            request_serializer=pb.WatchImportRequest.SerializeToString,
            response_deserializer=pb.WatchImportResponse.FromString,
        )
        self._failures: grpc.UnaryStreamMultiCallable[
            pb.DownloadFailuresRequest, pb.DownloadFailuresResponse
        ]
        self._failures = channel.unary_stream(
            f"/{_SERVICE}/DownloadFailures",
            request_serializer=pb.DownloadFailuresRequest.SerializeToString,
            response_deserializer=pb.DownloadFailuresResponse.FromString,
        )

    def upload_file(self, requests: Iterator[pb.UploadFileRequest]) -> pb.UploadFileResponse:
        answer: pb.UploadFileResponse = self._upload(
            requests, timeout=UPLOAD_TIMEOUT_SECONDS, metadata=self._metadata
        )
        return answer

    def start_import(self, request: pb.StartImportRequest) -> pb.ContactImport:
        answer: pb.StartImportResponse = self._start(
            request, timeout=UNARY_TIMEOUT_SECONDS, metadata=self._metadata
        )
        return answer.contact_import

    def get_import(self, import_id: str) -> pb.ContactImport:
        request = pb.GetImportRequest(import_id=import_id)
        answer: pb.GetImportResponse = self._get(
            request, timeout=UNARY_TIMEOUT_SECONDS, metadata=self._metadata
        )
        return answer.contact_import

    def watch_import(self, import_id: str) -> Iterator[pb.ContactImport]:
        request = pb.WatchImportRequest(import_id=import_id)
        for update in self._watch(request, metadata=self._metadata):
            yield update.contact_import

    def download_failures(self, import_id: str) -> Iterator[pb.DownloadFailuresResponse]:
        request = pb.DownloadFailuresRequest(import_id=import_id)
        yield from self._failures(request, timeout=UPLOAD_TIMEOUT_SECONDS, metadata=self._metadata)


@contextmanager
def open_client(connection: Connection) -> Iterator[ImportClient]:
    """Open a channel (plaintext unless `tls`) and close it afterwards."""
    if not connection.token:
        raise MissingToken(
            "no token: mint one with `contactimport token --tenant ID --name NAME` and "
            'export it: export CONTACTIMPORT_TOKEN="$(contactimport token --tenant ID --name NAME)"'
            " (or pass --token)"
        )
    if connection.tls:
        channel = grpc.secure_channel(connection.address, grpc.ssl_channel_credentials())
    else:
        channel = grpc.insecure_channel(connection.address)
    with channel:
        yield ImportClient(channel, connection.token)
