/* Report tables: building, JSON, CSV and XLSX output. See table.h. */
#include "report/table.h"
#include "report/csv.h"
#include "util/str.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

void rt_init(rtable *t, const char *name, const char *title, const char *sheet)
{
    memset(t, 0, sizeof *t);
    str_copy(t->name, sizeof t->name, name);
    str_copy(t->title, sizeof t->title, title);
    str_copy(t->sheet, sizeof t->sheet, sheet);
}

void rt_free(rtable *t)
{
    if (!t->cells)
        return;
    for (int i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i].s);
    free(t->cells);
    t->cells = NULL;
    t->nrows = t->caprows = 0;
}

int rt_column(rtable *t, const char *key, const char *label, const char *group, rt_type type)
{
    if (t->ncols >= RT_MAX_COLS || t->nrows > 0)
        return -1;
    rt_col *c = &t->cols[t->ncols];
    str_copy(c->key, sizeof c->key, key);
    str_copy(c->label, sizeof c->label, label);
    str_copy(c->group, sizeof c->group, group ? group : "");
    c->type = type;
    return t->ncols++;
}

int rt_row(rtable *t)
{
    if (t->nrows >= RT_MAX_ROWS || t->ncols == 0)
        return -1;
    if (t->nrows == t->caprows) {
        int cap = t->caprows ? t->caprows * 2 : 16;
        if (cap > RT_MAX_ROWS)
            cap = RT_MAX_ROWS;
        rt_cell *n = realloc(t->cells, (size_t)cap * (size_t)t->ncols * sizeof *n);
        if (!n)
            return -1;
        t->cells = n;
        t->caprows = cap;
    }
    memset(&t->cells[(size_t)t->nrows * (size_t)t->ncols], 0, (size_t)t->ncols * sizeof(rt_cell));
    return t->nrows++;
}

int rt_row_label(rtable *t, const char *label)
{
    int r = rt_row(t);
    if (r >= 0 && rt_set_text(t, r, 0, label) != 0)
        return -1;
    return r;
}

/* A cell outside the table is never written: the setters write this scratch cell instead (per
 * thread), so a wrong index is a wrong figure in a test, not memory corruption. */
static _Thread_local rt_cell g_outside;

rt_cell *rt_at(rtable *t, int row, int col)
{
    if (row < 0 || row >= t->nrows || col < 0 || col >= t->ncols) {
        memset(&g_outside, 0, sizeof g_outside);
        return &g_outside;
    }
    return &t->cells[(size_t)row * (size_t)t->ncols + (size_t)col];
}

void rt_set_int(rtable *t, int row, int col, int64_t v)
{
    rt_cell *c = rt_at(t, row, col);
    c->set = true;
    c->real = false;
    c->i = v;
    c->d = (double)v;
}

void rt_add_int(rtable *t, int row, int col, int64_t v)
{
    rt_cell *c = rt_at(t, row, col);
    rt_set_int(t, row, col, (c->set ? c->i : 0) + v);
}

void rt_set_real(rtable *t, int row, int col, double v)
{
    rt_cell *c = rt_at(t, row, col);
    c->set = isfinite(v);
    c->real = true;
    c->d = v;
    c->i = (int64_t)v;
}

void rt_set_ratio(rtable *t, int row, int col, int64_t num, int64_t den)
{
    if (den != 0)
        rt_set_real(t, row, col, (double)num / (double)den);
}

int rt_set_text(rtable *t, int row, int col, const char *s)
{
    if (row < 0 || row >= t->nrows || col < 0 || col >= t->ncols)
        return -1;
    rt_cell *c = rt_at(t, row, col);
    free(c->s);
    c->s = NULL;
    c->set = false;
    if (!s)
        return 0;
    c->s = strdup(s);
    if (!c->s)
        return -1;
    c->set = true;
    return 0;
}

void rt_chart(rtable *t, const char *type, const char *const *keys)
{
    t->chart = type;
    t->nseries = 0;
    for (int k = 0; keys && keys[k] && t->nseries < RT_MAX_SERIES; k++)
        str_copy(t->series[t->nseries++], sizeof t->series[0], keys[k]);
}

static const char *type_name(rt_type ty)
{
    switch (ty) {
    case RT_INT:
        return "int";
    case RT_REAL:
        return "real";
    case RT_PCT:
        return "percent";
    default:
        return "text";
    }
}

/* Reals are rounded to 2 decimals (ratios to 4) for the JSON and CSV readers. */
static double rounded(double v, int places)
{
    double f = places == 4 ? 10000.0 : 100.0;
    return round(v * f) / f;
}

json_t *rt_json(const rtable *t)
{
    json_t *cols = json_array();
    for (int c = 0; c < t->ncols; c++)
        json_array_append_new(cols, json_pack("{s:s, s:s, s:s, s:s}", "key", t->cols[c].key,
                                              "label", t->cols[c].label, "group", t->cols[c].group,
                                              "type", type_name(t->cols[c].type)));
    json_t *rows = json_array();
    for (int r = 0; r < t->nrows; r++) {
        json_t *row = json_array();
        for (int c = 0; c < t->ncols; c++) {
            const rt_cell *x = &t->cells[(size_t)r * (size_t)t->ncols + (size_t)c];
            json_t *v;
            if (!x->set)
                v = json_null();
            else if (t->cols[c].type == RT_TEXT)
                v = json_string(x->s ? x->s : "");
            else if (t->cols[c].type == RT_INT && !x->real)
                v = json_integer(x->i);
            else
                v = json_real(rounded(x->d, t->cols[c].type == RT_PCT ? 4 : 2));
            json_array_append_new(row, v ? v : json_null());
        }
        json_array_append_new(rows, row);
    }
    json_t *chart = json_null();
    if (t->chart) {
        json_t *series = json_array();
        for (int k = 0; k < t->nseries; k++)
            json_array_append_new(series, json_string(t->series[k]));
        chart = json_pack("{s:s, s:o}", "type", t->chart, "series", series);
    }
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:i, s:o}", "name", t->name, "title",
                     t->title, "scope", t->scope, "period", t->period, "note", t->note, "columns",
                     cols, "rows", rows, "foot", t->foot, "chart", chart);
}

int rt_csv(const rtable *t, nbuf *b, bool with_bom)
{
    int bad = with_bom ? csv_bom(b) : 0;
    for (int c = 0; c < t->ncols && !bad; c++) {
        char head[192];
        if (t->cols[c].group[0])
            snprintf(head, sizeof head, "%s・%s", t->cols[c].group, t->cols[c].label);
        else
            str_copy(head, sizeof head, t->cols[c].label);
        bad |= csv_field(b, head, c == 0);
    }
    bad |= csv_row_end(b);
    for (int r = 0; r < t->nrows && !bad; r++) {
        for (int c = 0; c < t->ncols && !bad; c++) {
            const rt_cell *x = &t->cells[(size_t)r * (size_t)t->ncols + (size_t)c];
            if (!x->set) {
                bad |= csv_field(b, NULL, c == 0);
            } else if (t->cols[c].type == RT_TEXT) {
                bad |= csv_field(b, x->s, c == 0);
            } else if (t->cols[c].type == RT_INT && !x->real) {
                bad |= csv_field_i64(b, (long long)x->i, c == 0);
            } else {
                /* a number is never formula-like; written without the apostrophe */
                char num[64];
                if (t->cols[c].type == RT_PCT)
                    snprintf(num, sizeof num, "%.1f%%", rounded(x->d * 100.0, 2));
                else
                    snprintf(num, sizeof num, "%.2f", rounded(x->d, 2));
                bad |= (c ? nbuf_puts(b, ",") : 0) | nbuf_puts(b, num);
            }
        }
        bad |= csv_row_end(b);
    }
    return bad ? -1 : 0;
}

/* ---- XLSX ---------------------------------------------------------------------------------- */

/* Writes text s, cut at a UTF-8 boundary below Excel's 32,767-character cell limit. */
static void write_text(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s, lxw_format *f)
{
    enum { CAP = 32000 };
    size_t n = strlen(s);
    if (n < CAP) {
        worksheet_write_string(ws, r, c, s, f);
        return;
    }
    n = CAP - 1;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    char *cut = malloc(n + 1);
    if (!cut)
        return;
    memcpy(cut, s, n);
    cut[n] = '\0';
    worksheet_write_string(ws, r, c, cut, f);
    free(cut);
}

typedef struct xfmt {
    lxw_format *title, *head, *text, *num, *real, *pct, *foot_text, *foot_num, *foot_real;
} xfmt;

static void sheet_write(lxw_workbook *wb, lxw_worksheet *ws, const rtable *t, const xfmt *f)
{
    (void)wb;
    worksheet_write_string(ws, 0, 0, t->title, f->title);
    char line[192];
    snprintf(line, sizeof line, "%s　%s", t->scope, t->period);
    worksheet_write_string(ws, 1, 0, line, NULL);
    if (t->note[0])
        worksheet_write_string(ws, 2, 0, t->note, NULL);
    bool groups = false;
    for (int c = 0; c < t->ncols; c++)
        groups |= t->cols[c].group[0] != '\0';
    lxw_row_t head = groups ? 4 : 3;
    for (int c = 0; c < t->ncols; c++) {
        if (groups)
            worksheet_write_string(ws, 3, (lxw_col_t)c, t->cols[c].group, f->head);
        worksheet_write_string(ws, head, (lxw_col_t)c, t->cols[c].label, f->head);
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, t->cols[c].type == RT_TEXT ? 18 : 12,
                             NULL);
    }
    worksheet_freeze_panes(ws, head + 1, 1);
    for (int r = 0; r < t->nrows; r++) {
        bool foot = r >= t->nrows - t->foot;
        lxw_row_t xr = head + 1 + (lxw_row_t)r;
        for (int c = 0; c < t->ncols; c++) {
            const rt_cell *x = &t->cells[(size_t)r * (size_t)t->ncols + (size_t)c];
            if (!x->set)
                continue;
            switch (t->cols[c].type) {
            case RT_TEXT:
                write_text(ws, xr, (lxw_col_t)c, x->s, foot ? f->foot_text : f->text);
                break;
            case RT_INT:
                if (x->real)
                    worksheet_write_number(ws, xr, (lxw_col_t)c, x->d,
                                           foot ? f->foot_real : f->real);
                else
                    worksheet_write_number(ws, xr, (lxw_col_t)c, (double)x->i,
                                           foot ? f->foot_num : f->num);
                break;
            case RT_REAL:
                worksheet_write_number(ws, xr, (lxw_col_t)c, x->d, foot ? f->foot_real : f->real);
                break;
            case RT_PCT:
                worksheet_write_number(ws, xr, (lxw_col_t)c, x->d, f->pct);
                break;
            }
        }
    }
}

int rt_xlsx_write(const rtable *tables, int n, const char *path, char *err, size_t errcap)
{
    lxw_workbook_options opt = {.constant_memory = 0, .tmpdir = NULL, .use_zip64 = 0};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    if (!wb) {
        str_copy(err, errcap, "cannot create the workbook");
        return -1;
    }
    xfmt f;
    f.title = workbook_add_format(wb);
    format_set_bold(f.title);
    format_set_font_size(f.title, 13);
    f.head = workbook_add_format(wb);
    format_set_bold(f.head);
    format_set_bg_color(f.head, 0xDDEBF7);
    format_set_border(f.head, LXW_BORDER_THIN);
    format_set_text_wrap(f.head);
    f.text = workbook_add_format(wb);
    format_set_border(f.text, LXW_BORDER_THIN);
    f.num = workbook_add_format(wb);
    format_set_num_format(f.num, "#,##0");
    format_set_border(f.num, LXW_BORDER_THIN);
    f.real = workbook_add_format(wb);
    format_set_num_format(f.real, "#,##0.00");
    format_set_border(f.real, LXW_BORDER_THIN);
    f.pct = workbook_add_format(wb);
    format_set_num_format(f.pct, "0.0%");
    format_set_border(f.pct, LXW_BORDER_THIN);
    f.foot_text = workbook_add_format(wb);
    format_set_bold(f.foot_text);
    format_set_border(f.foot_text, LXW_BORDER_THIN);
    f.foot_num = workbook_add_format(wb);
    format_set_bold(f.foot_num);
    format_set_num_format(f.foot_num, "#,##0");
    format_set_border(f.foot_num, LXW_BORDER_THIN);
    f.foot_real = workbook_add_format(wb);
    format_set_bold(f.foot_real);
    format_set_num_format(f.foot_real, "#,##0.00");
    format_set_border(f.foot_real, LXW_BORDER_THIN);
    for (int k = 0; k < n; k++) {
        lxw_worksheet *ws = workbook_add_worksheet(wb, tables[k].sheet[0] ? tables[k].sheet : NULL);
        if (!ws) {
            workbook_close(wb);
            str_copy(err, errcap, "cannot add a worksheet");
            return -1;
        }
        sheet_write(wb, ws, &tables[k], &f);
    }
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR) {
        str_copy(err, errcap, lxw_strerror(e));
        return -1;
    }
    return 0;
}

char *rt_slurp(const char *path, size_t cap, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    nbuf b;
    nbuf_init(&b, cap);
    char chunk[65536];
    size_t got;
    int bad = 0;
    while (!bad && (got = fread(chunk, 1, sizeof chunk, fp)) > 0)
        bad = nbuf_append(&b, chunk, got);
    bad |= ferror(fp);
    fclose(fp);
    if (bad) {
        nbuf_free(&b);
        return NULL;
    }
    *len = b.len;
    if (!b.data)
        return calloc(1, 1);
    return nbuf_take(&b);
}
