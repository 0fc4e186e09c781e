"""Every wait on the database has a bound: whatever way the database fails (refused, reset,
silently dropped), an RPC answers UNAVAILABLE with RetryInfo within 5 s, and works again as
soon as the database is back."""

from __future__ import annotations

from collections.abc import AsyncIterator

import grpc
import pytest
from grpc import aio

from services.import_api.server import ApiServer, start_server
from shared.gen.contactimport.v1 import import_service_pb2 as pb
from shared.gen.contactimport.v1 import import_service_pb2_grpc as pb_grpc
from tests.faults import Fault
from tests.support import csv_bytes, error_details, retry_delay, upload

FILE = csv_bytes([["First name", "Phone"], ["Jan", "0201234567"]])
# The bound the issue sets on an answer when the database does not answer.
ANSWER_WITHIN_SECONDS = 5.0


@pytest.fixture
async def api_via_proxy(settings, proxy) -> AsyncIterator[ApiServer]:
    through_proxy = settings.model_copy(update={"database_url": proxy.dsn(settings)})
    api = await start_server(through_proxy, listen="127.0.0.1:0", run_relay_task=False)
    yield api
    await proxy.heal()
    await api.stop(0)


@pytest.mark.parametrize("fault", [Fault.REFUSE, Fault.RESET, Fault.BLACKHOLE], ids=str)
async def test_a_database_that_does_not_answer_is_unavailable_within_the_bound(
    api_via_proxy, proxy, auth, fault
):
    async with aio.insecure_channel(f"127.0.0.1:{api_via_proxy.port}") as channel:
        stub = pb_grpc.ImportServiceStub(channel)
        # Given an upload stored while the database answered (a pooled connection is open)
        uploaded = await upload(stub, auth, FILE)
        request = pb.GetImportRequest(import_id=uploaded.contact_import.import_id)

        # When the database fails in the way of `fault`
        await proxy.break_with(fault)

        # Then reads and writes answer UNAVAILABLE with RetryInfo before the caller's 5 s
        # deadline (DEADLINE_EXCEEDED would mean an unbounded wait)
        for call in (
            lambda: stub.GetImport(request, metadata=auth, timeout=ANSWER_WITHIN_SECONDS),
            lambda: stub.ListImports(
                pb.ListImportsRequest(), metadata=auth, timeout=ANSWER_WITHIN_SECONDS
            ),
        ):
            with pytest.raises(grpc.RpcError) as caught:
                await call()
            assert caught.value.code() == grpc.StatusCode.UNAVAILABLE, caught.value.details()
            assert error_details(caught.value)["reason"] == "DATABASE_UNAVAILABLE"
            assert (retry_delay(caught.value) or 0) > 0

        # And once the database is back, the same call works again
        await proxy.heal()
        answer = await stub.GetImport(request, metadata=auth, timeout=ANSWER_WITHIN_SECONDS)
        assert answer.contact_import.import_id == uploaded.contact_import.import_id
