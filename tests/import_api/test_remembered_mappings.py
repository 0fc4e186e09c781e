"""Remembered mappings: a tenant's changed mapping is suggested for its next file with the
same headers (folded, any order), never to another tenant, never when nothing changed."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from shared.gen.contactimport.v1 import import_service_pb2 as pb
from shared.mapping.signature import header_signature
from tests.support import csv_bytes, start, upload, wait_finished

pytestmark = pytest.mark.usefixtures("worker")

HEADERS = ["Voornaam", "Achternaam", "Telefoon", "Extra info", "Klantcode"]
ROW = ["Jan", "Jansen", "0612345678", "Belt liever na vijven", "K-17"]
FIRST = csv_bytes([HEADERS, ROW])


def _col(header: str, field: str, **extra: Any) -> pb.ColumnMapping:
    return pb.ColumnMapping(header=header, field=f"CONTACT_FIELD_{field.upper()}", **extra)


# The matcher suggests Voornaam/Achternaam/Telefoon (phone); the user makes Telefoon a
# mobile, adds Extra info as notes and leaves Klantcode out.
CHOSEN = pb.Mapping(
    columns=[
        _col("Voornaam", "first_name"),
        _col("Achternaam", "last_name"),
        _col("Telefoon", "mobile"),
        _col("Extra info", "notes"),
    ]
)


def _pairs(mapping: pb.Mapping) -> list[tuple[str, str]]:
    return [
        (c.header, pb.ContactField.Name(c.field).removeprefix("CONTACT_FIELD_").lower())
        for c in mapping.columns
    ]


def _reasons(mapping: pb.Mapping) -> set[int]:
    return {c.match_reason for c in mapping.columns}


async def _start_and_finish(stub, auth, uploaded, mapping=None) -> pb.ContactImport:
    started = await start(stub, auth, uploaded, mapping=mapping, dry_run=True)
    return await wait_finished(stub, auth, started.import_id)


async def _memory(db, tenant: str) -> list[dict[str, object]]:
    rows = await db.fetch(
        "SELECT signature, mapping::text AS mapping, source_import_id, file_name, updated_at"
        " FROM remembered_mappings WHERE tenant_id = $1",
        tenant,
    )
    return [dict(r) for r in rows]


# Each case: the second file's columns in its order, as (header of the first file, how the
# second file spells it, cell).
SECOND_FILES = [
    pytest.param(list(zip(HEADERS, HEADERS, ROW, strict=True)), id="same-headers"),
    pytest.param(
        [
            ("Klantcode", "Klantcode", "K-9"),
            ("Telefoon", "Telefoon", "0623456789"),
            ("Extra info", "Extra info", ""),
            ("Achternaam", "Achternaam", "Visser"),
            ("Voornaam", "Voornaam", "Piet"),
        ],
        id="other-order",
    ),
    pytest.param(
        [
            ("Voornaam", "VOORNAAM", "Piet"),
            ("Achternaam", "achternaam", "Visser"),
            ("Telefoon", "TELEFOON", "0623456789"),
            ("Extra info", "EXTRA INFO", ""),
            ("Klantcode", "klantcode", "K-9"),
        ],
        id="other-case",
    ),
    pytest.param(
        [
            ("Extra info", "Extra\n  info", ""),
            ("Voornaam", "Vóórnaam", "Piet"),
            ("Achternaam", "Achternäam", "Visser"),
            ("Klantcode", " KLANTCODE\u00a0", "K-9"),
            ("Telefoon", "Téléfoon", "0623456789"),
        ],
        id="accents-line-break-nbsp-order",
    ),
]


@pytest.mark.parametrize("columns", SECOND_FILES)
async def test_a_changed_mapping_is_suggested_for_the_next_file_with_the_same_headers(
    stub, auth, db, tenant, columns
):
    first = await upload(stub, auth, FIRST, "klanten-november.csv")
    assert _pairs(first.suggested_mapping) == [
        ("Voornaam", "first_name"),
        ("Achternaam", "last_name"),
        ("Telefoon", "phone"),
    ]
    await _start_and_finish(stub, auth, first, CHOSEN)
    [memory] = await _memory(db, tenant)
    day = f"{memory['updated_at']:%Y-%m-%d}"

    second = await upload(
        stub,
        auth,
        csv_bytes([[spelled for _, spelled, _ in columns], [cell for _, _, cell in columns]]),
        "klanten-december.csv",
    )

    # The second file's own header text (as the reader kept it), by the first file's header.
    spelled = {
        original: header for (original, _, _), header in zip(columns, second.headers, strict=True)
    }
    # Same choice, in the second file's column order and its exact header text.
    assert _pairs(second.suggested_mapping) == sorted(
        ((spelled[h], f) for h, f in _pairs(CHOSEN)),
        key=lambda pair: list(second.headers).index(pair[0]),
    )
    assert _reasons(second.suggested_mapping) == {pb.MATCH_REASON_REMEMBERED}
    assert {c.match_detail for c in second.suggested_mapping.columns} == {
        f"{day} klanten-november.csv"
    }
    assert list(second.unmapped_headers) == [spelled["Klantcode"]]
    explained = {m.header: (m.unmapped_reason, m.explanation) for m in second.header_matches}
    assert explained[spelled["Telefoon"]] == (
        pb.UNMAPPED_REASON_UNSPECIFIED,
        f"Remembered from your import of “klanten-november.csv” on {day}",
    )
    assert explained[spelled["Klantcode"]] == (
        pb.UNMAPPED_REASON_REMEMBERED,
        f"Left out, as in your import of “klanten-november.csv” on {day}",
    )
    preview = await stub.GetFilePreview(
        pb.GetFilePreviewRequest(import_id=second.contact_import.import_id), metadata=auth
    )
    assert preview.suggested_mapping == second.suggested_mapping
    assert list(preview.header_matches) == list(second.header_matches)

    # The remembered suggestion is valid as it stands: started unchanged, it imports.
    finished = await _start_and_finish(stub, auth, second)
    assert finished.state == pb.ContactImport.STATE_SUCCEEDED


async def test_another_tenant_never_sees_the_remembered_mapping(stub, auth, token_for):
    await _start_and_finish(stub, auth, await upload(stub, auth, FIRST), CHOSEN)
    other = (("authorization", f"Bearer {token_for(tenant=f'other-{uuid.uuid4().hex[:8]}')}"),)

    theirs = await upload(stub, other, FIRST)

    assert _pairs(theirs.suggested_mapping) == [
        ("Voornaam", "first_name"),
        ("Achternaam", "last_name"),
        ("Telefoon", "phone"),
    ]
    assert pb.MATCH_REASON_REMEMBERED not in _reasons(theirs.suggested_mapping)


@pytest.mark.parametrize(
    "as_sent",
    [
        pytest.param(lambda m: m, id="suggestion-as-is"),
        pytest.param(
            lambda m: pb.Mapping(columns=list(reversed(m.columns))), id="other-column-order"
        ),
        pytest.param(
            lambda m: pb.Mapping(
                columns=[
                    pb.ColumnMapping(header=c.header.upper(), field=c.field) for c in m.columns
                ]
            ),
            id="reasons-dropped-and-header-case-changed",
        ),
    ],
)
async def test_the_suggestion_used_unchanged_is_not_remembered(stub, auth, db, tenant, as_sent):
    first = await upload(stub, auth, FIRST)
    finished = await _start_and_finish(stub, auth, first, as_sent(first.suggested_mapping))

    assert finished.state == pb.ContactImport.STATE_SUCCEEDED
    assert await _memory(db, tenant) == []
    second = await upload(stub, auth, FIRST)
    assert pb.MATCH_REASON_REMEMBERED not in _reasons(second.suggested_mapping)


async def test_an_unchanged_remembered_suggestion_keeps_the_memory_and_a_new_choice_replaces_it(
    stub, auth, db, tenant
):
    first = await upload(stub, auth, FIRST, "first.csv")
    await _start_and_finish(stub, auth, first, CHOSEN)
    [before] = await _memory(db, tenant)

    second = await upload(stub, auth, FIRST, "second.csv")
    await _start_and_finish(stub, auth, second)
    assert await _memory(db, tenant) == [before]

    third = await upload(stub, auth, FIRST, "third.csv")
    changed = pb.Mapping(columns=[*CHOSEN.columns[:3], _col("Klantcode", "notes")])
    await _start_and_finish(stub, auth, third, changed)
    [after] = await _memory(db, tenant)
    assert (after["file_name"], str(after["source_import_id"])) == (
        "third.csv",
        third.contact_import.import_id,
    )

    fourth = await upload(stub, auth, FIRST, "fourth.csv")
    assert _pairs(fourth.suggested_mapping) == _pairs(changed)
    assert list(fourth.unmapped_headers) == ["Extra info"]


async def test_the_memory_is_stored_in_folded_headers_under_the_folded_signature(
    stub, auth, db, tenant
):
    await _start_and_finish(stub, auth, await upload(stub, auth, FIRST), CHOSEN)

    [memory] = await _memory(db, tenant)
    assert memory["signature"] == header_signature(["extra info", *HEADERS[:3], "KLANTCODE"])
    assert [c["header"] for c in json.loads(str(memory["mapping"]))] == [
        "voornaam",
        "achternaam",
        "telefoon",
        "extra info",
    ]


async def test_a_remembered_mapping_that_no_longer_passes_the_rules_is_ignored(
    stub, auth, db, tenant
):
    # Stored by an older version: no phone column, which StartImport would refuse now.
    no_phone = [
        {"header": "voornaam", "field": "first_name"},
        {"header": "extra info", "field": "notes"},
    ]
    await db.execute(
        "INSERT INTO remembered_mappings (tenant_id, signature, mapping, file_name)"
        " VALUES ($1, $2, $3::jsonb, 'old.csv')",
        tenant,
        header_signature(HEADERS),
        json.dumps(no_phone),
    )

    uploaded = await upload(stub, auth, FIRST)

    assert _pairs(uploaded.suggested_mapping) == [
        ("Voornaam", "first_name"),
        ("Achternaam", "last_name"),
        ("Telefoon", "phone"),
    ]
    assert pb.MATCH_REASON_REMEMBERED not in _reasons(uploaded.suggested_mapping)


async def test_label_columns_are_remembered_by_their_folded_header(stub, auth, tenant):
    headers = ["Name", "Phone 1 - Label", "Phone 1 - Value", "Phone 2 - Label", "Phone 2 - Value"]
    data = csv_bytes([headers, ["Ann", "Work", "0201234567", "Mobile", "0612345678"]])
    first = await upload(stub, auth, data)
    # The user drops the second number and its label.
    chosen = pb.Mapping(columns=list(first.suggested_mapping.columns)[:2])
    assert [c.label_header for c in chosen.columns] == ["", "Phone 1 - Label"]
    await _start_and_finish(stub, auth, first, chosen)

    renamed = ["PHONE 1 - VALUE", "phone 1 - label", "Phone 2 - Value", "Phone 2 - Label", "NAME"]
    second = await upload(
        stub, auth, csv_bytes([renamed, ["0201234567", "Work", "0612345678", "Mobile", "Ann"]])
    )

    assert [(c.header, c.label_header) for c in second.suggested_mapping.columns] == [
        ("PHONE 1 - VALUE", "phone 1 - label"),
        ("NAME", ""),
    ]
    labels = {m.header: m.unmapped_reason for m in second.header_matches if not m.mapped}
    assert labels == {
        "phone 1 - label": pb.UNMAPPED_REASON_LABEL_COLUMN,
        "Phone 2 - Value": pb.UNMAPPED_REASON_REMEMBERED,
        "Phone 2 - Label": pb.UNMAPPED_REASON_REMEMBERED,
    }
