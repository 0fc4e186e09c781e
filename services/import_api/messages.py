"""Proto messages to domain values and back (the servicer's only translation layer)."""

from __future__ import annotations

from typing import Any

from google.protobuf import duration_pb2, timestamp_pb2

from services.import_api.imports import FilePreview
from services.import_api.language import localized
from shared.contacts import DuplicatePolicy, StoredContact
from shared.errors import FieldViolation, InvalidRequest
from shared.gen.contactimport.v1 import events_pb2
from shared.gen.contactimport.v1 import import_service_pb2 as pb
from shared.i18n.text import t
from shared.mapping.explanations import HeaderMatch, UnmappedReason
from shared.mapping.fields import (
    FIELD_SPECS,
    AddressPart,
    ColumnMapping,
    ContactField,
    Mapping,
    MatchReason,
)
from shared.store.event_outbox import DELETED, EventRecord
from shared.store.imports import ImportRecord

# Enum values by name: the generated .pyi types them as their enum class, not int.
_FIELDS: dict[ContactField, Any] = {f: getattr(pb, f"CONTACT_FIELD_{f.name}") for f in ContactField}
_FIELDS_BACK = {v: k for k, v in _FIELDS.items()}
_PARTS: dict[AddressPart, Any] = {
    p: getattr(
        pb, "ADDRESS_PART_UNSPECIFIED" if p is AddressPart.WHOLE else f"ADDRESS_PART_{p.name}"
    )
    for p in AddressPart
}
_PARTS_BACK = {v: k for k, v in _PARTS.items()}
_REASONS: dict[MatchReason, Any] = {
    r: getattr(
        pb, "MATCH_REASON_UNSPECIFIED" if r is MatchReason.NONE else f"MATCH_REASON_{r.name}"
    )
    for r in MatchReason
}
_UNMAPPED: dict[UnmappedReason, Any] = {
    r: getattr(
        pb,
        "UNMAPPED_REASON_UNSPECIFIED" if r is UnmappedReason.NONE else f"UNMAPPED_REASON_{r.name}",
    )
    for r in UnmappedReason
}
_FORMATS = {
    "csv": pb.FILE_FORMAT_CSV,
    "xlsx": pb.FILE_FORMAT_XLSX,
    "xls": pb.FILE_FORMAT_XLS,
    "vcard": pb.FILE_FORMAT_VCARD,
}


def column_to_proto(c: ColumnMapping) -> pb.ColumnMapping:
    return pb.ColumnMapping(
        header=c.header,
        field=_FIELDS[c.field],
        address_part=_PARTS[c.address_part],
        address_group=c.address_group,
        label_header=c.label_header,
        match_reason=_REASONS[c.match_reason],
        match_detail=c.match_detail,
    )


def mapping_to_proto(mapping: Mapping) -> pb.Mapping:
    return pb.Mapping(columns=[column_to_proto(c) for c in mapping.columns])


def header_matches_to_proto(matches: list[HeaderMatch]) -> list[pb.HeaderMatch]:
    """One message per header, in the order given (file order)."""
    messages = []
    for m in matches:
        message = pb.HeaderMatch(
            header=m.header,
            mapped=m.column is not None,
            field_display_name=(
                localized(m.field_display_name) if m.field_display_name is not None else ""
            ),
            unmapped_reason=_UNMAPPED[m.unmapped_reason],
            explanation=localized(m.explanation),
            related_header=m.related_header,
        )
        if m.column is not None:
            message.column.CopyFrom(column_to_proto(m.column))
        messages.append(message)
    return messages


def mapping_from_proto(message: pb.Mapping) -> tuple[Mapping, list[int]]:
    """The caller's mapping, and the indexes of columns whose field or part is unknown."""
    columns = []
    unknown = []
    for index, c in enumerate(message.columns):
        field = _FIELDS_BACK.get(c.field)
        part = _PARTS_BACK.get(c.address_part)
        if field is None or part is None:
            unknown.append(index)
            continue
        columns.append(
            ColumnMapping(
                header=c.header,
                field=field,
                address_part=part,
                address_group=c.address_group,
                label_header=c.label_header,
            )
        )
    return Mapping(tuple(columns)), unknown


def field_catalogue() -> list[pb.FieldInfo]:
    return [
        pb.FieldInfo(
            field=_FIELDS[spec.field],
            name=spec.field.value,
            display_name=localized(spec.display_name),
            max_columns=0 if spec.multi_column else 1,
            max_values=spec.max_values,
            max_length=spec.max_length,
        )
        for spec in FIELD_SPECS.values()
    ]


def _timestamp(value: object) -> timestamp_pb2.Timestamp:
    ts = timestamp_pb2.Timestamp()
    ts.FromDatetime(value)  # type: ignore[arg-type]
    return ts


def _duration(seconds: float) -> duration_pb2.Duration:
    d = duration_pb2.Duration()
    d.FromNanoseconds(int(seconds * 1e9))
    return d


def import_to_proto(record: ImportRecord) -> pb.ContactImport:
    message = pb.ContactImport(
        import_id=str(record.id),
        file_name=record.file_name,
        file_format=_FORMATS[record.file_format],
        file_size=record.file_size,
        sha256=record.sha256,
        uploaded_by=record.uploaded_by,
        create_time=_timestamp(record.created_at),
        update_time=_timestamp(record.updated_at),
        state=getattr(pb.ContactImport, f"STATE_{record.state.value}"),
        counts=pb.ImportCounts(
            rows=record.rows_total,
            processed=record.rows_processed,
            imported=record.imported_count,
            failed=record.failed_count,
            mobiles_stored_as_phone=record.mobiles_as_phone,
            created=record.created_count,
            updated=record.updated_count,
            unchanged=record.unchanged_count,
            merged_in_file=record.merged_count,
        ),
        default_country=record.default_country,
        dry_run=record.dry_run,
        existing_contact_rows=record.existing_rows,
        has_failure_workbook=record.has_failure_workbook,
        language=record.language,
        encoding=record.encoding,
    )
    if record.finished_at is not None:
        message.finish_time.CopyFrom(_timestamp(record.finished_at))
    if record.mapping is not None:
        message.mapping.CopyFrom(mapping_to_proto(record.mapping))
        message.duplicate_policy = _POLICY_TO_PROTO[record.duplicate_policy]
    if record.error_reason:
        message.error.CopyFrom(
            pb.ImportFailure(
                reason=record.error_reason,
                message=localized(record.error_message) if record.error_message is not None else "",
            )
        )
    if record.timings:
        for stage in ("parse", "validate", "match", "insert", "workbook"):
            if stage in record.timings:
                getattr(message.timings, stage).CopyFrom(_duration(record.timings[stage]))
    summary = record.deletion_summary
    if record.deleted_at is not None:
        message.deletion.CopyFrom(
            pb.ImportDeletion(
                deleted_count=record.deleted_count or 0,
                deleted_by=record.deleted_by or "",
                delete_time=_timestamp(record.deleted_at),
                summary=localized(summary) if summary is not None else "",
                restored_count=record.restored_count or 0,
                kept_count=record.kept_count or 0,
            )
        )
    return message


def contact_to_proto(contact: StoredContact) -> pb.Contact:
    return pb.Contact(
        contact_id=str(contact.id),
        import_id=str(contact.import_id),
        source_row=contact.source_row,
        first_name=contact.first_name,
        last_name=contact.last_name,
        company=contact.company,
        emails=contact.emails,
        phones=contact.phones,
        mobiles=contact.mobiles,
        addresses=contact.addresses,
        notes=contact.notes,
        create_time=_timestamp(contact.created_at),
        updated_by_import_ids=[str(i) for i in contact.updated_by],
    )


_POLICY_TO_PROTO = {
    DuplicatePolicy.SKIP: pb.DUPLICATE_POLICY_SKIP,
    DuplicatePolicy.UPDATE: pb.DUPLICATE_POLICY_UPDATE,
    DuplicatePolicy.CREATE: pb.DUPLICATE_POLICY_CREATE,
}
_POLICY_FROM_PROTO: dict[int, DuplicatePolicy] = {
    number: policy for policy, number in _POLICY_TO_PROTO.items()
}


def policy_from_proto(value: int) -> DuplicatePolicy:
    """StartImportRequest.duplicate_policy; unset is SKIP, an unknown number refused."""
    if value == pb.DUPLICATE_POLICY_UNSPECIFIED:
        return DuplicatePolicy.SKIP
    if value not in _POLICY_FROM_PROTO:
        raise InvalidRequest(
            t("The duplicate policy is not one this service knows."),
            [
                FieldViolation(
                    "duplicate_policy",
                    t(
                        "Give DUPLICATE_POLICY_SKIP, DUPLICATE_POLICY_UPDATE or"
                        " DUPLICATE_POLICY_CREATE (or leave it unset for SKIP)."
                    ),
                )
            ],
        )
    return _POLICY_FROM_PROTO[value]


def preview_fields(preview: FilePreview) -> dict[str, Any]:
    """The fields UploadFileResponse and GetFilePreviewResponse share, built in one place."""
    return {
        "contact_import": import_to_proto(preview.record),
        "headers": preview.headers,
        "data_row_count": preview.record.rows_total,
        "preview_rows": [pb.PreviewRow(row_number=n, cells=cells) for n, cells in preview.rows],
        "suggested_mapping": mapping_to_proto(preview.suggested),
        "unmapped_headers": preview.unmapped,
        "header_matches": header_matches_to_proto(preview.header_matches),
    }


def encode_event(event: EventRecord) -> bytes:
    """A stored completion event as its ImportEvent protobuf (docs/events.md)."""
    c = event.counts
    message = events_pb2.ImportEvent(
        event_id=str(event.id),
        kind=events_pb2.IMPORT_EVENT_KIND_DELETED
        if event.routing_key == DELETED
        else events_pb2.IMPORT_EVENT_KIND_FINISHED,
        import_id=str(event.import_id),
        tenant_id=event.tenant_id,
        state=getattr(pb.ContactImport, f"STATE_{event.state}", pb.ContactImport.STATE_UNSPECIFIED),
        counts=pb.ImportCounts(
            rows=c.rows,
            processed=c.processed,
            imported=c.imported,
            failed=c.failed,
            mobiles_stored_as_phone=c.mobiles_as_phone,
            created=c.created,
            updated=c.updated,
            unchanged=c.unchanged,
            merged_in_file=c.merged_in_file,
        ),
        actor_id=event.actor_id,
        actor_name=event.actor_name,
        error_reason=event.error_reason,
        dry_run=event.dry_run,
        deleted_count=c.deleted,
        restored_count=c.restored,
        kept_count=c.kept,
    )
    message.occurred_at.FromDatetime(event.occurred_at)
    return message.SerializeToString()
