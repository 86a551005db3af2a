#include "domain/text.h"
#include "util/str.h"
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

char *text_nfkc(const char *s)
{
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n =
        utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
                     UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
    if (n < 0)
        return NULL;
    char *r = (char *)out;
    /* trim ASCII spaces (U+3000 became U+0020 under NFKC) */
    size_t len = (size_t)n;
    while (len && (r[len - 1] == ' ' || r[len - 1] == '\t'))
        r[--len] = '\0';
    size_t lead = 0;
    while (r[lead] == ' ' || r[lead] == '\t')
        lead++;
    if (lead)
        memmove(r, r + lead, len - lead + 1);
    return r;
}

void text_hira_to_kata(char *s)
{
    unsigned char *p = (unsigned char *)s;
    while (*p) {
        /* Hiragana U+3041..U+3096 are E3 81 81 .. E3 82 96; katakana = +0x60. */
        if (p[0] == 0xE3 && (p[1] == 0x81 || p[1] == 0x82) && p[2]) {
            unsigned cp = 0x3000u | ((unsigned)(p[1] & 0x3F) << 6) | (p[2] & 0x3Fu);
            if (cp >= 0x3041 && cp <= 0x3096) {
                cp += 0x60;
                p[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
                p[2] = (unsigned char)(0x80 | (cp & 0x3F));
            }
            p += 3;
            continue;
        }
        p++;
    }
}

bool text_is_katakana(const char *s)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    bool any = false;
    while (*p) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
        if (n <= 0)
            return false;
        p += n;
        if (cp == ' ')
            continue;
        if ((cp >= 0x30A1 && cp <= 0x30FA) || cp == 0x30FC || cp == 0x30FB || cp == 0x30FD ||
            cp == 0x30FE) {
            any = true;
            continue;
        }
        return false;
    }
    return any;
}

int text_digits_only(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (const char *p = s; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (n + 1 >= cap)
                return -1;
            out[n++] = *p;
        } else if (*p != '-' && *p != ' ' && *p != '(' && *p != ')') {
            return -1;
        }
    }
    out[n] = '\0';
    return (int)n;
}

bool text_is_email(const char *s)
{
    size_t len = strlen(s);
    if (len < 3 || len > 254)
        return false;
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@'))
        return false;
    if ((size_t)(at - s) > 64)
        return false;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= 0x20 || c >= 0x7F || c == '"' || c == '(' || c == ')' || c == ',' || c == ':' ||
            c == ';' || c == '<' || c == '>' || c == '[' || c == ']' || c == '\\')
            return false;
    }
    const char *dom = at + 1;
    const char *dot = strrchr(dom, '.');
    if (!dot || dot == dom || !dot[1] || dom[0] == '.' || strstr(dom, ".."))
        return false;
    if (s[0] == '.' || at[-1] == '.' || strstr(s, "..") || dom[strlen(dom) - 1] == '.')
        return false;
    return true;
}

bool text_blank(const char *s)
{
    if (!s)
        return true;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
            p++;
        else if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)
            p += 3;
        else
            return false;
    }
    return true;
}
