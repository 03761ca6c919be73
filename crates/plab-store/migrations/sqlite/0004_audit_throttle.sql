-- The audit log of sponsor and admin actions, and failed sign-ins for throttling (SQLite dialect).
-- Keep in step with ../postgres/0004_audit_throttle.sql: only the id column differs.
CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail  TEXT NOT NULL,
    at      TEXT NOT NULL
);

CREATE TABLE sign_in_failures (
    email     TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
CREATE INDEX sign_in_failures_email ON sign_in_failures (email, failed_at);
