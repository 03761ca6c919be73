-- One-time set-password links issued by an administrator (same in both dialects; keep in step with ../sqlite/0005_password_links.sql).
CREATE TABLE password_links (
    token_hash TEXT PRIMARY KEY,
    email      TEXT NOT NULL,
    created_by TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
