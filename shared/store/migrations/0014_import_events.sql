-- Completion events (issue 14 item 5): one row per change (an import ended, or was deleted),
-- written in the transaction that makes the change; the API's event relay publishes it as an
-- ImportEvent (protos/contactimport/v1/events.proto) and marks it published after the
-- broker's confirm. Stored as columns, not as protobuf bytes: the domain code that writes
-- the row imports no protobuf; the relay (at the API's edge) encodes it.
CREATE TABLE import_events (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),  -- the event_id consumers dedupe on
    tenant_id      text NOT NULL,
    import_id      uuid NOT NULL,  -- no foreign key: the event outlives a purged import
    routing_key    text NOT NULL CHECK (routing_key IN ('import.finished', 'import.deleted')),
    state          text NOT NULL,
    counts         jsonb NOT NULL,
    error_reason   text NOT NULL DEFAULT '',
    dry_run        boolean NOT NULL DEFAULT false,
    actor_id       text NOT NULL,
    actor_name     text NOT NULL,
    occurred_at    timestamptz NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    published_at   timestamptz,
    publishes      integer NOT NULL DEFAULT 0
);
-- The relay's scan: unpublished rows, oldest first.
CREATE INDEX import_events_unpublished ON import_events (created_at, id) WHERE published_at IS NULL;
-- Pruning published rows.
CREATE INDEX import_events_published ON import_events (published_at) WHERE published_at IS NOT NULL;
