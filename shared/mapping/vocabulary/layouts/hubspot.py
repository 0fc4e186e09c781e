"""HubSpot contact exports."""

from __future__ import annotations

from shared.mapping.fields import AddressPart as P
from shared.mapping.vocabulary.entries import (
    ADDRESS,
    COMPANY,
    MOBILE,
    PHONE,
    VocabularyEntry,
    phrases,
)

LAYOUT = "HubSpot"

ENTRIES: tuple[VocabularyEntry, ...] = (
    *phrases(PHONE, "en", "Phone Number", layout=LAYOUT),
    *phrases(MOBILE, "en", "Mobile Phone Number", layout=LAYOUT),
    *phrases(COMPANY, "en", "Company Name", layout=LAYOUT),
    *phrases(COMPANY, "en", "Associated Company", layout=LAYOUT, fallback=True),
    *phrases(None, "en", "Fax Number", "Associated Company ID", "Lifecycle Stage", layout=LAYOUT),
    *phrases(None, "en", "Last Activity Date", "Marketing contact status", layout=LAYOUT),
    *phrases(None, "en", "Primary Associated Company ID", "Lead Status", layout=LAYOUT),
    *phrases(ADDRESS, "en", "Street Address", part=P.STREET, layout=LAYOUT),
    *phrases(ADDRESS, "en", "State/Region", part=P.REGION, layout=LAYOUT),
    *phrases(ADDRESS, "en", "Country/Region", part=P.COUNTRY, layout=LAYOUT),
)
