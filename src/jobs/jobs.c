#include "jobs/jobs.h"
#include "util/config.h"
#include "util/log.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int jobs_enqueue(db *d, const char *kind, const json_t *payload, int64_t run_at)
{
    char *text = json_dumps(payload, JSON_COMPACT);
    if (!text)
        return DB_ERROR;
    int64_t now = time_now();
    db_val p[] = {DBT(kind), DBT(text), DBI(run_at ? run_at : now), DBI(now)};
    int rc = db_query(d,
                      "INSERT INTO jobs (kind, payload, run_at, created_at, updated_at) "
                      "VALUES ($1, $2, $3, $4, $4)",
                      p, 4, NULL);
    free(text);
    return rc;
}

int jobs_enqueue_mail(db *d, const char *to, const char *subject, const char *body)
{
    /* Placeholder addresses (counter registrations without e-mail) use the reserved TLD
     * .invalid (RFC 2606) and are never mailed. */
    size_t n = strlen(to);
    if (n >= 8 && !strcmp(to + n - 8, ".invalid"))
        return DB_OK;
    json_t *p = json_pack("{s:s,s:s,s:s}", "to", to, "subject", subject, "body", body);
    if (!p)
        return DB_ERROR;
    int rc = jobs_enqueue(d, "mail", p, 0);
    json_decref(p);
    return rc;
}

static struct {
    const char *kind;
    job_fn fn;
} g_kinds[8];
static int g_nkinds;

void jobs_register(const char *kind, job_fn fn)
{
    for (int k = 0; k < g_nkinds; k++)
        if (!strcmp(g_kinds[k].kind, kind)) {
            g_kinds[k].fn = fn;
            return;
        }
    if (g_nkinds < (int)(sizeof g_kinds / sizeof g_kinds[0])) {
        g_kinds[g_nkinds].kind = kind;
        g_kinds[g_nkinds++].fn = fn;
    }
}

/* Runs one claimed job; returns 0 or -1 with err. */
static int run_job(db *d, const char *kind, const char *payload, char *err, size_t errcap)
{
    json_error_t jerr;
    json_t *p = json_loads(payload, 0, &jerr);
    if (!p) {
        str_copy(err, errcap, "payload is not JSON");
        return -1;
    }
    int rc = -1;
    if (!strcmp(kind, "mail")) {
        const char *to = json_string_value(json_object_get(p, "to"));
        const char *subject = json_string_value(json_object_get(p, "subject"));
        const char *body = json_string_value(json_object_get(p, "body"));
        if (to && subject && body)
            rc = mail_send(to, subject, body, err, errcap);
        else
            str_copy(err, errcap, "mail payload lacks to/subject/body");
    } else {
        job_fn fn = NULL;
        for (int k = 0; k < g_nkinds; k++)
            if (!strcmp(g_kinds[k].kind, kind))
                fn = g_kinds[k].fn;
        if (fn)
            rc = fn(d, p, err, errcap);
        else
            str_copy(err, errcap, "unknown job kind");
    }
    json_decref(p);
    return rc;
}

int jobs_run_one(db *d)
{
    int64_t now = time_now();
    db_val p[] = {DBI(now), DBI(now + 300)};
    db_res *r = NULL;
    /* The outer state check makes a lost race claim nothing instead of claiming twice. Jobs
     * whose worker died (running past locked_until) are claimed again. */
    int rc = db_query(d,
                      "UPDATE jobs SET state = 'running', attempts = attempts + 1, "
                      "locked_until = $2, updated_at = $1 WHERE id = (SELECT id FROM jobs WHERE "
                      "(state = 'queued' AND run_at <= $1) OR (state = 'running' AND "
                      "locked_until < $1) ORDER BY run_at, id LIMIT 1) AND (state = 'queued' OR "
                      "locked_until < $1) RETURNING id, kind, payload, attempts, max_attempts",
                      p, 2, &r);
    if (rc != DB_OK) {
        db_res_free(r);
        return rc == DB_RETRY ? 0 : -1;
    }
    if (r->nrows == 0) {
        db_res_free(r);
        return 0;
    }
    int64_t id = db_int(r, 0, 0), attempts = db_int(r, 0, 3), max = db_int(r, 0, 4);
    char err[512] = "";
    int ok = run_job(d, db_text(r, 0, 1), db_text(r, 0, 2), err, sizeof err);
    db_res_free(r);
    now = time_now();
    if (ok == 0) {
        db_val q[] = {DBI(id), DBI(now)};
        rc = db_query(d,
                      "UPDATE jobs SET state = 'done', updated_at = $2, last_error = NULL "
                      "WHERE id = $1",
                      q, 2, NULL);
    } else {
        /* Backoff 30 s, 60 s, 120 s ... capped at one hour. */
        int64_t delay = 30LL << (attempts < 7 ? attempts - 1 : 6);
        if (delay > 3600)
            delay = 3600;
        const char *state = attempts >= max ? "failed" : "queued";
        log_warn("job %lld attempt %lld failed: %s", (long long)id, (long long)attempts, err);
        db_val q[] = {DBI(id), DBT(state), DBI(now + delay), DBT(err), DBI(now)};
        rc = db_query(d,
                      "UPDATE jobs SET state = $2, run_at = $3, last_error = $4, "
                      "locked_until = NULL, updated_at = $5 WHERE id = $1",
                      q, 5, NULL);
    }
    return rc == DB_OK ? 1 : -1;
}

/* ---- worker thread ------------------------------------------------------------------- */

static pthread_t worker;
static atomic_bool running;
static bool started;
static int (*g_housekeeping)(db *d);
static int (*g_tick)(db *d);

static int housekeeping_tx(db *d, void *arg)
{
    (void)arg;
    return g_housekeeping(d);
}

static void *worker_main(void *arg)
{
    (void)arg;
    db *d = NULL;
    char err[256];
    int64_t next_housekeeping = 0, next_tick = 0;
    while (atomic_load(&running)) {
        if (d && g_tick && time_now_us() >= next_tick) {
            if (g_tick(d) != 0)
                log_error("periodic task failed: %s", db_errmsg(d));
            next_tick = time_now_us() + 1000000;
        }
        if (d && g_housekeeping && time_now() >= next_housekeeping) {
            if (db_tx(d, housekeeping_tx, NULL) != DB_OK)
                log_error("housekeeping failed: %s", db_errmsg(d));
            next_housekeeping = time_now() + 60;
        }
        if (!d && db_open(g_config.db_url, &d, err, sizeof err) != DB_OK) {
            log_error("job worker: %s", err);
            d = NULL;
        }
        int ran = d ? jobs_run_one(d) : -1;
        if (ran == 1)
            continue; /* more may be due */
        /* Sleep 200 ms in small steps so stop() is prompt. */
        struct timespec ts = {0, 50 * 1000000L};
        for (int i = 0; i < 4 && atomic_load(&running); i++)
            nanosleep(&ts, NULL);
    }
    db_close(d);
    return NULL;
}

void jobs_start(int (*housekeeping)(db *d), int (*tick)(db *d))
{
    g_housekeeping = housekeeping;
    g_tick = tick;
    atomic_store(&running, true);
    started = pthread_create(&worker, NULL, worker_main, NULL) == 0;
    if (!started)
        log_error("cannot start the job worker");
}

void jobs_stop(void)
{
    if (!started)
        return;
    atomic_store(&running, false);
    pthread_join(worker, NULL);
    started = false;
}
