/* Job offer model helpers, findings, the minimum-wage table and the hourly equivalent. */
#include "domain/offer.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void offer_init(offer *o)
{
    memset(o, 0, sizeof *o);
    o->contract.max_renewals = OFFER_UNSET;
    o->contract.max_total_months = OFFER_UNSET;
    o->probation.months = OFFER_UNSET;
    o->hours.night_shifts_per_month = OFFER_UNSET;
    o->hours.overtime_avg_hours = OFFER_UNSET;
    o->hours.break_minutes = OFFER_UNSET;
    o->holidays.annual_days = OFFER_UNSET;
    o->wage.base_min = OFFER_UNSET;
    o->wage.base_max = OFFER_UNSET;
    o->wage.fixed_overtime_hours = OFFER_UNSET;
    o->wage.fixed_overtime_amount = OFFER_UNSET;
    o->age.max = OFFER_UNSET;
    o->positions = OFFER_UNSET;
}

/* ---- Findings ---------------------------------------------------------------------------- */

void findings_add(findings *f, finding_severity sev, const char *field, const char *code,
                  const char *message)
{
    if (f->n >= FINDINGS_MAX) {
        f->truncated = true;
        return;
    }
    finding *x = &f->items[f->n++];
    x->severity = sev;
    str_copy(x->field, sizeof x->field, field);
    str_copy(x->code, sizeof x->code, code);
    str_copy(x->message, sizeof x->message, message);
    if (sev == FINDING_ERROR)
        f->n_errors++;
    else
        f->n_warnings++;
}

const finding *findings_find(const findings *f, const char *code, const char *field)
{
    for (int i = 0; i < f->n; i++)
        if (!strcmp(f->items[i].code, code) && (!field || !strcmp(f->items[i].field, field)))
            return &f->items[i];
    return NULL;
}

/* ---- Minimum wages ------------------------------------------------------------------------ */

static const minwage_table *g_default_wages;

void minwage_set_default(const minwage_table *t)
{
    g_default_wages = t;
}

const minwage_table *minwage_default(void)
{
    return g_default_wages;
}

void minwage_free(minwage_table *t)
{
    free(t->rows);
    t->rows = NULL;
    t->n = 0;
}

/* Copies the tab-separated field starting at p (up to a tab or the end of the line at `end`)
 * into out (capacity cap, truncating). Returns the start of the next field, or NULL when this
 * was the last one. */
static const char *next_field(const char *p, const char *end, char *out, size_t cap)
{
    const char *tab = memchr(p, '\t', (size_t)(end - p));
    const char *stop = tab ? tab : end;
    size_t len = (size_t)(stop - p);
    if (len >= cap)
        len = cap - 1;
    memcpy(out, p, len);
    out[len] = '\0';
    return tab ? tab + 1 : NULL;
}

static bool is_pref_code(const char *s)
{
    if (strlen(s) != 2 || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
        return false;
    int v = (s[0] - '0') * 10 + (s[1] - '0');
    return v >= 1 && v <= 47;
}

/* Parses one data line [p, end) into row. Returns 0 or -1 with a reason in why. */
static int parse_wage_line(const char *p, const char *end, minwage_row *row, const char **why)
{
    char code[8], date[16], yen[16], source[8];
    p = next_field(p, end, code, sizeof code);
    if (!p) {
        *why = "expected 4 tab-separated columns";
        return -1;
    }
    p = next_field(p, end, date, sizeof date);
    if (!p) {
        *why = "expected 4 tab-separated columns";
        return -1;
    }
    p = next_field(p, end, yen, sizeof yen);
    if (!p) {
        *why = "expected 4 tab-separated columns";
        return -1;
    }
    next_field(p, end, source, sizeof source);
    int y, m, d;
    int64_t v;
    if (!is_pref_code(code)) {
        *why = "prefecture code must be 01..47";
        return -1;
    }
    if (date_parse(date, &y, &m, &d) != 0) {
        *why = "effective date must be a real YYYY-MM-DD date";
        return -1;
    }
    if (str_to_i64(yen, 1, 100000, &v) != 0) {
        *why = "hourly minimum wage must be an integer 1..100000";
        return -1;
    }
    if (!source[0]) {
        *why = "source is empty";
        return -1;
    }
    str_copy(row->pref, sizeof row->pref, code);
    str_copy(row->effective, sizeof row->effective, date);
    row->yen = (int)v;
    return 0;
}

int minwage_load_tsv(const char *text, minwage_table *t, char *err, size_t errcap)
{
    t->rows = NULL;
    t->n = 0;
    if (err && errcap)
        err[0] = '\0';
    if (!text) {
        if (err)
            snprintf(err, errcap, "minimum wages: no text");
        return -1;
    }
    int cap = 0, lineno = 0;
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        const char *end = nl ? nl : p + strlen(p);
        const char *next = nl ? nl + 1 : end;
        lineno++;
        if (end > p && end[-1] == '\r')
            end--;
        bool skip = end == p || *p == '#' || (lineno == 1 && str_starts(p, "pref"));
        if (!skip) {
            minwage_row row;
            const char *why = NULL;
            if (parse_wage_line(p, end, &row, &why) != 0) {
                if (err)
                    snprintf(err, errcap, "minimum wages line %d: %s", lineno, why);
                minwage_free(t);
                return -1;
            }
            for (int i = 0; i < t->n; i++)
                if (!strcmp(t->rows[i].pref, row.pref) &&
                    !strcmp(t->rows[i].effective, row.effective)) {
                    if (err)
                        snprintf(err, errcap, "minimum wages line %d: duplicate %s %s", lineno,
                                 row.pref, row.effective);
                    minwage_free(t);
                    return -1;
                }
            if (t->n == cap) {
                int ncap = cap ? cap * 2 : 128;
                minwage_row *nr = realloc(t->rows, (size_t)ncap * sizeof *nr);
                if (!nr) {
                    if (err)
                        snprintf(err, errcap, "minimum wages: out of memory");
                    minwage_free(t);
                    return -1;
                }
                t->rows = nr;
                cap = ncap;
            }
            t->rows[t->n++] = row;
        }
        p = next;
    }
    return 0;
}

int minwage_lookup(const minwage_table *t, const char *pref, const char *on_date, char *effective,
                   size_t cap)
{
    int y, m, d;
    if (!t || !pref || !on_date || date_parse(on_date, &y, &m, &d) != 0)
        return -1;
    const minwage_row *best = NULL;
    for (int i = 0; i < t->n; i++) {
        const minwage_row *r = &t->rows[i];
        if (strcmp(r->pref, pref) != 0 || date_cmp(r->effective, on_date) > 0)
            continue;
        if (!best || date_cmp(r->effective, best->effective) > 0)
            best = r;
    }
    if (!best)
        return -1;
    if (effective && cap)
        str_copy(effective, cap, best->effective);
    return best->yen;
}

/* ---- Hours and the hourly equivalent ------------------------------------------------------ */

/* Parses a strict HH:MM (00:00..23:59, also 24:00 for an end of day) into minutes since
 * midnight; returns -1 when s is NULL or malformed. */
static int parse_hhmm(const char *s)
{
    if (!s || strlen(s) != 5 || s[2] != ':')
        return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9'))
            return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0');
    int m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0))
        return -1;
    return h * 60 + m;
}

int offer_time_minutes(const char *s)
{
    return parse_hhmm(s);
}

int offer_daily_minutes(const offer *o)
{
    int a = parse_hhmm(o->hours.start), b = parse_hhmm(o->hours.end);
    if (a < 0 || b < 0 || o->hours.break_minutes < 0)
        return -1;
    int span = b > a ? b - a : b + 24 * 60 - a;
    int work = span - o->hours.break_minutes;
    return work > 0 ? work : -1;
}

/* Yen amounts above this are treated as invalid input (and keep the arithmetic below far from
 * int64_t overflow: 10^10 * 12 * 60 < 2^63). */
#define WAGE_YEN_LIMIT 10000000000LL

int offer_hourly_fraction(const offer *o, int64_t *num, int64_t *den)
{
    int64_t base = o->wage.base_min;
    if (base < 0 || base > WAGE_YEN_LIMIT)
        return -1;
    if (o->wage.type == OFFER_WAGE_HOURLY) {
        *num = base;
        *den = 1;
        return 0;
    }
    int daily = offer_daily_minutes(o);
    if (daily <= 0)
        return -1;
    if (o->wage.type == OFFER_WAGE_DAILY) {
        *num = base * 60;
        *den = daily;
        return 0;
    }
    int holidays = o->holidays.annual_days;
    if (holidays < 0 || holidays >= 365)
        return -1;
    int64_t minutes_per_year = (int64_t)(365 - holidays) * daily;
    if (o->wage.type == OFFER_WAGE_MONTHLY) {
        /* base ÷ (working days × daily minutes ÷ 60 ÷ 12) */
        *num = base * 12 * 60;
        *den = minutes_per_year;
        return 0;
    }
    if (o->wage.type == OFFER_WAGE_ANNUAL) {
        *num = base * 60;
        *den = minutes_per_year;
        return 0;
    }
    return -1;
}

int64_t offer_hourly_equivalent(const offer *o)
{
    int64_t num, den;
    if (offer_hourly_fraction(o, &num, &den) != 0)
        return -1;
    return num / den;
}
