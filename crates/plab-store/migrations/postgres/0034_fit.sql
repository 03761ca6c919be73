-- The fit check (same text for both dialects except the revision triggers;
-- keep in step with ../sqlite/0034_fit.sql).
--
-- After a pair's first held session each partner privately answers "Is this
-- pairing a good fit for your research question?" and may add a line. One
-- answer per partner and pair, changed in place. Only the answerer reads it;
-- sponsors learn only whether any answer is 'not_fit' (the pair needs a
-- conversation). Erasure deletes a person's rows; the retention purge
-- destroys a closed program's rows, comments included.
CREATE TABLE fit_answers (
    pair_id     BIGINT NOT NULL REFERENCES pairs (id),
    employee_id TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('leader', 'mentor')),
    answer      TEXT NOT NULL CHECK (answer IN ('fit', 'unsure', 'not_fit')),
    comment     TEXT,
    answered_at TEXT NOT NULL,
    PRIMARY KEY (pair_id, employee_id)
);
-- The sponsor's pair list and the report show the fit signal: a change moves
-- the data revision (migration 0016).
CREATE TRIGGER fit_answers_revision BEFORE INSERT OR UPDATE OR DELETE ON fit_answers FOR EACH STATEMENT EXECUTE FUNCTION bump_data_revision();
