#include "store/migrate.h"
#include "store/db_internal.h"
#include "util/embed.h"
#include "util/log.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int (*data_step_fn)(db *d);

typedef struct migration {
    int version;
    char name[64];
    const char *sql; /* embedded SQL, or NULL for a data step */
    data_step_fn fn;
} migration;

/* ---- data step: reference data derived from packaged sources ------------------------- */

/* Splits one TSV line in place into at most max fields; returns the count. */
static int tsv_split(char *line, char **f, int max)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == '\t') {
            *p = '\0';
            f[n++] = p + 1;
        }
    return n;
}

/* Calls row(fields) for each non-empty line of an embedded TSV, skipping `skip` header lines. */
static int tsv_each(db *d, const char *path, int skip, int ncols, int (*row)(db *d, char **f))
{
    const struct embedded_file *ef = embed_find(path);
    if (!ef) {
        db_seterr(d, "missing embedded file %s", path);
        return DB_ERROR;
    }
    char *copy = malloc(ef->size + 1);
    if (!copy)
        return DB_ERROR;
    memcpy(copy, ef->data, ef->size + 1);
    int rc = DB_OK, lineno = 0;
    char *save = copy;
    while (rc == DB_OK && save && *save) {
        char *line = save;
        char *nl = strchr(line, '\n');
        save = nl ? nl + 1 : NULL;
        if (nl)
            *nl = '\0';
        size_t len = strlen(line);
        if (len && line[len - 1] == '\r')
            line[len - 1] = '\0';
        if (lineno++ < skip || !*line)
            continue;
        char *f[16];
        if (tsv_split(line, f, 16) < ncols) {
            db_seterr(d, "%s:%d: expected %d columns", path, lineno, ncols);
            rc = DB_ERROR;
            break;
        }
        rc = row(d, f);
    }
    free(copy);
    return rc;
}

static const char *nz(const char *s)
{
    return (s && *s) ? s : NULL;
}

static int pref_row(db *d, char **f)
{
    db_val p[] = {DBT(f[0]), DBT(f[1]), DBT(f[2])};
    return db_query(d, "INSERT INTO prefectures (code, name, kana) VALUES ($1, $2, $3)", p, 3,
                    NULL);
}

static int muni_row(db *d, char **f)
{
    db_val p[] = {DBT(f[0]), DBT(f[1]), DBT(f[2]), DBT(f[3])};
    return db_query(d,
                    "INSERT INTO municipalities (code, prefecture_code, name, kana) "
                    "VALUES ($1, $2, $3, $4)",
                    p, 4, NULL);
}

static int center_row(db *d, char **f)
{
    db_val p[] = {DBT(f[0]), DBT(f[1]), DBT(nz(f[2])), DBT(nz(f[3])), DBT(nz(f[4])), DBT(nz(f[5]))};
    return db_query(
        d,
        "INSERT INTO nurse_centers (prefecture_code, name, postal_code, address, phone, "
        "url) VALUES ($1, $2, $3, $4, $5, $6)",
        p, 6, NULL);
}

static int step_reference_data(db *d)
{
    int rc = tsv_each(d, "gen/prefectures.tsv", 0, 3, pref_row);
    if (rc == DB_OK)
        rc = tsv_each(d, "gen/municipalities.tsv", 0, 4, muni_row);
    if (rc == DB_OK)
        rc = tsv_each(d, "data/nurse_centers.tsv", 1, 6, center_row);
    return rc;
}

static int point_row(db *d, char **f)
{
    db_val p[] = {DBT(f[0]), DBT(f[2]), DBT(f[3])};
    return db_query(d, "UPDATE prefectures SET lat = $2, lon = $3 WHERE code = $1", p, 3, NULL);
}

static int step_prefecture_points(db *d)
{
    return tsv_each(d, "data/prefecture_offices.tsv", 1, 4, point_row);
}

static const struct {
    int version;
    const char *name;
    data_step_fn fn;
} data_steps[] = {{3, "reference_data", step_reference_data},
                  {8, "prefecture_points", step_prefecture_points}};

/* ---- the migration list -------------------------------------------------------------- */

static int cmp_mig(const void *a, const void *b)
{
    return ((const migration *)a)->version - ((const migration *)b)->version;
}

/* Fills list (cap entries) with the migrations for a backend, sorted; returns the count. */
static int collect(db_backend kind, migration *list, int cap)
{
    const char *prefix =
        kind == DB_SQLITE ? "src/store/migrations/sqlite/" : "src/store/migrations/pg/";
    int n = 0;
    for (const struct embedded_file *f = embedded_files; f->path && n < cap; f++) {
        if (!str_starts(f->path, prefix))
            continue;
        const char *base = f->path + strlen(prefix);
        char num[8] = {0};
        if (str_copy(num, 5, base) < 4)
            continue;
        int64_t v;
        if (str_to_i64(num, 1, 9999, &v) != 0)
            continue;
        list[n].version = (int)v;
        str_copy(list[n].name, sizeof list[n].name, base + 5);
        char *dot = strrchr(list[n].name, '.');
        if (dot)
            *dot = '\0';
        list[n].sql = (const char *)f->data;
        list[n].fn = NULL;
        n++;
    }
    for (size_t i = 0; i < sizeof data_steps / sizeof data_steps[0] && n < cap; i++) {
        list[n].version = data_steps[i].version;
        str_copy(list[n].name, sizeof list[n].name, data_steps[i].name);
        list[n].sql = NULL;
        list[n].fn = data_steps[i].fn;
        n++;
    }
    qsort(list, (size_t)n, sizeof *list, cmp_mig);
    return n;
}

int migrate_latest(void)
{
    migration list[128];
    int n = collect(DB_SQLITE, list, 128);
    return n ? list[n - 1].version : 0;
}

static const char *const SQL_CREATE_MIG =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
    "name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

int migrate_current(db *d, int *current)
{
    int64_t v = 0;
    int rc = db_scalar(d, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", NULL, 0, &v);
    *current = (int)v;
    return rc;
}

typedef struct {
    const migration *m;
    bool ran;
} apply_ctx;

static int apply_one(db *d, void *arg)
{
    apply_ctx *c = arg;
    c->ran = false;
    if (db_kind(d) == DB_PG) {
        /* Serialise concurrent `nccs migrate` runs (SQLite's BEGIN IMMEDIATE already does). */
        int rc = db_query(d, "SELECT pg_advisory_xact_lock(7429001)", NULL, 0, NULL);
        if (rc != DB_OK)
            return rc;
    }
    int64_t done = 0;
    db_val p[] = {DBI(c->m->version)};
    int rc = db_scalar(d, "SELECT COUNT(*) FROM schema_migrations WHERE version = $1", p, 1, &done);
    if (rc != DB_OK || done)
        return rc;
    rc = c->m->sql ? db_exec_script(d, c->m->sql) : c->m->fn(d);
    if (rc != DB_OK)
        return rc;
    db_val ins[] = {DBI(c->m->version), DBT(c->m->name), DBI(time_now())};
    rc =
        db_query(d, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                 ins, 3, NULL);
    c->ran = rc == DB_OK;
    return rc;
}

int migrate_run(db *d, int *applied)
{
    if (applied)
        *applied = 0;
    int rc = db_exec_script(d, SQL_CREATE_MIG);
    if (rc != DB_OK)
        return rc;
    migration list[128];
    int n = collect(db_kind(d), list, 128);
    for (int i = 0; i < n; i++) {
        apply_ctx c = {&list[i], false};
        rc = db_tx(d, apply_one, &c);
        if (rc != DB_OK) {
            log_error("migration %04d_%s failed: %s", list[i].version, list[i].name, db_errmsg(d));
            return rc;
        }
        if (c.ran) {
            log_info("applied migration %04d_%s", list[i].version, list[i].name);
            if (applied)
                (*applied)++;
        }
    }
    return DB_OK;
}
