-- Optional self-assessments at the start and the end of a program (same text
-- for both dialects): one 1-5 answer per person, phase and statement.
CREATE TABLE self_assessments (
    program_id  BIGINT NOT NULL REFERENCES programs (id),
    employee_id TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('leader', 'mentor')),
    phase       TEXT NOT NULL CHECK (phase IN ('baseline', 'closing')),
    item        TEXT NOT NULL,
    value       BIGINT NOT NULL CHECK (value BETWEEN 1 AND 5),
    answered_at TEXT NOT NULL,
    PRIMARY KEY (program_id, employee_id, phase, item)
);
