"""The product's contact fields, their limits, and the mapping of file columns to them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from shared.i18n.text import Text, t

MAX_VALUES_PER_KIND = 5


class ContactField(StrEnum):
    """A product contact field a column can fill (names as a header would carry them)."""

    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    FULL_NAME = "full_name"
    COMPANY = "company"
    EMAIL = "email"
    PHONE = "phone"
    MOBILE = "mobile"
    ADDRESS = "address"
    NOTES = "notes"


class AddressPart(StrEnum):
    """The part of an address a column holds; listed in the order they are joined."""

    WHOLE = "whole"
    FORMATTED = "formatted"
    STREET = "street"
    EXTENDED = "extended"
    PO_BOX = "po_box"
    POSTAL_CODE = "postal_code"
    CITY = "city"
    REGION = "region"
    COUNTRY = "country"


class MatchReason(StrEnum):
    """Why the matcher suggested a column's field."""

    NONE = "none"
    EXACT_NAME = "exact_name"
    SYNONYM = "synonym"
    NUMBERED_REPEAT = "numbered_repeat"
    KNOWN_LAYOUT = "known_layout"
    LABEL_COLUMN = "label_column"
    REMEMBERED = "remembered"


@dataclass(frozen=True)
class FieldSpec:
    """What the catalogue says of a field."""

    field: ContactField
    display_name: Text  # for people, in the reader's language
    multi_column: bool
    max_values: int
    max_length: int


FIELD_SPECS: dict[ContactField, FieldSpec] = {
    spec.field: spec
    for spec in (
        FieldSpec(ContactField.FIRST_NAME, t("First name"), False, 1, 255),
        FieldSpec(ContactField.LAST_NAME, t("Last name"), False, 1, 255),
        FieldSpec(ContactField.FULL_NAME, t("Full name"), False, 1, 255),
        FieldSpec(ContactField.COMPANY, t("Company"), False, 1, 255),
        FieldSpec(ContactField.EMAIL, t("E-mail"), True, MAX_VALUES_PER_KIND, 254),
        FieldSpec(ContactField.PHONE, t("Phone"), True, MAX_VALUES_PER_KIND, 0),
        FieldSpec(ContactField.MOBILE, t("Mobile"), True, MAX_VALUES_PER_KIND, 0),
        FieldSpec(ContactField.ADDRESS, t("Address"), True, MAX_VALUES_PER_KIND, 1_000),
        FieldSpec(ContactField.NOTES, t("Notes"), False, 1, 100_000),
    )
}

NAME_FIELDS = frozenset({ContactField.FIRST_NAME, ContactField.LAST_NAME, ContactField.FULL_NAME})
NUMBER_FIELDS = frozenset({ContactField.PHONE, ContactField.MOBILE})
LABELLED_FIELDS = frozenset({ContactField.PHONE, ContactField.MOBILE, ContactField.EMAIL})


@dataclass(frozen=True)
class ColumnMapping:
    """One file column mapped to a contact field."""

    header: str
    field: ContactField
    address_part: AddressPart = AddressPart.WHOLE
    address_group: str = ""
    label_header: str = ""
    match_reason: MatchReason = MatchReason.NONE
    match_detail: str = ""


@dataclass(frozen=True)
class Mapping:
    """File columns mapped to contact fields; headers not named are not imported."""

    columns: tuple[ColumnMapping, ...] = ()

    def headers(self) -> set[str]:
        return {c.header for c in self.columns}


def mapping_to_json(mapping: Mapping) -> list[dict[str, str]]:
    """The mapping as stored in PostgreSQL (jsonb)."""
    return [
        {
            "header": c.header,
            "field": c.field.value,
            "address_part": c.address_part.value,
            "address_group": c.address_group,
            "label_header": c.label_header,
            "match_reason": c.match_reason.value,
            "match_detail": c.match_detail,
        }
        for c in mapping.columns
    ]


def mapping_from_json(items: list[dict[str, str]]) -> Mapping:
    """The inverse of mapping_to_json."""
    return Mapping(
        tuple(
            ColumnMapping(
                header=i["header"],
                field=ContactField(i["field"]),
                address_part=AddressPart(i.get("address_part") or AddressPart.WHOLE),
                address_group=i.get("address_group", ""),
                label_header=i.get("label_header", ""),
                match_reason=MatchReason(i.get("match_reason") or MatchReason.NONE),
                match_detail=i.get("match_detail", ""),
            )
            for i in items
        )
    )
