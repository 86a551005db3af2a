-- Saved job searches (保存した検索条件) with the weekly mail of new matching offers, the one-time
-- links such mails carry (unsubscribe from a saved search's mail, renew a registration without
-- logging in), and what the registration-validity jobs record on seekers.
--
-- saved_searches.query is a JSON object of GET /api/v1/offers filter parameters (string values,
-- exactly as in the URL). Offers published at or after last_digest_at are "new" for the next
-- weekly mail; it starts at created_at and moves on with each digest run (mail or not).
CREATE TABLE saved_searches (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  query TEXT NOT NULL,
  notify INTEGER NOT NULL DEFAULT 0 CHECK (notify IN (0, 1)),
  last_digest_at INTEGER NOT NULL,
  last_mailed_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX saved_searches_user ON saved_searches(user_id, id);
CREATE INDEX saved_searches_due ON saved_searches(notify, last_digest_at);
-- Tokens of links in mails to nurses; only BLAKE2b hashes are kept (like `tokens`).
-- unsubscribe: one per digest mail, turns its saved search's mail off (repeatable until it
-- expires); renew: one per reminder, single use (used_at).
CREATE TABLE mail_tokens (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('unsubscribe', 'renew')),
  user_id INTEGER NOT NULL REFERENCES users(id),
  saved_search_id INTEGER REFERENCES saved_searches(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX mail_tokens_search ON mail_tokens(saved_search_id);
CREATE INDEX mail_tokens_expiry ON mail_tokens(expires_at);
-- reminded_for: the valid_until the validity reminder was mailed for (one per validity period);
-- closed_reason: why the registration was closed ('expired' by the expiry job), NULL otherwise.
ALTER TABLE seekers ADD COLUMN reminded_for TEXT;
ALTER TABLE seekers ADD COLUMN closed_reason TEXT;
