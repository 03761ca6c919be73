-- E-mail through an outbox (keep in step with ../postgres/0021_outbox.sql:
-- only the id and byte column types differ).
--
-- A session's SEQUENCE (RFC 5545): moved forward on every change of its time
-- or status, so calendar clients replace what they hold.
ALTER TABLE sessions ADD COLUMN sequence BIGINT NOT NULL DEFAULT 0;

-- A person may turn off reminders and the sponsor's weekly digest;
-- invitations and security mail cannot be turned off.
ALTER TABLE accounts ADD COLUMN mail_reminders BIGINT NOT NULL DEFAULT 1;
ALTER TABLE accounts ADD COLUMN mail_digests BIGINT NOT NULL DEFAULT 1;

-- One message, written in the same transaction as the change that causes it
-- and delivered by `plab serve`. The whole RFC 5322 message is sealed under the
-- notes key (it may carry homework or a sign-in link), bound to `dedupe_key`,
-- which also makes a second write of the same message (another instance, a
-- retry) a no-op. A delivering instance holds a row by `lease_until`. A
-- `skipped` row (empty) records mail due to someone who turned it off.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    dedupe_key      TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    key_id          TEXT NOT NULL,
    nonce           BLOB NOT NULL,
    sealed          BLOB NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    lease_until     TEXT,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    sent_at         TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
