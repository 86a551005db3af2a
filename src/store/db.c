#include "store/db_internal.h"
#include "util/buf.h"
#include "util/str.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void db_seterr(db *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->err, sizeof d->err, fmt, ap);
    va_end(ap);
}

int db_open(const char *url, db **out, char *err, size_t errcap)
{
    *out = NULL;
    db *d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(err, errcap, "out of memory");
        return DB_ERROR;
    }
    int rc;
    if (str_starts(url, "sqlite:")) {
        rc = db_sqlite_open(d, url + 7);
    } else if (str_starts(url, "postgresql://") || str_starts(url, "postgres://")) {
        rc = db_pg_open(d, url);
    } else {
        snprintf(err, errcap, "unsupported database URL (use sqlite:PATH or postgresql://...)");
        free(d);
        return DB_ERROR;
    }
    if (rc != DB_OK) {
        snprintf(err, errcap, "%s", d->err);
        if (d->ops)
            d->ops->close(d);
        free(d);
        return DB_ERROR;
    }
    *out = d;
    return DB_OK;
}

void db_close(db *d)
{
    if (!d)
        return;
    if (d->in_tx)
        d->ops->rollback(d);
    d->ops->close(d);
    free(d);
}

db_backend db_kind(const db *d)
{
    return d->kind;
}

const char *db_errmsg(const db *d)
{
    return d->err;
}

int db_query(db *d, const char *sql, const db_val *params, int nparams, db_res **out)
{
    if (out)
        *out = NULL;
    return d->ops->query(d, sql, params, nparams, out);
}

int db_query_uncached(db *d, const char *sql, const db_val *params, int nparams, db_res **out)
{
    d->nocache = true;
    int rc = db_query(d, sql, params, nparams, out);
    d->nocache = false;
    return rc;
}

int db_exec_script(db *d, const char *sql)
{
    return d->ops->exec_script(d, sql);
}

bool db_in_tx(const db *d)
{
    return d->in_tx;
}

void db_rollback(db *d)
{
    if (d->in_tx) {
        d->ops->rollback(d);
        d->in_tx = false;
    }
}

int db_backup(db *d, const char *path)
{
    if (!d->ops->backup) {
        db_seterr(d, "online backup is only built in for SQLite; use pg_dump/pg_basebackup");
        return DB_ERROR;
    }
    return d->ops->backup(d, path);
}

static void backoff_sleep(int attempt)
{
    /* 2, 4, 8 ... ms capped at 200 ms, with jitter so colliding writers spread out. */
    long ms = 2L << (attempt < 7 ? attempt : 7);
    if (ms > 200)
        ms = 200;
    ms = ms / 2 + (long)(((unsigned)rand() % (unsigned)ms));
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

int db_tx(db *d, db_tx_fn fn, void *arg)
{
    enum { MAX_ATTEMPTS = 12 };
    if (d->in_tx) {
        db_seterr(d, "nested transaction");
        return DB_ERROR;
    }
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        int rc = d->ops->begin(d);
        if (rc == DB_RETRY) {
            backoff_sleep(attempt);
            continue;
        }
        if (rc != DB_OK)
            return rc;
        d->in_tx = true;
        rc = fn(d, arg);
        if (rc == DB_OK) {
            rc = d->ops->commit(d);
            if (rc == DB_OK) {
                d->in_tx = false;
                return DB_OK;
            }
        }
        d->ops->rollback(d);
        d->in_tx = false;
        if (rc != DB_RETRY)
            return rc;
        backoff_sleep(attempt);
    }
    return DB_RETRY;
}

const char *db_text(const db_res *r, int row, int col)
{
    if (!r || row < 0 || row >= r->nrows || col < 0 || col >= r->ncols)
        return NULL;
    return r->cells[row * r->ncols + col];
}

int64_t db_int(const db_res *r, int row, int col)
{
    const char *s = db_text(r, row, col);
    if (!s)
        return 0;
    return strtoll(s, NULL, 10);
}

bool db_isnull(const db_res *r, int row, int col)
{
    return db_text(r, row, col) == NULL;
}

void db_res_free(db_res *r)
{
    free(r);
}

int db_scalar(db *d, const char *sql, const db_val *params, int nparams, int64_t *v)
{
    db_res *r = NULL;
    int rc = db_query(d, sql, params, nparams, &r);
    if (rc == DB_OK)
        *v = (r && r->nrows > 0) ? db_int(r, 0, 0) : 0;
    db_res_free(r);
    return rc;
}

/* ---- result builder: cells are first collected in a buffer, then laid out in one block:
 * [db_res][cell pointers][cell bytes]. */

struct res_builder {
    int ncols;
    int ncells;
    nbuf bytes;   /* cell texts, each NUL-terminated */
    nbuf offsets; /* size_t offset per cell, SIZE_MAX for NULL */
};

res_builder *resb_new(int ncols)
{
    res_builder *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->ncols = ncols;
    nbuf_init(&b->bytes, (size_t)1 << 30);
    nbuf_init(&b->offsets, (size_t)1 << 30);
    return b;
}

int resb_add(res_builder *b, const char *cell, size_t len, bool is_null)
{
    size_t off = is_null ? SIZE_MAX : b->bytes.len;
    if (nbuf_append(&b->offsets, &off, sizeof off) != 0)
        return -1;
    if (!is_null && (nbuf_append(&b->bytes, cell, len) != 0 || nbuf_append(&b->bytes, "", 1) != 0))
        return -1;
    b->ncells++;
    return 0;
}

void resb_free(res_builder *b)
{
    if (!b)
        return;
    nbuf_free(&b->bytes);
    nbuf_free(&b->offsets);
    free(b);
}

db_res *resb_finish(res_builder *b)
{
    size_t ptrs = (size_t)b->ncells * sizeof(char *);
    db_res *r = malloc(sizeof *r + ptrs + b->bytes.len + 1);
    if (!r) {
        resb_free(b);
        return NULL;
    }
    r->ncols = b->ncols;
    r->nrows = b->ncols ? b->ncells / b->ncols : 0;
    r->cells = (char **)(r + 1);
    char *base = (char *)(r + 1) + ptrs;
    if (b->bytes.len)
        memcpy(base, b->bytes.data, b->bytes.len);
    const size_t *offs = (const size_t *)b->offsets.data;
    for (int i = 0; i < b->ncells; i++)
        r->cells[i] = offs[i] == SIZE_MAX ? NULL : base + offs[i];
    resb_free(b);
    return r;
}

void **stmt_cache_slot(stmt_cache *c, const char *sql)
{
    size_t h = ((uintptr_t)sql >> 3) % STMT_CACHE_SIZE;
    for (int i = 0; i < STMT_CACHE_SIZE; i++) {
        size_t k = (h + (size_t)i) % STMT_CACHE_SIZE;
        if (c->keys[k] == sql)
            return &c->vals[k];
        if (!c->keys[k]) {
            if (c->count >= STMT_CACHE_SIZE * 3 / 4)
                return NULL;
            c->keys[k] = sql;
            c->vals[k] = NULL;
            c->count++;
            return &c->vals[k];
        }
    }
    return NULL;
}
