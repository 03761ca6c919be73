-- Instance settings set by an administrator, one row per key (same in both dialects; keep in step with the other folder).
-- Values are text: a name, a number, or JSON for program_defaults. Missing keys mean the built-in default.
CREATE TABLE instance_settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
