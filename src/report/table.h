/* A report table: typed columns (optionally grouped under a heading), rows of cells, trailing
 * summary rows, and a chart hint. Built by report/tables.c from the records and rendered here as
 * JSON (API), CSV (UTF-8 with BOM, formula-safe) or an XLSX sheet (libxlsxwriter; data is only
 * ever written as strings or numbers, never as formulas). */
#ifndef NCCS_REPORT_TABLE_H
#define NCCS_REPORT_TABLE_H
#include "util/buf.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

typedef enum { RT_TEXT, RT_INT, RT_REAL, RT_PCT } rt_type; /* RT_PCT holds a ratio (0.25 = 25 %) */

typedef struct rt_col {
    char key[32];
    char label[96];
    char group[64]; /* heading over several columns, "" if none */
    rt_type type;
} rt_col;

typedef struct rt_cell {
    bool set;  /* false = empty cell */
    bool real; /* a real number (d) even in an RT_INT column, e.g. a monthly average */
    int64_t i;
    double d;
    char *s; /* RT_TEXT, owned by the table */
} rt_cell;

#define RT_MAX_COLS   48
#define RT_MAX_ROWS   200000
#define RT_MAX_SERIES 8

typedef struct rtable {
    char name[32];
    char title[128];
    char sheet[96];  /* XLSX sheet name: at most 31 characters, none of []:*?/\ */
    char scope[64];  /* 全国 / 東京都 / … */
    char period[64]; /* 2025年度 / 2025-04-01〜2025-06-30 */
    char note[512];  /* how the figures are counted (Japanese) */
    rt_col cols[RT_MAX_COLS];
    int ncols;
    rt_cell *cells; /* nrows * ncols, owned */
    int nrows, caprows;
    int foot;          /* trailing summary rows (合計, 月平均 …), not plotted */
    const char *chart; /* static "line" / "bar", or NULL */
    char series[RT_MAX_SERIES][32];
    int nseries;
} rtable;

/* Initialises t (zeroed, no columns). Free with rt_free. */
void rt_init(rtable *t, const char *name, const char *title, const char *sheet);
void rt_free(rtable *t);
/* Adds a column (before the first row). Returns its index, or -1 when full. */
int rt_column(rtable *t, const char *key, const char *label, const char *group, rt_type type);
/* Appends an empty row; returns its index, or -1 when out of memory or RT_MAX_ROWS reached. */
int rt_row(rtable *t);
/* Appends a row whose first cell is the text label; returns its index or -1. */
int rt_row_label(rtable *t, const char *label);
/* The cell (row, col); outside the table a zeroed scratch cell that nothing reads. */
rt_cell *rt_at(rtable *t, int row, int col);
void rt_set_int(rtable *t, int row, int col, int64_t v);
void rt_add_int(rtable *t, int row, int col, int64_t v); /* sets the cell if empty */
void rt_set_real(rtable *t, int row, int col, double v);
/* Sets a text cell to a copy of s (NULL = empty cell). Returns 0 or -1 (out of memory). */
int rt_set_text(rtable *t, int row, int col, const char *s);
/* The chart: type "line" or "bar" over the columns named by keys (NULL-terminated). */
void rt_chart(rtable *t, const char *type, const char *const *keys);
/* Sets the ratio cell (row, col) to num / den, or leaves it empty when den is 0. */
void rt_set_ratio(rtable *t, int row, int col, int64_t num, int64_t den);

/* The table as JSON (new reference): name, title, scope, period, note, columns, rows (arrays of
 * numbers / strings / null), foot, chart. */
json_t *rt_json(const rtable *t);
/* Appends the table as CSV (header row of "group・label", then the rows) to b; with_bom adds the
 * UTF-8 BOM first. Returns 0 or -1 when b is full. */
int rt_csv(const rtable *t, nbuf *b, bool with_bom);

/* Writes tables[0..n-1] to an XLSX file at path, one sheet per table (title, scope and period
 * above a header row; number formats per column type). Returns 0 or -1 with err set. */
int rt_xlsx_write(const rtable *tables, int n, const char *path, char *err, size_t errcap);
/* Reads a whole file into a malloc'd buffer (caller frees); NULL on error or over cap bytes. */
char *rt_slurp(const char *path, size_t cap, size_t *len);

#endif
