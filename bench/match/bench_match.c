/* Matching benchmark on the national data (`nccs seed --scale national` in a SQLite file).
 *
 * Builds the server's matcher the way the server does (match_feed_init on the database: every
 * published offer and every seeker profile), then times, in process and single-threaded:
 *   - per nurse: match_offers_for (the ranked offers of GET /me/matches, page 1 of 20) for a
 *     deterministic sample of seekers;
 *   - per offer: match_seekers_for (GET /offers/{id}/candidates, page 1 of 20) for a sample of
 *     published offers, as central staff (every prefecture) and as the offer's prefecture's
 *     counselor (that prefecture's seekers);
 *   - one pair explained (GET /me/matches/{id}).
 * Reports p50 / p95 / p99 / max and how many offers / candidates matched.
 *
 * When the database holds fewer than 1,000 seeker profiles (the national seed without seekers),
 * or with --synthetic-seekers N, N seekers (default 67,710) are generated here from a realistic
 * distribution (prefecture as the offers are spread, wishes of the kinds and frequencies the
 * national seed uses) and put into the matcher; the report says so.
 *
 * Usage: bench_match --db sqlite:NATIONAL.db [--queries N] [--synthetic-seekers N]
 * All sampling is deterministic. */
#include "match/match.h"
#include "search/match_feed.h"
#include "store/db.h"
#include "util/str.h"
#include "util/timeutil.h"

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
static int rn(int n)
{
    return (int)(rnd() % (uint64_t)n);
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* CPU time of this thread: what a query costs without the time the scheduler gave to other
 * processes (the machine is shared, so wall-clock tails include preemption). */
static double cpu_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static double *g_cpu; /* CPU times beside the wall-clock latencies */
#define TIMED(i, lat, call)                                                                        \
    do {                                                                                           \
        double w0_ = now_ms(), c0_ = cpu_ms();                                                     \
        call;                                                                                      \
        g_cpu[i] = cpu_ms() - c0_;                                                                 \
        (lat)[i] = now_ms() - w0_;                                                                 \
    } while (0)

static void die(const char *what, db *d)
{
    fprintf(stderr, "bench_match: %s%s%s\n", what, d ? ": " : "", d ? db_errmsg(d) : "");
    exit(1);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void line(const char *label, const char *kind, double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += v[i];
    printf("  %-40s %-4s p50 %.3f  p95 %.3f  p99 %.3f  max %.3f  mean %.3f ms\n", label, kind,
           v[n / 2], v[(int)(n * 0.95)], v[(int)(n * 0.99)], v[n - 1], sum / n);
}

/* Prints p50/p95/p99/max of the wall-clock latencies lat[0..n) and of the CPU times (g_cpu),
 * both sorted in place, with a label; avg_total < 0: no match count. */
static void summarise(const char *label, double *lat, int n, double avg_total)
{
    line(label, "wall", lat, n);
    line("", "cpu", g_cpu, n);
    if (avg_total >= 0)
        printf("  %-40s      n=%d, matched on average %.0f\n", "", n, avg_total);
}

/* ---- synthetic seekers (when the database has none) ---------------------------------------- */

static const int DEPT_W[21] = {30, 15, 8, 6, 10, 6, 4, 6, 5, 4, 5, 5, 8, 2, 2, 2, 2, 4, 10, 3, 8};
static const int FTYPE_W[13] = {50, 16, 9, 6, 8, 5, 1, 1, 1, 1, 1, 0, 1};

static int weighted(const int *w, int n)
{
    int total = 0;
    for (int i = 0; i < n; i++)
        total += w[i];
    int r = rn(total), i = 0;
    for (; i < n - 1 && (r -= w[i]) >= 0; i++)
        ;
    return i;
}

typedef struct {
    int *codes[48];
    int n[48];
} muni_table;

static void load_munis(db *d, muni_table *mt)
{
    memset(mt, 0, sizeof *mt);
    db_res *r = NULL;
    if (db_query(d, "SELECT code FROM municipalities ORDER BY code", NULL, 0, &r) != DB_OK)
        die("municipalities", d);
    for (int p = 1; p <= 47; p++)
        mt->codes[p] = calloc((size_t)r->nrows + 1, sizeof(int));
    for (int i = 0; i < r->nrows; i++) {
        int64_t c;
        if (str_to_i64(db_text(r, i, 0), 1000, 47999, &c) == 0) {
            int p = (int)(c / 1000);
            mt->codes[p][mt->n[p]++] = (int)c;
        }
    }
    db_res_free(r);
}

/* Generates n seekers with ids from id0 into the matcher; prefectures drawn by pref_w. */
static void synthetic_seekers(match_store *ms, int n, int64_t id0, const int *pref_w,
                              const muni_table *mt, int32_t today)
{
    for (int i = 0; i < n; i++) {
        match_seeker s;
        memset(&s, 0, sizeof s);
        int munis[3];
        s.id = id0 + i;
        s.pref = 1 + weighted(pref_w + 1, 47);
        int r = rn(100);
        s.lic = r < 85 ? 1u << 2 : 1u << 3;
        if (r < 85 && rn(100) < 6)
            s.lic |= rn(2) ? 1u << 0 : 1u << 1;
        r = rn(100);
        s.status = r < 85 ? MATCH_ACTIVE : r < 95 ? MATCH_PAUSED : MATCH_CLOSED;
        s.valid_day = today - 10 + rn(190);
        s.last_activity_at = time_now() - rn(180) * 86400;
        s.work_status = rn(4);
        s.experience_years = rn(35);
        for (int k = 1 + rn(3); k > 0; k--)
            s.exp_depts |= 1u << weighted(DEPT_W, 21);
        s.last_ftype = rn(10) ? weighted(FTYPE_W, 13) : -1;
        s.career_break_months = rn(3) ? rn(60) : -1;
        /* area: the home prefecture (sometimes a neighbour too, sometimes anywhere), and for 30%
         * one to three municipalities of it */
        r = rn(100);
        if (r >= 8) {
            s.wish_prefs = (uint64_t)1 << s.pref;
            if (rn(4) == 0) {
                int q = s.pref + (rn(2) ? 1 : -1);
                q = q < 1 ? 2 : q > 47 ? 46 : q;
                s.wish_prefs |= (uint64_t)1 << q;
            }
            if (rn(100) < 30 && mt->n[s.pref]) {
                int k = 1 + rn(3), m0 = rn(mt->n[s.pref]);
                for (int j = 0; j < k && j < mt->n[s.pref]; j++)
                    munis[s.n_wish_munis++] = mt->codes[s.pref][(m0 + j) % mt->n[s.pref]];
            }
        }
        s.wish_munis = munis;
        r = rn(100);
        unsigned J = 1, H = 2, R = 4;
        s.wish_emp = r < 45 ? J : r < 70 ? H : r < 92 ? J | H : r < 97 ? H | R : J | H | R;
        s.max_nights = -1;
        r = rn(100);
        if ((s.wish_emp & J) && r < 40) {
            s.wish_shift = 1u << 0; /* two_shift */
            s.max_nights = 4 + rn(3);
        } else if (r < 75) {
            s.wish_shift = 1u << 2; /* day only */
            s.max_nights = 0;
        }
        r = rn(100);
        if (r < 70) {
            bool hourly = !(s.wish_emp & J);
            s.wage_type = hourly ? MATCH_WAGE_HOURLY : MATCH_WAGE_MONTHLY;
            s.wage_min = hourly ? 1400 + rn(17) * 50 : 200000 + rn(25) * 5000;
        }
        if (rn(2))
            for (int k = 1 + rn(2); k > 0; k--)
                s.wish_ftypes |= (uint64_t)1 << weighted(FTYPE_W, 13);
        if (rn(100) < 35)
            for (int k = 1 + rn(2); k > 0; k--)
                s.wish_depts |= 1u << weighted(DEPT_W, 21);
        s.childcare = rn(100) < 8;
        s.name = "看護 花子";
        s.name_kana = "カンゴ ハナコ";
        if (match_seeker_put(ms, &s) != MATCH_OK)
            die("match_seeker_put", NULL);
    }
}

int main(int argc, char **argv)
{
    const char *url = NULL;
    int nq = 2000, nsynth = -1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc)
            url = argv[++i];
        else if (!strcmp(argv[i], "--queries") && i + 1 < argc)
            nq = (int)strtol(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--synthetic-seekers") && i + 1 < argc)
            nsynth = (int)strtol(argv[++i], NULL, 10);
        else {
            fprintf(stderr, "usage: bench_match --db URL [--queries N] [--synthetic-seekers N]\n");
            return 2;
        }
    }
    if (!url || nq < 1)
        die("--db is required", NULL);
    char err[256];
    db *d = NULL;
    if (db_open(url, &d, err, sizeof err) != DB_OK) {
        fprintf(stderr, "bench_match: %s\n", err);
        return 1;
    }

    printf("Matcher (match_feed_init on %s)\n", url);
    double t0 = now_ms();
    if (match_feed_init(d) != 0)
        die("match_feed_init", d);
    double init_ms = now_ms() - t0;
    match_store *ms = match_feed_store();
    match_stats st;
    match_stats_get(ms, &st);
    printf("  start-up load from the store: %.2f s; %zu published offers, %zu seeker profiles\n",
           init_ms / 1e3, st.offers, st.seekers);

    /* the once-a-second poll for seekers saved by other processes (nothing changed) */
    t0 = now_ms();
    if (match_feed_catch_up(d) != 0)
        die("match_feed_catch_up", d);
    printf("  seeker catch-up poll (seekers.updated_at, nothing new): %.2f ms\n", now_ms() - t0);

    /* the offers: ids and prefectures */
    db_res *ro = NULL;
    if (db_query(d, "SELECT id, prefecture_code FROM offers WHERE status = 'published' ORDER BY id",
                 NULL, 0, &ro) != DB_OK)
        die("offers", d);
    int noff = ro->nrows;
    int64_t *oid = calloc((size_t)noff + 1, sizeof *oid);
    int *opref = calloc((size_t)noff + 1, sizeof *opref);
    int pref_w[48] = {0};
    for (int i = 0; i < noff; i++) {
        int64_t p = 0;
        oid[i] = db_int(ro, i, 0);
        str_to_i64(db_text(ro, i, 1), 1, 47, &p);
        opref[i] = (int)p;
        pref_w[p]++;
    }
    db_res_free(ro);
    if (noff == 0)
        die("no published offers (seed with --scale national)", NULL);

    /* the seekers: from the store, or generated */
    int64_t *sid = NULL;
    int nseek = 0;
    bool synthetic = nsynth > 0 || st.seekers < 1000;
    if (synthetic) {
        if (nsynth <= 0)
            nsynth = 67710;
        muni_table mt;
        load_munis(d, &mt);
        t0 = now_ms();
        synthetic_seekers(ms, nsynth, 900000000, pref_w, &mt, match_feed_today(time_now()));
        printf("  SYNTHETIC seekers: %d generated in the bench (%.2f s; the database has %zu "
               "profiles)\n",
               nsynth, (now_ms() - t0) / 1e3, st.seekers);
        sid = calloc((size_t)nsynth, sizeof *sid);
        for (int i = 0; i < nsynth; i++)
            sid[i] = 900000000 + i;
        nseek = nsynth;
        for (int p = 1; p <= 47; p++)
            free(mt.codes[p]);
    } else {
        db_res *rs = NULL;
        if (db_query(d, "SELECT user_id FROM seekers ORDER BY user_id", NULL, 0, &rs) != DB_OK)
            die("seekers", d);
        nseek = rs->nrows;
        sid = calloc((size_t)nseek + 1, sizeof *sid);
        for (int i = 0; i < nseek; i++)
            sid[i] = db_int(rs, i, 0);
        db_res_free(rs);
    }
    match_stats_get(ms, &st);
    printf("  matcher: %zu offers, %zu seekers, %.1f MB (match_stats)\n", st.offers, st.seekers,
           (double)st.mem_bytes / 1048576.0);

    double *lat = calloc((size_t)nq, sizeof *lat);
    g_cpu = calloc((size_t)nq, sizeof *g_cpu);
    match_offer_page *op = malloc(sizeof *op);
    match_seeker_page *sp = malloc(sizeof *sp);
    match_explain_out *ex = malloc(sizeof *ex);
    if (!lat || !g_cpu || !op || !sp || !ex || !sid)
        die("out of memory", NULL);
    int64_t now = time_now();
    int32_t today = match_feed_today(now);

    printf("\nPer nurse (match_offers_for = GET /me/matches, page 1 of 20), %d nurses:\n", nq);
    for (int pass = 0; pass < 2; pass++) { /* pass 0 warms the caches */
        rng_state = 0x1234567ULL;
        double sum_total = 0;
        int zero = 0;
        for (int i = 0; i < nq; i++) {
            int64_t id = sid[rn(nseek)];
            int rc;
            TIMED(i, lat, rc = match_offers_for(ms, id, now, 1, 20, op));
            if (rc != MATCH_OK)
                die("match_offers_for", NULL);
            sum_total += (double)op->total;
            zero += op->total == 0;
        }
        if (pass) {
            summarise("all sampled nurses", lat, nq, sum_total / nq);
            printf("  %-40s      (%d of %d nurses had no matching offer)\n", "", zero, nq);
        }
    }
    /* the worst case: nurses without any area wish scan every prefecture */
    int nwide = 0;
    int64_t *wide = calloc((size_t)nq, sizeof *wide);
    for (int i = 0; i < nseek && nwide < nq && wide; i++)
        if (match_explain(ms, sid[i], oid[0], now, ex) == MATCH_OK && !ex->seeker.wish_prefs &&
            !ex->seeker.n_wish_munis)
            wide[nwide++] = sid[i];
    if (nwide) {
        double sum_total = 0;
        for (int i = 0; i < nq; i++) {
            int rc;
            TIMED(i, lat, rc = match_offers_for(ms, wide[i % nwide], now, 1, 20, op));
            if (rc != MATCH_OK)
                die("match_offers_for", NULL);
            sum_total += (double)op->total;
        }
        char label[64];
        snprintf(label, sizeof label, "nurses without area wish (%d)", nwide);
        summarise(label, lat, nq, sum_total / nq);
    }
    free(wide);
    rng_state = 0x7654321ULL;
    for (int i = 0; i < nq; i++) {
        int rc;
        TIMED(i, lat, rc = match_offers_for(ms, sid[rn(nseek)], now, 10, 100, op));
        if (rc != MATCH_OK)
            die("match_offers_for", NULL);
    }
    summarise("deepest page (page 10 of 100)", lat, nq, -1);

    printf(
        "\nPer offer (match_seekers_for = GET /offers/{id}/candidates, page 1 of 20), %d offers:\n",
        nq);
    for (int scope = 0; scope < 2; scope++) {
        rng_state = 0xABCDEFULL;
        double sum_total = 0;
        for (int i = 0; i < nq; i++) {
            int k = rn(noff), rc;
            TIMED(i, lat,
                  rc = match_seekers_for(ms, oid[k], scope ? opref[k] : 0, today, now, 1, 20, sp));
            if (rc != MATCH_OK)
                die("match_seekers_for", NULL);
            sum_total += (double)sp->total;
        }
        summarise(scope ? "counselor (the offer's prefecture)" : "central (every prefecture)", lat,
                  nq, sum_total / nq);
    }

    printf("\nOne pair explained (match_explain = GET /me/matches/{id}), %d pairs:\n", nq);
    rng_state = 0x13579BDULL;
    for (int i = 0; i < nq; i++) {
        int64_t s = sid[rn(nseek)], o = oid[rn(noff)];
        int rc;
        TIMED(i, lat, rc = match_explain(ms, s, o, now, ex));
        if (rc != MATCH_OK)
            die("match_explain", NULL);
    }
    summarise("random pairs", lat, nq, -1);

    free(lat);
    free(g_cpu);
    free(op);
    free(sp);
    free(ex);
    free(sid);
    free(oid);
    free(opref);
    match_feed_free();
    db_close(d);
    return 0;
}
