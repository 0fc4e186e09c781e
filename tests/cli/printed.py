"""Reading what the command printed: `--json` lines, table cells, messages as JSON."""

from __future__ import annotations

import json
import re
from typing import Any

from google.protobuf import json_format

from shared.gen.contactimport.v1 import import_service_pb2 as pb


def json_lines(out: str) -> list[dict[str, Any]]:
    """--json output of history and contacts: one object per line."""
    lines = out.splitlines()
    assert all(line.startswith("{") and line.endswith("}") for line in lines)
    return [json.loads(line) for line in lines]


def cells(line: str) -> list[str]:
    """A table row's cells (columns are at least two spaces apart)."""
    return re.split(r" {2,}", line.strip())


def as_json(message: pb.ContactImport | pb.Contact) -> dict[str, Any]:
    return json_format.MessageToDict(message)
