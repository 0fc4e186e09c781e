"""Publishing completion events: the API's relay of the event outbox (docs/events.md).

The worker (an import ended) and DeleteImport (an import deleted) add a row to
`import_events` in the transaction that makes the change (`shared.store.event_outbox`).
Every API process runs this relay: each pass locks the oldest unpublished rows (FOR UPDATE
SKIP LOCKED, so two replicas never publish the same row at once), publishes each as an
ImportEvent and marks it published once the broker confirmed it. A publish that fails or
is not confirmed in time stops the pass; the row is published on a later pass. So every
change gives one event, delivered at least once (a confirm lost on the way makes a second
delivery with the same event id, which consumers drop).

RabbitMQ (`amqp://`): the durable topic exchange CONTACTIMPORT_EVENTS_EXCHANGE, routing key
`import.finished` / `import.deleted`, persistent messages, publisher confirms. Redis: XADD to
the stream of that name, capped near STREAM_MAXLEN entries.

The protobuf encoding is passed in (`encode`) by the API's edge (`server.py`): this module,
like the store, imports no protobuf.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any, Protocol

import asyncpg

from shared.broker import RABBITMQ_BOUNDS, REDIS_BOUNDS, bounded_url, broker_kind
from shared.store import event_outbox
from shared.store.event_outbox import EventRecord

log = logging.getLogger(__name__)

CONTENT_TYPE = "application/x-protobuf"
MESSAGE_TYPE = "contactimport.v1.ImportEvent"
# How long one publish (connect, publish, confirm) may take before the pass gives up.
PUBLISH_TIMEOUT = 10.0
# The Redis stream keeps about this many events (XADD MAXLEN ~): a consumer that falls
# further behind loses the oldest.
STREAM_MAXLEN = 100_000
# Published rows are kept this long (for support), then pruned by the relay.
KEEP_PUBLISHED = timedelta(days=7)

Encoder = Callable[[EventRecord], bytes]


class BrokerPublisher(Protocol):
    """Sends one encoded event and returns once the broker has it (blocking; one thread)."""

    def publish(self, event: EventRecord, payload: bytes) -> None: ...

    def close(self) -> None: ...


class RabbitmqEventPublisher:
    """Publishes to a durable topic exchange with publisher confirms (pika, one connection)."""

    def __init__(self, url: str, exchange: str) -> None:
        import pika

        self._pika: Any = pika
        self._parameters = [
            pika.URLParameters(one) for one in bounded_url(url, RABBITMQ_BOUNDS).split(";")
        ]
        self._exchange = exchange
        self._connection: Any = None
        self._channel: Any = None

    def _open(self) -> Any:
        if self._channel is not None and self._channel.is_open:
            return self._channel
        self.close()
        self._connection = self._pika.BlockingConnection(self._parameters)
        channel = self._connection.channel()
        channel.confirm_delivery()
        channel.exchange_declare(exchange=self._exchange, exchange_type="topic", durable=True)
        self._channel = channel
        return channel

    def publish(self, event: EventRecord, payload: bytes) -> None:
        try:
            # With confirms on, basic_publish returns once the broker acknowledged the
            # message and raises when it refuses it (nack) or the connection drops.
            self._open().basic_publish(
                exchange=self._exchange,
                routing_key=event.routing_key,
                body=payload,
                properties=self._pika.BasicProperties(
                    content_type=CONTENT_TYPE,
                    delivery_mode=2,
                    message_id=str(event.id),
                    type=MESSAGE_TYPE,
                    timestamp=int(event.occurred_at.timestamp()),
                    app_id="contactimport",
                ),
            )
        except Exception:
            self.close()  # a fresh connection on the next publish
            raise

    def close(self) -> None:
        connection, self._connection, self._channel = self._connection, None, None
        if connection is not None and connection.is_open:
            try:
                connection.close()
            except Exception:
                log.debug("closing the events connection failed", exc_info=True)


class RedisEventPublisher:
    """Adds each event to a Redis stream (XADD; MAXLEN ~ STREAM_MAXLEN)."""

    def __init__(self, url: str, stream: str, maxlen: int = STREAM_MAXLEN) -> None:
        import redis

        self._client: Any = redis.Redis.from_url(bounded_url(url, REDIS_BOUNDS))
        self._stream = stream
        self._maxlen = maxlen

    def publish(self, event: EventRecord, payload: bytes) -> None:
        self._client.xadd(
            self._stream,
            {
                "event": payload,
                "routing_key": event.routing_key,
                "event_id": str(event.id),
                "content_type": CONTENT_TYPE,
            },
            maxlen=self._maxlen,
            approximate=True,
        )

    def close(self) -> None:
        self._client.close()


def make_broker_publisher(url: str, exchange: str) -> BrokerPublisher:
    """The publisher for the broker BROKER_URL names (`shared.broker.broker_kind`)."""
    if broker_kind(url) == "rabbitmq":
        return RabbitmqEventPublisher(url, exchange)
    return RedisEventPublisher(url, exchange)


class EventPublisher:
    """Encodes events and publishes them from one thread (pika connections are per thread)."""

    def __init__(
        self, broker: BrokerPublisher, encode: Encoder, timeout: float = PUBLISH_TIMEOUT
    ) -> None:
        self._broker = broker
        self._encode = encode
        self._timeout = timeout
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="events")

    async def publish(self, event: EventRecord) -> None:
        payload = self._encode(event)
        loop = asyncio.get_running_loop()
        call = loop.run_in_executor(self._executor, self._broker.publish, event, payload)
        await asyncio.wait_for(call, self._timeout)

    def close(self) -> None:
        # After the publish in flight (bounded by the broker's own timeouts).
        self._executor.submit(self._broker.close)
        self._executor.shutdown(wait=True)


BATCH = 100


async def relay_once(pool: asyncpg.Pool, publisher: EventPublisher, batch: int = BATCH) -> int:
    """Publish the oldest unpublished events, in order; return how many were published.

    The first failure ends the pass (its row and the later ones wait for the next pass),
    so one import's events go out in the order they happened.
    """
    published = 0
    async with pool.acquire() as conn, conn.transaction():
        for event in await event_outbox.lock_unpublished(conn, batch):
            try:
                await publisher.publish(event)
            except Exception:
                # pika's, redis's and socket errors vary: any failure leaves the row.
                log.warning("event relay: publish failed; will retry", exc_info=True)
                break
            await event_outbox.mark_published(conn, event.id)
            published += 1
    if published:
        log.info("event relay published %d event(s)", published)
    return published


async def run_event_relay(
    pool: asyncpg.Pool,
    publisher: EventPublisher,
    interval: float,
    keep_published: timedelta = KEEP_PUBLISHED,
) -> None:
    """Run relay_once every `interval` seconds (sooner while there is more) until cancelled."""
    passes = 0
    while True:
        more = False
        try:
            more = await relay_once(pool, publisher) == BATCH
            passes += 1
            if passes % 100 == 1:
                await event_outbox.prune_published(pool, keep_published)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.warning("event relay pass failed; next pass in %.0f s", interval, exc_info=True)
        await asyncio.sleep(0 if more else interval)
