"""The Dramatiq broker and the one message the API sends the workers.

The message carries only the import id; the actor is looked up by name, so the API
never imports worker code. RabbitMQ (`amqp://`) is the production broker; Redis
(`redis://`, `rediss://`, `unix://`) serves local development and small setups.
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import dramatiq

PROCESS_IMPORT_ACTOR = "process_import"


# Every wait on the broker has a bound (docs/operations.md, "Faults"). RabbitMQ (pika's URL
# parameters, unless BROKER_URL sets them): a socket read or write, the connection
# handshake, and a publish held back by a broker in a resource alarm ("connection blocked",
# otherwise waited out forever). Redis: connecting and each command.
RABBITMQ_BOUNDS = {"socket_timeout": "5", "stack_timeout": "15", "blocked_connection_timeout": "10"}
REDIS_BOUNDS = {"socket_connect_timeout": "2", "socket_timeout": "10"}


def bounded_url(url: str, bounds: dict[str, str]) -> str:
    """BROKER_URL with `bounds` added where the URL does not set them itself.

    Each URL of a `;`-separated list (pika's form for several RabbitMQ nodes) gets them.
    """
    bounded = []
    for one in url.split(";"):
        parts = urlsplit(one)
        query = dict(parse_qsl(parts.query))
        bounded.append(urlunsplit(parts._replace(query=urlencode(bounds | query))))
    return ";".join(bounded)


def broker_kind(url: str) -> Literal["rabbitmq", "redis"]:
    """Which broker BROKER_URL names, by its scheme (ValueError for any other)."""
    scheme = url.split(":", 1)[0].lower()
    if scheme in {"amqp", "amqps"}:
        return "rabbitmq"
    if scheme in {"redis", "rediss", "unix"}:
        return "redis"
    raise ValueError(
        f"BROKER_URL must start with amqp://, amqps://, redis://, rediss:// or unix:// (got {scheme}://)"
    )


def make_broker(url: str) -> dramatiq.Broker:
    """A broker for BROKER_URL, chosen by its scheme."""
    # Each broker's client library is imported only when it is used (redis-py alone is ~9 MiB
    # of every process's resident memory).
    if broker_kind(url) == "rabbitmq":
        from dramatiq.brokers.rabbitmq import RabbitmqBroker

        return RabbitmqBroker(url=bounded_url(url, RABBITMQ_BOUNDS), confirm_delivery=True)
    from dramatiq.brokers.redis import RedisBroker

    return RedisBroker(url=bounded_url(url, REDIS_BOUNDS))  # type: ignore[no-untyped-call]


def import_message(
    queue_name: str, import_id: str, traceparent: str | None = None
) -> dramatiq.Message[None]:
    """The job message for one import.

    `traceparent` (W3C trace context) rides in the message options, which the broker keeps
    (retries too); the worker's tracing middleware continues the trace from it.
    """
    return dramatiq.Message(
        queue_name=queue_name,
        actor_name=PROCESS_IMPORT_ACTOR,
        args=(import_id,),
        kwargs={},
        options={"traceparent": traceparent} if traceparent else {},
    )
