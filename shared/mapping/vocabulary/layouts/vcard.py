"""vCard files (.vcf): the columns shared.spreadsheet.vcard_reader writes for their cards.

The reader names its columns in English whatever the cards' language, so a vCard upload
(and its failure workbook, uploaded again with "Row" and "Reason") maps without a question:

- "Full name", "First name", "Last name", "Company", "Notes": the fields' own names (an
  exact name wins over any entry; they are listed here to say the layout writes them).
- "E-mail n", "Mobile n", "Phone n", "Fax n" are no entries on purpose: the field names with
  a number already map ("E-mail 1" exactly, "E-mail 2" as its numbered repeat, "Fax n" as
  not a phone), and a "E-mail #" pattern would claim every tool's "Email1" and "Phone 2"
  (compared folded, "E-mail 1" is "Email1") as a vCard column.
- "Address n - part": the group "Address n". Google's export spells the same headers, and
  the matcher gives a spelling two layouts share to the first layout module (google), so
  the preview names Google Contacts for these columns; the mapping is the same.
- "Address n - Type": the ADR's TYPE or Apple label ("Home", "Work"), shown, not imported.
"""

from __future__ import annotations

from shared.mapping.fields import AddressPart as P
from shared.mapping.vocabulary.entries import (
    COMPANY,
    FIRST,
    FULL,
    LAST,
    NOTES,
    VocabularyEntry,
    group_parts,
    phrases,
)

LAYOUT = "vCard"

ENTRIES: tuple[VocabularyEntry, ...] = (
    *phrases(FULL, "en", "Full name", layout=LAYOUT),
    *phrases(FIRST, "en", "First name", layout=LAYOUT),
    *phrases(LAST, "en", "Last name", layout=LAYOUT),
    *phrases(COMPANY, "en", "Company", layout=LAYOUT),
    *phrases(None, "en", "Address # - Type", layout=LAYOUT),
    *group_parts(
        LAYOUT,
        "en",
        {
            f"Address # - {spelled}": ("Address #", part)
            for spelled, part in (
                ("Street", P.STREET),
                ("Extended address", P.EXTENDED),
                ("PO box", P.PO_BOX),
                ("City", P.CITY),
                ("Region", P.REGION),
                ("Postal code", P.POSTAL_CODE),
                ("Country", P.COUNTRY),
            )
        },
    ),
    *phrases(NOTES, "en", "Notes", layout=LAYOUT),
)
