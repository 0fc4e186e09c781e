"""Completion events: one ImportEvent per end or deletion, via the outbox, on the real broker."""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import pika
import pytest

from services.import_api import event_relay
from services.import_api.event_relay import (
    EventPublisher,
    RabbitmqEventPublisher,
    RedisEventPublisher,
)
from services.import_api.messages import encode_event
from shared.gen.contactimport.v1 import events_pb2
from shared.gen.contactimport.v1 import import_service_pb2 as pb
from shared.i18n.text import verbatim
from shared.identity import mint_token
from shared.settings import Settings
from shared.store import event_outbox, runs
from tests.faults import Fault, TcpProxy
from tests.support import csv_bytes, import_file, queued_without_worker, upload

pytestmark = pytest.mark.usefixtures("worker")

HEADER = ["First name", "Phone"]
GOOD = csv_bytes([HEADER, ["Jan", "0201234567"], ["Piet", "0201234568"]])
HALF = csv_bytes([HEADER, ["Jan", "0201234567"], ["Kees", "not a number"]])
NONE_VALID = csv_bytes([HEADER, ["Kees", "not a number"]])
BOUND = 30.0  # seconds any wait in these tests may take

relay_once = event_relay.relay_once  # the real pass, also while the session relay is paused


class EventQueue:
    """A queue of the test's own bound to an events exchange; read with basic_get."""

    def __init__(self, url: str, exchange: str) -> None:
        self._connection = pika.BlockingConnection(pika.URLParameters(url))
        self._channel = self._connection.channel()
        self._channel.exchange_declare(exchange=exchange, exchange_type="topic", durable=True)
        declared = self._channel.queue_declare(queue="", exclusive=True, auto_delete=True)
        self._queue = declared.method.queue
        for key in event_outbox.ROUTING_KEYS:
            self._channel.queue_bind(queue=self._queue, exchange=exchange, routing_key=key)
        self.received: list[tuple[str, Any, events_pb2.ImportEvent]] = []

    def drain(self) -> None:
        """Take every message now in the queue (a confirmed publish is in it already)."""
        while True:
            method, properties, body = self._channel.basic_get(self._queue, auto_ack=True)
            if method is None:
                return
            event = events_pb2.ImportEvent()
            event.ParseFromString(body)
            self.received.append((method.routing_key, properties, event))

    def of(self, import_id: str) -> list[tuple[str, Any, events_pb2.ImportEvent]]:
        self.drain()
        return [r for r in self.received if r[2].import_id == import_id]

    def close(self, delete_exchange: str = "") -> None:
        if delete_exchange:  # one the test made for itself
            self._channel.exchange_delete(delete_exchange)
        self._connection.close()


def _amqp(settings: Settings) -> str:
    if not settings.broker_url.startswith("amqp"):
        pytest.skip("these checks read the events from RabbitMQ")
    return settings.broker_url


@pytest.fixture
def events(settings: Settings) -> Iterator[EventQueue]:
    """The session's events exchange (the API fixture's relay publishes there)."""
    queue = EventQueue(_amqp(settings), settings.events_exchange)
    yield queue
    queue.close()


@pytest.fixture
async def paused_relay(api: Any, db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The session API's event relay does nothing until the test ends (the test relays).

    First it publishes what earlier tests left, so the test's relay sees only its own rows.
    """

    async def drained() -> None:
        while await db.fetchval("SELECT count(*) FROM import_events WHERE published_at IS NULL"):
            await asyncio.sleep(0.05)

    await asyncio.wait_for(drained(), BOUND)
    called = asyncio.Event()

    async def paused(*args: Any, **kwargs: Any) -> int:
        called.set()
        return 0

    monkeypatch.setattr(event_relay, "relay_once", paused)
    # Once the paused pass ran, no pass that began before the patch is still going.
    await asyncio.wait_for(called.wait(), BOUND)


async def _published(db: Any, import_id: str, count: int) -> list[event_outbox.EventRecord]:
    """The import's stored events once `count` of them are published (bounded)."""

    async def poll() -> list[event_outbox.EventRecord]:
        while True:
            rows = await db.fetch(
                "SELECT id FROM import_events WHERE import_id = $1 AND published_at IS NOT NULL",
                uuid.UUID(import_id),
            )
            if len(rows) >= count:
                return await event_outbox.for_import(db, uuid.UUID(import_id))
            await asyncio.sleep(0.05)

    return await asyncio.wait_for(poll(), BOUND)


async def _delete(stub: Any, auth: Any, import_id: str) -> pb.ContactImport:
    answer = await stub.DeleteImport(pb.DeleteImportRequest(import_id=import_id), metadata=auth)
    return answer.contact_import


@pytest.mark.parametrize(
    ("data", "state", "imported", "failed", "reason"),
    [
        pytest.param(GOOD, pb.ContactImport.STATE_SUCCEEDED, 2, 0, "", id="succeeded"),
        pytest.param(HALF, pb.ContactImport.STATE_PARTIALLY_SUCCEEDED, 1, 1, "", id="partial"),
        pytest.param(
            NONE_VALID, pb.ContactImport.STATE_FAILED, 0, 1, "NO_VALID_ROWS", id="no-valid-row"
        ),
    ],
)
async def test_an_import_that_ends_publishes_one_finished_event(
    stub, auth, db, tenant, events, data, state, imported, failed, reason
):
    # Given an import run to its end by the worker
    done = await import_file(stub, auth, data)
    assert done.state == state

    # When its event has been published and confirmed
    stored = await _published(db, done.import_id, 1)

    # Then the exchange got exactly one import.finished event with the import's ids and counts
    assert [(e.routing_key, e.publishes) for e in stored] == [("import.finished", 1)]
    got = events.of(done.import_id)
    assert len(got) == 1, got
    routing_key, properties, event = got[0]
    assert routing_key == "import.finished"
    assert properties.content_type == "application/x-protobuf"
    assert properties.delivery_mode == 2
    assert properties.message_id == event.event_id == str(stored[0].id)
    assert event.kind == events_pb2.IMPORT_EVENT_KIND_FINISHED
    assert (event.import_id, event.tenant_id, event.state) == (done.import_id, tenant, state)
    assert (event.counts.rows, event.counts.imported, event.counts.failed) == (
        imported + failed,
        imported,
        failed,
    )
    assert event.counts == done.counts
    assert (event.actor_id, event.actor_name, event.error_reason) == ("system", "system", reason)
    assert event.occurred_at.ToDatetime() == done.finish_time.ToDatetime()


async def test_delete_import_publishes_one_deleted_event_with_who_did_it(
    stub, db, tenant, settings, events
):
    # Given a finished import, deleted (twice) by a person with a subject in the token
    token = mint_token(
        key=settings.jwt_key, tenant_id=tenant, name="Anna Admin", country="NL", subject="u-42"
    )
    auth = (("authorization", f"Bearer {token}"),)
    done = await import_file(stub, auth, GOOD)
    deleted = await _delete(stub, auth, done.import_id)
    await _delete(stub, auth, done.import_id)  # idempotent: no second deletion, no event

    # When both events are published
    stored = await _published(db, done.import_id, 2)

    # Then one import.finished, then one import.deleted carrying who and how many
    assert [e.routing_key for e in stored] == ["import.finished", "import.deleted"]
    got = events.of(done.import_id)
    assert [key for key, _, _ in got] == ["import.finished", "import.deleted"]
    event = got[1][2]
    assert event.kind == events_pb2.IMPORT_EVENT_KIND_DELETED
    assert event.state == pb.ContactImport.STATE_SUCCEEDED
    assert (event.actor_id, event.actor_name) == ("u-42", "Anna Admin")
    assert (event.deleted_count, event.restored_count, event.kept_count) == (2, 0, 0)
    assert event.occurred_at.ToDatetime() == deleted.deletion.delete_time.ToDatetime()
    assert len({e.event_id for _, _, e in got}) == 2


async def test_an_import_failed_by_the_worker_publishes_one_finished_event_twice_failed_once(
    stub, auth, db, events
):
    # Given a queued import that the worker gives up on (its retries ran out), twice
    import_id = await queued_without_worker(stub, auth, db, GOOD)
    for _ in range(2):
        async with db.acquire() as conn:
            await runs.fail(conn, uuid.UUID(import_id), "WORKER_ERROR", verbatim("test"))

    # When its event is published
    [stored] = await _published(db, import_id, 1)

    # Then one import.finished event in state FAILED with the reason (the second fail moved
    # nothing, so it added nothing)
    assert stored.routing_key == "import.finished"
    [(_, _, event)] = events.of(import_id)
    assert (event.state, event.error_reason) == (pb.ContactImport.STATE_FAILED, "WORKER_ERROR")
    assert event.event_id == str(stored.id)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
async def rabbit_proxy(settings: Settings) -> AsyncIterator[TcpProxy]:
    """A fault-injecting TCP proxy in front of RabbitMQ."""
    parts = urlsplit(_amqp(settings))
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5672)
    await proxy.start()
    yield proxy
    await proxy.close()


def _through(url: str, port: int) -> str:
    parts = urlsplit(url)
    user = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
    return parts._replace(netloc=f"{user}127.0.0.1:{port}").geturl()


@pytest.mark.usefixtures("paused_relay")
@pytest.mark.parametrize(
    "fault",
    [
        pytest.param(Fault.REFUSE, id="refused"),
        pytest.param(Fault.RESET, id="reset"),
        pytest.param(Fault.BLACKHOLE, id="blackhole"),
    ],
)
async def test_a_relay_that_cannot_publish_publishes_once_the_broker_is_back(
    stub, auth, db, settings, rabbit_proxy, fault
):
    # Given a deleted import's event, and a relay whose broker connection is broken
    exchange = f"contactimport-test-events-{uuid.uuid4().hex[:8]}"
    events = EventQueue(settings.broker_url, exchange)
    uploaded = await upload(stub, auth, GOOD)
    import_id = uploaded.contact_import.import_id
    await _delete(stub, auth, import_id)
    url = _through(settings.broker_url, rabbit_proxy.port)
    publisher = EventPublisher(RabbitmqEventPublisher(url, exchange), encode_event, timeout=3)
    try:
        await rabbit_proxy.break_with(fault)

        # When the relay runs while it is broken, then again once it is healed, then again
        broken = await asyncio.wait_for(relay_once(db, publisher), BOUND)
        [waiting] = await event_outbox.for_import(db, uuid.UUID(import_id))
        await rabbit_proxy.heal()
        healed = await asyncio.wait_for(relay_once(db, publisher), BOUND)
        again = await asyncio.wait_for(relay_once(db, publisher), BOUND)

        # Then nothing went out while broken, and exactly one event once healed
        assert (broken, waiting.publishes) == (0, 0)
        assert (healed, again) == (1, 0)
        [stored] = await event_outbox.for_import(db, uuid.UUID(import_id))
        assert stored.publishes == 1
        got = events.of(import_id)
        assert [(key, e.event_id) for key, _, e in got] == [("import.deleted", str(stored.id))]
    finally:
        await asyncio.to_thread(publisher.close)
        events.close(delete_exchange=exchange)


@pytest.mark.usefixtures("paused_relay")
async def test_a_relay_to_a_closed_port_keeps_the_event_for_later(stub, auth, db, settings):
    # Given an event and a relay whose broker URL points at a port nobody listens on
    uploaded = await upload(stub, auth, GOOD)
    import_id = uploaded.contact_import.import_id
    await _delete(stub, auth, import_id)
    url = _through(_amqp(settings), _closed_port())
    publisher = EventPublisher(RabbitmqEventPublisher(url, "unused"), encode_event, timeout=3)
    try:
        # When it runs, Then it publishes nothing and the row waits, unpublished
        assert await asyncio.wait_for(relay_once(db, publisher), BOUND) == 0
        [waiting] = await event_outbox.for_import(db, uuid.UUID(import_id))
        assert waiting.publishes == 0
        published_at = await db.fetchval(
            "SELECT published_at FROM import_events WHERE id = $1", waiting.id
        )
        assert published_at is None
    finally:
        await asyncio.to_thread(publisher.close)
    # (the session relay publishes it once this test has un-paused it)


def _redis_url(settings: Settings) -> str | None:
    """The session's Redis broker, else Redis on 127.0.0.1:6379 if it answers; None: no Redis."""
    import redis

    url = settings.broker_url
    if not url.startswith(("redis", "unix")):
        url = "redis://127.0.0.1:6379/0"
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError:
        return None
    finally:
        client.close()
    return url


@pytest.mark.usefixtures("paused_relay")
async def test_with_a_redis_broker_events_go_to_a_redis_stream(stub, auth, db, settings):
    # Given Redis (the broker, or one on 127.0.0.1:6379), a stream of the test's own, and a
    # deleted import's event
    import redis

    url = _redis_url(settings)
    if url is None:
        pytest.skip("no Redis broker and no Redis at 127.0.0.1:6379")
    client: Any = redis.Redis.from_url(url, socket_timeout=5)
    stream = f"contactimport-test-events-{uuid.uuid4().hex[:8]}"
    uploaded = await upload(stub, auth, GOOD)
    import_id = uploaded.contact_import.import_id
    await _delete(stub, auth, import_id)
    publisher = EventPublisher(RedisEventPublisher(url, stream), encode_event, timeout=5)
    try:
        # When the relay runs twice
        first = await asyncio.wait_for(relay_once(db, publisher), BOUND)
        second = await asyncio.wait_for(relay_once(db, publisher), BOUND)

        # Then the stream holds the one event, with its routing key and id beside it
        assert (first, second) == (1, 0)
        entries = client.xrange(stream)
        assert len(entries) == 1
        fields = entries[0][1]
        event = events_pb2.ImportEvent()
        event.ParseFromString(fields[b"event"])
        assert fields[b"routing_key"] == b"import.deleted"
        assert fields[b"event_id"].decode() == event.event_id
        assert (event.import_id, event.kind) == (import_id, events_pb2.IMPORT_EVENT_KIND_DELETED)
    finally:
        await asyncio.to_thread(publisher.close)
        client.delete(stream)
        client.close()
