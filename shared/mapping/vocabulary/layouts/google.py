"""Google Contacts: the current "Google CSV" export and the legacy layout."""

from __future__ import annotations

from shared.mapping.fields import AddressPart as P
from shared.mapping.vocabulary.entries import (
    COMPANY,
    EMAIL,
    FULL,
    PHONE,
    VocabularyEntry,
    group_parts,
    phrases,
)

LAYOUT = "Google Contacts"

ENTRIES: tuple[VocabularyEntry, ...] = (
    *phrases(FULL, "en", "Name", layout=LAYOUT),
    *phrases(COMPANY, "en", "Organization Name", "Organization # - Name", layout=LAYOUT),
    *phrases(None, "en", "Organization Title", "Organization Department", layout=LAYOUT),
    *phrases(None, "en", "Organization # - Title", "Organization # - Department", layout=LAYOUT),
    *phrases(None, "en", "Organization # - Type", "Organization # - Yomi Name", layout=LAYOUT),
    *phrases(None, "en", "Organization # - Symbol", "Organization # - Location", layout=LAYOUT),
    *phrases(
        None, "en", "Organization # - Job Description", "Organization # - Label", layout=LAYOUT
    ),
    *phrases(None, "en", "Phonetic First Name", "Phonetic Middle Name", layout=LAYOUT),
    *phrases(None, "en", "Phonetic Last Name", "File As", "Group Membership", layout=LAYOUT),
    *phrases(
        None, "en", "Given Name Yomi", "Family Name Yomi", "Additional Name Yomi", layout=LAYOUT
    ),
    *phrases(None, "en", "Yomi Name", "Short Name", "Maiden Name", "Occupation", layout=LAYOUT),
    *phrases(None, "en", "Billing Information", "Directory Server", "Mileage", layout=LAYOUT),
    *phrases(None, "en", "Sensitivity", "Priority", "Subject", "Hobby", "Location", layout=LAYOUT),
    *(
        VocabularyEntry(
            phrase=f"{kind} # - Value",
            field=field,
            language="en",
            layout=LAYOUT,
            labels=(f"{kind} # - Label", f"{kind} # - Type"),
        )
        for kind, field in (("E-mail", EMAIL), ("Phone", PHONE))
    ),
    *phrases(None, "en", "E-mail # - Label", "E-mail # - Type", layout=LAYOUT),
    *phrases(None, "en", "Phone # - Label", "Phone # - Type", layout=LAYOUT),
    *phrases(None, "en", "Address # - Label", "Address # - Type", layout=LAYOUT),
    *phrases(
        None, "en", "Website # - Label", "Website # - Type", "Website # - Value", layout=LAYOUT
    ),
    *phrases(
        None, "en", "IM # - Label", "IM # - Type", "IM # - Service", "IM # - Value", layout=LAYOUT
    ),
    *phrases(
        None, "en", "Relation # - Label", "Relation # - Type", "Relation # - Value", layout=LAYOUT
    ),
    *phrases(None, "en", "Event # - Label", "Event # - Type", "Event # - Value", layout=LAYOUT),
    *phrases(None, "en", "Custom Field # - Label", "Custom Field # - Type", layout=LAYOUT),
    *phrases(None, "en", "Custom Field # - Value", "Jot # - Type", "Jot # - Value", layout=LAYOUT),
    *group_parts(
        LAYOUT,
        "en",
        {
            f"Address # - {spelled}": ("Address #", part)
            for spelled, part in (
                ("Formatted", P.FORMATTED),
                ("Street", P.STREET),
                ("City", P.CITY),
                ("PO Box", P.PO_BOX),
                ("Region", P.REGION),
                ("Postal Code", P.POSTAL_CODE),
                ("Country", P.COUNTRY),
                ("Extended Address", P.EXTENDED),
            )
        },
    ),
)
