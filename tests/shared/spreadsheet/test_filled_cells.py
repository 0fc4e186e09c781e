"""A cell counts as filled exactly when trimming Unicode whitespace leaves something."""

from __future__ import annotations

import sys

import pyarrow as pa
import pyarrow.compute as pc

from shared.spreadsheet.sheet_rules import _filled


def _trimmed_is_not_empty(column: pa.Array) -> pa.Array:
    return pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(column)), 0)


def test_every_code_point_alone_and_between_spaces():
    # Given every code point (surrogates cannot be UTF-8), alone and between two spaces
    chars = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
    for cells in (chars, [f" {c}\u00a0" for c in chars]):
        column = pa.array(cells, pa.string())
        # Then the cheap test agrees with "not empty once trimmed" on each of them
        assert _filled(column).equals(_trimmed_is_not_empty(column))


def test_empty_blank_and_mixed_cells():
    column = pa.array(["", " ", "\t\r\n", "\u00a0\u3000", " a ", "\u200b", "x\u2028"])
    assert _filled(column).to_pylist() == _trimmed_is_not_empty(column).to_pylist()
    assert _filled(column).to_pylist() == [False, False, False, False, True, True, True]
