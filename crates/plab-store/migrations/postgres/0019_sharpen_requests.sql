-- A sponsor asks a leader to sharpen their research question before the pair
-- starts; the leader's home shows it until they save a version newer than
-- `asked_version` (the one the sponsor saw; 0 for none), same text for both dialects.
CREATE TABLE sharpen_requests (
    program_id    BIGINT NOT NULL REFERENCES programs (id),
    leader_id     TEXT NOT NULL,
    asked_version BIGINT NOT NULL,
    asked_by      TEXT NOT NULL,
    asked_at      TEXT NOT NULL,
    PRIMARY KEY (program_id, leader_id)
);
