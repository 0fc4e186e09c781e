"""`delete`: delete the contacts an import created."""

from __future__ import annotations

import grpc

from services.cli import render
from services.cli.client import CallError, Connection, MissingToken, open_client
from services.cli.commands.output import EXIT_INTERRUPTED, EXIT_OK, Output, with_hint


def run_delete(connection: Connection, import_id: str, output: Output) -> int:
    """Delete the contacts an import created; a second call answers the same."""
    try:
        with open_client(connection) as client:
            deleted = client.delete_import(import_id)
    except MissingToken as exc:
        return output.fail(CallError("UNAUTHENTICATED", "TOKEN_MISSING", str(exc)))
    except grpc.RpcError as exc:
        error = with_hint(CallError.from_rpc_error(exc), connection)
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
