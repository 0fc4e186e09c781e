"""The import lifecycle: its states, the moves between them, and the guards every query uses.

    UPLOADED --StartImport--> QUEUED --claim--> RUNNING --finish--> SUCCEEDED
                                 |                 |  ^             PARTIALLY_SUCCEEDED
                                 |                 +--+ takeover    FAILED
                                 +----------fail (retries exhausted)--> FAILED

Beside the state, an import can be *deleted* (DeleteImport: its contacts removed; only a
settled import, never QUEUED or RUNNING) and *purged* (retention: its stored file and
workbook removed). A purged import, or one created before the history window, is absent
to every caller; a deleted one stays visible in the history for a few days but is never
queued or claimed again. The store guards each state change with `may_move_to`, so the SQL
and this table cannot disagree.
"""

from __future__ import annotations

from enum import StrEnum


class ImportState(StrEnum):
    """The lifecycle of an import (the proto's ContactImport.State without prefix)."""

    UPLOADED = "UPLOADED"
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    PARTIALLY_SUCCEEDED = "PARTIALLY_SUCCEEDED"
    FAILED = "FAILED"

    @property
    def terminal(self) -> bool:
        return self in TERMINAL_STATES

    def can_move_to(self, target: ImportState) -> bool:
        return target in TRANSITIONS[self]

    @property
    def settled(self) -> bool:
        """Whether no worker may touch it now (so it can be deleted)."""
        return self not in (ImportState.QUEUED, ImportState.RUNNING)


TERMINAL_STATES = frozenset(
    {ImportState.SUCCEEDED, ImportState.PARTIALLY_SUCCEEDED, ImportState.FAILED}
)

# Every allowed move, from -> to. RUNNING -> RUNNING is a takeover of a crashed worker's
# import once its lease has run out.
TRANSITIONS: dict[ImportState, frozenset[ImportState]] = {
    ImportState.UPLOADED: frozenset({ImportState.QUEUED}),
    ImportState.QUEUED: frozenset({ImportState.RUNNING, ImportState.FAILED}),
    ImportState.RUNNING: frozenset({ImportState.RUNNING} | TERMINAL_STATES),
    ImportState.SUCCEEDED: frozenset(),
    ImportState.PARTIALLY_SUCCEEDED: frozenset(),
    ImportState.FAILED: frozenset(),
}


def sources_of(target: ImportState) -> frozenset[ImportState]:
    """The states an import may be in to move to `target`."""
    return frozenset(source for source, targets in TRANSITIONS.items() if target in targets)


def may_move_to(alias: str, target: ImportState) -> str:
    """SQL: `alias.state` is one from which the import may move to `target`.

    The states are this module's constants, never caller input, so they are inlined.
    """
    states = ", ".join(f"'{state.value}'" for state in sorted(sources_of(target)))
    return f"{alias}.state IN ({states})"


def in_history(alias: str, created_after: str) -> str:
    """SQL: the import exists for callers (not purged, created inside the window).

    `created_after` is a timestamptz parameter; NULL means no window (the worker's view).
    """
    return (
        f"{alias}.purged_at IS NULL"
        f" AND ({created_after}::timestamptz IS NULL OR {alias}.created_at >= {created_after})"
    )


def live(alias: str, created_after: str) -> str:
    """SQL: the import is in the history and not deleted, so it may still change state."""
    return f"{in_history(alias, created_after)} AND {alias}.deleted_at IS NULL"
