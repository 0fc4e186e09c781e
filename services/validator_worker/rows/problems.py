"""What is wrong with a row: a reason code and a message naming the column, per problem.

Messages may quote a value (they go to the failure workbook of the user who uploaded the
file), so they are never logged.
"""

from __future__ import annotations

from collections.abc import Sequence

from shared.errors import Reason
from shared.i18n.text import Param, Text, t, tn
from shared.mapping.fields import MAX_VALUES_PER_KIND, ContactField
from shared.rejected_rows import RejectedRow, RowProblem

__all__ = ["RejectedRow", "RowProblem", "columns_text", "too_long", "too_many"]


def columns_text(headers: Sequence[str]) -> Text:
    """The columns a problem is in, by header: 'Column "Tel"' or 'Columns "Tel", "Mobiel"'."""
    distinct = list(dict.fromkeys(headers))
    names = ", ".join(f'"{h}"' for h in distinct)
    # Translators: {names} is one header of the file (or, plural, several headers,
    # comma-separated), each in double quotes, e.g. "Telefoon", "Mobiel".
    return tn(
        "Column {names}",
        "Columns {names}",
        len(distinct),
        names=names,
    )


def too_long(where: Text, length: int, limit: int) -> RowProblem:
    """A value longer than its field holds; `where` is columns_text of its columns."""
    return RowProblem(
        Reason.VALUE_TOO_LONG,
        # Translators: {columns} is e.g. 'Column "Notes"'; {length} is the value's length.
        t(
            "{columns}: {length} characters; at most {limit} allowed.",
            columns=where,
            length=length,
            limit=limit,
        ),
    )


def too_many(headers: Sequence[str], count: int, kind: ContactField) -> RowProblem:
    """More distinct values of one kind (e-mail, phone, mobile, address) than a contact holds."""
    params: dict[str, Param] = {
        "columns": columns_text(headers),
        "count": count,
        "limit": MAX_VALUES_PER_KIND,
    }
    if kind is ContactField.EMAIL:
        # Translators: {columns} is e.g. 'Column "Tel"'; {count} is more than {limit}.
        message = t("{columns}: {count} e-mail addresses; at most {limit} per contact.", **params)
    elif kind is ContactField.PHONE:
        # Translators: {columns} is e.g. 'Column "Tel"'; {count} is more than {limit}.
        message = t("{columns}: {count} phone numbers; at most {limit} per contact.", **params)
    elif kind is ContactField.MOBILE:
        # Translators: {columns} is e.g. 'Column "Tel"'; {count} is more than {limit}.
        message = t("{columns}: {count} mobile numbers; at most {limit} per contact.", **params)
    elif kind is ContactField.ADDRESS:
        # Translators: {columns} is e.g. 'Column "Tel"'; {count} is more than {limit}.
        message = t("{columns}: {count} addresses; at most {limit} per contact.", **params)
    else:
        raise ValueError(f"{kind} holds one value, not several")
    return RowProblem(Reason.TOO_MANY_VALUES, message)
