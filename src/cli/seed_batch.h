/* Multi-row INSERTs for the seed (seed.c, seed_notify.c). On PostgreSQL up to SB_ROWS rows a
 * statement, within the backend's cap of SB_PG_PARAMS parameters (one round trip instead of one
 * per row); on SQLite one row (it binds $n by name with a linear search, so wide statements cost
 * more than they save). The text of a full batch is built from constant parts into a static
 * buffer of its statement kind (the caller's), so it lives as long as the program, as
 * db_query's statement cache requires; a last, shorter batch runs uncached. Text parameters
 * point into the caller's data (kept alive until the batch is sent), into the row's arena
 * (sb_str), or into strings the batch owns and frees once sent (sb_own). */
#ifndef NCCS_CLI_SEED_BATCH_H
#define NCCS_CLI_SEED_BATCH_H
#include "store/db.h"
#include <stddef.h>

#define SB_ROWS      32
#define SB_COLS      28
#define SB_ARENA     192
#define SB_PG_PARAMS 128 /* store/pg.c refuses statements with more */

typedef struct sbatch {
    const char *head; /* "INSERT INTO t (a, b) VALUES " */
    const char *tail; /* "" or " RETURNING …" */
    char *full;       /* static buffer for the full batch's text */
    size_t cap;
    int ncols, nrows;
    int rows; /* rows a full batch */
    size_t used;
    db_val vals[SB_ROWS * SB_COLS];
    char arena[SB_ROWS][SB_ARENA];
    char *owned[SB_ROWS * 2];
    int nowned;
} sbatch;

/* Prepares b for INSERTs of ncols columns; the full batch's text goes into full (cap bytes).
 * DB_OK, or DB_ERROR when the columns or the text do not fit. */
int sb_init(db *d, sbatch *b, const char *head, const char *tail, int ncols, char *full,
            size_t cap);
/* The parameter slots of the next row. */
db_val *sb_row(sbatch *b);
/* A copy of s in the current row's arena (NULL stays NULL; too long: NULL). */
const char *sb_str(sbatch *b, const char *s);
/* s (malloc'd) is freed once the batch is sent; a row owns at most two strings. */
void sb_own(sbatch *b, char *s);
/* Sends the rows collected so far; *out (when not NULL) gets the RETURNING rows. */
int sb_flush(db *d, sbatch *b, db_res **out);
/* Counts the row filled in sb_row(b); sends the batch when full (see sb_flush). */
int sb_push(db *d, sbatch *b, db_res **out);

#endif
