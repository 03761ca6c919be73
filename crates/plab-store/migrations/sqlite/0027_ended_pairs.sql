-- no-transaction
-- A pair the sponsor ends (issue 21): when and why, and its partners free to
-- be paired again in the same program, so a leader has at most one pair that
-- has not ended (instead of one pair ever). SQLite cannot drop a table's
-- UNIQUE constraint: the table is rebuilt the documented way, with foreign
-- keys off (outside a transaction) while the old table is dropped. Keep in
-- step with ../postgres/0027_ended_pairs.sql.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE pairs_rebuilt (
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
    ended_on    TEXT,
    end_reason  TEXT
);
INSERT INTO pairs_rebuilt (id, program_id, leader_id, mentor_id, status, kind, score, reasons, proposal_id, created_at)
    SELECT id, program_id, leader_id, mentor_id, status, kind, score, reasons, proposal_id, created_at FROM pairs;
DROP TABLE pairs;
PRAGMA legacy_alter_table = ON;
ALTER TABLE pairs_rebuilt RENAME TO pairs;
PRAGMA legacy_alter_table = OFF;
CREATE UNIQUE INDEX pairs_open_leader ON pairs (program_id, leader_id) WHERE status <> 'ended';
CREATE INDEX pairs_mentor ON pairs (mentor_id);
CREATE INDEX pairs_leader ON pairs (leader_id);
CREATE INDEX pairs_program ON pairs (program_id, id);
CREATE TRIGGER pairs_insert_revision AFTER INSERT ON pairs BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER pairs_update_revision AFTER UPDATE ON pairs BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER pairs_delete_revision AFTER DELETE ON pairs BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER pairs_without_sponsors BEFORE INSERT ON pairs
WHEN NEW.leader_id = NEW.mentor_id OR EXISTS (
    SELECT 1 FROM enrolments e
    WHERE e.program_id = NEW.program_id AND e.role = 'sponsor' AND e.employee_id IN (NEW.leader_id, NEW.mentor_id)
)
BEGIN
    SELECT RAISE(ABORT, 'a sponsor of the program is never one of its pairs');
END;
UPDATE data_revision SET n = n + 1 WHERE id = 1;
COMMIT;
PRAGMA foreign_keys = ON;
