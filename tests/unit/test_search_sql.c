/* The search index against a straightforward SQL evaluation of the same queries, on a real
 * SQLite store: thousands of generated offers (through the store functions, as the API writes
 * them) and thousands of generated queries (1-3 terms of 1-4 characters incl. kana and width
 * variants, every filter, both sorts, several pages). The totals and the pages of ids must be
 * identical. The SQL side reads the offers' normalised text (offer_index_text, the text the
 * index holds) from a scratch table and matches each term with LIKE. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "search/offer_index.h"
#include "store/db.h"
#include "store/accounts.h"
#include "store/facilities.h"
#include "store/migrate.h"
#include "store/offers.h"
#include "util/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char g_dir[64];
static db *g_db;
static uint64_t g_rng = 42;

static uint64_t rnd(void)
{
    uint64_t z = (g_rng += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
static int pick(int n)
{
    return (int)(rnd() % (uint64_t)n);
}

static const char *const WORDS[] = {
    "夜勤",   "夜勤なし", "透析",       "訪問",   "東京",   "大阪",   "看護",   "ICU",  "ｶﾝｺﾞ",
    "かんご", "ブランク", "託児所",     "寮",     "残業",   "少なめ", "外来",   "病棟", "手術室",
    "健診",   "保育園",   "デイ",       "特養",   "日勤",   "二交代", "三交代", "当直", "Clinic",
    "ＩＣＵ", "車通勤可", "オンコール", "急性期", "回復期", "小児",   "産科"};
#define NWORDS (int)(sizeof WORDS / sizeof WORDS[0])
static const char *const PREFS[] = {"01", "13", "14", "27", "40"};
static const char *const MUNIS[] = {"01101", "13101", "14101", "27128", "40131"};
static const char *const FTYPES[] = {"hospital", "clinic", "visiting_nursing", "nursing_home"};
static const char *const EMPS[] = {"jokin", "hijokin", "rinji"};
static const char *const SHIFTS[] = {"two_shift", "three_shift", "day_only", "night_only",
                                     "on_call"};
static const char *const DEPS[] = {"internal", "surgery", "dialysis", "icu", "pediatrics"};

#define NOFFERS  2500
#define NQUERIES 3000

static void words(nbuf *b, int n)
{
    for (int i = 0; i < n; i++) {
        nbuf_puts(b, WORDS[pick(NWORDS)]);
        nbuf_puts(b, pick(3) ? "" : "　");
    }
}

static int setup(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/nccs-searchsql-XXXXXX";
    if (!mkdtemp(tmpl))
        return -1;
    snprintf(g_dir, sizeof g_dir, "%s", tmpl);
    char url[128], err[256];
    snprintf(url, sizeof url, "sqlite:%s/s.db", g_dir);
    if (db_open(url, &g_db, err, sizeof err) != DB_OK || migrate_run(g_db, NULL) != DB_OK)
        return -1;
    if (db_exec_script(g_db, "BEGIN") != DB_OK)
        return -1;
    int64_t fids[5 * 4];
    for (int p = 0; p < 5; p++)
        for (int t = 0; t < 4; t++) {
            char name[64];
            snprintf(name, sizeof name, "テスト%s施設%d", PREFS[p], t);
            if (store_facility_insert(g_db, name, "テストシセツ", PREFS[p], MUNIS[p], FTYPES[t],
                                      "03-0000-0000", 1700000000, &fids[p * 4 + t]) != DB_OK)
                return -1;
        }
    nbuf body, text;
    nbuf_init(&body, 65536);
    nbuf_init(&text, 4096);
    for (int i = 0; i < NOFFERS; i++) {
        int p = pick(5), t = pick(4), e = pick(3);
        unsigned shift = (unsigned)(1 + pick(31)), lic = (unsigned)(1 + pick(15));
        unsigned flags = (unsigned)(pick(4) ? pick(128) & pick(128) : 0);
        bool monthly = pick(3) != 0;
        int wage = monthly ? 200000 + pick(200) * 1000 : 1200 + pick(1300);
        body.len = 0;
        nbuf_puts(&body, "{\"title\":\"");
        text.len = 0;
        words(&text, 1 + pick(3));
        nbuf_puts(&body, text.data);
        nbuf_puts(&body, "\",\"duties\":{\"description\":\"");
        text.len = 0;
        words(&text, pick(6));
        nbuf_puts(&body, text.data ? text.data : "");
        nbuf_printf(&body, "\"},\"workplace\":{\"station\":\"%s駅\"},\"departments\":[\"%s\"]}",
                    WORDS[pick(NWORDS)], DEPS[pick(5)]);
        offer_cols c = {.title = "t",
                        .prefecture = PREFS[p],
                        .municipality = MUNIS[p],
                        .employment_form = EMPS[e],
                        .wage_type = monthly ? "monthly" : "hourly",
                        .licence_mask = lic,
                        .shift_mask = shift,
                        .flag_mask = flags,
                        .wage_min = wage,
                        .positions = 1};
        int64_t id;
        int64_t now = 1700000000 + pick(100000);
        if (store_offer_insert(g_db, fids[p * 4 + t], body.data, &c, 0, now, &id) != DB_OK)
            return -1;
        if (pick(10) &&
            store_offer_publish(g_db, id, PREFS[p], 2026, "2099-12-31", NULL, now) != DB_OK)
            return -1;
        (void)SHIFTS;
    }
    nbuf_free(&body);
    nbuf_free(&text);
    if (db_exec_script(g_db, "COMMIT") != DB_OK)
        return -1;
    if (offer_index_init(g_db) != 0)
        return -1;
    /* The scratch table of normalised texts for the SQL side. */
    if (db_exec_script(g_db, "CREATE TABLE t_norm (id INTEGER PRIMARY KEY, norm TEXT NOT NULL)") !=
        DB_OK)
        return -1;
    db_res *ids = NULL;
    if (db_query(g_db, "SELECT id FROM offers", NULL, 0, &ids) != DB_OK)
        return -1;
    for (int i = 0; i < ids->nrows; i++) {
        char *norm = NULL;
        int rc = offer_index_text(g_db, db_int(ids, i, 0), &norm);
        if (rc < 0)
            return -1;
        if (rc == 0) {
            db_val v[] = {DBI(db_int(ids, i, 0)), DBT(norm)};
            if (db_query(g_db, "INSERT INTO t_norm (id, norm) VALUES ($1, $2)", v, 2, NULL) !=
                DB_OK)
                return -1;
        }
        free(norm);
    }
    db_res_free(ids);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    offer_index_free();
    db_close(g_db);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", g_dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* LIKE pattern "%term%" with % _ \ escaped. */
static void like(char *out, size_t cap, const char *term)
{
    size_t n = 0;
    out[n++] = '%';
    for (const char *p = term; *p && n + 3 < cap; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            out[n++] = '\\';
        out[n++] = *p;
    }
    out[n++] = '%';
    out[n] = '\0';
}

#define SQL_WHERE                                                                                  \
    " FROM offers o JOIN facilities f ON f.id = o.facility_id JOIN t_norm t ON t.id = o.id "       \
    "WHERE o.status = 'published' "                                                                \
    "AND ($1 = 0 OR (($1 >> CAST(o.prefecture_code AS INTEGER)) & 1) = 1) "                        \
    "AND ($2 = 0 OR (o.licence_mask & $2) <> 0) "                                                  \
    "AND ($3 = '' OR o.employment_form = $3) "                                                     \
    "AND ($4 = 0 OR (o.shift_mask & $4) <> 0) "                                                    \
    "AND ($5 = '' OR f.facility_type = $5) "                                                       \
    "AND ($6 = 0 OR (o.flag_mask & $6) = $6) "                                                     \
    "AND ($7 = 0 OR (o.wage_type = 'monthly' AND o.wage_min >= $7)) "                              \
    "AND ($8 = '' OR o.municipality_code = $8) "                                                   \
    "AND ($9 = '' OR t.norm LIKE $9 ESCAPE '\\') AND ($10 = '' OR t.norm LIKE $10 ESCAPE '\\') "   \
    "AND ($11 = '' OR t.norm LIKE $11 ESCAPE '\\') "

static void test_index_equals_sql(void **state)
{
    (void)state;
    si_index *ix = offer_index();
    assert_non_null(ix);
    int mismatches = 0, nonempty = 0, short_terms = 0;
    si_result *res = malloc(sizeof *res);
    assert_non_null(res);
    for (int qi = 0; qi < NQUERIES; qi++) {
        si_query q;
        memset(&q, 0, sizeof q);
        char kw[256] = "";
        int nterms = pick(4);
        for (int k = 0; k < nterms; k++) {
            /* a whole word, or 1-2 characters cut from one */
            const char *w = WORDS[pick(NWORDS)];
            char piece[64];
            snprintf(piece, sizeof piece, "%s", w);
            if (pick(2)) {
                /* keep the first 1 or 2 characters (UTF-8 aware) */
                int keep = 1 + pick(2), cps = 0;
                size_t i = 0;
                while (piece[i]) {
                    if (((unsigned char)piece[i] & 0xC0) != 0x80 && cps++ == keep)
                        break;
                    i++;
                }
                piece[i] = '\0';
                short_terms++;
            }
            size_t used = strlen(kw);
            snprintf(kw + used, sizeof kw - used, "%s%s", k ? " " : "", piece);
        }
        q.q = kw;
        int64_t prefset = 0;
        if (pick(3) == 0)
            prefset = (int64_t)1 << (pick(2) ? 13 : 27);
        q.pref_set = (uint64_t)prefset;
        q.lic = pick(3) ? 0 : (unsigned)(1 + pick(15));
        int e = pick(4) ? -1 : pick(3);
        q.emp = e >= 0 ? 1u << e : 0;
        q.shift = pick(3) ? 0 : (unsigned)(1 + pick(31));
        int ft = pick(4) ? -1 : pick(4);
        /* the index numbers facility types in the order of the code list */
        static const int FTYPE_NO[] = {0, 1, 2,
                                       4}; /* hospital clinic visiting_nursing nursing_home */
        q.ftype_set = ft >= 0 ? (uint64_t)1 << FTYPE_NO[ft] : 0;
        q.flags = pick(4) ? 0 : 1u << pick(7);
        q.wage_monthly_min = pick(4) ? 0 : 200000 + pick(200) * 1000;
        int muni = -1;
        int mcode = 0;
        if (pick(6) == 0) {
            muni = pick(5);
            mcode = (int)strtol(MUNIS[muni], NULL, 10);
            q.muni = &mcode;
            q.nmuni = 1;
        }
        q.sort = pick(2) ? SI_SORT_NEWEST : SI_SORT_WAGE_MONTHLY;
        q.page = 1 + pick(3);
        q.per_page = 10 + pick(41);
        assert_int_equal(si_search(ix, &q, res), SI_OK);

        si_terms terms;
        assert_int_equal(si_parse_terms(kw, &terms), SI_OK);
        char pat[3][256] = {"", "", ""};
        for (int k = 0; k < terms.n && k < 3; k++)
            like(pat[k], sizeof pat[k], terms.buf + terms.off[k]);
        db_val p[] = {DBI(prefset),
                      DBI(q.lic),
                      DBT(e >= 0 ? EMPS[e] : ""),
                      DBI(q.shift),
                      DBT(ft >= 0 ? FTYPES[ft] : ""),
                      DBI(q.flags),
                      DBI(q.wage_monthly_min),
                      DBT(muni >= 0 ? MUNIS[muni] : ""),
                      DBT(pat[0]),
                      DBT(pat[1]),
                      DBT(pat[2]),
                      DBI(q.per_page),
                      DBI((int64_t)(q.page - 1) * q.per_page)};
        int64_t total = -1;
        assert_int_equal(db_scalar(g_db, "SELECT COUNT(*)" SQL_WHERE, p, 11, &total), DB_OK);
        db_res *rows = NULL;
        const char *sql =
            q.sort == SI_SORT_NEWEST
                ? "SELECT o.id" SQL_WHERE
                  "ORDER BY o.published_at DESC, o.id DESC LIMIT $12 OFFSET $13"
                : "SELECT o.id" SQL_WHERE
                  "ORDER BY CASE WHEN o.wage_type = 'monthly' THEN o.wage_min ELSE 0 END DESC, "
                  "o.published_at DESC, o.id DESC LIMIT $12 OFFSET $13";
        assert_int_equal(db_query(g_db, sql, p, 13, &rows), DB_OK);
        bool same = total == res->total && rows->nrows == res->n;
        for (int i = 0; same && i < rows->nrows; i++)
            same = db_int(rows, i, 0) == res->ids[i];
        if (!same && mismatches++ < 5)
            print_error("query %d \"%s\": index total %lld page %d, SQL total %lld page %d\n", qi,
                        kw, (long long)res->total, res->n, (long long)total, rows->nrows);
        if (total > 0)
            nonempty++;
        db_res_free(rows);
    }
    free(res);
    assert_int_equal(mismatches, 0);
    /* The generated queries are not trivial: most find something, many use short terms. */
    assert_true(nonempty > NQUERIES / 3);
    assert_true(short_terms > NQUERIES / 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_index_equals_sql)};
    return cmocka_run_group_tests(tests, setup, teardown);
}
