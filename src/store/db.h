/* Portable database API over SQLite and PostgreSQL.
 *
 * One SQL text per query for both backends, with $1..$n placeholders. SQL texts passed to
 * db_query() must be string literals or otherwise live for the whole program: prepared
 * statements are cached per connection keyed by the text's address. No SQL is ever built
 * from input; values travel only as parameters.
 *
 * A connection belongs to one thread at a time. Results are fully materialised (db_res)
 * and owned by the caller, who frees them with db_res_free(). */
#ifndef NCCS_STORE_DB_H
#define NCCS_STORE_DB_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct db db;

typedef enum {
    DB_OK = 0,
    DB_ERROR = -1, /* anything else; message in db_errmsg() */
    DB_RETRY = -2, /* SQLITE_BUSY, serialization failure, deadlock: the transaction may be rerun */
    DB_CONSTRAINT = -3, /* unique/foreign-key/check violation */
} db_rc;

typedef enum { DB_SQLITE, DB_PG } db_backend;

typedef enum { DBV_NULL, DBV_INT, DBV_TEXT } db_vtype;
typedef struct db_val {
    db_vtype type;
    int64_t i;
    const char *s; /* borrowed; must stay valid during the call */
} db_val;

static inline db_val DBI(int64_t i)
{
    return (db_val){.type = DBV_INT, .i = i};
}
/* A text parameter; NULL becomes SQL NULL. */
static inline db_val DBT(const char *s)
{
    return (db_val){.type = s ? DBV_TEXT : DBV_NULL, .s = s};
}
#define DBNULL ((db_val){.type = DBV_NULL})

typedef struct db_res {
    int nrows;
    int ncols;
    char **cells; /* nrows*ncols pointers into one allocation; NULL for SQL NULL */
} db_res;

/* Opens a connection for sqlite:PATH or postgresql://... Returns DB_OK and *out (owned by the
 * caller, closed with db_close), or DB_ERROR with a message written to err. */
int db_open(const char *url, db **out, char *err, size_t errcap);
void db_close(db *d);
db_backend db_kind(const db *d);
const char *db_errmsg(const db *d);

/* Runs one statement. When out is non-NULL the rows are returned in *out (caller frees, even
 * when there are none); on error *out is NULL. */
int db_query(db *d, const char *sql, const db_val *params, int nparams, db_res **out);
/* Like db_query for SQL text that is not a literal (e.g. table names read from the catalog):
 * the statement is prepared, run and discarded, never cached. */
int db_query_uncached(db *d, const char *sql, const db_val *params, int nparams, db_res **out);
/* Runs a script of several statements without parameters (DDL, migrations). */
int db_exec_script(db *d, const char *sql);

/* A transaction body: return DB_OK to commit; any other value rolls back. DB_RETRY from a
 * statement (or from the body) reruns the body, up to a limit, with backoff. */
typedef int (*db_tx_fn)(db *d, void *arg);
/* Runs fn inside BEGIN IMMEDIATE (SQLite) / BEGIN ISOLATION LEVEL SERIALIZABLE (PostgreSQL).
 * Returns what the body returned, DB_RETRY when retries are exhausted, or DB_ERROR. */
int db_tx(db *d, db_tx_fn fn, void *arg);
bool db_in_tx(const db *d);
/* Rolls back an open transaction, if any (used by the router's end-of-request check). */
void db_rollback(db *d);

/* Online consistent copy into a new SQLite file (SQLite only). */
int db_backup(db *d, const char *path);

/* Result helpers: row r, column c. */
const char *db_text(const db_res *r, int row, int col); /* NULL for SQL NULL */
int64_t db_int(const db_res *r, int row, int col);      /* 0 for NULL */
bool db_isnull(const db_res *r, int row, int col);
void db_res_free(db_res *r);

/* Runs a query expected to return one integer (e.g. COUNT); returns DB_OK and *v. Rows absent
 * yield *v = 0. */
int db_scalar(db *d, const char *sql, const db_val *params, int nparams, int64_t *v);

#endif
