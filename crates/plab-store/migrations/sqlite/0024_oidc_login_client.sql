-- Who started each pending single sign-on (the client address, as the sign-in
-- throttle sees it), so that one address cannot fill the table: the server
-- refuses more than a bounded number of unfinished sign-ins per address.
-- Same text for both dialects (keep in step with ../postgres/0024_oidc_login_client.sql).
ALTER TABLE oidc_logins ADD COLUMN client TEXT NOT NULL DEFAULT '';
CREATE INDEX oidc_logins_client ON oidc_logins (client, expires_at);
