"""Canned answers of the fake service, shared by the CLI tests: a suggested mapping, a
history of five imports, five contacts and the template bytes."""

from __future__ import annotations

from typing import Any

from google.protobuf import timestamp_pb2

from shared.gen.contactimport.v1 import import_service_pb2 as pb

State = pb.ContactImport


def column(header: str, field: str, **extra: Any) -> pb.ColumnMapping:
    return pb.ColumnMapping(header=header, field=f"CONTACT_FIELD_{field.upper()}", **extra)


SUGGESTED = pb.Mapping(
    columns=[
        column("Voornaam", "first_name", match_reason=pb.MATCH_REASON_SYNONYM, match_detail="nl"),
        column("Achternaam", "last_name", match_reason=pb.MATCH_REASON_SYNONYM),
        column("Telefoon", "phone", match_reason=pb.MATCH_REASON_SYNONYM),
        column("E-mail", "email", match_reason=pb.MATCH_REASON_EXACT_NAME),
        column("Straat", "address", address_part=pb.ADDRESS_PART_STREET, address_group="Home"),
    ]
)


def field_pairs(mapping: pb.Mapping) -> list[tuple[str, str]]:
    return [
        (c.header, pb.ContactField.Name(c.field).removeprefix("CONTACT_FIELD_").lower())
        for c in mapping.columns
    ]


def template_bytes(locale: str) -> bytes:
    return b"PK\x03\x04" + locale.encode() * 50_000


def timestamp(text: str) -> timestamp_pb2.Timestamp:
    stamp = timestamp_pb2.Timestamp()
    stamp.FromJsonString(text)
    return stamp


HISTORY = [  # newest first, as the server lists them
    pb.ContactImport(
        import_id="imp-5",
        file_name="new.xlsx",
        file_format=pb.FILE_FORMAT_XLSX,
        uploaded_by="Ann Admin",
        create_time=timestamp("2026-11-21T10:00:00Z"),
        state=State.STATE_UPLOADED,
        counts=pb.ImportCounts(rows=10),
    ),
    pb.ContactImport(
        import_id="imp-4",
        file_name="old.csv",
        file_format=pb.FILE_FORMAT_CSV,
        uploaded_by="Ann Admin",
        create_time=timestamp("2026-11-20T16:45:30Z"),
        state=State.STATE_SUCCEEDED,
        counts=pb.ImportCounts(rows=12, processed=12, imported=12),
        deletion=pb.ImportDeletion(
            deleted_count=12,
            deleted_by="Bob Boss",
            delete_time=timestamp("2026-11-21T08:00:00Z"),
            summary="12 deleted by Bob Boss.",
        ),
    ),
    pb.ContactImport(
        import_id="imp-3",
        file_name="contacts.csv",
        file_format=pb.FILE_FORMAT_CSV,
        uploaded_by="Bob Boss",
        create_time=timestamp("2026-11-20T09:15:00Z"),
        state=State.STATE_PARTIALLY_SUCCEEDED,
        counts=pb.ImportCounts(rows=3, processed=3, imported=2, failed=1),
        has_failure_workbook=True,
    ),
    pb.ContactImport(
        import_id="imp-2",
        file_name="export.xls",
        file_format=pb.FILE_FORMAT_XLS,
        uploaded_by="Ann Admin",
        create_time=timestamp("2026-11-19T12:00:00Z"),
        state=State.STATE_FAILED,
        counts=pb.ImportCounts(rows=4, processed=4, failed=4),
        error=pb.ImportFailure(reason="NO_VALID_ROWS", message="No row was valid."),
    ),
    pb.ContactImport(
        import_id="imp-1",
        file_name="try.csv",
        file_format=pb.FILE_FORMAT_CSV,
        uploaded_by="Ann Admin",
        create_time=timestamp("2026-11-18T07:05:00Z"),
        state=State.STATE_SUCCEEDED,
        counts=pb.ImportCounts(rows=5, processed=5, imported=5),
        dry_run=True,
    ),
]


def _contact(number: int, import_id: str, first: str, last: str, **values: Any) -> pb.Contact:
    return pb.Contact(
        contact_id=f"c-{number}",
        import_id=import_id,
        source_row=number + 1,
        first_name=first,
        last_name=last,
        create_time=timestamp("2026-11-20T09:16:00Z"),
        **values,
    )


CONTACTS = [
    _contact(
        1,
        "imp-3",
        "Jan",
        "Jansen",
        company="Jansen BV",
        emails=["jan@example.nl", "j.jansen@work.example"],
        phones=["+31201234567"],
        mobiles=["+31612345678", "+31687654321"],
        addresses=["Damrak 1\n1012 LG Amsterdam"],
        notes="Calls back on Mondays.",
    ),
    _contact(2, "imp-3", "Eva", "", mobiles=["+31611111111"]),
    _contact(3, "imp-4", "René", "Müller", company="Café Zürich", phones=["+41441234567"]),
    _contact(4, "imp-4", "Janneke", "de Vries", emails=["janneke@example.be"]),
    _contact(5, "imp-4", "Piet", "Puk", phones=["+31101234567"]),
]
