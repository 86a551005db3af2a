/* The nurse mail jobs of the housekeeping (docs/API.md "Saved searches and mails"):
 *  - registration expiry: active or paused registrations whose valid_until has passed are
 *    closed with closed_reason 'expired';
 *  - validity reminder: SEEKER_REMINDER_DAYS before valid_until an active registration gets one
 *    mail (per validity period: seekers.reminded_for) with a single-use renewal link;
 *  - weekly digest: a saved search with mail on whose last digest run is DIGEST_INTERVAL ago is
 *    run on the in-memory search index (newest first); the offers published since the last run
 *    (at most DIGEST_MAX_OFFERS listed) are mailed with an unsubscribe link, nothing when none
 *    is new. Accounts whose registration is not active or lacks email_consent skip that week.
 * Addresses in the reserved .invalid domain (counter registrations without e-mail) are never
 * mailed. Mails go through the job queue (jobs_enqueue_mail) in the same transaction. */
#ifndef NCCS_JOBS_DIGEST_H
#define NCCS_JOBS_DIGEST_H
#include "store/db.h"

#define DIGEST_INTERVAL      (7 * 86400) /* seconds between two digests of a saved search */
#define DIGEST_MAX_OFFERS    20          /* offers listed in one digest mail */
#define SEEKER_REMINDER_DAYS 14          /* days before valid_until the reminder goes out */
#define RENEW_TOKEN_TTL      (30 * 86400)
#define UNSUBSCRIBE_TTL      (365 * 86400)

/* Runs one batch of the jobs above at time `now` (Unix seconds; the server passes the clock,
 * `nccs jobs digest --now` a chosen time) in the caller's transaction: every expiry, then at
 * most 100 reminders and 100 saved searches, stopping early after about 200 ms of work so the
 * transaction stays short (the rest is due again next time). Digests need the process's search
 * index (offer_index()); without one they are left for a process that has it. Returns DB_OK or
 * a DB error (the caller's transaction then rolls back); *handled (may be NULL) receives the
 * number of registrations and saved searches dealt with, 0 when nothing was due. */
int digest_housekeeping(db *d, int64_t now, int *handled);

#endif
