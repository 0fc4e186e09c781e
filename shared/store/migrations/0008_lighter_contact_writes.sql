-- Every index and check on contacts is paid per row by every import. Two are dropped:
-- * the foreign key to imports: its per-row check cost a sixth of the insert, and an
--   imports row is never deleted (DeleteImport and retention mark it), so it guarded
--   nothing the code does;
-- * contacts_by_import: one import's contacts are found through the unique
--   (import_id, source_row) index, which every contact row pays for anyway.
ALTER TABLE contacts DROP CONSTRAINT contacts_import_id_fkey;
DROP INDEX contacts_by_import;
