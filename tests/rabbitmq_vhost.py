"""A RabbitMQ virtual host of the test's own, taken down and brought back with RabbitMQ's own
management commands (`rabbitmqctl`, as root), so a broker outage hits only this test.

Down: the vhost's connection limit is set to 0 (new connections are refused) and every open
connection of the vhost is closed by the broker, as a broker restart or a network cut does
to its clients. Up: the limit is cleared. Other tests on the same broker are not touched.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
from urllib.parse import quote, urlsplit, urlunsplit

RABBITMQCTL_SECONDS = 60


def rabbitmqctl_usable() -> str | None:
    """Why RabbitMQ's management commands cannot be used here, or None when they can."""
    if shutil.which("rabbitmqctl") is None:
        return "rabbitmqctl is not installed"
    if os.geteuid() != 0:
        return "rabbitmqctl needs root"
    return None


def _ctl(*args: str) -> None:
    subprocess.run(
        ["rabbitmqctl", "--quiet", *args],
        check=True,
        capture_output=True,
        timeout=RABBITMQCTL_SECONDS,
    )


class Vhost:
    """A fresh vhost for the broker URL's user; `url` is the broker URL that uses it."""

    def __init__(self, broker_url: str) -> None:
        parts = urlsplit(broker_url)
        self.name = f"contactimport-test-{secrets.token_hex(4)}"
        self.user = parts.username or "guest"
        self.url = urlunsplit(parts._replace(path="/" + quote(self.name, safe="")))
        self.is_down = False

    def create(self) -> None:
        _ctl("add_vhost", self.name)
        _ctl("set_permissions", "--vhost", self.name, self.user, ".*", ".*", ".*")

    def down(self) -> None:
        """Refuse new connections to the vhost and close the open ones."""
        _ctl("set_vhost_limits", "--vhost", self.name, json.dumps({"max-connections": 0}))
        self.is_down = True
        _ctl("close_all_connections", "--vhost", self.name, "outage injected by a test")

    def up(self) -> None:
        """Accept connections again (nothing to do when the vhost is up)."""
        if self.is_down:
            _ctl("clear_vhost_limits", "--vhost", self.name)
            self.is_down = False

    def delete(self) -> None:
        _ctl("delete_vhost", self.name)
