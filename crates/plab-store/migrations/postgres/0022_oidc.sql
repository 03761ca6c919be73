-- OpenID Connect sign-in (same text for both dialects; keep in step with
-- ../sqlite/0022_oidc.sql).
--
-- Which provider identity (issuer and `sub`, never the e-mail) is which
-- account. Made at the first single sign-on of a person found in the
-- directory; afterwards that `sub` reaches this account whatever e-mail the
-- provider sends, and this account answers to no other `sub` of the issuer.
CREATE TABLE oidc_links (
    issuer     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    linked_at  TEXT NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE UNIQUE INDEX oidc_links_account ON oidc_links (issuer, account_id);

-- A sign-in started in a browser and not finished yet: found by the hash of
-- its `state` (the browser holds the state in a cookie), used once, and
-- refused after `expires_at`. The nonce and PKCE verifier never leave the
-- server until the code is exchanged.
CREATE TABLE oidc_logins (
    state_hash TEXT PRIMARY KEY,
    nonce      TEXT NOT NULL,
    verifier   TEXT NOT NULL,
    next       TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX oidc_logins_expiry ON oidc_logins (expires_at);
