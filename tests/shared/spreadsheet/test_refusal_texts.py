"""Every refusal is made of whole translatable texts: translated, no English is left."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from shared.errors import FileRejected
from shared.i18n.catalogues import render
from shared.spreadsheet import detect_format, read_sheet
from shared.spreadsheet.encodings import DECLARABLE
from tests.shared.spreadsheet.pseudo_language import (
    english_words,
    plain_values,
    use_pseudo_language,
)
from tests.shared.spreadsheet.spreadsheet_files import xlsx
from tests.shared.spreadsheet.test_reader import CONTACTS, REFUSED

# What the files of REFUSED and the cases below hold: shown as they are in every language.
USER_VALUES = (
    "Contacts",
    "Notes",
    "Lists",
    "Sheet1",
    "Sheet2",
    "First Name",
    "Phone",
    "Name",
    "Jan",
    "Customer Contact List",
    "Acme Corp",
    "Acme",
    "Report",
    "Jansen",
    "Amsterdam",
    "jan@example.com",
    # Names of encodings, not words.
    "UTF-16",
    "UTF-32",
)
# Values a refusal shows as they are: a part of an XLSX archive, a byte (0xE9).
_SHOWN_AS_IS = re.compile(r".*/.*|0x[0-9A-F]{2}|" + "|".join(map(re.escape, DECLARABLE)))


def refusal(build: Callable[[], bytes]) -> FileRejected:
    with pytest.raises(FileRejected) as caught:
        read_sheet(build(), max_inflated_bytes=100_000)  # as test_reader.test_refused
    return caught.value


@pytest.mark.parametrize(("recipe", "reason", "fragment"), REFUSED)
def test_every_refusal_is_translated_whole(
    monkeypatch: pytest.MonkeyPatch, recipe: Callable[[], bytes], reason: object, fragment: str
) -> None:
    pseudo_language = use_pseudo_language(monkeypatch)
    message = refusal(recipe).message
    rendered = render(message, pseudo_language)
    shown = [v for v in plain_values(message) if _SHOWN_AS_IS.fullmatch(v)]
    assert not english_words(rendered, *USER_VALUES, *shown), (str(message), rendered)


@pytest.mark.parametrize(
    "head",
    [
        b"%PDF-1.7\n",
        b"{\\rtf1\n",
        b"<html><table>",
        b"MIME-Version: 1.0\n",
        b"<?xml version='1.0'?><Workbook>",
        b"<?xml version='1.0'?><feed>",
        b"\x89PNG\r\n",
        "Name,Phone\n".encode("utf-16-le"),
        b"\x00\x01\x02\x03" * 200,
    ],
)
def test_every_format_refusal_is_translated_whole(
    monkeypatch: pytest.MonkeyPatch, head: bytes
) -> None:
    pseudo_language = use_pseudo_language(monkeypatch)
    with pytest.raises(FileRejected) as caught:
        detect_format(head)
    rendered = render(caught.value.message, pseudo_language)
    assert not english_words(rendered, *USER_VALUES), rendered


def test_hidden_sheet_marks_are_translated(monkeypatch: pytest.MonkeyPatch) -> None:
    pseudo_language = use_pseudo_language(monkeypatch)
    caught = refusal(lambda: xlsx(CONTACTS, hidden=["Lists"], extra=["Notes"]))
    rendered = render(caught.message, pseudo_language)
    assert '"Contacts", "Notes", "Lists" (xxxxxx)' in rendered, rendered
    assert not english_words(rendered, *USER_VALUES)


def test_several_title_rows_are_one_list(monkeypatch: pytest.MonkeyPatch) -> None:
    pseudo_language = use_pseudo_language(monkeypatch)
    caught = refusal(lambda: xlsx([["Acme"], ["Report"], [], *CONTACTS]))
    assert str(caught.message).startswith(
        'The column headers must be on row 1, but row 1 holds "Acme"; row 2 holds "Report" '
        "(a title, not column headers)"
    )
    rendered = render(caught.message, pseudo_language)
    assert not english_words(rendered, *USER_VALUES), rendered
