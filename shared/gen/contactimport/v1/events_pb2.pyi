import datetime

from shared.gen.contactimport.v1 import import_service_pb2 as _import_service_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ImportEventKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    IMPORT_EVENT_KIND_UNSPECIFIED: _ClassVar[ImportEventKind]
    IMPORT_EVENT_KIND_FINISHED: _ClassVar[ImportEventKind]
    IMPORT_EVENT_KIND_DELETED: _ClassVar[ImportEventKind]
IMPORT_EVENT_KIND_UNSPECIFIED: ImportEventKind
IMPORT_EVENT_KIND_FINISHED: ImportEventKind
IMPORT_EVENT_KIND_DELETED: ImportEventKind

class ImportEvent(_message.Message):
    __slots__ = ("event_id", "kind", "import_id", "tenant_id", "state", "counts", "actor_id", "actor_name", "occurred_at", "error_reason", "dry_run", "deleted_count", "restored_count", "kept_count")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    IMPORT_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    COUNTS_FIELD_NUMBER: _ClassVar[int]
    ACTOR_ID_FIELD_NUMBER: _ClassVar[int]
    ACTOR_NAME_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    ERROR_REASON_FIELD_NUMBER: _ClassVar[int]
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    DELETED_COUNT_FIELD_NUMBER: _ClassVar[int]
    RESTORED_COUNT_FIELD_NUMBER: _ClassVar[int]
    KEPT_COUNT_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    kind: ImportEventKind
    import_id: str
    tenant_id: str
    state: _import_service_pb2.ContactImport.State
    counts: _import_service_pb2.ImportCounts
    actor_id: str
    actor_name: str
    occurred_at: _timestamp_pb2.Timestamp
    error_reason: str
    dry_run: bool
    deleted_count: int
    restored_count: int
    kept_count: int
    def __init__(self, event_id: _Optional[str] = ..., kind: _Optional[_Union[ImportEventKind, str]] = ..., import_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., state: _Optional[_Union[_import_service_pb2.ContactImport.State, str]] = ..., counts: _Optional[_Union[_import_service_pb2.ImportCounts, _Mapping]] = ..., actor_id: _Optional[str] = ..., actor_name: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., error_reason: _Optional[str] = ..., dry_run: _Optional[bool] = ..., deleted_count: _Optional[int] = ..., restored_count: _Optional[int] = ..., kept_count: _Optional[int] = ...) -> None: ...
