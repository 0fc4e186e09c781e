"""Receiving an upload stream: size limit while streaming, declared size and checksum."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

from services.import_api.requests import MAX_REQUEST_ID
from shared.errors import FieldViolation, FileRejected, InvalidRequest, Reason
from shared.i18n.text import Text, t, tn
from shared.spreadsheet.encodings import DECLARABLE, declared_encoding
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
    encoding: str = ""
    """The text encoding the caller declared ("" for none), as check_meta leaves it: the
    API's name (windows-1252) for any spelling given."""
    request_id: str = ""
    """The caller's id for this upload ("" for none): a retry with it gets the same import."""


@dataclass(frozen=True)
class ReceivedFile:
    """A whole uploaded file, its format decided by content."""

    meta: UploadMeta
    format: FileFormat
    data: bytes
    sha256: str


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
    """Read the chunks into one buffer, refusing at the first byte over the format's limit."""
    meta = check_meta(meta)
    buffer = io.BytesIO()
    digest = hashlib.sha256()
    fmt: FileFormat | None = None
    limit = LARGEST_LIMIT
    async for chunk in chunks:
        if not chunk:
            continue
        if buffer.tell() + len(chunk) > limit:
            raise _too_large(fmt, meta.size or None)
        if meta.size and buffer.tell() + len(chunk) > meta.size:
            # More than declared: refused at once (the upload reserved the declared size).
            raise _size_mismatch(meta.size, buffer.tell() + len(chunk))
        buffer.write(chunk)
        digest.update(chunk)
        if fmt is None and buffer.tell() >= SNIFF_BYTES:
            fmt = detect_format(buffer.getvalue()[:SNIFF_BYTES], meta.encoding)
            limit = SIZE_LIMITS[fmt]
            if meta.size > limit:
                raise _too_large(fmt, meta.size)
            if buffer.tell() > limit:
                raise _too_large(fmt, meta.size or None)
    size = buffer.tell()
    if size == 0:
        raise FileRejected(
            Reason.EMPTY_FILE,
            t("The file is empty; upload a file with a header row and contacts."),
        )
    # BytesIO hands over its own buffer here (no copy while nothing else holds it).
    data = buffer.getvalue()
    del buffer
    if fmt is None:
        fmt = detect_format(data[:SNIFF_BYTES], meta.encoding)
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
    return ReceivedFile(meta, fmt, data, checksum)
