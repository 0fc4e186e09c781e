"""The import use cases behind the RPCs: upload, preview, start, get, watch, failures.

A preview explains itself: `explain_headers` says for every header which field it fills and
why, or why it is left out, in words a caller shows as they are.
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import timedelta
from enum import StrEnum
from pathlib import PurePath

import asyncpg
import phonenumbers

from services.import_api.import_events import ImportEvents
from services.import_api.job_outbox import INLINE_GRACE, JobPublisher, publish_queued
from services.import_api.remembered_mappings import differs, recall, remember
from services.import_api.upload import ReceivedFile, UploadMeta, receive
from shared.contact_fields import (
    FIELD_SPECS,
    AddressPart,
    ColumnMapping,
    ContactField,
    Mapping,
    MatchReason,
    mapping_from_json,
    mapping_to_json,
)
from shared.db.imports import ImportRecord, ImportState, fetch_import
from shared.errors import FieldViolation, InvalidRequest, NotFound, Reason, WrongState
from shared.header_matching import Suggestion, fold_header, label_number_field, suggest_mapping
from shared.header_vocabulary import VOCABULARY
from shared.identity import Identity
from shared.mapping_rules import check_mapping, resolve_header
from shared.settings import Settings
from shared.spreadsheet.reader import read_sheet
from shared.spreadsheet.sheet import Sheet

log = logging.getLogger(__name__)

PREVIEW_STORED = 50
PREVIEW_DEFAULT = 5
MAX_REQUEST_ID = 100
CHUNK = 64 * 1024


class UnmappedReason(StrEnum):
    """Why the suggested mapping leaves a header out (the proto's UnmappedReason)."""

    NONE = "none"
    NO_MATCH = "no_match"
    NOT_CONTACT_DATA = "not_contact_data"
    LABEL_COLUMN = "label_column"
    FIELD_TAKEN = "field_taken"
    REMEMBERED = "remembered"


@dataclass(frozen=True)
class HeaderMatch:
    """One header of a file, the suggested mapping's column for it, and why."""

    header: str
    column: ColumnMapping | None
    """None: the header is left out."""
    field_display_name: str
    unmapped_reason: UnmappedReason
    explanation: str
    related_header: str = ""
    """The other header the explanation names (label column, labelled or taking column)."""


@dataclass(frozen=True)
class FilePreview:
    """What a caller sees of an uploaded file before starting it."""

    record: ImportRecord
    headers: list[str]
    rows: list[tuple[int, list[str]]]
    suggested: Mapping
    unmapped: list[str]
    header_matches: list[HeaderMatch]


_LANGUAGES = {"en": "English", "nl": "Dutch", "fr": "French", "de": "German"}
_PART_NAMES = {
    AddressPart.WHOLE: "",
    AddressPart.FORMATTED: "formatted address",
    AddressPart.STREET: "street",
    AddressPart.EXTENDED: "extended address",
    AddressPart.PO_BOX: "PO box",
    AddressPart.POSTAL_CODE: "postal code",
    AddressPart.CITY: "city",
    AddressPart.REGION: "region",
    AddressPart.COUNTRY: "country",
}
# Parts several columns of one group may fill; any other part is taken by its first column.
_SHARED_PARTS = frozenset({AddressPart.WHOLE, AddressPart.FORMATTED, AddressPart.STREET})
_NOT_WORD = re.compile(r"[\W_]+")
_QUALIFIER = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_TRAILING_NUMBER = re.compile(r"^(?P<base>.*?[^\W\d_])[\s#._-]*\d{1,3}$")


def _compact(text: str) -> str:
    """A header folded as the matcher folds it, without spaces and punctuation."""
    return _NOT_WORD.sub("", fold_header(text))


# Spellings the vocabulary knows as columns without contact data (ids, dates, job titles).
_NOT_CONTACT = frozenset(
    _compact(e.phrase) for e in VOCABULARY if e.field is None and "#" not in e.phrase
)
_NOT_CONTACT_PATTERNS = tuple(
    re.compile(r"\d{1,3}".join(_compact(piece) for piece in e.phrase.split("#")))
    for e in VOCABULARY
    if e.field is None and "#" in e.phrase
)


def field_display_name(column: ColumnMapping) -> str:
    """The field for people: "Mobile", "Address 1, street", "Business address, city"."""
    if column.field is not ContactField.ADDRESS:
        return FIELD_SPECS[column.field].display_name
    group = column.address_group
    if not group:
        where = "Address"
    elif group.casefold().startswith("address"):
        where = group
    else:
        where = f"{group} address"
    part = _PART_NAMES[column.address_part]
    return f"{where}, {part}" if part else where


def _remembered_from(detail: str) -> str:
    day, _, file_name = detail.partition(" ")
    return f"your import of “{file_name}” on {day}" if file_name else "an earlier import"


def _explain_column(column: ColumnMapping, display: str) -> str:
    detail = column.match_detail
    language = _LANGUAGES.get(detail)
    source = f"{language} synonym" if language else f"{detail} layout"
    in_brackets = f" ({source})" if detail else ""
    match column.match_reason:
        case MatchReason.EXACT_NAME:
            return f"Exact name of {display}"
        case MatchReason.SYNONYM:
            return (
                f"Synonym ({language or detail}) of {display}"
                if detail
                else f"Synonym of {display}"
            )
        case MatchReason.KNOWN_LAYOUT:
            return f"{detail} layout: {display}"
        case MatchReason.NUMBERED_REPEAT:
            return f"Numbered repeat of {display}{in_brackets}"
        case MatchReason.LABEL_COLUMN:
            return f"Its kind is decided by label column “{column.label_header}”{in_brackets}"
        case MatchReason.REMEMBERED:
            return f"Remembered from {_remembered_from(detail)}"
    return f"Mapped to {display} by hand"


def _taken_by(header: str, mapping: Mapping) -> ColumnMapping | None:
    """The column that fills the one-column field (or address part) this header would fill."""
    alone = suggest_mapping([header]).mapping.columns
    if not alone and (numbered := _TRAILING_NUMBER.match(header)):
        # A numbered repeat of a one-column field ("Notes 2") is never mapped.
        alone = suggest_mapping([numbered["base"]]).mapping.columns
    if not alone:
        return None
    wanted = alone[0]
    for column in mapping.columns:
        if column.field is not wanted.field:
            continue
        if wanted.field is ContactField.ADDRESS:
            if wanted.address_part not in _SHARED_PARTS and (
                column.address_part,
                column.address_group,
            ) == (wanted.address_part, wanted.address_group):
                return column
        elif not FIELD_SPECS[wanted.field].multi_column:
            return column
    return None


def _not_contact_data(header: str) -> bool:
    keys = {_compact(header), _compact(_QUALIFIER.sub(" ", header))}
    if numbered := _TRAILING_NUMBER.match(header):
        keys.add(_compact(numbered["base"]))
    return bool(keys & _NOT_CONTACT) or any(
        p.fullmatch(key) for p in _NOT_CONTACT_PATTERNS for key in keys
    )


def _explain_unmapped(
    header: str, mapping: Mapping, labelled: dict[str, str], remembered: str | None
) -> HeaderMatch:
    def left_out(reason: UnmappedReason, text: str, related: str = "") -> HeaderMatch:
        return HeaderMatch(header, None, "", reason, text, related)

    if value := labelled.get(header):
        return left_out(
            UnmappedReason.LABEL_COLUMN,
            f"Label column: decides row by row the kind of “{value}”",
            value,
        )
    if remembered is not None:
        return left_out(
            UnmappedReason.REMEMBERED, f"Left out, as in {_remembered_from(remembered)}"
        )
    if taker := _taken_by(header, mapping):
        display = field_display_name(taker)
        text = (
            f"{display} is already filled by “{taker.header}”: left out"
            if taker.field is ContactField.ADDRESS
            else f"{display} takes one column and “{taker.header}” fills it: left out"
        )
        return left_out(UnmappedReason.FIELD_TAKEN, text, taker.header)
    if label_number_field(header, ContactField.PHONE) is None:
        return left_out(
            UnmappedReason.NOT_CONTACT_DATA, "Fax, pager or telex: not a phone, left out"
        )
    if _not_contact_data(header):
        return left_out(UnmappedReason.NOT_CONTACT_DATA, "Not contact data: left out")
    return left_out(UnmappedReason.NO_MATCH, "No field matches this header")


def explain_headers(headers: list[str], mapping: Mapping) -> list[HeaderMatch]:
    """Every header in file order with the suggested mapping's column for it and why."""
    by_header = {c.header: c for c in mapping.columns}
    labelled = {c.label_header: c.header for c in mapping.columns if c.label_header}
    remembered = None
    if mapping.columns and all(c.match_reason is MatchReason.REMEMBERED for c in mapping.columns):
        remembered = mapping.columns[0].match_detail
    matches = []
    for header in headers:
        column = by_header.get(header)
        if column is None:
            matches.append(_explain_unmapped(header, mapping, labelled, remembered))
            continue
        display = field_display_name(column)
        matches.append(
            HeaderMatch(
                header,
                column,
                display,
                UnmappedReason.NONE,
                _explain_column(column, display),
                column.label_header,
            )
        )
    return matches


def parse_import_id(value: str, field: str = "import_id") -> uuid.UUID:
    """The import id of a request, or INVALID_ARGUMENT naming the field."""
    try:
        return uuid.UUID(value)
    except ValueError:
        raise InvalidRequest(
            "The import id is not valid.",
            [FieldViolation(field, "Give the import id that UploadFile returned (a UUID).")],
        ) from None


def choose_country(requested: str, who: Identity) -> str:
    """The default country: the request's, else the token's head office."""
    country = (requested or who.country).strip().upper()
    if not country:
        raise InvalidRequest(
            "No default country: set `default_country` (ISO 3166-1 alpha-2, e.g. NL), "
            "since the token names no head-office country.",
            [FieldViolation("default_country", "Give a two-letter country code such as NL.")],
            Reason.COUNTRY_MISSING,
        )
    if country not in phonenumbers.SUPPORTED_REGIONS:
        raise InvalidRequest(
            f"{country!r} is not a country code phone numbers know.",
            [
                FieldViolation(
                    "default_country", "Give an ISO 3166-1 alpha-2 code such as NL or BE."
                )
            ],
        )
    return country


def _with_file_headers(mapping: Mapping, headers: list[str]) -> Mapping:
    """A checked mapping with every header as the file spells it (the worker finds it so)."""

    def exact(header: str) -> str:
        return (resolve_header(header, headers) or header) if header else ""

    return Mapping(
        tuple(
            replace(c, header=exact(c.header), label_header=exact(c.label_header))
            for c in mapping.columns
        )
    )


class ImportsService:
    """Import use cases for one API process; every method acts for one tenant."""

    def __init__(
        self, pool: asyncpg.Pool, settings: Settings, publisher: JobPublisher, events: ImportEvents
    ) -> None:
        self._pool = pool
        self._settings = settings
        self._publisher = publisher
        self._events = events
        self._republish_after = timedelta(seconds=settings.republish_after_seconds)

    async def get(self, who: Identity, import_id: uuid.UUID) -> ImportRecord:
        record = await fetch_import(self._pool, who.tenant_id, import_id)
        if record is None:
            raise NotFound(f"No import {import_id} exists for your account.")
        return record

    async def upload(
        self, who: Identity, meta: UploadMeta, chunks: AsyncIterator[bytes]
    ) -> FilePreview:
        received = await receive(meta, chunks)
        sheet = await asyncio.to_thread(
            read_sheet, received.data, max_inflated_bytes=self._settings.max_inflated_bytes
        )
        suggestion = await recall(
            self._pool, tenant_id=who.tenant_id, headers=sheet.headers
        ) or suggest_mapping(sheet.headers)
        import_id = uuid.uuid4()
        await self._store_upload(who, import_id, received, sheet, suggestion)
        log.info(
            "upload stored: import=%s tenant=%s format=%s bytes=%d rows=%d remembered=%s",
            import_id,
            who.tenant_id,
            received.format,
            len(received.data),
            sheet.data_row_count,
            any(c.match_reason is MatchReason.REMEMBERED for c in suggestion.mapping.columns),
        )
        record = await self.get(who, import_id)
        return FilePreview(
            record,
            sheet.headers,
            sheet.preview(PREVIEW_DEFAULT),
            suggestion.mapping,
            suggestion.unmapped_headers,
            explain_headers(sheet.headers, suggestion.mapping),
        )

    async def _store_upload(
        self,
        who: Identity,
        import_id: uuid.UUID,
        received: ReceivedFile,
        sheet: Sheet,
        suggestion: Suggestion,
    ) -> None:
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.execute(
                """
                INSERT INTO imports (id, tenant_id, file_name, file_format, file_size, sha256,
                    uploaded_by, uploaded_by_subject, headers, preview_rows, suggested_mapping,
                    unmapped_headers, state, rows_total)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'UPLOADED', $13)
                """,
                import_id,
                who.tenant_id,
                PurePath(received.meta.file_name.strip().replace("\\", "/")).name,
                received.format.value,
                len(received.data),
                received.sha256,
                who.display_name,
                who.subject,
                sheet.headers,
                [[n, cells] for n, cells in sheet.preview(PREVIEW_STORED)],
                mapping_to_json(suggestion.mapping),
                suggestion.unmapped_headers,
                sheet.data_row_count,
            )
            await conn.execute(
                "INSERT INTO import_files (import_id, tenant_id, content) VALUES ($1, $2, $3)",
                import_id,
                who.tenant_id,
                received.data,
            )

    async def preview(self, who: Identity, import_id: uuid.UUID, row_limit: int) -> FilePreview:
        if row_limit < 0:
            raise InvalidRequest(
                "row_limit cannot be negative.",
                [FieldViolation("row_limit", "Give 0 for the default (5) or up to 50.")],
            )
        limit = min(row_limit or PREVIEW_DEFAULT, PREVIEW_STORED)
        record = await self.get(who, import_id)
        row = await self._pool.fetchrow(
            "SELECT preview_rows, suggested_mapping, unmapped_headers FROM imports"
            " WHERE id = $1 AND tenant_id = $2",
            import_id,
            who.tenant_id,
        )
        assert row is not None
        rows = [(int(n), list(cells)) for n, cells in row["preview_rows"][:limit]]
        suggested = mapping_from_json(row["suggested_mapping"])
        return FilePreview(
            record,
            record.headers,
            rows,
            suggested,
            list(row["unmapped_headers"]),
            explain_headers(record.headers, suggested),
        )

    async def start(
        self,
        who: Identity,
        import_id: uuid.UUID,
        mapping: Mapping,
        requested_country: str,
        dry_run: bool,
        request_id: str,
    ) -> ImportRecord:
        if not request_id.strip() or len(request_id) > MAX_REQUEST_ID:
            raise InvalidRequest(
                "StartImport needs a request_id so that a retried call is safe.",
                [
                    FieldViolation(
                        "request_id",
                        f"Give a client-chosen id (a UUID), at most {MAX_REQUEST_ID} characters.",
                    )
                ],
            )
        record = await self.get(who, import_id)
        if record.state is not ImportState.UPLOADED:
            if record.start_request_id == request_id:
                return record
            raise WrongState(
                f"This import was already started (it is {record.state.value}); upload the file "
                "again to import it once more.",
                Reason.IMPORT_ALREADY_STARTED,
            )
        country = choose_country(requested_country, who)
        violations = check_mapping(mapping, record.headers)
        if violations:
            raise InvalidRequest(
                "The mapping cannot be used: " + "; ".join(v.description for v in violations[:3]),
                violations,
                Reason.INVALID_MAPPING,
            )
        mapping = _with_file_headers(mapping, record.headers)
        async with self._pool.acquire() as conn, conn.transaction():
            status = await conn.fetchrow(
                "SELECT state, start_request_id, suggested_mapping FROM imports"
                " WHERE id = $1 AND tenant_id = $2 FOR UPDATE",
                import_id,
                who.tenant_id,
            )
            assert status is not None
            if status["state"] != ImportState.UPLOADED:
                # A concurrent StartImport won the race.
                if status["start_request_id"] == request_id:
                    return await self.get(who, import_id)
                raise WrongState("This import was already started.", Reason.IMPORT_ALREADY_STARTED)
            await conn.execute(
                """
                UPDATE imports SET state = 'QUEUED', mapping = $3, default_country = $4,
                    dry_run = $5, start_request_id = $6, queued_at = now(), updated_at = now()
                WHERE id = $1 AND tenant_id = $2
                """,
                import_id,
                who.tenant_id,
                mapping_to_json(mapping),
                country,
                dry_run,
                request_id,
            )
            await conn.execute(
                "INSERT INTO import_outbox (import_id, publish_after) VALUES ($1, now() + $2)",
                import_id,
                INLINE_GRACE,
            )
            suggested = mapping_from_json(status["suggested_mapping"])
            if differs(mapping, suggested, record.headers) and await remember(
                conn,
                tenant_id=who.tenant_id,
                headers=record.headers,
                mapping=mapping,
                import_id=import_id,
                file_name=record.file_name,
            ):
                log.info("mapping remembered: import=%s tenant=%s", import_id, who.tenant_id)
        await publish_queued(self._pool, self._publisher, import_id, self._republish_after)
        log.info("import queued: import=%s tenant=%s dry_run=%s", import_id, who.tenant_id, dry_run)
        return await self.get(who, import_id)

    async def watch(self, who: Identity, import_id: uuid.UUID) -> AsyncIterator[ImportRecord]:
        """The import now, then after every change, ending with a terminal state."""
        await self.get(who, import_id)
        last: tuple[object, ...] | None = None
        async with self._events.subscribe(str(import_id)) as changed:
            while True:
                record = await self.get(who, import_id)
                seen = (record.state, record.rows_processed, record.updated_at)
                if seen != last:
                    last = seen
                    yield record
                if record.state.terminal:
                    return
                await changed()

    async def failure_workbook(self, who: Identity, import_id: uuid.UUID) -> tuple[str, bytes]:
        record = await self.get(who, import_id)
        if not record.state.terminal:
            raise WrongState(
                f"The import is {record.state.value}; the failure workbook exists once it has "
                "finished (watch it with WatchImport).",
                Reason.IMPORT_NOT_FINISHED,
            )
        content = await self._pool.fetchval(
            "SELECT content FROM failure_workbooks WHERE import_id = $1 AND tenant_id = $2",
            import_id,
            who.tenant_id,
        )
        if content is None:
            raise NotFound(
                "This import rejected no rows, so it has no failure workbook.",
                Reason.NO_FAILED_ROWS,
            )
        stem = PurePath(record.file_name).stem or "import"
        return f"{stem}-failed-rows.xlsx", bytes(content)
