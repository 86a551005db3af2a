/* Unit tests for the durable job queue (src/jobs/jobs.c) on a real SQLite file: claiming, retry
 * with backoff after a failed SMTP delivery (nothing listens on the configured port), giving up
 * after max_attempts with the error kept, reclaiming jobs of a dead worker, unknown kinds. The
 * successful delivery path is covered by the API tests against a real SMTP server. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "jobs/jobs.h"
#include "store/db.h"
#include "store/migrate.h"
#include "util/config.h"
#include "util/timeutil.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char g_dir[64];
static db *g_db;

static int setup(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/nccs-jobs-XXXXXX";
    if (!mkdtemp(tmpl))
        return -1;
    snprintf(g_dir, sizeof g_dir, "%s", tmpl);
    char url[128], err[256];
    snprintf(url, sizeof url, "sqlite:%s/jobs.db", g_dir);
    if (db_open(url, &g_db, err, sizeof err) != DB_OK || migrate_run(g_db, NULL) != DB_OK)
        return -1;
    config_defaults(&g_config);
    /* Port 1 on loopback: connection refused at once, a real failed delivery. */
    snprintf(g_config.smtp_url, sizeof g_config.smtp_url, "smtp://127.0.0.1:1");
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_close(g_db);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", g_dir);
    if (system(cmd) != 0)
        return -1;
    curl_global_cleanup();
    return 0;
}

typedef struct {
    char state[16];
    int64_t attempts, run_at;
    char last_error[256];
} job_row;

static void load(int64_t id, job_row *j)
{
    db_val p[] = {DBI(id)};
    db_res *r = NULL;
    assert_int_equal(db_query(g_db,
                              "SELECT state, attempts, run_at, COALESCE(last_error, '') FROM jobs "
                              "WHERE id = $1",
                              p, 1, &r),
                     DB_OK);
    assert_int_equal(r->nrows, 1);
    snprintf(j->state, sizeof j->state, "%s", db_text(r, 0, 0));
    j->attempts = db_int(r, 0, 1);
    j->run_at = db_int(r, 0, 2);
    snprintf(j->last_error, sizeof j->last_error, "%s", db_text(r, 0, 3));
    db_res_free(r);
}

static int64_t last_id(void)
{
    int64_t id = 0;
    assert_int_equal(db_scalar(g_db, "SELECT MAX(id) FROM jobs", NULL, 0, &id), DB_OK);
    return id;
}

static void make_due(int64_t id)
{
    db_val p[] = {DBI(id), DBI(time_now() - 1)};
    assert_int_equal(db_query(g_db, "UPDATE jobs SET run_at = $2 WHERE id = $1", p, 2, NULL),
                     DB_OK);
}

static void test_nothing_due(void **state)
{
    (void)state;
    assert_int_equal(jobs_run_one(g_db), 0);
}

static void test_failed_mail_is_retried_with_backoff_then_given_up(void **state)
{
    (void)state;
    assert_int_equal(jobs_enqueue_mail(g_db, "nurse@example.jp", "件名", "本文です。"), DB_OK);
    int64_t id = last_id();
    job_row j;
    load(id, &j);
    assert_string_equal(j.state, "queued");
    assert_int_equal(j.attempts, 0);

    int64_t t0 = time_now();
    assert_int_equal(jobs_run_one(g_db), 1);
    load(id, &j);
    assert_string_equal(j.state, "queued");
    assert_int_equal(j.attempts, 1);
    assert_true(j.run_at >= t0 + 30 && j.run_at <= time_now() + 30); /* first backoff: 30 s */
    assert_non_null(strstr(j.last_error, "smtp"));
    assert_int_equal(jobs_run_one(g_db), 0); /* not due again yet */

    make_due(id);
    t0 = time_now();
    assert_int_equal(jobs_run_one(g_db), 1);
    load(id, &j);
    assert_int_equal(j.attempts, 2);
    assert_true(j.run_at >= t0 + 60 && j.run_at <= time_now() + 60); /* doubled */

    /* Give up after max_attempts (8): the job is kept as failed with its error. */
    for (int k = 3; k <= 8; k++) {
        make_due(id);
        assert_int_equal(jobs_run_one(g_db), 1);
    }
    load(id, &j);
    assert_string_equal(j.state, "failed");
    assert_int_equal(j.attempts, 8);
    assert_non_null(strstr(j.last_error, "smtp"));
    make_due(id);
    assert_int_equal(jobs_run_one(g_db), 0); /* failed jobs are never claimed */
}

static void test_dead_worker_job_is_reclaimed(void **state)
{
    (void)state;
    assert_int_equal(jobs_enqueue_mail(g_db, "a@example.jp", "s", "b"), DB_OK);
    int64_t id = last_id();
    int64_t now = time_now();
    db_val p[] = {DBI(id), DBI(now + 300)};
    /* Claimed by a worker whose lock is still valid: not claimable. */
    assert_int_equal(db_query(g_db,
                              "UPDATE jobs SET state = 'running', locked_until = $2 WHERE id = $1",
                              p, 2, NULL),
                     DB_OK);
    assert_int_equal(jobs_run_one(g_db), 0);
    /* The worker died: its lock expired, so another worker takes the job over. */
    db_val q[] = {DBI(id), DBI(now - 1)};
    assert_int_equal(db_query(g_db, "UPDATE jobs SET locked_until = $2 WHERE id = $1", q, 2, NULL),
                     DB_OK);
    assert_int_equal(jobs_run_one(g_db), 1);
    job_row j;
    load(id, &j);
    assert_string_equal(j.state, "queued"); /* delivery failed again, so back in the queue */
    assert_int_equal(j.attempts, 1);
}

static void test_unknown_kind_and_bad_payload_are_recorded(void **state)
{
    (void)state;
    json_t *p = json_pack("{s:s}", "x", "y");
    assert_int_equal(jobs_enqueue(g_db, "no_such_kind", p, 0), DB_OK);
    json_decref(p);
    int64_t id = last_id();
    assert_int_equal(jobs_run_one(g_db), 1);
    job_row j;
    load(id, &j);
    assert_string_equal(j.last_error, "unknown job kind");

    json_t *m = json_pack("{s:s}", "to", "a@example.jp"); /* no subject/body */
    assert_int_equal(jobs_enqueue(g_db, "mail", m, 0), DB_OK);
    json_decref(m);
    id = last_id();
    assert_int_equal(jobs_run_one(g_db), 1);
    load(id, &j);
    assert_non_null(strstr(j.last_error, "lacks"));
}

static void test_header_injection_refused(void **state)
{
    (void)state;
    char err[128] = "";
    assert_int_equal(mail_send("a@example.jp\r\nBcc: x@example.jp", "s", "b", err, sizeof err), -1);
    assert_non_null(strstr(err, "injection"));
    assert_int_equal(mail_send("a@example.jp", "s\nX-Evil: 1", "b", err, sizeof err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nothing_due),
        cmocka_unit_test(test_failed_mail_is_retried_with_backoff_then_given_up),
        cmocka_unit_test(test_dead_worker_job_is_reclaimed),
        cmocka_unit_test(test_unknown_kind_and_bad_payload_are_recorded),
        cmocka_unit_test(test_header_injection_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
