"""Text files in the encodings people have: BOMs read without asking, other encodings when
declared, refusals that name the likely encoding, stray control bytes kept as text."""

from __future__ import annotations

import pytest

from shared.errors import FileRejected, Reason
from shared.spreadsheet import read_sheet
from shared.spreadsheet.encodings import declared_encoding, text_encoding, to_utf8
from shared.spreadsheet.sheet import FileFormat

ROWS = "Voornaam;Achternaam;Bedrijf\r\nZoë;Müller;Café “De Hoek” – €5\r\nRené;Ægir;Œuvre\r\n"
CELLS = [["Zoë", "Müller", "Café “De Hoek” – €5"], ["René", "Ægir", "Œuvre"]]
LATIN = "Prénom;Nom\r\nFrançois;Lefèvre\r\nHélène;Dupré\r\n"


def _cells(data: bytes, encoding: str = "") -> tuple[list[str], list[list[str]], str]:
    sheet = read_sheet(data, encoding=encoding)
    return sheet.headers, [cells for _, cells in sheet.preview(10)], sheet.encoding


def _refusal(data: bytes, encoding: str = "") -> FileRejected:
    with pytest.raises(FileRejected) as caught:
        read_sheet(data, encoding=encoding)
    return caught.value


@pytest.mark.parametrize(
    ("data", "encoding", "used"),
    [
        pytest.param(ROWS.encode(), "", "utf-8", id="utf8"),
        pytest.param(b"\xef\xbb\xbf" + ROWS.encode(), "", "utf-8", id="utf8-bom"),
        pytest.param(b"\xff\xfe" + ROWS.encode("utf-16-le"), "", "utf-16le", id="utf16le-bom"),
        pytest.param(b"\xfe\xff" + ROWS.encode("utf-16-be"), "", "utf-16be", id="utf16be-bom"),
        pytest.param(ROWS.encode("utf-32"), "", "utf-32le", id="utf32-bom"),
        pytest.param(ROWS.encode("utf-16-le"), "utf-16", "utf-16le", id="utf16le-declared"),
        pytest.param(ROWS.encode("utf-16-be"), "UTF-16", "utf-16be", id="utf16be-declared"),
        pytest.param(ROWS.encode("cp1252"), "windows-1252", "windows-1252", id="windows-1252"),
        pytest.param(ROWS.encode("cp1252"), "cp1252", "windows-1252", id="cp1252-spelling"),
        pytest.param(
            b"\xff\xfe" + ROWS.encode("utf-16-le"), "windows-1252", "utf-16le", id="bom-wins"
        ),
    ],
)
def test_a_text_file_is_read_in_its_encoding(data: bytes, encoding: str, used: str) -> None:
    assert _cells(data, encoding) == (["Voornaam", "Achternaam", "Bedrijf"], CELLS, used)


@pytest.mark.parametrize(
    ("text", "encoding", "codec"),
    [
        pytest.param(LATIN, "iso-8859-1", "latin-1", id="latin1"),
        pytest.param(
            LATIN.replace("Dupré", "Dupré €5 Œ"), "iso-8859-15", "iso8859-15", id="latin9"
        ),
    ],
)
def test_iso_8859_declared_reads_latin_letters(text: str, encoding: str, codec: str) -> None:
    headers, rows, used = _cells(text.encode(codec), encoding)

    assert (headers, used) == (["Prénom", "Nom"], encoding)
    assert rows == [line.split(";") for line in text.split("\r\n")[1:-1]]


@pytest.mark.parametrize(
    ("data", "likely", "words"),
    [
        pytest.param(
            ROWS.encode("cp1252"), "windows-1252", "--encoding windows-1252", id="windows-1252"
        ),
        pytest.param(
            ("Vorname;Nachname\nJürgen;Müller\nÄnne;Straße\n" * 3).encode("mac_roman"),
            "macintosh",
            "Mac Roman",
            id="mac-roman",
        ),
        pytest.param(
            ROWS.encode("utf-16-le"), "utf-16", "--encoding utf-16", id="utf16-without-bom"
        ),
    ],
)
def test_undeclared_text_that_is_not_utf8_is_refused_naming_its_likely_encoding(
    data: bytes, likely: str, words: str
) -> None:
    refusal = _refusal(data)

    assert refusal.reason is Reason.NOT_UTF8
    assert refusal.metadata["likely_encoding"] == likely
    assert words in str(refusal.message)
    assert "CSV UTF-8" in str(refusal.message)


def test_a_refusal_says_the_line_of_the_first_bad_byte() -> None:
    data = ("Naam\n" + "Jan\n" * 50 + "Zoë\n").encode("cp1252")

    refusal = _refusal(data)

    assert refusal.metadata["line"] == "52"
    assert "line 52" in str(refusal.message)


def test_declared_utf8_is_still_checked() -> None:
    assert _refusal(ROWS.encode("cp1252"), "utf-8").reason is Reason.NOT_UTF8


def test_utf16_that_ends_inside_a_character_is_damaged() -> None:
    data = b"\xff\xfe" + "Naam\nJan\n".encode("utf-16-le") + b"J"

    refusal = _refusal(data)

    assert refusal.reason is Reason.MALFORMED_FILE
    assert refusal.metadata["line"] == "3"


@pytest.mark.parametrize("rows_before", [1, 3, 40_000], ids=["line-2", "line-4", "far-in"])
def test_utf16_damaged_inside_is_refused_at_the_line_it_breaks(rows_before: int) -> None:
    # Given a UTF-16 file with a lone surrogate (half a character) after some rows, the
    # last case a few chunks in
    text = "Name,Phone\r\n" + "Jan,0612345678\r\n" * rows_before
    data = "\ufeff".encode("utf-16-le") + text.encode("utf-16-le") + b"\x00\xd8x\x00,\x00"
    # Then the refusal names the line the damage is on
    refusal = _refusal(data)
    assert refusal.reason is Reason.MALFORMED_FILE
    assert refusal.metadata["line"] == str(rows_before + 2)


def test_windows_1252_s_undefined_bytes_are_dropped() -> None:
    data = b"Naam\r\nJan" + b"\x81\x8d" + b" Smit\r\n"

    assert _cells(data, "windows-1252")[1] == [["Jan Smit"]]


@pytest.mark.parametrize(
    ("spelling", "name"),
    [
        pytest.param("", "", id="none"),
        pytest.param("UTF8", "utf-8", id="utf8"),
        pytest.param("utf-8-sig", "utf-8", id="utf8-sig"),
        pytest.param("utf-16le", "utf-16", id="utf16le"),
        pytest.param("Windows-1252", "windows-1252", id="windows-1252"),
        pytest.param("latin-1", "iso-8859-1", id="latin1"),
        pytest.param("ISO8859_15", "iso-8859-15", id="latin9"),
    ],
)
def test_declared_encodings_are_named_one_way(spelling: str, name: str) -> None:
    assert declared_encoding(spelling) == name


@pytest.mark.parametrize("spelling", ["ascii", "utf-32", "koi8-r", "shift_jis", "no-such"])
def test_other_encodings_cannot_be_declared(spelling: str) -> None:
    with pytest.raises(ValueError, match=spelling):
        declared_encoding(spelling)


def test_conversion_goes_chunk_by_chunk_and_loses_nothing() -> None:
    # Given a windows-1252 file of several MB, with a character on every chunk edge
    text = ("Zoë;Müller;€ 5 – “quoted”\n" * 200_000)[:5_000_001]
    data = text.encode("cp1252")

    # When it is converted
    converted = to_utf8(data, text_encoding(data[:4096], "windows-1252"))

    # Then it is the same text, as UTF-8
    assert converted == text.encode()


@pytest.mark.parametrize(
    ("cell", "kept"),
    [
        pytest.param("Ja\x00n", "Jan", id="nul"),
        pytest.param("Jan\x07", "Jan", id="bel"),
        pytest.param("\x1b[1mJan", "[1mJan", id="esc"),
        pytest.param("Jan\x0bSmit", "JanSmit", id="vertical-tab"),
        pytest.param("Jan\tSmit", "Jan\tSmit", id="tab-kept"),
    ],
)
def test_a_stray_control_character_keeps_the_file_and_the_row(cell: str, kept: str) -> None:
    # Given a UTF-8 CSV with one odd byte inside a value
    data = f"Naam,Telefoon\nPiet,0201234567\n{cell},0201234568\nKees,0201234569\n".encode()

    # Then every row is read, the value without the control character
    headers, rows, _ = _cells(data)
    assert headers == ["Naam", "Telefoon"]
    assert rows == [["Piet", "0201234567"], [kept, "0201234568"], ["Kees", "0201234569"]]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        pytest.param(b"\x00" * 5000, Reason.UNSUPPORTED_FORMAT, id="all-nul"),
        pytest.param(
            b"Naam\n" + b"\x00\x01\x02\x03" * 2000, Reason.UNSUPPORTED_FORMAT, id="binary-head"
        ),
        pytest.param(
            b"Naam,Telefoon\n" + b"Jan,0201234567\n" * 10_000 + bytes(range(32)) * 4000,
            Reason.MALFORMED_FILE,
            id="binary-after-text",
        ),
    ],
)
def test_binary_data_is_still_refused(data: bytes, reason: Reason) -> None:
    assert _refusal(data).reason is reason


def test_binary_after_text_names_the_line_where_it_starts() -> None:
    data = b"Naam,Telefoon\n" + b"Jan,0201234567\n" * 10_000 + bytes(range(32)) * 4000

    refusal = _refusal(data)

    # the 64 KiB stretch that holds the binary data starts inside the text before it
    assert 4000 < int(refusal.metadata["line"]) <= 10_002


def test_a_utf16_vcard_is_a_vcard() -> None:
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Jansen\r\nN:Jansen;Zoë;;;\r\n"
        "TEL;TYPE=CELL:06 12345678\r\nEND:VCARD\r\n"
    )

    sheet = read_sheet(card.encode("utf-16"))

    assert (sheet.format, sheet.encoding) == (FileFormat.VCARD, "utf-16le")
    assert "Zoë Jansen" in sheet.preview(1)[0][1]
