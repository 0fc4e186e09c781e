"""One label classifier: a phone label means the same in the preview and in the import."""

from __future__ import annotations

import pyarrow as pa
import pytest

from services.validator_worker.rows.row_checker import RowChecker
from shared.errors import Reason
from shared.mapping.explanations import UnmappedReason, explain_headers
from shared.mapping.fields import ContactField
from shared.mapping.labels import LabelKind, classify_label, label_number_field
from shared.mapping.matcher import suggest_mapping
from shared.mapping.vocabulary import LABEL_WORDS

F = ContactField
NOT_IMPORTED = "not imported"
# A Google-like file: the label column decides row by row what its value column holds.
GOOGLE_HEADERS = ["Name", "Phone 1 - Label", "Phone 1 - Value"]
# Fixed line or mobile (a US number): stored as the label says, never moved by its kind.
NUMBER = "+1 650-253-0000"
# Compound and mixed spellings of real label cells; the first four once split the two
# sides (the worker read them as a plain phone, the preview as fax or mobile).
COMPOUNDS = [
    "Workfax",
    "Homefax",
    "Mobilephone",
    "Mobieletelefoon",
    "Work Mobile",
    "* Mobile",
    "Telefon mobil",
    "Business Fax",
    "* Home Fax",
    "Handy",
    "Télécopie",
    "MOBILE ",
    "Work",
    "Main",
    "",
    " * ",
]
LABELS = [
    pytest.param(label, id=label or "empty")
    for label in dict.fromkeys([w.phrase for w in LABEL_WORDS] + COMPOUNDS)
]


def _preview(label: str) -> str:
    """What the preview says a phone column labelled so holds ("Phone (Workfax)")."""
    headers = ["Name", f"Phone ({label})"]
    match = explain_headers(headers, suggest_mapping(headers))[1]
    if match.column is None:
        assert match.unmapped_reason is UnmappedReason.NOT_CONTACT_DATA, match
        assert str(match.explanation).startswith("Fax, pager or telex"), match
        return NOT_IMPORTED
    return match.column.field.value


def _imported(label: str) -> str:
    """What the import stores of a number whose label cell holds `label`."""
    mapping = suggest_mapping(GOOGLE_HEADERS).mapping
    value = next(c for c in mapping.columns if c.header == "Phone 1 - Value")
    assert (value.field, value.label_header) == (F.PHONE, "Phone 1 - Label")
    row = {"Name": "Jan Jansen", "Phone 1 - Label": label, "Phone 1 - Value": NUMBER}
    table = pa.table({f"c{i}": [row[h]] for i, h in enumerate(GOOGLE_HEADERS)})
    outcome = RowChecker(mapping, GOOGLE_HEADERS, "US").check(table, [2])
    if outcome.rejected:
        reasons = [p.reason for p in outcome.rejected[0].problems]
        assert reasons == [Reason.PHONE_MISSING], outcome
        return NOT_IMPORTED
    (contact,) = outcome.contacts
    if contact.mobiles:
        assert (contact.phones, contact.mobiles) == ([], ["+16502530000"]), contact
        return F.MOBILE.value
    assert contact.phones == ["+16502530000"], contact
    return F.PHONE.value


@pytest.mark.parametrize("label", LABELS)
def test_the_preview_and_the_import_read_a_label_alike(label: str) -> None:
    # Given a label word of the vocabulary, or a label cell as tools write them
    # When the preview matches a phone column labelled so, and the import checks a row
    # whose label cell holds it
    preview, imported = _preview(label), _imported(label)

    # Then both say the same: a mobile, a phone, or a number not imported
    assert preview == imported


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        pytest.param("Mobile", LabelKind.MOBILE, id="mobile"),
        pytest.param("* Mobile", LabelKind.MOBILE, id="google-primary"),
        pytest.param("Work Mobile", LabelKind.MOBILE, id="combined"),
        pytest.param("CELL", LabelKind.MOBILE, id="cell-upper"),
        pytest.param("Cellular", LabelKind.MOBILE, id="cellular"),
        pytest.param("Mobiel", LabelKind.MOBILE, id="dutch"),
        pytest.param("GSM", LabelKind.MOBILE, id="gsm"),
        pytest.param("Portable", LabelKind.MOBILE, id="french"),
        pytest.param("Handy", LabelKind.MOBILE, id="german"),
        pytest.param("Mobiltelefon", LabelKind.MOBILE, id="outlook-german"),
        pytest.param("Natel", LabelKind.MOBILE, id="swiss"),
        pytest.param("Móvil", LabelKind.MOBILE, id="spanish-accent"),
        pytest.param("Mobilephone", LabelKind.MOBILE, id="mobile-phone-in-one-word"),
        pytest.param("Mobieletelefoon", LabelKind.MOBILE, id="dutch-in-one-word"),
        pytest.param("Fax", LabelKind.NOT_A_PHONE, id="fax"),
        pytest.param("Business Fax", LabelKind.NOT_A_PHONE, id="business-fax"),
        pytest.param("* Home Fax", LabelKind.NOT_A_PHONE, id="home-fax"),
        pytest.param("Workfax", LabelKind.NOT_A_PHONE, id="work-fax-in-one-word"),
        pytest.param("Homefax", LabelKind.NOT_A_PHONE, id="home-fax-in-one-word"),
        pytest.param("Telefax", LabelKind.NOT_A_PHONE, id="telefax"),
        pytest.param("Télécopie", LabelKind.NOT_A_PHONE, id="french-fax"),
        pytest.param("Pager", LabelKind.NOT_A_PHONE, id="pager"),
        pytest.param("Pieper", LabelKind.NOT_A_PHONE, id="dutch-pager"),
        pytest.param("Telex", LabelKind.NOT_A_PHONE, id="telex"),
        pytest.param("Mobile Fax", LabelKind.NOT_A_PHONE, id="fax-beats-mobile"),
        pytest.param("Work", LabelKind.OWN, id="work"),
        pytest.param("Main", LabelKind.OWN, id="main"),
        pytest.param("", LabelKind.OWN, id="empty"),
        pytest.param(" * ", LabelKind.OWN, id="star-only"),
    ],
)
def test_label_words_decide_the_kind(label: str, kind: LabelKind) -> None:
    assert classify_label(label) is kind


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


def test_the_classifier_is_cached_for_the_worker() -> None:
    # The worker asks once per labelled number; a file repeats a handful of labels.
    classify_label.cache_clear()
    classify_label("Work Fax")
    classify_label("Work Fax")
    assert classify_label.cache_info().hits == 1
