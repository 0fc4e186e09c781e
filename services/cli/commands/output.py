"""Where a command writes, the exit statuses, and how a failed call is reported."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

from services.cli import render
from services.cli.client import CallError, Connection

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_IMPORT_FAILED = 2
EXIT_INTERRUPTED = 130


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


def os_message(exc: OSError) -> str:
    return f"{exc.filename}: {exc.strerror}" if exc.filename else str(exc)


def with_hint(error: CallError, connection: Connection) -> CallError:
    """Say where we tried when the server could not be reached at all."""
    if error.code == "UNAVAILABLE" and not error.reason:
        # A TLS mismatch looks like an unreachable server: say which side to check.
        tls = (
            " Over TLS: does --ca hold the roots that sign its certificate, and does it ask "
            "for a client certificate (--cert, --key)?"
            if connection.tls is not None
            else " If it serves TLS, add --tls (and --ca FILE for roots of your own)."
        )
        message = (
            f"{error.message} (server {connection.address}: is it running (`make run`)? "
            f"Set CONTACTIMPORT_ADDR to reach another one.{tls})"
        )
        return CallError(error.code, error.reason, message, error.violations)
    return error
