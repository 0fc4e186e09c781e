"""PostgreSQL storage: every SQL statement of the service, one module per table group.

- `lifecycle`: the import states, the allowed moves, and the SQL guards built from them.
- `imports`: imports, import_files, import_sheets and failure_workbooks (upload, start, run,
  delete, purge).
- `contacts`: contacts (bulk insert, delete of an import's contacts, search).
- `outbox`: import_outbox (the publish outbox of queued imports).
- `remembered`: remembered_mappings (a tenant's chosen mapping per header set).
- `notify`: the import-changed NOTIFY channel and its listener.
- `pool`, `migrate`, `migrations/`: connections and the versioned schema.
"""
