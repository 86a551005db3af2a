/* Reads an uploaded table (CSV or XLSX) into rows of UTF-8 cells.
 *
 * Format: data starting with "PK\x03\x04" is XLSX; starting with D0 CF 11 E0 (an OLE file: a
 * legacy .xls or a password-encrypted workbook) is refused as SHEET_FORMAT; anything else is CSV.
 *
 * CSV: RFC 4180 with a comma separator; quoted fields may hold commas, doubled quotes and line
 * breaks; records end with LF, CRLF or a lone CR. Text after a closing quote is kept as is
 * ("ab"c → abc); an unterminated quote is SHEET_FORMAT. Encoding: a UTF-8 BOM is stripped; a
 * UTF-16 BOM or any NUL byte is SHEET_ENCODING; valid UTF-8 is taken as UTF-8; anything else is
 * converted from CP932 (Shift_JIS as Windows Excel writes it) with iconv, and a conversion error
 * is SHEET_ENCODING. Cell text is not trimmed (the caller normalises).
 *
 * XLSX: the first worksheet in workbook order (xl/workbook.xml through
 * xl/_rels/workbook.xml.rels; xl/worksheets/sheet1.xml when those do not name one), with
 * shared strings (rich-text runs concatenated, phonetic guides <rPh> left out, _xHHHH_ escapes
 * decoded), inline strings, booleans (TRUE/FALSE), errors (#N/A …) and numbers. A number whose
 * cell style is a date format becomes "YYYY-MM-DD" (date part only; 1900 date system with its
 * 1900-02-29, or 1904 when the workbook says so); other numbers print with up to 15 significant
 * digits and no trailing ".0" ("123456", "1.5"). A formula cell gives its cached value and the
 * flag SHEET_CELL_FORMULA. Cells are placed by the column of their reference (A1, C1 → a gap
 * of ""). Zip-bomb guard: an entry read may hold at most zip_entry_max bytes uncompressed and
 * all entries read together zip_total_max (counted while inflating, not taken from the headers);
 * over that → SHEET_TOO_LARGE. A damaged zip or XML → SHEET_FORMAT.
 *
 * Rows: rows whose cells are all empty or whitespace (space, TAB, CR, LF, U+3000) are skipped.
 * The first remaining row is the header, rows[0]. Trailing empty cells are dropped, so ncells is
 * the index of the last non-empty cell + 1 (0 never occurs: such a row is blank).
 *
 * Thread safety: sheet_read may run on several threads at once. */
#ifndef NCCS_REPORT_SHEET_H
#define NCCS_REPORT_SHEET_H
#include <stddef.h>

typedef enum { SHEET_CSV_UTF8, SHEET_CSV_SJIS, SHEET_XLSX } sheet_format;

typedef enum {
    SHEET_OK = 0,
    SHEET_EMPTY,         /* no row that is not blank */
    SHEET_ENCODING,      /* CSV: UTF-16, NUL bytes, neither UTF-8 nor CP932 */
    SHEET_FORMAT,        /* not CSV/XLSX, unterminated quote, damaged zip/XML, .xls, encrypted */
    SHEET_TOO_MANY_ROWS, /* more than max_rows data rows (reading stopped there) */
    SHEET_TOO_LARGE,     /* a cell over max_cell_bytes, a non-empty column at or past max_cols,
                            or an XLSX entry over the zip limits */
    SHEET_NOMEM
} sheet_rc;

#define SHEET_CELL_FORMULA 1u /* XLSX cell had a formula (<f>); its text is the cached value */

/* Default zip-bomb limits of sheet_read (uncompressed bytes). */
#define SHEET_ZIP_ENTRY_MAX ((size_t)64 << 20)
#define SHEET_ZIP_TOTAL_MAX ((size_t)128 << 20)

typedef struct sheet_cell {
    const char *text; /* never NULL ("" for empty), NUL-terminated UTF-8; owned by the sheet */
    unsigned flags;   /* SHEET_CELL_* */
} sheet_cell;

typedef struct sheet_row {
    int line;      /* 1-based row number as a user sees it: CSV record number (blank records and
                      the header counted, a quoted line break does not start a record); XLSX:
                      the row's r attribute */
    size_t ncells; /* >= 1 */
    sheet_cell *cells;
} sheet_row;

struct sheet_mem; /* private: the arena holding cells and text */

typedef struct sheet {
    sheet_format format;
    size_t nrows; /* header included: 1 .. max_rows + 1 */
    sheet_row *rows;
    struct sheet_mem *mem;
} sheet;

typedef struct sheet_limits {
    size_t max_rows;       /* data rows after the header */
    size_t max_cols;       /* a non-empty cell at column index >= max_cols is SHEET_TOO_LARGE */
    size_t max_cell_bytes; /* UTF-8 bytes of one cell's text */
    size_t zip_entry_max;  /* XLSX: uncompressed bytes of one entry read */
    size_t zip_total_max;  /* XLSX: uncompressed bytes of all entries read */
} sheet_limits;

/* Parses data (len bytes, not NUL-terminated, borrowed) with the default zip limits. More than
 * max_rows data rows → SHEET_TOO_MANY_ROWS as soon as the row after the last allowed one is
 * read (the rest is not parsed). detail (detail_cap bytes, may be NULL/0) receives a short
 * English reason for logs ("" on success). On SHEET_OK *out owns everything (free with
 * sheet_free); on any other result *out is empty and needs no free (freeing it is harmless). */
sheet_rc sheet_read(const void *data, size_t len, size_t max_rows, size_t max_cols,
                    size_t max_cell_bytes, sheet *out, char *detail, size_t detail_cap);
/* The same with every limit given (tests use small zip limits). */
sheet_rc sheet_read_limits(const void *data, size_t len, const sheet_limits *lim, sheet *out,
                           char *detail, size_t detail_cap);
/* Frees everything *s owns and empties it; s may be empty or NULL. */
void sheet_free(sheet *s);
/* The text of column col of r (borrowed from the sheet), "" when the row is shorter. */
const char *sheet_text(const sheet_row *r, size_t col);
/* A stable lower-case name of rc for logs ("ok", "empty", "encoding", …). */
const char *sheet_rc_name(sheet_rc rc);

#endif
