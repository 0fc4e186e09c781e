"""The suggested mapping of each real export layout, header by header (tests/fixtures/layouts).

Outlook's four languages are in test_outlook_layouts.py, hand-made sheets in
test_handmade_sheets.py; the helpers and the rule "the mapping equals the table" in
layout_cases.py.
"""

from __future__ import annotations

import pytest

from shared.mapping.fields import AddressPart, MatchReason
from shared.mapping.matcher import suggest_mapping
from tests.shared.mapping.layout_cases import (
    KL,
    Expected,
    F,
    P,
    R,
    check_layout,
    fixture_headers,
    group,
    labelled,
    one,
)


def google_address(n: int) -> Expected:
    a = f"Address {n} - "
    return group(
        f"Address {n}",
        R.KNOWN_LAYOUT,
        {
            a + "Formatted": P.FORMATTED,
            a + "Street": P.STREET,
            a + "City": P.CITY,
            a + "PO Box": P.PO_BOX,
            a + "Region": P.REGION,
            a + "Postal Code": P.POSTAL_CODE,
            a + "Country": P.COUNTRY,
            a + "Extended Address": P.EXTENDED,
        },
    )


GOOGLE_CSV: Expected = {
    **one(F.FIRST_NAME, R.EXACT_NAME, "First Name"),
    **one(F.LAST_NAME, R.EXACT_NAME, "Last Name"),
    **one(F.COMPANY, KL, "Organization Name"),
    **one(F.NOTES, R.EXACT_NAME, "Notes"),
    **labelled(F.EMAIL, {f"E-mail {n} - Value": f"E-mail {n} - Label" for n in (1, 2)}),
    **labelled(F.PHONE, {f"Phone {n} - Value": f"Phone {n} - Label" for n in (1, 2, 3)}),
    **google_address(1),
    **google_address(2),
}

GOOGLE_LEGACY: Expected = {
    **one(F.FULL_NAME, KL, "Name"),
    **one(F.FIRST_NAME, R.SYNONYM, "Given Name"),
    **one(F.LAST_NAME, R.SYNONYM, "Family Name"),
    **one(F.NOTES, R.EXACT_NAME, "Notes"),
    **one(F.COMPANY, KL, "Organization 1 - Name"),
    **labelled(F.EMAIL, {f"E-mail {n} - Value": f"E-mail {n} - Type" for n in (1, 2)}),
    **labelled(F.PHONE, {f"Phone {n} - Value": f"Phone {n} - Type" for n in (1, 2)}),
    **google_address(1),
}


QUICKBOOKS: Expected = {
    # "Customer" is the display name (often the company): the person's "Full Name" wins.
    **one(F.PHONE, KL, "Phone Numbers"),
    **one(F.EMAIL, R.EXACT_NAME, "Email"),
    **one(F.FULL_NAME, R.EXACT_NAME, "Full Name"),
    **one(F.ADDRESS, KL, "Billing Address"),
}

HUBSPOT: Expected = {
    **one(F.FIRST_NAME, R.EXACT_NAME, "First Name"),
    **one(F.LAST_NAME, R.EXACT_NAME, "Last Name"),
    **one(F.EMAIL, R.EXACT_NAME, "Email"),
    **one(F.PHONE, KL, "Phone Number"),
    **one(F.MOBILE, KL, "Mobile Phone Number"),
    **one(F.COMPANY, KL, "Company Name"),
    **group("Address", KL, {"Street Address": P.STREET, "State/Region": P.REGION}),
    **group("Address", KL, {"Country/Region": P.COUNTRY}),
    **group("Address", R.SYNONYM, {"City": P.CITY, "Postal Code": P.POSTAL_CODE}),
}

SALESFORCE: Expected = {
    **one(F.FIRST_NAME, R.EXACT_NAME, "First Name"),
    **one(F.LAST_NAME, R.EXACT_NAME, "Last Name"),
    **one(F.COMPANY, KL, "Account Name"),
    **group(
        "Mailing",
        KL,
        {
            "Mailing Street": P.STREET,
            "Mailing City": P.CITY,
            "Mailing State/Province": P.REGION,
            "Mailing Zip/Postal Code": P.POSTAL_CODE,
            "Mailing Country": P.COUNTRY,
        },
    ),
    **one(F.PHONE, R.EXACT_NAME, "Phone"),
    **one(F.MOBILE, R.EXACT_NAME, "Mobile"),
    **one(F.EMAIL, R.EXACT_NAME, "Email"),
}


def vcard_group(name: str, suffix: str) -> Expected:
    return group(
        name,
        R.SYNONYM,
        {
            f"PostOfficeBox{suffix}": P.PO_BOX,
            f"ExtendedAddress{suffix}": P.EXTENDED,
            f"Street{suffix}": P.STREET,
            f"City{suffix}": P.CITY,
            f"Region{suffix}": P.REGION,
            f"PostalCode{suffix}": P.POSTAL_CODE,
            f"Country{suffix}": P.COUNTRY,
        },
    )


def vcard_tels(suffix: str, reason: MatchReason) -> Expected:
    # Text: takes text messages (a mobile); Textphone: a TTY line; Fax, Pager: unmapped.
    return {
        **one(F.MOBILE, reason, f"TelText{suffix}", f"TelCell{suffix}"),
        **one(F.PHONE, reason, f"TelVoice{suffix}", f"TelVideo{suffix}", f"TelTextphone{suffix}"),
    }


VCARD: Expected = {
    # BoarderEB/vcf2csv writes the family name as "Name": beside a first name it is the surname.
    **one(F.LAST_NAME, R.SYNONYM, "Name"),
    **one(F.FIRST_NAME, KL, "GivenNames"),
    **one(F.COMPANY, R.SYNONYM, "Organisation"),
    **vcard_group("Address", ""),
    **vcard_group("Business", "Work"),
    **vcard_group("Home", "Home"),
    **one(F.EMAIL, KL, "EmailWork", "EmailHome"),
    **one(F.EMAIL, R.EXACT_NAME, "Email0", "Email1"),
    **one(F.EMAIL, R.NUMBERED_REPEAT, "Email2"),
    **one(F.NOTES, R.SYNONYM, "Note"),
    **vcard_tels("Work", KL),
    **vcard_tels("Home", KL),
    **vcard_tels("0", KL),
    **vcard_tels("1", KL),
    **vcard_tels("2", R.NUMBERED_REPEAT),
    **vcard_tels("3", R.NUMBERED_REPEAT),
}


def vcard_reader_address(n: int, *parts: AddressPart) -> Expected:
    names = {
        P.STREET: "Street",
        P.EXTENDED: "Extended address",
        P.PO_BOX: "PO box",
        P.CITY: "City",
        P.REGION: "Region",
        P.POSTAL_CODE: "Postal code",
        P.COUNTRY: "Country",
    }
    return group(f"Address {n}", KL, {f"Address {n} - {names[part]}": part for part in parts})


# The columns shared.spreadsheet.vcard_reader writes for a .vcf upload ("Fax 1" and the
# "Address n - Type" columns stay unmapped: a fax, and a kind shown only). The address
# parts are spelled as Google's export spells them: the same group and part.
VCARD_FILE: Expected = {
    **one(F.FULL_NAME, R.EXACT_NAME, "Full name"),
    **one(F.FIRST_NAME, R.EXACT_NAME, "First name"),
    **one(F.LAST_NAME, R.EXACT_NAME, "Last name"),
    **one(F.COMPANY, R.EXACT_NAME, "Company"),
    **one(F.EMAIL, R.EXACT_NAME, "E-mail 1"),
    **one(F.EMAIL, R.NUMBERED_REPEAT, "E-mail 2"),
    **one(F.MOBILE, R.EXACT_NAME, "Mobile 1"),
    **one(F.MOBILE, R.NUMBERED_REPEAT, "Mobile 2"),
    **one(F.PHONE, R.EXACT_NAME, "Phone 1"),
    **one(F.PHONE, R.NUMBERED_REPEAT, "Phone 2"),
    **vcard_reader_address(1, P.STREET, P.EXTENDED, P.PO_BOX, P.CITY, P.REGION),
    **vcard_reader_address(1, P.POSTAL_CODE, P.COUNTRY),
    **vcard_reader_address(2, P.STREET, P.CITY, P.POSTAL_CODE, P.COUNTRY),
    **one(F.NOTES, R.EXACT_NAME, "Notes"),
}


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        pytest.param("google_csv.csv", GOOGLE_CSV, id="google-csv"),
        pytest.param("google_legacy.csv", GOOGLE_LEGACY, id="google-legacy"),
        pytest.param("quickbooks_customers.csv", QUICKBOOKS, id="quickbooks"),
        pytest.param("hubspot_contacts.csv", HUBSPOT, id="hubspot-csv"),
        pytest.param("hubspot_contacts.xlsx", HUBSPOT, id="hubspot-xlsx"),
        pytest.param("salesforce_contacts.csv", SALESFORCE, id="salesforce"),
        pytest.param("vcard_converter.csv", VCARD, id="vcard-converter"),
        pytest.param("vcard.vcf", VCARD_FILE, id="vcard-file"),
    ],
)
def test_every_header_of_the_layout_maps_as_a_user_expects(
    fixture: str, expected: Expected
) -> None:
    check_layout(fixture, expected)


@pytest.mark.parametrize(
    ("fixture", "layout"),
    [
        pytest.param("google_csv.csv", "Google Contacts", id="google-csv"),
        pytest.param("google_legacy.csv", "Google Contacts", id="google-legacy"),
        pytest.param("outlook_en.csv", "Outlook", id="outlook-en"),
        pytest.param("outlook_de.csv", "Outlook", id="outlook-de"),
        pytest.param("outlook_nl.csv", "Outlook", id="outlook-nl"),
        pytest.param("outlook_fr.csv", "Outlook", id="outlook-fr"),
        pytest.param("quickbooks_customers.csv", "QuickBooks Online", id="quickbooks"),
        pytest.param("hubspot_contacts.csv", "HubSpot", id="hubspot"),
        pytest.param("salesforce_contacts.csv", "Salesforce", id="salesforce"),
        pytest.param("vcard_converter.csv", "vCard converter", id="vcard-converter"),
    ],
)
def test_known_layout_columns_name_their_tool(fixture: str, layout: str) -> None:
    suggestion = suggest_mapping(fixture_headers(fixture))
    details = {
        c.match_detail for c in suggestion.mapping.columns if c.match_reason is R.KNOWN_LAYOUT
    }
    assert details == {layout}
