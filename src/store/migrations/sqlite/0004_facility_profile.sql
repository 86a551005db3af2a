-- Facility profile (reviewed by the prefectural center) and the facility event history.
ALTER TABLE facilities ADD COLUMN corporation TEXT;
ALTER TABLE facilities ADD COLUMN postal_code TEXT;
ALTER TABLE facilities ADD COLUMN address TEXT;
ALTER TABLE facilities ADD COLUMN beds INTEGER;
ALTER TABLE facilities ADD COLUMN departments TEXT NOT NULL DEFAULT '[]';
ALTER TABLE facilities ADD COLUMN station TEXT;
ALTER TABLE facilities ADD COLUMN access TEXT;
ALTER TABLE facilities ADD COLUMN contact_name TEXT;
ALTER TABLE facilities ADD COLUMN review_reason TEXT;
ALTER TABLE facilities ADD COLUMN reviewed_by INTEGER REFERENCES users(id);
ALTER TABLE facilities ADD COLUMN reviewed_at INTEGER;
CREATE TABLE facility_events (
  id INTEGER PRIMARY KEY,
  facility_id INTEGER NOT NULL REFERENCES facilities(id),
  at INTEGER NOT NULL,
  actor_user_id INTEGER REFERENCES users(id),
  action TEXT NOT NULL CHECK (action IN ('registered', 'updated', 'submitted', 'approved',
                                         'returned', 'staff_invited')),
  detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX facility_events_facility ON facility_events(facility_id, at);
CREATE INDEX facilities_status ON facilities(prefecture_code, status);
