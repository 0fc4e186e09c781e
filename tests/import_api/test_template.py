"""DownloadTemplate: the template in every language imports back without a mapping change."""

from __future__ import annotations

import io

import asyncpg
import grpc
import openpyxl
import pytest

from services.import_api.template import template_headers
from shared.gen.contactimport.v1 import import_service_pb2 as pb
from tests.support import error_details, start, upload, wait_finished

pytestmark = pytest.mark.usefixtures("worker")

F = pb.ContactField


def _slots(field: int, base: str) -> list[tuple[str, int]]:
    return [(base, field)] + [(f"{base} {n}", field) for n in range(2, 6)]


def _expected_columns(
    first: str,
    last: str,
    company: str,
    email: str,
    phone: str,
    mobile: str,
    address: str,
    notes: str,
) -> list[tuple[str, int]]:
    return [
        (first, F.CONTACT_FIELD_FIRST_NAME),
        (last, F.CONTACT_FIELD_LAST_NAME),
        (company, F.CONTACT_FIELD_COMPANY),
        *_slots(F.CONTACT_FIELD_EMAIL, email),
        *_slots(F.CONTACT_FIELD_PHONE, phone),
        *_slots(F.CONTACT_FIELD_MOBILE, mobile),
        *_slots(F.CONTACT_FIELD_ADDRESS, address),
        (notes, F.CONTACT_FIELD_NOTES),
    ]


async def _download(stub, auth, locale: str) -> tuple[str, bytes, int]:
    name, parts = "", list[bytes]()
    async for message in stub.DownloadTemplate(
        pb.DownloadTemplateRequest(locale=locale), metadata=auth
    ):
        assert not (parts and message.file_name), "file_name only on the first message"
        name = name or message.file_name
        parts.append(message.chunk)
    assert all(len(p) <= 64 * 1024 for p in parts)
    return name, b"".join(parts), len(parts)


@pytest.mark.parametrize(
    ("locale", "file_name", "columns", "country_line", "notes"),
    [
        pytest.param(
            "",
            "contactimport-template-en.xlsx",
            _expected_columns(
                "First name", "Last name", "Company", "Email", "Phone", "Mobile", "Address", "Notes"
            ),
            "Netherlands",
            "Example row: replace it with your own contacts.",
            id="default-english",
        ),
        pytest.param(
            "en",
            "contactimport-template-en.xlsx",
            _expected_columns(
                "First name", "Last name", "Company", "Email", "Phone", "Mobile", "Address", "Notes"
            ),
            "Netherlands",
            "Example row: replace it with your own contacts.",
            id="en",
        ),
        pytest.param(
            "nl",
            "contactimport-template-nl.xlsx",
            _expected_columns(
                "Voornaam",
                "Achternaam",
                "Bedrijf",
                "E-mail",
                "Telefoon",
                "Mobiel",
                "Adres",
                "Notities",
            ),
            "Nederland",
            "Voorbeeldrij: vervang deze door uw eigen contacten.",
            id="nl",
        ),
        pytest.param(
            "fr",
            "contactimport-template-fr.xlsx",
            _expected_columns(
                "Prénom", "Nom", "Société", "E-mail", "Téléphone", "Portable", "Adresse", "Notes"
            ),
            "Pays-Bas",
            "Ligne d'exemple : remplacez-la par vos propres contacts.",
            id="fr",
        ),
        pytest.param(
            "de",
            "contactimport-template-de.xlsx",
            _expected_columns(
                "Vorname", "Nachname", "Firma", "E-Mail", "Telefon", "Handy", "Adresse", "Notizen"
            ),
            "Niederlande",
            "Beispielzeile: Ersetzen Sie sie durch Ihre eigenen Kontakte.",
            id="de",
        ),
    ],
)
async def test_template_round_trip_maps_every_column_and_imports_the_example(
    stub, token_for, tenant, db: asyncpg.Pool, locale, file_name, columns, country_line, notes
):
    # Given a tenant in Belgium: the example's +31 numbers must import whatever the country
    auth = (("authorization", f"Bearer {token_for(tenant, country='BE')}"),)

    # When the template is downloaded and uploaded back unchanged, and started as suggested
    name, data, _ = await _download(stub, auth, locale)
    uploaded = await upload(stub, auth, data, name)
    started = await start(stub, auth, uploaded)
    finished = await wait_finished(stub, auth, started.import_id)

    # Then the file is the XLSX named for its language, with one bold, frozen header row
    assert name == file_name
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets
    assert len(sheet) == 1
    assert sheet[0].freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[0][1])
    assert all(cell.data_type == "s" for cell in sheet[0][2] if cell.value is not None)
    # and every column is mapped, each to its intended field, each address a whole one
    assert list(uploaded.headers) == [header for header, _ in columns]
    assert list(uploaded.unmapped_headers) == []
    suggested = [(c.header, c.field) for c in uploaded.suggested_mapping.columns]
    assert suggested == columns
    assert {
        (c.address_part, c.address_group)
        for c in uploaded.suggested_mapping.columns
        if c.field == F.CONTACT_FIELD_ADDRESS
    } == {(pb.ADDRESS_PART_UNSPECIFIED, "")}
    # and the example row is imported with its values
    assert finished.state == pb.ContactImport.STATE_SUCCEEDED
    assert (finished.counts.rows, finished.counts.imported, finished.counts.failed) == (1, 1, 0)
    stored = await db.fetchrow(
        "SELECT first_name, last_name, company, emails, phones, mobiles, addresses, notes"
        " FROM contacts WHERE import_id = $1::uuid",
        finished.import_id,
    )
    assert dict(stored) == {
        "first_name": "Emma",
        "last_name": "de Vries",
        "company": "De Vries Installatietechniek B.V.",
        "emails": ["emma.devries@example.com"],
        "phones": ["+31201234567"],
        "mobiles": ["+31612345678"],
        "addresses": [f"Keizersgracht 123\n1015 CJ Amsterdam\n{country_line}"],
        "notes": notes,
    }


@pytest.mark.parametrize("locale", ["en", "nl", "fr", "de"])
def test_template_headers_name_five_slots_of_each_multi_valued_field(locale):
    # Given / When
    headers = template_headers(locale)

    # Then 3 single fields + 4 kinds x 5 slots + notes, no header twice
    assert len(headers) == 24
    assert len({h.casefold() for h in headers}) == 24


@pytest.mark.parametrize(
    "locale",
    [
        pytest.param("es", id="unsupported-language"),
        pytest.param("english", id="language-name"),
        pytest.param("nl-NL", id="region-tag"),
    ],
)
async def test_an_unknown_locale_is_refused(stub, auth, locale):
    # Given a locale the template is not written in
    request = pb.DownloadTemplateRequest(locale=locale)

    # When
    with pytest.raises(grpc.RpcError) as caught:
        async for _ in stub.DownloadTemplate(request, metadata=auth):
            pass

    # Then
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error_details(caught.value)["fields"] == ["locale"]
    assert '"en", "nl", "fr"' in caught.value.details()


async def test_the_template_needs_a_token(stub):
    # Given no authorization metadata
    request = pb.DownloadTemplateRequest(locale="en")

    # When
    with pytest.raises(grpc.RpcError) as caught:
        async for _ in stub.DownloadTemplate(request):
            pass

    # Then
    assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED


async def test_without_a_locale_the_template_is_in_the_callers_language(stub, auth):
    # Given a caller who reads German and names no locale
    metadata = [*auth, ("accept-language", "de-CH, en;q=0.5")]

    # When
    name, data, _ = await _download(stub, metadata, "")

    # Then the German template
    assert name == "contactimport-template-de.xlsx"
    assert openpyxl.load_workbook(io.BytesIO(data)).active["A1"].value == "Vorname"
