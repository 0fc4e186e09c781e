"""Thin RPC methods: translate messages and delegate to ImportsService."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

from grpc import aio

from services.import_api.contacts import ContactsService
from services.import_api.imports import CHUNK, ImportsService
from services.import_api.interceptor import current_identity
from services.import_api.language import asked_language, current_language
from services.import_api.messages import (
    contact_to_proto,
    field_catalogue,
    import_to_proto,
    mapping_from_proto,
    policy_from_proto,
    preview_fields,
)
from services.import_api.requests import check_optional_request_id, parse_import_id
from services.import_api.template import build_template, template_locale
from services.import_api.upload import UploadMeta
from shared.errors import FieldViolation, InvalidRequest, Reason
from shared.gen.contactimport.v1 import import_service_pb2 as pb
from shared.gen.contactimport.v1 import import_service_pb2_grpc as pb_grpc
from shared.i18n.text import t


def _chunks(content: bytes, file_name: str) -> Iterator[tuple[bytes, str]]:
    """A file as stream chunks of at most CHUNK bytes, its name on the first only."""
    for offset in range(0, len(content), CHUNK):
        yield content[offset : offset + CHUNK], file_name if offset == 0 else ""


class ImportServicer(pb_grpc.ImportServiceServicer):
    """contactimport.v1.ImportService."""

    def __init__(self, imports: ImportsService, contacts: ContactsService) -> None:
        self._imports = imports
        self._contacts = contacts

    async def UploadFile(
        self, request_iterator: AsyncIterator[pb.UploadFileRequest], context: aio.ServicerContext
    ) -> pb.UploadFileResponse:
        first = await anext(aiter(request_iterator), None)
        if first is None or first.WhichOneof("payload") != "metadata":
            raise InvalidRequest(
                t("The first message of an upload must carry the file's metadata."),
                [
                    FieldViolation(
                        "metadata", t("Send FileMetadata (file_name, ...) first, then chunks.")
                    )
                ],
                Reason.METADATA_MISSING,
            )
        given = first.metadata
        meta = UploadMeta(
            given.file_name, given.size, given.sha256, given.encoding, given.request_id
        )

        async def chunks() -> AsyncIterator[bytes]:
            async for message in request_iterator:
                if message.WhichOneof("payload") != "chunk":
                    raise InvalidRequest(
                        t("Only the first message of an upload may carry metadata."),
                        [
                            FieldViolation(
                                "chunk", t("Send the file's bytes as chunks after the metadata.")
                            )
                        ],
                    )
                yield message.chunk

        preview = await self._imports.upload(current_identity(), meta, chunks())
        return pb.UploadFileResponse(**preview_fields(preview))

    async def GetFilePreview(
        self, request: pb.GetFilePreviewRequest, context: aio.ServicerContext
    ) -> pb.GetFilePreviewResponse:
        preview = await self._imports.preview(
            current_identity(), parse_import_id(request.import_id), request.row_limit
        )
        return pb.GetFilePreviewResponse(**preview_fields(preview), fields=field_catalogue())

    async def StartImport(
        self, request: pb.StartImportRequest, context: aio.ServicerContext
    ) -> pb.StartImportResponse:
        import_id = parse_import_id(request.import_id)
        mapping, unknown = mapping_from_proto(request.mapping)
        if unknown:
            raise InvalidRequest(
                t("The mapping names a field or address part this service does not know."),
                [
                    FieldViolation(
                        f"mapping.columns[{i}].field",
                        t("Choose a ContactField and AddressPart value."),
                    )
                    for i in unknown
                ],
                Reason.INVALID_MAPPING,
            )
        record = await self._imports.start(
            current_identity(),
            import_id,
            mapping,
            request.default_country,
            request.dry_run,
            request.request_id,
            policy_from_proto(request.duplicate_policy),
            current_language(),
        )
        return pb.StartImportResponse(contact_import=import_to_proto(record))

    async def GetImport(
        self, request: pb.GetImportRequest, context: aio.ServicerContext
    ) -> pb.GetImportResponse:
        record = await self._imports.get(current_identity(), parse_import_id(request.import_id))
        return pb.GetImportResponse(contact_import=import_to_proto(record))

    async def WatchImport(
        self, request: pb.WatchImportRequest, context: aio.ServicerContext
    ) -> AsyncIterator[pb.WatchImportResponse]:
        async for record in self._imports.watch(
            current_identity(), parse_import_id(request.import_id)
        ):
            yield pb.WatchImportResponse(contact_import=import_to_proto(record))

    async def DownloadFailures(
        self, request: pb.DownloadFailuresRequest, context: aio.ServicerContext
    ) -> AsyncIterator[pb.DownloadFailuresResponse]:
        name, content = await self._imports.failure_workbook(
            current_identity(), parse_import_id(request.import_id), asked_language()
        )
        for chunk, file_name in _chunks(content, name):
            yield pb.DownloadFailuresResponse(chunk=chunk, file_name=file_name)

    async def ListImports(
        self, request: pb.ListImportsRequest, context: aio.ServicerContext
    ) -> pb.ListImportsResponse:
        page = await self._imports.history(
            current_identity(), request.page_size, request.page_token
        )
        return pb.ListImportsResponse(
            imports=[import_to_proto(r) for r in page.imports],
            next_page_token=page.next_page_token,
        )

    async def DeleteImport(
        self, request: pb.DeleteImportRequest, context: aio.ServicerContext
    ) -> pb.DeleteImportResponse:
        check_optional_request_id(request.request_id, "DeleteImport")
        record = await self._imports.delete(current_identity(), parse_import_id(request.import_id))
        return pb.DeleteImportResponse(contact_import=import_to_proto(record))

    async def DownloadTemplate(
        self, request: pb.DownloadTemplateRequest, context: aio.ServicerContext
    ) -> AsyncIterator[pb.DownloadTemplateResponse]:
        locale = template_locale(request.locale or current_language())
        name, content = await asyncio.to_thread(build_template, locale)
        for chunk, file_name in _chunks(content, name):
            yield pb.DownloadTemplateResponse(chunk=chunk, file_name=file_name)

    async def ListContacts(
        self, request: pb.ListContactsRequest, context: aio.ServicerContext
    ) -> pb.ListContactsResponse:
        page = await self._contacts.list(
            current_identity(),
            request.import_id,
            request.query,
            request.page_size,
            request.page_token,
        )
        return pb.ListContactsResponse(
            contacts=[contact_to_proto(c) for c in page.contacts],
            next_page_token=page.next_page_token,
        )
