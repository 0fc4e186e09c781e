"""Authenticates every ImportService call and turns raised errors into rich status."""

from __future__ import annotations

import contextvars
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import grpc
from grpc import aio
from grpc_status import rpc_status

from services.import_api.draining import Drain
from services.import_api.language import current_language, set_language
from services.import_api.rich_status import from_exception, to_status
from shared.errors import Code, ContactImportError
from shared.i18n.negotiation import asked_for
from shared.identity import Identity, bearer_token, verify_token
from shared.settings import Settings

log = logging.getLogger(__name__)

SERVICE_PREFIX = "/contactimport.v1.ImportService/"

_identity: contextvars.ContextVar[Identity] = contextvars.ContextVar("identity")


def current_identity() -> Identity:
    """The caller of the RPC being served (set by the interceptor before the handler runs)."""
    return _identity.get()


class ImportServiceInterceptor(aio.ServerInterceptor):  # type: ignore[misc]
    """Bearer-token check, error mapping and the drain gate for every method of ImportService.

    Health and reflection stay open, so `grpcurl list` and probes need no token.
    """

    def __init__(self, settings: Settings, drain: Drain) -> None:
        self._drain = drain
        self._key = settings.jwt_verify_key()
        self._algorithms = settings.algorithms()
        self._audience = settings.jwt_audience

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler]],
        details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler:
        handler = await continuation(details)
        method: str = details.method
        if handler is None or not method.startswith(SERVICE_PREFIX):
            return handler
        metadata = {
            k.lower(): v for k, v in (details.invocation_metadata or ()) if isinstance(v, str)
        }
        return self._wrap(handler, method, metadata)

    def _begin(self, metadata: dict[str, str]) -> None:
        """The call's language (accept-language even for a refused token), then its caller."""
        accept = metadata.get("accept-language", "")
        set_language(asked_for(accept))
        identity = self._authenticate(metadata)
        _identity.set(identity)
        set_language(asked_for(accept, identity.locale))

    def _authenticate(self, metadata: dict[str, str]) -> Identity:
        return verify_token(
            bearer_token(metadata),
            key=self._key,
            algorithms=self._algorithms,
            audience=self._audience,
        )

    def _wrap(
        self, handler: grpc.RpcMethodHandler, method: str, metadata: dict[str, str]
    ) -> grpc.RpcMethodHandler:
        name = method.removeprefix(SERVICE_PREFIX)

        async def fail(exc: BaseException, context: aio.ServicerContext) -> None:
            error = from_exception(exc)
            if error.code is Code.INTERNAL:
                log.exception("rpc %s failed", name, exc_info=exc)
            else:
                log.info("rpc %s refused: %s %s", name, error.code, error.reason)
            status = to_status(error, current_language())
            await context.abort_with_status(rpc_status.to_status(status))

        if handler.unary_unary or handler.stream_unary:
            inner = handler.unary_unary or handler.stream_unary

            async def unary_response(request: Any, context: aio.ServicerContext) -> Any:
                try:
                    # Each RPC runs in its own task and context: no reset needed.
                    self._begin(metadata)
                    with self._drain.call():
                        return await inner(request, context)
                except aio.AbortError:
                    raise
                except (ContactImportError, Exception) as exc:
                    await fail(exc, context)

            factory = (
                grpc.unary_unary_rpc_method_handler
                if handler.unary_unary
                else grpc.stream_unary_rpc_method_handler
            )
            return factory(
                unary_response,
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer,
            )

        inner_stream = handler.unary_stream or handler.stream_stream

        async def stream_response(request: Any, context: aio.ServicerContext) -> AsyncIterator[Any]:
            try:
                self._begin(metadata)
                with self._drain.call():
                    async for response in inner_stream(request, context):
                        yield response
            except aio.AbortError:
                raise
            except (ContactImportError, Exception) as exc:
                await fail(exc, context)

        factory = (
            grpc.unary_stream_rpc_method_handler
            if handler.unary_stream
            else grpc.stream_stream_rpc_method_handler
        )
        return factory(
            stream_response,
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )
