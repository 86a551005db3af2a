/* All-tables workbooks and ZIPs, and the published-offers workbook. See bundle.h. */
#include "report/bundle.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

int rt_tmpfile(char *path, size_t cap, const char *suffix)
{
    const char *dir = getenv("TMPDIR");
    int n = snprintf(path, cap, "%s/nccs-report-XXXXXX%s", dir && *dir ? dir : "/tmp", suffix);
    if (n < 0 || (size_t)n >= cap)
        return -1;
    int fd = mkstemps(path, (int)strlen(suffix));
    if (fd < 0)
        return -1;
    close(fd);
    return 0;
}

int rt_bundle_defs(const rt_params *p, bool personal_ok, const rt_def **out, int cap)
{
    int n = 0;
    for (const rt_def *d = RT_DEFS; d->name && n < cap; d++) {
        if (d->flags & RTF_CAMPAIGN)
            continue;
        if ((d->flags & RTF_NATIONAL_ONLY) && p->pref[0])
            continue;
        if ((d->flags & RTF_PREF_REQUIRED) && !p->pref[0])
            continue;
        if ((d->flags & RTF_PERSONAL) && !personal_ok)
            continue;
        out[n++] = d;
    }
    return n;
}

/* Writes the CSV files of tables into a new ZIP at path. Returns 0 or -1 with err. */
static int write_zip(const rtable *tables, int n, const char *path, char *err, size_t errcap)
{
    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    if (!z) {
        str_copy(err, errcap, "cannot create the zip file");
        return -1;
    }
    for (int k = 0; k < n; k++) {
        nbuf b;
        nbuf_init(&b, RT_FILE_CAP);
        if (rt_csv(&tables[k], &b, true) != 0) {
            nbuf_free(&b);
            zip_discard(z);
            str_copy(err, errcap, "table too large");
            return -1;
        }
        size_t len = b.len;
        char *data = nbuf_take(&b);
        zip_source_t *src = zip_source_buffer(z, data ? data : "", len, data ? 1 : 0);
        char name[64];
        snprintf(name, sizeof name, "%02d_%s.csv", k + 1, tables[k].name);
        if (!src || zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8) < 0) {
            if (src)
                zip_source_free(src);
            else
                free(data);
            zip_discard(z);
            str_copy(err, errcap, "cannot add to the zip file");
            return -1;
        }
    }
    if (zip_close(z) != 0) {
        str_copy(err, errcap, zip_strerror(z));
        zip_discard(z);
        return -1;
    }
    return 0;
}

/* Reads the file at path into *data / *len and removes it (also on failure). 0 or -1. */
static int take_file(const char *path, char **data, size_t *len, char *err, size_t errcap)
{
    *data = rt_slurp(path, RT_FILE_CAP, len);
    unlink(path);
    if (!*data) {
        str_copy(err, errcap, "cannot read the file back");
        return -1;
    }
    return 0;
}

int rt_render(const rtable *tables, int n, const char *format, char **data, size_t *len, char *err,
              size_t errcap)
{
    *data = NULL;
    *len = 0;
    char path[512];
    bool is_zip = !strcmp(format, "zip");
    if (rt_tmpfile(path, sizeof path, is_zip ? ".zip" : ".xlsx") != 0) {
        str_copy(err, errcap, "cannot create a temporary file");
        return -1;
    }
    int w = is_zip ? write_zip(tables, n, path, err, errcap)
                   : rt_xlsx_write(tables, n, path, err, errcap);
    if (w != 0) {
        unlink(path);
        return -1;
    }
    return take_file(path, data, len, err, errcap);
}

int rt_bundle(db *d, const rt_params *p, const rt_def *const *defs, int n, const char *format,
              rt_progress_fn progress, void *arg, char **data, size_t *len, char *err,
              size_t errcap)
{
    *data = NULL;
    *len = 0;
    rtable *tables = calloc((size_t)(n > 0 ? n : 1), sizeof *tables);
    int rc = tables ? DB_OK : DB_ERROR, built = 0;
    rt_memo_begin();
    for (int k = 0; k < n && rc == DB_OK; k++, built++) {
        rc = rt_build(d, defs[k], p, &tables[k]);
        if (rc == DB_OK && progress)
            progress(arg, k + 1, n);
    }
    rt_memo_end();
    if (rc != DB_OK)
        str_copy(err, errcap, "building a table failed");
    else if (rt_render(tables, n, format, data, len, err, errcap) != 0)
        rc = DB_ERROR;
    for (int k = 0; k < built; k++)
        rt_free(&tables[k]);
    free(tables);
    return rc;
}

/* ---- published offers ---------------------------------------------------------------------- */

int rt_offers_xlsx(db *d, const char *pref, char **data, size_t *len, char *err, size_t errcap)
{
    *data = NULL;
    *len = 0;
    char path[512];
    if (rt_tmpfile(path, sizeof path, ".xlsx") != 0) {
        str_copy(err, errcap, "cannot create a temporary file");
        return DB_ERROR;
    }
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = 0};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "公開中の求人票") : NULL;
    if (!ws) {
        if (wb)
            workbook_close(wb);
        unlink(path);
        str_copy(err, errcap, "cannot create the workbook");
        return DB_ERROR;
    }
    lxw_format *head = workbook_add_format(wb);
    format_set_bold(head);
    format_set_bg_color(head, 0xDDEBF7);
    lxw_format *num = workbook_add_format(wb);
    format_set_num_format(num, "#,##0");
    static const char *const HEAD[] = {"求人番号",     "施設名", "都道府県", "市区町村",
                                       "施設種別",     "職種",   "雇用形態", "賃金区分",
                                       "賃金（下限）", "求人数", "公開日",   "有効期限"};
    enum { NH = sizeof HEAD / sizeof HEAD[0] };
    for (int c = 0; c < NH; c++) {
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, c == 1 || c == 5 ? 30 : 12, NULL);
        worksheet_write_string(ws, 0, (lxw_col_t)c, HEAD[c], head);
    }
    int rc = DB_OK;
    int64_t after = 0;
    lxw_row_t row = 1;
    db_val pv = pref && *pref ? DBT(pref) : DBNULL;
    for (;;) {
        db_val p[] = {DBI(after), pv, DBI(5000)};
        db_res *r = NULL;
        rc = db_query(d,
                      "SELECT o.id, o.offer_no, f.name, pr.name, COALESCE(m.name, ''), cl.name, "
                      "o.title, o.employment_form, o.wage_type, o.wage_min, o.positions, "
                      "o.published_at, o.valid_until FROM offers o JOIN facilities f ON f.id = "
                      "o.facility_id JOIN prefectures pr ON pr.code = o.prefecture_code LEFT JOIN "
                      "municipalities m ON m.code = o.municipality_code LEFT JOIN code_lists cl "
                      "ON cl.list = 'facility_types' AND cl.code = f.facility_type WHERE "
                      "o.status = 'published' AND o.id > $1 AND (o.prefecture_code = $2 OR $2 IS "
                      "NULL) ORDER BY o.id LIMIT $3",
                      p, 3, &r);
        if (rc != DB_OK) {
            db_res_free(r);
            str_copy(err, errcap, "reading offers failed");
            break;
        }
        for (int i = 0; i < r->nrows; i++, row++) {
            after = db_int(r, i, 0);
            for (int c = 1; c <= 6; c++)
                if (db_text(r, i, c))
                    worksheet_write_string(ws, row, (lxw_col_t)(c - 1), db_text(r, i, c), NULL);
            const char *ef = db_text(r, i, 7), *wt = db_text(r, i, 8);
            const char *emp = rt_employment_label(ef);
            worksheet_write_string(ws, row, 6, emp ? emp : "", NULL);
            worksheet_write_string(ws, row, 7, rt_wage_label(wt), NULL);
            if (!db_isnull(r, i, 9))
                worksheet_write_number(ws, row, 8, (double)db_int(r, i, 9), num);
            if (!db_isnull(r, i, 10))
                worksheet_write_number(ws, row, 9, (double)db_int(r, i, 10), num);
            if (!db_isnull(r, i, 11)) {
                char day[11];
                time_jst_date(db_int(r, i, 11), day, sizeof day);
                worksheet_write_string(ws, row, 10, day, NULL);
            }
            if (db_text(r, i, 12))
                worksheet_write_string(ws, row, 11, db_text(r, i, 12), NULL);
        }
        int got = r->nrows;
        db_res_free(r);
        if (got < 5000)
            break;
    }
    lxw_error e = workbook_close(wb);
    if (rc == DB_OK && e != LXW_NO_ERROR) {
        str_copy(err, errcap, lxw_strerror(e));
        rc = DB_ERROR;
    }
    if (rc == DB_OK && take_file(path, data, len, err, errcap) != 0)
        rc = DB_ERROR;
    else if (rc != DB_OK)
        unlink(path);
    return rc;
}
