/* `nccs import KIND --db URL [--dry-run] FILE`: historical records from CSV (UTF-8, UTF-8 with
 * BOM, Shift_JIS) or XLSX, written exactly as the live code writes them (docs/IMPORT.md).
 *
 * Internal interface of src/cli/import*.c:
 *   import.c           the command: file, hash, header, rows, errors, transaction, summary
 *   import_cells.c     pure cell parsers (dates, numbers, code/label dictionaries, lists)
 *   import_accounts.c  KIND accounts (求職者 and 施設)
 *   import_offers.c    KIND offers (closed 求人票)
 *   import_notify.c    KIND notifications (届出)
 *   import_cases.c     KIND helpdesk and KIND placements
 *
 * Flow: the whole file is read and every row checked without the database (phase 1, the
 * kind's `check`); then one transaction checks the rows against the database (`db_check`:
 * duplicates, references) and, when no row at all is invalid and this is not a dry run, writes
 * every row (`write`) and records the file in import_runs. Any invalid row: every error is
 * printed and nothing is written. */
#ifndef NCCS_CLI_IMPORT_H
#define NCCS_CLI_IMPORT_H
#include "report/sheet.h"
#include "store/db.h"
#include "domain/casework.h"
#include "domain/placement.h"
#include "domain/validate.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IMP_MAX_FILE  ((size_t)64 << 20) /* bytes */
#define IMP_MAX_ROWS  200000             /* data rows after the header */
#define IMP_MAX_COLS  64
#define IMP_MAX_CELL  20000        /* bytes of one cell: 4,000 full-width characters and more */
#define IMP_EARLIEST  "1990-04-01" /* no record of the system predates FY1990 */
#define IMP_ERRS_MAX  50000        /* errors kept (and printed); more are only counted */
#define IMP_JSON_ERRS 1000         /* errors in the JSON summary on stdout */

/* ---- pure cell parsers (import_cells.c) ------------------------------------------------ */

/* A date cell (already NFKC): "YYYY-MM-DD", "YYYY/M/D", "YYYY.M.D" or "YYYY年M月D日" of a real
 * Gregorian date, written as YYYY-MM-DD into out (cap >= 11). Returns 0 or -1. */
int imp_parse_date(const char *s, char *out, size_t cap);
/* A date-time cell in JST: a date as above, optionally followed by a space (or 'T') and H:MM or
 * H:MM:SS (00:00..23:59:59). A date alone is 00:00 JST. *t = Unix seconds. Returns 0 or -1. */
int imp_parse_datetime(const char *s, int64_t *t);
/* 00:00 JST of a valid YYYY-MM-DD date, as Unix seconds. */
int64_t imp_jst_midnight(const char *date);
/* A whole number (ASCII digits, optional thousands commas, optional leading '+'): 0 and *out,
 * -1 when it is not a number, -2 when it is one outside [min, max] (including overflow). */
int imp_parse_int(const char *s, int64_t min, int64_t max, int64_t *out);
/* Whether a cell would start a spreadsheet formula (= + - @ after leading spaces and tabs), as
 * the notification upload rejects them. */
bool imp_formula_like(const char *s);
/* The placeholder address of a person without e-mail: imp-<16 hex of SHA-256(seed)>@
 * import.invalid (reserved domain: never mailed, cannot log in). cap >= 48. */
void imp_placeholder_email(const char *seed, char *out, size_t cap);

/* A dictionary from the NFKC form of codes, labels and aliases to codes (the codes are copies
 * owned by the dictionary). */
typedef struct imp_dict {
    struct imp_dict_entry {
        char *key;  /* NFKC, owned */
        char *code; /* owned */
    } * e;
    size_t n, cap;
} imp_dict;

void imp_dict_init(imp_dict *d);
/* Adds key → code (key normalised to NFKC). Returns 0 or -1 (memory). */
int imp_dict_add(imp_dict *d, const char *key, const char *code);
/* Adds every code of a code list and its Japanese label as keys of that code. 0 or -1. */
int imp_dict_codes(imp_dict *d, const code_label *list);
/* The code of s (NFKC already), or NULL. Borrowed from d. */
const char *imp_dict_get(const imp_dict *d, const char *s);
void imp_dict_free(imp_dict *d);
/* A list cell (NFKC) of several codes or labels separated by '|', ',', '、', '/' or '・' (a label
 * that itself contains '・', like その他の介護・福祉施設, is recognised whole). The codes go into
 * out (borrowed from d) in order. Returns the count (0 for an empty cell), or -1 when an item is
 * unknown (copied into bad), -2 when an item repeats (copied into bad), -3 when there are more
 * than max items. */
int imp_dict_list(const imp_dict *d, const char *s, const char **out, int max, char *bad,
                  size_t badcap);

/* ---- a historical placement's steps (import_cases.c) ---------------------------------- */

/* One step of a case: what placement_apply is given and when it happened. */
typedef struct imp_case_step {
    placement_action act;
    placement_actor who;
    int64_t at; /* Unix seconds */
    placement_check_result result;
    const char *left_date; /* checks with result left (borrowed from the imp_case) */
} imp_case_step;

#define IMP_CASE_STEPS 7 /* request, refer, hire, place, three checks */

typedef struct imp_case {
    /* input: valid YYYY-MM-DD dates, referred <= decided <= start <= left; left "" = unknown */
    char referred[11], decided[11], start[11], left[11];
    const char *emp; /* employment form code */
    int permanent;   /* 0/1 */
    int left6;       /* 6か月以内離職 as given: 1, 0, or -1 unknown */
    /* output of imp_case_plan */
    imp_case_step step[IMP_CASE_STEPS];
    int nsteps;
    placement_state final;
    placement_due due;
    const char *check[3]; /* result names of the 1/3/6-month checks, NULL when not done */
    int left_within_6m;   /* 1/0 as the API records it, -1 unknown */
} imp_case;

/* Plans the steps of a finished placement as the live flow records them: request and referral
 * on the referral day (00:00 JST), hire on the decision day, placement on the start day, then
 * every retention check due by today — still employed at its due date, "left" on the leaving
 * day at the first check due after it (or the 6-month check when it came later), unreachable
 * at every check when whether the nurse stayed is unknown. Each step is run through
 * placement_apply. Returns NULL, or the placement error code of the first refused step. */
const char *imp_case_plan(imp_case *c, const char *today);

/* ---- the command's context (import.c) ---------------------------------------------------- */

/* One column of a kind's file. */
typedef struct imp_col {
    const char *header; /* the Japanese header */
    const char *alias;  /* another accepted header, or NULL */
    const char *field;  /* code base of its errors: "<field>.<reason>" */
    bool need;          /* the header row must have it */
    bool multiline;     /* the cell may hold line breaks */
} imp_col;

typedef struct imp_error {
    int line;
    int seq;            /* order of addition, for a stable sort */
    const char *column; /* header (static) or "" */
    char code[96];
    char message[256];
} imp_error;

typedef struct imp imp;

/* One kind: its columns and its three steps. Each returns DB_OK or a DB error; invalid rows are
 * reported with imp_err_*, not by the return value. */
typedef struct imp_kind {
    const char *name;
    const imp_col *cols;
    int ncols;
    /* Phase 1, without a transaction: every data row (imp_row_begin … imp_row_end). */
    int (*check)(imp *x);
    /* Phase 2, in the transaction: checks against the database. */
    int (*db_check)(db *d, imp *x);
    /* Phase 2, after a clean db_check: the writes; sets counts in x->counts. */
    int (*write)(db *d, imp *x);
    void (*free_state)(imp *x);
} imp_kind;

/* A chunked string pool: copies live until imp_free. */
typedef struct imp_pool {
    struct imp_chunk *head;
} imp_pool;

struct imp {
    db *d;
    const imp_kind *kind;
    bool dry;
    const sheet *sh;
    int colidx[IMP_MAX_COLS]; /* header position of each column, -1 when absent */
    char today[11];           /* JST */
    int64_t now;
    /* errors and which data rows are invalid (index = sheet row) */
    imp_error *errs;
    size_t nerrs, nerrs_total;
    int seq;
    unsigned char *bad;
    /* reference data */
    imp_dict prefs;     /* codes, "1".."47", names */
    imp_dict licences;  /* licence types */
    imp_dict emp_forms; /* employment forms */
    imp_dict shifts;    /* shift patterns */
    imp_dict fac_types; /* facility types */
    db_res *munis;      /* code, prefecture_code ordered by code */
    /* the current row (phase 1) */
    size_t ri; /* sheet row index */
    const sheet_row *row;
    char *cell[IMP_MAX_COLS]; /* NFKC text, "" when empty, NULL when the cell was rejected */
    /* the kind's state and the counts it writes */
    void *state;
    imp_pool pool;
    struct imp_count {
        const char *name;
        int64_t n;
    } counts[8];
    int ncounts;
};

/* Starts data row ri: reads every column (formula-like, control characters or invalid UTF-8 →
 * an error, the cell NULL), NFKC and trimmed. imp_row_end frees the cells. */
void imp_row_begin(imp *x, size_t ri);
void imp_row_end(imp *x);
/* The cell of column col of the current row ("" when empty or absent; NULL when rejected). */
const char *imp_cell(const imp *x, int col);
/* The raw (not normalised) text of column col of row ri, "" when absent. */
const char *imp_raw(const imp *x, size_t ri, int col);
/* Whether column col is in the file. */
bool imp_has_col(const imp *x, int col);

/* Adds an error for row ri (sheet index) and column col (-1: the row as a whole). code:
 * "<field>.<reason>" when reason is given, else the column's field is not prefixed and code is
 * used as is. */
void imp_err_at(imp *x, size_t ri, int col, const char *code, const char *message);
/* The same for the current row, code = "<field of col>.<reason>". */
void imp_err(imp *x, int col, const char *reason, const char *message);
/* Adds the validator's errors of a row, each mapped to a column through map (NULL-terminated
 * pairs "field path", column index; paths compared without "[n]" indexes) or to the row. */
typedef struct imp_fieldmap {
    const char *path;
    int col;
} imp_fieldmap;
void imp_err_verrs(imp *x, size_t ri, const verrs *e, const imp_fieldmap *map);
/* Whether row ri has an error. */
bool imp_row_bad(const imp *x, size_t ri);

/* Typed reads of the current row's cells; each adds its own error. Return 1 when a valid value
 * was read, 0 when the cell is empty (an error "missing" when required), -1 on an error. */
int imp_get_date(imp *x, int col, bool required, char *out, size_t cap);
int imp_get_datetime(imp *x, int col, bool required, int64_t *t);
int imp_get_int(imp *x, int col, bool required, int64_t min, int64_t max, int64_t *out);
int imp_get_code(imp *x, int col, bool required, const imp_dict *d, const char **code);
/* A date that must lie in [IMP_EARLIEST, today]: as imp_get_date plus the range check. */
int imp_get_past_date(imp *x, int col, bool required, char *out, size_t cap);
/* A list of codes (imp_dict_list) as a JSON array text in the pool ("[]" when empty). */
int imp_get_list(imp *x, int col, const imp_dict *d, int max, const char **json_text);

/* A set of strings (keys copied into the pool) with a value each, for duplicates within a file.
 * imp_set_put returns 1 and the earlier value in *old when key was there (the value is kept),
 * 0 when it was added, -1 on memory. */
typedef struct imp_set {
    struct imp_set_slot {
        const char *key;
        size_t val;
    } * slot;
    size_t n, cap;
} imp_set;
int imp_set_put(imp *x, imp_set *s, const char *key, size_t val, size_t *old);
/* The value of key: 1 and *val, or 0. */
int imp_set_get(const imp_set *s, const char *key, size_t *val);
void imp_set_free(imp_set *s);

/* Numbers PP-YYYY-NNNNNN (offer numbers, referral numbers) handed out in memory within the
 * transaction: per prefecture and fiscal year the counter (offer_numbers / referral_numbers)
 * and the numbers already used are read once; given numbers raise the counter; imp_numbers_save
 * writes the counters (never lowered). Same numbering as store_offer_publish and
 * store_referral_no, without a round trip per number. */
typedef enum { IMP_NO_OFFER, IMP_NO_REFERRAL } imp_no_kind;
typedef struct imp_numbers {
    imp_no_kind kind;
    struct imp_no_group {
        char pref[3];
        int fy;
        int64_t last;
        imp_set used;
    } * g;
    size_t n, cap;
} imp_numbers;
/* Marks a given number (valid PP-YYYY-NNNNNN) as used and raises its counter. */
int imp_numbers_given(imp *x, db *d, imp_numbers *nb, const char *no);
/* The next free number of (pref, fy) into out (cap >= 15). */
int imp_numbers_take(imp *x, db *d, imp_numbers *nb, const char *pref, int fy, char *out,
                     size_t cap);
int imp_numbers_save(db *d, const imp_numbers *nb);
void imp_numbers_free(imp_numbers *nb);

/* A copy of s in the pool (NULL stays NULL). */
const char *imp_str(imp *x, const char *s);
/* Adds n to the count named name (a static string) of the summary. */
void imp_count(imp *x, const char *name, int64_t n);

/* The municipality's prefecture code, or NULL when the code is unknown. */
const char *imp_muni_pref(const imp *x, const char *code);

/* The kinds. */
extern const imp_kind IMP_ACCOUNTS, IMP_OFFERS, IMP_NOTIFICATIONS, IMP_HELPDESK, IMP_PLACEMENTS;

#endif
