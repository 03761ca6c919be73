-- Check-ins with each partner, separately, and the leader's insight log
-- (protocol step 5). Keep in step with ../postgres/0013_checkins_insights.sql:
-- only the insights id column differs.

-- One check-in per partner of a pair (`role` says which), answered by the
-- partner or recorded by a sponsor after an in-person conversation. Only the
-- program's sponsors read it, never the other partner. `read_at` is when a
-- sponsor first read the answers: from then on the partner cannot revise them.
CREATE TABLE checkins (
    pair_id              BIGINT NOT NULL REFERENCES pairs (id),
    role                 TEXT NOT NULL CHECK (role IN ('leader', 'mentor')),
    employee_id          TEXT NOT NULL,
    insight              TEXT,
    change_made          TEXT,
    view_of_organization TEXT,
    heard                BIGINT CHECK (heard BETWEEN 1 AND 5),
    heard_comment        TEXT,
    -- Who wrote the answers down: the partner, or the sponsor (by_sponsor = 1).
    recorded_by          TEXT NOT NULL,
    by_sponsor           BIGINT NOT NULL DEFAULT 0,
    answered_at          TEXT NOT NULL,
    read_at              TEXT,
    PRIMARY KEY (pair_id, role),
    CHECK ((role = 'leader' AND insight IS NOT NULL AND change_made IS NOT NULL
            AND view_of_organization IS NULL AND heard IS NULL AND heard_comment IS NULL)
        OR (role = 'mentor' AND view_of_organization IS NOT NULL AND heard IS NOT NULL
            AND insight IS NULL AND change_made IS NULL))
);

-- A decision the leader changed or an action they took. Sponsors get counts of
-- every entry, the body only where shared = 1.
CREATE TABLE insights (
    id         INTEGER PRIMARY KEY,
    pair_id    BIGINT NOT NULL REFERENCES pairs (id),
    author_id  TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('decision', 'action')),
    theme      TEXT NOT NULL,
    body       TEXT NOT NULL,
    session_id BIGINT REFERENCES sessions (id),
    shared     BIGINT NOT NULL DEFAULT 0 CHECK (shared IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX insights_pair ON insights (pair_id, id);
