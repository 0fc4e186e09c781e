"""Cleaning cell text: trimming, removing control characters, splitting multi-value cells.

Cleaning never touches letters: emoji, right-to-left text, diacritics and apostrophes are
kept exactly. Only whitespace at the edges and C0 control characters change.
"""

from __future__ import annotations

import sys

# Characters trimmed from both ends: every Unicode whitespace (NBSP, ideographic space, ...)
# plus the invisible ones str.strip() keeps (zero-width space, word joiner, BOM).
EDGE_CHARACTERS = "".join(ch for ch in map(chr, range(sys.maxunicode + 1)) if ch.isspace()) + (
    "\u200b\u2060\ufeff\u180e"
)

_C0_CONTROLS = [*range(0x00, 0x20), 0x7F]

# Single-line fields: tab, CR and LF become a space; other C0 controls (and DEL) go.
_SINGLE_LINE_TABLE: dict[int, str | None] = {
    code: (" " if code in (0x09, 0x0A, 0x0D) else None) for code in _C0_CONTROLS
}
# Multi-line fields (addresses, notes): LF stays, tab becomes a space, the rest goes.
# CR is handled before this table (CRLF and lone CR become LF).
_MULTI_LINE_TABLE: dict[int, str | None] = {
    code: (" " if code == 0x09 else None) for code in _C0_CONTROLS if code != 0x0A
}

# Separators of several values in one cell (Google's " ::: ", ";", a line break).
MULTI_VALUE_SEPARATOR = ":::"
# Parameters of an RFC 3966 tel: URI follow a ";" but belong to the number before them.
_URI_PARAMETERS = ("ext=", "isub=", "phone-context=")


def _has_control(text: str) -> bool:
    return any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text)


def clean_line(text: str | None) -> str:
    """Clean a single-line value: controls out, line breaks to spaces, runs of spaces collapsed."""
    if not text:
        return ""
    if not text.isprintable() and _has_control(text):  # most cells are printable
        text = text.translate(_SINGLE_LINE_TABLE)
    text = text.strip(EDGE_CHARACTERS)
    if "  " in text:
        text = " ".join(part for part in text.split(" ") if part)
    return text


def clean_multiline(text: str | None) -> str:
    """Clean a multi-line value (address, notes): line breaks kept as LF, controls removed."""
    if not text:
        return ""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isprintable() and _has_control(text):  # most cells are printable
        text = text.translate(_MULTI_LINE_TABLE)
    return text.strip(EDGE_CHARACTERS)


def split_values(text: str | None) -> list[str]:
    """Split a cell holding several values (" ::: ", ";" or a line break), each cleaned.

    Empty pieces are dropped; order is kept.
    """
    if not text:
        return []
    if (
        ";" not in text
        and "\n" not in text
        and "\r" not in text
        and MULTI_VALUE_SEPARATOR not in text
    ):
        cleaned = clean_line(text)
        return [cleaned] if cleaned else []
    pieces: list[str] = []
    for chunk in text.replace(MULTI_VALUE_SEPARATOR, "\n").replace("\r", "\n").split("\n"):
        for piece in chunk.split(";"):
            cleaned = clean_line(piece)
            if not cleaned:
                continue
            if pieces and cleaned.lower().startswith(_URI_PARAMETERS):
                pieces[-1] = f"{pieces[-1]};{cleaned}"
            else:
                pieces.append(cleaned)
    return pieces


def split_addresses(text: str | None) -> list[str]:
    """Split a cell holding several whole addresses (Google's " ::: "), each cleaned.

    Only " ::: " separates: an address keeps its own line breaks.
    """
    if not text:
        return []
    if MULTI_VALUE_SEPARATOR not in text:
        cleaned = clean_multiline(text)
        return [cleaned] if cleaned else []
    return [
        cleaned
        for piece in text.split(MULTI_VALUE_SEPARATOR)
        if (cleaned := clean_multiline(piece))
    ]


def quote(value: str, limit: int = 60) -> str:
    """A value as a message shows it: in double quotes, shortened when long."""
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return f'"{value}"'
