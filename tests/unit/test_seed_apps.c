/* Unit tests for src/cli/seed_apps: the seed's application generator. Runs it on a small
 * synthetic country and checks every history against the state machine (each event replayed
 * through placement_apply from "none"), the actors, the dates, the stored fields, the referral
 * numbers and the counts (distinct applicants, placements), and that it is deterministic. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "cli/seed_apps.h"
#include "util/str.h"
#include "util/timeutil.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NNURSES 3000
#define NOFFERS 4000
#define TODAY   "2026-04-15"

static sa_nurse nurses[NNURSES];
static sa_offer offers[NOFFERS];

/* A small country: nurses and offers over all prefectures (fewer in some), three counselors a
 * prefecture (ids 900000 + 10 p + k), central staff 2, facility admins 500000 + facility. */
static void make_params(sa_params *p, int applicants, int placements, uint64_t seed)
{
    memset(p, 0, sizeof *p);
    for (int i = 0; i < NNURSES; i++) {
        sa_nurse *n = &nurses[i];
        n->user_id = 1000 + i;
        n->pref = 1 + (i * 7) % 47;
        n->wish_pref = i % 5 == 0 ? 1 + (n->pref % 47) : 0;
        n->lic = i % 9 == 0    ? OFFER_LIC_JUNKANGOSHI
                 : i % 13 == 0 ? (OFFER_LIC_KANGOSHI | OFFER_LIC_JOSANSHI)
                               : OFFER_LIC_KANGOSHI;
        n->emp = i % 4 == 0 ? 0 : i % 4 == 1 ? (1u << OFFER_EMP_JOKIN) : (1u << OFFER_EMP_HIJOKIN);
    }
    for (int i = 0; i < NOFFERS; i++) {
        sa_offer *o = &offers[i];
        o->id = 20000 + i;
        o->facility_id = 300 + i / 3;
        o->admin_id = 500000 + o->facility_id;
        o->version = 1 + i % 3;
        o->pref = 1 + (i * 11) % 47;
        o->emp = i % 10 < 6 ? OFFER_EMP_JOKIN : i % 10 < 9 ? OFFER_EMP_HIJOKIN : OFFER_EMP_RINJI;
        o->lic = i % 5 == 0 ? OFFER_LIC_KANGOSHI : (OFFER_LIC_KANGOSHI | OFFER_LIC_JUNKANGOSHI);
    }
    p->fiscal_year = 2025;
    p->today = TODAY;
    p->applicants = applicants;
    p->placements = placements;
    p->nurses = nurses;
    p->nnurses = NNURSES;
    p->offers = offers;
    p->noffers = NOFFERS;
    for (int q = 1; q <= 47; q++) {
        p->ncounselors[q] = 3;
        for (int k = 0; k < 3; k++)
            p->counselors[q][k] = 900000 + 10 * q + k;
    }
    p->central_id = 2;
    p->seed = seed;
    p->referral_seq[0][13] = 41; /* numbers already given in Tokyo this year */
}

static int64_t jst_midnight(const char *date)
{
    int y, m, d;
    assert_int_equal(date_parse(date, &y, &m, &d), 0);
    /* days from civil, as in the generator, checked here against time_jst_date */
    int yy = y - (m <= 2);
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    int64_t yoe = yy - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
    int64_t t = days * 86400 - 9 * 3600;
    char back[16];
    time_jst_date(t, back, sizeof back);
    assert_string_equal(back, date);
    return t;
}

static bool is_counselor_of(const sa_params *p, int pref, int64_t id)
{
    for (int k = 0; k < p->ncounselors[pref]; k++)
        if (p->counselors[pref][k] == id)
            return true;
    return false;
}

static int cmp_no(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* Everything the generator promises, for one result. */
static void check_result(const sa_params *p, const sa_result *r)
{
    int64_t fy_start = jst_midnight("2025-04-01"), fy_end = jst_midnight("2026-04-01") - 1;
    int64_t today_end = jst_midnight(TODAY) + 86400 - 1;
    assert_true(r->napps >= p->applicants);
    assert_true(r->napps <= 3 * p->applicants);

    /* replay every application's events in order */
    placement_state *st = calloc((size_t)r->napps, sizeof *st);
    int64_t *last = calloc((size_t)r->napps, sizeof *last);
    int *nev = calloc((size_t)r->napps, sizeof *nev);
    int *place_ev = calloc((size_t)r->napps, sizeof *place_ev);
    assert_non_null(st);
    assert_non_null(last);
    assert_non_null(nev);
    assert_non_null(place_ev);
    int64_t prev_at = 0;
    for (int i = 0; i < r->nevents; i++) {
        const sa_event *e = &r->events[i];
        assert_true(e->app >= 0 && e->app < r->napps);
        const sa_app *a = &r->apps[e->app];
        assert_true(e->at >= prev_at); /* ordered by time */
        prev_at = e->at;
        assert_true(e->at > last[e->app]); /* strictly increasing within the application */
        assert_true(e->at <= today_end);
        last[e->app] = e->at;
        if (nev[e->app]++ == 0) {
            assert_int_equal(e->at, a->created_at);
            assert_int_equal(e->actor_id, a->created_by);
            assert_true(e->act == (a->proposal ? PL_ACT_PROPOSE : PL_ACT_REQUEST));
        }
        assert_int_equal(e->from, st[e->app]);
        placement_input in;
        char today[16];
        sa_event_input(a, e, &in, today, sizeof today);
        placement_state to;
        const char *err = NULL;
        placement_status s = placement_apply(st[e->app], e->act, e->actor, &in, &to, &err);
        if (s != PL_OK)
            fail_msg("application %d event %d (%s from %s): %s", e->app, i,
                     placement_action_name(e->act), placement_state_name(st[e->app]), err);
        assert_int_equal(to, e->to);
        st[e->app] = to;
        if (e->act == PL_ACT_PLACE)
            place_ev[e->app] = i + 1;
        /* the actor exists and may act on this case */
        switch (e->actor) {
        case PL_ACTOR_NURSE:
            assert_int_equal(e->actor_id, p->nurses[a->nurse].user_id);
            break;
        case PL_ACTOR_FACILITY:
            assert_int_equal(e->actor_id, p->offers[a->offer].admin_id);
            break;
        case PL_ACTOR_COUNSELOR:
            assert_true(is_counselor_of(p, a->pref, e->actor_id));
            break;
        case PL_ACTOR_CENTRAL:
            assert_int_equal(e->actor_id, p->central_id);
            break;
        default:
            fail_msg("event %d: no actor", i);
        }
        /* the stored detail is a JSON object */
        char detail[512];
        assert_int_equal(sa_event_detail(p, a, e, detail, sizeof detail), 0);
        json_error_t jerr;
        json_t *j = json_loads(detail, 0, &jerr);
        if (!j)
            fail_msg("event %d detail %s: %s", i, detail, jerr.text);
        assert_true(json_is_object(j));
        if (e->act == PL_ACT_REFER) {
            assert_string_equal(json_string_value(json_object_get(j, "referral_no")),
                                a->referral_no);
            assert_int_equal(json_integer_value(json_object_get(j, "offer_version")),
                             p->offers[a->offer].version);
        }
        if (e->act == PL_ACT_REQUEST || e->act == PL_ACT_PROPOSE)
            assert_int_equal(json_integer_value(json_object_get(j, "offer_id")),
                             p->offers[a->offer].id);
        if (e->act == PL_ACT_PLACE)
            assert_true(json_is_boolean(json_object_get(j, "permanent")));
        json_decref(j);
    }

    /* the applications: final state, stored fields, counts */
    int *apps_of = calloc(NNURSES, sizeof *apps_of);
    int *placed_of = calloc(NNURSES, sizeof *placed_of);
    assert_non_null(apps_of);
    assert_non_null(placed_of);
    int placed = 0, applicants = 0, left = 0, checks_done = 0, open = 0;
    char(*seen_no)[16] = calloc((size_t)r->napps + 1, sizeof *seen_no);
    assert_non_null(seen_no);
    int nseen = 0;
    for (int i = 0; i < r->napps; i++) {
        const sa_app *a = &r->apps[i];
        assert_true(nev[i] > 0);
        assert_int_equal(a->state, st[i]);
        assert_int_equal(a->updated_at, last[i]);
        assert_int_equal(a->pref, p->nurses[a->nurse].pref);
        assert_true(a->created_at >= fy_start && a->created_at <= fy_end); /* opened in FY2025 */
        if (i > 0)
            assert_true(a->created_at >= r->apps[i - 1].created_at);
        bool term = placement_state_is_terminal(a->state);
        assert_int_equal(a->closed_at, term ? a->updated_at : 0);
        open += !term;
        if (a->referred_at) {
            char want[16];
            int y, m, d;
            time_jst_date(a->referred_at, want, sizeof want);
            date_parse(want, &y, &m, &d);
            snprintf(want, sizeof want, "%02d-%04d-", a->pref, fiscal_year(y, m));
            assert_int_equal(strlen(a->referral_no), 14);
            assert_memory_equal(a->referral_no, want, 8);
            str_copy(seen_no[nseen++], sizeof seen_no[0], a->referral_no);
        } else {
            assert_string_equal(a->referral_no, "");
        }
        if (apps_of[a->nurse]++ == 0)
            applicants++;
        if (sa_state_reached_placed(a->state)) {
            placed++;
            placed_of[a->nurse]++;
            assert_true(place_ev[i] > 0);
            const sa_event *pe = &r->events[place_ev[i] - 1];
            assert_true(pe->at <= fy_end); /* placed within the year */
            assert_true(jst_midnight(a->start_date) <= fy_end);
            assert_true(pe->at >= jst_midnight(a->start_date));
            assert_true(a->emp == p->offers[a->offer].emp);
            assert_true(a->permanent == (a->emp == OFFER_EMP_RINJI ? OFFER_NO : OFFER_YES));
            placement_due due;
            assert_int_equal(placement_retention_due(a->start_date, &due), 0);
            assert_string_equal(a->due.m1, due.m1);
            assert_string_equal(a->due.m3, due.m3);
            assert_string_equal(a->due.m6, due.m6);
            /* a check is recorded for every due date by today, unless the nurse left before */
            const char *dues[3] = {due.m1, due.m3, due.m6};
            bool gone = false;
            for (int k = 0; k < 3; k++) {
                if (gone) {
                    assert_int_equal(a->check[k], PL_CHECK_UNSET);
                    continue;
                }
                if (strcmp(dues[k], TODAY) <= 0)
                    assert_int_not_equal(a->check[k], PL_CHECK_UNSET);
                else
                    assert_int_equal(a->check[k], PL_CHECK_UNSET);
                checks_done += a->check[k] != PL_CHECK_UNSET;
                gone = a->check[k] == PL_CHECK_LEFT;
            }
            if (gone) {
                left++;
                assert_int_equal(a->state, PL_ST_CLOSED);
                assert_int_equal(a->left_within_6m,
                                 placement_left_within_6m(a->start_date, a->left_date));
            } else {
                assert_int_equal(a->left_within_6m,
                                 a->check[2] == PL_CHECK_STILL_EMPLOYED ? 0 : -1);
                assert_string_equal(a->left_date, "");
            }
        } else {
            assert_true(a->state != PL_ST_CLOSED);
            assert_string_equal(a->start_date, "");
            assert_int_equal(a->emp, OFFER_EMP_UNSET);
            assert_int_equal(a->check[0], PL_CHECK_UNSET);
        }
        if (a->decision_reason)
            assert_true(a->state == PL_ST_REJECTED || a->state == PL_ST_DECLINED);
    }
    assert_int_equal(applicants, p->applicants);
    assert_int_equal(placed, p->placements);
    for (int i = 0; i < NNURSES; i++) {
        assert_true(placed_of[i] <= 1);
        assert_true(apps_of[i] <= 3);
    }
    /* the placed nurses' other applications are over, and before the placement */
    for (int i = 0; i < r->napps; i++) {
        const sa_app *a = &r->apps[i];
        if (!placed_of[a->nurse] || sa_state_reached_placed(a->state))
            continue;
        assert_true(placement_state_is_terminal(a->state));
    }
    /* no offer twice for a nurse (one open case per nurse and offer) */
    for (int i = 0; i < r->napps; i++)
        for (int k = i + 1; k < r->napps && k < i + 400; k++)
            if (r->apps[k].nurse == r->apps[i].nurse)
                assert_int_not_equal(r->apps[k].offer, r->apps[i].offer);
    /* referral numbers are unique and continue the given counters */
    qsort(seen_no, (size_t)nseen, sizeof *seen_no, cmp_no);
    for (int i = 1; i < nseen; i++)
        if (!strcmp(seen_no[i - 1], seen_no[i]))
            fail_msg("referral number %s given twice", seen_no[i]);
    free(seen_no);
    int64_t given = 0;
    for (int i = 0; i < r->napps; i++)
        given += r->apps[i].referred_at != 0;
    int64_t counted = 0;
    for (int k = 0; k < 2; k++)
        for (int q = 1; q <= 47; q++)
            counted += r->referral_seq[k][q] - p->referral_seq[k][q];
    assert_int_equal(counted, given);
    for (int i = 0; i < r->napps; i++)
        if (r->apps[i].pref == 13 && r->apps[i].referred_at &&
            !strncmp(r->apps[i].referral_no + 3, "2025", 4)) {
            assert_true(strcmp(r->apps[i].referral_no, "13-2025-000041") > 0);
        }
    /* plausible shares */
    if (placed >= 100) {
        assert_true(left > 0 && left < placed / 4);
        assert_true(checks_done > placed);
    }
    assert_true(open > 0 && open < r->napps / 2);
    free(st), free(last), free(nev), free(place_ev), free(apps_of), free(placed_of);
}

static void test_generate_valid(void **state)
{
    (void)state;
    sa_params p;
    make_params(&p, 900, 510, 7);
    sa_result r;
    int rc = sa_generate(&p, &r);
    if (rc != 0)
        fail_msg("sa_generate: %s", r.err);
    check_result(&p, &r);
    sa_result_free(&r);
}

static void test_many_seeds(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 12; seed++) {
        sa_params p;
        make_params(&p, 300 + (int)seed * 20, 150 + (int)seed * 11, seed * 7919);
        sa_result r;
        if (sa_generate(&p, &r) != 0)
            fail_msg("seed %llu: %s", (unsigned long long)seed, r.err);
        check_result(&p, &r);
        sa_result_free(&r);
    }
}

/* Edge shares: nobody placed, and everybody placed. */
static void test_extremes(void **state)
{
    (void)state;
    sa_params p;
    sa_result r;
    make_params(&p, 200, 0, 3);
    assert_int_equal(sa_generate(&p, &r), 0);
    check_result(&p, &r);
    sa_result_free(&r);
    make_params(&p, 200, 200, 4);
    assert_int_equal(sa_generate(&p, &r), 0);
    check_result(&p, &r);
    sa_result_free(&r);
}

static void test_deterministic(void **state)
{
    (void)state;
    sa_params p;
    sa_result a, b, c;
    make_params(&p, 400, 220, 99);
    assert_int_equal(sa_generate(&p, &a), 0);
    assert_int_equal(sa_generate(&p, &b), 0);
    p.seed = 100;
    assert_int_equal(sa_generate(&p, &c), 0);
    assert_int_equal(a.napps, b.napps);
    assert_int_equal(a.nevents, b.nevents);
    assert_memory_equal(a.apps, b.apps, (size_t)a.napps * sizeof *a.apps);
    assert_memory_equal(a.events, b.events, (size_t)a.nevents * sizeof *a.events);
    bool differs = a.napps != c.napps || a.nevents != c.nevents ||
                   memcmp(a.apps, c.apps, (size_t)a.napps * sizeof *a.apps) != 0;
    assert_true(differs);
    sa_result_free(&a);
    sa_result_free(&b);
    sa_result_free(&c);
}

static void test_bad_params(void **state)
{
    (void)state;
    sa_params p;
    sa_result r;
    make_params(&p, 100, 101, 1); /* more placements than applicants */
    assert_int_equal(sa_generate(&p, &r), -1);
    assert_true(r.err[0] != '\0');
    assert_null(r.apps);
    make_params(&p, NNURSES + 1, 10, 1); /* more applicants than nurses */
    assert_int_equal(sa_generate(&p, &r), -1);
    make_params(&p, 10, 5, 1);
    p.today = "2025-05-01"; /* too early in the year */
    assert_int_equal(sa_generate(&p, &r), -1);
    make_params(&p, 10, 5, 1);
    p.ncounselors[13] = 0; /* a prefecture without counselors */
    assert_int_equal(sa_generate(&p, &r), -1);
    make_params(&p, 10, 5, 1);
    p.today = "2026-02-30";
    assert_int_equal(sa_generate(&p, &r), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generate_valid), cmocka_unit_test(test_many_seeds),
        cmocka_unit_test(test_extremes),       cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_bad_params),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
