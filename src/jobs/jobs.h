/* The durable job queue: rows in the `jobs` table claimed by worker threads, run, retried
 * with exponential backoff, and given up (state 'failed', last_error kept) after
 * max_attempts. First job kind: "mail" (payload {"to","subject","body"}). */
#ifndef NCCS_JOBS_JOBS_H
#define NCCS_JOBS_JOBS_H
#include "store/db.h"
#include <jansson.h>

/* Enqueues a job in the caller's transaction (or autocommit). Does not take payload. */
int jobs_enqueue(db *d, const char *kind, const json_t *payload, int64_t run_at);
/* Enqueues a plain-text Japanese mail; addresses ending in .invalid (placeholders) are skipped. */
int jobs_enqueue_mail(db *d, const char *to, const char *subject, const char *body);

/* A job kind's runner: returns 0 when done, -1 (with err) to retry later. */
typedef int (*job_fn)(db *d, const json_t *payload, char *err, size_t errcap);
/* Registers the runner of job kind (a static string) before the worker starts; at most 8. */
void jobs_register(const char *kind, job_fn fn);

/* Starts / stops the worker thread (opens its own DB connection from g_config). housekeeping
 * (may be NULL) runs in a transaction about once a minute, e.g. to expire job offers; tick (may
 * be NULL) runs about once a second, e.g. to bring the search index up to date. */
void jobs_start(int (*housekeeping)(db *d), int (*tick)(db *d));
void jobs_stop(void);
/* Claims and runs at most one due job on d. Returns 1 if one ran, 0 if none was due, -1 on a
 * database error. Used by the worker and by `nccs jobs run`. */
int jobs_run_one(db *d);

/* Sends one mail through libcurl SMTP to g_config.smtp_url. Returns 0, or -1 with err set. */
int mail_send(const char *to, const char *subject, const char *body, char *err, size_t errcap);

#endif
