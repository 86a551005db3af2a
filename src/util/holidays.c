/* Japanese national holidays and business days; see holidays.h. */
#include "util/holidays.h"
#include "util/timeutil.h"
#include <stdio.h>

/* 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
static int weekday(long days)
{
    long w = (days + 4) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

/* Day of the month of the n-th Monday of y-m. */
static int nth_monday(int y, int m, int n)
{
    int w = weekday(time_days_from_civil(y, m, 1));
    return 1 + (8 - w) % 7 + 7 * (n - 1);
}

/* The equinox days by the standard approximation, valid 1980–2099. */
static int vernal_equinox(int y)
{
    return (int)(20.8431 + 0.242194 * (y - 1980)) - (y - 1980) / 4;
}

static int autumnal_equinox(int y)
{
    return (int)(23.2488 + 0.242194 * (y - 1980)) - (y - 1980) / 4;
}

/* The "国民の祝日" proper (article 2, and the days special laws made count as such), without
 * substitute and citizens' holidays. Returns a static name or NULL. */
static const char *shukujitsu(int y, int m, int d)
{
    if (y < JP_HOLIDAY_YEAR_MIN || y > JP_HOLIDAY_YEAR_MAX)
        return NULL;
    switch (m) {
    case 1:
        if (d == 1)
            return "元日";
        if (d == nth_monday(y, 1, 2))
            return "成人の日";
        break;
    case 2:
        if (d == 11)
            return "建国記念の日";
        if (d == 23 && y >= 2020)
            return "天皇誕生日";
        break;
    case 3:
        if (d == vernal_equinox(y))
            return "春分の日";
        break;
    case 4:
        if (d == 29)
            return y >= 2007 ? "昭和の日" : "みどりの日";
        break;
    case 5:
        if (d == 1 && y == 2019)
            return "天皇の即位の日";
        if (d == 3)
            return "憲法記念日";
        if (d == 4 && y >= 2007)
            return "みどりの日";
        if (d == 5)
            return "こどもの日";
        break;
    case 7: {
        int marine = y <= 2002 ? 20 : y == 2020 ? 23 : y == 2021 ? 22 : nth_monday(y, 7, 3);
        if (d == marine)
            return "海の日";
        if ((y == 2020 && d == 24) || (y == 2021 && d == 23))
            return "スポーツの日";
        break;
    }
    case 8:
        if (y >= 2016 && d == (y == 2020 ? 10 : y == 2021 ? 8 : 11))
            return "山の日";
        break;
    case 9:
        if (d == (y <= 2002 ? 15 : nth_monday(y, 9, 3)))
            return "敬老の日";
        if (d == autumnal_equinox(y))
            return "秋分の日";
        break;
    case 10:
        if (y == 2019 && d == 22)
            return "即位礼正殿の儀の行われる日";
        if (y != 2020 && y != 2021 && d == nth_monday(y, 10, 2))
            return y >= 2020 ? "スポーツの日" : "体育の日";
        break;
    case 11:
        if (d == 3)
            return "文化の日";
        if (d == 23)
            return "勤労感謝の日";
        break;
    case 12:
        if (d == 23 && y <= 2018)
            return "天皇誕生日";
        break;
    default:
        break;
    }
    return NULL;
}

static const char *shukujitsu_at(long days)
{
    int y, m, d;
    time_civil_from_days(days, &y, &m, &d);
    return shukujitsu(y, m, d);
}

const char *jp_holiday_name(int y, int m, int d)
{
    if (y < JP_HOLIDAY_YEAR_MIN || y > JP_HOLIDAY_YEAR_MAX || !date_valid(y, m, d))
        return NULL;
    const char *name = shukujitsu(y, m, d);
    if (name)
        return name;
    long t = time_days_from_civil(y, m, d);
    /* 振替休日 (article 3.2): since 2007 the first day after a Sunday holiday that is not itself
     * a holiday; before 2007 only the Monday after it. */
    if (y >= 2007) {
        for (long k = t - 1; shukujitsu_at(k); k--)
            if (weekday(k) == 0)
                return "振替休日";
    } else if (weekday(t - 1) == 0 && shukujitsu_at(t - 1)) {
        return "振替休日";
    }
    /* 国民の休日 (article 3.3): a day between two holidays; before 2007 not on a Sunday. */
    if (shukujitsu_at(t - 1) && shukujitsu_at(t + 1) && (y >= 2007 || weekday(t) != 0))
        return "国民の休日";
    return NULL;
}

static bool business_at(long days)
{
    int y, m, d;
    time_civil_from_days(days, &y, &m, &d);
    int w = weekday(days);
    if (w == 0 || w == 6)
        return false;
    if ((m == 12 && d >= 29) || (m == 1 && d <= 3))
        return false;
    return jp_holiday_name(y, m, d) == NULL;
}

bool jp_is_business_day(int y, int m, int d)
{
    if (!date_valid(y, m, d))
        return false;
    return business_at(time_days_from_civil(y, m, d));
}

int jp_add_business_days(const char *date, int n, char *out, size_t cap)
{
    int y, m, d;
    if (!date || !out || cap < 11 || n < 0 || n > 365 || date_parse(date, &y, &m, &d) != 0)
        return -1;
    if (y < JP_HOLIDAY_YEAR_MIN || y > JP_HOLIDAY_YEAR_MAX)
        return -1;
    long t = time_days_from_civil(y, m, d);
    if (n == 0) {
        while (!business_at(t))
            t++;
    }
    for (int i = 0; i < n; i++) {
        do
            t++;
        while (!business_at(t));
    }
    time_civil_from_days(t, &y, &m, &d);
    if (y > JP_HOLIDAY_YEAR_MAX)
        return -1;
    snprintf(out, cap, "%04d-%02d-%02d", y, m, d);
    return 0;
}
