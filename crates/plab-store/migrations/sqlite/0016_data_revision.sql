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
-- SQLite has row triggers only: one step per changed row.
CREATE TRIGGER programs_insert_revision AFTER INSERT ON programs BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER programs_update_revision AFTER UPDATE ON programs BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER programs_delete_revision AFTER DELETE ON programs BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER enrolments_insert_revision AFTER INSERT ON enrolments BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER enrolments_update_revision AFTER UPDATE ON enrolments BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER enrolments_delete_revision AFTER DELETE ON enrolments BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER people_insert_revision AFTER INSERT ON people BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER people_update_revision AFTER UPDATE ON people BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER people_delete_revision AFTER DELETE ON people BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER pairs_insert_revision AFTER INSERT ON pairs BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER pairs_update_revision AFTER UPDATE ON pairs BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER pairs_delete_revision AFTER DELETE ON pairs BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER charter_acceptances_insert_revision AFTER INSERT ON charter_acceptances BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER charter_acceptances_update_revision AFTER UPDATE ON charter_acceptances BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER charter_acceptances_delete_revision AFTER DELETE ON charter_acceptances BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER questions_insert_revision AFTER INSERT ON questions BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER questions_update_revision AFTER UPDATE ON questions BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER questions_delete_revision AFTER DELETE ON questions BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER sessions_insert_revision AFTER INSERT ON sessions BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER sessions_update_revision AFTER UPDATE ON sessions BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER sessions_delete_revision AFTER DELETE ON sessions BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER notes_insert_revision AFTER INSERT ON notes BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER notes_update_revision AFTER UPDATE ON notes BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER notes_delete_revision AFTER DELETE ON notes BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER pulse_answers_insert_revision AFTER INSERT ON pulse_answers BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER pulse_answers_update_revision AFTER UPDATE ON pulse_answers BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER pulse_answers_delete_revision AFTER DELETE ON pulse_answers BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER segment_times_insert_revision AFTER INSERT ON segment_times BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER segment_times_update_revision AFTER UPDATE ON segment_times BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER segment_times_delete_revision AFTER DELETE ON segment_times BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER checkins_insert_revision AFTER INSERT ON checkins BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER checkins_update_revision AFTER UPDATE ON checkins BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER checkins_delete_revision AFTER DELETE ON checkins BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER insights_insert_revision AFTER INSERT ON insights BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER insights_update_revision AFTER UPDATE ON insights BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER insights_delete_revision AFTER DELETE ON insights BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER released_averages_insert_revision AFTER INSERT ON released_averages BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER released_averages_update_revision AFTER UPDATE ON released_averages BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER released_averages_delete_revision AFTER DELETE ON released_averages BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER released_average_basis_insert_revision AFTER INSERT ON released_average_basis BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER released_average_basis_update_revision AFTER UPDATE ON released_average_basis BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER released_average_basis_delete_revision AFTER DELETE ON released_average_basis BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER self_assessments_insert_revision AFTER INSERT ON self_assessments BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER self_assessments_update_revision AFTER UPDATE ON self_assessments BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER self_assessments_delete_revision AFTER DELETE ON self_assessments BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER instance_settings_insert_revision AFTER INSERT ON instance_settings BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER instance_settings_update_revision AFTER UPDATE ON instance_settings BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER instance_settings_delete_revision AFTER DELETE ON instance_settings BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
