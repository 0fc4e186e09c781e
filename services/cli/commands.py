"""One function per sub-command; each returns the process exit status."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TextIO, TypeVar

import grpc

from services.cli import render
from services.cli.client import (
    CallError,
    Connection,
    ImportClient,
    MissingToken,
    Pages,
    PagingError,
    open_client,
)
from services.cli.dev_token import audience, signing_key
from services.cli.mapping_overrides import MapOverride, apply_overrides
from shared.gen.contactimport.v1 import import_service_pb2 as pb
from shared.identity import mint_token

CHUNK_BYTES = 256 * 1024
EXIT_OK = 0
EXIT_ERROR = 1
EXIT_IMPORT_FAILED = 2
EXIT_INTERRUPTED = 130
REWATCH_PAUSE_SECONDS = 1.0
DEFAULT_PAGE_SIZE = 100  # the server's largest page: the fewest round trips
TEMPLATE_LOCALES = ("en", "nl", "fr")

Item = TypeVar("Item")
Shown = TypeVar("Shown", contravariant=True)


@dataclass(frozen=True)
class Output:
    """Where the command writes: results on `out`, errors and progress on `err`."""

    out: TextIO
    err: TextIO
    json: bool = False  # `--json`: JSON on `out` (one object, or one per line), nothing else

    def say(self, *lines: str) -> None:
        if not self.json:
            for line in lines:
                print(line, file=self.out)

    def lines(self, texts: Iterable[str]) -> None:
        """`--json` lines: one JSON object per line, flushed so a pipe sees them as they come."""
        for text in texts:
            print(text, file=self.out)
        self.out.flush()

    def fail(self, error: CallError) -> int:
        if self.json:
            print(render.error_json(error), file=self.out)
        else:
            for line in render.error_lines(error):
                print(line, file=self.err)
        return EXIT_ERROR

    @property
    def width(self) -> int:
        return shutil.get_terminal_size((120, 24)).columns


def standard_output(*, as_json: bool) -> Output:
    return Output(sys.stdout, sys.stderr, as_json)


# token -------------------------------------------------------------------------------------


def run_token(*, tenant: str, name: str, country: str, ttl_seconds: int, out: TextIO) -> int:
    """Print a token signed with the local key (see `dev_token.signing_key`)."""
    token = mint_token(
        key=signing_key(os.environ),
        tenant_id=tenant,
        name=name,
        country=country,
        audience=audience(os.environ),
        ttl_seconds=ttl_seconds,
    )
    print(token, file=out)
    return EXIT_OK


# import ------------------------------------------------------------------------------------


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


def run_import(connection: Connection, options: ImportOptions, output: Output) -> int:
    """Upload, show the preview and suggested mapping, start, and (with --wait) follow."""
    try:
        upload = file_requests(options.path)
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
        return output.fail(CallError("INVALID_ARGUMENT", "FILE_UNREADABLE", _os_message(exc)))
    except grpc.RpcError as exc:
        return output.fail(_with_hint(CallError.from_rpc_error(exc), connection))
    except KeyboardInterrupt:
        print(
            "\nstopped; an import already started goes on: see `contactimport get ID --wait`",
            file=output.err,
        )
        return EXIT_INTERRUPTED
    return _report_final(final, output)


def file_requests(path: Path) -> Iterator[pb.UploadFileRequest]:
    """Metadata (name, size, SHA-256) first, then the file in 256 KiB chunks, read lazily.

    The checksum pass reads the file once before the upload starts (an unreadable file fails
    here, before any RPC); the chunks are read a second time while streaming.
    """
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as source:
        while block := source.read(CHUNK_BYTES):
            digest.update(block)
            size += len(block)
    metadata = pb.FileMetadata(file_name=path.name, size=size, sha256=digest.hexdigest())

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


# get ---------------------------------------------------------------------------------------


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
        return output.fail(_with_hint(CallError.from_rpc_error(exc), connection))
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    if wait or current.state in render.TERMINAL_STATES:
        return _report_final(current, output)
    return _report_started(current, output)


# failures ----------------------------------------------------------------------------------


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


# history -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListOptions:
    """The paging flags of `history` and `contacts`."""

    page_size: int = DEFAULT_PAGE_SIZE
    limit: int | None = None  # None: every page

    @property
    def request_size(self) -> int:
        """The page size asked for: never more than --limit needs (kept for every page)."""
        return self.page_size if self.limit is None else min(self.page_size, self.limit)


def run_history(connection: Connection, options: ListOptions, output: Output) -> int:
    """The tenant's imports, newest first, every page followed (or the first --limit)."""

    def fetch(client: ImportClient, token: str) -> tuple[Sequence[pb.ContactImport], str]:
        answer = client.list_imports(options.request_size, token)
        return answer.imports, answer.next_page_token

    return _run_listing(
        connection,
        options,
        output,
        fetch,
        to_json=render.import_json,
        to_lines=render.history_lines,
    )


# delete ------------------------------------------------------------------------------------


def run_delete(connection: Connection, import_id: str, output: Output) -> int:
    """Delete the contacts an import created; a second call answers the same."""
    try:
        with open_client(connection) as client:
            deleted = client.delete_import(import_id)
    except MissingToken as exc:
        return output.fail(CallError("UNAUTHENTICATED", "TOKEN_MISSING", str(exc)))
    except grpc.RpcError as exc:
        error = _with_hint(CallError.from_rpc_error(exc), connection)
        status = output.fail(error)
        if error.reason == "IMPORT_RUNNING" and not output.json:
            print(
                f"Wait for it to end (contactimport get {import_id} --wait), then delete it.",
                file=output.err,
            )
        return status
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    if output.json:
        print(render.import_json(deleted), file=output.out)
    else:
        output.say(*render.deleted_lines(deleted))
    return EXIT_OK


# template ----------------------------------------------------------------------------------


def run_template(connection: Connection, locale: str, target: Path | None, output: Output) -> int:
    """Save the XLSX template: written to TARGET.part, renamed to TARGET when complete."""
    return _download(
        connection,
        lambda client: client.download_template(locale),
        target,
        output,
        what="template",
        fallback_name=f"contacts-template-{locale or 'en'}.xlsx",
    )


# contacts ----------------------------------------------------------------------------------


def run_contacts(
    connection: Connection, query: str, import_id: str, options: ListOptions, output: Output
) -> int:
    """The tenant's contacts matching QUERY and of IMPORT_ID (both optional), every page."""

    def fetch(client: ImportClient, token: str) -> tuple[Sequence[pb.Contact], str]:
        request = pb.ListContactsRequest(
            import_id=import_id,
            query=query,
            page_size=options.request_size,
            page_token=token,
        )
        answer = client.list_contacts(request)
        return answer.contacts, answer.next_page_token

    return _run_listing(
        connection,
        options,
        output,
        fetch,
        to_json=render.contact_json,
        to_lines=render.contacts_lines,
    )


# helpers -----------------------------------------------------------------------------------


class _Lines(Protocol[Shown]):
    """`render.history_lines` or `render.contacts_lines`."""

    def __call__(self, items: Sequence[Shown], /, *, max_width: int, more: bool) -> list[str]: ...


def _run_listing(
    connection: Connection,
    options: ListOptions,
    output: Output,
    fetch: Callable[[ImportClient, str], tuple[Sequence[Item], str]],
    *,
    to_json: Callable[[Item], str],
    to_lines: _Lines[Item],
) -> int:
    """Follow every page: with --json print each item as its page arrives (an error after
    some pages ends the output with the error object), else collect them for one table."""
    collected: list[Item] = []
    try:
        with open_client(connection) as client:
            pages = Pages(lambda token: fetch(client, token), limit=options.limit)
            for page in pages:
                if output.json:
                    output.lines(to_json(item) for item in page)
                else:
                    collected.extend(page)
    except MissingToken as exc:
        return output.fail(CallError("UNAUTHENTICATED", "TOKEN_MISSING", str(exc)))
    except PagingError as exc:
        return output.fail(exc.error)
    except grpc.RpcError as exc:
        return output.fail(_with_hint(CallError.from_rpc_error(exc), connection))
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    if not output.json:
        output.say(*to_lines(collected, max_width=output.width, more=pages.more))
    return EXIT_OK


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
        return output.fail(CallError("INVALID_ARGUMENT", "FILE_UNWRITABLE", _os_message(exc)))
    except grpc.RpcError as exc:
        return output.fail(_with_hint(CallError.from_rpc_error(exc), connection))
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


def _os_message(exc: OSError) -> str:
    return f"{exc.filename}: {exc.strerror}" if exc.filename else str(exc)


def _with_hint(error: CallError, connection: Connection) -> CallError:
    """Say where we tried when the server could not be reached at all."""
    if error.code == "UNAVAILABLE" and not error.reason:
        message = (
            f"{error.message} (server {connection.address}: is it running (`make run`)? "
            "Set CONTACTIMPORT_ADDR to reach another one.)"
        )
        return CallError(error.code, error.reason, message, error.violations)
    return error
