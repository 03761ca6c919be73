-- Why each unmatched leader of a proposal got no mentor, in a sentence from
-- the engine, in the order of `unmatched` (same text for both dialects).
ALTER TABLE proposals ADD COLUMN unmatched_reasons TEXT NOT NULL DEFAULT '[]';
