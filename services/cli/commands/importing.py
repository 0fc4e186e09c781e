"""`import` and `get`: upload a file, start its import, and follow an import to its end."""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import grpc

from services.cli import render
from services.cli.client import CallError, Connection, ImportClient, MissingToken, open_client
from services.cli.commands.output import (
    EXIT_IMPORT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    Output,
    os_message,
    with_hint,
)
from services.cli.mapping_overrides import MapOverride, apply_overrides
from shared.gen.contactimport.v1 import import_service_pb2 as pb

CHUNK_BYTES = 256 * 1024
REWATCH_PAUSE_SECONDS = 1.0

# `--duplicates` words and the policy each names (see docs/behaviour.md).
DUPLICATE_POLICIES = {
    "skip": pb.DUPLICATE_POLICY_SKIP,
    "update": pb.DUPLICATE_POLICY_UPDATE,
    "create": pb.DUPLICATE_POLICY_CREATE,
}


@dataclass(frozen=True)
class ImportOptions:
    """The flags of `contactimport import`."""

    path: Path
    overrides: list[MapOverride]
    country: str = ""
    dry_run: bool = False
    wait: bool = False
    duplicates: str = "skip"
    encoding: str = ""  # a CSV's or vCard's declared text encoding ("": its BOM, else UTF-8)


def run_import(connection: Connection, options: ImportOptions, output: Output) -> int:
    """Upload, show the preview and suggested mapping, start, and (with --wait) follow."""
    try:
        upload = file_requests(options.path, options.encoding)
        with open_client(connection) as client:
            answer = client.upload_file(upload)
            output.say(*render.upload_lines(answer, max_width=output.width))
            mapping = apply_overrides(answer.suggested_mapping, options.overrides)
            if options.overrides:
                output.say("", "Mapping used (after --map):")
                output.say(
                    *("  " + s for s in render.mapping_lines(mapping, max_width=output.width))
                )
            started = client.start_import(
                pb.StartImportRequest(
                    import_id=answer.contact_import.import_id,
                    mapping=mapping,
                    default_country=options.country,
                    dry_run=options.dry_run,
                    request_id=str(uuid.uuid4()),
                    duplicate_policy=DUPLICATE_POLICIES[options.duplicates],
                )
            )
            if not options.wait:
                return _report_started(started, output)
            final = follow(client, started, output)
    except MissingToken as exc:
        return output.fail(CallError("UNAUTHENTICATED", "TOKEN_MISSING", str(exc)))
    except OSError as exc:
        return output.fail(CallError("INVALID_ARGUMENT", "FILE_UNREADABLE", os_message(exc)))
    except grpc.RpcError as exc:
        return output.fail(with_hint(CallError.from_rpc_error(exc), connection))
    except KeyboardInterrupt:
        print(
            "\nstopped; an import already started goes on: see `contactimport get ID --wait`",
            file=output.err,
        )
        return EXIT_INTERRUPTED
    return _report_final(final, output)


def run_get(connection: Connection, import_id: str, *, wait: bool, output: Output) -> int:
    """Show one import (its counts), following it to the end with --wait."""
    try:
        with open_client(connection) as client:
            current = client.get_import(import_id)
            if wait:
                current = follow(client, current, output)
    except MissingToken as exc:
        return output.fail(CallError("UNAUTHENTICATED", "TOKEN_MISSING", str(exc)))
    except grpc.RpcError as exc:
        return output.fail(with_hint(CallError.from_rpc_error(exc), connection))
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    if wait or current.state in render.TERMINAL_STATES:
        return _report_final(current, output)
    return _report_started(current, output)


def file_requests(path: Path, encoding: str = "") -> Iterator[pb.UploadFileRequest]:
    """Metadata (name, size, SHA-256, encoding) first, then the file in 256 KiB chunks, read
    lazily.

    The checksum pass reads the file once before the upload starts (an unreadable file fails
    here, before any RPC); the chunks are read a second time while streaming.
    """
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as source:
        while block := source.read(CHUNK_BYTES):
            digest.update(block)
            size += len(block)
    # A request_id of its own: should the upload be sent again, the server answers with the
    # first import instead of storing a second.
    metadata = pb.FileMetadata(
        file_name=path.name,
        size=size,
        sha256=digest.hexdigest(),
        encoding=encoding,
        request_id=str(uuid.uuid4()),
    )

    def stream() -> Iterator[pb.UploadFileRequest]:
        yield pb.UploadFileRequest(metadata=metadata)
        with path.open("rb") as source:
            while block := source.read(CHUNK_BYTES):
                yield pb.UploadFileRequest(chunk=block)

    return stream()


def follow(client: ImportClient, current: pb.ContactImport, output: Output) -> pb.ContactImport:
    """Watch the import until it is terminal; a stream that ends early is watched again."""
    if current.state in render.TERMINAL_STATES:
        return current
    progress = render.Progress(output.err, tty=output.err.isatty(), plain=not output.json)
    try:
        while True:
            for update in client.watch_import(current.import_id):
                current = update
                progress.update(current)
            if current.state in render.TERMINAL_STATES:
                return current
            time.sleep(REWATCH_PAUSE_SECONDS)
    finally:
        progress.close()


def _report_started(started: pb.ContactImport, output: Output) -> int:
    if output.json:
        print(render.import_json(started), file=output.out)
        return EXIT_OK
    output.say(
        "",
        f"Import {started.import_id}: {render.state_name(started.state)}",
        f"Follow it with: contactimport get {started.import_id} --wait",
    )
    return EXIT_OK


def _report_final(final: pb.ContactImport, output: Output) -> int:
    if output.json:
        print(render.import_json(final), file=output.out)
    else:
        output.say("", *render.counts_lines(final))
    return EXIT_IMPORT_FAILED if final.state == pb.ContactImport.STATE_FAILED else EXIT_OK
