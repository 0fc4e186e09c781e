"""Checking a caller's mapping against the file's headers before an import starts."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum

from shared.errors import FieldViolation
from shared.i18n.text import t
from shared.mapping.fields import (
    FIELD_SPECS,
    LABELLED_FIELDS,
    NAME_FIELDS,
    NUMBER_FIELDS,
    AddressPart,
    ContactField,
    Mapping,
)

MAX_COLUMNS = 1_000
MAX_ADDRESS_GROUP_LENGTH = 100

_PARTS = frozenset(AddressPart)
# Parts that may repeat in one group: street lines always; whole and formatted addresses
# without a group are each an address of their own.
_REPEATABLE_UNGROUPED = frozenset({AddressPart.WHOLE, AddressPart.FORMATTED})


class MappingProblem(StrEnum):
    """Stable reasons of a mapping's field violations."""

    TOO_MANY_COLUMNS = "TOO_MANY_COLUMNS"
    HEADER_NOT_FOUND = "HEADER_NOT_FOUND"
    HEADER_MAPPED_TWICE = "HEADER_MAPPED_TWICE"
    HEADER_AMBIGUOUS = "HEADER_AMBIGUOUS"
    FIELD_MISSING = "FIELD_MISSING"
    FIELD_TAKES_ONE_COLUMN = "FIELD_TAKES_ONE_COLUMN"
    NAME_FIELD_MISSING = "NAME_FIELD_MISSING"
    PHONE_FIELD_MISSING = "PHONE_FIELD_MISSING"
    ADDRESS_PART_NOT_ALLOWED = "ADDRESS_PART_NOT_ALLOWED"
    ADDRESS_PART_INVALID = "ADDRESS_PART_INVALID"
    ADDRESS_PART_TWICE = "ADDRESS_PART_TWICE"
    ADDRESS_GROUP_TOO_LONG = "ADDRESS_GROUP_TOO_LONG"
    LABEL_NOT_ALLOWED = "LABEL_NOT_ALLOWED"
    LABEL_HEADER_NOT_FOUND = "LABEL_HEADER_NOT_FOUND"
    LABEL_HEADER_MAPPED = "LABEL_HEADER_MAPPED"


def resolve_header(header: str, headers: list[str]) -> str | None:
    """The file header a mapping names: the same text, else the same trimmed and casefolded.

    Upload refuses a repeated header only when the suggested mapping maps it (French
    Outlook writes "Titre" twice); `check_mapping` refuses a mapping that names one.
    """
    if header in headers:
        return header
    wanted = header.strip().casefold()
    if not wanted:
        return None
    return next((h for h in headers if h.strip().casefold() == wanted), None)


def check_mapping(mapping: Mapping, headers: list[str]) -> list[FieldViolation]:
    """Every problem of a mapping for a file with these headers; empty when it is fine."""
    if len(mapping.columns) > MAX_COLUMNS:
        return [
            FieldViolation(
                "mapping.columns",
                t(
                    "The mapping has {count} columns; map at most {limit} (leave columns you "
                    "do not import out of the mapping).",
                    count=len(mapping.columns),
                    limit=MAX_COLUMNS,
                ),
                MappingProblem.TOO_MANY_COLUMNS,
            )
        ]
    return list(_violations(mapping, headers))


def _ambiguous(header: str, headers: list[str], path: str) -> FieldViolation | None:
    """A violation when the file has more than one column under this header."""
    key = header.strip().casefold()
    columns = [i + 1 for i, h in enumerate(headers) if h.strip().casefold() == key]
    if len(columns) < 2:
        return None
    return FieldViolation(
        path,
        # Translators: {header} and {renamed} come quoted ('Tel', 'Tel 2'); {numbers} lists
        # the column numbers but the last ("2, 3"), {last} is the last one.
        t(
            "The file has {count} columns named {header} (columns {numbers} and {last}), so "
            "it is ambiguous which one to import; rename one of them in the file (for example "
            "{renamed}) and upload it again.",
            count=len(columns),
            header=repr(header),
            numbers=", ".join(str(n) for n in columns[:-1]),
            last=str(columns[-1]),
            renamed=repr(header + " 2"),
        ),
        MappingProblem.HEADER_AMBIGUOUS,
    )


def _violations(mapping: Mapping, headers: list[str]) -> Iterator[FieldViolation]:
    resolved = [resolve_header(c.header, headers) for c in mapping.columns]
    mapped = {h for h in resolved if h is not None}
    first_use: dict[str, int] = {}
    field_use: dict[ContactField, int] = {}
    part_use: dict[tuple[str, AddressPart], int] = {}
    for i, (column, header) in enumerate(zip(mapping.columns, resolved, strict=True)):
        path = f"mapping.columns[{i}]"
        if header is None:
            yield FieldViolation(
                f"{path}.header",
                t(
                    "The file has no column {header}; use a header exactly as the file's "
                    "first row has it.",
                    header=repr(column.header),
                ),
                MappingProblem.HEADER_NOT_FOUND,
            )
        elif ambiguous := _ambiguous(header, headers, f"{path}.header"):
            yield ambiguous
        elif header in first_use:
            yield FieldViolation(
                f"{path}.header",
                # Translators: {header} is a header of the file, quoted; mapping.columns[{index}]
                # is the request's field name: keep it as written.
                t(
                    "Column {header} is already mapped by mapping.columns[{index}]; map each "
                    "column to one field only.",
                    header=repr(header),
                    index=str(first_use[header]),
                ),
                MappingProblem.HEADER_MAPPED_TWICE,
            )
        else:
            first_use[header] = i

        if column.field not in FIELD_SPECS:
            yield FieldViolation(
                f"{path}.field",
                t(
                    "Choose the contact field that column {header} fills, or leave the column "
                    "out of the mapping.",
                    header=repr(column.header),
                ),
                MappingProblem.FIELD_MISSING,
            )
            continue
        spec = FIELD_SPECS[column.field]
        if not spec.multi_column:
            if column.field in field_use:
                yield FieldViolation(
                    f"{path}.field",
                    # Translators: {field} is a contact field's display name ("First name");
                    # mapping.columns[{index}] is the request's field name: keep it as written.
                    t(
                        "{field} takes one column and mapping.columns[{index}] already fills "
                        "it; map only one column to it.",
                        field=spec.display_name,
                        index=str(field_use[column.field]),
                    ),
                    MappingProblem.FIELD_TAKES_ONE_COLUMN,
                )
            else:
                field_use[column.field] = i

        yield from _address_violations(
            column.field, column.address_part, column.address_group, path, part_use, i
        )
        if column.label_header:
            yield from _label_violations(column.field, column.label_header, path, headers, mapped)

    fields = {c.field for c in mapping.columns}
    if not fields & NAME_FIELDS:
        yield FieldViolation(
            "mapping.columns",
            t("Map a column to first_name, last_name or full_name: every contact needs a name."),
            MappingProblem.NAME_FIELD_MISSING,
        )
    if not fields & NUMBER_FIELDS:
        yield FieldViolation(
            "mapping.columns",
            t("Map a column to phone or mobile: every contact needs a phone number."),
            MappingProblem.PHONE_FIELD_MISSING,
        )


def _address_violations(
    field: ContactField,
    part: AddressPart,
    group: str,
    path: str,
    part_use: dict[tuple[str, AddressPart], int],
    index: int,
) -> Iterator[FieldViolation]:
    if field is not ContactField.ADDRESS:
        if part is not AddressPart.WHOLE:
            yield FieldViolation(
                f"{path}.address_part",
                t("Only an address column has an address part; clear address_part."),
                MappingProblem.ADDRESS_PART_NOT_ALLOWED,
            )
        if group:
            yield FieldViolation(
                f"{path}.address_group",
                t("Only an address column belongs to an address group; clear address_group."),
                MappingProblem.ADDRESS_PART_NOT_ALLOWED,
            )
        return
    if part not in _PARTS:
        yield FieldViolation(
            f"{path}.address_part",
            t(
                "Choose an address part: whole, formatted, street, extended, po_box, "
                "postal_code, city, region or country."
            ),
            MappingProblem.ADDRESS_PART_INVALID,
        )
        return
    if len(group) > MAX_ADDRESS_GROUP_LENGTH:
        yield FieldViolation(
            f"{path}.address_group",
            t(
                "An address group name has at most {limit} characters; shorten it.",
                limit=MAX_ADDRESS_GROUP_LENGTH,
            ),
            MappingProblem.ADDRESS_GROUP_TOO_LONG,
        )
    if part is AddressPart.STREET or (not group and part in _REPEATABLE_UNGROUPED):
        return
    key = (group, part)
    if key in part_use:
        if group:
            # Translators: {part} is an address part's code (street, city, postal_code, ...),
            # {group} the caller's group name, quoted; mapping.columns[{index}] and
            # address_group are the request's field names: keep them as written.
            message = t(
                "mapping.columns[{index}] is already the {part} of address group {group}; "
                "give this column another part or another address_group.",
                index=str(part_use[key]),
                part=part.value,
                group=repr(group),
            )
        else:
            # Translators: {part} is an address part's code (street, city, postal_code, ...);
            # mapping.columns[{index}] and address_group are the request's field names: keep
            # them as written.
            message = t(
                "mapping.columns[{index}] is already the {part} of the addresses without a "
                "group; give this column another part or another address_group.",
                index=str(part_use[key]),
                part=part.value,
            )
        yield FieldViolation(f"{path}.address_part", message, MappingProblem.ADDRESS_PART_TWICE)
    else:
        part_use[key] = index


def _label_violations(
    field: ContactField, label: str, path: str, headers: list[str], mapped: set[str]
) -> Iterator[FieldViolation]:
    if field not in LABELLED_FIELDS:
        yield FieldViolation(
            f"{path}.label_header",
            t("Only a phone, mobile or e-mail column has a label column; clear label_header."),
            MappingProblem.LABEL_NOT_ALLOWED,
        )
        return
    resolved = resolve_header(label, headers)
    if resolved is None:
        yield FieldViolation(
            f"{path}.label_header",
            t(
                "The file has no column {header} to read labels from; use a header exactly "
                "as the file's first row has it, or clear label_header.",
                header=repr(label),
            ),
            MappingProblem.LABEL_HEADER_NOT_FOUND,
        )
    elif ambiguous := _ambiguous(resolved, headers, f"{path}.label_header"):
        yield ambiguous
    elif resolved in mapped:
        yield FieldViolation(
            f"{path}.label_header",
            t(
                "Column {header} is mapped to a field, so it cannot also be a label column; "
                "leave it out of the mapping or choose another label_header.",
                header=repr(resolved),
            ),
            MappingProblem.LABEL_HEADER_MAPPED,
        )
