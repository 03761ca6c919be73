-- Accounts, API tokens, lab-rules acceptance and encrypted pair notes (SQLite dialect).
-- Keep in step with ../postgres/0003_accounts_notes.sql: identity and byte columns differ.
CREATE TABLE accounts (
    id              INTEGER PRIMARY KEY,
    email           TEXT NOT NULL UNIQUE,
    password_hash   TEXT,
    is_admin        BIGINT NOT NULL DEFAULT 0,
    calendar_secret TEXT NOT NULL UNIQUE,
    created_at      TEXT NOT NULL
);

CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE charter_acceptances (
    pair_id     BIGINT NOT NULL REFERENCES pairs (id),
    employee_id TEXT NOT NULL,
    accepted_at TEXT NOT NULL,
    PRIMARY KEY (pair_id, employee_id)
);

-- Only ciphertext is stored: the key lives outside the database.
CREATE TABLE notes (
    id         INTEGER PRIMARY KEY,
    pair_id    BIGINT NOT NULL REFERENCES pairs (id),
    author_id  TEXT NOT NULL,
    key_id     TEXT NOT NULL,
    nonce      BLOB NOT NULL,
    ciphertext BLOB NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX notes_pair ON notes (pair_id);
