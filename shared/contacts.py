"""The contact record: what the worker checks a row into and what ListContacts reads back.

Its fields are the contact columns of the `contacts` table, in table order; the store
derives its COPY column list, its staging table and its reads from them, so a new contact
column is added here (and in a migration) and nowhere else.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields
from datetime import datetime


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


@dataclass(frozen=True, slots=True)
class StoredContact(ContactRecord):
    """A contact as stored: the record plus its id, its import and when it was stored."""

    id: int
    import_id: uuid.UUID
    created_at: datetime


# The contact columns, in the order of ContactRecord (and of every COPY record).
CONTACT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ContactRecord))
