-- Imports, their stored files and failure workbooks, the publish outbox, and contacts.
-- Every row carries its tenant; every query filters on it.

CREATE TABLE imports (
    id                  uuid PRIMARY KEY,
    tenant_id           text NOT NULL,
    file_name           text NOT NULL,
    file_format         text NOT NULL CHECK (file_format IN ('csv', 'xlsx', 'xls')),
    file_size           bigint NOT NULL CHECK (file_size >= 0),
    sha256              text NOT NULL,
    uploaded_by         text NOT NULL,
    uploaded_by_subject text NOT NULL DEFAULT '',
    headers             text[] NOT NULL,
    preview_rows        jsonb NOT NULL,            -- first 50 rows: [[row_number, [cells]], ...]
    suggested_mapping   jsonb NOT NULL,
    unmapped_headers    text[] NOT NULL,
    state               text NOT NULL CHECK (state IN (
                            'UPLOADED', 'QUEUED', 'RUNNING',
                            'SUCCEEDED', 'PARTIALLY_SUCCEEDED', 'FAILED')),
    rows_total          integer NOT NULL,
    rows_processed      integer NOT NULL DEFAULT 0,
    imported_count      integer NOT NULL DEFAULT 0,
    failed_count        integer NOT NULL DEFAULT 0,
    mobiles_as_phone    integer NOT NULL DEFAULT 0,
    mapping             jsonb,
    default_country     text NOT NULL DEFAULT '',
    dry_run             boolean NOT NULL DEFAULT false,
    start_request_id    text,
    error_reason        text,
    error_message       text,
    timings             jsonb,
    attempts            integer NOT NULL DEFAULT 0,
    lease_until         timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    queued_at           timestamptz,
    started_at          timestamptz,
    finished_at         timestamptz
);

CREATE INDEX imports_history ON imports (tenant_id, created_at DESC, id DESC);

-- The uploaded bytes, so that a worker on another machine can read them.
CREATE TABLE import_files (
    import_id   uuid PRIMARY KEY REFERENCES imports (id) ON DELETE CASCADE,
    tenant_id   text NOT NULL,
    content     bytea NOT NULL
);

CREATE TABLE failure_workbooks (
    import_id   uuid PRIMARY KEY REFERENCES imports (id) ON DELETE CASCADE,
    tenant_id   text NOT NULL,
    content     bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per import that waits for a worker: the relay publishes it when
-- publish_after has passed, so that a lost publish never leaves an import QUEUED.
CREATE TABLE import_outbox (
    import_id     uuid PRIMARY KEY REFERENCES imports (id) ON DELETE CASCADE,
    publish_after timestamptz NOT NULL,
    publishes     integer NOT NULL DEFAULT 0
);

CREATE INDEX import_outbox_due ON import_outbox (publish_after);

CREATE TABLE contacts (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   text NOT NULL,
    import_id   uuid NOT NULL REFERENCES imports (id),
    source_row  integer NOT NULL,
    first_name  text NOT NULL DEFAULT '',
    last_name   text NOT NULL DEFAULT '',
    company     text NOT NULL DEFAULT '',
    emails      text[] NOT NULL DEFAULT '{}',
    phones      text[] NOT NULL DEFAULT '{}',
    mobiles     text[] NOT NULL DEFAULT '{}',
    addresses   text[] NOT NULL DEFAULT '{}',
    notes       text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- A redelivered job can never store a row twice.
    CONSTRAINT contacts_one_per_source_row UNIQUE (import_id, source_row)
);

CREATE INDEX contacts_by_tenant ON contacts (tenant_id, id);
