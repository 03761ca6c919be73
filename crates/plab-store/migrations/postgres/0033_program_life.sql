-- A program's life and its cohorts (same text for both dialects; keep in step
-- with ../sqlite/0033_program_life.sql).
--
-- `kind`: 'standard' (the junior mentors the leader) or 'reciprocal' (former
-- pairs swap roles: the leader mentors the junior on what the junior chooses).
-- `previous_program_id`: the program this cohort was started from ("Start the
-- next cohort"), so cohorts can be set side by side.
-- `closing_on`: the day the sponsors began the close-out (state `closing`:
-- closing self-assessments, last check-ins and the exit question are asked);
-- `closed_on` (migration 0032) ends it.
ALTER TABLE programs ADD COLUMN kind TEXT NOT NULL DEFAULT 'standard' CHECK (kind IN ('standard', 'reciprocal'));
ALTER TABLE programs ADD COLUMN previous_program_id BIGINT REFERENCES programs (id);
ALTER TABLE programs ADD COLUMN closing_on TEXT;
