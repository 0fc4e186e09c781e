"""One log format for both processes: key=value fields, never contact data."""

from __future__ import annotations

import logging


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(processName)s %(name)s: %(message)s",
    )
    # pika logs every connection step at INFO.
    logging.getLogger("pika").setLevel(logging.WARNING)
