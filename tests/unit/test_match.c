/* Matching (src/match): the score on a hand-computed example, every hard condition alone, the
 * area semantics, wage conversion, ranking order, store maintenance (moves, removals) and an
 * oracle comparison of the store's answers with a naive, independently written implementation
 * of the documented rules on random data. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/offer.h"
#include "match/match.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400
static const int64_t NOW = 1800000000;

/* A seeker and an offer that match, with every wish set. */
static int g_munis[2] = {13101, 14101};
static match_seeker base_seeker(void)
{
    match_seeker s;
    memset(&s, 0, sizeof s);
    s.id = 7;
    s.pref = 13;
    s.lic = OFFER_LIC_KANGOSHI;
    s.status = MATCH_ACTIVE;
    s.valid_day = 100000;
    s.last_ftype = -1;
    s.career_break_months = -1;
    s.wish_prefs = (uint64_t)1 << 13 | (uint64_t)1 << 14;
    s.wish_munis = g_munis;
    s.n_wish_munis = 2;
    s.wish_emp = 1u << 0;                /* jokin */
    s.wish_shift = OFFER_SHIFT_DAY_ONLY; /* day only */
    s.max_nights = 0;
    s.wage_type = MATCH_WAGE_MONTHLY;
    s.wage_min = 250000;
    s.wish_ftypes = 1u << 0 | 1u << 1; /* hospital, clinic */
    s.wish_depts = 1u << 0;            /* internal */
    s.exp_depts = 1u << 1;             /* surgery */
    s.childcare = true;
    s.max_nights = 0;
    s.name = "看護 花子";
    s.name_kana = "カンゴ ハナコ";
    return s;
}

static match_offer base_offer(void)
{
    match_offer o;
    memset(&o, 0, sizeof o);
    o.id = 100;
    o.pref = 13;
    o.muni = 13101;
    o.lic = OFFER_LIC_KANGOSHI | OFFER_LIC_JUNKANGOSHI;
    o.emp = 1u << 0;
    o.shift = OFFER_SHIFT_DAY_ONLY;
    o.nights = -1;
    o.wage_type = MATCH_WAGE_MONTHLY;
    o.wage_min = 275000;
    o.ftype = 0;
    o.depts = 1u << 0 | 1u << 1;
    o.flags = OFFER_FLAG_TAKUJI | OFFER_FLAG_BLANK;
    o.published_at = NOW - 6 * DAY - 100;
    return o;
}

static bool has_reason(const match_eval *e, match_reason_code c, int64_t *arg)
{
    for (int i = 0; i < e->nreasons; i++)
        if (e->reasons[i].code == c) {
            if (arg)
                *arg = e->reasons[i].arg;
            return true;
        }
    return false;
}

static void test_score_example(void **state)
{
    (void)state;
    match_seeker s = base_seeker();
    match_offer o = base_offer();
    match_ctx c = {NULL, NOW};
    match_eval e;
    match_score(&s, &o, &c, true, &e);
    assert_int_equal(e.excluded, 0);
    /* wage +10% → 500; same municipality 1000; all patterns wished 1000; wished type 1000;
     * wished and experienced departments 1000; 6 days old → 900 */
    assert_int_equal(e.fit[MATCH_C_WAGE], 500);
    assert_int_equal(e.fit[MATCH_C_DISTANCE], 1000);
    assert_int_equal(e.fit[MATCH_C_SHIFT], 1000);
    assert_int_equal(e.fit[MATCH_C_FACILITY], 1000);
    assert_int_equal(e.fit[MATCH_C_DEPARTMENT], 1000);
    assert_int_equal(e.fit[MATCH_C_FRESHNESS], 900);
    assert_int_equal(e.score, 25 * 500 + 20 * 1000 + 15 * 1000 + 10 * 1000 + 15 * 1000 + 15 * 900);
    int64_t arg;
    assert_true(has_reason(&e, MATCH_R_LICENCE, &arg));
    assert_int_equal(arg, OFFER_LIC_KANGOSHI);
    assert_true(has_reason(&e, MATCH_R_WAGE_ABOVE, &arg));
    assert_int_equal(arg, 25000);
    assert_true(has_reason(&e, MATCH_R_SAME_MUNI, NULL));
    assert_true(has_reason(&e, MATCH_R_SHIFT, &arg));
    assert_int_equal(arg, OFFER_SHIFT_DAY_ONLY);
    assert_true(has_reason(&e, MATCH_R_NIGHTS_WITHIN, &arg)); /* day only → 0 nights */
    assert_int_equal(arg, 0);
    assert_true(has_reason(&e, MATCH_R_FACILITY_WISHED, &arg));
    assert_int_equal(arg, 0);
    assert_true(has_reason(&e, MATCH_R_DEPT_WISHED, &arg));
    assert_int_equal(arg, 1);
    assert_true(has_reason(&e, MATCH_R_DEPT_EXPERIENCE, &arg));
    assert_int_equal(arg, 2);
    assert_true(has_reason(&e, MATCH_R_NEW, &arg));
    assert_int_equal(arg, 6);
    assert_true(has_reason(&e, MATCH_R_CHILDCARE, NULL));
    assert_false(has_reason(&e, MATCH_R_BLANK_OK, NULL)); /* no career break stated */
    s.career_break_months = 24;
    match_score(&s, &o, &c, true, &e);
    assert_true(has_reason(&e, MATCH_R_BLANK_OK, NULL));
    /* without reasons: same score, no reasons */
    match_eval e2;
    match_score(&s, &o, &c, false, &e2);
    assert_int_equal(e2.score, e.score);
    assert_int_equal(e2.nreasons, 0);

    /* components without wishes are neutral */
    match_seeker n;
    memset(&n, 0, sizeof n);
    n.id = 8;
    n.pref = 27;
    n.lic = OFFER_LIC_KANGOSHI;
    n.max_nights = -1;
    n.last_ftype = -1;
    n.career_break_months = -1;
    o.published_at = NOW - 70 * DAY;
    match_score(&n, &o, &c, true, &e);
    assert_int_equal(e.excluded, 0);
    assert_int_equal(e.fit[MATCH_C_WAGE], 500);
    assert_int_equal(e.fit[MATCH_C_SHIFT], 500);
    assert_int_equal(e.fit[MATCH_C_FACILITY], 500);
    assert_int_equal(e.fit[MATCH_C_DEPARTMENT], 600 * 500 / 1000);
    assert_int_equal(e.fit[MATCH_C_FRESHNESS], 0);
    assert_int_equal(e.fit[MATCH_C_DISTANCE], 0); /* no distance table: far */
    assert_true(has_reason(&e, MATCH_R_NEAR, &arg));
    assert_int_equal(arg, 500);
    n.last_ftype = 0; /* the last workplace was a hospital */
    match_score(&n, &o, &c, true, &e);
    assert_int_equal(e.fit[MATCH_C_FACILITY], 1000);
    assert_true(has_reason(&e, MATCH_R_FACILITY_EXPERIENCE, NULL));
}

static void test_distance(void **state)
{
    (void)state;
    double lat[48], lon[48];
    for (int p = 0; p < 48; p++)
        lat[p] = lon[p] = NAN;
    lat[13] = 35.6895, lon[13] = 139.6917; /* Tokyo */
    lat[14] = 35.4478, lon[14] = 139.6425; /* Kanagawa */
    lat[27] = 34.6863, lon[27] = 135.5200; /* Osaka */
    static int16_t km[48][48];
    match_distance_table(lat, lon, km);
    assert_true(km[13][27] >= 390 && km[13][27] <= 400);
    assert_int_equal(km[13][27], km[27][13]);
    assert_true(km[13][14] >= 25 && km[13][14] <= 30);
    assert_int_equal(km[13][13], 0);
    assert_int_equal(km[1][13], 500); /* unknown point */

    match_ctx c = {(const int16_t(*)[48])km, NOW};
    match_seeker s = base_seeker();
    s.wish_prefs = 0;
    s.n_wish_munis = 0;
    match_offer o = base_offer();
    match_eval e;
    o.muni = 13104; /* same prefecture as registered */
    match_score(&s, &o, &c, true, &e);
    assert_int_equal(e.fit[MATCH_C_DISTANCE], 800);
    assert_true(has_reason(&e, MATCH_R_SAME_PREF, NULL));
    o.pref = 27, o.muni = 27128;
    match_score(&s, &o, &c, true, &e);
    assert_int_equal(e.dist_km, km[13][27]);
    assert_int_equal(e.fit[MATCH_C_DISTANCE], 600 * (500 - km[13][27]) / 500);
    /* a wished municipality in Osaka makes Osaka "same prefecture" */
    int m27[1] = {27100};
    s.wish_munis = m27;
    s.n_wish_munis = 1;
    match_score(&s, &o, &c, true, &e);
    assert_int_equal(e.fit[MATCH_C_DISTANCE], 800);
    /* and the distance is the smaller of the two references */
    o.pref = 14, o.muni = 14101;
    match_score(&s, &o, &c, true, &e);
    assert_int_equal(e.dist_km, km[13][14]);
}

/* Each hard condition alone excludes the offer with exactly its bit. */
static void test_each_exclusion(void **state)
{
    (void)state;
    match_ctx c = {NULL, NOW};
    match_eval e;
    match_seeker s0 = base_seeker();
    match_offer o0 = base_offer();
    assert_int_equal(match_check(&s0, &o0), 0);

    match_seeker s;
    match_offer o;
#define EXPECT(bit)                                                                                \
    do {                                                                                           \
        assert_int_equal(match_check(&s, &o), (bit));                                              \
        match_score(&s, &o, &c, true, &e);                                                         \
        assert_int_equal(e.excluded, (bit));                                                       \
        s = s0;                                                                                    \
        o = o0;                                                                                    \
    } while (0)
    s = s0, o = o0;

    o.lic = OFFER_LIC_HOKENSHI;
    EXPECT(MATCH_X_LICENCE);
    s.lic = 0; /* no licence registered */
    EXPECT(MATCH_X_LICENCE);

    o.pref = 27, o.muni = 27128;
    EXPECT(MATCH_X_PREFECTURE);
    o.muni = 13104; /* Tokyo is wished only through 13101 */
    EXPECT(MATCH_X_MUNICIPALITY);
    o.muni = 0; /* unknown municipality in a restricted prefecture */
    EXPECT(MATCH_X_MUNICIPALITY);
    s.n_wish_munis = 0; /* then the whole of Tokyo is wished */
    o.muni = 13104;
    EXPECT(0);
    s.wish_prefs = 0; /* municipalities only: 13101 and 14101 */
    o.pref = 14, o.muni = 14101;
    EXPECT(0);
    s.wish_prefs = 0;
    o.pref = 14, o.muni = 14102;
    EXPECT(MATCH_X_MUNICIPALITY);
    s.wish_prefs = 0;
    o.pref = 12, o.muni = 12100;
    EXPECT(MATCH_X_PREFECTURE);
    s.wish_prefs = 0, s.n_wish_munis = 0; /* no area wish: anywhere */
    o.pref = 47, o.muni = 47201;
    EXPECT(0);

    o.emp = 1u << 1;
    EXPECT(MATCH_X_EMPLOYMENT);
    o.emp = 0;
    EXPECT(MATCH_X_EMPLOYMENT);
    s.wish_emp = 0, o.emp = 0;
    EXPECT(0);

    s.max_nights = -1;
    o.shift = OFFER_SHIFT_TWO;
    EXPECT(MATCH_X_SHIFT);
    s.max_nights = -1;
    o.shift = 0;
    EXPECT(MATCH_X_SHIFT);
    s.max_nights = -1;
    o.shift = OFFER_SHIFT_DAY_ONLY | OFFER_SHIFT_TWO; /* overlap is enough */
    EXPECT(0);

    /* night shifts: stated, day-only implied, unknown */
    s.wish_shift = 0;
    o.shift = OFFER_SHIFT_TWO, o.nights = 4;
    EXPECT(MATCH_X_NIGHTS);
    s.wish_shift = 0, s.max_nights = 4;
    o.shift = OFFER_SHIFT_TWO, o.nights = 4;
    EXPECT(0);
    s.wish_shift = 0, s.max_nights = 3;
    o.shift = OFFER_SHIFT_TWO, o.nights = 4;
    EXPECT(MATCH_X_NIGHTS);
    s.wish_shift = 0;
    o.shift = OFFER_SHIFT_TWO, o.nights = -1; /* unknown nights fail "none at all" */
    EXPECT(MATCH_X_NIGHTS);
    s.wish_shift = 0, s.max_nights = 8;
    o.shift = OFFER_SHIFT_TWO, o.nights = -1; /* ... but not a positive maximum */
    EXPECT(0);
    s.wish_shift = 0, s.max_nights = -1;
    o.shift = OFFER_SHIFT_NIGHT_ONLY, o.nights = 20;
    EXPECT(0);

    o.wage_min = 249999;
    EXPECT(MATCH_X_WAGE);
    o.wage_min = 250000;
    EXPECT(0);
    o.wage_min = 0;
    EXPECT(MATCH_X_WAGE);
    o.wage_type = MATCH_WAGE_NONE;
    EXPECT(MATCH_X_WAGE);
    o.wage_type = MATCH_WAGE_HOURLY, o.wage_min = 1600; /* 1,600 × 160 = 256,000 */
    EXPECT(0);
    o.wage_type = MATCH_WAGE_HOURLY, o.wage_min = 1500; /* 240,000 */
    EXPECT(MATCH_X_WAGE);
    s.wage_type = MATCH_WAGE_HOURLY, s.wage_min = 1700; /* 275,000 / 160 = 1,718 */
    EXPECT(0);
    s.wage_type = MATCH_WAGE_HOURLY, s.wage_min = 1719;
    EXPECT(MATCH_X_WAGE);
    s.wage_type = MATCH_WAGE_NONE;
    o.wage_min = 0;
    EXPECT(0);

    o.ftype = 2;
    EXPECT(MATCH_X_FACILITY_TYPE);
    o.ftype = -1;
    EXPECT(MATCH_X_FACILITY_TYPE);
    s.wish_ftypes = 0, o.ftype = -1;
    EXPECT(0);

    o.depts = 1u << 5;
    EXPECT(MATCH_X_DEPARTMENT);
    o.depts = 0;
    EXPECT(MATCH_X_DEPARTMENT);
    s.wish_depts = 0, o.depts = 0;
    EXPECT(0);

    o.flags = OFFER_FLAG_BLANK;
    EXPECT(MATCH_X_CHILDCARE);
    s.childcare = false, o.flags = 0;
    EXPECT(0);

    /* several at once are all reported */
    o.lic = OFFER_LIC_JOSANSHI, o.emp = 1u << 2, o.flags = 0;
    EXPECT(MATCH_X_LICENCE | MATCH_X_EMPLOYMENT | MATCH_X_CHILDCARE);
#undef EXPECT
}

static void test_wage_conversion(void **state)
{
    (void)state;
    match_offer o = base_offer();
    o.wage_type = MATCH_WAGE_DAILY, o.wage_min = 15000;
    assert_int_equal(match_wage_in(&o, MATCH_WAGE_MONTHLY), 300000);
    assert_int_equal(match_wage_in(&o, MATCH_WAGE_HOURLY), 1875);
    o.wage_type = MATCH_WAGE_ANNUAL, o.wage_min = 4800000;
    assert_int_equal(match_wage_in(&o, MATCH_WAGE_MONTHLY), 400000);
    assert_int_equal(match_wage_in(&o, MATCH_WAGE_HOURLY), 2500);
    o.wage_type = MATCH_WAGE_MONTHLY, o.wage_min = 320000;
    assert_int_equal(match_wage_in(&o, MATCH_WAGE_HOURLY), 2000);
    assert_int_equal(match_wage_in(&o, MATCH_WAGE_MONTHLY), 320000);
    o.wage_min = 0;
    assert_int_equal(match_wage_in(&o, MATCH_WAGE_MONTHLY), 0);
    /* the fit is full from +20% */
    match_seeker s = base_seeker();
    match_ctx c = {NULL, NOW};
    match_eval e;
    o.wage_min = 300000;
    match_score(&s, &o, &c, false, &e);
    assert_int_equal(e.fit[MATCH_C_WAGE], 1000);
    o.wage_min = 400000;
    match_score(&s, &o, &c, false, &e);
    assert_int_equal(e.fit[MATCH_C_WAGE], 1000);
    o.wage_min = 250000;
    match_score(&s, &o, &c, true, &e);
    assert_int_equal(e.fit[MATCH_C_WAGE], 0);
    assert_true(has_reason(&e, MATCH_R_WAGE_MEETS, NULL));
}

/* ---- the naive oracle ------------------------------------------------------------------------ */

static uint64_t g_rng = 0x9E3779B97F4A7C15ULL;
static uint64_t rnd(void)
{
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 7;
    g_rng ^= g_rng << 17;
    return g_rng;
}
static int rn(int n)
{
    return (int)(rnd() % (uint64_t)n);
}

/* Independent reading of the documented rules (match.h). */
static unsigned naive_check(const match_seeker *s, const match_offer *o)
{
    unsigned x = 0;
    if ((s->lic & o->lic) == 0)
        x |= MATCH_X_LICENCE;
    if (s->wish_prefs != 0 || s->n_wish_munis > 0) {
        bool in_area = false, pref_restricted = false;
        for (int i = 0; i < s->n_wish_munis; i++) {
            if (s->wish_munis[i] == o->muni && o->muni != 0)
                in_area = true;
            if (s->wish_munis[i] / 1000 == o->pref)
                pref_restricted = true;
        }
        if (!in_area && !pref_restricted && (s->wish_prefs & ((uint64_t)1 << o->pref)))
            in_area = true;
        if (!in_area)
            x |= pref_restricted ? MATCH_X_MUNICIPALITY : MATCH_X_PREFECTURE;
    }
    if (s->wish_emp != 0 && (s->wish_emp & o->emp) == 0)
        x |= MATCH_X_EMPLOYMENT;
    if (s->wish_shift != 0 && (s->wish_shift & o->shift) == 0)
        x |= MATCH_X_SHIFT;
    if (s->max_nights != -1) {
        int n = o->nights;
        if (n == -1 && o->shift == OFFER_SHIFT_DAY_ONLY)
            n = 0;
        if ((n == -1 && s->max_nights == 0) || (n != -1 && n > s->max_nights))
            x |= MATCH_X_NIGHTS;
    }
    if (s->wage_type != MATCH_WAGE_NONE) {
        int64_t monthly = 0;
        switch (o->wage_type) {
        case MATCH_WAGE_MONTHLY:
            monthly = o->wage_min;
            break;
        case MATCH_WAGE_HOURLY:
            monthly = o->wage_min * 160;
            break;
        case MATCH_WAGE_DAILY:
            monthly = o->wage_min * 20;
            break;
        case MATCH_WAGE_ANNUAL:
            monthly = o->wage_min / 12;
            break;
        }
        int64_t v = s->wage_type == MATCH_WAGE_MONTHLY  ? monthly
                    : o->wage_type == MATCH_WAGE_HOURLY ? o->wage_min
                    : o->wage_type == MATCH_WAGE_DAILY  ? o->wage_min / 8
                    : o->wage_type == MATCH_WAGE_ANNUAL ? o->wage_min / 1920
                                                        : monthly / 160;
        if (o->wage_min <= 0 || v <= 0 || v < s->wage_min)
            x |= MATCH_X_WAGE;
    }
    if (s->wish_ftypes != 0 && (o->ftype < 0 || (s->wish_ftypes & ((uint64_t)1 << o->ftype)) == 0))
        x |= MATCH_X_FACILITY_TYPE;
    if (s->wish_depts != 0 && (s->wish_depts & o->depts) == 0)
        x |= MATCH_X_DEPARTMENT;
    if (s->childcare && (o->flags & OFFER_FLAG_TAKUJI) == 0)
        x |= MATCH_X_CHILDCARE;
    return x;
}

static int16_t g_km[48][48];

static int32_t naive_score(const match_seeker *s, const match_offer *o)
{
    int fit[6];
    /* wage */
    if (s->wage_type == MATCH_WAGE_NONE) {
        fit[0] = 500;
    } else {
        int64_t v = match_wage_in(o, s->wage_type); /* conversion checked separately above */
        if (v < s->wage_min)
            fit[0] = 0;
        else {
            int64_t f = (v - s->wage_min) * 1000 / s->wage_min * 5;
            fit[0] = f > 1000 ? 1000 : (int)f;
        }
    }
    /* distance */
    bool muni = false, pref = o->pref == s->pref;
    int km = s->pref == o->pref ? 0 : g_km[s->pref][o->pref];
    for (int i = 0; i < s->n_wish_munis; i++) {
        if (o->muni && s->wish_munis[i] == o->muni)
            muni = true;
        int p = s->wish_munis[i] / 1000;
        if (p == o->pref)
            pref = true;
        else if (g_km[p][o->pref] < km)
            km = g_km[p][o->pref];
    }
    fit[1] = muni ? 1000 : pref ? 800 : km >= 500 ? 0 : 600 * (500 - km) / 500;
    /* shift */
    if (!s->wish_shift)
        fit[2] = 500;
    else {
        int all = 0, ok = 0;
        for (int b = 0; b < 5; b++)
            if (o->shift >> b & 1) {
                all++;
                ok += (int)(s->wish_shift >> b & 1);
            }
        fit[2] = all ? 1000 * ok / all : 0;
    }
    /* facility */
    bool wished = o->ftype >= 0 && (s->wish_ftypes >> o->ftype & 1);
    fit[3] = wished || (o->ftype >= 0 && o->ftype == s->last_ftype) ? 1000
             : s->wish_ftypes                                       ? 0
                                                                    : 500;
    /* departments */
    if (!o->depts)
        fit[4] = 500;
    else {
        int w = !s->wish_depts ? 500 : (o->depts & s->wish_depts) ? 1000 : 0;
        int x = (o->depts & s->exp_depts) ? 1000 : 0;
        fit[4] = (600 * w + 400 * x) / 1000;
    }
    int64_t age = NOW > o->published_at ? (NOW - o->published_at) / DAY : 0;
    fit[5] = age >= 60 ? 0 : (int)((60 - age) * 1000 / 60);
    static const int W[6] = {25, 20, 15, 10, 15, 15};
    int32_t sc = 0;
    for (int k = 0; k < 6; k++)
        sc += W[k] * fit[k];
    return sc;
}

#define NOFF  3000
#define NSEEK 600
static match_offer g_off[NOFF];
static match_seeker g_seek[NSEEK];
static int g_seek_munis[NSEEK][6];

static int rand_muni(int pref)
{
    return pref * 1000 + 100 + rn(6);
}

static void random_offer(match_offer *o, int64_t id)
{
    memset(o, 0, sizeof *o);
    o->id = id;
    o->pref = 1 + rn(6) * 3; /* a few prefectures, so areas overlap often */
    o->muni = rn(10) ? rand_muni(o->pref) : 0;
    o->lic = (unsigned)(rnd() & 0xF);
    o->emp = rn(8) ? 1u << rn(3) : 0;
    o->shift = (unsigned)(rnd() & 0x1F);
    if (rn(3) == 0)
        o->shift = OFFER_SHIFT_DAY_ONLY;
    o->nights = rn(3) ? rn(12) : -1;
    o->wage_type = rn(10);
    o->wage_type = o->wage_type < 6    ? MATCH_WAGE_MONTHLY
                   : o->wage_type < 8  ? MATCH_WAGE_HOURLY
                   : o->wage_type == 8 ? MATCH_WAGE_DAILY
                                       : (rn(2) ? MATCH_WAGE_ANNUAL : MATCH_WAGE_NONE);
    o->wage_min = o->wage_type == MATCH_WAGE_MONTHLY  ? 200000 + rn(20) * 5000
                  : o->wage_type == MATCH_WAGE_HOURLY ? 1200 + rn(20) * 50
                  : o->wage_type == MATCH_WAGE_DAILY  ? 10000 + rn(10) * 1000
                  : o->wage_type == MATCH_WAGE_ANNUAL ? 3000000 + rn(10) * 200000
                                                      : 0;
    o->ftype = rn(12) ? rn(13) : -1;
    o->depts = rn(6) ? (uint32_t)(rnd() & rnd() & 0x1FFFFF) : 0;
    o->flags = (unsigned)(rnd() & 0x7F);
    o->published_at = NOW - rn(80) * DAY - rn(DAY);
    if (rn(50) == 0)
        o->published_at = g_off[0].published_at; /* ties */
}

static void random_seeker(int i, int64_t id)
{
    match_seeker *s = &g_seek[i];
    memset(s, 0, sizeof *s);
    s->id = id;
    s->pref = 1 + rn(6) * 3;
    s->lic = (unsigned)(1u << rn(4)) | (rn(3) ? 0 : 1u << rn(4));
    s->status = rn(6) ? MATCH_ACTIVE : rn(2) ? MATCH_PAUSED : MATCH_CLOSED;
    s->valid_day = 20000 + rn(10);
    s->last_activity_at = NOW - rn(100) * DAY;
    s->work_status = rn(4);
    s->experience_years = rn(30);
    s->exp_depts = (uint32_t)(rnd() & rnd() & 0x1FFFFF);
    s->last_ftype = rn(3) ? rn(13) : -1;
    s->career_break_months = rn(3) ? rn(60) : -1;
    s->wish_prefs = 0;
    for (int k = rn(3); k > 0; k--)
        s->wish_prefs |= (uint64_t)1 << (1 + rn(6) * 3);
    s->n_wish_munis = rn(4) ? 0 : 1 + rn(5);
    for (int k = 0; k < s->n_wish_munis; k++)
        g_seek_munis[i][k] = rand_muni(1 + rn(6) * 3);
    s->wish_munis = g_seek_munis[i];
    s->wish_emp = rn(2) ? (unsigned)(rnd() & 7) : 0;
    s->wish_shift = rn(2) ? (unsigned)(rnd() & 0x1F) : 0;
    s->max_nights = rn(2) ? rn(10) : -1;
    s->wage_type = rn(3) == 0 ? MATCH_WAGE_NONE : rn(3) ? MATCH_WAGE_MONTHLY : MATCH_WAGE_HOURLY;
    s->wage_min = s->wage_type == MATCH_WAGE_MONTHLY  ? 180000 + rn(20) * 5000
                  : s->wage_type == MATCH_WAGE_HOURLY ? 1100 + rn(20) * 50
                                                      : 0;
    s->wish_ftypes = rn(2) ? rnd() & 0x1FFF : 0;
    s->wish_depts = rn(3) ? 0 : (uint32_t)(rnd() & 0x1FFFFF);
    s->childcare = rn(5) == 0;
    s->name = "名前";
    s->name_kana = "ナマエ";
}

typedef struct {
    int32_t score;
    int64_t tie, id;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->tie != y->tie)
        return x->tie > y->tie ? -1 : 1;
    return x->id > y->id ? -1 : x->id < y->id ? 1 : 0;
}

static bool g_off_live[NOFF], g_seek_live[NSEEK];

/* Compares match_offers_for with the naive ranking for seeker i over pages. */
static void compare_offers_for(match_store *ms, int i)
{
    static ranked want[NOFF];
    int n = 0;
    for (int k = 0; k < NOFF; k++)
        if (g_off_live[k] && naive_check(&g_seek[i], &g_off[k]) == 0)
            want[n++] =
                (ranked){naive_score(&g_seek[i], &g_off[k]), g_off[k].published_at, g_off[k].id};
    qsort(want, (size_t)n, sizeof *want, cmp_ranked);
    static match_offer_page page;
    int pages[] = {1, 2, 5};
    int pers[] = {20, 7, 50};
    for (int t = 0; t < 3; t++) {
        int rc = match_offers_for(ms, g_seek[i].id, NOW, pages[t], pers[t], &page);
        assert_int_equal(rc, MATCH_OK);
        assert_int_equal(page.total, n);
        int from = (pages[t] - 1) * pers[t];
        int expect_n = n - from < 0 ? 0 : n - from > pers[t] ? pers[t] : n - from;
        assert_int_equal(page.n, expect_n);
        for (int k = 0; k < page.n; k++) {
            assert_int_equal(page.items[k].offer_id, want[from + k].id);
            assert_int_equal(page.items[k].eval.score, want[from + k].score);
            assert_int_equal(page.items[k].eval.excluded, 0);
        }
    }
}

static void compare_seekers_for(match_store *ms, int k, int scope, int32_t today)
{
    static ranked want[NSEEK];
    int n = 0;
    for (int i = 0; i < NSEEK; i++) {
        const match_seeker *s = &g_seek[i];
        if (!g_seek_live[i] || s->status != MATCH_ACTIVE || s->valid_day < today ||
            (scope && s->pref != scope) || naive_check(s, &g_off[k]) != 0)
            continue;
        want[n++] = (ranked){naive_score(s, &g_off[k]), s->last_activity_at, s->id};
    }
    qsort(want, (size_t)n, sizeof *want, cmp_ranked);
    static match_seeker_page page;
    int rc = match_seekers_for(ms, g_off[k].id, scope, today, NOW, 1, 30, &page);
    assert_int_equal(rc, MATCH_OK);
    assert_int_equal(page.total, n);
    assert_int_equal(page.n, n < 30 ? n : 30);
    for (int j = 0; j < page.n; j++) {
        assert_int_equal(page.items[j].seeker_id, want[j].id);
        assert_int_equal(page.items[j].eval.score, want[j].score);
        if (scope)
            assert_int_equal(page.items[j].pref, scope);
        assert_string_equal(page.items[j].name, "名前");
    }
}

static void test_oracle_random(void **state)
{
    (void)state;
    double lat[48], lon[48];
    for (int p = 0; p < 48; p++) {
        lat[p] = 31 + p * 0.3;
        lon[p] = 130 + p * 0.25;
    }
    match_distance_table(lat, lon, g_km);
    match_store *ms = match_new();
    assert_non_null(ms);
    match_set_points(ms, lat, lon);
    for (int k = 0; k < NOFF; k++) {
        random_offer(&g_off[k], 1000 + k);
        assert_int_equal(match_offer_put(ms, &g_off[k]), MATCH_OK);
        g_off_live[k] = true;
    }
    for (int i = 0; i < NSEEK; i++) {
        random_seeker(i, 50000 + i);
        assert_int_equal(match_seeker_put(ms, &g_seek[i]), MATCH_OK);
        g_seek_live[i] = true;
    }
    /* the pure functions against the naive ones on every pair of a sample */
    match_ctx c = {(const int16_t(*)[48])g_km, NOW};
    for (int i = 0; i < NSEEK; i += 3)
        for (int k = 0; k < NOFF; k += 7) {
            match_eval e;
            match_score(&g_seek[i], &g_off[k], &c, true, &e);
            assert_int_equal(e.excluded, naive_check(&g_seek[i], &g_off[k]));
            assert_int_equal(e.score, naive_score(&g_seek[i], &g_off[k]));
        }
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < NSEEK; i += 11)
            if (g_seek_live[i])
                compare_offers_for(ms, i);
        for (int k = 0; k < NOFF; k += 97)
            if (g_off_live[k]) {
                compare_seekers_for(ms, k, 0, 20004);
                compare_seekers_for(ms, k, 1 + rn(6) * 3, 20000);
            }
        /* churn: replace offers (often into another prefecture), remove some, re-add some;
         * replace seekers, remove some */
        for (int t = 0; t < 800; t++) {
            int k = rn(NOFF);
            if (rn(4) == 0) {
                int rc = match_offer_remove(ms, g_off[k].id);
                assert_int_equal(rc, g_off_live[k] ? MATCH_OK : MATCH_ENOOFFER);
                g_off_live[k] = false;
            } else {
                random_offer(&g_off[k], g_off[k].id);
                assert_int_equal(match_offer_put(ms, &g_off[k]), MATCH_OK);
                g_off_live[k] = true;
            }
        }
        for (int t = 0; t < 150; t++) {
            int i = rn(NSEEK);
            if (rn(5) == 0) {
                int rc = match_seeker_remove(ms, g_seek[i].id);
                assert_int_equal(rc, g_seek_live[i] ? MATCH_OK : MATCH_ENOSEEKER);
                g_seek_live[i] = false;
            } else {
                random_seeker(i, g_seek[i].id);
                assert_int_equal(match_seeker_put(ms, &g_seek[i]), MATCH_OK);
                g_seek_live[i] = true;
            }
        }
        size_t live_o = 0, live_s = 0;
        for (int k = 0; k < NOFF; k++)
            live_o += g_off_live[k];
        for (int i = 0; i < NSEEK; i++)
            live_s += g_seek_live[i];
        match_stats st;
        match_stats_get(ms, &st);
        assert_int_equal(st.offers, live_o);
        assert_int_equal(st.seekers, live_s);
    }
    match_free(ms);
}

static void test_store_api(void **state)
{
    (void)state;
    match_store *ms = match_new();
    match_seeker s = base_seeker();
    match_offer o = base_offer();
    static match_offer_page page;
    static match_explain_out ex;
    static match_seeker_page sp;
    assert_int_equal(match_offers_for(ms, s.id, NOW, 1, 20, &page), MATCH_ENOSEEKER);
    assert_int_equal(match_seeker_put(ms, &s), MATCH_OK);
    assert_int_equal(match_offers_for(ms, s.id, NOW, 1, 20, &page), MATCH_OK);
    assert_int_equal(page.total, 0);
    assert_int_equal(match_offers_for(ms, s.id, NOW, 11, 100, &page), MATCH_EPAGE);
    assert_int_equal(match_offers_for(ms, s.id, NOW, 10, 100, &page), MATCH_OK);
    assert_int_equal(match_offers_for(ms, s.id, NOW, 0, 0, &page), MATCH_OK);
    assert_int_equal(page.page, 1);
    assert_int_equal(page.per_page, MATCH_DEFAULT_PER_PAGE);
    assert_int_equal(match_explain(ms, s.id, o.id, NOW, &ex), MATCH_ENOOFFER);
    assert_int_equal(match_seekers_for(ms, o.id, 0, 0, NOW, 1, 20, &sp), MATCH_ENOOFFER);
    o.pref = 0;
    assert_int_equal(match_offer_put(ms, &o), MATCH_ENOOFFER); /* out of range */
    o = base_offer();
    assert_int_equal(match_offer_put(ms, &o), MATCH_OK);

    /* ranking: score desc, then newer, then larger id */
    match_offer a = o, b = o, d = o, f = o;
    a.id = 101, a.wage_min = 300000; /* best wage */
    b.id = 102;                      /* same as o, newer */
    b.published_at = o.published_at + 10;
    d.id = 99;                   /* same as o, same time, smaller id */
    f.id = 103, f.emp = 1u << 1; /* excluded */
    assert_int_equal(match_offer_put(ms, &a), MATCH_OK);
    assert_int_equal(match_offer_put(ms, &b), MATCH_OK);
    assert_int_equal(match_offer_put(ms, &d), MATCH_OK);
    assert_int_equal(match_offer_put(ms, &f), MATCH_OK);
    assert_int_equal(match_offers_for(ms, s.id, NOW, 1, 20, &page), MATCH_OK);
    assert_int_equal(page.total, 4);
    int64_t order[] = {101, 102, 100, 99};
    for (int i = 0; i < 4; i++)
        assert_int_equal(page.items[i].offer_id, order[i]);
    assert_true(page.items[0].eval.score > page.items[1].eval.score);
    assert_true(page.items[0].eval.nreasons > 0);
    assert_int_equal(match_offers_for(ms, s.id, NOW, 2, 3, &page), MATCH_OK);
    assert_int_equal(page.n, 1);
    assert_int_equal(page.items[0].offer_id, 99);
    assert_int_equal(match_offers_for(ms, s.id, NOW, 3, 3, &page), MATCH_OK);
    assert_int_equal(page.n, 0);
    assert_int_equal(page.total, 4);

    /* explain an excluded offer */
    assert_int_equal(match_explain(ms, s.id, 103, NOW, &ex), MATCH_OK);
    assert_int_equal(ex.eval.excluded, MATCH_X_EMPLOYMENT);
    assert_int_equal(ex.offer.emp, 1u << 1);
    assert_int_equal(ex.seeker.n_wish_munis, 2);
    assert_int_equal(ex.seeker.wish_munis[1], 14101);

    /* moving an offer to another prefecture keeps one copy */
    a.pref = 14, a.muni = 14101;
    assert_int_equal(match_offer_put(ms, &a), MATCH_OK);
    match_stats st;
    match_stats_get(ms, &st);
    assert_int_equal(st.offers, 5);
    assert_int_equal(match_offers_for(ms, s.id, NOW, 1, 20, &page), MATCH_OK);
    assert_int_equal(page.total, 4);
    a.pref = 27, a.muni = 27128; /* out of the area now */
    assert_int_equal(match_offer_put(ms, &a), MATCH_OK);
    assert_int_equal(match_offers_for(ms, s.id, NOW, 1, 20, &page), MATCH_OK);
    assert_int_equal(page.total, 3);
    assert_int_equal(match_offer_remove(ms, 102), MATCH_OK);
    assert_int_equal(match_offer_remove(ms, 102), MATCH_ENOOFFER);
    assert_int_equal(match_offers_for(ms, s.id, NOW, 1, 20, &page), MATCH_OK);
    assert_int_equal(page.total, 2);

    /* candidates: status, validity and scope */
    match_seeker t = s;
    t.id = 8, t.pref = 14, t.name = "神奈川 太郎";
    assert_int_equal(match_seeker_put(ms, &t), MATCH_OK);
    assert_int_equal(match_seekers_for(ms, 100, 0, 100000, NOW, 1, 20, &sp), MATCH_OK);
    assert_int_equal(sp.total, 2);
    assert_int_equal(match_seekers_for(ms, 100, 13, 100000, NOW, 1, 20, &sp), MATCH_OK);
    assert_int_equal(sp.total, 1);
    assert_int_equal(sp.items[0].seeker_id, 7);
    assert_string_equal(sp.items[0].name, "看護 花子");
    assert_string_equal(sp.items[0].name_kana, "カンゴ ハナコ");
    assert_int_equal(match_seekers_for(ms, 100, 0, 100001, NOW, 1, 20, &sp), MATCH_OK);
    assert_int_equal(sp.total, 0); /* registrations expired */
    t.status = MATCH_PAUSED;
    assert_int_equal(match_seeker_put(ms, &t), MATCH_OK);
    assert_int_equal(match_seekers_for(ms, 100, 0, 100000, NOW, 1, 20, &sp), MATCH_OK);
    assert_int_equal(sp.total, 1);
    assert_int_equal(match_seeker_updated_at(ms, 8), 0);
    assert_int_equal(match_seeker_updated_at(ms, 9), -1);
    assert_int_equal(match_seeker_remove(ms, 7), MATCH_OK);
    assert_int_equal(match_seeker_remove(ms, 7), MATCH_ENOSEEKER);
    assert_int_equal(match_seekers_for(ms, 100, 0, 100000, NOW, 1, 20, &sp), MATCH_OK);
    assert_int_equal(sp.total, 0);
    /* the moved entry (8) is intact */
    assert_int_equal(match_explain(ms, 8, 100, NOW, &ex), MATCH_OK);
    assert_int_equal(ex.seeker.pref, 14);

    /* long names are cut at a character boundary */
    char longname[1000];
    for (int i = 0; i < 333; i++)
        memcpy(longname + 3 * i, "あ", 3);
    longname[999] = '\0';
    t.status = MATCH_ACTIVE, t.name = longname;
    assert_int_equal(match_seeker_put(ms, &t), MATCH_OK);
    assert_int_equal(match_seekers_for(ms, 100, 0, 100000, NOW, 1, 20, &sp), MATCH_OK);
    assert_int_equal(sp.total, 1);
    assert_true(strlen(sp.items[0].name) < MATCH_MAX_NAME);
    assert_int_equal(strlen(sp.items[0].name) % 3, 0);
    match_free(ms);
}

static void test_day_number(void **state)
{
    (void)state;
    assert_int_equal(match_day_number(1970, 1, 1), 0);
    assert_int_equal(match_day_number(2000, 3, 1), 11017);
    assert_int_equal(match_day_number(2026, 11, 21) - match_day_number(2026, 11, 20), 1);
    assert_int_equal(match_day_number(2025, 3, 1) - match_day_number(2025, 2, 28), 1);
    assert_int_equal(match_day_number(2024, 3, 1) - match_day_number(2024, 2, 28), 2);
}

/* Readers and writers at once (run under TSan/ASan for races; here: no crash, sane totals). */
static match_store *g_cms;
static void *reader(void *arg)
{
    (void)arg;
    static __thread match_offer_page page;
    for (int i = 0; i < 200; i++)
        assert_int_equal(match_offers_for(g_cms, 7, NOW, 1, 20, &page), MATCH_OK);
    return NULL;
}

static void test_concurrency(void **state)
{
    (void)state;
    g_cms = match_new();
    match_seeker s = base_seeker();
    match_seeker_put(g_cms, &s);
    pthread_t th[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&th[i], NULL, reader, NULL);
    for (int i = 0; i < 2000; i++) {
        match_offer o = base_offer();
        o.id = 1 + i % 300;
        o.pref = 13 + i % 2;
        o.muni = o.pref == 13 ? 13101 : 14101;
        if (i % 5 == 0)
            match_offer_remove(g_cms, o.id);
        else
            match_offer_put(g_cms, &o);
    }
    for (int i = 0; i < 3; i++)
        pthread_join(th[i], NULL);
    match_free(g_cms);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_score_example),  cmocka_unit_test(test_distance),
        cmocka_unit_test(test_each_exclusion), cmocka_unit_test(test_wage_conversion),
        cmocka_unit_test(test_oracle_random),  cmocka_unit_test(test_store_api),
        cmocka_unit_test(test_day_number),     cmocka_unit_test(test_concurrency),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
