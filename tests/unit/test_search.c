/* Unit tests for src/search/index: normalisation, an oracle comparison on thousands of random
 * queries (a naive linear evaluator written here), updates, limits and concurrency. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "search/index.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------------ deterministic PRNG */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t rnext(rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 0x2545F4914F6CDD1DULL;
}

static unsigned rbelow(rng *r, unsigned n)
{
    return (unsigned)(rnext(r) % n);
}

/* ------------------------------------------------------------------ generated documents */

/* Words with kana, width and case variants, so that queries in one form must find the other. */
static const char *WORDS[] = {
    "看護師",     "かんごし", "ｶﾝｺﾞｼ",     "カンゴシ",   "夜勤",     "日勤",       "透析",
    "東京",       "大阪",     "訪問",      "病棟",       "外来",     "クリニック", "ｸﾘﾆｯｸ",
    "くりにっく", "ICU",      "icu",       "Icu",        "ＩＣＵ",   "NICU",       "託児所あり",
    "ブランク可", "寮あり",   "急募",      "離島",       "へき地",   "内科",       "外科",
    "小児科",     "手術室",   "駅徒歩5分", "駅徒歩５分", "看",       "護",         "師",
    "の",         "が",       "です",      "。",         "、",       "Ns",         "ns",
    "東京都",     "大阪府",   "京都",      "透析室",     "訪問看護", "ﾎｳﾓﾝ",       "ほうもん",
    "夜勤専従",   "a",        "b",         "ab",         "ba",       "abc",        "ｱｲｳ",
    "あいう",     "アイウ",   "ー",        "〜"};
#define NWORDS (sizeof WORDS / sizeof WORDS[0])
static const char *SEPS[] = {"", "", "", " ", "　", "\n", "\t", " \n "};
#define NSEPS (sizeof SEPS / sizeof SEPS[0])

typedef struct odoc {
    si_doc d;
    char *text; /* owned raw text */
    char *norm; /* owned normalised text */
    bool live;
} odoc;

/* Fills od with a random document (id given); allocates its text. */
static void gen_doc(rng *r, odoc *od, int64_t id)
{
    char buf[2048];
    size_t len = 0;
    int nw = 1 + (int)rbelow(r, 25);
    for (int i = 0; i < nw; i++) {
        const char *w = WORDS[rbelow(r, NWORDS)];
        const char *s = SEPS[rbelow(r, NSEPS)];
        size_t a = strlen(w), b = strlen(s);
        if (len + a + b + 1 >= sizeof buf)
            break;
        memcpy(buf + len, w, a);
        len += a;
        memcpy(buf + len, s, b);
        len += b;
    }
    buf[len] = '\0';
    si_doc *d = &od->d;
    memset(d, 0, sizeof *d);
    d->id = id;
    d->pref = 1 + (int)rbelow(r, 6) * (rbelow(r, 10) < 8 ? 1 : 8); /* a few common ones */
    if (d->pref > 47)
        d->pref = 47;
    d->muni = d->pref * 1000 + 100 + (int)rbelow(r, 5);
    d->lic = rbelow(r, 16);
    d->emp = rbelow(r, 8);
    d->shift = rbelow(r, 32);
    d->ftype = (int)rbelow(r, 6) * (rbelow(r, 10) ? 1 : 10);
    d->flags = (unsigned)(rnext(r) & rnext(r) & ((1u << SI_NFLAG) - 1));
    d->wage_monthly = rbelow(r, 3) ? 200000 + 10000 * (int64_t)rbelow(r, 20) : 0;
    d->wage_hourly = rbelow(r, 2) ? 1000 + 100 * (int64_t)rbelow(r, 10) : 0;
    d->published_at = 1700000000 + (int64_t)rbelow(r, 50) * 3600; /* many ties */
    if (rbelow(r, 5)) {
        d->lat = 33.0 + (double)rbelow(r, 100) / 10.0;
        d->lon = 130.0 + (double)rbelow(r, 100) / 10.0;
    } else {
        d->lat = d->lon = NAN;
    }
    free(od->text);
    free(od->norm);
    od->text = strdup(buf);
    assert_non_null(od->text);
    d->text = od->text;
    od->norm = si_normalize(od->text, NULL);
    assert_non_null(od->norm);
    od->live = true;
}

/* ------------------------------------------------------------------ the oracle */

typedef struct oracle {
    odoc *docs;
    size_t n;
} oracle;

static bool has_bit(uint64_t set, int v)
{
    return (set >> v) & 1;
}

static bool in_muni(const si_query *q, int m)
{
    for (int i = 0; i < q->nmuni; i++)
        if (q->muni[i] == m)
            return true;
    return false;
}

typedef struct ohit {
    const odoc *od;
    int64_t a, b, c;
} ohit;

static int ohit_cmp(const void *x, const void *y)
{
    const ohit *p = x, *q = y;
    if (p->a != q->a)
        return p->a > q->a ? -1 : 1;
    if (p->b != q->b)
        return p->b > q->b ? -1 : 1;
    if (p->c != q->c)
        return p->c > q->c ? -1 : 1;
    return 0;
}

/* Naive evaluation of q: returns the SI_* code and fills *out. */
static int oracle_search(const oracle *o, const si_query *q, si_result *out)
{
    memset(out, 0, sizeof *out);
    si_terms t;
    int rc = si_parse_terms(q->q, &t);
    if (rc)
        return rc;
    int per_page = q->per_page <= 0 ? SI_DEFAULT_PER_PAGE : q->per_page;
    if (per_page > SI_MAX_PER_PAGE)
        per_page = SI_MAX_PER_PAGE;
    int page = q->page <= 0 ? 1 : q->page;
    if ((int64_t)page * per_page > SI_MAX_WINDOW)
        return SI_EPAGE;
    ohit *hits = calloc(o->n + 1, sizeof *hits);
    assert_non_null(hits);
    size_t nh = 0;
    double cos0 = cos(q->lat * (3.14159265358979323846 / 180.0));
    for (size_t i = 0; i < o->n; i++) {
        const odoc *od = &o->docs[i];
        const si_doc *d = &od->d;
        if (!od->live)
            continue;
        bool text = true;
        for (int k = 0; k < t.n && text; k++)
            text = strstr(od->norm, t.buf + t.off[k]) != NULL;
        bool always =
            text && (d->flags & q->flags) == q->flags && d->wage_monthly >= q->wage_monthly_min &&
            d->wage_hourly >= q->wage_hourly_min && (q->nmuni == 0 || in_muni(q, d->muni));
        if (!always)
            continue;
        bool ok[5] = {
            q->pref_set == 0 || has_bit(q->pref_set, d->pref),
            q->lic == 0 || (d->lic & q->lic),
            q->emp == 0 || (d->emp & q->emp),
            q->shift == 0 || (d->shift & q->shift),
            q->ftype_set == 0 || has_bit(q->ftype_set, d->ftype),
        };
        bool others[5];
        for (int k = 0; k < 5; k++) {
            others[k] = true;
            for (int j = 0; j < 5; j++)
                if (j != k && !ok[j])
                    others[k] = false;
        }
        if (others[0])
            out->facets.pref[d->pref]++;
        for (int b = 0; b < SI_NLIC; b++)
            if (others[1] && (d->lic >> b & 1))
                out->facets.lic[b]++;
        for (int b = 0; b < SI_NEMP; b++)
            if (others[2] && (d->emp >> b & 1))
                out->facets.emp[b]++;
        for (int b = 0; b < SI_NSHIFT; b++)
            if (others[3] && (d->shift >> b & 1))
                out->facets.shift[b]++;
        if (others[4])
            out->facets.ftype[d->ftype]++;
        if (!(ok[0] && others[0]))
            continue;
        out->total++;
        for (int b = 0; b < SI_NFLAG; b++)
            if (d->flags >> b & 1)
                out->facets.flag[b]++;
        ohit *h = &hits[nh++];
        h->od = od;
        switch (q->sort) {
        case SI_SORT_WAGE_MONTHLY:
            *h = (ohit){od, d->wage_monthly, d->published_at, d->id};
            break;
        case SI_SORT_WAGE_HOURLY:
            *h = (ohit){od, d->wage_hourly, d->published_at, d->id};
            break;
        case SI_SORT_DISTANCE: {
            int64_t a = INT64_MIN;
            if (!isnan(d->lat) && !isnan(d->lon)) {
                double k = si_distance_key(q->lat, q->lon, cos0, d->lat, d->lon);
                memcpy(&a, &k, sizeof a);
                a = -a;
            }
            *h = (ohit){od, a, d->published_at, d->id};
            break;
        }
        default:
            *h = (ohit){od, d->published_at, d->id, 0};
            break;
        }
    }
    qsort(hits, nh, sizeof *hits, ohit_cmp);
    for (size_t i = (size_t)(page - 1) * (size_t)per_page; i < nh && out->n < per_page; i++)
        out->ids[out->n++] = hits[i].od->d.id;
    out->page = page;
    out->per_page = per_page;
    free(hits);
    return SI_OK;
}

static void oracle_free(oracle *o)
{
    for (size_t i = 0; i < o->n; i++) {
        free(o->docs[i].text);
        free(o->docs[i].norm);
    }
    free(o->docs);
}

/* ------------------------------------------------------------------ random queries */

typedef struct rquery {
    si_query q;
    char kw[256];
    int muni[4];
} rquery;

/* Takes a random piece (1..6 code points) of a random word, in some width/kana form. */
static size_t piece(rng *r, char *out, size_t cap)
{
    const char *w = WORDS[rbelow(r, NWORDS)];
    /* code point boundaries */
    size_t cps[64], n = 0;
    for (size_t i = 0; w[i] && n < 63; i++)
        if (((unsigned char)w[i] & 0xC0) != 0x80)
            cps[n++] = i;
    cps[n] = strlen(w);
    size_t from = rbelow(r, (unsigned)n);
    size_t len = 1 + rbelow(r, 6);
    if (from + len > n)
        len = n - from;
    size_t bytes = cps[from + len] - cps[from];
    if (bytes + 1 > cap)
        return 0;
    memcpy(out, w + cps[from], bytes);
    out[bytes] = '\0';
    return bytes;
}

static void gen_query(rng *r, rquery *rq)
{
    memset(rq, 0, sizeof *rq);
    si_query *q = &rq->q;
    int nterms = (int)rbelow(r, 4);
    size_t len = 0;
    for (int i = 0; i < nterms; i++) {
        if (i) {
            const char *sep = rbelow(r, 2) ? " " : "　";
            memcpy(rq->kw + len, sep, strlen(sep));
            len += strlen(sep);
        }
        len += piece(r, rq->kw + len, sizeof rq->kw - len - 4);
    }
    rq->kw[len] = '\0';
    q->q = nterms ? rq->kw : NULL;
    if (rbelow(r, 3) == 0)
        q->pref_set = (1ULL << (1 + rbelow(r, 6))) | (rbelow(r, 2) ? 1ULL << 47 : 0);
    if (rbelow(r, 4) == 0) {
        q->nmuni = 1 + (int)rbelow(r, 3);
        for (int i = 0; i < q->nmuni; i++)
            rq->muni[i] = (1 + (int)rbelow(r, 6)) * 1000 + 100 + (int)rbelow(r, 5);
        q->muni = rq->muni;
    }
    if (rbelow(r, 3) == 0)
        q->lic = 1 + rbelow(r, 15);
    if (rbelow(r, 3) == 0)
        q->emp = 1 + rbelow(r, 7);
    if (rbelow(r, 3) == 0)
        q->shift = 1 + rbelow(r, 31);
    if (rbelow(r, 4) == 0)
        q->ftype_set = (1ULL << rbelow(r, 6)) | (rbelow(r, 2) ? 1ULL << 50 : 0);
    if (rbelow(r, 4) == 0)
        q->flags = 1u << rbelow(r, SI_NFLAG);
    if (rbelow(r, 5) == 0)
        q->wage_monthly_min = 200000 + 10000 * (int64_t)rbelow(r, 25);
    if (rbelow(r, 5) == 0)
        q->wage_hourly_min = 1000 + 100 * (int64_t)rbelow(r, 12);
    q->sort = (si_sort)rbelow(r, 4);
    q->lat = 33.0 + (double)rbelow(r, 100) / 10.0;
    q->lon = 130.0 + (double)rbelow(r, 100) / 10.0;
    q->page = rbelow(r, 4) ? 1 : (int)rbelow(r, 6);
    q->per_page = rbelow(r, 3) ? 20 : (int)rbelow(r, 150);
}

static void expect_same(si_index *ix, const oracle *o, const si_query *q)
{
    si_result a, b;
    int ra = si_search(ix, q, &a);
    int rb = oracle_search(o, q, &b);
    if (ra != rb || a.total != b.total || a.n != b.n ||
        memcmp(a.ids, b.ids, (size_t)a.n * sizeof a.ids[0]) != 0 ||
        memcmp(&a.facets, &b.facets, sizeof a.facets) != 0 || a.page != b.page ||
        a.per_page != b.per_page) {
        print_error("mismatch for q=\"%s\" sort=%d page=%d: rc %d/%d total %lld/%lld n %d/%d\n",
                    q->q ? q->q : "", (int)q->sort, q->page, ra, rb, (long long)a.total,
                    (long long)b.total, a.n, b.n);
        fail();
    }
}

/* Builds an oracle of n random documents (ids 1..n). */
static void make_docs(rng *r, oracle *o, size_t n)
{
    o->docs = calloc(n, sizeof *o->docs);
    assert_non_null(o->docs);
    o->n = n;
    for (size_t i = 0; i < n; i++)
        gen_doc(r, &o->docs[i], (int64_t)i + 1);
}

/* ------------------------------------------------------------------ tests */

static void norm_is(const char *in, const char *want)
{
    char *n = si_normalize(in, NULL);
    assert_non_null(n);
    assert_string_equal(n, want);
    free(n);
}

static void test_normalize(void **state)
{
    (void)state;
    norm_is("ｶﾝｺﾞ", "カンゴ");
    norm_is("かんご", "カンゴ");
    norm_is("カンゴ", "カンゴ");
    norm_is("ＩＣＵ Nurse", "icunurse");
    norm_is("東京　都 港区", "東京都港区");
    norm_is(" 夜勤\n\n日勤 ", "夜勤\n日勤");
    norm_is("", "");
    assert_null(si_normalize("\xff\xfe", NULL));

    si_terms t;
    assert_int_equal(si_parse_terms("ｶﾝｺﾞ　夜勤 ICU", &t), SI_OK);
    assert_int_equal(t.n, 3);
    assert_string_equal(t.buf + t.off[0], "カンゴ");
    assert_string_equal(t.buf + t.off[1], "夜勤");
    assert_string_equal(t.buf + t.off[2], "icu");
    assert_int_equal(t.ncp[0], 3);
    assert_int_equal(t.ncp[1], 2);
    assert_int_equal(si_parse_terms("   ", &t), SI_OK);
    assert_int_equal(t.n, 0);
    assert_int_equal(si_parse_terms(NULL, &t), SI_OK);
    assert_int_equal(t.n, 0);
}

/* The index agrees with the oracle on thousands of random queries (bulk-loaded). */
static void test_oracle_random(void **state)
{
    (void)state;
    rng r = {0x1234567890ABCDEFULL};
    oracle o;
    make_docs(&r, &o, 3000);
    si_doc *ds = calloc(o.n, sizeof *ds);
    assert_non_null(ds);
    for (size_t i = 0; i < o.n; i++)
        ds[i] = o.docs[i].d;
    si_index *ix = si_new();
    assert_non_null(ix);
    assert_int_equal(si_bulk_load(ix, ds, o.n), SI_OK);
    free(ds);
    si_stats st;
    si_stats_get(ix, &st);
    assert_int_equal(st.docs, 3000);
    for (int i = 0; i < 4000; i++) {
        rquery rq;
        gen_query(&r, &rq);
        expect_same(ix, &o, &rq.q);
    }
    /* Fixed cases: each variant finds the others. */
    const char *variants[] = {"ｶﾝｺﾞ", "かんご", "カンゴ", "看",      "夜勤",     "透析", "東京",
                              "icu",  "ＩＣＵ", "ICU",    "駅徒歩5", "ほうもん", "ﾎｳﾓﾝ"};
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
        si_query q = {.q = variants[i]};
        si_result res;
        assert_int_equal(si_search(ix, &q, &res), SI_OK);
        assert_true(res.total > 0);
        expect_same(ix, &o, &q);
    }
    si_query a = {.q = "ｶﾝｺﾞ"}, b = {.q = "かんご"};
    si_result ra, rb;
    assert_int_equal(si_search(ix, &a, &ra), SI_OK);
    assert_int_equal(si_search(ix, &b, &rb), SI_OK);
    assert_int_equal(ra.total, rb.total);
    si_free(ix);
    oracle_free(&o);
}

static int doc_pref_cmp(const void *a, const void *b)
{
    const si_doc *x = a, *y = b;
    return x->pref != y->pref ? x->pref - y->pref : (x->id > y->id) - (x->id < y->id);
}

/* A bulk load in batches grouped by prefecture (as the server loads), then updates: the
 * one-pass prefecture facets over single-prefecture words agree with the oracle. */
static void test_grouped_batches(void **state)
{
    (void)state;
    rng r = {0xC0FFEE};
    oracle o;
    make_docs(&r, &o, 5000);
    si_doc *ds = calloc(o.n, sizeof *ds);
    assert_non_null(ds);
    for (size_t i = 0; i < o.n; i++)
        ds[i] = o.docs[i].d;
    qsort(ds, o.n, sizeof *ds, doc_pref_cmp);
    si_builder *b = si_builder_new(o.n);
    assert_non_null(b);
    for (size_t i = 0; i < o.n; i += SI_BUILDER_BATCH) {
        size_t n = o.n - i < SI_BUILDER_BATCH ? o.n - i : SI_BUILDER_BATCH;
        assert_int_equal(si_builder_add_many(b, ds + i, n), SI_OK);
    }
    assert_int_equal(si_builder_add_many(b, ds, SI_BUILDER_BATCH + 1), SI_EINVAL);
    si_index *ix = si_new();
    assert_non_null(ix);
    assert_int_equal(si_builder_finish(b, ix), SI_OK);
    free(ds);
    for (int i = 0; i < 1500; i++) {
        rquery rq;
        gen_query(&r, &rq);
        expect_same(ix, &o, &rq.q);
    }
    /* Move some documents to another prefecture: their words become mixed. */
    for (size_t i = 0; i < o.n; i += 97) {
        o.docs[i].d.pref = 1 + (int)rbelow(&r, 47);
        assert_int_equal(si_upsert(ix, &o.docs[i].d), SI_OK);
    }
    for (int i = 0; i < 1500; i++) {
        rquery rq;
        gen_query(&r, &rq);
        expect_same(ix, &o, &rq.q);
    }
    assert_int_equal(si_rebuild(ix), SI_OK);
    for (int i = 0; i < 500; i++) {
        rquery rq;
        gen_query(&r, &rq);
        expect_same(ix, &o, &rq.q);
    }
    si_free(ix);
    oracle_free(&o);
}

/* Appends code points from..to-1 as UTF-8 to out (cap bytes, NUL-terminated). */
static void put_range(char *out, size_t cap, uint32_t from, uint32_t to)
{
    size_t n = strlen(out);
    for (uint32_t cp = from; cp < to && n + 4 < cap; cp++) {
        if (cp < 0x10000) {
            out[n++] = (char)(0xE0 | (cp >> 12));
        } else {
            out[n++] = (char)(0xF0 | (cp >> 18));
            out[n++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        }
        out[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[n++] = (char)(0x80 | (cp & 0x3F));
    }
    out[n] = '\0';
}

/* More distinct code points than the 4-gram symbol table holds: terms over the code points
 * without a symbol still match exactly (trigram lists plus verification), and a 4+ code point
 * term with a code point that occurs nowhere matches nothing. */
static void test_symbol_overflow(void **state)
{
    (void)state;
    static char t1[SI_MAX_TEXT_BYTES], t2[SI_MAX_TEXT_BYTES];
    t1[0] = t2[0] = '\0';
    put_range(t1, sizeof t1, 0x4E00, 0x4E00 + 20000);   /* CJK: symbols 1..20000 */
    put_range(t2, sizeof t2, 0x20000, 0x20000 + 14000); /* Ext. B: 12767 symbols, then none */
    si_index *ix = si_new();
    assert_non_null(ix);
    si_doc d1 = {.id = 1, .pref = 13, .published_at = 1, .lat = NAN, .lon = NAN, .text = t1};
    si_doc d2 = {.id = 2, .pref = 13, .published_at = 2, .lat = NAN, .lon = NAN, .text = t2};
    si_doc d3 = {.id = 3, .pref = 13, .published_at = 3, .lat = NAN, .lon = NAN};
    char t3[64] = "", late[32] = "", split[64] = "";
    put_range(late, sizeof late, 0x20000 + 13990, 0x20000 + 13995); /* 5 code points, no symbol */
    put_range(t3, sizeof t3, 0x20000 + 13990, 0x20000 + 13994);     /* 4 of them */
    put_range(t3, sizeof t3, 0x4E00, 0x4E01);
    d3.text = t3;
    assert_int_equal(si_upsert(ix, &d1), SI_OK);
    assert_int_equal(si_upsert(ix, &d2), SI_OK);
    assert_int_equal(si_upsert(ix, &d3), SI_OK);
    struct {
        const char *q;
        int64_t total;
    } cases[6] = {{late, 1}, {t3, 1}, {NULL, 2}, {split, 0}, {NULL, 1}, {NULL, 0}};
    char four[32] = "", mixed[32] = "", absent[32] = "";
    put_range(four, sizeof four, 0x20000 + 13990, 0x20000 + 13994); /* in d2 and d3 */
    cases[2].q = four;
    put_range(split, sizeof split, 0x20000 + 13993, 0x20000 + 13994); /* d3 only has ...13993 */
    put_range(split, sizeof split, 0x4E00, 0x4E01);                   /* then 0x4E00 */
    put_range(split, sizeof split, 0x4E02, 0x4E03);                   /* but not 0x4E02 */
    put_range(mixed, sizeof mixed, 0x4E00 + 100, 0x4E00 + 105);       /* symbols: d1 */
    cases[4].q = mixed;
    put_range(absent, sizeof absent, 0x3400, 0x3404); /* Ext. A: in no document */
    cases[5].q = absent;
    for (int i = 0; i < 6; i++) {
        si_query q = {.q = cases[i].q};
        si_result res;
        assert_int_equal(si_search(ix, &q, &res), SI_OK);
        if (res.total != cases[i].total)
            print_error("case %d: total %lld, want %lld\n", i, (long long)res.total,
                        (long long)cases[i].total);
        assert_int_equal(res.total, cases[i].total);
    }
    si_free(ix);
}

/* Upserts (replacements and new ids) and removals keep the index equal to the oracle. */
static void test_updates(void **state)
{
    (void)state;
    rng r = {0xFEEDFACECAFEBEEFULL};
    oracle o;
    make_docs(&r, &o, 2000);
    si_index *ix = si_new();
    assert_non_null(ix);
    /* Start incrementally (not bulk) for half, bulk for the rest via a builder. */
    si_builder *b = si_builder_new(0);
    assert_non_null(b);
    for (size_t i = 0; i < 1000; i++)
        assert_int_equal(si_builder_add(b, &o.docs[i].d), SI_OK);
    assert_int_equal(si_builder_finish(b, ix), SI_OK);
    for (size_t i = 1000; i < o.n; i++)
        assert_int_equal(si_upsert(ix, &o.docs[i].d), SI_OK);
    for (int round = 0; round < 6; round++) {
        for (int k = 0; k < 300; k++) {
            size_t i = rbelow(&r, (unsigned)o.n);
            if (rbelow(&r, 4) == 0) {
                int rc = si_remove(ix, o.docs[i].d.id);
                assert_int_equal(rc, o.docs[i].live ? SI_OK : SI_ENOTFOUND);
                o.docs[i].live = false;
            } else {
                gen_doc(&r, &o.docs[i], o.docs[i].d.id); /* same id: replaces */
                assert_int_equal(si_upsert(ix, &o.docs[i].d), SI_OK);
            }
        }
        for (int i = 0; i < 400; i++) {
            rquery rq;
            gen_query(&r, &rq);
            expect_same(ix, &o, &rq.q);
        }
        if (round == 3) {
            si_stats st;
            si_stats_get(ix, &st);
            assert_true(st.dead > 0);
            assert_int_equal(si_rebuild(ix), SI_OK);
            si_stats_get(ix, &st);
            assert_int_equal(st.dead, 0);
        }
    }
    /* A frequent long term goes through the exact-set cache; updates must keep it exact. */
    si_query q = {.q = "かんごし"};
    expect_same(ix, &o, &q);
    for (int k = 0; k < 50; k++) {
        size_t i = rbelow(&r, (unsigned)o.n);
        gen_doc(&r, &o.docs[i], o.docs[i].d.id);
        assert_int_equal(si_upsert(ix, &o.docs[i].d), SI_OK);
        expect_same(ix, &o, &q);
    }
    assert_int_equal(si_remove(ix, 999999), SI_ENOTFOUND);
    si_set_seq(ix, 42);
    assert_int_equal(si_seq(ix), 42);
    si_free(ix);
    oracle_free(&o);
}

static void test_limits(void **state)
{
    (void)state;
    rng r = {42};
    oracle o;
    make_docs(&r, &o, 300);
    si_index *ix = si_new();
    assert_non_null(ix);
    for (size_t i = 0; i < o.n; i++)
        assert_int_equal(si_upsert(ix, &o.docs[i].d), SI_OK);
    si_result res;
    si_query q = {.q = "a b c d e f g h i"};
    assert_int_equal(si_search(ix, &q, &res), SI_ETERMS);
    q.q = "a b c d e f g h";
    assert_int_equal(si_search(ix, &q, &res), SI_OK);
    char longq[512];
    memset(longq, 'x', 101);
    longq[101] = '\0';
    q.q = longq;
    assert_int_equal(si_search(ix, &q, &res), SI_ETOOLONG);
    longq[100] = '\0';
    assert_int_equal(si_search(ix, &q, &res), SI_OK);
    /* 100 code points that expand under NFKC beyond the normalised cap. */
    size_t n = 0;
    for (int i = 0; i < 100; i++) {
        memcpy(longq + n, "\xE3\x8C\x96", 3); /* U+3316 expands to 6 code points */
        n += 3;
    }
    longq[n] = '\0';
    assert_int_equal(si_search(ix, &q, &res), SI_ETOOLONG);
    q.q = "\xff";
    assert_int_equal(si_search(ix, &q, &res), SI_EINVAL);
    q.q = "ab\x01";
    assert_int_equal(si_search(ix, &q, &res), SI_EINVAL);
    /* per_page capped, page window */
    si_query e = {.per_page = 1000};
    assert_int_equal(si_search(ix, &e, &res), SI_OK);
    assert_int_equal(res.per_page, SI_MAX_PER_PAGE);
    assert_int_equal(res.n, SI_MAX_PER_PAGE);
    e.page = SI_MAX_WINDOW / SI_MAX_PER_PAGE + 1;
    assert_int_equal(si_search(ix, &e, &res), SI_EPAGE);
    /* Empty query: everything, with facets. */
    si_query all = {0};
    assert_int_equal(si_search(ix, &all, &res), SI_OK);
    assert_int_equal(res.total, 300);
    assert_int_equal(res.n, SI_DEFAULT_PER_PAGE);
    uint32_t sum = 0;
    for (int p = 1; p <= SI_NPREF; p++)
        sum += res.facets.pref[p];
    assert_int_equal(sum, 300);
    expect_same(ix, &o, &all);
    /* Bad filters and documents. */
    si_query bad = {.pref_set = 1};
    assert_int_equal(si_search(ix, &bad, &res), SI_EINVAL);
    bad = (si_query){.nmuni = SI_MAX_MUNI + 1, .muni = (const int[1]){0}};
    assert_int_equal(si_search(ix, &bad, &res), SI_EINVAL);
    bad = (si_query){.sort = SI_SORT_DISTANCE, .lat = NAN};
    assert_int_equal(si_search(ix, &bad, &res), SI_EINVAL);
    si_doc d = o.docs[0].d;
    d.pref = 48;
    assert_int_equal(si_upsert(ix, &d), SI_EINVAL);
    d = o.docs[0].d;
    d.text = "\xff";
    assert_int_equal(si_upsert(ix, &d), SI_EINVAL);
    d = o.docs[0].d;
    d.wage_monthly = -1;
    assert_int_equal(si_upsert(ix, &d), SI_EINVAL);
    assert_string_equal(si_strerror(SI_ETERMS), "too many keyword terms");
    si_free(ix);
    oracle_free(&o);
}

/* ------------------------------------------------------------------ concurrency */

typedef struct cshared {
    si_index *ix;
    oracle *o;
    atomic_int stop;
    int bad;
    long queries;
    pthread_mutex_t mu;
} cshared;

static void *writer(void *arg)
{
    cshared *s = arg;
    rng r = {777};
    odoc tmp = {0};
    int bad = 0;
    while (!s->stop) {
        size_t i = rbelow(&r, (unsigned)s->o->n);
        gen_doc(&r, &tmp, s->o->docs[i].d.id);
        if (si_upsert(s->ix, &tmp.d) != SI_OK)
            bad++;
        if (rbelow(&r, 10) == 0)
            (void)si_remove(s->ix, s->o->docs[rbelow(&r, (unsigned)s->o->n)].d.id);
    }
    free(tmp.text);
    free(tmp.norm);
    pthread_mutex_lock(&s->mu);
    s->bad += bad;
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

static void *reader(void *arg)
{
    cshared *s = arg;
    rng r = {(uint64_t)(uintptr_t)&r | 1};
    long n = 0;
    int bad = 0;
    while (!s->stop) {
        rquery rq;
        gen_query(&r, &rq);
        rq.q.pref_set = 0; /* so that the prefecture facets sum to the total */
        si_result res;
        int rc = si_search(s->ix, &rq.q, &res);
        n++;
        if (rc == SI_EPAGE)
            continue;
        if (rc != SI_OK) {
            bad++;
            continue;
        }
        int64_t sum = 0;
        for (int p = 1; p <= SI_NPREF; p++)
            sum += res.facets.pref[p];
        if (sum != res.total || res.n > res.per_page || res.n > res.total)
            bad++;
        for (int a = 0; a < res.n; a++)
            for (int b = a + 1; b < res.n; b++)
                if (res.ids[a] == res.ids[b])
                    bad++;
    }
    pthread_mutex_lock(&s->mu);
    s->bad += bad;
    s->queries += n;
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

static void test_concurrency(void **state)
{
    (void)state;
    rng r = {99};
    oracle o;
    make_docs(&r, &o, 2000);
    si_index *ix = si_new();
    assert_non_null(ix);
    for (size_t i = 0; i < o.n; i++)
        assert_int_equal(si_upsert(ix, &o.docs[i].d), SI_OK);
    cshared s = {.ix = ix, .o = &o};
    pthread_mutex_init(&s.mu, NULL);
    pthread_t w, r1, r2;
    assert_int_equal(pthread_create(&w, NULL, writer, &s), 0);
    assert_int_equal(pthread_create(&r1, NULL, reader, &s), 0);
    assert_int_equal(pthread_create(&r2, NULL, reader, &s), 0);
    struct timespec one = {1, 0};
    nanosleep(&one, NULL);
    s.stop = 1;
    pthread_join(w, NULL);
    pthread_join(r1, NULL);
    pthread_join(r2, NULL);
    pthread_mutex_destroy(&s.mu);
    assert_int_equal(s.bad, 0);
    assert_true(s.queries > 10);
    si_free(ix);
    oracle_free(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalize),       cmocka_unit_test(test_oracle_random),
        cmocka_unit_test(test_updates),         cmocka_unit_test(test_limits),
        cmocka_unit_test(test_concurrency),     cmocka_unit_test(test_symbol_overflow),
        cmocka_unit_test(test_grouped_batches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
