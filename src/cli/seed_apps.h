/* The seed's application generator: applications (応募・紹介) of national nurses on published
 * offers over one fiscal year, each history a path through the placement state machine built
 * by calling placement_apply() step by step (domain/placement.h), so no impossible history can
 * come out. Pure: no I/O and no clock; the caller passes the nurses, offers, staff ids, the
 * fiscal year, "today" and an RNG seed, and stores the result (src/cli/seed.c).
 *
 * What comes out, for p.applicants distinct nurses (1 to 3 applications each) of whom exactly
 * p.placements reach `placed` with exactly one application (their other ones end before it:
 * rejected, declined, withdrawn, refused or cancelled):
 *   - every application is opened (request or proposal) within the fiscal year; every placement
 *     (the place event and its start date) falls within it too; no event is after today;
 *   - the actors are the nurse, the offer's facility admin, a counselor of the nurse's center
 *     (the application's prefecture) and now and then the central staff (cancel);
 *   - event times increase strictly within an application;
 *   - retention checks are recorded for every check due by today (about 10 % of placements end
 *     with the nurse leaving, left_within_6m from placement_left_within_6m(); 0 also after a
 *     6-month check that found the nurse still employed, as the API records it);
 *   - referral numbers PP-YYYY-NNNNNN (prefecture, fiscal year of the referral, sequence) follow
 *     the referral times, continuing sa_params.referral_seq;
 *   - applications are ordered by opening time and events by time (the order to insert them). */
#ifndef NCCS_CLI_SEED_APPS_H
#define NCCS_CLI_SEED_APPS_H
#include "domain/placement.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SA_MAX_COUNSELORS 4

/* A nurse who may apply. */
typedef struct {
    int64_t user_id;
    int pref;      /* 1..47: the nurse's center */
    int wish_pref; /* another prefecture the nurse would work in, or 0 */
    unsigned lic;  /* OFFER_LIC_* bits of the nurse's licences */
    unsigned emp;  /* wished employment forms: bits 1 << offer_employment_form; 0 = any */
} sa_nurse;

/* A published offer. */
typedef struct {
    int64_t id, facility_id;
    int64_t admin_id; /* a facility_admin login of the facility (the facility actor) */
    int64_t version;  /* the offer's version (the referral letter states it) */
    int pref;         /* 1..47 */
    offer_employment_form emp;
    unsigned lic; /* OFFER_LIC_* bits accepted */
} sa_offer;

/* Input. Arrays are borrowed for the call. */
typedef struct {
    int fiscal_year;   /* applications open from April 1 of it to March 31 of the next year */
    const char *today; /* YYYY-MM-DD: the last day of events, within a year after the fiscal
                          year's end and not before its start plus 90 days */
    int applicants;    /* distinct nurses with an application (<= nnurses) */
    int placements;    /* of them, nurses placed (<= applicants) */
    const sa_nurse *nurses;
    int nnurses;
    const sa_offer *offers;
    int noffers;
    int64_t counselors[48][SA_MAX_COUNSELORS]; /* per prefecture 1..47 */
    int ncounselors[48];                       /* each >= 1 for every prefecture of a nurse */
    int64_t central_id;                        /* central staff (cancels); 0: counselors only */
    uint64_t seed;
    int64_t referral_seq[2][48]; /* last referral number given per prefecture in the fiscal
                                    year ([0]) and the next one ([1]) before this run */
} sa_params;

/* One event; what placement_apply was given is rebuilt by sa_event_input. */
typedef struct {
    int app; /* index into sa_result.apps */
    int64_t at;
    int64_t actor_id;
    placement_actor actor;
    placement_action act;
    placement_state from, to;
    const char *reason;            /* reject / decline: reason code (static) */
    const char *note;              /* static, JSON-safe; NULL when none */
    char date[11];                 /* schedule: interview date; check with result left: left date */
    placement_check_result result; /* checks */
} sa_event;

/* One application and the data its steps recorded. Dates are "" when not set. */
typedef struct {
    int nurse, offer; /* indexes into sa_params.nurses / offers */
    int pref;         /* the nurse's center */
    placement_state state;
    bool proposal; /* origin: counselor's proposal, else the nurse's request */
    int64_t created_by, created_at, updated_at;
    int64_t closed_at;   /* 0 unless terminal */
    int64_t referred_at; /* 0 until referred */
    int64_t decided_at;  /* 0 until hired, rejected or declined */
    char referral_no[16];
    char interview_date[11];
    const char *decision_reason; /* reject / decline reason code, NULL otherwise */
    char start_date[11];
    offer_employment_form emp;       /* OFFER_EMP_UNSET until placed */
    offer_tri permanent;             /* OFFER_TRI_UNSET until placed */
    placement_due due;               /* zeroed until placed */
    placement_check_result check[3]; /* 1, 3 and 6 months; PL_CHECK_UNSET when not done */
    char left_date[11];
    int left_within_6m; /* 1/0 when the nurse left (within 6 months or not), 0 when the 6-month
                           check found the nurse still employed, else -1 (as the API records) */
} sa_app;

typedef struct {
    sa_app *apps; /* owned; free with sa_result_free */
    int napps;
    sa_event *events; /* owned; ordered by time */
    int nevents;
    int64_t referral_seq[2][48]; /* sa_params.referral_seq after this run */
    char err[160];               /* why generation failed */
} sa_result;

/* Generates into *out (zeroed first). Returns 0, or -1 with out->err set (bad parameters, out
 * of memory, or a step the state machine refused — a bug). Deterministic for equal input. */
int sa_generate(const sa_params *p, sa_result *out);
void sa_result_free(sa_result *r);

/* The input placement_apply got for event e of application a (strings borrowed from e and a,
 * today written into today_buf, cap >= 11). */
void sa_event_input(const sa_app *a, const sa_event *e, placement_input *in, char *today_buf,
                    size_t cap);

/* The event's data as a JSON object text (application_events.detail, as the API writes it:
 * the opening's offer_id and note, the referral's number and offer version, else the input
 * fields of the action) into out; returns 0, or -1 when cap is too small. */
int sa_event_detail(const sa_params *p, const sa_app *a, const sa_event *e, char *out, size_t cap);

/* True for placed and the states after it (checked_1m, checked_3m, and closed). */
bool sa_state_reached_placed(placement_state s);

#endif
