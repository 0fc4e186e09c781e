-- Re-importing never doubles a contact: match keys, the policy and counts per import, and
-- a log of what an import changed on contacts it did not create, so DeleteImport can undo it.

-- E-mail addresses as matching compares them (the whole address lower-cased).
ALTER TABLE contacts ADD COLUMN email_keys text[] NOT NULL DEFAULT '{}';
UPDATE contacts SET email_keys = ARRAY(SELECT lower(e) FROM unnest(emails) AS e)
WHERE emails <> '{}';

ALTER TABLE imports
    ADD COLUMN duplicate_policy text NOT NULL DEFAULT 'SKIP'
        CHECK (duplicate_policy IN ('SKIP', 'UPDATE', 'CREATE')),
    ADD COLUMN created_count   integer NOT NULL DEFAULT 0,
    ADD COLUMN updated_count   integer NOT NULL DEFAULT 0,
    ADD COLUMN unchanged_count integer NOT NULL DEFAULT 0,
    ADD COLUMN merged_count    integer NOT NULL DEFAULT 0,
    -- DeleteImport: contacts whose changes it undid, and changed values it kept because a
    -- later import or edit changed them since.
    ADD COLUMN restored_count  integer CHECK (restored_count >= 0),
    ADD COLUMN kept_count      integer CHECK (kept_count >= 0),
    -- At upload: rows sharing an e-mail address with one of the tenant's contacts then.
    ADD COLUMN existing_rows   integer NOT NULL DEFAULT 0;

-- Imports before this migration created every contact they stored.
UPDATE imports SET duplicate_policy = 'CREATE', created_count = imported_count;

-- One row per value an import added to (or empty field it filled on) an existing contact.
CREATE TABLE contact_changes (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   text NOT NULL,
    import_id   uuid NOT NULL REFERENCES imports (id),
    contact_id  bigint NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    field       text NOT NULL CHECK (field IN (
                    'emails', 'phones', 'mobiles', 'addresses',
                    'first_name', 'last_name', 'company', 'notes')),
    value       text NOT NULL
);

CREATE INDEX contact_changes_by_import ON contact_changes (import_id);
CREATE INDEX contact_changes_by_contact ON contact_changes (contact_id);

-- The keys a contact is matched by, one row each, so that matching an import looks up its
-- rows' keys with one index scan whatever the tenant's size: 'e:' + e-mail key,
-- 'm:' + mobile, 'p:' + phone (a phone matches only with the same name, checked after).
CREATE FUNCTION contact_match_keys(email_keys text[], mobiles text[], phones text[])
RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ARRAY(SELECT 'e:' || k FROM unnest(email_keys) AS k)
        || ARRAY(SELECT 'm:' || k FROM unnest(mobiles) AS k)
        || ARRAY(SELECT 'p:' || k FROM unnest(phones) AS k)
$$;

CREATE TABLE contact_keys (
    tenant_id   text NOT NULL,
    key         text NOT NULL,
    contact_id  bigint NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    PRIMARY KEY (tenant_id, key, contact_id)
);
CREATE INDEX contact_keys_by_contact ON contact_keys (contact_id);

INSERT INTO contact_keys (tenant_id, key, contact_id)
SELECT DISTINCT c.tenant_id, k, c.id
FROM contacts c, unnest(contact_match_keys(c.email_keys, c.mobiles, c.phones)) AS k;
