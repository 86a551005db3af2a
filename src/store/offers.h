/* Queries for job offers (求人票): current state, versions, events, offer numbers, expiry. */
#ifndef NCCS_STORE_OFFERS_H
#define NCCS_STORE_OFFERS_H
#include "store/db.h"
#include <jansson.h>

/* The current row of an offer as the API's JSON (new reference) with "body" parsed, or NULL
 * with *rc = DB_NOTFOUND or an error. */
json_t *store_offer_json(db *d, int64_t id, int *rc);
/* Facility and prefecture of an offer, for the router's scope check. */
int store_offer_scope(db *d, int64_t id, int64_t *facility_id, char *pref, size_t cap);
int store_offer_status(db *d, int64_t id, char *status, size_t cap, int64_t *version);

/* The search/ledger columns taken from an offer body. */
typedef struct offer_cols {
    const char *title, *prefecture, *municipality, *employment_form, *wage_type;
    int64_t licence_mask, shift_mask, flag_mask, wage_min,
        positions; /* wage_min/positions -1 = none */
} offer_cols;

int store_offer_insert(db *d, int64_t facility_id, const char *body, const offer_cols *c,
                       int64_t actor, int64_t now, int64_t *id);
/* Replaces the body of the current version (drafts), or adds version+1 when new_version. */
int store_offer_save(db *d, int64_t id, const char *body, const offer_cols *c, bool new_version,
                     int64_t actor, int64_t now);
int store_offer_set_status(db *d, int64_t id, const char *status, int64_t now);
int store_offer_event(db *d, int64_t id, int64_t actor, const char *action, const char *detail,
                      int64_t now);
/* Gives the next offer number PP-YYYY-NNNNNN for a prefecture and fiscal year (in the caller's
 * transaction) and stores it with published_at (first publication only) and valid_until. */
int store_offer_publish(db *d, int64_t id, const char *pref, int fiscal_year,
                        const char *valid_until, const char *reason, int64_t now);
int store_offer_review_note(db *d, int64_t id, const char *reason, const char *ground, int64_t now);
int store_offer_close(db *d, int64_t id, const char *reason, int64_t now);
int store_offer_set_valid_until(db *d, int64_t id, const char *valid_until, int64_t now);
/* Marks published offers whose validity ended before `today` as expired (with events).
 * *n receives how many. */
int store_offers_expire(db *d, const char *today, int64_t now, int64_t *n);

#endif
