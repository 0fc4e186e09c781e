"""CONTACTIMPORT_LOG_FORMAT=json: one JSON object per line, from a real API process."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys

from shared.logging_setup import JsonFormatter


def test_a_record_with_an_exception_is_one_line_of_json():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord(
            "contactimport.test", logging.ERROR, __file__, 1, "import %s failed", ("x",),
            sys.exc_info(),
        )  # fmt: skip
    line = JsonFormatter().format(record)

    assert "\n" not in line
    parsed = json.loads(line)
    assert parsed["level"] == "ERROR"
    assert parsed["logger"] == "contactimport.test"
    assert parsed["message"] == "import x failed"
    assert "ValueError: boom" in parsed["exception"]


def test_the_api_logs_json_lines_when_asked(settings):
    # Given an API process asked for JSON logs
    env = dict(os.environ) | {
        "CONTACTIMPORT_LOG_FORMAT": "json",
        "DATABASE_URL": settings.database_url,
        "BROKER_URL": settings.broker_url,
        "CONTACTIMPORT_JWT_KEY": settings.jwt_key,
        "CONTACTIMPORT_METRICS_PORT": "0",
        "CONTACTIMPORT_LISTEN": "127.0.0.1:0",
    }
    api = subprocess.Popen(
        [sys.executable, "-m", "services.import_api"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        # When it has started (its "gRPC port" line) and is stopped
        assert api.stderr is not None
        lines = []
        for line in api.stderr:  # ends when the process closes it: bounded by the kill below
            lines.append(line)
            if "gRPC port" in line:
                break
        api.send_signal(signal.SIGTERM)
        _, rest = api.communicate(timeout=60)
        lines += rest.splitlines()
    finally:
        if api.poll() is None:
            api.kill()
            api.wait(10)

    # Then every line it wrote is a JSON object
    parsed = [json.loads(line) for line in lines if line.strip()]
    assert any("gRPC port" in p["message"] for p in parsed)
    assert all({"time", "level", "logger", "message"} <= set(p) for p in parsed)
