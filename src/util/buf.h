/* Growable byte buffers with a hard maximum size (curl's dynbuf idea). */
#ifndef NCCS_UTIL_BUF_H
#define NCCS_UTIL_BUF_H
#include <stdarg.h>
#include <stddef.h>

typedef struct nbuf {
    char *data; /* owned; always NUL-terminated when non-NULL */
    size_t len;
    size_t cap;
    size_t max; /* appends that would make len exceed max fail */
} nbuf;

void nbuf_init(nbuf *b, size_t max);
/* Returns 0, or -1 when the result would exceed b->max or memory is exhausted (b unchanged). */
int nbuf_append(nbuf *b, const void *p, size_t n);
int nbuf_puts(nbuf *b, const char *s);
int nbuf_printf(nbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the data to the caller (who frees it) and resets b to empty. */
char *nbuf_take(nbuf *b);
void nbuf_free(nbuf *b);

#endif
