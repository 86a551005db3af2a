/* The yearly business-report tables (DESIGN.md §6) and the legal ledgers, computed from the
 * records for any fiscal year, national or one prefecture. Each table's counting rules are in
 * its note (shown with the table) and in docs/REPORTS.md. */
#ifndef NCCS_REPORT_TABLES_H
#define NCCS_REPORT_TABLES_H
#include "report/table.h"
#include "store/db.h"

typedef struct rt_params {
    int fy;            /* fiscal year (年度) */
    char pref[3];      /* "" = national */
    char from[11];     /* campaign: first day (YYYY-MM-DD) */
    char to[11];       /* campaign: last day, inclusive */
    char campaign[64]; /* campaign tag */
} rt_params;

#define RTF_NATIONAL_ONLY 1u /* site-wide figures: no prefecture scope */
#define RTF_PREF_REQUIRED 2u /* per center (the ledgers) */
#define RTF_PERSONAL      4u /* rows name people: center staff of the prefecture and central only */
#define RTF_CAMPAIGN      8u /* takes from / to / campaign instead of the fiscal year */

typedef struct rt_def {
    const char *name;  /* e.g. "new_ids" */
    const char *title; /* Japanese */
    const char *sheet; /* XLSX sheet name (≤ 31 characters) */
    unsigned flags;
    int (*build)(db *d, const rt_params *p, rtable *t);
} rt_def;

/* Japanese label of an offer's wage type (月給, 時給, 日給, 年俸), "" when unknown; static. */
const char *rt_wage_label(const char *wage_type);
/* Japanese label of an employment form (常勤, 非常勤, 臨時), NULL when unknown; static. */
const char *rt_employment_label(const char *form);

extern const rt_def RT_DEFS[]; /* terminated by {NULL} */
const rt_def *rt_find(const char *name);
int rt_count(void);

/* Between these calls (one thread) tables of the same scope share intermediate results. */
void rt_memo_begin(void);
void rt_memo_end(void);
/* Builds table def for p into t (initialised here; the caller frees it with rt_free, also on
 * error). Returns DB_OK, or the db error code. */
int rt_build(db *d, const rt_def *def, const rt_params *p, rtable *t);

#endif
