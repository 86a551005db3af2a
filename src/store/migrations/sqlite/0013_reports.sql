-- Statistics and reports (issue 7): access counters, the central help desk, campaign tags,
-- historical imports and report builds. The report tables themselves are computed from the
-- records (src/report/tables.c); nothing here stores a finished figure except access counts,
-- which have no other record.

-- Page views and visits per JST day, site, page type and device class. Filled by the server
-- (route views reported by the web app) and by `nccs import access-log` (nginx logs).
-- site: 'job' (求人・求職サイト) or 'notify' (届出サイト). page: top_public (before login),
-- top_staff, top_seeker, top_facility, other. device: 'pc' or 'sp' (smartphone).
-- visits: visits that started with a request of this key (a visit = requests of one client
-- without a gap over 30 minutes), so a day's visits are the sum over its keys.
CREATE TABLE access_daily (
  day TEXT NOT NULL,
  site TEXT NOT NULL CHECK (site IN ('job', 'notify')),
  page TEXT NOT NULL CHECK (page IN ('top_public', 'top_staff', 'top_seeker', 'top_facility', 'other')),
  device TEXT NOT NULL CHECK (device IN ('pc', 'sp')),
  views INTEGER NOT NULL DEFAULT 0,
  visits INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (day, site, page, device)
);

-- Files already imported (by kind and SHA-256 of the content) so the same file never counts
-- twice: access logs and historical CSV records.
CREATE TABLE import_runs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  file_name TEXT NOT NULL,
  rows_total INTEGER NOT NULL,
  rows_imported INTEGER NOT NULL,
  imported_at INTEGER NOT NULL,
  UNIQUE (kind, sha256)
);

-- The central help desk: a prefectural center opens a ticket, central staff answer.
-- category: HELPDESK_CATEGORIES (domain/casework.c). opened_by is NULL for imported tickets.
CREATE TABLE helpdesk_tickets (
  id INTEGER PRIMARY KEY,
  prefecture_code TEXT NOT NULL REFERENCES prefectures(code),
  opened_by INTEGER REFERENCES users(id),
  category TEXT NOT NULL,
  subject TEXT NOT NULL,
  description TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'closed')),
  opened_at INTEGER NOT NULL,
  closed_at INTEGER,
  updated_at INTEGER NOT NULL,
  imported INTEGER NOT NULL DEFAULT 0 CHECK (imported IN (0, 1))
);
CREATE INDEX helpdesk_opened ON helpdesk_tickets(opened_at);
CREATE INDEX helpdesk_pref ON helpdesk_tickets(prefecture_code, status, updated_at);
CREATE TABLE helpdesk_replies (
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES helpdesk_tickets(id),
  author_id INTEGER REFERENCES users(id),
  author_kind TEXT NOT NULL CHECK (author_kind IN ('center', 'central')),
  body TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX helpdesk_replies_ticket ON helpdesk_replies(ticket_id, id);

-- A campaign (e.g. an emergency staffing drive) is a tag on the consultations it brought in;
-- the campaign report follows the tagged nurses and facilities to their applications.
ALTER TABLE consultations ADD COLUMN campaign TEXT;
CREATE INDEX consultations_campaign ON consultations(campaign, consulted_on);

-- "All tables" downloads are built by a job: progress = tables done of total; the file is kept
-- base64-encoded (both backends store it as text) and purged after 7 days.
CREATE TABLE report_builds (
  id INTEGER PRIMARY KEY,
  requested_by INTEGER NOT NULL REFERENCES users(id),
  fiscal_year INTEGER NOT NULL,
  prefecture_code TEXT,
  format TEXT NOT NULL CHECK (format IN ('xlsx', 'zip')),
  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
  progress INTEGER NOT NULL DEFAULT 0,
  total INTEGER NOT NULL,
  tables TEXT NOT NULL DEFAULT '',
  file_name TEXT,
  file_b64 TEXT,
  error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX report_builds_user ON report_builds(requested_by, id);

-- Indexes the yearly tables read by date.
CREATE INDEX seekers_created ON seekers(created_at);
CREATE INDEX facilities_created ON facilities(created_at);
CREATE INDEX notifications_filed ON notifications(filed_at);
CREATE INDEX applications_referred ON applications(referred_at);
CREATE INDEX applications_decided ON applications(decided_at);
-- Covering indexes: the yearly tables read these columns of every offer / account of a year,
-- and the rows themselves are wide (the offer body), so the scans stay inside the index.
CREATE INDEX offers_report ON offers(published_at, status, prefecture_code, facility_id, positions,
  shift_mask, wage_type, wage_min);
CREATE INDEX users_report ON users(created_at, role, channel, prefecture_code);
CREATE INDEX seekers_report ON seekers(created_at, valid_until, prefecture_code);
CREATE INDEX applications_created ON applications(created_at);
