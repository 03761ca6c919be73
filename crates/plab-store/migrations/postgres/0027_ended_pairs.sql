-- A pair the sponsor ends (issue 21): when and why, and its partners free to
-- be paired again in the same program, so a leader has at most one pair that
-- has not ended (instead of one pair ever). Keep in step with
-- ../sqlite/0027_ended_pairs.sql.
ALTER TABLE pairs ADD COLUMN ended_on TEXT;
ALTER TABLE pairs ADD COLUMN end_reason TEXT;
ALTER TABLE pairs DROP CONSTRAINT pairs_program_id_leader_id_key;
CREATE UNIQUE INDEX pairs_open_leader ON pairs (program_id, leader_id) WHERE status <> 'ended';
