"""Wrapping a gRPC method handler's behaviour, whatever its kind, for the observing
interceptors (tracing, metrics): the one place that takes a handler apart and builds it
again with the same serializers, and that tells which status code a call ended with."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import grpc
from grpc import aio

Unary = Callable[[Any, aio.ServicerContext], Awaitable[Any]]
Streaming = Callable[[Any, aio.ServicerContext], AsyncIterator[Any]]


def final_code(context: aio.ServicerContext, failed: bool) -> grpc.StatusCode:
    """The code the caller sees: the one set on the context, else OK or UNKNOWN."""
    code = context.code()
    if isinstance(code, grpc.StatusCode):
        return code
    return grpc.StatusCode.UNKNOWN if failed else grpc.StatusCode.OK


def wrap_handler(
    handler: grpc.RpcMethodHandler,
    unary: Callable[[Unary], Unary],
    streaming: Callable[[Streaming], Streaming],
) -> grpc.RpcMethodHandler:
    """The handler with its behaviour passed through `unary` (a single response, or any
    coroutine) or `streaming` (an async generator of responses); requests may be single or
    streamed either way."""
    if handler.unary_unary or handler.stream_unary:
        make = (
            grpc.unary_unary_rpc_method_handler
            if handler.unary_unary
            else grpc.stream_unary_rpc_method_handler
        )
        behaviour: Unary | Streaming = unary(handler.unary_unary or handler.stream_unary)
    else:
        make = (
            grpc.unary_stream_rpc_method_handler
            if handler.unary_stream
            else grpc.stream_stream_rpc_method_handler
        )
        inner = handler.unary_stream or handler.stream_stream
        # A response stream is an async generator, or a coroutine that writes its responses
        # with context.write (grpc's own health Watch): that one is wrapped as a call.
        behaviour = streaming(inner) if inspect.isasyncgenfunction(inner) else unary(inner)
    return make(
        behaviour,
        request_deserializer=handler.request_deserializer,
        response_serializer=handler.response_serializer,
    )
