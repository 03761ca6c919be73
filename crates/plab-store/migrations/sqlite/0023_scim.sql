-- SCIM 2.0 provisioning (keep in step with ../postgres/0023_scim.sql: only the
-- id column differs).
--
-- A bearer token an identity provider provisions people with: only its
-- SHA-256 is stored, and a revoked token answers no more on any instance.
CREATE TABLE scim_tokens (
    id           INTEGER PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    label        TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    revoked_at   TEXT,
    last_used_at TEXT
);

-- What SCIM knows of a person beyond the directory's columns: the provider's
-- externalId and userName, the User resource as last written (so that what a
-- provider sets it reads back), and when it was deleted over SCIM (the person
-- and their history stay; the resource answers 404, and its userName is set
-- aside so that a provider may give it to someone else).
CREATE TABLE scim_users (
    employee_id   TEXT PRIMARY KEY REFERENCES people (employee_id),
    external_id   TEXT,
    user_name     TEXT NOT NULL,
    resource      TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    last_modified TEXT NOT NULL,
    deleted_at    TEXT
);
CREATE UNIQUE INDEX scim_users_user_name ON scim_users (LOWER(user_name));
CREATE INDEX scim_users_external_id ON scim_users (external_id);
