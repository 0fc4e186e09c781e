"""The import use cases behind the RPCs: upload, preview, start, get, watch, failures,
history and deletion.

A preview explains itself (`shared.mapping.explanations`): for every header which field it
fills and why, or why it is left out, in words a caller shows as they are.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import PurePath
from typing import BinaryIO

import asyncpg

from services.import_api.import_events import ImportEvents
from services.import_api.job_outbox import INLINE_GRACE, JobPublisher, publish_queued
from services.import_api.page_tokens import PageTokens, page_size, page_token_key, scope_of
from services.import_api.remembered_mappings import differs, recall, remember
from services.import_api.requests import check_request_id, choose_country, with_file_headers
from services.import_api.upload import (
    LARGEST_LIMIT,
    ReceivedFile,
    UploadMeta,
    receive,
    room_to_spool,
)
from services.import_api.upload_budget import UploadBudget
from shared.contacts import DuplicatePolicy, email_key
from shared.errors import FieldViolation, InvalidRequest, NotFound, Reason, WrongState
from shared.failure_workbook import write_failure_workbook
from shared.i18n.negotiation import DEFAULT_LANGUAGE
from shared.i18n.text import Text, t
from shared.identity import Identity
from shared.mapping.duplicates import check_repeated_headers
from shared.mapping.explanations import HeaderMatch, explain_headers
from shared.mapping.fields import ContactField, Mapping, MatchReason
from shared.mapping.matcher import LeftOut, LeftOutReason, Suggestion, suggest_mapping
from shared.mapping.rules import check_mapping
from shared.memory import give_back_memory
from shared.rejected_rows import RejectedRow
from shared.settings import Settings
from shared.spreadsheet import stored_sheet
from shared.spreadsheet.reader import read_outline
from shared.spreadsheet.sheet import SheetOutline
from shared.store import contacts as contact_store
from shared.store import imports as store
from shared.store import outbox
from shared.store.imports import Deletion, ImportRecord, NewUpload, StartChoice
from shared.store.lifecycle import ImportState
from shared.tracing import current_traceparent
from shared.value_cleaning import split_values

log = logging.getLogger(__name__)

PREVIEW_STORED = 50
PREVIEW_DEFAULT = 5
CHUNK = 64 * 1024
# Binds a ListImports page token to this list (a ListContacts token is refused here).
HISTORY_SCOPE = scope_of(list="imports")


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class HistoryPage:
    """One page of ListImports: imports newest first, and the next page's token ("" last)."""

    imports: list[ImportRecord]
    next_page_token: str


@dataclass(frozen=True)
class FilePreview:
    """What a caller sees of an uploaded file before starting it."""

    record: ImportRecord
    headers: list[str]
    rows: list[tuple[int, list[str]]]
    suggested: Mapping
    unmapped: list[str]
    header_matches: list[HeaderMatch]

    @classmethod
    def of(
        cls, record: ImportRecord, rows: list[tuple[int, list[str]]], suggestion: Suggestion
    ) -> FilePreview:
        """The preview of a stored import: every header explained from its suggestion."""
        return cls(
            record,
            record.headers,
            rows,
            suggestion.mapping,
            suggestion.unmapped_headers,
            explain_headers(record.headers, suggestion),
        )


class ImportsService:
    """Import use cases for one API process; every method acts for one tenant."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        settings: Settings,
        publisher: JobPublisher,
        events: ImportEvents,
        *,
        now: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._pool = pool
        self._settings = settings
        self._publisher = publisher
        self._events = events
        self._republish_after = timedelta(seconds=settings.republish_after_seconds)
        self._reading = asyncio.Semaphore(settings.max_parallel_reads)
        self.upload_budget = UploadBudget(settings.max_upload_bytes_in_flight)
        # The clock that decides the history windows and stamps deletions (tests move it).
        self._now = now
        self._history = timedelta(days=settings.history_days)
        self._deleted_visible = timedelta(days=settings.deleted_visible_days)
        self._tokens = PageTokens(
            page_token_key(settings.jwt_verify_key(), settings.page_token_key)
        )

    async def get(self, who: Identity, import_id: uuid.UUID) -> ImportRecord:
        """The tenant's import while it is in the history window (older ones are NOT_FOUND)."""
        record = await store.fetch_import(
            self._pool, who.tenant_id, import_id, created_after=self._now() - self._history
        )
        if record is None:
            raise NotFound(_no_such_import(import_id))
        return record

    async def upload(
        self, who: Identity, meta: UploadMeta, chunks: AsyncIterator[bytes]
    ) -> FilePreview:
        try:
            # A retry of an upload already stored answers with its import (AIP-155).
            earlier = await self._earlier_upload(who, meta.request_id)
            if earlier is not None:
                return await self.preview(who, earlier, PREVIEW_DEFAULT)
            # Before a chunk is read: refused at once when the process holds enough already.
            declared = min(meta.size, LARGEST_LIMIT) if meta.size > 0 else LARGEST_LIMIT
            with self.upload_budget.reserve(declared):
                return await self._upload(who, meta, chunks)
        finally:
            # The file and what reading it took are freed by now: hand the pages back.
            give_back_memory()

    async def _upload(
        self, who: Identity, meta: UploadMeta, chunks: AsyncIterator[bytes]
    ) -> FilePreview:
        with room_to_spool(), await receive(meta, chunks) as received:
            # Reading a file takes CPU and a few times its size in memory: a few at a time.
            async with self._reading:
                # The file's outline: a CSV is read a chunk at a time, never held whole; the
                # sheet of a file read whole is stored for the worker (stored_sheet).
                sheet, sheet_bytes = await asyncio.to_thread(
                    _outline_and_sheet,
                    received.file,
                    encoding=received.meta.encoding,
                    max_inflated_bytes=self._settings.max_inflated_bytes,
                )
            with sheet:
                return await self._store_outlined(who, received, sheet, sheet_bytes)

    async def _store_outlined(
        self,
        who: Identity,
        received: ReceivedFile,
        sheet: SheetOutline,
        sheet_bytes: bytes | None,
    ) -> FilePreview:
        suggestion = await recall(
            self._pool, tenant_id=who.tenant_id, headers=sheet.headers
        ) or suggest_mapping(sheet.headers)
        check_repeated_headers(sheet.repeated_headers, suggestion)
        existing = await self._existing_rows(who, sheet, suggestion.mapping)
        import_id = uuid.uuid4()
        try:
            await self._store_upload(
                who, import_id, received, sheet, sheet_bytes, suggestion, existing
            )
        except asyncpg.UniqueViolationError:
            # The same request_id stored meanwhile by a concurrent retry: answer with that one.
            earlier = await self._earlier_upload(who, received.meta.request_id)
            if earlier is None:
                raise
            return await self.preview(who, earlier, PREVIEW_DEFAULT)
        log.info(
            "upload stored: import=%s tenant=%s format=%s encoding=%s bytes=%d rows=%d "
            "remembered=%s",
            import_id,
            who.tenant_id,
            received.format,
            sheet.encoding or "-",
            received.size,
            sheet.data_row_count,
            any(c.match_reason is MatchReason.REMEMBERED for c in suggestion.mapping.columns),
        )
        record = await self.get(who, import_id)
        return FilePreview.of(record, sheet.preview(PREVIEW_DEFAULT), suggestion)

    async def _earlier_upload(self, who: Identity, request_id: str) -> uuid.UUID | None:
        if not request_id:
            return None
        return await store.find_upload(
            self._pool, who.tenant_id, request_id, created_after=self._now() - self._history
        )

    async def _store_upload(
        self,
        who: Identity,
        import_id: uuid.UUID,
        received: ReceivedFile,
        sheet: SheetOutline,
        sheet_bytes: bytes | None,
        suggestion: Suggestion,
        existing_rows: int,
    ) -> None:
        await store.insert_upload(
            self._pool,
            NewUpload(
                import_id=import_id,
                tenant_id=who.tenant_id,
                file_name=PurePath(received.meta.file_name.strip().replace("\\", "/")).name,
                file_format=received.format.value,
                encoding=sheet.encoding,
                request_id=received.meta.request_id,
                content=received.file,
                file_size=received.size,
                sha256=received.sha256,
                uploaded_by=who.display_name,
                uploaded_by_subject=who.subject,
                headers=sheet.headers,
                preview_rows=sheet.preview(PREVIEW_STORED),
                suggested_mapping=suggestion.mapping,
                unmapped_headers=suggestion.unmapped_headers,
                left_out=[
                    {
                        "header": lo.header,
                        "reason": lo.reason.value,
                        "related_header": lo.related_header,
                    }
                    for lo in suggestion.left_out
                ],
                rows_total=sheet.data_row_count,
                existing_rows=existing_rows,
                sheet=sheet_bytes,
            ),
        )

    async def _existing_rows(self, who: Identity, sheet: SheetOutline, mapping: Mapping) -> int:
        """Rows of the file sharing an e-mail address with a contact of the tenant (estimate)."""
        indexes = [
            sheet.headers.index(c.header)
            for c in mapping.columns
            if c.field is ContactField.EMAIL and c.header in sheet.headers
        ]
        if not indexes:
            return 0
        async with self._pool.acquire() as conn:
            # A tenant's first import (no contacts yet) needs no reading for an estimate.
            if not await contact_store.has_contacts(conn, who.tenant_id):
                return 0
        async with self._reading:  # the outline reads the columns from the file again
            rows = await asyncio.to_thread(_email_keys_by_row, sheet, indexes)
        known = await contact_store.known_emails(self._pool, who.tenant_id, set().union(*rows))
        return sum(1 for keys in rows if keys & known)

    async def preview(self, who: Identity, import_id: uuid.UUID, row_limit: int) -> FilePreview:
        if row_limit < 0:
            raise InvalidRequest(
                t("row_limit cannot be negative."),
                [
                    FieldViolation(
                        "row_limit",
                        t(
                            "Give 0 for the default ({default}) or up to {max}.",
                            default=PREVIEW_DEFAULT,
                            max=PREVIEW_STORED,
                        ),
                    )
                ],
            )
        limit = min(row_limit or PREVIEW_DEFAULT, PREVIEW_STORED)
        record = await self.get(who, import_id)
        stored = await store.fetch_preview(self._pool, who.tenant_id, import_id, limit)
        if stored is None:
            # Retention purged it since it was read.
            raise NotFound(_no_such_import(import_id))
        suggestion = Suggestion(
            stored.suggested_mapping,
            stored.unmapped_headers,
            tuple(
                LeftOut(lo["header"], LeftOutReason(lo["reason"]), lo["related_header"])
                for lo in stored.left_out
            ),
        )
        return FilePreview.of(record, stored.rows, suggestion)

    async def start(
        self,
        who: Identity,
        import_id: uuid.UUID,
        mapping: Mapping,
        requested_country: str,
        dry_run: bool,
        request_id: str,
        duplicate_policy: DuplicatePolicy = DuplicatePolicy.SKIP,
        language: str = DEFAULT_LANGUAGE,
    ) -> ImportRecord:
        check_request_id(request_id, "StartImport")
        record = await self.get(who, import_id)
        if not _startable(record, request_id):
            return record
        country = choose_country(requested_country, who)
        violations = check_mapping(mapping, record.headers)
        if violations:
            raise InvalidRequest(
                _unusable_mapping([v.description for v in violations[:3]]),
                violations,
                Reason.INVALID_MAPPING,
            )
        mapping = with_file_headers(mapping, record.headers)
        async with self._pool.acquire() as conn, conn.transaction():
            # Lock, then decide on what is there now: a concurrent StartImport, DeleteImport
            # or retention run may have changed it since it was read.
            current = await store.fetch_import(conn, who.tenant_id, import_id, lock=True)
            if current is None:
                # Retention purged it since it was read: never queue a purged import.
                raise NotFound(_no_such_import(import_id))
            if not _startable(current, request_id):
                return current
            choice = StartChoice(mapping, country, dry_run, request_id, duplicate_policy, language)
            queued = await store.mark_queued(conn, who.tenant_id, import_id, choice)
            assert queued, "locked and checked above"
            # The StartImport span's context, so a publish by the relay continues its trace.
            await outbox.add(conn, import_id, INLINE_GRACE, current_traceparent())
            suggested = await store.fetch_preview(conn, who.tenant_id, import_id, 0)
            assert suggested is not None
            if differs(mapping, suggested.suggested_mapping, record.headers) and await remember(
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

    async def failure_workbook(
        self, who: Identity, import_id: uuid.UUID, language: str | None = None
    ) -> tuple[str, bytes]:
        """The workbook in the language: as stored when it is the import's own, else written
        again from the stored rows (imports from before languages have English only)."""
        record = await self.get(who, import_id)
        if not record.state.terminal:
            raise WrongState(
                # Translators: {state} is the import's state code (RUNNING, QUEUED, ...).
                t(
                    "The import is {state}; the failure workbook exists once it has "
                    "finished (watch it with WatchImport).",
                    state=record.state.value,
                ),
                Reason.IMPORT_NOT_FINISHED,
            )
        stored = await store.fetch_failure_workbook(self._pool, who.tenant_id, import_id)
        if stored is None:
            raise NotFound(
                t("This import rejected no rows, so it has no failure workbook."),
                Reason.NO_FAILED_ROWS,
            )
        content = stored.content
        if language not in (None, stored.language) and stored.rows is not None:
            rows = [RejectedRow.from_json(r) for r in stored.rows["rows"]]
            content = await asyncio.to_thread(
                write_failure_workbook, stored.rows["headers"], rows, language
            )
        stem = PurePath(record.file_name).stem or "import"
        return f"{stem}-failed-rows.xlsx", content

    async def history(self, who: Identity, requested_size: int, page_token: str) -> HistoryPage:
        """A page of the tenant's history, newest first (created_at DESC, id DESC).

        Keyset pagination: a token holds the last row served, so rows inserted while a
        caller pages (newer, hence before the position) never shift or repeat a page.
        """
        size = page_size(requested_size)
        position = self._tokens.decode(page_token, who.tenant_id, HISTORY_SCOPE)
        after = _history_position(position) if position is not None else None
        now = self._now()
        rows = await store.history_page(
            self._pool,
            who.tenant_id,
            created_after=now - self._history,
            deleted_after=now - self._deleted_visible,
            before=after,
            limit=size + 1,
        )
        records = rows[:size]
        token = ""
        if len(rows) > size:
            last = records[-1]
            token = self._tokens.encode(
                who.tenant_id, HISTORY_SCOPE, [last.created_at.isoformat(), str(last.id)]
            )
        return HistoryPage(records, token)

    async def delete(self, who: Identity, import_id: uuid.UUID) -> ImportRecord:
        """Delete the contacts the import created and mark it deleted, in one transaction.

        Idempotent: a deleted import is answered as it is, and nothing more is deleted.
        """
        now = self._now()
        async with self._pool.acquire() as conn, conn.transaction():
            record = await store.fetch_import(
                conn, who.tenant_id, import_id, created_after=now - self._history, lock=True
            )
            if record is None:
                raise NotFound(_no_such_import(import_id))
            if record.deleted_at is not None:
                return record
            if not record.state.settled:
                raise WrongState(
                    # Translators: {state} is the import's state code (RUNNING, QUEUED, ...).
                    t(
                        "The import is {state}; wait for it to finish (watch it "
                        "with WatchImport), then delete it.",
                        state=record.state.value,
                    ),
                    Reason.IMPORT_RUNNING,
                )
            undone = await contact_store.undo_import(conn, who.tenant_id, import_id)
            await store.mark_deleted(
                conn,
                who.tenant_id,
                import_id,
                Deletion(
                    at=now,
                    by=who.display_name,
                    by_subject=who.subject,
                    count=undone.deleted,
                    restored=undone.restored,
                    kept=undone.kept,
                ),
            )
            record = await store.fetch_import(conn, who.tenant_id, import_id)
        log.info(
            "import deleted: import=%s tenant=%s deleted=%d restored=%d kept=%d",
            import_id,
            who.tenant_id,
            undone.deleted,
            undone.restored,
            undone.kept,
        )
        assert record is not None
        return record


def _outline_and_sheet(
    file: BinaryIO, *, encoding: str, max_inflated_bytes: int
) -> tuple[SheetOutline, bytes | None]:
    """The file's outline, and the sheet to store when the file was read whole."""
    outline = read_outline(
        file, first_rows=PREVIEW_STORED, encoding=encoding, max_inflated_bytes=max_inflated_bytes
    )
    return outline, None if outline.sheet is None else stored_sheet.dump(outline.sheet)


def _email_keys_by_row(sheet: SheetOutline, indexes: list[int]) -> list[set[str]]:
    columns = [sheet.column_cells(index) for index in indexes]
    return [
        {email_key(v) for cells in row for v in split_values(cells) if "@" in v}
        for row in zip(*columns, strict=True)
    ]


def _no_such_import(import_id: uuid.UUID) -> Text:
    return t("No import {import_id} exists for your account.", import_id=str(import_id))


def _unusable_mapping(problems: list[Text]) -> Text:
    """StartImport's refusal of a mapping, naming its first problems (one to three)."""
    # Each variant is a whole message, so a translation may punctuate the list its own way.
    if len(problems) == 1:
        # Translators: {problem} is what is wrong with the mapping, a whole sentence.
        return t("The mapping cannot be used: {problem}", problem=problems[0])
    if len(problems) == 2:
        # Translators: {first} and {second} are what is wrong with the mapping, each a
        # whole sentence.
        return t(
            "The mapping cannot be used: {first}; {second}",
            first=problems[0],
            second=problems[1],
        )
    # Translators: {first}, {second} and {third} are what is wrong with the mapping, each a
    # whole sentence.
    return t(
        "The mapping cannot be used: {first}; {second}; {third}",
        first=problems[0],
        second=problems[1],
        third=problems[2],
    )


def _startable(record: ImportRecord, request_id: str) -> bool:
    """Whether StartImport may queue it; False when this very request already did."""
    if not record.state.can_move_to(ImportState.QUEUED):
        if record.start_request_id == request_id:
            return False
        raise WrongState(
            # Translators: {state} is the import's state code (RUNNING, SUCCEEDED, ...).
            t(
                "This import was already started (it is {state}); upload the file "
                "again to import it once more.",
                state=record.state.value,
            ),
            Reason.IMPORT_ALREADY_STARTED,
        )
    if record.deleted_at is not None:
        raise WrongState(
            t(
                "This import was deleted, so it cannot be started; upload the file again "
                "to import it."
            ),
            Reason.IMPORT_DELETED,
        )
    return True


def _history_position(position: list[object]) -> tuple[datetime, uuid.UUID]:
    """The (created_at, id) keyset position a page token holds."""
    try:
        created, import_id = position
        return datetime.fromisoformat(str(created)), uuid.UUID(str(import_id))
    except ValueError:
        # Signed by this server, so only a token from another version can fail here.
        raise InvalidRequest(
            t("The page token is not valid for this list."),
            [FieldViolation("page_token", t("Leave it empty to start from the first page."))],
        ) from None
