-- Pairing: sponsor rules (pins, forbids), engine proposals, approved pairs (SQLite dialect).
-- Keep in step with ../postgres/0002_pairing.sql: only id columns differ.
CREATE TABLE pair_rules (
    program_id BIGINT NOT NULL REFERENCES programs (id),
    leader_id  TEXT NOT NULL REFERENCES people (employee_id),
    mentor_id  TEXT NOT NULL REFERENCES people (employee_id),
    rule       TEXT NOT NULL CHECK (rule IN ('pin', 'forbid')),
    created_at TEXT NOT NULL,
    PRIMARY KEY (program_id, leader_id, mentor_id)
);

CREATE TABLE proposals (
    id          INTEGER PRIMARY KEY,
    program_id  BIGINT NOT NULL REFERENCES programs (id),
    status      TEXT NOT NULL CHECK (status IN ('proposed', 'approved', 'superseded')),
    parameters  TEXT NOT NULL,
    total_score DOUBLE PRECISION NOT NULL,
    solve_ms    DOUBLE PRECISION NOT NULL,
    unmatched   TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE proposal_pairs (
    proposal_id BIGINT NOT NULL REFERENCES proposals (id),
    leader_id   TEXT NOT NULL,
    mentor_id   TEXT NOT NULL,
    score       DOUBLE PRECISION NOT NULL,
    kind        TEXT NOT NULL,
    reasons     TEXT NOT NULL,
    PRIMARY KEY (proposal_id, leader_id)
);

CREATE TABLE pairs (
    id          INTEGER PRIMARY KEY,
    program_id  BIGINT NOT NULL REFERENCES programs (id),
    leader_id   TEXT NOT NULL REFERENCES people (employee_id),
    mentor_id   TEXT NOT NULL REFERENCES people (employee_id),
    status      TEXT NOT NULL CHECK (status IN ('forming', 'active', 'ended')),
    kind        TEXT NOT NULL,
    score       DOUBLE PRECISION NOT NULL,
    reasons     TEXT NOT NULL,
    proposal_id BIGINT REFERENCES proposals (id),
    created_at  TEXT NOT NULL,
    UNIQUE (program_id, leader_id)
);
CREATE INDEX pairs_mentor ON pairs (mentor_id);
