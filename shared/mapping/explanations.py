"""Why each header of a file was mapped or left out, in words a caller shows as they are.

The explanations are built from the matcher's own result (`Suggestion`: each column's match
reason, each left-out header's `LeftOut`) or from a remembered mapping's reasons; nothing
here matches headers again.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from shared.i18n.text import Text, t, verbatim
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
    field_display_name: Text | None
    """None: the header is left out."""
    unmapped_reason: UnmappedReason
    explanation: Text
    related_header: str = ""
    """The other header the explanation names (label column, labelled or taking column)."""


# Translators: a language, as in "Synonym (Dutch) of Mobile".
_LANGUAGES = {"en": t("English"), "nl": t("Dutch"), "fr": t("French"), "de": t("German")}
# Translators: an address part, as in "Address, postal code".
_PART_NAMES: dict[AddressPart, Text | None] = {
    AddressPart.WHOLE: None,
    AddressPart.FORMATTED: t("formatted address"),
    AddressPart.STREET: t("street"),
    AddressPart.EXTENDED: t("extended address"),
    AddressPart.PO_BOX: t("PO box"),
    AddressPart.POSTAL_CODE: t("postal code"),
    AddressPart.CITY: t("city"),
    AddressPart.REGION: t("region"),
    AddressPart.COUNTRY: t("country"),
}
_UNMAPPED_REASONS = {
    LeftOutReason.NO_MATCH: UnmappedReason.NO_MATCH,
    LeftOutReason.NOT_CONTACT_DATA: UnmappedReason.NOT_CONTACT_DATA,
    LeftOutReason.NOT_A_PHONE: UnmappedReason.NOT_CONTACT_DATA,
    LeftOutReason.LABEL_COLUMN: UnmappedReason.LABEL_COLUMN,
    LeftOutReason.FIELD_TAKEN: UnmappedReason.FIELD_TAKEN,
}


def field_display_name(column: ColumnMapping) -> Text:
    """The field for people: "Mobile", "Address 1, street", "Business address, city"."""
    if column.field is not ContactField.ADDRESS:
        return FIELD_SPECS[column.field].display_name
    group = column.address_group
    part = _PART_NAMES[column.address_part]
    # Translators: {group} is the user's own address group name ("Business", "Home").
    if not group:
        return t("Address, {part}", part=part) if part else t("Address")
    if group.casefold().startswith("address"):
        return t("{group}, {part}", group=group, part=part) if part else verbatim(group)
    if part:
        return t("{group} address, {part}", group=group, part=part)
    return t("{group} address", group=group)


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


def _remembered_from(detail: str) -> Text:
    day, _, file_name = detail.partition(" ")
    if file_name:
        # Translators: {day} is a date (2026-11-30), {file_name} the earlier file's name.
        return t("your import of “{file_name}” on {day}", file_name=file_name, day=day)
    return t("an earlier import")


def _explain_column(column: ColumnMapping, display: Text) -> Text:
    detail = column.match_detail
    language = _LANGUAGES.get(detail)
    label = column.label_header
    # Translators: {field} is a field's display name; {layout} a tool's export ("Outlook").
    match column.match_reason:
        case MatchReason.EXACT_NAME:
            return t("Exact name of {field}", field=display)
        case MatchReason.SYNONYM if language:
            return t("Synonym ({language}) of {field}", language=language, field=display)
        case MatchReason.SYNONYM if detail:
            return t("Synonym ({layout}) of {field}", layout=detail, field=display)
        case MatchReason.SYNONYM:
            return t("Synonym of {field}", field=display)
        case MatchReason.KNOWN_LAYOUT:
            return t("{layout} layout: {field}", layout=detail, field=display)
        case MatchReason.NUMBERED_REPEAT if language:
            return t(
                "Numbered repeat of {field} ({language} synonym)", field=display, language=language
            )
        case MatchReason.NUMBERED_REPEAT if detail:
            return t("Numbered repeat of {field} ({layout} layout)", field=display, layout=detail)
        case MatchReason.NUMBERED_REPEAT:
            return t("Numbered repeat of {field}", field=display)
        case MatchReason.LABEL_COLUMN if language:
            return t(
                "Its kind is decided by label column “{label}” ({language} synonym)",
                label=label,
                language=language,
            )
        case MatchReason.LABEL_COLUMN if detail:
            return t(
                "Its kind is decided by label column “{label}” ({layout} layout)",
                label=label,
                layout=detail,
            )
        case MatchReason.LABEL_COLUMN:
            return t("Its kind is decided by label column “{label}”", label=label)
        case MatchReason.REMEMBERED:
            return t("Remembered from {earlier}", earlier=_remembered_from(detail))
    return t("Mapped to {field} by hand", field=display)


def _explain_unmapped(
    why: LeftOut, mapping: Mapping, labelled: dict[str, str], remembered: str | None
) -> HeaderMatch:
    header = why.header

    def left_out(reason: UnmappedReason, text: Text, related: str = "") -> HeaderMatch:
        return HeaderMatch(header, None, None, reason, text, related)

    if value := labelled.get(header):
        return left_out(
            UnmappedReason.LABEL_COLUMN,
            t("Label column: decides row by row the kind of “{header}”", header=value),
            value,
        )
    if remembered is not None:
        return left_out(
            UnmappedReason.REMEMBERED,
            t("Left out, as in {earlier}", earlier=_remembered_from(remembered)),
        )
    reason = _UNMAPPED_REASONS[why.reason]
    taker = next((c for c in mapping.columns if c.header == why.related_header), None)
    match why.reason:
        case LeftOutReason.FIELD_TAKEN if taker is not None:
            display = field_display_name(taker)
            text = (
                t(
                    "{field} is already filled by “{header}”: left out",
                    field=display,
                    header=taker.header,
                )
                if taker.field is ContactField.ADDRESS
                else t(
                    "{field} takes one column and “{header}” fills it: left out",
                    field=display,
                    header=taker.header,
                )
            )
            return left_out(reason, text, taker.header)
        case LeftOutReason.NOT_A_PHONE:
            return left_out(reason, t("Fax, pager or telex: not a phone, left out"))
        case LeftOutReason.NOT_CONTACT_DATA:
            return left_out(reason, t("Not contact data: left out"))
    return left_out(UnmappedReason.NO_MATCH, t("No field matches this header"))
