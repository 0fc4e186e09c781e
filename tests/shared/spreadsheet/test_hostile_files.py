"""Hostile uploads: every attack ends in a clear FileRejected (or a clean read), in time.

Each file is read in a child process (hostile_files.read_isolated) with its address space
capped, so an attack that would abort, hang or exhaust the service fails its test instead.
"""

from __future__ import annotations

import gzip
import zipfile
from collections.abc import Callable

import pytest

from shared.errors import Reason
from shared.spreadsheet import xlsx_guard
from shared.spreadsheet.reader import DEFAULT_MAX_INFLATED_BYTES
from shared.spreadsheet.xlsx_guard import inspect_xlsx
from tests.shared.spreadsheet.hostile_files import (
    CONTACT_ROWS,
    DATA_ROW,
    HEADER,
    INLINE,
    LAUGHS,
    PARAMETER_ENTITY,
    SST_ROWS,
    XXE,
    Outcome,
    biff_records,
    deflate,
    deflated_member,
    overlapping_zip,
    package,
    patch_workbook_stream,
    read_isolated,
    rename_workbook_stream,
    shared_strings,
    sheet_xml,
    standard_entries,
    with_dimensions,
    with_sheet_prolog,
    xls_far_cell,
    zip_from_raw,
)
from tests.shared.spreadsheet.spreadsheet_files import WORKBOOK, WORKBOOK_RELS, xls, xlsx

READ = "read"
OUR_REASONS = {
    Reason.MALFORMED_FILE,
    Reason.UNSUPPORTED_FORMAT,
    Reason.ENCRYPTED_FILE,
    Reason.TOO_MANY_ROWS,
    Reason.TOO_MANY_COLUMNS,
    Reason.NOT_UTF8,
}
SECONDS = 5.0  # every attack is answered well within this
GROWTH_MB = 400  # and costs at most this much resident memory
CONTACTS = [["Name", "Phone"], ["Jan", "0612345678"]]
FAR = '<c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>'


def far_row(cell: str = FAR, row: str = "<row>") -> str:
    return f"{row}{cell}</row>"


def xlsx_with(rows: str, **kwargs: object) -> Callable[[], bytes]:
    return lambda: package(sheet_xml(rows), **kwargs)  # type: ignore[arg-type]


def zip_bomb_one_member() -> bytes:
    kernel, crc = deflated_member(300_000_000)  # 300 MB of spaces in about 300 kB
    entries = standard_entries()
    return zip_from_raw([*entries, ("xl/media/big.bin", kernel, crc, 300_000_000, 8)])


def zip_bomb_lying_sizes() -> bytes:
    """A 50 MB member whose headers both claim 1 kB: zipfile must stop and fail the CRC."""
    kernel, crc = deflated_member(50_000_000)
    entries = [*standard_entries(), ("xl/media/big.bin", kernel, crc, 1_000, 8)]
    return zip_from_raw(entries)


def many_members(count: int, size: int) -> bytes:
    kernel, crc = deflated_member(size)
    extra = [(f"xl/media/m{n:05d}.bin", kernel, crc, size, 8) for n in range(count)]
    return zip_from_raw([*standard_entries(), *extra])


def nested_zip() -> bytes:
    kernel, crc = deflated_member(100_000_000)
    inner = zip_from_raw([("bomb.txt", kernel, crc, 100_000_000, 8)])
    return package(parts={"xl/embeddings/inner.zip": inner})


def central_and_local_disagree() -> bytes:
    """The central directory says 100 bytes inflated, the local header the truth."""
    entries = standard_entries(sheet_xml(CONTACT_ROWS + DATA_ROW.replace('r="2"', 'r="3"')))
    name, payload, _crc, _size, _method = entries[-1]
    return zip_from_raw(entries, central_sizes={name: (len(payload), 100)})


def zip64_claim() -> bytes:
    entries = standard_entries()
    return zip_from_raw(entries, zip64_sizes={"xl/worksheets/sheet1.xml": 1 << 40})


def method(number: int) -> bytes:
    """The sheet stored with compression `number` (12 bzip2, 14 LZMA, 99 AES)."""
    entries = standard_entries()
    name, _payload, crc, size, _m = entries[-1]
    raw = sheet_xml(CONTACT_ROWS)
    entries[-1] = (name, raw if number == 0 else deflate(raw), crc, size, number)
    return zip_from_raw(entries)


def python_zip(compression: int) -> Callable[[], bytes]:
    return lambda: package(compression=compression)


def encrypted_entries() -> bytes:
    return zip_from_raw(standard_entries(), flags=0x1)


def zip_of_nothing() -> bytes:
    """A valid ZIP of a workbook plus 4.9 MB of stored zero bytes."""
    return package(parts={"xl/media/zero.bin": b"\x00" * 4_900_000})


def sheet_targets(target: str) -> Callable[[], bytes]:
    return lambda: package(
        replace={
            "xl/_rels/workbook.xml.rels": WORKBOOK_RELS.replace("worksheets/sheet1.xml", target)
        }
    )


def workbook_listing(sheets: str) -> Callable[[], bytes]:
    return lambda: package(
        replace={
            "xl/workbook.xml": WORKBOOK.replace(
                '<sheet name="Contacts" sheetId="1" r:id="rId1"/>', sheets
            )
        }
    )


def deep_nesting() -> bytes:
    depth = 200_000
    return package(
        sheet_xml(CONTACT_ROWS.replace("<t>Jan</t>", "<t>Jan</t>" + "<x>" * depth + "</x>" * depth))
    )


def xls_sst_count() -> bytes:
    """An XLS whose SST record claims 2**31 strings (calamine could reserve for them)."""

    def edit(stream: bytes) -> bytes:
        position = 0
        for kind, body in biff_records(stream):
            if kind == 0x00FC:
                break
            position += 4 + len(body)
        out = bytearray(stream)
        out[position + 4 : position + 12] = b"\xff\xff\xff\x7f\xff\xff\xff\x7f"
        return bytes(out)

    return patch_workbook_stream(xls(CONTACTS), edit)


def xls_garbage_workbook() -> bytes:
    """A BOF record, then junk to the end of the Workbook stream."""
    return patch_workbook_stream(
        xls(CONTACTS), lambda stream: stream[:20] + b"\xa5" * (len(stream) - 20)
    )


def xls_biff5() -> bytes:
    """An Excel 5.0/95 workbook: its records sit in a stream named "Book"."""
    return rename_workbook_stream(xls(CONTACTS), "Book")


def ole_without_workbook(name: str) -> Callable[[], bytes]:
    return lambda: rename_workbook_stream(xls(CONTACTS), name)


def biff_old(version: int) -> bytes:
    """A BIFF2/3/4 file (Excel 2.x-4.0): records with no OLE2 container."""
    bof = {
        2: b"\x09\x00\x04\x00\x02\x00\x10\x00",
        3: b"\x09\x02\x06\x00\x00\x00\x10\x00\x00\x00",
        4: b"\x09\x04\x06\x00\x00\x00\x10\x00\x00\x00",
    }[version]
    return bof + b"\x0a\x00\x00\x00" + b"\x00" * 600


def zero_padded_reference_across_chunks() -> bytes:
    """A cell reference E000...0001048576 whose zeros straddle the 1 MB chunk boundary.

    With a cell in column ZZ, calamine would allocate 1,048,576 x 702 cells (23 GB).
    """
    far = f'<c r="E{"0" * 60}1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    head = HEADER + '<row r="2"><c r="ZZ2" t="n"><v>1</v></c><c r="B2" t="inlineStr"><is><t>'
    start = sheet_xml(head).index(b'<c r="B2"') + len('<c r="B2" t="inlineStr"><is><t>')
    pad = (1 << 20) - 30 - start - len('</t></is></c><c r="A')
    return package(sheet_xml(head + "x" * pad + "</t></is></c>" + far))


def binary_after_text_csv() -> bytes:
    """A text start (what detect_format sees), then 200 KB of binary: not a CSV."""
    return b"Name,Phone\n" + b"Jan,0612345678\n" * 500 + bytes(range(32)) * 6000


ATTACKS = [
    # --- ZIP containers -----------------------------------------------------------------
    pytest.param(
        zip_bomb_one_member, Reason.MALFORMED_FILE, "decompression bomb", id="zip-bomb-one-member"
    ),
    pytest.param(zip_bomb_lying_sizes, Reason.MALFORMED_FILE, "damaged", id="zip-bomb-lying-sizes"),
    pytest.param(
        lambda: many_members(300, 1_000_000),
        Reason.MALFORMED_FILE,
        "decompression bomb",
        id="zip-bomb-many-members",
    ),
    pytest.param(lambda: many_members(20_000, 0), READ, "", id="zip-20000-empty-members"),
    pytest.param(nested_zip, READ, "", id="zip-nested-bomb-is-not-opened"),
    pytest.param(overlapping_zip, Reason.MALFORMED_FILE, "", id="zip-overlapping-entries"),
    pytest.param(
        central_and_local_disagree,
        Reason.MALFORMED_FILE,
        "damaged",
        id="zip-central-local-sizes-disagree",
    ),
    pytest.param(zip64_claim, Reason.MALFORMED_FILE, "", id="zip64-size-claim"),
    pytest.param(lambda: method(0), READ, "", id="zip-stored"),
    pytest.param(lambda: method(12), Reason.MALFORMED_FILE, "", id="zip-bzip2-method-raw"),
    pytest.param(python_zip(zipfile.ZIP_BZIP2), Reason.MALFORMED_FILE, "", id="zip-bzip2"),
    pytest.param(python_zip(zipfile.ZIP_LZMA), Reason.MALFORMED_FILE, "", id="zip-lzma"),
    pytest.param(lambda: method(99), Reason.MALFORMED_FILE, "", id="zip-aes-method-99"),
    pytest.param(encrypted_entries, Reason.ENCRYPTED_FILE, "password", id="zip-encrypted-entries"),
    pytest.param(zip_of_nothing, READ, "", id="zip-4.9mb-of-zeros"),
    pytest.param(
        lambda: b"PK\x03\x04" + b"\xa5" * 5000,
        Reason.MALFORMED_FILE,
        "damaged",
        id="zip-magic-then-junk",
    ),
    pytest.param(
        lambda: b"PK\x05\x06" + b"\x00" * 18,
        Reason.UNSUPPORTED_FORMAT,
        "without an Excel",
        id="zip-empty-archive",
    ),
    pytest.param(
        lambda: package(parts={"xl/workbook.bin": b"\x00"}, omit=["xl/workbook.xml"]),
        Reason.UNSUPPORTED_FORMAT,
        ".xlsb",
        id="xlsb",
    ),
    pytest.param(
        lambda: package(
            parts={
                "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                "content.xml": b"<o/>",
            },
            omit=["xl/workbook.xml"],
        ),
        Reason.UNSUPPORTED_FORMAT,
        "OpenDocument",
        id="ods",
    ),
    # --- XML in every part calamine reads ------------------------------------------------
    *[
        pytest.param(
            lambda prolog=prolog, part=part: with_sheet_prolog(prolog, part),
            Reason.MALFORMED_FILE,
            "DOCTYPE",
            id=f"{name}-in-{part}",
        )
        for name, prolog in (
            ("billion-laughs", LAUGHS),
            ("xxe", XXE),
            ("parameter-entity", PARAMETER_ENTITY),
        )
        for part in (
            "xl/worksheets/sheet1.xml",
            "xl/sharedStrings.xml",
            "xl/workbook.xml",
            "xl/styles.xml",
            "[Content_Types].xml",
            "_rels/.rels",
            "xl/_rels/workbook.xml.rels",
        )
    ],
    pytest.param(
        lambda: with_sheet_prolog("<!-- a comment -->\n  " + XXE, "xl/worksheets/sheet1.xml"),
        Reason.MALFORMED_FILE,
        "DOCTYPE",
        id="doctype-after-comment",
    ),
    pytest.param(
        lambda: package(sheet_xml(CONTACT_ROWS, prolog=XXE, encoding="UTF-16")),
        Reason.MALFORMED_FILE,
        "DOCTYPE",
        id="doctype-utf16",
    ),
    pytest.param(
        lambda: package(
            sheet_xml(CONTACT_ROWS.replace(">Jan<", ">&lol9;<"), prolog=LAUGHS),
            sheet_path="worksheets/sheet1.dat",
        ),
        Reason.MALFORMED_FILE,
        "DOCTYPE",
        id="billion-laughs-in-sheet-not-named-xml",
    ),
    pytest.param(
        xlsx_with(
            CONTACT_ROWS.replace(
                "<t>Jan</t>",
                '<t>Jan</t><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
                'href="file:///etc/passwd" parse="text"/>',
            )
        ),
        READ,
        "",
        id="xinclude-ignored",
    ),
    pytest.param(deep_nesting, READ, "", id="deeply-nested-elements"),
    # --- shared strings -------------------------------------------------------------------
    pytest.param(
        xlsx_with(
            SST_ROWS,
            parts={"xl/sharedStrings.xml": shared_strings('count="4" uniqueCount="2000000000"')},
        ),
        Reason.MALFORMED_FILE,
        "shared strings",
        id="sst-unique-count-2e9",
    ),
    pytest.param(
        xlsx_with(
            SST_ROWS,
            parts={"xl/sharedStrings.xml": shared_strings('count="2000000000" uniqueCount="2"')},
        ),
        READ,
        "",
        id="sst-count-2e9-ignored",
    ),
    pytest.param(
        xlsx_with(
            SST_ROWS,
            parts={
                "xl/sharedStrings.xml": shared_strings('uniqueCount="2000000000"')
                .replace("<sst xmlns=", "<x:sst xmlns:x=")
                .replace("<si>", "<x:si>")
                .replace("</si>", "</x:si>")
                .replace("<t>", "<x:t>")
                .replace("</t>", "</x:t>")
                .replace("</sst>", "</x:sst>")
            },
        ),
        Reason.MALFORMED_FILE,
        "shared strings",
        id="sst-unique-count-prefixed",
    ),
    pytest.param(
        xlsx_with(
            SST_ROWS,
            parts={
                "xl/sharedStrings.xml": shared_strings(
                    'a=">" ' + " " * 1_100_000 + 'uniqueCount  =\n  "2000000000"'
                )
            },
        ),
        Reason.MALFORMED_FILE,
        "2,000,000,000 shared strings",
        id="sst-unique-count-after-1mb-of-spaces",
    ),
    pytest.param(
        xlsx_with(
            SST_ROWS.replace("<v>1</v>", "<v>99999999</v>"),
            parts={"xl/sharedStrings.xml": shared_strings("")},
        ),
        Reason.MALFORMED_FILE,
        "damaged",
        id="sst-index-out-of-range",
    ),
    pytest.param(
        xlsx_with(
            SST_ROWS,
            parts={
                "xl/sharedStrings.xml": shared_strings("", ["Name", "Phone", *["s"] * 4_100_000])
            },
        ),
        Reason.MALFORMED_FILE,
        "shared strings",
        id="sst-4.1-million-entries",
    ),
    # --- cells and rows that reach far (calamine allocates the whole rectangle) ----------
    pytest.param(
        xlsx_with(
            HEADER
            + "<row>"
            + "<c/>" * 16383
            + INLINE
            + '</row><row r="1048576">'
            + INLINE
            + "</row>"
        ),
        Reason.TOO_MANY_ROWS,
        "row 1,048,576",
        id="cells-without-r-wide-then-far-row",
    ),
    pytest.param(
        xlsx_with(HEADER + '<row r="2">' + INLINE * 2100 + "</row>"),
        Reason.TOO_MANY_COLUMNS,
        "",
        id="cells-without-r-2100-columns",
    ),
    pytest.param(
        xlsx_with(HEADER + '<row r="999999">' + INLINE * 30 + "</row>"),
        Reason.TOO_MANY_ROWS,
        "row 999,999",
        id="cells-without-r-far-row",
    ),
    pytest.param(
        xlsx_with(HEADER + "<row/>" * 1_100_000 + far_row(INLINE)),
        Reason.TOO_MANY_ROWS,
        "",
        id="rows-without-r-1.1-million",
    ),
    pytest.param(
        xlsx_with(HEADER + '<row r="4294967295">' + INLINE + "</row>"),
        Reason.TOO_MANY_ROWS,
        "",
        id="row-r-4294967295",
    ),
    pytest.param(
        xlsx_with(HEADER + far_row()), Reason.TOO_MANY_COLUMNS, "16,384", id="cell-XFD1048576"
    ),
    pytest.param(
        xlsx_with(HEADER + far_row(FAR.replace("XFD", "xfd"))),
        Reason.TOO_MANY_COLUMNS,
        "16,384",
        id="cell-ref-lower-case",
    ),
    pytest.param(
        xlsx_with(HEADER + far_row(FAR.replace("XFD1048576", "AAAA3"))),
        Reason.TOO_MANY_COLUMNS,
        "18,279",
        id="cell-ref-four-letters",
    ),
    pytest.param(
        xlsx_with(HEADER + far_row(FAR.replace('r="XFD1048576"', "r='XFD1048576'"))),
        Reason.TOO_MANY_COLUMNS,
        "16,384",
        id="cell-ref-single-quotes",
    ),
    pytest.param(
        xlsx_with(HEADER + far_row(FAR.replace('r="XFD1048576"', 'r = "XFD1048576"'))),
        Reason.TOO_MANY_COLUMNS,
        "16,384",
        id="cell-ref-spaces-around-equals",
    ),
    pytest.param(
        xlsx_with(HEADER + far_row(FAR.replace('r="XFD1048576"', "r=\"A3\" r='XFD1048576'"))),
        Reason.TOO_MANY_COLUMNS,
        "16,384",
        id="cell-ref-duplicate-attribute",
    ),
    pytest.param(
        xlsx_with(HEADER + far_row(FAR.replace('r="XFD1048576"', 't="n"\n\tr="XFD1048576"'))),
        Reason.TOO_MANY_COLUMNS,
        "16,384",
        id="cell-ref-after-newline",
    ),
    pytest.param(
        xlsx_with(HEADER + far_row(FAR.replace('r="XFD1048576"', 'r="A0004000001"'))),
        Reason.TOO_MANY_ROWS,
        "4,000,001",
        id="cell-ref-leading-zeros",
    ),
    pytest.param(
        zero_padded_reference_across_chunks,
        Reason.TOO_MANY_ROWS,
        "1,048,576",
        id="cell-ref-zero-padded-across-chunks",
    ),
    pytest.param(
        xlsx_with(HEADER + far_row(FAR.replace('r="XFD1048576"', 'a=">" r="XFD1048576"'))),
        Reason.TOO_MANY_COLUMNS,
        "16,384",
        id="cell-ref-after-quoted-gt",
    ),
    pytest.param(
        xlsx_with(HEADER + far_row(FAR.replace('r="XFD1048576"', 'r="$XFD$1048576"'))),
        Reason.MALFORMED_FILE,
        "damaged",
        id="cell-ref-dollars",
    ),
    pytest.param(
        xlsx_with(HEADER + far_row(FAR.replace('r="XFD1048576"', 'r="&#88;FD1048576"'))),
        Reason.MALFORMED_FILE,
        "damaged",
        id="cell-ref-char-reference",
    ),
    pytest.param(xlsx_with(CONTACT_ROWS), READ, "", id="control-legal-package"),
    pytest.param(
        lambda: package(
            sheet_xml(CONTACT_ROWS)
            .replace(b"<worksheet", b"<x:worksheet")
            .replace(b"</worksheet>", b"</x:worksheet>")
            .replace(b'xmlns="', b'xmlns:x="')
            .replace(b"<sheetData>", b"<x:sheetData>")
            .replace(b"</sheetData>", b"</x:sheetData>")
            .replace(b"<row", b"<x:row")
            .replace(b"</row>", b"</x:row>")
            .replace(b"<c ", b"<x:c ")
            .replace(b"</c>", b"</x:c>")
            .replace(b"<is>", b"<x:is>")
            .replace(b"</is>", b"</x:is>")
            .replace(b"<t>", b"<x:t>")
            .replace(b"</t>", b"</x:t>")
        ),
        READ,
        "",
        id="prefixed-sheet-reads",
    ),
    pytest.param(
        lambda: package(
            sheet_xml(HEADER + far_row())
            .replace(b"<worksheet", b"<x:worksheet")
            .replace(b"</worksheet>", b"</x:worksheet>")
            .replace(b'xmlns="', b'xmlns:x="')
            .replace(b"<sheetData>", b"<x:sheetData>")
            .replace(b"</sheetData>", b"</x:sheetData>")
            .replace(b"<row", b"<x:row")
            .replace(b"</row>", b"</x:row>")
            .replace(b"<c ", b"<x:c ")
            .replace(b"</c>", b"</x:c>")
        ),
        Reason.TOO_MANY_COLUMNS,
        "16,384",
        id="prefixed-sheet-far-cell",
    ),
    pytest.param(
        xlsx_with(CONTACT_ROWS, sheet_path="worksheets/sheet1.dat"),
        READ,
        "",
        id="sheet-part-not-named-xml-reads",
    ),
    pytest.param(
        xlsx_with(HEADER + far_row(), sheet_path="worksheets/sheet1.dat"),
        Reason.TOO_MANY_COLUMNS,
        "16,384",
        id="sheet-part-not-named-xml-far-cell",
    ),
    pytest.param(
        xlsx_with(HEADER + far_row(), sheet_path="worksheets/SHEET1.XML"),
        Reason.TOO_MANY_COLUMNS,
        "16,384",
        id="sheet-part-upper-case-name",
    ),
    pytest.param(
        lambda: package(
            b"\x00garbage" + sheet_xml(HEADER + far_row()), sheet_path="media/image1.png"
        ),
        Reason.TOO_MANY_COLUMNS,
        "16,384",
        id="sheet-part-named-png-with-junk-first",
    ),
    pytest.param(
        lambda: package(sheet_xml(CONTACT_ROWS + far_row(), encoding="UTF-16")),
        Reason.EMPTY_FILE,
        "",
        id="sheet-utf16-is-not-read",
    ),
    pytest.param(
        lambda: package(sheet_xml(CONTACT_ROWS, before='<dimension ref="A1:XFD1048576"/>')),
        READ,
        "",
        id="dimension-claims-whole-sheet",
    ),
    # --- the package structure ------------------------------------------------------------
    pytest.param(
        sheet_targets("../../../../etc/passwd"),
        Reason.MALFORMED_FILE,
        "damaged",
        id="sheet-target-outside-package",
    ),
    pytest.param(
        sheet_targets("/etc/passwd"), Reason.MALFORMED_FILE, "damaged", id="sheet-target-absolute"
    ),
    pytest.param(
        sheet_targets("worksheets/missing.xml"),
        Reason.MALFORMED_FILE,
        "damaged",
        id="sheet-target-missing",
    ),
    pytest.param(
        workbook_listing(""), Reason.MALFORMED_FILE, "no sheets", id="workbook-with-0-sheets"
    ),
    pytest.param(
        workbook_listing(
            '<sheet name="Contacts" sheetId="1" r:id="rId1"/>'
            '<sheet name="Secret" sheetId="2" state="veryHidden" r:id="rId1"/>'
        ),
        Reason.MULTIPLE_SHEETS,
        "(very hidden)",
        id="very-hidden-second-sheet",
    ),
    pytest.param(
        lambda: package(
            replace={
                "xl/workbook.xml": WORKBOOK.replace(
                    "<sheets>", "<x>" + "<a/>" * 2_000_000 + "</x><sheets>"
                )
            }
        ),
        Reason.MALFORMED_FILE,
        "far more than a workbook needs",
        id="workbook-xml-8mb",
    ),
    pytest.param(
        lambda: package(replace={"xl/workbook.xml": WORKBOOK.replace("<sheet ", "<chartsheet ")}),
        Reason.MALFORMED_FILE,
        "no sheets",
        id="chartsheet-only",
    ),
    pytest.param(
        lambda: package(
            replace={
                "xl/workbook.xml": WORKBOOK.replace("<sheets>", "<sheets").replace("</sheets>", "")
            }
        ),
        Reason.MALFORMED_FILE,
        "not valid XML",
        id="workbook-xml-broken",
    ),
    pytest.param(
        lambda: package(omit=["xl/_rels/workbook.xml.rels"]),
        Reason.MALFORMED_FILE,
        "damaged",
        id="workbook-rels-missing",
    ),
    # --- XLS (BIFF8 in OLE2) and other OLE2 files ------------------------------------------
    pytest.param(
        xls_far_cell, Reason.TOO_MANY_ROWS, "row 65,536 and column 256", id="xls-cell-IV65536"
    ),
    pytest.param(
        lambda: xls_far_cell(65_535, 3),
        Reason.MISSING_HEADER,
        "row 65536",
        id="xls-cell-D65536-reads",
    ),
    pytest.param(
        lambda: patch_workbook_stream(xls(CONTACTS), with_dimensions(65_536, 256)),
        READ,
        "",
        id="xls-dimensions-claim-65536x256",
    ),
    pytest.param(xls_sst_count, READ, "", id="xls-sst-count-2e31-reads"),
    pytest.param(
        lambda: xls(CONTACTS)[:1500], Reason.MALFORMED_FILE, "damaged", id="xls-truncated"
    ),
    pytest.param(
        lambda: bytes.fromhex("d0cf11e0a1b11ae1") + b"\xa5" * 3000,
        Reason.MALFORMED_FILE,
        "damaged",
        id="ole-magic-then-junk",
    ),
    pytest.param(
        xls_garbage_workbook, Reason.MALFORMED_FILE, "damaged", id="xls-workbook-stream-garbage"
    ),
    pytest.param(xls_biff5, Reason.UNSUPPORTED_FORMAT, "", id="xls-biff5-book-stream"),
    pytest.param(lambda: biff_old(2), Reason.UNSUPPORTED_FORMAT, "", id="xls-biff2"),
    pytest.param(lambda: biff_old(4), Reason.UNSUPPORTED_FORMAT, "", id="xls-biff4"),
    pytest.param(
        ole_without_workbook("WordDocument"), Reason.UNSUPPORTED_FORMAT, "Word", id="ole-doc"
    ),
    pytest.param(
        ole_without_workbook("PowerPoint Document"),
        Reason.MALFORMED_FILE,
        "damaged",
        id="ole-ppt-without-current-user",
    ),
    # --- not a spreadsheet at all -------------------------------------------------------------
    pytest.param(
        lambda: b"%PDF-1.7\n" + b"\x00\xff" * 100, Reason.UNSUPPORTED_FORMAT, "PDF", id="pdf"
    ),
    pytest.param(
        lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, Reason.UNSUPPORTED_FORMAT, "PNG", id="png"
    ),
    pytest.param(
        lambda: gzip.compress(b"Name,Phone\n" * 10), Reason.UNSUPPORTED_FORMAT, "gzip", id="gzip"
    ),
    pytest.param(
        lambda: "Name,Phone\nJan,06\n".encode("utf-16-be"),
        Reason.NOT_UTF8,
        "UTF-16",
        id="utf16-be-no-bom",
    ),
    pytest.param(lambda: b"\x00" * 5000, Reason.UNSUPPORTED_FORMAT, "binary", id="only-nul-bytes"),
    pytest.param(
        binary_after_text_csv,
        Reason.MALFORMED_FILE,
        "holds binary data there",
        id="csv-binary-after-text",
    ),
    pytest.param(
        lambda: b"<html><body><table><tr><td>Name,Phone</td></tr></table>",
        Reason.UNSUPPORTED_FORMAT,
        "web page",
        id="html-polyglot",
    ),
    pytest.param(
        lambda: b"Name,Phone\n<html><script>alert(1)</script>,06\n",
        READ,
        "",
        id="csv-then-html-is-text",
    ),
    pytest.param(lambda: b"N", Reason.EMPTY_FILE, "", id="one-byte"),
    pytest.param(lambda: b"\xef\xbb\xbf", Reason.EMPTY_FILE, "", id="bom-only"),
]


@pytest.mark.parametrize(("build", "expected", "fragment"), ATTACKS)
def test_hostile_file(build: Callable[[], bytes], expected: Reason | str, fragment: str) -> None:
    data = build()
    outcome = read_isolated(data, timeout=15.0)
    assert outcome.kind in ("read", "rejected"), str(outcome)
    if expected == READ:
        assert outcome.kind == "read", str(outcome)
    else:
        assert (outcome.kind, outcome.reason) == ("rejected", expected), str(outcome)
        assert fragment in outcome.message, str(outcome)
        if expected in OUR_REASONS:  # our refusals say what to do next
            assert "upload" in outcome.message, str(outcome)
    assert outcome.seconds < SECONDS, str(outcome)
    assert outcome.grew_mb < GROWTH_MB, str(outcome)


def test_sheet_written_as_excel_does_takes_the_quick_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 2 MB sheet of `<c r="..."` cells is read by the regexes, never tag by tag."""
    monkeypatch.setattr(xlsx_guard, "_exact_extent", pytest.fail)
    data = xlsx(
        [["Name", "Phone", "Note"]] + [[f"N{i}", f"06{i:08d}", "x" * 40] for i in range(15_000)]
    )
    assert inspect_xlsx(data, max_inflated_bytes=DEFAULT_MAX_INFLATED_BYTES)


def test_exact_scan_counts_each_cell_once_across_chunks() -> None:
    """A legal 60 x 2,000 sheet of cells without r (2.6 MB of XML) is not too wide."""
    cells = '<c t="s"><v>0</v></c>' * 2_000
    rows = "".join(f'<row r="{r}">{cells}</row>' for r in range(1, 61))
    data = package(sheet_xml(rows), parts={"xl/sharedStrings.xml": shared_strings("")})
    assert inspect_xlsx(data, max_inflated_bytes=DEFAULT_MAX_INFLATED_BYTES)


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(
            xlsx_with(CONTACT_ROWS.replace("<t>Name</t>", "<t>Na\x00me</t>")), id="xlsx-raw-nul"
        ),
        pytest.param(lambda: xls([["Na\x00me", "Phone"], ["Jan", "0612345678"]]), id="xls-nul"),
    ],
)
def test_nul_characters_are_dropped(build: Callable[[], bytes]) -> None:
    """PostgreSQL text cannot hold NUL: a workbook's NUL characters never reach it."""
    outcome = read_isolated(build())
    assert (outcome.kind, outcome.headers) == ("read", ("Name", "Phone")), str(outcome)


def test_a_negative_shared_string_index_reads_as_entry_0() -> None:
    """B1 points at string -1: read as string 0, so the header row is "Name", "Name"."""
    data = xlsx_with(
        SST_ROWS.replace("<v>1</v>", "<v>-1</v>"),
        parts={"xl/sharedStrings.xml": shared_strings("")},
    )()
    outcome = read_isolated(data)
    assert (outcome.kind, outcome.headers) == ("read", ("Name", "Name")), str(outcome)


def test_sandbox_reports_a_process_abort() -> None:
    """The sandbox itself: a child killed by a signal is reported as died, not fatal."""
    outcome: Outcome = read_isolated(b"", memory_bytes=1)
    assert outcome.kind in ("died", "error"), str(outcome)
