"""Matching a file's headers to contact fields: the suggested mapping of an upload.

The knowledge of spellings is data (`shared.header_vocabulary`); this module folds headers
and applies that data generically: exact field names, phrases and patterns, numbered
repeats ("E-mail 2"), group words ("Business Street", "Telefon geschäftlich"), qualifiers in
parentheses or after a slash ("Telefoon (werk)", "Mobile/Cell"), label columns beside value
columns (Google's "Phone 1 - Label"), and the address groups that parts form.
An unknown header is never guessed: it stays unmapped. For every header it leaves out, the
matcher says why (`LeftOut`), at the step that decides it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, replace
from enum import StrEnum

from shared.contact_fields import (
    FIELD_SPECS,
    NUMBER_FIELDS,
    AddressPart,
    ColumnMapping,
    ContactField,
    Mapping,
    MatchReason,
)
from shared.header_vocabulary import (
    DEFAULT_ADDRESS_GROUP,
    GROUP_WORDS,
    LABEL_WORDS,
    VOCABULARY,
    GroupWord,
    VocabularyEntry,
)

_WHITESPACE = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[\W_]+")
_QUALIFIER = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")
_TRAILING_NUMBER = re.compile(r"^(?P<base>.*?[^\W\d_])[\s#._-]*(?P<number>\d{1,3})$")
_NUMBER_IN_PHRASE = r"(\d{1,3})"
# A layout counts as the file's when this many headers are its own spellings.
_LAYOUT_EVIDENCE = 2


def fold_header(header: str) -> str:
    """A header as the matcher compares it: case, accents, line breaks and spaces folded."""
    decomposed = unicodedata.normalize("NFKD", header.casefold())
    # Drop accents (combining marks) and invisible format characters (BOM, zero width).
    kept = "".join(
        c for c in decomposed if not unicodedata.combining(c) and unicodedata.category(c) != "Cf"
    )
    return _WHITESPACE.sub(" ", kept).strip()


def _compact(text: str) -> str:
    """A folded text with every space and punctuation mark removed ("E-mail" = "Email")."""
    return _NOT_WORD.sub("", fold_header(text))


class LeftOutReason(StrEnum):
    """Why the matcher leaves a header out of its suggestion."""

    NO_MATCH = "no_match"
    NOT_CONTACT_DATA = "not_contact_data"
    """A known column without contact data (id, birthday, job title)."""
    NOT_A_PHONE = "not_a_phone"
    """A fax, pager or telex number."""
    LABEL_COLUMN = "label_column"
    """The label column of a value column (`related_header`)."""
    FIELD_TAKEN = "field_taken"
    """Its one-column field or address part is filled by `related_header`."""


@dataclass(frozen=True)
class LeftOut:
    """A header the suggestion leaves out, and why."""

    header: str
    reason: LeftOutReason
    related_header: str = ""
    """The labelled value column, or the column that took the field."""


@dataclass(frozen=True)
class Suggestion:
    """The matcher's answer for a file's headers."""

    mapping: Mapping
    """Mapped columns in file order, each with its reason and detail."""
    unmapped_headers: list[str]
    """Headers left out, in file order."""
    left_out: tuple[LeftOut, ...] = ()
    """Why each unmapped header is left out, in file order; empty when the matcher did not
    make the suggestion (a remembered mapping)."""


@dataclass(frozen=True)
class _Found:
    """What a spelling matched, before the file's other headers are considered."""

    field: ContactField | None
    entry: VocabularyEntry | None = None
    number: int | None = None
    """A trailing repeat number ("E-mail 2")."""
    pattern_number: int | None = None
    """The number a `#` of the phrase captured ("Phone 1 - Value")."""
    group: str = ""
    """An address group named by a group word or a qualifier."""
    layouts: frozenset[str] = frozenset()
    """Every layout that writes this spelling (evidence of the file's layout)."""
    not_a_phone: bool = False
    """A number qualified as fax, pager or telex ("Phone (fax)"): known, and left out."""


@dataclass(frozen=True)
class _Phrase:
    """A vocabulary look-up: the chosen entry, its `#` number, and who else spells it so."""

    entry: VocabularyEntry
    number: int | None
    layouts: frozenset[str]


class _Vocabulary:
    """The vocabulary compiled for look-ups by compact spelling."""

    def __init__(
        self,
        entries: tuple[VocabularyEntry, ...],
        group_words: tuple[GroupWord, ...],
    ) -> None:
        self.names: dict[str, ContactField] = {}
        for spec in FIELD_SPECS.values():
            self.names[_compact(spec.field.value)] = spec.field
            self.names[_compact(spec.display_name)] = spec.field
        self.phrases: dict[str, list[VocabularyEntry]] = defaultdict(list)
        self.patterns: list[tuple[re.Pattern[str], VocabularyEntry]] = []
        for entry in entries:
            if "#" in entry.phrase:
                pieces = (_compact(piece) for piece in entry.phrase.split("#"))
                self.patterns.append((re.compile(_NUMBER_IN_PHRASE.join(pieces)), entry))
            else:
                self.phrases[_compact(entry.phrase)].append(entry)
        self.group_words = sorted(
            ((_compact(w.phrase), w) for w in group_words), key=lambda item: -len(item[0])
        )

    def phrase(self, key: str, layouts: frozenset[str], *, patterns: bool = True) -> _Phrase | None:
        """The entry for a compact spelling: the file's layouts first, then synonyms."""
        candidates: list[tuple[VocabularyEntry, int | None]] = [
            (entry, None) for entry in self.phrases.get(key, ())
        ]
        if patterns and not candidates:
            for pattern, entry in self.patterns:
                if match := pattern.fullmatch(key):
                    candidates.append((entry, int(match.group(1))))
        if not candidates:
            return None
        # A spelling that hand-made sheets use with another meaning (German "Ort": a city
        # there, Outlook's office location) is no evidence of the layout.
        generic = {(entry.field, entry.part) for entry, _ in candidates if not entry.layout}
        known_in = frozenset(
            entry.layout
            for entry, _ in candidates
            if entry.layout and (not generic or (entry.field, entry.part) in generic)
        )
        # The file's own layouts first, then plain synonyms, then other tools' spellings.
        entry, number = min(
            candidates, key=lambda c: (c[0].layout not in layouts, bool(c[0].layout))
        )
        return _Phrase(entry, number, known_in)

    def lookup(self, text: str, layouts: frozenset[str]) -> _Found | None:
        """What a folded spelling (without qualifiers) matches, if anything."""
        key = _compact(text)
        if field := self.names.get(key):
            return _Found(field)
        if hit := self.phrase(key, layouts):
            return _Found(
                hit.entry.field, hit.entry, pattern_number=hit.number, layouts=hit.layouts
            )
        bases: list[tuple[str, int | None]] = [(key, None)]
        if numbered := _TRAILING_NUMBER.match(text):
            bases.insert(0, (_compact(numbered["base"]), int(numbered["number"])))
        for base, number in bases:
            if number is not None and (found := self._plain(base, layouts, number)):
                return found
            for word_key, word in self.group_words:
                if base.startswith(word_key):
                    rest = base[len(word_key) :]
                elif base.endswith(word_key):
                    rest = base[: -len(word_key)]
                else:
                    continue
                found = self._plain(rest, layouts, number, group=word.group)
                # Group words only qualify numbers, e-mail and addresses, or mark a known
                # unmapped column: "Business Name" is not a name.
                if found and (found.field is None or FIELD_SPECS[found.field].multi_column):
                    return found
        return None

    def _plain(
        self, key: str, layouts: frozenset[str], number: int | None, group: str = ""
    ) -> _Found | None:
        if not key:
            return None
        if field := self.names.get(key):
            return _Found(field, number=number, group=group)
        if hit := self.phrase(key, layouts, patterns=False):
            return _Found(hit.entry.field, hit.entry, number, group=group, layouts=hit.layouts)
        return None


_VOCABULARY = _Vocabulary(VOCABULARY, GROUP_WORDS)
_MOBILE_WORDS = frozenset(_compact(w.phrase) for w in LABEL_WORDS if w.field is not None)
_NOT_PHONE_WORDS = frozenset(_compact(w.phrase) for w in LABEL_WORDS if w.field is None)


def label_number_field(label: str, field: ContactField) -> ContactField | None:
    """The kind a phone label ("Mobile", "Work Fax") gives a number column's value.

    MOBILE for a mobile label, None for fax, pager and telex (not phones: not imported),
    else `field` unchanged.
    """
    folded = fold_header(label)
    words = {w for w in _NOT_WORD.split(folded) if w} | {_NOT_WORD.sub("", folded)}
    if words & _NOT_PHONE_WORDS:
        return None
    if words & _MOBILE_WORDS:
        return ContactField.MOBILE
    return field


def _group_for_qualifier(qualifier: str) -> str:
    key = _compact(qualifier)
    for word_key, word in _VOCABULARY.group_words:
        if key == word_key:
            return word.group
    return _WHITESPACE.sub(" ", qualifier).strip()


def _match_header(header: str, layouts: frozenset[str]) -> _Found | None:
    """A header's match on its own, with qualifiers and slash alternatives applied."""
    folded = fold_header(header)
    if not folded:
        return None
    qualifiers = [a or b for a, b in _QUALIFIER.findall(folded)]
    written = [a or b for a, b in _QUALIFIER.findall(_WHITESPACE.sub(" ", header))]
    body = _WHITESPACE.sub(" ", _QUALIFIER.sub(" ", folded)).strip()
    alternatives = [folded, body]
    if "/" in body:
        alternatives += [alt.strip() for alt in body.split("/") if alt.strip()]
    matches = (
        (index, found)
        for index, text in enumerate(alternatives)
        if text and (found := _VOCABULARY.lookup(text, layouts)) is not None
    )
    first = next(matches, None)
    if first is None:
        return None
    index, found = first
    if index == 0:
        others: list[str] = []
    elif index == 1:
        others = qualifiers
    else:
        others = qualifiers + [a for i, a in enumerate(alternatives[2:], 2) if i != index]
    if found.field in NUMBER_FIELDS:
        # "Telefoon (mobiel)" is a mobile; "Phone (fax)" or "Tel/Fax" is not a phone.
        for other in others:
            kind = label_number_field(other, found.field)
            if kind is None:
                return _Found(None, not_a_phone=True)
            found = replace(found, field=kind)
    if found.field is ContactField.ADDRESS and index > 0 and qualifiers:
        if part := _part_in_qualifiers(found, qualifiers, layouts):
            return part
        if not found.group:
            raw = written[0] if len(written) == len(qualifiers) else qualifiers[0]
            found = replace(found, group=_group_for_qualifier(raw))
    return found


def _part_in_qualifiers(
    address: _Found, qualifiers: list[str], layouts: frozenset[str]
) -> _Found | None:
    """ "Rechnungsanschrift (Straße)": a whole address qualified by a part is that part."""
    if address.entry is not None and address.entry.part is not AddressPart.WHOLE:
        return None
    group = (address.entry.group if address.entry is not None else "") or address.group
    for qualifier in qualifiers:
        part = _VOCABULARY.lookup(qualifier, layouts)
        if (
            part is not None
            and part.entry is not None
            and part.field is ContactField.ADDRESS
            and part.entry.part not in (AddressPart.WHOLE, AddressPart.FORMATTED)
        ):
            return replace(part, group=group)
    return None


@dataclass
class _Column:
    """A matched column while the file's headers are weighed against each other."""

    index: int
    header: str
    found: _Found
    field: ContactField
    part: AddressPart = AddressPart.WHOLE
    group: str = ""
    label_header: str = ""

    @property
    def entry(self) -> VocabularyEntry | None:
        return self.found.entry

    def reason(self) -> tuple[MatchReason, str]:
        entry = self.entry
        if entry is None:
            reason, detail = MatchReason.EXACT_NAME, ""
        elif entry.layout:
            reason, detail = MatchReason.KNOWN_LAYOUT, entry.layout
        else:
            reason, detail = MatchReason.SYNONYM, entry.language
        if self.label_header:
            reason = MatchReason.LABEL_COLUMN
        elif self.found.number is not None and self.found.number >= 2:
            reason = MatchReason.NUMBERED_REPEAT
        return reason, detail


def suggest_mapping(headers: list[str]) -> Suggestion:
    """The mapping the matcher suggests for a file's headers (in file order)."""
    found = [_match_header(h, frozenset()) for h in headers]
    evidence: dict[str, int] = defaultdict(int)
    for f in found:
        for layout in f.layouts if f is not None else ():
            evidence[layout] += 1
    layouts = frozenset(layout for layout, n in evidence.items() if n >= _LAYOUT_EVIDENCE)
    if layouts:
        found = [_match_header(h, layouts) for h in headers]
    left_out = {
        i: _unmatched(headers[i], f) for i, f in enumerate(found) if f is None or f.field is None
    }
    columns = [
        _Column(i, headers[i], f, f.field)
        for i, f in enumerate(found)
        if f is not None and f.field is not None
    ]
    columns = _keep_single_fields(_apply_name_context(columns), left_out)
    _find_label_columns(columns, headers, left_out)
    columns = _form_address_groups(columns, left_out)
    mapped = {c.index for c in columns}
    mapping = Mapping(
        tuple(
            ColumnMapping(
                header=c.header,
                field=c.field,
                address_part=c.part,
                address_group=c.group,
                label_header=c.label_header,
                match_reason=c.reason()[0],
                match_detail=c.reason()[1],
            )
            for c in columns
        )
    )
    unmapped = [i for i in range(len(headers)) if i not in mapped]
    return Suggestion(mapping, [headers[i] for i in unmapped], tuple(left_out[i] for i in unmapped))


def _unmatched(header: str, found: _Found | None) -> LeftOut:
    """Why a header that matches no field on its own is left out."""
    if (found is not None and found.not_a_phone) or label_number_field(
        header, ContactField.PHONE
    ) is None:
        return LeftOut(header, LeftOutReason.NOT_A_PHONE)
    if found is not None:
        return LeftOut(header, LeftOutReason.NOT_CONTACT_DATA)
    return LeftOut(header, LeftOutReason.NO_MATCH)


def _taken(dropped: _Column, taker: _Column | None) -> LeftOut:
    if taker is None:
        return LeftOut(dropped.header, LeftOutReason.NO_MATCH)
    return LeftOut(dropped.header, LeftOutReason.FIELD_TAKEN, taker.header)


def _apply_name_context(columns: list[_Column]) -> list[_Column]:
    """ "Vorname | Name": a plain name beside a first name and no last name is the surname."""
    fields = {c.field for c in columns}
    if ContactField.FIRST_NAME in fields and ContactField.LAST_NAME not in fields:
        for c in columns:
            if c.entry is not None and c.entry.with_first_name is not None:
                c.field = c.entry.with_first_name
    return columns


def _keep_single_fields(columns: list[_Column], left_out: dict[int, LeftOut]) -> list[_Column]:
    """A single-column field goes to its first claimant; fallback spellings yield first.

    A numbered repeat of a single-column field ("Notes 2") is never mapped.
    """
    kept: list[_Column] = []
    claimants: dict[ContactField, list[_Column]] = defaultdict(list)
    repeats: list[_Column] = []
    for c in columns:
        if FIELD_SPECS[c.field].multi_column:
            kept.append(c)
        elif c.found.number is None or c.found.number < 2:
            claimants[c.field].append(c)
        else:
            repeats.append(c)
    takers: dict[ContactField, _Column] = {}
    for field, group in claimants.items():
        taker = min(group, key=lambda c: (c.entry is not None and c.entry.fallback, c.index))
        takers[field] = taker
        kept.append(taker)
        for c in group:
            if c is not taker:
                left_out[c.index] = _taken(c, taker)
    for c in repeats:
        left_out[c.index] = _taken(c, takers.get(c.field))
    return sorted(kept, key=lambda c: c.index)


def _find_label_columns(
    columns: list[_Column], headers: list[str], left_out: dict[int, LeftOut]
) -> None:
    """Give a value column ("Phone 1 - Value") its label column ("Phone 1 - Label")."""
    by_key = {_compact(h): i for i, h in enumerate(headers)}
    for c in columns:
        if c.entry is None or not c.entry.labels or c.found.pattern_number is None:
            continue
        for phrase in c.entry.labels:
            label = by_key.get(_compact(phrase.replace("#", str(c.found.pattern_number))))
            if label is not None:
                c.label_header = headers[label]
                left_out[label] = LeftOut(headers[label], LeftOutReason.LABEL_COLUMN, c.header)
                break


def _form_address_groups(columns: list[_Column], left_out: dict[int, LeftOut]) -> list[_Column]:
    """Put address parts into groups and decide what a plain address column is.

    Parts without a group word share the default group; a numbered part ("City 2") makes
    group "Address 2", except a numbered street with no other part of that number, which
    is an extra street line ("Business Street 2"), and so is a numbered plain address
    beside unnumbered parts of its group ("Address | Address 2 | City"). A plain address
    column beside parts of its group is their street (Dutch "Adres | Postcode | Plaats"),
    or their formatted address when the group has a street other than a house number;
    alone it is a whole address of its own. Like a single-column field, a part other than
    a street line goes to the first column that claims it in its group ("City" beside
    "Woonplaats"), fallback spellings last ("County" beside "State"); the others stay
    unmapped.
    """
    address = [c for c in columns if c.field is ContactField.ADDRESS]
    base: dict[int, str] = {}
    for c in address:
        entry = c.entry
        c.part = entry.part if entry is not None else AddressPart.WHOLE
        group = entry.group if entry is not None else ""
        if group and c.found.pattern_number is not None:
            group = group.replace("#", str(c.found.pattern_number))
        base[c.index] = group or c.found.group or DEFAULT_ADDRESS_GROUP
    lines = (AddressPart.STREET, AddressPart.WHOLE, AddressPart.FORMATTED)
    numbered_parts = {
        (base[c.index], c.found.number)
        for c in address
        if c.found.number is not None and c.part not in lines
    }
    unnumbered_parts = {
        base[c.index] for c in address if c.found.number is None and c.part not in lines
    }
    for c in address:
        number = c.found.number
        group = base[c.index]
        line = (group, number) not in numbered_parts and (
            c.part is AddressPart.STREET
            or (c.part is AddressPart.WHOLE and group in unnumbered_parts)
        )
        if number is not None and not line:
            group = f"{group} {number}"
        c.group = group
    parts = [c for c in address if c.part not in (AddressPart.WHOLE, AddressPart.FORMATTED)]
    for c in address:
        if c.part is not AddressPart.WHOLE:
            continue
        siblings = [p for p in parts if p.group == c.group]
        if not siblings:
            c.group = ""
        elif any(p.part is AddressPart.STREET and not _house_number(p) for p in siblings):
            c.part = AddressPart.FORMATTED
        else:
            c.part = AddressPart.STREET
    claimed: dict[tuple[str, AddressPart], _Column] = {}
    dropped: set[int] = set()
    claimants = (c for c in address if c.group and c.part is not AddressPart.STREET)
    for c in sorted(claimants, key=lambda c: (c.entry is not None and c.entry.fallback, c.index)):
        if taker := claimed.get((c.group, c.part)):
            left_out[c.index] = _taken(c, taker)
            dropped.add(c.index)
        else:
            claimed[(c.group, c.part)] = c
    return [c for c in columns if c.index not in dropped]


def _house_number(column: _Column) -> bool:
    return column.entry is not None and column.entry.house_number
