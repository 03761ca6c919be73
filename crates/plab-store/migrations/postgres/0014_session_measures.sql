-- What the measure step reads about sessions (same text for both dialects):
-- how often a session was moved, and the minutes the session timer recorded
-- for each agenda segment (the last recording of a segment wins).
ALTER TABLE sessions ADD COLUMN reschedules BIGINT NOT NULL DEFAULT 0;
CREATE TABLE segment_times (
    session_id  BIGINT NOT NULL REFERENCES sessions (id),
    segment     TEXT NOT NULL,
    minutes     BIGINT NOT NULL CHECK (minutes BETWEEN 0 AND 600),
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (session_id, segment)
);
