"""One place that opens the channel, builds typed calls and reads rich error details."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

import grpc
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from shared.gen.contactimport.v1 import import_service_pb2 as pb
from shared.gen.contactimport.v1 import import_service_pb2_grpc as pb_grpc

DEFAULT_ADDRESS = "localhost:50051"
UNARY_TIMEOUT_SECONDS = 60.0
UPLOAD_TIMEOUT_SECONDS = 600.0


Item = TypeVar("Item")


@dataclass(frozen=True)
class ClientTls:
    """The channel's TLS: roots that sign the server's certificate, and our own certificate."""

    ca: bytes | None = None  # PEM; None: the system's roots
    cert: bytes | None = None  # PEM certificate chain for mutual TLS, with `key`
    key: bytes | None = field(default=None, repr=False)

    @classmethod
    def from_files(
        cls, *, ca: Path | None = None, cert: Path | None = None, key: Path | None = None
    ) -> ClientTls:
        """Read the PEM files given (OSError when one cannot be read)."""
        return cls(
            ca=ca.read_bytes() if ca else None,
            cert=cert.read_bytes() if cert else None,
            key=key.read_bytes() if key else None,
        )

    def credentials(self) -> grpc.ChannelCredentials:
        return grpc.ssl_channel_credentials(
            root_certificates=self.ca, private_key=self.key, certificate_chain=self.cert
        )


@dataclass(frozen=True)
class Connection:
    """Where the server is and who calls it, read from the environment and the flags."""

    address: str
    token: str
    tls: ClientTls | None = None  # None: plaintext
    language: str = ""  # sent as accept-language; "" sends none (the server's choice)

    @classmethod
    def from_env(
        cls, *, token: str | None = None, tls: ClientTls | None = None, language: str = ""
    ) -> Connection:
        return cls(
            address=os.environ.get("CONTACTIMPORT_ADDR") or DEFAULT_ADDRESS,
            token=token or os.environ.get("CONTACTIMPORT_TOKEN", "").strip(),
            tls=tls,
            language=language,
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


class PagingError(Exception):
    """A server whose pages cannot be followed; `error` is what the user is told."""

    def __init__(self, error: CallError) -> None:
        super().__init__(error.message)
        self.error = error


class ImportClient:
    """Typed calls of `contactimport.v1.ImportService`, each with the bearer token."""

    def __init__(self, channel: grpc.Channel, token: str, language: str = "") -> None:
        self._metadata: tuple[tuple[str, str], ...] = (("authorization", f"Bearer {token}"),)
        if language:
            self._metadata += (("accept-language", language),)
        # The generated stub is untyped; the methods below give each call its types.
        self._stub = pb_grpc.ImportServiceStub(channel)  # type: ignore[no-untyped-call]

    def upload_file(self, requests: Iterator[pb.UploadFileRequest]) -> pb.UploadFileResponse:
        answer: pb.UploadFileResponse = self._stub.UploadFile(
            requests, timeout=UPLOAD_TIMEOUT_SECONDS, metadata=self._metadata
        )
        return answer

    def start_import(self, request: pb.StartImportRequest) -> pb.ContactImport:
        answer: pb.StartImportResponse = self._stub.StartImport(
            request, timeout=UNARY_TIMEOUT_SECONDS, metadata=self._metadata
        )
        return answer.contact_import

    def get_import(self, import_id: str) -> pb.ContactImport:
        request = pb.GetImportRequest(import_id=import_id)
        answer: pb.GetImportResponse = self._stub.GetImport(
            request, timeout=UNARY_TIMEOUT_SECONDS, metadata=self._metadata
        )
        return answer.contact_import

    def watch_import(self, import_id: str) -> Iterator[pb.ContactImport]:
        request = pb.WatchImportRequest(import_id=import_id)
        for update in self._stub.WatchImport(request, metadata=self._metadata):
            yield update.contact_import

    def download_failures(self, import_id: str) -> Iterator[pb.DownloadFailuresResponse]:
        request = pb.DownloadFailuresRequest(import_id=import_id)
        yield from self._stub.DownloadFailures(
            request, timeout=UPLOAD_TIMEOUT_SECONDS, metadata=self._metadata
        )

    def list_imports(self, page_size: int, page_token: str) -> pb.ListImportsResponse:
        request = pb.ListImportsRequest(page_size=page_size, page_token=page_token)
        answer: pb.ListImportsResponse = self._stub.ListImports(
            request, timeout=UNARY_TIMEOUT_SECONDS, metadata=self._metadata
        )
        return answer

    def delete_import(self, import_id: str) -> pb.ContactImport:
        # One id for this call: the channel's own retries (UNAVAILABLE) send it again.
        request = pb.DeleteImportRequest(import_id=import_id, request_id=str(uuid.uuid4()))
        answer: pb.DeleteImportResponse = self._stub.DeleteImport(
            request, timeout=UNARY_TIMEOUT_SECONDS, metadata=self._metadata
        )
        return answer.contact_import

    def download_template(self, locale: str) -> Iterator[pb.DownloadTemplateResponse]:
        request = pb.DownloadTemplateRequest(locale=locale)
        yield from self._stub.DownloadTemplate(
            request, timeout=UPLOAD_TIMEOUT_SECONDS, metadata=self._metadata
        )

    def list_contacts(self, request: pb.ListContactsRequest) -> pb.ListContactsResponse:
        answer: pb.ListContactsResponse = self._stub.ListContacts(
            request, timeout=UNARY_TIMEOUT_SECONDS, metadata=self._metadata
        )
        return answer


class Pages(Generic[Item]):
    """Follows `next_page_token` from the first page to the last, or until `limit` items.

    `fetch(page_token)` answers one page: its items and the next token ("" on the last page).
    Iterating yields the pages' items in the server's order, page by page; afterwards `more`
    tells whether `limit` left items unread. A server that hands out a token twice would make
    this loop forever: that is a PagingError (INTERNAL, PAGE_TOKEN_REPEATED) instead.
    """

    def __init__(
        self, fetch: Callable[[str], tuple[Sequence[Item], str]], *, limit: int | None = None
    ) -> None:
        self._fetch = fetch
        self._limit = limit
        self.more = False

    def __iter__(self) -> Iterator[list[Item]]:
        token = ""
        seen: set[str] = set()
        left = self._limit
        while True:
            items, token = self._fetch(token)
            page = list(items)
            if left is not None:
                self.more = len(page) > left or (len(page) == left and bool(token))
                page, left = page[:left], left - min(left, len(page))
            if page:
                yield page
            if not token or left == 0:
                return
            if token in seen:
                raise PagingError(
                    CallError(
                        "INTERNAL",
                        "PAGE_TOKEN_REPEATED",
                        "The server sent the same page token twice; the list stops here.",
                    )
                )
            seen.add(token)


# The service's published gRPC service config: per-RPC deadlines, and retries of UNAVAILABLE
# only (every RPC is safe to retry: StartImport, UploadFile and DeleteImport carry a
# request_id, and DeleteImport answers a deleted import as it is). Other services may use it.
SERVICE_CONFIG = Path(__file__).with_name("service_config.json")


def channel_options() -> list[tuple[str, Any]]:
    """Channel options that apply the service config (retries enabled)."""
    return [
        ("grpc.service_config", SERVICE_CONFIG.read_text()),
        ("grpc.enable_retries", 1),
    ]


@contextmanager
def open_client(connection: Connection) -> Iterator[ImportClient]:
    """Open a channel (plaintext unless `tls`) and close it afterwards."""
    if not connection.token:
        raise MissingToken(
            "no token: mint one with `contactimport token --tenant ID --name NAME` and "
            'export it: export CONTACTIMPORT_TOKEN="$(contactimport token --tenant ID --name NAME)"'
            " (or pass --token)"
        )
    options = channel_options()
    if connection.tls is not None:
        channel = grpc.secure_channel(
            connection.address, connection.tls.credentials(), options=options
        )
    else:
        channel = grpc.insecure_channel(connection.address, options=options)
    with channel:
        yield ImportClient(channel, connection.token, connection.language)
