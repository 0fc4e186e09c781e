"""Salesforce contact reports (labels) and Data Loader exports (API names).

Footer lines of reports are rows, not headers: the reader drops them, nothing to list here."""

from __future__ import annotations

from shared.mapping.fields import AddressPart as P
from shared.mapping.vocabulary.entries import (
    ADDRESS,
    COMPANY,
    MOBILE,
    NOTES,
    PHONE,
    VocabularyEntry,
    group_parts,
    phrases,
)

LAYOUT = "Salesforce"

ENTRIES: tuple[VocabularyEntry, ...] = (
    *phrases(COMPANY, "en", "Account Name", "Account: Account Name", layout=LAYOUT),
    *phrases(MOBILE, "en", "Mobile", "MobilePhone", layout=LAYOUT),
    *phrases(PHONE, "en", "HomePhone", "OtherPhone", layout=LAYOUT),
    *phrases(
        None, "en", "Asst. Phone", "AssistantPhone", "Assistant", "Lead Source", layout=LAYOUT
    ),
    *phrases(None, "en", "Contact Owner", "Account ID", "AccountId", layout=LAYOUT),
    *phrases(NOTES, "en", "Description", layout=LAYOUT),
    *phrases(ADDRESS, "en", "Mailing Address", "Other Address", layout=LAYOUT),
    *group_parts(
        LAYOUT,
        "en",
        {
            f"{group} {spelled}": (group, part)
            for group in ("Mailing", "Other", "Billing", "Shipping")
            for spelled, part in (
                ("Street", P.STREET),
                ("City", P.CITY),
                ("State/Province", P.REGION),
                ("State", P.REGION),
                ("Zip/Postal Code", P.POSTAL_CODE),
                ("PostalCode", P.POSTAL_CODE),
                ("Country", P.COUNTRY),
            )
        },
    ),
)
