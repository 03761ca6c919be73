-- The close-out's exit question ("Would you take part again, and in which
-- role?"), one answer per participant and program, with an optional line.
-- Private to its author: sponsors see only how many answered each choice;
-- the next cohort proposes the people who want to continue. Keep in step
-- with ../sqlite/0035_cohorts.sql.
CREATE TABLE exit_answers (
    program_id  BIGINT NOT NULL REFERENCES programs (id),
    employee_id TEXT NOT NULL REFERENCES people (employee_id),
    role        TEXT NOT NULL CHECK (role IN ('leader', 'mentor')),
    choice      TEXT NOT NULL CHECK (choice IN ('as_mentor', 'as_leader', 'either_role', 'not_now')),
    comment     TEXT,
    answered_at TEXT NOT NULL,
    PRIMARY KEY (program_id, employee_id)
);
CREATE TRIGGER exit_answers_revision BEFORE INSERT OR UPDATE OR DELETE ON exit_answers FOR EACH STATEMENT EXECUTE FUNCTION bump_data_revision();
