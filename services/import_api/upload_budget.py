"""Load shedding for uploads: a bound on the bytes one API process receives and checks at once.

Each upload reserves its declared size (FileMetadata.size), or the largest size any format
may have when it declares none, before its first chunk is read; the reservation lasts until
the file is read, checked and stored. An upload that does not fit is refused at once
RESOURCE_EXHAUSTED (SERVER_BUSY) with RetryInfo, so memory stays bounded whatever the load
and the caller retries later or elsewhere. One upload is always let in when none is running,
so a bound below the largest file never refuses everything.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from shared.errors import Code, ContactImportError, Reason
from shared.i18n.text import t

RETRY_AFTER_SECONDS = 2.0


class UploadBudget:
    """The bytes reserved by the uploads in flight, at most `limit` (see the module)."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._in_use = 0
        self.peak = 0
        """The most bytes ever reserved at once (for tests and logs)."""

    @contextlib.contextmanager
    def reserve(self, size: int) -> Iterator[None]:
        """Hold `size` bytes for the block; raises SERVER_BUSY when they do not fit."""
        if self._in_use and self._in_use + size > self._limit:
            raise ContactImportError(
                t(
                    "This server is receiving as many uploads as it can take right now; upload "
                    "the file again in a moment."
                ),
                Reason.SERVER_BUSY,
                Code.RESOURCE_EXHAUSTED,
                retry_after=RETRY_AFTER_SECONDS,
            )
        self._in_use += size
        self.peak = max(self.peak, self._in_use)
        try:
            yield
        finally:
            self._in_use -= size
