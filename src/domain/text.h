/* Japanese text normalisation: NFKC (utf8proc), kana folding, field-specific cleaning. */
#ifndef NCCS_DOMAIN_TEXT_H
#define NCCS_DOMAIN_TEXT_H
#include <stdbool.h>
#include <stddef.h>

/* Returns a newly allocated NFKC form of s (caller frees), or NULL for invalid UTF-8 / OOM.
 * Leading and trailing spaces are trimmed. */
char *text_nfkc(const char *s);
/* In place: converts hiragana to katakana (ぁ..ゖ → ァ..ヶ) in valid UTF-8. */
void text_hira_to_kata(char *s);
/* True if s (NFKC) is non-empty and only katakana, the prolonged sound mark, middle dot and
 * spaces. */
bool text_is_katakana(const char *s);
/* Removes hyphens, spaces and the like from an NFKC phone/postal string into out; returns the
 * number of digits, or -1 if anything other than digits, '-', '(' , ')' or spaces occurs. */
int text_digits_only(const char *s, char *out, size_t cap);
/* True if s is a plausible e-mail address (ASCII local@domain.tld, no spaces, <= 254 bytes). */
bool text_is_email(const char *s);
/* True when s is NULL or holds only ASCII white space and U+3000 (全角スペース). */
bool text_blank(const char *s);

#endif
