"""The header matcher: folding, synonyms, repeats, qualifiers, layouts and address groups."""

from __future__ import annotations

import pytest

from shared.contact_fields import AddressPart, ColumnMapping, ContactField, MatchReason
from shared.header_matching import (
    LeftOut,
    LeftOutReason,
    fold_header,
    label_number_field,
    suggest_mapping,
)
from shared.header_vocabulary import VOCABULARY

F = ContactField
P = AddressPart
R = MatchReason


def _only(header: str) -> ColumnMapping | None:
    """The column a lone header maps to, or None when it stays unmapped."""
    suggestion = suggest_mapping([header])
    columns = suggestion.mapping.columns
    assert len(columns) + len(suggestion.unmapped_headers) == 1
    return columns[0] if columns else None


def _fields(headers: list[str]) -> dict[str, tuple[ContactField, ...]]:
    """Each header's mapped field (or an empty tuple when it stays unmapped)."""
    suggestion = suggest_mapping(headers)
    by_header = {c.header: (c.field,) for c in suggestion.mapping.columns}
    return {h: by_header.get(h, ()) for h in headers}


@pytest.mark.parametrize(
    ("header", "folded"),
    [
        pytest.param("Prénom", "prenom", id="accent"),
        pytest.param("TELEFOON", "telefoon", id="case"),
        pytest.param("Straße", "strasse", id="sharp-s-casefold"),
        pytest.param("Mobiel\u00a0nummer", "mobiel nummer", id="nbsp"),
        pytest.param("Mobiel\nnummer", "mobiel nummer", id="alt-enter-line-break"),
        pytest.param("Mobiel\r\nnummer", "mobiel nummer", id="crlf"),
        pytest.param("E-mail\t2", "e-mail 2", id="tab"),
        pytest.param("  First   name  ", "first name", id="double-and-outer-spaces"),
        pytest.param("\ufeffVoornaam", "voornaam", id="bom"),
        pytest.param("Ｅｍａｉｌ", "email", id="fullwidth"),
        pytest.param("", "", id="empty"),
    ],
)
def test_fold_header(header: str, folded: str) -> None:
    assert fold_header(header) == folded


@pytest.mark.parametrize(
    ("header", "field", "reason", "detail"),
    [
        # Field names, however written.
        pytest.param("first_name", F.FIRST_NAME, R.EXACT_NAME, "", id="exact-snake"),
        pytest.param("First name", F.FIRST_NAME, R.EXACT_NAME, "", id="exact-display"),
        pytest.param("FIRST-NAME", F.FIRST_NAME, R.EXACT_NAME, "", id="exact-hyphen"),
        pytest.param("full_name", F.FULL_NAME, R.EXACT_NAME, "", id="exact-full-name"),
        pytest.param("E-mail", F.EMAIL, R.EXACT_NAME, "", id="exact-e-mail"),
        pytest.param("email", F.EMAIL, R.EXACT_NAME, "", id="exact-email"),
        pytest.param("Phone", F.PHONE, R.EXACT_NAME, "", id="exact-phone"),
        pytest.param("Mobile", F.MOBILE, R.EXACT_NAME, "", id="exact-mobile"),
        pytest.param("Notes", F.NOTES, R.EXACT_NAME, "", id="exact-notes"),
        # English.
        pytest.param("Surname", F.LAST_NAME, R.SYNONYM, "en", id="en-surname"),
        pytest.param("Phone number", F.PHONE, R.SYNONYM, "en", id="en-phone-number"),
        pytest.param("Cell", F.MOBILE, R.SYNONYM, "en", id="en-cell"),
        pytest.param("Mobile phone", F.MOBILE, R.SYNONYM, "en", id="en-mobile-phone"),
        pytest.param("Email address", F.EMAIL, R.SYNONYM, "en", id="en-email-address"),
        pytest.param("Organisation", F.COMPANY, R.SYNONYM, "en", id="en-organisation"),
        pytest.param("Comments", F.NOTES, R.SYNONYM, "en", id="en-comments"),
        # Dutch.
        pytest.param("Voornaam", F.FIRST_NAME, R.SYNONYM, "nl", id="nl-voornaam"),
        pytest.param("Achternaam", F.LAST_NAME, R.SYNONYM, "nl", id="nl-achternaam"),
        pytest.param("Telefoon", F.PHONE, R.SYNONYM, "nl", id="nl-telefoon"),
        pytest.param("Telefoonnummer", F.PHONE, R.SYNONYM, "nl", id="nl-telefoonnummer"),
        pytest.param("Mobiel", F.MOBILE, R.SYNONYM, "nl", id="nl-mobiel"),
        pytest.param("Mobiele nummer", F.MOBILE, R.SYNONYM, "nl", id="nl-mobiele-nummer"),
        pytest.param("GSM", F.MOBILE, R.SYNONYM, "nl", id="nl-gsm"),
        pytest.param("E-mailadres", F.EMAIL, R.SYNONYM, "nl", id="nl-e-mailadres"),
        pytest.param("Bedrijf", F.COMPANY, R.SYNONYM, "nl", id="nl-bedrijf"),
        pytest.param("Opmerkingen", F.NOTES, R.SYNONYM, "nl", id="nl-opmerkingen"),
        pytest.param("Notities", F.NOTES, R.SYNONYM, "nl", id="nl-notities"),
        # French.
        pytest.param("Prénom", F.FIRST_NAME, R.SYNONYM, "fr", id="fr-prenom"),
        pytest.param("Nom", F.FULL_NAME, R.SYNONYM, "fr", id="fr-nom"),
        pytest.param("Nom de famille", F.LAST_NAME, R.SYNONYM, "fr", id="fr-nom-de-famille"),
        pytest.param("Numéro de téléphone", F.PHONE, R.SYNONYM, "fr", id="fr-telephone"),
        pytest.param("Portable", F.MOBILE, R.SYNONYM, "fr", id="fr-portable"),
        pytest.param("Courriel", F.EMAIL, R.SYNONYM, "fr", id="fr-courriel"),
        pytest.param("Société", F.COMPANY, R.SYNONYM, "fr", id="fr-societe"),
        pytest.param("Entreprise", F.COMPANY, R.SYNONYM, "fr", id="fr-entreprise"),
        pytest.param("Remarques", F.NOTES, R.SYNONYM, "fr", id="fr-remarques"),
        # German.
        pytest.param("Vorname", F.FIRST_NAME, R.SYNONYM, "de", id="de-vorname"),
        pytest.param("Nachname", F.LAST_NAME, R.SYNONYM, "de", id="de-nachname"),
        pytest.param("Telefon", F.PHONE, R.SYNONYM, "de", id="de-telefon"),
        pytest.param("Handy", F.MOBILE, R.SYNONYM, "de", id="de-handy"),
        pytest.param("Mobiltelefon", F.MOBILE, R.SYNONYM, "de", id="de-mobiltelefon"),
        pytest.param("Unternehmen", F.COMPANY, R.SYNONYM, "de", id="de-unternehmen"),
        pytest.param("Notizen", F.NOTES, R.SYNONYM, "de", id="de-notizen"),
        pytest.param("Bemerkungen", F.NOTES, R.SYNONYM, "de", id="de-bemerkungen"),
        # Folding: case, accents, spaces, line breaks.
        pytest.param("PRENOM", F.FIRST_NAME, R.SYNONYM, "fr", id="fold-no-accent-upper"),
        pytest.param("Mobiel\nnummer", F.MOBILE, R.SYNONYM, "nl", id="fold-alt-enter"),
        pytest.param("Mobielnummer", F.MOBILE, R.SYNONYM, "nl", id="fold-joined"),
        pytest.param("Mobiel  nummer", F.MOBILE, R.SYNONYM, "nl", id="fold-double-space"),
        pytest.param("Telefoon\u00a0nummer", F.PHONE, R.SYNONYM, "nl", id="fold-nbsp"),
        pytest.param(" Achternaam ", F.LAST_NAME, R.SYNONYM, "nl", id="fold-outer-spaces"),
        pytest.param("E_mail", F.EMAIL, R.EXACT_NAME, "", id="fold-underscore"),
        # Qualifiers in parentheses or after a slash.
        pytest.param("Telefoon (werk)", F.PHONE, R.SYNONYM, "nl", id="qualifier-parentheses"),
        pytest.param("E-mail (privé)", F.EMAIL, R.EXACT_NAME, "", id="qualifier-accented"),
        pytest.param("Phone / Tel", F.PHONE, R.EXACT_NAME, "", id="qualifier-slash"),
        pytest.param("Mobile/Cell", F.MOBILE, R.EXACT_NAME, "", id="qualifier-slash-mobile"),
        pytest.param("Tel / Phone", F.PHONE, R.SYNONYM, "en", id="qualifier-slash-first-wins"),
        pytest.param("Telefoon (mobiel)", F.MOBILE, R.SYNONYM, "nl", id="qualifier-makes-mobile"),
        pytest.param("Phone [GSM]", F.MOBILE, R.EXACT_NAME, "", id="qualifier-brackets"),
        # Group words before or after a number's name.
        pytest.param("Work phone", F.PHONE, R.EXACT_NAME, "", id="group-word-before"),
        pytest.param("Telefon privat", F.PHONE, R.KNOWN_LAYOUT, "Outlook", id="outlook-de"),
        pytest.param("Telefoon thuis", F.PHONE, R.KNOWN_LAYOUT, "Outlook", id="outlook-nl"),
        pytest.param("Handy privat", F.MOBILE, R.SYNONYM, "de", id="group-word-after"),
        pytest.param("Home email", F.EMAIL, R.EXACT_NAME, "", id="group-word-email"),
    ],
)
def test_single_header(header: str, field: ContactField, reason: MatchReason, detail: str) -> None:
    column = _only(header)
    assert column is not None
    assert (column.field, column.match_reason, column.match_detail) == (field, reason, detail)


@pytest.mark.parametrize(
    "header",
    [
        pytest.param("Klantnummer", id="customer-number"),
        pytest.param("Id", id="id"),
        pytest.param("Created", id="created"),
        pytest.param("Contact owner", id="owner"),
        pytest.param("Geboortedatum", id="date"),
        pytest.param("Job title", id="job-title"),
        pytest.param("Website", id="website"),
        pytest.param("Birthday", id="birthday"),
        pytest.param("Labels", id="labels"),
        pytest.param("Group Membership", id="groups"),
        pytest.param("Open Balance", id="balance"),
        pytest.param("Row", id="failure-workbook-row"),
        pytest.param("Reason", id="failure-workbook-reason"),
        pytest.param("Fax", id="fax"),
        pytest.param("Business Fax", id="outlook-fax"),
        pytest.param("Fax geschäftlich", id="outlook-de-fax"),
        pytest.param("Pager", id="pager"),
        pytest.param("Telex", id="telex"),
        pytest.param("TelFax1", id="vcard-fax"),
        pytest.param("Phone (fax)", id="fax-qualifier"),
        pytest.param("Tel/Fax", id="fax-slash"),
        pytest.param("Tussenvoegsel", id="dutch-infix"),
        pytest.param("Middle name", id="middle-name"),
        pytest.param("Phonetic First Name", id="phonetic-not-first-name"),
        pytest.param("Other Name", id="group-word-not-a-name"),
        pytest.param("Voornaam 2", id="numbered-single-field"),
        pytest.param("Whatever column", id="unknown"),
        pytest.param("Xyz", id="unknown-short"),
        pytest.param("", id="empty"),
        pytest.param("   ", id="blank"),
    ],
)
def test_header_stays_unmapped(header: str) -> None:
    assert _only(header) is None


def test_numbered_repeats_fill_extra_slots_in_order() -> None:
    headers = ["E-mail", "E-mail 2", "Telefoon", "Telefoon 3", "Phone 2", "Email2"]
    headers += ["E-mailadres 2", "Mobiel 2"]
    columns = suggest_mapping(headers).mapping.columns
    assert [(c.header, c.field, c.match_reason, c.match_detail) for c in columns] == [
        ("E-mail", F.EMAIL, R.EXACT_NAME, ""),
        ("E-mail 2", F.EMAIL, R.NUMBERED_REPEAT, ""),
        ("Telefoon", F.PHONE, R.SYNONYM, "nl"),
        ("Telefoon 3", F.PHONE, R.NUMBERED_REPEAT, "nl"),
        ("Phone 2", F.PHONE, R.NUMBERED_REPEAT, ""),
        ("Email2", F.EMAIL, R.NUMBERED_REPEAT, ""),
        ("E-mailadres 2", F.EMAIL, R.NUMBERED_REPEAT, "nl"),
        ("Mobiel 2", F.MOBILE, R.NUMBERED_REPEAT, "nl"),
    ]


def test_single_field_goes_to_first_claimant() -> None:
    # Given two company columns and two first-name columns
    headers = ["Company", "Voornaam", "Bedrijf", "First name", "Telefoon"]
    # When matched
    suggestion = suggest_mapping(headers)
    # Then the first of each wins and the later competitor stays unmapped
    assert [c.header for c in suggestion.mapping.columns] == ["Company", "Voornaam", "Telefoon"]
    assert suggestion.unmapped_headers == ["Bedrijf", "First name"]


def test_fallback_spelling_yields_to_a_real_name_column() -> None:
    # QuickBooks' "Customer" is a display name, the name only when no name column exists.
    assert _fields(["Customer", "Full Name"]) == {"Customer": (), "Full Name": (F.FULL_NAME,)}
    assert _fields(["Customer", "Phone"]) == {"Customer": (F.FULL_NAME,), "Phone": (F.PHONE,)}


@pytest.mark.parametrize(
    ("headers", "name_field"),
    [
        pytest.param(["Vorname", "Name"], F.LAST_NAME, id="de-vorname-name"),
        pytest.param(["Prénom", "Nom"], F.LAST_NAME, id="fr-prenom-nom"),
        pytest.param(["Nom", "Téléphone"], F.FULL_NAME, id="fr-nom-alone"),
        pytest.param(["Voornaam", "Naam"], F.LAST_NAME, id="nl-voornaam-naam"),
        pytest.param(["Name", "Given Name", "Family Name"], F.FULL_NAME, id="google-legacy"),
        pytest.param(["Name"], F.FULL_NAME, id="alone"),
    ],
)
def test_plain_name_beside_first_name_is_the_surname(
    headers: list[str], name_field: ContactField
) -> None:
    name = next(h for h in headers if h in ("Name", "Naam", "Nom"))
    assert _fields(headers)[name] == (name_field,)


def test_unmapped_headers_keep_file_order() -> None:
    headers = ["Id", "Voornaam", "Created", "Telefoon", "Website", "Row", "Reason"]
    suggestion = suggest_mapping(headers)
    assert suggestion.unmapped_headers == ["Id", "Created", "Website", "Row", "Reason"]
    assert [c.header for c in suggestion.mapping.columns] == ["Voornaam", "Telefoon"]


L = LeftOutReason


def test_the_matcher_says_why_it_leaves_each_header_out() -> None:
    # Given a file with every kind of column the matcher leaves out
    headers = [
        "First name", "Voornaam", "Phone 1 - Label", "Phone 1 - Value", "Telefoon (fax)",
        "Business Fax", "Piepser", "Birthday", "Shoe size", "Notes", "Notes 2", "Memo 2",
        "City", "Woonplaats", "Organization 1 - Label",
    ]  # fmt: skip

    # When matched
    suggestion = suggest_mapping(headers)

    # Then every unmapped header, in file order, has the reason decided where it was left out
    assert list(suggestion.left_out) == [
        LeftOut("Voornaam", L.FIELD_TAKEN, "First name"),
        LeftOut("Phone 1 - Label", L.LABEL_COLUMN, "Phone 1 - Value"),
        LeftOut("Telefoon (fax)", L.NOT_A_PHONE),
        LeftOut("Business Fax", L.NOT_A_PHONE),
        LeftOut("Piepser", L.NOT_A_PHONE),
        LeftOut("Birthday", L.NOT_CONTACT_DATA),
        LeftOut("Shoe size", L.NO_MATCH),
        LeftOut("Notes 2", L.FIELD_TAKEN, "Notes"),
        LeftOut("Memo 2", L.FIELD_TAKEN, "Notes"),
        LeftOut("Woonplaats", L.FIELD_TAKEN, "City"),
        LeftOut("Organization 1 - Label", L.NOT_CONTACT_DATA),
    ]
    assert [lo.header for lo in suggestion.left_out] == suggestion.unmapped_headers


def test_a_numbered_repeat_of_an_unfilled_one_column_field_is_no_match() -> None:
    assert suggest_mapping(["Voornaam 2"]).left_out == (LeftOut("Voornaam 2", L.NO_MATCH),)


def _addresses(headers: list[str]) -> list[tuple[str, AddressPart, str]]:
    columns = suggest_mapping(headers).mapping.columns
    return [
        (c.header, c.address_part, c.address_group)
        for c in columns
        if c.field is ContactField.ADDRESS
    ]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        pytest.param(
            ["Street", "Postcode", "City", "Country"],
            [
                ("Street", P.STREET, "Address"),
                ("Postcode", P.POSTAL_CODE, "Address"),
                ("City", P.CITY, "Address"),
                ("Country", P.COUNTRY, "Address"),
            ],
            id="parts-form-one-group",
        ),
        pytest.param(
            ["Straße", "PLZ", "Ort", "Land", "Bundesland"],
            [
                ("Straße", P.STREET, "Address"),
                ("PLZ", P.POSTAL_CODE, "Address"),
                ("Ort", P.CITY, "Address"),
                ("Land", P.COUNTRY, "Address"),
                ("Bundesland", P.REGION, "Address"),
            ],
            id="de-parts",
        ),
        pytest.param(
            ["Rue", "Code postal", "Ville", "Pays"],
            [
                ("Rue", P.STREET, "Address"),
                ("Code postal", P.POSTAL_CODE, "Address"),
                ("Ville", P.CITY, "Address"),
                ("Pays", P.COUNTRY, "Address"),
            ],
            id="fr-parts",
        ),
        pytest.param(
            ["Adres", "Postcode", "Woonplaats"],
            [
                ("Adres", P.STREET, "Address"),
                ("Postcode", P.POSTAL_CODE, "Address"),
                ("Woonplaats", P.CITY, "Address"),
            ],
            id="nl-address-beside-parts-is-the-street",
        ),
        pytest.param(["Adres"], [("Adres", P.WHOLE, "")], id="nl-whole"),
        pytest.param(["Adresse"], [("Adresse", P.WHOLE, "")], id="fr-de-whole"),
        pytest.param(["Anschrift"], [("Anschrift", P.WHOLE, "")], id="de-whole"),
        pytest.param(
            ["Address", "Address 2"],
            [("Address", P.WHOLE, ""), ("Address 2", P.WHOLE, "")],
            id="numbered-whole-addresses",
        ),
        pytest.param(
            ["Street", "City", "Street 2", "City 2"],
            [
                ("Street", P.STREET, "Address"),
                ("City", P.CITY, "Address"),
                ("Street 2", P.STREET, "Address 2"),
                ("City 2", P.CITY, "Address 2"),
            ],
            id="numbered-groups",
        ),
        pytest.param(
            ["Address line 1", "Address line 2", "Zip", "Town"],
            [
                ("Address line 1", P.STREET, "Address"),
                ("Address line 2", P.STREET, "Address"),
                ("Zip", P.POSTAL_CODE, "Address"),
                ("Town", P.CITY, "Address"),
            ],
            id="street-lines",
        ),
        pytest.param(
            ["Straat (thuis)", "Plaats (thuis)", "Straat (werk)", "Plaats (werk)"],
            [
                ("Straat (thuis)", P.STREET, "Home"),
                ("Plaats (thuis)", P.CITY, "Home"),
                ("Straat (werk)", P.STREET, "Business"),
                ("Plaats (werk)", P.CITY, "Business"),
            ],
            id="qualifier-names-the-group",
        ),
        pytest.param(
            ["Street (Warehouse)", "City (Warehouse)"],
            [
                ("Street (Warehouse)", P.STREET, "Warehouse"),
                ("City (Warehouse)", P.CITY, "Warehouse"),
            ],
            id="unknown-qualifier-is-the-group-as-written",
        ),
        pytest.param(
            ["Shipping City", "Shipping Zip"],
            [("Shipping City", P.CITY, "Shipping"), ("Shipping Zip", P.POSTAL_CODE, "Shipping")],
            id="group-word-parts",
        ),
        pytest.param(
            ["Adres", "Huisnummer", "Postcode", "Plaats"],
            [
                ("Adres", P.STREET, "Address"),
                ("Huisnummer", P.STREET, "Address"),
                ("Postcode", P.POSTAL_CODE, "Address"),
                ("Plaats", P.CITY, "Address"),
            ],
            id="house-number-makes-no-formatted-address",
        ),
        pytest.param(
            ["Address", "Address 2", "City", "State"],
            [
                ("Address", P.STREET, "Address"),
                ("Address 2", P.STREET, "Address"),
                ("City", P.CITY, "Address"),
                ("State", P.REGION, "Address"),
            ],
            id="numbered-address-is-a-street-line",
        ),
        pytest.param(
            ["address", "address_zip", "address_city"],
            [
                ("address", P.STREET, "Address"),
                ("address_zip", P.POSTAL_CODE, "Address"),
                ("address_city", P.CITY, "Address"),
            ],
            id="snake-case-parts",
        ),
        pytest.param(
            ["County", "State", "Zip"],
            [("State", P.REGION, "Address"), ("Zip", P.POSTAL_CODE, "Address")],
            id="us-state-beats-county",
        ),
        pytest.param(
            ["County", "Postcode"],
            [("County", P.REGION, "Address"), ("Postcode", P.POSTAL_CODE, "Address")],
            id="uk-county-alone",
        ),
        pytest.param(
            ["Rechnungsanschrift (Straße)", "Rechnungsanschrift (PLZ)", "Lieferanschrift"],
            [
                ("Rechnungsanschrift (Straße)", P.STREET, "Billing"),
                ("Rechnungsanschrift (PLZ)", P.POSTAL_CODE, "Billing"),
                ("Lieferanschrift", P.WHOLE, ""),
            ],
            id="part-in-brackets-of-a-group-address",
        ),
        pytest.param(
            ["Home Address", "Home Street", "Home City", "Business Phone"],
            [
                ("Home Address", P.FORMATTED, "Home"),
                ("Home Street", P.STREET, "Home"),
                ("Home City", P.CITY, "Home"),
            ],
            id="outlook-home-address-beside-its-street",
        ),
        pytest.param(
            ["Home Address", "Home City", "Home ZipCode", "Home Phone", "Work Phone"],
            [
                ("Home Address", P.STREET, "Home"),
                ("Home City", P.CITY, "Home"),
                ("Home ZipCode", P.POSTAL_CODE, "Home"),
            ],
            id="thunderbird-home-address-is-its-street",
        ),
    ],
)
def test_address_groups(headers: list[str], expected: list[tuple[str, AddressPart, str]]) -> None:
    assert _addresses(headers) == expected


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


def test_salesforce_mailing_address_is_one_group() -> None:
    headers = ["Mailing Street", "Mailing City", "Mailing State/Province",
               "Mailing Zip/Postal Code", "Mailing Country"]  # fmt: skip
    assert {group for _, _, group in _addresses(headers)} == {"Mailing"}
    assert [part for _, part, _ in _addresses(headers)] == [
        P.STREET, P.CITY, P.REGION, P.POSTAL_CODE, P.COUNTRY
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("label", "field"),
    [
        pytest.param("Mobile", F.MOBILE, id="mobile"),
        pytest.param("* Mobile", F.MOBILE, id="google-primary-mobile"),
        pytest.param("Cell", F.MOBILE, id="cell"),
        pytest.param("Mobiel", F.MOBILE, id="nl"),
        pytest.param("GSM", F.MOBILE, id="gsm"),
        pytest.param("Portable", F.MOBILE, id="fr"),
        pytest.param("Handy", F.MOBILE, id="de"),
        pytest.param("Work", F.PHONE, id="work"),
        pytest.param("", F.PHONE, id="empty"),
        pytest.param("Work Fax", None, id="work-fax"),
        pytest.param("Fax", None, id="fax"),
        pytest.param("Pager", None, id="pager"),
        pytest.param("Telex", None, id="telex"),
    ],
)
def test_label_number_field(label: str, field: ContactField | None) -> None:
    assert label_number_field(label, F.PHONE) == field


def test_vocabulary_has_no_conflicting_spellings() -> None:
    # Two entries of one spelling must agree, unless a layout overrides a synonym for its
    # own files (Outlook's German "Ort" is the office location, not the city).
    seen: dict[tuple[str, str], tuple[object, ...]] = {}
    for entry in VOCABULARY:
        key = ("".join(ch for ch in fold_header(entry.phrase) if ch.isalnum() or ch == "#"),
               entry.layout)  # fmt: skip
        meaning = (entry.field, entry.part, entry.group)
        assert seen.setdefault(key, meaning) == meaning, entry
