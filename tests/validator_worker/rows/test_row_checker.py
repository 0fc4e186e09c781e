"""Row rules and conventions: one mapping applied to small Arrow tables."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pytest

from services.validator_worker.rows.row_checker import BatchOutcome, RowChecker
from shared.errors import ImportUnrunnable, Reason
from shared.i18n.catalogues import render
from shared.mapping.fields import AddressPart, ColumnMapping, ContactField, Mapping
from shared.value_cleaning import (
    clean_line,
    clean_multiline,
    split_addresses,
    split_values,
)
from tests.shared.spreadsheet.pseudo_language import english_words, use_pseudo_language

F = ContactField
P = AddressPart

# A hand-made sheet: every single field, one phone, one mobile, one e-mail column.
PLAIN = [
    ColumnMapping("First name", F.FIRST_NAME),
    ColumnMapping("Last name", F.LAST_NAME),
    ColumnMapping("Name", F.FULL_NAME),
    ColumnMapping("Company", F.COMPANY),
    ColumnMapping("Telefoon", F.PHONE),
    ColumnMapping("Mobiel", F.MOBILE),
    ColumnMapping("E-mail", F.EMAIL),
    ColumnMapping("Notes", F.NOTES),
]
# Google's CSV: a label column types its value column; an address group with parts.
GOOGLE = [
    ColumnMapping("First Name", F.FIRST_NAME),
    ColumnMapping("Phone 1 - Value", F.PHONE, label_header="Phone 1 - Label"),
    ColumnMapping("Phone 2 - Value", F.PHONE, label_header="Phone 2 - Label"),
    ColumnMapping("Address 1 - Formatted", F.ADDRESS, P.FORMATTED, "Address 1"),
    ColumnMapping("Address 1 - Street", F.ADDRESS, P.STREET, "Address 1"),
    ColumnMapping("Address 1 - Extended Address", F.ADDRESS, P.EXTENDED, "Address 1"),
    ColumnMapping("Address 1 - PO Box", F.ADDRESS, P.PO_BOX, "Address 1"),
    ColumnMapping("Address 1 - City", F.ADDRESS, P.CITY, "Address 1"),
    ColumnMapping("Address 1 - Postal Code", F.ADDRESS, P.POSTAL_CODE, "Address 1"),
    ColumnMapping("Address 1 - Region", F.ADDRESS, P.REGION, "Address 1"),
    ColumnMapping("Address 1 - Country", F.ADDRESS, P.COUNTRY, "Address 1"),
    ColumnMapping("Address 2 - Street", F.ADDRESS, P.STREET, "Address 2"),
    ColumnMapping("Address 2 - City", F.ADDRESS, P.CITY, "Address 2"),
    ColumnMapping("Adres", F.ADDRESS),
]
GOOGLE_HEADERS = [
    "First Name",
    "Phone 1 - Label",
    "Phone 1 - Value",
    "Phone 2 - Label",
    "Phone 2 - Value",
    "Address 1 - Formatted",
    "Address 1 - Street",
    "Address 1 - Extended Address",
    "Address 1 - PO Box",
    "Address 1 - City",
    "Address 1 - Postal Code",
    "Address 1 - Region",
    "Address 1 - Country",
    "Address 2 - Street",
    "Address 2 - City",
    "Adres",
    "Labels",  # unmapped: left alone
]
PLAIN_HEADERS = [c.header for c in PLAIN] + ["Klantnummer"]
BASE = {"First name": "Jan", "Telefoon": "020 123 4567"}
GOOGLE_BASE = {"First Name": "Jan", "Phone 1 - Value": "020 123 4567"}


def check(
    rows: list[dict[str, str]],
    mapping: list[ColumnMapping] = PLAIN,
    headers: list[str] = PLAIN_HEADERS,
    country: str = "NL",
) -> BatchOutcome:
    table = pa.table({f"c{i}": [row.get(h, "") for row in rows] for i, h in enumerate(headers)})
    checker = RowChecker(Mapping(tuple(mapping)), headers, country)
    return checker.check(table, list(range(2, 2 + len(rows))))


def check_one(cells: dict[str, str], google: bool = False) -> BatchOutcome:
    if google:
        return check([GOOGLE_BASE | cells], GOOGLE, GOOGLE_HEADERS)
    return check([BASE | cells])


@pytest.mark.parametrize(
    ("cells", "google", "expected"),
    [
        pytest.param(
            {"First name": "\u00a0Jan\u2009", "Last name": "\ufeffSmit\u200b\u3000"},
            False,
            {"first_name": "Jan", "last_name": "Smit"},
            id="nbsp-and-invisible-trimmed",
        ),
        pytest.param(
            {"First name": "Ja\x00n\tde\r\nVries\x7f", "Company": "A\x1b  B"},
            False,
            {"first_name": "Jan de Vries", "company": "A B"},
            id="control-chars-removed",
        ),
        pytest.param(
            {"First name": "Zoë 😀‍🔥", "Last name": "O'Brien", "Company": "شركة النور"},
            False,
            {"first_name": "Zoë 😀‍🔥", "last_name": "O'Brien", "company": "شركة النور"},
            id="emoji-rtl-apostrophe-kept",
        ),
        pytest.param(
            {"Notes": "line 1\r\nline\t2\x07\rline 3 "},
            False,
            {"notes": "line 1\nline 2\nline 3"},
            id="notes-keep-line-breaks",
        ),
        pytest.param(
            {"First name": "", "Last name": "", "Name": "Jan Smit"},
            False,
            {"first_name": "Jan Smit", "last_name": ""},
            id="full-name-fallback",
        ),
        pytest.param(
            {"First name": "", "Last name": "Smit", "Name": "Jan Smit"},
            False,
            {"first_name": "", "last_name": "Smit"},
            id="full-name-unused-when-last-given",
        ),
        pytest.param(
            {"E-mail": "Jan@Example.com; jan@example.COM\nmailto:piet@example.nl"},
            False,
            {"emails": ["Jan@example.com", "piet@example.nl"]},
            id="duplicate-email-once",
        ),
        pytest.param(
            {"Telefoon": "06-12345678 ::: +31612345678 ::: 020 1234567"},
            False,
            {"phones": ["+31612345678", "+31201234567"]},
            id="duplicate-e164-once",
        ),
        pytest.param(
            {"Telefoon": "612345678"},
            False,
            {"phones": ["+31612345678"]},
            id="excel-digits-lost-zero",
        ),
        pytest.param(
            {"Telefoon": "", "Mobiel": "+31 20 123 4567"},
            False,
            {"phones": ["+31201234567"], "mobiles": []},
            id="fixed-line-mobile-moved",
        ),
        pytest.param(
            {"Telefoon": "", "Mobiel": "+31 6 12345678"},
            False,
            {"phones": [], "mobiles": ["+31612345678"]},
            id="mobile-stays-mobile",
        ),
        pytest.param(
            {"Telefoon": "020 1234567", "Mobiel": "020 1234567"},
            False,
            {"phones": ["+31201234567"], "mobiles": []},
            id="fixed-line-mobile-already-a-phone",
        ),
        pytest.param(
            {
                "Telefoon": "020 1234561; 020 1234562; 020 1234563; 020 1234564; 020 1234565",
                "Mobiel": "020 1234566",
            },
            False,
            {"mobiles": ["+31201234566"]},
            id="fixed-line-mobile-kept-when-phones-full",
        ),
        pytest.param(
            {"Phone 1 - Label": "* Mobile", "Phone 1 - Value": "06 12345678"},
            True,
            {"phones": [], "mobiles": ["+31612345678"]},
            id="label-mobile",
        ),
        pytest.param(
            {
                "Phone 1 - Label": "Work",
                "Phone 2 - Label": "Business Fax",
                "Phone 2 - Value": "020 7654321",
            },
            True,
            {"phones": ["+31201234567"], "mobiles": []},
            id="label-fax-dropped",
        ),
        pytest.param(
            {
                "Phone 1 - Label": "Mobile ::: Fax",
                "Phone 1 - Value": "06 12345678 ::: 020 7654321",
            },
            True,
            {"phones": [], "mobiles": ["+31612345678"]},
            id="label-per-value",
        ),
        pytest.param(
            {
                "Address 1 - Street": "Kerkstraat 1",
                "Address 1 - Extended Address": "2e etage",
                "Address 1 - PO Box": "Postbus 12",
                "Address 1 - City": "Amsterdam",
                "Address 1 - Postal Code": "1011 AB",
                "Address 1 - Region": "Noord-Holland",
                "Address 1 - Country": "Nederland",
                "Address 2 - City": "Utrecht",
            },
            True,
            {
                "addresses": [
                    "Kerkstraat 1\n2e etage\nPostbus 12\n1011 AB Amsterdam\nNoord-Holland"
                    "\nNederland",
                    "Utrecht",
                ]
            },
            id="address-group-join",
        ),
        pytest.param(
            {
                "Address 1 - Formatted": "Dam 1\r\n1012 JS Amsterdam",
                "Address 1 - Street": "Kerkstraat 1",
                "Address 1 - City": "Haarlem",
            },
            True,
            {"addresses": ["Dam 1\n1012 JS Amsterdam"]},
            id="address-formatted-wins",
        ),
        pytest.param(
            {"Address 1 - Street": " ", "Address 2 - Street": "", "Adres": "\u00a0"},
            True,
            {"addresses": []},
            id="address-empty-groups-add-nothing",
        ),
        pytest.param(
            {"Adres": "Dam 1\nAmsterdam ::: Coolsingel 40\nRotterdam"},
            True,
            {"addresses": ["Dam 1\nAmsterdam", "Coolsingel 40\nRotterdam"]},
            id="address-whole-multi-value",
        ),
        pytest.param(
            {"Address 1 - Street": "Dam 1 ::: Coolsingel 40", "Address 1 - City": "A ::: R"},
            True,
            {"addresses": ["Dam 1\nA", "Coolsingel 40\nR"]},
            id="address-parts-multi-value",
        ),
        pytest.param(
            {"Telefoon": " ::: ".join(f"020 123456{i}" for i in range(1, 6))},
            False,
            {"phones": [f"+3120123456{i}" for i in range(1, 6)]},
            id="five-values-allowed",
        ),
    ],
)  # fmt: skip
def test_accepted_rows(cells: dict[str, str], google: bool, expected: dict[str, Any]) -> None:
    outcome = check_one(cells, google)

    assert outcome.rejected == []
    contact = outcome.contacts[0]
    assert {k: getattr(contact, k) for k in expected} == expected


def test_fixed_line_mobiles_are_counted() -> None:
    outcome = check(
        [
            BASE | {"Mobiel": "020 7654321"},
            BASE | {"Mobiel": "06 12345678"},
            BASE | {"Mobiel": "030 1234567"},
        ]
    )

    assert outcome.mobiles_stored_as_phone == 2


LONG = "x" * 256


REJECTED = [
        pytest.param(
            {"First name": " ", "Last name": "\u00a0", "Name": ""},
            False,
            [Reason.NAME_MISSING],
            'Columns "First name", "Last name", "Name" empty',
            id="name-missing",
        ),
        pytest.param(
            {"Telefoon": "", "Mobiel": " ; "},
            False,
            [Reason.PHONE_MISSING],
            'Columns "Telefoon", "Mobiel" empty',
            id="phone-missing",
        ),
        pytest.param(
            {"Phone 1 - Label": "Fax", "Phone 1 - Value": "020 1234567"},
            True,
            [Reason.PHONE_MISSING],
            "fax, pager and telex numbers do not count",
            id="phone-missing-fax-only",
        ),
        pytest.param(
            {"Telefoon": "12ab"},
            False,
            [Reason.PHONE_INVALID],
            'Column "Telefoon": "12ab" is not a valid phone number (numbers without a country'
            " code are read as NL).",
            id="phone-invalid",
        ),
        pytest.param(
            {"Mobiel": "4,47E+11"},
            False,
            [Reason.PHONE_INVALID],
            "scientific notation",
            id="scientific-notation",
        ),
        pytest.param(
            {"E-mail": "jan@example.nl; piet@"},
            False,
            [Reason.EMAIL_INVALID],
            'Column "E-mail": "piet@" is not a valid e-mail address',
            id="email-invalid",
        ),
        pytest.param(
            {"Phone 1 - Value": " ::: ".join(f"020 123456{i}" for i in range(6))},
            True,
            [Reason.TOO_MANY_VALUES],
            'Column "Phone 1 - Value": 6 phone numbers; at most 5',
            id="too-many-phones-google-separator",
        ),
        pytest.param(
            {"Mobiel": "\n".join(f"06 1234567{i}" for i in range(6))},
            False,
            [Reason.TOO_MANY_VALUES],
            "6 mobile numbers",
            id="too-many-mobiles-newline",
        ),
        pytest.param(
            {"E-mail": ";".join(f"a{i}@example.nl" for i in range(6))},
            False,
            [Reason.TOO_MANY_VALUES],
            "6 e-mail addresses",
            id="too-many-emails",
        ),
        pytest.param(
            {"Adres": " ::: ".join(f"Dam {i}" for i in range(4)), "Address 1 - City": "A",
             "Address 2 - City": "B"},
            True,
            [Reason.TOO_MANY_VALUES],
            "6 addresses",
            id="too-many-addresses",
        ),
        pytest.param(
            {"First name": LONG},
            False,
            [Reason.VALUE_TOO_LONG],
            'Column "First name": 256 characters; at most 255 allowed.',
            id="name-too-long",
        ),
        pytest.param(
            {"Company": LONG},
            False,
            [Reason.VALUE_TOO_LONG],
            'Column "Company"',
            id="company-too-long",
        ),
        pytest.param(
            {"E-mail": "a" * 64 + "@" + "b" * 186 + ".com"},
            False,
            [Reason.VALUE_TOO_LONG],
            "255 characters; at most 254",
            id="email-too-long",
        ),
        pytest.param(
            {"Notes": "n" * 100_001},
            False,
            [Reason.VALUE_TOO_LONG],
            "100,001 characters; at most 100,000",
            id="notes-too-long",
        ),
        pytest.param(
            {"Address 1 - Street": "s" * 995, "Address 1 - City": "Amsterdam"},
            True,
            [Reason.VALUE_TOO_LONG],
            "1,005 characters; at most 1,000",
            id="address-too-long",
        ),
        pytest.param(
            {"First name": "", "Telefoon": "12ab; 34cd", "E-mail": "x@"},
            False,
            [Reason.NAME_MISSING, Reason.PHONE_INVALID, Reason.PHONE_INVALID,
             Reason.EMAIL_INVALID],
            '"34cd"',
            id="every-problem-listed",
        ),
]  # fmt: skip


@pytest.mark.parametrize(("cells", "google", "reasons", "words"), REJECTED)
def test_rejected_rows(
    cells: dict[str, str], google: bool, reasons: list[Reason], words: str
) -> None:
    outcome = check_one(cells, google)

    assert outcome.contacts == []
    [rejected] = outcome.rejected
    assert [p.reason for p in rejected.problems] == reasons
    assert any(words in str(p.message) for p in rejected.problems), rejected.problems


@pytest.mark.parametrize(("cells", "google", "reasons", "words"), REJECTED)
def test_every_reason_is_written_whole_in_the_reader_s_language(
    monkeypatch: pytest.MonkeyPatch,
    cells: dict[str, str],
    google: bool,
    reasons: list[Reason],
    words: str,
) -> None:
    # Given a rejected row, its reasons rendered in a pseudo-language (every text x's)
    [rejected] = check_one(cells, google).rejected
    language = use_pseudo_language(monkeypatch)

    # Then nothing is left in English but the row's own headers, values and country
    headers = GOOGLE_HEADERS if google else PLAIN_HEADERS
    values = [value for cell in rejected.values for value in split_values(cell)]
    for problem in rejected.problems:
        rendered = render(problem.message, language)
        assert not english_words(rendered, *headers, *values, "NL"), rendered


def test_messages_are_texts_rendered_in_the_reader_s_language() -> None:
    # Given a rejected row with a too long note
    [rejected] = check_one({"Notes": "n" * 100_001}, False).rejected
    [problem] = rejected.problems

    # Then its numbers are parameters, formatted per language; the header is kept as is
    assert problem.message.arguments()["length"] == 100_001
    assert "100.001" in render(problem.message, "nl")
    assert '"Notes"' in render(problem.message, "nl")


def test_rejected_row_keeps_original_cells_of_every_header() -> None:
    row = {
        "First name": "\u00a0Jan\t",
        "Telefoon": "=12ab",
        "E-mail": "Jan@Example.COM",
        "Klantnummer": "0042",
    }

    outcome = check([row])

    [rejected] = outcome.rejected
    assert rejected.source_row == 2
    assert rejected.values == [row.get(h, "") for h in PLAIN_HEADERS]


def test_batches_keep_row_numbers_and_accept_record_batches() -> None:
    headers = PLAIN_HEADERS
    rows = [BASE, {"First name": "Piet"}, BASE | {"First name": "Kees"}]
    table = pa.table({f"c{i}": [r.get(h, "") for r in rows] for i, h in enumerate(headers)})
    checker = RowChecker(Mapping(tuple(PLAIN)), headers, "nl")

    [batch] = table.to_batches()
    outcome = checker.check(batch, pa.array([2, 5, 9]))

    assert [c.source_row for c in outcome.contacts] == [2, 9]
    assert [r.source_row for r in outcome.rejected] == [5]


def test_label_column_may_be_the_first_column() -> None:
    headers = ["Type", "Number", "Name"]
    mapping = [
        ColumnMapping("Number", F.PHONE, label_header="Type"),
        ColumnMapping("Name", F.FIRST_NAME),
    ]

    outcome = check([{"Type": "Cell", "Number": "06 12345678", "Name": "Jan"}], mapping, headers)

    assert outcome.contacts[0].mobiles == ["+31612345678"]


def test_unknown_mapped_header_is_refused_at_compile_time() -> None:
    mapping = Mapping((ColumnMapping("Nope", F.FIRST_NAME),))

    # Permanent: the worker fails the import instead of retrying it.
    with pytest.raises(ImportUnrunnable) as raised:
        RowChecker(mapping, ["First name"], "NL")
    assert str(raised.value.message) == "the mapping names a column the file lacks ('Nope')"


@pytest.mark.parametrize(
    ("function", "text", "expected"),
    [
        pytest.param(clean_line, "\u00a0 a  b \u200b", "a b", id="line-trim-collapse"),
        pytest.param(clean_line, "a\r\nb\tc\x00d", "a b cd", id="line-controls"),
        pytest.param(clean_line, None, "", id="line-none"),
        pytest.param(clean_multiline, " a\r\nb\rc\x01 ", "a\nb\nc", id="multiline"),
        pytest.param(split_values, "a ::: b;c\nd;;", ["a", "b", "c", "d"], id="split"),
        pytest.param(
            split_values, "tel:+31-20-1234567;ext=12", ["tel:+31-20-1234567;ext=12"], id="tel-ext"
        ),
        pytest.param(split_addresses, "a\nb ::: c", ["a\nb", "c"], id="split-addresses"),
    ],
)
def test_value_cleaning(function: Any, text: str | None, expected: Any) -> None:
    assert function(text) == expected
