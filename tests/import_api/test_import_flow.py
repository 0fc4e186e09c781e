"""End to end through the real gRPC server, broker, worker and PostgreSQL."""

from __future__ import annotations

import io
import zipfile

import asyncpg
import openpyxl
import pytest

from shared.gen.contactimport.v1 import import_service_pb2 as pb
from tests.support import (
    csv_bytes,
    download_failures,
    import_file,
    start,
    upload,
    wait_finished,
    xls_bytes,
    xlsx_bytes,
)

pytestmark = pytest.mark.usefixtures("worker")

HEADER = ["Voornaam", "Achternaam", "Bedrijf", "E-mail", "Telefoon", "Mobiel", "Adres"]
VALID = [
    [
        "Jan",
        "Jansen",
        "Jansen BV",
        "jan@Example.NL",
        "020 123 4567",
        "06 12345678",
        "Dam 1\nAmsterdam",
    ],
    ["Émilie", "D'Arcy", "", "", "", "+32 470 12 34 56", ""],
    ["", "Bakker", "", "b@bakker.nl; b2@bakker.nl", "0201234567", "", ""],
]
INVALID = [
    ["", "", "Nameless BV", "", "0612345678", "", ""],  # NAME_MISSING
    ["Piet", "Puk", "", "not-an-email", "", "", ""],  # EMAIL_INVALID + PHONE_MISSING
]
ROWS = [HEADER, *VALID, *INVALID]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        pytest.param("contacts.csv", csv_bytes(ROWS), id="csv-comma"),
        pytest.param("contacts.csv", csv_bytes(ROWS, ";", bom=True), id="csv-semicolon-bom"),
        pytest.param("contacts.xlsx", xlsx_bytes(ROWS), id="xlsx"),
        pytest.param("contacts.xls", xls_bytes(ROWS), id="xls"),
    ],
)
async def test_a_file_imports_its_valid_rows_and_rejects_the_others(
    stub, auth, db: asyncpg.Pool, tenant, name, data
):
    # Given a file with three valid and two invalid contacts
    uploaded = await upload(stub, auth, data, name)
    assert uploaded.contact_import.state == pb.ContactImport.STATE_UPLOADED
    assert list(uploaded.headers) == HEADER
    assert uploaded.data_row_count == 5
    assert [r.row_number for r in uploaded.preview_rows] == [2, 3, 4, 5, 6]
    mapped = {c.header: c.field for c in uploaded.suggested_mapping.columns}
    assert mapped["Voornaam"] == pb.CONTACT_FIELD_FIRST_NAME
    assert mapped["Mobiel"] == pb.CONTACT_FIELD_MOBILE

    # When it is started with the suggested mapping and the token's country (NL)
    started = await start(stub, auth, uploaded)
    assert started.state in {pb.ContactImport.STATE_QUEUED, pb.ContactImport.STATE_RUNNING}
    finished = await wait_finished(stub, auth, started.import_id)

    # Then the valid rows are contacts and the invalid ones are in the failure workbook
    assert finished.state == pb.ContactImport.STATE_PARTIALLY_SUCCEEDED
    assert (finished.counts.rows, finished.counts.imported, finished.counts.failed) == (5, 3, 2)
    assert finished.counts.processed == 5
    assert finished.default_country == "NL"
    assert finished.has_failure_workbook
    contacts = await db.fetch(
        "SELECT * FROM contacts WHERE tenant_id = $1 ORDER BY source_row", tenant
    )
    assert [c["source_row"] for c in contacts] == [2, 3, 4]
    jan = contacts[0]
    assert (jan["first_name"], jan["company"]) == ("Jan", "Jansen BV")
    assert list(jan["emails"]) == ["jan@example.nl"]
    assert list(jan["phones"]) == ["+31201234567"]
    assert list(jan["mobiles"]) == ["+31612345678"]
    assert list(jan["addresses"]) == ["Dam 1\nAmsterdam"]
    assert contacts[1]["last_name"] == "D'Arcy"
    assert list(contacts[1]["mobiles"]) == ["+32470123456"]
    assert list(contacts[2]["emails"]) == ["b@bakker.nl", "b2@bakker.nl"]

    file_name, workbook = await download_failures(stub, auth, finished.import_id)
    assert file_name.endswith("-failed-rows.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(workbook)).active
    rows = [[c if c is not None else "" for c in r] for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == [*HEADER, "Row", "Reason"]
    assert [r[:7] for r in rows[1:]] == INVALID
    assert [r[7] for r in rows[1:]] == ["5", "6"]
    assert "name" in rows[1][8].lower()
    assert "e-mail" in rows[2][8].lower() or "email" in rows[2][8].lower()
    assert "phone" in rows[2][8].lower()


async def test_the_failure_workbook_never_holds_a_formula(stub, auth):
    # Given rows whose values look like formulas and carry characters XML forbids
    rows = [
        ["First name", "Phone", "Notes"],
        ['=HYPERLINK("http://evil","x")', "not a phone", "+SUM(A1)"],
        ["@cmd", "-1", "bell\x07char"],
    ]
    finished = await import_file(stub, auth, csv_bytes(rows))
    assert finished.state == pb.ContactImport.STATE_FAILED
    assert finished.error.reason == "NO_VALID_ROWS"

    # When the workbook is downloaded
    _, workbook = await download_failures(stub, auth, finished.import_id)

    # Then every cell is text and no sheet has a formula element
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name)
                assert b"<f " not in archive.read(name)
    sheet = openpyxl.load_workbook(io.BytesIO(workbook)).active
    values = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert values[0][:3] == ['=HYPERLINK("http://evil","x")', "not a phone", "+SUM(A1)"]
    assert values[1][:3] == ["@cmd", "-1", "bellchar"]
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type == "s"


async def test_a_dry_run_checks_every_row_but_stores_nothing(stub, auth, db, tenant):
    finished = await import_file(stub, auth, csv_bytes(ROWS), dry_run=True)

    assert finished.dry_run
    assert finished.state == pb.ContactImport.STATE_PARTIALLY_SUCCEEDED
    assert (finished.counts.imported, finished.counts.failed) == (3, 2)
    assert await db.fetchval("SELECT count(*) FROM contacts WHERE tenant_id = $1", tenant) == 0
    _, workbook = await download_failures(stub, auth, finished.import_id)
    assert openpyxl.load_workbook(io.BytesIO(workbook)).active.max_row == 3


async def test_the_request_country_beats_the_token_country(stub, auth, db, tenant):
    rows = [["Name", "Phone"], ["Lena", "030 1234567"]]
    finished = await import_file(stub, auth, csv_bytes(rows), country="DE")

    assert finished.state == pb.ContactImport.STATE_SUCCEEDED
    assert finished.default_country == "DE"
    phones = await db.fetchval("SELECT phones FROM contacts WHERE tenant_id = $1", tenant)
    assert list(phones) == ["+49301234567"]


async def test_watch_streams_until_a_terminal_state(stub, auth):
    rows = [["First name", "Mobile"]] + [[f"P{i}", f"0612{i:06d}"] for i in range(2500)]
    uploaded = await upload(stub, auth, csv_bytes(rows))
    started = await start(stub, auth, uploaded)

    states = []
    async for update in stub.WatchImport(
        pb.WatchImportRequest(import_id=started.import_id), metadata=auth
    ):
        states.append((update.contact_import.state, update.contact_import.counts.processed))

    assert states[-1] == (pb.ContactImport.STATE_SUCCEEDED, 2500)
    assert all(state == pb.ContactImport.STATE_SUCCEEDED for state, _ in states[-1:])
    processed = [p for _, p in states]
    assert processed == sorted(processed)


async def test_preview_returns_the_requested_rows_and_the_field_catalogue(stub, auth):
    rows = [["First name", "Mobile"]] + [[f"P{i}", f"0612{i:06d}"] for i in range(60)]
    uploaded = await upload(stub, auth, csv_bytes(rows))
    import_id = uploaded.contact_import.import_id

    default = await stub.GetFilePreview(
        pb.GetFilePreviewRequest(import_id=import_id), metadata=auth
    )
    capped = await stub.GetFilePreview(
        pb.GetFilePreviewRequest(import_id=import_id, row_limit=500), metadata=auth
    )

    assert len(default.preview_rows) == 5
    assert len(capped.preview_rows) == 50
    assert capped.preview_rows[49].row_number == 51
    assert capped.data_row_count == 60
    catalogue = {f.name: f.max_columns for f in default.fields}
    assert catalogue["first_name"] == 1
    assert catalogue["phone"] == 0
    assert set(catalogue) >= {
        "first_name",
        "last_name",
        "company",
        "email",
        "phone",
        "mobile",
        "address",
        "notes",
    }


async def test_a_fixed_failure_workbook_uploads_and_imports(stub, auth, db, tenant):
    # Given an import whose second row was rejected for its phone number
    rows = [["Voornaam", "Telefoon", "E-mail"], ["Jan", "0201234567", ""], ["Piet", "12ab", "=1+1"]]
    finished = await import_file(stub, auth, csv_bytes(rows))
    assert (finished.counts.imported, finished.counts.failed) == (1, 1)
    _, workbook = await download_failures(stub, auth, finished.import_id)

    # When the user fixes the number in the workbook and uploads it again
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    sheet = book.active
    assert [c.value for c in sheet[1]] == ["Voornaam", "Telefoon", "E-mail", "Row", "Reason"]
    sheet["B2"] = "020 765 4321"
    sheet["C2"] = "piet@example.nl"
    fixed = io.BytesIO()
    book.save(fixed)
    uploaded = await upload(stub, auth, fixed.getvalue(), "contacts-failed-rows.xlsx")
    again = await wait_finished(stub, auth, (await start(stub, auth, uploaded)).import_id)

    # Then Row and Reason stay unmapped and the fixed row is imported
    assert set(uploaded.unmapped_headers) == {"Row", "Reason"}
    assert again.state == pb.ContactImport.STATE_SUCCEEDED
    assert (again.counts.imported, again.counts.failed) == (1, 0)
    stored = await db.fetch(
        "SELECT first_name, phones, emails FROM contacts WHERE tenant_id = $1 ORDER BY id", tenant
    )
    assert [(r["first_name"], list(r["phones"]), list(r["emails"])) for r in stored] == [
        ("Jan", ["+31201234567"], []),
        ("Piet", ["+31207654321"], ["piet@example.nl"]),
    ]
