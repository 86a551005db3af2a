#include "search/offer_index.h"
#include "domain/codes.h"
#include "search/match_feed.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/str.h"
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static si_index *g_ix;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER; /* serialises catch-up */
static int64_t g_seq;

/* Code lists (name lookup for the searchable text), loaded once at init. */
typedef struct {
    char list[24], code[24], name[64];
} code_name;
static code_name *g_codes;
static int g_ncodes;
static double g_pref_lat[48], g_pref_lon[48]; /* NaN when unknown */

const char *offer_index_code_name(const char *list, const char *code)
{
    for (int i = 0; code && i < g_ncodes; i++)
        if (!strcmp(g_codes[i].list, list) && !strcmp(g_codes[i].code, code))
            return g_codes[i].name;
    return "";
}

si_index *offer_index(void)
{
    return g_ix;
}

/* The columns of a published offer as the index reads them. The body's searchable fields are
 * extracted by the database (SQLite's and PostgreSQL's ->> / -> operators; the body is TEXT, so
 * PostgreSQL casts it), which is far cheaper than parsing whole bodies here. B is the body. */
#define DOC_COLS(B)                                                                                \
    "SELECT o.id, o.prefecture_code, COALESCE(o.municipality_code, ''), o.licence_mask, "          \
    "COALESCE(o.employment_form, ''), o.shift_mask, f.facility_type, o.flag_mask, "                \
    "COALESCE(o.wage_type, ''), COALESCE(o.wage_min, 0), COALESCE(o.published_at, 0), "            \
    "COALESCE(" B " ->> 'title', ''), f.name, COALESCE(m.name, ''), o.offer_no, "                  \
    "COALESCE(o.valid_until, ''), " B " -> 'duties' ->> 'description', " B " ->> 'pr', " B         \
    " -> 'workplace' ->> 'station', " B " -> 'workplace' ->> 'address', " B                        \
    " -> 'departments' FROM offers o JOIN facilities f ON f.id = o.facility_id "                   \
    "LEFT JOIN municipalities m ON m.code = o.municipality_code WHERE o.status = 'published'"
#define DOC_COLS_SQLITE DOC_COLS("o.body")
#define DOC_COLS_PG     DOC_COLS("(o.body::jsonb)")
/* Column numbers of DOC_COLS. */
enum {
    C_ID,
    C_PREF,
    C_MUNI,
    C_LIC,
    C_EMP,
    C_SHIFT,
    C_FTYPE,
    C_FLAGS,
    C_WAGE_TYPE,
    C_WAGE_MIN,
    C_PUBLISHED,
    C_TITLE,
    C_FACILITY,
    C_MUNI_NAME,
    C_OFFER_NO,
    C_VALID_UNTIL,
    C_DUTIES,
    C_PR,
    C_STATION,
    C_ADDRESS,
    C_DEPARTMENTS
};

/* Reads the published offers (all, or with one_id non-zero only that one) into *r. */
static int read_docs(db *d, int64_t one_id, db_res **r)
{
    bool pg = db_kind(d) == DB_PG;
    if (!one_id)
        return db_query(d, pg ? DOC_COLS_PG : DOC_COLS_SQLITE, NULL, 0, r);
    db_val p[] = {DBI(one_id)};
    return db_query(d, pg ? DOC_COLS_PG " AND o.id = $1" : DOC_COLS_SQLITE " AND o.id = $1", p, 1,
                    r);
}

static void add_line(nbuf *b, const char *s)
{
    if (s && *s) {
        nbuf_puts(b, s);
        nbuf_puts(b, "\n");
    }
}

/* ---- item summaries: the JSON of each published offer as search results list it, kept in
 * memory so a search page needs no database round trip. Open addressing keyed by offer id;
 * removed entries keep their id with json NULL (tombstones) until the next growth. */

typedef struct {
    int64_t id; /* 0 = empty slot */
    char *json; /* owned; NULL = removed */
} summary;
static summary *g_sum;
static size_t g_sum_cap, g_sum_used;
static pthread_rwlock_t g_sum_lock = PTHREAD_RWLOCK_INITIALIZER;

static size_t sum_slot(summary *tab, size_t cap, int64_t id)
{
    size_t h = (size_t)((uint64_t)id * 0x9E3779B97F4A7C15ULL) & (cap - 1);
    while (tab[h].id && tab[h].id != id)
        h = (h + 1) & (cap - 1);
    return h;
}

/* Stores json (taking it) for id; NULL removes. Caller holds the write lock. */
static void sum_put(int64_t id, char *json)
{
    if ((g_sum_used + 1) * 10 >= g_sum_cap * 7) {
        size_t cap = g_sum_cap ? g_sum_cap * 2 : 1024;
        summary *tab = calloc(cap, sizeof *tab);
        if (!tab) {
            free(json);
            return;
        }
        size_t used = 0;
        for (size_t i = 0; i < g_sum_cap; i++)
            if (g_sum[i].id && g_sum[i].json) {
                tab[sum_slot(tab, cap, g_sum[i].id)] = g_sum[i];
                used++;
            }
        free(g_sum);
        g_sum = tab;
        g_sum_cap = cap;
        g_sum_used = used;
    }
    size_t h = sum_slot(g_sum, g_sum_cap, id);
    if (!g_sum[h].id) {
        g_sum[h].id = id;
        g_sum_used++;
    }
    free(g_sum[h].json);
    g_sum[h].json = json;
}

int offer_index_append_item(int64_t id, nbuf *b)
{
    int rc = -1;
    pthread_rwlock_rdlock(&g_sum_lock);
    if (g_sum_cap) {
        size_t h = sum_slot(g_sum, g_sum_cap, id);
        if (g_sum[h].id == id && g_sum[h].json)
            rc = nbuf_puts(b, g_sum[h].json);
    }
    pthread_rwlock_unlock(&g_sum_lock);
    return rc;
}

/* Stores (taking it) or, with NULL, drops the summary of offer id. */
static void store_summary(int64_t id, char *item)
{
    pthread_rwlock_wrlock(&g_sum_lock);
    if (item) {
        sum_put(id, item);
    } else if (g_sum_cap) {
        size_t h = sum_slot(g_sum, g_sum_cap, id);
        if (g_sum[h].id == id) { /* keep the id as a tombstone, drop the text */
            free(g_sum[h].json);
            g_sum[h].json = NULL;
        }
    }
    pthread_rwlock_unlock(&g_sum_lock);
}

static void sum_free_all(void)
{
    pthread_rwlock_wrlock(&g_sum_lock);
    for (size_t i = 0; i < g_sum_cap; i++)
        free(g_sum[i].json);
    free(g_sum);
    g_sum = NULL;
    g_sum_cap = g_sum_used = 0;
    pthread_rwlock_unlock(&g_sum_lock);
}

static json_t *codes_of(unsigned mask, const char *const *codes)
{
    json_t *a = json_array();
    for (int i = 0; codes[i]; i++)
        if (mask & (1u << i))
            json_array_append_new(a, json_string(codes[i]));
    return a;
}

/* The search-result item of row i (malloc'd JSON text, caller frees), or NULL. */
static char *item_json(const db_res *r, int i)
{
    const char *wt = db_text(r, i, C_WAGE_TYPE);
    json_t *o = json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:I,s:s,s:o,s:o,s:o,s:s}", "offer_no",
        db_text(r, i, C_OFFER_NO) ? db_text(r, i, C_OFFER_NO) : "", "title", db_text(r, i, C_TITLE),
        "facility_name", db_text(r, i, C_FACILITY), "prefecture", db_text(r, i, C_PREF),
        "municipality_name", db_text(r, i, C_MUNI_NAME), "employment_form", db_text(r, i, C_EMP),
        "wage_type", wt, "wage_min", *wt ? json_integer(db_int(r, i, C_WAGE_MIN)) : json_null(),
        "published_at", (json_int_t)db_int(r, i, C_PUBLISHED), "valid_until",
        db_text(r, i, C_VALID_UNTIL), "flags",
        codes_of((unsigned)db_int(r, i, C_FLAGS), FLAG_CODES), "shift_patterns",
        codes_of((unsigned)db_int(r, i, C_SHIFT), SHIFT_CODES), "licences",
        codes_of((unsigned)db_int(r, i, C_LIC), LICENCE_CODES), "facility_type",
        db_text(r, i, C_FTYPE));
    char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return text;
}

/* Fills d from result row i; the text goes into b (which d->text then borrows). With item
 * non-NULL, *item receives the search-result item JSON (malloc'd, caller owns). */
static void doc_from_row(const db_res *r, int i, si_doc *d, nbuf *b, char **item)
{
    memset(d, 0, sizeof *d);
    d->id = db_int(r, i, C_ID);
    int64_t v;
    d->pref = str_to_i64(db_text(r, i, C_PREF), 1, 47, &v) == 0 ? (int)v : 0;
    d->muni = str_to_i64(db_text(r, i, C_MUNI), 0, 99999, &v) == 0 ? (int)v : 0;
    d->lic = (unsigned)db_int(r, i, C_LIC);
    int emp = code_index(EMPLOYMENT_FORMS, db_text(r, i, C_EMP));
    d->emp = emp >= 0 ? 1u << emp : 0;
    d->shift = (unsigned)db_int(r, i, C_SHIFT);
    int ft = code_index(FACILITY_TYPES, db_text(r, i, C_FTYPE));
    d->ftype = ft >= 0 ? ft : 0;
    d->flags = (unsigned)db_int(r, i, C_FLAGS);
    const char *wt = db_text(r, i, C_WAGE_TYPE);
    if (!strcmp(wt, "monthly"))
        d->wage_monthly = db_int(r, i, C_WAGE_MIN);
    else if (!strcmp(wt, "hourly"))
        d->wage_hourly = db_int(r, i, C_WAGE_MIN);
    d->published_at = db_int(r, i, C_PUBLISHED);
    d->lat = d->lon = NAN;
    offer_index_pref_point(d->pref, &d->lat, &d->lon);

    b->len = 0;
    add_line(b, db_text(r, i, C_TITLE));
    add_line(b, db_text(r, i, C_FACILITY));
    add_line(b, db_text(r, i, C_MUNI_NAME));
    add_line(b, db_text(r, i, C_DUTIES));
    add_line(b, db_text(r, i, C_PR));
    add_line(b, db_text(r, i, C_STATION));
    add_line(b, db_text(r, i, C_ADDRESS));
    const char *deps = db_text(r, i, C_DEPARTMENTS);
    json_t *dj = deps ? json_loads(deps, 0, NULL) : NULL;
    size_t k;
    json_t *c;
    json_array_foreach(dj, k, c)
        add_line(b, offer_index_code_name("departments", json_string_value(c)));
    json_decref(dj);
    for (int s = 0; SHIFT_CODES[s]; s++)
        if (d->shift & (1u << s))
            add_line(b, offer_index_code_name("shift_patterns", SHIFT_CODES[s]));
    for (int l = 0; LICENCE_CODES[l]; l++)
        if (d->lic & (1u << l))
            add_line(b, offer_index_code_name("licence_types", LICENCE_CODES[l]));
    add_line(b, offer_index_code_name("employment_forms", db_text(r, i, C_EMP)));
    add_line(b, offer_index_code_name("facility_types", db_text(r, i, C_FTYPE)));
    if (item)
        *item = item_json(r, i);
    d->text = b->data ? b->data : "";
}

#define LOAD_THREADS_MAX 8

/* The start-up read shared by the loading threads: rows in prefecture order, taken in batches
 * of SI_BUILDER_BATCH so that each batch gets consecutive ordinals (see si_builder_add_many). */
typedef struct {
    const db_res *r;
    const int *order; /* row numbers grouped by prefecture */
    atomic_int next;  /* next batch to take */
    si_builder *b;
    atomic_int rc; /* SI_OK, or SI_ENOMEM */
} load_state;

static void *load_rows(void *arg)
{
    load_state *ls = arg;
    int n = ls->r->nrows;
    nbuf text[SI_BUILDER_BATCH];
    for (int k = 0; k < SI_BUILDER_BATCH; k++)
        nbuf_init(&text[k], SI_MAX_TEXT_BYTES - 1);
    si_doc docs[SI_BUILDER_BATCH];
    for (;;) {
        int from = atomic_fetch_add(&ls->next, 1) * SI_BUILDER_BATCH;
        if (from >= n || atomic_load(&ls->rc) != SI_OK)
            break;
        int cnt = n - from < SI_BUILDER_BATCH ? n - from : SI_BUILDER_BATCH;
        for (int k = 0; k < cnt; k++) {
            char *item = NULL;
            doc_from_row(ls->r, ls->order[from + k], &docs[k], &text[k], &item);
            store_summary(docs[k].id, item);
        }
        int rc = si_builder_add_many(ls->b, docs, (size_t)cnt);
        if (rc == SI_ENOMEM)
            atomic_store(&ls->rc, rc);
        else if (rc != SI_OK) /* one bad row must not keep the index from starting */
            log_warn("search index: %s in offers %lld..%lld", si_strerror(rc),
                     (long long)docs[0].id, (long long)docs[cnt - 1].id);
    }
    for (int k = 0; k < SI_BUILDER_BATCH; k++)
        nbuf_free(&text[k]);
    return NULL;
}

static int load_codes(db *d)
{
    db_res *r = NULL;
    int rc = db_query(d, "SELECT list, code, name FROM code_lists", NULL, 0, &r);
    if (rc != DB_OK)
        return -1;
    g_codes = calloc((size_t)r->nrows + 1, sizeof *g_codes);
    if (!g_codes) {
        db_res_free(r);
        return -1;
    }
    for (int i = 0; i < r->nrows; i++) {
        str_copy(g_codes[i].list, sizeof g_codes[i].list, db_text(r, i, 0));
        str_copy(g_codes[i].code, sizeof g_codes[i].code, db_text(r, i, 1));
        str_copy(g_codes[i].name, sizeof g_codes[i].name, db_text(r, i, 2));
    }
    g_ncodes = r->nrows;
    db_res_free(r);
    return 0;
}

int offer_index_pref_point(int pref, double *lat, double *lon)
{
    if (pref < 1 || pref > 47 || isnan(g_pref_lat[pref]))
        return -1;
    *lat = g_pref_lat[pref];
    *lon = g_pref_lon[pref];
    return 0;
}

static int load_points(db *d)
{
    for (int i = 0; i < 48; i++)
        g_pref_lat[i] = g_pref_lon[i] = NAN;
    db_res *r = NULL;
    if (db_query(d, "SELECT code, lat, lon FROM prefectures WHERE lat IS NOT NULL", NULL, 0, &r) !=
        DB_OK)
        return -1;
    for (int i = 0; i < r->nrows; i++) {
        int64_t p;
        if (str_to_i64(db_text(r, i, 0), 1, 47, &p) == 0) {
            g_pref_lat[p] = strtod(db_text(r, i, 1), NULL);
            g_pref_lon[p] = strtod(db_text(r, i, 2), NULL);
        }
    }
    db_res_free(r);
    return 0;
}

int offer_index_init(db *d)
{
    if (load_codes(d) != 0 || load_points(d) != 0)
        return -1;
    g_ix = si_new();
    if (!g_ix)
        return -1;
    int64_t seq = 0;
    if (db_scalar(d, "SELECT COALESCE(MAX(seq), 0) FROM offer_changes", NULL, 0, &seq) != DB_OK)
        return -1;
    db_res *r = NULL;
    if (read_docs(d, 0, &r) != DB_OK)
        return -1;
    si_builder *b = si_builder_new((size_t)r->nrows);
    int *order = malloc(((size_t)r->nrows + 1) * sizeof *order);
    int rc = b && order ? SI_OK : SI_ENOMEM;
    if (rc == SI_OK) { /* counting sort of the rows by prefecture */
        int start[49] = {0};
        for (int i = 0; i < r->nrows; i++) {
            int64_t v = 0;
            str_to_i64(db_text(r, i, C_PREF), 1, 47, &v);
            start[v + 1]++;
        }
        for (int p = 1; p < 49; p++)
            start[p] += start[p - 1];
        for (int i = 0; i < r->nrows; i++) {
            int64_t v = 0;
            str_to_i64(db_text(r, i, C_PREF), 1, 47, &v);
            order[start[v]++] = i;
        }
        /* Parsing, summaries and normalisation run on every core. */
        load_state ls = {.r = r, .order = order, .b = b};
        atomic_init(&ls.next, 0);
        atomic_init(&ls.rc, SI_OK);
        long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
        int nt = ncpu < 1 ? 1 : ncpu > LOAD_THREADS_MAX ? LOAD_THREADS_MAX : (int)ncpu;
        pthread_t th[LOAD_THREADS_MAX];
        bool started[LOAD_THREADS_MAX] = {false};
        for (int t = 1; t < nt; t++)
            started[t] = pthread_create(&th[t], NULL, load_rows, &ls) == 0;
        load_rows(&ls);
        for (int t = 1; t < nt; t++)
            if (started[t])
                pthread_join(th[t], NULL);
        rc = atomic_load(&ls.rc);
    }
    free(order);
    int n = r->nrows;
    db_res_free(r);
    if (rc == SI_OK)
        rc = si_builder_finish(b, g_ix);
    else
        si_builder_free(b);
    if (rc != SI_OK)
        return -1;
    g_seq = seq;
    si_set_seq(g_ix, seq);
    log_info("search index: %d published offers", n);
    return match_feed_init(d); /* the matcher follows the same offers (search/match_feed.h) */
}

void offer_index_free(void)
{
    match_feed_free();
    sum_free_all();
    si_free(g_ix);
    g_ix = NULL;
    free(g_codes);
    g_codes = NULL;
    g_ncodes = 0;
}

/* Re-reads one offer: indexed if published, removed otherwise. */
static int refresh(db *d, int64_t id, nbuf *text)
{
    db_res *r = NULL;
    if (read_docs(d, id, &r) != DB_OK)
        return -1;
    if (r->nrows == 0) {
        si_remove(g_ix, id); /* SI_ENOTFOUND is fine: it was not published before either */
        store_summary(id, NULL);
    } else {
        si_doc doc;
        char *item = NULL;
        doc_from_row(r, 0, &doc, text, &item);
        store_summary(id, item);
        if (si_upsert(g_ix, &doc) != SI_OK)
            log_warn("offer %lld not indexed", (long long)id);
    }
    db_res_free(r);
    return match_feed_offer(d, id);
}

/* Sequence numbers applied recently (a ring), so the trailing window is not applied twice. */
#define SEEN_N 1024
static int64_t g_seen[SEEN_N];
static int g_seen_pos;

static bool seen(int64_t seq)
{
    for (int i = 0; i < SEEN_N; i++)
        if (g_seen[i] == seq)
            return true;
    return false;
}

int offer_index_catch_up(db *d)
{
    if (!g_ix)
        return 0;
    pthread_mutex_lock(&g_lock);
    /* Identity values are handed out before commit, so on PostgreSQL a transaction that commits
     * later can hold a smaller number than one already applied: look back over a trailing
     * window and apply every sequence number not applied yet. */
    int64_t from = g_seq > 256 ? g_seq - 256 : 0;
    db_val p[] = {DBI(from)};
    db_res *r = NULL;
    int rc = db_query(d,
                      "SELECT seq, offer_id FROM offer_changes WHERE seq > $1 ORDER BY seq "
                      "LIMIT 5000",
                      p, 1, &r);
    nbuf text;
    nbuf_init(&text, SI_MAX_TEXT_BYTES - 1);
    int64_t max = g_seq;
    for (int i = 0; rc == DB_OK && i < r->nrows; i++) {
        int64_t seq = db_int(r, i, 0);
        if (seen(seq))
            continue;
        if (refresh(d, db_int(r, i, 1), &text) != 0) {
            rc = DB_ERROR;
            break;
        }
        g_seen[g_seen_pos] = seq;
        g_seen_pos = (g_seen_pos + 1) % SEEN_N;
        if (seq > max)
            max = seq;
    }
    nbuf_free(&text);
    db_res_free(r);
    if (rc == DB_OK) {
        g_seq = max;
        si_set_seq(g_ix, max);
    }
    pthread_mutex_unlock(&g_lock);
    if (rc == DB_OK && match_feed_catch_up(d) != 0) /* seekers saved by other processes */
        rc = DB_ERROR;
    return rc == DB_OK ? 0 : -1;
}

int offer_index_text(db *d, int64_t id, char **norm)
{
    *norm = NULL;
    db_res *r = NULL;
    if (read_docs(d, id, &r) != DB_OK)
        return -1;
    int rc = 1;
    if (r->nrows) {
        nbuf text;
        nbuf_init(&text, SI_MAX_TEXT_BYTES - 1);
        si_doc doc;
        doc_from_row(r, 0, &doc, &text, NULL);
        *norm = si_normalize(doc.text, NULL);
        rc = *norm ? 0 : -1;
        nbuf_free(&text);
    }
    db_res_free(r);
    return rc;
}
