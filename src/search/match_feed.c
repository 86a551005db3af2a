/* Feeds the matcher (src/match/) from the store; see match_feed.h. */
#include "search/match_feed.h"
#include "domain/codes.h"
#include "util/log.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static match_store *g_ms;
static pthread_mutex_t g_seeker_lock = PTHREAD_MUTEX_INITIALIZER; /* serialises read + put */
static int64_t g_seeker_mark; /* largest seekers.updated_at seen */
static int64_t g_last_poll;   /* time of the last catch-up poll */

match_store *match_feed_store(void)
{
    return g_ms;
}

int32_t match_feed_today(int64_t now)
{
    char today[16];
    int y, m, d;
    time_jst_date(now, today, sizeof today);
    if (date_parse(today, &y, &m, &d) != 0)
        return 0;
    return match_day_number(y, m, d);
}

/* ---- offers ------------------------------------------------------------------------------ */

/* A published offer's matching columns. B is the body (TEXT; PostgreSQL casts it to jsonb). */
#define OFFER_COLS(B)                                                                              \
    "SELECT o.id, o.prefecture_code, COALESCE(o.municipality_code, ''), o.licence_mask, "          \
    "COALESCE(o.employment_form, ''), o.shift_mask, f.facility_type, o.flag_mask, "                \
    "COALESCE(o.wage_type, ''), COALESCE(o.wage_min, 0), COALESCE(o.published_at, 0), " B          \
    " -> 'hours' ->> 'night_shifts_per_month', " B " -> 'departments', f.departments "             \
    "FROM offers o JOIN facilities f ON f.id = o.facility_id WHERE o.status = 'published'"
#define OFFER_COLS_SQLITE OFFER_COLS("o.body")
#define OFFER_COLS_PG     OFFER_COLS("(o.body::jsonb)")
enum {
    O_ID,
    O_PREF,
    O_MUNI,
    O_LIC,
    O_EMP,
    O_SHIFT,
    O_FTYPE,
    O_FLAGS,
    O_WTYPE,
    O_WAGE,
    O_PUB,
    O_NIGHTS,
    O_DEPTS,
    O_FDEPTS
};

static int wage_type(const char *s)
{
    static const char *const T[] = {"monthly", "hourly", "daily", "annual", NULL};
    int k = code_index(T, s);
    return k < 0 ? MATCH_WAGE_NONE : MATCH_WAGE_MONTHLY + k;
}

/* Bits of the codes of a JSON array text (unknown codes and non-strings are ignored). */
static uint64_t code_bits(const char *json, const char *const *list)
{
    if (!json || !*json)
        return 0;
    json_t *a = json_loads(json, 0, NULL);
    uint64_t bits = 0;
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v)
    {
        int k = code_index(list, json_string_value(v));
        if (k >= 0 && k < 64)
            bits |= (uint64_t)1 << k;
    }
    json_decref(a);
    return bits;
}

static int int_or(const char *s, int64_t min, int64_t max, int dflt)
{
    int64_t v;
    return s && str_to_i64(s, min, max, &v) == 0 ? (int)v : dflt;
}

static void offer_from_row(const db_res *r, int i, match_offer *o)
{
    memset(o, 0, sizeof *o);
    o->id = db_int(r, i, O_ID);
    o->pref = int_or(db_text(r, i, O_PREF), 1, 47, 0);
    o->muni = int_or(db_text(r, i, O_MUNI), 0, 99999, 0);
    o->lic = (unsigned)db_int(r, i, O_LIC);
    int emp = code_index(EMPLOYMENT_FORMS, db_text(r, i, O_EMP));
    o->emp = emp >= 0 ? 1u << emp : 0;
    o->shift = (unsigned)db_int(r, i, O_SHIFT);
    o->ftype = code_index(FACILITY_TYPES, db_text(r, i, O_FTYPE));
    o->flags = (unsigned)db_int(r, i, O_FLAGS);
    o->wage_type = wage_type(db_text(r, i, O_WTYPE));
    o->wage_min = db_int(r, i, O_WAGE);
    o->published_at = db_int(r, i, O_PUB);
    o->nights = int_or(db_text(r, i, O_NIGHTS), 0, 31, -1);
    o->depts = (uint32_t)code_bits(db_text(r, i, O_DEPTS), DEPARTMENT_CODES);
    if (!o->depts) /* the offer names no departments: the facility's */
        o->depts = (uint32_t)code_bits(db_text(r, i, O_FDEPTS), DEPARTMENT_CODES);
}

static int load_offers(db *d)
{
    db_res *r = NULL;
    if (db_query(d, db_kind(d) == DB_PG ? OFFER_COLS_PG : OFFER_COLS_SQLITE, NULL, 0, &r) != DB_OK)
        return -1;
    int rc = 0;
    for (int i = 0; i < r->nrows && rc == 0; i++) {
        match_offer o;
        offer_from_row(r, i, &o);
        int mrc = match_offer_put(g_ms, &o);
        if (mrc == MATCH_ENOMEM)
            rc = -1;
        else if (mrc != MATCH_OK)
            log_warn("matcher: offer %lld not kept", (long long)o.id);
    }
    db_res_free(r);
    return rc;
}

int match_feed_offer(db *d, int64_t id)
{
    if (!g_ms)
        return 0;
    db_val p[] = {DBI(id)};
    db_res *r = NULL;
    if (db_query(d,
                 db_kind(d) == DB_PG ? OFFER_COLS_PG " AND o.id = $1"
                                     : OFFER_COLS_SQLITE " AND o.id = $1",
                 p, 1, &r) != DB_OK)
        return -1;
    if (r->nrows == 0) {
        match_offer_remove(g_ms, id); /* MATCH_ENOOFFER: it was not published before either */
    } else {
        match_offer o;
        offer_from_row(r, 0, &o);
        if (match_offer_put(g_ms, &o) != MATCH_OK)
            log_warn("matcher: offer %lld not kept", (long long)id);
    }
    db_res_free(r);
    return 0;
}

/* ---- seekers ------------------------------------------------------------------------------ */

#define SEEKER_COLS                                                                                \
    "SELECT s.user_id, s.prefecture_code, s.work_status, s.experience_years, "                     \
    "s.experience_departments, s.last_facility_type, s.career_break_months, s.wish_prefectures, "  \
    "s.wish_municipalities, s.wish_employment_forms, s.wish_shift_patterns, "                      \
    "s.wish_max_night_shifts, s.wish_wage_type, s.wish_wage_min, s.wish_facility_types, "          \
    "s.wish_departments, s.wish_childcare, s.status, s.valid_until, s.last_activity_at, "          \
    "s.updated_at, u.name, u.name_kana FROM seekers s JOIN users u ON u.id = s.user_id"
enum {
    S_ID,
    S_PREF,
    S_WORK,
    S_YEARS,
    S_EXP_DEPTS,
    S_LAST_FTYPE,
    S_BREAK,
    S_PREFS,
    S_MUNIS,
    S_EMP,
    S_SHIFT,
    S_NIGHTS,
    S_WTYPE,
    S_WAGE,
    S_FTYPES,
    S_DEPTS,
    S_CHILDCARE,
    S_STATUS,
    S_VALID,
    S_ACTIVITY,
    S_UPDATED,
    S_NAME,
    S_KANA
};

/* Fills s from row i; munis is the storage s->wish_munis borrows (MATCH_MAX_MUNI ints). */
static void seeker_from_row(const db_res *r, int i, unsigned lic, match_seeker *s, int *munis)
{
    memset(s, 0, sizeof *s);
    s->id = db_int(r, i, S_ID);
    s->pref = int_or(db_text(r, i, S_PREF), 1, 47, 0);
    s->lic = lic;
    int st = code_index(SEEKER_STATUSES, db_text(r, i, S_STATUS));
    s->status = st < 0 ? MATCH_CLOSED : st;
    int y, m, dd;
    const char *valid = db_text(r, i, S_VALID);
    s->valid_day = valid && date_parse(valid, &y, &m, &dd) == 0 ? match_day_number(y, m, dd) : 0;
    s->last_activity_at = db_int(r, i, S_ACTIVITY);
    s->updated_at = db_int(r, i, S_UPDATED);
    int ws = code_index(WORK_STATUSES, db_text(r, i, S_WORK));
    s->work_status = ws < 0 ? 0 : ws;
    s->experience_years = (int)db_int(r, i, S_YEARS);
    s->exp_depts = (uint32_t)code_bits(db_text(r, i, S_EXP_DEPTS), DEPARTMENT_CODES);
    s->last_ftype = code_index(FACILITY_TYPES, db_text(r, i, S_LAST_FTYPE));
    s->career_break_months = int_or(db_text(r, i, S_BREAK), 0, 840, -1);
    s->wish_prefs = code_bits(db_text(r, i, S_PREFS), PREFECTURE_CODES) << 1; /* "01" → bit 1 */
    json_t *a = json_loads(db_text(r, i, S_MUNIS) ? db_text(r, i, S_MUNIS) : "[]", 0, NULL);
    size_t k;
    json_t *v;
    json_array_foreach(a, k, v)
    {
        int code = int_or(json_string_value(v), 1000, 99999, 0);
        if (code && s->n_wish_munis < MATCH_MAX_MUNI)
            munis[s->n_wish_munis++] = code;
    }
    json_decref(a);
    s->wish_munis = munis;
    s->wish_emp = (unsigned)code_bits(db_text(r, i, S_EMP), EMPLOYMENT_FORMS);
    s->wish_shift = (unsigned)code_bits(db_text(r, i, S_SHIFT), SHIFT_CODES);
    s->max_nights = int_or(db_text(r, i, S_NIGHTS), 0, 31, -1);
    s->wage_type = wage_type(db_text(r, i, S_WTYPE));
    s->wage_min = db_int(r, i, S_WAGE);
    if (s->wage_min <= 0)
        s->wage_type = MATCH_WAGE_NONE;
    s->wish_ftypes = code_bits(db_text(r, i, S_FTYPES), FACILITY_TYPES);
    s->wish_depts = (uint32_t)code_bits(db_text(r, i, S_DEPTS), DEPARTMENT_CODES);
    s->childcare = db_int(r, i, S_CHILDCARE) != 0;
    s->name = db_text(r, i, S_NAME);
    s->name_kana = db_text(r, i, S_KANA);
}

static unsigned licence_bit(const char *type)
{
    int k = code_index(LICENCE_CODES, type);
    return k < 0 ? 0 : 1u << k;
}

static int load_seekers(db *d)
{
    db_res *r = NULL, *l = NULL;
    if (db_query(d, SEEKER_COLS " ORDER BY s.user_id", NULL, 0, &r) != DB_OK)
        return -1;
    if (db_query(d,
                 "SELECT l.user_id, l.type FROM licences l JOIN seekers s ON s.user_id = "
                 "l.user_id ORDER BY l.user_id",
                 NULL, 0, &l) != DB_OK) {
        db_res_free(r);
        return -1;
    }
    int rc = 0, j = 0;
    int munis[MATCH_MAX_MUNI];
    for (int i = 0; i < r->nrows && rc == 0; i++) { /* merge join on user_id */
        int64_t id = db_int(r, i, S_ID);
        unsigned lic = 0;
        while (j < l->nrows && db_int(l, j, 0) < id)
            j++;
        for (; j < l->nrows && db_int(l, j, 0) == id; j++)
            lic |= licence_bit(db_text(l, j, 1));
        match_seeker s;
        seeker_from_row(r, i, lic, &s, munis);
        if (s.updated_at > g_seeker_mark)
            g_seeker_mark = s.updated_at;
        int mrc = match_seeker_put(g_ms, &s);
        if (mrc == MATCH_ENOMEM)
            rc = -1;
        else if (mrc != MATCH_OK)
            log_warn("matcher: seeker %lld not kept", (long long)s.id);
    }
    db_res_free(r);
    db_res_free(l);
    return rc;
}

int match_feed_seeker(db *d, int64_t uid)
{
    if (!g_ms)
        return 0;
    pthread_mutex_lock(&g_seeker_lock);
    db_val p[] = {DBI(uid)};
    db_res *r = NULL, *l = NULL;
    int rc = -1;
    if (db_query(d, SEEKER_COLS " WHERE s.user_id = $1", p, 1, &r) == DB_OK &&
        db_query(d, "SELECT type FROM licences WHERE user_id = $1", p, 1, &l) == DB_OK) {
        rc = 0;
        if (r->nrows == 0) {
            match_seeker_remove(g_ms, uid); /* MATCH_ENOSEEKER: there was none */
        } else {
            unsigned lic = 0;
            for (int j = 0; j < l->nrows; j++)
                lic |= licence_bit(db_text(l, j, 0));
            match_seeker s;
            int munis[MATCH_MAX_MUNI];
            seeker_from_row(r, 0, lic, &s, munis);
            if (s.updated_at > g_seeker_mark)
                g_seeker_mark = s.updated_at;
            if (match_seeker_put(g_ms, &s) != MATCH_OK)
                log_warn("matcher: seeker %lld not kept", (long long)uid);
        }
    }
    db_res_free(r);
    db_res_free(l);
    pthread_mutex_unlock(&g_seeker_lock);
    return rc;
}

/* Seekers written by other processes: rows whose updated_at is within this many seconds of the
 * newest seen are compared with the matcher's copy (clocks of app servers may differ a little). */
#define SEEKER_WINDOW 120

int match_feed_catch_up(db *d)
{
    if (!g_ms)
        return 0;
    int64_t now = time_now();
    pthread_mutex_lock(&g_seeker_lock);
    bool due = now != g_last_poll;
    g_last_poll = now;
    int64_t from = g_seeker_mark - SEEKER_WINDOW;
    pthread_mutex_unlock(&g_seeker_lock);
    if (!due)
        return 0;
    db_val p[] = {DBI(from)};
    db_res *r = NULL;
    if (db_query(d, "SELECT user_id, updated_at FROM seekers WHERE updated_at >= $1", p, 1, &r) !=
        DB_OK)
        return -1;
    int rc = 0;
    for (int i = 0; i < r->nrows && rc == 0; i++)
        if (match_seeker_updated_at(g_ms, db_int(r, i, 0)) != db_int(r, i, 1))
            rc = match_feed_seeker(d, db_int(r, i, 0));
    db_res_free(r);
    return rc;
}

/* ---- life cycle --------------------------------------------------------------------------- */

int match_feed_init(db *d)
{
    match_feed_free();
    g_ms = match_new();
    if (!g_ms)
        return -1;
    /* the prefectural offices (migration 0008), as the search's distance order uses them */
    double lat[MATCH_NPREF + 1], lon[MATCH_NPREF + 1];
    for (int p = 0; p <= MATCH_NPREF; p++)
        lat[p] = lon[p] = NAN;
    db_res *r = NULL;
    if (db_query(d, "SELECT code, lat, lon FROM prefectures WHERE lat IS NOT NULL", NULL, 0, &r) !=
        DB_OK) {
        match_feed_free();
        return -1;
    }
    for (int i = 0; i < r->nrows; i++) {
        int p = int_or(db_text(r, i, 0), 1, MATCH_NPREF, 0);
        if (p) {
            lat[p] = strtod(db_text(r, i, 1), NULL);
            lon[p] = strtod(db_text(r, i, 2), NULL);
        }
    }
    db_res_free(r);
    match_set_points(g_ms, lat, lon);
    g_seeker_mark = 0;
    int64_t t0 = time_now_us();
    if (load_offers(d) != 0 || load_seekers(d) != 0) {
        log_error("matcher: loading failed: %s", db_errmsg(d));
        match_feed_free();
        return -1;
    }
    match_stats st;
    match_stats_get(g_ms, &st);
    log_info("matcher: %zu offers, %zu seekers, %.1f MB, %.2f s", st.offers, st.seekers,
             (double)st.mem_bytes / 1048576.0, (double)(time_now_us() - t0) / 1e6);
    return 0;
}

void match_feed_free(void)
{
    match_free(g_ms);
    g_ms = NULL;
}
