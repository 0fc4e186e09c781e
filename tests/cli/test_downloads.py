"""`contactimport failures` and `template` against the fake service: files saved whole
or not at all, under a bare name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from services.cli import main as cli
from tests.cli.canned import template_bytes
from tests.cli.fake_service import FakeImportService


def test_failures_saves_the_workbook_atomically(
    fake: FakeImportService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.xlsx"
    assert cli.main(["failures", "imp-1", "-o", str(target)]) == 0
    assert target.read_bytes() == fake.workbook
    assert not (tmp_path / "out.xlsx.part").exists()
    assert capsys.readouterr().out.strip() == f"Saved {target} (100,004 bytes)"


def test_failures_of_an_unknown_import_leaves_no_file(
    fake: FakeImportService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.xlsx"
    assert cli.main(["failures", "other", "-o", str(target)]) == 1
    assert capsys.readouterr().err.strip() == "error: NOT_FOUND IMPORT_NOT_FOUND: No such import."
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("flags", "sent", "locale"),
    [
        pytest.param([], "", "en", id="default-the-language"),
        pytest.param(["--locale", "nl"], "nl", "nl", id="dutch"),
        pytest.param(["--locale", "FR"], "fr", "fr", id="french-any-case"),
    ],
)
def test_template_is_saved_atomically(
    fake: FakeImportService,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    flags: list[str],
    sent: str,
    locale: str,
) -> None:
    target = tmp_path / "template.xlsx"
    assert cli.main(["template", *flags, "-o", str(target)]) == 0

    assert fake.template_locales == [sent]
    assert target.read_bytes() == template_bytes(locale)
    assert list(tmp_path.iterdir()) == [target]  # no .part left
    size = len(template_bytes(locale))
    assert capsys.readouterr().out == f"Saved {target} ({size:,} bytes)\n"

    assert cli.main(["template", *flags, "-o", str(target), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"path": str(target), "size": size}


@pytest.mark.parametrize(
    ("server_name", "saved_as"),
    [
        pytest.param("contacts-template-{locale}.xlsx", "contacts-template-nl.xlsx", id="name"),
        pytest.param("../../etc/evil-{locale}.xlsx", "evil-nl.xlsx", id="bare-name-only"),
        pytest.param("", "contacts-template-nl.xlsx", id="no-name-sent"),
    ],
)
def test_template_without_o_uses_the_servers_bare_file_name(
    fake: FakeImportService,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    server_name: str,
    saved_as: str,
) -> None:
    fake.template_file_name = server_name
    monkeypatch.chdir(tmp_path)
    assert cli.main(["template", "--locale", "nl"]) == 0
    assert [p.name for p in tmp_path.iterdir()] == [saved_as]
    assert capsys.readouterr().out == f"Saved {saved_as} (100,004 bytes)\n"


def test_a_broken_template_download_leaves_an_existing_file_as_it_was(
    fake: FakeImportService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "template.xlsx"
    target.write_bytes(b"the old one")
    fake.template_breaks = True

    assert cli.main(["template", "-o", str(target), "--json"]) == 1

    assert target.read_bytes() == b"the old one"
    assert list(tmp_path.iterdir()) == [target]
    error = json.loads(capsys.readouterr().out)["error"]
    assert (error["code"], error["reason"]) == ("INTERNAL", "INTERNAL")


def test_failures_without_o_saves_under_the_servers_bare_name(
    fake: FakeImportService,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(["failures", "imp-1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"path": "failures.xlsx", "size": 100_004}
    assert (tmp_path / "failures.xlsx").read_bytes() == fake.workbook


@pytest.mark.parametrize(
    ("flags", "env", "sent"),
    [
        pytest.param(["--language", "nl"], {}, "nl", id="flag"),
        pytest.param(["--language", "DE"], {"LANG": "fr_BE.UTF-8"}, "de", id="flag-beats-lang"),
        pytest.param([], {"LANG": "fr_BE.UTF-8"}, "fr", id="from-lang"),
        pytest.param([], {"LC_ALL": "nl_NL.UTF-8", "LANG": "de_DE"}, "nl", id="lc-all-first"),
        pytest.param([], {"LANG": "C.UTF-8"}, "en", id="c-locale-english"),
        pytest.param([], {"LANG": "es_ES.UTF-8"}, "en", id="unspoken-english"),
    ],
)
def test_the_language_goes_to_the_server_as_accept_language(
    fake: FakeImportService,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    flags: list[str],
    env: dict[str, str],
    sent: str,
) -> None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    assert cli.main(["template", *flags, "-o", str(tmp_path / "t.xlsx")]) == 0

    assert fake.languages == [sent]
