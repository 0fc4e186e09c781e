"""Each tool's export layout, end to end, with the suggested mapping untouched (issue 4, item 8).

The fixtures in tests/fixtures/layouts/ are the files as the tools write them; their
expected outcomes are in that folder's README.md. Each file is uploaded, started with the
mapping the service suggests, and checked as a user would: the state and counts, a few
stored contacts (E.164 numbers, e-mails, joined addresses, names), and the Row/Reason of
every rejected row in the failure workbook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import grpc
import pytest

from shared.errors import Reason
from shared.failure_workbook import REASON_TITLES
from shared.gen.contactimport.v1 import import_service_pb2 as pb
from tests.support import (
    error_details,
    failure_reasons,
    start,
    stored_contacts,
    upload,
    wait_finished,
)

pytestmark = pytest.mark.usefixtures("worker")

LAYOUTS = Path(__file__).resolve().parents[1] / "fixtures" / "layouts"
PARTIAL = pb.ContactImport.STATE_PARTIALLY_SUCCEEDED


@dataclass(frozen=True)
class Layout:
    """A fixture's expected import (tests/fixtures/layouts/README.md)."""

    file: str
    country: str
    rows: int
    imported: tuple[int, ...]
    failures: dict[int, tuple[Reason, ...]]
    stored: dict[int, dict[str, Any]] = field(default_factory=dict)
    """Stored columns of some imported rows (the others are not compared)."""
    quoted: dict[int, str] = field(default_factory=dict)
    """A value a rejected row's reason must quote."""
    unmapped: tuple[str, ...] = ()
    """Headers the suggested mapping must leave out (not contact data)."""


CASES = [
    Layout(
        "google_csv.csv",
        "US",
        rows=5,
        imported=(2, 3, 4),
        failures={5: (Reason.PHONE_MISSING,), 6: (Reason.EMAIL_INVALID,)},
        stored={
            2: {
                "first_name": "Ada",
                "last_name": "Lovelace",
                "company": "Analytical Engines Ltd",
                "mobiles": ["+447911123456"],
                "phones": ["+442079460958"],
                "emails": ["ada@example.com", "ada.lovelace@example.org"],
                "addresses": ["12 St James's Square\nLondon SW1Y 4JH\nUnited Kingdom"],
            },
            3: {
                "phones": [],  # the Work Fax is not stored
                "mobiles": ["+16502530000"],
                "addresses": [
                    "1600 Amphitheatre Parkway\nBuilding 40\n94043 Mountain View\nCA\n"
                    "United States",
                    "350 Fifth Avenue\nPO Box 12\n10118 New York\nNY\nUnited States",
                ],
            },
            4: {"first_name": "Émile", "mobiles": ["+33612345678"], "phones": ["+33123456789"]},
        },
        quoted={6: "nora.at.example.com"},
        unmapped=("Phone 1 - Label", "Address 1 - Label", "Labels", "Birthday"),
    ),
    Layout(
        "google_legacy.csv",
        "US",
        rows=4,
        imported=(2, 3, 5),
        failures={4: (Reason.PHONE_MISSING,)},
        stored={
            2: {
                "first_name": "Jan",
                "last_name": "de Vries",
                "mobiles": ["+31687654321"],
                "phones": ["+31201234567"],
                "emails": ["jan@example.nl"],
            },
            3: {"first_name": "Sinterklaas Pakjesdienst", "last_name": ""},
            5: {"addresses": ["36 Quai de Béthune\n75004 Paris\nFrance"]},
        },
        unmapped=("Phone 1 - Type", "Group Membership", "Birthday"),
    ),
    Layout(
        "outlook_en.csv",
        "US",
        rows=5,
        imported=(2, 3, 5),
        failures={4: (Reason.PHONE_MISSING,), 6: (Reason.NAME_MISSING,)},
        stored={
            2: {
                "first_name": "John",
                "last_name": "Smith",
                "company": "Contoso Ltd",
                "phones": ["+14258828080"],
                "mobiles": ["+12065550142"],
                "emails": ["john.smith@contoso.example"],
                "addresses": [
                    "1 Microsoft Way\nBuilding 92\n98052 Redmond\nWA\nUnited States of America"
                ],
            },
            3: {
                "last_name": "O'Brien",
                "addresses": [
                    "7 Merrion Square\nD02 VR66 Dublin\nIreland",
                    "PO Box 99\nCork\nIreland",
                ],
            },
            5: {"phones": [], "mobiles": ["+14155552671"]},
        },
        unmapped=("Business Fax", "Home Fax", "Pager", "Telex", "Job Title", "Birthday"),
    ),
    Layout(
        "outlook_de.csv",
        "US",
        rows=4,
        imported=(2, 3, 5),
        failures={4: (Reason.PHONE_MISSING,)},
        stored={
            2: {
                "first_name": "Jürgen",
                "last_name": "Müller",
                "company": "Müller & Söhne GmbH",
                "phones": ["+493012345678"],
                "mobiles": ["+4915123456789"],
                "addresses": ["Friedrichstraße 123\n10117 Berlin\nDeutschland"],
            },
            5: {
                "mobiles": ["+491701234567"],
                "addresses": ["Postfach 10 20 30\n20095 Hamburg\nDeutschland"],
            },
        },
        unmapped=("Ort", "Fax geschäftlich", "Fax privat", "Pager", "Telex"),
    ),
    Layout(
        "outlook_nl.csv",
        "US",
        rows=4,
        imported=(2, 3),
        failures={4: (Reason.PHONE_MISSING,), 5: (Reason.EMAIL_INVALID,)},
        stored={
            2: {
                "first_name": "Sanne",
                "last_name": "Jansen",
                "phones": ["+31201234567"],
                "addresses": ["Herengracht 100\n1015 BS Amsterdam\nNederland"],
            },
            3: {"phones": ["+31102345678"], "mobiles": ["+31612345678"]},
        },
        quoted={5: "kees@"},
        unmapped=("Fax op werk", "Fax thuis", "Pager", "Telex"),
    ),
    Layout(
        "outlook_fr.csv",
        "US",
        rows=3,
        imported=(2, 3),
        failures={4: (Reason.PHONE_MISSING,)},
        stored={
            2: {
                "first_name": "François",
                "last_name": "Lefèvre",
                "company": "Boulangerie Lefèvre SARL",
                "phones": ["+33123456789"],
                "mobiles": ["+33612345678"],
                "emails": ["francois@lefevre.example"],
                "addresses": ["12 rue de Rivoli\n75001 Paris\nFrance"],
            },
        },
        unmapped=("Titre", "Télécopie (bureau)", "Récepteur de radiomessagerie", "Télex"),
    ),
    Layout(
        "quickbooks_customers.csv",
        "US",
        rows=4,
        imported=(2, 4, 5),
        failures={3: (Reason.NAME_MISSING, Reason.PHONE_MISSING)},
        stored={
            2: {
                "first_name": "Hector Ortiz",
                "company": "",  # the Customer column (a display name) is not imported
                "phones": ["+18135553030"],
                "emails": ["ap@ortiz.example"],
                "addresses": ["55 Bay St, Tampa, FL 33602"],
            },
        },
        unmapped=("Customer", "Open Balance", "Currency"),
    ),
    *(
        Layout(
            name,
            "US",
            rows=5,
            imported=(2, 3, 6),
            failures={4: (Reason.PHONE_MISSING,), 5: (Reason.EMAIL_INVALID,)},
            stored={
                2: {
                    "first_name": "Maria",
                    "company": "Brightside Dental",
                    "phones": ["+14156561000"],
                    "mobiles": ["+14155552671"],
                    "emails": ["maria@brightside.example"],
                    "addresses": ["415 Mission St\n94105 San Francisco\nCA\nUnited States"],
                },
                6: {"phones": ["+81312345678"]},
            },
            quoted={5: "marie@@example.fr"},
            unmapped=("Record ID", "Contact owner", "Create Date", "Fax Number", "Job Title"),
        )
        for name in ("hubspot_contacts.csv", "hubspot_contacts.xlsx")
    ),
    Layout(
        "salesforce_contacts.csv",
        "US",
        rows=4,
        imported=(2, 3, 5),
        failures={4: (Reason.PHONE_MISSING,)},
        stored={
            2: {
                "first_name": "Rose",
                "company": "Edge Communications",
                "phones": ["+15127576000"],
                "emails": ["rose@edge.example"],
                "addresses": ["313 Constitution Place\nSuite 400\n78767 Austin\nTX\nUSA"],
            },
            3: {"mobiles": ["+15127576001"], "addresses": []},
        },
        unmapped=("Contact Owner", "Salutation", "Title", "Fax", "Lead Source", "Contact ID"),
    ),
    Layout(
        "vcard_converter.csv",
        "US",
        rows=4,
        imported=(2, 3, 5),
        failures={4: (Reason.PHONE_MISSING,)},
        stored={
            2: {
                "first_name": "Klara",
                "last_name": "Bauer",
                "company": "Bauer Consulting",
                "emails": ["klara@bauer.example"],  # EmailPref names a column: no e-mail
                "phones": ["+493012345678"],
                "mobiles": ["+4915123456789"],
            },
            5: {
                "emails": ["lotte@example.be", "lotte.peeters@example.org"],
                "addresses": ["Meir 1\nPostbus 5\n2000 Antwerpen\nBelgië"],
            },
        },
        unmapped=("EmailPref", "TelFax0", "TelPager0", "Uid"),
    ),
    Layout(
        "handmade_en.csv",
        "US",
        rows=4,
        imported=(2, 3),
        failures={4: (Reason.PHONE_MISSING,), 5: (Reason.NAME_MISSING,)},
        stored={
            2: {
                "first_name": "Olivia Brown",
                "company": "Brown & Co",
                "mobiles": ["+447911123456"],
                "phones": ["+442079460958"],
                "addresses": ["1 High Street\nOX1 1AA Oxford"],
                "notes": "VIP",
            },
            3: {"phones": ["+12127363100"], "emails": ["noah@example.com"]},
        },
        unmapped=("Fax (office)", "Date added"),
    ),
    Layout(
        "handmade_nl.csv",
        "NL",
        rows=3,
        imported=(2, 3),
        failures={4: (Reason.PHONE_MISSING,)},
        stored={
            2: {
                "first_name": "Sophie",
                "last_name": "Boer",  # Tussenvoegsel stays unmapped (README "Choices")
                "company": "De Boer Bloemen",
                "phones": ["+31201234567"],
                "mobiles": ["+31612345678"],
                "emails": ["sophie@deboer.example"],
                "addresses": ["Prinsengracht 263\n1016 GV Amsterdam"],
            },
            3: {"mobiles": ["+31687654321"]},
        },
        unmapped=("Tussenvoegsel", "Geboortedatum"),
    ),
    Layout(
        "handmade_fr.csv",
        "FR",
        rows=3,
        imported=(2, 3),
        failures={4: (Reason.PHONE_INVALID,)},
        stored={
            2: {
                "first_name": "Léa",
                "last_name": "Martin",
                "phones": ["+33123456789"],
                "mobiles": ["+33612345678"],
                "emails": ["lea@martin.example"],
                "addresses": ["5 rue de la Paix\n75002 Paris"],
            },
            3: {"mobiles": ["+33698765432"]},
        },
        quoted={4: "12 34"},
        unmapped=("Fonction",),
    ),
    Layout(
        "handmade_de.csv",
        "DE",
        rows=3,
        imported=(2, 3),
        failures={4: (Reason.PHONE_MISSING, Reason.EMAIL_INVALID)},
        stored={
            2: {
                "first_name": "Sabine",
                "last_name": "Wagner",
                "phones": ["+493012345678"],
                "mobiles": ["+4915123456789"],
                "emails": ["sabine@wagner.example"],
                "addresses": ["Unter den Linden 5\n10117 Berlin"],
            },
            3: {"mobiles": ["+491701234567"]},
        },
        quoted={4: "max@@example.de"},
        unmapped=("Anrede", "Geburtstag"),
    ),
]


def test_every_layout_fixture_has_a_case():
    files = {p.name for p in LAYOUTS.iterdir() if p.suffix in {".csv", ".xlsx", ".xls"}}
    assert files == {case.file for case in CASES} | {"quickbooks_contact_list_report.csv"}


@pytest.mark.parametrize("case", [pytest.param(c, id=c.file) for c in CASES])
async def test_a_layout_imports_with_the_suggested_mapping(
    stub, auth, db: asyncpg.Pool, tenant, case: Layout
):
    # Given the export as the tool wrote it, uploaded
    uploaded = await upload(stub, auth, (LAYOUTS / case.file).read_bytes(), case.file)
    mapped = {c.header for c in uploaded.suggested_mapping.columns}
    assert not mapped & set(case.unmapped)

    # When it is started with the suggested mapping, untouched
    started = await start(stub, auth, uploaded, country=case.country)
    finished = await wait_finished(stub, auth, started.import_id)

    # Then the right rows are in, with the values a user expects
    assert finished.state == PARTIAL, finished.error.message
    counts = finished.counts
    assert (counts.rows, counts.imported, counts.failed) == (
        case.rows,
        len(case.imported),
        len(case.failures),
    )
    stored = await stored_contacts(db, tenant)
    assert sorted(stored) == list(case.imported)
    for row, values in case.stored.items():
        assert {k: stored[row][k] for k in values} == values, f"row {row}"

    # And the rejected rows are in the failure workbook with exactly their reasons
    reasons = await failure_reasons(stub, auth, finished.import_id)
    assert sorted(reasons) == sorted(case.failures)
    for row, expected in case.failures.items():
        given = {reason for reason, title in REASON_TITLES.items() if f"{title}:" in reasons[row]}
        assert given == set(expected), f"row {row}: {reasons[row]!r}"
        if row in case.quoted:
            assert f'"{case.quoted[row]}"' in reasons[row]


async def test_a_quickbooks_report_with_its_title_block_is_refused(stub, auth):
    name = "quickbooks_contact_list_report.csv"
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await upload(stub, auth, (LAYOUTS / name).read_bytes(), name)

    error = caught.value
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error_details(error)["reason"] == "MISSING_HEADER"
    message = error.details() or ""
    for fragment in (
        'row 1 holds "Harbour Plumbing LLC"',
        'row 2 holds "Customer Contact List"',
        'row 3 holds "All Dates"',
        "headers seem to be on row 5",
        "Delete rows 1 to 4",
    ):
        assert fragment in message, message
