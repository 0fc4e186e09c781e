"""The contact record: what the worker checks a row into and what ListContacts reads back.

Its fields are the contact columns of the `contacts` table, in table order; the store
derives its COPY column list, its staging table and its reads from them, so a new contact
column is added here (and in a migration) and nowhere else.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields
from datetime import datetime
from enum import StrEnum
from operator import attrgetter


@dataclass(frozen=True, slots=True)
class ContactRecord:
    """One valid contact, cleaned: the values a row gives each contact field."""

    source_row: int
    first_name: str
    last_name: str
    company: str
    emails: list[str]
    phones: list[str]
    mobiles: list[str]
    addresses: list[str]
    notes: str

    def __reduce__(self) -> tuple[type[ContactRecord], tuple[object, ...]]:
        # Pickled by value, not field by field: check processes send back thousands each
        # batch, and the dataclass's own slot-by-slot state costs twice the time.
        return ContactRecord, _record_values(self)


@dataclass(frozen=True, slots=True)
class StoredContact(ContactRecord):
    """A contact as stored: the record plus its id, its import and when it was stored."""

    id: int
    import_id: uuid.UUID  # the import that created it
    created_at: datetime
    updated_by: tuple[uuid.UUID, ...] = ()  # the imports that changed it since, oldest first

    def __reduce__(self) -> tuple[type[ContactRecord], tuple[object, ...]]:
        return StoredContact, tuple(getattr(self, f.name) for f in fields(self))


# The contact columns, in the order of ContactRecord (and of every COPY record).
CONTACT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ContactRecord))
_record_values = attrgetter(*CONTACT_FIELDS)


class DuplicatePolicy(StrEnum):
    """What an import does with a row that is already a contact (the proto's enum)."""

    SKIP = "SKIP"  # leave the contact as it is (the default)
    UPDATE = "UPDATE"  # add the row's new values, fill the contact's empty fields
    CREATE = "CREATE"  # every row a new contact


# The multi-value kinds and the single-value fields an update may change.
MULTI_VALUE_FIELDS = ("emails", "phones", "mobiles", "addresses")
FILLABLE_FIELDS = ("first_name", "last_name", "company", "notes")


@dataclass(frozen=True)
class ContactUpdate:
    """New values for an existing contact, and exactly what the import changed (for undo)."""

    contact_id: int
    values: ContactRecord  # the contact's values after the update
    added: dict[str, list[str]]  # multi-value field -> values added
    filled: dict[str, str]  # single-value field -> value filled into it (it was empty)


def email_key(email: str) -> str:
    """An e-mail as matching compares it: the whole address case-insensitively."""
    return email.lower()
