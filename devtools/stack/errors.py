"""The errors of the local stack."""

from __future__ import annotations


class StackError(RuntimeError):
    """Raised when the stack cannot start, or a part of it stopped on its own."""


class StackBusy(StackError):
    """Raised when another supervisor holds the state folder."""


class EmbeddedError(StackError):
    """Raised when an embedded server cannot be started or stopped."""
