-- The program office and the leaders' commitments (issue 23, items 5 and 6).
-- Same text for both dialects but the id column; keep in step with
-- ../postgres/0036_office_commitments.sql.
--
-- `program_office`: the people an administrator named to the program office
-- (they read the organisation's lab report over every program). Sponsors of
-- two or more programs belong to it without a row here.
CREATE TABLE program_office (
    employee_id TEXT PRIMARY KEY,
    named_by    TEXT NOT NULL,
    named_at    TEXT NOT NULL
);

-- A leader's commitment: "I will try the team channel for the all-hands prep
-- by 15 Jan". Private to its leader; the pair's mentor reads it only while
-- `shared` = 1; sponsors and the program office get counts only.
-- `body` is blanked (never the row) when retention runs out, so the counts stay.
CREATE TABLE commitments (
    id         INTEGER PRIMARY KEY,
    pair_id    BIGINT NOT NULL REFERENCES pairs (id),
    program_id BIGINT NOT NULL REFERENCES programs (id),
    leader_id  TEXT NOT NULL,
    insight_id BIGINT REFERENCES insights (id) ON DELETE SET NULL,
    body       TEXT NOT NULL,
    due_on     TEXT NOT NULL,
    state      TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'kept', 'dropped')),
    shared     BIGINT NOT NULL DEFAULT 0 CHECK (shared IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    settled_at TEXT
);
CREATE INDEX commitments_pair ON commitments (pair_id, id);
CREATE INDEX commitments_program ON commitments (program_id);
CREATE INDEX commitments_leader ON commitments (leader_id);

-- The program's report counts commitments and is remembered: the data revision moves with them.
CREATE TRIGGER commitments_insert_revision AFTER INSERT ON commitments BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER commitments_update_revision AFTER UPDATE ON commitments BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER commitments_delete_revision AFTER DELETE ON commitments BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER program_office_insert_revision AFTER INSERT ON program_office BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER program_office_delete_revision AFTER DELETE ON program_office BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
