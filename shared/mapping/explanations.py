"""Why each header of a file was mapped or left out, in words a caller shows as they are.

The explanations are built from the matcher's own result (`Suggestion`: each column's match
reason, each left-out header's `LeftOut`) or from a remembered mapping's reasons; nothing
here matches headers again.
"""

from __future__ import annotations

import re
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
from shared.mapping.vocabulary import DEFAULT_ADDRESS_GROUP


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


_LANGUAGES = {
    # Translators: a language, as in "Synonym (English) of Mobile".
    "en": t("English"),
    # Translators: a language, as in "Synonym (Dutch) of Mobile".
    "nl": t("Dutch"),
    # Translators: a language, as in "Synonym (French) of Mobile".
    "fr": t("French"),
    # Translators: a language, as in "Synonym (German) of Mobile".
    "de": t("German"),
}
_SYNONYMS = {
    # Translators: as in "Numbered repeat of E-mail (English synonym)".
    "en": t("English synonym"),
    # Translators: as in "Numbered repeat of E-mail (Dutch synonym)".
    "nl": t("Dutch synonym"),
    # Translators: as in "Numbered repeat of E-mail (French synonym)".
    "fr": t("French synonym"),
    # Translators: as in "Numbered repeat of E-mail (German synonym)".
    "de": t("German synonym"),
}
_PART_NAMES: dict[AddressPart, Text | None] = {
    AddressPart.WHOLE: None,
    # Translators: an address part, as in "Address, formatted address".
    AddressPart.FORMATTED: t("formatted address"),
    # Translators: an address part, as in "Address, street".
    AddressPart.STREET: t("street"),
    # Translators: an address part (apartment, suite, building), as in "Address, extended
    # address".
    AddressPart.EXTENDED: t("extended address"),
    # Translators: an address part, as in "Address, PO box".
    AddressPart.PO_BOX: t("PO box"),
    # Translators: an address part, as in "Address, postal code".
    AddressPart.POSTAL_CODE: t("postal code"),
    # Translators: an address part, as in "Address, city".
    AddressPart.CITY: t("city"),
    # Translators: an address part (state, province), as in "Address, region".
    AddressPart.REGION: t("region"),
    # Translators: an address part, as in "Address, country".
    AddressPart.COUNTRY: t("country"),
}
# The group of the file's second (third, ...) plain address, as the matcher names it.
_NUMBERED_ADDRESS = re.compile(re.escape(DEFAULT_ADDRESS_GROUP) + r" (\d+)")
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
    if not group or group == DEFAULT_ADDRESS_GROUP:
        # Translators: {part} is an address part ("postal code").
        return t("Address, {part}", part=part) if part else t("Address")
    if (numbered := _NUMBERED_ADDRESS.fullmatch(group)) and part:
        # Translators: {number} tells a file's addresses apart (Address 2: its second one);
        # {part} is an address part ("postal code").
        return t("Address {number}, {part}", number=numbered[1], part=part)
    if numbered:
        # Translators: {number} tells a file's addresses apart (Address 2: its second one).
        return t("Address {number}", number=numbered[1])
    if group.casefold().startswith("address"):
        # Translators: {group} is an address group's own name that starts with "Address"
        # (shown as it is), {part} an address part ("postal code").
        return t("{group}, {part}", group=group, part=part) if part else verbatim(group)
    if part:
        # Translators: {group} is an address group's name ("Business", "Home", or the
        # caller's own), {part} an address part ("postal code").
        return t("{group} address, {part}", group=group, part=part)
    # Translators: {group} is an address group's name ("Business", "Home", or the caller's own).
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


def _remembered(detail: str) -> Text:
    """How a remembered mapping maps a column: from which earlier import."""
    day, _, file_name = detail.partition(" ")
    if file_name:
        # Translators: {file_name} is the earlier file's name, {day} a date (2026-11-30).
        return t(
            "Remembered from your import of “{file_name}” on {day}", file_name=file_name, day=day
        )
    return t("Remembered from an earlier import")


def _left_out_as_remembered(detail: str) -> Text:
    """Why a remembered mapping leaves a header out: so did the earlier import."""
    day, _, file_name = detail.partition(" ")
    if file_name:
        # Translators: {file_name} is the earlier file's name, {day} a date (2026-11-30).
        return t(
            "Left out, as in your import of “{file_name}” on {day}", file_name=file_name, day=day
        )
    return t("Left out, as in an earlier import")


def _explain_column(column: ColumnMapping, display: Text) -> Text:
    detail = column.match_detail
    label = column.label_header
    language = _LANGUAGES.get(detail)
    synonym = _SYNONYMS.get(detail)
    match column.match_reason:
        case MatchReason.EXACT_NAME:
            # Translators: {field} is a field's display name ("Mobile", "Address, city").
            return t("Exact name of {field}", field=display)
        case MatchReason.SYNONYM if detail:
            # Translators: {language} is a language ("Dutch"), {field} a field's display name.
            return t("Synonym ({language}) of {field}", language=language or detail, field=display)
        case MatchReason.SYNONYM:
            return t("Synonym of {field}", field=display)
        case MatchReason.KNOWN_LAYOUT:
            # Translators: {layout} is the tool whose export the file is ("Outlook",
            # "Google Contacts"), {field} a field's display name.
            return t("{layout} layout: {field}", layout=detail, field=display)
        case MatchReason.NUMBERED_REPEAT if synonym:
            # Translators: {field} is a field's display name; {synonym} says which language's
            # synonym it is ("Dutch synonym").
            return t("Numbered repeat of {field} ({synonym})", field=display, synonym=synonym)
        case MatchReason.NUMBERED_REPEAT if detail:
            # Translators: {field} is a field's display name; {layout} is the tool whose export
            # the file is ("Outlook").
            return t("Numbered repeat of {field} ({layout} layout)", field=display, layout=detail)
        case MatchReason.NUMBERED_REPEAT:
            return t("Numbered repeat of {field}", field=display)
        case MatchReason.LABEL_COLUMN if synonym:
            # Translators: {label} is the label column's header; {synonym} says which
            # language's synonym the column's own header is ("Dutch synonym").
            return t(
                "Its kind is decided by label column “{label}” ({synonym})",
                label=label,
                synonym=synonym,
            )
        case MatchReason.LABEL_COLUMN if detail:
            # Translators: {label} is the label column's header; {layout} is the tool whose
            # export the file is ("Google Contacts").
            return t(
                "Its kind is decided by label column “{label}” ({layout} layout)",
                label=label,
                layout=detail,
            )
        case MatchReason.LABEL_COLUMN:
            return t("Its kind is decided by label column “{label}”", label=label)
        case MatchReason.REMEMBERED:
            return _remembered(detail)
    # Translators: {field} is a field's display name ("Mobile", "Address, city").
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
            # Translators: {header} is the header of the value column this label column is of.
            t("Label column: decides row by row the kind of “{header}”", header=value),
            value,
        )
    if remembered is not None:
        return left_out(UnmappedReason.REMEMBERED, _left_out_as_remembered(remembered))
    reason = _UNMAPPED_REASONS[why.reason]
    taker = next((c for c in mapping.columns if c.header == why.related_header), None)
    match why.reason:
        case LeftOutReason.FIELD_TAKEN if taker is not None:
            display = field_display_name(taker)
            text: Text
            if taker.field is ContactField.ADDRESS:
                # Translators: {field} is a field's display name ("Address, city"), {header}
                # the header of the column that fills it.
                text = t(
                    "{field} is already filled by “{header}”: left out",
                    field=display,
                    header=taker.header,
                )
            else:
                # Translators: {field} is a field's display name ("First name"), {header} the
                # header of the column that fills it.
                text = t(
                    "{field} takes one column and “{header}” fills it: left out",
                    field=display,
                    header=taker.header,
                )
            return left_out(reason, text, taker.header)
        case LeftOutReason.NOT_A_PHONE:
            return left_out(reason, t("Fax, pager or telex: not a phone, left out"))
        case LeftOutReason.NOT_CONTACT_DATA:
            return left_out(reason, t("Not contact data: left out"))
    return left_out(UnmappedReason.NO_MATCH, t("No field matches this header"))
