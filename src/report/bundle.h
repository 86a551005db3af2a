/* "All tables" outputs: one XLSX workbook (a sheet per table) or a ZIP of CSV files, written to
 * a temporary file and read back, for the report-build job, the CLI and the offers export. */
#ifndef NCCS_REPORT_BUNDLE_H
#define NCCS_REPORT_BUNDLE_H
#include "report/tables.h"
#include <stdbool.h>

/* Called after each table with the number done and the total. */
typedef void (*rt_progress_fn)(void *arg, int done, int total);

/* The tables an all-tables build of scope p contains: every fiscal-year table that fits the
 * scope (national-only tables for the national scope, the ledgers for a prefecture and only
 * when personal_ok). Fills out (cap entries) and returns the count. */
int rt_bundle_defs(const rt_params *p, bool personal_ok, const rt_def **out, int cap);
/* Renders tables[0..n-1] (already built) as format "xlsx" (a sheet each) or "zip" (CSV files)
 * into *data (malloc'd, caller frees) and *len. Returns 0, or -1 with err set. */
int rt_render(const rtable *tables, int n, const char *format, char **data, size_t *len, char *err,
              size_t errcap);
/* Builds defs[0..n-1] for p and writes them as format "xlsx" or "zip" (CSV files, UTF-8 BOM).
 * On success returns DB_OK with *data (malloc'd, caller frees) and *len; on failure a db error
 * code or DB_ERROR with err set. progress may be NULL. */
int rt_bundle(db *d, const rt_params *p, const rt_def *const *defs, int n, const char *format,
              rt_progress_fn progress, void *arg, char **data, size_t *len, char *err,
              size_t errcap);
/* All published offers in scope pref ("" = national) as one XLSX sheet, streamed in pages in
 * libxlsxwriter's constant-memory mode. Same result convention as rt_bundle. */
int rt_offers_xlsx(db *d, const char *pref, char **data, size_t *len, char *err, size_t errcap);
/* A temporary file path under $TMPDIR (or /tmp): creates the file; returns 0 or -1. */
int rt_tmpfile(char *path, size_t cap, const char *suffix);

#define RT_FILE_CAP ((size_t)256 << 20) /* largest file a build may produce */

#endif
