/* Search benchmark on the national data (`nccs seed --scale national` in a SQLite file).
 *
 * 1. In-process: builds the real index the way the server does (offer_index_init on the
 *    database), reports build time, index memory (si_stats) and si_rebuild time, and runs a fixed
 *    mix of 1,000 queries (about half with one 1-2 character keyword, a quarter with longer or
 *    several terms, a quarter without keyword; 0-4 filters; facets always) twice: cold term
 *    cache, then warm. Reports p50/p95/p99.
 * 2. Writes the same queries as GET /api/v1/offers URLs (one per line, with the expected total
 *    after a tab) for the HTTP benchmark (wrk) in run.sh.
 * 3. The same queries evaluated by SQL engines, on the same documents (the index's searchable
 *    text, normalised the same way, so the results are comparable and checked):
 *    - SQLite (in a scratch database file): an FTS5 trigram table for terms of 3+ characters
 *      plus LIKE for shorter ones;
 *    - PostgreSQL (optional, --pg URL; the database needs a UTF-8 LC_CTYPE so that pg_trgm
 *      extracts trigrams from Japanese): a pg_trgm GIN index and ILIKE '%term%' for every term.
 *    Each SQL answer is what the API answers: the page (sorted), the total and every facet.
 *    The keyword part is evaluated once per query into a temporary table of matching ids; the
 *    filters, page, total and the facets (each dimension with its own filter left out) are then
 *    seven statements over a narrow table of the facet columns. Totals and page ids are
 *    compared with the index's answers.
 *
 * Usage: bench_national --db sqlite:NATIONAL.db [--scratch sqlite:SCRATCH.db] [--pg URL]
 *                       [--urls FILE] [--queries N] [--sql-queries N]
 * All generation is deterministic. */
#include "search/index.h"
#include "search/offer_index.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/str.h"

#include <jansson.h>
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t rng_state = 0x243F6A8885A308D3ULL;
static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}
static unsigned rn(unsigned n)
{
    return (unsigned)(rnd() % n);
}
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define PICK(a)  ((a)[rn((unsigned)NELEM(a))])

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void die(const char *what, db *d)
{
    fprintf(stderr, "bench_national: %s%s%s\n", what, d ? ": " : "", d ? db_errmsg(d) : "");
    exit(1);
}

/* ---- The query mix ----------------------------------------------------------------------- */

static const char *const SHORT_KW[] = {
    "夜勤", "透析", "訪問", "日勤",   "外来", "病棟", "内科", "外科", "小児", "寮",   "駅",
    "急募", "託児", "手術", "眼科",   "精神", "横浜", "札幌", "福岡", "看",   "産",   "緩和",
    "icu",  "新宿", "療養", "健診",   "保育", "離島", "残業", "車",   "特養", "老健", "大阪",
    "東京", "京都", "ｵﾝ",   "パート", "常勤", "へき", "室",   "夜",   "ケア"};
static const char *const LONG_KW[] = {
    "看護師",      "クリニック",   "訪問看護",     "総合病院",  "ブランク可", "託児所",
    "日勤のみ",    "夜勤なし",     "手術室",       "介護老人",  "循環器",     "ICU",
    "整形外科",    "残業少なめ",   "かんごし",     "ｸﾘﾆｯｸ",     "オンコール", "プリセプター",
    "車通勤可",    "東京 夜勤",    "大阪 透析",    "訪問 ｶﾝｺﾞ", "ＩＣＵ",     "寮 看護師",
    "夜勤専従",    "デイサービス", "保育園",       "千代田区",  "横浜市",     "透析 ブランク",
    "病棟 二交代", "特養 日勤",    "老健 夜勤なし"};

/* Facility type codes in the index's order (= the API's FACILITY_TYPES). */
static const char *const FTYPES[] = {
    "hospital",   "clinic",    "visiting_nursing", "geriatric_health", "nursing_home", "care_other",
    "disability", "midwifery", "public_health",    "school",           "company",      "education",
    "other"};
static const int FTYPES_USED[] = {0, 1, 2, 3, 4, 5, 9, 12};
static const char *const LICS[] = {"hokenshi", "josanshi", "kangoshi", "junkangoshi"};
static const char *const EMPS[] = {"jokin", "hijokin", "rinji"};
static const char *const SHIFTS[] = {"two_shift", "three_shift", "day_only", "night_only",
                                     "on_call"};
static const char *const FLAGS[] = {"rito",     "hekichi", "hisaichi", "takuji",
                                    "blank_ok", "ryo",     "kyubo"};
/* Prefecture weights (population, 10,000s) for the prefecture filters. */
static const int POP[48] = {0,   522,  124, 121, 230, 96,  107, 183, 287, 193, 194, 734,
                            628, 1405, 924, 220, 103, 113, 77,  81,  205, 198, 363, 754,
                            177, 141,  258, 884, 547, 132, 92,  55,  67,  189, 280, 134,
                            72,  95,   133, 69,  514, 81,  131, 174, 112, 107, 159, 147};

static int pick_pref(void)
{
    int total = 0;
    for (int p = 1; p <= 47; p++)
        total += POP[p];
    int r = (int)rn((unsigned)total);
    for (int p = 1; p <= 47; p++)
        if ((r -= POP[p]) < 0)
            return p;
    return 13;
}

typedef struct {
    char q[128];
    si_query qu;
    int muni[3];
    char url[1024];
    int64_t total; /* the index's answer */
    int64_t ids[SI_MAX_PER_PAGE];
    int n;
} bquery;

/* Municipality codes with published offers, per prefecture. */
static int *g_munis[48], g_nmunis[48];

static void load_munis(db *d)
{
    db_res *r = NULL;
    if (db_query(d,
                 "SELECT DISTINCT municipality_code FROM offers WHERE status = 'published' "
                 "AND municipality_code IS NOT NULL ORDER BY 1",
                 NULL, 0, &r) != DB_OK)
        die("municipalities", d);
    for (int p = 0; p < 48; p++)
        g_munis[p] = calloc((size_t)r->nrows + 1, sizeof(int));
    for (int i = 0; i < r->nrows; i++) {
        int64_t code;
        if (str_to_i64(db_text(r, i, 0), 1000, 99999, &code) != 0)
            continue;
        int p = (int)(code / 1000);
        g_munis[p][g_nmunis[p]++] = (int)code;
    }
    db_res_free(r);
}

/* Appends s to b, percent-encoded for a query string. */
static void url_escape(nbuf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.')
            nbuf_printf(b, "%c", *p);
        else
            nbuf_printf(b, "%%%02X", *p);
    }
}

static void url_codes(nbuf *b, const char *name, uint64_t bits, const char *const *codes, int n,
                      int offset)
{
    if (!bits)
        return;
    nbuf_printf(b, "&%s=", name);
    int first = 1;
    for (int i = 0; i < n; i++)
        if (bits & ((uint64_t)1 << (i + offset))) {
            nbuf_printf(b, "%s%s", first ? "" : ",", codes[i]);
            first = 0;
        }
}

static void gen_query(bquery *b)
{
    memset(b, 0, sizeof *b);
    unsigned r = rn(100);
    if (r < 50)
        snprintf(b->q, sizeof b->q, "%s", PICK(SHORT_KW));
    else if (r < 75)
        snprintf(b->q, sizeof b->q, "%s", PICK(LONG_KW));
    b->qu.q = b->q[0] ? b->q : NULL;
    int nf = (int)rn(5);
    for (int i = 0; i < nf; i++) {
        switch (rn(9)) {
        case 0:
        case 1: {
            int np = 1 + (int)rn(2);
            for (int k = 0; k < np; k++)
                b->qu.pref_set |= 1ULL << pick_pref();
            break;
        }
        case 2:
            b->qu.lic = 1u << rn(4);
            break;
        case 3:
            b->qu.emp = 1u << rn(3);
            break;
        case 4:
            b->qu.shift = (1u << rn(5)) | (1u << rn(5));
            break;
        case 5:
            b->qu.ftype_set = (1ULL << PICK(FTYPES_USED)) | (1ULL << PICK(FTYPES_USED));
            break;
        case 6:
            b->qu.flags = 1u << rn(7);
            break;
        case 7:
            if (rn(2))
                b->qu.wage_monthly_min = 250000 + 10000 * (int64_t)rn(10);
            else
                b->qu.wage_hourly_min = 1500 + 100 * (int64_t)rn(5);
            break;
        default: {
            int p = pick_pref();
            if (!g_nmunis[p])
                break;
            b->qu.nmuni = 1 + (int)rn(3);
            for (int k = 0; k < b->qu.nmuni; k++)
                b->muni[k] = g_munis[p][rn((unsigned)g_nmunis[p])];
            b->qu.muni = b->muni;
            break;
        }
        }
    }
    unsigned s = rn(100);
    b->qu.sort = s < 70 ? SI_SORT_NEWEST : s < 85 ? SI_SORT_WAGE_MONTHLY : SI_SORT_WAGE_HOURLY;
    b->qu.page = rn(10) < 8 ? 1 : 2 + (int)rn(4);
    b->qu.per_page = rn(10) < 8 ? 20 : 50;

    nbuf u;
    nbuf_init(&u, sizeof b->url - 1);
    nbuf_puts(&u, "/api/v1/offers?sort=");
    nbuf_puts(&u, b->qu.sort == SI_SORT_NEWEST         ? "newest"
                  : b->qu.sort == SI_SORT_WAGE_MONTHLY ? "wage_monthly"
                                                       : "wage_hourly");
    nbuf_printf(&u, "&page=%d&per_page=%d", b->qu.page, b->qu.per_page);
    if (b->q[0]) {
        nbuf_puts(&u, "&q=");
        url_escape(&u, b->q);
    }
    if (b->qu.pref_set) {
        nbuf_puts(&u, "&prefecture=");
        int first = 1;
        for (int p = 1; p <= 47; p++)
            if (b->qu.pref_set & (1ULL << p)) {
                nbuf_printf(&u, "%s%02d", first ? "" : ",", p);
                first = 0;
            }
    }
    for (int k = 0; k < b->qu.nmuni; k++)
        nbuf_printf(&u, "%s%05d", k ? "," : "&municipality=", b->muni[k]);
    url_codes(&u, "licence", b->qu.lic, LICS, 4, 0);
    url_codes(&u, "employment_form", b->qu.emp, EMPS, 3, 0);
    url_codes(&u, "shift", b->qu.shift, SHIFTS, 5, 0);
    url_codes(&u, "facility_type", b->qu.ftype_set, FTYPES, 13, 0);
    url_codes(&u, "flags", b->qu.flags, FLAGS, 7, 0);
    if (b->qu.wage_monthly_min)
        nbuf_printf(&u, "&wage_monthly_min=%lld", (long long)b->qu.wage_monthly_min);
    if (b->qu.wage_hourly_min)
        nbuf_printf(&u, "&wage_hourly_min=%lld", (long long)b->qu.wage_hourly_min);
    str_copy(b->url, sizeof b->url, u.data ? u.data : "");
    nbuf_free(&u);
}

/* ---- Statistics -------------------------------------------------------------------------- */

static int dcmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double pct(const double *sorted, int n, double p)
{
    int i = (int)ceil(p / 100.0 * n) - 1;
    return sorted[i < 0 ? 0 : i >= n ? n - 1 : i];
}

typedef struct {
    double p50, p95, p99, max, mean;
} lat_stats;

static lat_stats summarise(const char *name, const double *lat, int n)
{
    double *s = malloc((size_t)n * sizeof *s);
    if (!s)
        die("out of memory", NULL);
    memcpy(s, lat, (size_t)n * sizeof *s);
    qsort(s, (size_t)n, sizeof *s, dcmp);
    lat_stats st = {pct(s, n, 50), pct(s, n, 95), pct(s, n, 99), s[n - 1], 0};
    for (int i = 0; i < n; i++)
        st.mean += s[i];
    st.mean /= n;
    free(s);
    printf("  %-34s p50 %8.3f ms  p95 %8.3f ms  p99 %8.3f ms  max %8.3f ms  mean %8.3f ms\n", name,
           st.p50, st.p95, st.p99, st.max, st.mean);
    return st;
}

/* ---- Documents (the index's searchable text, rebuilt the way offer_index.c does) ---------- */

typedef struct {
    int64_t id, wm, wh, pub;
    int pref, muni, ftype;
    unsigned lic, emp, shift, flags;
    char *text; /* normalised (si_normalize) */
} bdoc;

static const char *const SHIFT_CODES[] = {"two_shift", "three_shift", "day_only", "night_only",
                                          "on_call"};

static void add_line(nbuf *b, const char *s)
{
    if (s && *s) {
        nbuf_puts(b, s);
        nbuf_puts(b, "\n");
    }
}

static int index_of(const char *const *list, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(list[i], s))
            return i;
    return -1;
}

static bdoc *load_docs(db *d, int *ndocs)
{
    db_res *r = NULL;
    if (db_query(d,
                 "SELECT o.id, o.prefecture_code, COALESCE(o.municipality_code, ''), "
                 "o.licence_mask, COALESCE(o.employment_form, ''), o.shift_mask, "
                 "f.facility_type, o.flag_mask, COALESCE(o.wage_type, ''), "
                 "COALESCE(o.wage_min, 0), COALESCE(o.published_at, 0), o.body, f.name, "
                 "COALESCE(m.name, '') FROM offers o JOIN facilities f ON f.id = o.facility_id "
                 "LEFT JOIN municipalities m ON m.code = o.municipality_code "
                 "WHERE o.status = 'published' ORDER BY o.id",
                 NULL, 0, &r) != DB_OK)
        die("reading offers", d);
    bdoc *docs = calloc((size_t)r->nrows + 1, sizeof *docs);
    if (!docs)
        die("out of memory", NULL);
    nbuf b;
    nbuf_init(&b, SI_MAX_TEXT_BYTES - 1);
    for (int i = 0; i < r->nrows; i++) {
        bdoc *x = &docs[i];
        int64_t v;
        x->id = db_int(r, i, 0);
        x->pref = str_to_i64(db_text(r, i, 1), 1, 47, &v) == 0 ? (int)v : 0;
        x->muni = str_to_i64(db_text(r, i, 2), 0, 99999, &v) == 0 ? (int)v : 0;
        x->lic = (unsigned)db_int(r, i, 3);
        int e = index_of(EMPS, 3, db_text(r, i, 4));
        x->emp = e >= 0 ? 1u << e : 0;
        x->shift = (unsigned)db_int(r, i, 5);
        int ft = index_of(FTYPES, 13, db_text(r, i, 6));
        x->ftype = ft >= 0 ? ft : 0;
        x->flags = (unsigned)db_int(r, i, 7);
        if (!strcmp(db_text(r, i, 8), "monthly"))
            x->wm = db_int(r, i, 9);
        else if (!strcmp(db_text(r, i, 8), "hourly"))
            x->wh = db_int(r, i, 9);
        x->pub = db_int(r, i, 10);
        b.len = 0;
        json_error_t jerr;
        json_t *body = json_loads(db_text(r, i, 11), 0, &jerr);
        add_line(&b, json_string_value(json_object_get(body, "title")));
        add_line(&b, db_text(r, i, 12));
        add_line(&b, db_text(r, i, 13));
        json_t *du = json_object_get(body, "duties"), *wp = json_object_get(body, "workplace");
        add_line(&b, json_string_value(json_object_get(du, "description")));
        add_line(&b, json_string_value(json_object_get(body, "pr")));
        add_line(&b, json_string_value(json_object_get(wp, "station")));
        add_line(&b, json_string_value(json_object_get(wp, "address")));
        size_t k;
        json_t *c;
        json_array_foreach(json_object_get(body, "departments"), k, c)
            add_line(&b, offer_index_code_name("departments", json_string_value(c)));
        for (int s = 0; s < 5; s++)
            if (x->shift & (1u << s))
                add_line(&b, offer_index_code_name("shift_patterns", SHIFT_CODES[s]));
        for (int l = 0; l < 4; l++)
            if (x->lic & (1u << l))
                add_line(&b, offer_index_code_name("licence_types", LICS[l]));
        add_line(&b, offer_index_code_name("employment_forms", db_text(r, i, 4)));
        add_line(&b, offer_index_code_name("facility_types", db_text(r, i, 6)));
        json_decref(body);
        x->text = si_normalize(b.data ? b.data : "", NULL);
        if (!x->text)
            x->text = strdup("");
    }
    nbuf_free(&b);
    *ndocs = r->nrows;
    db_res_free(r);
    return docs;
}

/* ---- SQL evaluation ---------------------------------------------------------------------- */

typedef enum { ENG_SQLITE, ENG_PG } engine;

static void exec_or_die(db *d, const char *sql)
{
    if (db_exec_script(d, sql) != DB_OK)
        die(sql, d);
}

/* Loads the documents into bst (facet columns) and btxt (normalised text) and builds the
 * engine's text index. */
static void sql_load(db *d, engine eng, const bdoc *docs, int n)
{
    if (eng == ENG_SQLITE)
        exec_or_die(d, "DROP TABLE IF EXISTS bfts;");
    exec_or_die(d, "DROP TABLE IF EXISTS bst; DROP TABLE IF EXISTS btxt;"
                   "CREATE TABLE bst (id BIGINT PRIMARY KEY, pref INTEGER, muni INTEGER, "
                   "lic INTEGER, emp INTEGER, shift INTEGER, ftype INTEGER, flags INTEGER, "
                   "wm BIGINT, wh BIGINT, pub BIGINT);"
                   "CREATE TABLE btxt (id BIGINT PRIMARY KEY, txt TEXT NOT NULL);");
    exec_or_die(d, "BEGIN");
    enum { ROWS = 10 }; /* 11 parameters a row; PostgreSQL's backend binds at most 128 */
    static char ins_st[4096], ins_tx[1024];
    nbuf a, t;
    nbuf_init(&a, sizeof ins_st - 1);
    nbuf_init(&t, sizeof ins_tx - 1);
    nbuf_puts(&a, "INSERT INTO bst VALUES ");
    nbuf_puts(&t, "INSERT INTO btxt VALUES ");
    for (int k = 0; k < ROWS; k++) {
        int o = k * 11;
        nbuf_printf(&a, "%s($%d,$%d,$%d,$%d,$%d,$%d,$%d,$%d,$%d,$%d,$%d)", k ? "," : "", o + 1,
                    o + 2, o + 3, o + 4, o + 5, o + 6, o + 7, o + 8, o + 9, o + 10, o + 11);
        nbuf_printf(&t, "%s($%d,$%d)", k ? "," : "", 2 * k + 1, 2 * k + 2);
    }
    str_copy(ins_st, sizeof ins_st, a.data);
    str_copy(ins_tx, sizeof ins_tx, t.data);
    nbuf_free(&a);
    nbuf_free(&t);
    for (int i = 0; i < n; i += ROWS) {
        db_val p[ROWS * 11], q[ROWS * 2];
        int m = n - i < ROWS ? n - i : ROWS;
        for (int k = 0; k < ROWS; k++) {
            const bdoc *x = &docs[i + (k < m ? k : 0)];
            /* a short last batch repeats its first row: ON CONFLICT would differ per engine,
             * so the padding rows are removed below instead */
            int64_t id = k < m ? x->id : -(int64_t)(i + k + 1);
            db_val *r = &p[k * 11];
            r[0] = DBI(id), r[1] = DBI(x->pref), r[2] = DBI(x->muni), r[3] = DBI(x->lic);
            r[4] = DBI(x->emp), r[5] = DBI(x->shift), r[6] = DBI(x->ftype), r[7] = DBI(x->flags),
            r[8] = DBI(x->wm), r[9] = DBI(x->wh), r[10] = DBI(x->pub);
            q[k * 2] = DBI(id), q[k * 2 + 1] = DBT(x->text);
        }
        if (db_query(d, ins_st, p, ROWS * 11, NULL) != DB_OK ||
            db_query(d, ins_tx, q, ROWS * 2, NULL) != DB_OK)
            die("loading documents", d);
    }
    exec_or_die(d, "DELETE FROM bst WHERE id < 0; DELETE FROM btxt WHERE id < 0; COMMIT");
    if (eng == ENG_SQLITE) {
        exec_or_die(d, "CREATE VIRTUAL TABLE bfts USING fts5(txt, content='btxt', "
                       "content_rowid='id', tokenize='trigram');"
                       "INSERT INTO bfts(bfts) VALUES ('rebuild');"
                       "CREATE INDEX bst_pub ON bst(pub); ANALYZE;"
                       "CREATE TEMP TABLE k (id INTEGER PRIMARY KEY);");
    } else {
        exec_or_die(d, "CREATE EXTENSION IF NOT EXISTS pg_trgm;"
                       "CREATE INDEX btxt_trgm ON btxt USING gin (txt gin_trgm_ops);"
                       "CREATE INDEX bst_pub ON bst(pub); ANALYZE bst; ANALYZE btxt;"
                       "CREATE TEMP TABLE k (id BIGINT PRIMARY KEY);");
    }
}

/* A WHERE clause under construction, with its parameters. */
typedef struct {
    nbuf sql;
    db_val p[128];
    int np;
    char strs[SI_MAX_TERMS][SI_MAX_NORM_CP * 4 + 8];
} clause;

static void cl_param(clause *c, db_val v)
{
    c->p[c->np++] = v;
    nbuf_printf(&c->sql, "$%d", c->np);
}

enum { DIM_PREF = 1, DIM_LIC = 2, DIM_EMP = 4, DIM_SHIFT = 8, DIM_FTYPE = 16 };

/* The filters of q except the dimensions in `skip`, as "AND ..." conditions on bst. */
static void cl_filters(clause *c, const si_query *q, unsigned skip)
{
    if (q->pref_set && !(skip & DIM_PREF)) {
        nbuf_puts(&c->sql, " AND pref IN (");
        int first = 1;
        for (int p = 1; p <= 47; p++)
            if (q->pref_set & (1ULL << p)) {
                if (!first)
                    nbuf_puts(&c->sql, ",");
                cl_param(c, DBI(p));
                first = 0;
            }
        nbuf_puts(&c->sql, ")");
    }
    if (q->nmuni) {
        nbuf_puts(&c->sql, " AND muni IN (");
        for (int k = 0; k < q->nmuni; k++) {
            if (k)
                nbuf_puts(&c->sql, ",");
            cl_param(c, DBI(q->muni[k]));
        }
        nbuf_puts(&c->sql, ")");
    }
    const struct {
        unsigned dim, bits;
        const char *col;
    } masks[] = {
        {DIM_LIC, q->lic, "lic"}, {DIM_EMP, q->emp, "emp"}, {DIM_SHIFT, q->shift, "shift"}};
    for (size_t i = 0; i < NELEM(masks); i++)
        if (masks[i].bits && !(skip & masks[i].dim)) {
            nbuf_printf(&c->sql, " AND (%s & ", masks[i].col);
            cl_param(c, DBI(masks[i].bits));
            nbuf_puts(&c->sql, ") <> 0");
        }
    if (q->ftype_set && !(skip & DIM_FTYPE)) {
        nbuf_puts(&c->sql, " AND ftype IN (");
        int first = 1;
        for (int t = 0; t < 64; t++)
            if (q->ftype_set & (1ULL << t)) {
                if (!first)
                    nbuf_puts(&c->sql, ",");
                cl_param(c, DBI(t));
                first = 0;
            }
        nbuf_puts(&c->sql, ")");
    }
    if (q->flags) {
        nbuf_puts(&c->sql, " AND (flags & ");
        cl_param(c, DBI(q->flags));
        nbuf_puts(&c->sql, ") = ");
        cl_param(c, DBI(q->flags));
    }
    if (q->wage_monthly_min) {
        nbuf_puts(&c->sql, " AND wm >= ");
        cl_param(c, DBI(q->wage_monthly_min));
    }
    if (q->wage_hourly_min) {
        nbuf_puts(&c->sql, " AND wh >= ");
        cl_param(c, DBI(q->wage_hourly_min));
    }
}

/* Runs one query through the SQL engine; returns the total and fills the page ids. */
static int64_t sql_search(db *d, engine eng, const bquery *b, int64_t *ids, int *n, double *page_ms)
{
    si_terms t;
    if (si_parse_terms(b->qu.q, &t) != SI_OK)
        die("query terms", NULL);
    clause c;
    memset(&c, 0, sizeof c);
    bool kw = t.n > 0;
    double t0 = now_ms();
    if (kw) {
        /* the keyword part, once: matching ids into the temporary table k */
        nbuf_init(&c.sql, 8192);
        if (db_query(d, "DELETE FROM k", NULL, 0, NULL) != DB_OK)
            die("delete k", d);
        nbuf_puts(&c.sql, "INSERT INTO k SELECT id FROM btxt WHERE 1 = 1");
        for (int i = 0; i < t.n; i++) {
            const char *term = t.buf + t.off[i];
            char *s = c.strs[i];
            size_t o = 0;
            bool fts = eng == ENG_SQLITE && t.ncp[i] >= 3;
            if (fts) { /* an FTS5 phrase: "term" with quotes doubled */
                s[o++] = '"';
                for (const char *p = term; *p; p++) {
                    if (*p == '"')
                        s[o++] = '"';
                    s[o++] = *p;
                }
                s[o++] = '"';
                s[o] = '\0';
                nbuf_puts(&c.sql, " AND id IN (SELECT rowid FROM bfts WHERE bfts MATCH ");
                cl_param(&c, DBT(s));
                nbuf_puts(&c.sql, ")");
            } else { /* %term% with LIKE's wildcards escaped */
                s[o++] = '%';
                for (const char *p = term; *p; p++) {
                    if (*p == '%' || *p == '_' || *p == '\\')
                        s[o++] = '\\';
                    s[o++] = *p;
                }
                s[o++] = '%';
                s[o] = '\0';
                nbuf_puts(&c.sql, eng == ENG_SQLITE ? " AND txt LIKE " : " AND txt ILIKE ");
                cl_param(&c, DBT(s));
                nbuf_puts(&c.sql, " ESCAPE '\\'");
            }
        }
        if (db_query_uncached(d, c.sql.data, c.p, c.np, NULL) != DB_OK)
            die(c.sql.data, d);
        nbuf_free(&c.sql);
    }
    const char *from =
        kw ? " FROM bst JOIN k ON k.id = bst.id WHERE 1 = 1" : " FROM bst WHERE 1 = 1";

    /* the page */
    memset(&c, 0, sizeof c);
    nbuf_init(&c.sql, 8192);
    nbuf_printf(&c.sql, "SELECT bst.id%s", from);
    cl_filters(&c, &b->qu, 0);
    nbuf_puts(&c.sql, b->qu.sort == SI_SORT_NEWEST ? " ORDER BY pub DESC, bst.id DESC"
                      : b->qu.sort == SI_SORT_WAGE_MONTHLY
                          ? " ORDER BY wm DESC, pub DESC, bst.id DESC"
                          : " ORDER BY wh DESC, pub DESC, bst.id DESC");
    nbuf_puts(&c.sql, " LIMIT ");
    cl_param(&c, DBI(b->qu.per_page));
    nbuf_puts(&c.sql, " OFFSET ");
    cl_param(&c, DBI((int64_t)(b->qu.page - 1) * b->qu.per_page));
    db_res *r = NULL;
    if (db_query_uncached(d, c.sql.data, c.p, c.np, &r) != DB_OK)
        die(c.sql.data, d);
    *n = r->nrows;
    for (int i = 0; i < r->nrows && i < SI_MAX_PER_PAGE; i++)
        ids[i] = db_int(r, i, 0);
    db_res_free(r);
    nbuf_free(&c.sql);

    /* total and flag counts */
    memset(&c, 0, sizeof c);
    nbuf_init(&c.sql, 8192);
    nbuf_puts(&c.sql, "SELECT COUNT(*)");
    for (int f = 0; f < SI_NFLAG; f++)
        nbuf_printf(&c.sql, ", SUM(CASE WHEN (flags & %d) <> 0 THEN 1 ELSE 0 END)", 1 << f);
    nbuf_puts(&c.sql, from);
    cl_filters(&c, &b->qu, 0);
    if (db_query_uncached(d, c.sql.data, c.p, c.np, &r) != DB_OK)
        die(c.sql.data, d);
    int64_t total = db_int(r, 0, 0);
    db_res_free(r);
    nbuf_free(&c.sql);
    *page_ms = now_ms() - t0;

    /* the facets of the five filter dimensions, each without its own filter */
    static const struct {
        unsigned dim;
        const char *col;
        int bits; /* 0 = GROUP BY the column, else SUM per bit */
    } dims[] = {{DIM_PREF, "pref", 0},
                {DIM_LIC, "lic", 4},
                {DIM_EMP, "emp", 3},
                {DIM_SHIFT, "shift", 5},
                {DIM_FTYPE, "ftype", 0}};
    for (size_t k = 0; k < NELEM(dims); k++) {
        memset(&c, 0, sizeof c);
        nbuf_init(&c.sql, 8192);
        if (dims[k].bits) {
            nbuf_puts(&c.sql, "SELECT COUNT(*)");
            for (int bit = 0; bit < dims[k].bits; bit++)
                nbuf_printf(&c.sql, ", SUM(CASE WHEN (%s & %d) <> 0 THEN 1 ELSE 0 END)",
                            dims[k].col, 1 << bit);
        } else {
            nbuf_printf(&c.sql, "SELECT %s, COUNT(*)", dims[k].col);
        }
        nbuf_puts(&c.sql, from);
        cl_filters(&c, &b->qu, dims[k].dim);
        if (!dims[k].bits)
            nbuf_printf(&c.sql, " GROUP BY %s", dims[k].col);
        if (db_query_uncached(d, c.sql.data, c.p, c.np, &r) != DB_OK)
            die(c.sql.data, d);
        db_res_free(r);
        nbuf_free(&c.sql);
    }
    return total;
}

typedef struct {
    lat_stats full, page;
} eng_result;

static eng_result run_engine(const char *name, db *d, engine eng, const bdoc *docs, int ndocs,
                             bquery *qs, int nq)
{
    eng_result er;
    memset(&er, 0, sizeof er);
    printf("\n%s\n", name);
    double t0 = now_ms();
    sql_load(d, eng, docs, ndocs);
    printf("  load %d documents and build the text index: %.1f s\n", ndocs, (now_ms() - t0) / 1e3);
    double *lat = calloc((size_t)nq, sizeof *lat), *plat = calloc((size_t)nq, sizeof *plat);
    if (!lat || !plat)
        die("out of memory", NULL);
    int bad_total = 0, bad_page = 0;
    int64_t ids[SI_MAX_PER_PAGE];
    int n;
    for (int i = 0; i < nq && i < 20; i++) /* warm-up, not measured */
        sql_search(d, eng, &qs[i], ids, &n, &plat[i]);
    t0 = now_ms();
    for (int i = 0; i < nq; i++) {
        double q0 = now_ms();
        int64_t total = sql_search(d, eng, &qs[i], ids, &n, &plat[i]);
        lat[i] = now_ms() - q0;
        if (total != qs[i].total)
            bad_total++;
        else if (n != qs[i].n || memcmp(ids, qs[i].ids, (size_t)n * sizeof ids[0]) != 0)
            bad_page++;
    }
    printf("  %d queries in %.1f s; answers differing from the index: %d totals, %d pages\n", nq,
           (now_ms() - t0) / 1e3, bad_total, bad_page);
    er.full = summarise("page + total + all facets", lat, nq);
    er.page = summarise("page + total only (no facets)", plat, nq);
    free(lat);
    free(plat);
    return er;
}

/* ---- Main -------------------------------------------------------------------------------- */

int main(int argc, char **argv)
{
    const char *url = NULL, *scratch = NULL, *pg = NULL, *urls = NULL;
    int nq = 1000, nsql = -1;
    for (int i = 1; i + 1 < argc; i += 2) {
        int64_t v;
        if (!strcmp(argv[i], "--db"))
            url = argv[i + 1];
        else if (!strcmp(argv[i], "--scratch"))
            scratch = argv[i + 1];
        else if (!strcmp(argv[i], "--pg"))
            pg = argv[i + 1];
        else if (!strcmp(argv[i], "--urls"))
            urls = argv[i + 1];
        else if (!strcmp(argv[i], "--queries") && str_to_i64(argv[i + 1], 1, 100000, &v) == 0)
            nq = (int)v;
        else if (!strcmp(argv[i], "--sql-queries") && str_to_i64(argv[i + 1], 0, 100000, &v) == 0)
            nsql = (int)v;
        else {
            fprintf(stderr, "usage: bench_national --db URL [--scratch URL] [--pg URL] "
                            "[--urls FILE] [--queries N] [--sql-queries N]\n");
            return 2;
        }
    }
    if (!url) {
        fprintf(stderr, "bench_national: --db is required\n");
        return 2;
    }
    if (nsql < 0 || nsql > nq)
        nsql = nq;
    char err[256];
    db *d = NULL;
    if (db_open(url, &d, err, sizeof err) != DB_OK) {
        fprintf(stderr, "bench_national: %s\n", err);
        return 1;
    }

    /* 1. the index, built as the server builds it at start */
    printf("In-process: the server's index (offer_index_init on %s)\n", url);
    struct mallinfo2 m0 = mallinfo2();
    double t0 = now_ms();
    if (offer_index_init(d) != 0)
        die("offer_index_init", d);
    double init_ms = now_ms() - t0;
    struct mallinfo2 m1 = mallinfo2();
    si_index *ix = offer_index();
    si_stats st;
    si_stats_get(ix, &st);
    t0 = now_ms();
    if (si_rebuild(ix) != SI_OK)
        die("si_rebuild", NULL);
    double rebuild_ms = now_ms() - t0;
    printf("  start-up build (read offers from the store, build text, bulk load): %.2f s\n",
           init_ms / 1e3);
    printf("  si_rebuild (from the index's own documents): %.2f s\n", rebuild_ms / 1e3);
    printf("  index: %zu documents, %zu keys, si_stats %.1f MB; heap growth during the build "
           "%.1f MB\n",
           st.docs, st.keys, (double)st.mem_bytes / 1048576.0,
           (double)(m1.uordblks + m1.hblkhd - m0.uordblks - m0.hblkhd) / 1048576.0);

    load_munis(d);
    bquery *qs = calloc((size_t)nq, sizeof *qs);
    double *lat = calloc((size_t)nq, sizeof *lat);
    if (!qs || !lat)
        die("out of memory", NULL);
    for (int i = 0; i < nq; i++)
        gen_query(&qs[i]);
    int nshort = 0, nlong = 0, nnone = 0, nfilt[5] = {0};
    for (int i = 0; i < nq; i++) {
        si_terms t;
        si_parse_terms(qs[i].qu.q, &t);
        int mx = 0;
        for (int k = 0; k < t.n; k++)
            mx = t.ncp[k] > mx ? t.ncp[k] : mx;
        if (!t.n)
            nnone++;
        else if (t.n == 1 && mx <= 2)
            nshort++;
        else
            nlong++;
        const si_query *q = &qs[i].qu;
        int f = (q->pref_set != 0) + (q->nmuni != 0) + (q->lic != 0) + (q->emp != 0) +
                (q->shift != 0) + (q->ftype_set != 0) + (q->flags != 0) +
                (q->wage_monthly_min != 0) + (q->wage_hourly_min != 0);
        nfilt[f > 4 ? 4 : f]++;
    }
    printf("  query mix (%d): %d with one 1-2 character keyword, %d with longer or several "
           "terms, %d without keyword; filters 0/1/2/3/4: %d/%d/%d/%d/%d; facets always\n",
           nq, nshort, nlong, nnone, nfilt[0], nfilt[1], nfilt[2], nfilt[3], nfilt[4]);

    int64_t sum1 = 0, sum2 = 0;
    for (int pass = 1; pass <= 2; pass++) {
        for (int i = 0; i < nq; i++) {
            si_result r;
            double q0 = now_ms();
            int rc = si_search(ix, &qs[i].qu, &r);
            lat[i] = now_ms() - q0;
            if (rc != SI_OK) {
                fprintf(stderr, "query %d (%s): %s\n", i, qs[i].url, si_strerror(rc));
                return 1;
            }
            qs[i].total = r.total;
            qs[i].n = r.n;
            memcpy(qs[i].ids, r.ids, (size_t)r.n * sizeof r.ids[0]);
            *(pass == 1 ? &sum1 : &sum2) += r.total;
        }
        summarise(pass == 1 ? "pass 1 (cold term cache)" : "pass 2 (warm)", lat, nq);
        if (pass == 1 && getenv("BENCH_SLOWEST"))
            for (int i = 0; i < nq; i++)
                if (lat[i] > 1.0)
                    fprintf(stderr, "  slow %.2f ms q=%s total=%lld\n", lat[i],
                            qs[i].qu.q ? qs[i].qu.q : "", (long long)qs[i].total);
    }
    if (sum1 != sum2)
        die("passes disagree", NULL);
    lat_stats ours = summarise("ours, pass 2, SQL engines' queries", lat, nsql > 0 ? nsql : nq);

    if (urls) {
        FILE *f = fopen(urls, "w");
        if (!f)
            die("cannot write the URL file", NULL);
        for (int i = 0; i < nq; i++)
            fprintf(f, "%s\t%lld\n", qs[i].url, (long long)qs[i].total);
        fclose(f);
        printf("  wrote %d query URLs to %s\n", nq, urls);
    }
    if (!scratch && !pg) {
        offer_index_free();
        db_close(d);
        return 0;
    }

    int ndocs = 0;
    t0 = now_ms();
    bdoc *docs = load_docs(d, &ndocs);
    printf("\nSQL engines: %d documents (the index's normalised text, %.1f s to prepare), %d of "
           "the queries\n",
           ndocs, (now_ms() - t0) / 1e3, nsql);
    offer_index_free();
    db_close(d);

    eng_result es = {0}, ep = {0};
    bool have_s = false, have_p = false;
    if (scratch && nsql > 0) {
        db *s = NULL;
        if (db_open(scratch, &s, err, sizeof err) != DB_OK) {
            fprintf(stderr, "bench_national: %s\n", err);
            return 1;
        }
        es = run_engine("SQLite: FTS5 trigram (terms of 3+ characters) + LIKE (shorter terms)", s,
                        ENG_SQLITE, docs, ndocs, qs, nsql);
        have_s = true;
        db_close(s);
    }
    if (pg && nsql > 0) {
        db *p = NULL;
        if (db_open(pg, &p, err, sizeof err) != DB_OK) {
            fprintf(stderr, "bench_national: %s\n", err);
            return 1;
        }
        ep = run_engine("PostgreSQL: pg_trgm GIN index + ILIKE '%term%'", p, ENG_PG, docs, ndocs,
                        qs, nsql);
        have_p = true;
        db_close(p);
    }
    printf("\nRatios (engine / ours on the same %d queries; ours = in-process pass 2)\n", nsql);
    if (have_s)
        printf("  SQLite      p50 x%.0f  p95 x%.0f  p99 x%.0f   (page + total only: p50 x%.0f)\n",
               es.full.p50 / ours.p50, es.full.p95 / ours.p95, es.full.p99 / ours.p99,
               es.page.p50 / ours.p50);
    if (have_p)
        printf("  PostgreSQL  p50 x%.0f  p95 x%.0f  p99 x%.0f   (page + total only: p50 x%.0f)\n",
               ep.full.p50 / ours.p50, ep.full.p95 / ours.p95, ep.full.p99 / ours.p99,
               ep.page.p50 / ours.p50);
    for (int i = 0; i < ndocs; i++)
        free(docs[i].text);
    free(docs);
    free(qs);
    free(lat);
    return 0;
}
