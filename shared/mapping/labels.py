"""What a phone label says of its number: the one classifier of the preview and the import.

A label cell ("Phone 1 - Label": "* Work Mobile", "Business Fax", "Handy") or a header's
qualifier ("Telefoon (mobiel)", "Tel/Fax") is folded and read word by word, and also as a
whole without spaces and punctuation ("Workfax", "Mobilephone"), against the vocabulary's
`LABEL_WORDS`. Fax, pager and telex beat mobile. The matcher and the worker both ask here,
so a label means the same in the preview and in the import.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache

from shared.mapping.fields import ContactField
from shared.mapping.folding import compact, words
from shared.mapping.vocabulary import LABEL_WORDS

_MOBILE_WORDS = frozenset(compact(w.phrase) for w in LABEL_WORDS if w.field is not None)
_NOT_A_PHONE_WORDS = frozenset(compact(w.phrase) for w in LABEL_WORDS if w.field is None)


class LabelKind(StrEnum):
    """What a label says of the number beside it."""

    OWN = "own"  # no label or another label: the column's own field decides
    MOBILE = "mobile"
    NOT_A_PHONE = "not_a_phone"  # fax, pager, telex: not imported, not a phone


# Cached: the worker asks for every labelled number of a file, and files repeat labels.
@lru_cache(maxsize=4096)
def classify_label(label: str) -> LabelKind:
    """Classify a label ("Mobile", "* Work Fax", "Workfax", "Télécopie") by its words."""
    said = {*words(label), compact(label)}
    if said & _NOT_A_PHONE_WORDS:
        return LabelKind.NOT_A_PHONE
    if said & _MOBILE_WORDS:
        return LabelKind.MOBILE
    return LabelKind.OWN


def label_number_field(label: str, field: ContactField) -> ContactField | None:
    """The kind a phone label ("Mobile", "Work Fax") gives a number column's value.

    MOBILE for a mobile label, None for fax, pager and telex (not phones: not imported),
    else `field` unchanged.
    """
    kind = classify_label(label)
    if kind is LabelKind.NOT_A_PHONE:
        return None
    if kind is LabelKind.MOBILE:
        return ContactField.MOBILE
    return field
