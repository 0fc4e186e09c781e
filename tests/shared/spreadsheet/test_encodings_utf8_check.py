"""The chunked UTF-8 check finds exactly the byte a whole-file decode would refuse."""

from __future__ import annotations

import random

import pytest

from shared.spreadsheet.encodings import _CHUNK as _UTF8_CHUNK
from shared.spreadsheet.encodings import utf8_error_at as _utf8_error_at

EMOJI = "😀".encode()  # 4 bytes
EDGE = _UTF8_CHUNK


def _reference(body: bytes) -> int | None:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    return None


def _pad(size: int) -> bytes:
    return b"a" * size


CASES = [
    pytest.param(b"", id="empty"),
    pytest.param(b"Name,Phone\nJan,0201234567\n", id="ascii"),
    pytest.param("Zoë,Søren,😀\n".encode(), id="multibyte-small"),
    pytest.param(_pad(EDGE - 2) + EMOJI + b"\n", id="emoji-across-the-chunk-edge"),
    pytest.param(_pad(EDGE - 1) + "é".encode() + b"x", id="two-byte-across-the-edge"),
    pytest.param(_pad(EDGE) + b"\xe9abc", id="latin1-right-after-the-edge"),
    pytest.param(_pad(EDGE - 1) + b"\xe9abc", id="latin1-right-before-the-edge"),
    pytest.param(_pad(EDGE - 2) + EMOJI[:2] + b"zz", id="broken-character-across-the-edge"),
    pytest.param(_pad(2 * EDGE + 5) + EMOJI[:3], id="file-ends-inside-a-character"),
    pytest.param("é".encode() * (EDGE // 2 + 7) + b"\xff", id="invalid-after-many-chunks"),
    pytest.param(_pad(10) + b"\xed\xa0\x80" + _pad(10), id="surrogate-refused"),
]


@pytest.mark.parametrize("body", CASES)
def test_the_chunked_check_agrees_with_a_whole_decode(body: bytes) -> None:
    assert _utf8_error_at(body) == _reference(body)


def test_random_damage_anywhere_is_found_where_a_whole_decode_finds_it() -> None:
    rng = random.Random(20261202)
    text = ("Jan;Søren;Zoë;😀;Łukasz;" * 60_000).encode()  # about 2 MB, 3 chunks
    for _ in range(40):
        position = rng.randrange(len(text))
        body = text[:position] + bytes([rng.choice([0x80, 0xC0, 0xE9, 0xFF])]) + text[position:]
        assert _utf8_error_at(body) == _reference(body)
