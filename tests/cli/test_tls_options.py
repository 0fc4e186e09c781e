"""The command's --tls, --ca, --cert and --key (and CONTACTIMPORT_TLS*) against real servers.

The servers run on the session's event loop with certificates made here (trustme, for
localhost and 127.0.0.1), so each command runs in a thread while the test awaits it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import trustme

from services.cli import main as cli
from services.cli.client import ClientTls
from services.import_api.server import ApiServer, start_server
from shared.settings import Settings


@dataclass(frozen=True)
class Files:
    ca: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Files:
    folder = tmp_path_factory.mktemp("cli-tls")
    ca = trustme.CA()
    ca.cert_pem.write_to_path(str(folder / "ca.pem"))
    for name, cert in (
        ("server", ca.issue_cert("localhost", "127.0.0.1")),
        ("client", ca.issue_cert("client.example")),
    ):
        (folder / f"{name}.pem").write_bytes(b"".join(p.bytes() for p in cert.cert_chain_pems))
        cert.private_key_pem.write_to_path(str(folder / f"{name}.key"))
    return Files(
        ca=folder / "ca.pem",
        server_cert=folder / "server.pem",
        server_key=folder / "server.key",
        client_cert=folder / "client.pem",
        client_key=folder / "client.key",
    )


async def tls_server(settings: Settings, files: Files, client_ca: Path | None) -> ApiServer:
    tls = {
        "tls_cert_file": files.server_cert,
        "tls_key_file": files.server_key,
        "tls_client_ca_file": client_ca,
    }
    return await start_server(
        settings.model_copy(update=tls), listen="127.0.0.1:0", run_relay_task=False
    )


@pytest.fixture(scope="module")
async def tls_api(settings: Settings, files: Files) -> AsyncIterator[ApiServer]:
    api = await tls_server(settings, files, client_ca=None)
    yield api
    await api.stop(0.5)


@pytest.fixture(scope="module")
async def mtls_api(settings: Settings, files: Files) -> AsyncIterator[ApiServer]:
    api = await tls_server(settings, files, client_ca=files.ca)
    yield api
    await api.stop(0.5)


@pytest.fixture
def no_tls_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for suffix in ("", "_CA", "_CERT", "_KEY"):
        monkeypatch.delenv(f"CONTACTIMPORT_TLS{suffix}", raising=False)


def history_json(captured: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in captured.splitlines() if line.strip()]


# A flag is given as a (name, Files attribute) pair: the path is filled in by the test.
CALLS = [
    pytest.param("tls", [("--ca", "ca")], {}, True, id="tls-with-ca-flag"),
    pytest.param("tls", [("--tls", ""), ("--ca", "ca")], {}, True, id="tls-flag-and-ca"),
    pytest.param("tls", [], {"CONTACTIMPORT_TLS_CA": "ca"}, True, id="ca-from-env"),
    pytest.param("tls", [], {}, False, id="plaintext-to-tls-server"),
    pytest.param("tls", [("--tls", "")], {}, False, id="system-roots-do-not-sign-it"),
    pytest.param(
        "mtls",
        [("--ca", "ca"), ("--cert", "client_cert"), ("--key", "client_key")],
        {},
        True,
        id="client-certificate-flags",
    ),
    pytest.param(
        "mtls",
        [],
        {
            "CONTACTIMPORT_TLS_CA": "ca",
            "CONTACTIMPORT_TLS_CERT": "client_cert",
            "CONTACTIMPORT_TLS_KEY": "client_key",
        },
        True,
        id="client-certificate-from-env",
    ),
    pytest.param("mtls", [("--ca", "ca")], {}, False, id="no-client-certificate"),
]


@pytest.mark.usefixtures("no_tls_env")
@pytest.mark.parametrize(("server", "flags", "env", "served"), CALLS)
async def test_history_over_tls(
    tls_api: ApiServer,
    mtls_api: ApiServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    files: Files,
    token_for: Callable[..., str],
    tenant: str,
    server: str,
    flags: list[tuple[str, str]],
    env: dict[str, str],
    served: bool,
) -> None:
    # Given a TLS server (requiring client certificates for "mtls") and the command's options
    api = {"tls": tls_api, "mtls": mtls_api}[server]
    monkeypatch.setenv("CONTACTIMPORT_ADDR", f"127.0.0.1:{api.port}")
    monkeypatch.setenv("CONTACTIMPORT_TOKEN", token_for(tenant))
    for name, attribute in env.items():
        monkeypatch.setenv(name, str(getattr(files, attribute)))
    argv = ["history", "--json"]
    for flag, attribute in flags:
        argv += [flag, str(getattr(files, attribute))] if attribute else [flag]

    # When `contactimport history` runs
    status = await asyncio.to_thread(cli.main, argv)

    # Then it lists (nothing: a new tenant) or fails as for an unreachable server
    lines = history_json(capsys.readouterr().out)
    if served:
        assert (status, lines) == (0, [])
    else:
        assert status == 1
        error = lines[-1]["error"]
        assert isinstance(error, dict)
        assert error["code"] == "UNAVAILABLE"
        # And the hint says what to check on the TLS side
        assert ("Over TLS: does --ca" if flags else "add --tls") in str(error["message"])


@pytest.mark.usefixtures("no_tls_env")
@pytest.mark.parametrize(
    ("argv", "env", "message"),
    [
        pytest.param(
            ["--cert", "client_cert"],
            {},
            "--cert (or CONTACTIMPORT_TLS_CERT) needs --key (or CONTACTIMPORT_TLS_KEY)",
            id="cert-without-key",
        ),
        pytest.param(
            ["--key", "client_key"],
            {},
            "--key (or CONTACTIMPORT_TLS_KEY) needs --cert (or CONTACTIMPORT_TLS_CERT)",
            id="key-without-cert",
        ),
        pytest.param(
            [],
            {"CONTACTIMPORT_TLS_CERT": "client_cert"},
            "--cert (or CONTACTIMPORT_TLS_CERT) needs --key",
            id="cert-from-env-without-key",
        ),
        pytest.param(
            ["--ca", ""],
            {},
            "nowhere.pem: No such file or directory",
            id="ca-file-missing",
        ),
    ],
)
def test_tls_options_that_do_not_go_together_are_usage_errors(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    files: Files,
    argv: list[str],
    env: dict[str, str],
    message: str,
) -> None:
    # Given options naming a certificate without its key, or a file that is not there
    def path(attribute: str) -> str:
        return str(getattr(files, attribute) if attribute else files.ca.with_name("nowhere.pem"))

    args = ["history"]
    for i, word in enumerate(argv):
        args.append(path(word) if i % 2 else word)
    for name, attribute in env.items():
        monkeypatch.setenv(name, path(attribute))

    # When the command runs, then it stops before any call: usage error, exit status 2
    with pytest.raises(SystemExit) as stopped:
        cli.main(args)
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "usage: contactimport history" in err
    assert message in err


@pytest.mark.parametrize(
    ("argv", "env", "want"),
    [
        pytest.param([], {}, None, id="plaintext-by-default"),
        pytest.param(["--tls"], {}, ClientTls(), id="tls-system-roots"),
        pytest.param([], {"CONTACTIMPORT_TLS": "true"}, ClientTls(), id="tls-from-env"),
        pytest.param([], {"CONTACTIMPORT_TLS": "0"}, None, id="tls-env-off"),
        pytest.param(["--ca", "ca"], {}, "ca", id="ca-implies-tls"),
    ],
)
def test_which_channel_the_options_choose(
    files: Files, argv: list[str], env: dict[str, str], want: ClientTls | str | None
) -> None:
    # Given the command's TLS options and environment
    args = cli.build_parser().parse_args(
        ["history", *[str(getattr(files, w)) if w == "ca" else w for w in argv]]
    )

    # When the channel's TLS is chosen
    chosen = cli.client_tls(args, env)

    # Then it is plaintext, TLS with the system roots, or TLS with the given roots
    if want == "ca":
        assert chosen == ClientTls(ca=files.ca.read_bytes())
    else:
        assert chosen == want
