"""Who is already a contact: matching checked rows to each other and to the tenant's contacts.

A row and a contact (or two rows of one file) are the same person when they share

- an e-mail address (compared case-insensitively, as stored), or
- a mobile number (E.164), or
- a phone number (E.164) *and* the same folded name (first + last, or the combined name);

but a shared e-mail or mobile is no match when both sides have a first name and the names
differ after folding (a family sharing an address or a phone). A row that matches several
existing contacts is not guessed: it is rejected `AMBIGUOUS_MATCH`, naming them.

`plan_import` decides, for every valid row in file order, what storing it does under the
import's policy, without touching the database: which contacts to create, which existing
contacts get which new values, and the counts. It is pure, so a dry run computes exactly
what a real run stores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from shared.contacts import (
    FILLABLE_FIELDS,
    MULTI_VALUE_FIELDS,
    ContactRecord,
    ContactUpdate,
    DuplicatePolicy,
    StoredContact,
    email_key,
)
from shared.errors import Reason
from shared.i18n.text import Param, Text, t, tn
from shared.mapping.fields import MAX_VALUES_PER_KIND
from shared.mapping.folding import fold_text


@lru_cache(maxsize=65_536)
def name_key(first_name: str, last_name: str) -> str:
    """The folded name the phone rule compares ("Jan de Vries" = "JAN DE VRIES")."""
    return " ".join(part for part in (fold_text(first_name), fold_text(last_name)) if part)


@lru_cache(maxsize=65_536)
def _first_key(first_name: str) -> str:
    return fold_text(first_name)


def _value_key(kind: str, value: str) -> str:
    return email_key(value) if kind == "emails" else value


def match_keys(record: ContactRecord) -> list[tuple[str, str]]:
    """The keys a record is found by: ("e", email), ("m", mobile), ("p", phone + name).

    In a fixed order, so a message naming a shared value reads the same on every run.
    """
    # Loops, not comprehensions: most lists hold one value, and this runs for every row.
    keys = []
    for email in record.emails:
        keys.append(("e", email_key(email)))
    for mobile in record.mobiles:
        keys.append(("m", mobile))
    if record.phones and (name := name_key(record.first_name, record.last_name)):
        for phone in record.phones:
            keys.append(("p", f"{phone}\n{name}"))
    return list(dict.fromkeys(keys)) if len(keys) > 1 else keys


@dataclass
class _Person:
    """A contact as this import leaves it: an existing one, or one the file creates."""

    values: ContactRecord
    contact_id: int | None  # None: created by this import
    first_row: int | None = None  # the first row of this file that is this person
    added: dict[str, list[str]] = field(default_factory=dict)
    filled: dict[str, str] = field(default_factory=dict)

    def contradicts(self, record: ContactRecord) -> bool:
        mine, theirs = _first_key(self.values.first_name), _first_key(record.first_name)
        return bool(mine and theirs and mine != theirs)

    def name(self) -> str | Text:
        name = " ".join(p for p in (self.values.first_name, self.values.last_name) if p)
        # Translators: shown in place of the name of a contact that has no name or company.
        return name or self.values.company or t("no name")

    def describe(self, shared: str) -> Text:
        # Translators: a contact in a list: its name, and the e-mail address or number that
        # the row shares with it, e.g. "Jan Jansen (jan@example.nl)".
        return t("{name} ({value})", name=self.name(), value=shared)


@dataclass(frozen=True)
class RowRefusal:
    """A valid row that storing refuses: which row, and why."""

    source_row: int
    reason: Reason
    message: Text


@dataclass
class ImportPlan:
    """What storing the checked rows does, and the counts it gives."""

    creates: list[ContactRecord] = field(default_factory=list)
    updates: list[ContactUpdate] = field(default_factory=list)
    refused: list[RowRefusal] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    merged_in_file: int = 0

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.unchanged + self.merged_in_file


def _merge(person: _Person, record: ContactRecord) -> tuple[str | None, dict[str, list[str]]]:
    """The values `record` adds to `person`, per kind; with the kind that passes the limit.

    Returns (None, additions) when every kind fits, else (kind, {kind: its new values}).
    Numbers compare across phones and mobiles, so one number is never stored twice.
    """
    numbers = set(person.values.phones) | set(person.values.mobiles)
    additions: dict[str, list[str]] = {}
    for kind in MULTI_VALUE_FIELDS:
        have = {_value_key(kind, v) for v in getattr(person.values, kind)}
        if kind in ("phones", "mobiles"):
            have |= numbers
        new = []
        for value in getattr(record, kind):
            key = _value_key(kind, value)
            if key not in have:
                have.add(key)
                new.append(value)
        if not new:
            continue
        if len(getattr(person.values, kind)) + len(new) > MAX_VALUES_PER_KIND:
            return kind, {kind: new}
        additions[kind] = new
    return None, additions


def _too_many(record: ContactRecord, person: _Person, kind: str, new: list[str]) -> RowRefusal:
    have = len(getattr(person.values, kind))
    existing = person.contact_id is not None
    params: dict[str, Param] = {
        "name": person.name(),
        "added": len(new),
        "limit": MAX_VALUES_PER_KIND,
    }
    # One sentence per kind of value, for a match with an existing contact or an earlier row.
    if kind == "emails" and existing:
        # Translators: {name} is a contact's name; {count} how many it has; {added} new ones.
        message = tn(
            "This row is the same person as an existing contact ({name}), which has {count}"
            " e-mail address; the row adds {added} more and a contact holds at most {limit}."
            " Remove some from the row, then import it again.",
            "This row is the same person as an existing contact ({name}), which has {count}"
            " e-mail addresses; the row adds {added} more and a contact holds at most {limit}."
            " Remove some from the row, then import it again.",
            have,
            **params,
        )
    elif kind == "emails":
        # Translators: {name} is a contact's name; {count} how many it has; {added} new ones.
        message = tn(
            "This row is the same person as an earlier row ({name}), which has {count}"
            " e-mail address; the row adds {added} more and a contact holds at most {limit}."
            " Remove some from the row, then import it again.",
            "This row is the same person as an earlier row ({name}), which has {count}"
            " e-mail addresses; the row adds {added} more and a contact holds at most {limit}."
            " Remove some from the row, then import it again.",
            have,
            **params,
        )
    elif kind == "phones" and existing:
        # Translators: {name} is a contact's name; {count} how many it has; {added} new ones.
        message = tn(
            "This row is the same person as an existing contact ({name}), which has {count}"
            " phone number; the row adds {added} more and a contact holds at most {limit}."
            " Remove some from the row, then import it again.",
            "This row is the same person as an existing contact ({name}), which has {count}"
            " phone numbers; the row adds {added} more and a contact holds at most {limit}."
            " Remove some from the row, then import it again.",
            have,
            **params,
        )
    elif kind == "phones":
        # Translators: {name} is a contact's name; {count} how many it has; {added} new ones.
        message = tn(
            "This row is the same person as an earlier row ({name}), which has {count}"
            " phone number; the row adds {added} more and a contact holds at most {limit}."
            " Remove some from the row, then import it again.",
            "This row is the same person as an earlier row ({name}), which has {count}"
            " phone numbers; the row adds {added} more and a contact holds at most {limit}."
            " Remove some from the row, then import it again.",
            have,
            **params,
        )
    elif kind == "mobiles" and existing:
        # Translators: {name} is a contact's name; {count} how many it has; {added} new ones.
        message = tn(
            "This row is the same person as an existing contact ({name}), which has {count}"
            " mobile number; the row adds {added} more and a contact holds at most {limit}."
            " Remove some from the row, then import it again.",
            "This row is the same person as an existing contact ({name}), which has {count}"
            " mobile numbers; the row adds {added} more and a contact holds at most {limit}."
            " Remove some from the row, then import it again.",
            have,
            **params,
        )
    elif kind == "mobiles":
        # Translators: {name} is a contact's name; {count} how many it has; {added} new ones.
        message = tn(
            "This row is the same person as an earlier row ({name}), which has {count}"
            " mobile number; the row adds {added} more and a contact holds at most {limit}."
            " Remove some from the row, then import it again.",
            "This row is the same person as an earlier row ({name}), which has {count}"
            " mobile numbers; the row adds {added} more and a contact holds at most {limit}."
            " Remove some from the row, then import it again.",
            have,
            **params,
        )
    elif kind == "addresses" and existing:
        # Translators: {name} is a contact's name; {count} how many it has; {added} new ones.
        message = tn(
            "This row is the same person as an existing contact ({name}), which has {count}"
            " address; the row adds {added} more and a contact holds at most {limit}."
            " Remove some from the row, then import it again.",
            "This row is the same person as an existing contact ({name}), which has {count}"
            " addresses; the row adds {added} more and a contact holds at most {limit}."
            " Remove some from the row, then import it again.",
            have,
            **params,
        )
    elif kind == "addresses":
        # Translators: {name} is a contact's name; {count} how many it has; {added} new ones.
        message = tn(
            "This row is the same person as an earlier row ({name}), which has {count}"
            " address; the row adds {added} more and a contact holds at most {limit}."
            " Remove some from the row, then import it again.",
            "This row is the same person as an earlier row ({name}), which has {count}"
            " addresses; the row adds {added} more and a contact holds at most {limit}."
            " Remove some from the row, then import it again.",
            have,
            **params,
        )
    else:
        raise ValueError(f"unknown kind of value {kind!r}")
    return RowRefusal(record.source_row, Reason.TOO_MANY_VALUES, message)


def _contact_list(contacts: Sequence[Text]) -> Text:
    """Contacts, each as `_Person.describe` gives it, in one list ("a; b; c")."""
    listed = contacts[0]
    for contact in contacts[1:]:
        # Translators: a list of contacts ({contacts}) with one more contact after it.
        listed = t("{contacts}; {contact}", contacts=listed, contact=contact)
    return listed


def _apply(person: _Person, record: ContactRecord, additions: dict[str, list[str]]) -> None:
    """Add values and fill empty fields of `person` from `record` (recorded for undo)."""
    changes: dict[str, object] = {}
    for kind, new in additions.items():
        changes[kind] = [*getattr(person.values, kind), *new]
        person.added.setdefault(kind, []).extend(new)
    for name in FILLABLE_FIELDS:
        value = getattr(record, name)
        if value and not getattr(person.values, name):
            changes[name] = value
            person.filled[name] = value
    if changes:
        person.values = replace(person.values, **changes)  # type: ignore[arg-type]


def plan_import(
    rows: Sequence[ContactRecord], existing: Sequence[StoredContact], policy: DuplicatePolicy
) -> ImportPlan:
    """Decide what each valid row does to the tenant's contacts (rows in file order)."""
    plan = ImportPlan()
    if policy is DuplicatePolicy.CREATE:
        plan.creates = list(rows)
        plan.created = len(rows)
        return plan

    people: list[_Person] = []
    by_key: dict[tuple[str, str], list[int]] = {}

    def register(index: int, keys: list[tuple[str, str]]) -> None:
        for key in keys:
            found = by_key.setdefault(key, [])
            if index not in found:
                found.append(index)

    for contact in existing:
        people.append(_Person(_as_record(contact), contact.id))
        register(len(people) - 1, match_keys(contact))

    for record in rows:
        keys = match_keys(record)
        matched: dict[int, str] = {}
        for kind, key in keys:
            for index in by_key.get((kind, key), ()):
                person = people[index]
                if kind != "p" and person.contradicts(record):
                    continue
                matched.setdefault(index, key.partition("\n")[0])
        if not matched:  # most rows: a new person
            people.append(_Person(record, None, record.source_row))
            register(len(people) - 1, keys)
            continue
        known = sorted(i for i in matched if people[i].contact_id is not None)
        if len(known) > 1:
            names = _contact_list([people[i].describe(matched[i]) for i in known[:5]])
            plan.refused.append(
                RowRefusal(
                    record.source_row,
                    Reason.AMBIGUOUS_MATCH,
                    # Translators: {count} (2 or more) is how many contacts match; {contacts}
                    # lists (up to five of) them, each with the value the row shares with it.
                    t(
                        "This row matches {count} existing contacts, so it was not imported:"
                        " {contacts}. Merge those contacts, or change the row so it matches"
                        " one.",
                        count=len(known),
                        contacts=names,
                    ),
                )
            )
            continue
        target = known[0] if known else min(matched, default=None)
        if target is None:
            people.append(_Person(record, None, record.source_row))
            register(len(people) - 1, keys)
            continue
        person = people[target]
        changes_allowed = person.contact_id is None or policy is DuplicatePolicy.UPDATE
        if changes_allowed:
            over, additions = _merge(person, record)
            if over is not None:
                plan.refused.append(_too_many(record, person, over, additions[over]))
                continue
            _apply(person, record, additions)
        register(target, keys)
        if person.first_row is None:
            person.first_row = record.source_row
        else:
            plan.merged_in_file += 1

    for person in people:
        if person.contact_id is None:
            # Made by its first row, whose number its values keep through every merge.
            assert person.values.source_row == person.first_row
            plan.creates.append(person.values)
            plan.created += 1
        elif person.first_row is not None:  # an existing contact some row matched
            if person.added or person.filled:
                plan.updated += 1
                plan.updates.append(
                    ContactUpdate(person.contact_id, person.values, person.added, person.filled)
                )
            else:
                plan.unchanged += 1
    plan.creates.sort(key=lambda c: c.source_row)
    return plan


def _as_record(contact: StoredContact) -> ContactRecord:
    return ContactRecord(
        source_row=contact.source_row,
        first_name=contact.first_name,
        last_name=contact.last_name,
        company=contact.company,
        emails=list(contact.emails),
        phones=list(contact.phones),
        mobiles=list(contact.mobiles),
        addresses=list(contact.addresses),
        notes=contact.notes,
    )
