-- An uploaded file is stored in parts of at most 1 MiB (shared.store.imports.FILE_PART_BYTES),
-- so the API never encodes a second whole copy of a 20 MB upload into one statement.
-- Files stored before are part 0.
ALTER TABLE import_files ADD COLUMN part integer NOT NULL DEFAULT 0 CHECK (part >= 0);
ALTER TABLE import_files ALTER COLUMN part DROP DEFAULT;
ALTER TABLE import_files DROP CONSTRAINT import_files_pkey;
ALTER TABLE import_files ADD PRIMARY KEY (import_id, part);
