"""vCard-to-CSV converters: property names with a type and a number."""

from __future__ import annotations

from shared.mapping.vocabulary.entries import (
    COMPANY,
    EMAIL,
    FIRST,
    FULL,
    LAST,
    MOBILE,
    PHONE,
    VocabularyEntry,
    phrases,
)

LAYOUT = "vCard converter"

ENTRIES: tuple[VocabularyEntry, ...] = (
    *phrases(FULL, "en", "FormattedName", "FullName", layout=LAYOUT),
    *phrases(FIRST, "en", "GivenNames", layout=LAYOUT),
    *phrases(LAST, "en", "FamilyName", "FamilyNames", layout=LAYOUT),
    *phrases(
        None, "en", "AdditionalNames", "HonorificPrefixes", "HonorificSuffixes", layout=LAYOUT
    ),
    *phrases(MOBILE, "en", "TelCell", "TelMobile", layout=LAYOUT),
    *phrases(PHONE, "en", "TelVoice", "TelWork", "TelHome", "TelMain", "Tel", layout=LAYOUT),
    # TYPE=text: the number takes text messages (a mobile); TYPE=textphone is a TTY line,
    # a phone like Outlook's "TTY/TDD Phone".
    *phrases(MOBILE, "en", "TelText", layout=LAYOUT),
    *phrases(PHONE, "en", "TelVideo", "TelTextphone", layout=LAYOUT),
    *phrases(None, "en", "TelFax", "TelPager", layout=LAYOUT),
    *phrases(EMAIL, "en", "EmailWork", "EmailHome", "EmailInternet", layout=LAYOUT),
    # "EmailPref" holds the name of the preferred column ("EmailWork"), not an address.
    *phrases(None, "en", "EmailPref", "Prefixes", "Suffixes", "Unit", layout=LAYOUT),
    *phrases(EMAIL, "en", "EmailOther", layout=LAYOUT),
    *phrases(COMPANY, "en", "Org", layout=LAYOUT),
    *phrases(None, "en", "Role", "Url", "Bday", "Rev", "Uid", layout=LAYOUT),
)
