"""The module the `dramatiq` command loads: the broker with the actors, from the environment."""

import dramatiq

from services.validator_worker.actors import build_worker_broker
from services.validator_worker.metrics import dramatiq_metrics_wanted
from shared.collector import settle_collector
from shared.logging_setup import configure_logging
from shared.memory import use_returnable_allocators
from shared.settings import Settings

# Each worker process imports this module before its threads start.
use_returnable_allocators()
settings = Settings()
configure_logging(settings.log_level, settings.log_format)
broker, context = build_worker_broker(settings, prometheus=dramatiq_metrics_wanted())
dramatiq.set_broker(broker)
# Everything is imported by now: what this process holds lives as long as it does.
settle_collector()
