"""read_sheet and detect_format: every file rule, its reason code and its message."""

from __future__ import annotations

import datetime

import pytest

from shared.errors import FileRejected, Reason
from shared.spreadsheet import FileFormat, detect_format, read_sheet
from shared.spreadsheet.sheet import RepeatedHeader
from tests.shared.spreadsheet.spreadsheet_files import (
    encrypted_xlsx,
    inline_row,
    lying_size_xlsx,
    plain_zip,
    raw_xlsx,
    xls,
    xls_with_filepass,
    xlsx,
)

CONTACTS = [["First Name", "Phone"], ["Jan", "0612345678"], ["Els", "0687654321"]]


def rows_of(sheet):
    return [(number, cells) for number, cells in sheet.preview(50)]


# --- detect_format ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        pytest.param(b"PK\x03\x04rest", FileFormat.XLSX, id="zip-is-xlsx"),
        pytest.param(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 8, FileFormat.XLS, id="ole2"),
        pytest.param(b"Name,Phone\nJan,06\n", FileFormat.CSV, id="text"),
        pytest.param(b"\xef\xbb\xbfName;Phone\n", FileFormat.CSV, id="utf8-bom"),
        pytest.param(b"", FileFormat.CSV, id="empty"),
        pytest.param(b"\xff\xfeN\0a\0", FileFormat.CSV, id="utf16-le-bom"),
        pytest.param(b"\xfe\xff\0N\0a", FileFormat.CSV, id="utf16-be-bom"),
        pytest.param(b"\xff\xfe\0\0N\0\0\0", FileFormat.CSV, id="utf32-bom"),
        pytest.param(b"BEGIN:VCARD\r\nVERSION:3.0\r\n", FileFormat.VCARD, id="vcard"),
        pytest.param(b"\r\n  begin:vcard\r\n", FileFormat.VCARD, id="vcard-lower-case"),
        pytest.param("BEGIN:VCARD\r\n".encode("utf-16"), FileFormat.VCARD, id="vcard-utf16"),
        pytest.param(b"Name,Note\nJan,a\x00b\n", FileFormat.CSV, id="one-nul-in-text"),
    ],
)
def test_detect_format_accepts(head: bytes, expected: FileFormat) -> None:
    assert detect_format(head) is expected


@pytest.mark.parametrize(
    ("head", "reason", "fragment"),
    [
        pytest.param(
            "Name,Phone\n".encode("utf-16-le"), Reason.NOT_UTF8, "UTF-16", id="utf16-no-bom"
        ),
        pytest.param(
            b"<!DOCTYPE html><html>", Reason.UNSUPPORTED_FORMAT, "Excel Workbook", id="html"
        ),
        pytest.param(b"  <table><tr><td>", Reason.UNSUPPORTED_FORMAT, "HTML", id="html-table-xls"),
        pytest.param(
            b'<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?>'
            b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
            Reason.UNSUPPORTED_FORMAT,
            "2003 XML",
            id="spreadsheetml-2003",
        ),
        pytest.param(b"%PDF-1.7\n", Reason.UNSUPPORTED_FORMAT, "PDF", id="pdf"),
        pytest.param(b"\x89PNG\r\n\x1a\n", Reason.UNSUPPORTED_FORMAT, "PNG", id="png"),
        pytest.param(b"\x01\x02\x00\x03binary", Reason.UNSUPPORTED_FORMAT, "binary", id="binary"),
    ],
)
def test_detect_format_refuses(head: bytes, reason: Reason, fragment: str) -> None:
    with pytest.raises(FileRejected) as caught:
        detect_format(head)
    assert caught.value.reason is reason
    assert fragment in str(caught.value.message)
    if reason is Reason.UNSUPPORTED_FORMAT:
        assert "CSV, vCard, XLSX or XLS" in str(caught.value.message)


# --- files that read ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "headers", "rows"),
    [
        pytest.param(
            b"First Name,Phone\nJan,0612345678\n",
            ["First Name", "Phone"],
            [(2, ["Jan", "0612345678"])],
            id="csv-comma",
        ),
        pytest.param(
            "\ufeffVoornaam;Telefoon;Notitie\nJosé;0612345678;a, b\n".encode(),
            ["Voornaam", "Telefoon", "Notitie"],
            [(2, ["José", "0612345678", "a, b"])],
            id="csv-semicolon-bom",
        ),
        pytest.param(
            b"sep=;\r\nName;Phone\r\nJan;06 1234\r\n",
            ["Name", "Phone"],
            [(3, ["Jan", "06 1234"])],
            id="csv-sep-hint-counts-as-row-1",
        ),
        pytest.param(
            b"Name\tPhone\nJan\t06\n", ["Name", "Phone"], [(2, ["Jan", "06"])], id="csv-tab"
        ),
        pytest.param(
            b"Name|Phone|Note\nJan|06|x,y;z\n",
            ["Name", "Phone", "Note"],
            [(2, ["Jan", "06", "x,y;z"])],
            id="csv-pipe",
        ),
        pytest.param(
            b'Name,Address,Phone\nJan,"Street 1\nCity, NL",06\nEls,"A ""quoted"" one",07\n',
            ["Name", "Address", "Phone"],
            [(2, ["Jan", "Street 1\nCity, NL", "06"]), (3, ["Els", 'A "quoted" one', "07"])],
            id="csv-quoted-newline-is-one-row",
        ),
        pytest.param(
            b"Name,Phone\n\nJan,06\n , \xc2\xa0\n\nEls,07\n\n\n",
            ["Name", "Phone"],
            [(3, ["Jan", "06"]), (6, ["Els", "07"])],
            id="csv-blank-lines-skipped-but-counted",
        ),
        pytest.param(
            b'Name,Phone\r\nJan,"06\r\n07"\r\nEls,08\r\n',
            ["Name", "Phone"],
            [(2, ["Jan", "06\r\n07"]), (3, ["Els", "08"])],
            id="csv-crlf-no-trailing-cr",
        ),
        pytest.param(
            b"Name,Phone,Email\nJan,06\nEls,07,e@x.nl,,\n",
            ["Name", "Phone", "Email"],
            [(2, ["Jan", "06", ""]), (3, ["Els", "07", "e@x.nl"])],
            id="csv-ragged-rows-padded-empty-extras-ignored",
        ),
        pytest.param(
            b" Name ,Phone,,\nJan,06,,\n",
            ["Name", "Phone"],
            [(2, ["Jan", "06"])],
            id="csv-empty-header-over-empty-column-dropped",
        ),
        pytest.param(
            b"Name,Phone\nJan,06\n\nConfidential Information - Do Not Distribute\n"
            b'"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\n',
            ["Name", "Phone"],
            [(2, ["Jan", "06"])],
            id="csv-salesforce-footer-dropped",
        ),
        pytest.param(
            b'"Name","Phone"\n"Jan","06"\n""\n"Contacts report"\n'
            b'"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\n'
            b'"Confidential Information - Do Not Distribute"\n"Generated By:  Jane  1/2/2026"\n'
            b'"Acme Inc"\n',
            ["Name", "Phone"],
            [(2, ["Jan", "06"])],
            id="csv-salesforce-footer-with-report-name",
        ),
        pytest.param(
            b"Name,Phone\nJan,06\nPiet\n",
            ["Name", "Phone"],
            [(2, ["Jan", "06"]), (3, ["Piet", ""])],
            id="csv-single-cell-row-is-data-not-footer",
        ),
        pytest.param(
            b"Customer,Phone Numbers\nJansen BV,06\n\n"
            b'"Wednesday, November 26, 2026 09:14 AM GMT+01:00"\n',
            ["Customer", "Phone Numbers"],
            [(2, ["Jansen BV", "06"])],
            id="csv-quickbooks-timestamp-footer-dropped",
        ),
        pytest.param(
            b"Name,Phone,2024-2025,1000,01-02-2024\nJan,06,x,y,z\n",
            ["Name", "Phone", "2024-2025", "1000", "01-02-2024"],
            [(2, ["Jan", "06", "x", "y", "z"])],
            id="csv-numbers-that-can-be-headers",
        ),
        pytest.param(
            # French Outlook: "Titre" is the salutation and the job title, no contact data.
            '"Titre","Prénom","Nom","Titre","Tél. mobile"\n'
            '"M.","Léa","Martin","Gérant","06"\n'.encode(),
            ["Titre", "Prénom", "Nom", "Titre", "Tél. mobile"],
            [(2, ["M.", "Léa", "Martin", "Gérant", "06"])],
            id="csv-repeated-header-that-is-not-mapped",
        ),
        pytest.param(
            # Classic Mac Excel "Comma Separated Values": CR alone ends a record, LF in a cell.
            b'Name,Note,Phone\rJan,"a\nb",06\r,,\rEls,x,07\r',
            ["Name", "Note", "Phone"],
            [(2, ["Jan", "a\nb", "06"]), (4, ["Els", "x", "07"])],
            id="csv-classic-mac-cr-line-endings",
        ),
        pytest.param(
            b'Name,Product,Phone\nJan,TV 5" screen,06\nEls,"27"" monitor, HD",07\n'
            b'Piet,12" x 9",08\n',
            ["Name", "Product", "Phone"],
            [
                (2, ["Jan", 'TV 5" screen', "06"]),
                (3, ["Els", '27" monitor, HD', "07"]),
                (4, ["Piet", '12" x 9"', "08"]),
            ],
            id="csv-stray-quote-inside-unquoted-value",
        ),
        pytest.param(
            "\ufeff\u200bName\u200b ;\u00a0Phone\u2060;Note\u3000\r\nJan;06;x\r\n".encode(),
            ["Name", "Phone", "Note"],
            [(2, ["Jan", "06", "x"])],
            id="csv-header-zero-width-and-nbsp-trimmed",
        ),
        pytest.param(
            # "," and ";" split every line alike; the "," is followed by a space, as in text.
            b"Naam (achternaam, voornaam);Mobiel\r\nJansen, Jan;06\r\nPuk, Piet;07\r\n",
            ["Naam (achternaam, voornaam)", "Mobiel"],
            [(2, ["Jansen, Jan", "06"]), (3, ["Puk, Piet", "07"])],
            id="csv-semicolon-with-commas-in-text",
        ),
    ],
)
def test_csv_reads(data: bytes, headers: list[str], rows: list[tuple[int, list[str]]]) -> None:
    sheet = read_sheet(data)
    assert sheet.format is FileFormat.CSV
    assert sheet.headers == headers
    assert rows_of(sheet) == rows
    assert sheet.table.column_names == [f"c{i}" for i in range(len(headers))]
    assert sheet.row_numbers.type == "int32"
    assert all(column.null_count == 0 for column in sheet.table.columns)


@pytest.mark.parametrize(
    ("data", "repeated"),
    [
        pytest.param(b"Name,Phone\nJan,06\n", (), id="none"),
        pytest.param(
            b"Name,Email,Phone, email \nJan,a@x.nl,06,b@x.nl\n",
            (RepeatedHeader("Email", 1, 3),),
            id="casefolded-and-trimmed",
        ),
        pytest.param(
            "Name,Phone,\u200bName\u00a0\nJan,06,Jan Jansen\n".encode(),
            (RepeatedHeader("Name", 0, 2),),
            id="behind-a-zero-width-space",
        ),
        pytest.param(
            # Column indexes are the file's: the dropped empty column C still counts.
            b"Titre,Nom,,Titre,titre\nM.,Martin,,Gerant,x\n",
            (RepeatedHeader("Titre", 0, 3), RepeatedHeader("Titre", 0, 4)),
            id="file-columns-counted-with-a-dropped-empty-one",
        ),
    ],
)
def test_the_reader_reports_repeated_headers_and_leaves_the_rule_to_the_mapping(
    data: bytes, repeated: tuple[RepeatedHeader, ...]
) -> None:
    # A repeated header is refused only when the suggested mapping maps it
    # (shared.mapping.duplicates, tests/shared/mapping/test_duplicates.py).
    sheet = read_sheet(data)
    assert sheet.repeated_headers == repeated


def test_xlsx_reads_values_as_text() -> None:
    sheet = read_sheet(
        xlsx(
            [
                ["Name", "Phone", "Score", "Active", "Born", "Seen", "At"],
                ["Jan", 447900000000, 1.25, True, datetime.date(1990, 5, 17), None, None],
                [None, None, None, None, None, None, None],
                [
                    "Els",
                    31612345678.0,
                    -3.0,
                    False,
                    None,
                    datetime.datetime(2026, 1, 2, 3, 4, 5),
                    datetime.time(9, 30),
                ],
            ]
        )
    )
    assert sheet.format is FileFormat.XLSX
    assert rows_of(sheet) == [
        (2, ["Jan", "447900000000", "1.25", "TRUE", "1990-05-17", "", ""]),
        (4, ["Els", "31612345678", "-3", "FALSE", "", "2026-01-02T03:04:05", "09:30:00"]),
    ]


def test_xls_reads() -> None:
    sheet = read_sheet(xls([["Name", "Phone"], ["Jan", 447900000000], ["", ""], ["Els", "07"]]))
    assert sheet.format is FileFormat.XLS
    assert sheet.headers == ["Name", "Phone"]
    assert rows_of(sheet) == [(2, ["Jan", "447900000000"]), (4, ["Els", "07"])]


def test_xlsx_formula_gives_cached_value_and_empty_result_is_blank() -> None:
    data = raw_xlsx(
        inline_row(1, ["Name", "Phone"])
        + '<row r="2"><c r="A2" t="str"><f>"J"&amp;"an"</f><v>Jan</v></c>'
        '<c r="B2"><f>600000000+12345678</f><v>612345678</v></c></row>'
        '<row r="3"><c r="A3" t="str"><f>""</f><v></v></c></row>' + inline_row(4, ["Els", "07"])
    )
    sheet = read_sheet(data)
    assert rows_of(sheet) == [(2, ["Jan", "612345678"]), (4, ["Els", "07"])]


# --- files that are refused ---------------------------------------------------------------

REFUSED = [
    # UNSUPPORTED_FORMAT
    pytest.param(
        lambda: plain_zip({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<T/>"}),
        Reason.UNSUPPORTED_FORMAT,
        "Word document",
        id="docx",
    ),
    pytest.param(
        lambda: plain_zip(
            {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<o/>"}
        ),
        Reason.UNSUPPORTED_FORMAT,
        "OpenDocument",
        id="ods",
    ),
    pytest.param(
        lambda: plain_zip({"contacts.csv": b"Name\nJan\n"}),
        Reason.UNSUPPORTED_FORMAT,
        "unzip it",
        id="plain-zip",
    ),
    # NOT_UTF8
    pytest.param(
        lambda: "Name,City\nJan,Zürich\nRené,Genève\n".encode("cp1252"),
        Reason.NOT_UTF8,
        "line 2",
        id="windows-1252",
    ),
    pytest.param(
        lambda: "Name,City\rJan,Zürich\rRené,Genève\r".encode("mac_roman"),
        Reason.NOT_UTF8,
        "line 2 has a byte (0x9F)",
        id="mac-roman-cr-line-endings",
    ),
    # ENCRYPTED_FILE
    pytest.param(
        lambda: encrypted_xlsx(CONTACTS), Reason.ENCRYPTED_FILE, "password", id="encrypted-xlsx"
    ),
    pytest.param(
        lambda: xls_with_filepass(CONTACTS),
        Reason.ENCRYPTED_FILE,
        "password",
        id="encrypted-xls-filepass",
    ),
    # MALFORMED_FILE
    pytest.param(
        lambda: xlsx(CONTACTS)[:300], Reason.MALFORMED_FILE, "damaged", id="truncated-zip"
    ),
    pytest.param(lambda: xls(CONTACTS)[:700], Reason.MALFORMED_FILE, "damaged", id="truncated-ole"),
    pytest.param(
        lambda: (
            b'Name,Note,Phone\nJan,"ok",06\nEls,"line\nbreak",07\nPiet,"never closed,08\n'
            b"Kees,x,09\n"
        ),
        Reason.MALFORMED_FILE,
        "starts in row 4 (line 5 of the file) is never closed",
        id="csv-unclosed-quote",
    ),
    pytest.param(
        lambda: b'Name,Note,Phone\rJan,"a\nb",06\rPiet,"never closed,07\rKees,x,09\r',
        Reason.MALFORMED_FILE,
        "starts in row 3 (line 4 of the file) is never closed",
        id="csv-unclosed-quote-cr-line-endings",
    ),
    pytest.param(
        lambda: raw_xlsx(
            inline_row(1, ["Name"]) + inline_row(2, ["&lol;"]),
            prolog='<!DOCTYPE lolz [<!ENTITY lol "lol">]>',
        ),
        Reason.MALFORMED_FILE,
        "DOCTYPE",
        id="xml-entity",
    ),
    pytest.param(
        lambda: raw_xlsx(
            inline_row(1, ["Name", "Phone"])
            + "".join(inline_row(n, ["x" * 500, "06"]) for n in range(2, 400))
        ),
        Reason.MALFORMED_FILE,
        "decompression bomb",
        id="bomb-declared-size-over-cap",
    ),
    pytest.param(lying_size_xlsx, Reason.MALFORMED_FILE, "damaged", id="bomb-lying-header"),
    # MULTIPLE_SHEETS
    pytest.param(
        lambda: xlsx(CONTACTS, extra=["Notes"]),
        Reason.MULTIPLE_SHEETS,
        '"Contacts", "Notes"',
        id="two-sheets",
    ),
    pytest.param(
        lambda: xlsx(CONTACTS, hidden=["Lists"]),
        Reason.MULTIPLE_SHEETS,
        '"Lists" (hidden)',
        id="hidden-sheet-counts",
    ),
    pytest.param(
        lambda: xls(CONTACTS, sheets=2), Reason.MULTIPLE_SHEETS, "2 sheets", id="xls-two-sheets"
    ),
    # MISSING_HEADER
    pytest.param(
        lambda: b"\n\nName,Phone\nJan,06\n",
        Reason.MISSING_HEADER,
        "Row 1 is empty",
        id="csv-empty-first-row",
    ),
    pytest.param(
        lambda: xlsx([[None, None], [None, None], *CONTACTS]),
        Reason.MISSING_HEADER,
        "first row with content is row 3",
        id="xlsx-header-lower",
    ),
    pytest.param(
        lambda: xlsx([["Customer Contact List"], [], *CONTACTS]),
        Reason.MISSING_HEADER,
        'row 1 holds "Customer Contact List" (a title, not column headers) and the headers '
        'seem to be on row 3 ("First Name", "Phone")',
        id="title-row",
    ),
    pytest.param(
        lambda: b"sep=,\nAcme Corp\nCustomer Contact List\nName,Phone\nJan,06\n",
        Reason.MISSING_HEADER,
        "Delete rows 2 to 3",
        id="csv-report-titles-after-sep",
    ),
    pytest.param(
        lambda: b"jan@example.com,0612345678,2024-01-05\nels@example.com,0687654321,2024-02-01\n",
        Reason.MISSING_HEADER,
        'Row 1 holds data ("jan@example.com", "0612345678", "2024-01-05")',
        id="first-row-is-data",
    ),
    pytest.param(
        lambda: b"Jan,Jansen,0612345678,jan@example.com\nEls,Smit,0687654321,\n",
        Reason.MISSING_HEADER,
        'Row 1 holds data ("Jan", "Jansen", "0612345678", "jan@example.com")',
        id="first-row-is-data-beside-names",
    ),
    pytest.param(
        lambda: xlsx([["Jan Jansen", 612345678, "Amsterdam"], ["Els", 687654321, ""]]),
        Reason.MISSING_HEADER,
        'Row 1 holds data ("Jan Jansen", "612345678", "Amsterdam")',
        id="xlsx-first-row-is-data-number",
    ),
    pytest.param(
        lambda: b"Name,Phone,,Email\nJan,06,,j@x.nl\n\n,,,\nEls,07,,\nPiet,08,,\nKees,09,x,\n",
        Reason.MISSING_HEADER,
        "Column 3 (C) has no header but holds data in row 7; give it a header on row 1",
        id="empty-header-over-data",
    ),
    pytest.param(
        lambda: b"Name,Phone\nJan,06\nEls,07,extra\n",
        Reason.MISSING_HEADER,
        "Column 3 (C) has no header but holds data in row 3",
        id="csv-extra-cell-without-header",
    ),
    # EMPTY_FILE
    pytest.param(lambda: b"", Reason.EMPTY_FILE, "empty", id="zero-bytes"),
    pytest.param(lambda: b"Name,Phone\n\n,\n", Reason.EMPTY_FILE, "no data rows", id="header-only"),
    pytest.param(lambda: xlsx([]), Reason.EMPTY_FILE, "", id="empty-xlsx"),
    # TOO_MANY_ROWS
    pytest.param(
        lambda: b"Name,Phone\n" + b"Jan,06\n" * 10_001,
        Reason.TOO_MANY_ROWS,
        "10,001 data rows",
        id="csv-10001-rows",
    ),
    pytest.param(
        lambda: raw_xlsx(
            inline_row(1, ["Name"]) + '<row r="1048576"><c r="XFD1048576" '
            't="inlineStr"><is><t>x</t></is></c></row>'
        ),
        Reason.TOO_MANY_COLUMNS,
        "16,384 columns",
        id="xlsx-far-away-cell",
    ),
    pytest.param(
        lambda: raw_xlsx(
            inline_row(1, ["Name"]) + '<row r="1048576"><c r="E1048576" '
            't="inlineStr"><is><t>x</t></is></c></row>'
        ),
        Reason.TOO_MANY_ROWS,
        "row 1,048,576",
        id="xlsx-far-away-row",
    ),
]


@pytest.mark.parametrize(("recipe", "reason", "fragment"), REFUSED)
def test_refused(recipe, reason: Reason, fragment: str) -> None:
    data = recipe()
    with pytest.raises(FileRejected) as caught:
        read_sheet(data, max_inflated_bytes=100_000)
    assert caught.value.reason is reason, caught.value.message
    assert fragment in str(caught.value.message)


def test_declared_size_over_cap_is_refused_before_inflating() -> None:
    data = raw_xlsx(inline_row(1, ["Name"]) + inline_row(2, ["x" * 5000]))
    with pytest.raises(FileRejected) as caught:
        read_sheet(data, max_inflated_bytes=2_000)
    assert caught.value.reason is Reason.MALFORMED_FILE
    assert "would inflate" in str(caught.value.message)


def test_exactly_max_rows_is_accepted() -> None:
    sheet = read_sheet(b"Name,Phone\n" + b"Jan,06\n" * 10_000)
    assert sheet.data_row_count == 10_000
    assert sheet.row_numbers[-1].as_py() == 10_001


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(
            (
                "Name,Phone,Email,Company\n"
                + "Jan de Vries,+31 6 1234 5678,jan@example.com,Acme\n" * 10_000
            ).encode(),
            id="csv",
        ),
        pytest.param(
            xlsx(
                [["Name", "Phone", "Email", "Company"]]
                + [["Jan de Vries", 31612345678, "jan@example.com", "Acme"]] * 10_000
            ),
            id="xlsx",
        ),
    ],
)
def test_10000_rows_read_whole(data: bytes) -> None:
    # Speed is measured by `make bench`, never here; this checks the limit's size reads.
    sheet = read_sheet(data)
    assert sheet.data_row_count == 10_000
    assert sheet.table.column(0)[9_999].as_py() == "Jan de Vries"
