-- Protection for the junior mentor (issue 23, item 7). Keep in step with
-- ../postgres/0037_protection.sql: only the concerns id column and the
-- data-revision triggers differ (as in 0016).

-- A confidential concern a leader or mentor raised about their pairing.
-- `anonymous` = 1: no reader but its author is ever told who raised it.
CREATE TABLE concerns (
    id         INTEGER PRIMARY KEY,
    program_id BIGINT NOT NULL REFERENCES programs (id),
    raised_by  TEXT NOT NULL,
    anonymous  BIGINT NOT NULL CHECK (anonymous IN (0, 1)),
    body       TEXT NOT NULL,
    raised_at  TEXT NOT NULL
);
CREATE INDEX concerns_by_program ON concerns (program_id);
CREATE INDEX concerns_by_raiser ON concerns (raised_by);

-- Who a concern was routed to, decided when it was raised (a later change
-- of the org chart or of the program's sponsors never widens it):
-- `sponsor` (a sponsor outside both reporting chains) or `contact` (the
-- administrators' named contact, when no sponsor qualified).
CREATE TABLE concern_recipients (
    concern_id  BIGINT NOT NULL REFERENCES concerns (id),
    employee_id TEXT NOT NULL,
    routed_as   TEXT NOT NULL CHECK (routed_as IN ('sponsor', 'contact')),
    PRIMARY KEY (concern_id, employee_id)
);
CREATE INDEX concern_recipients_by_person ON concern_recipients (employee_id);

-- Who moved or cancelled each session, and in which role in the pair, so
-- that one partner changing sessions far more than the other can be seen
-- (`plab_domain::asymmetry`). A sponsor's change is recorded as the
-- sponsor's and never counted for either partner.
CREATE TABLE session_changes (
    session_id BIGINT NOT NULL REFERENCES sessions (id),
    pair_id    BIGINT NOT NULL REFERENCES pairs (id),
    actor_id   TEXT NOT NULL,
    actor_role TEXT NOT NULL CHECK (actor_role IN ('leader', 'mentor', 'sponsor')),
    change     TEXT NOT NULL CHECK (change IN ('moved', 'cancelled')),
    changed_at TEXT NOT NULL
);
CREATE INDEX session_changes_by_pair ON session_changes (pair_id);
-- The report reads it: it moves the data revision like the tables of 0016.
CREATE TRIGGER session_changes_insert_revision AFTER INSERT ON session_changes BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER session_changes_delete_revision AFTER DELETE ON session_changes BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;

-- Every change of a person's level, whichever path updated `people` (the
-- people file, SCIM, the demo), so mentors' promotions can be compared
-- with comparable non-participants' (`plab_domain::outcomes`).
CREATE TABLE level_changes (
    employee_id TEXT NOT NULL,
    old_level   BIGINT NOT NULL,
    new_level   BIGINT NOT NULL,
    changed_at  TEXT NOT NULL
);
CREATE INDEX level_changes_by_person ON level_changes (employee_id, changed_at);
CREATE TRIGGER people_level_change AFTER UPDATE OF level ON people WHEN NEW.level <> OLD.level BEGIN
    INSERT INTO level_changes (employee_id, old_level, new_level, changed_at)
    VALUES (NEW.employee_id, OLD.level, NEW.level, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
END;
