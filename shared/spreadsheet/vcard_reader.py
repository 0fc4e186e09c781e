"""Read a vCard (.vcf) upload into a Grid: one row per card, under fixed English headers.

vobject reads the content lines (vCard 2.1, 3.0 and 4.0: groups, parameters, 2.1's bare
parameters, QUOTED-PRINTABLE with its CHARSET) and splits N, ADR and ORG into their parts,
one card at a time, after shared/spreadsheet/vcard_cards.py's bounded pass over the bytes
has found the cards and kept only their lines that are read here. vobject's vCard
behaviours do not run (they would cut a value at its first unescaped comma, see `_parse`):
text values are unescaped here.

Each kept line is decoded from UTF-8 on its own (the caller decoded the file to UTF-8), so
the whole file never exists as one str. Card k is row number k; the header
record is row 0. A cell is the value as the card writes it (no cleaning: the row checks
clean later); a column is written only when some card has a value for it, and numbered
columns ("E-mail 1", "Address 2 - City") go up to the most any card has.

A number's column comes from its TEL types (2.1 bare `TEL;CELL`, 3.0 `TYPE=CELL,VOICE` or
repeated `TYPE=`, 4.0 `TYPE="voice,cell"`), or from Apple's label of its group
(`item1.X-ABLabel:_$!<Mobile>!$_`, or a label of the user's own) when it has one: FAX or
PAGER anywhere makes a fax (never a phone), else CELL, MOBILE, IPHONE or TEXT (or a
mobile word in the label) a mobile, else a phone. The label words are a short list here,
not the matcher's vocabulary: shared.mapping depends on this package, not the reverse.

Measured (2-core dev machine, median of 3): 10,000 generated cards in the shape of an Apple
export (15 lines each, 5.5 MB) 2.4 s, of which vobject's content lines take about 1.1 s
and the pre-pass 0.6 s; with vobject.readOne (and its behaviours) per card it was 4.5 s.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import pyarrow as pa
import vobject  # type: ignore[import-untyped]

from shared.errors import FileRejected, Reason
from shared.i18n.text import t, tn
from shared.spreadsheet.sheet import MAX_COLUMNS
from shared.spreadsheet.sheet_rules import Grid
from shared.spreadsheet.vcard_cards import CardText, split_cards, unreadable

FULL_NAME = "Full name"
FIRST_NAME = "First name"
LAST_NAME = "Last name"
COMPANY = "Company"
NOTES = "Notes"
EMAIL = "E-mail"
MOBILE = "Mobile"
PHONE = "Phone"
FAX = "Fax"
ADDRESS = "Address"
# The parts of "Address n - ...", in column order: (header part, vobject Address attribute).
ADDRESS_PARTS: tuple[tuple[str, str], ...] = (
    ("Street", "street"),
    ("Extended address", "extended"),
    ("PO box", "box"),
    ("City", "city"),
    ("Region", "region"),
    ("Postal code", "code"),
    ("Country", "country"),
)
ADDRESS_TYPE = "Type"

_ADDRESS_ORDER = ("box", "extended", "street", "city", "region", "code", "country")

_APPLE_LABEL = re.compile(r"_\$!<(.*)>!\$_", re.DOTALL)
_WORD = re.compile(r"\w+")
_MOBILE_TYPES = frozenset({"cell", "mobile", "iphone", "text"})
_MOBILE_WORDS = ("mobi", "cell", "iphone", "handy", "gsm", "portable", "natel")
_FAX_WORDS = ("fax", "pager")
# TYPE values of an ADR that say nothing of whose address it is.
_NOT_ADDRESS_KINDS = frozenset({"pref", "postal", "parcel", "dom", "intl", "internet"})


# --- refusals ---------------------------------------------------------------------------
def _too_many_values() -> FileRejected:
    return FileRejected(
        Reason.TOO_MANY_COLUMNS,
        # Translators: {limit} is a number of columns.
        t(
            "The cards hold so many e-mail addresses, phone numbers and addresses that the "
            "file would need more than {limit} columns. Remove the extra values from the "
            "cards that have the most of them and upload the file again.",
            limit=MAX_COLUMNS,
        ),
    )


def _no_contact_data(cards: int) -> FileRejected:
    return FileRejected(
        Reason.EMPTY_FILE,
        # Translators: {count} is the number of cards (contacts) in the file.
        tn(
            "The file has {count} card, but it holds no name, company, e-mail address, "
            "phone number, address or note. Export the contacts again with their details "
            "and upload the new file.",
            "The file has {count} cards, but none of them holds a name, company, e-mail "
            "address, phone number, address or note. Export the contacts again with their "
            "details and upload the new file.",
            cards,
        ),
    )


# --- vobject: a card's values -----------------------------------------------------------


@dataclass
class _Contact:
    """What one card holds, in the reader's columns."""

    full_name: str = ""
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    emails: list[str] = field(default_factory=list)
    mobiles: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    faxes: list[str] = field(default_factory=list)
    addresses: list[tuple[str, ...]] = field(default_factory=list)  # ADDRESS_PARTS + type
    notes: list[str] = field(default_factory=list)


# What vobject raises on a line: its own errors, an unknown CHARSET, undecodable bytes.
_VOBJECT_ERRORS = (vobject.base.VObjectError, LookupError, ValueError)


def _parse(card: CardText) -> _Contact:
    """The card's values: each kept line read by vobject's content-line parser.

    vobject.base.textLineToContentLine is what vobject.readOne runs on every line of a
    card; readOne then also runs vobject's vCard behaviours, which are not used here:
    vobject 0.9.9's text behaviour keeps only what comes before a value's first unescaped
    comma ("FN:Jansen, Jan" gives "Jansen"; vCard 2.1 has no comma escape at all, and a
    QUOTED-PRINTABLE comma is never escaped), and they take two thirds of a card's time.
    So a text value is unescaped here, and N, ADR and ORG are split by vobject.vcard's
    splitFields, which is what its N/ADR/ORG behaviours run.
    """
    lines = []
    for number, raw in card.lines:
        try:
            lines.append(vobject.base.textLineToContentLine(raw.decode("utf-8"), number))
        except _VOBJECT_ERRORS as exc:
            raise unreadable(card.number, number) from exc
    return _contact(lines)


def _contact(lines: list[Any]) -> _Contact:
    contact = _Contact()
    labels = {
        line.group.casefold(): _unescaped(line.value)
        for line in lines
        if line.name == "X-ABLABEL" and line.group
    }
    for line in lines:
        name = line.name
        if name == "FN":
            contact.full_name = contact.full_name or _unescaped(line.value)
        elif name == "N":
            if not (contact.first_name or contact.last_name):
                family, given, additional = _fields(line.value, 3)
                names = [_words(given), _words(additional)]
                contact.first_name = " ".join(name for name in names if name)
                contact.last_name = _words(family)
        elif name == "ORG":
            if not contact.company:
                contact.company = _text(_fields(line.value, 1)[0])
        elif name == "EMAIL":
            _add(contact.emails, _unescaped(line.value))
        elif name == "TEL":
            number = _unescaped(line.value)
            if number[:4].casefold() == "tel:":
                number = number[4:]
            label = labels.get(line.group.casefold()) if line.group else None
            _add(_numbers(contact, _types(line), label), number)
        elif name == "ADR":
            _add_address(contact, line, labels)
        elif name == "NOTE":
            _add(contact.notes, _unescaped(line.value))
    return contact


_ESCAPE = re.compile(r"\\([\\;,nN])")
_UNESCAPED = {"\\": "\\", ";": ";", ",": ",", "n": "\n", "N": "\n"}


def _unescaped(value: str) -> str:
    """A text value without its backslash escapes (\\n, \\, \\; \\\\); others stay as written."""
    if "\\" not in value:
        return value
    return _ESCAPE.sub(lambda m: _UNESCAPED[m.group(1)], value)


def _text(value: object) -> str:
    """A value as text (vobject gives a list for a value it splits at commas)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ",".join(_text(item) for item in value)
    return ""


def _fields(value: object, count: int) -> list[object]:
    """The first `count` components of a structured value (N, ADR, ORG), split by vobject
    (a component written as several comma-separated values is a list)."""
    # vobject.vcard.splitFields, for the first `count` components only.
    split = vobject.icalendar.stringToTextValues(_text(value), listSeparator=";", charList=";")
    fields: list[object] = [vobject.vcard.toListOrString(part) for part in split[:count]]
    return [*fields, *[""] * (count - len(fields))]


def _words(value: object) -> str:
    """A component of N: its values (several given names) joined with a space."""
    if isinstance(value, list):
        return " ".join(part.strip() for part in (_text(v) for v in value) if part.strip())
    return _text(value)


def _add(values: list[str], value: str) -> None:
    if value.strip():
        values.append(value)


def _types(line: Any) -> set[str]:
    """A property's TYPE values, casefolded: 2.1 bare ones, TYPE=a,b, repeated, "a,b"."""
    found: set[str] = set()
    for value in line.params.get("TYPE", ()):
        found.update(part.strip().casefold() for part in value.split(","))
    found.update(part.casefold() for part in line.singletonparams)
    return found


def _numbers(contact: _Contact, types: set[str], label: str | None) -> list[str]:
    """The list a number goes to: fax, mobile or phone (see the module docstring)."""
    if any(word in kind for kind in types for word in _FAX_WORDS):
        return contact.faxes
    if label is not None:
        apple = _APPLE_LABEL.fullmatch(label.strip())
        said = (apple.group(1) if apple else label).casefold()
        if any(word in said for word in _FAX_WORDS):
            return contact.faxes
        if any(word.startswith(_MOBILE_WORDS) for word in _WORD.findall(said)):
            return contact.mobiles
        if apple:
            return contact.phones  # Apple's own Main, Home, Work, Other
    if types & _MOBILE_TYPES or any(
        kind.startswith("x-") and any(word in kind for word in _MOBILE_WORDS) for kind in types
    ):
        return contact.mobiles
    return contact.phones


def _add_address(contact: _Contact, line: Any, labels: dict[str, str]) -> None:
    fields = dict(zip(_ADDRESS_ORDER, _fields(line.value, len(_ADDRESS_ORDER)), strict=True))
    parts = [_text(fields[attribute]) for _, attribute in ADDRESS_PARTS]
    if not any(part.strip() for part in parts):
        return
    label = labels.get(line.group.casefold()) if line.group else None
    if label is not None:
        apple = _APPLE_LABEL.fullmatch(label.strip())
        kind = apple.group(1) if apple else label
    else:
        kinds = sorted(_types(line) - _NOT_ADDRESS_KINDS)
        kind = ", ".join(k.removeprefix("x-").capitalize() for k in kinds)
    contact.addresses.append((*parts, kind))


# --- the grid ---------------------------------------------------------------------------


def read_vcard(data: bytes) -> Grid:
    """Every card of a vCard file as one row of text columns; raises FileRejected.

    `data` is the whole file as UTF-8 (the caller decodes other encodings and removes the
    BOM). Row numbers: the header record is 0, card k is k.
    """
    cards = split_cards(data.removeprefix(b"\xef\xbb\xbf"))
    contacts = [_parse(card) for card in cards]
    columns = list(islice(_columns(contacts), MAX_COLUMNS + 1))
    if len(columns) > MAX_COLUMNS:
        raise _too_many_values()
    if cards and not columns:
        raise _no_contact_data(len(cards))
    arrays = [pa.array([header, *cells], pa.string()) for header, cells in columns]
    numbers = pa.array(range(len(contacts) + 1) if arrays else range(0), pa.int32())
    return Grid(arrays, numbers)


def _columns(contacts: list[_Contact]) -> Iterator[tuple[str, list[str]]]:
    """(header, cells) of every column some card has a value for, in the fixed order."""

    def single(header: str, cells: list[str]) -> Iterable[tuple[str, list[str]]]:
        return [(header, cells)] if any(cell.strip() for cell in cells) else []

    yield from single(FULL_NAME, [c.full_name for c in contacts])
    yield from single(FIRST_NAME, [c.first_name for c in contacts])
    yield from single(LAST_NAME, [c.last_name for c in contacts])
    yield from single(COMPANY, [c.company for c in contacts])
    for header, values in (
        (EMAIL, [c.emails for c in contacts]),
        (MOBILE, [c.mobiles for c in contacts]),
        (PHONE, [c.phones for c in contacts]),
        (FAX, [c.faxes for c in contacts]),
    ):
        for k in range(max(map(len, values), default=0)):
            yield f"{header} {k + 1}", [v[k] if k < len(v) else "" for v in values]
    addresses = [c.addresses for c in contacts]
    for k in range(max(map(len, addresses), default=0)):
        held = [a[k] if k < len(a) else None for a in addresses]
        names = [*(part for part, _ in ADDRESS_PARTS), ADDRESS_TYPE]
        for index, part in enumerate(names):
            cells = [h[index] if h is not None else "" for h in held]
            yield from single(f"{ADDRESS} {k + 1} - {part}", cells)
    yield from single(NOTES, ["\n".join(c.notes) for c in contacts])
