/* Backend interface behind db.h. Each backend fills a vtable; db.c dispatches. */
#ifndef NCCS_STORE_DB_INTERNAL_H
#define NCCS_STORE_DB_INTERNAL_H
#include "store/db.h"

typedef struct db_ops {
    int (*query)(db *d, const char *sql, const db_val *p, int np, db_res **out);
    int (*exec_script)(db *d, const char *sql);
    int (*begin)(db *d);
    int (*commit)(db *d);
    void (*rollback)(db *d);
    int (*backup)(db *d, const char *path);
    void (*close)(db *d);
} db_ops;

struct db {
    const db_ops *ops;
    db_backend kind;
    bool in_tx;
    bool nocache; /* set by db_query_uncached for the duration of one call */
    char err[512];
    void *impl; /* backend state, owned */
};

int db_sqlite_open(db *d, const char *path);
int db_pg_open(db *d, const char *conninfo);

/* Builds a db_res from row-major cell strings. Takes the cell lengths; copies everything into
 * one allocation. Used by both backends. */
typedef struct res_builder res_builder;
res_builder *resb_new(int ncols);
int resb_add(res_builder *b, const char *cell, size_t len, bool is_null);
db_res *resb_finish(res_builder *b); /* frees b */
void resb_free(res_builder *b);

void db_seterr(db *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Per-connection prepared-statement cache keyed by SQL text address. */
#define STMT_CACHE_SIZE 256
typedef struct stmt_cache {
    const char *keys[STMT_CACHE_SIZE];
    void *vals[STMT_CACHE_SIZE];
    int count;
} stmt_cache;
void **stmt_cache_slot(stmt_cache *c, const char *sql); /* NULL when full */

#endif
