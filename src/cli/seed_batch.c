/* Multi-row INSERTs for the seed; see seed_batch.h. */
#include "cli/seed_batch.h"
#include "util/str.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The text of an INSERT of nrows rows into out; -1 when it does not fit. */
static int sb_sql(const sbatch *b, int nrows, char *out, size_t cap)
{
    size_t n = str_copy(out, cap, b->head);
    int k = 1;
    for (int r = 0; r < nrows && n < cap; r++)
        for (int c = 0; c < b->ncols && n < cap; c++) {
            const char *before = c > 0 ? ", " : r > 0 ? ", (" : "(";
            const char *after = c == b->ncols - 1 ? ")" : "";
            n += (size_t)snprintf(out + n, cap - n, "%s$%d%s", before, k++, after);
        }
    if (n < cap)
        n += str_copy(out + n, cap - n, b->tail);
    return n < cap ? 0 : -1;
}

int sb_init(db *d, sbatch *b, const char *head, const char *tail, int ncols, char *full, size_t cap)
{
    memset(b, 0, sizeof *b);
    b->head = head, b->tail = tail, b->ncols = ncols, b->full = full, b->cap = cap;
    b->rows = db_kind(d) == DB_SQLITE ? 1 : SB_PG_PARAMS / ncols;
    if (b->rows > SB_ROWS)
        b->rows = SB_ROWS;
    return ncols <= SB_COLS && sb_sql(b, b->rows, full, cap) == 0 ? DB_OK : DB_ERROR;
}

db_val *sb_row(sbatch *b)
{
    return &b->vals[b->nrows * b->ncols];
}

const char *sb_str(sbatch *b, const char *s)
{
    size_t n = s ? strlen(s) + 1 : 0;
    if (!s || b->used + n > SB_ARENA)
        return NULL;
    char *p = b->arena[b->nrows] + b->used;
    memcpy(p, s, n);
    b->used += n;
    return p;
}

void sb_own(sbatch *b, char *s)
{
    if (b->nowned < SB_ROWS * 2)
        b->owned[b->nowned++] = s;
}

int sb_flush(db *d, sbatch *b, db_res **out)
{
    if (out)
        *out = NULL;
    int rc = DB_OK;
    if (b->nrows == b->rows) {
        rc = db_query(d, b->full, b->vals, b->nrows * b->ncols, out);
    } else if (b->nrows > 0) {
        char *sql = malloc(b->cap);
        rc = sql && sb_sql(b, b->nrows, sql, b->cap) == 0
                 ? db_query_uncached(d, sql, b->vals, b->nrows * b->ncols, out)
                 : DB_ERROR;
        free(sql);
    }
    for (int i = 0; i < b->nowned; i++)
        free(b->owned[i]);
    b->nowned = 0;
    b->nrows = 0;
    b->used = 0;
    return rc;
}

int sb_push(db *d, sbatch *b, db_res **out)
{
    if (out)
        *out = NULL;
    b->used = 0;
    return ++b->nrows == b->rows ? sb_flush(d, b, out) : DB_OK;
}
