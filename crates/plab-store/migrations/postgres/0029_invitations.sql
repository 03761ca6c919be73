-- Invitations (same text for both dialects; keep in step with the other
-- dialect's 0029_invitations.sql).
--
-- A sponsor invites the people enrolled in their program by e-mail: one row
-- per person and program, with when the last invitation went out, who sent
-- it and how many were sent (a resend is throttled from `invited_at`). The
-- set-password link a welcome may carry is a `password_links` row like any
-- other, never stored here.
CREATE TABLE invitations (
    program_id  BIGINT NOT NULL REFERENCES programs (id),
    employee_id TEXT NOT NULL REFERENCES people (employee_id),
    invited_at  TEXT NOT NULL,
    invited_by  TEXT NOT NULL,
    sent        BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (program_id, employee_id)
);
