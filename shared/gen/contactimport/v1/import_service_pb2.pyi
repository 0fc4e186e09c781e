import datetime

from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class FileFormat(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FILE_FORMAT_UNSPECIFIED: _ClassVar[FileFormat]
    FILE_FORMAT_CSV: _ClassVar[FileFormat]
    FILE_FORMAT_XLSX: _ClassVar[FileFormat]
    FILE_FORMAT_XLS: _ClassVar[FileFormat]
    FILE_FORMAT_VCARD: _ClassVar[FileFormat]

class ContactField(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONTACT_FIELD_UNSPECIFIED: _ClassVar[ContactField]
    CONTACT_FIELD_FIRST_NAME: _ClassVar[ContactField]
    CONTACT_FIELD_LAST_NAME: _ClassVar[ContactField]
    CONTACT_FIELD_FULL_NAME: _ClassVar[ContactField]
    CONTACT_FIELD_COMPANY: _ClassVar[ContactField]
    CONTACT_FIELD_EMAIL: _ClassVar[ContactField]
    CONTACT_FIELD_PHONE: _ClassVar[ContactField]
    CONTACT_FIELD_MOBILE: _ClassVar[ContactField]
    CONTACT_FIELD_ADDRESS: _ClassVar[ContactField]
    CONTACT_FIELD_NOTES: _ClassVar[ContactField]

class AddressPart(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ADDRESS_PART_UNSPECIFIED: _ClassVar[AddressPart]
    ADDRESS_PART_FORMATTED: _ClassVar[AddressPart]
    ADDRESS_PART_STREET: _ClassVar[AddressPart]
    ADDRESS_PART_EXTENDED: _ClassVar[AddressPart]
    ADDRESS_PART_PO_BOX: _ClassVar[AddressPart]
    ADDRESS_PART_POSTAL_CODE: _ClassVar[AddressPart]
    ADDRESS_PART_CITY: _ClassVar[AddressPart]
    ADDRESS_PART_REGION: _ClassVar[AddressPart]
    ADDRESS_PART_COUNTRY: _ClassVar[AddressPart]

class MatchReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MATCH_REASON_UNSPECIFIED: _ClassVar[MatchReason]
    MATCH_REASON_EXACT_NAME: _ClassVar[MatchReason]
    MATCH_REASON_SYNONYM: _ClassVar[MatchReason]
    MATCH_REASON_NUMBERED_REPEAT: _ClassVar[MatchReason]
    MATCH_REASON_KNOWN_LAYOUT: _ClassVar[MatchReason]
    MATCH_REASON_LABEL_COLUMN: _ClassVar[MatchReason]
    MATCH_REASON_REMEMBERED: _ClassVar[MatchReason]

class UnmappedReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    UNMAPPED_REASON_UNSPECIFIED: _ClassVar[UnmappedReason]
    UNMAPPED_REASON_NO_MATCH: _ClassVar[UnmappedReason]
    UNMAPPED_REASON_NOT_CONTACT_DATA: _ClassVar[UnmappedReason]
    UNMAPPED_REASON_LABEL_COLUMN: _ClassVar[UnmappedReason]
    UNMAPPED_REASON_FIELD_TAKEN: _ClassVar[UnmappedReason]
    UNMAPPED_REASON_REMEMBERED: _ClassVar[UnmappedReason]

class DuplicatePolicy(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DUPLICATE_POLICY_UNSPECIFIED: _ClassVar[DuplicatePolicy]
    DUPLICATE_POLICY_SKIP: _ClassVar[DuplicatePolicy]
    DUPLICATE_POLICY_UPDATE: _ClassVar[DuplicatePolicy]
    DUPLICATE_POLICY_CREATE: _ClassVar[DuplicatePolicy]
FILE_FORMAT_UNSPECIFIED: FileFormat
FILE_FORMAT_CSV: FileFormat
FILE_FORMAT_XLSX: FileFormat
FILE_FORMAT_XLS: FileFormat
FILE_FORMAT_VCARD: FileFormat
CONTACT_FIELD_UNSPECIFIED: ContactField
CONTACT_FIELD_FIRST_NAME: ContactField
CONTACT_FIELD_LAST_NAME: ContactField
CONTACT_FIELD_FULL_NAME: ContactField
CONTACT_FIELD_COMPANY: ContactField
CONTACT_FIELD_EMAIL: ContactField
CONTACT_FIELD_PHONE: ContactField
CONTACT_FIELD_MOBILE: ContactField
CONTACT_FIELD_ADDRESS: ContactField
CONTACT_FIELD_NOTES: ContactField
ADDRESS_PART_UNSPECIFIED: AddressPart
ADDRESS_PART_FORMATTED: AddressPart
ADDRESS_PART_STREET: AddressPart
ADDRESS_PART_EXTENDED: AddressPart
ADDRESS_PART_PO_BOX: AddressPart
ADDRESS_PART_POSTAL_CODE: AddressPart
ADDRESS_PART_CITY: AddressPart
ADDRESS_PART_REGION: AddressPart
ADDRESS_PART_COUNTRY: AddressPart
MATCH_REASON_UNSPECIFIED: MatchReason
MATCH_REASON_EXACT_NAME: MatchReason
MATCH_REASON_SYNONYM: MatchReason
MATCH_REASON_NUMBERED_REPEAT: MatchReason
MATCH_REASON_KNOWN_LAYOUT: MatchReason
MATCH_REASON_LABEL_COLUMN: MatchReason
MATCH_REASON_REMEMBERED: MatchReason
UNMAPPED_REASON_UNSPECIFIED: UnmappedReason
UNMAPPED_REASON_NO_MATCH: UnmappedReason
UNMAPPED_REASON_NOT_CONTACT_DATA: UnmappedReason
UNMAPPED_REASON_LABEL_COLUMN: UnmappedReason
UNMAPPED_REASON_FIELD_TAKEN: UnmappedReason
UNMAPPED_REASON_REMEMBERED: UnmappedReason
DUPLICATE_POLICY_UNSPECIFIED: DuplicatePolicy
DUPLICATE_POLICY_SKIP: DuplicatePolicy
DUPLICATE_POLICY_UPDATE: DuplicatePolicy
DUPLICATE_POLICY_CREATE: DuplicatePolicy

class ColumnMapping(_message.Message):
    __slots__ = ("header", "field", "address_part", "address_group", "label_header", "match_reason", "match_detail")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_PART_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_GROUP_FIELD_NUMBER: _ClassVar[int]
    LABEL_HEADER_FIELD_NUMBER: _ClassVar[int]
    MATCH_REASON_FIELD_NUMBER: _ClassVar[int]
    MATCH_DETAIL_FIELD_NUMBER: _ClassVar[int]
    header: str
    field: ContactField
    address_part: AddressPart
    address_group: str
    label_header: str
    match_reason: MatchReason
    match_detail: str
    def __init__(self, header: _Optional[str] = ..., field: _Optional[_Union[ContactField, str]] = ..., address_part: _Optional[_Union[AddressPart, str]] = ..., address_group: _Optional[str] = ..., label_header: _Optional[str] = ..., match_reason: _Optional[_Union[MatchReason, str]] = ..., match_detail: _Optional[str] = ...) -> None: ...

class HeaderMatch(_message.Message):
    __slots__ = ("header", "mapped", "column", "field_display_name", "unmapped_reason", "explanation", "related_header")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    MAPPED_FIELD_NUMBER: _ClassVar[int]
    COLUMN_FIELD_NUMBER: _ClassVar[int]
    FIELD_DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    UNMAPPED_REASON_FIELD_NUMBER: _ClassVar[int]
    EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    RELATED_HEADER_FIELD_NUMBER: _ClassVar[int]
    header: str
    mapped: bool
    column: ColumnMapping
    field_display_name: str
    unmapped_reason: UnmappedReason
    explanation: str
    related_header: str
    def __init__(self, header: _Optional[str] = ..., mapped: _Optional[bool] = ..., column: _Optional[_Union[ColumnMapping, _Mapping]] = ..., field_display_name: _Optional[str] = ..., unmapped_reason: _Optional[_Union[UnmappedReason, str]] = ..., explanation: _Optional[str] = ..., related_header: _Optional[str] = ...) -> None: ...

class Mapping(_message.Message):
    __slots__ = ("columns",)
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    columns: _containers.RepeatedCompositeFieldContainer[ColumnMapping]
    def __init__(self, columns: _Optional[_Iterable[_Union[ColumnMapping, _Mapping]]] = ...) -> None: ...

class FieldInfo(_message.Message):
    __slots__ = ("field", "name", "display_name", "max_columns", "max_values", "max_length")
    FIELD_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    MAX_COLUMNS_FIELD_NUMBER: _ClassVar[int]
    MAX_VALUES_FIELD_NUMBER: _ClassVar[int]
    MAX_LENGTH_FIELD_NUMBER: _ClassVar[int]
    field: ContactField
    name: str
    display_name: str
    max_columns: int
    max_values: int
    max_length: int
    def __init__(self, field: _Optional[_Union[ContactField, str]] = ..., name: _Optional[str] = ..., display_name: _Optional[str] = ..., max_columns: _Optional[int] = ..., max_values: _Optional[int] = ..., max_length: _Optional[int] = ...) -> None: ...

class PreviewRow(_message.Message):
    __slots__ = ("row_number", "cells")
    ROW_NUMBER_FIELD_NUMBER: _ClassVar[int]
    CELLS_FIELD_NUMBER: _ClassVar[int]
    row_number: int
    cells: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, row_number: _Optional[int] = ..., cells: _Optional[_Iterable[str]] = ...) -> None: ...

class ImportCounts(_message.Message):
    __slots__ = ("rows", "processed", "imported", "failed", "mobiles_stored_as_phone", "created", "updated", "unchanged", "merged_in_file")
    ROWS_FIELD_NUMBER: _ClassVar[int]
    PROCESSED_FIELD_NUMBER: _ClassVar[int]
    IMPORTED_FIELD_NUMBER: _ClassVar[int]
    FAILED_FIELD_NUMBER: _ClassVar[int]
    MOBILES_STORED_AS_PHONE_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    UPDATED_FIELD_NUMBER: _ClassVar[int]
    UNCHANGED_FIELD_NUMBER: _ClassVar[int]
    MERGED_IN_FILE_FIELD_NUMBER: _ClassVar[int]
    rows: int
    processed: int
    imported: int
    failed: int
    mobiles_stored_as_phone: int
    created: int
    updated: int
    unchanged: int
    merged_in_file: int
    def __init__(self, rows: _Optional[int] = ..., processed: _Optional[int] = ..., imported: _Optional[int] = ..., failed: _Optional[int] = ..., mobiles_stored_as_phone: _Optional[int] = ..., created: _Optional[int] = ..., updated: _Optional[int] = ..., unchanged: _Optional[int] = ..., merged_in_file: _Optional[int] = ...) -> None: ...

class StageTimings(_message.Message):
    __slots__ = ("parse", "validate", "insert", "workbook", "match")
    PARSE_FIELD_NUMBER: _ClassVar[int]
    VALIDATE_FIELD_NUMBER: _ClassVar[int]
    INSERT_FIELD_NUMBER: _ClassVar[int]
    WORKBOOK_FIELD_NUMBER: _ClassVar[int]
    MATCH_FIELD_NUMBER: _ClassVar[int]
    parse: _duration_pb2.Duration
    validate: _duration_pb2.Duration
    insert: _duration_pb2.Duration
    workbook: _duration_pb2.Duration
    match: _duration_pb2.Duration
    def __init__(self, parse: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., validate: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., insert: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., workbook: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., match: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class ImportDeletion(_message.Message):
    __slots__ = ("deleted_count", "deleted_by", "delete_time", "summary", "restored_count", "kept_count")
    DELETED_COUNT_FIELD_NUMBER: _ClassVar[int]
    DELETED_BY_FIELD_NUMBER: _ClassVar[int]
    DELETE_TIME_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    RESTORED_COUNT_FIELD_NUMBER: _ClassVar[int]
    KEPT_COUNT_FIELD_NUMBER: _ClassVar[int]
    deleted_count: int
    deleted_by: str
    delete_time: _timestamp_pb2.Timestamp
    summary: str
    restored_count: int
    kept_count: int
    def __init__(self, deleted_count: _Optional[int] = ..., deleted_by: _Optional[str] = ..., delete_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., summary: _Optional[str] = ..., restored_count: _Optional[int] = ..., kept_count: _Optional[int] = ...) -> None: ...

class ImportFailure(_message.Message):
    __slots__ = ("reason", "message")
    REASON_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    reason: str
    message: str
    def __init__(self, reason: _Optional[str] = ..., message: _Optional[str] = ...) -> None: ...

class ContactImport(_message.Message):
    __slots__ = ("import_id", "file_name", "file_format", "file_size", "sha256", "uploaded_by", "create_time", "update_time", "finish_time", "state", "counts", "mapping", "default_country", "dry_run", "has_failure_workbook", "error", "timings", "deletion", "duplicate_policy", "existing_contact_rows", "language", "encoding")
    class State(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        STATE_UNSPECIFIED: _ClassVar[ContactImport.State]
        STATE_UPLOADED: _ClassVar[ContactImport.State]
        STATE_QUEUED: _ClassVar[ContactImport.State]
        STATE_RUNNING: _ClassVar[ContactImport.State]
        STATE_SUCCEEDED: _ClassVar[ContactImport.State]
        STATE_PARTIALLY_SUCCEEDED: _ClassVar[ContactImport.State]
        STATE_FAILED: _ClassVar[ContactImport.State]
    STATE_UNSPECIFIED: ContactImport.State
    STATE_UPLOADED: ContactImport.State
    STATE_QUEUED: ContactImport.State
    STATE_RUNNING: ContactImport.State
    STATE_SUCCEEDED: ContactImport.State
    STATE_PARTIALLY_SUCCEEDED: ContactImport.State
    STATE_FAILED: ContactImport.State
    IMPORT_ID_FIELD_NUMBER: _ClassVar[int]
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    FILE_FORMAT_FIELD_NUMBER: _ClassVar[int]
    FILE_SIZE_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    UPLOADED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    FINISH_TIME_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    COUNTS_FIELD_NUMBER: _ClassVar[int]
    MAPPING_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_COUNTRY_FIELD_NUMBER: _ClassVar[int]
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    HAS_FAILURE_WORKBOOK_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    TIMINGS_FIELD_NUMBER: _ClassVar[int]
    DELETION_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_POLICY_FIELD_NUMBER: _ClassVar[int]
    EXISTING_CONTACT_ROWS_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    ENCODING_FIELD_NUMBER: _ClassVar[int]
    import_id: str
    file_name: str
    file_format: FileFormat
    file_size: int
    sha256: str
    uploaded_by: str
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    finish_time: _timestamp_pb2.Timestamp
    state: ContactImport.State
    counts: ImportCounts
    mapping: Mapping
    default_country: str
    dry_run: bool
    has_failure_workbook: bool
    error: ImportFailure
    timings: StageTimings
    deletion: ImportDeletion
    duplicate_policy: DuplicatePolicy
    existing_contact_rows: int
    language: str
    encoding: str
    def __init__(self, import_id: _Optional[str] = ..., file_name: _Optional[str] = ..., file_format: _Optional[_Union[FileFormat, str]] = ..., file_size: _Optional[int] = ..., sha256: _Optional[str] = ..., uploaded_by: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., finish_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., state: _Optional[_Union[ContactImport.State, str]] = ..., counts: _Optional[_Union[ImportCounts, _Mapping]] = ..., mapping: _Optional[_Union[Mapping, _Mapping]] = ..., default_country: _Optional[str] = ..., dry_run: _Optional[bool] = ..., has_failure_workbook: _Optional[bool] = ..., error: _Optional[_Union[ImportFailure, _Mapping]] = ..., timings: _Optional[_Union[StageTimings, _Mapping]] = ..., deletion: _Optional[_Union[ImportDeletion, _Mapping]] = ..., duplicate_policy: _Optional[_Union[DuplicatePolicy, str]] = ..., existing_contact_rows: _Optional[int] = ..., language: _Optional[str] = ..., encoding: _Optional[str] = ...) -> None: ...

class FileMetadata(_message.Message):
    __slots__ = ("file_name", "size", "sha256", "encoding", "request_id")
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    ENCODING_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    file_name: str
    size: int
    sha256: str
    encoding: str
    request_id: str
    def __init__(self, file_name: _Optional[str] = ..., size: _Optional[int] = ..., sha256: _Optional[str] = ..., encoding: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class UploadFileRequest(_message.Message):
    __slots__ = ("metadata", "chunk")
    METADATA_FIELD_NUMBER: _ClassVar[int]
    CHUNK_FIELD_NUMBER: _ClassVar[int]
    metadata: FileMetadata
    chunk: bytes
    def __init__(self, metadata: _Optional[_Union[FileMetadata, _Mapping]] = ..., chunk: _Optional[bytes] = ...) -> None: ...

class UploadFileResponse(_message.Message):
    __slots__ = ("contact_import", "headers", "data_row_count", "preview_rows", "suggested_mapping", "unmapped_headers", "header_matches")
    CONTACT_IMPORT_FIELD_NUMBER: _ClassVar[int]
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    DATA_ROW_COUNT_FIELD_NUMBER: _ClassVar[int]
    PREVIEW_ROWS_FIELD_NUMBER: _ClassVar[int]
    SUGGESTED_MAPPING_FIELD_NUMBER: _ClassVar[int]
    UNMAPPED_HEADERS_FIELD_NUMBER: _ClassVar[int]
    HEADER_MATCHES_FIELD_NUMBER: _ClassVar[int]
    contact_import: ContactImport
    headers: _containers.RepeatedScalarFieldContainer[str]
    data_row_count: int
    preview_rows: _containers.RepeatedCompositeFieldContainer[PreviewRow]
    suggested_mapping: Mapping
    unmapped_headers: _containers.RepeatedScalarFieldContainer[str]
    header_matches: _containers.RepeatedCompositeFieldContainer[HeaderMatch]
    def __init__(self, contact_import: _Optional[_Union[ContactImport, _Mapping]] = ..., headers: _Optional[_Iterable[str]] = ..., data_row_count: _Optional[int] = ..., preview_rows: _Optional[_Iterable[_Union[PreviewRow, _Mapping]]] = ..., suggested_mapping: _Optional[_Union[Mapping, _Mapping]] = ..., unmapped_headers: _Optional[_Iterable[str]] = ..., header_matches: _Optional[_Iterable[_Union[HeaderMatch, _Mapping]]] = ...) -> None: ...

class GetFilePreviewRequest(_message.Message):
    __slots__ = ("import_id", "row_limit")
    IMPORT_ID_FIELD_NUMBER: _ClassVar[int]
    ROW_LIMIT_FIELD_NUMBER: _ClassVar[int]
    import_id: str
    row_limit: int
    def __init__(self, import_id: _Optional[str] = ..., row_limit: _Optional[int] = ...) -> None: ...

class GetFilePreviewResponse(_message.Message):
    __slots__ = ("contact_import", "headers", "data_row_count", "preview_rows", "suggested_mapping", "unmapped_headers", "fields", "header_matches")
    CONTACT_IMPORT_FIELD_NUMBER: _ClassVar[int]
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    DATA_ROW_COUNT_FIELD_NUMBER: _ClassVar[int]
    PREVIEW_ROWS_FIELD_NUMBER: _ClassVar[int]
    SUGGESTED_MAPPING_FIELD_NUMBER: _ClassVar[int]
    UNMAPPED_HEADERS_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    HEADER_MATCHES_FIELD_NUMBER: _ClassVar[int]
    contact_import: ContactImport
    headers: _containers.RepeatedScalarFieldContainer[str]
    data_row_count: int
    preview_rows: _containers.RepeatedCompositeFieldContainer[PreviewRow]
    suggested_mapping: Mapping
    unmapped_headers: _containers.RepeatedScalarFieldContainer[str]
    fields: _containers.RepeatedCompositeFieldContainer[FieldInfo]
    header_matches: _containers.RepeatedCompositeFieldContainer[HeaderMatch]
    def __init__(self, contact_import: _Optional[_Union[ContactImport, _Mapping]] = ..., headers: _Optional[_Iterable[str]] = ..., data_row_count: _Optional[int] = ..., preview_rows: _Optional[_Iterable[_Union[PreviewRow, _Mapping]]] = ..., suggested_mapping: _Optional[_Union[Mapping, _Mapping]] = ..., unmapped_headers: _Optional[_Iterable[str]] = ..., fields: _Optional[_Iterable[_Union[FieldInfo, _Mapping]]] = ..., header_matches: _Optional[_Iterable[_Union[HeaderMatch, _Mapping]]] = ...) -> None: ...

class StartImportRequest(_message.Message):
    __slots__ = ("import_id", "mapping", "default_country", "dry_run", "request_id", "duplicate_policy")
    IMPORT_ID_FIELD_NUMBER: _ClassVar[int]
    MAPPING_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_COUNTRY_FIELD_NUMBER: _ClassVar[int]
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_POLICY_FIELD_NUMBER: _ClassVar[int]
    import_id: str
    mapping: Mapping
    default_country: str
    dry_run: bool
    request_id: str
    duplicate_policy: DuplicatePolicy
    def __init__(self, import_id: _Optional[str] = ..., mapping: _Optional[_Union[Mapping, _Mapping]] = ..., default_country: _Optional[str] = ..., dry_run: _Optional[bool] = ..., request_id: _Optional[str] = ..., duplicate_policy: _Optional[_Union[DuplicatePolicy, str]] = ...) -> None: ...

class StartImportResponse(_message.Message):
    __slots__ = ("contact_import",)
    CONTACT_IMPORT_FIELD_NUMBER: _ClassVar[int]
    contact_import: ContactImport
    def __init__(self, contact_import: _Optional[_Union[ContactImport, _Mapping]] = ...) -> None: ...

class GetImportRequest(_message.Message):
    __slots__ = ("import_id",)
    IMPORT_ID_FIELD_NUMBER: _ClassVar[int]
    import_id: str
    def __init__(self, import_id: _Optional[str] = ...) -> None: ...

class GetImportResponse(_message.Message):
    __slots__ = ("contact_import",)
    CONTACT_IMPORT_FIELD_NUMBER: _ClassVar[int]
    contact_import: ContactImport
    def __init__(self, contact_import: _Optional[_Union[ContactImport, _Mapping]] = ...) -> None: ...

class WatchImportRequest(_message.Message):
    __slots__ = ("import_id",)
    IMPORT_ID_FIELD_NUMBER: _ClassVar[int]
    import_id: str
    def __init__(self, import_id: _Optional[str] = ...) -> None: ...

class WatchImportResponse(_message.Message):
    __slots__ = ("contact_import",)
    CONTACT_IMPORT_FIELD_NUMBER: _ClassVar[int]
    contact_import: ContactImport
    def __init__(self, contact_import: _Optional[_Union[ContactImport, _Mapping]] = ...) -> None: ...

class ListImportsRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListImportsResponse(_message.Message):
    __slots__ = ("imports", "next_page_token")
    IMPORTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    imports: _containers.RepeatedCompositeFieldContainer[ContactImport]
    next_page_token: str
    def __init__(self, imports: _Optional[_Iterable[_Union[ContactImport, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DownloadFailuresRequest(_message.Message):
    __slots__ = ("import_id",)
    IMPORT_ID_FIELD_NUMBER: _ClassVar[int]
    import_id: str
    def __init__(self, import_id: _Optional[str] = ...) -> None: ...

class DownloadFailuresResponse(_message.Message):
    __slots__ = ("chunk", "file_name")
    CHUNK_FIELD_NUMBER: _ClassVar[int]
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    chunk: bytes
    file_name: str
    def __init__(self, chunk: _Optional[bytes] = ..., file_name: _Optional[str] = ...) -> None: ...

class DeleteImportRequest(_message.Message):
    __slots__ = ("import_id", "request_id")
    IMPORT_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    import_id: str
    request_id: str
    def __init__(self, import_id: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class DeleteImportResponse(_message.Message):
    __slots__ = ("contact_import",)
    CONTACT_IMPORT_FIELD_NUMBER: _ClassVar[int]
    contact_import: ContactImport
    def __init__(self, contact_import: _Optional[_Union[ContactImport, _Mapping]] = ...) -> None: ...

class DownloadTemplateRequest(_message.Message):
    __slots__ = ("locale",)
    LOCALE_FIELD_NUMBER: _ClassVar[int]
    locale: str
    def __init__(self, locale: _Optional[str] = ...) -> None: ...

class DownloadTemplateResponse(_message.Message):
    __slots__ = ("chunk", "file_name")
    CHUNK_FIELD_NUMBER: _ClassVar[int]
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    chunk: bytes
    file_name: str
    def __init__(self, chunk: _Optional[bytes] = ..., file_name: _Optional[str] = ...) -> None: ...

class Contact(_message.Message):
    __slots__ = ("contact_id", "import_id", "source_row", "first_name", "last_name", "company", "emails", "phones", "mobiles", "addresses", "notes", "create_time", "updated_by_import_ids")
    CONTACT_ID_FIELD_NUMBER: _ClassVar[int]
    IMPORT_ID_FIELD_NUMBER: _ClassVar[int]
    SOURCE_ROW_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    COMPANY_FIELD_NUMBER: _ClassVar[int]
    EMAILS_FIELD_NUMBER: _ClassVar[int]
    PHONES_FIELD_NUMBER: _ClassVar[int]
    MOBILES_FIELD_NUMBER: _ClassVar[int]
    ADDRESSES_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATED_BY_IMPORT_IDS_FIELD_NUMBER: _ClassVar[int]
    contact_id: str
    import_id: str
    source_row: int
    first_name: str
    last_name: str
    company: str
    emails: _containers.RepeatedScalarFieldContainer[str]
    phones: _containers.RepeatedScalarFieldContainer[str]
    mobiles: _containers.RepeatedScalarFieldContainer[str]
    addresses: _containers.RepeatedScalarFieldContainer[str]
    notes: str
    create_time: _timestamp_pb2.Timestamp
    updated_by_import_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, contact_id: _Optional[str] = ..., import_id: _Optional[str] = ..., source_row: _Optional[int] = ..., first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., company: _Optional[str] = ..., emails: _Optional[_Iterable[str]] = ..., phones: _Optional[_Iterable[str]] = ..., mobiles: _Optional[_Iterable[str]] = ..., addresses: _Optional[_Iterable[str]] = ..., notes: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_by_import_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class ListContactsRequest(_message.Message):
    __slots__ = ("import_id", "query", "page_size", "page_token")
    IMPORT_ID_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    import_id: str
    query: str
    page_size: int
    page_token: str
    def __init__(self, import_id: _Optional[str] = ..., query: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListContactsResponse(_message.Message):
    __slots__ = ("contacts", "next_page_token")
    CONTACTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    contacts: _containers.RepeatedCompositeFieldContainer[Contact]
    next_page_token: str
    def __init__(self, contacts: _Optional[_Iterable[_Union[Contact, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...
