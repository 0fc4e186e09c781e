"""Receiving an upload stream: size limit while streaming, declared size and checksum."""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import hashlib
import logging
import re
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from services.import_api.requests import MAX_REQUEST_ID
from services.import_api.upload_budget import RETRY_AFTER_SECONDS
from shared.errors import (
    Code,
    ContactImportError,
    FieldViolation,
    FileRejected,
    InvalidRequest,
    Reason,
)
from shared.i18n.text import Text, t, tn
from shared.spreadsheet.encodings import DECLARABLE, declared_encoding
from shared.spreadsheet.formats import detect_format
from shared.spreadsheet.sheet import MAX_DATA_ROWS, MB, SIZE_LIMITS, FileFormat

log = logging.getLogger(__name__)

# Enough bytes to tell every format apart by content.
SNIFF_BYTES = 512
# An upload up to this size stays in memory; a larger one is spooled to a temporary file.
SPOOL_IN_MEMORY = 1 << 18
MAX_FILE_NAME = 255
LARGEST_LIMIT = max(SIZE_LIMITS.values())
_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")


@dataclass(frozen=True)
class UploadMeta:
    """What the first message of an upload says of the file."""

    file_name: str
    size: int = 0
    sha256: str = ""
    encoding: str = ""
    """The text encoding the caller declared ("" for none), as check_meta leaves it: the
    API's name (windows-1252) for any spelling given."""
    request_id: str = ""
    """The caller's id for this upload ("" for none): a retry with it gets the same import."""


@dataclass(frozen=True)
class ReceivedFile:
    """A whole uploaded file, its format decided by content; `close` (or `with`) frees it."""

    meta: UploadMeta
    format: FileFormat
    file: BinaryIO
    """The file as it arrived: in memory up to SPOOL_IN_MEMORY, beyond that in a temporary
    file (under TMPDIR) that closing removes."""
    size: int
    sha256: str

    def close(self) -> None:
        self.file.close()

    def __enter__(self) -> ReceivedFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def check_meta(meta: UploadMeta) -> UploadMeta:
    """Refuse bad metadata before reading any chunk; the metadata with its encoding's name."""
    violations = []
    encoding = ""
    try:
        encoding = declared_encoding(meta.encoding)
    except ValueError:
        violations.append(
            FieldViolation(
                "metadata.encoding",
                # Translators: {accepted} lists the encodings' names (utf-8, utf-16, ...).
                t(
                    "Not an encoding a CSV or vCard is read in; give one of {accepted}, or "
                    "leave it empty for UTF-8.",
                    accepted=", ".join(DECLARABLE),
                ),
            )
        )
    if not meta.file_name.strip():
        violations.append(FieldViolation("metadata.file_name", t("Give the file's name.")))
    elif len(meta.file_name) > MAX_FILE_NAME:
        violations.append(
            FieldViolation("metadata.file_name", t("At most {max} characters.", max=MAX_FILE_NAME))
        )
    if meta.size < 0:
        violations.append(FieldViolation("metadata.size", t("The size cannot be negative.")))
    if len(meta.request_id) > MAX_REQUEST_ID:
        violations.append(
            FieldViolation(
                "metadata.request_id", t("At most {max} characters.", max=MAX_REQUEST_ID)
            )
        )
    if meta.sha256 and not _SHA256.match(meta.sha256):
        violations.append(
            FieldViolation("metadata.sha256", t("Give the SHA-256 as 64 hexadecimal characters."))
        )
    if violations:
        raise InvalidRequest(t("The upload's metadata is not valid."), violations)
    if meta.size > LARGEST_LIMIT:
        raise _too_large(None, meta.size)
    return dataclasses.replace(meta, encoding=encoding)


def _too_large_message(fmt: FileFormat | None) -> Text:
    """Why the file is refused and what to do instead, one sentence per case."""
    csv_mb = SIZE_LIMITS[FileFormat.CSV] // MB
    if fmt is None:
        # Translators: {csv} is the CSV and vCard limit in MB, {xls} and {xlsx} the others;
        # {rows} is the most contacts one file may hold.
        return t(
            "The file is larger than any accepted format allows (CSV and vCard {csv} MB, XLS "
            "{xls} MB, XLSX {xlsx} MB); split it into smaller files (at most {rows} contacts "
            "each) or save it as CSV UTF-8, which may be up to {csv} MB.",
            csv=csv_mb,
            xls=SIZE_LIMITS[FileFormat.XLS] // MB,
            xlsx=SIZE_LIMITS[FileFormat.XLSX] // MB,
            rows=MAX_DATA_ROWS,
        )
    if fmt is FileFormat.VCARD:
        # Translators: {limit} is the vCard limit in MB; {rows} is the most contacts (cards)
        # one file may hold.
        return t(
            "This vCard file is larger than {limit} MB, the limit for vCard; export the "
            "contacts in smaller files (at most {rows} cards each), or leave the photos out.",
            limit=SIZE_LIMITS[FileFormat.VCARD] // MB,
            rows=MAX_DATA_ROWS,
        )
    if fmt is FileFormat.CSV:
        # Translators: {limit} is the CSV limit in MB; {rows} is the most contacts one file
        # may hold.
        return t(
            "This CSV file is larger than {limit} MB, the limit for CSV; split it into "
            "smaller files (at most {rows} contacts each).",
            limit=csv_mb,
            rows=MAX_DATA_ROWS,
        )
    # Translators: {format} is XLSX or XLS; {limit} is that format's limit in MB; {rows} is
    # the most contacts one file may hold; {csv} is the CSV limit in MB.
    return t(
        "This {format} file is larger than {limit} MB, the limit for {format}; split it into "
        "smaller files (at most {rows} contacts each) or save it as CSV UTF-8, which may be "
        "up to {csv} MB.",
        format=fmt.name,
        limit=SIZE_LIMITS[fmt] // MB,
        rows=MAX_DATA_ROWS,
        csv=csv_mb,
    )


def _too_large(fmt: FileFormat | None, size: int | None) -> FileRejected:
    limit = str(SIZE_LIMITS[fmt]) if fmt else str(LARGEST_LIMIT)
    return FileRejected(
        Reason.FILE_TOO_LARGE,
        _too_large_message(fmt),
        limit_bytes=limit,
        **({"size": str(size)} if size else {}),
    )


def _size_mismatch(declared: int, arrived: int) -> FileRejected:
    return FileRejected(
        Reason.SIZE_MISMATCH,
        # Translators: {count} is the size in bytes the upload gave, {arrived} the number
        # of bytes that arrived.
        tn(
            "The upload said the file has {count} byte but {arrived} arrived; upload it again.",
            "The upload said the file has {count} bytes but {arrived} arrived; upload it again.",
            declared,
            arrived=arrived,
        ),
    )


async def receive(meta: UploadMeta, chunks: AsyncIterator[bytes]) -> ReceivedFile:
    """Spool the chunks, refusing at the first byte over the format's limit.

    The API holds at most SPOOL_IN_MEMORY bytes of an upload in memory: the rest goes to a
    temporary file as it arrives (writes to the page cache, a few microseconds a chunk).
    """
    meta = check_meta(meta)
    # Closed by the caller through the ReceivedFile, or below when the upload is refused.
    spooled = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
    spool: BinaryIO = spooled  # type: ignore[assignment]
    try:
        received = await _spool(meta, chunks, spool)
    except BaseException:
        spool.close()
        raise
    return received


async def _spool(meta: UploadMeta, chunks: AsyncIterator[bytes], spool: BinaryIO) -> ReceivedFile:
    digest = hashlib.sha256()
    fmt: FileFormat | None = None
    limit = LARGEST_LIMIT
    size = 0
    head = b""
    async for chunk in chunks:
        if not chunk:
            continue
        if size + len(chunk) > limit:
            raise _too_large(fmt, meta.size or None)
        if meta.size and size + len(chunk) > meta.size:
            # More than declared: refused at once (the upload reserved the declared size).
            raise _size_mismatch(meta.size, size + len(chunk))
        spool.write(chunk)
        digest.update(chunk)
        size += len(chunk)
        if fmt is None:
            head += chunk[: SNIFF_BYTES - len(head)]
            if size >= SNIFF_BYTES:
                fmt = detect_format(head, meta.encoding)
                limit = SIZE_LIMITS[fmt]
                if meta.size > limit:
                    raise _too_large(fmt, meta.size)
                if size > limit:
                    raise _too_large(fmt, meta.size or None)
    if size == 0:
        raise FileRejected(
            Reason.EMPTY_FILE,
            t("The file is empty; upload a file with a header row and contacts."),
        )
    if fmt is None:
        fmt = detect_format(head, meta.encoding)
        if size > SIZE_LIMITS[fmt]:
            raise _too_large(fmt, size)
    if meta.size and meta.size != size:
        raise _size_mismatch(meta.size, size)
    checksum = digest.hexdigest()
    if meta.sha256 and meta.sha256.lower() != checksum:
        raise FileRejected(
            Reason.CHECKSUM_MISMATCH,
            t("The file that arrived does not match the SHA-256 the upload gave; upload it again."),
        )
    spool.seek(0)
    return ReceivedFile(meta, fmt, spool, size, checksum)


@contextlib.contextmanager
def room_to_spool() -> Iterator[None]:
    """A full temporary folder (ENOSPC, EDQUOT) refuses the upload SERVER_BUSY, to be retried
    (on another replica, or once other uploads are done), instead of failing it INTERNAL."""
    try:
        yield
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        log.error("no room for uploads under %s: %s", tempfile.gettempdir(), exc.strerror)
        raise ContactImportError(
            t(
                "This server has no room for the upload right now; upload the file again in "
                "a moment."
            ),
            Reason.SERVER_BUSY,
            Code.RESOURCE_EXHAUSTED,
            retry_after=RETRY_AFTER_SECONDS,
        ) from None
