/* Unit tests for src/store (db.c, sqlite.c, migrate.c, accounts.c) on a real SQLite file in a
 * temporary directory. The tests share one migrated database, opened in the group setup. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/accounts.h"
#include "store/db.h"
#include "store/migrate.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char g_dir[64];
static char g_url[128];
static db *g_db;

static void path_in_dir(char *out, size_t cap, const char *name)
{
    int n = snprintf(out, cap, "%s/%s", g_dir, name);
    assert_true(n > 0 && (size_t)n < cap);
}

static int64_t scalar(db *d, const char *sql)
{
    int64_t v = -1;
    int rc = db_scalar(d, sql, NULL, 0, &v);
    if (rc != DB_OK)
        fail_msg("%s: %s", sql, db_errmsg(d));
    return v;
}

static int64_t count_k(db *d, const char *k)
{
    db_val p[] = {DBT(k)};
    int64_t v = -1;
    assert_int_equal(db_scalar(d, "SELECT COUNT(*) FROM t_scratch WHERE k = $1", p, 1, &v), DB_OK);
    return v;
}

static int group_setup(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/nccs-store-XXXXXX";
    if (!mkdtemp(tmpl))
        return -1;
    snprintf(g_dir, sizeof g_dir, "%s", tmpl);
    snprintf(g_url, sizeof g_url, "sqlite:%s/main.db", g_dir);
    char err[256];
    if (db_open(g_url, &g_db, err, sizeof err) != DB_OK) {
        fprintf(stderr, "db_open: %s\n", err);
        return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    db_close(g_db);
    g_db = NULL;
    DIR *dir = opendir(g_dir);
    if (dir) {
        struct dirent *de;
        while ((de = readdir(dir)) != NULL) {
            if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                continue;
            char p[256];
            snprintf(p, sizeof p, "%s/%s", g_dir, de->d_name);
            unlink(p);
        }
        closedir(dir);
    }
    return rmdir(g_dir) == 0 ? 0 : -1;
}

/* ---- open and migrate ---------------------------------------------------------------- */

static void test_open_errors(void **state)
{
    (void)state;
    db *d = (db *)0x1;
    char err[256] = "";
    assert_int_equal(db_open("mysql://localhost/x", &d, err, sizeof err), DB_ERROR);
    assert_null(d);
    assert_non_null(strstr(err, "unsupported"));

    err[0] = '\0';
    assert_int_equal(db_open("", &d, err, sizeof err), DB_ERROR);
    assert_null(d);
    assert_true(err[0] != '\0');

    err[0] = '\0';
    assert_int_equal(db_open("sqlite:/nonexistent-nccs-dir/sub/x.db", &d, err, sizeof err),
                     DB_ERROR);
    assert_null(d);
    assert_non_null(strstr(err, "sqlite"));

    /* A directory is not a database. */
    char url[128];
    snprintf(url, sizeof url, "sqlite:%s", g_dir);
    err[0] = '\0';
    assert_int_equal(db_open(url, &d, err, sizeof err), DB_ERROR);
    assert_null(d);
    assert_true(err[0] != '\0');

    /* PostgreSQL that refuses the connection: an error, nothing leaked. */
    err[0] = '\0';
    assert_int_equal(
        db_open("postgresql://127.0.0.1:1/nccs?connect_timeout=2", &d, err, sizeof err), DB_ERROR);
    assert_null(d);
    assert_non_null(strstr(err, "pg"));

    /* The good one. */
    assert_int_equal(db_kind(g_db), DB_SQLITE);
    assert_false(db_in_tx(g_db));
}

static void test_migrate(void **state)
{
    (void)state;
    int cur = -1;
    int applied = -1;
    assert_true(migrate_latest() >= 3);
    assert_int_equal(migrate_run(g_db, &applied), DB_OK);
    assert_int_equal(applied, migrate_latest()); /* versions 1..latest, no gaps */
    assert_int_equal(migrate_current(g_db, &cur), DB_OK);
    assert_int_equal(cur, migrate_latest());
    assert_int_equal(scalar(g_db, "SELECT COUNT(*) FROM schema_migrations"), applied);

    /* Idempotent. */
    applied = -1;
    assert_int_equal(migrate_run(g_db, &applied), DB_OK);
    assert_int_equal(applied, 0);
    assert_int_equal(migrate_run(g_db, NULL), DB_OK);
    assert_false(db_in_tx(g_db));

    assert_int_equal(scalar(g_db, "SELECT COUNT(*) FROM prefectures"), 47);
    assert_int_equal(scalar(g_db, "SELECT COUNT(*) FROM municipalities"), 1892);
    assert_int_equal(scalar(g_db, "SELECT COUNT(*) FROM nurse_centers"), 47);
    assert_int_equal(scalar(g_db, "SELECT COUNT(DISTINCT prefecture_code) FROM municipalities"),
                     47);
    assert_int_equal(scalar(g_db, "SELECT COUNT(*) FROM municipalities m LEFT JOIN prefectures p "
                                  "ON p.code = m.prefecture_code WHERE p.code IS NULL"),
                     0);
    assert_int_equal(scalar(g_db, "SELECT COUNT(*) FROM code_lists"), 50);
    assert_int_equal(scalar(g_db, "SELECT COUNT(*) FROM code_lists WHERE list = 'licence_types'"),
                     4);
    assert_int_equal(scalar(g_db, "SELECT COUNT(*) FROM code_lists WHERE list = 'channels'"), 4);
    assert_int_equal(scalar(g_db, "SELECT COUNT(*) FROM code_lists WHERE list = 'facility_types'"),
                     13);

    db_res *r = NULL;
    db_val p[] = {DBT("13")};
    assert_int_equal(db_query(g_db, "SELECT name FROM prefectures WHERE code = $1", p, 1, &r),
                     DB_OK);
    assert_int_equal(r->nrows, 1);
    assert_string_equal(db_text(r, 0, 0), "東京都");
    db_res_free(r);

    assert_int_equal(db_exec_script(g_db, "CREATE TABLE t_scratch (id INTEGER PRIMARY KEY, "
                                          "k TEXT UNIQUE, v INTEGER, s TEXT);"
                                          "CREATE TABLE t_conc (tid INTEGER NOT NULL, "
                                          "i INTEGER NOT NULL, PRIMARY KEY (tid, i));"),
                     DB_OK);
}

/* ---- transactions -------------------------------------------------------------------- */

typedef struct {
    const char *k;
    int calls;
    int fail_times; /* return DB_RETRY this many times first */
    int result;     /* what the body returns after inserting */
    bool saw_in_tx;
    int nested_rc;
    int inner_calls;
} tx_ctx;

static int body_insert(db *d, void *arg)
{
    tx_ctx *c = arg;
    c->calls++;
    c->saw_in_tx = db_in_tx(d);
    db_val p[] = {DBT(c->k), DBI(c->calls)};
    int rc = db_query(d, "INSERT INTO t_scratch (k, v) VALUES ($1, $2)", p, 2, NULL);
    if (rc != DB_OK)
        return rc;
    if (c->calls <= c->fail_times)
        return DB_RETRY;
    return c->result;
}

static void test_tx_commit_rollback(void **state)
{
    (void)state;
    tx_ctx c = {.k = "commit", .result = DB_OK};
    assert_int_equal(db_tx(g_db, body_insert, &c), DB_OK);
    assert_int_equal(c.calls, 1);
    assert_true(c.saw_in_tx);
    assert_false(db_in_tx(g_db));
    assert_int_equal(count_k(g_db, "commit"), 1);

    const int fails[] = {DB_ERROR, DB_CONSTRAINT, DB_NOTFOUND, 42};
    const char *keys[] = {"rb1", "rb2", "rb3", "rb4"};
    for (int i = 0; i < 4; i++) {
        tx_ctx f = {.k = keys[i], .result = fails[i]};
        assert_int_equal(db_tx(g_db, body_insert, &f), fails[i]);
        assert_int_equal(f.calls, 1); /* not retried */
        assert_false(db_in_tx(g_db));
        assert_int_equal(count_k(g_db, keys[i]), 0); /* rolled back */
    }

    /* A failing statement in the body rolls back what the body did before. */
    tx_ctx dup = {.k = "commit", .result = DB_OK};
    assert_int_equal(db_tx(g_db, body_insert, &dup), DB_CONSTRAINT);
    assert_int_equal(count_k(g_db, "commit"), 1);
    assert_false(db_in_tx(g_db));

    db_rollback(g_db); /* no transaction: harmless */
    assert_false(db_in_tx(g_db));
}

static void test_tx_retry(void **state)
{
    (void)state;
    tx_ctx c = {.k = "retry", .fail_times = 2, .result = DB_OK};
    assert_int_equal(db_tx(g_db, body_insert, &c), DB_OK);
    assert_int_equal(c.calls, 3);
    assert_int_equal(count_k(g_db, "retry"), 1); /* the first two attempts were rolled back */
    db_val p[] = {DBT("retry")};
    int64_t v = 0;
    assert_int_equal(db_scalar(g_db, "SELECT v FROM t_scratch WHERE k = $1", p, 1, &v), DB_OK);
    assert_int_equal(v, 3);

    /* Always DB_RETRY: db_tx gives up after its limit (12 attempts in db.c). */
    tx_ctx g = {.k = "giveup", .fail_times = 1000, .result = DB_OK};
    assert_int_equal(db_tx(g_db, body_insert, &g), DB_RETRY);
    assert_true(g.calls > 1);
    assert_int_equal(g.calls, 12);
    assert_int_equal(count_k(g_db, "giveup"), 0);
    assert_false(db_in_tx(g_db));
}

static int body_inner(db *d, void *arg)
{
    (void)d;
    tx_ctx *c = arg;
    c->inner_calls++;
    return DB_OK;
}

static int body_outer(db *d, void *arg)
{
    tx_ctx *c = arg;
    c->calls++;
    db_val p[] = {DBT(c->k), DBI(1)};
    int rc = db_query(d, "INSERT INTO t_scratch (k, v) VALUES ($1, $2)", p, 2, NULL);
    if (rc != DB_OK)
        return rc;
    c->nested_rc = db_tx(d, body_inner, c);
    c->saw_in_tx = db_in_tx(d); /* the nested refusal must not end the outer transaction */
    return DB_OK;
}

static void test_tx_nested(void **state)
{
    (void)state;
    tx_ctx c = {.k = "outer"};
    assert_int_equal(db_tx(g_db, body_outer, &c), DB_OK);
    assert_int_equal(c.nested_rc, DB_ERROR);
    assert_int_equal(c.inner_calls, 0);
    assert_true(c.saw_in_tx);
    assert_false(db_in_tx(g_db));
    assert_int_equal(count_k(g_db, "outer"), 1);
}

/* ---- queries ------------------------------------------------------------------------- */

static void test_constraints(void **state)
{
    (void)state;
    db_val p[] = {DBT("uniq"), DBI(1)};
    assert_int_equal(db_query(g_db, "INSERT INTO t_scratch (k, v) VALUES ($1, $2)", p, 2, NULL),
                     DB_OK);
    assert_int_equal(db_query(g_db, "INSERT INTO t_scratch (k, v) VALUES ($1, $2)", p, 2, NULL),
                     DB_CONSTRAINT);
    assert_true(db_errmsg(g_db)[0] != '\0');
    /* foreign key (PRAGMA foreign_keys=ON) and CHECK */
    db_val m[] = {DBT("99999"), DBT("99"), DBT("x"), DBT("x")};
    assert_int_equal(db_query(g_db,
                              "INSERT INTO municipalities (code, prefecture_code, name, kana) "
                              "VALUES ($1, $2, $3, $4)",
                              m, 4, NULL),
                     DB_CONSTRAINT);
    db_val j[] = {DBT("bogus")};
    assert_int_equal(db_query(g_db,
                              "INSERT INTO jobs (kind, payload, state, run_at, created_at, "
                              "updated_at) VALUES ('k', '{}', $1, 0, 0, 0)",
                              j, 1, NULL),
                     DB_CONSTRAINT);
    /* A syntax error is a plain error and yields no result. */
    db_res *r = (db_res *)0x1;
    assert_int_equal(db_query(g_db, "SELEC 1", NULL, 0, &r), DB_ERROR);
    assert_null(r);
    assert_true(db_errmsg(g_db)[0] != '\0');
}

static void test_params_round_trip(void **state)
{
    (void)state;
    const char *text = "日本語 'quoted' \"dq\" ; DROP TABLE users; --";
    db_val p[] = {DBT("rt1"), DBI(INT64_MAX), DBT(text)};
    assert_int_equal(
        db_query(g_db, "INSERT INTO t_scratch (k, v, s) VALUES ($1, $2, $3)", p, 3, NULL), DB_OK);
    db_val q[] = {DBT("rt2"), DBI(INT64_MIN), DBNULL};
    assert_int_equal(
        db_query(g_db, "INSERT INTO t_scratch (k, v, s) VALUES ($1, $2, $3)", q, 3, NULL), DB_OK);
    db_val z[] = {DBT("rt3"), DBI(0), DBT(NULL)};
    assert_int_equal(
        db_query(g_db, "INSERT INTO t_scratch (k, v, s) VALUES ($1, $2, $3)", z, 3, NULL), DB_OK);
    db_val e[] = {DBT("rt4"), DBNULL, DBT("")};
    assert_int_equal(
        db_query(g_db, "INSERT INTO t_scratch (k, v, s) VALUES ($1, $2, $3)", e, 3, NULL), DB_OK);

    db_res *r = NULL;
    assert_int_equal(db_query(g_db,
                              "SELECT k, v, s, typeof(s) FROM t_scratch WHERE k LIKE 'rt%' "
                              "ORDER BY k",
                              NULL, 0, &r),
                     DB_OK);
    assert_int_equal(r->nrows, 4);
    assert_int_equal(r->ncols, 4);
    assert_string_equal(db_text(r, 0, 0), "rt1");
    assert_true(db_int(r, 0, 1) == INT64_MAX);
    assert_string_equal(db_text(r, 0, 2), text);
    assert_string_equal(db_text(r, 0, 3), "text");
    assert_true(db_int(r, 1, 1) == INT64_MIN);
    assert_true(db_isnull(r, 1, 2));
    assert_null(db_text(r, 1, 2));
    assert_string_equal(db_text(r, 1, 3), "null");
    assert_true(db_isnull(r, 2, 2)); /* DBT(NULL) is SQL NULL */
    assert_true(db_isnull(r, 3, 1));
    assert_int_equal(db_int(r, 3, 1), 0); /* NULL reads as 0 */
    assert_false(db_isnull(r, 3, 2));     /* "" is not NULL */
    assert_string_equal(db_text(r, 3, 2), "");
    /* out of range */
    assert_null(db_text(r, 4, 0));
    assert_null(db_text(r, -1, 0));
    assert_null(db_text(r, 0, 4));
    assert_null(db_text(NULL, 0, 0));
    db_res_free(r);

    /* Parameters straight back, incl. one the text does not use and reuse of $1. */
    db_val s[] = {DBT("a"), DBI(-7), DBNULL, DBT("unused")};
    assert_int_equal(db_query(g_db, "SELECT $1, $2, $3, $1 || $1", s, 4, &r), DB_OK);
    assert_int_equal(r->nrows, 1);
    assert_string_equal(db_text(r, 0, 0), "a");
    assert_int_equal(db_int(r, 0, 1), -7);
    assert_true(db_isnull(r, 0, 2));
    assert_string_equal(db_text(r, 0, 3), "aa");
    db_res_free(r);

    /* The cached statement does not keep old bindings. */
    db_val s2[] = {DBT("b"), DBI(8), DBT("c")};
    assert_int_equal(db_query(g_db, "SELECT $1, $2, $3, $1 || $1", s2, 3, &r), DB_OK);
    assert_string_equal(db_text(r, 0, 0), "b");
    assert_string_equal(db_text(r, 0, 2), "c");
    db_res_free(r);

    /* A statement without rows still gives a result to free. */
    db_val u[] = {DBT("rt-none")};
    assert_int_equal(db_query(g_db, "UPDATE t_scratch SET v = 1 WHERE k = $1", u, 1, &r), DB_OK);
    assert_non_null(r);
    assert_int_equal(r->nrows, 0);
    db_res_free(r);
    assert_int_equal(db_query(g_db, "SELECT k FROM t_scratch WHERE k = $1", u, 1, &r), DB_OK);
    assert_non_null(r);
    assert_int_equal(r->nrows, 0);
    assert_int_equal(r->ncols, 1);
    db_res_free(r);

    int64_t v = 99;
    assert_int_equal(db_scalar(g_db, "SELECT v FROM t_scratch WHERE k = $1", u, 1, &v), DB_OK);
    assert_int_equal(v, 0); /* no row → 0 */
}

static void test_query_uncached(void **state)
{
    (void)state;
    /* The same buffer with different texts: a cache keyed by address would return stale
     * results, so this only works if nothing is cached. */
    char *sql = malloc(64);
    assert_non_null(sql);
    db_res *r = NULL;
    snprintf(sql, 64, "SELECT %d, $1", 1);
    db_val p[] = {DBT("x")};
    assert_int_equal(db_query_uncached(g_db, sql, p, 1, &r), DB_OK);
    assert_string_equal(db_text(r, 0, 0), "1");
    assert_string_equal(db_text(r, 0, 1), "x");
    db_res_free(r);
    snprintf(sql, 64, "SELECT COUNT(*) FROM %s", "prefectures");
    assert_int_equal(db_query_uncached(g_db, sql, NULL, 0, &r), DB_OK);
    assert_string_equal(db_text(r, 0, 0), "47");
    db_res_free(r);
    snprintf(sql, 64, "SELECT * FROM %s", "no_such_table");
    r = (db_res *)0x1;
    assert_int_equal(db_query_uncached(g_db, sql, NULL, 0, &r), DB_ERROR);
    assert_null(r);
    free(sql);
}

static void test_backup(void **state)
{
    (void)state;
    account a;
    memset(&a, 0, sizeof a);
    snprintf(a.email, sizeof a.email, "backup@example.jp");
    snprintf(a.role, sizeof a.role, "central");
    snprintf(a.name, sizeof a.name, "中央 太郎");
    snprintf(a.channel, sizeof a.channel, "center");
    int64_t id = 0;
    assert_int_equal(store_user_insert(g_db, &a, true, 1000, &id), DB_OK);

    char path[256], url[300];
    path_in_dir(path, sizeof path, "backup.db");
    assert_int_equal(db_backup(g_db, path), DB_OK);
    snprintf(url, sizeof url, "sqlite:%s", path);
    db *b = NULL;
    char err[256];
    assert_int_equal(db_open(url, &b, err, sizeof err), DB_OK);
    int64_t users = scalar(g_db, "SELECT COUNT(*) FROM users");
    assert_true(users >= 1);
    assert_int_equal(scalar(b, "SELECT COUNT(*) FROM users"), users);
    assert_int_equal(scalar(b, "SELECT COUNT(*) FROM municipalities"), 1892);
    int cur = 0;
    assert_int_equal(migrate_current(b, &cur), DB_OK);
    assert_int_equal(cur, migrate_latest());
    account got;
    assert_int_equal(store_user_by_email(b, "backup@example.jp", &got), DB_OK);
    assert_int_equal(got.id, id);
    db_close(b);

    assert_int_equal(db_backup(g_db, "/nonexistent-nccs-dir/x.db"), DB_ERROR);
    assert_true(db_errmsg(g_db)[0] != '\0');
}

/* ---- accounts ------------------------------------------------------------------------ */

static int64_t add_user(const char *email, const char *role, const char *pref)
{
    account a;
    memset(&a, 0, sizeof a);
    snprintf(a.email, sizeof a.email, "%s", email);
    snprintf(a.role, sizeof a.role, "%s", role);
    snprintf(a.name, sizeof a.name, "テスト");
    snprintf(a.prefecture, sizeof a.prefecture, "%s", pref);
    snprintf(a.channel, sizeof a.channel, "pc");
    int64_t id = 0;
    int rc = store_user_insert(g_db, &a, true, 500, &id);
    if (rc != DB_OK)
        fail_msg("insert %s: %s", email, db_errmsg(g_db));
    return id;
}

static void test_users(void **state)
{
    (void)state;
    account a;
    memset(&a, 0, sizeof a);
    snprintf(a.email, sizeof a.email, "hanako@example.jp");
    snprintf(a.role, sizeof a.role, "seeker");
    snprintf(a.name, sizeof a.name, "山田 花子");
    snprintf(a.name_kana, sizeof a.name_kana, "ヤマダ ハナコ");
    snprintf(a.phone, sizeof a.phone, "03-1234-5678");
    snprintf(a.prefecture, sizeof a.prefecture, "13");
    snprintf(a.channel, sizeof a.channel, "smartphone");
    snprintf(a.password_hash, sizeof a.password_hash, "$argon2id$fake");
    int64_t id = 0;
    assert_int_equal(store_user_insert(g_db, &a, false, 1234, &id), DB_OK);
    assert_true(id > 0);

    account got;
    assert_int_equal(store_user_by_email(g_db, "hanako@example.jp", &got), DB_OK);
    assert_int_equal(got.id, id);
    assert_string_equal(got.email, "hanako@example.jp");
    assert_string_equal(got.role, "seeker");
    assert_string_equal(got.status, "active");
    assert_false(got.verified);
    assert_string_equal(got.password_hash, "$argon2id$fake");
    assert_string_equal(got.name, "山田 花子");
    assert_string_equal(got.name_kana, "ヤマダ ハナコ");
    assert_string_equal(got.phone, "03-1234-5678");
    assert_string_equal(got.prefecture, "13");
    assert_int_equal(got.facility_id, 0);
    assert_string_equal(got.channel, "smartphone");
    assert_int_equal(got.created_at, 1234);

    account byid;
    assert_int_equal(store_user_by_id(g_db, id, &byid), DB_OK);
    assert_string_equal(byid.email, "hanako@example.jp");
    assert_int_equal(byid.id, id);

    assert_int_equal(store_user_by_email(g_db, "nobody@example.jp", &got), DB_NOTFOUND);
    assert_int_equal(store_user_by_email(g_db, "HANAKO@example.jp", &got), DB_NOTFOUND);
    assert_int_equal(store_user_by_id(g_db, 987654321, &got), DB_NOTFOUND);

    /* e-mail taken */
    int64_t id2 = 0;
    assert_int_equal(store_user_insert(g_db, &a, false, 1234, &id2), DB_CONSTRAINT);
    /* role and prefecture are checked by the schema */
    snprintf(a.email, sizeof a.email, "other@example.jp");
    snprintf(a.role, sizeof a.role, "doctor");
    assert_int_equal(store_user_insert(g_db, &a, false, 1234, &id2), DB_CONSTRAINT);
    snprintf(a.role, sizeof a.role, "seeker");
    snprintf(a.prefecture, sizeof a.prefecture, "99");
    assert_int_equal(store_user_insert(g_db, &a, false, 1234, &id2), DB_CONSTRAINT);

    /* optional fields empty → stored NULL → read back as "" */
    memset(&a, 0, sizeof a);
    snprintf(a.email, sizeof a.email, "staff@example.jp");
    snprintf(a.role, sizeof a.role, "central");
    snprintf(a.name, sizeof a.name, "職員");
    snprintf(a.channel, sizeof a.channel, "center");
    assert_int_equal(store_user_insert(g_db, &a, true, 99, &id2), DB_OK);
    assert_int_equal(store_user_by_id(g_db, id2, &got), DB_OK);
    assert_true(got.verified);
    assert_string_equal(got.phone, "");
    assert_string_equal(got.prefecture, "");
    assert_string_equal(got.password_hash, "");
    assert_string_equal(got.name_kana, "");
    assert_int_equal(scalar(g_db, "SELECT COUNT(*) FROM users WHERE email = 'staff@example.jp' "
                                  "AND phone IS NULL AND prefecture_code IS NULL "
                                  "AND password_hash IS NULL AND facility_id IS NULL"),
                     1);

    /* updates */
    assert_int_equal(store_user_set_verified(g_db, id, 2000), DB_OK);
    assert_int_equal(store_user_set_password(g_db, id, "$argon2id$new", 2001), DB_OK);
    assert_int_equal(store_user_by_id(g_db, id, &got), DB_OK);
    assert_true(got.verified);
    assert_string_equal(got.password_hash, "$argon2id$new");
    assert_int_equal(store_user_set_email(g_db, id, "hanako2@example.jp", 2002), DB_OK);
    assert_int_equal(store_user_by_email(g_db, "hanako@example.jp", &got), DB_NOTFOUND);
    assert_int_equal(store_user_by_email(g_db, "hanako2@example.jp", &got), DB_OK);
    assert_int_equal(got.id, id);
    assert_int_equal(store_user_set_email(g_db, id, "staff@example.jp", 2003), DB_CONSTRAINT);

    /* licences: one per type */
    assert_int_equal(store_licence_insert(g_db, id, "kangoshi", "123456", "2015-04-01"), DB_OK);
    assert_int_equal(store_licence_insert(g_db, id, "kangoshi", "654321", "2016-04-01"),
                     DB_CONSTRAINT);
    assert_int_equal(store_licence_insert(g_db, id, "doctor", "1", "2016-04-01"), DB_CONSTRAINT);

    /* facilities */
    int64_t fid = 0;
    assert_int_equal(store_facility_insert(g_db, "病院", "ビョウイン", "13", "13101", "hospital",
                                           "03-0000-0000", 10, &fid),
                     DB_OK);
    assert_true(fid > 0);
    assert_int_equal(
        store_facility_insert(g_db, "病院", "ビョウイン", "99", NULL, "hospital", NULL, 10, &fid),
        DB_CONSTRAINT);

    /* audit */
    assert_int_equal(
        store_audit_add(g_db, 3000, id2, "central", "", id, "person.view", "people", "127.0.0.1"),
        DB_OK);
    assert_int_equal(scalar(g_db, "SELECT COUNT(*) FROM audit_log WHERE action = 'person.view' "
                                  "AND actor_prefecture IS NULL"),
                     1);
}

static void test_tokens(void **state)
{
    (void)state;
    int64_t uid = add_user("token@example.jp", "seeker", "13");
    assert_int_equal(store_token_insert(g_db, "th-verify", "verify", uid, NULL, 1000, 2000), DB_OK);
    assert_int_equal(store_token_insert(g_db, "th-verify", "verify", uid, NULL, 1000, 2000),
                     DB_CONSTRAINT);

    int64_t got_uid = 0;
    char kind[32], email[256];
    assert_int_equal(store_token_take(g_db, "th-verify", "verify", "verify", 1500, &got_uid, kind,
                                      sizeof kind, email, sizeof email),
                     DB_OK);
    assert_int_equal(got_uid, uid);
    assert_string_equal(kind, "verify");
    assert_string_equal(email, "");
    /* single use */
    assert_int_equal(store_token_take(g_db, "th-verify", "verify", "verify", 1501, &got_uid, kind,
                                      sizeof kind, email, sizeof email),
                     DB_NOTFOUND);

    /* expiry: expires_at is exclusive */
    assert_int_equal(store_token_insert(g_db, "th-exp", "reset", uid, NULL, 1000, 2000), DB_OK);
    assert_int_equal(store_token_take(g_db, "th-exp", "reset", "reset", 2000, &got_uid, kind,
                                      sizeof kind, email, sizeof email),
                     DB_NOTFOUND);
    assert_int_equal(store_token_take(g_db, "th-exp", "reset", "reset", 5000, &got_uid, kind,
                                      sizeof kind, email, sizeof email),
                     DB_NOTFOUND);
    /* the failed attempts did not consume it */
    assert_int_equal(store_token_take(g_db, "th-exp", "reset", "reset", 1999, &got_uid, kind,
                                      sizeof kind, email, sizeof email),
                     DB_OK);

    /* kind must match one of the two */
    assert_int_equal(
        store_token_insert(g_db, "th-mail", "email_change", uid, "new@example.jp", 1000, 9000),
        DB_OK);
    assert_int_equal(store_token_take(g_db, "th-mail", "verify", "reset", 1500, &got_uid, kind,
                                      sizeof kind, email, sizeof email),
                     DB_NOTFOUND);
    assert_int_equal(store_token_take(g_db, "th-mail", "verify", "email_change", 1500, &got_uid,
                                      kind, sizeof kind, email, sizeof email),
                     DB_OK);
    assert_string_equal(kind, "email_change");
    assert_string_equal(email, "new@example.jp");

    assert_int_equal(store_token_take(g_db, "th-unknown", "verify", "reset", 1500, &got_uid, kind,
                                      sizeof kind, email, sizeof email),
                     DB_NOTFOUND);

    int64_t n = -1;
    assert_int_equal(store_tokens_recent(g_db, uid, "reset", 999, &n), DB_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_tokens_recent(g_db, uid, "reset", 1000, &n), DB_OK);
    assert_int_equal(n, 0);
    /* unknown kind is refused by the schema */
    assert_int_equal(store_token_insert(g_db, "th-bad", "magic", uid, NULL, 1, 2), DB_CONSTRAINT);
}

static void test_login_failures(void **state)
{
    (void)state;
    const char *e1 = "lf1@example.jp", *e2 = "lf2@example.jp", *ip = "192.0.2.7";
    assert_int_equal(store_login_failure_add(g_db, e1, ip, 100), DB_OK);
    assert_int_equal(store_login_failure_add(g_db, e1, ip, 200), DB_OK);
    assert_int_equal(store_login_failure_add(g_db, e1, "192.0.2.8", 300), DB_OK);
    assert_int_equal(store_login_failure_add(g_db, e2, ip, 250), DB_OK);

    int64_t be, bi, oe, oi;
    assert_int_equal(store_login_failures(g_db, e1, ip, 0, &be, &bi, &oe, &oi), DB_OK);
    assert_int_equal(be, 3);
    assert_int_equal(bi, 3);
    assert_int_equal(oe, 100);
    assert_int_equal(oi, 100);

    /* the window is (since, now]: an attempt exactly at `since` is outside */
    assert_int_equal(store_login_failures(g_db, e1, ip, 100, &be, &bi, &oe, &oi), DB_OK);
    assert_int_equal(be, 2);
    assert_int_equal(bi, 2);
    assert_int_equal(oe, 200);
    assert_int_equal(oi, 200);

    assert_int_equal(store_login_failures(g_db, e1, ip, 300, &be, &bi, &oe, &oi), DB_OK);
    assert_int_equal(be, 0);
    assert_int_equal(bi, 0);
    assert_int_equal(oe, 0);
    assert_int_equal(oi, 0);

    /* clearing one account keeps the other's failures (and the IP's count from them) */
    assert_int_equal(store_login_failures_clear(g_db, e1), DB_OK);
    assert_int_equal(store_login_failures(g_db, e1, ip, 0, &be, &bi, &oe, &oi), DB_OK);
    assert_int_equal(be, 0);
    assert_int_equal(bi, 1);
    assert_int_equal(oi, 250);
    assert_int_equal(store_login_failures(g_db, e2, ip, 0, &be, &bi, &oe, &oi), DB_OK);
    assert_int_equal(be, 1);
}

static void test_sessions(void **state)
{
    (void)state;
    const int idle = 1800, absolute = 43200;
    int64_t uid = add_user("session@example.jp", "counselor", "13");
    assert_int_equal(
        store_session_insert(g_db, "sh-1", uid, "csrf-1", 10000, "127.0.0.1", "test-agent"), DB_OK);
    assert_int_equal(store_session_insert(g_db, "sh-1", uid, "csrf-x", 10000, "127.0.0.1", "ua"),
                     DB_CONSTRAINT);

    int64_t sid = 0, u = 0, last = 0;
    char csrf[64];
    assert_int_equal(store_session_lookup(g_db, "sh-1", 10000 + idle - 1, idle, absolute, &sid, &u,
                                          csrf, sizeof csrf, &last),
                     DB_OK);
    assert_true(sid > 0);
    assert_int_equal(u, uid);
    assert_string_equal(csrf, "csrf-1");
    assert_int_equal(last, 10000);

    /* idle expiry */
    assert_int_equal(store_session_lookup(g_db, "sh-1", 10000 + idle, idle, absolute, &sid, &u,
                                          csrf, sizeof csrf, &last),
                     DB_NOTFOUND);
    /* touching keeps it alive */
    assert_int_equal(store_session_touch(g_db, sid, 11000), DB_OK);
    assert_int_equal(store_session_lookup(g_db, "sh-1", 11000 + idle - 1, idle, absolute, &sid, &u,
                                          csrf, sizeof csrf, &last),
                     DB_OK);
    assert_int_equal(last, 11000);

    /* absolute expiry even when recently seen */
    assert_int_equal(store_session_touch(g_db, sid, 10000 + absolute - 10), DB_OK);
    assert_int_equal(store_session_lookup(g_db, "sh-1", 10000 + absolute - 1, idle, absolute, &sid,
                                          &u, csrf, sizeof csrf, &last),
                     DB_OK);
    assert_int_equal(store_session_lookup(g_db, "sh-1", 10000 + absolute, idle, absolute, &sid, &u,
                                          csrf, sizeof csrf, &last),
                     DB_NOTFOUND);

    /* unknown token */
    assert_int_equal(store_session_lookup(g_db, "sh-none", 10001, idle, absolute, &sid, &u, csrf,
                                          sizeof csrf, &last),
                     DB_NOTFOUND);

    /* disabled users have no sessions */
    assert_int_equal(
        store_session_insert(g_db, "sh-2", uid, "csrf-2", 20000, "127.0.0.1", "test-agent"), DB_OK);
    db_val p[] = {DBI(uid)};
    assert_int_equal(
        db_query(g_db, "UPDATE users SET status = 'disabled' WHERE id = $1", p, 1, NULL), DB_OK);
    assert_int_equal(store_session_lookup(g_db, "sh-2", 20001, idle, absolute, &sid, &u, csrf,
                                          sizeof csrf, &last),
                     DB_NOTFOUND);
    assert_int_equal(db_query(g_db, "UPDATE users SET status = 'active' WHERE id = $1", p, 1, NULL),
                     DB_OK);
    int64_t sid2 = 0;
    assert_int_equal(store_session_lookup(g_db, "sh-2", 20001, idle, absolute, &sid2, &u, csrf,
                                          sizeof csrf, &last),
                     DB_OK);

    /* delete one; delete all but one */
    assert_int_equal(
        store_session_insert(g_db, "sh-3", uid, "csrf-3", 20000, "127.0.0.1", "test-agent"), DB_OK);
    assert_int_equal(store_session_delete(g_db, sid2), DB_OK);
    assert_int_equal(store_session_lookup(g_db, "sh-2", 20001, idle, absolute, &sid, &u, csrf,
                                          sizeof csrf, &last),
                     DB_NOTFOUND);
    int64_t sid3 = 0;
    assert_int_equal(store_session_lookup(g_db, "sh-3", 20001, idle, absolute, &sid3, &u, csrf,
                                          sizeof csrf, &last),
                     DB_OK);
    assert_int_equal(
        store_session_insert(g_db, "sh-4", uid, "csrf-4", 20000, "127.0.0.1", "test-agent"), DB_OK);
    assert_int_equal(store_sessions_delete_user(g_db, uid, sid3), DB_OK);
    assert_int_equal(store_session_lookup(g_db, "sh-4", 20001, idle, absolute, &sid, &u, csrf,
                                          sizeof csrf, &last),
                     DB_NOTFOUND);
    assert_int_equal(store_session_lookup(g_db, "sh-3", 20001, idle, absolute, &sid, &u, csrf,
                                          sizeof csrf, &last),
                     DB_OK);
    assert_int_equal(store_sessions_delete_user(g_db, uid, 0), DB_OK);
    assert_int_equal(store_session_lookup(g_db, "sh-3", 20001, idle, absolute, &sid, &u, csrf,
                                          sizeof csrf, &last),
                     DB_NOTFOUND);
}

/* ---- concurrency --------------------------------------------------------------------- */

#define CONC_ROWS 200

typedef struct {
    int tid;
    int i;
} conc_row;

typedef struct {
    int tid;
    int ok;
    int failed;
    int open_rc;
    int last_rc;
} conc_thread;

static int body_conc(db *d, void *arg)
{
    conc_row *r = arg;
    db_val p[] = {DBI(r->tid), DBI(r->i)};
    return db_query(d, "INSERT INTO t_conc (tid, i) VALUES ($1, $2)", p, 2, NULL);
}

static void *conc_worker(void *arg)
{
    conc_thread *t = arg;
    db *d = NULL;
    char err[256];
    t->open_rc = db_open(g_url, &d, err, sizeof err);
    if (t->open_rc != DB_OK)
        return NULL;
    for (int i = 0; i < CONC_ROWS; i++) {
        conc_row r = {t->tid, i};
        int rc = db_tx(d, body_conc, &r);
        if (rc == DB_OK) {
            t->ok++;
        } else {
            t->failed++;
            t->last_rc = rc;
        }
    }
    db_close(d);
    return NULL;
}

static void test_concurrent_writers(void **state)
{
    (void)state;
    conc_thread t[2] = {{.tid = 1}, {.tid = 2}};
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&th[i], NULL, conc_worker, &t[i]), 0);
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_join(th[i], NULL), 0);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(t[i].open_rc, DB_OK);
        if (t[i].failed)
            fail_msg("thread %d: %d transactions failed (last rc %d)", t[i].tid, t[i].failed,
                     t[i].last_rc);
        assert_int_equal(t[i].ok, CONC_ROWS);
    }
    assert_int_equal(scalar(g_db, "SELECT COUNT(*) FROM t_conc"), 2 * CONC_ROWS);
    assert_int_equal(scalar(g_db, "SELECT COUNT(*) FROM t_conc WHERE tid = 1"), CONC_ROWS);
    assert_int_equal(scalar(g_db, "SELECT COUNT(DISTINCT i) FROM t_conc WHERE tid = 2"), CONC_ROWS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_migrate),
        cmocka_unit_test(test_tx_commit_rollback),
        cmocka_unit_test(test_tx_retry),
        cmocka_unit_test(test_tx_nested),
        cmocka_unit_test(test_constraints),
        cmocka_unit_test(test_params_round_trip),
        cmocka_unit_test(test_query_uncached),
        cmocka_unit_test(test_backup),
        cmocka_unit_test(test_users),
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_login_failures),
        cmocka_unit_test(test_sessions),
        cmocka_unit_test(test_concurrent_writers),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
