"""Tokens, tenant isolation, StartImport checks and idempotency."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import grpc
import jwt
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from shared.gen.contactimport.v1 import import_service_pb2 as pb
from tests.support import csv_bytes, download_failures, error_details, start, upload, wait_finished

pytestmark = pytest.mark.usefixtures("worker")

FILE = csv_bytes([["First name", "Last name", "Phone"], ["Jan", "Jansen", "0201234567"]])


def bearer(token: str) -> tuple[tuple[str, str], ...]:
    return (("authorization", f"Bearer {token}"),)


OTHER_KEY = "another-key-that-is-long-enough-for-hs256"
CLAIMS = {"tenant_id": "t", "name": "n", "aud": "contactimport", "exp": 4102444800}


Metadata = tuple[tuple[str, str], ...]


def signed(claims: dict[str, Any], key: str | None = None) -> Callable[[str], Metadata]:
    """Metadata with a token of these claims, signed with `key` or else the server's key."""
    return lambda server_key: bearer(jwt.encode(claims, key or server_key))


def given(metadata: Metadata) -> Callable[[str], Metadata]:
    return lambda _: metadata


@pytest.mark.parametrize(
    ("metadata", "reason", "words"),
    [
        pytest.param(given(()), "TOKEN_MISSING", "No token", id="no-token"),
        pytest.param(
            given((("authorization", "Basic abc"),)), "TOKEN_INVALID", "Bearer", id="not-bearer"
        ),
        pytest.param(given(bearer("not.a.jwt")), "TOKEN_INVALID", "not a JWT", id="garbage"),
        pytest.param(signed(CLAIMS, OTHER_KEY), "TOKEN_INVALID", "signature", id="wrong-key"),
        pytest.param(
            signed(CLAIMS | {"aud": "billing"}), "TOKEN_INVALID", "another service", id="audience"
        ),
        pytest.param(
            signed({k: v for k, v in CLAIMS.items() if k != "exp"}),
            "TOKEN_INVALID",
            "no `exp` claim",
            id="no-expiry",
        ),
        pytest.param(
            signed(CLAIMS | {"nbf": 4102000000}), "TOKEN_INVALID", "not valid yet", id="not-yet"
        ),
    ],
)
async def test_a_call_without_a_valid_token_is_unauthenticated(
    stub, settings, metadata, reason, words
):
    with pytest.raises(grpc.RpcError) as caught:
        await stub.GetImport(
            pb.GetImportRequest(import_id=str(uuid.uuid4())), metadata=metadata(settings.jwt_key)
        )

    assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert error_details(caught.value)["reason"] == reason
    assert words in caught.value.details()


async def test_an_expired_token_is_unauthenticated(stub, settings):
    token = jwt.encode(
        {"tenant_id": "t", "name": "n", "aud": "contactimport", "exp": 1_000_000},
        settings.jwt_key,
    )
    with pytest.raises(grpc.RpcError) as caught:
        await stub.GetImport(
            pb.GetImportRequest(import_id=str(uuid.uuid4())), metadata=bearer(token)
        )

    assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert "expired" in caught.value.details()


async def test_health_answers_without_a_token(channel):
    health = health_pb2_grpc.HealthStub(channel)

    for service in ("", "contactimport.v1.ImportService"):
        answer = await health.Check(health_pb2.HealthCheckRequest(service=service))
        assert answer.status == health_pb2.HealthCheckResponse.SERVING


async def test_another_tenants_import_is_not_found_on_every_rpc(stub, auth, token_for):
    uploaded = await upload(stub, auth, FILE)
    import_id = uploaded.contact_import.import_id
    finished = await wait_finished(stub, auth, (await start(stub, auth, uploaded)).import_id)
    assert finished.state == pb.ContactImport.STATE_SUCCEEDED
    other = bearer(token_for(tenant=f"other-{uuid.uuid4().hex[:6]}"))

    calls = [
        stub.GetImport(pb.GetImportRequest(import_id=import_id), metadata=other),
        stub.GetFilePreview(pb.GetFilePreviewRequest(import_id=import_id), metadata=other),
        stub.StartImport(
            pb.StartImportRequest(
                import_id=import_id, mapping=uploaded.suggested_mapping, request_id="r"
            ),
            metadata=other,
        ),
        download_failures(stub, other, import_id),
    ]
    for call in calls:
        with pytest.raises(grpc.RpcError) as caught:
            await call
        assert caught.value.code() == grpc.StatusCode.NOT_FOUND
        assert error_details(caught.value)["reason"] == "IMPORT_NOT_FOUND"
    with pytest.raises(grpc.RpcError) as caught:
        async for _ in stub.WatchImport(pb.WatchImportRequest(import_id=import_id), metadata=other):
            pass
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND


async def test_start_is_idempotent_on_its_request_id(stub, auth, db, tenant):
    uploaded = await upload(stub, auth, FILE)
    request_id = str(uuid.uuid4())

    first = await start(stub, auth, uploaded, request_id=request_id)
    again = await start(stub, auth, uploaded, request_id=request_id)
    finished = await wait_finished(stub, auth, first.import_id)
    after = await start(stub, auth, uploaded, request_id=request_id)

    assert first.import_id == again.import_id == finished.import_id
    assert after.state == pb.ContactImport.STATE_SUCCEEDED
    assert await db.fetchval("SELECT count(*) FROM contacts WHERE tenant_id = $1", tenant) == 1
    with pytest.raises(grpc.RpcError) as caught:
        await start(stub, auth, uploaded, request_id=str(uuid.uuid4()))
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert error_details(caught.value)["reason"] == "IMPORT_ALREADY_STARTED"


def _mapping(*columns: tuple[str, Any]) -> pb.Mapping:
    return pb.Mapping(columns=[pb.ColumnMapping(header=h, field=f) for h, f in columns])


@pytest.mark.parametrize(
    ("mapping", "fields"),
    [
        pytest.param(
            _mapping(("First name", pb.CONTACT_FIELD_FIRST_NAME)),
            ["mapping"],
            id="no-phone-field",
        ),
        pytest.param(
            _mapping(("Phone", pb.CONTACT_FIELD_PHONE)),
            ["mapping"],
            id="no-name-field",
        ),
        pytest.param(
            _mapping(
                ("First name", pb.CONTACT_FIELD_FIRST_NAME),
                ("Phone", pb.CONTACT_FIELD_PHONE),
                ("Fax", pb.CONTACT_FIELD_PHONE),
            ),
            ["mapping.columns[2].header"],
            id="unknown-header",
        ),
        pytest.param(
            _mapping(
                ("First name", pb.CONTACT_FIELD_FIRST_NAME),
                ("Last name", pb.CONTACT_FIELD_FIRST_NAME),
                ("Phone", pb.CONTACT_FIELD_PHONE),
            ),
            ["mapping.columns[1].field"],
            id="single-field-twice",
        ),
    ],
)
async def test_a_bad_mapping_is_refused_with_field_violations(stub, auth, mapping, fields):
    uploaded = await upload(stub, auth, FILE)

    with pytest.raises(grpc.RpcError) as caught:
        await start(stub, auth, uploaded, mapping=mapping)

    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    details = error_details(caught.value)
    assert details["reason"] == "INVALID_MAPPING"
    assert all(any(f.startswith(e) for f in details["fields"]) for e in fields), details


async def test_start_needs_a_country_when_the_token_has_none(stub, token_for):
    auth = bearer(token_for(tenant=f"t-{uuid.uuid4().hex[:6]}", country=""))
    uploaded = await upload(stub, auth, FILE)

    with pytest.raises(grpc.RpcError) as caught:
        await start(stub, auth, uploaded)

    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error_details(caught.value)["reason"] == "COUNTRY_MISSING"


async def test_start_needs_a_request_id(stub, auth):
    uploaded = await upload(stub, auth, FILE)

    with pytest.raises(grpc.RpcError) as caught:
        await stub.StartImport(
            pb.StartImportRequest(
                import_id=uploaded.contact_import.import_id, mapping=uploaded.suggested_mapping
            ),
            metadata=auth,
        )

    assert error_details(caught.value)["fields"] == ["request_id"]


async def test_failures_of_an_unfinished_import_are_refused(stub, auth):
    uploaded = await upload(stub, auth, FILE)

    with pytest.raises(grpc.RpcError) as caught:
        await download_failures(stub, auth, uploaded.contact_import.import_id)

    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert error_details(caught.value)["reason"] == "IMPORT_NOT_FINISHED"


async def test_an_import_id_that_is_not_a_uuid_is_invalid(stub, auth):
    with pytest.raises(grpc.RpcError) as caught:
        await stub.GetImport(pb.GetImportRequest(import_id="nope"), metadata=auth)

    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error_details(caught.value)["fields"] == ["import_id"]


@pytest.mark.usefixtures("worker")
async def test_a_blank_request_country_falls_back_to_the_token(stub, auth):
    uploaded = await upload(stub, auth, FILE)

    started = await start(stub, auth, uploaded, country="  ")

    assert started.default_country == "NL"
