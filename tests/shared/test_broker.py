"""Every wait on the broker has a bound: the broker URL gets pika's / redis-py's timeouts
unless it sets them itself, and the brokers made from it carry them."""

from __future__ import annotations

import pika
import pytest

from shared.broker import RABBITMQ_BOUNDS, bounded_url, make_broker


@pytest.mark.parametrize(
    ("url", "wanted"),
    [
        pytest.param(
            "amqp://guest:guest@127.0.0.1:5672/%2F",
            {"socket_timeout": 5.0, "stack_timeout": 15.0, "blocked_connection_timeout": 10.0},
            id="defaults-added",
        ),
        pytest.param(
            "amqp://guest:guest@127.0.0.1:5672/%2F?blocked_connection_timeout=60&heartbeat=30",
            {"socket_timeout": 5.0, "blocked_connection_timeout": 60.0, "heartbeat": 30},
            id="the-url-wins",
        ),
    ],
)
def test_rabbitmq_urls_get_bounds(url, wanted):
    parameters = pika.URLParameters(bounded_url(url, RABBITMQ_BOUNDS))
    assert {name: getattr(parameters, name) for name in wanted} == wanted
    assert parameters.virtual_host == "/"


def test_every_node_of_a_node_list_gets_bounds():
    urls = bounded_url("amqp://a:5672/%2F;amqp://b:5672/%2F", RABBITMQ_BOUNDS).split(";")
    assert [pika.URLParameters(u).socket_timeout for u in urls] == [5.0, 5.0]


def test_a_redis_broker_connects_and_reads_with_bounds():
    broker = make_broker("redis://127.0.0.1:6379/0")
    kwargs = broker.client.connection_pool.connection_kwargs  # type: ignore[attr-defined]
    assert (kwargs["socket_connect_timeout"], kwargs["socket_timeout"]) == (2.0, 10.0)
