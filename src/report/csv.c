/* CSV writer with formula neutralisation; see csv.h. */
#include "report/csv.h"
#include <string.h>

/* True when a spreadsheet would take text as the start of a formula (see csv.h). */
static bool formula_like(const char *s)
{
    if (s[0] == '\t' || s[0] == '\r')
        return true;
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    return *s == '=' || *s == '+' || *s == '-' || *s == '@';
}

/* Drops whatever was appended since len (the buffer keeps its NUL terminator). */
static int rollback(nbuf *b, size_t len)
{
    b->len = len;
    if (b->data)
        b->data[len] = '\0';
    return -1;
}

int csv_field(nbuf *b, const char *text, bool first)
{
    size_t start = b->len;
    if (!first && nbuf_append(b, ",", 1) != 0)
        return rollback(b, start);
    if (!text || !*text)
        return 0;
    bool quote = strpbrk(text, ",\"\r\n") != NULL;
    if (quote && nbuf_append(b, "\"", 1) != 0)
        return rollback(b, start);
    if (formula_like(text) && nbuf_append(b, "'", 1) != 0)
        return rollback(b, start);
    const char *p = text;
    while (*p) {
        const char *q = quote ? strchr(p, '"') : NULL;
        size_t n = q ? (size_t)(q - p) + 1 : strlen(p);
        if (nbuf_append(b, p, n) != 0)
            return rollback(b, start);
        if (q && nbuf_append(b, "\"", 1) != 0) /* the quote doubled */
            return rollback(b, start);
        p += n;
    }
    if (quote && nbuf_append(b, "\"", 1) != 0)
        return rollback(b, start);
    return 0;
}

int csv_field_i64(nbuf *b, long long v, bool first)
{
    size_t start = b->len;
    if (nbuf_printf(b, first ? "%lld" : ",%lld", v) != 0)
        return rollback(b, start);
    return 0;
}

int csv_row_end(nbuf *b)
{
    return nbuf_append(b, "\r\n", 2);
}

int csv_bom(nbuf *b)
{
    return nbuf_append(b, "\xEF\xBB\xBF", 3);
}
