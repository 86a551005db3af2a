/* CSV output (RFC 4180) for reports and exports, safe to open in Excel or LibreOffice.
 *
 * Fields are quoted when they contain a comma, a double quote, CR or LF (quotes doubled). A text
 * value that a spreadsheet would read as a formula gets a leading apostrophe (') so it is shown as
 * text (CSV injection, OWASP): when its first character is = + - @ TAB or CR, and also when it
 * starts with spaces, TABs, CRs or LFs followed by = + - or @, since Excel ignores that leading
 * whitespace. A negative number written as text through csv_field therefore reads '-5; write
 * numbers with csv_field_i64, which writes them as they are.
 *
 * Every function appends to a capped nbuf (util/buf.h) and returns 0, or -1 when the buffer's cap
 * (or memory) is exhausted; on -1 the buffer is left exactly as it was, so a caller may stop at a
 * whole row. */
#ifndef NCCS_REPORT_CSV_H
#define NCCS_REPORT_CSV_H
#include "util/buf.h"
#include <stdbool.h>

/* Appends one field, preceded by a comma unless first. text: NUL-terminated UTF-8, borrowed;
 * NULL writes an empty field. */
int csv_field(nbuf *b, const char *text, bool first);
/* Appends a number as is (no apostrophe, no quotes), preceded by a comma unless first. */
int csv_field_i64(nbuf *b, long long v, bool first);
/* Ends a row with CRLF. */
int csv_row_end(nbuf *b);
/* Appends the UTF-8 byte order mark (EF BB BF) so Excel reads Japanese text correctly; call it
 * once, before the first row. */
int csv_bom(nbuf *b);

#endif
