-- Contact search (ListContacts): a folded name-and-company text, and indexes for the lookups.
-- No extension is needed (no unaccent, no pg_trgm): the worker writes search_text already
-- folded (shared/text_folding.py: case, accents, whitespace) and a query is folded the same
-- way, so a name query is a plain substring test.

ALTER TABLE contacts ADD COLUMN search_text text NOT NULL DEFAULT '';

-- Contacts stored before this migration: the same folding as far as SQL can do it without
-- an extension (lower case, the common Latin accents), so they stay findable by name.
UPDATE contacts SET search_text = translate(
    lower(btrim(concat_ws(' ', nullif(btrim(first_name), ''), nullif(btrim(last_name), '')))
          || E'\n' || btrim(company)),
    'àáâãäåāăąçćčďèéêëēėęěìíîïīįňñńòóôõöōőřśšşťùúûüūůűųýÿžźż',
    'aaaaaaaaacccdeeeeeeeeiiiiiinnnooooooorssstuuuuuuuuyyzzz')
WHERE search_text = '';

-- A number query is an equality on E.164 values: array containment.
CREATE INDEX contacts_phones ON contacts USING gin (phones);
CREATE INDEX contacts_mobiles ON contacts USING gin (mobiles);
-- One import's contacts, in keyset order.
CREATE INDEX contacts_by_import ON contacts (tenant_id, import_id, id);
