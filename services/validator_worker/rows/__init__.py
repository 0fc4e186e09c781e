"""Checking rows: the row checker and the rules it applies, one module per kind of value.

`row_checker` applies a mapping to Arrow batches; `phone_rules`, `email_rules` and
`address_rules` check and normalise one kind of value; `value_cleaning` trims and splits
cells; `problems` holds what is wrong with a row.
"""
