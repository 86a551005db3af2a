/* Queries for consultations (相談), their sensitive compartment (consultation_sensitive: the
 * 要配慮個人情報 note, read only with the mental_health grant) and the staff grants. Every
 * function runs in the caller's transaction (or autocommit); results are owned by the caller.
 * DB_NOTFOUND comes from store/accounts.h. Who may read what is decided by domain/authz.c. */
#ifndef NCCS_STORE_CONSULTATIONS_H
#define NCCS_STORE_CONSULTATIONS_H
#include "store/accounts.h"
#include "store/db.h"
#include <stdbool.h>
#include <stdint.h>

#define GRANT_MENTAL_HEALTH "mental_health"

/* The columns of a consultation row as store_consultation_get, store_consultations_list and
 * store_consultations_export return it (db_res column indexes). The sensitive note is never
 * among them. */
enum {
    CQ_ID,
    CQ_PREFECTURE,
    CQ_PREFECTURE_NAME,
    CQ_COUNSELOR_ID,
    CQ_COUNSELOR_NAME,
    CQ_CLIENT_KIND,
    CQ_USER_ID, /* NULL when not about a nurse */
    CQ_USER_NAME,
    CQ_FACILITY_ID, /* NULL when no facility */
    CQ_FACILITY_NAME,
    CQ_CLIENT_NAME,
    CQ_CHANNEL,
    CQ_OUTREACH_PLACE,
    CQ_CATEGORY,
    CQ_CONSULTED_ON,
    CQ_SUMMARY,
    CQ_HAS_SENSITIVE, /* 0 or 1 */
    CQ_FOLLOW_UP_ON,
    CQ_FOLLOW_UP_NOTE,
    CQ_CREATED_AT,
    CQ_CAMPAIGN, /* the campaign tag, NULL if none */
    CQ__COUNT
};

/* A new consultation. Strings are borrowed; NULL / 0 = none. */
typedef struct consult_new {
    const char *prefecture;
    int64_t counselor_id;
    const char *client_kind; /* nurse, facility, other */
    int64_t user_id;
    int64_t facility_id;
    const char *client_name;
    const char *channel;
    const char *outreach_place;
    const char *category;
    const char *consulted_on;
    const char *summary;
    bool has_sensitive;
    const char *follow_up_on;
    const char *follow_up_note;
    const char *campaign; /* campaign tag (e.g. an emergency staffing drive) */
} consult_new;
/* Inserts the consultation (without its sensitive note); *id gets the new id. */
int store_consultation_insert(db *d, const consult_new *c, int64_t now, int64_t *id);
/* Stores the sensitive note of consultation id (written by `by`). */
int store_consultation_sensitive_put(db *d, int64_t id, const char *note, int64_t by, int64_t now);
/* The sensitive note of consultation id into *note (malloc'd, caller frees; NULL when there is
 * none). */
int store_consultation_sensitive_get(db *d, int64_t id, char **note);

/* Consultation id as one row of the CQ_* columns: DB_OK, DB_NOTFOUND or an error. */
int store_consultation_get(db *d, int64_t id, db_res **out);

/* List filter. "" prefecture = every prefecture; 0 / NULL = no filter. */
typedef struct consult_filter {
    const char *prefecture;
    int64_t person_id;
    int64_t facility_id;
    const char *category;
    const char *from; /* consulted_on >= from, YYYY-MM-DD */
    const char *to;   /* consulted_on <= to */
} consult_filter;
/* One page of the consultations matching f, newest first (consulted_on, then id), and the
 * number of all matches into *total. */
int store_consultations_list(db *d, const consult_filter *f, int64_t limit, int64_t offset,
                             int64_t *total, db_res **out);
/* For exports: at most limit consultations matching f, oldest first, after the position
 * (after_on, after_id) of the previous chunk ("" and 0 for the first). */
int store_consultations_export(db *d, const consult_filter *f, const char *after_on,
                               int64_t after_id, int64_t limit, db_res **out);

/* ---- staff and their grants ---- */

/* Columns of a staff row: id, name, role, mental_health (0/1). */
enum { SQ_ID, SQ_NAME, SQ_ROLE, SQ_MENTAL_HEALTH, SQ__COUNT };
/* The active counselors and center admins of prefecture pref, by id. */
int store_staff_list(db *d, const char *pref, db_res **out);
/* Account id as a staff row when it is a counselor or center admin of pref: DB_OK,
 * DB_NOTFOUND (another prefecture's staff, not staff, no such id) or an error. */
int store_staff_get(db *d, int64_t id, const char *pref, db_res **out);
/* Whether account uid holds grant into *yes. */
int store_grant_has(db *d, int64_t uid, const char *grant, bool *yes);
/* Grants (on) or revokes grant for account uid; granting twice keeps the first grant. */
int store_grant_set(db *d, int64_t uid, const char *grant, bool on, int64_t by, int64_t now);

#endif
