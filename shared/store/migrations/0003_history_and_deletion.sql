-- DeleteImport and the 20-day history: who deleted an import's contacts, how many, when;
-- and when retention purged its stored file and failure workbook (the row stays, hidden).

ALTER TABLE imports
    ADD COLUMN deleted_at         timestamptz,
    ADD COLUMN deleted_by         text,
    ADD COLUMN deleted_by_subject text,
    ADD COLUMN deleted_count      integer CHECK (deleted_count >= 0),
    ADD COLUMN purged_at          timestamptz,
    -- A deletion is recorded whole or not at all.
    ADD CONSTRAINT imports_deletion_whole CHECK (
        (deleted_at IS NULL) = (deleted_by IS NULL)
        AND (deleted_at IS NULL) = (deleted_count IS NULL)
    );

-- ListImports' keyset (tenant, created_at DESC, id DESC) over the rows it can show.
DROP INDEX imports_history;
CREATE INDEX imports_history ON imports (tenant_id, created_at DESC, id DESC)
    WHERE purged_at IS NULL;

-- The retention job's scan: the oldest imports not purged yet.
CREATE INDEX imports_unpurged ON imports (created_at) WHERE purged_at IS NULL;
