"""The signature of a file's headers: the key a remembered mapping is stored under."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from shared.mapping.folding import fold_header


def header_signature(headers: Sequence[str]) -> str | None:
    """The key of a file's headers (folded, any order); None when two fold alike."""
    folded = [fold_header(h) for h in headers]
    if len(set(folded)) != len(folded):
        return None
    text = json.dumps(sorted(folded), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
