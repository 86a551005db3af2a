/* Result cells as JSON values (new references): SQL NULL becomes JSON null. */
#ifndef NCCS_STORE_DB_JSON_H
#define NCCS_STORE_DB_JSON_H
#include "store/db.h"
#include <jansson.h>

static inline json_t *dbj_text(const db_res *r, int row, int col)
{
    const char *s = db_text(r, row, col);
    return s ? json_string(s) : json_null();
}

static inline json_t *dbj_int(const db_res *r, int row, int col)
{
    return db_isnull(r, row, col) ? json_null() : json_integer(db_int(r, row, col));
}

#endif
