"""One log format for both processes: key=value fields, never contact data.

CONTACTIMPORT_LOG_FORMAT=json writes one JSON object per line instead (time, level,
process, pid, thread, logger, message, and the exception's traceback when there is one),
on every handler the root logger has: the processes' own and, in a worker, Dramatiq's.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

TEXT_FORMAT = "%(asctime)s %(levelname)s %(processName)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "process": record.processName,
            "pid": record.process,
            "thread": record.threadName,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, ensure_ascii=False)


def configure_logging(level: str, log_format: str = "text") -> None:
    logging.basicConfig(level=level.upper(), format=TEXT_FORMAT)
    if log_format == "json":
        for handler in logging.getLogger().handlers:
            handler.setFormatter(JsonFormatter())
    # pika logs every connection step at INFO.
    logging.getLogger("pika").setLevel(logging.WARNING)
