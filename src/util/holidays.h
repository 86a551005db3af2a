/* Japanese national holidays (国民の祝日に関する法律) and the business days of a nurse center.
 *
 * Holidays are computed from the law for the years 2000–2099: the fixed days, the Happy Monday
 * days (成人の日, 海の日, 敬老の日, 体育の日/スポーツの日), the vernal and autumnal equinox days
 * by the standard approximation (valid 1980–2099), substitute holidays (振替休日: a holiday on a
 * Sunday moves to the next day that is not a holiday; before 2007 only to the Monday), citizens'
 * holidays (国民の休日: a day between two holidays), and the special laws of 2019 (the
 * enthronement: 4/30, 5/1, 5/2, 10/22; no 天皇誕生日 that year), 2020 and 2021 (the Olympic
 * moves of 海の日, スポーツの日 and 山の日). Years outside 2000–2099 have no holidays here.
 *
 * Pure functions, thread-safe, no allocation. */
#ifndef NCCS_UTIL_HOLIDAYS_H
#define NCCS_UTIL_HOLIDAYS_H
#include <stdbool.h>
#include <stddef.h>

/* First and last year whose holidays are known. */
#define JP_HOLIDAY_YEAR_MIN 2000
#define JP_HOLIDAY_YEAR_MAX 2099

/* Returns the holiday's Japanese name (a static string, never freed) or NULL when y-m-d is no
 * holiday, not a valid date, or outside 2000–2099. Substitute holidays are named "振替休日",
 * citizens' holidays "国民の休日". */
const char *jp_holiday_name(int y, int m, int d);
/* A business day of a nurse center: Monday–Friday, not a national holiday, not 12/29–1/3 (the
 * year-end closure). False for an invalid date. */
bool jp_is_business_day(int y, int m, int d);
/* Writes to out (cap >= 11) the date "YYYY-MM-DD" n business days after date ("YYYY-MM-DD").
 * n == 0 gives date itself when it is a business day, else the next business day. Returns 0, or
 * -1 on a malformed date, n outside 0..365, a too-small buffer, or a date (given or resulting)
 * outside 2000–2099. */
int jp_add_business_days(const char *date, int n, char *out, size_t cap);

#endif
