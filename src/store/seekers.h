/* Queries for job seekers (求職者): the profile with experience and desired conditions, the
 * registration validity, and the licences it shows (table `licences`, shared with registration). */
#ifndef NCCS_STORE_SEEKERS_H
#define NCCS_STORE_SEEKERS_H
#include "store/db.h"
#include <jansson.h>
#include <stdbool.h>

/* A registration stays valid for this many months after the seeker's last activity (saving the
 * profile, one-click renewal, a counselor's update). Documented in docs/API.md. */
#define SEEKER_VALIDITY_MONTHS 6

/* The JST date SEEKER_VALIDITY_MONTHS months after `now` (day clamped to the month's end) as
 * YYYY-MM-DD into out (cap >= 11). */
void seeker_valid_until(int64_t now, char *out, size_t cap);

/* The profile of user `uid` as the API's Seeker object (new reference, caller decrefs), or NULL
 * with *rc = DB_NOTFOUND (no profile) or a DB error. */
json_t *store_seeker_json(db *d, int64_t uid, int *rc);

/* Registration status of the profile into status (cap >= 8): DB_OK, DB_NOTFOUND or an error. */
int store_seeker_status(db *d, int64_t uid, char *status, size_t cap);

/* Creates or replaces the profile of uid from a validated, normalised body (borrowed; the
 * members of the PUT /me/seeker spec). Also sets users.phone and users.prefecture_code (the
 * center the seeker belongs to, which is also the staff scope) and, when the body has
 * `licences`, replaces the licences. Marks activity now and extends the validity; a new profile
 * starts `active`, an existing one keeps its status. *created tells which happened. Runs in the
 * caller's transaction. */
int store_seeker_put(db *d, int64_t uid, const json_t *body, int64_t actor, int64_t now,
                     bool *created);

/* Sets the registration status. When renew is true the activity time becomes now and the
 * validity is extended. Any status but 'closed' clears closed_reason. */
int store_seeker_set_status(db *d, int64_t uid, const char *status, bool renew, int64_t now);

#endif
