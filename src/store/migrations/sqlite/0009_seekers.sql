-- Job seekers (求職者): one profile per seeker account (users.role = 'seeker') with experience,
-- contact preferences, desired conditions and the registration validity. Licences stay in
-- `licences`; the phone number in users.phone. Code arrays are JSON text like
-- facilities.departments. Booleans are 0/1 integers on both backends. Deliberately no fields for
-- 本籍/birthplace, race, beliefs, union activity, family income or appearance (DESIGN.md §2).
CREATE TABLE seekers (
  user_id INTEGER PRIMARY KEY REFERENCES users(id),
  prefecture_code TEXT NOT NULL REFERENCES prefectures(code),
  work_status TEXT NOT NULL
    CHECK (work_status IN ('employed', 'not_working', 'on_leave', 'student')),
  experience_years INTEGER NOT NULL CHECK (experience_years BETWEEN 0 AND 70),
  experience_departments TEXT NOT NULL DEFAULT '[]',
  skills TEXT,
  last_facility_type TEXT,
  career_break_months INTEGER CHECK (career_break_months BETWEEN 0 AND 840),
  contact_hours TEXT,
  email_consent INTEGER NOT NULL DEFAULT 0 CHECK (email_consent IN (0, 1)),
  wish_prefectures TEXT NOT NULL DEFAULT '[]',
  wish_municipalities TEXT NOT NULL DEFAULT '[]',
  wish_employment_forms TEXT NOT NULL DEFAULT '[]',
  wish_shift_patterns TEXT NOT NULL DEFAULT '[]',
  wish_max_night_shifts INTEGER CHECK (wish_max_night_shifts BETWEEN 0 AND 31),
  wish_wage_type TEXT CHECK (wish_wage_type IN ('monthly', 'hourly')),
  wish_wage_min INTEGER CHECK (wish_wage_min >= 0),
  wish_facility_types TEXT NOT NULL DEFAULT '[]',
  wish_departments TEXT NOT NULL DEFAULT '[]',
  wish_start_date TEXT,
  wish_childcare INTEGER NOT NULL DEFAULT 0 CHECK (wish_childcare IN (0, 1)),
  wish_commute_minutes INTEGER CHECK (wish_commute_minutes BETWEEN 0 AND 600),
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'closed')),
  valid_until TEXT NOT NULL,
  last_activity_at INTEGER NOT NULL,
  created_by INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX seekers_pref_status ON seekers(prefecture_code, status);
CREATE INDEX seekers_validity ON seekers(status, valid_until);
