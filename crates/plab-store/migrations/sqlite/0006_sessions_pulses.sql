-- Sessions of a pair, homework (a note tied to a session) and private pulses (SQLite dialect).
-- Keep in step with ../postgres/0006_sessions_pulses.sql: only the id column differs.
CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY,
    pair_id       BIGINT NOT NULL REFERENCES pairs (id),
    seq           BIGINT NOT NULL,
    starts_at     TEXT NOT NULL,
    minutes       BIGINT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('planned', 'held', 'cancelled')),
    -- Whether the homework agreed at this session was done (marked at the next one).
    homework_done BIGINT NOT NULL DEFAULT 0,
    updated_at    TEXT NOT NULL,
    UNIQUE (pair_id, seq)
);

-- Homework is lab content, so it is a sealed note tied to the session that set it.
ALTER TABLE notes ADD COLUMN session_id BIGINT REFERENCES sessions (id);
ALTER TABLE notes ADD COLUMN kind TEXT NOT NULL DEFAULT 'note' CHECK (kind IN ('note', 'homework'));

-- One row per answered item; only aggregates ever leave the author's own view.
CREATE TABLE pulse_answers (
    session_id  BIGINT NOT NULL REFERENCES sessions (id),
    employee_id TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('leader', 'mentor')),
    item        TEXT NOT NULL,
    value       BIGINT NOT NULL CHECK (value BETWEEN 1 AND 5),
    answered_at TEXT NOT NULL,
    PRIMARY KEY (session_id, employee_id, item)
);
