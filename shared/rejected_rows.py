"""A rejected row: its original cells and its problems, each a reason code and a text.

The worker makes them; the failure workbook shows them (shared.failure_workbook) in the
import's language, and they are stored as codes + parameters (`to_json`) so the API can
write the workbook again in another language. Their texts may quote a value (they go to
the workbook of the user who uploaded the file), so they are never logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.errors import Reason
from shared.i18n.text import Text


@dataclass(frozen=True)
class RowProblem:
    """One broken row rule: its reason code and a text that names the column."""

    reason: Reason
    message: Text


@dataclass(frozen=True)
class RejectedRow:
    """A row that is not imported: its original cells (every header, in order) and why."""

    source_row: int
    values: list[str]
    problems: list[RowProblem]

    def to_json(self) -> list[Any]:
        return [
            self.source_row,
            self.values,
            [[p.reason.value, p.message.to_json()] for p in self.problems],
        ]

    @classmethod
    def from_json(cls, data: list[Any]) -> RejectedRow:
        row, values, problems = data
        return cls(row, values, [RowProblem(Reason(r), Text.from_json(m)) for r, m in problems])
