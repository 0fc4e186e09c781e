-- ListContacts finds a number through contact_keys ('m:' / 'p:' + E.164), the index that
-- matching keeps anyway, so the two GIN indexes on the arrays are no longer needed: they
-- cost a fifth of every import's insert time.
DROP INDEX contacts_phones;
DROP INDEX contacts_mobiles;
