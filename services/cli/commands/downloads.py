"""`failures` and `template`: save a file the server streams, whole or not at all."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

import grpc

from services.cli.client import CallError, Connection, ImportClient, MissingToken, open_client
from services.cli.commands.output import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    Output,
    os_message,
    with_hint,
)

TEMPLATE_LOCALES = ("en", "nl", "fr", "de")


def run_failures(
    connection: Connection, import_id: str, target: Path | None, output: Output
) -> int:
    """Save the failure workbook: written to TARGET.part, renamed to TARGET when complete."""
    return _download(
        connection,
        lambda client: client.download_failures(import_id),
        target,
        output,
        what="workbook",
        fallback_name=f"failures-{import_id}.xlsx",
    )


def run_template(connection: Connection, locale: str, target: Path | None, output: Output) -> int:
    """Save the XLSX template: written to TARGET.part, renamed to TARGET when complete."""
    return _download(
        connection,
        lambda client: client.download_template(locale),
        target,
        output,
        what="template",
        fallback_name=f"contacts-template-{locale or connection.language or 'en'}.xlsx",
    )


class _Chunk(Protocol):
    """A message of DownloadFailures or DownloadTemplate."""

    @property
    def chunk(self) -> bytes: ...

    @property
    def file_name(self) -> str: ...


def _download(
    connection: Connection,
    call: Callable[[ImportClient], Iterator[_Chunk]],
    target: Path | None,
    output: Output,
    *,
    what: str,
    fallback_name: str,
) -> int:
    """Save a streamed file: written to TARGET.part, fsynced, renamed to TARGET when
    complete; a failed download leaves neither (and an existing TARGET as it was)."""
    part: Path | None = None
    try:
        with open_client(connection) as client:
            stream = call(client)
            first = next(stream, None)
            if first is None:
                return output.fail(CallError("INTERNAL", "", f"the server sent no {what}"))
            if target is None:
                # Only a bare name from the server: never a path it chose.
                target = Path(Path(first.file_name).name or fallback_name)
            part = target.with_name(target.name + ".part")
            size = 0
            with part.open("wb") as sink:
                sink.write(first.chunk)
                size += len(first.chunk)
                for message in stream:
                    sink.write(message.chunk)
                    size += len(message.chunk)
                sink.flush()
                os.fsync(sink.fileno())
            part.replace(target)
            part = None
    except MissingToken as exc:
        return output.fail(CallError("UNAUTHENTICATED", "TOKEN_MISSING", str(exc)))
    except OSError as exc:
        return output.fail(CallError("INVALID_ARGUMENT", "FILE_UNWRITABLE", os_message(exc)))
    except grpc.RpcError as exc:
        return output.fail(with_hint(CallError.from_rpc_error(exc), connection))
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    finally:
        if part is not None:
            part.unlink(missing_ok=True)
    if output.json:
        print(json.dumps({"path": str(target), "size": size}), file=output.out)
    else:
        output.say(f"Saved {target} ({size:,} bytes)")
    return EXIT_OK
