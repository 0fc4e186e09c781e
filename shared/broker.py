"""The Dramatiq broker and the one message the API sends the workers.

The message carries only the import id; the actor is looked up by name, so the API
never imports worker code. RabbitMQ (`amqp://`) is the production broker; Redis
(`redis://`, `rediss://`, `unix://`) serves local development and small setups.
"""

from __future__ import annotations

import dramatiq
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker

PROCESS_IMPORT_ACTOR = "process_import"


def make_broker(url: str) -> dramatiq.Broker:
    """A broker for BROKER_URL, chosen by its scheme."""
    scheme = url.split(":", 1)[0].lower()
    if scheme in {"amqp", "amqps"}:
        return RabbitmqBroker(url=url, confirm_delivery=True)
    if scheme in {"redis", "rediss", "unix"}:
        return RedisBroker(url=url)  # type: ignore[no-untyped-call]
    raise ValueError(
        f"BROKER_URL must start with amqp://, amqps://, redis://, rediss:// or unix:// (got {scheme}://)"
    )


def import_message(queue_name: str, import_id: str) -> dramatiq.Message[None]:
    """The job message for one import."""
    return dramatiq.Message(
        queue_name=queue_name,
        actor_name=PROCESS_IMPORT_ACTOR,
        args=(import_id,),
        kwargs={},
        options={},
    )
