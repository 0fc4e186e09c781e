"""QuickBooks Online customer lists."""

from __future__ import annotations

from shared.mapping.vocabulary.entries import (
    ADDRESS,
    FULL,
    PHONE,
    VocabularyEntry,
    phrases,
)

LAYOUT = "QuickBooks Online"

ENTRIES: tuple[VocabularyEntry, ...] = (
    *phrases(FULL, "en", "Customer", layout=LAYOUT, fallback=True),
    *phrases(PHONE, "en", "Phone Numbers", layout=LAYOUT),
    *phrases(ADDRESS, "en", "Billing Address", "Shipping Address", layout=LAYOUT),
    *phrases(
        None,
        "en",
        "Customer Type",
        "Terms",
        "Open Balance",
        "Attachments",
        "Currency",
        layout=LAYOUT,
    ),
)
