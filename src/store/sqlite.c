/* SQLite backend: WAL, synchronous=FULL (personal data), busy timeout, foreign keys on,
 * cached prepared statements with $n parameters bound by name. */
#include "store/db_internal.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sq {
    sqlite3 *h;
    stmt_cache cache;
} sq;

static int map_rc(db *d, sqlite3 *h, int rc)
{
    int prim = rc & 0xFF;
    db_seterr(d, "sqlite: %s", sqlite3_errmsg(h));
    if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED)
        return DB_RETRY;
    if (prim == SQLITE_CONSTRAINT)
        return DB_CONSTRAINT;
    return DB_ERROR;
}

static int sq_query(db *d, const char *sql, const db_val *p, int np, db_res **out)
{
    sq *s = d->impl;
    sqlite3_stmt *st = NULL;
    void **slot = d->nocache ? NULL : stmt_cache_slot(&s->cache, sql);
    if (slot && *slot) {
        st = *slot;
    } else {
        int rc = sqlite3_prepare_v3(s->h, sql, -1, slot ? SQLITE_PREPARE_PERSISTENT : 0, &st, NULL);
        if (rc != SQLITE_OK)
            return map_rc(d, s->h, rc);
        if (slot)
            *slot = st;
    }
    for (int i = 0; i < np; i++) {
        char name[16];
        snprintf(name, sizeof name, "$%d", i + 1);
        int idx = sqlite3_bind_parameter_index(st, name);
        if (idx == 0)
            continue; /* parameter not used by this text */
        int rc;
        switch (p[i].type) {
        case DBV_INT:
            rc = sqlite3_bind_int64(st, idx, p[i].i);
            break;
        case DBV_TEXT:
            rc = sqlite3_bind_text(st, idx, p[i].s, -1, SQLITE_STATIC);
            break;
        default:
            rc = sqlite3_bind_null(st, idx);
        }
        if (rc != SQLITE_OK) {
            int r = map_rc(d, s->h, rc);
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            if (!slot)
                sqlite3_finalize(st);
            return r;
        }
    }
    int ncols = sqlite3_column_count(st);
    res_builder *b = out ? resb_new(ncols) : NULL;
    int rc, result = DB_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!b)
            continue;
        for (int c = 0; c < ncols; c++) {
            int t = sqlite3_column_type(st, c);
            if (t == SQLITE_NULL) {
                resb_add(b, NULL, 0, true);
            } else {
                const unsigned char *txt = sqlite3_column_text(st, c);
                resb_add(b, (const char *)txt, (size_t)sqlite3_column_bytes(st, c), false);
            }
        }
    }
    if (rc != SQLITE_DONE)
        result = map_rc(d, s->h, rc);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (!slot)
        sqlite3_finalize(st);
    if (b) {
        if (result == DB_OK) {
            *out = resb_finish(b);
            if (!*out) {
                db_seterr(d, "out of memory");
                result = DB_ERROR;
            }
        } else {
            resb_free(b);
        }
    }
    return result;
}

static int sq_exec_script(db *d, const char *sql)
{
    sq *s = d->impl;
    char *msg = NULL;
    int rc = sqlite3_exec(s->h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        int r = map_rc(d, s->h, rc);
        if (msg)
            db_seterr(d, "sqlite: %s", msg);
        sqlite3_free(msg);
        return r;
    }
    return DB_OK;
}

static int sq_begin(db *d)
{
    return sq_exec_script(d, "BEGIN IMMEDIATE");
}

static int sq_commit(db *d)
{
    return sq_exec_script(d, "COMMIT");
}

static void sq_rollback(db *d)
{
    sq *s = d->impl;
    if (!sqlite3_get_autocommit(s->h))
        sqlite3_exec(s->h, "ROLLBACK", NULL, NULL, NULL);
}

static int sq_backup(db *d, const char *path)
{
    sq *s = d->impl;
    sqlite3 *dst = NULL;
    if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        db_seterr(d, "sqlite: cannot open %s", path);
        sqlite3_close(dst);
        return DB_ERROR;
    }
    sqlite3_backup *bk = sqlite3_backup_init(dst, "main", s->h, "main");
    if (!bk) {
        db_seterr(d, "sqlite: %s", sqlite3_errmsg(dst));
        sqlite3_close(dst);
        return DB_ERROR;
    }
    int rc;
    /* Copy in steps so writers are only briefly blocked; restart automatically on changes. */
    while ((rc = sqlite3_backup_step(bk, 256)) == SQLITE_OK || rc == SQLITE_BUSY ||
           rc == SQLITE_LOCKED)
        sqlite3_sleep(5);
    sqlite3_backup_finish(bk);
    int result = DB_OK;
    if (rc != SQLITE_DONE) {
        db_seterr(d, "sqlite backup: %s", sqlite3_errstr(rc));
        result = DB_ERROR;
    }
    sqlite3_close(dst);
    return result;
}

static void sq_close(db *d)
{
    sq *s = d->impl;
    if (!s)
        return;
    for (int i = 0; i < STMT_CACHE_SIZE; i++)
        if (s->cache.keys[i] && s->cache.vals[i])
            sqlite3_finalize(s->cache.vals[i]);
    sqlite3_close(s->h);
    free(s);
    d->impl = NULL;
}

static const db_ops sq_ops = {sq_query,    sq_exec_script, sq_begin, sq_commit,
                              sq_rollback, sq_backup,      sq_close};

int db_sqlite_open(db *d, const char *path)
{
    d->ops = &sq_ops;
    d->kind = DB_SQLITE;
    sq *s = calloc(1, sizeof *s);
    if (!s) {
        db_seterr(d, "out of memory");
        return DB_ERROR;
    }
    d->impl = s;
    int rc = sqlite3_open_v2(
        path, &s->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        db_seterr(d, "sqlite: cannot open %s: %s", path, s->h ? sqlite3_errmsg(s->h) : "?");
        return DB_ERROR;
    }
    sqlite3_busy_timeout(s->h, 5000);
    sqlite3_extended_result_codes(s->h, 1);
    if (sq_exec_script(d, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                          "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;") != DB_OK)
        return DB_ERROR;
    return DB_OK;
}
