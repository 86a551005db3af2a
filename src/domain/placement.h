/* The placement flow (職業紹介の流れ) as a pure state machine: referral request or counselor
 * proposal → counselor review and referral (紹介状発行) → interview → decision (採用 / 不採用 /
 * 辞退) → placement (就職) → retention checks at 1, 3 and 6 months → closed.
 *
 * Pure domain code: no I/O, no allocation, no clock (the caller passes "today"). The store
 * records every successful placement_apply() as an event (from, action, actor, to, input, time)
 * and keeps the application's current state; this module only decides whether a transition is
 * allowed and whether its data is complete. Scope (this nurse is the applicant, this facility
 * owns the offer, this counselor belongs to the prefecture) is checked by the caller with
 * authz_*; here only the kind of actor matters.
 *
 * States (code, label). PL_ST_NONE is "no application yet": the first event creates one.
 *   requested  紹介依頼       nurse asked for a referral on an offer (or accepted a proposal)
 *   proposed   紹介提案       counselor proposed the offer; waits for the nurse's consent
 *   referred   紹介済         counselor reviewed and issued the referral letter (紹介状)
 *   interview  面接予定       interview date set (may be set again to reschedule)
 *   hired      採用           facility decided to hire (内定)
 *   placed     就職           nurse started work (start date, employment form, permanent)
 *   checked_1m 1か月定着確認済
 *   checked_3m 3か月定着確認済
 *   closed     完了           6-month check done, or the nurse left (recorded at a check)
 *   terminal:  withdrawn 取下げ (nurse, before referral), refused 紹介見送り (counselor),
 *              rejected 不採用, declined 辞退, cancelled 取消 (counselor or central staff)
 *
 * Transition table (actors: N nurse, F facility, C counselor, Z central staff; [..] required
 * input, see placement_input):
 *   none       request   → requested   N
 *   none       propose   → proposed    C
 *   requested  refer     → referred    C
 *   requested  refuse    → refused     C     [note]
 *   requested  withdraw  → withdrawn   N
 *   requested  cancel    → cancelled   C Z   [note]
 *   proposed   accept    → requested   N     (consent; the counselor then reviews and refers)
 *   proposed   withdraw  → withdrawn   N     (the nurse declines the proposal)
 *   proposed   cancel    → cancelled   C Z   [note]
 *   referred   schedule  → interview   F C   [interview_date]
 *   referred   hire      → hired       F C   (a decision need not follow a recorded interview)
 *   referred   reject    → rejected    F C   [reason_code; note when the reason is "other"]
 *   referred   decline   → declined    N C   [reason_code; note when the reason is "other"]
 *   referred   cancel    → cancelled   C Z   [note]
 *   interview  schedule  → interview   F C   [interview_date]  (reschedule)
 *   interview  hire / reject / decline / cancel: as from referred
 *   hired      place     → placed      F C   [start_date, employment_form, permanent]
 *   hired      decline   → declined    N C   [reason_code; note when "other"] (内定辞退)
 *   hired      cancel    → cancelled   C Z   [note] (e.g. 内定取消)
 *   placed     check_1m  → checked_1m  C     [check]
 *   checked_1m check_3m  → checked_3m  C     [check]
 *   checked_3m check_6m  → closed      C     [check]
 * A check whose result is "left" goes to closed from any of the three. [check] = result,
 * start_date (the placement's), today (not before the check's due date unless the result is
 * "left"), and left_date when left (start_date <= left_date <= today).
 * Every other (state, action) pair is rejected with "placement.bad_transition". The checks run
 * in this order: transition, actor, input; the first failure is reported.
 *
 * Retention dates: a check is due N calendar months after the start date, clamped to the month
 * end (2026-01-31 + 1 month = 2026-02-28). "Left within 6 months" (6か月以内の離職, counted in
 * the annual placement report) follows 民法143条 with the first day counted (work starts at the
 * beginning of the day): the six months from start S end the day before the day of S's number
 * six months later, or at that month's end when it has no such day (04-01 → 09-30, 08-31 →
 * 02-28/29); a leaving date (the last day of employment) on or before that end counts. */
#ifndef NCCS_DOMAIN_PLACEMENT_H
#define NCCS_DOMAIN_PLACEMENT_H
#include "domain/authz.h"
#include "domain/offer.h"
#include <stdbool.h>
#include <stddef.h>

typedef enum {
    PL_ST_NONE = 0,
    PL_ST_REQUESTED,
    PL_ST_PROPOSED,
    PL_ST_REFERRED,
    PL_ST_INTERVIEW,
    PL_ST_HIRED,
    PL_ST_PLACED,
    PL_ST_CHECKED_1M,
    PL_ST_CHECKED_3M,
    PL_ST_CLOSED,
    PL_ST_WITHDRAWN,
    PL_ST_REFUSED,
    PL_ST_REJECTED,
    PL_ST_DECLINED,
    PL_ST_CANCELLED,
    PL_ST__COUNT
} placement_state;

typedef enum {
    PL_ACT_REQUEST = 0,
    PL_ACT_PROPOSE,
    PL_ACT_ACCEPT,
    PL_ACT_WITHDRAW,
    PL_ACT_REFER,
    PL_ACT_REFUSE,
    PL_ACT_SCHEDULE,
    PL_ACT_HIRE,
    PL_ACT_REJECT,
    PL_ACT_DECLINE,
    PL_ACT_PLACE,
    PL_ACT_CHECK_1M,
    PL_ACT_CHECK_3M,
    PL_ACT_CHECK_6M,
    PL_ACT_CANCEL,
    PL_ACT__COUNT
} placement_action;

/* Who acts. Bits, so the table can hold a set; placement_apply takes exactly one. */
typedef enum {
    PL_ACTOR_NONE = 0,
    PL_ACTOR_NURSE = 1 << 0,     /* the applicant (求職者) */
    PL_ACTOR_FACILITY = 1 << 1,  /* staff of the offer's facility */
    PL_ACTOR_COUNSELOR = 1 << 2, /* prefectural center counselor or center admin */
    PL_ACTOR_CENTRAL = 1 << 3,   /* central nurse center staff */
} placement_actor;

/* Result of a retention check. */
typedef enum {
    PL_CHECK_UNSET = 0,
    PL_CHECK_STILL_EMPLOYED = 1, /* 在職 */
    PL_CHECK_LEFT = 2,           /* 離職 (left_date required) */
    PL_CHECK_UNREACHABLE = 3,    /* 連絡不能 */
} placement_check_result;

/* Return values of placement_apply; the numbers double as HTTP statuses. */
typedef enum {
    PL_OK = 0,
    PL_E_FORBIDDEN = 403,  /* "placement.forbidden" */
    PL_E_TRANSITION = 409, /* "placement.bad_transition" */
    PL_E_INVALID = 422,    /* "placement.<field>_..." missing or invalid input */
} placement_status;

/* Notes are capped at this many Unicode code points. */
#define PLACEMENT_NOTE_MAX 1000

/* The data an action carries. Every string is borrowed (UTF-8, NUL-terminated) and only read
 * during the call. NULL / 0 means "not given". Fields an action does not use are ignored; the
 * caller stores only the fields of its action. Dates are strict YYYY-MM-DD. */
typedef struct placement_input {
    const char *reason_code;    /* reject / decline: a code of placement_reasons() */
    const char *note;           /* refuse / cancel: required; reason "other": required;
                                   otherwise optional. <= PLACEMENT_NOTE_MAX code points */
    const char *interview_date; /* schedule */
    const char *start_date;     /* place: the start date; checks: the placement's start date */
    offer_employment_form employment_form; /* place: 常勤 / 非常勤 / 臨時 */
    offer_tri permanent;                   /* place: 常用 (permanent) or not */
    placement_check_result result;         /* checks */
    const char *left_date;                 /* checks with result LEFT: last day of employment */
    const char *today;                     /* checks: the current JST date */
} placement_input;

/* Zeroes *in (every field "not given"). */
void placement_input_init(placement_input *in);

/* Applies action act by actor who (exactly one PL_ACTOR_* bit) to an application in state from.
 * in may be NULL when the action needs no data. On success returns PL_OK, sets *to to the new
 * state and *err_code to NULL. Otherwise returns PL_E_TRANSITION, PL_E_FORBIDDEN or PL_E_INVALID,
 * leaves *to untouched and sets *err_code to a static error code (placement_error_message and
 * placement_error_field describe it). to and err_code must not be NULL. */
placement_status placement_apply(placement_state from, placement_action act, placement_actor who,
                                 const placement_input *in, placement_state *to,
                                 const char **err_code);

/* The table row for (from, act): returns the set of actors (PL_ACTOR_* bits) allowed to do it
 * and sets *to (if not NULL) to the usual next state (a check with result LEFT goes to closed
 * instead), or returns 0 when the pair is not in the table (*to untouched). For the UI's list of
 * available actions. */
unsigned placement_allowed(placement_state from, placement_action act, placement_state *to);

/* True for states no action leaves (closed, withdrawn, refused, rejected, declined, cancelled). */
bool placement_state_is_terminal(placement_state s);

/* The placement actor of an account role: seeker → nurse, facility admin/staff → facility,
 * counselor/center admin → counselor, central → central, anything else PL_ACTOR_NONE. */
placement_actor placement_actor_for_role(role r);

/* Codes and Japanese labels; all results are static strings. name/label of an out-of-range
 * value is "" ; parse returns -1 for an unknown or NULL name. PL_ST_NONE's name is "none". */
const char *placement_state_name(placement_state s);
const char *placement_state_label(placement_state s);
int placement_state_parse(const char *name);
const char *placement_action_name(placement_action a);
const char *placement_action_label(placement_action a);
int placement_action_parse(const char *name);
const char *placement_actor_name(placement_actor a); /* "nurse" ...; "" unless one bit */
const char *placement_actor_label(placement_actor a);
const char *placement_check_result_name(placement_check_result r);
const char *placement_check_result_label(placement_check_result r);
int placement_check_result_parse(const char *name); /* PL_CHECK_UNSET is not parsed */

/* ---- Decision reasons ---------------------------------------------------------------------- */

typedef struct placement_reason {
    const char *code;  /* stable, e.g. "experience" */
    const char *label; /* Japanese */
    bool needs_note;   /* "other": the note must say what */
} placement_reason;

/* The reason list of an action (static): PL_ACT_REJECT → 不採用 reasons, PL_ACT_DECLINE → 辞退
 * reasons; *n (not NULL) gets the length. NULL with *n = 0 for every other action. */
const placement_reason *placement_reasons(placement_action act, size_t *n);
/* The entry of code in act's list, or NULL. */
const placement_reason *placement_reason_find(placement_action act, const char *code);

/* ---- Errors ------------------------------------------------------------------------------- */

/* The Japanese message for an error code of this module (static), or a generic message for an
 * unknown code. */
const char *placement_error_message(const char *code);
/* The input field an error code concerns ("reason_code", "start_date", …; static), or "" for
 * errors about the action itself (bad_transition, forbidden). */
const char *placement_error_field(const char *code);

/* ---- Retention dates ------------------------------------------------------------------------ */

/* Writes date + months calendar months (0..1200) as YYYY-MM-DD into out (cap >= 11), the day
 * clamped to the target month's end. Returns 0, or -1 for an invalid date, months out of range,
 * a result after 9999-12-31 or a too-small buffer (out untouched). */
int placement_add_months(const char *date, int months, char *out, size_t cap);

/* The last day of the period of `months` months (1..1200) that starts on start_date, first day
 * counted (民法143条): the day before the same day number `months` later, or that month's end
 * when it has no such day. Writes YYYY-MM-DD into out (cap >= 11); returns 0 or -1 as above. */
int placement_period_end(const char *start_date, int months, char *out, size_t cap);

/* The months after the start date at which a check action is due: check_1m → 1, check_3m → 3,
 * check_6m → 6; 0 for any other action. */
int placement_check_months(placement_action act);

/* Due dates of the three retention checks of a placement starting on start_date. */
typedef struct placement_due {
    char m1[11];
    char m3[11];
    char m6[11];
} placement_due;
/* Fills *out; returns 0, or -1 for an invalid start date (*out zeroed). */
int placement_retention_due(const char *start_date, placement_due *out);

/* Whether a placement that started on start_date and whose last day of employment was
 * left_date counts as "left within 6 months": 1 yes, 0 no, -1 when a date is invalid or
 * left_date is before start_date. */
int placement_left_within_6m(const char *start_date, const char *left_date);

#endif
