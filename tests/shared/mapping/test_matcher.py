"""The header matcher: names, synonyms, repeats, qualifiers, single fields, left-out reasons."""

from __future__ import annotations

import pytest

from shared.mapping.fields import AddressPart, ColumnMapping, ContactField, MatchReason
from shared.mapping.matcher import LeftOut, LeftOutReason, suggest_mapping

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
