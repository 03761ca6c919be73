-- Pulse averages released to sponsors (same text for both dialects; keep in step with ../postgres/).
-- A sponsor sees only the last release of each item, never the live answers:
-- a new release is made once enough people have answered or changed an answer
-- since the last one (plab_domain::session::next_release), so two figures a
-- sponsor reads never differ by one person's answer. `number` counts the
-- releases of an item, so two servers releasing at once cannot both win.
CREATE TABLE released_averages (
    program_id  BIGINT NOT NULL REFERENCES programs (id),
    item        TEXT NOT NULL,
    number      BIGINT NOT NULL,
    respondents BIGINT NOT NULL,
    average     DOUBLE PRECISION NOT NULL,
    released_at TEXT NOT NULL,
    PRIMARY KEY (program_id, item)
);

-- Each person's answers (sum and count over their sessions) that the release
-- was computed from: what the next release compares the live answers with.
CREATE TABLE released_average_basis (
    program_id   BIGINT NOT NULL,
    item         TEXT NOT NULL,
    employee_id  TEXT NOT NULL,
    answer_sum   BIGINT NOT NULL,
    answer_count BIGINT NOT NULL,
    PRIMARY KEY (program_id, item, employee_id),
    FOREIGN KEY (program_id, item) REFERENCES released_averages (program_id, item)
);
