-- Outages (issue 13). The worker process that holds an import's lease, so that its own retry
-- can claim the import again at once even when the claim's answer was lost (a connection
-- reset after the commit) and the lease is still live. Other workers still wait the lease out.
ALTER TABLE imports ADD COLUMN lease_owner text;
