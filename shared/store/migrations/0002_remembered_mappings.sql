-- The mapping a tenant chose, instead of the suggested one, for a file with these headers:
-- the next upload with the same headers gets it suggested (MATCH_REASON_REMEMBERED).

CREATE TABLE remembered_mappings (
    tenant_id        text NOT NULL,
    -- sha256 (hex) of the JSON array of the file's headers, each folded as the matcher
    -- folds it (case, accents, whitespace), sorted: the same headers in any order.
    signature        text NOT NULL CHECK (signature ~ '^[0-9a-f]{64}$'),
    -- mapping_to_json with every header and label_header folded, so that a re-spelled
    -- header ("E-MAIL" for "E-mail") maps to the new file's exact header text.
    mapping          jsonb NOT NULL,
    -- The import it was chosen for; kept (as NULL) when that import is deleted.
    source_import_id uuid REFERENCES imports (id) ON DELETE SET NULL,
    file_name        text NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, signature)
);

-- Why the suggestion left each unmapped header out, as the matcher said at upload:
-- [{"header": ..., "reason": ..., "related_header": ...}], so GetFilePreview explains the
-- headers exactly as UploadFile did, whatever the vocabulary has become since.
ALTER TABLE imports ADD COLUMN left_out jsonb NOT NULL DEFAULT '[]';
