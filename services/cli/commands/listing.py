"""`history` and `contacts`: the tenant's imports or contacts, every page followed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

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
from services.cli.commands.output import EXIT_INTERRUPTED, EXIT_OK, Output, with_hint
from shared.gen.contactimport.v1 import import_service_pb2 as pb

DEFAULT_PAGE_SIZE = 100  # the server's largest page: the fewest round trips

Item = TypeVar("Item")
Shown = TypeVar("Shown", contravariant=True)


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
        return output.fail(with_hint(CallError.from_rpc_error(exc), connection))
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    if not output.json:
        output.say(*to_lines(collected, max_width=output.width, more=pages.more))
    return EXIT_OK
