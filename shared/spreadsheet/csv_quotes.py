"""Where a CSV's quoted values open and close, its text read in pieces of any size.

A quoted value opens with a " at the start of a field (the text's start, or after the
delimiter or a line break) and closes at the next " that is not doubled; a " inside an
unquoted field is a character (as pyarrow and the stdlib csv module read it). The scan
gives the one file rule quotes make (a value still open at the end of the text is refused,
naming the row where it opens) and where records end outside quoted values, so that a
reader can cut the text into blocks of whole records (`QuoteScan.cut`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from shared.errors import FileRejected, Reason
from shared.i18n.text import t
from shared.spreadsheet.encodings import LineCount, line_breaks

_VALUE = rb'("(?:[^"]+|"")*)("|\Z)'
_INSIDE = re.compile(rb'(?:[^"]+|"")*("|\Z)')


@dataclass
class _Open:
    """A quoted value that runs to the end of the text scanned so far."""

    offset: int
    lines_before: int = 0
    """Line breaks of the text before its opening quote (counted scans only)."""
    closed_breaks_before: int = 0
    """Line breaks inside the closed quoted values before it (counted scans only)."""
    breaks: int = 0
    """Line breaks inside it so far (counted scans only)."""


class QuoteScan:
    """Feed a CSV text's pieces in order, then `finish`; `cut` says where blocks may end.

    `counted` also counts line breaks, for the refusal's row and line: a scan that only
    decides whether the text is refused leaves it off (a value per field, and most
    files have none to refuse), and `unclosed_quote` scans again counting.
    """

    def __init__(self, delimiter: bytes, *, counted: bool = False) -> None:
        self._at_start = _quoted_values(delimiter, at_start=True)
        self._after = _quoted_values(delimiter, at_start=False)
        self._prefixes = delimiter + b"\r\n"
        self._counted = counted
        self._offset = 0  # of the text scanned so far
        self._lines = LineCount()
        self._closed_breaks = 0
        self._open: _Open | None = None
        self._carry = b""  # a prefix byte, or the " that may be the first of a doubled one
        self._held = b""  # a CR at a piece's end, which may be the first of a CRLF
        self.cut = 0
        """The offset just after the last record break outside quoted values so far (0
        for none): the text before it is whole records."""

    def feed(self, piece: bytes) -> None:
        data = self._held + piece if self._held else piece
        self._held = b""
        if data[-1:] == b"\r":
            data, self._held = data[:-1], b"\r"
        if data:
            self._scan(data)

    def finish(self) -> _Open | None:
        """The quoted value left open at the end of the text, or None when all are closed."""
        if self._held:
            self._scan(self._held)
            self._held = b""
        if self._open is not None and self._carry == b'"':
            return None  # the text's last byte closes it
        return self._open

    def _scan(self, data: bytes) -> None:
        carried = len(self._carry)
        buf = self._carry + data if carried else data
        base = self._offset - carried
        self._carry = b""
        pos = 0
        if self._open is not None:
            pos = self._go_on(buf)
            if pos < 0:
                self._advance(data)
                return
        tail = len(buf)  # where the text outside quoted values at the end stops
        # (start, end) of each quoted value without its closing quote, which is at `end`.
        spans = []
        if b'"' in buf:
            pattern = self._at_start if base == 0 else self._after
            spans = [match.span(1) for match in pattern.finditer(buf, pos)]
            last = spans.pop() if spans and spans[-1][1] >= len(buf) - 1 else None
            if self._counted:
                self._closed_breaks += sum(line_breaks(buf[a:b]) for a, b in spans)
            if last is not None:
                # Runs to the end of what has come: open until a later piece closes it.
                self._opened(buf, *last, base, carried)
                tail = last[0]
        self._note_cut(buf, base, pos, tail, spans)
        if self._open is None and buf[-1:] and buf[-1:] in self._prefixes:
            self._carry = buf[-1:]
        self._advance(data)

    def _go_on(self, buf: bytes) -> int:
        """Continue the open value: where it closes in `buf`, or -1 when it goes on."""
        assert self._open is not None
        match = _INSIDE.match(buf)
        assert match is not None  # the pattern matches the empty string
        end = match.end()
        if end == len(buf):
            if match.group(1):  # a last " that may be the first of a doubled one
                self._carry = b'"'
            if self._counted:
                self._open.breaks += line_breaks(buf)
            return -1
        if self._counted:
            self._open.breaks += line_breaks(buf[:end])
            self._closed_breaks += self._open.breaks
        self._open = None
        return end

    def _opened(self, buf: bytes, opening: int, end: int, base: int, carried: int) -> None:
        value = _Open(base + opening)
        if end < len(buf):  # its last byte is a " that may be the first of a doubled one
            self._carry = b'"'
        if self._counted:
            value.lines_before = self._lines.breaks + line_breaks(buf[carried:opening])
            value.closed_breaks_before = self._closed_breaks
            value.breaks = line_breaks(buf[opening:])
        self._open = value

    def _note_cut(
        self, buf: bytes, base: int, pos: int, tail: int, closed: list[tuple[int, int]]
    ) -> None:
        # The text outside quoted values: from the closing quote of each closed value (or
        # `pos`) to the opening quote of the next (its prefix byte, a break perhaps, is
        # outside), looked at from the end.
        end = tail
        for opening, closing in reversed(closed):
            if self._cut_in(buf, base, closing, end):
                return
            end = opening
        self._cut_in(buf, base, pos, end)

    def _cut_in(self, buf: bytes, base: int, start: int, end: int) -> bool:
        found = max(buf.rfind(b"\n", start, end), buf.rfind(b"\r", start, end))
        if found >= 0:
            self.cut = base + found + 1
        return found >= 0

    def _advance(self, data: bytes) -> None:
        if self._counted:
            self._lines.add(data)
        self._offset += len(data)


@cache
def _quoted_values(delimiter: bytes, *, at_start: bool) -> re.Pattern[bytes]:
    """A quoted value with the byte before it: `at_start`, also one at the text's start."""
    prefix = rb"[" + re.escape(delimiter) + rb"\r\n]"
    return re.compile((rb"(?:\A|" + prefix + rb")" if at_start else prefix) + _VALUE)


def check_quotes(text: bytes, delimiter: bytes) -> None:
    """Refuse a quoted value of `text` (a whole CSV) that is never closed.

    What `QuoteScan` decides for the text in one piece, without its bookkeeping: only the
    last quoted value can be open.
    """
    if b'"' not in text:
        return
    last = None
    for last in _quoted_values(delimiter, at_start=True).finditer(text):  # noqa: B007
        pass
    if last is not None and not last.group(2):
        raise unclosed_quote([text], delimiter)


def unclosed_quote(pieces: Iterable[bytes], delimiter: bytes) -> FileRejected:
    """The refusal of a text (its pieces, read again) whose last quoted value is not closed.

    Only the last quoted value can run to the end of the text; the row it opens on counts
    the line breaks before it, less those inside the closed quoted values before it.
    """
    scan = QuoteScan(delimiter, counted=True)
    for piece in pieces:
        scan.feed(piece)
    value = scan.finish()
    assert value is not None, "only asked of a text with a value left open"
    line = value.lines_before + 1
    row = line - value.closed_breaks_before
    if line == row:
        message = t(
            'A quoted value that starts in row {row} is never closed: add the missing " '
            "at the end of that value (or remove the opening one) and upload the file "
            "again.",
            row=str(row),
        )
    else:
        # Translators: {row} is the row number a spreadsheet shows, {line} the line of
        # the file it starts on (values with line breaks make the two differ).
        message = t(
            "A quoted value that starts in row {row} (line {line} of the file) is never "
            'closed: add the missing " at the end of that value (or remove the opening '
            "one) and upload the file again.",
            row=str(row),
            line=str(line),
        )
    return FileRejected(Reason.MALFORMED_FILE, message, row=str(row))
