-- Credentials that end (same text for both dialects; keep in step with the
-- other dialect's 0026_credentials.sql).
--
-- Every change of an account's credentials (a password set or changed,
-- every sign-in ended, disabled or enabled, a provider identity linked, the
-- sign-in e-mail changed) moves its epoch forward. A set-password link keeps
-- the epoch of the account it was issued for (NULL: there was no account),
-- and works only while the account's epoch is still the same, so no link
-- outlives the credentials it was issued against.
ALTER TABLE accounts ADD COLUMN credential_epoch BIGINT NOT NULL DEFAULT 0;
ALTER TABLE password_links ADD COLUMN account_epoch BIGINT;
UPDATE password_links SET account_epoch = 0 WHERE email IN (SELECT email FROM accounts);

-- Every signed-in request asks whether its account is established, which
-- looks up its provider identities by account alone (the unique index above
-- leads with the issuer).
CREATE INDEX oidc_links_by_account ON oidc_links (account_id);
