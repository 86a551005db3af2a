/* Live access counting (docs/API.md "Access statistics"): the web app reports each route view
 * with POST /api/v1/views; the views and visits are counted in memory per (JST day, site,
 * page type, device class) under one mutex and added to access_daily by the job worker's tick
 * every NCCS_ACCESS_FLUSH_SECONDS (default 5) and at shutdown. */
#include "api/api.h"
#include "domain/access.h"
#include "search/offer_index.h"
#include "store/access.h"
#include "util/log.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static access_tracker *g_tracker; /* created on the first counted view */
static access_counts g_counts;    /* not yet written to access_daily */
static int64_t g_next_flush_us;   /* used by the job worker thread only */

/* Seconds between flushes: NCCS_ACCESS_FLUSH_SECONDS (1..3600), default 5. */
static int64_t flush_interval(void)
{
    const char *v = getenv("NCCS_ACCESS_FLUSH_SECONDS");
    int64_t s = 5;
    if (v && str_to_i64(v, 1, 3600, &s) != 0)
        s = 5;
    return s;
}

void h_views(req *r)
{
    static const vfield spec[] = {
        {.name = "path", .label = "ページのパス", .kind = VK_TEXT, .required = true, .max = 512},
        {.name = NULL}};
    if (api_validate(r, spec) != 0)
        return;
    const char *path = vstr(r->json, "path");
    if (!path || path[0] != '/') {
        verrs e = {.n = 0};
        verrs_add(&e, "path", "path.invalid", "ページのパスは / で始まる形で指定してください");
        reply_validation(r, &e);
        return;
    }
    if (access_ua_is_bot(r->ua)) { /* answered like any view, never counted */
        reply_empty(r, 204);
        return;
    }
    access_site site;
    access_page page;
    access_classify(path, r->signed_in ? r->actor.role : ROLE_NONE, ACCESS_SITE_JOB, &site, &page);
    access_device dev = access_device_of(r->ua);
    int rc = -1;
    pthread_mutex_lock(&g_lock);
    if (!g_tracker) {
        unsigned char key[16];
        randombytes_buf(key, sizeof key);
        g_tracker = access_tracker_new(ACCESS_TRACKER_CAP, key);
    }
    if (g_tracker)
        rc = access_record(&g_counts, g_tracker, time_now(), site, page, dev,
                           access_client_id(g_tracker, site, r->ip, r->ua));
    pthread_mutex_unlock(&g_lock);
    if (rc != 0) {
        log_error("access counters: out of memory or full");
        reply_error(r, E_INTERNAL, NULL);
        return;
    }
    reply_empty(r, 204);
}

static int flush_tx(db *d, void *arg)
{
    return store_access_add(d, arg);
}

int access_flush(db *d)
{
    if (db_in_tx(d)) {
        log_error("access_flush called inside a transaction");
        return -1;
    }
    access_counts snap;
    pthread_mutex_lock(&g_lock);
    snap = g_counts;
    memset(&g_counts, 0, sizeof g_counts);
    pthread_mutex_unlock(&g_lock);
    if (snap.n == 0) {
        access_counts_free(&snap);
        return 0;
    }
    int rc = db_tx(d, flush_tx, &snap);
    if (rc != DB_OK) {
        log_error("access counters: flush failed (kept for the next try): %s", db_errmsg(d));
        pthread_mutex_lock(&g_lock);
        if (access_counts_merge(&g_counts, &snap) != 0)
            log_error("access counters: out of memory; some counts were lost");
        pthread_mutex_unlock(&g_lock);
    }
    access_counts_free(&snap);
    return rc == DB_OK ? 0 : -1;
}

int access_tick(db *d)
{
    int rc = offer_index_catch_up(d);
    int64_t now = time_now_us();
    if (now >= g_next_flush_us) {
        g_next_flush_us = now + flush_interval() * 1000000;
        access_flush(d); /* logs its own failure; the counts are kept */
    }
    return rc;
}

void access_stop(db *d)
{
    if (!d || access_flush(d) != 0) {
        pthread_mutex_lock(&g_lock);
        size_t n = g_counts.n;
        pthread_mutex_unlock(&g_lock);
        log_error("access counters: %zu counter(s) could not be written at shutdown", n);
    }
    pthread_mutex_lock(&g_lock);
    access_tracker_free(g_tracker);
    g_tracker = NULL;
    access_counts_free(&g_counts);
    pthread_mutex_unlock(&g_lock);
}
