/* `nccs import KIND --db URL [--dry-run] FILE` (see import.h and docs/IMPORT.md): the file,
 * its hash, the header, the rows and their errors, the one transaction, the summary. */
#include "cli/import.h"
#include "cli/cli.h"
#include "domain/text.h"
#include "store/migrate.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <utf8proc.h>

/* Results of the transaction body besides the DB codes (db_tx rolls back on them). */
#define IMP_RC_INVALID 100 /* a row failed a database check */
#define IMP_RC_DRY     101 /* --dry-run: checked, nothing to write */
#define IMP_RC_DONE    102 /* the file was imported meanwhile (UNIQUE kind, sha256) */

static const imp_kind *const KINDS[] = {&IMP_ACCOUNTS, &IMP_OFFERS,     &IMP_NOTIFICATIONS,
                                        &IMP_HELPDESK, &IMP_PLACEMENTS, NULL};

/* ---- the string pool -------------------------------------------------------------------- */

#define POOL_CHUNK ((size_t)1 << 20)

struct imp_chunk {
    struct imp_chunk *next;
    size_t used, cap;
    char data[];
};

const char *imp_str(imp *x, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    struct imp_chunk *c = x->pool.head;
    if (!c || c->cap - c->used < n) {
        size_t cap = n > POOL_CHUNK ? n : POOL_CHUNK;
        c = malloc(sizeof *c + cap);
        if (!c)
            return NULL;
        c->next = x->pool.head;
        c->used = 0;
        c->cap = cap;
        x->pool.head = c;
    }
    char *p = c->data + c->used;
    memcpy(p, s, n);
    c->used += n;
    return p;
}

static void pool_free(imp_pool *p)
{
    while (p->head) {
        struct imp_chunk *n = p->head->next;
        free(p->head);
        p->head = n;
    }
}

void imp_count(imp *x, const char *name, int64_t n)
{
    for (int i = 0; i < x->ncounts; i++)
        if (!strcmp(x->counts[i].name, name)) {
            x->counts[i].n += n;
            return;
        }
    if (x->ncounts < (int)(sizeof x->counts / sizeof x->counts[0])) {
        x->counts[x->ncounts].name = name;
        x->counts[x->ncounts++].n = n;
    }
}

/* ---- errors ----------------------------------------------------------------------------- */

/* Cuts s at its first byte that does not start a valid UTF-8 sequence (a message cut by the
 * buffer size, or a file name that is no text), so that it can go into JSON. */
static void utf8_cut(char *s)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    while (*p) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
        if (n <= 0) {
            *(char *)p = '\0';
            return;
        }
        p += n;
    }
}

void imp_err_at(imp *x, size_t ri, int col, const char *code, const char *message)
{
    x->bad[ri] = 1;
    x->nerrs_total++;
    if (x->nerrs >= IMP_ERRS_MAX)
        return;
    imp_error *e = &x->errs[x->nerrs++];
    e->line = x->sh->rows[ri].line;
    e->seq = x->seq++;
    e->column = col >= 0 ? x->kind->cols[col].header : "";
    str_copy(e->code, sizeof e->code, code);
    str_copy(e->message, sizeof e->message, message);
    utf8_cut(e->code);
    utf8_cut(e->message);
}

void imp_err(imp *x, int col, const char *reason, const char *message)
{
    char code[96];
    snprintf(code, sizeof code, "%s.%s", x->kind->cols[col].field, reason);
    imp_err_at(x, x->ri, col, code, message);
}

/* path without "[n]" parts into out. */
static void strip_indexes(const char *path, char *out, size_t cap)
{
    size_t n = 0;
    for (const char *p = path; *p && n + 1 < cap; p++) {
        if (*p == '[') {
            while (*p && *p != ']')
                p++;
            if (!*p)
                break;
            continue;
        }
        out[n++] = *p;
    }
    out[n] = '\0';
}

void imp_err_verrs(imp *x, size_t ri, const verrs *e, const imp_fieldmap *map)
{
    for (int i = 0; i < e->n; i++) {
        int col = -1;
        for (const imp_fieldmap *m = map; m && m->path && col < 0; m++)
            if (!strcmp(m->path, e->items[i].field))
                col = m->col;
        if (col < 0) {
            char plain[96];
            strip_indexes(e->items[i].field, plain, sizeof plain);
            for (const imp_fieldmap *m = map; m && m->path && col < 0; m++)
                if (!strcmp(m->path, plain))
                    col = m->col;
        }
        imp_err_at(x, ri, col, e->items[i].code, e->items[i].message);
    }
}

bool imp_row_bad(const imp *x, size_t ri)
{
    return x->bad[ri] != 0;
}

static int err_cmp(const void *a, const void *b)
{
    const imp_error *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* ---- cells ------------------------------------------------------------------------------ */

static const char EMPTY[] = "";

bool imp_has_col(const imp *x, int col)
{
    return x->colidx[col] >= 0;
}

const char *imp_raw(const imp *x, size_t ri, int col)
{
    const sheet_row *r = &x->sh->rows[ri];
    int k = x->colidx[col];
    return k < 0 ? "" : sheet_text(r, (size_t)k);
}

const char *imp_cell(const imp *x, int col)
{
    return x->cell[col];
}

/* NFKC and trimmed copy of raw (malloc'd); ASCII text only needs trimming. NULL for invalid
 * UTF-8 or memory. */
static char *normalise(const char *raw)
{
    bool ascii = true;
    for (const unsigned char *p = (const unsigned char *)raw; *p && ascii; p++)
        ascii = *p < 0x80;
    if (!ascii)
        return text_nfkc(raw);
    while (*raw == ' ' || *raw == '\t')
        raw++;
    size_t n = strlen(raw);
    while (n && (raw[n - 1] == ' ' || raw[n - 1] == '\t'))
        n--;
    char *s = malloc(n + 1);
    if (s) {
        memcpy(s, raw, n);
        s[n] = '\0';
    }
    return s;
}

void imp_row_begin(imp *x, size_t ri)
{
    x->ri = ri;
    x->row = &x->sh->rows[ri];
    for (int k = 0; k < x->kind->ncols; k++) {
        x->cell[k] = (char *)EMPTY;
        int idx = x->colidx[k];
        if (idx < 0 || (size_t)idx >= x->row->ncells)
            continue;
        const sheet_cell *c = &x->row->cells[idx];
        if (!*c->text && !(c->flags & SHEET_CELL_FORMULA))
            continue;
        char msg[256];
        if ((c->flags & SHEET_CELL_FORMULA) || imp_formula_like(c->text)) {
            imp_err(x, k, "formula",
                    "数式として扱われる値（=、+、-、@ で始まる値や数式のセル）は登録できません");
            x->cell[k] = NULL;
            continue;
        }
        char *v = str_utf8_clean(c->text, x->kind->cols[k].multiline) ? normalise(c->text) : NULL;
        if (!v) {
            snprintf(msg, sizeof msg,
                     "%sに使用できない文字（制御文字や不正な文字コード）が含まれています",
                     x->kind->cols[k].header);
            imp_err(x, k, "invalid", msg);
            x->cell[k] = NULL;
            continue;
        }
        if (!*v) {
            free(v);
            continue;
        }
        x->cell[k] = v;
    }
}

void imp_row_end(imp *x)
{
    for (int k = 0; k < x->kind->ncols; k++) {
        if (x->cell[k] && x->cell[k] != EMPTY)
            free(x->cell[k]);
        x->cell[k] = (char *)EMPTY;
    }
}

/* "missing" for an empty required cell. Returns 0 (empty) or -1 (rejected earlier). */
static int empty_or_rejected(imp *x, int col, bool required)
{
    if (!x->cell[col])
        return -1;
    if (required) {
        char msg[256];
        snprintf(msg, sizeof msg, "%sを入力してください", x->kind->cols[col].header);
        imp_err(x, col, "missing", msg);
        return -1;
    }
    return 0;
}

int imp_get_date(imp *x, int col, bool required, char *out, size_t cap)
{
    const char *v = x->cell[col];
    if (!v || !*v)
        return empty_or_rejected(x, col, required);
    if (imp_parse_date(v, out, cap) != 0) {
        char msg[256];
        snprintf(msg, sizeof msg, "%sは正しい日付（例: 2013-04-01）で入力してください",
                 x->kind->cols[col].header);
        imp_err(x, col, "invalid", msg);
        return -1;
    }
    return 1;
}

int imp_get_past_date(imp *x, int col, bool required, char *out, size_t cap)
{
    int rc = imp_get_date(x, col, required, out, cap);
    if (rc != 1)
        return rc;
    char msg[256];
    if (date_cmp(out, x->today) > 0) {
        snprintf(msg, sizeof msg, "%sに未来の日付は指定できません", x->kind->cols[col].header);
        imp_err(x, col, "future", msg);
        return -1;
    }
    if (date_cmp(out, IMP_EARLIEST) < 0) {
        snprintf(msg, sizeof msg, "%sは1990年4月1日以降の日付で入力してください",
                 x->kind->cols[col].header);
        imp_err(x, col, "out_of_range", msg);
        return -1;
    }
    return 1;
}

int imp_get_datetime(imp *x, int col, bool required, int64_t *t)
{
    const char *v = x->cell[col];
    if (!v || !*v)
        return empty_or_rejected(x, col, required);
    char msg[256];
    if (imp_parse_datetime(v, t) != 0) {
        snprintf(msg, sizeof msg,
                 "%sは正しい日時（例: 2013-04-01 09:30）または日付で入力してください",
                 x->kind->cols[col].header);
        imp_err(x, col, "invalid", msg);
        return -1;
    }
    if (*t > x->now) {
        snprintf(msg, sizeof msg, "%sに未来の日時は指定できません", x->kind->cols[col].header);
        imp_err(x, col, "future", msg);
        return -1;
    }
    if (*t < imp_jst_midnight(IMP_EARLIEST)) {
        snprintf(msg, sizeof msg, "%sは1990年4月1日以降の日時で入力してください",
                 x->kind->cols[col].header);
        imp_err(x, col, "out_of_range", msg);
        return -1;
    }
    return 1;
}

int imp_get_int(imp *x, int col, bool required, int64_t min, int64_t max, int64_t *out)
{
    const char *v = x->cell[col];
    if (!v || !*v)
        return empty_or_rejected(x, col, required);
    int rc = imp_parse_int(v, min, max, out);
    if (rc == 0)
        return 1;
    char msg[256];
    if (rc == -2) {
        snprintf(msg, sizeof msg, "%sは%lld〜%lldの範囲で入力してください",
                 x->kind->cols[col].header, (long long)min, (long long)max);
        imp_err(x, col, "out_of_range", msg);
    } else {
        snprintf(msg, sizeof msg, "%sは整数（半角または全角の数字）で入力してください",
                 x->kind->cols[col].header);
        imp_err(x, col, "invalid", msg);
    }
    return -1;
}

int imp_get_code(imp *x, int col, bool required, const imp_dict *d, const char **code)
{
    const char *v = x->cell[col];
    if (!v || !*v)
        return empty_or_rejected(x, col, required);
    *code = imp_dict_get(d, v);
    if (*code)
        return 1;
    char msg[256];
    snprintf(msg, sizeof msg,
             "%sの値が正しくありません（一覧にあるコードまたは名称で入力してください）",
             x->kind->cols[col].header);
    imp_err(x, col, "invalid", msg);
    return -1;
}

int imp_get_list(imp *x, int col, const imp_dict *d, int max, const char **json_text)
{
    *json_text = "[]";
    const char *v = x->cell[col];
    if (!v || !*v)
        return v ? 0 : -1;
    const char *codes[64];
    char bad[128], msg[400];
    int n = imp_dict_list(d, v, codes, max < 64 ? max : 64, bad, sizeof bad);
    if (n == -1 || n == -2) {
        snprintf(msg, sizeof msg,
                 n == -1 ? "%sに一覧にない値「%.100s」があります"
                         : "%sで「%.100s」が重複しています",
                 x->kind->cols[col].header, bad);
        imp_err(x, col, n == -1 ? "invalid" : "duplicate", msg);
        return -1;
    }
    if (n < 0) {
        snprintf(msg, sizeof msg, "%sは%d件までです", x->kind->cols[col].header, max);
        imp_err(x, col, "too_long", msg);
        return -1;
    }
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_string(codes[i]));
    char *s = json_dumps(a, JSON_COMPACT);
    json_decref(a);
    *json_text = imp_str(x, s ? s : "[]");
    free(s);
    return n ? 1 : 0;
}

/* ---- reference data --------------------------------------------------------------------- */

const char *imp_muni_pref(const imp *x, const char *code)
{
    int lo = 0, hi = x->munis ? x->munis->nrows - 1 : -1;
    while (code && lo <= hi) {
        int mid = (lo + hi) / 2;
        int c = strcmp(db_text(x->munis, mid, 0), code);
        if (!c)
            return db_text(x->munis, mid, 1);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

/* Adds the codes and names of a code list (table code_lists) to dict. */
static int load_list(db *d, const char *list, imp_dict *dict)
{
    db_val p[] = {DBT(list)};
    db_res *r = NULL;
    int rc =
        db_query(d, "SELECT code, name FROM code_lists WHERE list = $1 ORDER BY sort", p, 1, &r);
    for (int i = 0; rc == DB_OK && i < r->nrows; i++)
        if (imp_dict_add(dict, db_text(r, i, 0), db_text(r, i, 0)) != 0 ||
            imp_dict_add(dict, db_text(r, i, 1), db_text(r, i, 0)) != 0)
            rc = DB_ERROR;
    db_res_free(r);
    return rc;
}

static int load_refdata(imp *x)
{
    db_res *r = NULL;
    int rc = db_query(x->d, "SELECT code, name FROM prefectures ORDER BY code", NULL, 0, &r);
    for (int i = 0; rc == DB_OK && i < r->nrows; i++) {
        const char *code = db_text(r, i, 0), *name = db_text(r, i, 1);
        char num[4], stem[64];
        /* "1" for "01" (a spreadsheet drops the zero), and the name without 都府県 */
        snprintf(num, sizeof num, "%d", (code[0] - '0') * 10 + (code[1] - '0'));
        size_t n = str_copy(stem, sizeof stem, name);
        if (n > 3 && n < sizeof stem &&
            (!strcmp(stem + n - 3, "都") || !strcmp(stem + n - 3, "府") ||
             !strcmp(stem + n - 3, "県")))
            stem[n - 3] = '\0';
        if (imp_dict_add(&x->prefs, code, code) != 0 || imp_dict_add(&x->prefs, name, code) != 0 ||
            imp_dict_add(&x->prefs, num, code) != 0 || imp_dict_add(&x->prefs, stem, code) != 0)
            rc = DB_ERROR;
    }
    db_res_free(r);
    if (rc == DB_OK)
        rc = load_list(x->d, "licence_types", &x->licences);
    if (rc == DB_OK)
        rc = load_list(x->d, "employment_forms", &x->emp_forms);
    if (rc == DB_OK)
        rc = load_list(x->d, "shift_patterns", &x->shifts);
    if (rc == DB_OK) /* the short forms people write */
        rc = imp_dict_add(&x->shifts, "当直", "on_call") ||
                     imp_dict_add(&x->shifts, "日勤", "day_only") ||
                     imp_dict_add(&x->shifts, "夜勤専従", "night_only") ||
                     imp_dict_add(&x->licences, "准看", "junkangoshi")
                 ? DB_ERROR
                 : DB_OK;
    if (rc == DB_OK)
        rc = load_list(x->d, "facility_types", &x->fac_types);
    if (rc == DB_OK)
        rc = db_query(x->d, "SELECT code, prefecture_code FROM municipalities ORDER BY code", NULL,
                      0, &x->munis);
    return rc;
}

/* ---- file-level refusals ---------------------------------------------------------------- */

/* Prints a file-level refusal (stderr for people, JSON on stdout) and returns exit code 1. */
static int refuse(const char *kind, const char *file, const char *code, const char *message)
{
    fprintf(stderr, "nccs import: %s\n", message);
    char name[512];
    str_copy(name, sizeof name, file ? file : "");
    utf8_cut(name);
    json_t *o = json_pack("{s:s,s:s,s:s,s:{s:s,s:s}}", "kind", kind ? kind : "", "file", name,
                          "status", "refused", "error", "code", code, "message", message);
    char *s = json_dumps(o, JSON_COMPACT);
    if (s)
        puts(s);
    free(s);
    json_decref(o);
    return 1;
}

/* Reads path into *data (malloc'd, caller frees) and *len. Returns 0, or -1 with the refusal
 * already printed. */
static int read_file(const char *kind, const char *path, char **data, size_t *len)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return -refuse(kind, path, "file.unreadable",
                       "ファイルを読み込めません（パスを確認してください）");
    if ((uint64_t)st.st_size > IMP_MAX_FILE)
        return -refuse(kind, path, "file.too_large",
                       "ファイルが大きすぎます（64MiBまで）。ファイルを分けてください。");
    FILE *f = fopen(path, "rb");
    if (!f)
        return -refuse(kind, path, "file.unreadable", "ファイルを読み込めません");
    size_t cap = (size_t)st.st_size + 1;
    char *buf = malloc(cap);
    size_t n = buf ? fread(buf, 1, cap, f) : 0;
    bool err = !buf || ferror(f) || n > IMP_MAX_FILE;
    fclose(f);
    if (err) {
        free(buf);
        return -refuse(kind, path, n > IMP_MAX_FILE ? "file.too_large" : "file.unreadable",
                       n > IMP_MAX_FILE ? "ファイルが大きすぎます（64MiBまで）。"
                                        : "ファイルを読み込めません");
    }
    *data = buf;
    *len = n;
    return 0;
}

static const char *sheet_message(sheet_rc rc)
{
    switch (rc) {
    case SHEET_EMPTY:
        return "データ行がありません。1行目に見出し、2行目以降にデータを入力してください。";
    case SHEET_ENCODING:
        return "文字コードを判別できません。UTF-8（BOM付き可）または Shift_JIS の CSV、または "
               "Excel（.xlsx）で保存してください。";
    case SHEET_TOO_MANY_ROWS:
        return "1回に取り込めるのは200,000行までです。ファイルを分けてください。";
    case SHEET_TOO_LARGE:
        return "大きすぎるセルまたは列があります（1つのセルは20,000バイトまで、列は64列まで）。";
    case SHEET_NOMEM:
        return "メモリが足りません。ファイルを分けてください。";
    default:
        return "ファイルの形式が正しくありません。CSV または Excel（.xlsx）のファイルを指定して"
               "ください。";
    }
}

/* Finds the kind's columns in the header row. Missing needed columns, or a column given twice,
 * refuse the file (printed; returns -1). Unknown headers are listed in *ignored. */
static int map_header(imp *x, const char *file, json_t *ignored)
{
    const sheet_row *h = &x->sh->rows[0];
    char missing[1024] = "";
    bool twice = false;
    char twice_name[128] = "";
    bool *used = calloc(h->ncells + 1, sizeof *used);
    if (!used)
        return -refuse(x->kind->name, file, "file.memory", "メモリが足りません");
    for (int k = 0; k < x->kind->ncols; k++) {
        const imp_col *c = &x->kind->cols[k];
        x->colidx[k] = -1;
        for (size_t i = 0; i < h->ncells; i++) {
            char *t = normalise(h->cells[i].text);
            bool eq = t && (!strcmp(t, c->header) || (c->alias && !strcmp(t, c->alias)));
            free(t);
            if (!eq)
                continue;
            if (x->colidx[k] >= 0) {
                twice = true;
                str_copy(twice_name, sizeof twice_name, c->header);
            }
            x->colidx[k] = (int)i;
            used[i] = true;
        }
        if (x->colidx[k] < 0 && c->need) {
            size_t n = strlen(missing);
            snprintf(missing + n, sizeof missing - n, "%s「%s」", n ? "、" : "", c->header);
        }
    }
    for (size_t i = 0; i < h->ncells; i++)
        if (!used[i] && *h->cells[i].text)
            json_array_append_new(ignored, json_string(h->cells[i].text));
    free(used);
    char msg[1400];
    if (twice) {
        snprintf(msg, sizeof msg, "同じ列「%s」が2回あります。見出しを確認してください。",
                 twice_name);
        return -refuse(x->kind->name, file, "file.columns", msg);
    }
    if (*missing) {
        snprintf(msg, sizeof msg, "必要な列がありません: %s。1行目に見出しを入れてください。",
                 missing);
        return -refuse(x->kind->name, file, "file.columns", msg);
    }
    return 0;
}

/* ---- the transaction -------------------------------------------------------------------- */

typedef struct run {
    imp *x;
    const char *sha, *file_name;
    size_t nerrs1, nerrs_total1; /* errors after phase 1 */
    int seq1;
    unsigned char *bad1;
    size_t nrows;
} run;

static int run_tx(db *d, void *arg)
{
    run *r = arg;
    imp *x = r->x;
    /* a rerun starts from the state after phase 1 */
    x->nerrs = r->nerrs1;
    x->nerrs_total = r->nerrs_total1;
    x->seq = r->seq1;
    memcpy(x->bad, r->bad1, x->sh->nrows);
    x->ncounts = 0;
    db_val q[] = {DBT(x->kind->name), DBT(r->sha)};
    int64_t done = 0;
    int rc = db_scalar(d, "SELECT COUNT(*) FROM import_runs WHERE kind = $1 AND sha256 = $2", q, 2,
                       &done);
    if (rc != DB_OK)
        return rc;
    if (done)
        return IMP_RC_DONE;
    rc = x->kind->db_check(d, x);
    if (rc != DB_OK)
        return rc;
    if (x->nerrs_total)
        return IMP_RC_INVALID;
    if (x->dry)
        return IMP_RC_DRY;
    rc = x->kind->write(d, x);
    if (rc != DB_OK)
        return rc;
    db_val p[] = {DBT(x->kind->name),     DBT(r->sha), DBT(r->file_name), DBI((int64_t)r->nrows),
                  DBI((int64_t)r->nrows), DBI(x->now)};
    rc = db_query(d,
                  "INSERT INTO import_runs (kind, sha256, file_name, rows_total, rows_imported, "
                  "imported_at) VALUES ($1, $2, $3, $4, $5, $6)",
                  p, 6, NULL);
    return rc == DB_CONSTRAINT ? IMP_RC_DONE : rc;
}

/* ---- output ----------------------------------------------------------------------------- */

static void print_summary(imp *x, const char *status, const char *file, const char *sha,
                          json_t *ignored)
{
    size_t nbad = 0;
    for (size_t i = 1; i < x->sh->nrows; i++)
        nbad += x->bad[i] ? 1 : 0;
    qsort(x->errs, x->nerrs, sizeof *x->errs, err_cmp);
    json_t *errs = json_array();
    for (size_t i = 0; i < x->nerrs; i++) {
        const imp_error *e = &x->errs[i];
        fprintf(stderr, "%d行目\t%s\t%s\t%s\n", e->line, e->column, e->code, e->message);
        if (i < IMP_JSON_ERRS)
            json_array_append_new(errs,
                                  json_pack("{s:i,s:s,s:s,s:s}", "line", e->line, "column",
                                            e->column, "code", e->code, "message", e->message));
    }
    if (x->nerrs_total > x->nerrs)
        fprintf(stderr, "… ほか %zu 件のエラー（表示は %d 件まで）\n", x->nerrs_total - x->nerrs,
                IMP_ERRS_MAX);
    json_t *counts = json_object();
    for (int i = 0; i < x->ncounts; i++)
        json_object_set_new(counts, x->counts[i].name, json_integer(x->counts[i].n));
    const char *fmt = x->sh->format == SHEET_XLSX       ? "xlsx"
                      : x->sh->format == SHEET_CSV_SJIS ? "csv_sjis"
                                                        : "csv_utf8";
    json_t *o = json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:b,s:I,s:I,s:I,s:o,s:o,s:O}", "kind", x->kind->name, "file", file,
        "sha256", sha, "format", fmt, "status", status, "dry_run", x->dry, "rows",
        (json_int_t)(x->sh->nrows - 1), "invalid_rows", (json_int_t)nbad, "errors_total",
        (json_int_t)x->nerrs_total, "errors", errs, "imported", counts, "ignored_columns", ignored);
    char *s = json_dumps(o, JSON_COMPACT);
    if (s)
        puts(s);
    free(s);
    json_decref(o);
    if (!strcmp(status, "invalid"))
        fprintf(stderr, "nccs import: %zu row(s) of %zu invalid; nothing was written\n", nbad,
                x->sh->nrows - 1);
    else if (!strcmp(status, "checked"))
        fprintf(stderr, "nccs import: dry run: all %zu row(s) valid; nothing was written\n",
                x->sh->nrows - 1);
    else {
        fprintf(stderr, "nccs import: %s: %zu row(s) imported", x->kind->name, x->sh->nrows - 1);
        for (int i = 0; i < x->ncounts; i++)
            fprintf(stderr, "%s %s %lld", i ? "," : ":", x->counts[i].name,
                    (long long)x->counts[i].n);
        fputc('\n', stderr);
    }
}

static void imp_free(imp *x)
{
    if (x->kind && x->kind->free_state)
        x->kind->free_state(x);
    imp_dict_free(&x->prefs);
    imp_dict_free(&x->licences);
    imp_dict_free(&x->emp_forms);
    imp_dict_free(&x->shifts);
    imp_dict_free(&x->fac_types);
    db_res_free(x->munis);
    free(x->errs);
    free(x->bad);
    pool_free(&x->pool);
}

static int usage(void)
{
    fprintf(stderr,
            "usage: nccs import KIND --db URL [--dry-run] FILE\n"
            "  KIND: accounts | offers | notifications | helpdesk | placements\n"
            "  FILE: CSV (UTF-8, UTF-8 with BOM or Shift_JIS) or Excel .xlsx; columns in "
            "docs/IMPORT.md\n"
            "  import in this order: accounts, offers, notifications, helpdesk, placements\n");
    return 2;
}

/* The whole command; every path frees what it allocated. */
int cmd_import(int argc, char **argv)
{
    const char *kind_name = NULL, *path = NULL;
    bool dry = false;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--dry-run"))
            dry = true;
        else if (argv[i][0] == '-' && argv[i][1])
            return usage();
        else if (!kind_name)
            kind_name = argv[i];
        else if (!path)
            path = argv[i];
        else
            return usage();
    }
    if (!kind_name || !path)
        return usage();
    const imp_kind *kind = NULL;
    for (int i = 0; KINDS[i]; i++)
        if (!strcmp(KINDS[i]->name, kind_name))
            kind = KINDS[i];
    if (!kind)
        return usage();

    char *data = NULL;
    size_t len = 0;
    if (read_file(kind->name, path, &data, &len) != 0)
        return 1;
    unsigned char h[crypto_hash_sha256_BYTES];
    char sha[crypto_hash_sha256_BYTES * 2 + 1];
    crypto_hash_sha256(h, (const unsigned char *)data, len);
    sodium_bin2hex(sha, sizeof sha, h, sizeof h);
    char base[256]; /* the file's name as recorded and printed (valid UTF-8) */
    str_copy(base, sizeof base, strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
    utf8_cut(base);

    db *d = cli_open();
    if (!d) {
        free(data);
        return 1;
    }
    int current = 0, rc;
    if (migrate_current(d, &current) != DB_OK || current < migrate_latest()) {
        db_close(d);
        free(data);
        return refuse(kind->name, base, "db.schema",
                      "データベースのスキーマが古いか読めません。先に nccs migrate を実行してくださ"
                      "い。");
    }
    int64_t done = 0;
    db_val q[] = {DBT(kind->name), DBT(sha)};
    if (db_scalar(d, "SELECT COUNT(*) FROM import_runs WHERE kind = $1 AND sha256 = $2", q, 2,
                  &done) != DB_OK) {
        fprintf(stderr, "nccs import: %s\n", db_errmsg(d));
        db_close(d);
        free(data);
        return 1;
    }
    if (done) {
        db_close(d);
        free(data);
        return refuse(kind->name, base, "file.already_imported",
                      "このファイル（同じ内容）は既に取り込まれています。");
    }

    sheet sh;
    char detail[160];
    sheet_limits lim = {.max_rows = IMP_MAX_ROWS,
                        .max_cols = IMP_MAX_COLS,
                        .max_cell_bytes = IMP_MAX_CELL,
                        .zip_entry_max = SHEET_ZIP_ENTRY_MAX,
                        .zip_total_max = SHEET_ZIP_TOTAL_MAX};
    sheet_rc src = sheet_read_limits(data, len, &lim, &sh, detail, sizeof detail);
    free(data);
    if (src == SHEET_OK && sh.nrows < 2)
        src = SHEET_EMPTY;
    if (src != SHEET_OK) {
        sheet_free(&sh);
        db_close(d);
        char code[48];
        snprintf(code, sizeof code, "file.%s", sheet_rc_name(src));
        return refuse(kind->name, base, code, sheet_message(src));
    }

    imp x;
    memset(&x, 0, sizeof x);
    x.d = d;
    x.kind = kind;
    x.dry = dry;
    x.sh = &sh;
    x.now = time_now();
    time_jst_date(x.now, x.today, sizeof x.today);
    imp_dict_init(&x.prefs);
    imp_dict_init(&x.licences);
    imp_dict_init(&x.emp_forms);
    imp_dict_init(&x.shifts);
    imp_dict_init(&x.fac_types);
    for (int k = 0; k < IMP_MAX_COLS; k++)
        x.cell[k] = (char *)EMPTY;
    x.errs = malloc(IMP_ERRS_MAX * sizeof *x.errs);
    x.bad = calloc(sh.nrows, 1);
    json_t *ignored = json_array();
    run r = {.x = &x, .sha = sha, .file_name = base, .nrows = sh.nrows - 1};
    r.bad1 = malloc(sh.nrows);
    int exit_code = 1;
    if (!x.errs || !x.bad || !r.bad1) {
        exit_code = refuse(kind->name, base, "file.memory", "メモリが足りません");
        goto out;
    }
    if (map_header(&x, base, ignored) != 0)
        goto out;
    for (size_t i = 0; i < json_array_size(ignored); i++)
        fprintf(stderr, "nccs import: column 「%s」 is not used and was ignored\n",
                json_string_value(json_array_get(ignored, i)));
    rc = load_refdata(&x);
    if (rc == DB_OK)
        rc = kind->check(&x);
    if (rc != DB_OK) {
        fprintf(stderr, "nccs import: %s\n", db_errmsg(d));
        goto out;
    }
    r.nerrs1 = x.nerrs;
    r.nerrs_total1 = x.nerrs_total;
    r.seq1 = x.seq;
    memcpy(r.bad1, x.bad, sh.nrows);
    rc = db_tx(d, run_tx, &r);
    if (rc == IMP_RC_DONE) {
        exit_code = refuse(kind->name, base, "file.already_imported",
                           "このファイル（同じ内容）は既に取り込まれています。");
    } else if (rc == IMP_RC_INVALID) {
        print_summary(&x, "invalid", base, sha, ignored);
    } else if (rc == IMP_RC_DRY) {
        print_summary(&x, "checked", base, sha, ignored);
        exit_code = 0;
    } else if (rc == DB_OK) {
        print_summary(&x, "imported", base, sha, ignored);
        exit_code = 0;
    } else {
        fprintf(stderr, "nccs import: nothing was written: %s\n", db_errmsg(d));
    }
out:
    json_decref(ignored);
    free(r.bad1);
    imp_free(&x);
    sheet_free(&sh);
    db_close(d);
    return exit_code;
}

/* ---- string sets ------------------------------------------------------------------------ */

static uint64_t set_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

int imp_set_get(const imp_set *s, const char *key, size_t *val)
{
    if (!s->cap)
        return 0;
    for (size_t i = set_hash(key) & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
        if (!s->slot[i].key)
            return 0;
        if (!strcmp(s->slot[i].key, key)) {
            *val = s->slot[i].val;
            return 1;
        }
    }
}

int imp_set_put(imp *x, imp_set *s, const char *key, size_t val, size_t *old)
{
    if (imp_set_get(s, key, old))
        return 1;
    if ((s->n + 1) * 2 > s->cap) { /* grow to keep the load under a half */
        size_t cap = s->cap ? s->cap * 2 : 1024;
        struct imp_set_slot *slot = calloc(cap, sizeof *slot);
        if (!slot)
            return -1;
        for (size_t k = 0; k < s->cap; k++)
            if (s->slot[k].key) {
                size_t i = set_hash(s->slot[k].key) & (cap - 1);
                while (slot[i].key)
                    i = (i + 1) & (cap - 1);
                slot[i] = s->slot[k];
            }
        free(s->slot);
        s->slot = slot;
        s->cap = cap;
    }
    const char *k = imp_str(x, key);
    if (!k)
        return -1;
    size_t i = set_hash(k) & (s->cap - 1);
    while (s->slot[i].key)
        i = (i + 1) & (s->cap - 1);
    s->slot[i].key = k;
    s->slot[i].val = val;
    s->n++;
    return 0;
}

void imp_set_free(imp_set *s)
{
    free(s->slot);
    memset(s, 0, sizeof *s);
}

/* ---- number allocation ------------------------------------------------------------------ */

static struct imp_no_group *no_group(imp *x, db *d, imp_numbers *nb, const char *pref, int fy,
                                     int *rc)
{
    *rc = DB_OK;
    for (size_t i = 0; i < nb->n; i++)
        if (nb->g[i].fy == fy && !strcmp(nb->g[i].pref, pref))
            return &nb->g[i];
    if (nb->n == nb->cap) {
        size_t cap = nb->cap ? nb->cap * 2 : 16;
        struct imp_no_group *g = realloc(nb->g, cap * sizeof *g);
        if (!g) {
            *rc = DB_ERROR;
            return NULL;
        }
        nb->g = g;
        nb->cap = cap;
    }
    struct imp_no_group *g = &nb->g[nb->n++];
    memset(g, 0, sizeof *g);
    str_copy(g->pref, sizeof g->pref, pref);
    g->fy = fy;
    char prefix[16];
    snprintf(prefix, sizeof prefix, "%s-%04d-", pref, fy);
    db_val p[] = {DBT(pref), DBI(fy)}, q[] = {DBT(prefix)};
    bool offers = nb->kind == IMP_NO_OFFER;
    *rc = db_scalar(d,
                    offers ? "SELECT last_seq FROM offer_numbers WHERE prefecture_code = $1 AND "
                             "fiscal_year = $2"
                           : "SELECT last_seq FROM referral_numbers WHERE prefecture_code = $1 AND "
                             "fiscal_year = $2",
                    p, 2, &g->last);
    db_res *r = NULL;
    if (*rc == DB_OK)
        *rc = db_query(d,
                       offers ? "SELECT offer_no FROM offers WHERE substr(offer_no, 1, 8) = $1"
                              : "SELECT referral_no FROM applications WHERE substr(referral_no, 1, "
                                "8) = $1",
                       q, 1, &r);
    size_t old;
    for (int i = 0; *rc == DB_OK && i < r->nrows; i++)
        if (imp_set_put(x, &g->used, db_text(r, i, 0), 0, &old) < 0)
            *rc = DB_ERROR;
    db_res_free(r);
    return *rc == DB_OK ? g : NULL;
}

int imp_numbers_given(imp *x, db *d, imp_numbers *nb, const char *no)
{
    char pref[3] = {no[0], no[1], '\0'};
    int64_t fy = 0, seq = 0;
    char fys[5] = {no[3], no[4], no[5], no[6], '\0'};
    if (str_to_i64(fys, 0, 9999, &fy) != 0 || str_to_i64(no + 8, 0, 999999, &seq) != 0)
        return DB_ERROR;
    int rc;
    struct imp_no_group *g = no_group(x, d, nb, pref, (int)fy, &rc);
    if (!g)
        return rc;
    if (seq > g->last)
        g->last = seq;
    size_t old;
    return imp_set_put(x, &g->used, no, 0, &old) < 0 ? DB_ERROR : DB_OK;
}

int imp_numbers_take(imp *x, db *d, imp_numbers *nb, const char *pref, int fy, char *out,
                     size_t cap)
{
    int rc;
    struct imp_no_group *g = no_group(x, d, nb, pref, fy, &rc);
    if (!g)
        return rc;
    size_t old;
    do {
        if (g->last >= 999999)
            return DB_ERROR; /* the six digits of a fiscal year are used up */
        snprintf(out, cap, "%s-%04d-%06lld", pref, fy, (long long)++g->last);
    } while (imp_set_get(&g->used, out, &old));
    return imp_set_put(x, &g->used, out, 0, &old) < 0 ? DB_ERROR : DB_OK;
}

int imp_numbers_save(db *d, const imp_numbers *nb)
{
    int rc = DB_OK;
    for (size_t i = 0; rc == DB_OK && i < nb->n; i++) {
        if (!nb->g[i].last)
            continue;
        db_val p[] = {DBT(nb->g[i].pref), DBI(nb->g[i].fy), DBI(nb->g[i].last)};
        rc = db_query(d,
                      nb->kind == IMP_NO_OFFER
                          ? "INSERT INTO offer_numbers (prefecture_code, fiscal_year, last_seq) "
                            "VALUES ($1, $2, $3) ON CONFLICT (prefecture_code, fiscal_year) DO "
                            "UPDATE SET last_seq = CASE WHEN offer_numbers.last_seq < "
                            "excluded.last_seq THEN excluded.last_seq ELSE offer_numbers.last_seq "
                            "END"
                          : "INSERT INTO referral_numbers (prefecture_code, fiscal_year, "
                            "last_seq) VALUES ($1, $2, $3) ON CONFLICT (prefecture_code, "
                            "fiscal_year) DO UPDATE SET last_seq = CASE WHEN "
                            "referral_numbers.last_seq < excluded.last_seq THEN excluded.last_seq "
                            "ELSE referral_numbers.last_seq END",
                      p, 3, NULL);
    }
    return rc;
}

void imp_numbers_free(imp_numbers *nb)
{
    for (size_t i = 0; i < nb->n; i++)
        imp_set_free(&nb->g[i].used);
    free(nb->g);
    nb->g = NULL;
    nb->n = nb->cap = 0;
}
