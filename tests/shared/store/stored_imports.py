"""An import written straight into the store in a given state (for the store's tests)."""

from __future__ import annotations

import io
import uuid

from shared.mapping.fields import ColumnMapping, ContactField, Mapping
from shared.store import imports as store
from shared.store.imports import NewUpload
from shared.store.lifecycle import ImportState

MAPPING = Mapping(
    (ColumnMapping("Name", ContactField.FIRST_NAME), ColumnMapping("Phone", ContactField.PHONE))
)


FILE = b"Name,Phone\nJan,0201234567\n"


async def import_in(db, tenant: str, state: ImportState, **columns: object) -> uuid.UUID:
    import_id = uuid.uuid4()
    await store.insert_upload(
        db,
        NewUpload(
            import_id=import_id,
            tenant_id=tenant,
            file_name="c.csv",
            file_format="csv",
            content=io.BytesIO(FILE),
            file_size=len(FILE),
            sha256="0" * 64,
            uploaded_by="Anna",
            uploaded_by_subject="",
            headers=["Name", "Phone"],
            preview_rows=[(2, ["Jan", "0201234567"])],
            suggested_mapping=MAPPING,
            unmapped_headers=[],
            left_out=[],
            rows_total=1,
        ),
    )
    sets = ", ".join(f"{name} = ${i + 3}" for i, name in enumerate(columns))
    await db.execute(
        f"UPDATE imports SET state = $2, mapping = suggested_mapping, lease_until = now()"
        f" - interval '1 s'{', ' + sets if sets else ''} WHERE id = $1",
        import_id,
        state.value,
        *columns.values(),
    )
    return import_id
