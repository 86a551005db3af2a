-- Job offers (求人票): the current state per offer with the columns search and the ledger need,
-- every version of the content, and the event history of the lifecycle.
CREATE TABLE offers (
  id INTEGER PRIMARY KEY,
  facility_id INTEGER NOT NULL REFERENCES facilities(id),
  status TEXT NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft', 'submitted', 'published', 'returned', 'refused', 'closed', 'expired')),
  offer_no TEXT UNIQUE,
  version INTEGER NOT NULL DEFAULT 1,
  body TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  prefecture_code TEXT NOT NULL REFERENCES prefectures(code),
  municipality_code TEXT,
  licence_mask INTEGER NOT NULL DEFAULT 0,
  employment_form TEXT,
  shift_mask INTEGER NOT NULL DEFAULT 0,
  flag_mask INTEGER NOT NULL DEFAULT 0,
  wage_type TEXT,
  wage_min INTEGER,
  positions INTEGER,
  valid_until TEXT,
  published_at INTEGER,
  review_reason TEXT,
  refusal_ground TEXT,
  close_reason TEXT,
  created_by INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX offers_facility ON offers(facility_id, status);
CREATE INDEX offers_review ON offers(prefecture_code, status);
CREATE INDEX offers_valid ON offers(status, valid_until);
CREATE TABLE offer_versions (
  offer_id INTEGER NOT NULL REFERENCES offers(id),
  version INTEGER NOT NULL,
  body TEXT NOT NULL,
  created_by INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (offer_id, version)
);
CREATE TABLE offer_events (
  id INTEGER PRIMARY KEY,
  offer_id INTEGER NOT NULL REFERENCES offers(id),
  at INTEGER NOT NULL,
  actor_user_id INTEGER REFERENCES users(id),
  action TEXT NOT NULL CHECK (action IN ('created', 'updated', 'submitted', 'published', 'returned',
                                         'refused', 'closed', 'expired', 'extended')),
  detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX offer_events_offer ON offer_events(offer_id, at);
-- Per prefecture and fiscal year, the last offer number given (offer numbers are
-- PP-YYYY-NNNNNN: prefecture code, fiscal year of publication, sequence).
CREATE TABLE offer_numbers (
  prefecture_code TEXT NOT NULL REFERENCES prefectures(code),
  fiscal_year INTEGER NOT NULL,
  last_seq INTEGER NOT NULL,
  PRIMARY KEY (prefecture_code, fiscal_year)
);
