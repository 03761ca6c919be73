-- A program's pairs in id order (the pair list and its pages, `?after=ID`):
-- read straight from this index instead of sorting the program's pairs on
-- every request. Same text for both dialects.
CREATE INDEX pairs_program ON pairs (program_id, id);
