"""Why each header of a file was mapped or left out, in words a caller shows as they are.

The explanations are built from the matcher's own result (`Suggestion`: each column's match
reason, each left-out header's `LeftOut`) or from a remembered mapping's reasons; nothing
here matches headers again.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from shared.mapping.fields import (
    FIELD_SPECS,
    AddressPart,
    ColumnMapping,
    ContactField,
    Mapping,
    MatchReason,
)
from shared.mapping.matcher import LeftOut, LeftOutReason, Suggestion


class UnmappedReason(StrEnum):
    """Why the suggested mapping leaves a header out (the proto's UnmappedReason)."""

    NONE = "none"
    NO_MATCH = "no_match"
    NOT_CONTACT_DATA = "not_contact_data"
    LABEL_COLUMN = "label_column"
    FIELD_TAKEN = "field_taken"
    REMEMBERED = "remembered"


@dataclass(frozen=True)
class HeaderMatch:
    """One header of a file, the suggested mapping's column for it, and why."""

    header: str
    column: ColumnMapping | None
    """None: the header is left out."""
    field_display_name: str
    unmapped_reason: UnmappedReason
    explanation: str
    related_header: str = ""
    """The other header the explanation names (label column, labelled or taking column)."""


_LANGUAGES = {"en": "English", "nl": "Dutch", "fr": "French", "de": "German"}
_PART_NAMES = {
    AddressPart.WHOLE: "",
    AddressPart.FORMATTED: "formatted address",
    AddressPart.STREET: "street",
    AddressPart.EXTENDED: "extended address",
    AddressPart.PO_BOX: "PO box",
    AddressPart.POSTAL_CODE: "postal code",
    AddressPart.CITY: "city",
    AddressPart.REGION: "region",
    AddressPart.COUNTRY: "country",
}
_UNMAPPED_REASONS = {
    LeftOutReason.NO_MATCH: UnmappedReason.NO_MATCH,
    LeftOutReason.NOT_CONTACT_DATA: UnmappedReason.NOT_CONTACT_DATA,
    LeftOutReason.NOT_A_PHONE: UnmappedReason.NOT_CONTACT_DATA,
    LeftOutReason.LABEL_COLUMN: UnmappedReason.LABEL_COLUMN,
    LeftOutReason.FIELD_TAKEN: UnmappedReason.FIELD_TAKEN,
}


def field_display_name(column: ColumnMapping) -> str:
    """The field for people: "Mobile", "Address 1, street", "Business address, city"."""
    if column.field is not ContactField.ADDRESS:
        return FIELD_SPECS[column.field].display_name
    group = column.address_group
    if not group:
        where = "Address"
    elif group.casefold().startswith("address"):
        where = group
    else:
        where = f"{group} address"
    part = _PART_NAMES[column.address_part]
    return f"{where}, {part}" if part else where


def explain_headers(headers: list[str], suggestion: Suggestion) -> list[HeaderMatch]:
    """Every header in file order with the suggested mapping's column for it and why."""
    mapping = suggestion.mapping
    by_header = {c.header: c for c in mapping.columns}
    left_out = {lo.header: lo for lo in suggestion.left_out}
    labelled = {c.label_header: c.header for c in mapping.columns if c.label_header}
    remembered = None
    if mapping.columns and all(c.match_reason is MatchReason.REMEMBERED for c in mapping.columns):
        remembered = mapping.columns[0].match_detail
    matches = []
    for header in headers:
        column = by_header.get(header)
        if column is None:
            why = left_out.get(header, LeftOut(header, LeftOutReason.NO_MATCH))
            matches.append(_explain_unmapped(why, mapping, labelled, remembered))
            continue
        display = field_display_name(column)
        matches.append(
            HeaderMatch(
                header,
                column,
                display,
                UnmappedReason.NONE,
                _explain_column(column, display),
                column.label_header,
            )
        )
    return matches


def _remembered_from(detail: str) -> str:
    day, _, file_name = detail.partition(" ")
    return f"your import of “{file_name}” on {day}" if file_name else "an earlier import"


def _explain_column(column: ColumnMapping, display: str) -> str:
    detail = column.match_detail
    language = _LANGUAGES.get(detail)
    source = f"{language} synonym" if language else f"{detail} layout"
    in_brackets = f" ({source})" if detail else ""
    match column.match_reason:
        case MatchReason.EXACT_NAME:
            return f"Exact name of {display}"
        case MatchReason.SYNONYM:
            return (
                f"Synonym ({language or detail}) of {display}"
                if detail
                else f"Synonym of {display}"
            )
        case MatchReason.KNOWN_LAYOUT:
            return f"{detail} layout: {display}"
        case MatchReason.NUMBERED_REPEAT:
            return f"Numbered repeat of {display}{in_brackets}"
        case MatchReason.LABEL_COLUMN:
            return f"Its kind is decided by label column “{column.label_header}”{in_brackets}"
        case MatchReason.REMEMBERED:
            return f"Remembered from {_remembered_from(detail)}"
    return f"Mapped to {display} by hand"


def _explain_unmapped(
    why: LeftOut, mapping: Mapping, labelled: dict[str, str], remembered: str | None
) -> HeaderMatch:
    header = why.header

    def left_out(reason: UnmappedReason, text: str, related: str = "") -> HeaderMatch:
        return HeaderMatch(header, None, "", reason, text, related)

    if value := labelled.get(header):
        return left_out(
            UnmappedReason.LABEL_COLUMN,
            f"Label column: decides row by row the kind of “{value}”",
            value,
        )
    if remembered is not None:
        return left_out(
            UnmappedReason.REMEMBERED, f"Left out, as in {_remembered_from(remembered)}"
        )
    reason = _UNMAPPED_REASONS[why.reason]
    taker = next((c for c in mapping.columns if c.header == why.related_header), None)
    match why.reason:
        case LeftOutReason.FIELD_TAKEN if taker is not None:
            display = field_display_name(taker)
            text = (
                f"{display} is already filled by “{taker.header}”: left out"
                if taker.field is ContactField.ADDRESS
                else f"{display} takes one column and “{taker.header}” fills it: left out"
            )
            return left_out(reason, text, taker.header)
        case LeftOutReason.NOT_A_PHONE:
            return left_out(reason, "Fax, pager or telex: not a phone, left out")
        case LeftOutReason.NOT_CONTACT_DATA:
            return left_out(reason, "Not contact data: left out")
    return left_out(UnmappedReason.NO_MATCH, "No field matches this header")
