"""Domain errors to google.rpc.Status: the one place where errors meet gRPC."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import asyncpg
import grpc
from google.protobuf import any_pb2, duration_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2

from shared.errors import Code, ContactImportError, InvalidRequest, Reason, Unavailable
from shared.i18n.catalogues import language_of, render
from shared.i18n.text import t

DOMAIN = "contactimport"

# asyncpg/OS errors that mean "the database is out of reach": UNAVAILABLE, retry later.
DATABASE_OUTAGES: tuple[type[BaseException], ...] = (
    OSError,
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    asyncpg.ConnectionDoesNotExistError,
    asyncpg.AdminShutdownError,
)

# Text PostgreSQL cannot store (a NUL character in a request field): the caller's input.
UNSTORABLE_TEXT: tuple[type[BaseException], ...] = (
    asyncpg.CharacterNotInRepertoireError,
    asyncpg.UntranslatableCharacterError,
)


def to_status(error: ContactImportError, language: str) -> status_pb2.Status:
    """The google.rpc.Status of a domain error, in the language: ErrorInfo and
    LocalizedMessage always, BadRequest for bad fields. The reason stays the English code."""
    message = render(error.message, language)
    info = error_details_pb2.ErrorInfo(reason=error.reason.value, domain=DOMAIN)
    info.metadata.update(error.metadata)
    localized = error_details_pb2.LocalizedMessage(
        locale=language_of(error.message, language), message=message
    )
    details: list[Any] = [info, localized]
    if error.retry_after > 0:
        delay = duration_pb2.Duration()
        delay.FromTimedelta(timedelta(seconds=error.retry_after))
        details.append(error_details_pb2.RetryInfo(retry_delay=delay))
    if error.violations:
        details.append(
            error_details_pb2.BadRequest(
                field_violations=[
                    error_details_pb2.BadRequest.FieldViolation(
                        field=v.field,
                        description=render(v.description, language),
                        reason=v.reason,
                    )
                    for v in error.violations
                ]
            )
        )
    status = status_pb2.Status(code=getattr(code_pb2, error.code.value), message=message)
    for detail in details:
        packed = any_pb2.Any()
        packed.Pack(detail)
        status.details.append(packed)
    return status


def from_exception(exc: BaseException) -> ContactImportError:
    """The domain error an exception stands for (unknown ones become INTERNAL)."""
    if isinstance(exc, ContactImportError):
        return exc
    if isinstance(exc, DATABASE_OUTAGES):
        return Unavailable(t("The database cannot be reached right now; try again in a moment."))
    if isinstance(exc, UNSTORABLE_TEXT):
        return InvalidRequest(
            t("The request holds a character that cannot be stored (such as NUL); remove it.")
        )
    return ContactImportError(
        t("Something went wrong on our side; the error is logged. Try again later."),
        Reason.INTERNAL,
        Code.INTERNAL,
    )


def grpc_code(error: ContactImportError) -> grpc.StatusCode:
    return grpc.StatusCode[error.code.value]
