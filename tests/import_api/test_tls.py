"""TLS on the gRPC port: a real server with certificates made here (trustme), real clients.

The server certificate names localhost and 127.0.0.1, so clients dial 127.0.0.1 with no
target-name override. A refused handshake is UNAVAILABLE, as any unreachable server.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import grpc
import pytest
import trustme
from grpc import aio
from grpc_health.v1 import health_pb2, health_pb2_grpc

from services.import_api.server import ApiServer, TlsSetupError, start_server
from shared.gen.contactimport.v1 import import_service_pb2 as pb
from shared.gen.contactimport.v1 import import_service_pb2_grpc as pb_grpc
from shared.settings import Settings

CALL_TIMEOUT = 10.0


@dataclass(frozen=True)
class Pair:
    """A certificate chain and its key, as PEM bytes and as files."""

    chain: bytes
    key: bytes
    chain_file: Path
    key_file: Path


@dataclass(frozen=True)
class Certificates:
    ca: bytes  # the CA that signed `server` and `client`
    ca_file: Path
    server: Pair
    client: Pair
    stranger: Pair  # a client certificate of another CA


def write_pair(cert: trustme.LeafCert, folder: Path, name: str) -> Pair:
    chain = b"".join(pem.bytes() for pem in cert.cert_chain_pems)
    key = cert.private_key_pem.bytes()
    (folder / f"{name}.pem").write_bytes(chain)
    (folder / f"{name}.key").write_bytes(key)
    return Pair(chain, key, folder / f"{name}.pem", folder / f"{name}.key")


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    folder = tmp_path_factory.mktemp("tls")
    ca, other_ca = trustme.CA(), trustme.CA()
    ca.cert_pem.write_to_path(str(folder / "ca.pem"))
    return Certificates(
        ca=ca.cert_pem.bytes(),
        ca_file=folder / "ca.pem",
        server=write_pair(ca.issue_cert("localhost", "127.0.0.1"), folder, "server"),
        client=write_pair(ca.issue_cert("client.example"), folder, "client"),
        stranger=write_pair(other_ca.issue_cert("stranger.example"), folder, "stranger"),
    )


def with_tls(settings: Settings, certs: Certificates, *, client_ca: bool = False) -> Settings:
    return settings.model_copy(
        update={
            "tls_cert_file": certs.server.chain_file,
            "tls_key_file": certs.server.key_file,
            "tls_client_ca_file": certs.ca_file if client_ca else None,
        }
    )


@pytest.fixture(scope="module")
async def tls_api(settings: Settings, certs: Certificates) -> AsyncIterator[ApiServer]:
    api = await start_server(with_tls(settings, certs), listen="127.0.0.1:0", run_relay_task=False)
    yield api
    await api.stop(0.5)


@pytest.fixture(scope="module")
async def mtls_api(settings: Settings, certs: Certificates) -> AsyncIterator[ApiServer]:
    api = await start_server(
        with_tls(settings, certs, client_ca=True), listen="127.0.0.1:0", run_relay_task=False
    )
    yield api
    await api.stop(0.5)


async def health_status(channel: aio.Channel) -> int:
    stub = health_pb2_grpc.HealthStub(channel)
    reply = await stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=CALL_TIMEOUT)
    status: int = reply.status
    return status


async def list_imports(channel: aio.Channel, token: str) -> pb.ListImportsResponse:
    stub = pb_grpc.ImportServiceStub(channel)
    answer: pb.ListImportsResponse = await stub.ListImports(
        pb.ListImportsRequest(page_size=10),
        metadata=(("authorization", f"Bearer {token}"),),
        timeout=CALL_TIMEOUT,
    )
    return answer


async def test_a_client_trusting_the_ca_is_served(
    tls_api: ApiServer, certs: Certificates, token_for: Callable[..., str], tenant: str
) -> None:
    # Given a channel that trusts the CA of the server's certificate
    credentials = grpc.ssl_channel_credentials(root_certificates=certs.ca)
    async with aio.secure_channel(f"127.0.0.1:{tls_api.port}", credentials) as channel:
        # When it asks for health and lists imports
        status = await health_status(channel)
        answer = await list_imports(channel, token_for(tenant))

    # Then both are answered over TLS
    assert status == health_pb2.HealthCheckResponse.SERVING
    assert list(answer.imports) == []


@pytest.mark.parametrize(
    "open_channel",
    [
        pytest.param(lambda address, certs: aio.insecure_channel(address), id="plaintext"),
        pytest.param(
            lambda address, certs: aio.secure_channel(address, grpc.ssl_channel_credentials()),
            id="tls-without-the-ca",
        ),
        pytest.param(
            lambda address, certs: aio.secure_channel(
                address, grpc.ssl_channel_credentials(root_certificates=certs.stranger.chain)
            ),
            id="tls-trusting-another-ca",
        ),
    ],
)
async def test_a_client_that_does_not_speak_tls_with_this_ca_is_refused(
    tls_api: ApiServer,
    certs: Certificates,
    open_channel: Callable[[str, Certificates], aio.Channel],
) -> None:
    # Given a TLS server, and a client that is plaintext or does not trust its certificate
    async with open_channel(f"127.0.0.1:{tls_api.port}", certs) as channel:
        # When it calls, then the call fails as for an unreachable server
        with pytest.raises(aio.AioRpcError) as caught:
            await health_status(channel)
    assert caught.value.code() == grpc.StatusCode.UNAVAILABLE


@pytest.mark.parametrize(
    ("client", "served"),
    [
        pytest.param("client", True, id="certificate-signed-by-the-client-ca"),
        pytest.param(None, False, id="no-certificate"),
        pytest.param("stranger", False, id="certificate-of-another-ca"),
    ],
)
async def test_with_a_client_ca_only_its_certificates_are_served(
    mtls_api: ApiServer,
    certs: Certificates,
    token_for: Callable[..., str],
    tenant: str,
    client: str | None,
    served: bool,
) -> None:
    # Given a server that requires client certificates signed by its client CA
    pair: Pair | None = getattr(certs, client) if client else None
    credentials = grpc.ssl_channel_credentials(
        root_certificates=certs.ca,
        private_key=pair.key if pair else None,
        certificate_chain=pair.chain if pair else None,
    )
    async with aio.secure_channel(f"127.0.0.1:{mtls_api.port}", credentials) as channel:
        if served:
            # When a client with such a certificate calls, then it is answered
            assert await health_status(channel) == health_pb2.HealthCheckResponse.SERVING
            assert list((await list_imports(channel, token_for(tenant))).imports) == []
        else:
            # When another calls, then the handshake fails: UNAVAILABLE
            with pytest.raises(aio.AioRpcError) as caught:
                await health_status(channel)
            assert caught.value.code() == grpc.StatusCode.UNAVAILABLE


def misconfigured(certs: Certificates, folder: Path, case: str) -> dict[str, Path]:
    server, client = certs.server, certs.client
    (folder / "garbage.pem").write_text("not a certificate\n")
    return {
        "cert-without-key": {"tls_cert_file": server.chain_file},
        "key-without-cert": {"tls_key_file": server.key_file},
        "client-ca-without-cert": {"tls_client_ca_file": certs.ca_file},
        "missing-file": {
            "tls_cert_file": folder / "nowhere.pem",
            "tls_key_file": server.key_file,
        },
        "key-of-another-cert": {
            "tls_cert_file": server.chain_file,
            "tls_key_file": client.key_file,
        },
        "client-ca-not-pem": {
            "tls_cert_file": server.chain_file,
            "tls_key_file": server.key_file,
            "tls_client_ca_file": folder / "garbage.pem",
        },
    }[case]


@pytest.mark.parametrize(
    ("case", "message"),
    [
        pytest.param(
            "cert-without-key",
            "CONTACTIMPORT_TLS_CERT_FILE is set without CONTACTIMPORT_TLS_KEY_FILE",
            id="cert-without-key",
        ),
        pytest.param(
            "key-without-cert",
            "CONTACTIMPORT_TLS_KEY_FILE is set without CONTACTIMPORT_TLS_CERT_FILE",
            id="key-without-cert",
        ),
        pytest.param(
            "client-ca-without-cert",
            "CONTACTIMPORT_TLS_CLIENT_CA_FILE is set without CONTACTIMPORT_TLS_CERT_FILE",
            id="client-ca-without-cert",
        ),
        pytest.param(
            "missing-file",
            "CONTACTIMPORT_TLS_CERT_FILE .*nowhere.pem: No such file",
            id="missing-file",
        ),
        pytest.param(
            "key-of-another-cert",
            "are not a PEM certificate chain and its .*private key",
            id="key-of-another-cert",
        ),
        pytest.param(
            "client-ca-not-pem",
            "CONTACTIMPORT_TLS_CLIENT_CA_FILE .*garbage.pem holds no PEM CA certificate",
            id="client-ca-not-pem",
        ),
    ],
)
async def test_tls_settings_that_cannot_serve_refuse_to_start(
    settings: Settings, certs: Certificates, tmp_path: Path, case: str, message: str
) -> None:
    # Given TLS settings that do not go together or name a bad file
    wrong = settings.model_copy(update=misconfigured(certs, tmp_path, case))

    # When the server starts, then it refuses with a message naming the setting
    with pytest.raises(TlsSetupError, match=message):
        await start_server(wrong, listen="127.0.0.1:0", run_relay_task=False)


def test_the_api_command_exits_with_the_message(certs: Certificates) -> None:
    # Given the environment of an API with a certificate but no key
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("CONTACTIMPORT_TLS_") and key != "CONTACTIMPORT_LISTEN"
    }
    env["CONTACTIMPORT_TLS_CERT_FILE"] = str(certs.server.chain_file)
    env["CONTACTIMPORT_LISTEN"] = "127.0.0.1:0"

    # When `python -m services.import_api` starts
    done = subprocess.run(
        [sys.executable, "-m", "services.import_api"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    # Then it exits 2 at once, saying what is wrong (and no traceback)
    assert done.returncode == 2
    assert (
        "not starting: CONTACTIMPORT_TLS_CERT_FILE is set without CONTACTIMPORT_TLS_KEY_FILE"
        in done.stderr
    )
    assert "Traceback" not in done.stderr
