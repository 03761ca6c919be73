-- An administrator can disable an account (it signs in no more, its sign-ins
-- end) and see when each account last signed in (same text for both dialects).
ALTER TABLE accounts ADD COLUMN disabled_at TEXT;
ALTER TABLE accounts ADD COLUMN last_sign_in_at TEXT;
