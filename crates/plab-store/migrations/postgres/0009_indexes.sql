-- Indexes for lookups every page makes (same text for both dialects):
-- a session's homework, a person's memberships, a person's pairs as leader.
CREATE INDEX notes_session ON notes (session_id, kind);
CREATE INDEX enrolments_person ON enrolments (employee_id);
CREATE INDEX pairs_leader ON pairs (leader_id);
