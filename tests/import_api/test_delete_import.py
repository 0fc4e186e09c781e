"""DeleteImport: exactly that import's contacts, once, never while it runs, never across tenants."""

from __future__ import annotations

import uuid

import grpc
import pytest

from services.validator_worker.context import WorkerContext
from services.validator_worker.pipeline import run_import
from shared.gen.contactimport.v1 import import_service_pb2 as pb
from tests.support import csv_bytes, error_details, import_file, start, upload

pytestmark = pytest.mark.usefixtures("worker")

HEADER = ["First name", "Phone"]
THREE = csv_bytes([HEADER, ["Jan", "0201234567"], ["Piet", "0201234568"], ["Kees", "0201234569"]])
TWO = csv_bytes([HEADER, ["Ans", "0201234570"], ["Els", "0201234571"]])
NO_VALID_ROW = csv_bytes([HEADER, ["Jan", "not a number"]])


def _bearer(token: str) -> tuple[tuple[str, str], ...]:
    return (("authorization", f"Bearer {token}"),)


async def _contacts(db, import_id: str, tenant: str | None = None) -> int:
    return await db.fetchval(
        "SELECT count(*) FROM contacts WHERE import_id = $1"
        " AND ($2::text IS NULL OR tenant_id = $2)",
        uuid.UUID(import_id),
        tenant,
    )


async def _delete(stub, auth, import_id: str) -> pb.ContactImport:
    answer = await stub.DeleteImport(pb.DeleteImportRequest(import_id=import_id), metadata=auth)
    return answer.contact_import


async def test_delete_removes_that_imports_contacts_only_and_twice_is_harmless(
    stub, auth, db, tenant, token_for
):
    # Given two imports of this tenant and one of another tenant, and a stray contact of the
    # other tenant that names this tenant's import
    target = await import_file(stub, auth, THREE)
    sibling = await import_file(stub, auth, TWO)
    other_tenant = f"o-{uuid.uuid4().hex[:6]}"
    foreign = await import_file(stub, _bearer(token_for(tenant=other_tenant)), TWO)
    await db.execute(
        "INSERT INTO contacts (tenant_id, import_id, source_row, first_name)"
        " VALUES ($1, $2, 99, 'Stray')",
        other_tenant,
        uuid.UUID(target.import_id),
    )

    # When the first import is deleted, twice
    first = await _delete(stub, auth, target.import_id)
    second = await _delete(stub, auth, target.import_id)

    # Then its 3 contacts went, the deletion is recorded, and the second call changed nothing
    assert first.deletion.deleted_count == 3
    assert first.deletion.deleted_by == "Anna Admin"
    assert first.deletion.summary == "3 deleted by Anna Admin."
    assert first.state == pb.ContactImport.STATE_SUCCEEDED
    assert second == first
    assert await _contacts(db, target.import_id, tenant) == 0
    assert await _contacts(db, target.import_id, other_tenant) == 1
    assert await _contacts(db, sibling.import_id) == 2
    assert await _contacts(db, foreign.import_id) == 2
    got = await stub.GetImport(pb.GetImportRequest(import_id=target.import_id), metadata=auth)
    assert got.contact_import == first
    # and the match keys went with the contacts: only the sibling's two are left
    keys = await db.fetch("SELECT key FROM contact_keys WHERE tenant_id = $1", tenant)
    assert sorted(k["key"] for k in keys) == ["p:+31201234570", "p:+31201234571"]


@pytest.mark.parametrize(
    "state",
    [pytest.param("QUEUED", id="queued"), pytest.param("RUNNING", id="running")],
)
async def test_a_queued_or_running_import_is_not_deleted(stub, auth, db, state):
    # Given an import a worker has yet to finish (set in the database; no message sent)
    uploaded = await upload(stub, auth, THREE)
    import_id = uuid.UUID(uploaded.contact_import.import_id)
    await db.execute(
        "UPDATE imports SET state = $2, mapping = suggested_mapping, default_country = 'NL',"
        " start_request_id = 'test', lease_until = now() + interval '1 hour' WHERE id = $1",
        import_id,
        state,
    )

    # When it is deleted
    with pytest.raises(grpc.RpcError) as caught:
        await _delete(stub, auth, str(import_id))

    # Then the call is refused until it has finished, and nothing is marked
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert error_details(caught.value)["reason"] == "IMPORT_RUNNING"
    assert "wait for it to finish" in caught.value.details()
    assert await db.fetchval("SELECT deleted_at FROM imports WHERE id = $1", import_id) is None


@pytest.mark.parametrize(
    ("data", "dry_run", "started", "state"),
    [
        pytest.param(THREE, True, True, pb.ContactImport.STATE_SUCCEEDED, id="dry-run"),
        pytest.param(NO_VALID_ROW, False, True, pb.ContactImport.STATE_FAILED, id="failed"),
        pytest.param(THREE, False, False, pb.ContactImport.STATE_UPLOADED, id="never-started"),
    ],
)
async def test_an_import_that_stored_nothing_deletes_0_and_is_marked(
    stub, auth, data, dry_run, started, state
):
    # Given an import that stored no contact
    if started:
        import_id = (await import_file(stub, auth, data, dry_run=dry_run)).import_id
    else:
        import_id = (await upload(stub, auth, data)).contact_import.import_id

    # When it is deleted
    deleted = await _delete(stub, auth, import_id)

    # Then it is marked deleted with 0 contacts, in the state it had
    assert deleted.state == state
    assert deleted.HasField("deletion")
    assert deleted.deletion.summary == "0 deleted by Anna Admin."


async def test_a_deleted_never_started_import_cannot_be_started(stub, auth):
    # Given an uploaded import that was deleted
    uploaded = await upload(stub, auth, THREE)
    await _delete(stub, auth, uploaded.contact_import.import_id)

    # When it is started
    with pytest.raises(grpc.RpcError) as caught:
        await start(stub, auth, uploaded)

    # Then it is refused as deleted
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert error_details(caught.value)["reason"] == "IMPORT_DELETED"


async def test_another_tenants_import_is_not_found_and_keeps_its_contacts(
    stub, auth, db, token_for
):
    # Given a finished import
    finished = await import_file(stub, auth, THREE)
    other = _bearer(token_for(tenant=f"o-{uuid.uuid4().hex[:6]}", name="Mallory"))

    # When another tenant deletes it
    with pytest.raises(grpc.RpcError) as caught:
        await _delete(stub, other, finished.import_id)

    # Then it is NOT_FOUND and nothing changed
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    assert error_details(caught.value)["reason"] == "IMPORT_NOT_FOUND"
    assert await _contacts(db, finished.import_id) == 3
    got = await stub.GetImport(pb.GetImportRequest(import_id=finished.import_id), metadata=auth)
    assert not got.contact_import.HasField("deletion")


@pytest.mark.parametrize(
    ("import_id", "code"),
    [
        pytest.param("nope", grpc.StatusCode.INVALID_ARGUMENT, id="not-a-uuid"),
        pytest.param(str(uuid.uuid4()), grpc.StatusCode.NOT_FOUND, id="unknown"),
    ],
)
async def test_delete_of_a_bad_or_unknown_id_is_refused(stub, auth, import_id, code):
    with pytest.raises(grpc.RpcError) as caught:
        await _delete(stub, auth, import_id)

    assert caught.value.code() == code


async def test_a_retried_delete_with_its_request_id_answers_as_the_first(stub, auth, db):
    # Given a finished import
    done = await import_file(stub, auth, THREE)
    request = pb.DeleteImportRequest(import_id=done.import_id, request_id=str(uuid.uuid4()))

    # When the same delete is sent twice (a retry after a lost answer)
    first = await stub.DeleteImport(request, metadata=auth)
    again = await stub.DeleteImport(request, metadata=auth)

    # Then both answer the same deletion, and the contacts were deleted once
    assert first.contact_import.deletion == again.contact_import.deletion
    assert first.contact_import.deletion.deleted_count == 3
    assert await _contacts(db, done.import_id) == 0


async def test_a_too_long_delete_request_id_is_refused(stub, auth):
    done = await import_file(stub, auth, TWO)
    request = pb.DeleteImportRequest(import_id=done.import_id, request_id="x" * 101)
    with pytest.raises(grpc.RpcError) as caught:
        await stub.DeleteImport(request, metadata=auth)

    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error_details(caught.value)["fields"] == ["request_id"]


async def test_a_deleted_imports_redelivered_message_does_nothing(stub, auth, db, settings):
    # Given a finished, deleted import, and one deleted while (by a race) it was queued
    finished = await import_file(stub, auth, THREE)
    await _delete(stub, auth, finished.import_id)
    uploaded = await upload(stub, auth, THREE)
    queued = uuid.UUID(uploaded.contact_import.import_id)
    await _delete(stub, auth, str(queued))
    await db.execute(
        "UPDATE imports SET state = 'QUEUED', mapping = suggested_mapping,"
        " default_country = 'NL', start_request_id = 'test' WHERE id = $1",
        queued,
    )
    before = await db.fetch(
        "SELECT * FROM imports WHERE id = ANY($1) ORDER BY id",
        [
            uuid.UUID(finished.import_id),
            queued,
        ],
    )

    # When a worker gets their messages again
    ctx = WorkerContext(settings)
    try:
        for import_id in (finished.import_id, str(queued)):
            await run_import(ctx, import_id)
    finally:
        await ctx.close()

    # Then neither was claimed nor stored anything
    after = await db.fetch(
        "SELECT * FROM imports WHERE id = ANY($1) ORDER BY id",
        [
            uuid.UUID(finished.import_id),
            queued,
        ],
    )
    assert after == before
    assert await _contacts(db, finished.import_id) == 0
    assert await _contacts(db, str(queued)) == 0
