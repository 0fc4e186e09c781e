"""Checking rows: a mapping applied to Arrow batches gives valid contacts and rejected rows.

A row with any problem is rejected whole, with every problem it has; nothing is dropped
silently. Messages name the column and may quote the value (they go to the failure
workbook of the user who uploaded the file), so they must never be logged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pyarrow as pa

from services.validator_worker.rows import email_rules, phone_rules
from services.validator_worker.rows.address_rules import (
    WHOLE_PARTS,
    AddressSource,
    Column,
    addresses_of,
)
from services.validator_worker.rows.email_rules import MAX_EMAIL_LENGTH, check_email
from services.validator_worker.rows.phone_rules import NumberKind, parse_number
from services.validator_worker.rows.problems import (
    RejectedRow,
    RowProblem,
    columns_text,
    too_long,
    too_many,
)
from shared.contacts import ContactRecord
from shared.errors import ImportUnrunnable, Reason
from shared.i18n.text import t
from shared.mapping.fields import (
    FIELD_SPECS,
    MAX_VALUES_PER_KIND,
    AddressPart,
    ContactField,
    Mapping,
)
from shared.mapping.labels import LabelKind, classify_label
from shared.value_cleaning import (
    MULTI_VALUE_SEPARATOR,
    clean_line,
    clean_multiline,
    quote,
    split_values,
)

MAX_NAME_LENGTH = FIELD_SPECS[ContactField.FIRST_NAME].max_length
MAX_COMPANY_LENGTH = FIELD_SPECS[ContactField.COMPANY].max_length
MAX_ADDRESS_LENGTH = FIELD_SPECS[ContactField.ADDRESS].max_length
MAX_NOTES_LENGTH = FIELD_SPECS[ContactField.NOTES].max_length


@dataclass
class BatchOutcome:
    """What checking one batch gave."""

    contacts: list[ContactRecord] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    mobiles_stored_as_phone: int = 0


@dataclass(frozen=True)
class _ValueColumn:
    """An e-mail, phone or mobile column, maybe typed row by row by a label column."""

    index: int
    header: str
    field: ContactField
    label_index: int | None


class RowChecker:
    """Applies one mapping and every row rule to batches of one file."""

    def __init__(self, mapping: Mapping, headers: list[str], default_country: str) -> None:
        self._country = default_country.strip().upper()
        self._width = len(headers)
        index_of = {h: i for i, h in reversed(list(enumerate(headers)))}

        def column(header: str) -> Column:
            if header not in index_of:
                raise ImportUnrunnable(
                    # Translators: {header} is a column header of the file, in quotes.
                    t("the mapping names a column the file lacks ({header})", header=repr(header))
                )
            return Column(index_of[header], header)

        singles: dict[ContactField, Column] = {}
        values: list[_ValueColumn] = []
        groups: dict[str, list[tuple[AddressPart, Column]]] = {}
        for mapped in mapping.columns:
            col = column(mapped.header)
            if mapped.field in (ContactField.EMAIL, ContactField.PHONE, ContactField.MOBILE):
                label = column(mapped.label_header).index if mapped.label_header else None
                values.append(_ValueColumn(col.index, col.header, mapped.field, label))
            elif mapped.field is ContactField.ADDRESS:
                # A whole address without a group is an address of its own (keyed by its
                # header); parts without a group form the one unnamed group.
                whole = not mapped.address_group and mapped.address_part in WHOLE_PARTS
                key = f"column:{col.header}" if whole else f"group:{mapped.address_group}"
                groups.setdefault(key, []).append((mapped.address_part, col))
            else:
                singles.setdefault(mapped.field, col)
        addresses = [AddressSource.of(group) for group in groups.values()]

        self._first = singles.get(ContactField.FIRST_NAME)
        self._last = singles.get(ContactField.LAST_NAME)
        self._full = singles.get(ContactField.FULL_NAME)
        self._company = singles.get(ContactField.COMPANY)
        self._notes = singles.get(ContactField.NOTES)
        self._emails = [v for v in values if v.field is ContactField.EMAIL]
        self._numbers = [v for v in values if v.field is not ContactField.EMAIL]
        self._addresses = addresses
        self._name_headers = [c.header for c in (self._first, self._last, self._full) if c]
        self._number_headers = [v.header for v in self._numbers]
        used = {c.index for c in singles.values()}
        used |= {v.index for v in values} | {
            v.label_index for v in values if v.label_index is not None
        }
        used |= {i for a in addresses for i in a.formatted}
        used |= {i for a in addresses for line in a.lines for i in line}
        self._used = sorted(used)

    def check(self, batch: pa.RecordBatch | pa.Table, row_numbers: Sequence[int]) -> BatchOutcome:
        """Check every row of a batch; row_numbers gives each row its spreadsheet row number."""
        if isinstance(row_numbers, pa.Array | pa.ChunkedArray):
            row_numbers = row_numbers.to_pylist()
        if batch.num_columns != self._width:
            raise ValueError(f"batch has {batch.num_columns} columns, the file {self._width}")
        cells: dict[int, list[str | None]] = {i: batch.column(i).to_pylist() for i in self._used}
        outcome = BatchOutcome()
        all_cells: list[list[str | None]] | None = None
        for row in range(batch.num_rows):
            problems: list[RowProblem] = []
            contact, moved = self._check_row(cells, row, row_numbers[row], problems)
            if contact is not None:
                outcome.contacts.append(contact)
                outcome.mobiles_stored_as_phone += moved
                continue
            if all_cells is None:  # rejected rows are few: read every column only then
                all_cells = [col.to_pylist() for col in batch.columns]
            original = [c[row] or "" for c in all_cells]
            outcome.rejected.append(RejectedRow(row_numbers[row], original, problems))
        return outcome

    def _check_row(
        self,
        cells: dict[int, list[str | None]],
        row: int,
        source_row: int,
        problems: list[RowProblem],
    ) -> tuple[ContactRecord | None, int]:
        first = self._line(cells, self._first, row, MAX_NAME_LENGTH, problems)
        last = self._line(cells, self._last, row, MAX_NAME_LENGTH, problems)
        if not first and not last:
            first = self._line(cells, self._full, row, MAX_NAME_LENGTH, problems)
            if not first:
                problems.append(
                    RowProblem(
                        Reason.NAME_MISSING,
                        # Translators: {columns} is e.g. 'Columns "First name", "Name"'.
                        t(
                            "No name: {columns} empty; a contact needs a first or last name.",
                            columns=columns_text(self._name_headers),
                        ),
                    )
                )
        company = self._line(cells, self._company, row, MAX_COMPANY_LENGTH, problems)
        phones, mobiles = self._check_numbers(cells, row, problems)
        emails = self._check_emails(cells, row, problems)
        addresses = self._check_addresses(cells, row, problems)
        notes = ""
        if self._notes is not None:
            notes = clean_multiline(cells[self._notes.index][row])
            if len(notes) > MAX_NOTES_LENGTH:
                where = columns_text([self._notes.header])
                problems.append(too_long(where, len(notes), MAX_NOTES_LENGTH))
        if problems:
            return None, 0
        stored_phones, stored_mobiles, moved = _move_fixed_line_mobiles(phones, mobiles)
        contact = ContactRecord(
            source_row=source_row,
            first_name=first,
            last_name=last,
            company=company,
            emails=emails,
            phones=stored_phones,
            mobiles=stored_mobiles,
            addresses=addresses,
            notes=notes,
        )
        return contact, moved

    @staticmethod
    def _line(
        cells: dict[int, list[str | None]],
        column: Column | None,
        row: int,
        limit: int,
        problems: list[RowProblem],
    ) -> str:
        if column is None:
            return ""
        value = clean_line(cells[column.index][row])
        if len(value) > limit:
            problems.append(too_long(columns_text([column.header]), len(value), limit))
        return value

    def _check_numbers(
        self, cells: dict[int, list[str | None]], row: int, problems: list[RowProblem]
    ) -> tuple[list[str], list[tuple[str, NumberKind]]]:
        """Phones (E.164) and mobiles (E.164 with what phonenumbers knows them to be)."""
        phones: list[str] = []
        mobiles: list[tuple[str, NumberKind]] = []
        # Distinct values per kind, valid or not (an invalid one by its text), with the
        # column each came from: they count toward the limit of five.
        phone_keys: list[str] = []
        mobile_keys: list[str] = []
        phone_headers: list[str] = []
        mobile_headers: list[str] = []
        not_phones = 0
        for column in self._numbers:
            cell = cells[column.index][row]
            if not cell:
                continue
            numbers = split_values(cell)
            if not numbers:
                continue
            kinds = (
                [column.field] * len(numbers)
                if column.label_index is None
                else self._kinds(column, cells, row, len(numbers))
            )
            for text, kind in zip(numbers, kinds, strict=True):
                if kind is None:
                    not_phones += 1
                    continue
                parsed = parse_number(text, self._country)
                key = parsed.e164 or text
                is_phone = kind is ContactField.PHONE
                keys = phone_keys if is_phone else mobile_keys
                if key in keys:
                    continue
                keys.append(key)
                (phone_headers if is_phone else mobile_headers).append(column.header)
                if parsed.problem:
                    where = columns_text([column.header])
                    message = phone_rules.problem_text(
                        parsed.problem, where, quote(text), self._country
                    )
                    problems.append(RowProblem(Reason.PHONE_INVALID, message))
                elif is_phone:
                    phones.append(parsed.e164)
                else:
                    mobiles.append((parsed.e164, parsed.kind))
        if not phone_keys and not mobile_keys:
            where = columns_text(self._number_headers)
            if not_phones:
                # Translators: {columns} is e.g. 'Columns "Tel", "Mobiel"'.
                message = t(
                    "No phone number: {columns} empty (fax, pager and telex numbers do not"
                    " count); a contact needs a phone or mobile number.",
                    columns=where,
                )
            else:
                # Translators: {columns} is e.g. 'Columns "Tel", "Mobiel"'.
                message = t(
                    "No phone number: {columns} empty; a contact needs a phone or mobile number.",
                    columns=where,
                )
            problems.append(RowProblem(Reason.PHONE_MISSING, message))
        if len(phone_keys) > MAX_VALUES_PER_KIND:
            problems.append(too_many(phone_headers, len(phone_keys), ContactField.PHONE))
        if len(mobile_keys) > MAX_VALUES_PER_KIND:
            problems.append(too_many(mobile_headers, len(mobile_keys), ContactField.MOBILE))
        return phones, mobiles

    def _kinds(
        self, column: _ValueColumn, cells: dict[int, list[str | None]], row: int, count: int
    ) -> list[ContactField | None]:
        """The kind of each value of a number cell: its column's field, or what its label says.

        None means "not a phone" (fax, pager, telex). A label cell holding as many
        " ::: "-separated labels as the cell has values types them one by one.
        """
        own = column.field
        if column.label_index is None:
            return [own] * count
        label = cells[column.label_index][row] or ""
        labels = label.split(MULTI_VALUE_SEPARATOR) if MULTI_VALUE_SEPARATOR in label else [label]
        if len(labels) != count:
            labels = [label]
        kinds: list[ContactField | None] = []
        for text in labels:
            said = classify_label(text)
            if said is LabelKind.MOBILE:
                kinds.append(ContactField.MOBILE)
            elif said is LabelKind.NOT_A_PHONE:
                kinds.append(None)
            else:
                kinds.append(own)
        return kinds if len(kinds) == count else kinds * count

    def _check_emails(
        self, cells: dict[int, list[str | None]], row: int, problems: list[RowProblem]
    ) -> list[str]:
        stored: list[str] = []
        keys: list[str] = []  # distinct values, compared case-insensitively
        headers: list[str] = []
        for column in self._emails:
            cell = cells[column.index][row]
            if not cell:
                continue
            for text in split_values(cell):
                checked = None if len(text) > MAX_EMAIL_LENGTH else check_email(text)
                normalized = checked.normalized if checked else ""
                key = (normalized or text).lower()
                if key in keys:
                    continue
                keys.append(key)
                headers.append(column.header)
                if checked is None:
                    where = columns_text([column.header])
                    problems.append(too_long(where, len(text), MAX_EMAIL_LENGTH))
                elif checked.problem is not None:
                    where = columns_text([column.header])
                    message = email_rules.problem_text(where, quote(text), checked.problem)
                    problems.append(RowProblem(Reason.EMAIL_INVALID, message))
                else:
                    stored.append(normalized)
        if len(keys) > MAX_VALUES_PER_KIND:
            problems.append(too_many(headers, len(keys), ContactField.EMAIL))
        return stored

    def _check_addresses(
        self, cells: dict[int, list[str | None]], row: int, problems: list[RowProblem]
    ) -> list[str]:
        stored: list[str] = []
        headers: list[str] = []
        for source in self._addresses:
            for address in addresses_of(source, cells, row):
                if len(address) > MAX_ADDRESS_LENGTH:
                    where = columns_text(source.headers)
                    problems.append(too_long(where, len(address), MAX_ADDRESS_LENGTH))
                if address not in stored:
                    stored.append(address)
                    headers.extend(source.headers)
        if len(stored) > MAX_VALUES_PER_KIND:
            problems.append(too_many(headers, len(stored), ContactField.ADDRESS))
        return stored


def _move_fixed_line_mobiles(
    phones: list[str], mobiles: list[tuple[str, NumberKind]]
) -> tuple[list[str], list[str], int]:
    """Store mobiles that phonenumbers knows as fixed-line as phones.

    A number already among the phones is stored there once. When the phones are full
    (five), a fixed-line mobile stays a mobile rather than being lost.
    """
    stored_phones = list(phones)
    stored_mobiles: list[str] = []
    moved = 0
    for e164, kind in mobiles:
        if kind is NumberKind.FIXED_LINE:
            if e164 in stored_phones:
                moved += 1
                continue
            if len(stored_phones) < MAX_VALUES_PER_KIND:
                stored_phones.append(e164)
                moved += 1
                continue
        stored_mobiles.append(e164)
    return stored_phones, stored_mobiles, moved
