-- People, programs, enrolment and research questions (SQLite dialect).
-- Keep in step with ../postgres/0001_people_programs.sql: only id columns differ.
CREATE TABLE people (
    employee_id  TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    email        TEXT NOT NULL UNIQUE,
    department   TEXT NOT NULL,
    manager_id   TEXT,
    hire_date    TEXT NOT NULL,
    level        BIGINT NOT NULL,
    title        TEXT,
    location     TEXT,
    timezone     TEXT,
    perspectives TEXT NOT NULL DEFAULT '',
    end_date     TEXT
);
CREATE INDEX people_manager ON people (manager_id);

CREATE TABLE programs (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    starts_on  TEXT NOT NULL,
    settings   TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE enrolments (
    program_id  BIGINT NOT NULL REFERENCES programs (id),
    employee_id TEXT NOT NULL REFERENCES people (employee_id),
    role        TEXT NOT NULL CHECK (role IN ('sponsor', 'leader', 'mentor')),
    capacity    BIGINT NOT NULL DEFAULT 1,
    opted_out   BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (program_id, employee_id, role)
);

CREATE TABLE questions (
    id          INTEGER PRIMARY KEY,
    program_id  BIGINT NOT NULL REFERENCES programs (id),
    employee_id TEXT NOT NULL REFERENCES people (employee_id),
    version     BIGINT NOT NULL,
    body        TEXT NOT NULL,
    strength    TEXT NOT NULL,
    score       BIGINT NOT NULL,
    assessment  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (program_id, employee_id, version)
);
