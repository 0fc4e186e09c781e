-- Traces (issue 14): the W3C traceparent of the StartImport call that queued the import, so a
-- publish by the outbox relay continues that trace. NULL when traces are off.
ALTER TABLE import_outbox ADD COLUMN traceparent text;
