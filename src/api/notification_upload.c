/* Bulk upload of proxy notifications (施設代行届出の一括登録): the raw body is a CSV (UTF-8 or
 * Shift_JIS) or XLSX file (report/sheet.c reads it). Each data row becomes a NotificationBody
 * and is checked by the same rules as the JSON route (domain/notification.c); valid rows are
 * written in one transaction, rejected rows are reported (never half-written). File-level
 * defects write nothing. */
#include "api/api.h"
#include "api/notify.h"
#include "domain/casework.h"
#include "domain/notification.h"
#include "domain/text.h"
#include "report/csv.h"
#include "report/sheet.h"
#include "store/db_json.h"
#include "store/notifications.h"
#include "util/log.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UPLOAD_MAX_ROWS   10000
#define UPLOAD_MAX_COLS   64
#define UPLOAD_MAX_CELL   3000 /* bytes: 1,000 full-width characters */
#define UPLOAD_ERRORS_OUT 100  /* errors in the JSON answer; the report has all */
#define UPLOAD_LIST_MAX   50

static const err_def ERR_EMPTY = {422, "upload.empty",
                                  "データ行がありません。1行目に見出し、2行目以降に届出の内容を"
                                  "入力してください。"};
static const err_def ERR_ENCODING = {422, "upload.encoding",
                                     "文字コードを判別できません。UTF-8 または Shift_JIS の CSV、"
                                     "または Excel（.xlsx）で保存してください。"};
static const err_def ERR_FORMAT = {422, "upload.format",
                                   "ファイルの形式が正しくありません。CSV または Excel（.xlsx）の"
                                   "ファイルを選択してください。"};
static const err_def ERR_ROWS = {422, "upload.too_many_rows",
                                 "1回にアップロードできるのは10,000行までです。ファイルを分けて"
                                 "ください。"};
static const err_def ERR_LARGE = {422, "upload.too_large",
                                  "大きすぎるセルまたは列があります（1つのセルは1,000文字まで、"
                                  "列は64列まで）。"};

/* The columns: header, where the value goes in the body, whether the column must exist, and
 * how the cell is read. */
typedef enum { CELL_TEXT, CELL_DATE, CELL_PREF, CELL_LICENCE, CELL_CODE } cell_kind;
typedef struct upcol {
    const char *header;
    const char *path; /* "holder.name", "licences.0.type", "reason" */
    bool required;
    cell_kind kind;
    const code_label *codes; /* CELL_CODE */
} upcol;

static const upcol COLS[] = {
    {"氏名", "holder.name", true, CELL_TEXT, NULL},
    {"フリガナ", "holder.name_kana", true, CELL_TEXT, NULL},
    {"生年月日", "holder.birth_date", true, CELL_DATE, NULL},
    {"郵便番号", "holder.postal_code", true, CELL_TEXT, NULL},
    {"住所都道府県", "holder.address_prefecture", true, CELL_PREF, NULL},
    {"住所", "holder.address", true, CELL_TEXT, NULL},
    {"電話番号", "holder.phone", false, CELL_TEXT, NULL},
    {"メールアドレス", "holder.email", false, CELL_TEXT, NULL},
    {"免許種別", "licences.0.type", true, CELL_LICENCE, NULL},
    {"籍登録番号", "licences.0.number", true, CELL_TEXT, NULL},
    {"登録年月日", "licences.0.registered_on", true, CELL_DATE, NULL},
    {"免許種別2", "licences.1.type", false, CELL_LICENCE, NULL},
    {"籍登録番号2", "licences.1.number", false, CELL_TEXT, NULL},
    {"登録年月日2", "licences.1.registered_on", false, CELL_DATE, NULL},
    {"届出事由", "reason", true, CELL_CODE, NOTIF_REASONS},
    {"事由発生日", "event_date", true, CELL_DATE, NULL},
    {"離職前の就業場所", "last_workplace", false, CELL_CODE, NOTIF_LAST_WORKPLACES},
    {"就業状況", "work_status", true, CELL_CODE, NOTIF_WORK_STATUSES},
};
#define NCOLS (sizeof COLS / sizeof COLS[0])

/* Japanese names of prefectures and licence types, read once per upload from the reference
 * tables, so a cell may hold the name or the code. */
typedef struct names {
    db_res *prefs; /* code, name */
    db_res *lics;  /* code, name */
} names;

static const char *name_to_code(const db_res *res, const char *s)
{
    for (int i = 0; res && i < res->nrows; i++)
        if (!strcmp(db_text(res, i, 0), s) || !strcmp(db_text(res, i, 1), s))
            return db_text(res, i, 0);
    return NULL;
}

/* "YYYY/M/D", "YYYY-M-D" and "YYYY.M.D" as "YYYY-MM-DD" into out; else the text unchanged (the
 * validator reports it). */
static void norm_date(const char *s, char *out, size_t cap)
{
    int y, m, d;
    char sep1, sep2, rest;
    if (sscanf(s, "%4d%c%2d%c%2d%c", &y, &sep1, &m, &sep2, &d, &rest) == 5 && sep1 == sep2 &&
        (sep1 == '/' || sep1 == '-' || sep1 == '.') && date_valid(y, m, d))
        snprintf(out, cap, "%04d-%02d-%02d", y, m, d);
    else
        str_copy(out, cap, s);
}

/* Whether a cell would start a spreadsheet formula (after leading blanks). */
static bool formula_like(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return *s == '=' || *s == '+' || *s == '-' || *s == '@';
}

/* Sets path ("a.b" or "licences.N.key") in body to a string. */
static void set_path(json_t *body, const char *path, const char *value)
{
    if (str_starts(path, "holder.")) {
        json_object_set_new(json_object_get(body, "holder"), path + 7, json_string(value));
    } else if (str_starts(path, "licences.")) {
        size_t i = (size_t)(path[9] - '0');
        json_t *arr = json_object_get(body, "licences");
        while (json_array_size(arr) <= i)
            json_array_append_new(arr, json_object());
        json_object_set_new(json_array_get(arr, i), path + 11, json_string(value));
    } else {
        json_object_set_new(body, path, json_string(value));
    }
}

/* The column of a validation error's field ("holder.name", "licences[1].number", "licences"). */
static const upcol *col_of_field(const char *field)
{
    char path[96];
    if (str_starts(field, "licences[") && field[9] >= '0' && field[9] <= '9' && field[10] == ']' &&
        field[11] == '.') {
        snprintf(path, sizeof path, "licences.%c.%s", field[9], field + 12);
    } else if (!strcmp(field, "licences")) {
        str_copy(path, sizeof path, "licences.0.type");
    } else if (str_starts(field, "licences[") && field[9] >= '0' && field[9] <= '9') {
        snprintf(path, sizeof path, "licences.%c.type", field[9]);
    } else {
        str_copy(path, sizeof path, field);
    }
    for (size_t k = 0; k < NCOLS; k++)
        if (!strcmp(COLS[k].path, path))
            return &COLS[k];
    return NULL;
}

/* One checked row: its body (NULL when rejected) and its errors. */
typedef struct row_out {
    int line;
    json_t *body;
} row_out;

typedef struct upload {
    req *r;
    const sheet *sh;
    int colidx[NCOLS]; /* header position of each column, -1 when absent */
    row_out *rows;
    size_t nrows;
    size_t rejected;
    nbuf report;  /* CSV: 行,列,コード,内容,値 */
    json_t *errs; /* the first UPLOAD_ERRORS_OUT errors */
    size_t nerrs;
    bool dry;
    const char *filename;
    int64_t upload_id;
    size_t accepted;
} upload;

static int add_error(upload *u, int line, const char *column, const char *code, const char *msg,
                     const char *value)
{
    if (u->nerrs++ < UPLOAD_ERRORS_OUT)
        json_array_append_new(u->errs,
                              json_pack("{s:i,s:s,s:s,s:s}", "row", line, "column",
                                        column ? column : "", "code", code, "message", msg));
    int bad = csv_field_i64(&u->report, line, true);
    bad |= csv_field(&u->report, column ? column : "", false);
    bad |= csv_field(&u->report, code, false);
    bad |= csv_field(&u->report, msg, false);
    bad |= csv_field(&u->report, value ? value : "", false);
    bad |= csv_row_end(&u->report);
    return bad ? -1 : 0;
}

static const char *cell_of(const upload *u, const sheet_row *row, const upcol *c, unsigned *flags)
{
    int k = u->colidx[c - COLS];
    *flags = 0;
    if (k < 0 || (size_t)k >= row->ncells)
        return "";
    *flags = row->cells[k].flags;
    return row->cells[k].text;
}

/* Builds and checks row i; on success rows[i].body is set. Returns -1 when the report is full. */
static int check_row(upload *u, const names *nm, const sheet_row *row, const char *today,
                     json_t *seen)
{
    row_out *o = &u->rows[u->nrows++];
    o->line = row->line;
    o->body = NULL;
    json_t *body = json_pack("{s:{},s:[]}", "holder", "licences");
    bool bad = false;
    bool formula[NCOLS] = {false}; /* columns already reported as formulas */
    for (size_t k = 0; k < NCOLS; k++) {
        unsigned flags;
        const char *v = cell_of(u, row, &COLS[k], &flags);
        char code[96];
        if ((flags & SHEET_CELL_FORMULA) || formula_like(v)) {
            snprintf(code, sizeof code, "%s.formula", COLS[k].path);
            if (add_error(u, row->line, COLS[k].header, code,
                          "数式として扱われる値（=、+、-、@ で始まる値や数式のセル）は登録"
                          "できません",
                          v) != 0)
                return -1;
            bad = formula[k] = true;
            continue;
        }
        if (!*v)
            continue;
        char buf[UPLOAD_MAX_CELL + 1];
        const char *val = v;
        if (COLS[k].kind == CELL_DATE) {
            norm_date(v, buf, sizeof buf);
            val = buf;
        } else if (COLS[k].kind == CELL_PREF || COLS[k].kind == CELL_LICENCE) {
            const char *c = name_to_code(COLS[k].kind == CELL_PREF ? nm->prefs : nm->lics, v);
            val = c ? c : v;
        } else if (COLS[k].kind == CELL_CODE) {
            const char *c = code_label_code(COLS[k].codes, v);
            val = c ? c : v;
        }
        set_path(body, COLS[k].path, val);
    }
    verrs e = {.n = 0};
    notif_check(body, NOTIF_FILE_PROXY, today, &e);
    for (int i = 0; i < e.n; i++) {
        const upcol *c = col_of_field(e.items[i].field);
        unsigned flags;
        if (c && formula[c - COLS])
            continue;
        if (add_error(u, row->line, c ? c->header : e.items[i].field, e.items[i].code,
                      e.items[i].message, c ? cell_of(u, row, c, &flags) : "") != 0)
            return -1;
        bad = true;
    }
    /* The same licence twice in one file: the later row is rejected. */
    json_t *lics = json_object_get(body, "licences");
    for (size_t i = 0; !bad && i < json_array_size(lics); i++) {
        json_t *l = json_array_get(lics, i);
        char key[64];
        snprintf(key, sizeof key, "%s:%s", json_string_value(json_object_get(l, "type")),
                 json_string_value(json_object_get(l, "number")));
        if (json_object_get(seen, key)) {
            char field[32];
            snprintf(field, sizeof field, "licences[%zu].number", i);
            const upcol *c = col_of_field(field);
            unsigned flags;
            if (add_error(u, row->line, c->header, "licences.duplicate",
                          "同じ免許（種別と籍登録番号）がこのファイルの前の行にあります",
                          cell_of(u, row, c, &flags)) != 0)
                return -1;
            bad = true;
        }
    }
    for (size_t i = 0; !bad && i < json_array_size(lics); i++) {
        json_t *l = json_array_get(lics, i);
        char key[64];
        snprintf(key, sizeof key, "%s:%s", json_string_value(json_object_get(l, "type")),
                 json_string_value(json_object_get(l, "number")));
        json_object_set_new(seen, key, json_true());
    }
    if (bad) {
        u->rejected++;
        json_decref(body);
    } else {
        o->body = body;
    }
    return 0;
}

/* Writes the accepted rows, the upload row and its report. Rows whose address belongs to an
 * account that cannot hold notifications are rejected here (nothing of them is written). */
static int upload_tx(db *d, void *arg)
{
    upload *u = arg;
    req *r = u->r;
    int64_t now = time_now();
    size_t report_len = u->report.len, nerrs = u->nerrs, rejected = u->rejected;
    json_t *errs = json_deep_copy(u->errs);
    u->accepted = 0;
    db_val p[] = {DBI(r->subject.id),
                  DBI(r->actor.id),
                  DBT(u->filename),
                  DBT(u->sh->format == SHEET_XLSX       ? "xlsx"
                      : u->sh->format == SHEET_CSV_SJIS ? "csv_sjis"
                                                        : "csv_utf8"),
                  DBI((int64_t)u->nrows),
                  DBI(now)};
    int rc = db_scalar(d,
                       "INSERT INTO notification_uploads (facility_id, uploaded_by, filename, "
                       "format, rows_total, rows_accepted, rows_rejected, report, created_at) "
                       "VALUES ($1, $2, $3, $4, $5, 0, 0, '', $6) RETURNING id",
                       p, 6, &u->upload_id);
    for (size_t i = 0; rc == DB_OK && i < u->nrows; i++) {
        row_out *o = &u->rows[i];
        if (!o->body)
            continue;
        const char *pref = notif_route(o->body);
        int64_t uid = 0, nid = 0;
        bool existing = false;
        rc = notif_holder(d, o->body, pref, "notification", NULL, "proxy.invalid", &uid, &existing);
        if (rc == NOTIF_HOLDER_REFUSED) {
            const json_t *h = json_object_get(o->body, "holder");
            u->rejected++;
            rc = add_error(
                     u, o->line, "メールアドレス", "holder.email.invalid",
                     "このメールアドレスは看護職の届出に使えません（職員・施設のアカウント等）",
                     json_string_value(json_object_get(h, "email"))) == 0
                     ? DB_OK
                     : DB_ERROR;
            continue;
        }
        notif_new n = {.user_id = uid,
                       .prefecture = pref,
                       .channel = "proxy",
                       .facility_id = r->subject.id,
                       .upload_id = u->upload_id,
                       .filed_by = r->actor.id,
                       .body = o->body};
        if (rc == DB_OK)
            rc = store_notif_insert(d, &n, now, &nid);
        if (rc == DB_OK) {
            const json_t *h = json_object_get(o->body, "holder");
            rc = notif_mail_confirm(d, nid, json_string_value(json_object_get(h, "email")),
                                    json_string_value(json_object_get(h, "name")),
                                    "以前お勤めの施設が、あなたの代わりにナースセンターへの届出"
                                    "（施設代行届出）を行いました。");
        }
        if (rc == DB_OK)
            u->accepted++;
    }
    if (rc == DB_OK) {
        db_val q[] = {DBI(u->upload_id), DBI((int64_t)u->accepted), DBI((int64_t)u->rejected),
                      DBT(u->report.data ? u->report.data : "")};
        rc = db_query(d,
                      "UPDATE notification_uploads SET rows_accepted = $2, rows_rejected = $3, "
                      "report = $4 WHERE id = $1",
                      q, 4, NULL);
    }
    if (rc != DB_OK) { /* a rerun starts from the errors found before the transaction */
        u->report.len = report_len;
        if (u->report.data)
            u->report.data[report_len] = '\0';
        u->nerrs = nerrs;
        u->rejected = rejected;
        json_decref(u->errs);
        u->errs = errs;
    } else {
        json_decref(errs);
    }
    return rc;
}

static void upload_free(upload *u)
{
    for (size_t i = 0; u->rows && i < u->nrows; i++)
        json_decref(u->rows[i].body);
    free(u->rows);
    nbuf_free(&u->report);
    json_decref(u->errs);
}

/* Finds the columns in the header row; replies 422 upload.columns when a required one is
 * missing. */
static bool map_header(upload *u)
{
    const sheet_row *h = &u->sh->rows[0];
    char missing[512] = "";
    const char *first = NULL;
    for (size_t k = 0; k < NCOLS; k++) {
        u->colidx[k] = -1;
        for (size_t c = 0; c < h->ncells; c++) {
            char *t = text_nfkc(h->cells[c].text);
            bool eq = t && !strcmp(t, COLS[k].header);
            bool eq_raw = !strcmp(h->cells[c].text, COLS[k].header);
            free(t);
            if (eq || eq_raw) {
                u->colidx[k] = (int)c;
                break;
            }
        }
        if (u->colidx[k] < 0 && COLS[k].required) {
            if (!first)
                first = COLS[k].header;
            size_t n = strlen(missing);
            snprintf(missing + n, sizeof missing - n, "%s「%s」", n ? "、" : "", COLS[k].header);
        }
    }
    if (!first)
        return true;
    char msg[700];
    snprintf(msg, sizeof msg, "必要な列がありません: %s。1行目に見出しを入れてください。", missing);
    err_def d = {422, "upload.columns", msg};
    reply_error_def(u->r, &d, first);
    return false;
}

static json_t *upload_json(const upload *u, int64_t created_at)
{
    json_t *o = json_pack("{s:s,s:s,s:I,s:I,s:I,s:O}", "filename", u->filename, "format",
                          u->sh->format == SHEET_XLSX       ? "xlsx"
                          : u->sh->format == SHEET_CSV_SJIS ? "csv_sjis"
                                                            : "csv_utf8",
                          "rows", (json_int_t)u->nrows, "accepted",
                          (json_int_t)(u->dry ? u->nrows - u->rejected : u->accepted), "rejected",
                          (json_int_t)u->rejected, "errors", u->errs);
    if (!u->dry)
        json_object_set_new(o, "id", json_integer(u->upload_id));
    json_object_set_new(o, "created_at", json_integer(created_at));
    return o;
}

void h_notification_upload(req *r)
{
    int64_t dry;
    if (api_query_int(r, "dry_run", 0, 0, 1, &dry) != 0)
        return;
    char *fname = api_query_text(r, "filename");
    if (!fname)
        return;
    sheet sh;
    char detail[160];
    sheet_rc src = sheet_read(r->body.data ? r->body.data : "", r->body.len, UPLOAD_MAX_ROWS,
                              UPLOAD_MAX_COLS, UPLOAD_MAX_CELL, &sh, detail, sizeof detail);
    if (src != SHEET_OK) {
        free(fname);
        if (src == SHEET_NOMEM) {
            reply_error(r, E_INTERNAL, NULL);
            return;
        }
        log_info("upload refused: %s (%s)", sheet_rc_name(src), detail);
        reply_error_def(r,
                        src == SHEET_EMPTY           ? &ERR_EMPTY
                        : src == SHEET_ENCODING      ? &ERR_ENCODING
                        : src == SHEET_TOO_MANY_ROWS ? &ERR_ROWS
                        : src == SHEET_TOO_LARGE     ? &ERR_LARGE
                                                     : &ERR_FORMAT,
                        NULL);
        return;
    }
    upload u = {.r = r, .sh = &sh, .dry = dry == 1, .filename = *fname ? fname : "upload"};
    nbuf_init(&u.report, (size_t)32 << 20);
    u.errs = json_array();
    if (sh.nrows < 2) {
        reply_error_def(r, &ERR_EMPTY, NULL);
        goto out;
    }
    if (!map_header(&u))
        goto out;
    u.rows = calloc(sh.nrows, sizeof *u.rows);
    names nm = {NULL, NULL};
    int rc = u.rows ? DB_OK : DB_ERROR;
    if (rc == DB_OK)
        rc = db_query(r->db, "SELECT code, name FROM prefectures", NULL, 0, &nm.prefs);
    if (rc == DB_OK)
        rc = db_query(r->db, "SELECT code, name FROM code_lists WHERE list = 'licence_types'", NULL,
                      0, &nm.lics);
    int bad = csv_bom(&u.report);
    for (int k = 0; !bad && k < 5; k++)
        bad |=
            csv_field(&u.report, (const char *[]){"行", "列", "コード", "内容", "値"}[k], k == 0);
    bad |= csv_row_end(&u.report);
    char today[11];
    time_jst_date(time_now(), today, sizeof today);
    json_t *seen = json_object();
    for (size_t i = 1; rc == DB_OK && !bad && i < sh.nrows; i++)
        bad = check_row(&u, &nm, &sh.rows[i], today, seen);
    json_decref(seen);
    db_res_free(nm.prefs);
    db_res_free(nm.lics);
    if (rc != DB_OK || bad) {
        api_dberr(r, "upload check");
        goto out;
    }
    if (u.dry) {
        reply_json(r, 200, json_pack("{s:o}", "upload", upload_json(&u, time_now())));
        goto out;
    }
    int64_t now = time_now();
    if (db_tx(r->db, upload_tx, &u) != DB_OK) {
        api_dberr(r, "upload");
        goto out;
    }
    reply_json(r, 201, json_pack("{s:o}", "upload", upload_json(&u, now)));
out:
    upload_free(&u);
    sheet_free(&sh);
    free(fname);
}

void h_notification_uploads(req *r)
{
    db_val p[] = {DBI(r->subject.id), DBI(UPLOAD_LIST_MAX)};
    db_res *res = NULL;
    if (db_query(r->db,
                 "SELECT id, filename, format, rows_total, rows_accepted, rows_rejected, "
                 "created_at FROM notification_uploads WHERE facility_id = $1 ORDER BY id DESC "
                 "LIMIT $2",
                 p, 2, &res) != DB_OK) {
        api_dberr(r, "uploads");
        return;
    }
    json_t *items = json_array();
    for (int i = 0; i < res->nrows; i++)
        json_array_append_new(items, json_pack("{s:I,s:o,s:o,s:I,s:I,s:I,s:I}", "id",
                                               (json_int_t)db_int(res, i, 0), "filename",
                                               dbj_text(res, i, 1), "format", dbj_text(res, i, 2),
                                               "rows", (json_int_t)db_int(res, i, 3), "accepted",
                                               (json_int_t)db_int(res, i, 4), "rejected",
                                               (json_int_t)db_int(res, i, 5), "created_at",
                                               (json_int_t)db_int(res, i, 6)));
    db_res_free(res);
    reply_json(r, 200, json_pack("{s:o}", "items", items));
}

void h_notification_upload_report(req *r)
{
    int64_t uid;
    if (req_param_id(r, 1, &uid) != 0)
        return;
    db_val p[] = {DBI(uid), DBI(r->subject.id)};
    db_res *res = NULL;
    if (db_query(r->db,
                 "SELECT report FROM notification_uploads WHERE id = $1 AND facility_id = $2", p, 2,
                 &res) != DB_OK) {
        api_dberr(r, "upload report");
        return;
    }
    if (res->nrows == 0) {
        db_res_free(res);
        reply_error(r, E_NOT_FOUND, NULL);
        return;
    }
    nbuf b;
    nbuf_init(&b, (size_t)64 << 20);
    int bad = nbuf_puts(&b, db_text(res, 0, 0));
    db_res_free(res);
    if (bad) {
        nbuf_free(&b);
        reply_error(r, E_INTERNAL, NULL);
        return;
    }
    char fn[64];
    snprintf(fn, sizeof fn, "upload-%lld-report.csv", (long long)uid);
    api_reply_csv(r, &b, fn);
}
