-- Notifications (届出) and the counselor's casework.
--
-- A notification is filed for a licence holder, who is always a users row with role 'seeker'
-- (the nurse's account; being a registered job seeker means having a seekers row as well).
-- A holder without an e-mail address gets a placeholder `…@center.invalid` / `…@proxy.invalid`
-- address (reserved domain: never mailed, no password, cannot log in).
-- notifications holds the current content (columns to query, body = the whole item set as
-- JSON); notification_versions keeps every version (変更届), version 1 being the filing.
-- A merged duplicate keeps its rows: users.merged_into points at the surviving record and the
-- survivor's views include the rows of the records merged into it.
ALTER TABLE users ADD COLUMN birth_date TEXT;
ALTER TABLE users ADD COLUMN merged_into INTEGER REFERENCES users(id);
CREATE INDEX users_merged ON users(merged_into);
CREATE INDEX users_birth ON users(birth_date);

-- A facility's bulk upload of proxy notifications: counts and the rejected-row report (CSV).
CREATE TABLE notification_uploads (
  id INTEGER PRIMARY KEY,
  facility_id INTEGER NOT NULL REFERENCES facilities(id),
  uploaded_by INTEGER NOT NULL REFERENCES users(id),
  filename TEXT NOT NULL,
  format TEXT NOT NULL CHECK (format IN ('csv_utf8', 'csv_sjis', 'xlsx')),
  rows_total INTEGER NOT NULL,
  rows_accepted INTEGER NOT NULL,
  rows_rejected INTEGER NOT NULL,
  report TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX notification_uploads_facility ON notification_uploads(facility_id, id);

CREATE TABLE notifications (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  prefecture_code TEXT NOT NULL REFERENCES prefectures(code),
  channel TEXT NOT NULL CHECK (channel IN ('pc', 'smartphone', 'center', 'proxy')),
  facility_id INTEGER REFERENCES facilities(id),
  upload_id INTEGER REFERENCES notification_uploads(id),
  status TEXT NOT NULL CHECK (status IN ('pending_confirmation', 'active')),
  reason TEXT NOT NULL,
  event_date TEXT NOT NULL,
  work_status TEXT NOT NULL,
  name TEXT NOT NULL,
  name_kana TEXT NOT NULL,
  birth_date TEXT NOT NULL,
  body TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  seeker_opt_in INTEGER NOT NULL DEFAULT 0 CHECK (seeker_opt_in IN (0, 1)),
  filed_by INTEGER REFERENCES users(id),
  filed_at INTEGER NOT NULL,
  confirmed_at INTEGER,
  confirmed_how TEXT CHECK (confirmed_how IN ('self', 'link', 'paper')),
  confirmed_by INTEGER REFERENCES users(id),
  updated_at INTEGER NOT NULL
);
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_pref ON notifications(prefecture_code, filed_at);
CREATE INDEX notifications_facility ON notifications(facility_id, id);
CREATE TABLE notification_versions (
  notification_id INTEGER NOT NULL REFERENCES notifications(id),
  version INTEGER NOT NULL,
  body TEXT NOT NULL,
  changed_by INTEGER REFERENCES users(id),
  changed_at INTEGER NOT NULL,
  PRIMARY KEY (notification_id, version)
);
-- The one-time link mailed to the nurse to confirm a notification filed for them (proxy) or
-- without a session; only the BLAKE2b hash is kept.
CREATE TABLE notification_tokens (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  notification_id INTEGER NOT NULL REFERENCES notifications(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX notification_tokens_notification ON notification_tokens(notification_id);

-- Per-center settings of the casework queue.
CREATE TABLE center_settings (
  prefecture_code TEXT PRIMARY KEY REFERENCES prefectures(code),
  first_contact_days INTEGER NOT NULL CHECK (first_contact_days BETWEEN 1 AND 20),
  updated_by INTEGER REFERENCES users(id),
  updated_at INTEGER NOT NULL
);
-- Permissions granted to individual staff (mental_health: the sensitive consultation notes).
CREATE TABLE staff_grants (
  user_id INTEGER NOT NULL REFERENCES users(id),
  grant_name TEXT NOT NULL CHECK (grant_name IN ('mental_health')),
  granted_by INTEGER REFERENCES users(id),
  granted_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, grant_name)
);

-- Consultations (相談). The sensitive note (要配慮個人情報, e.g. mental health) lives in its own
-- table, read only with the mental_health grant, every read audited.
CREATE TABLE consultations (
  id INTEGER PRIMARY KEY,
  prefecture_code TEXT NOT NULL REFERENCES prefectures(code),
  counselor_id INTEGER NOT NULL REFERENCES users(id),
  client_kind TEXT NOT NULL CHECK (client_kind IN ('nurse', 'facility', 'other')),
  user_id INTEGER REFERENCES users(id),
  facility_id INTEGER REFERENCES facilities(id),
  client_name TEXT,
  channel TEXT NOT NULL CHECK (channel IN ('visit', 'phone', 'mail', 'online', 'outreach')),
  outreach_place TEXT CHECK (outreach_place IN ('hello_work', 'other')),
  category TEXT NOT NULL,
  consulted_on TEXT NOT NULL,
  summary TEXT NOT NULL,
  has_sensitive INTEGER NOT NULL DEFAULT 0 CHECK (has_sensitive IN (0, 1)),
  follow_up_on TEXT,
  follow_up_note TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX consultations_pref ON consultations(prefecture_code, consulted_on);
CREATE INDEX consultations_user ON consultations(user_id, consulted_on);
CREATE INDEX consultations_facility ON consultations(facility_id, consulted_on);
CREATE TABLE consultation_sensitive (
  consultation_id INTEGER PRIMARY KEY REFERENCES consultations(id),
  note TEXT NOT NULL,
  written_by INTEGER NOT NULL REFERENCES users(id),
  written_at INTEGER NOT NULL
);

-- The work queue of a center: contact new notifications and registrations by a deadline,
-- consultation follow-ups and hand-overs. Follow-ups of applications (referral requests to
-- review, retention checks) come from the applications table (GET /applications?task=…).
CREATE TABLE tasks (
  id INTEGER PRIMARY KEY,
  prefecture_code TEXT NOT NULL REFERENCES prefectures(code),
  kind TEXT NOT NULL
    CHECK (kind IN ('notification', 'registration', 'follow_up', 'handover')),
  user_id INTEGER REFERENCES users(id),
  notification_id INTEGER REFERENCES notifications(id),
  consultation_id INTEGER REFERENCES consultations(id),
  due_on TEXT NOT NULL,
  assigned_to INTEGER REFERENCES users(id),
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
  outcome TEXT CHECK (outcome IN ('contacted', 'unreachable', 'not_needed')),
  note TEXT,
  done_by INTEGER REFERENCES users(id),
  done_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX tasks_queue ON tasks(prefecture_code, status, due_on);
CREATE INDEX tasks_user ON tasks(user_id);

-- Hand-over of a licence holder to another prefecture's center (the nurse moved), with the
-- nurse's consent; merges of duplicate records.
CREATE TABLE handovers (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  from_prefecture TEXT NOT NULL REFERENCES prefectures(code),
  to_prefecture TEXT NOT NULL REFERENCES prefectures(code),
  consent_method TEXT NOT NULL CHECK (consent_method IN ('written', 'verbal', 'online')),
  consent_on TEXT NOT NULL,
  note TEXT,
  by_user INTEGER NOT NULL REFERENCES users(id),
  at INTEGER NOT NULL
);
CREATE INDEX handovers_user ON handovers(user_id);
CREATE TABLE person_merges (
  id INTEGER PRIMARY KEY,
  survivor_id INTEGER NOT NULL REFERENCES users(id),
  merged_id INTEGER NOT NULL REFERENCES users(id),
  reason TEXT NOT NULL,
  note TEXT,
  by_user INTEGER NOT NULL REFERENCES users(id),
  at INTEGER NOT NULL
);
CREATE INDEX person_merges_survivor ON person_merges(survivor_id);
