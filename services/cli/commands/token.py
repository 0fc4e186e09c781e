"""`contactimport token`: a development token signed with the local key."""

from __future__ import annotations

import os
from typing import TextIO

from services.cli.commands.output import EXIT_OK
from services.cli.dev_token import audience, signing_key
from shared.identity import mint_token


def run_token(
    *, tenant: str, name: str, country: str, ttl_seconds: int, out: TextIO, locale: str = ""
) -> int:
    """Print a token signed with the local key (see `dev_token.signing_key`)."""
    token = mint_token(
        key=signing_key(os.environ),
        tenant_id=tenant,
        name=name,
        country=country,
        locale=locale,
        audience=audience(os.environ),
        ttl_seconds=ttl_seconds,
    )
    print(token, file=out)
    return EXIT_OK
