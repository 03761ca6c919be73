-- A mentor's own perspectives for one program (same in both dialects; keep in step with the other folder).
-- A JSON array of strings on the mentor's enrolment; NULL means "use the directory's" (people.perspectives).
-- A people import only touches people, so it never overwrites what the mentor wrote.
ALTER TABLE enrolments ADD COLUMN perspectives TEXT;
