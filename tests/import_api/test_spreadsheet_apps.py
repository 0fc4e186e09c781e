"""Files as spreadsheet apps save them, end to end: upload, suggested mapping, start, worker.

Each case is built byte by byte the way the app writes it (encoding, BOM, delimiter, quoting,
line endings, last line), so that what is checked is what users upload. SPEC "File rules" and
its CSV paragraph, and the row-number convention under "Row rules". The oddities of exports
(sep= hints, footers, typed values, names) are in test_export_oddities.py.

What the apps write:
- Excel for Windows, "CSV UTF-8 (Comma delimited)": a UTF-8 BOM, CRLF after every record, the
  list separator of the Windows region (`,` en-US; `;` nl-NL, fr-FR, de-DE, whose decimal
  separator is the comma), a value quoted only when it holds the separator, a quote or a line
  break (LF inside a cell), every row as wide as the used range (trailing separators), numbers as
  displayed. Plain "CSV (Comma delimited)" is Windows-1252: covered in test_upload_rules.py.
- Excel for Mac "Comma Separated Values": Mac Roman with a lone CR after every record (LF inside
  a cell); "CSV UTF-8" on Mac: a BOM, and non-Windows line ends in Excel 2016 (CR here).
  (donatstudios.com "CSV: An Encoding Nightmare"; seeblog.seenet.ca on Excel for Mac 2016.)
- Excel "Unicode Text" (.txt): UTF-16LE with a BOM, tab-separated, CRLF.
- LibreOffice Calc CSV defaults: UTF-8 without BOM, `,`, `"` only where needed, LF (Linux).
- Google Sheets "Download > CSV": UTF-8 without BOM, CRLF between records, none after the last
  (uniVocity/univocity-parsers issue 530).
- Apple Numbers CSV export: UTF-8, `,`, or `;` in regions with a decimal comma (line ends not
  confirmed from a source: LF here; CR, LF and CRLF are all covered above and below).
- XLSX from LibreOffice and Google Sheets: written with openpyxl as a stand-in (shared strings,
  numbers as numeric cells).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import grpc
import openpyxl
import pytest

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

SUCCEEDED = pb.ContactImport.STATE_SUCCEEDED
PARTIAL = pb.ContactImport.STATE_PARTIALLY_SUCCEEDED

BOM = "\ufeff"
CRLF, LF, CR = "\r\n", "\n", "\r"


@dataclass(frozen=True)
class Expected:
    """What a user sees: the headers, the end state and counts, the rows in and the rows out.

    `contacts` names each imported row by its spreadsheet row number with the stored columns
    to compare; `failures` names each rejected row with fragments of its Reason cell. A file
    refused at upload gives `refused`: the reason code and fragments of the message.
    """

    headers: tuple[str, ...] = ()
    state: Any = SUCCEEDED
    rows: int = 0
    contacts: dict[int, dict[str, Any]] = field(default_factory=dict)
    failures: dict[int, tuple[str, ...]] = field(default_factory=dict)
    unmapped: tuple[str, ...] = ()
    refused: tuple[str, tuple[str, ...]] | None = None


def text(records: list[str], eol: str, *, bom: bool = False, last_eol: bool = True) -> bytes:
    """Records already written as the app writes them, joined with its line ends, as UTF-8."""
    body = eol.join(records) + (eol if last_eol else "")
    return ((BOM if bom else "") + body).encode("utf-8")


def workbook(rows: list[list[Any]]) -> bytes:
    """An XLSX as openpyxl writes it: strings as shared strings, numbers as numeric cells."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- Excel for Windows, "CSV UTF-8 (Comma delimited)" --------------------------------------

EXCEL_EN_US = text(
    [
        "First Name,Last Name,Company,Mobile Phone,E-mail Address,Notes",
        'Anna,Smit,"Acme, Inc.",612345671,anna@acme.com,"Says ""hi""\nsecond line"',
        "Bert,de Vries,,+31 6 12345672,,",
        ",,,,,",  # a blank row inside the used range: every cell written, all empty
        "Carla,Jones,Initech,0612 345 673,carla@example.com,VIP; calls back",
    ],
    CRLF,
    bom=True,
)
EXCEL_EN_US_EXPECTED = Expected(
    ("First Name", "Last Name", "Company", "Mobile Phone", "E-mail Address", "Notes"),
    rows=3,
    contacts={
        2: {
            "first_name": "Anna",
            "company": "Acme, Inc.",
            "mobiles": ["+31612345671"],
            "emails": ["anna@acme.com"],
            "notes": 'Says "hi"\nsecond line',
        },
        3: {"last_name": "de Vries", "company": "", "mobiles": ["+31612345672"]},
        5: {"company": "Initech", "notes": "VIP; calls back"},
    },
)
EXCEL_NL_NL = text(
    [
        "Voornaam;Achternaam;Bedrijf;Telefoon;Mobiel;Adres;Omzet",
        # A comma is no separator here, so Excel leaves it unquoted; a ";" is quoted.
        'Jan;Jansen;Jansen, Zn. BV;020 1234567;06 12345671;"Dam 1; 2e etage";1234,5',
        "Piet;Puk;;;612345672;;0,75",
        "Kees;Kok;;geen;;;",
    ],
    CRLF,
    bom=True,
)
EXCEL_NL_NL_EXPECTED = Expected(
    ("Voornaam", "Achternaam", "Bedrijf", "Telefoon", "Mobiel", "Adres", "Omzet"),
    state=PARTIAL,
    rows=3,
    contacts={
        2: {
            "first_name": "Jan",
            "company": "Jansen, Zn. BV",
            "phones": ["+31201234567"],
            "mobiles": ["+31612345671"],
            "addresses": ["Dam 1; 2e etage"],
        },
        3: {"first_name": "Piet", "phones": [], "mobiles": ["+31612345672"]},
    },
    failures={4: ("Phone invalid", '"geen"')},
    unmapped=("Omzet",),
)
EXCEL_FR_FR = text(
    [
        "Prénom;Nom;Société;Téléphone;Portable;Courriel;Montant",
        "Léa;Martin;Dupont & Fils, SARL;+33 1 42 68 53 00;+33 6 12 34 56 78;lea@exemple.fr;"
        "1\u202f234,56",
        'Éloïse;N\'Guessan;"Café ""Le Zinc"" ; Paris";;+33 6 98 76 54 32;;-3,5',
    ],
    CRLF,
    bom=True,
)
EXCEL_FR_FR_EXPECTED = Expected(
    ("Prénom", "Nom", "Société", "Téléphone", "Portable", "Courriel", "Montant"),
    rows=2,
    contacts={
        2: {
            "first_name": "Léa",
            "last_name": "Martin",
            "company": "Dupont & Fils, SARL",
            "phones": ["+33142685300"],
            "mobiles": ["+33612345678"],
            "emails": ["lea@exemple.fr"],
        },
        3: {
            "first_name": "Éloïse",
            "last_name": "N'Guessan",
            "company": 'Café "Le Zinc" ; Paris',
            "mobiles": ["+33698765432"],
        },
    },
    unmapped=("Montant",),
)
EXCEL_DE_DE = text(
    [
        "Vorname;Nachname;Firma;Telefon;Handy;E-Mail;Umsatz",
        "Jürgen;Müller;Müller & Söhne GmbH;+49 30 1234567;+49 151 23456789;j@mueller.de;1.234,56",
        "Grete;Weiß;;;+49 160 1234567;;",
    ],
    CRLF,
    bom=True,
)
EXCEL_DE_DE_EXPECTED = Expected(
    ("Vorname", "Nachname", "Firma", "Telefon", "Handy", "E-Mail", "Umsatz"),
    rows=2,
    contacts={
        2: {
            "first_name": "Jürgen",
            "last_name": "Müller",
            "company": "Müller & Söhne GmbH",
            "phones": ["+49301234567"],
            "mobiles": ["+4915123456789"],
        },
        3: {"last_name": "Weiß", "mobiles": ["+491601234567"]},
    },
    unmapped=("Umsatz",),
)

# Dutch Excel leaves a comma unquoted in a ";" file: here "," and ";" split every line alike.
EXCEL_NL_NL_COMMAS = text(
    [
        "Naam (achternaam, voornaam);Mobiel",
        "Jansen, Jan;06 12345671",
        "Puk, Piet;06 12345672",
    ],
    CRLF,
    bom=True,
)
EXCEL_NL_NL_COMMAS_EXPECTED = Expected(
    ("Naam (achternaam, voornaam)", "Mobiel"),
    rows=2,
    contacts={
        2: {"first_name": "Jansen, Jan", "mobiles": ["+31612345671"]},
        3: {"first_name": "Puk, Piet", "mobiles": ["+31612345672"]},
    },
)

# -- Excel for Mac ----------------------------------------------------------------------------

# "Comma Separated Values": Mac Roman, a lone CR after each record; ASCII text reads as UTF-8.
EXCEL_MAC_CLASSIC = text(
    [
        "First Name,Last Name,Mobile,Notes",
        'Anna,Smit,0612345671,"Floor 2\nRoom 3"',
        ",,,",
        "Bert,Jones,no number,",
        "Carla,Smit,0612345673,",
    ],
    CR,
)
EXCEL_MAC_CLASSIC_EXPECTED = Expected(
    ("First Name", "Last Name", "Mobile", "Notes"),
    state=PARTIAL,
    rows=3,
    contacts={
        2: {"first_name": "Anna", "mobiles": ["+31612345671"], "notes": "Floor 2\nRoom 3"},
        5: {"first_name": "Carla", "mobiles": ["+31612345673"]},
    },
    failures={4: ("Phone invalid", '"no number"')},
)
EXCEL_MAC_ROMAN = "First Name,Last Name,Mobile\rJan,Jansen,0612345671\rRené,Genève,0612345672\r"
EXCEL_MAC_UTF8 = text(
    [
        "First Name,Last Name,Mobile,Address",
        'Zoë,Ångström,0612345671,"Dam 1\n1012 JS Amsterdam"',
        "Łukasz,Żółć,0612345672,",
    ],
    CR,
    bom=True,
)
EXCEL_MAC_UTF8_EXPECTED = Expected(
    ("First Name", "Last Name", "Mobile", "Address"),
    rows=2,
    contacts={
        2: {
            "first_name": "Zoë",
            "last_name": "Ångström",
            "addresses": ["Dam 1\n1012 JS Amsterdam"],
        },
        3: {"first_name": "Łukasz", "last_name": "Żółć", "mobiles": ["+31612345672"]},
    },
)

# -- Excel "Unicode Text" (.txt) -------------------------------------------------------------

UNICODE_TEXT = b"\xff\xfe" + "First Name\tMobile\r\nZoë\t0612345671\r\n".encode("utf-16-le")

# -- LibreOffice Calc ----------------------------------------------------------------------

LIBREOFFICE_CSV = text(
    [
        "Name,Phone,E-mail,Address",
        'Jan Müller,+31 20 1234567,jan@example.org,"Dam 1, Amsterdam"',
        'Els de Wit,020 1234568,,"Lange Gracht 2\nDelft"',
    ],
    LF,
)
LIBREOFFICE_CSV_EXPECTED = Expected(
    ("Name", "Phone", "E-mail", "Address"),
    rows=2,
    contacts={
        2: {
            "first_name": "Jan Müller",
            "phones": ["+31201234567"],
            "emails": ["jan@example.org"],
            "addresses": ["Dam 1, Amsterdam"],
        },
        3: {"phones": ["+31201234568"], "addresses": ["Lange Gracht 2\nDelft"]},
    },
)
LIBREOFFICE_XLSX = workbook(
    [
        ["Voornaam", "Achternaam", "Mobiel", "Telefoon"],
        ["Jan", "Jansen", 612345671, "020 1234567"],
        [None, None, None, None],
        ["Piet", "Puk", 31612345672, None],
    ]
)
LIBREOFFICE_XLSX_EXPECTED = Expected(
    ("Voornaam", "Achternaam", "Mobiel", "Telefoon"),
    rows=2,
    contacts={
        2: {"mobiles": ["+31612345671"], "phones": ["+31201234567"]},
        4: {"mobiles": ["+31612345672"], "phones": []},
    },
)

# -- Google Sheets -----------------------------------------------------------------------

GOOGLE_SHEETS_CSV = text(
    [
        "First name,Last name,Phone,Notes,",  # an empty header over an empty column
        'Anna,Smit,020 1234561,"Line one\nLine two",',
        "Bert,Smit,020 1234562,,",
        "Carla,,,,",
    ],
    CRLF,
    last_eol=False,
)
GOOGLE_SHEETS_CSV_EXPECTED = Expected(
    ("First name", "Last name", "Phone", "Notes"),
    state=PARTIAL,
    rows=3,
    contacts={
        2: {"phones": ["+31201234561"], "notes": "Line one\nLine two"},
        3: {"phones": ["+31201234562"], "notes": ""},
    },
    failures={4: ("Phone missing",)},
)
GOOGLE_SHEETS_XLSX = workbook(
    [
        ["First name", "Last name", "Mobile", "Email"],
        ["Anna", "Smit", 612345671, "Anna@Example.COM"],
        ["Bert", "Smit", "+31 6 12345672", None],
    ]
)
GOOGLE_SHEETS_XLSX_EXPECTED = Expected(
    ("First name", "Last name", "Mobile", "Email"),
    rows=2,
    contacts={
        2: {"mobiles": ["+31612345671"], "emails": ["Anna@example.com"]},
        3: {"mobiles": ["+31612345672"], "emails": []},
    },
)

# -- Apple Numbers ---------------------------------------------------------------------------

NUMBERS_EN = text(
    ["First Name,Last Name,Mobile", "Anna,Smit,0612345671", "Bert,Jones,0612345672"], LF
)
NUMBERS_NL = text(
    [
        "Voornaam;Achternaam;Mobiel;Bedrag",
        "Anna;Smit;0612345671;12,50",
        "Bert;Jones;0612345672;3,00",
    ],
    LF,
)
NUMBERS_EXPECTED = {
    2: {"first_name": "Anna", "mobiles": ["+31612345671"]},
    3: {"first_name": "Bert", "mobiles": ["+31612345672"]},
}

# -- Layout of the text -----------------------------------------------------------------------

TRAILING_COMMA = text(["Name,Phone,", "Jan,0612345671,", "Piet,0612345672,"], CRLF)
TRAILING_SEMICOLON = text(["Naam;Telefoon;", "Jan;0612345671;", "Piet;0612345672;"], CRLF)
TRAILING_EXPECTED = Expected(
    ("Name", "Phone"),
    rows=2,
    contacts={2: {"phones": ["+31612345671"]}, 3: {"phones": ["+31612345672"]}},
)
NO_LAST_NEWLINE = text(["Name,Phone", "Jan,0612345671", "Piet,0612345672"], LF, last_eol=False)
BLANK_LINES = text(
    [
        "Name,Address,Phone",
        'Anna,"Dam 1\n1012 JS Amsterdam",0612345671',  # one row over two lines
        "",
        "Bert,,not a number",
        "",
        "",
        "Carla,,0612345673",
        "",
    ],
    CRLF,
)
BLANK_LINES_EXPECTED = Expected(
    ("Name", "Address", "Phone"),
    state=PARTIAL,
    rows=3,
    contacts={2: {"addresses": ["Dam 1\n1012 JS Amsterdam"]}, 7: {"phones": ["+31612345673"]}},
    failures={4: ("Phone invalid", '"not a number"')},
)
QUOTED_FIELDS = text(
    [
        "Name,Phone,Notes,Product",
        'Anna,0612345671,"a; b, c",TV 5" screen',
        'Bert,0612345672,"He said ""call me""\r\nafter 5",27" monitor',
        'Carla,0612345673,"""quoted""",12" x 9"',
    ],
    CRLF,
)
QUOTED_FIELDS_EXPECTED = Expected(
    ("Name", "Phone", "Notes", "Product"),
    rows=3,
    contacts={
        2: {"notes": "a; b, c"},
        3: {"notes": 'He said "call me"\nafter 5'},  # stored with LF
        4: {"notes": '"quoted"', "phones": ["+31612345673"]},
    },
    unmapped=("Product",),
)
QUOTED_FIELDS_SEMICOLON = text(
    [
        "Naam;Telefoon;Notitie",
        'Anna;0612345671;"a; b"',
        'Bert;0612345672;scherm 27" breed, 5" hoog',
        'Carla;0612345673;"regel 1\nregel ""2"""',
    ],
    CRLF,
    bom=True,
)
QUOTED_FIELDS_SEMICOLON_EXPECTED = Expected(
    ("Naam", "Telefoon", "Notitie"),
    rows=3,
    contacts={
        2: {"notes": "a; b"},
        3: {"notes": 'scherm 27" breed, 5" hoog'},
        4: {"notes": 'regel 1\nregel "2"'},
    },
)
TAB_SEPARATED = text(["Name\tPhone", "Jansen, Jan\t06 12345671", "Puk; Piet\t06 12345672"], CRLF)
PIPE_SEPARATED = text(["Name|Phone", "Jansen, Jan|06 12345671", "Puk; Piet|06 12345672"], LF)
ODD_SEPARATOR_EXPECTED = Expected(
    ("Name", "Phone"),
    rows=2,
    contacts={
        2: {"first_name": "Jansen, Jan", "phones": ["+31612345671"]},
        3: {"first_name": "Puk; Piet", "phones": ["+31612345672"]},
    },
)
INVISIBLE_IN_HEADERS = text(
    [
        " First name ,\u00a0Last name\u00a0,\u200bMobile\u200b,E-mail\u2060 ",
        "Jan,Jansen,0612345671,jan@example.com",
    ],
    CRLF,
    bom=True,
)
INVISIBLE_IN_HEADERS_EXPECTED = Expected(
    ("First name", "Last name", "Mobile", "E-mail"),
    rows=1,
    contacts={
        2: {
            "first_name": "Jan",
            "last_name": "Jansen",
            "mobiles": ["+31612345671"],
            "emails": ["jan@example.com"],
        }
    },
)

SAVE_AS = '"CSV UTF-8 (Comma delimited) (*.csv)"'

CASES = [
    pytest.param("contacts.csv", EXCEL_EN_US, EXCEL_EN_US_EXPECTED, id="excel-win-utf8-en-us"),
    pytest.param("contacts.csv", EXCEL_NL_NL, EXCEL_NL_NL_EXPECTED, id="excel-win-utf8-nl-nl"),
    pytest.param(
        "contacts.csv",
        EXCEL_NL_NL_COMMAS,
        EXCEL_NL_NL_COMMAS_EXPECTED,
        id="excel-win-utf8-nl-nl-commas-in-text",
    ),
    pytest.param("contacts.csv", EXCEL_FR_FR, EXCEL_FR_FR_EXPECTED, id="excel-win-utf8-fr-fr"),
    pytest.param("contacts.csv", EXCEL_DE_DE, EXCEL_DE_DE_EXPECTED, id="excel-win-utf8-de-de"),
    pytest.param(
        "contacts.csv", EXCEL_MAC_CLASSIC, EXCEL_MAC_CLASSIC_EXPECTED, id="excel-mac-csv-cr"
    ),
    pytest.param(
        "contacts.csv",
        EXCEL_MAC_ROMAN.encode("mac_roman"),
        Expected(refused=("NOT_UTF8", ("line 3", "Mac Roman", SAVE_AS))),
        id="excel-mac-csv-mac-roman",
    ),
    pytest.param("contacts.csv", EXCEL_MAC_UTF8, EXCEL_MAC_UTF8_EXPECTED, id="excel-mac-csv-utf8"),
    pytest.param(
        "contacts.txt",
        UNICODE_TEXT,
        # UTF-16 with its BOM, tab-separated: read as it is (issue 12)
        Expected(
            headers=("First Name", "Mobile"),
            rows=1,
            contacts={2: {"first_name": "Zoë", "mobiles": ["+31612345671"]}},
        ),
        id="excel-unicode-text",
    ),
    pytest.param("contacts.csv", LIBREOFFICE_CSV, LIBREOFFICE_CSV_EXPECTED, id="libreoffice-csv"),
    pytest.param(
        "contacts.xlsx", LIBREOFFICE_XLSX, LIBREOFFICE_XLSX_EXPECTED, id="libreoffice-xlsx"
    ),
    pytest.param(
        "contacts.csv", GOOGLE_SHEETS_CSV, GOOGLE_SHEETS_CSV_EXPECTED, id="google-sheets-csv"
    ),
    pytest.param(
        "contacts.xlsx", GOOGLE_SHEETS_XLSX, GOOGLE_SHEETS_XLSX_EXPECTED, id="google-sheets-xlsx"
    ),
    pytest.param(
        "contacts.csv",
        NUMBERS_EN,
        Expected(("First Name", "Last Name", "Mobile"), rows=2, contacts=NUMBERS_EXPECTED),
        id="apple-numbers-comma",
    ),
    pytest.param(
        "contacts.csv",
        NUMBERS_NL,
        Expected(
            ("Voornaam", "Achternaam", "Mobiel", "Bedrag"),
            rows=2,
            contacts=NUMBERS_EXPECTED,
            unmapped=("Bedrag",),
        ),
        id="apple-numbers-semicolon",
    ),
    pytest.param("contacts.csv", TRAILING_COMMA, TRAILING_EXPECTED, id="trailing-comma"),
    pytest.param(
        "contacts.csv",
        TRAILING_SEMICOLON,
        Expected(("Naam", "Telefoon"), rows=2, contacts=TRAILING_EXPECTED.contacts),
        id="trailing-semicolon",
    ),
    pytest.param(
        "contacts.csv",
        NO_LAST_NEWLINE,
        Expected(("Name", "Phone"), rows=2, contacts=TRAILING_EXPECTED.contacts),
        id="no-newline-at-end",
    ),
    pytest.param("contacts.csv", BLANK_LINES, BLANK_LINES_EXPECTED, id="blank-lines"),
    pytest.param("contacts.csv", QUOTED_FIELDS, QUOTED_FIELDS_EXPECTED, id="quoted-fields"),
    pytest.param(
        "contacts.csv",
        QUOTED_FIELDS_SEMICOLON,
        QUOTED_FIELDS_SEMICOLON_EXPECTED,
        id="quoted-fields-semicolon",
    ),
    pytest.param("contacts.tsv", TAB_SEPARATED, ODD_SEPARATOR_EXPECTED, id="tab-separated"),
    pytest.param("contacts.csv", PIPE_SEPARATED, ODD_SEPARATOR_EXPECTED, id="pipe-separated"),
    pytest.param(
        "contacts.csv",
        INVISIBLE_IN_HEADERS,
        INVISIBLE_IN_HEADERS_EXPECTED,
        id="invisible-characters-around-headers",
    ),
]


@pytest.mark.parametrize(("name", "data", "expected"), CASES)
async def test_a_file_as_an_app_saves_it_imports(
    stub, auth, db: asyncpg.Pool, tenant, name: str, data: bytes, expected: Expected
):
    # Given a file exactly as the app saved it, uploaded
    if expected.refused is not None:
        reason, fragments = expected.refused
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await upload(stub, auth, data, name)
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert error_details(caught.value)["reason"] == reason
        for fragment in fragments:
            assert fragment in (caught.value.details() or ""), caught.value.details()
        return
    uploaded = await upload(stub, auth, data, name)
    assert tuple(uploaded.headers) == expected.headers
    mapped = {column.header for column in uploaded.suggested_mapping.columns}
    assert set(uploaded.headers) - mapped == set(expected.unmapped)

    # When it is imported with the suggested mapping, untouched
    started = await start(stub, auth, uploaded)
    finished = await wait_finished(stub, auth, started.import_id)

    # Then the right rows are in, under the row numbers the spreadsheet shows
    reasons = (
        await failure_reasons(stub, auth, finished.import_id) if finished.counts.failed else {}
    )
    assert finished.state == expected.state, finished.error.message or reasons
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

    # And every rejected row is in the failure workbook, with its row number and reasons
    if expected.failures:
        assert set(reasons) == set(expected.failures)
        for row, fragments in expected.failures.items():
            for fragment in fragments:
                assert fragment in reasons[row], f"row {row}: {reasons[row]!r}"
