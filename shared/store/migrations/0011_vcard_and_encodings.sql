-- Files as people have them (issue 12). vCard is a fourth format; a text file's encoding
-- (from its byte-order mark, or as the caller declared it at upload: utf-16le,
-- windows-1252, ...) is kept, so the worker reads the file exactly as the preview did and
-- ContactImport.encoding can say it. '' for XLSX/XLS and for imports from before.
ALTER TABLE imports DROP CONSTRAINT imports_file_format_check;
ALTER TABLE imports ADD CONSTRAINT imports_file_format_check
    CHECK (file_format IN ('csv', 'xlsx', 'xls', 'vcard'));
ALTER TABLE imports ADD COLUMN encoding text NOT NULL DEFAULT '';
