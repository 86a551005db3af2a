/* Small string helpers used instead of the banned libc functions. */
#ifndef NCCS_UTIL_STR_H
#define NCCS_UTIL_STR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Copies src into dst (capacity cap > 0), truncating; always NUL-terminates.
 * Returns the length of src (so truncation happened if the result >= cap). */
size_t str_copy(char *dst, size_t cap, const char *src);
/* Parses a whole decimal integer in [min, max]; returns 0 or -1 (out untouched on error). */
int str_to_i64(const char *s, int64_t min, int64_t max, int64_t *out);
bool str_starts(const char *s, const char *prefix);
bool str_eq(const char *a, const char *b); /* NULL-safe equality */
/* Lower-cases ASCII letters in place. */
void str_ascii_lower(char *s);
/* Counts Unicode code points in valid UTF-8. */
size_t str_utf8_len(const char *s);
/* True if s is valid UTF-8 without C0 control characters or DEL; when allow_newlines, tab, CR
 * and LF are allowed too. */
bool str_utf8_clean(const char *s, bool allow_newlines);

#endif
