"""The published gRPC service config: every RPC has its deadline and retries UNAVAILABLE only,
and the CLI's channel applies it (a call that meets UNAVAILABLE is retried by gRPC)."""

from __future__ import annotations

import json

import pytest

from services.cli import main as cli
from services.cli.client import SERVICE_CONFIG
from shared.gen.contactimport.v1 import import_service_pb2 as pb
from tests.cli.fake_service import FakeImportService

SERVICE = pb.DESCRIPTOR.services_by_name["ImportService"]


def _configs() -> dict[str, dict[str, object]]:
    config = json.loads(SERVICE_CONFIG.read_text())
    return {
        name["method"]: entry
        for entry in config["methodConfig"]
        for name in entry["name"]
        if name["service"] == SERVICE.full_name
    }


def test_every_rpc_of_the_service_has_a_policy_that_retries_unavailable_only() -> None:
    configs = _configs()

    assert set(configs) == {method.name for method in SERVICE.methods}
    for name, entry in configs.items():
        policy = entry["retryPolicy"]
        assert isinstance(policy, dict)
        assert policy["retryableStatusCodes"] == ["UNAVAILABLE"], name
        assert 2 <= int(policy["maxAttempts"]) <= 5, name


@pytest.mark.parametrize("method", [m.name for m in SERVICE.methods if m.name != "WatchImport"])
def test_every_call_that_ends_has_a_deadline(method: str) -> None:
    assert str(_configs()[method]["timeout"]).endswith("s")


def test_the_cli_retries_a_call_that_meets_unavailable(
    fake: FakeImportService, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a server whose first two GetImport calls answer UNAVAILABLE
    fake.unavailable_gets = 2

    # When the CLI asks for the import once
    status = cli.main(["get", "imp-1", "--json"])

    # Then gRPC retried it under the service config and the CLI got its answer
    assert status == 0
    assert fake.get_calls == 3
    assert json.loads(capsys.readouterr().out)["importId"] == "imp-1"
