"""The unclosed-quote check finds exactly what the first, slower formulation found.

The reference below is the check as first written (a look-behind regex over every quoted
value, counting line breaks as it goes); `_check_quotes` must refuse the same files with
the same row and message, on texts made of the characters that matter.
"""

from __future__ import annotations

import random
import re

import pytest

from shared.errors import FileRejected
from shared.spreadsheet.csv_reader import _check_quotes
from shared.spreadsheet.encodings import line_breaks

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
        _check_quotes(body, delimiter)
    except FileRejected as refused:
        row = int(refused.metadata["row"])
        text = str(refused.message)
        line = re.search(r"line (\d+)", text)
        return row, int(line.group(1)) if line else row
    return None


@pytest.mark.parametrize(
    "delimiter", [b",", b";", b"\t", b"|"], ids=["comma", "semicolon", "tab", "pipe"]
)
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
