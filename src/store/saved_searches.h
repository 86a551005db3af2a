/* Queries for saved job searches (保存した検索条件), the tokens of links mailed to nurses
 * (mail_tokens: unsubscribe from a saved search's mail, renew a registration without logging
 * in), and the selections of the nurse mail jobs (weekly digests, validity reminders, expiry).
 * Every function runs in the caller's transaction (or autocommit); results are owned by the
 * caller. DB_NOTFOUND comes from store/accounts.h. */
#ifndef NCCS_STORE_SAVED_SEARCHES_H
#define NCCS_STORE_SAVED_SEARCHES_H
#include "store/accounts.h"
#include "store/db.h"
#include <jansson.h>
#include <stdbool.h>

#define SAVED_SEARCH_MAX      20 /* saved searches per nurse */
#define SAVED_SEARCH_NAME_MAX 50 /* characters of a saved search's name */

/* The saved searches of uid as an array of API objects, newest first (new reference, caller
 * decrefs), or NULL with *rc set to the DB error. */
json_t *store_saved_searches_json(db *d, int64_t uid, int *rc);
/* Saved search id of uid as the API object (new reference), or NULL with *rc = DB_NOTFOUND
 * (no such id, or another nurse's) or a DB error. */
json_t *store_saved_search_json(db *d, int64_t uid, int64_t id, int *rc);
/* Number of saved searches of uid into *n. */
int store_saved_search_count(db *d, int64_t uid, int64_t *n);
/* Inserts a saved search (query: JSON object text of search filter parameters, borrowed).
 * Offers published from now on are new for its first digest. Sets *id. */
int store_saved_search_insert(db *d, int64_t uid, const char *name, const char *query, bool notify,
                              int64_t now, int64_t *id);
/* Changes name / query / notify of saved search id of uid; NULL, NULL, -1 keep the current
 * value. Turning notify on makes "new" start now (no backlog from the weeks it was off).
 * Returns DB_OK, DB_NOTFOUND or an error. */
int store_saved_search_update(db *d, int64_t uid, int64_t id, const char *name, const char *query,
                              int notify, int64_t now);
/* Deletes saved search id of uid with its mail tokens. DB_OK, DB_NOTFOUND or an error. */
int store_saved_search_delete(db *d, int64_t uid, int64_t id);
/* Whether uid's registration can receive job mails now (an active seekers row with
 * email_consent), into *yes. */
int store_seeker_mail_enabled(db *d, int64_t uid, bool *yes);

/* ---- mail tokens (hashes only; see util/crypto.h) ---- */

/* Stores a token hash of kind "unsubscribe" (saved_search_id > 0) or "renew" (0). */
int store_mail_token_insert(db *d, const char *token_hash, const char *kind, int64_t uid,
                            int64_t saved_search_id, int64_t now, int64_t expires_at);
/* Turns the mail of the unexpired unsubscribe token's saved search off (repeatable) and copies
 * the search's name into name. DB_OK, DB_NOTFOUND (unknown, expired, search deleted) or an
 * error. */
int store_unsubscribe(db *d, const char *token_hash, int64_t now, char *name, size_t cap);
/* Marks an unused, unexpired renew token used and sets *uid. DB_OK, DB_NOTFOUND or an error. */
int store_renew_token_take(db *d, const char *token_hash, int64_t now, int64_t *uid);
/* Deletes tokens that expired before `before`. */
int store_mail_tokens_purge(db *d, int64_t before);

/* ---- the nurse mail jobs ---- */

/* Saved searches with mail on whose last digest run was at or before due_before, oldest first,
 * at most limit. Columns: 0 id, 1 user_id, 2 name, 3 query, 4 last_digest_at, 5 email,
 * 6 user name, 7 eligible (1 when the account is active and the registration is active with
 * email_consent). *out is the caller's. */
int store_digests_due(db *d, int64_t due_before, int limit, db_res **out);
/* Records a digest run of saved search id: new offers start at cutoff from now on; mailed_at
 * > 0 records a mail sent. */
int store_digest_done(db *d, int64_t id, int64_t cutoff, int64_t mailed_at);
/* Active registrations whose valid_until is within [from, to] (YYYY-MM-DD) and not yet
 * reminded for that date, of active accounts, soonest first, at most limit. Columns:
 * 0 user_id, 1 email, 2 name, 3 valid_until. */
int store_reminders_due(db *d, const char *from, const char *to, int limit, db_res **out);
/* Records that uid was reminded for valid_until. */
int store_reminder_done(db *d, int64_t uid, const char *valid_until);
/* Closes active or paused registrations whose valid_until is before today (closed_reason
 * 'expired'); the number closed into *n. */
int store_seekers_expire(db *d, const char *today, int64_t now, int64_t *n);

#endif
