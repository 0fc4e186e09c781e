"""Known tool layouts matched from header rows: layout evidence and the tools' spellings."""

from __future__ import annotations

import pytest

from shared.mapping.fields import ContactField, MatchReason
from shared.mapping.matcher import suggest_mapping

F = ContactField
R = MatchReason


def _layout(headers: list[str]) -> list[tuple[str, ContactField | None, str, str, str]]:
    """Every header with (field, part, group, label) or None, for a whole-layout table."""
    suggestion = suggest_mapping(headers)
    by_header = {c.header: c for c in suggestion.mapping.columns}
    rows: list[tuple[str, ContactField | None, str, str, str]] = []
    for h in headers:
        c = by_header.get(h)
        if c is None:
            rows.append((h, None, "", "", ""))
        else:
            part = c.address_part.value if c.field is F.ADDRESS else ""
            rows.append((h, c.field, part, c.address_group, c.label_header))
    return rows


def test_google_contacts_current_layout() -> None:
    headers = [
        "First Name", "Middle Name", "Last Name", "Phonetic First Name", "Nickname", "File As",
        "Organization Name", "Organization Title", "Birthday", "Notes", "Labels",
        "E-mail 1 - Label", "E-mail 1 - Value", "E-mail 2 - Label", "E-mail 2 - Value",
        "Phone 1 - Label", "Phone 1 - Value", "Phone 2 - Label", "Phone 2 - Value",
        "Address 1 - Label", "Address 1 - Formatted", "Address 1 - Street", "Address 1 - City",
        "Address 1 - PO Box", "Address 1 - Region", "Address 1 - Postal Code",
        "Address 1 - Country", "Address 1 - Extended Address", "Website 1 - Label",
        "Website 1 - Value",
    ]  # fmt: skip
    mapped = {h: rest for h, *rest in _layout(headers) if rest[0] is not None}
    assert mapped == {
        "First Name": [F.FIRST_NAME, "", "", ""],
        "Last Name": [F.LAST_NAME, "", "", ""],
        "Organization Name": [F.COMPANY, "", "", ""],
        "Notes": [F.NOTES, "", "", ""],
        "E-mail 1 - Value": [F.EMAIL, "", "", "E-mail 1 - Label"],
        "E-mail 2 - Value": [F.EMAIL, "", "", "E-mail 2 - Label"],
        "Phone 1 - Value": [F.PHONE, "", "", "Phone 1 - Label"],
        "Phone 2 - Value": [F.PHONE, "", "", "Phone 2 - Label"],
        "Address 1 - Formatted": [F.ADDRESS, "formatted", "Address 1", ""],
        "Address 1 - Street": [F.ADDRESS, "street", "Address 1", ""],
        "Address 1 - City": [F.ADDRESS, "city", "Address 1", ""],
        "Address 1 - PO Box": [F.ADDRESS, "po_box", "Address 1", ""],
        "Address 1 - Region": [F.ADDRESS, "region", "Address 1", ""],
        "Address 1 - Postal Code": [F.ADDRESS, "postal_code", "Address 1", ""],
        "Address 1 - Country": [F.ADDRESS, "country", "Address 1", ""],
        "Address 1 - Extended Address": [F.ADDRESS, "extended", "Address 1", ""],
    }
    columns = {c.header: c for c in suggest_mapping(headers).mapping.columns}
    assert columns["Phone 1 - Value"].match_reason is R.LABEL_COLUMN
    assert columns["Phone 1 - Value"].match_detail == "Google Contacts"
    assert columns["Address 1 - City"].match_reason is R.KNOWN_LAYOUT


def test_google_contacts_legacy_layout() -> None:
    headers = [
        "Name", "Given Name", "Additional Name", "Family Name", "Group Membership",
        "E-mail 1 - Type", "E-mail 1 - Value", "Phone 1 - Type", "Phone 1 - Value",
        "Organization 1 - Type", "Organization 1 - Name", "Organization 1 - Title",
    ]  # fmt: skip
    mapped = {h: (f, label) for h, f, _, _, label in _layout(headers) if f is not None}
    assert mapped == {
        "Name": (F.FULL_NAME, ""),
        "Given Name": (F.FIRST_NAME, ""),
        "Family Name": (F.LAST_NAME, ""),
        "E-mail 1 - Value": (F.EMAIL, "E-mail 1 - Type"),
        "Phone 1 - Value": (F.PHONE, "Phone 1 - Type"),
        "Organization 1 - Name": (F.COMPANY, ""),
    }


def test_outlook_english_layout() -> None:
    headers = [
        "Title", "First Name", "Middle Name", "Last Name", "Suffix", "Company", "Department",
        "Job Title", "Business Street", "Business Street 2", "Business Street 3",
        "Business City", "Business State", "Business Postal Code", "Business Country/Region",
        "Home Street", "Home City", "Home State", "Home Postal Code", "Home Country/Region",
        "Other Street", "Other City", "Assistant's Phone", "Business Fax", "Business Phone",
        "Business Phone 2", "Callback", "Car Phone", "Company Main Phone", "Home Fax",
        "Home Phone", "Home Phone 2", "ISDN", "Mobile Phone", "Other Fax", "Other Phone",
        "Pager", "Primary Phone", "Radio Phone", "TTY/TDD Phone", "Telex", "Birthday",
        "Categories", "E-mail Address", "E-mail Type", "E-mail Display Name",
        "E-mail 2 Address", "E-mail 3 Address", "Notes", "Web Page",
    ]  # fmt: skip
    rows = {h: (f, part, group) for h, f, part, group, _ in _layout(headers)}
    phones = [h for h, (f, _, _) in rows.items() if f is F.PHONE]
    assert len(phones) == 12
    assert rows["Mobile Phone"][0] is F.MOBILE
    for fax in ("Business Fax", "Home Fax", "Other Fax", "Pager", "Telex", "Assistant's Phone"):
        assert rows[fax][0] is None, fax
    assert rows["Business Street 3"] == (F.ADDRESS, "street", "Business")
    assert rows["Business Country/Region"] == (F.ADDRESS, "country", "Business")
    assert rows["Home State"] == (F.ADDRESS, "region", "Home")
    assert rows["Other City"] == (F.ADDRESS, "city", "Other")
    emails = [h for h, (f, _, _) in rows.items() if f is F.EMAIL]
    assert emails == ["E-mail Address", "E-mail 2 Address", "E-mail 3 Address"]
    for unmapped in ("Title", "Middle Name", "Job Title", "Department", "E-mail Type"):
        assert rows[unmapped][0] is None, unmapped


def test_outlook_german_layout_ort_is_office_location() -> None:
    headers = [
        "Vorname", "Nachname", "Firma", "Straße geschäftlich", "Ort geschäftlich",
        "Postleitzahl geschäftlich", "Land/Region geschäftlich", "Telefon geschäftlich",
        "Fax geschäftlich", "Mobiltelefon", "E-Mail-Adresse", "E-Mail 2: Adresse", "Ort",
    ]  # fmt: skip
    rows = {h: (f, part, group) for h, f, part, group, _ in _layout(headers)}
    assert rows["Ort geschäftlich"] == (F.ADDRESS, "city", "Business")
    assert rows["Land/Region geschäftlich"] == (F.ADDRESS, "country", "Business")
    assert rows["Telefon geschäftlich"][0] is F.PHONE
    assert rows["Mobiltelefon"][0] is F.MOBILE
    assert rows["E-Mail 2: Adresse"][0] is F.EMAIL
    assert rows["Fax geschäftlich"][0] is None
    assert rows["Ort"][0] is None  # Outlook's "Ort" is the office location, not a city


@pytest.mark.parametrize(
    ("headers", "expected", "layout"),
    [
        pytest.param(
            ["Customer", "Full Name", "Phone Numbers", "Email", "Billing Address",
             "Open Balance"],
            {"Full Name": F.FULL_NAME, "Phone Numbers": F.PHONE, "Email": F.EMAIL,
             "Billing Address": F.ADDRESS},
            "QuickBooks Online",
            id="quickbooks",
        ),
        pytest.param(
            ["Record ID", "First Name", "Last Name", "Email", "Phone Number",
             "Mobile Phone Number", "Company Name", "Street Address", "City", "State/Region",
             "Postal Code", "Country/Region", "Fax Number", "Contact owner", "Create Date"],
            {"First Name": F.FIRST_NAME, "Last Name": F.LAST_NAME, "Email": F.EMAIL,
             "Phone Number": F.PHONE, "Mobile Phone Number": F.MOBILE,
             "Company Name": F.COMPANY, "Street Address": F.ADDRESS, "City": F.ADDRESS,
             "State/Region": F.ADDRESS, "Postal Code": F.ADDRESS, "Country/Region": F.ADDRESS},
            "HubSpot",
            id="hubspot",
        ),
        pytest.param(
            ["First Name", "Last Name", "Title", "Account Name", "Mailing Street",
             "Mailing City", "Mailing State/Province", "Mailing Zip/Postal Code",
             "Mailing Country", "Phone", "Mobile", "Fax", "Email", "Contact Owner"],
            {"First Name": F.FIRST_NAME, "Last Name": F.LAST_NAME, "Account Name": F.COMPANY,
             "Mailing Street": F.ADDRESS, "Mailing City": F.ADDRESS,
             "Mailing State/Province": F.ADDRESS, "Mailing Zip/Postal Code": F.ADDRESS,
             "Mailing Country": F.ADDRESS, "Phone": F.PHONE, "Mobile": F.MOBILE,
             "Email": F.EMAIL},
            "Salesforce",
            id="salesforce",
        ),
        pytest.param(
            ["FormattedName", "GivenNames", "FamilyName", "Organisation", "TelCell1",
             "TelVoice1", "TelFax1", "EmailWork", "EmailHome"],
            {"FormattedName": F.FULL_NAME, "GivenNames": F.FIRST_NAME,
             "FamilyName": F.LAST_NAME, "Organisation": F.COMPANY, "TelCell1": F.MOBILE,
             "TelVoice1": F.PHONE, "EmailWork": F.EMAIL, "EmailHome": F.EMAIL},
            "vCard converter",
            id="vcard-converter",
        ),
    ],
)  # fmt: skip
def test_tool_layouts(headers: list[str], expected: dict[str, ContactField], layout: str) -> None:
    suggestion = suggest_mapping(headers)
    assert {c.header: c.field for c in suggestion.mapping.columns} == expected
    assert any(c.match_detail == layout for c in suggestion.mapping.columns)
