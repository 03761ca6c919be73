-- Identity and revocation (same text for both dialects).
-- An account belongs to a person by their immutable employee_id, bound when the
-- account is made; a directory import may change a person's e-mail but never
-- moves an account. Existing accounts are bound by today's directory e-mail.
ALTER TABLE accounts ADD COLUMN employee_id TEXT;
UPDATE accounts SET employee_id = (SELECT p.employee_id FROM people p WHERE p.email = accounts.email);
CREATE UNIQUE INDEX accounts_person ON accounts (employee_id);
-- Who reset the password and when, shown to the owner at their next sign-in.
ALTER TABLE accounts ADD COLUMN reset_notice TEXT;
-- The calendar feed's secret is derived from the notes key, the account id and
-- this generation (bumped to revoke a leaked URL): the database holds no secret.
-- calendar_secret stays only because SQLite cannot drop a UNIQUE column; it holds
-- no secret any more.
ALTER TABLE accounts ADD COLUMN calendar_generation BIGINT NOT NULL DEFAULT 0;
UPDATE accounts SET calendar_secret = 'retired:' || email;
CREATE INDEX api_tokens_account ON api_tokens (account_id);

-- A set-password link is either onboarding (the account has never had a
-- password; an administrator may hand it over) or a reset (only for the owner).
ALTER TABLE password_links ADD COLUMN purpose TEXT NOT NULL DEFAULT 'onboarding';
ALTER TABLE password_links ADD COLUMN employee_id TEXT;

-- Sign-in attempts, reserved before the password is hashed so that concurrent
-- guesses count; limited per e-mail and per client address.
DROP TABLE sign_in_failures;
CREATE TABLE sign_in_attempts (
    attempt TEXT PRIMARY KEY,
    email   TEXT NOT NULL,
    client  TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX sign_in_attempts_email ON sign_in_attempts (email, at);
CREATE INDEX sign_in_attempts_client ON sign_in_attempts (client, at);
CREATE INDEX sign_in_attempts_at ON sign_in_attempts (at);
