"""Remembered mappings: the mapping a tenant chose for a file's headers, suggested again.

When StartImport's mapping differs from the suggested one, it is stored for the tenant
under the signature of the file's headers, and the tenant's next upload with the same
headers gets it suggested, every column with MATCH_REASON_REMEMBERED. The rules:

- Headers compare as the matcher folds them (`fold_header`: case, accents, whitespace and
  line breaks), in any order: the signature is the SHA-256 of the JSON array of the folded
  headers, sorted. A file two of whose headers fold to the same text has no signature:
  nothing is remembered or recalled for it.
- The mapping is stored with folded headers and label headers, and translated to the new
  file's exact header text when it is recalled.
- "Differs" ignores the match reasons and the order of the columns; headers compare folded.
- One memory per tenant and signature: a later different choice replaces it (also in a dry
  run). Starting with the suggestion unchanged, remembered or the matcher's, leaves the
  memory as it is; no import deletes it.
- A recalled mapping that no longer passes `check_mapping` is ignored: the matcher's
  suggestion is used.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import replace
from datetime import UTC

import asyncpg

from shared.mapping.fields import (
    AddressPart,
    ColumnMapping,
    ContactField,
    Mapping,
    MatchReason,
    mapping_from_json,
    mapping_to_json,
)
from shared.mapping.folding import fold_header
from shared.mapping.matcher import Suggestion
from shared.mapping.rules import check_mapping, resolve_header
from shared.mapping.signature import header_signature
from shared.store import remembered

log = logging.getLogger(__name__)

_Choice = frozenset[tuple[str, ContactField, AddressPart, str, str]]


def _fold(header: str, headers: list[str]) -> str:
    """A mapping's header as the file has it, folded (the header itself if not found)."""
    return fold_header(resolve_header(header, headers) or header)


def _choice(mapping: Mapping, headers: list[str]) -> _Choice:
    return frozenset(
        (
            _fold(c.header, headers),
            c.field,
            c.address_part,
            c.address_group,
            _fold(c.label_header, headers) if c.label_header else "",
        )
        for c in mapping.columns
    )


def differs(chosen: Mapping, suggested: Mapping, headers: list[str]) -> bool:
    """Whether a caller's mapping is another choice than the suggestion (reasons ignored)."""
    return _choice(chosen, headers) != _choice(suggested, headers)


async def remember(
    conn: asyncpg.Connection,
    *,
    tenant_id: str,
    headers: list[str],
    mapping: Mapping,
    import_id: uuid.UUID,
    file_name: str,
) -> bool:
    """Store (or replace) the tenant's mapping for these headers; False when it cannot be."""
    signature = header_signature(headers)
    if signature is None:
        return False
    folded = Mapping(
        tuple(
            ColumnMapping(
                header=_fold(c.header, headers),
                field=c.field,
                address_part=c.address_part,
                address_group=c.address_group,
                label_header=_fold(c.label_header, headers) if c.label_header else "",
            )
            for c in mapping.columns
        )
    )
    await remembered.save(
        conn,
        tenant_id=tenant_id,
        signature=signature,
        mapping=mapping_to_json(folded),
        import_id=import_id,
        file_name=file_name,
    )
    return True


async def recall(
    conn: asyncpg.Connection | asyncpg.Pool, *, tenant_id: str, headers: list[str]
) -> Suggestion | None:
    """The tenant's remembered mapping for these headers, in the file's own header text.

    None when there is none, or when it no longer passes `check_mapping`.
    """
    signature = header_signature(headers)
    if signature is None:
        return None
    row = await remembered.find(conn, tenant_id=tenant_id, signature=signature)
    if row is None:
        return None
    try:
        stored = mapping_from_json(row.mapping)
    except (KeyError, TypeError, ValueError):
        log.warning("remembered mapping unreadable, ignored: tenant=%s", tenant_id)
        return None
    exact = {fold_header(h): h for h in headers}
    detail = f"{row.updated_at.astimezone(UTC):%Y-%m-%d} {row.file_name}"
    columns = []
    for c in stored.columns:
        header = exact.get(c.header)
        label = exact.get(c.label_header) if c.label_header else ""
        if header is None or label is None:
            log.warning("remembered mapping names another header, ignored: tenant=%s", tenant_id)
            return None
        columns.append(
            replace(
                c,
                header=header,
                label_header=label,
                match_reason=MatchReason.REMEMBERED,
                match_detail=detail,
            )
        )
    order = {h: i for i, h in enumerate(headers)}
    mapping = Mapping(tuple(sorted(columns, key=lambda c: order[c.header])))
    if check_mapping(mapping, headers):
        log.info("remembered mapping no longer valid, ignored: tenant=%s", tenant_id)
        return None
    mapped = mapping.headers()
    return Suggestion(mapping, [h for h in headers if h not in mapped])
