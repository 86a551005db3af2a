/* Queries for access statistics: the daily counters (access_daily) and the record of imported
 * access-log files (import_runs, kind 'access_log'). Every function runs in the caller's
 * transaction (or autocommit); results are owned by the caller. */
#ifndef NCCS_STORE_ACCESS_H
#define NCCS_STORE_ACCESS_H
#include "domain/access.h"
#include "store/db.h"
#include <stdbool.h>

/* Adds every counter of c to access_daily (one UPSERT per key: views and visits are added to
 * what is stored). DB_OK or an error. */
int store_access_add(db *d, const access_counts *c);
/* The rows of access_daily with from <= day <= to (YYYY-MM-DD), ordered by day, site, page,
 * device; columns day, site, page, device, views, visits. *out is owned by the caller. */
int store_access_rows(db *d, const char *from, const char *to, db_res **out);
/* Whether a file of this kind and SHA-256 (64 hex digits) was imported, into *yes. */
int store_import_run_exists(db *d, const char *kind, const char *sha256, bool *yes);
/* Records an imported file. DB_CONSTRAINT when it was already recorded. */
int store_import_run_insert(db *d, const char *kind, const char *sha256, const char *file_name,
                            int64_t rows_total, int64_t rows_imported, int64_t now);

#endif
