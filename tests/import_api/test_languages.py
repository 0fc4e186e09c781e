"""The caller's language: refusals, the failure workbook and its re-download in another one."""

from __future__ import annotations

import io

import grpc
import openpyxl
import pytest

from shared.errors import Reason
from shared.failure_workbook import REASON_HEADER, REASON_TITLES, ROW_HEADER
from shared.gen.contactimport.v1 import import_service_pb2 as pb
from shared.i18n.catalogues import render
from tests.support import csv_bytes, download_failures, error_details, import_file, upload

pytestmark = pytest.mark.usefixtures("worker")

LANGUAGES = ["en", "nl", "fr", "de"]
ROWS = [
    ["Voornaam", "Achternaam", "Mobiel"],
    ["Anna", "Jansen", "06 12345678"],
    ["Bert", "Smit", "12ab"],
]


def _workbook(data: bytes) -> list[list[str]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [[c.value or "" for c in row] for row in sheet.iter_rows()]


def _as(auth: tuple[tuple[str, str], ...], accept: str) -> tuple[tuple[str, str], ...]:
    return (*auth, ("accept-language", accept))


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_refusal_is_in_the_callers_language_with_the_same_reason(stub, auth, language):
    # Given an empty file, uploaded by a caller who reads `language`
    with pytest.raises(grpc.RpcError) as caught:
        await upload(stub, _as(auth, f"{language}-BE, en;q=0.1"), b"")

    # Then the reason is the stable code, and the message is the LocalizedMessage's
    details = error_details(caught.value)
    assert details["reason"] == "EMPTY_FILE"
    locale, message = details["localized"]
    assert locale == language
    assert message == details["message"] == caught.value.details()
    with pytest.raises(grpc.RpcError) as english:
        await upload(stub, auth, b"")
    assert (message == english.value.details()) is (language == "en")


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_failure_workbook_is_in_the_language_the_import_was_started_in(
    stub, auth, language
):
    # Given an import with one bad mobile number, started in `language`
    caller = _as(auth, language)
    finished = await import_file(stub, caller, csv_bytes(ROWS))
    assert finished.language == language
    assert (finished.counts.imported, finished.counts.failed) == (1, 1)

    # When its failure workbook is downloaded without naming a language
    _, data = await download_failures(stub, auth, finished.import_id)

    # Then its columns and reason are in that language
    header, row = _workbook(data)
    assert header[-2:] == [render(ROW_HEADER, language), render(REASON_HEADER, language)]
    assert row[-2] == "3"
    title = render(REASON_TITLES[Reason.PHONE_INVALID], language)
    assert row[-1].startswith(f"{title}: ")
    assert "12ab" in row[-1]
    if language != "en":
        assert title != str(REASON_TITLES[Reason.PHONE_INVALID])
        assert (
            row[-1]
            != _workbook((await download_failures(stub, _as(auth, "en"), finished.import_id))[1])[
                1
            ][-1]
        )


async def test_another_language_gets_the_same_rows_written_again(stub, auth):
    # Given an import started in Dutch
    finished = await import_file(stub, _as(auth, "nl"), csv_bytes(ROWS))

    # When a German reader downloads its failure workbook
    _, dutch = await download_failures(stub, _as(auth, "nl"), finished.import_id)
    _, german = await download_failures(stub, _as(auth, "de"), finished.import_id)

    # Then the same cells, with German columns and reasons
    dutch_rows, german_rows = _workbook(dutch), _workbook(german)
    assert german_rows[0][-2:] == [render(ROW_HEADER, "de"), render(REASON_HEADER, "de")]
    assert [r[:-1] for r in german_rows[1:]] == [r[:-1] for r in dutch_rows[1:]]
    assert german_rows[1][-1].startswith(render(REASON_TITLES[Reason.PHONE_INVALID], "de"))


async def test_the_history_text_is_in_the_callers_language(stub, auth):
    # Given a deleted import
    finished = await import_file(stub, auth, csv_bytes(ROWS))
    await stub.DeleteImport(pb.DeleteImportRequest(import_id=finished.import_id), metadata=auth)

    # When a Dutch and an English reader look at it
    async def summary(metadata: tuple[tuple[str, str], ...]) -> str:
        request = pb.GetImportRequest(import_id=finished.import_id)
        answer = await stub.GetImport(request, metadata=metadata)
        return str(answer.contact_import.deletion.summary)

    dutch = await summary(_as(auth, "nl"))
    english = await summary(auth)

    # Then each reads it in their language
    assert english.startswith("1 deleted by ")
    assert dutch != english
    assert dutch.startswith("1 ")
