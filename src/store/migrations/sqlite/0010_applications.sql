-- Applications (応募・紹介): one row per nurse × offer case, from the referral request or the
-- counselor's proposal to the last retention check, with its current state and the data the
-- steps recorded; every transition is a row of application_events (actor, time, from, to, data),
-- the history the ledger (求人求職管理簿) and the placement report are built from.
-- prefecture_code is the nurse center that handles the case (the seeker's center when it was
-- opened): counselors of that prefecture act on it. facility_id is the offer's facility.
CREATE TABLE applications (
  id INTEGER PRIMARY KEY,
  seeker_user_id INTEGER NOT NULL REFERENCES users(id),
  offer_id INTEGER NOT NULL REFERENCES offers(id),
  facility_id INTEGER NOT NULL REFERENCES facilities(id),
  prefecture_code TEXT NOT NULL REFERENCES prefectures(code),
  state TEXT NOT NULL CHECK (state IN ('requested', 'proposed', 'referred', 'interview', 'hired',
    'placed', 'checked_1m', 'checked_3m', 'closed', 'withdrawn', 'refused', 'rejected',
    'declined', 'cancelled')),
  origin TEXT NOT NULL CHECK (origin IN ('request', 'proposal')),
  is_open INTEGER NOT NULL DEFAULT 1 CHECK (is_open IN (0, 1)),
  referral_no TEXT UNIQUE,
  referred_at INTEGER,
  offer_version INTEGER, -- the offer version the referral letter states
  interview_date TEXT,
  decision_reason TEXT,
  decided_at INTEGER,
  start_date TEXT,
  employment_form TEXT CHECK (employment_form IN ('jokin', 'hijokin', 'rinji')),
  permanent INTEGER CHECK (permanent IN (0, 1)),
  due_1m TEXT,
  due_3m TEXT,
  due_6m TEXT,
  check_1m TEXT,
  check_3m TEXT,
  check_6m TEXT,
  left_date TEXT,
  left_within_6m INTEGER CHECK (left_within_6m IN (0, 1)),
  created_by INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  closed_at INTEGER
);
-- At most one open case per nurse and offer.
CREATE UNIQUE INDEX applications_open_pair ON applications(seeker_user_id, offer_id) WHERE is_open = 1;
CREATE INDEX applications_seeker ON applications(seeker_user_id, updated_at);
CREATE INDEX applications_offer ON applications(offer_id, state);
CREATE INDEX applications_facility ON applications(facility_id, state);
CREATE INDEX applications_pref ON applications(prefecture_code, state, updated_at);
CREATE TABLE application_events (
  id INTEGER PRIMARY KEY,
  application_id INTEGER NOT NULL REFERENCES applications(id),
  at INTEGER NOT NULL,
  actor_user_id INTEGER REFERENCES users(id),
  actor_kind TEXT NOT NULL CHECK (actor_kind IN ('nurse', 'facility', 'counselor', 'central')),
  action TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX application_events_app ON application_events(application_id, id);
CREATE INDEX application_events_at ON application_events(at);
-- Per prefecture and fiscal year, the last referral number given (PP-YYYY-NNNNNN).
CREATE TABLE referral_numbers (
  prefecture_code TEXT NOT NULL REFERENCES prefectures(code),
  fiscal_year INTEGER NOT NULL,
  last_seq INTEGER NOT NULL,
  PRIMARY KEY (prefecture_code, fiscal_year)
);
-- The matcher (src/search/match_feed.c) polls profiles changed since its last look.
CREATE INDEX seekers_updated ON seekers(updated_at);
