-- The audit log becomes a hash chain (SQLite dialect). Keep in step with
-- ../postgres/0030_audit_chain.sql.
-- Each entry's hash covers the hash of the entry before it, its id, time,
-- action, program and the digests of its actor, subject and detail; `sealed`
-- keeps those digests for the fields an erasure replaced, so the chain still
-- verifies without the erased words. `program_id` lets a program's sponsors
-- read the entries of their own program.
ALTER TABLE audit_log ADD COLUMN program_id BIGINT;
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
ALTER TABLE audit_log ADD COLUMN sealed TEXT;
CREATE INDEX audit_log_program ON audit_log (program_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);

-- The newest entry of the chain. Writers update this one row first, so entries
-- join the chain one at a time; its absence means the entries written before
-- this migration have not been chained yet (the store does that on start).
CREATE TABLE audit_head (
    one       INTEGER PRIMARY KEY CHECK (one = 1),
    last_id   BIGINT NOT NULL,
    last_hash TEXT NOT NULL,
    entries   BIGINT NOT NULL
);
