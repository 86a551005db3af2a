/* Queries for facilities (求人施設): profile, review state, event history. */
#ifndef NCCS_STORE_FACILITIES_H
#define NCCS_STORE_FACILITIES_H
#include "store/db.h"
#include <jansson.h>

/* Prefecture of a facility, for the router's scope check. DB_OK, DB_NOTFOUND (from accounts.h)
 * or an error. pref cap >= 3. */
int store_facility_scope(db *d, int64_t id, char *pref, size_t cap);
/* The facility as the API's JSON object (new reference, caller decrefs), or NULL with *rc set. */
json_t *store_facility_json(db *d, int64_t id, int *rc);
/* Current status into status (cap >= 16). */
int store_facility_status(db *d, int64_t id, char *status, size_t cap);
int store_facility_set_status(db *d, int64_t id, const char *status, const char *reason,
                              int64_t reviewer, int64_t now);
/* Updates one profile column (from a fixed list; anything else is refused with DB_ERROR). */
int store_facility_set(db *d, int64_t id, const char *column, db_val value, int64_t now);
/* Appends an event; detail is a JSON text ("{}" when nothing to add). */
int store_facility_event(db *d, int64_t facility_id, int64_t actor, const char *action,
                         const char *detail, int64_t now);

#endif
