"""Domain errors, rooted in one class; the API maps them to gRPC status in one place.

Messages are `Text` (shared.i18n): written in English where the error is raised, rendered
in the caller's language when the API answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from shared.i18n.text import Text


class Code(StrEnum):
    """Canonical status codes, named as gRPC names them (domain code does not import grpc)."""

    INVALID_ARGUMENT = "INVALID_ARGUMENT"
    NOT_FOUND = "NOT_FOUND"
    FAILED_PRECONDITION = "FAILED_PRECONDITION"
    RESOURCE_EXHAUSTED = "RESOURCE_EXHAUSTED"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    UNAVAILABLE = "UNAVAILABLE"
    UNIMPLEMENTED = "UNIMPLEMENTED"
    INTERNAL = "INTERNAL"


class Reason(StrEnum):
    """Stable UPPER_SNAKE reasons of ErrorInfo and of rejected rows."""

    # File rules (SPEC "File rules").
    UNSUPPORTED_FORMAT = "UNSUPPORTED_FORMAT"
    FILE_TOO_LARGE = "FILE_TOO_LARGE"
    NOT_UTF8 = "NOT_UTF8"
    MULTIPLE_SHEETS = "MULTIPLE_SHEETS"
    MISSING_HEADER = "MISSING_HEADER"
    DUPLICATE_HEADER = "DUPLICATE_HEADER"
    EMPTY_FILE = "EMPTY_FILE"
    TOO_MANY_ROWS = "TOO_MANY_ROWS"
    TOO_MANY_COLUMNS = "TOO_MANY_COLUMNS"
    ENCRYPTED_FILE = "ENCRYPTED_FILE"
    MALFORMED_FILE = "MALFORMED_FILE"
    # Upload stream.
    METADATA_MISSING = "METADATA_MISSING"
    SIZE_MISMATCH = "SIZE_MISMATCH"
    CHECKSUM_MISMATCH = "CHECKSUM_MISMATCH"
    # Row rules (SPEC "Row rules").
    NAME_MISSING = "NAME_MISSING"
    PHONE_MISSING = "PHONE_MISSING"
    PHONE_INVALID = "PHONE_INVALID"
    EMAIL_INVALID = "EMAIL_INVALID"
    TOO_MANY_VALUES = "TOO_MANY_VALUES"
    VALUE_TOO_LONG = "VALUE_TOO_LONG"
    AMBIGUOUS_MATCH = "AMBIGUOUS_MATCH"
    # Requests and resources.
    INVALID_REQUEST = "INVALID_REQUEST"
    INVALID_MAPPING = "INVALID_MAPPING"
    COUNTRY_MISSING = "COUNTRY_MISSING"
    IMPORT_NOT_FOUND = "IMPORT_NOT_FOUND"
    IMPORT_ALREADY_STARTED = "IMPORT_ALREADY_STARTED"
    IMPORT_NOT_FINISHED = "IMPORT_NOT_FINISHED"
    IMPORT_RUNNING = "IMPORT_RUNNING"
    IMPORT_DELETED = "IMPORT_DELETED"
    NO_FAILED_ROWS = "NO_FAILED_ROWS"
    # Identity.
    TOKEN_MISSING = "TOKEN_MISSING"
    TOKEN_INVALID = "TOKEN_INVALID"
    # Infrastructure and terminal import errors.
    DATABASE_UNAVAILABLE = "DATABASE_UNAVAILABLE"
    SHUTTING_DOWN = "SHUTTING_DOWN"
    SERVER_BUSY = "SERVER_BUSY"
    NO_VALID_ROWS = "NO_VALID_ROWS"
    WORKER_ERROR = "WORKER_ERROR"
    INTERNAL = "INTERNAL"


@dataclass(frozen=True)
class FieldViolation:
    """One bad request field, as google.rpc.BadRequest.FieldViolation carries it."""

    field: str
    description: Text
    reason: str = ""


@dataclass
class ContactImportError(Exception):
    """Base of every error the service answers with: a code, a reason and a message."""

    message: Text
    reason: Reason = Reason.INTERNAL
    code: Code = Code.INTERNAL
    violations: list[FieldViolation] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    retry_after: float = 0.0
    """Seconds after which a retry may succeed (google.rpc.RetryInfo); 0: not said."""

    def __str__(self) -> str:
        return f"{self.reason}: {self.message}"


class FileRejected(ContactImportError):
    """Raised when an uploaded file breaks a file rule; the whole file is refused."""

    def __init__(self, reason: Reason, message: Text, **metadata: str) -> None:
        code = Code.RESOURCE_EXHAUSTED if reason is Reason.FILE_TOO_LARGE else Code.INVALID_ARGUMENT
        super().__init__(message, reason, code, [], dict(metadata))


class InvalidRequest(ContactImportError):
    """Raised when request fields are missing or wrong."""

    def __init__(
        self,
        message: Text,
        violations: list[FieldViolation] | None = None,
        reason: Reason = Reason.INVALID_REQUEST,
    ) -> None:
        super().__init__(message, reason, Code.INVALID_ARGUMENT, violations or [])


class NotFound(ContactImportError):
    """Raised when a resource does not exist for the caller's tenant."""

    def __init__(self, message: Text, reason: Reason = Reason.IMPORT_NOT_FOUND) -> None:
        super().__init__(message, reason, Code.NOT_FOUND)


class WrongState(ContactImportError):
    """Raised when an import is not in a state that allows the call."""

    def __init__(self, message: Text, reason: Reason) -> None:
        super().__init__(message, reason, Code.FAILED_PRECONDITION)


class Unauthenticated(ContactImportError):
    """Raised when a call has no valid bearer token."""

    def __init__(self, message: Text, reason: Reason = Reason.TOKEN_INVALID) -> None:
        super().__init__(message, reason, Code.UNAUTHENTICATED)


class Unavailable(ContactImportError):
    """Raised when the database or broker cannot be reached; the call may be retried."""

    def __init__(
        self, message: Text, reason: Reason = Reason.DATABASE_UNAVAILABLE, retry_after: float = 1.0
    ) -> None:
        super().__init__(message, reason, Code.UNAVAILABLE, retry_after=retry_after)


class ImportBusy(ContactImportError):
    """Raised when another worker holds a live lease on an import; the job is retried later."""

    def __init__(self, message: Text) -> None:
        super().__init__(message, Reason.WORKER_ERROR, Code.UNAVAILABLE)


class ImportUnrunnable(ContactImportError):
    """Raised when a claimed import cannot run as stored (file gone, mapping off): no retry."""

    def __init__(self, message: Text) -> None:
        super().__init__(message, Reason.WORKER_ERROR, Code.INTERNAL)
