-- Within one program a person holds at most one of the roles sponsor, leader
-- and mentor, and a sponsor is never one of its pairs (issue 20). The
-- application refuses such an enrolment, pin or approval with a message
-- naming the person; these triggers are the last word when two writers race.
-- A unique index on enrolments (program_id, employee_id) would say the same
-- but cannot be built over programs enrolled before the rule, so older rows
-- are left as they were: the application keeps every sponsor's own answers
-- out of the averages its sponsors read. Keep in step with ../postgres/0025.
CREATE TRIGGER enrolments_one_role_insert BEFORE INSERT ON enrolments
WHEN EXISTS (
    SELECT 1 FROM enrolments e
    WHERE e.program_id = NEW.program_id AND e.employee_id = NEW.employee_id AND e.role <> NEW.role
)
BEGIN
    SELECT RAISE(ABORT, 'one person takes one role per program');
END;

CREATE TRIGGER enrolments_one_role_update BEFORE UPDATE OF program_id, employee_id, role ON enrolments
WHEN EXISTS (
    SELECT 1 FROM enrolments e
    WHERE e.program_id = NEW.program_id AND e.employee_id = NEW.employee_id AND e.role <> NEW.role
      AND NOT (e.program_id = OLD.program_id AND e.employee_id = OLD.employee_id AND e.role = OLD.role)
)
BEGIN
    SELECT RAISE(ABORT, 'one person takes one role per program');
END;

CREATE TRIGGER pairs_without_sponsors BEFORE INSERT ON pairs
WHEN NEW.leader_id = NEW.mentor_id OR EXISTS (
    SELECT 1 FROM enrolments e
    WHERE e.program_id = NEW.program_id AND e.role = 'sponsor' AND e.employee_id IN (NEW.leader_id, NEW.mentor_id)
)
BEGIN
    SELECT RAISE(ABORT, 'a sponsor of the program is never one of its pairs');
END;
