"""What the command prints: tables, progress, counts, and the `--json` shapes."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from datetime import UTC
from typing import TextIO

from google.protobuf import json_format, timestamp_pb2

from services.cli.client import CallError
from services.cli.mapping_overrides import field_name
from shared.gen.contactimport.v1 import import_service_pb2 as pb

TERMINAL_STATES = frozenset(
    {
        pb.ContactImport.STATE_SUCCEEDED,
        pb.ContactImport.STATE_PARTIALLY_SUCCEEDED,
        pb.ContactImport.STATE_FAILED,
    }
)
MAX_CELL = 24
MAX_MAPPING_CELL = 40
NOT_IMPORTED = "-"
NOT_KNOWN = "-"
MAX_FILE_CELL = 32
MAX_VALUES_CELL = 40
BAR_WIDTH = 30
PLAIN_INTERVAL_SECONDS = 1.0


# --json ------------------------------------------------------------------------------------


def import_json(contact_import: pb.ContactImport) -> str:
    """The import resource in protobuf's JSON mapping, on one line."""
    return json_format.MessageToJson(contact_import, indent=None)


def contact_json(contact: pb.Contact) -> str:
    """A contact in protobuf's JSON mapping, on one line."""
    return json_format.MessageToJson(contact, indent=None)


def error_json(error: CallError) -> str:
    """`{"error": {"code", "reason", "message"}}`: the one object `--json` prints on failure."""
    body = {"code": error.code, "reason": error.reason, "message": error.message}
    return json.dumps({"error": body})


def error_lines(error: CallError) -> list[str]:
    """`error: CODE REASON: message`, then one line per BadRequest field violation."""
    head = " ".join(part for part in (error.code, error.reason) if part)
    lines = [f"error: {head}: {error.message}"]
    lines.extend(f"  {name}: {description}" for name, description in error.violations)
    return lines


# Tables ------------------------------------------------------------------------------------


def state_name(state: pb.ContactImport.State) -> str:
    return pb.ContactImport.State.Name(state).removeprefix("STATE_")


def _cut(text: str, limit: int = MAX_CELL) -> str:
    flat = " ".join(text.split())  # a cell's line breaks would break the table
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def table(rows: Sequence[Sequence[str]], *, max_width: int, max_cell: int = MAX_CELL) -> list[str]:
    """Left-aligned columns (first row is the heading), cut to `max_width` characters."""
    cells = [[_cut(c, max_cell) for c in row] for row in rows]
    count = max((len(r) for r in cells), default=0)
    widths = [max((len(r[i]) for r in cells if i < len(r)), default=0) for i in range(count)]
    shown, used = 0, 0
    for width in widths:
        if shown and used + width > max_width:
            break
        used += width + 2
        shown += 1
    lines = [
        "  ".join(r[i].ljust(widths[i]) for i in range(min(shown, len(r)))).rstrip() for r in cells
    ]
    if shown < count:
        lines.append(f"(… {count - shown} more columns; widen the terminal to see them)")
    return lines


def match_text(column: pb.ColumnMapping) -> str:
    """Why the matcher chose a column, e.g. `synonym (nl)` or `label column (Phone 1 - Label)`."""
    if column.match_reason == pb.MATCH_REASON_UNSPECIFIED:
        reason = "set by --map"
    else:
        reason = pb.MatchReason.Name(column.match_reason).removeprefix("MATCH_REASON_")
        reason = reason.lower().replace("_", " ")
    details = [d for d in (column.match_detail,) if d]
    if column.label_header:
        details.append(f"label: {column.label_header}")
    return f"{reason} ({'; '.join(details)})" if details else reason


def field_text(column: pb.ColumnMapping) -> str:
    """`address` with its part and group when it has them, else the field's name."""
    name = field_name(column.field)
    extras = []
    if column.address_part != pb.ADDRESS_PART_UNSPECIFIED:
        extras.append(
            pb.AddressPart.Name(column.address_part).removeprefix("ADDRESS_PART_").lower()
        )
    if column.address_group:
        extras.append(column.address_group)
    return f"{name} ({', '.join(extras)})" if extras else name


def mapping_lines(mapping: pb.Mapping, *, max_width: int) -> list[str]:
    rows = [["Header", "Field", "Match"]]
    rows.extend([c.header, field_text(c), match_text(c)] for c in mapping.columns)
    return table(rows, max_width=max_width, max_cell=MAX_MAPPING_CELL)


def header_match_lines(matches: Sequence[pb.HeaderMatch], *, max_width: int) -> list[str]:
    """Every header of the file: the field it fills (or `-` when left out) and why."""
    rows = [["Header", "Field", "Why"]]
    rows.extend(
        [m.header, field_text(m.column) if m.mapped else NOT_IMPORTED, m.explanation]
        for m in matches
    )
    cut = [[_cut(r[0], MAX_MAPPING_CELL), _cut(r[1], MAX_MAPPING_CELL), r[2]] for r in rows]
    used = sum(max(len(r[i]) for r in cut) + 2 for i in (0, 1))
    # The explanation gets the rest of the line, so that the column is never dropped.
    why_width = max(MAX_CELL, max_width - used)
    cut = [[r[0], r[1], _cut(r[2], why_width)] for r in cut]
    return table(cut, max_width=max_width, max_cell=max(MAX_MAPPING_CELL, why_width))


def upload_lines(answer: pb.UploadFileResponse, *, max_width: int) -> list[str]:
    """The uploaded file: headers, preview rows and the suggested mapping."""
    imp = answer.contact_import
    fmt = pb.FileFormat.Name(imp.file_format).removeprefix("FILE_FORMAT_")
    if imp.encoding and imp.encoding != "utf-8":
        fmt += f" in {imp.encoding}"
    lines = [
        f"Uploaded {imp.file_name} ({fmt}, {imp.file_size:,} bytes, "
        f"{answer.data_row_count:,} data rows) as import {imp.import_id}",
        "",
        f"Headers ({len(answer.headers)}): " + ", ".join(answer.headers),
        "",
        f"Preview (first {len(answer.preview_rows)} rows):",
    ]
    preview = [["Row", *answer.headers]]
    preview.extend([str(r.row_number), *r.cells] for r in answer.preview_rows)
    lines.extend("  " + line for line in table(preview, max_width=max_width - 2))
    lines += ["", "Suggested mapping:"]
    if answer.header_matches:
        lines.extend(
            "  " + line
            for line in header_match_lines(answer.header_matches, max_width=max_width - 2)
        )
        return lines
    # A server without header_matches: the mapped columns, then the left-out headers.
    lines.extend(
        "  " + line for line in mapping_lines(answer.suggested_mapping, max_width=max_width)
    )
    if answer.unmapped_headers:
        lines.append("  Not imported: " + ", ".join(answer.unmapped_headers))
    return lines


def counts_lines(contact_import: pb.ContactImport) -> list[str]:
    """The finished import's state and counts, and how to fetch its failure workbook."""
    counts = contact_import.counts
    dry = " (dry run: nothing stored)" if contact_import.dry_run else ""
    lines = [
        f"Import {contact_import.import_id}: {state_name(contact_import.state)}{dry}",
        f"  rows                     {counts.rows:>8,}",
        f"  imported                 {counts.imported:>8,}",
        f"    created                {counts.created:>8,}",
        f"    updated                {counts.updated:>8,}",
        f"    unchanged              {counts.unchanged:>8,}",
        f"    merged in file         {counts.merged_in_file:>8,}",
        f"  failed                   {counts.failed:>8,}",
        f"  mobiles stored as phone  {counts.mobiles_stored_as_phone:>8,}",
    ]
    if contact_import.error.reason:
        lines.append(f"  error: {contact_import.error.reason}: {contact_import.error.message}")
    if counts.failed > 0:
        lines.append(
            "Rejected rows and their reasons: contactimport failures "
            f"{contact_import.import_id} -o failures-{contact_import.import_id}.xlsx"
        )
    return lines


def time_text(stamp: timestamp_pb2.Timestamp) -> str:
    """`2026-11-20 14:03` in UTC; `-` for an unset time."""
    if stamp.seconds == 0 and stamp.nanos == 0:
        return NOT_KNOWN
    return stamp.ToDatetime(tzinfo=UTC).strftime("%Y-%m-%d %H:%M")


def format_name(file_format: pb.FileFormat) -> str:
    return pb.FileFormat.Name(file_format).removeprefix("FILE_FORMAT_")


def deletion_text(contact_import: pb.ContactImport) -> str:
    """The history's "N deleted by NAME." for a deleted import; "" for one that is not."""
    if not contact_import.HasField("deletion"):
        return ""
    deletion = contact_import.deletion
    return deletion.summary or f"{deletion.deleted_count} deleted by {deletion.deleted_by}."


def _state_text(contact_import: pb.ContactImport) -> str:
    dry = ", dry run" if contact_import.dry_run else ""
    return state_name(contact_import.state) + dry


def history_lines(
    imports: Sequence[pb.ContactImport], *, max_width: int, more: bool = False
) -> list[str]:
    """The history as a table in the server's order (newest first), a deleted import
    followed by its "N deleted by NAME." line, then how many there are."""
    if not imports:
        return ["No imports in the history."]
    # The id first: it is what `delete`, `get` and `failures` take, so a narrow terminal
    # drops the trailing columns rather than it.
    rows = [
        [
            "Import ID",
            "Uploaded (UTC)",
            "File",
            "Format",
            "State",
            "Rows",
            "Imported",
            "Failed",
            "Uploaded by",
        ]
    ]
    for imp in imports:
        started = imp.state != pb.ContactImport.STATE_UPLOADED
        rows.append(
            [
                imp.import_id,
                time_text(imp.create_time),
                _cut(imp.file_name, MAX_FILE_CELL),
                format_name(imp.file_format),
                _state_text(imp),
                f"{imp.counts.rows:,}",
                f"{imp.counts.imported:,}" if started else NOT_KNOWN,
                f"{imp.counts.failed:,}" if started else NOT_KNOWN,
                _cut(imp.uploaded_by),
            ]
        )
    widest = max(MAX_FILE_CELL, *(len(i.import_id) for i in imports))
    lines = table(rows, max_width=max_width, max_cell=widest)
    # Under each deleted import's row (lines[0] is the heading), its deletion.
    out = lines[:1]
    for imp, line in zip(imports, lines[1:], strict=False):
        out.append(line)
        if text := deletion_text(imp):
            out.append(f"  ↳ {text}")
    out.extend(lines[1 + len(imports) :])  # the "more columns" note, if any
    out.append(_count_line(len(imports), "import", more=more))
    return out


def contact_name(contact: pb.Contact) -> str:
    return " ".join(part for part in (contact.first_name, contact.last_name) if part)


def contacts_lines(
    contacts: Sequence[pb.Contact], *, max_width: int, more: bool = False
) -> list[str]:
    """The contacts as a table: name, company, e-mails, phones, mobiles and their import."""
    if not contacts:
        return ["No contacts found."]
    rows = [["Name", "Company", "Emails", "Phones", "Mobiles", "Import ID"]]
    rows.extend(
        [
            _cut(contact_name(c)),
            _cut(c.company),
            _cut(", ".join(c.emails), MAX_VALUES_CELL),
            _cut(", ".join(c.phones), MAX_VALUES_CELL),
            _cut(", ".join(c.mobiles), MAX_VALUES_CELL),
            c.import_id,
        ]
        for c in contacts
    )
    widest = max(MAX_VALUES_CELL, *(len(c.import_id) for c in contacts))
    lines = table(rows, max_width=max_width, max_cell=widest)
    lines.append(_count_line(len(contacts), "contact", more=more))
    return lines


def _count_line(count: int, noun: str, *, more: bool) -> str:
    plural = noun if count == 1 else noun + "s"
    if more:
        return f"First {count:,} {plural} shown; there are more (raise --limit, or leave it out)."
    return f"{count:,} {plural}."


def deleted_lines(contact_import: pb.ContactImport) -> list[str]:
    """What `delete` did: the import, then its "N deleted by NAME." and when."""
    imp = contact_import
    lines = [
        f"Deleted the contacts of import {imp.import_id} ({imp.file_name}, uploaded "
        f"{time_text(imp.create_time)} UTC by {imp.uploaded_by})."
    ]
    text = deletion_text(imp) or "Nothing was deleted."
    when = imp.deletion.delete_time
    lines.append(f"{text} ({time_text(when)} UTC)" if when.seconds else text)
    return lines


# Progress ----------------------------------------------------------------------------------


def progress_bar(contact_import: pb.ContactImport, width: int = BAR_WIDTH) -> str:
    """`[#######-------]  50%  5,000/10,000 rows  RUNNING` for a terminal."""
    counts = contact_import.counts
    fraction = min(counts.processed / counts.rows, 1.0) if counts.rows > 0 else 0.0
    if contact_import.state in TERMINAL_STATES:
        fraction = 1.0
    filled = int(fraction * width)
    return (
        f"[{'#' * filled}{'-' * (width - filled)}] {fraction:>4.0%}  "
        f"{counts.processed:,}/{counts.rows:,} rows  {state_name(contact_import.state)}"
    )


def progress_line(contact_import: pb.ContactImport) -> str:
    """`RUNNING: 5000/10000 rows processed (50%), 4990 imported, 10 failed` for logs."""
    counts = contact_import.counts
    percent = f"{counts.processed / counts.rows:.0%}" if counts.rows > 0 else "0%"
    return (
        f"{state_name(contact_import.state)}: {counts.processed}/{counts.rows} rows processed "
        f"({percent}), {counts.imported} imported, {counts.failed} failed"
    )


class Progress:
    """Shows a watched import on `stream`: a redrawn bar on a terminal, else throttled lines."""

    def __init__(
        self,
        stream: TextIO,
        *,
        tty: bool,
        plain: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream = stream
        self._tty = tty
        self._plain = plain
        self._clock = clock
        self._last_line: float | None = None
        self._drawn = False

    def update(self, contact_import: pb.ContactImport) -> None:
        if self._tty:
            self._stream.write("\r" + progress_bar(contact_import) + "\x1b[K")
            self._stream.flush()
            self._drawn = True
            return
        if not self._plain:
            return
        now = self._clock()
        due = self._last_line is None or now - self._last_line >= PLAIN_INTERVAL_SECONDS
        if due or contact_import.state in TERMINAL_STATES:
            self._stream.write(progress_line(contact_import) + "\n")
            self._stream.flush()
            self._last_line = now

    def close(self) -> None:
        """End the bar's line so later output starts on a fresh one."""
        if self._drawn:
            self._stream.write("\n")
            self._stream.flush()
            self._drawn = False
