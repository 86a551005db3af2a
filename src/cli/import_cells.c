/* Pure cell parsers of `nccs import` (see import.h): dates, numbers, code/label dictionaries
 * and lists. No I/O; unit-tested in tests/unit/test_import.c. */
#include "cli/import.h"
#include "domain/text.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads minn..maxn ASCII digits at p into *v; returns the position after them, or NULL when
 * there are fewer than minn or more than maxn digits. */
static const char *read_digits(const char *p, int minn, int maxn, int *v)
{
    int n = 0, val = 0;
    while (n < maxn && p[n] >= '0' && p[n] <= '9') {
        val = val * 10 + (p[n] - '0');
        n++;
    }
    if (n < minn || (p[n] >= '0' && p[n] <= '9'))
        return NULL;
    *v = val;
    return p + n;
}

/* The date at the start of s; *end = the text after it. Returns 0 or -1. */
static int date_prefix(const char *s, int *y, int *m, int *d, const char **end)
{
    const char *p = read_digits(s, 4, 4, y);
    if (!p)
        return -1;
    if (str_starts(p, "年")) {
        p = read_digits(p + strlen("年"), 1, 2, m);
        if (!p || !str_starts(p, "月"))
            return -1;
        p = read_digits(p + strlen("月"), 1, 2, d);
        if (!p)
            return -1;
        if (str_starts(p, "日"))
            p += strlen("日");
    } else {
        char sep = *p;
        if (sep != '-' && sep != '/' && sep != '.')
            return -1;
        p = read_digits(p + 1, 1, 2, m);
        if (!p || *p != sep)
            return -1;
        p = read_digits(p + 1, 1, 2, d);
        if (!p)
            return -1;
    }
    if (!date_valid(*y, *m, *d))
        return -1;
    *end = p;
    return 0;
}

int imp_parse_date(const char *s, char *out, size_t cap)
{
    int y, m, d;
    const char *end;
    if (!s || date_prefix(s, &y, &m, &d, &end) != 0 || *end)
        return -1;
    snprintf(out, cap, "%04d-%02d-%02d", y, m, d);
    return 0;
}

int64_t imp_jst_midnight(const char *date)
{
    int y = 1970, m = 1, d = 1;
    date_parse(date, &y, &m, &d);
    return time_days_from_civil(y, m, d) * 86400 - 9 * 3600;
}

int imp_parse_datetime(const char *s, int64_t *t)
{
    int y, m, d, hh = 0, mm = 0, ss = 0;
    const char *p;
    if (!s || date_prefix(s, &y, &m, &d, &p) != 0)
        return -1;
    if (*p) {
        if (*p != ' ' && *p != 'T')
            return -1;
        while (*p == ' ' || *p == 'T')
            p++;
        p = read_digits(p, 1, 2, &hh);
        if (!p || *p != ':')
            return -1;
        p = read_digits(p + 1, 2, 2, &mm);
        if (!p)
            return -1;
        if (*p == ':') {
            p = read_digits(p + 1, 2, 2, &ss);
            if (!p)
                return -1;
        }
        if (*p || hh > 23 || mm > 59 || ss > 59)
            return -1;
    }
    *t = time_days_from_civil(y, m, d) * 86400 - 9 * 3600 + hh * 3600 + mm * 60 + ss;
    return 0;
}

int imp_parse_int(const char *s, int64_t min, int64_t max, int64_t *out)
{
    if (!s)
        return -1;
    const char *p = s;
    bool neg = false;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    if (*p < '0' || *p > '9')
        return -1;
    int64_t v = 0;
    bool overflow = false;
    for (; *p; p++) {
        if (*p == ',') {
            /* a thousands separator sits between digits */
            if (!(p[1] >= '0' && p[1] <= '9'))
                return -1;
            continue;
        }
        if (*p < '0' || *p > '9')
            return -1;
        if (v > (INT64_MAX - 9) / 10)
            overflow = true;
        else
            v = v * 10 + (*p - '0');
    }
    if (neg)
        v = -v;
    if (overflow || v < min || v > max)
        return -2;
    *out = v;
    return 0;
}

bool imp_formula_like(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return *s == '=' || *s == '+' || *s == '-' || *s == '@';
}

void imp_placeholder_email(const char *seed, char *out, size_t cap)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)seed, strlen(seed));
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    snprintf(out, cap, "imp-%.16s@import.invalid", hex);
}

/* ---- dictionaries ----------------------------------------------------------------------- */

void imp_dict_init(imp_dict *d)
{
    memset(d, 0, sizeof *d);
}

int imp_dict_add(imp_dict *d, const char *key, const char *code)
{
    if (!key || !code)
        return -1;
    char *k = text_nfkc(key);
    if (!k)
        return -1;
    if (!*k || imp_dict_get(d, k)) { /* the first meaning of a key wins */
        free(k);
        return 0;
    }
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 32;
        struct imp_dict_entry *e = realloc(d->e, cap * sizeof *e);
        if (!e) {
            free(k);
            return -1;
        }
        d->e = e;
        d->cap = cap;
    }
    char *c = strdup(code);
    if (!c) {
        free(k);
        return -1;
    }
    d->e[d->n].key = k;
    d->e[d->n].code = c;
    d->n++;
    return 0;
}

const char *imp_dict_get(const imp_dict *d, const char *s)
{
    for (size_t i = 0; s && i < d->n; i++)
        if (!strcmp(d->e[i].key, s))
            return d->e[i].code;
    return NULL;
}

void imp_dict_free(imp_dict *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->e[i].key);
        free(d->e[i].code);
    }
    free(d->e);
    memset(d, 0, sizeof *d);
}

#define LIST_PIECES 64

/* Length of the separator at p (0 when none); *dot tells whether it is the middle dot. */
static size_t list_sep(const char *p, bool *dot)
{
    *dot = false;
    if (*p == '|' || *p == ',' || *p == '/')
        return 1;
    if (str_starts(p, "、"))
        return strlen("、");
    if (str_starts(p, "・")) {
        *dot = true;
        return strlen("・");
    }
    return 0;
}

static void trim_piece(char **s)
{
    char *p = *s;
    while (*p == ' ')
        p++;
    size_t n = strlen(p);
    while (n && p[n - 1] == ' ')
        p[--n] = '\0';
    *s = p;
}

int imp_dict_list(const imp_dict *d, const char *s, const char **out, int max, char *bad,
                  size_t badcap)
{
    if (bad && badcap)
        bad[0] = '\0';
    if (!s || !*s)
        return 0;
    size_t len = strlen(s);
    char *buf = malloc(len + 1), *join = malloc(len + 1);
    if (!buf || !join) {
        free(buf);
        free(join);
        if (bad)
            str_copy(bad, badcap, s);
        return -1;
    }
    memcpy(buf, s, len + 1);
    /* pieces and whether the separator before each was the middle dot */
    char *piece[LIST_PIECES];
    bool dot_before[LIST_PIECES];
    int np = 0, rc = 0;
    piece[np] = buf;
    dot_before[np++] = false;
    for (char *p = buf; *p;) {
        bool dot;
        size_t n = list_sep(p, &dot);
        if (!n) {
            p++;
            continue;
        }
        *p = '\0';
        p += n;
        if (np == LIST_PIECES) {
            rc = -3;
            break;
        }
        piece[np] = p;
        dot_before[np++] = dot;
    }
    for (int i = 0; i < np; i++)
        trim_piece(&piece[i]);
    int count = 0;
    for (int i = 0; rc == 0 && i < np;) {
        if (!*piece[i]) {
            i++;
            continue;
        }
        /* the longest run i..j joined by middle dots that is a known item */
        const char *code = NULL;
        int j = i;
        for (int k = i; k < np && (k == i || dot_before[k]); k++) {
            size_t n = 0;
            for (int q = i; q <= k; q++)
                n += (size_t)snprintf(join + n, len + 1 - n, "%s%s", q > i ? "・" : "", piece[q]);
            const char *c = imp_dict_get(d, join);
            if (c) {
                code = c;
                j = k;
            }
        }
        if (!code) {
            if (bad)
                str_copy(bad, badcap, piece[i]);
            rc = -1;
            break;
        }
        for (int q = 0; q < count; q++)
            if (!strcmp(out[q], code)) {
                if (bad)
                    str_copy(bad, badcap, piece[i]);
                rc = -2;
            }
        if (rc)
            break;
        if (count == max) {
            rc = -3;
            break;
        }
        out[count++] = code;
        i = j + 1;
    }
    free(buf);
    free(join);
    return rc ? rc : count;
}

int imp_dict_codes(imp_dict *d, const code_label *list)
{
    for (const code_label *c = list; c->code; c++)
        if (imp_dict_add(d, c->code, c->code) != 0 || imp_dict_add(d, c->label, c->code) != 0)
            return -1;
    return 0;
}
