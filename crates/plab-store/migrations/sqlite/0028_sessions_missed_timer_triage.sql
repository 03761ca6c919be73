-- Sessions that did not happen, the session timer's state, and the sponsors'
-- follow-up of pairs at risk (SQLite dialect; keep in step with
-- ../postgres/0028_sessions_missed_timer_triage.sql: only the triggers differ).
--
-- A partner who says a session did not happen records it as missed. The
-- status column keeps 'planned' (its CHECK cannot change without rebuilding
-- the table in SQLite): `missed_at` set is what makes it missed. A planned
-- session nobody answered for a week reads as missed without any write
-- (plab_domain::session::MISSED_AFTER_DAYS).
ALTER TABLE sessions ADD COLUMN missed_at TEXT;

-- The session timer, so that a reload or the partner's device picks it up
-- where it is: the agenda segment running, when its clock last started and
-- the seconds it ran before (a pause keeps them). No row: not running.
CREATE TABLE session_timers (
    session_id    BIGINT PRIMARY KEY REFERENCES sessions (id),
    segment       BIGINT NOT NULL CHECK (segment >= 0),
    started_at    TEXT NOT NULL,
    spent_seconds BIGINT NOT NULL DEFAULT 0 CHECK (spent_seconds >= 0),
    paused        BIGINT NOT NULL DEFAULT 0,
    updated_at    TEXT NOT NULL
);

-- Where a sponsor is with one signal of one pair at risk; no row: new.
CREATE TABLE pair_follow_ups (
    pair_id    BIGINT NOT NULL REFERENCES pairs (id),
    signal     TEXT NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('new', 'contacted', 'resolved')),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (pair_id, signal)
);
CREATE TRIGGER pair_follow_ups_insert_revision AFTER INSERT ON pair_follow_ups BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER pair_follow_ups_update_revision AFTER UPDATE ON pair_follow_ups BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER pair_follow_ups_delete_revision AFTER DELETE ON pair_follow_ups BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
