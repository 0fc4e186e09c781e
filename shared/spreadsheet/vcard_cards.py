"""A vCard file's cards, found and made safe for vobject by one bounded pass over its bytes.

- The file is split into cards at BEGIN:VCARD / END:VCARD lines (any case); blank lines
  between cards are fine, any other text outside a card refuses the file, as does a card
  without its END:VCARD. Cards are counted as they are found: card 10,001 refuses the file
  (TOO_MANY_ROWS) before any card is parsed.
- Folded lines (CRLF, LF or CR, then a space or tab) are unfolded, and a QUOTED-PRINTABLE
  value's soft line breaks ("=" at the end of a line) are joined, which vobject 0.9.9
  cannot do ("Failed to parse line").
- Only the properties the reader reads are kept (FN, N, ORG, EMAIL, TEL, ADR, NOTE and
  Apple's X-ABLabel); every other line is dropped with its folded continuation lines:
  PHOTO, LOGO, SOUND, KEY and any base64 value (ENCODING=b / BASE64, with the unindented
  lines and the blank line vCard 2.1 ends one with) without ever being copied or decoded.
  A dropped property is only checked for a property name.
- A kept line is checked against the content-line grammar with a linear regex first:
  vobject's own parameter regex backtracks exponentially on a line it cannot match (22
  "=a" pairs take 1.5 s, each pair doubling it). A kept line longer than MAX_LINE_BYTES
  refuses the file. ENCODING=8BIT/7BIT (Nokia) says nothing of the text and is removed.
- A card inside a card (vCard 2.1's AGENT, the card of an assistant) is dropped with its
  AGENT property; a card inside that one refuses the file, and so does a BEGIN:VCARD
  inside a card that is not an AGENT's (its own END:VCARD is missing).

Measured: the pass takes about 0.6 s of the 2.4 s that 10,000 Apple-style cards take
(shared/spreadsheet/vcard_reader.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from shared.errors import FileRejected, Reason
from shared.i18n.text import t
from shared.spreadsheet.sheet import MAX_DATA_ROWS

# A kept logical line (a value with its property name, unfolded) may be this long. A NOTE
# holds up to 100,000 characters; QUOTED-PRINTABLE, as Android writes it, spends 3 bytes on
# each UTF-8 byte, so 100,000 characters of any script fit.
MAX_LINE_BYTES = 1 << 20
# A file may hold this many properties (logical lines, dropped ones included), and keep this
# many for vobject: an Apple export has about 15 and keeps about 10 per card, so 10,000 real
# cards fit easily, while 20 MB of tiny lines ("TEL:1", 3 million of them) would take a
# minute to read. At the limits a file takes about 4 s.
MAX_PROPERTIES = 50 * MAX_DATA_ROWS
MAX_KEPT_PROPERTIES = 20 * MAX_DATA_ROWS

_KEPT = frozenset({b"FN", b"N", b"ORG", b"EMAIL", b"TEL", b"ADR", b"NOTE", b"X-ABLABEL"})
_LABEL = b"X-ABLABEL"
_LABELLED = frozenset({b"TEL", b"ADR"})  # the properties whose group's label is read
_BINARY = frozenset({b"PHOTO", b"LOGO", b"SOUND", b"KEY"})
_AGENT = b"AGENT"

_EOL = re.compile(rb"\r\n|\r|\n")
# Whitespace outside cards (a DOS end-of-file mark and a form feed count as whitespace).
_OUTSIDE_SPACE = re.compile(rb"[ \t\r\n\f\x1a]*+")
# Lines of nothing but spaces and tabs where a property could start.
_BLANK_LINES = re.compile(rb"(?:[ \t]*+(?:\r\n|\r|\n))++")
_BEGIN_LINE = re.compile(rb"BEGIN[ \t]*+:[ \t]*+VCARD[ \t]*+(?=\r\n|\r|\n|\Z)", re.IGNORECASE)
_END_LINE = re.compile(rb"END[ \t]*+:[ \t]*+VCARD[ \t]*+(?=\r\n|\r|\n|\Z)", re.IGNORECASE)
# A BEGIN:VCARD or END:VCARD line anywhere (the inside of an AGENT's card is skipped).
_CARD_LINE = re.compile(
    rb"(?<=[\r\n])(BEGIN|END)[ \t]*+:[ \t]*+VCARD[ \t]*+(?=\r\n|\r|\n|\Z)", re.IGNORECASE
)
# A physical line and the folded lines that continue it (each starts with a space or tab).
_LOGICAL_LINE = re.compile(rb"[^\r\n]*+(?:(?:\r\n|\r|\n)[ \t][^\r\n]*+)*+")
_FOLD = re.compile(rb"(?:\r\n|\r|\n)[ \t]")
# Unindented base64 lines that vCard 2.1 writers let follow a base64 value.
_BASE64_LINES = re.compile(rb"(?:[A-Za-z0-9+/=]++[ \t]*+(?:\r\n|\r|\n|\Z))++")
_NAME = re.compile(rb"(?:([A-Za-z0-9_-]++)\.)?+([A-Za-z0-9_-]++)(?=[;:])")
# The content-line grammar up to the value's colon, as vobject reads it but unambiguous
# and possessive, so it answers in linear time on any line.
_PROPERTY = re.compile(
    rb"(?:[A-Za-z0-9_-]++\.)?+[A-Za-z0-9_-]++"
    rb'(?:;[A-Za-z0-9_-]++(?:[=,](?:"[^"]*+"|[^";:,]*+))*+)*+:'
)
_BASE64_PARAM = re.compile(rb";(?:ENCODING=(?:B|BASE64)|BASE64)(?=[;:,]|\Z)", re.IGNORECASE)
# Encodings that say nothing of the text (Nokia's ENCODING=8BIT), removed: vobject knows
# only QUOTED-PRINTABLE (with another ENCODING beside it, it fails on the list).
_PLAIN_ENCODING = re.compile(
    rb";(?:ENCODING=(?!QUOTED-PRINTABLE[;:,])[^;:,]*+|8BIT|7BIT)(?=[;:])", re.IGNORECASE
)
_HEAD_BYTES = 4096  # of a first physical line: where its property name and colon are looked for

# vCard's order of the ADR components (vobject.vcard.ADDRESS_ORDER).
# --- refusals ---------------------------------------------------------------------------


def unreadable(card: int, line: int) -> FileRejected:
    return FileRejected(
        Reason.MALFORMED_FILE,
        # Translators: {card} is the card's number in the file (1 for the first contact),
        # {line} a line number of the file.
        t(
            "Card {card} cannot be read: line {line} of the file is not a valid vCard "
            "line. Export the contacts again and upload the new file.",
            card=str(card),
            line=str(line),
        ),
        line=str(line),
    )


def _never_closed(card: int, line: int) -> FileRejected:
    return FileRejected(
        Reason.MALFORMED_FILE,
        # Translators: {card} is the card's number in the file (1 for the first contact),
        # {line} the line of the file it starts on. END:VCARD stays as it is written.
        t(
            "Card {card}, which starts on line {line}, is never closed: the file ends "
            "before its END:VCARD line. Export the contacts again and upload the new file.",
            card=str(card),
            line=str(line),
        ),
        line=str(line),
    )


def _not_closed_before(card: int, start: int, line: int) -> FileRejected:
    return FileRejected(
        Reason.MALFORMED_FILE,
        # Translators: {card} is the card's number in the file (1 for the first contact),
        # {start} the line of the file it starts on, {line} the line of the next card.
        # END:VCARD stays as it is written.
        t(
            "Card {card}, which starts on line {start}, is not closed: a new card begins "
            "on line {line} before its END:VCARD line. Export the contacts again and "
            "upload the new file.",
            card=str(card),
            start=str(start),
            line=str(line),
        ),
        line=str(line),
    )


def _outside_cards(card: int, line: int) -> FileRejected:
    if card == 0:
        # Translators: {line} is a line number of the file. BEGIN:VCARD and END:VCARD stay
        # as they are written.
        message = t(
            "Line {line} of the file comes before the first card and is not part of any "
            "card (a vCard file holds only cards, each from BEGIN:VCARD to END:VCARD). "
            "Export the contacts again and upload the new file.",
            line=str(line),
        )
    else:
        # Translators: {line} is a line number of the file, {card} the number of the card
        # it follows (1 for the first contact). BEGIN:VCARD and END:VCARD stay as written.
        message = t(
            "Line {line} of the file, after card {card}, is not part of any card (a vCard "
            "file holds only cards, each from BEGIN:VCARD to END:VCARD). Export the "
            "contacts again and upload the new file.",
            line=str(line),
            card=str(card),
        )
    return FileRejected(Reason.MALFORMED_FILE, message, line=str(line))


def _too_long(card: int, line: int) -> FileRejected:
    return FileRejected(
        Reason.MALFORMED_FILE,
        # Translators: {card} is the card's number in the file (1 for the first contact),
        # {line} a line number of the file, {limit} a number of bytes.
        t(
            "Card {card} cannot be read: line {line} of the file holds a value of more than "
            "{limit} bytes, far more than any contact field takes. Shorten that value (or "
            "export the contacts again without it) and upload the new file.",
            card=str(card),
            line=str(line),
            limit=MAX_LINE_BYTES,
        ),
        line=str(line),
    )


def _too_many_cards() -> FileRejected:
    return FileRejected(
        Reason.TOO_MANY_ROWS,
        # Translators: {limit} is the most contacts one file may hold (10,000).
        t(
            "The file has more than {limit} cards; at most {limit} contacts can be imported "
            "at once. Split it into files of up to {limit} cards and upload them one by one.",
            limit=MAX_DATA_ROWS,
        ),
    )


def _too_many_properties(limit: int) -> FileRejected:
    return FileRejected(
        Reason.TOO_MANY_ROWS,
        # Translators: {limit} is a number of lines (properties such as a name, a phone
        # number or a birthday); {cards} the most contacts a file may hold (10,000).
        t(
            "The file holds more than {limit} lines of contact details, far more than "
            "{cards} contacts need. Split it into smaller files (or export the contacts "
            "again with fewer details) and upload them one by one.",
            limit=limit,
            cards=MAX_DATA_ROWS,
        ),
    )


# --- the pre-pass: cards, their kept lines ----------------------------------------------


@dataclass
class CardText:
    """A card as vobject gets it: its kept logical lines, each with its line in the file."""

    number: int
    begin_line: int
    lines: list[tuple[int, bytes]] = field(default_factory=list)
    groups: dict[bytes, bool] = field(default_factory=dict)
    """Each group seen so far (Apple's "item1"): True when it holds a TEL or an ADR."""


class _Splitter:
    """Walks the file once: finds its cards, keeps the lines that are read, drops the rest."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0
        self.line = 1  # the file's line number at pos (pos is always at a line start)
        # Most files end lines with LF or CRLF only: then a line ends at the next LF.
        self.lone_cr = data.count(b"\r") != data.count(b"\r\n")
        self.properties = 0
        self.kept = 0

    def cards(self) -> list[CardText]:
        data = self.data
        cards: list[CardText] = []
        while True:
            self._skip(_OUTSIDE_SPACE)
            if self.pos >= len(data):
                return cards
            if not _BEGIN_LINE.match(data, self.pos):
                raise _outside_cards(len(cards), self.line)
            if len(cards) == MAX_DATA_ROWS:
                raise _too_many_cards()
            card = CardText(len(cards) + 1, self.line)
            self._next_line()
            self._read_card(card)
            cards.append(card)

    def _advance(self, end: int) -> None:
        """Move to `end`, counting the line breaks passed (CRLF, LF or a lone CR)."""
        data, start = self.data, self.pos
        self.line += data.count(b"\n", start, end)
        if self.lone_cr:
            self.line += data.count(b"\r", start, end) - data.count(b"\r\n", start, end)
        self.pos = end

    def _skip(self, pattern: re.Pattern[bytes]) -> bool:
        match = pattern.match(self.data, self.pos)
        if match is None or match.end() == self.pos:
            return False
        self._advance(match.end())
        return True

    def _line_end(self, start: int) -> tuple[int, int]:
        """Where the physical line at `start` ends, and where the next one starts."""
        data = self.data
        if not self.lone_cr:
            lf = data.find(b"\n", start)
            if lf < 0:
                return len(data), len(data)
            return (lf - 1 if lf > start and data[lf - 1] == 13 else lf), lf + 1
        eol = _EOL.search(data, start)
        return (eol.start(), eol.end()) if eol else (len(data), len(data))

    def _next_line(self) -> None:
        self._advance(self._line_end(self.pos)[1])

    def _read_card(self, card: CardText) -> None:
        data = self.data
        after_agent = False  # the last property was an AGENT without a value: its card follows
        while True:
            self._skip(_BLANK_LINES)
            if self.pos >= len(data):
                raise _never_closed(card.number, card.begin_line)
            if _END_LINE.match(data, self.pos):
                self._next_line()
                return
            if _BEGIN_LINE.match(data, self.pos):
                if not after_agent:
                    raise _not_closed_before(card.number, card.begin_line, self.line)
                self._skip_agent_card(card)
                after_agent = False
                continue
            after_agent = self._read_property(card)

    def _read_property(self, card: CardText) -> bool:
        """Keep or drop the property at pos; True for an AGENT whose card follows."""
        data, start = self.data, self.pos
        name = _NAME.match(data, start)
        if name is None:
            raise unreadable(card.number, self.line)
        self.properties += 1
        if self.properties > MAX_PROPERTIES:
            raise _too_many_properties(MAX_PROPERTIES)
        group, kind = name.group(1), name.group(2).upper()
        end = _LOGICAL_LINE.match(data, start).end()  # type: ignore[union-attr]  # never None
        colon = data.find(b":", name.end(), min(end, start + _HEAD_BYTES))
        head = data[name.end() : colon if colon >= 0 else name.end()].upper()
        if kind in _BINARY or (b"B" in head and _BASE64_PARAM.search(head)):
            self._advance(self._line_end(end)[1])
            self._skip(_BASE64_LINES)
            return False
        if group is not None and kind != _LABEL:
            card.groups[group.lower()] = kind in _LABELLED
        if kind not in _KEPT or (
            kind == _LABEL and group is not None and not card.groups.get(group.lower(), True)
        ):  # a label of a URL, a date, ...: not read
            empty_agent = kind == _AGENT and colon >= 0 and not data[colon + 1 : end].strip()
            self._advance(self._line_end(end)[1])
            return empty_agent
        self.kept += 1
        if self.kept > MAX_KEPT_PROPERTIES:
            raise _too_many_properties(MAX_KEPT_PROPERTIES)
        line = self.line
        if b"QUOTED-PRINTABLE" in head:
            value = self._quoted_printable_line(card)
        else:
            if end - start > MAX_LINE_BYTES:
                raise _too_long(card.number, line)
            value = data[start:end]
            if b"\n" in value or b"\r" in value:
                value = _FOLD.sub(b"", value)
            self._advance(self._line_end(end)[1])
        match = _PROPERTY.match(value)
        if match is None:
            raise unreadable(card.number, line)
        if match.end() > name.end() - start + 1:  # it has parameters
            params = value[: match.end()]
            upper = params.upper()
            if b"BIT" in upper or b"ENCODING" in upper:
                value = _PLAIN_ENCODING.sub(b"", params) + value[match.end() :]
        card.lines.append((line, value))
        return False

    def _quoted_printable_line(self, card: CardText) -> bytes:
        """A QUOTED-PRINTABLE line: a physical line ending in "=" goes on on the next line.

        The next line is taken as it is (a space at its start is data), unless it is the
        card's END:VCARD (a writer that ends the value with a stray "="). A line starting
        with a space or tab after one that does not end in "=" is a fold.
        """
        data, line = self.data, self.line
        pieces: list[bytes] = []
        size = 0
        soft_break = False
        while True:
            end, next_start = self._line_end(self.pos)
            if end - self.pos + size > MAX_LINE_BYTES:
                raise _too_long(card.number, line)
            piece = data[self.pos : end]
            if pieces and not soft_break:
                piece = piece[1:]  # a fold: the space or tab goes
            stripped = piece.rstrip(b" \t")
            soft_break = stripped.endswith(b"=")
            pieces.append(stripped[:-1] if soft_break else piece)
            size += len(piece)
            self._advance(next_start)
            if self.pos >= len(data):
                break
            if soft_break:
                if _END_LINE.match(data, self.pos):
                    break
            elif data[self.pos : self.pos + 1] not in (b" ", b"\t"):
                break
        return b"".join(pieces)

    def _skip_agent_card(self, card: CardText) -> None:
        """Skip the card an AGENT property holds (2.1), up to its END:VCARD line."""
        self._next_line()
        found = _CARD_LINE.search(self.data, self.pos)
        if found is None:
            raise _never_closed(card.number, card.begin_line)
        self._advance(found.start())
        if found.group(1).upper() == b"BEGIN":  # a card in the AGENT's card: not read
            raise unreadable(card.number, self.line)
        self._next_line()


def split_cards(data: bytes) -> list[CardText]:
    """Every card of a vCard file (UTF-8, BOM removed), its kept lines ready for vobject."""
    return _Splitter(data).cards()
