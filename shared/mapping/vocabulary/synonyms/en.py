"""English spellings of hand-made sheets, per field."""

from __future__ import annotations

from shared.mapping.fields import AddressPart as P
from shared.mapping.vocabulary.entries import (
    ADDRESS,
    COMPANY,
    EMAIL,
    FIRST,
    FULL,
    LAST,
    MOBILE,
    NOTES,
    PHONE,
    VocabularyEntry,
    phrases,
)

ENTRIES: tuple[VocabularyEntry, ...] = (
    # Names.
    *phrases(FIRST, "en", "First name", "Firstname", "Given name", "Given names", "Forename"),
    *phrases(LAST, "en", "Last name", "Lastname", "Surname", "Family name"),
    *phrases(FULL, "en", "Full name", "Display name", "Contact name", "Contact person"),
    *phrases(FULL, "en", "Customer name", "Client name", "Formatted name"),
    *phrases(FULL, "en", "Contact", "Customer", "Client", fallback=True),
    VocabularyEntry(phrase="Name", field=FULL, language="en", with_first_name=LAST),
    *phrases(None, "en", "Middle name", "Middle names", "Additional name", "Initials"),
    *phrases(None, "en", "Title", "Salutation", "Prefix", "Suffix", "Name prefix"),
    *phrases(None, "en", "Name suffix", "Nickname"),
    # Company.
    *phrases(COMPANY, "en", "Company", "Company name", "Organization", "Organisation"),
    *phrases(COMPANY, "en", "Organization name", "Organisation name", "Business name"),
    *phrases(COMPANY, "en", "Employer", "Society"),
    # E-mail.
    *phrases(EMAIL, "en", "E-mail", "Email address", "E-mail address", "Mail"),
    *phrases(EMAIL, "en", "Mail address", "Email addresses", "E-mail addresses"),
    # Phone.
    *phrases(PHONE, "en", "Phone number", "Telephone", "Telephone number", "Tel", "Tel."),
    *phrases(PHONE, "en", "Phone no", "Tel no", "Contact number", "Landline", "Phone numbers"),
    *phrases(PHONE, "en", "All phone numbers", "Video phone", "Phone video"),
    # "officenumber", "homenumber": a group word before "number" alone is a phone.
    *phrases(PHONE, "en", "Office number", "Work number", "Business number", "Home number"),
    # Mobile.
    *phrases(MOBILE, "en", "Mobile phone", "Mobile number", "Mobile phone number", "Cell"),
    *phrases(MOBILE, "en", "Cell phone", "Cellphone", "Cell number", "Cellular", "Mobile no"),
    # Numbers that are not phones anywhere.
    *phrases(None, "en", "Fax", "Fax number", "Telefax", "Pager", "Telex", "Beeper"),
    # Whole addresses.
    *phrases(ADDRESS, "en", "Postal address", "Mailing address", "Full address"),
    *phrases(ADDRESS, "en", "Complete address"),
    *phrases(ADDRESS, "en", "Home address", "Billing address", "Shipping address"),
    # Address parts.
    *phrases(ADDRESS, "en", "Street", "Street address", "Address line 1", part=P.STREET),
    *phrases(ADDRESS, "en", "Address line 2", "Address line 3", "Street name", part=P.STREET),
    *phrases(ADDRESS, "en", "Street 1", "Street1", part=P.STREET),
    *phrases(ADDRESS, "en", "House number", part=P.STREET, house_number=True),
    *phrases(ADDRESS, "en", "Extended address", "Address line extra", part=P.EXTENDED),
    *phrases(ADDRESS, "en", "PO Box", "P.O. Box", "Post office box", part=P.PO_BOX),
    *phrases(ADDRESS, "en", "Address PO Box", part=P.PO_BOX),
    *phrases(ADDRESS, "en", "Postal code", "Postcode", "Post code", "Zip", part=P.POSTAL_CODE),
    *phrases(ADDRESS, "en", "Zip code", "Zipcode", "Zip/Postal code", part=P.POSTAL_CODE),
    *phrases(ADDRESS, "en", "Postal/Zip code", part=P.POSTAL_CODE),
    *phrases(ADDRESS, "en", "City", "Town", "City/Town", "Locality", part=P.CITY),
    *phrases(ADDRESS, "en", "State", "Province", "Region", part=P.REGION),
    # A US sheet writes both "State" and "County": the county is a region only alone (UK).
    *phrases(ADDRESS, "en", "County", part=P.REGION, fallback=True),
    *phrases(ADDRESS, "en", "State/Province", "State/Region", "Province/State", part=P.REGION),
    *phrases(ADDRESS, "en", "Country", "Country/Region", "Country code", part=P.COUNTRY),
    # Notes.
    *phrases(NOTES, "en", "Notes", "Note", "Comments", "Comment", "Remarks", "Memo"),
    # Columns that hold no contact data: they stay unmapped (listed so that a reader sees
    # they are known, and so that no composed spelling ever maps them).
    *phrases(None, "en", "Id", "Record ID", "Contact ID", "Customer ID", "Created"),
    *phrases(None, "en", "Created date", "Create date", "Created at", "Modified", "Updated"),
    *phrases(None, "en", "Last modified", "Owner", "Contact owner", "Job title", "Position"),
    *phrases(None, "en", "Department", "Website", "Web page", "Website URL", "URL"),
    *phrases(None, "en", "Birthday", "Birthdate", "Date of birth", "Anniversary", "Labels"),
    *phrases(None, "en", "Groups", "Group membership", "Categories", "Tags", "Balance"),
    *phrases(None, "en", "Open balance", "Gender", "Language", "Photo", "Lead status"),
)
