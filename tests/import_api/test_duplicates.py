"""Re-importing never doubles a contact: policies, counts, undo, limits and tenants, end to end."""

from __future__ import annotations

import uuid

import pytest

from shared.gen.contactimport.v1 import import_service_pb2 as pb
from tests.support import csv_bytes, failure_reasons, import_file, stored_contacts, upload

pytestmark = pytest.mark.usefixtures("worker")

HEADER = ["First name", "Last name", "Email", "Mobile", "Phone", "Company"]
FIRST = csv_bytes(
    [
        HEADER,
        ["Jan", "Jansen", "jan@example.nl", "06 12345678", "", ""],
        ["Piet", "Bakker", "piet@example.nl", "", "020 1234567", "Bakkerij"],
    ]
)
# The same people as exported again: another e-mail case, another spelling of the mobile,
# Jan with a new e-mail and a company, plus one new person.
AGAIN = csv_bytes(
    [
        HEADER,
        ["Jan", "Jansen", "JAN@example.nl; jan@werk.nl", "+31 6 1234 5678", "", "Jansen BV"],
        ["Piet", "Bakker", "piet@example.nl", "", "+31201234567", ""],
        ["Anna", "de Vries", "anna@example.nl", "0687654321", "", ""],
    ]
)
SKIP, UPDATE, CREATE = (
    pb.DUPLICATE_POLICY_SKIP,
    pb.DUPLICATE_POLICY_UPDATE,
    pb.DUPLICATE_POLICY_CREATE,
)


async def _match_keys(db, tenant: str) -> set[tuple[str, int]]:
    rows = await db.fetch("SELECT key, contact_id FROM contact_keys WHERE tenant_id = $1", tenant)
    return {(r["key"], r["contact_id"]) for r in rows}


async def _keys_of_contacts(db, tenant: str) -> set[tuple[str, int]]:
    rows = await db.fetch(
        "SELECT k, c.id FROM contacts c,"
        " unnest(contact_match_keys(c.email_keys, c.mobiles, c.phones)) AS k"
        " WHERE c.tenant_id = $1",
        tenant,
    )
    return {(r["k"], r["id"]) for r in rows}


def counts(found: pb.ContactImport) -> tuple[int, int, int, int, int]:
    c = found.counts
    return c.created, c.updated, c.unchanged, c.merged_in_file, c.failed


async def test_importing_the_same_file_again_changes_nothing(stub, auth, db, tenant):
    # Given a file imported once
    first = await import_file(stub, auth, FIRST)
    before = await stored_contacts(db, tenant)

    # When it is imported again with the default policy (SKIP)
    again = await import_file(stub, auth, FIRST)

    # Then every row is counted unchanged and the contacts are as they were
    assert counts(first) == (2, 0, 0, 0, 0)
    assert counts(again) == (0, 0, 2, 0, 0)
    assert again.counts.imported == 2
    assert again.duplicate_policy == SKIP
    assert await stored_contacts(db, tenant) == before


@pytest.mark.parametrize(
    ("policy", "expected", "contacts", "jan_emails", "jan_company"),
    [
        pytest.param(SKIP, (1, 0, 2, 0, 0), 3, ["jan@example.nl"], "", id="skip"),
        pytest.param(
            UPDATE,
            (1, 1, 1, 0, 0),
            3,
            ["jan@example.nl", "jan@werk.nl"],
            "Jansen BV",
            id="update",
        ),
        pytest.param(CREATE, (3, 0, 0, 0, 0), 5, ["jan@example.nl"], "", id="create"),
    ],
)
async def test_each_policy_on_a_second_export(
    stub, auth, db, tenant, policy, expected, contacts, jan_emails, jan_company
):
    # Given the tenant's first import
    await import_file(stub, auth, FIRST)

    # When a later export of the same people is imported under the policy
    again = await import_file(stub, auth, AGAIN, policy=policy)

    # Then the counts say what happened, the contacts show it, and their match keys agree
    assert await _match_keys(db, tenant) == await _keys_of_contacts(db, tenant)
    assert counts(again) == expected
    assert await db.fetchval("SELECT count(*) FROM contacts WHERE tenant_id = $1", tenant) == (
        contacts
    )
    jan = await db.fetchrow(
        "SELECT * FROM contacts WHERE tenant_id = $1 AND first_name = 'Jan' ORDER BY id LIMIT 1",
        tenant,
    )
    assert (jan["emails"], jan["company"]) == (jan_emails, jan_company)
    assert jan["mobiles"] == ["+31612345678"]


async def test_update_then_delete_restores_the_contact_exactly(stub, auth, db, tenant):
    # Given a contact, updated by a second import
    first = await import_file(stub, auth, FIRST)
    before = await stored_contacts(db, tenant)
    update = await import_file(stub, auth, AGAIN, policy=UPDATE)
    assert await stored_contacts(db, tenant) != before

    # When the second import is deleted
    deleted = await stub.DeleteImport(
        pb.DeleteImportRequest(import_id=update.import_id), metadata=auth
    )

    # Then the contact it created is gone and the one it changed is as before
    assert await stored_contacts(db, tenant) == before
    assert await _match_keys(db, tenant) == await _keys_of_contacts(db, tenant)
    deletion = deleted.contact_import.deletion
    assert (deletion.deleted_count, deletion.restored_count, deletion.kept_count) == (1, 1, 0)
    assert deletion.summary == "1 deleted, 1 restored by Anna Admin."
    assert first.import_id != update.import_id


async def test_a_value_changed_since_is_kept_and_counted(stub, auth, db, tenant):
    # Given an import that filled Jan's company, and an edit of that company since
    await import_file(stub, auth, FIRST)
    update = await import_file(stub, auth, AGAIN, policy=UPDATE)
    await db.execute(
        "UPDATE contacts SET company = 'Jansen Holding' WHERE tenant_id = $1"
        " AND first_name = 'Jan'",
        tenant,
    )

    # When the import is deleted
    deleted = await stub.DeleteImport(
        pb.DeleteImportRequest(import_id=update.import_id), metadata=auth
    )

    # Then the edited company stays; the added e-mail is removed
    jan = next(c for c in (await stored_contacts(db, tenant)).values() if c["first_name"] == "Jan")
    assert (jan["company"], jan["emails"]) == ("Jansen Holding", ["jan@example.nl"])
    assert deleted.contact_import.deletion.kept_count == 1


async def test_deleting_an_import_whose_contacts_a_later_import_updated(stub, auth, db, tenant):
    # Given contacts created by one import and updated by a later one
    first = await import_file(stub, auth, FIRST)
    later = await import_file(stub, auth, AGAIN, policy=UPDATE)

    # When the first import is deleted, then the later one
    one = await stub.DeleteImport(pb.DeleteImportRequest(import_id=first.import_id), metadata=auth)
    two = await stub.DeleteImport(pb.DeleteImportRequest(import_id=later.import_id), metadata=auth)

    # Then the first took its two contacts (with the later values), the later its own one
    assert one.contact_import.deletion.deleted_count == 2
    assert two.contact_import.deletion.deleted_count == 1
    assert two.contact_import.deletion.restored_count == 0
    assert await stored_contacts(db, tenant) == {}


async def test_a_sixth_value_under_update_goes_to_the_workbook(stub, auth, db, tenant):
    # Given a contact with five phone numbers
    five = "; ".join(f"020 123456{i}" for i in range(5))
    await import_file(
        stub,
        auth,
        csv_bytes([["Name", "Mobile", "Phone"], ["Jan", "0612345678", five]]),
    )

    # When a row for the same person brings a sixth under UPDATE
    again = await import_file(
        stub,
        auth,
        csv_bytes([["Name", "Mobile", "Phone"], ["Jan", "0612345678", "020 7654321"]]),
        policy=UPDATE,
    )

    # Then the row is rejected with the reason, and the contact keeps its five
    assert counts(again) == (0, 0, 0, 0, 1)
    reasons = await failure_reasons(stub, auth, again.import_id)
    assert "Too many values" in reasons[2]
    assert "at most 5" in reasons[2]
    (jan,) = (await stored_contacts(db, tenant)).values()
    assert len(jan["phones"]) == 5


async def test_a_row_matching_two_contacts_is_rejected_naming_them(stub, auth, db, tenant):
    # Given two contacts: one with the e-mail, one with the mobile
    await import_file(
        stub,
        auth,
        csv_bytes(
            [
                ["First name", "Last name", "Email", "Mobile", "Phone"],
                ["Jan", "Jansen", "jan@example.nl", "", "020 1234567"],
                ["Jan", "de Vries", "", "0612345678", ""],
            ]
        ),
        policy=CREATE,
    )

    # When a row with both is imported
    again = await import_file(
        stub,
        auth,
        csv_bytes([["First name", "Email", "Mobile"], ["Jan", "jan@example.nl", "0612345678"]]),
    )

    # Then it is rejected AMBIGUOUS_MATCH with both contacts named
    assert counts(again) == (0, 0, 0, 0, 1)
    reason = (await failure_reasons(stub, auth, again.import_id))[2]
    assert "Jan Jansen (jan@example.nl)" in reason
    assert "Jan de Vries (+31612345678)" in reason


async def test_another_tenants_contact_never_matches(stub, auth, token_for, db, tenant):
    # Given another tenant with the same people
    other_tenant = f"tenant-{uuid.uuid4().hex[:8]}"
    other = (("authorization", f"Bearer {token_for(other_tenant)}"),)
    await import_file(stub, other, FIRST)

    # When this tenant imports them
    mine = await import_file(stub, auth, FIRST)

    # Then they are new contacts here, and the other tenant's are untouched
    assert counts(mine) == (2, 0, 0, 0, 0)
    assert len(await stored_contacts(db, tenant)) == 2
    assert len(await stored_contacts(db, other_tenant)) == 2


async def test_a_dry_run_counts_exactly_what_a_run_stores(stub, auth, db, tenant):
    # Given the tenant's first import
    await import_file(stub, auth, FIRST)
    before = await stored_contacts(db, tenant)

    # When the second export is dry-run, then run, under UPDATE
    dry = await import_file(stub, auth, AGAIN, policy=UPDATE, dry_run=True)
    unchanged_by_dry_run = await stored_contacts(db, tenant) == before
    real = await import_file(stub, auth, AGAIN, policy=UPDATE)

    # Then the dry run stored nothing and said exactly what the run did
    assert unchanged_by_dry_run
    assert counts(dry) == counts(real) == (1, 1, 1, 0, 0)


async def test_list_contacts_names_the_creating_and_updating_imports(stub, auth, tenant):
    # Given a contact created by one import and updated by another
    first = await import_file(stub, auth, FIRST)
    later = await import_file(stub, auth, AGAIN, policy=UPDATE)

    # When Jan is looked up
    page = await stub.ListContacts(pb.ListContactsRequest(query="jan@example"), metadata=auth)

    # Then it says which import created it and which updated it
    (jan,) = page.contacts
    assert jan.import_id == first.import_id
    assert list(jan.updated_by_import_ids) == [later.import_id]


async def test_the_preview_estimates_the_rows_that_are_contacts_already(stub, auth):
    # Given the tenant's first import
    await import_file(stub, auth, FIRST)

    # When the second export is uploaded (and previewed)
    uploaded = await upload(stub, auth, AGAIN)
    preview = await stub.GetFilePreview(
        pb.GetFilePreviewRequest(import_id=uploaded.contact_import.import_id), metadata=auth
    )

    # Then both say that two of its three rows share an e-mail with a contact
    assert uploaded.contact_import.existing_contact_rows == 2
    assert preview.contact_import.existing_contact_rows == 2


@pytest.mark.parametrize(
    "earlier_contacts",
    [
        # No contacts yet: each batch's rows are written as contacts while the next are checked
        pytest.param(False, id="new-tenant-rows-written-straight"),
        # Contacts already: each batch's rows are staged, and stored once matching decided
        pytest.param(True, id="tenant-with-contacts-rows-staged"),
    ],
)
async def test_a_row_that_merges_into_a_row_of_an_earlier_batch(
    stub, auth, db, tenant, earlier_contacts
):
    # Given (maybe) a tenant with contacts, and a file of more than one batch whose last
    # rows are people of its first batch again: one adds a second e-mail and a company, one
    # repeats its person exactly
    rows = [HEADER] + [
        [f"Klant{i}", "Jansen", f"klant{i}@example.nl", f"06 {20_000_000 + i}", "", ""]
        for i in range(1_500)
    ]
    rows.append(
        ["Klant3", "Jansen", "KLANT3@example.nl; klant3@werk.nl", "", "020 1234567", "Werk BV"]
    )
    rows.append(["Klant7", "Jansen", "klant7@example.nl", "06 20000007", "", ""])

    if earlier_contacts:
        await import_file(stub, auth, FIRST)

    # When it is imported
    found = await import_file(stub, auth, csv_bytes(rows))

    # Then each person is stored once, with what every row of it added, and found by it
    assert counts(found) == (1_500, 0, 0, 2, 0)
    merged = await db.fetchrow(
        "SELECT emails, phones, company, source_row FROM contacts WHERE tenant_id = $1"
        " AND first_name = 'Klant3'",
        tenant,
    )
    assert dict(merged) == {
        "emails": ["klant3@example.nl", "klant3@werk.nl"],
        "phones": ["+31201234567"],
        "company": "Werk BV",
        "source_row": 5,
    }
    stored = await db.fetchval(
        "SELECT count(*) FROM contacts WHERE tenant_id = $1 AND import_id = $2::uuid",
        tenant,
        found.import_id,
    )
    assert stored == 1_500
    assert await _match_keys(db, tenant) == await _keys_of_contacts(db, tenant)
