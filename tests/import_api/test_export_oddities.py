"""The oddities of real exports, end to end: upload, suggested mapping, start, worker, PostgreSQL.

Each case is a small file as a tool or a person writes it (issue 4, items 2-5; SPEC "Real-world
exports" and the row conventions under "Row rules"). Every case starts with the mapping the
service suggests, untouched, and checks what a user would: the state and counts, the stored
values of the imported rows, and the Row/Reason of each row in the failure workbook.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import grpc
import openpyxl
import pytest

from shared.gen.contactimport.v1 import import_service_pb2 as pb
from tests.shared.spreadsheet.spreadsheet_files import inline_row, raw_xlsx
from tests.support import (
    csv_bytes,
    error_details,
    failure_reasons,
    start,
    stored_contacts,
    upload,
    wait_finished,
    xls_bytes,
    xlsx_bytes,
)

pytestmark = pytest.mark.usefixtures("worker")

SUCCEEDED = pb.ContactImport.STATE_SUCCEEDED
PARTIAL = pb.ContactImport.STATE_PARTIALLY_SUCCEEDED
FAILED = pb.ContactImport.STATE_FAILED

# Reason titles of the failure workbook (shared/failure_workbook.py).
PHONE_MISSING = "Phone missing"
TOO_MANY = "Too many values"
PHONE_INVALID = "Phone invalid"
NAME_MISSING = "Name missing"
FAX_DO_NOT_COUNT = "fax, pager and telex numbers do not count"


@dataclass(frozen=True)
class Expected:
    """What a user expects of an import: its end, each imported row's values, each rejection.

    `contacts` names every imported row by its spreadsheet row number, with the stored
    columns to compare (others are not checked); `failures` names every rejected row with
    fragments its Reason cell must contain.
    """

    state: Any
    rows: int
    contacts: dict[int, dict[str, Any]]
    failures: dict[int, tuple[str, ...]] = field(default_factory=dict)
    unmapped: tuple[str, ...] = ()


def _rows(*cells: list[Any]) -> list[list[Any]]:
    return list(cells)


# -- Item 2: typed values ----------------------------------------------------------------

GOOGLE_PHONES = [
    "First Name",
    "Last Name",
    "Phone 1 - Label",
    "Phone 1 - Value",
    "Phone 2 - Label",
    "Phone 2 - Value",
]
GOOGLE_LABEL_DECIDES = Expected(
    PARTIAL,
    rows=6,
    contacts={
        2: {"first_name": "Anna", "mobiles": ["+31612345671"], "phones": ["+31201234567"]},
        3: {"first_name": "Bert", "mobiles": ["+31612345672"], "phones": []},
        4: {"first_name": "Carla", "mobiles": ["+31612345673"], "phones": ["+31201234568"]},
        7: {"first_name": "Fem", "mobiles": [], "phones": ["+31201234561"]},
    },
    failures={5: (PHONE_MISSING, FAX_DO_NOT_COUNT), 6: (PHONE_MISSING, FAX_DO_NOT_COUNT)},
    unmapped=("Phone 1 - Label", "Phone 2 - Label"),
)
GOOGLE_LABEL_ROWS = _rows(
    GOOGLE_PHONES,
    ["Anna", "Smit", "Mobile", "06 12345671", "Work", "020 1234567"],
    ["Bert", "Smit", "* Mobile", "+31 6 12345672", "", ""],
    # Google puts several values of one entry in one cell, labels alike.
    ["Carla", "Smit", "Mobile ::: Work", "06 12345673 ::: 020 1234568", "", ""],
    ["Dirk", "Smit", "Work Fax", "020 1234569", "", ""],
    ["Eva", "Smit", "Fax", "020 1234560", "Pager", "06 12345674"],
    ["Fem", "Smit", "Home", "020 1234561", "Work Fax", "020 1234562"],
)
GOOGLE_LEGACY_ROWS = _rows(
    ["Name", "Given Name", "Family Name", "Phone 1 - Type", "Phone 1 - Value"],
    ["Jan Jansen", "Jan", "Jansen", "Mobile", "06 12345671"],
    ["Piet Puk", "", "", "Work", "06 12345672"],
    ["Kees Kok", "Kees", "Kok", "Home Fax", "020 1234568"],
    ["Lot Lam", "Lot", "Lam", "* Mobile ::: Telex", "06 12345673 ::: 020 1234569"],
)
GOOGLE_LEGACY = Expected(
    PARTIAL,
    rows=4,
    contacts={
        2: {"first_name": "Jan", "last_name": "Jansen", "mobiles": ["+31612345671"]},
        # A "Work" label keeps the column's field: a phone (a mobile number stays a phone).
        3: {"first_name": "Piet Puk", "last_name": "", "phones": ["+31612345672"]},
        5: {"first_name": "Lot", "mobiles": ["+31612345673"], "phones": []},
    },
    failures={4: (PHONE_MISSING, FAX_DO_NOT_COUNT)},
    unmapped=("Phone 1 - Type",),
)
OUTLOOK_FAX_ROWS = _rows(
    ["First Name", "Last Name", "Business Phone", "Business Fax", "Mobile Phone"],
    ["Jan", "Jansen", "020 1234567", "020 1234568", "06 12345671"],
    ["Piet", "Puk", "", "020 1234569", ""],
)
OUTLOOK_FAX = Expected(
    PARTIAL,
    rows=2,
    contacts={2: {"phones": ["+31201234567"], "mobiles": ["+31612345671"]}},
    failures={3: (PHONE_MISSING,)},
    unmapped=("Business Fax",),
)
VCARD_FAX_ROWS = _rows(
    ["GivenNames", "FamilyName", "TelCell1", "TelVoice1", "TelFax1"],
    ["Jan", "Jansen", "06 12345671", "020 1234567", "020 1234568"],
    ["Piet", "Puk", "", "", "020 1234569"],
)
VCARD_FAX = Expected(
    PARTIAL,
    rows=2,
    contacts={2: {"phones": ["+31201234567"], "mobiles": ["+31612345671"]}},
    failures={3: (PHONE_MISSING,)},
    unmapped=("TelFax1",),
)
MULTI_VALUE_ROWS = _rows(
    ["First name", "E-mail", "Phone", "Phone 2"],
    # Five phones and four e-mails, with every separator: in.
    [
        "Anna",
        "a@x.nl; b@x.nl ::: c@x.nl\nd@x.nl",
        "020 1234561; 020 1234562\n020 1234563 ::: 020 1234564",
        "020 1234565",
    ],
    # Six phones over two columns and three separators: too many.
    ["Bert", "", "020 1234561;020 1234562;020 1234563", "020 1234564\n020 1234565 ::: 020 1234566"],
    # Six e-mails in one cell: too many.
    ["Carla", "a@x.nl ::: b@x.nl ::: c@x.nl; d@x.nl\ne@x.nl;f@x.nl", "020 1234561", ""],
    # The same number written three ways is one value: five distinct phones are fine.
    ["Dirk", "", "020 1234561; +31 20 123 4561; 020 1234562", "020 1234563;020 1234564;0201234565"],
)
MULTI_VALUE = Expected(
    PARTIAL,
    rows=4,
    contacts={
        2: {
            "emails": ["a@x.nl", "b@x.nl", "c@x.nl", "d@x.nl"],
            "phones": [f"+3120123456{n}" for n in range(1, 6)],
        },
        5: {"phones": [f"+3120123456{n}" for n in range(1, 6)]},
    },
    failures={3: (TOO_MANY, "6 phone numbers"), 4: (TOO_MANY, "6 e-mail addresses")},
)

# -- Item 3: addresses -------------------------------------------------------------------

ADDRESS_PARTS = ["Formatted", "Street", "City", "PO Box", "Region", "Postal Code", "Country"]
GOOGLE_ADDRESS_HEADERS = [
    "First Name",
    "Last Name",
    "Phone 1 - Label",
    "Phone 1 - Value",
    *(
        f"Address {n} - {part}"
        for n in (1, 2)
        for part in ["Label", *ADDRESS_PARTS, "Extended Address"]
    ),
]


def _google_address_row(name: str, first: dict[str, str], second: dict[str, str]) -> list[str]:
    cells = [name, "Smit", "Mobile", f"06 1234567{len(name)}"]
    for group in (first, second):
        cells += [group.get(part, "") for part in ["Label", *ADDRESS_PARTS, "Extended Address"]]
    return cells


GOOGLE_ADDRESS_ROWS = _rows(
    GOOGLE_ADDRESS_HEADERS,
    _google_address_row(
        "Anna",
        {
            "Label": "Work",
            "Street": "Keizersgracht 1",
            "Extended Address": "3rd floor",
            "PO Box": "Postbus 12",
            "Postal Code": "1015 AA",
            "City": "Amsterdam",
            "Region": "Noord-Holland",
            "Country": "Netherlands",
        },
        {"Label": "Home"},  # a label alone is no address
    ),
    _google_address_row(
        "Bo",
        {
            "Label": "Work",
            "Formatted": "Dam 1\n1012 JS Amsterdam",
            "Street": "Dam 1",
            "City": "Amsterdam",
        },
        {"Street": "Coolsingel 40", "Postal Code": "3011 AD", "City": "Rotterdam"},
    ),
    _google_address_row("Cas", {}, {}),
    _google_address_row("Door", {}, {"Street": "Oudegracht 1", "City": "Utrecht"}),
)
GOOGLE_ADDRESSES = Expected(
    SUCCEEDED,
    rows=4,
    contacts={
        2: {
            "addresses": [
                "Keizersgracht 1\n3rd floor\nPostbus 12\n1015 AA Amsterdam\nNoord-Holland\n"
                "Netherlands"
            ]
        },
        3: {"addresses": ["Dam 1\n1012 JS Amsterdam", "Coolsingel 40\n3011 AD Rotterdam"]},
        4: {"addresses": []},
        5: {"addresses": ["Oudegracht 1\nUtrecht"]},
    },
    unmapped=("Address 1 - Label", "Address 2 - Label"),
)
OUTLOOK_ADDRESS_ROWS = _rows(
    [
        "First Name",
        "Last Name",
        "Business Phone",
        "Business Street",
        "Business Street 2",
        "Business City",
        "Business State",
        "Business Postal Code",
        "Business Country/Region",
        "Home Street",
        "Home City",
        "Home Postal Code",
        "Home Country/Region",
    ],
    [
        "Jan",
        "Jansen",
        "020 1234567",
        "Stationsplein 1",
        "Gebouw B",
        "Utrecht",
        "Utrecht",
        "3511 ED",
        "Netherlands",
        "Lindenlaan 2",
        "Zeist",
        "3701 AB",
        "Netherlands",
    ],
    ["Piet", "Puk", "020 1234568", "", "", "", "", "", "", "Lindenlaan 4", "Zeist", "", ""],
)
OUTLOOK_ADDRESSES = Expected(
    SUCCEEDED,
    rows=2,
    contacts={
        2: {
            "addresses": [
                "Stationsplein 1\nGebouw B\n3511 ED Utrecht\nUtrecht\nNetherlands",
                "Lindenlaan 2\n3701 AB Zeist\nNetherlands",
            ]
        },
        3: {"addresses": ["Lindenlaan 4\nZeist"]},
    },
)

# -- Item 4: names -----------------------------------------------------------------------

NAMES_ROWS = _rows(
    ["First name", "Last name", "Phone"],
    ["Zoë 🌷", "O'Brien", "020 1234561"],
    ["محمد", "العلي", "020 1234562"],
    ["שרה", "כהן", "020 1234563"],
    ["Łukasz", "Żółć-D’Arcy", "020 1234564"],
    ["👨‍👩‍👧 Family", "Rene\u0301e", "020 1234565"],  # a ZWJ emoji; a decomposed accent
    ["\u00a0Jan\u2003", "\u3000Jansen\u00a0\u200b", "020 1234566"],  # Unicode whitespace
    ["Pi\x07et", "Pu\x1bk\x7f", "020 1234567"],  # C0 controls and DEL
)
NAMES = Expected(
    SUCCEEDED,
    rows=7,
    contacts={
        2: {"first_name": "Zoë 🌷", "last_name": "O'Brien"},
        3: {"first_name": "محمد", "last_name": "العلي"},
        4: {"first_name": "שרה", "last_name": "כהן"},
        5: {"first_name": "Łukasz", "last_name": "Żółć-D’Arcy"},
        6: {"first_name": "👨‍👩‍👧 Family", "last_name": "Rene\u0301e"},
        7: {"first_name": "Jan", "last_name": "Jansen"},
        8: {"first_name": "Piet", "last_name": "Puk"},
    },
)
COMBINED_NAME_ROWS = _rows(
    ["First Name", "Last Name", "Full Name", "Phone"],
    ["", "", "Jan Jansen", "020 1234561"],
    ["Piet", "", "Piet Puk", "020 1234562"],
    ["", "Kok", "Kees Kok", "020 1234563"],
    ["", "", "\u00a0", "020 1234564"],
)
COMBINED_NAME = Expected(
    PARTIAL,
    rows=4,
    contacts={
        2: {"first_name": "Jan Jansen", "last_name": ""},
        3: {"first_name": "Piet", "last_name": ""},
        4: {"first_name": "", "last_name": "Kok"},
    },
    failures={5: (NAME_MISSING,)},
)

# -- Item 5: file oddities ---------------------------------------------------------------

SEP_HINT = b"sep=;\r\nVoornaam;Telefoon\r\nJan;0612345671\r\nPiet;geen nummer\r\n"
SEP_HINT_EXPECTED = Expected(
    PARTIAL,
    rows=2,
    contacts={3: {"first_name": "Jan", "phones": ["+31612345671"]}},
    failures={4: (PHONE_INVALID, '"geen nummer"')},
)
SALESFORCE_HEADER = ["First Name", "Last Name", "Account Name", "Phone", "Mobile", "Email"]
SALESFORCE_DATA = [
    ["Jan", "Jansen", "Acme", "020 1234567", "06 12345671", "jan@acme.nl"],
    ["Piet", "Puk", "Acme", "", "06 12345672", "piet@acme.nl"],
]
# What a Salesforce report export appends under the rows (report name, then the footer).
SALESFORCE_FOOTER = [
    [""],
    [""],
    ["Contacts with phones"],
    ["Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."],
    ["Confidential Information - Do Not Distribute"],
    ["Generated By:  Anna Admin  11/26/2026 9:14 AM"],
    ["Acme Inc."],
]
SALESFORCE_FOOTER_ONLY = [
    ["Confidential Information - Do Not Distribute"],
    ["Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."],
    ["Generated By: Anna Admin 11/26/2026 9:14 AM"],
]
SALESFORCE_EXPECTED = Expected(
    SUCCEEDED,
    rows=2,
    contacts={
        2: {"company": "Acme", "emails": ["jan@acme.nl"], "phones": ["+31201234567"]},
        3: {"company": "Acme", "mobiles": ["+31612345672"]},
    },
)


def _padded(rows: list[list[str]], width: int) -> list[list[str]]:
    return [row + [""] * (width - len(row)) for row in rows]


EMPTY_HEADER_ROWS = _rows(
    ["First name", "", "Phone", ""],
    ["Jan", "", "0612345671", ""],
    ["Piet", " ", "0612345672", ""],
)
EMPTY_HEADER = Expected(
    SUCCEEDED,
    rows=2,
    contacts={2: {"phones": ["+31612345671"]}, 3: {"phones": ["+31612345672"]}},
)


def _formula_workbook() -> bytes:
    """An XLSX whose cells are formulas with cached values, as Excel saves them."""
    header = inline_row(1, ["Name", "Mobile", "Email"])
    rows = (
        '<row r="2"><c r="A2" t="inlineStr"><is><t>Jan</t></is></c>'
        '<c r="B2" t="str"><f>"06"&amp;"12345671"</f><v>0612345671</v></c>'
        '<c r="C2" t="str"><f>LOWER("JAN@X.NL")</f><v>jan@x.nl</v></c></row>'
        '<row r="3"><c r="A3" t="str"><f>PROPER("piet")</f><v>Piet</v></c>'
        '<c r="B3"><f>600000000+12345672</f><v>612345672</v></c>'
        '<c r="C3" t="str"><f>""</f><v></v></c></row>'
        # Formulas that give "" are no row: not imported, not rejected, not counted.
        '<row r="4"><c r="A4" t="str"><f>""</f><v></v></c>'
        '<c r="B4" t="str"><f>IF(A4="","",A4)</f><v></v></c></row>'
        '<row r="5"><c r="A5" t="inlineStr"><is><t>Kees</t></is></c>'
        '<c r="B5" t="str"><f>"06 1234 5673"</f><v>06 1234 5673</v></c></row>'
    )
    return raw_xlsx(header + rows)


FORMULAS = Expected(
    SUCCEEDED,
    rows=3,
    contacts={
        2: {"first_name": "Jan", "mobiles": ["+31612345671"], "emails": ["jan@x.nl"]},
        3: {"first_name": "Piet", "mobiles": ["+31612345672"], "emails": []},
        5: {"first_name": "Kees", "mobiles": ["+31612345673"]},
    },
)
NUMBER_ROWS = _rows(
    ["Name", "Mobile", "Phone"],
    ["Jan", 612345671, 201234567],
    ["Piet", 31612345672, ""],  # the + lost, the country code kept
    ["Kees", 612345673.0, 31201234568.0],
)
NUMBERS = Expected(
    SUCCEEDED,
    rows=3,
    contacts={
        2: {"mobiles": ["+31612345671"], "phones": ["+31201234567"]},
        3: {"mobiles": ["+31612345672"], "phones": []},
        4: {"mobiles": ["+31612345673"], "phones": ["+31201234568"]},
    },
)
DIGITS_LOST = "digits were lost"
SCIENTIFIC = Expected(
    PARTIAL,
    rows=3,
    contacts={4: {"mobiles": ["+31612345671"]}},
    failures={2: (PHONE_INVALID, DIGITS_LOST), 3: (PHONE_INVALID, DIGITS_LOST)},
)
SALESFORCE_EXTRA_HEADERS = [
    "Contact ID",
    "Account Owner",
    "First Name",
    "Last Name",
    "Title",
    "Phone",
    "Fax",
    "Birthdate",
    "Created Date",
    "Website",
    "Lead Source",
]
NON_CONTACT_ROWS = _rows(
    SALESFORCE_EXTRA_HEADERS,
    [
        "0035g00000AbCdE",
        "Anna Admin",
        "Jan",
        "Jansen",
        "Director",
        "020 1234567",
        "020 1234568",
        datetime.date(1980, 1, 2),
        datetime.datetime(2026, 11, 26, 9, 14),
        "https://acme.nl",
        "Web",
    ],
    # A date or a figure where a tool writes one is no row problem: the column is not mapped.
    ["0035g00000AbCdF", "", "Piet", "Puk", "", "020 1234569", "", "not a date", 44562, "", ""],
)
NON_CONTACT = Expected(
    SUCCEEDED,
    rows=2,
    contacts={
        2: {
            "first_name": "Jan",
            "last_name": "Jansen",
            "company": "",
            "emails": [],
            "phones": ["+31201234567"],
            "mobiles": [],
            "addresses": [],
            "notes": "",
        },
        3: {"phones": ["+31201234569"], "notes": ""},
    },
    unmapped=(
        "Contact ID",
        "Account Owner",
        "Title",
        "Fax",
        "Birthdate",
        "Created Date",
        "Website",
        "Lead Source",
    ),
)

IMPORTS = [
    pytest.param(
        "google.csv", csv_bytes(GOOGLE_LABEL_ROWS), GOOGLE_LABEL_DECIDES, id="google-label"
    ),
    pytest.param(
        "google.csv", csv_bytes(GOOGLE_LEGACY_ROWS), GOOGLE_LEGACY, id="google-legacy-type"
    ),
    pytest.param(
        "outlook.csv", csv_bytes(OUTLOOK_FAX_ROWS), OUTLOOK_FAX, id="outlook-business-fax"
    ),
    pytest.param("vcard.csv", csv_bytes(VCARD_FAX_ROWS), VCARD_FAX, id="vcard-telfax"),
    pytest.param("multi.csv", csv_bytes(MULTI_VALUE_ROWS), MULTI_VALUE, id="multi-value-cells"),
    pytest.param(
        "multi.xlsx", xlsx_bytes(MULTI_VALUE_ROWS), MULTI_VALUE, id="multi-value-cells-xlsx"
    ),
    pytest.param(
        "google.csv", csv_bytes(GOOGLE_ADDRESS_ROWS), GOOGLE_ADDRESSES, id="google-addresses"
    ),
    pytest.param(
        "outlook.csv", csv_bytes(OUTLOOK_ADDRESS_ROWS), OUTLOOK_ADDRESSES, id="outlook-addresses"
    ),
    pytest.param("names.csv", csv_bytes(NAMES_ROWS), NAMES, id="names-kept-exactly"),
    pytest.param(
        "names.xlsx",
        xlsx_bytes(NAMES_ROWS[:-1]),  # XML 1.0 cannot hold C0 controls
        Expected(SUCCEEDED, 6, {k: v for k, v in NAMES.contacts.items() if k < 8}),
        id="names-kept-exactly-xlsx",
    ),
    pytest.param(
        "names.xlsx",
        # Excel writes a control character in a cell as an _xHHHH_ escape.
        raw_xlsx(
            inline_row(1, ["First name", "Last name", "Phone"])
            + inline_row(2, ["Pi_x0007_et\u00a0", "\u2003Pu_x001B_k", "020 1234567"])
        ),
        Expected(SUCCEEDED, 1, {2: {"first_name": "Piet", "last_name": "Puk"}}),
        id="names-control-characters-xlsx",
    ),
    pytest.param("names.csv", csv_bytes(COMBINED_NAME_ROWS), COMBINED_NAME, id="combined-name"),
    pytest.param("sep.csv", SEP_HINT, SEP_HINT_EXPECTED, id="sep-hint"),
    pytest.param(
        "salesforce.csv",
        csv_bytes([SALESFORCE_HEADER, *SALESFORCE_DATA, *SALESFORCE_FOOTER]),
        SALESFORCE_EXPECTED,
        id="salesforce-footer-csv",
    ),
    pytest.param(
        "salesforce.csv",
        csv_bytes([SALESFORCE_HEADER, *SALESFORCE_DATA, *_padded(SALESFORCE_FOOTER_ONLY, 6)]),
        SALESFORCE_EXPECTED,
        id="salesforce-footer-under-the-rows",
    ),
    pytest.param(
        "salesforce.xlsx",
        xlsx_bytes([SALESFORCE_HEADER, *SALESFORCE_DATA, *SALESFORCE_FOOTER]),
        SALESFORCE_EXPECTED,
        id="salesforce-footer-xlsx",
    ),
    pytest.param("empty.csv", csv_bytes(EMPTY_HEADER_ROWS), EMPTY_HEADER, id="empty-header-column"),
    pytest.param("formulas.xlsx", _formula_workbook(), FORMULAS, id="xlsx-formula-cached-values"),
    pytest.param("numbers.xlsx", xlsx_bytes(NUMBER_ROWS), NUMBERS, id="xlsx-numbers-as-digits"),
    pytest.param("numbers.xls", xls_bytes(NUMBER_ROWS), NUMBERS, id="xls-numbers-as-digits"),
    pytest.param(
        "scientific.csv",
        csv_bytes(
            [["Name", "Mobile"], ["Jan", "4.47E+11"], ["Piet", "6,12E+08"], ["Kees", "0612345671"]]
        ),
        SCIENTIFIC,
        id="csv-scientific-notation",
    ),
    pytest.param(
        "scientific.csv",
        csv_bytes(
            [["Naam", "Mobiel"], ["Jan", "4,47E+11"], ["Piet", "6.12e8"], ["Kees", "0612345671"]],
            ";",
        ),
        SCIENTIFIC,
        id="csv-scientific-notation-dutch",
    ),
    pytest.param(
        "salesforce.xlsx", xlsx_bytes(NON_CONTACT_ROWS), NON_CONTACT, id="non-contact-columns"
    ),
    pytest.param(
        "salesforce.csv",
        csv_bytes([[str(c) for c in row] for row in NON_CONTACT_ROWS]),
        NON_CONTACT,
        id="non-contact-columns-csv",
    ),
]


@pytest.mark.parametrize(("name", "data", "expected"), IMPORTS)
async def test_an_export_imports_as_a_user_expects(
    stub, auth, db: asyncpg.Pool, tenant, name, data, expected: Expected
):
    # Given a file as the tool wrote it, uploaded
    uploaded = await upload(stub, auth, data, name)
    unmapped = set(uploaded.headers) - {c.header for c in uploaded.suggested_mapping.columns}
    assert unmapped >= set(expected.unmapped)

    # When it is imported with the suggested mapping, untouched
    started = await start(stub, auth, uploaded)
    finished = await wait_finished(stub, auth, started.import_id)

    # Then the right rows are in, with the values a user expects
    assert finished.state == expected.state, finished.error.message
    counts = finished.counts
    assert (counts.rows, counts.imported, counts.failed) == (
        expected.rows,
        len(expected.contacts),
        len(expected.failures),
    )
    stored = await stored_contacts(db, tenant)
    assert set(stored) == set(expected.contacts)
    for row, values in expected.contacts.items():
        assert {k: stored[row][k] for k in values} == values, f"row {row}"

    # And the rejected rows are in the failure workbook with their reasons
    if expected.failures:
        reasons = await failure_reasons(stub, auth, finished.import_id)
        assert set(reasons) == set(expected.failures)
        for row, fragments in expected.failures.items():
            for fragment in fragments:
                assert fragment in reasons[row], f"row {row}: {reasons[row]!r}"


# -- Files refused at upload -------------------------------------------------------------

QUICKBOOKS_TITLE = [
    ["Customer Contact List"],
    ["Acme BV"],
    [],
    ["Customer", "Full Name", "Phone Numbers", "Email"],
    ["Jansen BV", "Jan Jansen", "0612345671", "jan@x.nl"],
]


def _merged_title_workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Contacts report, all dates"])
    sheet.merge_cells("A1:D1")
    sheet.append(["Generated 2026-11-26"])
    sheet.append(["First Name", "Last Name", "Phone", "Email"])
    sheet.append(["Jan", "Jansen", "0612345671", "jan@x.nl"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


REFUSED = [
    pytest.param(
        "report.csv",
        csv_bytes(QUICKBOOKS_TITLE),
        ('row 1 holds "Customer Contact List"', 'row 2 holds "Acme BV"', "row 4", "rows 1 to 3"),
        id="title-rows-csv",
    ),
    pytest.param(
        "report.xlsx",
        _merged_title_workbook(),
        ('row 1 holds "Contacts report, all dates"', "row 3", "rows 1 to 2"),
        id="merged-title-cell-xlsx",
    ),
    pytest.param(
        "contacts.csv",
        csv_bytes([["Jan", "Jansen", "0612345671", "jan@x.nl"], ["Piet", "Puk", "0612345672", ""]]),
        ("Row 1 holds data", '"0612345671"', "names each column"),
        id="first-row-is-data",
    ),
    pytest.param(
        "contacts.csv",
        csv_bytes([["Jan Jansen", "jan@x.nl"], ["Piet Puk", "piet@x.nl"]]),
        ("Row 1 holds data", '"jan@x.nl"'),
        id="first-row-is-data-email",
    ),
    pytest.param(
        "contacts.xlsx",
        xlsx_bytes([["Jan", 612345671], ["Piet", 612345672]]),
        ("Row 1 holds data", '"612345671"'),
        id="first-row-is-data-xlsx-number",
    ),
    pytest.param(
        "contacts.csv",
        csv_bytes([["First name", "", "Phone"], ["Jan", "Amsterdam", "0612345671"]]),
        ("Column 2 (B) has no header", "row 2"),
        id="empty-header-over-data",
    ),
]


@pytest.mark.parametrize(("name", "data", "fragments"), REFUSED)
async def test_a_file_without_its_header_on_row_1_is_refused(stub, auth, name, data, fragments):
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await upload(stub, auth, data, name)

    error = caught.value
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error_details(error)["reason"] == "MISSING_HEADER"
    for fragment in fragments:
        assert fragment in (error.details() or ""), error.details()
