-- A person's own time zone, chosen on their account page; without it, the
-- directory's (same text for both dialects).
ALTER TABLE accounts ADD COLUMN timezone TEXT;
