#include "util/timeutil.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t time_now(void)
{
    return (int64_t)time(NULL);
}

int64_t time_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void time_jst_date(int64_t t, char *out, size_t cap)
{
    time_t jst = (time_t)(t + 9 * 3600);
    struct tm tm;
    gmtime_r(&jst, &tm);
    snprintf(out, cap, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

bool date_valid(int y, int m, int d)
{
    return y >= 1868 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

int date_parse(const char *s, int *y, int *m, int *d)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    int v[3] = {0, 0, 0};
    const int start[3] = {0, 5, 8}, len[3] = {4, 2, 2};
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < len[k]; i++) {
            char c = s[start[k] + i];
            if (c < '0' || c > '9')
                return -1;
            v[k] = v[k] * 10 + (c - '0');
        }
    if (!date_valid(v[0], v[1], v[2]))
        return -1;
    *y = v[0];
    *m = v[1];
    *d = v[2];
    return 0;
}

int date_cmp(const char *a, const char *b)
{
    return strcmp(a, b);
}

int fiscal_year(int y, int m)
{
    return m >= 4 ? y : y - 1;
}

int time_jst_fiscal_year(int64_t t)
{
    char day[16];
    int y = 0, m = 0, d = 0;
    time_jst_date(t, day, sizeof day);
    date_parse(day, &y, &m, &d);
    return fiscal_year(y, m);
}

int fiscal_month_index(int m)
{
    return (m + 8) % 12;
}

int era_format(int y, int m, int d, char *out, size_t cap)
{
    static const struct {
        int y, m, d;
        const char *name;
    } eras[] = {{2019, 5, 1, "令和"},
                {1989, 1, 8, "平成"},
                {1926, 12, 25, "昭和"},
                {1912, 7, 30, "大正"},
                {1868, 1, 25, "明治"}};
    int key = y * 10000 + m * 100 + d;
    for (size_t i = 0; i < sizeof eras / sizeof eras[0]; i++) {
        if (key >= eras[i].y * 10000 + eras[i].m * 100 + eras[i].d) {
            int ey = y - eras[i].y + 1;
            int n;
            if (ey == 1)
                n = snprintf(out, cap, "%s元年%d月%d日", eras[i].name, m, d);
            else
                n = snprintf(out, cap, "%s%d年%d月%d日", eras[i].name, ey, m, d);
            return (n < 0 || (size_t)n >= cap) ? -1 : 0;
        }
    }
    return -1;
}

int64_t time_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void time_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

void time_fiscal_year_bounds(int fy, int64_t *from, int64_t *to)
{
    *from = time_days_from_civil(fy, 4, 1) * 86400 - 9 * 3600;
    *to = time_days_from_civil(fy + 1, 4, 1) * 86400 - 9 * 3600;
}
