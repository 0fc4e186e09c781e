"""ListImports: newest first, keyset pages, signed tokens, and the 20- and 3-day windows."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import grpc
import pytest

from services.import_api.import_events import ImportEvents
from services.import_api.imports import ImportsService
from services.import_api.job_outbox import JobPublisher
from services.import_api.messages import import_to_proto
from shared.broker import make_broker
from shared.errors import NotFound
from shared.gen.contactimport.v1 import import_service_pb2 as pb
from shared.identity import Identity
from shared.store.pool import create_pool
from tests.support import csv_bytes, error_details, import_file, upload

pytestmark = pytest.mark.usefixtures("worker")

FILE = csv_bytes([["First name", "Phone"], ["Jan", "0201234567"], ["Piet", "0201234568"]])


class Clock:
    """A clock the test moves: real time plus an offset."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


@pytest.fixture
async def clocked(settings):
    """An ImportsService on the test database whose clock the test moves."""
    pool = await create_pool(settings, max_size=2)
    publisher = JobPublisher(make_broker(settings.broker_url), settings.queue)
    clock = Clock()
    service = ImportsService(
        pool, settings, publisher, ImportEvents(settings.database_url), now=clock
    )
    yield service, clock
    await pool.close()
    publisher.close()


async def _list_all(stub, auth, page_size: int = 0) -> list[pb.ContactImport]:
    found, token = [], ""
    while True:
        page = await stub.ListImports(
            pb.ListImportsRequest(page_size=page_size, page_token=token), metadata=auth
        )
        found += page.imports
        token = page.next_page_token
        if not token:
            return found


async def _clone_imports(db, source_id: str, count: int, *, same_time: bool = False) -> None:
    """`count` more imports of the source's tenant, a second apart (or all at one instant)."""
    await db.execute(
        """
        INSERT INTO imports (id, tenant_id, file_name, file_format, file_size, sha256,
            uploaded_by, headers, preview_rows, suggested_mapping, unmapped_headers, state,
            rows_total, created_at)
        SELECT gen_random_uuid(), tenant_id, 'copy-' || n || '.csv', file_format, file_size,
            sha256, uploaded_by, headers, preview_rows, suggested_mapping, unmapped_headers,
            state, rows_total,
            created_at - CASE WHEN $3 THEN interval '1 minute' ELSE n * interval '1 second' END
        FROM imports, generate_series(1, $2) AS n
        WHERE id = $1
        """,
        uuid.UUID(source_id),
        count,
        same_time,
    )


async def test_the_history_lists_every_import_newest_first_with_its_details(stub, auth):
    # Given a finished import and a later upload that was never started
    finished = await import_file(stub, auth, FILE, "first.csv")
    uploaded = await upload(stub, auth, FILE, "second.csv")

    # When the history is listed
    page = await stub.ListImports(pb.ListImportsRequest(), metadata=auth)

    # Then both are there, newest first, each with its details
    assert [i.import_id for i in page.imports] == [
        uploaded.contact_import.import_id,
        finished.import_id,
    ]
    assert page.next_page_token == ""
    never_started, done = page.imports
    assert never_started.state == pb.ContactImport.STATE_UPLOADED
    assert (done.state, done.counts.rows, done.counts.imported, done.counts.failed) == (
        pb.ContactImport.STATE_SUCCEEDED,
        2,
        2,
        0,
    )
    for entry, name in ((never_started, "second.csv"), (done, "first.csv")):
        assert entry.file_name == name
        assert entry.file_format == pb.FILE_FORMAT_CSV
        assert entry.file_size == len(FILE)
        assert entry.uploaded_by == "Anna Admin"
        assert entry.create_time.seconds > 0
        assert not entry.HasField("deletion")


async def test_paging_while_another_task_uploads_serves_no_row_twice_and_skips_none(stub, auth, db):
    # Given 40 imports, 15 of them created at the very same instant (ties broken by id)
    first = await upload(stub, auth, FILE, "seed.csv")
    await _clone_imports(db, first.contact_import.import_id, 24)
    await _clone_imports(db, first.contact_import.import_id, 15, same_time=True)
    before = {i.import_id for i in await _list_all(stub, auth, page_size=100)}
    assert len(before) == 40

    # When the history is paged 7 at a time while another task keeps uploading
    async def page_through() -> list[pb.ContactImport]:
        found, token = [], ""
        while True:
            page = await stub.ListImports(
                pb.ListImportsRequest(page_size=7, page_token=token), metadata=auth
            )
            found += page.imports
            token = page.next_page_token
            if not token:
                return found
            await asyncio.sleep(0.02)

    async def keep_uploading() -> None:
        for n in range(6):
            await upload(stub, auth, FILE, f"during-{n}.csv")

    served, _ = await asyncio.gather(page_through(), keep_uploading())

    # Then no import came twice, every one that existed when paging began came, in order
    ids = [i.import_id for i in served]
    assert len(ids) == len(set(ids))
    assert before <= set(ids)
    keys = [(i.create_time.ToDatetime(), uuid.UUID(i.import_id)) for i in served]
    assert keys == sorted(keys, reverse=True)


@pytest.mark.parametrize(
    ("asked", "served"),
    [
        pytest.param(0, 20, id="default-20"),
        pytest.param(7, 7, id="as-asked"),
        pytest.param(100, 100, id="max-100"),
        pytest.param(1000, 100, id="larger-lowered-to-100"),
    ],
)
async def test_page_size_has_a_default_and_a_maximum(stub, auth, db, asked, served):
    # Given 105 imports
    first = await upload(stub, auth, FILE)
    await _clone_imports(db, first.contact_import.import_id, 104)

    # When one page is asked for
    page = await stub.ListImports(pb.ListImportsRequest(page_size=asked), metadata=auth)

    # Then it holds the served size and points to the next page
    assert len(page.imports) == served
    assert page.next_page_token


async def test_a_negative_page_size_is_invalid(stub, auth):
    with pytest.raises(grpc.RpcError) as caught:
        await stub.ListImports(pb.ListImportsRequest(page_size=-1), metadata=auth)

    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error_details(caught.value)["fields"] == ["page_size"]


def _flip(text: str, index: int) -> str:
    return text[:index] + ("A" if text[index] != "A" else "B") + text[index + 1 :]


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda token, other: _flip(token, 5), id="payload-changed"),
        pytest.param(lambda token, other: _flip(token, len(token) - 3), id="signature-changed"),
        pytest.param(lambda token, other: token.split(".")[0], id="signature-dropped"),
        pytest.param(lambda token, other: "not-a-token", id="garbage"),
        pytest.param(lambda token, other: other, id="another-tenants-token"),
    ],
)
async def test_a_changed_or_foreign_page_token_is_invalid(stub, auth, token_for, spoil):
    # Given a next-page token of this tenant and one of another tenant
    for _ in range(2):
        await upload(stub, auth, FILE)
    token = (
        await stub.ListImports(pb.ListImportsRequest(page_size=1), metadata=auth)
    ).next_page_token
    other_auth = (("authorization", f"Bearer {token_for(tenant=f'o-{uuid.uuid4().hex[:6]}')}"),)
    for _ in range(2):
        await upload(stub, other_auth, FILE)
    other = (
        await stub.ListImports(pb.ListImportsRequest(page_size=1), metadata=other_auth)
    ).next_page_token
    assert token
    assert other

    # When the history is asked for with a spoiled token
    with pytest.raises(grpc.RpcError) as caught:
        await stub.ListImports(
            pb.ListImportsRequest(page_size=1, page_token=spoil(token, other)), metadata=auth
        )

    # Then it is INVALID_ARGUMENT on page_token
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error_details(caught.value)["fields"] == ["page_token"]


async def test_another_tenant_sees_none_of_the_history(stub, auth, token_for):
    # Given imports of this tenant
    await upload(stub, auth, FILE)
    other = (("authorization", f"Bearer {token_for(tenant=f'o-{uuid.uuid4().hex[:6]}')}"),)

    # When another tenant lists its history
    page = await stub.ListImports(pb.ListImportsRequest(), metadata=other)

    # Then it is empty
    assert list(page.imports) == []
    assert page.next_page_token == ""


async def test_a_purged_import_is_never_listed(stub, auth, db):
    # Given two imports, one of them purged
    kept = await upload(stub, auth, FILE)
    purged = await upload(stub, auth, FILE)
    await db.execute(
        "UPDATE imports SET purged_at = now() WHERE id = $1",
        uuid.UUID(purged.contact_import.import_id),
    )

    # When the history is listed
    page = await stub.ListImports(pb.ListImportsRequest(), metadata=auth)

    # Then only the other is there
    assert [i.import_id for i in page.imports] == [kept.contact_import.import_id]


async def test_a_deleted_import_is_listed_with_its_summary_for_3_days(stub, auth, tenant, clocked):
    # Given two finished imports (each creating its contacts), one of them deleted
    kept = await import_file(stub, auth, FILE)
    deleted = await import_file(stub, auth, FILE, policy=pb.DUPLICATE_POLICY_CREATE)
    await stub.DeleteImport(pb.DeleteImportRequest(import_id=deleted.import_id), metadata=auth)

    # When the history is listed now
    page = await stub.ListImports(pb.ListImportsRequest(), metadata=auth)

    # Then the deleted one is there, marked with how many, by whom, when
    entry = page.imports[0]
    assert entry.import_id == deleted.import_id
    assert entry.deletion.summary == "2 deleted by Anna Admin."
    assert (entry.deletion.deleted_count, entry.deletion.deleted_by) == (2, "Anna Admin")
    assert entry.deletion.delete_time.ToDatetime() >= entry.create_time.ToDatetime()
    assert not page.imports[1].HasField("deletion")

    # And with the clock moved, it stays for 3 days and then leaves; the other stays
    service, clock = clocked
    who = Identity(tenant, "Anna Admin")
    for offset, listed in [
        (timedelta(days=2, hours=23), [deleted.import_id, kept.import_id]),
        (timedelta(days=3, minutes=1), [kept.import_id]),
    ]:
        clock.offset = offset
        history = await service.history(who, 0, "")
        assert [str(r.id) for r in history.imports] == listed, offset
    assert import_to_proto((await service.history(who, 0, "")).imports[0]).deletion.summary == ""


async def test_imports_older_than_20_days_leave_the_history(stub, auth, tenant, clocked):
    # Given an import uploaded now
    uploaded = await upload(stub, auth, FILE)
    import_id = uuid.UUID(uploaded.contact_import.import_id)
    service, clock = clocked
    who = Identity(tenant, "Anna Admin")

    # When the clock is moved to just inside, then just past, 20 days
    clock.offset = timedelta(days=19, hours=23)
    inside = await service.history(who, 0, "")
    clock.offset = timedelta(days=20, minutes=1)
    past = await service.history(who, 0, "")

    # Then it is listed, then gone, and asking for it is NOT_FOUND even before retention ran
    assert [r.id for r in inside.imports] == [import_id]
    assert past.imports == []
    with pytest.raises(NotFound):
        await service.get(who, import_id)
    with pytest.raises(NotFound):
        await service.delete(who, import_id)
