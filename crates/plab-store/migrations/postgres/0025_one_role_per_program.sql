-- Within one program a person holds at most one of the roles sponsor, leader
-- and mentor, and a sponsor is never one of its pairs (issue 20). The
-- application refuses such an enrolment, pin or approval with a message
-- naming the person; these triggers are the last word for rows written
-- around it. A unique index on enrolments (program_id, employee_id) would say
-- the same but cannot be built over programs enrolled before the rule, so
-- older rows are left as they were: the application keeps every sponsor's
-- own answers out of the averages its sponsors read. Keep in step with
-- ../sqlite/0025.
CREATE FUNCTION enrolments_one_role() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM enrolments e
        WHERE e.program_id = NEW.program_id AND e.employee_id = NEW.employee_id AND e.role <> NEW.role
          AND (TG_OP = 'INSERT'
               OR NOT (e.program_id = OLD.program_id AND e.employee_id = OLD.employee_id AND e.role = OLD.role))
    ) THEN
        RAISE EXCEPTION 'one person takes one role per program' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER enrolments_one_role BEFORE INSERT OR UPDATE OF program_id, employee_id, role ON enrolments
    FOR EACH ROW EXECUTE FUNCTION enrolments_one_role();

CREATE FUNCTION pairs_without_sponsors() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.leader_id = NEW.mentor_id OR EXISTS (
        SELECT 1 FROM enrolments e
        WHERE e.program_id = NEW.program_id AND e.role = 'sponsor' AND e.employee_id IN (NEW.leader_id, NEW.mentor_id)
    ) THEN
        RAISE EXCEPTION 'a sponsor of the program is never one of its pairs' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER pairs_without_sponsors BEFORE INSERT ON pairs
    FOR EACH ROW EXECUTE FUNCTION pairs_without_sponsors();
