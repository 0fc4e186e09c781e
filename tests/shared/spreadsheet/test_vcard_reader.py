"""read_vcard: vCard 2.1/3.0/4.0 cards into rows, number kinds, photos, hostile files.

Every case is read as the upload reads it, through build_sheet(FileFormat.VCARD, ...);
the sourced exports are under tests/fixtures/vcard (see its README).
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
import vobject  # type: ignore[import-untyped]

from shared.errors import FileRejected, Reason
from shared.failure_workbook import write_failure_workbook
from shared.i18n.catalogues import render
from shared.i18n.text import t
from shared.mapping.fields import AddressPart, ContactField
from shared.mapping.matcher import suggest_mapping
from shared.rejected_rows import RejectedRow, RowProblem
from shared.spreadsheet import read_sheet
from shared.spreadsheet.sheet import MAX_DATA_ROWS, FileFormat, Sheet
from shared.spreadsheet.sheet_rules import build_sheet
from shared.spreadsheet.vcard_cards import MAX_LINE_BYTES, MAX_PROPERTIES
from shared.spreadsheet.vcard_reader import read_vcard
from tests.shared.spreadsheet.hostile_files import read_isolated
from tests.shared.spreadsheet.pseudo_language import (
    english_words,
    plain_values,
    use_pseudo_language,
)

FIXTURES = Path(__file__).parents[2] / "fixtures" / "vcard"
F = ContactField
P = AddressPart
Row = dict[str, str]


def sheet_of(data: bytes) -> Sheet:
    return build_sheet(FileFormat.VCARD, read_vcard(data))


def rows_of(sheet: Sheet) -> list[Row]:
    """Each row's filled cells by header."""
    return [
        {h: cell for h, cell in zip(sheet.headers, cells, strict=True) if cell}
        for _, cells in sheet.preview(MAX_DATA_ROWS)
    ]


def card(*lines: str, version: str = "3.0", eol: str = "\r\n") -> str:
    return eol.join(["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD", ""])


def one_row(*lines: str, version: str = "3.0") -> Row:
    [row] = rows_of(sheet_of(card(*lines, version=version).encode()))
    return row


def refusal(data: bytes) -> FileRejected:
    with pytest.raises(FileRejected) as caught:
        read_vcard(data)
    return caught.value


def qp(text: str, charset: str = "utf-8") -> str:
    """Android's QUOTED-PRINTABLE: every byte =XX, a soft line break after 67 characters."""
    out, count = [], 0
    for byte in text.encode(charset):
        out.append(f"={byte:02X}")
        count += 3
        if count >= 67:
            out.append("=\r\n")
            count = 0
    return "".join(out)


# --- versions and lines -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            card(
                "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:"
                + ";".join([qp("Müller"), qp("Anna-Sophie Marie-Thérèse"), "", "", ""]),
                "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:"
                + qp("Anna-Sophie Marie-Thérèse Müller"),
                "TEL;CELL;VOICE:+49 151 1234567",
                "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=ISO-8859-1:"
                + qp("Caf\u00e9 au coin,\r\nentr\u00e9e par la cour", "latin-1"),
                version="2.1",
            ),
            {
                "Full name": "Anna-Sophie Marie-Thérèse Müller",
                "First name": "Anna-Sophie Marie-Thérèse",
                "Last name": "Müller",
                "Mobile 1": "+49 151 1234567",
                "Notes": "Café au coin,\r\nentrée par la cour",
            },
            id="2.1-quoted-printable-soft-breaks-charset",
        ),
        pytest.param(
            card(
                "N:Jansen;Jan;;;",
                "FN:Jan Jansen",
                "ORG:Jansen Installatie;Service",
                "EMAIL;TYPE=INTERNET,HOME:jan@example.nl",
                "TEL;TYPE=CELL,VOICE:+31 6 12345678",
                "NOTE:Sleutel bij de buren\\, nr. 12\\nAchterom",
            ),
            {
                "Full name": "Jan Jansen",
                "First name": "Jan",
                "Last name": "Jansen",
                "Company": "Jansen Installatie",
                "E-mail 1": "jan@example.nl",
                "Mobile 1": "+31 6 12345678",
                "Notes": "Sleutel bij de buren, nr. 12\nAchterom",
            },
            id="3.0",
        ),
        pytest.param(
            card(
                "FN:Forrest Gump",
                "N:Gump;Forrest;;Mr.;",
                'TEL;VALUE=uri;TYPE="voice,cell":tel:+1-404-555-1212',
                "TEL;TYPE=work,voice;VALUE=uri:tel:+1-111-555-1212",
                'ADR;TYPE=HOME;LABEL="42 Plantation St.\\nBaytown\\, LA 30314":;;'
                "42 Plantation St.;Baytown;LA;30314;United States of America",
                "EMAIL;PREF=1:forrestgump@example.com",
                version="4.0",
            ),
            {
                "Full name": "Forrest Gump",
                "First name": "Forrest",
                "Last name": "Gump",
                "E-mail 1": "forrestgump@example.com",
                "Mobile 1": "+1-404-555-1212",
                "Phone 1": "+1-111-555-1212",
                "Address 1 - Street": "42 Plantation St.",
                "Address 1 - City": "Baytown",
                "Address 1 - Region": "LA",
                "Address 1 - Postal code": "30314",
                "Address 1 - Country": "United States of America",
                "Address 1 - Type": "Home",
            },
            id="4.0",
        ),
        pytest.param(
            # Nokia's 2.1 backup (garretwilson.com, "Nokia and Google Suck at VCard"):
            # ENCODING=8BIT on every line, which vobject would otherwise read as base64.
            card(
                "N;CHARSET=UTF-8;ENCODING=8BIT:Doe;Jane",
                "FN;CHARSET=UTF-8;ENCODING=8BIT:Ms. Jane Lívia Doe",
                "TEL;PREF;HOME;VOICE;ENCODING=8BIT:+14155551212",
                "TEL;CELL;VOICE;ENCODING=8BIT:+19185551212",
                version="2.1",
            ),
            {
                "Full name": "Ms. Jane Lívia Doe",
                "First name": "Jane",
                "Last name": "Doe",
                "Mobile 1": "+19185551212",
                "Phone 1": "+14155551212",
            },
            id="2.1-nokia-8bit",
        ),
    ],
)
def test_each_version_reads_into_the_columns(text: str, expected: Row) -> None:
    assert rows_of(sheet_of(text.encode())) == [expected]


@pytest.mark.parametrize(
    ("data", "note"),
    [
        pytest.param(
            b"BEGIN:VCARD\r\nFN:x\r\nNOTE:Onderhoud cv-ketel elk na\r\n jaar\r\nEND:VCARD\r\n",
            "Onderhoud cv-ketel elk najaar",
            id="crlf-space",
        ),
        pytest.param(
            b"BEGIN:VCARD\nFN:x\nNOTE:Onderhoud cv-ketel elk na\n\tjaar\nEND:VCARD\n",
            "Onderhoud cv-ketel elk najaar",
            id="lf-tab",
        ),
        pytest.param(
            b"BEGIN:VCARD\rFN:x\rNOTE:Onderhoud cv-ketel elk na\r jaar\rEND:VCARD\r",
            "Onderhoud cv-ketel elk najaar",
            id="lone-cr",
        ),
        pytest.param(
            b"BEGIN:VCARD\r\nFN:x\r\nNOTE:Stra" + b"\xc3\r\n \x9fe 5\r\nEND:VCARD\r\n",
            "Straße 5",
            id="fold-inside-a-utf8-character",
        ),
        pytest.param(
            b"BEGIN:VCARD\r\nFN:x\r\nNOTE:first\\, then\r\n  second\r\nEND:VCARD\r\n",
            "first, then second",
            id="fold-keeps-the-second-space",
        ),
        pytest.param(
            b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:x\r\nNOTE;ENCODING=QUOTED-PRINTABLE:Hello=\r\n"
            b" world=0D=0Aagain\r\nEND:VCARD\r\n",
            "Hello world\r\nagain",
            id="qp-soft-break-keeps-a-leading-space",
        ),
        pytest.param(
            b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:x\r\nNOTE;QUOTED-PRINTABLE:Ende=\r\nEND:VCARD\r\n",
            "Ende",
            id="qp-stray-soft-break-before-end",
        ),
    ],
)
def test_folded_lines_are_joined(data: bytes, note: str) -> None:
    [row] = rows_of(sheet_of(data))
    assert row["Notes"] == note


def test_many_cards_are_rows_numbered_by_position() -> None:
    # Given cards of every version, with blank lines, spaces and a DOS end mark between them
    cards = [card(f"FN:Klant {n}", version=v) for n, v in enumerate(["2.1", "3.0", "4.0"] * 4)]
    data = ("\r\n\r\n  \t\r\n".join(cards) + "\r\n\x1a").encode()

    # When the file is read
    grid = read_vcard(data)
    sheet = build_sheet(FileFormat.VCARD, grid)

    # Then the header record is 0 and card k is row k
    assert grid.row_numbers.to_pylist() == list(range(13))
    assert sheet.row_numbers.to_pylist() == list(range(1, 13))
    assert [row["Full name"] for row in rows_of(sheet)] == [f"Klant {n}" for n in range(12)]


def test_exactly_the_most_cards_are_read() -> None:
    data = b"BEGIN:VCARD\r\nFN:x\r\nTEL:1\r\nEND:VCARD\r\n" * MAX_DATA_ROWS
    assert sheet_of(data).data_row_count == MAX_DATA_ROWS


# --- text values ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(
            ("FN:Jansen, Jan", "NOTE:Hello, world"),
            {"Full name": "Jansen, Jan", "Notes": "Hello, world"},
            id="unescaped-commas-kept",  # vobject's text behaviour would cut at the comma
        ),
        pytest.param(
            ("FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:" + qp("Müller, Jürgen"),),
            {"Full name": "Müller, Jürgen"},
            id="quoted-printable-comma-kept",
        ),
        pytest.param(
            ("FN:x", "NOTE:a\\;b\\\\c\\Nd\\te"),
            {"Full name": "x", "Notes": "a;b\\c\nd\\te"},
            id="escapes",
        ),
        pytest.param(
            ("N:van der Berg;Jan,Piet;Willem;Dr.;jr.", "ORG:Acme\\, Inc.;Sales"),
            {"First name": "Jan Piet Willem", "Last name": "van der Berg", "Company": "Acme, Inc."},
            id="structured-n-org",
        ),
        pytest.param(
            ("FN:x", "ORG:Smit, Smit & Partners;;"),
            {"Full name": "x", "Company": "Smit, Smit & Partners"},
            id="org-with-an-unescaped-comma",
        ),
        pytest.param(
            ("FN:x", "NOTE:eerste", "NOTE:tweede"),
            {"Full name": "x", "Notes": "eerste\ntweede"},
            id="notes-joined",
        ),
        pytest.param(
            ("fn:kleine letters", "item7.note:groep"),
            {"Full name": "kleine letters", "Notes": "groep"},
            id="names-in-any-case-and-groups",
        ),
        pytest.param(
            ("FN:x", "BDAY:1980-01-01", "URL:https\\://example.com", "TITLE:Baas", "X-FOO;A=b:c"),
            {"Full name": "x"},
            id="other-properties-ignored",
        ),
    ],
)
def test_text_values(lines: tuple[str, ...], expected: Row) -> None:
    assert one_row(*lines) == expected


def test_a_note_of_100000_characters_fits_in_any_script() -> None:
    note = "漢字仮名交じり文" * 12_500  # 300,000 UTF-8 bytes, 900,000 as Android writes them
    row = one_row("FN:x", "NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:" + qp(note), version="2.1")
    assert row["Notes"] == note


# --- phone numbers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "column"),
    [
        pytest.param(("TEL;CELL;VOICE:06 1",), "Mobile 1", id="2.1-bare-cell"),
        pytest.param(("TEL;PREF;WORK:06 1",), "Phone 1", id="2.1-bare-work"),
        pytest.param(("TEL;TYPE=CELL,VOICE:06 1",), "Mobile 1", id="3.0-list"),
        pytest.param(("TEL;type=cell;type=voice:06 1",), "Mobile 1", id="3.0-repeated"),
        pytest.param(('TEL;VALUE=uri;TYPE="voice,cell":tel:06 1',), "Mobile 1", id="4.0-quoted"),
        pytest.param(("TEL;TYPE=MOBILE:06 1",), "Mobile 1", id="mobile"),
        pytest.param(("TEL;type=IPHONE;type=CELL;type=VOICE:06 1",), "Mobile 1", id="iphone"),
        pytest.param(("TEL;TYPE=text:06 1",), "Mobile 1", id="text"),
        pytest.param(("TEL;X-Mobile2:06 1",), "Mobile 1", id="android-custom-mobile"),
        pytest.param(("TEL;TYPE=textphone:06 1",), "Phone 1", id="textphone-is-a-phone"),
        pytest.param(("TEL;TYPE=HOME,VOICE:06 1",), "Phone 1", id="home"),
        pytest.param(("TEL;TYPE=MAIN:06 1",), "Phone 1", id="main"),
        pytest.param(("TEL:06 1",), "Phone 1", id="no-type"),
        pytest.param(("TEL;TYPE=X-Boot:06 1",), "Phone 1", id="x-type"),
        pytest.param(("TEL;TYPE=WORK,FAX:06 1",), "Fax 1", id="3.0-fax"),
        pytest.param(("TEL;HOME;FAX:06 1",), "Fax 1", id="2.1-fax"),
        pytest.param(("TEL;PAGER:06 1",), "Fax 1", id="pager"),
        pytest.param(('TEL;VALUE=uri;TYPE="cell,fax":tel:06 1',), "Fax 1", id="fax-beats-cell"),
        pytest.param(
            ("item1.TEL:06 1", "item1.X-ABLabel:_$!<Mobile>!$_"), "Mobile 1", id="apple-mobile"
        ),
        pytest.param(
            ("item1.TEL:06 1", "item1.X-ABLabel:_$!<iPhone>!$_"), "Mobile 1", id="apple-iphone"
        ),
        pytest.param(
            ("item1.TEL:06 1", "item1.X-ABLabel:_$!<HomeFAX>!$_"), "Fax 1", id="apple-homefax"
        ),
        pytest.param(
            ("item1.TEL:06 1", "item1.X-ABLabel:_$!<WorkFAX>!$_"), "Fax 1", id="apple-workfax"
        ),
        pytest.param(
            ("item1.TEL:06 1", "item1.X-ABLabel:_$!<OtherFAX>!$_"), "Fax 1", id="apple-otherfax"
        ),
        pytest.param(
            ("item1.TEL:06 1", "item1.X-ABLabel:_$!<Pager>!$_"), "Fax 1", id="apple-pager"
        ),
        pytest.param(
            ("item1.TEL:06 1", "item1.X-ABLabel:_$!<Main>!$_"), "Phone 1", id="apple-main"
        ),
        pytest.param(
            ("item1.TEL:06 1", "item1.X-ABLabel:_$!<Home>!$_"), "Phone 1", id="apple-home"
        ),
        pytest.param(
            ("item1.TEL:06 1", "item1.X-ABLabel:_$!<Work>!$_"), "Phone 1", id="apple-work"
        ),
        pytest.param(
            ("item1.TEL:06 1", "item1.X-ABLabel:_$!<Other>!$_"), "Phone 1", id="apple-other"
        ),
        pytest.param(
            ("item1.TEL:06 1", "item1.X-ABLabel:ch mobile"), "Mobile 1", id="own-label-mobile"
        ),
        pytest.param(
            ("item1.TEL:06 1", "item1.X-ABLabel:Dienst-Handy"), "Mobile 1", id="own-label-handy"
        ),
        pytest.param(("item1.TEL:06 1", "item1.X-ABLabel:Fax thuis"), "Fax 1", id="own-label-fax"),
        pytest.param(
            ("item1.TEL:06 1", "item1.X-ABLabel:festnetz"), "Phone 1", id="own-label-phone"
        ),
        pytest.param(
            ("item1.TEL;type=CELL:06 1", "item1.X-ABLabel:Boot"),
            "Mobile 1",
            id="own-label-types-decide",
        ),
        pytest.param(
            ("item1.TEL;type=FAX:06 1", "item1.X-ABLabel:_$!<Mobile>!$_"),
            "Fax 1",
            id="typed-fax-beats-label",
        ),
        pytest.param(
            ("ITEM1.X-ABLabel:_$!<Mobile>!$_", "item1.TEL:06 1"),
            "Mobile 1",
            id="label-before-number",
        ),
        pytest.param(
            ("item2.TEL:06 1", "item1.X-ABLabel:_$!<Mobile>!$_"),
            "Phone 1",
            id="label-of-another-group",
        ),
    ],
)
def test_number_kinds(lines: tuple[str, ...], column: str) -> None:
    assert one_row("FN:x", *lines) == {"Full name": "x", column: "06 1"}


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("TEL;TYPE=FAX:0201234567", id="3.0"),
        pytest.param("TEL;WORK;FAX:0201234567", id="2.1"),
        pytest.param("TEL;TYPE=VOICE,FAX,CELL:0201234567", id="with-voice-and-cell"),
        pytest.param('TEL;VALUE=uri;TYPE="fax,voice":tel:0201234567', id="4.0"),
        pytest.param("TEL;TYPE=x-workfax:0201234567", id="x-type"),
    ],
)
def test_a_fax_is_never_a_phone(line: str) -> None:
    sheet = sheet_of(card("FN:x", line).encode())
    assert sheet.headers == ["Full name", "Fax 1"]
    assert suggest_mapping(sheet.headers).unmapped_headers == ["Fax 1"]


def test_values_are_numbered_up_to_the_most_any_card_has() -> None:
    data = (
        card("FN:a", "EMAIL:a1@x.nl", "EMAIL:a2@x.nl", "EMAIL:a3@x.nl", "TEL;CELL:1")
        + card("FN:b", "EMAIL:b1@x.nl", "TEL;CELL:2", "TEL;CELL:3", "TEL:4", "TEL;CELL:")
    ).encode()
    sheet = sheet_of(data)
    assert sheet.headers == [
        "Full name", "E-mail 1", "E-mail 2", "E-mail 3", "Mobile 1", "Mobile 2", "Phone 1",
    ]  # fmt: skip
    assert [cells for _, cells in sheet.preview(2)] == [
        ["a", "a1@x.nl", "a2@x.nl", "a3@x.nl", "1", "", ""],
        ["b", "b1@x.nl", "", "", "2", "3", "4"],
    ]


# --- addresses --------------------------------------------------------------------------


def test_address_parts_fill_their_group() -> None:
    # Given two addresses, one with every part, one typed by Apple's label of its group
    row = one_row(
        "FN:x",
        "ADR;TYPE=WORK;TYPE=pref:Postbus 7;Bus 2;Bondgenotenlaan 10\\, achterhuis;Leuven;"
        "Vlaams-Brabant;3000;België",
        "item3.ADR;type=HOME:;;Straat 1;Gent;;9000;België",
        "item3.X-ABLabel:Zomerhuis",
        "ADR;HOME:;;;;;;",  # no part: no address
    )
    # Then each part is its own column, the type is shown
    assert row == {
        "Full name": "x",
        "Address 1 - Street": "Bondgenotenlaan 10, achterhuis",
        "Address 1 - Extended address": "Bus 2",
        "Address 1 - PO box": "Postbus 7",
        "Address 1 - City": "Leuven",
        "Address 1 - Region": "Vlaams-Brabant",
        "Address 1 - Postal code": "3000",
        "Address 1 - Country": "België",
        "Address 1 - Type": "Work",
        "Address 2 - Street": "Straat 1",
        "Address 2 - City": "Gent",
        "Address 2 - Postal code": "9000",
        "Address 2 - Country": "België",
        "Address 2 - Type": "Zomerhuis",
    }
    # And the matcher puts the parts in the groups "Address 1" and "Address 2"
    mapping = suggest_mapping(list(row)).mapping.columns
    groups = {c.header: (c.field, c.address_group, c.address_part) for c in mapping}
    assert groups["Address 1 - Extended address"] == (F.ADDRESS, "Address 1", P.EXTENDED)
    assert groups["Address 2 - Street"] == (F.ADDRESS, "Address 2", P.STREET)
    assert "Address 1 - Type" not in groups


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        pytest.param("ADR;HOME:;;Straat 1;;;;", "Home", id="2.1-bare"),
        pytest.param("ADR;TYPE=work,postal,parcel:;;Straat 1;;;;", "Work", id="3.0-list"),
        pytest.param("ADR;type=HOME;type=pref:;;Straat 1;;;;", "Home", id="apple"),
        pytest.param("ADR;TYPE=X-Vakantie:;;Straat 1;;;;", "Vakantie", id="x-type"),
        pytest.param("ADR:;;Straat 1;;;;", "", id="none"),
    ],
)
def test_address_type(line: str, kind: str) -> None:
    assert one_row("FN:x", line).get("Address 1 - Type", "") == kind


# --- photos and other binary values -----------------------------------------------------


def _base64(size: int) -> str:
    return base64.b64encode(b"\xff\xd8\xff\xe0" + bytes(range(256)) * (size // 256)).decode()


def _folded(prefix: str, value: str, width: int = 75, indent: str = " ") -> str:
    line = prefix + value
    return ("\r\n" + indent).join(line[i : i + width] for i in range(0, len(line), width))


BIG = _base64(2 * MAX_LINE_BYTES)  # far over the kept-line limit: a photo is never kept


@pytest.mark.parametrize(
    "photo",
    [
        pytest.param(_folded("PHOTO;ENCODING=BASE64;JPEG:", BIG) + "\r\n", id="2.1-indented"),
        pytest.param(
            "PHOTO;ENCODING=BASE64;TYPE=JPEG:\r\n" + _folded("", BIG, indent="") + "\r\n",
            id="2.1-unindented-blank-line-after",
        ),
        pytest.param(_folded("PHOTO;ENCODING=b;TYPE=JPEG:", BIG), id="3.0-apple"),
        pytest.param("PHOTO;TYPE=JPEG;BASE64:" + BIG, id="3.0-bare-base64-one-line"),
        pytest.param(_folded("PHOTO:data:image/jpeg;base64,", BIG), id="4.0-data-uri"),
        pytest.param(_folded("LOGO;ENCODING=b;TYPE=PNG:", BIG), id="logo"),
        pytest.param(_folded("SOUND;ENCODING=b;TYPE=WAV:", BIG), id="sound"),
        pytest.param(_folded("KEY;ENCODING=b:", BIG), id="key"),
        pytest.param(_folded("NOTE;ENCODING=b:", BIG), id="any-base64-value"),
    ],
)
def test_photos_and_binary_values_are_dropped(photo: str) -> None:
    row = one_row("FN:Sanne de Vries", photo.removesuffix("\r\n"), "TEL;CELL:06 1")
    assert row == {"Full name": "Sanne de Vries", "Mobile 1": "06 1"}


# --- nested cards -----------------------------------------------------------------------


def test_an_agent_card_is_dropped_with_its_agent() -> None:
    # Given a 2.1 card whose AGENT holds the card of an assistant
    data = card(
        "FN:Baas",
        "AGENT:",
        "BEGIN:VCARD",
        "VERSION:2.1",
        "FN:Assistent",
        "TEL;CELL:06 2",
        "END:VCARD",
        "TEL;CELL:06 1",
        version="2.1",
    )
    # Then the assistant is no row and the card's own values are all read
    assert rows_of(sheet_of(data.encode())) == [{"Full name": "Baas", "Mobile 1": "06 1"}]


# --- refusals ---------------------------------------------------------------------------

_REDOS = "TEL;X" + "=a" * 40 + '"' + ":1"  # vobject's own regex: about 2**40 steps


@pytest.mark.parametrize(
    ("data", "reason", "line", "fragment"),
    [
        pytest.param(
            card("FN:x", "NOTE:" + "a" * MAX_LINE_BYTES).encode(),
            Reason.MALFORMED_FILE,
            4,
            "Card 1 cannot be read: line 4 of the file holds a value",
            id="over-long-line",
        ),
        pytest.param(
            card("FN:x", "NOTE:a" + "\r\n b" * (MAX_LINE_BYTES // 3)).encode(),
            Reason.MALFORMED_FILE,
            4,
            "of more than 1,048,576 bytes",
            id="over-long-folded-line",
        ),
        pytest.param(
            card(
                "FN:x", "NOTE;QUOTED-PRINTABLE:" + "=41=\r\n" * (MAX_LINE_BYTES // 4), version="2.1"
            ).encode(),
            Reason.MALFORMED_FILE,
            4,
            "line 4 of the file holds a value",
            id="over-long-quoted-printable-line",
        ),
        pytest.param(
            (card("FN:a") + "BEGIN:VCARD\r\nFN:b\r\nTEL:1\r\n").encode(),
            Reason.MALFORMED_FILE,
            5,
            "Card 2, which starts on line 5, is never closed",
            id="unclosed-card",
        ),
        pytest.param(
            b"BEGIN:VCARD\r\nFN:a\r\nBEGIN:VCARD\r\nFN:b\r\nEND:VCARD\r\n",
            Reason.MALFORMED_FILE,
            3,
            "Card 1, which starts on line 1, is not closed: a new card begins on line 3",
            id="card-begins-inside-a-card",
        ),
        pytest.param(
            ("Contacts export\r\n" + card("FN:a")).encode(),
            Reason.MALFORMED_FILE,
            1,
            "Line 1 of the file comes before the first card",
            id="junk-before-the-first-card",
        ),
        pytest.param(
            (card("FN:a") + "\r\n-- end of export --\r\n").encode(),
            Reason.MALFORMED_FILE,
            6,
            "Line 6 of the file, after card 1, is not part of any card",
            id="junk-after-a-card",
        ),
        pytest.param(
            (card("FN:a") + "END:VCARD\r\n").encode(),
            Reason.MALFORMED_FILE,
            5,
            "Line 5 of the file, after card 1",
            id="stray-end",
        ),
        pytest.param(
            card("FN:x", "AGENT:", "BEGIN:VCARD", "BEGIN:VCARD", "END:VCARD", "END:VCARD").encode(),
            Reason.MALFORMED_FILE,
            6,
            "Card 1 cannot be read: line 6 of the file",
            id="a-card-in-an-agent-card",
        ),
        pytest.param(
            card("FN:x", "AGENT:", "BEGIN:VCARD", "FN:y").encode(),
            Reason.MALFORMED_FILE,
            1,
            "Card 1, which starts on line 1, is never closed",
            id="agent-card-never-closed",
        ),
        pytest.param(
            card("FN:x", "Hallo allemaal").encode(),
            Reason.MALFORMED_FILE,
            4,
            "Card 1 cannot be read: line 4 of the file is not a valid",
            id="not-a-property",
        ),
        pytest.param(
            b"BEGIN:VCARD\r\n  FN:indented\r\nEND:VCARD\r\n",
            Reason.MALFORMED_FILE,
            2,
            "line 2 of the file is not a valid vCard line",
            id="indented-property",
        ),
        pytest.param(
            card("FN:x", 'TEL;TYPE="CELL:06 1').encode(),
            Reason.MALFORMED_FILE,
            4,
            "line 4 of the file is not a valid vCard line",
            id="unclosed-quote",
        ),
        pytest.param(
            card("FN:x", _REDOS).encode(),
            Reason.MALFORMED_FILE,
            4,
            "line 4 of the file is not a valid vCard line",
            id="exponential-parameters",
        ),
        pytest.param(
            card("FN;CHARSET=X-NO-SUCH;ENCODING=QUOTED-PRINTABLE:=41", version="2.1").encode(),
            Reason.MALFORMED_FILE,
            3,
            "Card 1 cannot be read: line 3",
            id="vobject-cannot-decode-the-charset",
        ),
        pytest.param(
            card("FN:x", "NOTE:" + "\udcff").encode("utf-8", "surrogateescape"),
            Reason.MALFORMED_FILE,
            4,
            "line 4 of the file is not a valid vCard line",
            id="not-utf8",
        ),
    ],
)
def test_refused(data: bytes, reason: Reason, line: int, fragment: str) -> None:
    refused = refusal(data)
    assert refused.reason is reason
    assert refused.metadata == {"line": str(line)}
    assert fragment in str(refused.message)
    assert str(refused.message).endswith("and upload the new file.")


def test_more_cards_than_rows_stop_before_any_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given one card too many, and vobject counting the lines it is given
    parsed: list[str] = []
    real = vobject.base.textLineToContentLine

    def counting(text: str, n: int | None = None) -> object:
        parsed.append(text)
        return real(text, n)

    monkeypatch.setattr(vobject.base, "textLineToContentLine", counting)
    data = b"BEGIN:VCARD\r\nFN:x\r\nEND:VCARD\r\n" * (MAX_DATA_ROWS + 1)

    # When the file is read, then it is refused and no card went to vobject
    refused = refusal(data)
    assert refused.reason is Reason.TOO_MANY_ROWS
    assert str(refused.message).startswith("The file has more than 10,000 cards;")
    assert parsed == []


@pytest.mark.parametrize(
    ("data", "limit"),
    [
        pytest.param(
            b"BEGIN:VCARD\r\nFN:x\r\n" + b"X-A:1\r\n" * MAX_PROPERTIES + b"END:VCARD\r\n",
            "500,000",
            id="properties",
        ),
        pytest.param(
            (b"BEGIN:VCARD\r\n" + b"TEL:1\r\n" * 1000 + b"END:VCARD\r\n") * 201,
            "200,000",
            id="kept-properties",
        ),
    ],
)
def test_a_file_of_tiny_lines_is_refused_in_bounded_time(data: bytes, limit: str) -> None:
    # In a child process that is killed after 60 s (a generous bound for a 2-core machine on
    # a slow day; without the caps such a file takes minutes).
    outcome = read_isolated(data, timeout=60.0)
    assert (outcome.kind, outcome.reason) == ("rejected", Reason.TOO_MANY_ROWS.value), outcome
    assert f"more than {limit} lines of contact details" in outcome.message


def test_a_line_that_would_make_vobject_backtrack_is_refused_in_bounded_time() -> None:
    # vobject's parameter regex takes about 2**40 steps on this line; the reader's own check
    # runs in linear time first. Killed after 60 s if it ever hangs.
    outcome = read_isolated(card("FN:x", _REDOS).encode(), timeout=60.0)
    assert (outcome.kind, outcome.reason) == ("rejected", Reason.MALFORMED_FILE.value), outcome


def test_too_many_values_for_the_columns() -> None:
    data = card("FN:x", *(f"EMAIL:a{n}@example.nl" for n in range(2100))).encode()
    assert refusal(data).reason is Reason.TOO_MANY_COLUMNS


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(b"", "The file is empty.", id="empty"),
        pytest.param(b"\r\n \r\n\t", "The file is empty.", id="whitespace"),
        pytest.param(
            card("BDAY:1980-01-01", "FN:", "TEL:").encode(),
            "The file has 1 card, but it holds no name, company, e-mail address",
            id="a-card-without-details",
        ),
        pytest.param(
            (card("UID:1") * 2).encode(),
            "The file has 2 cards, but none of them holds a name",
            id="cards-without-details",
        ),
    ],
)
def test_empty(data: bytes, message: str) -> None:
    with pytest.raises(FileRejected) as caught:
        sheet_of(data)
    assert caught.value.reason is Reason.EMPTY_FILE
    assert str(caught.value.message).startswith(message)


REFUSALS = [
    card("FN:x", "NOTE:" + "a" * MAX_LINE_BYTES).encode(),
    card("FN:x", "TEL\x01:1").encode(),
    b"BEGIN:VCARD\r\nFN:a\r\n",
    b"BEGIN:VCARD\r\nFN:a\r\nBEGIN:VCARD\r\n",
    b"junk\r\n",
    (card("FN:a") + "junk\r\n").encode(),
    b"BEGIN:VCARD\r\nEND:VCARD\r\n" * (MAX_DATA_ROWS + 1),
    (b"BEGIN:VCARD\r\n" + b"TEL:1\r\n" * 1000 + b"END:VCARD\r\n") * 201,
    card("FN:x", *(f"EMAIL:a{n}@example.nl" for n in range(2100))).encode(),
    card("UID:1").encode(),
    (card("UID:1") * 2).encode(),
]


@pytest.mark.parametrize("data", REFUSALS, ids=range(len(REFUSALS)))
def test_every_refusal_is_translated_whole(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    pseudo_language = use_pseudo_language(monkeypatch)
    message = refusal(data).message
    rendered = render(message, pseudo_language)
    assert not english_words(rendered, *plain_values(message)), (str(message), rendered)


# --- sourced exports and their mapping --------------------------------------------------

APPLE: list[Row] = [
    {
        "Full name": "Sanne Johanna de Vries",
        "First name": "Sanne Johanna",
        "Last name": "de Vries",
        "Company": "Bloemenhuis De Tulp",
        "E-mail 1": "sanne.devries@example.nl",
        "E-mail 2": "info@bloemenhuis-detulp.example",
        "Mobile 1": "+31 6 12345678",
        "Phone 1": "+31 20 123 4567",
        "Fax 1": "+31 20 765 4321",
        "Address 1 - Street": "Prinsengracht 263",
        "Address 1 - City": "Amsterdam",
        "Address 1 - Postal code": "1016 GV",
        "Address 1 - Country": "Nederland",
        "Address 1 - Type": "Home",
        "Notes": "Vaste klant sinds 2018. Onderhoud cv-ketel elk najaar, liefst op "
        "dinsdagochtend. Sleutel bij de buren (nr. 265).",
    },
    {
        "Full name": "Lukas Peeters",
        "First name": "Lukas",
        "Last name": "Peeters",
        "Company": "Peeters & Zonen BV",
        "E-mail 1": "lukas@peeters-zonen.example",
        "Mobile 1": "+32 470 12 34 56",
        "Mobile 2": "+32 471 98 76 54",
        "Phone 1": "+32 9 234 56 78",
        "Fax 1": "+32 3 123 45 67",
        "Address 1 - Street": "Meir 10",
        "Address 1 - City": "Antwerpen",
        "Address 1 - Postal code": "2000",
        "Address 1 - Country": "België",
        "Address 1 - Type": "Work",
    },
    {
        "Full name": "Bäckerei Müller",
        "Company": "Bäckerei Müller GmbH",
        "Phone 1": "+49 30 1234567",
        "Fax 1": "+49 30 1234568",
        "Address 1 - Street": "Friedrichstraße 123",
        "Address 1 - Extended address": "Hinterhaus",
        "Address 1 - City": "Berlin",
        "Address 1 - Region": "Berlin",
        "Address 1 - Postal code": "10117",
        "Address 1 - Country": "Deutschland",
        "Address 1 - Type": "Work",
    },
    {
        "Full name": "Marie Janssens",
        "First name": "Marie",
        "Last name": "Janssens",
        "Fax 1": "+32 2 345 67 89",
    },
]

GOOGLE: list[Row] = [
    {
        "Full name": "Bram Visser",
        "First name": "Bram",
        "Last name": "Visser",
        "Company": "Visser Schilders",
        "E-mail 1": "bram.visser@example.com",
        "E-mail 2": "b.visser@visser-schilders.example",
        "Mobile 1": "+31 6 23456789",
        "Phone 1": "+31 30 234 5678",
        "Phone 2": "+31 30 876 5432",
        "Address 1 - Street": "Oudegracht 12",
        "Address 1 - City": "Utrecht",
        "Address 1 - Postal code": "3511 AP",
        "Address 1 - Country": "Nederland",
        "Address 1 - Type": "Home",
        "Address 2 - Street": "Vaartsche Rijn 4",
        "Address 2 - City": "Utrecht",
        "Address 2 - Region": "Utrecht",
        "Address 2 - Postal code": "3523 AA",
        "Address 2 - Country": "Nederland",
        "Address 2 - Type": "Work",
        "Notes": "Offerte gestuurd op 3 mei.\nBelt liever na 17 uur, niet op vrijdag.",
    },
    {
        "Full name": "Emma Wouters",
        "First name": "Emma",
        "Last name": "Wouters",
        "Company": "Wouters Architecten",
        "E-mail 1": "emma.wouters@example.be",
        "E-mail 2": "emma@wouters-architecten.example",
        "Mobile 1": "0470 23 45 67",
        "Phone 1": "+32 2 512 34 50",
        "Fax 1": "+32 2 512 34 56",
        "Address 1 - Street": "Grote Markt 1",
        "Address 1 - City": "Brussel",
        "Address 1 - Postal code": "1000",
        "Address 1 - Country": "België",
        "Address 1 - Type": "Work",
    },
    {
        "Full name": "Jonas Schmidt",
        "First name": "Jonas",
        "Last name": "Schmidt",
        "E-mail 1": "jonas.schmidt@example.de",
        "Fax 1": "+49 221 9876543",
    },
]

ANDROID: list[Row] = [
    {
        "Full name": "Anna-Sophie Thérèse Müller",
        "First name": "Anna-Sophie Thérèse",
        "Last name": "Müller",
        "Company": "Müller Haustechnik",
        "E-mail 1": "anna.mueller@example.de",
        "Mobile 1": "+49 151 23456789",
        "Phone 1": "+49 89 1234567",
        "Fax 1": "+49 89 7654321",
        "Address 1 - Street": "Schloßstraße 5",
        "Address 1 - City": "München",
        "Address 1 - Postal code": "80331",
        "Address 1 - Country": "Deutschland",
        "Address 1 - Type": "Home",
        "Notes": "Wartung Gastherme im Oktober.\nZugang über den Hof, bitte klingeln.",
    },
    {
        "Full name": "Kees Bakker",
        "First name": "Kees",
        "Last name": "Bakker",
        "Company": "Bakker Loodgieters",
        "E-mail 1": "kees@bakker-loodgieters.example",
        "Mobile 1": "06-34567890",
        "Phone 1": "010-4567890",
        "Fax 1": "06-55555555",
        "Address 1 - Street": "Coolsingel 40",
        "Address 1 - City": "Rotterdam",
        "Address 1 - Postal code": "3011 AD",
        "Address 1 - Country": "Nederland",
        "Address 1 - Type": "Work",
    },
    {
        "Full name": "Luc Dubois",
        "First name": "Luc",
        "Last name": "Dubois",
        "Fax 1": "+32 4 222 33 44",
    },
]

EXPORTS = [
    pytest.param("apple_contacts.vcf", APPLE, id="apple-contacts"),
    pytest.param("google_contacts.vcf", GOOGLE, id="google-contacts"),
    pytest.param("android.vcf", ANDROID, id="android"),
]

# What each column the reader writes maps to (Fax and Address n - Type: unmapped).
COLUMN_FIELDS: dict[str, tuple[ContactField, AddressPart]] = {
    "Full name": (F.FULL_NAME, P.WHOLE),
    "First name": (F.FIRST_NAME, P.WHOLE),
    "Last name": (F.LAST_NAME, P.WHOLE),
    "Company": (F.COMPANY, P.WHOLE),
    "Notes": (F.NOTES, P.WHOLE),
    "E-mail": (F.EMAIL, P.WHOLE),
    "Mobile": (F.MOBILE, P.WHOLE),
    "Phone": (F.PHONE, P.WHOLE),
    "Street": (F.ADDRESS, P.STREET),
    "Extended address": (F.ADDRESS, P.EXTENDED),
    "PO box": (F.ADDRESS, P.PO_BOX),
    "City": (F.ADDRESS, P.CITY),
    "Region": (F.ADDRESS, P.REGION),
    "Postal code": (F.ADDRESS, P.POSTAL_CODE),
    "Country": (F.ADDRESS, P.COUNTRY),
}


def intended(header: str) -> tuple[ContactField, AddressPart, str] | None:
    """The field, part and address group a user expects for a column of the reader."""
    if header.startswith("Address "):
        group, part = header.split(" - ")
        known = COLUMN_FIELDS.get(part)
        return (*known, group) if known else None
    known = COLUMN_FIELDS.get(header.rstrip("0123456789 "))
    return (*known, "") if known else None


def mapped(headers: list[str]) -> dict[str, tuple[ContactField, AddressPart, str]]:
    columns = suggest_mapping(headers).mapping.columns
    return {c.header: (c.field, c.address_part, c.address_group) for c in columns}


@pytest.mark.parametrize(("fixture", "expected"), EXPORTS)
def test_sourced_exports_read_as_their_tools_write_them(fixture: str, expected: list[Row]) -> None:
    sheet = sheet_of((FIXTURES / fixture).read_bytes())
    assert rows_of(sheet) == expected
    assert sheet.row_numbers.to_pylist() == list(range(1, len(expected) + 1))


@pytest.mark.parametrize(("fixture", "expected"), EXPORTS)
def test_every_column_maps_as_intended(fixture: str, expected: list[Row]) -> None:
    # Given the headers the reader writes for the export
    headers = sheet_of((FIXTURES / fixture).read_bytes()).headers

    # When the matcher suggests a mapping, then each column has its intended field, and
    # only the fax and address-type columns are left out
    suggestion = suggest_mapping(headers)
    assert mapped(headers) == {h: i for h in headers if (i := intended(h))}
    assert all(h.startswith("Fax ") or h.endswith(" - Type") for h in suggestion.unmapped_headers)


@pytest.mark.parametrize("language", ["en", "nl", "de"])
@pytest.mark.parametrize(("fixture", "expected"), EXPORTS)
def test_the_failure_workbook_maps_the_same(
    fixture: str, expected: list[Row], language: str
) -> None:
    # Given the failure workbook of a vCard import: its columns, plus "Row" and "Reason"
    sheet = sheet_of((FIXTURES / fixture).read_bytes())
    number, cells = sheet.preview(1)[0]
    problem = RowProblem(Reason.PHONE_MISSING, t("No phone number."))
    workbook = write_failure_workbook(
        sheet.headers, [RejectedRow(number, cells, [problem])], language
    )

    # When the user uploads it again
    again = read_sheet(workbook)

    # Then its headers map as the vCard's did, and the two extra columns stay unmapped
    assert again.headers[:-2] == sheet.headers
    assert mapped(again.headers) == mapped(sheet.headers)
    assert suggest_mapping(again.headers).unmapped_headers[-2:] == again.headers[-2:]
