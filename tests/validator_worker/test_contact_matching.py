"""Who is the same contact: every rule of the matching, as a table of cases (no database)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from services.validator_worker.contact_matching import plan_import
from shared.contacts import ContactRecord, DuplicatePolicy, StoredContact
from shared.errors import Reason

SKIP, UPDATE, CREATE = DuplicatePolicy.SKIP, DuplicatePolicy.UPDATE, DuplicatePolicy.CREATE


def row(n: int = 2, first: str = "", last: str = "", **values: object) -> ContactRecord:
    fields: dict[str, object] = {
        "emails": [],
        "phones": [],
        "mobiles": [],
        "addresses": [],
        "company": "",
        "notes": "",
    }
    fields.update(values)
    return ContactRecord(source_row=n, first_name=first, last_name=last, **fields)  # type: ignore[arg-type]


def existing(contact_id: int, first: str = "", last: str = "", **values: object) -> StoredContact:
    r = row(2, first, last, **values)
    return StoredContact(
        **{f: getattr(r, f) for f in ContactRecord.__dataclass_fields__},
        id=contact_id,
        import_id=uuid.uuid4(),
        created_at=datetime.now(UTC),
    )


MATCH_CASES = [
    pytest.param(
        row(first="Jan", emails=["Jan.Jansen@Example.nl"]),
        existing(1, "Jan", emails=["jan.jansen@example.nl"]),
        True,
        id="same-email-other-case",
    ),
    pytest.param(
        row(first="Jan", mobiles=["+31612345678"]),
        existing(1, "Jan", "Jansen", mobiles=["+31612345678"]),
        True,
        id="same-mobile",
    ),
    pytest.param(
        row(first="", last="Jansen", emails=["j@example.nl"]),
        existing(1, "Jan", "Jansen", emails=["j@example.nl"]),
        True,
        id="same-email-one-side-without-first-name",
    ),
    pytest.param(
        row(first="Piet", emails=["info@bakker.nl"]),
        existing(1, "Jan", emails=["info@bakker.nl"]),
        False,
        id="shared-email-contradicting-first-names",
    ),
    pytest.param(
        row(first="Piet", mobiles=["+31612345678"]),
        existing(1, "Jan", mobiles=["+31612345678"]),
        False,
        id="shared-mobile-contradicting-first-names",
    ),
    pytest.param(
        row(first="José", last="García", mobiles=["+34612345678"]),
        existing(1, "JOSE", "Garcia", mobiles=["+34612345678"]),
        True,
        id="first-names-equal-after-folding",
    ),
    pytest.param(
        row(first="Anna", last="Bakker", phones=["+31201234567"]),
        existing(1, "Piet", "Bakker", phones=["+31201234567"]),
        False,
        id="shared-office-phone-different-names",
    ),
    pytest.param(
        row(first="Anna", last="Bakker", phones=["+31201234567"]),
        existing(1, "anna", "BAKKER", phones=["+31201234567"]),
        True,
        id="shared-phone-same-folded-name",
    ),
    pytest.param(
        row(first="Anna Bakker", phones=["+31201234567"]),
        existing(1, "Anna", "Bakker", phones=["+31201234567"]),
        True,
        id="shared-phone-combined-name-equals-first-and-last",
    ),
    pytest.param(
        row(first="Anna", phones=["+31201234567"], mobiles=["+31611111111"]),
        existing(1, "Anna", "Bakker", phones=["+31209999999"], mobiles=["+31622222222"]),
        False,
        id="nothing-shared",
    ),
]


@pytest.mark.parametrize(("incoming", "contact", "same"), MATCH_CASES)
def test_who_is_the_same_contact(incoming, contact, same):
    # Given a tenant with one contact, when a row is planned under SKIP
    plan = plan_import([incoming], [contact], SKIP)

    # Then it is left alone when it is the same person, created otherwise
    assert (plan.unchanged, plan.created) == ((1, 0) if same else (0, 1))
    assert plan.imported == 1


def test_a_row_matching_several_contacts_is_refused_naming_them():
    # Given two contacts, one sharing the row's e-mail and one its mobile
    contacts = [
        existing(1, "Jan", "Jansen", emails=["jan@example.nl"]),
        existing(2, "Jan", "de Vries", mobiles=["+31612345678"]),
    ]
    incoming = row(7, "Jan", emails=["jan@example.nl"], mobiles=["+31612345678"])

    # When it is planned
    plan = plan_import([incoming], contacts, UPDATE)

    # Then it is not guessed: refused AMBIGUOUS_MATCH with both contacts named
    assert plan.imported == 0
    (refusal,) = plan.refused
    assert (refusal.source_row, refusal.reason) == (7, Reason.AMBIGUOUS_MATCH)
    assert str(refusal.message) == (
        "This row matches 2 existing contacts, so it was not imported: Jan Jansen"
        " (jan@example.nl); Jan de Vries (+31612345678). Merge those contacts, or change the"
        " row so it matches one."
    )


def test_update_adds_new_values_fills_empty_fields_and_never_blanks():
    # Given a contact with one e-mail and no company
    contact = existing(1, "Jan", "Jansen", emails=["jan@example.nl"], notes="VIP")
    incoming = row(
        2,
        "Jan",
        "",
        emails=["JAN@example.nl", "jan@work.nl"],
        mobiles=["+31612345678"],
        company="Bakkerij",
        notes="",
    )

    # When the row is planned under UPDATE
    plan = plan_import([incoming], [contact], UPDATE)

    # Then the new e-mail and mobile are added, the company filled, nothing else changed
    (update,) = plan.updates
    assert update.values.emails == ["jan@example.nl", "jan@work.nl"]
    assert update.values.mobiles == ["+31612345678"]
    assert (update.values.last_name, update.values.company, update.values.notes) == (
        "Jansen",
        "Bakkerij",
        "VIP",
    )
    assert update.added == {"emails": ["jan@work.nl"], "mobiles": ["+31612345678"]}
    assert update.filled == {"company": "Bakkerij"}
    assert (plan.updated, plan.unchanged, plan.created) == (1, 0, 0)


def test_update_with_nothing_new_counts_unchanged():
    contact = existing(1, "Jan", emails=["jan@example.nl"])
    plan = plan_import([row(2, "Jan", emails=["jan@example.nl"])], [contact], UPDATE)
    assert (plan.updated, plan.unchanged, plan.updates) == (0, 1, [])


def test_a_sixth_value_under_update_is_reported_never_dropped():
    # Given a contact with five phones
    phones = [f"+3120123456{i}" for i in range(5)]
    contact = existing(1, "Jan", "Jansen", phones=phones, mobiles=["+31612345678"])

    # When a row for the same person adds a sixth
    plan = plan_import(
        [row(4, "Jan", mobiles=["+31612345678"], phones=["+31207654321"])], [contact], UPDATE
    )

    # Then the row is refused with the reason, and the contact is left as it was
    (refusal,) = plan.refused
    assert (refusal.source_row, refusal.reason) == (4, Reason.TOO_MANY_VALUES)
    assert "has 5 phone numbers; the row adds 1 more" in str(refusal.message)
    assert plan.updates == []
    assert plan.imported == 0


@pytest.mark.parametrize(
    ("kind", "values", "words"),
    [
        pytest.param("emails", [f"e{i}@x.nl" for i in range(6)], "1 e-mail address;", id="email"),
        pytest.param(
            "phones", [f"+3120123456{i}" for i in range(6)], "1 phone number;", id="phone"
        ),
        pytest.param("mobiles", [f"+316123456{i}" for i in range(6)], "1 mobile number;", id="mob"),
        pytest.param("addresses", [f"Dam {i}" for i in range(6)], "1 address;", id="address"),
    ],
)
def test_too_many_values_counts_one_value_in_the_singular(kind, values, words):
    # Given an earlier row with one value of a kind, then a row of the same person with five
    key = {"mobiles": ["+31699999999"]} if kind == "emails" else {"emails": ["k@example.nl"]}
    rows = [
        row(2, "Jan", "", **{kind: values[:1]}, **key),
        row(3, "Jan", "", **{kind: values[1:]}, **key),
    ]

    # When they are planned
    plan = plan_import(rows, [], UPDATE)

    # Then the second is refused, the first row's one value counted as one
    (refusal,) = plan.refused
    assert str(refusal.message) == (
        f"This row is the same person as an earlier row (Jan), which has {words} the row adds"
        " 5 more and a contact holds at most 5. Remove some from the row, then import it again."
    )


def test_a_contact_without_name_or_company_is_listed_as_no_name():
    contacts = [
        existing(1, emails=["jan@example.nl"]),
        existing(2, company="Bakkerij", mobiles=["+31612345678"]),
    ]
    incoming = row(7, "Jan", emails=["jan@example.nl"], mobiles=["+31612345678"])

    (refusal,) = plan_import([incoming], contacts, UPDATE).refused

    assert "imported: no name (jan@example.nl); Bakkerij (+31612345678)." in str(refusal.message)


@pytest.mark.parametrize(
    ("policy", "created", "merged"),
    [
        pytest.param(SKIP, 1, 2, id="skip-merges"),
        pytest.param(UPDATE, 1, 2, id="update-merges"),
        pytest.param(CREATE, 3, 0, id="create-keeps-apart"),
    ],
)
def test_rows_of_one_file_for_one_person(policy, created, merged):
    # Given three rows: e-mail a; e-mail a + mobile m; mobile m (a chain of one person)
    rows = [
        row(2, "Jan", emails=["a@example.nl"]),
        row(3, "Jan", "Jansen", emails=["a@example.nl"], mobiles=["+31612345678"]),
        row(4, "", "", mobiles=["+31612345678"], addresses=["Dorpsstraat 1"]),
    ]

    # When they are planned against an empty tenant
    plan = plan_import(rows, [], policy)

    # Then SKIP and UPDATE merge them into one contact with every value, CREATE keeps three
    assert (plan.created, plan.merged_in_file, plan.imported) == (created, merged, 3)
    if policy is not CREATE:
        (contact,) = plan.creates
        assert contact.source_row == 2
        assert (contact.first_name, contact.last_name) == ("Jan", "Jansen")
        assert contact.emails == ["a@example.nl"]
        assert contact.mobiles == ["+31612345678"]
        assert contact.addresses == ["Dorpsstraat 1"]


def test_two_rows_matching_one_existing_contact_count_once_plus_merged():
    contact = existing(1, "Jan", emails=["a@example.nl"])
    rows = [row(2, "Jan", emails=["a@example.nl"]), row(3, "Jan", emails=["a@example.nl"])]
    plan = plan_import(rows, [contact], SKIP)
    assert (plan.unchanged, plan.merged_in_file, plan.created) == (1, 1, 0)


def test_skip_leaves_a_matched_contact_as_it_is():
    contact = existing(1, "Jan", emails=["a@example.nl"])
    plan = plan_import([row(2, "Jan", emails=["a@example.nl"], company="Acme")], [contact], SKIP)
    assert plan.updates == []
    assert plan.unchanged == 1
