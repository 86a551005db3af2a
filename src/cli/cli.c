#include "cli/cli.h"
#include "api/api.h"
#include "domain/validate.h"
#include "http/router.h"
#include "jobs/digest.h"
#include "jobs/jobs.h"
#include "search/offer_index.h"
#include "store/accounts.h"
#include "store/migrate.h"
#include "util/config.h"
#include "util/crypto.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <stdint.h>
#include <string.h>

db *cli_open(void)
{
    char err[512];
    db *d = NULL;
    if (db_open(g_config.db_url, &d, err, sizeof err) != DB_OK) {
        fprintf(stderr, "nccs: %s\n", err);
        return NULL;
    }
    return d;
}

int cmd_migrate(void)
{
    db *d = cli_open();
    if (!d)
        return 1;
    int applied = 0;
    int rc = migrate_run(d, &applied);
    if (rc != DB_OK)
        fprintf(stderr, "nccs: migrate failed: %s\n", db_errmsg(d));
    else
        printf("nccs: schema at version %d (%d migration(s) applied)\n", migrate_latest(), applied);
    db_close(d);
    return rc == DB_OK ? 0 : 1;
}

/* ---- nccs user add ------------------------------------------------------------------- */

const char *cli_opt(int argc, char **argv, const char *name)
{
    for (int i = 0; i + 1 < argc; i++)
        if (!strcmp(argv[i], name))
            return argv[i + 1];
    return NULL;
}

typedef struct {
    account a;
    int64_t id;
    bool taken;
} useradd_ctx;

static int useradd_tx(db *d, void *arg)
{
    useradd_ctx *c = arg;
    account existing;
    int rc = store_user_by_email(d, c->a.email, &existing);
    if (rc == DB_OK) {
        c->taken = true;
        return DB_CONSTRAINT;
    }
    if (rc != DB_NOTFOUND)
        return rc;
    return store_user_insert(d, &c->a, true, time_now(), &c->id);
}

int cmd_user(int argc, char **argv)
{
    if (argc < 1 || strcmp(argv[0], "add") != 0) {
        fprintf(stderr, "usage: nccs user add --role ROLE --email E [--prefecture NN] "
                        "[--facility ID] [--name NAME]\n");
        return 2;
    }
    const char *role_s = cli_opt(argc, argv, "--role"), *email = cli_opt(argc, argv, "--email");
    const char *pref = cli_opt(argc, argv, "--prefecture"),
               *fac = cli_opt(argc, argv, "--facility");
    const char *name = cli_opt(argc, argv, "--name");
    role ro = role_parse(role_s);
    if (ro == ROLE_NONE || !email) {
        fprintf(stderr, "nccs: --role (seeker facility_admin facility_staff counselor center_admin "
                        "central sysadmin) and --email are required\n");
        return 2;
    }
    /* Reuse the API's validation for the e-mail and prefecture. */
    static const vfield spec[] = {
        VF_EMAIL("email", "メールアドレス"),
        {.name = "prefecture", .label = "都道府県", .kind = VK_CODE, .codes = PREFECTURE_CODES},
        {.name = NULL}};
    json_t *j = json_pack("{s:s}", "email", email);
    if (pref)
        json_object_set_new(j, "prefecture", json_string(pref));
    verrs e = {.n = 0};
    validate_object(j, spec, "", "", &e);
    int64_t fid = 0;
    if ((ro & ROLES_CENTER) && !pref)
        verrs_add(&e, "prefecture", "prefecture.missing", "--prefecture is required for this role");
    if ((ro & ROLES_FACILITY) && (!fac || str_to_i64(fac, 1, INT64_MAX, &fid) != 0))
        verrs_add(&e, "facility", "facility.missing", "--facility ID is required for this role");
    if (e.n) {
        for (int i = 0; i < e.n; i++)
            fprintf(stderr, "nccs: %s: %s\n", e.items[i].field, e.items[i].message);
        json_decref(j);
        return 2;
    }
    db *d = cli_open();
    if (!d) {
        json_decref(j);
        return 1;
    }
    useradd_ctx c;
    memset(&c, 0, sizeof c);
    str_copy(c.a.email, sizeof c.a.email, vstr(j, "email"));
    str_copy(c.a.role, sizeof c.a.role, role_name(ro));
    str_copy(c.a.name, sizeof c.a.name, name ? name : c.a.email);
    str_copy(c.a.prefecture, sizeof c.a.prefecture,
             vstr(j, "prefecture") ? vstr(j, "prefecture") : "");
    str_copy(c.a.channel, sizeof c.a.channel, "center");
    c.a.facility_id = fid;
    json_decref(j);
    int rc = db_tx(d, useradd_tx, &c);
    if (rc != DB_OK) {
        fprintf(stderr, "nccs: %s\n",
                c.taken ? "that e-mail address is already registered" : db_errmsg(d));
        db_close(d);
        return 1;
    }
    char tok[TOKEN_B64_LEN], hash[TOKEN_HASH_LEN];
    crypto_token(tok, sizeof tok);
    crypto_token_hash(tok, hash, sizeof hash);
    int64_t now = time_now();
    rc = store_token_insert(d, hash, "set_password", c.id, NULL, now, now + 72 * 3600);
    db_close(d);
    if (rc != DB_OK) {
        fprintf(stderr, "nccs: cannot create the password-set token\n");
        return 1;
    }
    printf("created %s account %s (id %lld)\n", role_name(ro), c.a.email, (long long)c.id);
    printf("one-time password-set link (valid 72 hours):\n%s/password-reset?token=%s\n",
           g_config.base_url, tok);
    return 0;
}

int cmd_backup(int argc, char **argv)
{
    const char *out = cli_opt(argc, argv, "--out");
    if (!out) {
        fprintf(stderr, "usage: nccs backup --db URL --out FILE\n");
        return 2;
    }
    db *d = cli_open();
    if (!d)
        return 1;
    if (db_kind(d) == DB_PG) {
        fprintf(stderr, "nccs: for PostgreSQL use pg_dump (logical) or pg_basebackup (physical); "
                        "see docs/OPERATIONS.md\n");
        db_close(d);
        return 2;
    }
    int rc = db_backup(d, out);
    if (rc != DB_OK)
        fprintf(stderr, "nccs: backup failed: %s\n", db_errmsg(d));
    else
        printf("nccs: backup written to %s\n", out);
    db_close(d);
    return rc == DB_OK ? 0 : 1;
}

int cmd_routes(void)
{
    json_t *arr = json_array();
    for (const route *r = g_routes; r->method; r++) {
        json_t *roles = json_array();
        for (unsigned bit = 1; bit <= ROLE_SYSADMIN; bit <<= 1)
            if (r->roles & bit)
                json_array_append_new(roles, json_string(role_name((role)bit)));
        json_array_append_new(arr, json_pack("{s:s,s:s,s:o,s:s,s:s}", "method", r->method, "path",
                                             r->path, "roles", roles, "scope",
                                             r->scope == SCOPE_PERSON     ? "person"
                                             : r->scope == SCOPE_FACILITY ? "facility"
                                             : r->scope == SCOPE_OFFER    ? "offer"
                                                                          : "none",
                                             "summary", r->summary));
    }
    char *s = json_dumps(arr, JSON_INDENT(1));
    puts(s ? s : "[]");
    free(s);
    json_decref(arr);
    return 0;
}

int cmd_db_counts(void)
{
    db *d = cli_open();
    if (!d)
        return 1;
    db_res *t = NULL;
    int rc = db_query(d,
                      db_kind(d) == DB_SQLITE
                          ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT "
                            "LIKE 'sqlite_%' ORDER BY name"
                          : "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                            "ORDER BY tablename",
                      NULL, 0, &t);
    json_t *out = json_object();
    for (int i = 0; rc == DB_OK && i < t->nrows; i++) {
        const char *name = db_text(t, i, 0);
        /* Table names come from the catalog (never from input) and are checked to be plain. */
        bool plain = true;
        for (const char *p = name; *p; p++)
            if (!((*p >= 'a' && *p <= 'z') || *p == '_' || (*p >= '0' && *p <= '9')))
                plain = false;
        if (!plain)
            continue;
        char sql[160];
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", name);
        db_res *c = NULL;
        rc = db_query_uncached(d, sql, NULL, 0, &c);
        if (rc == DB_OK)
            json_object_set_new(out, name, json_integer(db_int(c, 0, 0)));
        db_res_free(c);
    }
    db_res_free(t);
    if (rc == DB_OK) {
        char *s = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS);
        puts(s ? s : "{}");
        free(s);
    } else {
        fprintf(stderr, "nccs: %s\n", db_errmsg(d));
    }
    json_decref(out);
    db_close(d);
    return rc == DB_OK ? 0 : 1;
}

typedef struct {
    int64_t now;
    int handled;
} digest_ctx;

static int digest_tx(db *d, void *arg)
{
    digest_ctx *c = arg;
    return digest_housekeeping(d, c->now, &c->handled);
}

/* `nccs jobs digest [--now UNIX]`: the nurse mail jobs of the housekeeping (jobs/digest.h) run
 * to completion at `now` (default: the clock) on a search index built in this process. The mails
 * go into the job queue, which the server (or `nccs jobs run`) delivers. */
static int jobs_digest(int argc, char **argv)
{
    int64_t now = time_now();
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--now") && i + 1 < argc &&
            str_to_i64(argv[i + 1], 1, INT64_MAX / 2, &now) == 0) {
            i++;
            continue;
        }
        fprintf(stderr, "usage: nccs jobs digest [--now UNIX_SECONDS]\n");
        return 2;
    }
    db *d = cli_open();
    if (!d)
        return 1;
    if (offer_index_init(d) != 0) {
        fprintf(stderr, "nccs: cannot build the search index: %s\n", db_errmsg(d));
        db_close(d);
        return 1;
    }
    int total = 0, rc = DB_OK;
    for (int round = 0; round < 10000; round++) {
        digest_ctx c = {now, 0};
        rc = db_tx(d, digest_tx, &c);
        if (rc != DB_OK || c.handled == 0)
            break;
        total += c.handled;
    }
    offer_index_free();
    if (rc != DB_OK)
        fprintf(stderr, "nccs: %s\n", db_errmsg(d));
    db_close(d);
    printf("nccs: %d registration(s) and saved search(es) handled\n", total);
    return rc == DB_OK ? 0 : 1;
}

int cmd_jobs(int argc, char **argv)
{
    if (argc >= 1 && !strcmp(argv[0], "digest"))
        return jobs_digest(argc, argv);
    if (argc < 1 || strcmp(argv[0], "run") != 0) {
        fprintf(stderr,
                "usage: nccs jobs run      (runs every due job once, then exits)\n"
                "       nccs jobs digest [--now UNIX_SECONDS]\n"
                "                         (registration expiry and reminders, saved-search\n"
                "                          digests: everything due at that time)\n");
        return 2;
    }
    db *d = cli_open();
    if (!d)
        return 1;
    jobs_register("report_build", report_build_job);
    int n = 0, rc;
    while ((rc = jobs_run_one(d)) == 1)
        n++;
    db_close(d);
    printf("nccs: %d job(s) run\n", n);
    return rc < 0 ? 1 : 0;
}
