/* Unit tests for src/util/holidays: Japanese national holidays and business days. The expected
 * lists are the Cabinet Office's (内閣府「国民の祝日について」) for 2019 and 2024–2026. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/holidays.h"
#include "util/timeutil.h"

#include <stdio.h>
#include <string.h>

typedef struct hday {
    int m, d;
    const char *name;
} hday;

/* Checks that the holidays of year y are exactly want (n entries, in date order). */
static void check_year(int y, const hday *want, size_t n)
{
    size_t k = 0;
    for (int m = 1; m <= 12; m++)
        for (int d = 1; d <= days_in_month(y, m); d++) {
            const char *name = jp_holiday_name(y, m, d);
            if (!name)
                continue;
            char msg[128];
            snprintf(msg, sizeof msg, "%04d-%02d-%02d %s", y, m, d, name);
            if (k >= n)
                fail_msg("unexpected holiday %s", msg);
            if (want[k].m != m || want[k].d != d || strcmp(want[k].name, name) != 0)
                fail_msg("got %s, want %02d-%02d %s", msg, want[k].m, want[k].d, want[k].name);
            k++;
        }
    if (k != n)
        fail_msg("%d: %zu holidays, want %zu", y, k, n);
}

static void test_2024(void **state)
{
    (void)state;
    static const hday h[] = {
        {1, 1, "元日"},       {1, 8, "成人の日"},    {2, 11, "建国記念の日"},
        {2, 12, "振替休日"},  {2, 23, "天皇誕生日"}, {3, 20, "春分の日"},
        {4, 29, "昭和の日"},  {5, 3, "憲法記念日"},  {5, 4, "みどりの日"},
        {5, 5, "こどもの日"}, {5, 6, "振替休日"},    {7, 15, "海の日"},
        {8, 11, "山の日"},    {8, 12, "振替休日"},   {9, 16, "敬老の日"},
        {9, 22, "秋分の日"},  {9, 23, "振替休日"},   {10, 14, "スポーツの日"},
        {11, 3, "文化の日"},  {11, 4, "振替休日"},   {11, 23, "勤労感謝の日"},
    };
    check_year(2024, h, sizeof h / sizeof h[0]);
}

static void test_2025(void **state)
{
    (void)state;
    static const hday h[] = {
        {1, 1, "元日"},           {1, 13, "成人の日"},  {2, 11, "建国記念の日"},
        {2, 23, "天皇誕生日"},    {2, 24, "振替休日"},  {3, 20, "春分の日"},
        {4, 29, "昭和の日"},      {5, 3, "憲法記念日"}, {5, 4, "みどりの日"},
        {5, 5, "こどもの日"},     {5, 6, "振替休日"},   {7, 21, "海の日"},
        {8, 11, "山の日"},        {9, 15, "敬老の日"},  {9, 23, "秋分の日"},
        {10, 13, "スポーツの日"}, {11, 3, "文化の日"},  {11, 23, "勤労感謝の日"},
        {11, 24, "振替休日"},
    };
    check_year(2025, h, sizeof h / sizeof h[0]);
}

static void test_2026(void **state)
{
    (void)state;
    static const hday h[] = {
        {1, 1, "元日"},           {1, 12, "成人の日"},   {2, 11, "建国記念の日"},
        {2, 23, "天皇誕生日"},    {3, 20, "春分の日"},   {4, 29, "昭和の日"},
        {5, 3, "憲法記念日"},     {5, 4, "みどりの日"},  {5, 5, "こどもの日"},
        {5, 6, "振替休日"},       {7, 20, "海の日"},     {8, 11, "山の日"},
        {9, 21, "敬老の日"},      {9, 22, "国民の休日"}, {9, 23, "秋分の日"},
        {10, 12, "スポーツの日"}, {11, 3, "文化の日"},   {11, 23, "勤労感謝の日"},
    };
    check_year(2026, h, sizeof h / sizeof h[0]);
}

/* The enthronement year: 4/27–5/6 ten days off, 10/22, no 天皇誕生日. */
static void test_2019(void **state)
{
    (void)state;
    static const hday h[] = {
        {1, 1, "元日"},
        {1, 14, "成人の日"},
        {2, 11, "建国記念の日"},
        {3, 21, "春分の日"},
        {4, 29, "昭和の日"},
        {4, 30, "国民の休日"},
        {5, 1, "天皇の即位の日"},
        {5, 2, "国民の休日"},
        {5, 3, "憲法記念日"},
        {5, 4, "みどりの日"},
        {5, 5, "こどもの日"},
        {5, 6, "振替休日"},
        {7, 15, "海の日"},
        {8, 11, "山の日"},
        {8, 12, "振替休日"},
        {9, 16, "敬老の日"},
        {9, 23, "秋分の日"},
        {10, 14, "体育の日"},
        {10, 22, "即位礼正殿の儀の行われる日"},
        {11, 3, "文化の日"},
        {11, 4, "振替休日"},
        {11, 23, "勤労感謝の日"},
    };
    check_year(2019, h, sizeof h / sizeof h[0]);
    assert_string_equal(jp_holiday_name(2018, 12, 23), "天皇誕生日");
    assert_string_equal(jp_holiday_name(2018, 12, 24), "振替休日");
    assert_null(jp_holiday_name(2020, 12, 23));
    assert_string_equal(jp_holiday_name(2020, 2, 23), "天皇誕生日");
    assert_string_equal(jp_holiday_name(2020, 2, 24), "振替休日");
}

/* The Olympic years moved 海の日, スポーツの日 and 山の日. */
static void test_2020_2021(void **state)
{
    (void)state;
    assert_string_equal(jp_holiday_name(2020, 7, 23), "海の日");
    assert_string_equal(jp_holiday_name(2020, 7, 24), "スポーツの日");
    assert_string_equal(jp_holiday_name(2020, 8, 10), "山の日");
    assert_null(jp_holiday_name(2020, 7, 20));
    assert_null(jp_holiday_name(2020, 8, 11));
    assert_null(jp_holiday_name(2020, 10, 12));
    assert_string_equal(jp_holiday_name(2021, 7, 22), "海の日");
    assert_string_equal(jp_holiday_name(2021, 7, 23), "スポーツの日");
    assert_string_equal(jp_holiday_name(2021, 8, 8), "山の日");
    assert_string_equal(jp_holiday_name(2021, 8, 9), "振替休日");
    assert_null(jp_holiday_name(2021, 7, 19));
    assert_null(jp_holiday_name(2021, 8, 11));
    assert_null(jp_holiday_name(2021, 10, 11));
    /* The name of the October holiday. */
    assert_string_equal(jp_holiday_name(2022, 10, 10), "スポーツの日");
}

/* Rules that changed within 2000–2099. */
static void test_older_rules(void **state)
{
    (void)state;
    assert_string_equal(jp_holiday_name(2000, 1, 10), "成人の日"); /* first Happy Monday */
    assert_string_equal(jp_holiday_name(2002, 7, 20), "海の日");
    assert_string_equal(jp_holiday_name(2002, 9, 15), "敬老の日");
    assert_string_equal(jp_holiday_name(2003, 7, 21), "海の日");
    assert_string_equal(jp_holiday_name(2003, 9, 15), "敬老の日");
    assert_string_equal(jp_holiday_name(2006, 4, 29), "みどりの日");
    assert_string_equal(jp_holiday_name(2006, 5, 4), "国民の休日");
    assert_string_equal(jp_holiday_name(2007, 4, 29), "昭和の日");
    assert_string_equal(jp_holiday_name(2007, 4, 30), "振替休日");
    /* Before 2007: 5/4 on a Sunday was no holiday, and the substitute only the Monday. */
    assert_null(jp_holiday_name(2003, 5, 4));
    assert_null(jp_holiday_name(2003, 5, 6));
    assert_string_equal(jp_holiday_name(2001, 12, 24), "振替休日");
    /* Since 2007 the substitute moves past other holidays (first in 2008). */
    assert_string_equal(jp_holiday_name(2008, 5, 6), "振替休日");
    assert_string_equal(jp_holiday_name(2009, 9, 22), "国民の休日");
    assert_string_equal(jp_holiday_name(2015, 9, 22), "国民の休日");
    assert_null(jp_holiday_name(2015, 8, 11)); /* 山の日 from 2016 */
    assert_string_equal(jp_holiday_name(2016, 8, 11), "山の日");
    /* Substitute across a year boundary: 2023-01-01 was a Sunday. */
    assert_string_equal(jp_holiday_name(2023, 1, 2), "振替休日");
    /* Equinoxes against the published days. */
    assert_string_equal(jp_holiday_name(2000, 3, 20), "春分の日");
    assert_string_equal(jp_holiday_name(2000, 9, 23), "秋分の日");
    assert_string_equal(jp_holiday_name(2012, 9, 22), "秋分の日");
    assert_string_equal(jp_holiday_name(2030, 3, 20), "春分の日");
    assert_string_equal(jp_holiday_name(2030, 9, 23), "秋分の日");
    /* Outside the range and invalid dates. */
    assert_null(jp_holiday_name(1999, 1, 1));
    assert_null(jp_holiday_name(2100, 1, 1));
    assert_null(jp_holiday_name(2026, 2, 30));
    assert_null(jp_holiday_name(2026, 13, 1));
}

static void test_business_day(void **state)
{
    (void)state;
    assert_true(jp_is_business_day(2026, 11, 20));  /* Friday */
    assert_false(jp_is_business_day(2026, 11, 21)); /* Saturday */
    assert_false(jp_is_business_day(2026, 11, 22)); /* Sunday */
    assert_false(jp_is_business_day(2026, 11, 23)); /* 勤労感謝の日 */
    assert_false(jp_is_business_day(2026, 12, 29)); /* year-end closure */
    assert_false(jp_is_business_day(2026, 12, 31));
    assert_false(jp_is_business_day(2027, 1, 1));
    assert_false(jp_is_business_day(2027, 1, 3));
    assert_true(jp_is_business_day(2027, 1, 4));
    assert_true(jp_is_business_day(2026, 12, 28));
    assert_false(jp_is_business_day(2026, 2, 30));
}

static void check_add(const char *date, int n, const char *want)
{
    char out[11];
    if (jp_add_business_days(date, n, out, sizeof out) != 0)
        fail_msg("%s + %d failed", date, n);
    if (strcmp(out, want) != 0)
        fail_msg("%s + %d = %s, want %s", date, n, out, want);
}

static void test_add_business_days(void **state)
{
    (void)state;
    check_add("2026-11-20", 3, "2026-11-26"); /* Mon 11/23 is a holiday */
    check_add("2026-11-20", 1, "2026-11-24");
    check_add("2026-12-28", 1, "2027-01-04"); /* year end */
    check_add("2026-12-25", 1, "2026-12-28");
    check_add("2026-04-30", 1, "2026-05-01"); /* Golden Week */
    check_add("2026-05-01", 1, "2026-05-07");
    check_add("2026-04-28", 3, "2026-05-07");
    check_add("2019-04-26", 1, "2019-05-07"); /* the ten days of 2019 */
    check_add("2026-09-18", 1, "2026-09-24"); /* Silver Week */
    check_add("2026-11-20", 0, "2026-11-20"); /* n == 0 on a business day */
    check_add("2026-11-21", 0, "2026-11-24"); /* n == 0 on a Saturday before a holiday */
    check_add("2026-12-30", 0, "2027-01-04");
    check_add("2026-11-21", 1, "2026-11-24");   /* counted from a non-business day */
    check_add("2026-01-05", 365, "2027-07-08"); /* checked with an independent script */

    char out[11];
    assert_int_equal(jp_add_business_days("2026-02-30", 1, out, sizeof out), -1);
    assert_int_equal(jp_add_business_days("2026-1-05", 1, out, sizeof out), -1);
    assert_int_equal(jp_add_business_days("2026-01-05x", 1, out, sizeof out), -1);
    assert_int_equal(jp_add_business_days("", 1, out, sizeof out), -1);
    assert_int_equal(jp_add_business_days(NULL, 1, out, sizeof out), -1);
    assert_int_equal(jp_add_business_days("2026-01-05", -1, out, sizeof out), -1);
    assert_int_equal(jp_add_business_days("2026-01-05", 366, out, sizeof out), -1);
    assert_int_equal(jp_add_business_days("2026-01-05", 1, out, 10), -1);
    assert_int_equal(jp_add_business_days("1999-12-01", 1, out, sizeof out), -1);
    assert_int_equal(jp_add_business_days("2099-12-28", 1, out, sizeof out), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_2024),         cmocka_unit_test(test_2025),
        cmocka_unit_test(test_2026),         cmocka_unit_test(test_2019),
        cmocka_unit_test(test_2020_2021),    cmocka_unit_test(test_older_rules),
        cmocka_unit_test(test_business_day), cmocka_unit_test(test_add_business_days),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
