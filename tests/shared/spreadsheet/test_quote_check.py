"""The unclosed-quote check finds exactly what the first, slower formulation found.

The reference below is the check as first written (a look-behind regex over every quoted
value, counting line breaks as it goes); `check_quotes` on a whole text, and `QuoteScan`
fed the same text in pieces of any size, must refuse the same files with the same row and
message, on texts made of the characters that matter. Every place the scan says a block
may end is a line break outside quoted values (and never between a CR and its LF).
"""

from __future__ import annotations

import random
import re

import pytest

from shared.errors import FileRejected
from shared.spreadsheet.csv_quotes import QuoteScan, check_quotes, unclosed_quote
from shared.spreadsheet.encodings import line_breaks

DELIMITERS = pytest.mark.parametrize(
    "delimiter", [b",", b";", b"\t", b"|"], ids=["comma", "semicolon", "tab", "pipe"]
)
ALPHABET = [b'"', b'""', b",", b";", b"\t", b"\n", b"\r\n", b"\r", b"a", b"Jan", b" "]


def _reference(body: bytes, delimiter: bytes) -> tuple[int, int] | None:
    """(row, line) of the quoted value that is never closed, or None."""
    if b'"' not in body:
        return None
    field_start = re.escape(delimiter)
    quoted = re.compile(rb"(?:(?<=[" + field_start + rb'\r\n])|\A)"(?:[^"]+|"")*("|\Z)')
    inside = 0
    for match in quoted.finditer(body):
        if match.group(1):
            inside += line_breaks(match.group())
            continue
        line = line_breaks(body[: match.start()]) + 1
        return line - inside, line
    return None


def _checked(body: bytes, delimiter: bytes) -> tuple[int, int] | None:
    try:
        check_quotes(body, delimiter)
    except FileRejected as refused:
        return _row_and_line(refused)
    return None


def _row_and_line(refused: FileRejected) -> tuple[int, int]:
    row = int(refused.metadata["row"])
    line = re.search(r"line (\d+)", str(refused.message))
    return row, int(line.group(1)) if line else row


def _pieces(body: bytes, rng: random.Random) -> list[bytes]:
    pieces, start = [], 0
    while start < len(body):
        size = rng.choice([1, 1, 2, 3, 5, 8, 40])
        pieces.append(body[start : start + size])
        start += size
    return pieces


def _scanned_in_pieces(
    body: bytes, delimiter: bytes, pieces: list[bytes]
) -> tuple[tuple[int, int] | None, set[int]]:
    """(row, line) of the value left open, or None; and every cut the scan gave."""
    scan = QuoteScan(delimiter)
    cuts = set()
    for piece in pieces:
        scan.feed(piece)
        cuts.add(scan.cut)
    if scan.finish() is None:
        return None, cuts - {0}
    return _row_and_line(unclosed_quote(pieces, delimiter)), cuts - {0}


def _inside_quotes(body: bytes, delimiter: bytes) -> set[int]:
    field_start = re.escape(delimiter)
    quoted = re.compile(rb"(?:(?<=[" + field_start + rb'\r\n])|\A)"(?:[^"]+|"")*("|\Z)')
    return {i for match in quoted.finditer(body) for i in range(match.start(), match.end())}


@DELIMITERS
def test_the_check_agrees_with_the_reference(delimiter: bytes) -> None:
    # Given 20,000 texts of quotes, doubled quotes, delimiters, line breaks and letters
    rng = random.Random(20261207)
    refused = 0
    for _ in range(20_000):
        body = b"".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 40)))
        expected = _reference(body, delimiter)
        # Then the check refuses exactly those the reference refuses, at the same row and line
        assert _checked(body, delimiter) == expected, body
        refused += expected is not None
    assert 2_000 < refused < 18_000  # both outcomes are well represented


@DELIMITERS
def test_the_scan_in_pieces_agrees_and_cuts_only_between_records(delimiter: bytes) -> None:
    # Given 5,000 texts of the characters that matter, each fed in pieces of 1 to 40 bytes
    rng = random.Random(20261208)
    cut_somewhere = 0
    for _ in range(5_000):
        body = b"".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 40)))
        refusal, cuts = _scanned_in_pieces(body, delimiter, _pieces(body, rng))
        # Then the refusal is the reference's, row and line
        assert refusal == _reference(body, delimiter), body
        # And each cut follows a line break that is outside quoted values and not a CR
        # whose LF comes next
        inside = _inside_quotes(body, delimiter)
        for cut in cuts:
            assert body[cut - 1 : cut] in (b"\n", b"\r"), (body, cut)
            assert cut - 1 not in inside, (body, cut)
            assert body[cut - 1 : cut + 1] != b"\r\n", (body, cut)
        cut_somewhere += bool(cuts)
    assert cut_somewhere > 1_000
