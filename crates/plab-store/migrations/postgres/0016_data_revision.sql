-- The data revision: one number that every change to the data the product's
-- cached reads depend on (programs, people, pairs, sessions and what they
-- record) moves forward, whichever process or instance makes the change.
-- A read served from memory is served only for the revision it was read at;
-- sign-ins, tokens, links, proposals and the audit log do not move it.
CREATE TABLE data_revision (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
);
INSERT INTO data_revision (id, n) VALUES (1, 0);
-- One step per statement, taken BEFORE the statement locks any row: a
-- transaction that holds a row lock of these tables already holds the
-- revision's, so two writers queue on the revision and never deadlock on it.
CREATE FUNCTION bump_data_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_revision SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END
$$;
CREATE TRIGGER programs_revision BEFORE INSERT OR UPDATE OR DELETE ON programs FOR EACH STATEMENT EXECUTE FUNCTION bump_data_revision();
CREATE TRIGGER enrolments_revision BEFORE INSERT OR UPDATE OR DELETE ON enrolments FOR EACH STATEMENT EXECUTE FUNCTION bump_data_revision();
CREATE TRIGGER people_revision BEFORE INSERT OR UPDATE OR DELETE ON people FOR EACH STATEMENT EXECUTE FUNCTION bump_data_revision();
CREATE TRIGGER pairs_revision BEFORE INSERT OR UPDATE OR DELETE ON pairs FOR EACH STATEMENT EXECUTE FUNCTION bump_data_revision();
CREATE TRIGGER charter_acceptances_revision BEFORE INSERT OR UPDATE OR DELETE ON charter_acceptances FOR EACH STATEMENT EXECUTE FUNCTION bump_data_revision();
CREATE TRIGGER questions_revision BEFORE INSERT OR UPDATE OR DELETE ON questions FOR EACH STATEMENT EXECUTE FUNCTION bump_data_revision();
CREATE TRIGGER sessions_revision BEFORE INSERT OR UPDATE OR DELETE ON sessions FOR EACH STATEMENT EXECUTE FUNCTION bump_data_revision();
CREATE TRIGGER notes_revision BEFORE INSERT OR UPDATE OR DELETE ON notes FOR EACH STATEMENT EXECUTE FUNCTION bump_data_revision();
CREATE TRIGGER pulse_answers_revision BEFORE INSERT OR UPDATE OR DELETE ON pulse_answers FOR EACH STATEMENT EXECUTE FUNCTION bump_data_revision();
CREATE TRIGGER segment_times_revision BEFORE INSERT OR UPDATE OR DELETE ON segment_times FOR EACH STATEMENT EXECUTE FUNCTION bump_data_revision();
CREATE TRIGGER checkins_revision BEFORE INSERT OR UPDATE OR DELETE ON checkins FOR EACH STATEMENT EXECUTE FUNCTION bump_data_revision();
CREATE TRIGGER insights_revision BEFORE INSERT OR UPDATE OR DELETE ON insights FOR EACH STATEMENT EXECUTE FUNCTION bump_data_revision();
CREATE TRIGGER released_averages_revision BEFORE INSERT OR UPDATE OR DELETE ON released_averages FOR EACH STATEMENT EXECUTE FUNCTION bump_data_revision();
CREATE TRIGGER released_average_basis_revision BEFORE INSERT OR UPDATE OR DELETE ON released_average_basis FOR EACH STATEMENT EXECUTE FUNCTION bump_data_revision();
CREATE TRIGGER self_assessments_revision BEFORE INSERT OR UPDATE OR DELETE ON self_assessments FOR EACH STATEMENT EXECUTE FUNCTION bump_data_revision();
CREATE TRIGGER instance_settings_revision BEFORE INSERT OR UPDATE OR DELETE ON instance_settings FOR EACH STATEMENT EXECUTE FUNCTION bump_data_revision();
