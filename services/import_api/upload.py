"""Receiving an upload stream: size limit while streaming, declared size and checksum."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

from shared.errors import FieldViolation, FileRejected, InvalidRequest, Reason
from shared.spreadsheet.formats import detect_format
from shared.spreadsheet.sheet import MAX_DATA_ROWS, MB, SIZE_LIMITS, FileFormat

# Enough bytes to tell every format apart by content.
SNIFF_BYTES = 512
MAX_FILE_NAME = 255
LARGEST_LIMIT = max(SIZE_LIMITS.values())
_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")


@dataclass(frozen=True)
class UploadMeta:
    """What the first message of an upload says of the file."""

    file_name: str
    size: int = 0
    sha256: str = ""


@dataclass(frozen=True)
class ReceivedFile:
    """A whole uploaded file, its format decided by content."""

    meta: UploadMeta
    format: FileFormat
    data: bytes
    sha256: str


def check_meta(meta: UploadMeta) -> None:
    """Refuse bad metadata before reading any chunk."""
    violations = []
    if not meta.file_name.strip():
        violations.append(FieldViolation("metadata.file_name", "Give the file's name."))
    elif len(meta.file_name) > MAX_FILE_NAME:
        violations.append(
            FieldViolation("metadata.file_name", f"At most {MAX_FILE_NAME} characters.")
        )
    if meta.size < 0:
        violations.append(FieldViolation("metadata.size", "The size cannot be negative."))
    if meta.sha256 and not _SHA256.match(meta.sha256):
        violations.append(
            FieldViolation("metadata.sha256", "Give the SHA-256 as 64 hexadecimal characters.")
        )
    if violations:
        raise InvalidRequest("The upload's metadata is not valid.", violations)
    if meta.size > LARGEST_LIMIT:
        raise _too_large(None, meta.size)


def _too_large(fmt: FileFormat | None, size: int | None) -> FileRejected:
    if fmt is None:
        limits = ", ".join(f"{f.name} {lim // MB} MB" for f, lim in SIZE_LIMITS.items())
        what = f"The file is larger than any accepted format allows ({limits})"
    else:
        limit_mb = SIZE_LIMITS[fmt] // MB
        what = f"This {fmt.name} file is larger than {limit_mb} MB, the limit for {fmt.name}"
    hint = (
        f"; split it into smaller files (at most {MAX_DATA_ROWS:,} contacts each)"
        + (
            f" or save it as CSV UTF-8, which may be up to {SIZE_LIMITS[FileFormat.CSV] // MB} MB"
            if fmt is not FileFormat.CSV
            else ""
        )
        + "."
    )
    limit = str(SIZE_LIMITS[fmt]) if fmt else str(LARGEST_LIMIT)
    return FileRejected(
        Reason.FILE_TOO_LARGE,
        what + hint,
        limit_bytes=limit,
        **({"size": str(size)} if size else {}),
    )


async def receive(meta: UploadMeta, chunks: AsyncIterator[bytes]) -> ReceivedFile:
    """Read the chunks into one buffer, refusing at the first byte over the format's limit."""
    check_meta(meta)
    buffer = io.BytesIO()
    digest = hashlib.sha256()
    fmt: FileFormat | None = None
    limit = LARGEST_LIMIT
    async for chunk in chunks:
        if not chunk:
            continue
        if buffer.tell() + len(chunk) > limit:
            raise _too_large(fmt, meta.size or None)
        buffer.write(chunk)
        digest.update(chunk)
        if fmt is None and buffer.tell() >= SNIFF_BYTES:
            fmt = detect_format(buffer.getvalue()[:SNIFF_BYTES])
            limit = SIZE_LIMITS[fmt]
            if meta.size > limit:
                raise _too_large(fmt, meta.size)
            if buffer.tell() > limit:
                raise _too_large(fmt, meta.size or None)
    size = buffer.tell()
    if size == 0:
        raise FileRejected(
            Reason.EMPTY_FILE, "The file is empty; upload a file with a header row and contacts."
        )
    # BytesIO hands over its own buffer here (no copy while nothing else holds it).
    data = buffer.getvalue()
    del buffer
    if fmt is None:
        fmt = detect_format(data[:SNIFF_BYTES])
        if size > SIZE_LIMITS[fmt]:
            raise _too_large(fmt, size)
    if meta.size and meta.size != size:
        raise FileRejected(
            Reason.SIZE_MISMATCH,
            f"The upload said the file has {meta.size} bytes but {size} arrived; upload it again.",
        )
    checksum = digest.hexdigest()
    if meta.sha256 and meta.sha256.lower() != checksum:
        raise FileRejected(
            Reason.CHECKSUM_MISMATCH,
            "The file that arrived does not match the SHA-256 the upload gave; upload it again.",
        )
    return ReceivedFile(meta, fmt, data, checksum)
