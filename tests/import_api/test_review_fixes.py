"""Regressions found in review: unstorable request text, and StartImport racing retention."""

from __future__ import annotations

import json
import uuid
from typing import Any

import grpc
import pytest

from services.import_api.import_events import ImportEvents
from services.import_api.imports import ImportsService
from shared.errors import NotFound
from shared.gen.contactimport.v1 import import_service_pb2 as pb
from shared.identity import Identity
from shared.mapping.fields import mapping_from_json
from tests.support import csv_bytes, error_details, start, upload

FILE = csv_bytes([["First name", "Phone", "Zork"], ["Anna", "+31201234567", "x"]])


def _invalid(error: grpc.RpcError) -> None:
    assert error.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert error_details(error)["reason"] == "INVALID_REQUEST"


async def test_nul_in_file_name_is_invalid_argument(stub, auth) -> None:
    with pytest.raises(grpc.RpcError) as caught:
        await upload(stub, auth, FILE, name="con\x00tacts.csv")
    _invalid(caught.value)


async def test_nul_in_request_id_is_invalid_argument_and_leaves_import_uploaded(stub, auth) -> None:
    uploaded = await upload(stub, auth, FILE)
    with pytest.raises(grpc.RpcError) as caught:
        await start(stub, auth, uploaded, request_id="retry\x00-1")
    _invalid(caught.value)
    got = await stub.GetImport(
        pb.GetImportRequest(import_id=uploaded.contact_import.import_id), metadata=auth
    )
    assert got.contact_import.state == pb.ContactImport.STATE_UPLOADED


async def test_nul_in_address_group_is_invalid_argument(stub, auth) -> None:
    uploaded = await upload(stub, auth, FILE)
    mapping = pb.Mapping()
    mapping.CopyFrom(uploaded.suggested_mapping)
    mapping.columns.append(
        pb.ColumnMapping(header="Zork", field=pb.CONTACT_FIELD_ADDRESS, address_group="g\x00")
    )
    with pytest.raises(grpc.RpcError) as caught:
        await start(stub, auth, uploaded, mapping=mapping)
    _invalid(caught.value)


async def test_nul_in_contact_query_is_invalid_argument(stub, auth) -> None:
    with pytest.raises(grpc.RpcError) as caught:
        await stub.ListContacts(pb.ListContactsRequest(query="an\x00na"), metadata=auth)
    _invalid(caught.value)


class _Publisher:
    def __init__(self) -> None:
        self.published: list[uuid.UUID] = []

    async def publish(self, import_id: uuid.UUID) -> None:
        self.published.append(import_id)


async def test_start_racing_retention_never_queues_a_purged_import(
    stub, auth, db, settings, tenant
) -> None:
    uploaded = await upload(stub, auth, FILE)
    import_id = uuid.UUID(uploaded.contact_import.import_id)
    publisher = _Publisher()
    service = ImportsService(db, settings, publisher, ImportEvents(settings.database_url))  # type: ignore[arg-type]
    read = service.get

    async def get_then_purge(who: Identity, wanted: uuid.UUID) -> Any:
        record = await read(who, wanted)
        # Retention purges the import right after StartImport has read it.
        await db.execute("UPDATE imports SET purged_at = now() WHERE id = $1", wanted)
        return record

    service.get = get_then_purge  # type: ignore[method-assign, assignment]
    row = await db.fetchrow("SELECT suggested_mapping FROM imports WHERE id = $1", import_id)
    mapping = mapping_from_json(json.loads(row["suggested_mapping"]))
    with pytest.raises(NotFound):
        await service.start(
            Identity(tenant, "Anna Admin", "NL", ""), import_id, mapping, "", False, "r-1"
        )
    state = await db.fetchval("SELECT state FROM imports WHERE id = $1", import_id)
    outbox = await db.fetchval("SELECT count(*) FROM import_outbox WHERE import_id = $1", import_id)
    assert (state, outbox, publisher.published) == ("UPLOADED", 0, [])
