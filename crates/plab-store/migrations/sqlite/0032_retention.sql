-- Closing a program and its retention (same text for both dialects; keep in
-- step with ../postgres/0032_retention.sql).
--
-- A sponsor closes a program on a day (`closed_on`, YYYY-MM-DD) and is named
-- by employee id (`closed_by`). Its private data (notes, homework, pulse and
-- check-in answers, self-assessments, insight texts) is destroyed once the
-- program's `retention_days` have passed since that day; `purged_on` is the
-- day that happened, and `final_report` the outcome report as it stood just
-- before (JSON, counts and released averages only), which the report shows
-- from then on instead of recomputing it from the emptied tables.
ALTER TABLE programs ADD COLUMN closed_on TEXT;
ALTER TABLE programs ADD COLUMN closed_by TEXT;
ALTER TABLE programs ADD COLUMN purged_on TEXT;
ALTER TABLE programs ADD COLUMN final_report TEXT;
