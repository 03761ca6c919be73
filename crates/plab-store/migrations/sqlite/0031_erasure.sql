-- Erasure (keep in step with the other dialect's 0031_erasure.sql).
--
-- A deletion record per run of `plab person erase`: who was erased (by
-- employee id), when, by whom, and how many rows of each kind went, as JSON
-- counts ({"notes":2,"pulses":6,...}); never any content.
CREATE TABLE erasures (
    id          INTEGER PRIMARY KEY,
    employee_id TEXT NOT NULL,
    erased_at   TEXT NOT NULL,
    erased_by   TEXT NOT NULL,
    counts      TEXT NOT NULL
);
CREATE INDEX erasures_person ON erasures (employee_id);

-- An administrator's request that the operator erase a person: pending until
-- `plab person erase --employee-id ID --yes` runs, which marks it done.
CREATE TABLE erasure_requests (
    id           INTEGER PRIMARY KEY,
    employee_id  TEXT NOT NULL,
    reason       TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    done_at      TEXT,
    erasure_id   BIGINT REFERENCES erasures (id)
);
CREATE INDEX erasure_requests_person ON erasure_requests (employee_id, done_at);
