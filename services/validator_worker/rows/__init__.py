"""Checking rows: the row checker and the rules it applies, one module per kind of value.

`row_checker` applies a mapping to Arrow batches; `phone_rules`, `email_rules` and
`address_rules` check and normalise one kind of value; `problems` holds what is wrong
with a row. Cells are trimmed and split by `shared.value_cleaning` (the API uses it too).
"""
