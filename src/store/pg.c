/* PostgreSQL backend over libpq: named prepared statements cached per connection, text
 * parameters, SERIALIZABLE transactions mapped to DB_RETRY on 40001/40P01. */
#include "store/db_internal.h"
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct pgc {
    PGconn *c;
    stmt_cache cache;
    int next_id;
} pgc;

static int map_result(db *d, PGresult *r)
{
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    db_seterr(d, "pg: %s", PQresultErrorMessage(r));
    if (state && (!strcmp(state, "40001") || !strcmp(state, "40P01")))
        return DB_RETRY;
    if (state && !strncmp(state, "23", 2))
        return DB_CONSTRAINT;
    return DB_ERROR;
}

static int collect(db *d, PGresult *r, db_res **out)
{
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        int rc = map_result(d, r);
        PQclear(r);
        return rc;
    }
    if (out) {
        int ncols = PQnfields(r), nrows = PQntuples(r);
        res_builder *b = resb_new(ncols);
        if (!b) {
            PQclear(r);
            return DB_ERROR;
        }
        for (int i = 0; i < nrows; i++)
            for (int c = 0; c < ncols; c++)
                resb_add(b, PQgetvalue(r, i, c), (size_t)PQgetlength(r, i, c),
                         PQgetisnull(r, i, c) != 0);
        *out = resb_finish(b);
        if (!*out) {
            PQclear(r);
            db_seterr(d, "out of memory");
            return DB_ERROR;
        }
    }
    PQclear(r);
    return DB_OK;
}

static int pg_query(db *d, const char *sql, const db_val *p, int np, db_res **out)
{
    pgc *g = d->impl;
    enum { MAXP = 128 }; /* the search page query binds 100 */
    if (np > MAXP) {
        db_seterr(d, "too many parameters");
        return DB_ERROR;
    }
    char nums[MAXP][24];
    const char *vals[MAXP];
    for (int i = 0; i < np; i++) {
        if (p[i].type == DBV_INT) {
            snprintf(nums[i], sizeof nums[i], "%lld", (long long)p[i].i);
            vals[i] = nums[i];
        } else if (p[i].type == DBV_TEXT) {
            vals[i] = p[i].s;
        } else {
            vals[i] = NULL;
        }
    }
    void **slot = d->nocache ? NULL : stmt_cache_slot(&g->cache, sql);
    if (!slot)
        return collect(d, PQexecParams(g->c, sql, np, NULL, vals, NULL, NULL, 0), out);
    if (!*slot) {
        char name[32];
        snprintf(name, sizeof name, "s%d", ++g->next_id);
        PGresult *r = PQprepare(g->c, name, sql, 0, NULL);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            int rc = map_result(d, r);
            PQclear(r);
            return rc;
        }
        PQclear(r);
        *slot = strdup(name);
        if (!*slot)
            return DB_ERROR;
    }
    return collect(d, PQexecPrepared(g->c, *slot, np, vals, NULL, NULL, 0), out);
}

static int pg_exec_script(db *d, const char *sql)
{
    pgc *g = d->impl;
    PGresult *r = PQexec(g->c, sql);
    return collect(d, r, NULL);
}

static int pg_begin(db *d)
{
    return pg_exec_script(d, "BEGIN ISOLATION LEVEL SERIALIZABLE");
}

static int pg_commit(db *d)
{
    return pg_exec_script(d, "COMMIT");
}

static void pg_rollback(db *d)
{
    pgc *g = d->impl;
    PQclear(PQexec(g->c, "ROLLBACK"));
}

static void pg_close(db *d)
{
    pgc *g = d->impl;
    if (!g)
        return;
    for (int i = 0; i < STMT_CACHE_SIZE; i++)
        free(g->cache.vals[i]);
    PQfinish(g->c);
    free(g);
    d->impl = NULL;
}

static const db_ops pg_ops = {pg_query,    pg_exec_script, pg_begin, pg_commit,
                              pg_rollback, NULL,           pg_close};

static void quiet_notice(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

int db_pg_open(db *d, const char *conninfo)
{
    d->ops = &pg_ops;
    d->kind = DB_PG;
    pgc *g = calloc(1, sizeof *g);
    if (!g) {
        db_seterr(d, "out of memory");
        return DB_ERROR;
    }
    d->impl = g;
    g->c = PQconnectdb(conninfo);
    if (PQstatus(g->c) != CONNECTION_OK) {
        db_seterr(d, "pg: %s", PQerrorMessage(g->c));
        return DB_ERROR;
    }
    PQsetNoticeProcessor(g->c, quiet_notice, NULL);
    return pg_exec_script(d, "SET TIME ZONE 'UTC'; SET client_encoding = 'UTF8'");
}
