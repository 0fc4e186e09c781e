"""What the command prints, without a server: the `--json` shapes, error lines,
progress, counts, the suggested mapping, and the history and contacts tables."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from google.protobuf import timestamp_pb2

from services.cli import render
from services.cli.client import CallError
from shared.gen.contactimport.v1 import import_service_pb2 as pb
from tests.cli.canned import HISTORY, SUGGESTED, column, timestamp
from tests.cli.printed import cells

State = pb.ContactImport
StateValue = pb.ContactImport.State


# --json and error output ------------------------------------------------------------------


def test_error_json_has_exactly_the_documented_shape() -> None:
    error = CallError("INVALID_ARGUMENT", "NOT_UTF8", "Save it as “CSV UTF-8”.", (("f", "d"),))
    text = render.error_json(error)
    assert "\n" not in text
    assert json.loads(text) == {
        "error": {
            "code": "INVALID_ARGUMENT",
            "reason": "NOT_UTF8",
            "message": "Save it as “CSV UTF-8”.",
        }
    }


def test_error_lines_name_code_reason_and_violations() -> None:
    error = CallError(
        "INVALID_ARGUMENT",
        "INVALID_MAPPING",
        "The mapping is incomplete.",
        (("mapping.columns", "add a phone or mobile column"),),
    )
    assert render.error_lines(error) == [
        "error: INVALID_ARGUMENT INVALID_MAPPING: The mapping is incomplete.",
        "  mapping.columns: add a phone or mobile column",
    ]
    assert render.error_lines(CallError("UNAVAILABLE", "", "down")) == ["error: UNAVAILABLE: down"]


def test_import_json_is_one_line_in_protobuf_json_mapping() -> None:
    imp = pb.ContactImport(
        import_id="i-1",
        state=State.STATE_PARTIALLY_SUCCEEDED,
        counts=pb.ImportCounts(rows=3, processed=3, imported=2, failed=1),
        has_failure_workbook=True,
    )
    text = render.import_json(imp)
    assert "\n" not in text
    assert json.loads(text) == {
        "importId": "i-1",
        "state": "STATE_PARTIALLY_SUCCEEDED",
        "counts": {"rows": 3, "processed": 3, "imported": 2, "failed": 1},
        "hasFailureWorkbook": True,
    }


# Progress ---------------------------------------------------------------------------------


def _imp(state: StateValue, rows: int = 0, processed: int = 0, **counts: int) -> pb.ContactImport:
    return pb.ContactImport(
        import_id="i-1",
        state=state,
        counts=pb.ImportCounts(rows=rows, processed=processed, **counts),
    )


@pytest.mark.parametrize(
    ("imp", "bar", "line"),
    [
        pytest.param(
            _imp(State.STATE_QUEUED, rows=10_000),
            "[" + "-" * 30 + "]   0%  0/10,000 rows  QUEUED",
            "QUEUED: 0/10000 rows processed (0%), 0 imported, 0 failed",
            id="queued",
        ),
        pytest.param(
            _imp(State.STATE_RUNNING, rows=10_000, processed=5_000, imported=4_990, failed=10),
            "[" + "#" * 15 + "-" * 15 + "]  50%  5,000/10,000 rows  RUNNING",
            "RUNNING: 5000/10000 rows processed (50%), 4990 imported, 10 failed",
            id="half",
        ),
        pytest.param(
            _imp(State.STATE_RUNNING),
            "[" + "-" * 30 + "]   0%  0/0 rows  RUNNING",
            "RUNNING: 0/0 rows processed (0%), 0 imported, 0 failed",
            id="no-rows-known",
        ),
        pytest.param(
            _imp(State.STATE_FAILED, rows=4, processed=1),
            "[" + "#" * 30 + "] 100%  1/4 rows  FAILED",
            "FAILED: 1/4 rows processed (25%), 0 imported, 0 failed",
            id="terminal-fills-bar",
        ),
    ],
)
def test_progress_formats(imp: pb.ContactImport, bar: str, line: str) -> None:
    assert render.progress_bar(imp) == bar
    assert render.progress_line(imp) == line


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_plain_progress_prints_at_most_every_second_and_always_the_end() -> None:
    # Given a non-terminal stream and a clock we move by hand
    stream, clock = io.StringIO(), FakeClock()
    progress = render.Progress(stream, tty=False, clock=clock)
    # When updates come faster than once a second
    progress.update(_imp(State.STATE_QUEUED, rows=10))
    clock.now += 0.5
    progress.update(_imp(State.STATE_RUNNING, rows=10, processed=5))
    clock.now += 0.6
    progress.update(_imp(State.STATE_RUNNING, rows=10, processed=8))
    clock.now += 0.1
    progress.update(_imp(State.STATE_SUCCEEDED, rows=10, processed=10, imported=10))
    progress.close()
    # Then only the first, the one a second later, and the terminal one are printed
    assert [line.split(":")[0] for line in stream.getvalue().splitlines()] == [
        "QUEUED",
        "RUNNING",
        "SUCCEEDED",
    ]
    assert "8/10" in stream.getvalue()


def test_tty_progress_redraws_one_line_and_ends_it() -> None:
    stream = io.StringIO()
    progress = render.Progress(stream, tty=True)
    progress.update(_imp(State.STATE_RUNNING, rows=10, processed=5))
    progress.update(_imp(State.STATE_SUCCEEDED, rows=10, processed=10))
    progress.close()
    text = stream.getvalue()
    assert text.count("\r") == 2
    assert text.endswith("SUCCEEDED\x1b[K\n")


def test_counts_lines_point_to_the_failure_workbook_only_when_rows_failed() -> None:
    done = _imp(State.STATE_PARTIALLY_SUCCEEDED, rows=3, processed=3, imported=2, failed=1)
    lines = render.counts_lines(done)
    assert lines[0] == "Import i-1: PARTIALLY_SUCCEEDED"
    assert lines[-1].endswith("contactimport failures i-1 -o failures-i-1.xlsx")
    clean = render.counts_lines(_imp(State.STATE_SUCCEEDED, rows=3, processed=3, imported=3))
    assert not any("failures" in line for line in clean)


def test_table_cuts_long_cells_and_columns_that_do_not_fit() -> None:
    lines = render.table([["A", "B", "C"], ["x" * 40, "y", "z"]], max_width=28)
    assert lines[1] == "x" * 23 + "…  y"
    assert lines[-1].startswith("(… 1 more columns")


def _upload_answer(**extra: Any) -> pb.UploadFileResponse:
    return pb.UploadFileResponse(
        contact_import=_imp(State.STATE_UPLOADED),
        headers=["Voornaam", "Mobiel", "Shoe size"],
        suggested_mapping=pb.Mapping(columns=SUGGESTED.columns[:1]),
        unmapped_headers=["Shoe size"],
        **extra,
    )


def test_suggested_mapping_shows_every_header_with_its_field_and_why() -> None:
    why_long = "Label column of “Phone 1 - Value”: its value decides, row by row, that kind"
    answer = _upload_answer(
        header_matches=[
            pb.HeaderMatch(
                header="Voornaam",
                mapped=True,
                column=SUGGESTED.columns[0],
                field_display_name="First name",
                explanation="Synonym (Dutch) of First name",
            ),
            pb.HeaderMatch(
                header="Mobiel",
                mapped=True,
                column=column("Mobiel", "mobile", match_reason=pb.MATCH_REASON_REMEMBERED),
                field_display_name="Mobile",
                explanation="Remembered from your import of “a.csv” on 2026-11-20",
            ),
            pb.HeaderMatch(
                header="Shoe size",
                unmapped_reason=pb.UNMAPPED_REASON_NO_MATCH,
                explanation="No field matches this header",
            ),
            pb.HeaderMatch(
                header="Phone 1 - Label",
                unmapped_reason=pb.UNMAPPED_REASON_LABEL_COLUMN,
                explanation=why_long,
            ),
        ]
    )

    lines = render.upload_lines(answer, max_width=120)

    table = lines[lines.index("Suggested mapping:") + 1 :]
    assert [line.split()[:3] for line in table[:1]] == [["Header", "Field", "Why"]]
    assert table[1].split("  ")[-1] == "Synonym (Dutch) of First name"
    assert "first_name" in table[1]
    assert table[2].endswith("Remembered from your import of “a.csv” on 2026-11-20")
    assert table[3].startswith("  Shoe size")
    assert "  -  " in table[3]
    assert table[3].endswith("No field matches this header")
    assert table[4].endswith(why_long)  # the explanation takes the rest of the line
    assert not any(line.startswith("  Not imported") for line in lines)
    narrow = render.upload_lines(answer, max_width=60)
    narrow_table = narrow[narrow.index("Suggested mapping:") + 1 :]
    assert all(len(line) <= 60 for line in narrow_table)
    assert narrow_table[4].endswith("…")  # cut, but the Why column is still there


def test_suggested_mapping_without_header_matches_lists_the_left_out_headers() -> None:
    lines = render.upload_lines(_upload_answer(), max_width=100)
    assert lines[-1] == "  Not imported: Shoe size"


# History and contacts tables ---------------------------------------------------------------


def test_history_keeps_the_id_when_the_terminal_is_narrow() -> None:
    lines = render.history_lines(HISTORY, max_width=60)
    assert lines[0].startswith("Import ID  Uploaded (UTC)")
    assert all(len(line) <= 60 for line in lines)
    assert any(line.startswith("(… ") and "more columns" in line for line in lines)
    assert "  ↳ 12 deleted by Bob Boss." in lines
    assert lines[-1] == "5 imports."


@pytest.mark.parametrize(
    ("deletion", "text"),
    [
        pytest.param(None, "", id="not-deleted"),
        pytest.param(
            pb.ImportDeletion(deleted_count=3, deleted_by="Ann", summary="3 deleted by Ann."),
            "3 deleted by Ann.",
            id="server-summary",
        ),
        pytest.param(
            pb.ImportDeletion(deleted_count=0, deleted_by="Ann"),
            "0 deleted by Ann.",
            id="no-summary-composed",
        ),
    ],
)
def test_deletion_text(deletion: pb.ImportDeletion | None, text: str) -> None:
    imp = pb.ContactImport(import_id="i")
    if deletion is not None:
        imp.deletion.CopyFrom(deletion)
    assert render.deletion_text(imp) == text


@pytest.mark.parametrize(
    ("stamp", "text"),
    [
        pytest.param(timestamp_pb2.Timestamp(), "-", id="unset"),
        pytest.param(timestamp("2026-01-02T03:04:59.9Z"), "2026-01-02 03:04", id="utc-minutes"),
    ],
)
def test_time_text(stamp: timestamp_pb2.Timestamp, text: str) -> None:
    assert render.time_text(stamp) == text


def test_contacts_table_cuts_long_value_lists() -> None:
    many = pb.Contact(
        contact_id="c",
        import_id="imp-9",
        first_name="Zoë",
        emails=[f"person{n}@example.com" for n in range(5)],
    )
    lines = render.contacts_lines([many], max_width=200)
    emails = cells(lines[1])[1]  # no company: the e-mails are the second cell
    assert emails.startswith("person0@example.com, person1@")
    assert emails.endswith("…")
    assert len(emails) == render.MAX_VALUES_CELL
    assert lines[-1] == "1 contact."
