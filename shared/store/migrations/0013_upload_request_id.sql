-- Safe retries (issue 13, AIP-155): an upload may carry a request_id; a retried upload with the
-- same id (per tenant) answers with the import the first one stored instead of storing another.
ALTER TABLE imports ADD COLUMN upload_request_id text;
CREATE UNIQUE INDEX imports_upload_request_id ON imports (tenant_id, upload_request_id)
    WHERE upload_request_id IS NOT NULL;
