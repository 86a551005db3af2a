/* Queries for applications (応募・紹介): one row per nurse × offer case with its current state
 * (src/domain/placement.h decides the transitions) and one application_events row per
 * transition. All functions run in the caller's transaction (or autocommit). */
#ifndef NCCS_STORE_APPLICATIONS_H
#define NCCS_STORE_APPLICATIONS_H
#include "domain/authz.h"
#include "store/accounts.h" /* DB_NOTFOUND */
#include "store/db.h"
#include <stdbool.h>
#include <stdint.h>

/* The current row of an application, as the API and the state machine need it. */
typedef struct app_rec {
    int64_t id;
    int64_t seeker_id;
    int64_t offer_id;
    int64_t facility_id;
    char prefecture[3]; /* the nurse center handling the case */
    char state[16];
    char start_date[11]; /* "" until placed */
    int64_t referred_at; /* 0 until referred */
    int64_t updated_at;
} app_rec;

/* Loads application id into *out: DB_OK, DB_NOTFOUND or an error. */
int store_app_get(db *d, int64_t id, app_rec *out);

/* The scope of application id for authz_application(): DB_OK, DB_NOTFOUND or an error. */
int store_app_scope(db *d, int64_t id, authz_app *out);

/* A new case. Strings are borrowed. */
typedef struct app_new {
    int64_t seeker_id;
    int64_t offer_id;
    int64_t facility_id;
    const char *prefecture; /* the seeker's center */
    const char *state;      /* "requested" or "proposed" */
    const char *origin;     /* "request" or "proposal" */
    int64_t created_by;
} app_new;
/* Inserts the case; *id gets its id. DB_CONSTRAINT when the nurse already has an open case on
 * the offer. */
int store_app_create(db *d, const app_new *n, int64_t now, int64_t *id);

/* What a transition writes besides the state. NULL / 0 / -1 (for the tri-states) = unchanged.
 * Strings are borrowed. */
typedef struct app_change {
    const char *to; /* new state (required) */
    bool open;      /* whether the case stays open (false for terminal states) */
    const char *referral_no;
    int64_t referred_at;
    int64_t offer_version; /* refer: the offer's version the letter states */
    const char *interview_date;
    const char *decision_reason;
    int64_t decided_at;
    const char *start_date;
    const char *employment_form;
    int permanent; /* -1 unchanged, 0, 1 */
    const char *due_1m, *due_3m, *due_6m;
    const char *check_col; /* "1m", "3m", "6m" or NULL: which check result to set */
    const char *check_result;
    const char *left_date;
    int left_within_6m; /* -1 unchanged, 0, 1 */
} app_change;
/* Moves the case from state `from` (optimistic check: DB_NOTFOUND when the row is no longer in
 * that state, e.g. a concurrent transition won) and applies c. */
int store_app_transition(db *d, int64_t id, const char *from, const app_change *c, int64_t now);

/* Appends an event (detail: JSON text, borrowed). */
int store_app_event(db *d, int64_t id, int64_t now, int64_t actor, const char *actor_kind,
                    const char *action, const char *from, const char *to, const char *detail);

/* The next referral number PP-YYYY-NNNNNN of a prefecture and fiscal year into out (cap >= 24). */
int store_referral_no(db *d, const char *pref, int fiscal_year, char *out, size_t cap);

/* List filter: the authz filter with its value, and optional narrowing. "" / 0 = no filter. */
typedef struct app_filter {
    authz_apps_filter scope;
    int64_t scope_id;       /* the seeker or facility id for those scopes */
    const char *prefecture; /* for AUTHZ_APPS_PREFECTURE */
    const char *state;      /* a state code, "open", or "" */
    int64_t offer_id;
    int64_t seeker_id;
    const char *task;         /* "", "review", "retention" */
    const char *retention_by; /* retention: next check due on or before this date */
    int64_t limit, offset;
} app_filter;

/* Summary rows (columns APP_COL_*) and the total count. *out is owned by the caller. */
int store_app_list(db *d, const app_filter *f, int64_t *total, db_res **out);
/* The same columns for one application. */
int store_app_row(db *d, int64_t id, db_res **out);
enum {
    APP_COL_ID,
    APP_COL_STATE,
    APP_COL_ORIGIN,
    APP_COL_REFERRAL_NO,
    APP_COL_REFERRED_AT,
    APP_COL_INTERVIEW,
    APP_COL_REASON,
    APP_COL_START,
    APP_COL_EMP,
    APP_COL_PERMANENT,
    APP_COL_DUE1,
    APP_COL_DUE3,
    APP_COL_DUE6,
    APP_COL_CHECK1,
    APP_COL_CHECK3,
    APP_COL_CHECK6,
    APP_COL_LEFT,
    APP_COL_LEFT6M,
    APP_COL_CREATED,
    APP_COL_UPDATED,
    APP_COL_OFFER_ID,
    APP_COL_OFFER_NO,
    APP_COL_TITLE,
    APP_COL_FACILITY_ID,
    APP_COL_FACILITY_NAME,
    APP_COL_OFFER_PREF,
    APP_COL_MUNI_NAME,
    APP_COL_SEEKER_ID,
    APP_COL_NAME,
    APP_COL_KANA,
    APP_COL_EMAIL,
    APP_COL_PHONE,
    APP_COL_EXP_YEARS,
    APP_COL_EXP_DEPTS,
    APP_COL_SKILLS,
    APP_COL_PREF,
    APP_COL__COUNT
};

/* What the referral letter states, one row: referral_no, referred_at, offer_no, offer body (the
 * version referred), facility name, facility address, applicant name, name_kana, center name,
 * center address, center phone, the referring counselor's name. */
int store_app_letter(db *d, int64_t id, db_res **out);
/* Licences of a user in id order: type code, Japanese label. */
int store_app_licences(db *d, int64_t user_id, db_res **out);
/* Events of an application, oldest first: id, at, action, from, to, actor_kind, actor name,
 * detail. */
int store_app_events(db *d, int64_t id, db_res **out);

#endif
