"""Matching a file's headers to contact fields: the suggested mapping of an upload.

The knowledge of spellings is data (`shared.mapping.vocabulary`); `spellings` looks each
header up on its own, and this module weighs the file's headers against each other: the
file's layout (by evidence), one column per single field, label columns beside value
columns (Google's "Phone 1 - Label"), the surname beside a first name, and the address
groups that parts form (`address_groups`). An unknown header is never guessed: it stays
unmapped. For every header it leaves out, the matcher says why (`LeftOut`), at the step
that decides it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from shared.mapping.address_groups import AddressColumn, form_address_groups
from shared.mapping.fields import (
    FIELD_SPECS,
    AddressPart,
    ColumnMapping,
    ContactField,
    Mapping,
    MatchReason,
)
from shared.mapping.folding import compact
from shared.mapping.labels import label_number_field
from shared.mapping.spellings import Found, match_header
from shared.mapping.vocabulary import VocabularyEntry

# A layout counts as the file's when this many headers are its own spellings.
_LAYOUT_EVIDENCE = 2


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


@dataclass
class _Column:
    """A matched column while the file's headers are weighed against each other."""

    index: int
    header: str
    found: Found
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
    found = [match_header(h, frozenset()) for h in headers]
    evidence: dict[str, int] = defaultdict(int)
    for f in found:
        for layout in f.layouts if f is not None else ():
            evidence[layout] += 1
    layouts = frozenset(layout for layout, n in evidence.items() if n >= _LAYOUT_EVIDENCE)
    if layouts:
        found = [match_header(h, layouts) for h in headers]
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


def _unmatched(header: str, found: Found | None) -> LeftOut:
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
    by_key = {compact(h): i for i, h in enumerate(headers)}
    for c in columns:
        if c.entry is None or not c.entry.labels or c.found.pattern_number is None:
            continue
        for phrase in c.entry.labels:
            label = by_key.get(compact(phrase.replace("#", str(c.found.pattern_number))))
            if label is not None:
                c.label_header = headers[label]
                left_out[label] = LeftOut(headers[label], LeftOutReason.LABEL_COLUMN, c.header)
                break


def _form_address_groups(columns: list[_Column], left_out: dict[int, LeftOut]) -> list[_Column]:
    """Give each address column its group and part; drop those whose part is taken."""
    address = {c.index: _address_column(c) for c in columns if c.field is ContactField.ADDRESS}
    dropped: set[int] = set()
    for column, taker in form_address_groups(list(address.values())):
        left_out[column.index] = LeftOut(column.header, LeftOutReason.FIELD_TAKEN, taker.header)
        dropped.add(column.index)
    for c in columns:
        if decided := address.get(c.index):
            c.part, c.group = decided.part, decided.group
    return [c for c in columns if c.index not in dropped]


def _address_column(column: _Column) -> AddressColumn:
    entry, found = column.entry, column.found
    group = entry.group if entry is not None else ""
    if group and found.pattern_number is not None:
        group = group.replace("#", str(found.pattern_number))
    return AddressColumn(
        column.index,
        column.header,
        entry.part if entry is not None else AddressPart.WHOLE,
        named_group=group or found.group,
        number=found.number,
        fallback=entry is not None and entry.fallback,
        house_number=entry is not None and entry.house_number,
    )
