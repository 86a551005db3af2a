/* Time helpers: Unix seconds (UTC) in the store, JST for display and dates, fiscal years
 * (April–March) and the Japanese era (和暦). */
#ifndef NCCS_UTIL_TIMEUTIL_H
#define NCCS_UTIL_TIMEUTIL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int64_t time_now(void);    /* Unix seconds */
int64_t time_now_us(void); /* monotonic microseconds, for durations */
/* Writes the JST calendar date of t as YYYY-MM-DD into out (cap >= 11). */
void time_jst_date(int64_t t, char *out, size_t cap);
/* Parses a strict YYYY-MM-DD of a real Gregorian date; returns 0 or -1. */
int date_parse(const char *s, int *y, int *m, int *d);
bool date_valid(int y, int m, int d);
int days_in_month(int y, int m);
/* Compares two YYYY-MM-DD dates textually; both must be valid. */
int date_cmp(const char *a, const char *b);
/* The fiscal year (年度) a date belongs to: April..March, so 2027-03-31 is FY2026. */
int fiscal_year(int y, int m);
/* Days since 1970-01-01 of the proleptic Gregorian date y-m-d, and back (Howard Hinnant's
 * civil algorithms). */
int64_t time_days_from_civil(int y, int m, int d);
void time_civil_from_days(int64_t days, int *y, int *m, int *d);
/* The Unix-second bounds [*from, *to) of fiscal year fy in JST (April 1st 00:00 JST to the next
 * April 1st). */
void time_fiscal_year_bounds(int fy, int64_t *from, int64_t *to);
/* The fiscal year of the JST calendar date of t. */
int time_jst_fiscal_year(int64_t t);
/* The month index 0..11 of month m in the fiscal year (April = 0, March = 11). */
int fiscal_month_index(int m);
/* Formats a date in the Japanese era, e.g. 令和8年11月21日 (元年 for the first year).
 * Supports 明治 onward; returns 0 or -1 for dates before 1868-01-25 or a too-small buffer. */
int era_format(int y, int m, int d, char *out, size_t cap);

#endif
