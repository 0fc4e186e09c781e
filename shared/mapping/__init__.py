"""Matching a file's headers to contact fields, and the rules a mapping must pass.

`fields` (the contact fields and a mapping of columns to them), `folding` (how headers and
search text are compared), `vocabulary/` (what spellings mean, as data), `labels` (what a
phone label says, for the preview and the import alike), `spellings` (one header looked up),
`address_groups`, `matcher` (`suggest_mapping`), `explanations` (why each header is mapped
or left out), `rules` (`check_mapping`), `duplicates` (the repeated-header rule of an
upload) and `signature` (the key of a remembered mapping).
"""
