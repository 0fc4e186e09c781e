"""`--map field=header` overrides applied to the suggested mapping before StartImport.

Rules, applied in the order given on the command line:
- `--map FIELD=HEADER` for a single-valued field (first_name, last_name, full_name, company,
  notes) makes HEADER that field's only column;
- for a multi-valued field (email, phone, mobile, address) it adds HEADER as one more column;
- `--map FIELD=` (empty header) removes every column of FIELD;
- a header is mapped once: mapping a header that the mapping already holds moves it.
Headers compare trimmed and case-insensitively, as the server compares them.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import cast

from shared.gen.contactimport.v1 import import_service_pb2 as pb
from shared.mapping.fields import FIELD_SPECS, ContactField

FIELD_NAMES = ", ".join(f.value for f in ContactField)


@dataclass(frozen=True)
class MapOverride:
    """One `--map FIELD=HEADER`; an empty header removes the field's columns."""

    field: ContactField
    header: str


def parse_override(text: str) -> MapOverride:
    """Parse `FIELD=HEADER` (argparse `type=`): the field by its name, the header as given."""
    name, sep, header = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"expected FIELD=HEADER, got {text!r}")
    try:
        field = ContactField(name.strip().lower())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"unknown field {name.strip()!r}; fields: {FIELD_NAMES}"
        ) from None
    return MapOverride(field, header.strip())


def proto_field(field: ContactField) -> pb.ContactField:
    """The contract's enum value of a field (`phone` -> CONTACT_FIELD_PHONE)."""
    return cast(pb.ContactField, pb.ContactField.Value(f"CONTACT_FIELD_{field.name}"))


def field_name(value: pb.ContactField) -> str:
    """The field's name as `--map` takes it (CONTACT_FIELD_PHONE -> `phone`)."""
    name = pb.ContactField.Name(value).removeprefix("CONTACT_FIELD_").lower()
    return name if name != "unspecified" else "?"


def _same_header(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def apply_overrides(mapping: pb.Mapping, overrides: list[MapOverride]) -> pb.Mapping:
    """A copy of `mapping` with every override applied in order.

    Untouched columns keep the matcher's reason (output only: StartImport ignores it), so
    the table printed before starting shows which columns `--map` set.
    """
    columns = list(pb.Mapping(columns=mapping.columns).columns)
    for override in overrides:
        value = proto_field(override.field)
        if not override.header:
            columns = [c for c in columns if c.field != value]
            continue
        columns = [c for c in columns if not _same_header(c.header, override.header)]
        if not FIELD_SPECS[override.field].multi_column:
            columns = [c for c in columns if c.field != value]
        columns.append(pb.ColumnMapping(header=override.header, field=value))
    return pb.Mapping(columns=columns)
