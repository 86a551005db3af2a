-- A point per prefecture (its prefectural office) for "nearest" ordering. Package data with
-- municipality coordinates is not available here, so distances are prefecture-level: an
-- approximation, documented in docs/API.md. Filled by the data step 0008.
ALTER TABLE prefectures ADD COLUMN lat DOUBLE PRECISION;
ALTER TABLE prefectures ADD COLUMN lon DOUBLE PRECISION;
