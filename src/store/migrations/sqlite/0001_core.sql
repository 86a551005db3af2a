-- Core schema: reference data, accounts, sessions, tokens, throttling, audit, job queue.
-- Timestamps are Unix seconds (UTC); dates are YYYY-MM-DD text.
CREATE TABLE prefectures (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kana TEXT NOT NULL
);
CREATE TABLE municipalities (
  code TEXT PRIMARY KEY,
  prefecture_code TEXT NOT NULL REFERENCES prefectures(code),
  name TEXT NOT NULL,
  kana TEXT NOT NULL,
  lat REAL,
  lon REAL
);
CREATE INDEX municipalities_pref ON municipalities(prefecture_code, code);
CREATE TABLE nurse_centers (
  prefecture_code TEXT PRIMARY KEY REFERENCES prefectures(code),
  name TEXT NOT NULL,
  postal_code TEXT,
  address TEXT,
  phone TEXT,
  url TEXT
);
CREATE TABLE code_lists (
  list TEXT NOT NULL,
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  sort INTEGER NOT NULL,
  PRIMARY KEY (list, code)
);
CREATE TABLE facilities (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  name_kana TEXT NOT NULL,
  prefecture_code TEXT NOT NULL REFERENCES prefectures(code),
  municipality_code TEXT REFERENCES municipalities(code),
  facility_type TEXT NOT NULL,
  phone TEXT,
  status TEXT NOT NULL DEFAULT 'pending_review'
    CHECK (status IN ('pending_review', 'approved', 'returned', 'closed')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX facilities_pref ON facilities(prefecture_code);
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  email_verified_at INTEGER,
  password_hash TEXT,
  role TEXT NOT NULL CHECK (role IN ('seeker', 'facility_admin', 'facility_staff', 'counselor',
                                      'center_admin', 'central', 'sysadmin')),
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  name TEXT NOT NULL,
  name_kana TEXT NOT NULL DEFAULT '',
  phone TEXT,
  prefecture_code TEXT REFERENCES prefectures(code),
  facility_id INTEGER REFERENCES facilities(id),
  channel TEXT NOT NULL CHECK (channel IN ('pc', 'smartphone', 'center', 'notification')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX users_pref_role ON users(prefecture_code, role);
CREATE INDEX users_facility ON users(facility_id);
CREATE INDEX users_created ON users(created_at);
CREATE TABLE licences (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  type TEXT NOT NULL CHECK (type IN ('hokenshi', 'josanshi', 'kangoshi', 'junkangoshi')),
  number TEXT NOT NULL,
  registered_on TEXT NOT NULL,
  UNIQUE (user_id, type)
);
CREATE INDEX licences_number ON licences(type, number);
CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  ip TEXT NOT NULL,
  user_agent TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE tokens (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('verify', 'email_change', 'reset', 'set_password')),
  user_id INTEGER NOT NULL REFERENCES users(id),
  new_email TEXT,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX tokens_user ON tokens(user_id, kind, created_at);
CREATE TABLE login_attempts (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  email TEXT NOT NULL,
  ip TEXT NOT NULL
);
CREATE INDEX login_attempts_email ON login_attempts(email, at);
CREATE INDEX login_attempts_ip ON login_attempts(ip, at);
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor_user_id INTEGER NOT NULL REFERENCES users(id),
  actor_role TEXT NOT NULL,
  actor_prefecture TEXT,
  subject_user_id INTEGER NOT NULL REFERENCES users(id),
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  ip TEXT NOT NULL
);
CREATE INDEX audit_subject ON audit_log(subject_user_id, at);
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL DEFAULT 8,
  run_at INTEGER NOT NULL,
  locked_until INTEGER,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX jobs_ready ON jobs(state, run_at);
