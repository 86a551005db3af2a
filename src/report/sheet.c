/* Reading uploaded tables: CSV (UTF-8 or CP932, RFC 4180) and XLSX (libzip + expat); see
 * sheet.h. Numbers are parsed and printed with strtod/snprintf, which assume the C locale's
 * decimal point (the server never calls setlocale). */
#include "report/sheet.h"
#include "util/buf.h"
#include "util/str.h"

#include <errno.h>
#include <expat.h>
#include <iconv.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

/* ---- arena: every cell array and text of a sheet, freed at once ------------------------- */

#define MEM_CHUNK (64 * 1024)

typedef struct mem_chunk {
    struct mem_chunk *next;
    size_t used, cap;
    max_align_t data[];
} mem_chunk;

struct sheet_mem {
    mem_chunk *head; /* the chunk being filled; dedicated large chunks follow it */
};

/* Returns n bytes (aligned for any type) owned by m, or NULL when memory is exhausted. */
static void *mem_alloc(struct sheet_mem *m, size_t n)
{
    const size_t align = _Alignof(max_align_t);
    if (n > SIZE_MAX - sizeof(mem_chunk) - align)
        return NULL;
    n = (n + align - 1) / align * align;
    if (m->head && m->head->cap - m->head->used >= n) {
        void *p = (char *)m->head->data + m->head->used;
        m->head->used += n;
        return p;
    }
    size_t cap = n > MEM_CHUNK / 4 ? n : MEM_CHUNK;
    mem_chunk *c = malloc(sizeof *c + cap);
    if (!c)
        return NULL;
    c->used = n;
    c->cap = cap;
    if (cap == n && m->head) { /* a large block: keep filling the current chunk */
        c->next = m->head->next;
        m->head->next = c;
    } else {
        c->next = m->head;
        m->head = c;
    }
    return c->data;
}

/* Copies s (n bytes) into m, NUL-terminated; NULL when memory is exhausted. */
static char *mem_strndup(struct sheet_mem *m, const char *s, size_t n)
{
    char *p = mem_alloc(m, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static void mem_free(struct sheet_mem *m)
{
    while (m && m->head) {
        mem_chunk *c = m->head;
        m->head = c->next;
        free(c);
    }
    free(m);
}

/* ---- helpers ----------------------------------------------------------------------------- */

static void put_detail(char *detail, size_t cap, const char *fmt, va_list ap)
{
    if (detail && cap)
        vsnprintf(detail, cap, fmt, ap);
}

/* Spreadsheet column name of a 0-based index (0 → A, 26 → AA) into out (cap >= 16). */
static void col_name(size_t col, char *out)
{
    char tmp[16];
    size_t n = 0;
    for (size_t c = col + 1; c && n < sizeof tmp - 1; c = (c - 1) / 26)
        tmp[n++] = (char)('A' + (c - 1) % 26);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
}

/* True when s holds only spaces, TABs, CRs, LFs and ideographic spaces (U+3000). */
static bool blank_text(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    for (;;) {
        if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
            p++;
        else if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)
            p += 3;
        else
            return *p == '\0';
    }
}

/* Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. */
static bool utf8_valid(const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t k;
        unsigned lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            k = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            k = 2;
            if (c == 0xE0)
                lo = 0xA0;
            else if (c == 0xED)
                hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            k = 3;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F;
        } else {
            return false;
        }
        if (n - i <= k)
            return false;
        if (p[i + 1] < lo || p[i + 1] > hi)
            return false;
        for (size_t j = 2; j <= k; j++)
            if (p[i + j] < 0x80 || p[i + j] > 0xBF)
                return false;
        i += k + 1;
    }
    return true;
}

/* ---- row builder: shared by the CSV and XLSX readers -------------------------------------- */

typedef struct builder {
    sheet *s;
    const sheet_limits *lim;
    const char **cur; /* cells of the row being read, by column; NULL = not set */
    unsigned *curflags;
    size_t ncur; /* 1 + highest column set */
    size_t curcap;
    size_t rowcap;
    char *detail;
    size_t detail_cap;
} builder;

__attribute__((format(printf, 3, 4))) static sheet_rc fail(builder *b, sheet_rc rc, const char *fmt,
                                                           ...)
{
    va_list ap;
    va_start(ap, fmt);
    put_detail(b->detail, b->detail_cap, fmt, ap);
    va_end(ap);
    return rc;
}

/* Puts text (n bytes, NUL-terminated, borrowed: copied into the sheet) into column col of the
 * row being read. Empty or whitespace cells past max_cols are ignored. */
static sheet_rc put_cell(builder *b, int line, size_t col, const char *text, size_t n,
                         unsigned flags)
{
    char cn[16];
    if (n > b->lim->max_cell_bytes) {
        col_name(col, cn);
        return fail(b, SHEET_TOO_LARGE, "row %d column %s: cell of %zu bytes, over %zu", line, cn,
                    n, b->lim->max_cell_bytes);
    }
    if (col >= b->lim->max_cols) {
        if (blank_text(text))
            return SHEET_OK;
        col_name(col, cn);
        return fail(b, SHEET_TOO_LARGE, "row %d column %s: a value past the %zu allowed columns",
                    line, cn, b->lim->max_cols);
    }
    if (col >= b->curcap) {
        size_t cap = b->curcap ? b->curcap : 16;
        while (cap <= col)
            cap = cap > b->lim->max_cols / 2 ? b->lim->max_cols : cap * 2;
        const char **cur = realloc(b->cur, cap * sizeof *cur);
        if (!cur)
            return fail(b, SHEET_NOMEM, "out of memory");
        b->cur = cur;
        unsigned *fl = realloc(b->curflags, cap * sizeof *fl);
        if (!fl)
            return fail(b, SHEET_NOMEM, "out of memory");
        b->curflags = fl;
        for (size_t i = b->curcap; i < cap; i++) {
            b->cur[i] = NULL;
            b->curflags[i] = 0;
        }
        b->curcap = cap;
    }
    const char *copy = n ? mem_strndup(b->s->mem, text, n) : "";
    if (!copy)
        return fail(b, SHEET_NOMEM, "out of memory");
    b->cur[col] = copy;
    b->curflags[col] = flags;
    if (col + 1 > b->ncur)
        b->ncur = col + 1;
    return SHEET_OK;
}

static void reset_row(builder *b)
{
    for (size_t i = 0; i < b->ncur; i++) {
        b->cur[i] = NULL;
        b->curflags[i] = 0;
    }
    b->ncur = 0;
}

/* Ends the row being read: skipped when blank, else appended (trailing empty cells dropped).
 * SHEET_TOO_MANY_ROWS when it would be data row max_rows + 1. */
static sheet_rc finish_row(builder *b, int line)
{
    sheet *s = b->s;
    bool blank = true;
    for (size_t i = 0; i < b->ncur && blank; i++)
        if (b->cur[i] && !blank_text(b->cur[i]))
            blank = false;
    if (blank) {
        reset_row(b);
        return SHEET_OK;
    }
    size_t n = b->ncur;
    while (n > 0 && (!b->cur[n - 1] || (!b->cur[n - 1][0] && !b->curflags[n - 1])))
        n--;
    if (s->nrows > 0 && s->nrows - 1 >= b->lim->max_rows)
        return fail(b, SHEET_TOO_MANY_ROWS, "more than %zu data rows (row %d)", b->lim->max_rows,
                    line);
    if (s->nrows == b->rowcap) {
        size_t cap = b->rowcap ? b->rowcap * 2 : 64;
        if (cap > SIZE_MAX / sizeof(sheet_row))
            return fail(b, SHEET_NOMEM, "out of memory");
        sheet_row *rows = realloc(s->rows, cap * sizeof *rows);
        if (!rows)
            return fail(b, SHEET_NOMEM, "out of memory");
        s->rows = rows;
        b->rowcap = cap;
    }
    sheet_cell *cells = mem_alloc(s->mem, n * sizeof *cells);
    if (!cells)
        return fail(b, SHEET_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        cells[i].text = b->cur[i] ? b->cur[i] : "";
        cells[i].flags = b->curflags[i];
    }
    s->rows[s->nrows++] = (sheet_row){.line = line, .ncells = n, .cells = cells};
    reset_row(b);
    return SHEET_OK;
}

/* ---- CSV ---------------------------------------------------------------------------------- */

/* Converts CP932 text to UTF-8. On SHEET_OK *out (malloc'd, NUL-terminated, the caller frees)
 * holds *outlen bytes. */
static sheet_rc cp932_to_utf8(builder *b, const char *in, size_t n, char **out, size_t *outlen)
{
    if (n > (SIZE_MAX - 1) / 3)
        return fail(b, SHEET_TOO_LARGE, "file too large");
    size_t cap = n * 3 + 1; /* a CP932 character of 1 or 2 bytes is at most 3 UTF-8 bytes */
    char *buf = malloc(cap);
    if (!buf)
        return fail(b, SHEET_NOMEM, "out of memory");
    iconv_t cd = iconv_open("UTF-8", "CP932");
    if (cd == (iconv_t)-1) {
        free(buf);
        return fail(b, SHEET_ENCODING, "iconv has no CP932 converter");
    }
    char *ip = (char *)in, *op = buf;
    size_t il = n, ol = cap - 1;
    size_t r = iconv(cd, &ip, &il, &op, &ol);
    iconv_close(cd);
    if (r == (size_t)-1) {
        free(buf);
        return fail(b, SHEET_ENCODING,
                    "neither UTF-8 nor Shift_JIS (CP932): bad byte at offset %zu",
                    (size_t)(ip - in));
    }
    *op = '\0';
    *out = buf;
    *outlen = (size_t)(op - buf);
    return SHEET_OK;
}

/* Appends s (n bytes) to the field being read: SHEET_OK, or SHEET_TOO_LARGE / SHEET_NOMEM. */
static sheet_rc field_add(builder *b, nbuf *f, int line, size_t col, const char *s, size_t n)
{
    if (n > f->max - f->len) {
        char cn[16];
        col_name(col, cn);
        return fail(b, SHEET_TOO_LARGE, "row %d column %s: cell over %zu bytes", line, cn, f->max);
    }
    if (nbuf_append(f, s, n) != 0)
        return fail(b, SHEET_NOMEM, "out of memory");
    return SHEET_OK;
}

/* Parses RFC 4180 records of UTF-8 text p (n bytes) into rows. */
static sheet_rc csv_parse(builder *b, const char *p, size_t n)
{
    nbuf f;
    nbuf_init(&f, b->lim->max_cell_bytes);
    sheet_rc rc = SHEET_OK;
    size_t i = 0;
    int line = 0;
    while (i < n && rc == SHEET_OK) {
        if (line < INT_MAX)
            line++;
        for (size_t col = 0; rc == SHEET_OK; col++) {
            f.len = 0;
            if (i < n && p[i] == '"') {
                i++;
                while (rc == SHEET_OK) {
                    if (i >= n) {
                        rc = fail(b, SHEET_FORMAT, "unterminated quote in the record of row %d",
                                  line);
                    } else if (p[i] == '"' && i + 1 < n && p[i + 1] == '"') {
                        rc = field_add(b, &f, line, col, "\"", 1);
                        i += 2;
                    } else if (p[i] == '"') {
                        i++;
                        break;
                    } else {
                        const char *q = memchr(p + i, '"', n - i);
                        size_t run = q ? (size_t)(q - (p + i)) : n - i;
                        rc = field_add(b, &f, line, col, p + i, run);
                        i += run;
                    }
                }
            }
            /* An unquoted field, or text after a closing quote (kept as is). */
            size_t start = i;
            while (i < n && p[i] != ',' && p[i] != '\n' && p[i] != '\r')
                i++;
            if (rc == SHEET_OK)
                rc = field_add(b, &f, line, col, p + start, i - start);
            if (rc == SHEET_OK)
                rc = put_cell(b, line, col, f.len ? f.data : "", f.len, 0);
            if (i < n && p[i] == ',') {
                i++;
                continue;
            }
            /* The record ends: LF, CRLF or a lone CR. */
            if (i < n && p[i] == '\r') {
                i++;
                if (i < n && p[i] == '\n')
                    i++;
            } else if (i < n && p[i] == '\n') {
                i++;
            }
            break;
        }
        if (rc == SHEET_OK)
            rc = finish_row(b, line);
    }
    nbuf_free(&f);
    return rc;
}

static sheet_rc csv_read(builder *b, const unsigned char *p, size_t n)
{
    if (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF)))
        return fail(b, SHEET_ENCODING, "UTF-16 text; save the CSV as UTF-8 or Shift_JIS");
    const unsigned char *nul = n ? memchr(p, 0, n) : NULL;
    if (nul)
        return fail(b, SHEET_ENCODING, "NUL byte at offset %zu", (size_t)(nul - p));
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
        p += 3;
        n -= 3;
    }
    if (utf8_valid(p, n)) {
        b->s->format = SHEET_CSV_UTF8;
        return csv_parse(b, (const char *)p, n);
    }
    b->s->format = SHEET_CSV_SJIS;
    char *text = NULL;
    size_t tn = 0;
    sheet_rc rc = cp932_to_utf8(b, (const char *)p, n, &text, &tn);
    if (rc != SHEET_OK)
        return rc;
    rc = csv_parse(b, text, tn);
    free(text);
    return rc;
}

/* ---- XLSX: zip entries streamed through expat --------------------------------------------- */

#define XML_CHUNK (64 * 1024)

/* The head of every XML handler's user data. */
typedef struct xbase {
    XML_Parser xp;
    sheet_rc rc; /* set by a handler that stopped the parser */
    char *detail;
    size_t detail_cap;
} xbase;

/* Stops the parser with rc; fmt (may be NULL when the reason is already in detail) describes it. */
__attribute__((format(printf, 3, 4))) static void xstop(xbase *x, sheet_rc rc, const char *fmt, ...)
{
    if (x->rc != SHEET_OK)
        return;
    x->rc = rc;
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        put_detail(x->detail, x->detail_cap, fmt, ap);
        va_end(ap);
    }
    XML_StopParser(x->xp, XML_FALSE);
}

/* The local part of a name from a namespace-aware parser ("uri|local" or "local"). */
static const char *lname(const XML_Char *name)
{
    const char *p = strrchr(name, '|');
    return p ? p + 1 : name;
}

/* The value of the attribute without namespace called name, or NULL. */
static const char *attr(const XML_Char **a, const char *name)
{
    for (; *a; a += 2)
        if (strcmp(a[0], name) == 0)
            return a[1];
    return NULL;
}

/* The value of a namespaced attribute whose local name is local (r:id), or NULL. */
static const char *attr_ns(const XML_Char **a, const char *local)
{
    for (; *a; a += 2)
        if (strchr(a[0], '|') && strcmp(lname(a[0]), local) == 0)
            return a[1];
    return NULL;
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal)
{
    (void)name, (void)sysid, (void)pubid, (void)has_internal;
    xstop(ud, SHEET_FORMAT, "XML with a DOCTYPE");
}

typedef struct zipper {
    zip_t *za;
    size_t entry_max, total_max;
    size_t total; /* uncompressed bytes read so far */
    char *detail;
    size_t detail_cap;
} zipper;

__attribute__((format(printf, 3, 4))) static sheet_rc zfail(zipper *z, sheet_rc rc, const char *fmt,
                                                            ...)
{
    va_list ap;
    va_start(ap, fmt);
    put_detail(z->detail, z->detail_cap, fmt, ap);
    va_end(ap);
    return rc;
}

typedef struct xml_handlers {
    XML_StartElementHandler start;
    XML_EndElementHandler end;
    XML_CharacterDataHandler text; /* may be NULL */
} xml_handlers;

/* Streams the zip entry name (found case-insensitively) through a new expat parser with the
 * handlers h and user data x. Counts the inflated bytes against the limits as they come, so a
 * lying header does not help a zip bomb. *found is false (and SHEET_OK returned) when there is no
 * such entry. */
static sheet_rc zip_xml(zipper *z, const char *name, const xml_handlers *h, xbase *x, bool *found)
{
    *found = false;
    zip_int64_t idx = zip_name_locate(z->za, name, ZIP_FL_NOCASE);
    if (idx < 0)
        return SHEET_OK;
    *found = true;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(z->za, (zip_uint64_t)idx, 0, &st) != 0)
        return zfail(z, SHEET_FORMAT, "%s: %s", name, zip_strerror(z->za));
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
        return zfail(z, SHEET_FORMAT, "%s: encrypted", name);
    if ((st.valid & ZIP_STAT_SIZE) && st.size > z->entry_max)
        return zfail(z, SHEET_TOO_LARGE, "%s: %llu bytes uncompressed, over %zu", name,
                     (unsigned long long)st.size, z->entry_max);
    zip_file_t *f = zip_fopen_index(z->za, (zip_uint64_t)idx, 0);
    if (!f)
        return zfail(z, SHEET_FORMAT, "%s: %s", name, zip_strerror(z->za));
    XML_Parser xp = XML_ParserCreateNS(NULL, '|');
    if (!xp) {
        zip_fclose(f);
        return zfail(z, SHEET_NOMEM, "out of memory");
    }
    x->xp = xp;
    x->rc = SHEET_OK;
    x->detail = z->detail;
    x->detail_cap = z->detail_cap;
    XML_SetUserData(xp, x);
    XML_SetElementHandler(xp, h->start, h->end);
    if (h->text)
        XML_SetCharacterDataHandler(xp, h->text);
    XML_SetStartDoctypeDeclHandler(xp, on_doctype);
    sheet_rc rc = SHEET_OK;
    size_t got = 0;
    for (;;) {
        void *buf = XML_GetBuffer(xp, XML_CHUNK);
        if (!buf) {
            rc = zfail(z, SHEET_NOMEM, "out of memory");
            break;
        }
        zip_int64_t n = zip_fread(f, buf, XML_CHUNK);
        if (n < 0) {
            rc = zfail(z, SHEET_FORMAT, "%s: %s", name, zip_file_strerror(f));
            break;
        }
        got += (size_t)n;
        z->total += (size_t)n;
        if (got > z->entry_max) {
            rc = zfail(z, SHEET_TOO_LARGE, "%s: over %zu bytes uncompressed", name, z->entry_max);
            break;
        }
        if (z->total > z->total_max) {
            rc = zfail(z, SHEET_TOO_LARGE, "workbook: over %zu bytes uncompressed", z->total_max);
            break;
        }
        if (XML_ParseBuffer(xp, (int)n, n == 0) != XML_STATUS_OK) {
            if (x->rc != SHEET_OK)
                rc = x->rc;
            else
                rc = zfail(z, SHEET_FORMAT, "%s: XML error at line %lu: %s", name,
                           (unsigned long)XML_GetCurrentLineNumber(xp),
                           XML_ErrorString(XML_GetErrorCode(xp)));
            break;
        }
        if (n == 0)
            break;
    }
    XML_ParserFree(xp);
    zip_fclose(f);
    return rc;
}

/* Decodes the _xHHHH_ escapes of an OOXML string (s, n bytes, NUL-terminated) in place (an
 * escape of 7 bytes becomes at most 3); returns the new length. _x0000_ and surrogates stay. */
static size_t decode_xescapes(char *s, size_t n)
{
    size_t i = 0, o = 0;
    while (i < n) {
        unsigned cp = 0;
        bool esc = s[i] == '_' && n - i >= 7 && s[i + 1] == 'x' && s[i + 6] == '_';
        for (size_t k = 2; esc && k < 6; k++) {
            char c = s[i + k];
            unsigned v = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                         : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                         : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                                : 16u;
            esc = v < 16;
            cp = cp * 16 + v;
        }
        if (esc && cp != 0 && (cp < 0xD800 || cp > 0xDFFF)) {
            if (cp < 0x80) {
                s[o++] = (char)cp;
            } else if (cp < 0x800) {
                s[o++] = (char)(0xC0 | (cp >> 6));
                s[o++] = (char)(0x80 | (cp & 0x3F));
            } else {
                s[o++] = (char)(0xE0 | (cp >> 12));
                s[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                s[o++] = (char)(0x80 | (cp & 0x3F));
            }
            i += 7;
        } else {
            s[o++] = s[i++];
        }
    }
    s[o] = '\0';
    return o;
}

/* -- xl/_rels/workbook.xml.rels -- */

typedef struct rel {
    char *id, *target;
    bool worksheet;
} rel;

typedef struct rels_ctx {
    xbase x;
    rel *v;
    size_t n, cap;
} rels_ctx;

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **a)
{
    rels_ctx *c = ud;
    if (c->x.rc != SHEET_OK)
        return;
    if (strcmp(lname(name), "Relationship") != 0)
        return;
    const char *id = attr(a, "Id"), *type = attr(a, "Type"), *target = attr(a, "Target");
    const char *mode = attr(a, "TargetMode");
    if (!id || !type || !target || (mode && strcmp(mode, "External") == 0))
        return;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        rel *v = realloc(c->v, cap * sizeof *v);
        if (!v) {
            xstop(&c->x, SHEET_NOMEM, "out of memory");
            return;
        }
        c->v = v;
        c->cap = cap;
    }
    rel *r = &c->v[c->n];
    r->id = strdup(id);
    r->target = strdup(target);
    r->worksheet = ends_with(type, "/worksheet");
    if (!r->id || !r->target) {
        free(r->id);
        free(r->target);
        xstop(&c->x, SHEET_NOMEM, "out of memory");
        return;
    }
    c->n++;
}

static void XMLCALL no_end(void *ud, const XML_Char *name)
{
    (void)ud, (void)name;
}

/* -- xl/workbook.xml: the first worksheet in workbook order, the date system -- */

typedef struct wb_ctx {
    xbase x;
    const rels_ctx *rels;
    const char *target; /* borrowed from rels */
    bool date1904;
} wb_ctx;

static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **a)
{
    wb_ctx *c = ud;
    if (c->x.rc != SHEET_OK)
        return;
    const char *ln = lname(name);
    if (strcmp(ln, "workbookPr") == 0) {
        const char *v = attr(a, "date1904");
        c->date1904 = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
    } else if (strcmp(ln, "sheet") == 0 && !c->target) {
        const char *id = attr_ns(a, "id");
        for (size_t i = 0; id && i < c->rels->n; i++)
            if (strcmp(c->rels->v[i].id, id) == 0) {
                if (c->rels->v[i].worksheet)
                    c->target = c->rels->v[i].target;
                break;
            }
    }
}

/* -- xl/sharedStrings.xml -- */

typedef struct sst_ctx {
    xbase x;
    nbuf text;   /* the strings, each NUL-terminated */
    size_t *off; /* start of string i in text */
    size_t n, cap;
    size_t si_start;
    bool in_si, in_t;
    int rph; /* depth inside <rPh> (phonetic guide, left out) */
} sst_ctx;

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **a)
{
    (void)a;
    sst_ctx *c = ud;
    if (c->x.rc != SHEET_OK)
        return;
    const char *ln = lname(name);
    if (strcmp(ln, "si") == 0) {
        c->in_si = true;
        c->si_start = c->text.len;
    } else if (strcmp(ln, "rPh") == 0) {
        c->rph++;
    } else if (strcmp(ln, "t") == 0 && c->in_si && c->rph == 0) {
        c->in_t = true;
    }
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
    sst_ctx *c = ud;
    if (c->x.rc != SHEET_OK)
        return;
    const char *ln = lname(name);
    if (strcmp(ln, "t") == 0) {
        c->in_t = false;
    } else if (strcmp(ln, "rPh") == 0) {
        if (c->rph > 0)
            c->rph--;
    } else if (strcmp(ln, "si") == 0 && c->in_si) {
        c->in_si = false;
        if (c->n == c->cap) {
            size_t cap = c->cap ? c->cap * 2 : 256;
            size_t *off = realloc(c->off, cap * sizeof *off);
            if (!off) {
                xstop(&c->x, SHEET_NOMEM, "out of memory");
                return;
            }
            c->off = off;
            c->cap = cap;
        }
        if (c->text.len > c->si_start) { /* text.data is NUL-terminated by nbuf */
            size_t n = decode_xescapes(c->text.data + c->si_start, c->text.len - c->si_start);
            c->text.len = c->si_start + n;
        }
        if (nbuf_append(&c->text, "", 1) != 0) { /* the string's terminator */
            xstop(&c->x, SHEET_TOO_LARGE, "sharedStrings.xml: too much text");
            return;
        }
        c->off[c->n++] = c->si_start;
    }
}

static void XMLCALL sst_text(void *ud, const XML_Char *s, int len)
{
    sst_ctx *c = ud;
    if (c->x.rc != SHEET_OK)
        return;
    if (c->in_t && c->in_si && c->rph == 0 && nbuf_append(&c->text, s, (size_t)len) != 0)
        xstop(&c->x, SHEET_TOO_LARGE, "sharedStrings.xml: too much text");
}

/* -- xl/styles.xml: which cell formats (cellXfs) show dates -- */

typedef struct numfmt {
    unsigned long id;
    bool date;
} numfmt;

typedef struct styles_ctx {
    xbase x;
    bool in_numfmts, in_cellxfs;
    numfmt *fmts; /* custom formats */
    size_t nfmts, capfmts;
    unsigned long *xf; /* numFmtId of each cellXfs entry */
    size_t nxf, capxf;
} styles_ctx;

static bool ascii_prefix_ci(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++) {
        char c = *s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s;
        if (c != *prefix)
            return false;
    }
    return true;
}

/* True when a number format code shows a date: y, d, e (era year) or g (era) outside quotes,
 * brackets and escapes, or m without h or s (m next to h or s means minutes). Only the first
 * section counts; "General" and exponents (E+, E-) are not dates. */
static bool format_is_date(const char *f)
{
    bool ymd = false, month = false, hs = false;
    for (const char *p = f; *p && *p != ';'; p++) {
        if (*p == '"' || *p == '[') {
            const char *q = strchr(p + 1, *p == '"' ? '"' : ']');
            if (!q)
                break;
            p = q;
            continue;
        }
        if (*p == '\\' || *p == '_' || *p == '*') {
            if (p[1])
                p++;
            continue;
        }
        if (ascii_prefix_ci(p, "general")) {
            p += 6;
            continue;
        }
        char c = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
        if (c == 'e' && (p[1] == '+' || p[1] == '-'))
            p++;
        else if (c == 'y' || c == 'd' || c == 'e' || c == 'g')
            ymd = true;
        else if (c == 'm')
            month = true;
        else if (c == 'h' || c == 's')
            hs = true;
    }
    return ymd || (month && !hs);
}

/* Built-in number formats that show dates: 14–22 and 45–47 (ECMA-376), and the East Asian
 * date formats 27–31, 34–36, 50–58 Japanese Excel writes without defining them. */
static bool builtin_is_date(unsigned long id)
{
    return (id >= 14 && id <= 22) || (id >= 45 && id <= 47) || (id >= 27 && id <= 31) ||
           (id >= 34 && id <= 36) || (id >= 50 && id <= 58);
}

static bool parse_ulong(const char *s, unsigned long *out)
{
    int64_t v;
    if (!s || str_to_i64(s, 0, INT32_MAX, &v) != 0)
        return false;
    *out = (unsigned long)v;
    return true;
}

static void XMLCALL styles_start(void *ud, const XML_Char *name, const XML_Char **a)
{
    styles_ctx *c = ud;
    if (c->x.rc != SHEET_OK)
        return;
    const char *ln = lname(name);
    unsigned long id = 0;
    if (strcmp(ln, "numFmts") == 0) {
        c->in_numfmts = true;
    } else if (strcmp(ln, "cellXfs") == 0) {
        c->in_cellxfs = true;
    } else if (strcmp(ln, "numFmt") == 0 && c->in_numfmts) {
        const char *code = attr(a, "formatCode");
        if (!parse_ulong(attr(a, "numFmtId"), &id) || !code)
            return;
        if (c->nfmts == c->capfmts) {
            size_t cap = c->capfmts ? c->capfmts * 2 : 16;
            numfmt *v = realloc(c->fmts, cap * sizeof *v);
            if (!v) {
                xstop(&c->x, SHEET_NOMEM, "out of memory");
                return;
            }
            c->fmts = v;
            c->capfmts = cap;
        }
        c->fmts[c->nfmts++] = (numfmt){.id = id, .date = format_is_date(code)};
    } else if (strcmp(ln, "xf") == 0 && c->in_cellxfs) {
        if (!parse_ulong(attr(a, "numFmtId"), &id))
            id = 0;
        if (c->nxf == c->capxf) {
            size_t cap = c->capxf ? c->capxf * 2 : 16;
            unsigned long *v = realloc(c->xf, cap * sizeof *v);
            if (!v) {
                xstop(&c->x, SHEET_NOMEM, "out of memory");
                return;
            }
            c->xf = v;
            c->capxf = cap;
        }
        c->xf[c->nxf++] = id;
    }
}

static void XMLCALL styles_end(void *ud, const XML_Char *name)
{
    styles_ctx *c = ud;
    const char *ln = lname(name);
    if (strcmp(ln, "numFmts") == 0)
        c->in_numfmts = false;
    else if (strcmp(ln, "cellXfs") == 0)
        c->in_cellxfs = false;
}

/* Whether cell format xf shows a date. */
static bool styles_xf_date(const styles_ctx *c, size_t xf)
{
    if (xf >= c->nxf)
        return false;
    unsigned long id = c->xf[xf];
    for (size_t i = c->nfmts; i-- > 0;)
        if (c->fmts[i].id == id)
            return c->fmts[i].date;
    return builtin_is_date(id);
}

/* -- the worksheet -- */

typedef enum { CT_NUMBER, CT_SHARED, CT_INLINE, CT_STR, CT_BOOL, CT_ERROR, CT_DATE } cell_type;

typedef struct ws_ctx {
    xbase x;
    builder *b;
    const sst_ctx *sst;
    const styles_ctx *styles;
    bool date1904;
    bool in_data, in_row, in_c, in_v, in_is, in_t;
    int rph;
    int line, last_line;
    size_t col;
    long long last_col;
    cell_type type;
    size_t style;
    bool has_f;
    nbuf val; /* the text of <v> or of <is> */
} ws_ctx;

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Formats the number text v into out (cap 64): a date "YYYY-MM-DD" when date (serials from 1, or
 * 0 in the 1904 system, up to 9999-12-31), else %.15g. Returns false when v is no number (the
 * caller keeps v as it is). */
static bool format_number(const char *v, bool date, bool date1904, char out[64])
{
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    if (end == v || *end != '\0' || !isfinite(d))
        return false;
    if (date && d >= (date1904 ? 0.0 : 1.0) && d < 2958466.0) {
        long serial = (long)floor(d);
        long days;
        if (date1904)
            days = days_from_civil(1904, 1, 1) + serial;
        else if (serial == 60) { /* Lotus 1-2-3's 1900-02-29, kept by Excel */
            snprintf(out, 64, "1900-02-29");
            return true;
        } else if (serial < 60)
            days = days_from_civil(1899, 12, 31) + serial;
        else
            days = days_from_civil(1899, 12, 30) + serial;
        int y, m, dd;
        civil_from_days(days, &y, &m, &dd);
        if (y <= 9999) {
            snprintf(out, 64, "%04d-%02d-%02d", y, m, dd);
            return true;
        }
    }
    snprintf(out, 64, "%.15g", d);
    if (strcmp(out, "-0") == 0)
        snprintf(out, 64, "0");
    return true;
}

/* Parses a cell reference's column ("C7" → 2). Returns false when ref is malformed. */
static bool ref_col(const char *ref, size_t *col)
{
    size_t c = 0, letters = 0;
    for (; *ref >= 'A' && *ref <= 'Z'; ref++) {
        if (++letters > 3)
            return false;
        c = c * 26 + (size_t)(*ref - 'A' + 1);
    }
    if (letters == 0)
        return false;
    for (; *ref; ref++)
        if (*ref < '0' || *ref > '9')
            return false;
    *col = c - 1;
    return true;
}

static void XMLCALL ws_start(void *ud, const XML_Char *name, const XML_Char **a)
{
    ws_ctx *c = ud;
    if (c->x.rc != SHEET_OK)
        return;
    const char *ln = lname(name);
    if (strcmp(ln, "sheetData") == 0) {
        c->in_data = true;
    } else if (!c->in_data) {
        return;
    } else if (strcmp(ln, "row") == 0) {
        const char *r = attr(a, "r");
        int64_t v = c->last_line + 1;
        if (r && str_to_i64(r, 1, INT32_MAX, &v) != 0) {
            xstop(&c->x, SHEET_FORMAT, "worksheet: bad row number \"%.20s\"", r);
            return;
        }
        c->in_row = true;
        c->line = (int)v;
        c->last_line = (int)v;
        c->last_col = -1;
    } else if (strcmp(ln, "c") == 0 && c->in_row) {
        const char *r = attr(a, "r"), *t = attr(a, "t"), *s = attr(a, "s");
        if (r) {
            if (!ref_col(r, &c->col)) {
                xstop(&c->x, SHEET_FORMAT, "worksheet: bad cell reference \"%.20s\"", r);
                return;
            }
        } else {
            c->col = (size_t)(c->last_col + 1);
        }
        c->last_col = (long long)c->col;
        c->type = !t                            ? CT_NUMBER
                  : strcmp(t, "n") == 0         ? CT_NUMBER
                  : strcmp(t, "s") == 0         ? CT_SHARED
                  : strcmp(t, "inlineStr") == 0 ? CT_INLINE
                  : strcmp(t, "b") == 0         ? CT_BOOL
                  : strcmp(t, "e") == 0         ? CT_ERROR
                  : strcmp(t, "d") == 0         ? CT_DATE
                                                : CT_STR;
        unsigned long style = 0;
        c->style = s && parse_ulong(s, &style) ? (size_t)style : 0;
        c->in_c = true;
        c->has_f = false;
        c->val.len = 0;
        if (c->val.data)
            c->val.data[0] = '\0';
    } else if (!c->in_c) {
        return;
    } else if (strcmp(ln, "f") == 0) {
        c->has_f = true;
    } else if (strcmp(ln, "v") == 0) {
        c->in_v = true;
    } else if (strcmp(ln, "is") == 0) {
        c->in_is = true;
    } else if (strcmp(ln, "rPh") == 0) {
        c->rph++;
    } else if (strcmp(ln, "t") == 0 && c->in_is) {
        c->in_t = true;
    }
}

/* The text of the finished cell: a pointer into val, the shared strings, a static string or
 * num (64 bytes); *n its length. */
static const char *ws_cell_text(ws_ctx *c, char num[64], size_t *n)
{
    const char *v = c->val.len ? c->val.data : "";
    switch (c->type) {
    case CT_SHARED: {
        int64_t i;
        if (!*v) {
            *n = 0;
            return "";
        }
        if (str_to_i64(v, 0, INT64_MAX, &i) != 0 || (uint64_t)i >= c->sst->n) {
            xstop(&c->x, SHEET_FORMAT, "worksheet: bad shared string index \"%.20s\"", v);
            return NULL;
        }
        const char *s = c->sst->text.data + c->sst->off[i];
        *n = strlen(s);
        return s;
    }
    case CT_BOOL:
        v = strcmp(v, "1") == 0 ? "TRUE" : strcmp(v, "0") == 0 ? "FALSE" : v;
        break;
    case CT_DATE: /* ISO 8601: the date part */
        if (strlen(v) >= 10 && v[4] == '-' && v[7] == '-') {
            *n = 10;
            memcpy(num, v, 10);
            num[10] = '\0';
            return num;
        }
        break;
    case CT_NUMBER:
        if (*v && format_number(v, styles_xf_date(c->styles, c->style), c->date1904, num))
            v = num;
        break;
    case CT_INLINE:
    case CT_STR:
        if (c->val.len)
            c->val.len = decode_xescapes(c->val.data, c->val.len);
        break;
    case CT_ERROR:
        break;
    }
    *n = strlen(v);
    return v;
}

static void XMLCALL ws_end(void *ud, const XML_Char *name)
{
    ws_ctx *c = ud;
    if (c->x.rc != SHEET_OK)
        return;
    const char *ln = lname(name);
    if (strcmp(ln, "sheetData") == 0) {
        c->in_data = false;
    } else if (strcmp(ln, "row") == 0 && c->in_row) {
        c->in_row = false;
        sheet_rc rc = finish_row(c->b, c->line);
        if (rc != SHEET_OK)
            xstop(&c->x, rc, NULL);
    } else if (strcmp(ln, "c") == 0 && c->in_c) {
        c->in_c = c->in_v = c->in_is = c->in_t = false;
        c->rph = 0;
        char num[64];
        size_t n;
        const char *text = ws_cell_text(c, num, &n);
        if (!text)
            return;
        sheet_rc rc = put_cell(c->b, c->line, c->col, text, n, c->has_f ? SHEET_CELL_FORMULA : 0);
        if (rc != SHEET_OK)
            xstop(&c->x, rc, NULL);
    } else if (strcmp(ln, "v") == 0) {
        c->in_v = false;
    } else if (strcmp(ln, "is") == 0) {
        c->in_is = false;
    } else if (strcmp(ln, "t") == 0) {
        c->in_t = false;
    } else if (strcmp(ln, "rPh") == 0 && c->rph > 0) {
        c->rph--;
    }
}

static void XMLCALL ws_text(void *ud, const XML_Char *s, int len)
{
    ws_ctx *c = ud;
    if (c->x.rc != SHEET_OK)
        return;
    if (!c->in_c || !(c->in_v || (c->in_is && c->in_t && c->rph == 0)))
        return;
    if (nbuf_append(&c->val, s, (size_t)len) != 0) {
        char cn[16];
        col_name(c->col, cn);
        xstop(&c->x, SHEET_TOO_LARGE, "row %d column %s: cell over %zu bytes", c->line, cn,
              c->b->lim->max_cell_bytes);
    }
}

/* Resolves a relationship target against xl/ into path (cap bytes); false when it does not fit
 * or climbs out (".."). */
static bool resolve_target(const char *target, char *path, size_t cap)
{
    if (strstr(target, ".."))
        return false;
    size_t n;
    if (target[0] == '/')
        n = str_copy(path, cap, target + 1);
    else
        n = (size_t)snprintf(path, cap, "xl/%s", str_starts(target, "./") ? target + 2 : target);
    return n < cap;
}

static sheet_rc xlsx_read(builder *b, const void *data, size_t len)
{
    b->s->format = SHEET_XLSX;
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    if (!src) {
        zip_error_fini(&ze);
        return fail(b, SHEET_NOMEM, "out of memory");
    }
    zip_t *za = zip_open_from_source(src, ZIP_RDONLY, &ze);
    if (!za) {
        zip_source_free(src);
        sheet_rc rc = fail(b, SHEET_FORMAT, "not a readable zip: %s", zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return rc;
    }
    zip_error_fini(&ze);

    zipper z = {.za = za,
                .entry_max = b->lim->zip_entry_max,
                .total_max = b->lim->zip_total_max,
                .detail = b->detail,
                .detail_cap = b->detail_cap};
    rels_ctx rels = {0};
    wb_ctx wb = {.rels = &rels};
    sst_ctx sst = {0};
    styles_ctx styles = {0};
    ws_ctx ws = {.b = b, .sst = &sst, .styles = &styles, .last_col = -1};
    nbuf_init(&sst.text, z.entry_max);
    size_t vmax = b->lim->max_cell_bytes > SIZE_MAX / 8 ? SIZE_MAX / 8 : b->lim->max_cell_bytes;
    nbuf_init(&ws.val, vmax * 7 + 64); /* room for _xHHHH_ escapes and long numbers */
    bool found;
    char path[512];
    const char *sheet_path = "xl/worksheets/sheet1.xml";

    static const xml_handlers h_rels = {rels_start, no_end, NULL};
    static const xml_handlers h_wb = {wb_start, no_end, NULL};
    static const xml_handlers h_sst = {sst_start, sst_end, sst_text};
    static const xml_handlers h_styles = {styles_start, styles_end, NULL};
    static const xml_handlers h_ws = {ws_start, ws_end, ws_text};

    sheet_rc rc = zip_xml(&z, "xl/_rels/workbook.xml.rels", &h_rels, &rels.x, &found);
    if (rc == SHEET_OK)
        rc = zip_xml(&z, "xl/workbook.xml", &h_wb, &wb.x, &found);
    if (rc == SHEET_OK && wb.target) {
        if (!resolve_target(wb.target, path, sizeof path))
            rc = fail(b, SHEET_FORMAT, "unusable worksheet target \"%.100s\"", wb.target);
        sheet_path = path;
    }
    if (rc == SHEET_OK)
        rc = zip_xml(&z, "xl/sharedStrings.xml", &h_sst, &sst.x, &found);
    if (rc == SHEET_OK)
        rc = zip_xml(&z, "xl/styles.xml", &h_styles, &styles.x, &found);
    ws.date1904 = wb.date1904;
    if (rc == SHEET_OK) {
        rc = zip_xml(&z, sheet_path, &h_ws, &ws.x, &found);
        if (rc == SHEET_OK && !found)
            rc = fail(b, SHEET_FORMAT, "no worksheet %s: not an XLSX workbook", sheet_path);
    }

    for (size_t i = 0; i < rels.n; i++) {
        free(rels.v[i].id);
        free(rels.v[i].target);
    }
    free(rels.v);
    nbuf_free(&sst.text);
    free(sst.off);
    free(styles.fmts);
    free(styles.xf);
    nbuf_free(&ws.val);
    zip_discard(za);
    return rc;
}

/* ---- public ------------------------------------------------------------------------------- */

sheet_rc sheet_read_limits(const void *data, size_t len, const sheet_limits *lim, sheet *out,
                           char *detail, size_t detail_cap)
{
    memset(out, 0, sizeof *out);
    if (detail && detail_cap)
        detail[0] = '\0';
    builder b = {.s = out, .lim = lim, .detail = detail, .detail_cap = detail_cap};
    if (!data && len)
        return fail(&b, SHEET_FORMAT, "no data");
    out->mem = calloc(1, sizeof *out->mem);
    if (!out->mem)
        return fail(&b, SHEET_NOMEM, "out of memory");
    const unsigned char *p = data;
    sheet_rc rc;
    if (len >= 4 && memcmp(p, "PK\x03\x04", 4) == 0)
        rc = xlsx_read(&b, data, len);
    else if (len >= 4 && memcmp(p, "\xD0\xCF\x11\xE0", 4) == 0)
        rc = fail(&b, SHEET_FORMAT, "an OLE file (.xls or encrypted workbook); save as .xlsx");
    else
        rc = csv_read(&b, p, len);
    if (rc == SHEET_OK && out->nrows == 0)
        rc = fail(&b, SHEET_EMPTY, "no rows");
    free(b.cur);
    free(b.curflags);
    if (rc != SHEET_OK)
        sheet_free(out);
    return rc;
}

sheet_rc sheet_read(const void *data, size_t len, size_t max_rows, size_t max_cols,
                    size_t max_cell_bytes, sheet *out, char *detail, size_t detail_cap)
{
    sheet_limits lim = {.max_rows = max_rows,
                        .max_cols = max_cols,
                        .max_cell_bytes = max_cell_bytes,
                        .zip_entry_max = SHEET_ZIP_ENTRY_MAX,
                        .zip_total_max = SHEET_ZIP_TOTAL_MAX};
    return sheet_read_limits(data, len, &lim, out, detail, detail_cap);
}

void sheet_free(sheet *s)
{
    if (!s)
        return;
    free(s->rows);
    mem_free(s->mem);
    s->rows = NULL;
    s->mem = NULL;
    s->nrows = 0;
}

const char *sheet_text(const sheet_row *r, size_t col)
{
    return r && col < r->ncells ? r->cells[col].text : "";
}

const char *sheet_rc_name(sheet_rc rc)
{
    switch (rc) {
    case SHEET_OK:
        return "ok";
    case SHEET_EMPTY:
        return "empty";
    case SHEET_ENCODING:
        return "encoding";
    case SHEET_FORMAT:
        return "format";
    case SHEET_TOO_MANY_ROWS:
        return "too_many_rows";
    case SHEET_TOO_LARGE:
        return "too_large";
    case SHEET_NOMEM:
        return "nomem";
    }
    return "unknown";
}
