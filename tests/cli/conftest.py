"""The fake service on a real channel, with the command pointed at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent import futures
from typing import cast

import grpc
import pytest

from shared.gen.contactimport.v1 import import_service_pb2_grpc as pb_grpc
from tests.cli.fake_service import FakeImportService


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeImportService]:
    service = FakeImportService()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    register = cast(
        Callable[[object, grpc.Server], None], pb_grpc.add_ImportServiceServicer_to_server
    )
    register(service, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    monkeypatch.setenv("CONTACTIMPORT_ADDR", f"127.0.0.1:{port}")
    monkeypatch.setenv("CONTACTIMPORT_TOKEN", "tok")
    yield service
    server.stop(None)
