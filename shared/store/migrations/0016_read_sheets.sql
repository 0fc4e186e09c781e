-- The sheet the API read from an XLSX, XLS or vCard upload, as Arrow IPC bytes
-- (shared.spreadsheet.stored_sheet), so the worker imports it without reading the file
-- again. None for a CSV, and for uploads stored before; retention removes it with the file.
CREATE TABLE import_sheets (
    import_id   uuid PRIMARY KEY REFERENCES imports (id) ON DELETE CASCADE,
    tenant_id   text NOT NULL,
    content     bytea NOT NULL
);
