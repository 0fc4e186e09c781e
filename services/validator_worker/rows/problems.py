"""What is wrong with a row: a reason code and a message naming the column, per problem.

Messages may quote a value (they go to the failure workbook of the user who uploaded the
file), so they are never logged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from shared.errors import Reason
from shared.mapping.fields import MAX_VALUES_PER_KIND


@dataclass(frozen=True)
class RowProblem:
    """One broken row rule: its reason code and a message that names the column."""

    reason: Reason
    message: str


@dataclass(frozen=True)
class RejectedRow:
    """A row that is not imported: its original cells (every header, in order) and why."""

    source_row: int
    values: list[str]
    problems: list[RowProblem]


def columns_text(headers: Sequence[str]) -> str:
    names = ", ".join(f'"{h}"' for h in dict.fromkeys(headers))
    return f"Column {names}" if len(set(headers)) == 1 else f"Columns {names}"


def too_long(where: str, length: int, limit: int) -> RowProblem:
    return RowProblem(
        Reason.VALUE_TOO_LONG, f"{where}: {length:,} characters; at most {limit:,} allowed."
    )


def too_many(headers: Sequence[str], count: int, what: str) -> RowProblem:
    return RowProblem(
        Reason.TOO_MANY_VALUES,
        f"{columns_text(headers)}: {count} {what}; at most {MAX_VALUES_PER_KIND} per contact.",
    )
