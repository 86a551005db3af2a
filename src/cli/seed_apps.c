/* The seed's application generator (see seed_apps.h). Each application is first planned as a
 * list of steps with day gaps, then laid on the calendar (weekdays for staff actions) and
 * emitted step by step through placement_apply(); a step the state machine refuses aborts the
 * run. Applications that will be placed are fitted so that the placement falls within the fiscal
 * year; the others are cut at their limit (today, or for a placed nurse's other applications the
 * placement) and so stay open where they stood, or are closed by the nurse before the placement. */
#include "cli/seed_apps.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY      86400
#define JST      (9 * 3600)
#define MAXSTEPS 8

/* ---- Calendar: days since 1970-01-01 (H. Hinnant's civil algorithms) --------------------- */

/* Day number of a YYYY-MM-DD date, or -1. */
static int64_t day_of(const char *date)
{
    int y, m, d;
    if (!date || date_parse(date, &y, &m, &d) != 0)
        return -1;
    return time_days_from_civil(y, m, d);
}

static void date_of(int64_t day, char *out, size_t cap)
{
    int y, m, d;
    time_civil_from_days(day, &y, &m, &d);
    snprintf(out, cap, "%04d-%02d-%02d", y, m, d);
}

/* The JST day of a Unix time. */
static int64_t day_of_time(int64_t t)
{
    int64_t s = t + JST;
    return s >= 0 ? s / DAY : (s - (DAY - 1)) / DAY;
}

/* Staff work on weekdays: a Saturday or Sunday moves to the Monday. */
static int64_t weekday(int64_t day)
{
    int wd = (int)(((day % 7) + 11) % 7); /* 0 = Sunday; 1970-01-01 was a Thursday */
    return wd == 6 ? day + 2 : wd == 0 ? day + 1 : day;
}

/* ---- Generator state ---------------------------------------------------------------------- */

typedef struct {
    const sa_params *p;
    sa_result *r;
    uint64_t rng;
    int app_cap, ev_cap;
    int64_t fy_start, fy_end, today; /* day numbers */
    int *pref_first;                 /* offers of prefecture q: by_pref[pref_first[q]..[q+1]) */
    int *by_pref;
} gen;

static uint64_t g_rnd(gen *g)
{
    /* splitmix64, as in seed.c */
    uint64_t z = (g->rng += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static int g_pick(gen *g, int n)
{
    return n > 0 ? (int)(g_rnd(g) % (uint64_t)n) : 0;
}

/* Uniform in lo..hi inclusive. */
static int g_range(gen *g, int lo, int hi)
{
    return hi > lo ? lo + g_pick(g, hi - lo + 1) : lo;
}

static bool g_chance(gen *g, int percent)
{
    return g_pick(g, 100) < percent;
}

static int fail(gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(gen *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g->r->err, sizeof g->r->err, fmt, ap);
    va_end(ap);
    return -1;
}

/* How often applications open in each month (April…March): the placed ones, which must be
 * placed by March and so open mostly before January, and the others, weighted towards the
 * months the placed ones leave, so that the year's openings follow roughly 11 9 8 8 6 8 10 8 6
 * 9 9 8. */
static const int PLACED_MONTH_WEIGHT[12] = {11, 9, 8, 8, 6, 8, 10, 8, 6, 9, 9, 8};
static const int OTHER_MONTH_WEIGHT[12] = {18, 13, 10, 10, 5, 10, 15, 10, 5, 13, 20, 20};

/* A day in lo..hi, weighted by month (weights of at most 20). */
static int64_t pick_day(gen *g, int64_t lo, int64_t hi, const int *weight)
{
    if (hi <= lo)
        return lo;
    for (int tries = 0; tries < 64; tries++) {
        int64_t day = lo + (int64_t)(g_rnd(g) % (uint64_t)(hi - lo + 1));
        int y, m, d;
        time_civil_from_days(day, &y, &m, &d);
        if (g_pick(g, 20) < weight[fiscal_month_index(m)])
            return day;
    }
    return lo + (int64_t)(g_rnd(g) % (uint64_t)(hi - lo + 1));
}

/* Seconds into a day: staff 9:00–17:59, nurses 7:00–22:59. */
static int64_t time_in_day(gen *g, int64_t day, placement_actor who)
{
    int secs = who == PL_ACTOR_NURSE ? g_range(g, 7 * 3600, 23 * 3600 - 1)
                                     : g_range(g, 9 * 3600, 18 * 3600 - 1);
    return day * DAY - JST + secs;
}

/* ---- Canned notes (JSON-safe: no quotes, backslashes or control characters) ------------------ */

static const char *const PROPOSE_NOTES[] = {
    "希望条件（勤務地・勤務形態）に合う求人のためご提案します。",
    "経験を活かせる求人です。見学も可能とのことです。",
    NULL,
};
static const char *const REFUSE_NOTES[] = {
    "求人の応募条件（必要な経験）と現在の状況が合わないため、別の求人をご提案しました。",
    "希望条件と求人内容（夜勤回数）に大きな相違があるため紹介を見送りました。",
    "求職者と連絡が取れず、意向を確認できないため紹介を見送りました。",
};
static const char *const CANCEL_NOTES[] = {
    "求人施設から募集停止の連絡があったため取消。",
    "求職者と連絡が取れないため取消。",
    "同じ求人への重複した依頼のため取消。",
};
static const char *const OTHER_REJECT_NOTE = "施設の体制変更により採用を見合わせたため。";
static const char *const OTHER_DECLINE_NOTE = "家族の転勤が決まり、通勤が難しくなったため。";

/* A reason code of act's list by weight (the last entry, "other", rarely). */
static const char *pick_reason(gen *g, placement_action act, const char **note)
{
    static const int REJECT_W[] = {30, 6, 22, 14, 26, 2};
    static const int DECLINE_W[] = {14, 18, 10, 12, 26, 10, 8, 2};
    size_t n;
    const placement_reason *list = placement_reasons(act, &n);
    const int *w = act == PL_ACT_REJECT ? REJECT_W : DECLINE_W;
    size_t nw = act == PL_ACT_REJECT ? sizeof REJECT_W / sizeof REJECT_W[0]
                                     : sizeof DECLINE_W / sizeof DECLINE_W[0];
    int total = 0;
    for (size_t i = 0; i < n && i < nw; i++)
        total += w[i];
    int r = g_pick(g, total);
    size_t i = 0;
    for (; i + 1 < n && i < nw && (r -= w[i]) >= 0; i++)
        ;
    *note = NULL;
    if (list[i].needs_note)
        *note = act == PL_ACT_REJECT ? OTHER_REJECT_NOTE : OTHER_DECLINE_NOTE;
    return list[i].code;
}

/* ---- Plans --------------------------------------------------------------------------------- */

typedef struct {
    placement_action act;
    placement_actor who;
    int gap;       /* days after the previous step, or after the interview date (after_iv) */
    bool after_iv; /* a decision taken after the interview */
    int iv_gap;    /* schedule: the interview is this many days after the step */
    int lead;      /* place: days from the hire to the start date, before rounding */
    int round;     /* place: 0 as is, 1 the next 1st, 2 the next 1st or 16th */
    const char *reason, *note;
} step;

typedef struct {
    step s[MAXSTEPS];
    int n;
    bool proposal;
} plan;

/* Who takes a step: fixed, or drawn (facility or counselor, nurse or counselor, cancel). */
typedef enum {
    BY_NURSE,
    BY_COUNSELOR,
    BY_FACILITY_85, /* the facility 85 %, else the counselor */
    BY_FACILITY_75,
    BY_FACILITY_60,
    BY_NURSE_60, /* the nurse 60 %, else the counselor */
    BY_CANCEL,   /* the counselor, 15 % the central staff (when given) */
} by;

/* Appends a step: the actor is drawn first, then the gap in lo..hi days (one draw per
 * statement, so the order of draws is fixed), then the reason or note the action needs. */
static step *add(gen *g, plan *pl, placement_action act, by mode, int lo, int hi)
{
    step *st = &pl->s[pl->n < MAXSTEPS ? pl->n++ : MAXSTEPS - 1];
    memset(st, 0, sizeof *st);
    st->act = act;
    switch (mode) {
    case BY_NURSE:
        st->who = PL_ACTOR_NURSE;
        break;
    case BY_COUNSELOR:
        st->who = PL_ACTOR_COUNSELOR;
        break;
    case BY_FACILITY_85:
    case BY_FACILITY_75:
    case BY_FACILITY_60: {
        int pct = mode == BY_FACILITY_85 ? 85 : mode == BY_FACILITY_75 ? 75 : 60;
        st->who = g_chance(g, pct) ? PL_ACTOR_FACILITY : PL_ACTOR_COUNSELOR;
        break;
    }
    case BY_NURSE_60:
        st->who = g_chance(g, 60) ? PL_ACTOR_NURSE : PL_ACTOR_COUNSELOR;
        break;
    case BY_CANCEL:
        st->who = g->p->central_id && g_chance(g, 15) ? PL_ACTOR_CENTRAL : PL_ACTOR_COUNSELOR;
        break;
    }
    st->gap = g_range(g, lo, hi);
    if (act == PL_ACT_REJECT || act == PL_ACT_DECLINE)
        st->reason = pick_reason(g, act, &st->note);
    else if (act == PL_ACT_REFUSE)
        st->note = REFUSE_NOTES[g_pick(g, 3)];
    else if (act == PL_ACT_CANCEL)
        st->note = CANCEL_NOTES[g_pick(g, 3)];
    else if (act == PL_ACT_PROPOSE)
        st->note = PROPOSE_NOTES[g_pick(g, 3)];
    return st;
}

/* A decision after the interview date. */
static void add_after_iv(gen *g, plan *pl, placement_action act, by mode, int lo, int hi)
{
    add(g, pl, act, mode, lo, hi)->after_iv = true;
}

static void add_schedule(gen *g, plan *pl)
{
    step *st = add(g, pl, PL_ACT_SCHEDULE, BY_FACILITY_75, 1, 7);
    st->iv_gap = g_range(g, 3, 14);
    if (g_chance(g, 7)) { /* rescheduled */
        st = add(g, pl, PL_ACT_SCHEDULE, BY_FACILITY_75, 1, 3);
        st->iv_gap = g_range(g, 3, 10);
    }
}

/* The opening: a request, or a proposal that the nurse accepts when will_accept. */
static void plan_opening(gen *g, plan *pl, bool will_accept)
{
    pl->proposal = g_chance(g, 20);
    if (pl->proposal) {
        add(g, pl, PL_ACT_PROPOSE, BY_COUNSELOR, 0, 0);
        if (will_accept)
            add(g, pl, PL_ACT_ACCEPT, BY_NURSE, 0, 6);
    } else {
        add(g, pl, PL_ACT_REQUEST, BY_NURSE, 0, 0);
    }
}

/* An application that ends in a placement. */
static void plan_placed(gen *g, plan *pl)
{
    pl->n = 0;
    plan_opening(g, pl, true);
    add(g, pl, PL_ACT_REFER, BY_COUNSELOR, 1, 8);
    if (g_chance(g, 90)) {
        add_schedule(g, pl);
        add_after_iv(g, pl, PL_ACT_HIRE, BY_FACILITY_85, 0, 10);
    } else {
        add(g, pl, PL_ACT_HIRE, BY_FACILITY_85, 3, 14);
    }
    step *st = add(g, pl, PL_ACT_PLACE, BY_FACILITY_60, 0, 3);
    st->lead = g_range(g, 10, 45);
    int r = g_pick(g, 100);
    st->round = r < 55 ? 1 : r < 70 ? 2 : 0;
}

/* An application that is not placed: a walk to a terminal state other than closed. */
static void plan_other(gen *g, plan *pl)
{
    pl->n = 0;
    int r = g_pick(g, 100);
    bool accept = r < 78;
    plan_opening(g, pl, accept);
    if (pl->proposal && !accept) {
        if (r < 95)
            add(g, pl, PL_ACT_WITHDRAW, BY_NURSE, 1, 10);
        else
            add(g, pl, PL_ACT_CANCEL, BY_CANCEL, 3, 20);
        return;
    }
    /* requested */
    r = g_pick(g, 100);
    if (r >= 80) {
        if (r < 89)
            add(g, pl, PL_ACT_WITHDRAW, BY_NURSE, 1, 20);
        else if (r < 97)
            add(g, pl, PL_ACT_REFUSE, BY_COUNSELOR, 1, 7);
        else
            add(g, pl, PL_ACT_CANCEL, BY_CANCEL, 3, 30);
        return;
    }
    add(g, pl, PL_ACT_REFER, BY_COUNSELOR, 1, 8);
    /* referred: document screening, or an interview */
    r = g_pick(g, 100);
    if (r >= 82) {
        if (r < 90)
            add(g, pl, PL_ACT_REJECT, BY_FACILITY_85, 2, 10);
        else if (r < 97)
            add(g, pl, PL_ACT_DECLINE, BY_NURSE_60, 1, 10);
        else
            add(g, pl, PL_ACT_CANCEL, BY_CANCEL, 2, 20);
        return;
    }
    add_schedule(g, pl);
    /* interview */
    r = g_pick(g, 100);
    if (r < 58)
        add_after_iv(g, pl, PL_ACT_REJECT, BY_FACILITY_85, 0, 10);
    else if (r < 88)
        add_after_iv(g, pl, PL_ACT_DECLINE, BY_NURSE_60, 0, 7);
    else if (r < 97) { /* hired, then 内定辞退 or 内定取消 */
        add_after_iv(g, pl, PL_ACT_HIRE, BY_FACILITY_85, 0, 10);
        if (g_chance(g, 85))
            add(g, pl, PL_ACT_DECLINE, BY_NURSE_60, 2, 20);
        else
            add(g, pl, PL_ACT_CANCEL, BY_CANCEL, 3, 20);
    } else
        add(g, pl, PL_ACT_CANCEL, BY_CANCEL, 2, 20);
}

/* The calendar of a plan opened on day t0: each step's day, the interview date each schedule
 * step sets, and the start date of a place step. */
typedef struct {
    int64_t day[MAXSTEPS];
    int64_t iv[MAXSTEPS]; /* interview day set by schedule step i, else -1 */
    int64_t start;        /* start day of the place step, else -1 */
} calendar;

static bool staff(placement_actor who)
{
    return who != PL_ACTOR_NURSE;
}

static int64_t round_start(int64_t day, int round)
{
    int y, m, d;
    time_civil_from_days(day, &y, &m, &d);
    if (round == 0 || d == 1 || (round == 2 && d == 16))
        return day;
    if (round == 2 && d < 16)
        return time_days_from_civil(y, m, 16);
    return m == 12 ? time_days_from_civil(y + 1, 1, 1) : time_days_from_civil(y, m + 1, 1);
}

static void lay_out(const plan *pl, int64_t t0, calendar *c)
{
    int64_t prev = t0, iv = -1, hire = t0;
    c->start = -1;
    for (int i = 0; i < pl->n; i++) {
        const step *st = &pl->s[i];
        int64_t d = i == 0 ? t0 : (st->after_iv && iv >= 0 ? iv : prev) + st->gap;
        if (st->act == PL_ACT_PLACE) {
            c->start = round_start(hire + st->lead, st->round);
            d = c->start + st->gap;
        }
        if (staff(st->who))
            d = weekday(d);
        if (d < prev)
            d = prev;
        c->iv[i] = -1;
        if (st->act == PL_ACT_SCHEDULE) {
            int64_t next = d + st->iv_gap;
            iv = iv >= 0 && next <= iv ? iv + 1 : next;
            c->iv[i] = iv;
        }
        if (st->act == PL_ACT_HIRE)
            hire = d;
        c->day[i] = d;
        prev = d;
    }
}

/* ---- Emitting ------------------------------------------------------------------------------ */

static sa_app *new_app(gen *g, int nurse, int oi)
{
    sa_result *r = g->r;
    if (r->napps == g->app_cap) {
        int cap = g->app_cap ? g->app_cap * 2 : 1024;
        sa_app *a = realloc(r->apps, (size_t)cap * sizeof *a);
        if (!a)
            return NULL;
        r->apps = a, g->app_cap = cap;
    }
    sa_app *a = &r->apps[r->napps++];
    memset(a, 0, sizeof *a);
    a->nurse = nurse, a->offer = oi;
    a->pref = g->p->nurses[nurse].pref;
    a->state = PL_ST_NONE;
    a->left_within_6m = -1;
    return a;
}

/* The case's counselor is picked once per application. */
typedef struct {
    gen *g;
    sa_app *a;
    int app;
    int64_t counselor;
    int64_t last;  /* time of the last event */
    int64_t limit; /* no event after this time */
} emitter;

static int64_t actor_id(const emitter *em, placement_actor who)
{
    const sa_params *p = em->g->p;
    switch (who) {
    case PL_ACTOR_NURSE:
        return p->nurses[em->a->nurse].user_id;
    case PL_ACTOR_FACILITY:
        return p->offers[em->a->offer].admin_id;
    case PL_ACTOR_CENTRAL:
        return p->central_id;
    default:
        return em->counselor;
    }
}

/* Applies one step at time at through the state machine and records it. */
static int emit(emitter *em, placement_action act, placement_actor who, int64_t at, const step *st,
                const char *date, placement_check_result result)
{
    gen *g = em->g;
    sa_app *a = em->a;
    sa_result *r = g->r;
    if (r->nevents == g->ev_cap) {
        int cap = g->ev_cap ? g->ev_cap * 2 : 4096;
        sa_event *e = realloc(r->events, (size_t)cap * sizeof *e);
        if (!e)
            return fail(g, "out of memory");
        r->events = e, g->ev_cap = cap;
    }
    sa_event *e = &r->events[r->nevents];
    memset(e, 0, sizeof *e);
    e->app = em->app;
    e->at = at;
    e->actor = who;
    e->actor_id = actor_id(em, who);
    e->act = act;
    e->from = a->state;
    e->reason = st ? st->reason : NULL;
    e->note = st ? st->note : NULL;
    str_copy(e->date, sizeof e->date, date ? date : "");
    e->result = result;

    /* the data the step records, before the check so that the input carries it */
    if (act == PL_ACT_PLACE) {
        const sa_offer *o = &g->p->offers[a->offer];
        a->emp = o->emp;
        a->permanent = o->emp == OFFER_EMP_RINJI ? OFFER_NO : OFFER_YES;
        if (placement_retention_due(a->start_date, &a->due) != 0)
            return fail(g, "bad start date %s", a->start_date);
    }
    placement_input in;
    char today[11];
    sa_event_input(a, e, &in, today, sizeof today);
    placement_state to;
    const char *err = NULL;
    if (placement_apply(a->state, act, who, &in, &to, &err) != PL_OK)
        return fail(g, "%s from %s by %s: %s", placement_action_name(act),
                    placement_state_name(a->state), placement_actor_name(who), err);
    e->to = to;
    r->nevents++;

    if (a->state == PL_ST_NONE) {
        a->created_at = at;
        a->created_by = e->actor_id;
        a->proposal = act == PL_ACT_PROPOSE;
    }
    switch (act) {
    case PL_ACT_REFER:
        a->referred_at = at;
        break;
    case PL_ACT_SCHEDULE:
        str_copy(a->interview_date, sizeof a->interview_date, e->date);
        break;
    case PL_ACT_HIRE:
        a->decided_at = at;
        break;
    case PL_ACT_REJECT:
    case PL_ACT_DECLINE:
        a->decided_at = at;
        a->decision_reason = e->reason;
        break;
    case PL_ACT_CHECK_1M:
    case PL_ACT_CHECK_3M:
    case PL_ACT_CHECK_6M: {
        int k = act == PL_ACT_CHECK_1M ? 0 : act == PL_ACT_CHECK_3M ? 1 : 2;
        a->check[k] = result;
        if (result == PL_CHECK_LEFT) {
            str_copy(a->left_date, sizeof a->left_date, e->date);
            a->left_within_6m = placement_left_within_6m(a->start_date, a->left_date);
            if (a->left_within_6m < 0)
                return fail(g, "bad left date %s", a->left_date);
        } else if (act == PL_ACT_CHECK_6M && result == PL_CHECK_STILL_EMPLOYED) {
            a->left_within_6m = 0;
        }
        break;
    }
    default:
        break;
    }
    a->state = to;
    a->updated_at = at;
    a->closed_at = placement_state_is_terminal(to) ? at : 0;
    em->last = at;
    return 0;
}

/* Emits the plan's steps on calendar c until one would fall after the limit (returns 0 or -1);
 * the case then stays in the state it reached. */
static int emit_plan(emitter *em, const plan *pl, const calendar *c)
{
    for (int i = 0; i < pl->n; i++) {
        const step *st = &pl->s[i];
        int64_t at = time_in_day(em->g, c->day[i], st->who);
        if (at <= em->last)
            at = em->last + 60 + g_pick(em->g, 3600);
        if (at > em->limit)
            return 0;
        char date[11] = "";
        if (st->act == PL_ACT_SCHEDULE)
            date_of(c->iv[i], date, sizeof date);
        if (st->act == PL_ACT_PLACE)
            date_of(c->start, em->a->start_date, sizeof em->a->start_date);
        if (emit(em, st->act, st->who, at, st, date, PL_CHECK_UNSET) != 0)
            return -1;
    }
    return 0;
}

/* The retention checks due by today: mostly still employed, some left, a few unreachable. */
static int emit_checks(emitter *em)
{
    gen *g = em->g;
    sa_app *a = em->a;
    static const placement_action ACTS[3] = {PL_ACT_CHECK_1M, PL_ACT_CHECK_3M, PL_ACT_CHECK_6M};
    static const int LEFT_PCT[3] = {4, 5, 3};
    const char *dues[3] = {a->due.m1, a->due.m3, a->due.m6};
    int64_t prev = day_of(a->start_date);
    for (int k = 0; k < 3 && !placement_state_is_terminal(a->state); k++) {
        int64_t due = day_of(dues[k]);
        if (due < 0 || due > g->today)
            break;
        int64_t day = weekday(due + g_range(g, 0, 14));
        if (day > g->today)
            day = g->today;
        int64_t at = time_in_day(g, day, PL_ACTOR_COUNSELOR);
        if (at <= em->last)
            at = em->last + 60;
        day = day_of_time(at);
        int r = g_pick(g, 100);
        placement_check_result res = r < LEFT_PCT[k]       ? PL_CHECK_LEFT
                                     : r < LEFT_PCT[k] + 2 ? PL_CHECK_UNREACHABLE
                                                           : PL_CHECK_STILL_EMPLOYED;
        char left[11] = "";
        if (res == PL_CHECK_LEFT) {
            int64_t lo = k == 0 ? prev : prev + 1;
            if (lo > day)
                lo = day;
            date_of(lo + g_pick(g, (int)(day - lo + 1)), left, sizeof left);
        }
        if (emit(em, ACTS[k], PL_ACTOR_COUNSELOR, at, NULL, left, res) != 0)
            return -1;
        prev = day;
    }
    return 0;
}

/* A placed nurse's other application cut at the placement: the nurse withdraws or declines
 * (another offer) before it. */
static int close_before(emitter *em, int64_t limit)
{
    sa_app *a = em->a;
    if (placement_state_is_terminal(a->state))
        return 0;
    int64_t span = limit - em->last;
    int64_t at =
        em->last + 60 + (span > 180 ? (int64_t)(g_rnd(em->g) % (uint64_t)(span - 120)) : 0);
    step st;
    memset(&st, 0, sizeof st);
    if (a->state == PL_ST_REQUESTED || a->state == PL_ST_PROPOSED)
        return emit(em, PL_ACT_WITHDRAW, PL_ACTOR_NURSE, at, &st, NULL, PL_CHECK_UNSET);
    st.reason = "other_offer";
    return emit(em, PL_ACT_DECLINE, PL_ACTOR_NURSE, at, &st, NULL, PL_CHECK_UNSET);
}

/* ---- Offers --------------------------------------------------------------------------------- */

static int index_offers(gen *g)
{
    const sa_params *p = g->p;
    g->pref_first = calloc(49, sizeof *g->pref_first);
    g->by_pref = calloc((size_t)p->noffers + 1, sizeof *g->by_pref);
    if (!g->pref_first || !g->by_pref)
        return fail(g, "out of memory");
    for (int i = 0; i < p->noffers; i++) {
        if (p->offers[i].pref < 1 || p->offers[i].pref > 47)
            return fail(g, "offer %lld: bad prefecture", (long long)p->offers[i].id);
        g->pref_first[p->offers[i].pref + 1]++;
    }
    for (int q = 1; q <= 48; q++)
        g->pref_first[q] += g->pref_first[q - 1];
    int fill[49];
    memcpy(fill, g->pref_first, sizeof fill);
    for (int i = 0; i < p->noffers; i++)
        g->by_pref[fill[p->offers[i].pref]++] = i;
    return 0;
}

static bool used_offer(const int *used, int nused, int o)
{
    for (int i = 0; i < nused; i++)
        if (used[i] == o)
            return true;
    return false;
}

/* An offer for nurse n, not one of used: mostly in the nurse's prefecture, else the other one
 * wished; the nurse's licence accepted; the wished employment form if one is found soon. */
static int pick_offer(gen *g, const sa_nurse *n, const int *used, int nused)
{
    int pref = n->wish_pref >= 1 && n->wish_pref <= 47 && g_chance(g, 15) ? n->wish_pref : n->pref;
    if (g->pref_first[pref + 1] == g->pref_first[pref])
        pref = n->pref;
    int lo = g->pref_first[pref], cnt = g->pref_first[pref + 1] - lo;
    const int *pool = g->by_pref + lo;
    if (cnt == 0) { /* no offer in the prefecture: any */
        int all = g->p->noffers;
        for (int t = 0; t < 64; t++) {
            int o = g_pick(g, all);
            if (!used_offer(used, nused, o))
                return o;
        }
        return -1;
    }
    for (int t = 0; t < 32; t++) {
        int o = pool[g_pick(g, cnt)];
        const sa_offer *of = &g->p->offers[o];
        if (used_offer(used, nused, o) || (n->lic && !(of->lic & n->lic)))
            continue;
        if (t < 16 && n->emp && !(n->emp & (1u << of->emp)))
            continue;
        return o;
    }
    int start = g_pick(g, cnt);
    for (int k = 0; k < cnt; k++) {
        int o = pool[(start + k) % cnt];
        if (!used_offer(used, nused, o))
            return o;
    }
    return -1;
}

/* ---- One applicant --------------------------------------------------------------------------- */

static int start_app(gen *g, emitter *em, int nurse, const int *used, int nused, int *oi)
{
    const sa_params *p = g->p;
    const sa_nurse *n = &p->nurses[nurse];
    *oi = pick_offer(g, n, used, nused);
    if (*oi < 0)
        return fail(g, "no offer for nurse %lld", (long long)n->user_id);
    memset(em, 0, sizeof *em);
    em->g = g;
    em->app = g->r->napps;
    em->a = new_app(g, nurse, *oi);
    if (!em->a)
        return fail(g, "out of memory");
    em->counselor = p->counselors[n->pref][g_pick(g, p->ncounselors[n->pref])];
    return 0;
}

static int placed_applicant(gen *g, int nurse, int napps)
{
    int used[3] = {0}, nused = 0;
    emitter em;
    if (start_app(g, &em, nurse, used, nused, &used[nused]) != 0)
        return -1;
    nused++;
    /* the placement: fitted so that the place event falls by the end of the year (or today) */
    plan pl;
    calendar c;
    plan_placed(g, &pl);
    int64_t last_place = g->fy_end < g->today ? g->fy_end : g->today;
    lay_out(&pl, g->fy_start, &c);
    int64_t latest = last_place - (c.day[pl.n - 1] - g->fy_start);
    int64_t t0 =
        pick_day(g, g->fy_start, latest > g->fy_start ? latest : g->fy_start, PLACED_MONTH_WEIGHT);
    for (int tries = 0; tries < 8; tries++) { /* weekends and start-date rounding may differ */
        lay_out(&pl, t0, &c);
        int64_t over = c.day[pl.n - 1] - last_place;
        if (over <= 0)
            break;
        t0 = t0 - over - g_range(g, 0, 20);
        if (t0 < g->fy_start)
            t0 = g->fy_start;
    }
    lay_out(&pl, t0, &c);
    if (c.day[pl.n - 1] > last_place)
        return fail(g, "a placement does not fit in the year");
    em.last = 0;
    em.limit = INT64_MAX;
    if (emit_plan(&em, &pl, &c) != 0 || emit_checks(&em) != 0)
        return -1;
    int64_t placed_t0 = t0, place_at = 0;
    for (int i = g->r->nevents - 1; i >= 0 && g->r->events[i].app == em.app; i--)
        if (g->r->events[i].act == PL_ACT_PLACE)
            place_at = g->r->events[i].at;

    /* other applications, around the same time, over before the placement */
    for (int k = 1; k < napps; k++) {
        if (start_app(g, &em, nurse, used, nused, &used[nused]) != 0)
            return -1;
        nused++;
        plan_other(g, &pl);
        int64_t place_day = day_of_time(place_at);
        int64_t hi = placed_t0 + 7 < place_day - 2 ? placed_t0 + 7 : place_day - 2;
        int64_t t = placed_t0 - 45 + g_pick(g, 53);
        if (t > hi)
            t = hi;
        if (t < g->fy_start) /* early in the year: anywhere before */
            t = g->fy_start + g_pick(g, (int)(hi > g->fy_start ? hi - g->fy_start + 1 : 1));
        lay_out(&pl, t, &c);
        em.last = 0;
        em.limit = place_at - 3600;
        if (emit_plan(&em, &pl, &c) != 0)
            return -1;
        if (em.a->state == PL_ST_NONE) { /* even the opening fell after the placement */
            g->r->napps--;
            nused--;
            continue;
        }
        if (close_before(&em, place_at - 1800) != 0)
            return -1;
    }
    return 0;
}

static int other_applicant(gen *g, int nurse, int napps)
{
    int used[3] = {0}, nused = 0;
    int64_t last_open = g->fy_end < g->today ? g->fy_end : g->today;
    int64_t t0 = pick_day(g, g->fy_start, last_open, OTHER_MONTH_WEIGHT);
    for (int k = 0; k < napps; k++) {
        emitter em;
        if (start_app(g, &em, nurse, used, nused, &used[nused]) != 0)
            return -1;
        nused++;
        plan pl;
        calendar c;
        plan_other(g, &pl);
        if (k > 0)
            t0 += g_pick(g, 41);
        if (t0 > last_open)
            t0 = last_open;
        /* opened within the year even when a weekend moves a proposal on */
        int64_t t = t0;
        lay_out(&pl, t, &c);
        while (c.day[0] > last_open && t > g->fy_start)
            lay_out(&pl, --t, &c);
        em.last = 0;
        em.limit = (g->today + 1) * DAY - JST - 1; /* the end of today (JST) */
        if (emit_plan(&em, &pl, &c) != 0)
            return -1;
        if (em.a->state == PL_ST_NONE)
            return fail(g, "an application could not be opened");
    }
    return 0;
}

/* ---- Ordering and referral numbers ------------------------------------------------------------
 */

typedef struct {
    int64_t key;
    int a, b;
} sort_item;

static int cmp_item(const void *x, const void *y)
{
    const sort_item *p = x, *q = y;
    if (p->key != q->key)
        return p->key < q->key ? -1 : 1;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return (p->b > q->b) - (p->b < q->b);
}

/* Orders applications by opening time and events by time, then numbers the referrals. */
static int finish(gen *g)
{
    sa_result *r = g->r;
    size_t big = (size_t)(r->napps > r->nevents ? r->napps : r->nevents) + 1;
    sort_item *it = calloc(big, sizeof *it);
    int *newpos = calloc((size_t)r->napps + 1, sizeof *newpos);
    sa_app *apps = calloc((size_t)r->napps + 1, sizeof *apps);
    sa_event *evs = calloc((size_t)r->nevents + 1, sizeof *evs);
    if (!it || !newpos || !apps || !evs) {
        free(it), free(newpos), free(apps), free(evs);
        return fail(g, "out of memory");
    }
    for (int i = 0; i < r->napps; i++)
        it[i] = (sort_item){r->apps[i].created_at, i, 0};
    qsort(it, (size_t)r->napps, sizeof *it, cmp_item);
    for (int i = 0; i < r->napps; i++) {
        memcpy(&apps[i], &r->apps[it[i].a], sizeof apps[i]);
        newpos[it[i].a] = i;
    }
    for (int i = 0; i < r->nevents; i++)
        it[i] = (sort_item){r->events[i].at, newpos[r->events[i].app], i};
    qsort(it, (size_t)r->nevents, sizeof *it, cmp_item);
    for (int i = 0; i < r->nevents; i++) {
        memcpy(&evs[i], &r->events[it[i].b], sizeof evs[i]);
        evs[i].app = it[i].a;
    }
    free(it), free(newpos);
    free(r->apps), free(r->events);
    r->apps = apps, r->events = evs;
    g->app_cap = r->napps + 1, g->ev_cap = r->nevents + 1;

    for (int i = 0; i < r->nevents; i++) {
        const sa_event *e = &r->events[i];
        if (e->act != PL_ACT_REFER)
            continue;
        sa_app *a = &r->apps[e->app];
        char day[11];
        time_jst_date(e->at, day, sizeof day);
        int y, m, d;
        date_parse(day, &y, &m, &d);
        int k = fiscal_year(y, m) - g->p->fiscal_year;
        if (k < 0 || k > 1)
            return fail(g, "a referral on %s is outside the years numbered", day);
        int64_t seq = ++r->referral_seq[k][a->pref];
        if (seq > 999999)
            return fail(g, "referral numbers of prefecture %02d exhausted", a->pref);
        snprintf(a->referral_no, sizeof a->referral_no, "%02d-%04d-%06lld", a->pref,
                 fiscal_year(y, m), (long long)seq);
    }
    return 0;
}

/* ---- Entry points -----------------------------------------------------------------------------
 */

int sa_generate(const sa_params *p, sa_result *out)
{
    memset(out, 0, sizeof *out);
    gen g;
    memset(&g, 0, sizeof g);
    g.p = p, g.r = out, g.rng = p->seed;
    memcpy(out->referral_seq, p->referral_seq, sizeof out->referral_seq);
    char d0[16], d1[16];
    snprintf(d0, sizeof d0, "%04d-04-01", p->fiscal_year);
    snprintf(d1, sizeof d1, "%04d-03-31", p->fiscal_year + 1);
    g.fy_start = day_of(d0), g.fy_end = day_of(d1), g.today = day_of(p->today);
    if (g.fy_start < 0 || g.today < g.fy_start + 90 || g.today > g.fy_end + 365)
        return fail(&g, "today must lie between 90 days into the fiscal year and a year after it");
    if (p->applicants < 0 || p->applicants > p->nnurses || p->placements < 0 ||
        p->placements > p->applicants)
        return fail(&g, "need placements <= applicants <= nurses");
    if (p->applicants > 0 && p->noffers < 3)
        return fail(&g, "need at least 3 offers");
    for (int i = 0; i < p->nnurses; i++) {
        int q = p->nurses[i].pref;
        if (q < 1 || q > 47 || p->ncounselors[q] < 1 || p->ncounselors[q] > SA_MAX_COUNSELORS)
            return fail(&g, "nurse %lld: bad prefecture or no counselor there",
                        (long long)p->nurses[i].user_id);
    }
    int rc = index_offers(&g);
    /* the applicants: a random sample of the nurses, the first `placements` of it placed */
    int *idx = rc == 0 ? calloc((size_t)p->nnurses + 1, sizeof *idx) : NULL;
    if (rc == 0 && !idx)
        rc = fail(&g, "out of memory");
    for (int i = 0; rc == 0 && i < p->nnurses; i++)
        idx[i] = i;
    for (int i = 0; rc == 0 && i < p->applicants; i++) {
        int j = i + (int)(g_rnd(&g) % (uint64_t)(p->nnurses - i));
        int t = idx[i];
        idx[i] = idx[j], idx[j] = t;
        int r = g_pick(&g, 100), napps = r < 72 ? 1 : r < 92 ? 2 : 3;
        rc = i < p->placements ? placed_applicant(&g, idx[i], napps)
                               : other_applicant(&g, idx[i], napps);
    }
    if (rc == 0)
        rc = finish(&g);
    free(idx);
    free(g.pref_first);
    free(g.by_pref);
    if (rc != 0) {
        char err[sizeof out->err];
        str_copy(err, sizeof err, out->err);
        sa_result_free(out);
        str_copy(out->err, sizeof out->err, err);
    }
    return rc;
}

void sa_result_free(sa_result *r)
{
    free(r->apps);
    free(r->events);
    memset(r, 0, sizeof *r);
}

void sa_event_input(const sa_app *a, const sa_event *e, placement_input *in, char *today_buf,
                    size_t cap)
{
    placement_input_init(in);
    in->reason_code = e->reason;
    in->note = e->note;
    time_jst_date(e->at, today_buf, cap);
    switch (e->act) {
    case PL_ACT_SCHEDULE:
        in->interview_date = e->date;
        break;
    case PL_ACT_PLACE:
        in->start_date = a->start_date;
        in->employment_form = a->emp;
        in->permanent = a->permanent;
        break;
    case PL_ACT_CHECK_1M:
    case PL_ACT_CHECK_3M:
    case PL_ACT_CHECK_6M:
        in->start_date = a->start_date;
        in->result = e->result;
        in->left_date = e->result == PL_CHECK_LEFT ? e->date : NULL;
        in->today = today_buf;
        break;
    default:
        break;
    }
}

int sa_event_detail(const sa_params *p, const sa_app *a, const sa_event *e, char *out, size_t cap)
{
    int n;
    const sa_offer *o = &p->offers[a->offer];
    const char *emp = a->emp == OFFER_EMP_JOKIN     ? "jokin"
                      : a->emp == OFFER_EMP_HIJOKIN ? "hijokin"
                                                    : "rinji";
    switch (e->act) {
    case PL_ACT_REQUEST:
    case PL_ACT_PROPOSE:
        n = e->note ? snprintf(out, cap, "{\"offer_id\":%lld,\"note\":\"%s\"}", (long long)o->id,
                               e->note)
                    : snprintf(out, cap, "{\"offer_id\":%lld}", (long long)o->id);
        break;
    case PL_ACT_REFER:
        n = snprintf(out, cap, "{\"referral_no\":\"%s\",\"offer_version\":%lld}", a->referral_no,
                     (long long)o->version);
        break;
    case PL_ACT_SCHEDULE:
        n = snprintf(out, cap, "{\"interview_date\":\"%s\"}", e->date);
        break;
    case PL_ACT_REJECT:
    case PL_ACT_DECLINE:
        n = e->note
                ? snprintf(out, cap, "{\"reason_code\":\"%s\",\"note\":\"%s\"}", e->reason, e->note)
                : snprintf(out, cap, "{\"reason_code\":\"%s\"}", e->reason);
        break;
    case PL_ACT_PLACE:
        n = snprintf(out, cap,
                     "{\"start_date\":\"%s\",\"employment_form\":\"%s\",\"permanent\":%s}",
                     a->start_date, emp, a->permanent == OFFER_YES ? "true" : "false");
        break;
    case PL_ACT_CHECK_1M:
    case PL_ACT_CHECK_3M:
    case PL_ACT_CHECK_6M:
        n = e->result == PL_CHECK_LEFT
                ? snprintf(out, cap, "{\"result\":\"left\",\"left_date\":\"%s\"}", e->date)
                : snprintf(out, cap, "{\"result\":\"%s\"}", placement_check_result_name(e->result));
        break;
    default:
        n = e->note ? snprintf(out, cap, "{\"note\":\"%s\"}", e->note) : snprintf(out, cap, "{}");
        break;
    }
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

bool sa_state_reached_placed(placement_state s)
{
    return s == PL_ST_PLACED || s == PL_ST_CHECKED_1M || s == PL_ST_CHECKED_3M || s == PL_ST_CLOSED;
}
