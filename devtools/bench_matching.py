"""The matching case of `make bench`: the tenant already has many contacts.

`seed_contacts` stores contacts straight into the database (one COPY), as earlier imports
would have: a fifth of each measured run's rows are among them, so the import matches them
(and leaves them unchanged under the default policy) while it creates the others.
"""

from __future__ import annotations

import asyncio
import uuid

import asyncpg

from shared.contacts import email_key
from shared.mapping.folding import contact_search_text
from shared.store.contacts import COPY_COLUMNS

# Columns of the bench's generated rows (devtools.bench.HEADERS order).
FIRST, LAST, COMPANY, EMAIL, PHONE, MOBILE, ADDRESS, NOTES = range(8)


def _mobile_e164(mobile: str) -> list[str]:
    # The generator writes Dutch mobiles as "06 NNNNNNNN": E.164 without a parser.
    digits = mobile.replace(" ", "")
    return [f"+31{digits[1:]}"] if digits.startswith("06") and len(digits) == 10 else []


async def _seed(dsn: str, tenant: str, rows: list[list[str]]) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        import_id = uuid.uuid4()
        async with conn.transaction():
            await conn.execute(
                "INSERT INTO imports (id, tenant_id, file_name, file_format, file_size, sha256,"
                " uploaded_by, headers, preview_rows, suggested_mapping, unmapped_headers, state,"
                " rows_total) VALUES ($1, $2, 'seed.csv', 'csv', 0, '', 'bench', '{}', '[]',"
                " '{\"columns\": []}', '{}', 'SUCCEEDED', $3)",
                import_id,
                tenant,
                len(rows),
            )
            records: list[tuple[object, ...]] = [
                (
                    tenant,
                    import_id,
                    n + 2,
                    row[FIRST],
                    row[LAST],
                    row[COMPANY],
                    [row[EMAIL]] if "@" in row[EMAIL] else [],
                    [],
                    _mobile_e164(row[MOBILE]),
                    [row[ADDRESS]] if row[ADDRESS] else [],
                    row[NOTES],
                    [email_key(row[EMAIL])] if "@" in row[EMAIL] else [],
                    contact_search_text(row[FIRST], row[LAST], row[COMPANY]),
                )
                for n, row in enumerate(rows)
            ]
            await conn.copy_records_to_table("contacts", records=records, columns=COPY_COLUMNS)
            await conn.execute(
                "INSERT INTO contact_keys (tenant_id, key, contact_id)"
                " SELECT DISTINCT c.tenant_id, k, c.id FROM contacts c,"
                " unnest(contact_match_keys(c.email_keys, c.mobiles, c.phones)) AS k"
                " WHERE c.import_id = $1",
                import_id,
            )
    finally:
        await conn.close()


def seed_contacts(dsn: str, tenant: str, rows: list[list[str]]) -> None:
    """Store `rows` (bench rows) as the tenant's existing contacts."""
    asyncio.run(_seed(dsn, tenant, rows))
