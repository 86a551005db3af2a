/* Statistics and reports: the table catalog, one table as JSON / CSV / XLSX, "all tables" builds
 * run as jobs with progress, and the published-offers workbook. Who may read which scope is
 * decided by authz_report (domain/authz.c); the tables themselves by report/tables.c. */
#include "api/api.h"
#include "domain/codes.h"
#include "jobs/jobs.h"
#include "report/bundle.h"
#include "util/log.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const err_def E_REPORT_UNKNOWN = {404, "report.unknown", "指定された集計表はありません。"};
static const err_def E_REPORT_BUILD_NOT_READY = {409, "report.build_not_ready",
                                                 "集計表の作成がまだ終わっていません。"};

/* Reads the scope and period query parameters of table def into p (prefecture defaults to a
 * center's own) and checks them and the caller's right to the scope. Replies and returns -1
 * when something is wrong. def NULL = an all-tables build (no campaign, no table flags). */
static int report_scope(req *r, const rt_def *def, rt_params *p, const char *fy_text,
                        const char *pref_text)
{
    memset(p, 0, sizeof *p);
    verrs e = {0};
    int cur = time_jst_fiscal_year(time_now());
    int64_t fy = cur;
    if (fy_text && *fy_text && str_to_i64(fy_text, 2000, cur + 1, &fy) != 0)
        verrs_add(&e, "fiscal_year", "fiscal_year.invalid",
                  "年度は2000年度から来年度までの西暦の年で指定してください。");
    p->fy = (int)fy;
    if (pref_text && *pref_text) {
        if (code_index(PREFECTURE_CODES, pref_text) < 0)
            verrs_add(&e, "prefecture", "prefecture.invalid",
                      "都道府県は01〜47のコードで指定してください。");
        else
            str_copy(p->pref, sizeof p->pref, pref_text);
    } else if ((r->actor.role & ROLES_CENTER) && r->actor.prefecture[0]) {
        str_copy(p->pref, sizeof p->pref, r->actor.prefecture);
    }
    unsigned flags = def ? def->flags : 0;
    if (e.n == 0 && (flags & RTF_NATIONAL_ONLY) && p->pref[0] && pref_text && *pref_text)
        verrs_add(&e, "prefecture", "prefecture.not_applicable",
                  "この集計表は全国（サイト全体）の集計のため、都道府県は指定できません。");
    if (e.n == 0 && (flags & RTF_PREF_REQUIRED) && !p->pref[0])
        verrs_add(&e, "prefecture", "prefecture.required",
                  "この集計表はナースセンターごとに作成します。都道府県を指定してください。");
    if (flags & RTF_CAMPAIGN) {
        const char *from = req_query(r, "from"), *to = req_query(r, "to");
        const char *tag = req_query(r, "campaign");
        int y, m, d, y2, m2, d2;
        bool fok = from && date_parse(from, &y, &m, &d) == 0;
        bool tok = to && date_parse(to, &y2, &m2, &d2) == 0;
        if (!fok)
            verrs_add(&e, "from", "from.invalid", "開始日をYYYY-MM-DDの形式で指定してください。");
        if (!tok)
            verrs_add(&e, "to", "to.invalid", "終了日をYYYY-MM-DDの形式で指定してください。");
        if (fok && tok) {
            int64_t span = time_days_from_civil(y2, m2, d2) - time_days_from_civil(y, m, d);
            if (span < 0)
                verrs_add(&e, "to", "to.before_from", "終了日は開始日以降の日付にしてください。");
            else if (span > 3 * 366)
                verrs_add(&e, "to", "to.too_long", "期間は3年以内で指定してください。");
            str_copy(p->from, sizeof p->from, from);
            str_copy(p->to, sizeof p->to, to);
        }
        if (!tag || !*tag || str_utf8_len(tag) > 40 || !str_utf8_clean(tag, false))
            verrs_add(&e, "campaign", "campaign.invalid",
                      "キャンペーンのタグを40文字以内で指定してください。");
        else
            str_copy(p->campaign, sizeof p->campaign, tag);
    }
    if (e.n) {
        reply_validation(r, &e);
        return -1;
    }
    if (authz_report(&r->actor, p->pref, (flags & RTF_NATIONAL_ONLY) != 0,
                     (flags & RTF_PERSONAL) != 0) != AUTHZ_ALLOW) {
        reply_error(r, E_FORBIDDEN, NULL);
        return -1;
    }
    return 0;
}

static const rt_def *report_def(req *r)
{
    const rt_def *def = rt_find(r->params[0]);
    if (!def)
        reply_error_def(r, &E_REPORT_UNKNOWN, NULL);
    return def;
}

void h_reports_catalog(req *r)
{
    json_t *tables = json_array();
    for (const rt_def *d = RT_DEFS; d->name; d++) {
        /* readable in some scope: national, or the caller's own prefecture */
        bool nat = (d->flags & RTF_NATIONAL_ONLY) != 0, personal = (d->flags & RTF_PERSONAL) != 0;
        bool allowed = authz_report(&r->actor, "", nat, personal) == AUTHZ_ALLOW ||
                       (r->actor.prefecture[0] &&
                        authz_report(&r->actor, r->actor.prefecture, nat, personal) == AUTHZ_ALLOW);
        if (!allowed)
            continue;
        json_array_append_new(
            tables,
            json_pack("{s:s, s:s, s:b, s:b, s:b, s:b}", "name", d->name, "title", d->title,
                      "national_only", (d->flags & RTF_NATIONAL_ONLY) != 0, "prefecture_required",
                      (d->flags & RTF_PREF_REQUIRED) != 0, "personal",
                      (d->flags & RTF_PERSONAL) != 0, "campaign", (d->flags & RTF_CAMPAIGN) != 0));
    }
    bool national = authz_report(&r->actor, "", false, false) == AUTHZ_ALLOW;
    json_t *fixed =
        !national && r->actor.prefecture[0] ? json_string(r->actor.prefecture) : json_null();
    reply_json(r, 200,
               json_pack("{s:o, s:i, s:b, s:o}", "tables", tables, "current_fiscal_year",
                         time_jst_fiscal_year(time_now()), "national", national, "prefecture",
                         fixed));
}

/* Builds the table of the request into t; replies on error and returns -1. */
static int build_one(req *r, rtable *t, const rt_def **out)
{
    const rt_def *def = report_def(r);
    rt_params p;
    if (!def ||
        report_scope(r, def, &p, req_query(r, "fiscal_year"), req_query(r, "prefecture")) != 0)
        return -1;
    if (def->flags & RTF_NATIONAL_ONLY)
        access_flush(r->db); /* the live access counters first */
    int rc = rt_build(r->db, def, &p, t);
    if (rc != DB_OK) {
        rt_free(t);
        api_dberr(r, "report table");
        return -1;
    }
    *out = def;
    return 0;
}

void h_report_get(req *r)
{
    rtable t;
    const rt_def *def;
    if (build_one(r, &t, &def) != 0)
        return;
    reply_json(r, 200, rt_json(&t));
    rt_free(&t);
}

void h_report_csv(req *r)
{
    rtable t;
    const rt_def *def;
    if (build_one(r, &t, &def) != 0)
        return;
    nbuf b;
    nbuf_init(&b, RT_FILE_CAP);
    char name[64];
    snprintf(name, sizeof name, "%s.csv", def->name);
    if (rt_csv(&t, &b, true) != 0) {
        nbuf_free(&b);
        rt_free(&t);
        reply_error(r, E_TOO_LARGE, NULL);
        return;
    }
    rt_free(&t);
    api_reply_csv(r, &b, name);
}

static const char *const XLSX_TYPE =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

void h_report_xlsx(req *r)
{
    rtable t;
    const rt_def *def;
    if (build_one(r, &t, &def) != 0)
        return;
    char err[256] = "", name[64];
    snprintf(name, sizeof name, "%s.xlsx", def->name);
    size_t len = 0;
    char *data = NULL;
    rt_render(&t, 1, "xlsx", &data, &len, err, sizeof err);
    rt_free(&t);
    if (!data) {
        log_error("report xlsx: %s", err);
        reply_error(r, E_INTERNAL, NULL);
        return;
    }
    api_reply_file(r, data, len, XLSX_TYPE, name);
}

void h_export_offers_xlsx(req *r)
{
    const char *scope = authz_people_filter(&r->actor);
    if (!scope) {
        reply_error(r, E_FORBIDDEN, NULL);
        return;
    }
    char *data = NULL, err[256] = "";
    size_t len = 0;
    if (rt_offers_xlsx(r->db, scope, &data, &len, err, sizeof err) != DB_OK) {
        log_error("offers xlsx: %s", err);
        reply_error(r, E_INTERNAL, NULL);
        return;
    }
    api_reply_file(r, data, len, XLSX_TYPE, "offers.xlsx");
}

/* ---- all-tables builds (jobs) -------------------------------------------------------------- */

static json_t *build_json(const db_res *res, int i)
{
    return json_pack(
        "{s:I, s:i, s:o, s:s, s:s, s:I, s:I, s:o, s:o, s:I}", "id", (json_int_t)db_int(res, i, 0),
        "fiscal_year", (int)db_int(res, i, 1), "prefecture",
        db_text(res, i, 2) ? json_string(db_text(res, i, 2)) : json_null(), "format",
        db_text(res, i, 3), "state", db_text(res, i, 4), "progress", (json_int_t)db_int(res, i, 5),
        "total", (json_int_t)db_int(res, i, 6), "file_name",
        db_text(res, i, 7) ? json_string(db_text(res, i, 7)) : json_null(), "error",
        db_text(res, i, 8) ? json_string("集計表を作成できませんでした。") : json_null(),
        "created_at", (json_int_t)db_int(res, i, 9));
}

#define BUILD_COLS                                                                                 \
    "id, fiscal_year, prefecture_code, format, state, progress, total, file_name, error, "         \
    "created_at"

static int build_insert(db *d, void *arg)
{
    json_t *a = arg;
    int64_t now = time_now();
    const char *pref = json_string_value(json_object_get(a, "prefecture"));
    db_val p[] = {DBI(json_integer_value(json_object_get(a, "user"))),
                  DBI(json_integer_value(json_object_get(a, "fiscal_year"))),
                  pref && *pref ? DBT(pref) : DBNULL,
                  DBT(json_string_value(json_object_get(a, "format"))),
                  DBI(json_integer_value(json_object_get(a, "total"))),
                  DBT(json_string_value(json_object_get(a, "tables"))),
                  DBI(now)};
    db_res *res = NULL;
    int rc = db_query(d,
                      "INSERT INTO report_builds (requested_by, fiscal_year, prefecture_code, "
                      "format, total, tables, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, "
                      "$6, $7, $7) RETURNING id",
                      p, 7, &res);
    if (rc == DB_OK) {
        json_object_set_new(a, "id", json_integer(db_int(res, 0, 0)));
        json_t *payload = json_pack("{s:I}", "build", (json_int_t)db_int(res, 0, 0));
        rc = jobs_enqueue(d, "report_build", payload, 0);
        json_decref(payload);
    }
    db_res_free(res);
    return rc;
}

void h_report_build_create(req *r)
{
    static const char *const FORMATS[] = {"xlsx", "zip", NULL};
    static const vfield SPEC[] = {
        {.name = "fiscal_year",
         .label = "年度",
         .type = VT_INTEGER,
         .required = true,
         .min = 2000,
         .max = 2100},
        {.name = "prefecture", .label = "都道府県", .type = VT_STRING, .kind = VK_TEXT, .max = 2},
        {.name = "format",
         .label = "形式",
         .type = VT_STRING,
         .kind = VK_CODE,
         .required = true,
         .codes = FORMATS},
        {.name = NULL}};
    if (api_validate(r, SPEC) != 0)
        return;
    char fy[16];
    snprintf(fy, sizeof fy, "%lld",
             (long long)json_integer_value(json_object_get(r->json, "fiscal_year")));
    rt_params p;
    if (report_scope(r, NULL, &p, fy, json_string_value(json_object_get(r->json, "prefecture"))) !=
        0)
        return;
    const rt_def *defs[32];
    bool personal = authz_report(&r->actor, p.pref, false, true) == AUTHZ_ALLOW;
    int n = rt_bundle_defs(&p, personal, defs, 32);
    char names[512] = "";
    size_t off = 0;
    for (int k = 0; k < n && off < sizeof names; k++) {
        int w = snprintf(names + off, sizeof names - off, "%s%s", k ? "," : "", defs[k]->name);
        off += w > 0 ? (size_t)w : 0;
    }
    json_t *a = json_pack("{s:I, s:i, s:s, s:s, s:i, s:s}", "user", (json_int_t)r->actor.id,
                          "fiscal_year", p.fy, "prefecture", p.pref, "format",
                          json_string_value(json_object_get(r->json, "format")), "total", n,
                          "tables", names);
    if (db_tx(r->db, build_insert, a) != DB_OK) {
        json_decref(a);
        api_dberr(r, "report build");
        return;
    }
    db_val q[] = {DBI(json_integer_value(json_object_get(a, "id")))};
    json_decref(a);
    db_res *res = NULL;
    if (db_query(r->db, "SELECT " BUILD_COLS " FROM report_builds WHERE id = $1", q, 1, &res) !=
            DB_OK ||
        res->nrows != 1) {
        db_res_free(res);
        api_dberr(r, "report build");
        return;
    }
    reply_json(r, 202, build_json(res, 0));
    db_res_free(res);
}

/* The caller's own build {id}: res with one row, or NULL after replying 404/500. */
static db_res *own_build(req *r, const char *cols_sql)
{
    int64_t id;
    if (req_param_id(r, 0, &id) != 0)
        return NULL;
    db_val p[] = {DBI(id), DBI(r->actor.id)};
    db_res *res = NULL;
    if (db_query(r->db, cols_sql, p, 2, &res) != DB_OK) {
        db_res_free(res);
        api_dberr(r, "report build");
        return NULL;
    }
    if (res->nrows != 1) {
        db_res_free(res);
        reply_error(r, E_NOT_FOUND, NULL);
        return NULL;
    }
    return res;
}

void h_report_build_get(req *r)
{
    db_res *res = own_build(r, "SELECT " BUILD_COLS " FROM report_builds WHERE id = $1 AND "
                               "requested_by = $2");
    if (!res)
        return;
    reply_json(r, 200, build_json(res, 0));
    db_res_free(res);
}

void h_report_build_file(req *r)
{
    db_res *res = own_build(r, "SELECT state, format, file_name, file_b64 FROM report_builds "
                               "WHERE id = $1 AND requested_by = $2");
    if (!res)
        return;
    if (!str_eq(db_text(res, 0, 0), "done") || !db_text(res, 0, 3)) {
        db_res_free(res);
        reply_error_def(r, &E_REPORT_BUILD_NOT_READY, NULL);
        return;
    }
    const char *b64 = db_text(res, 0, 3);
    size_t cap = strlen(b64) / 4 * 3 + 3, len = 0;
    char *bin = malloc(cap ? cap : 1);
    if (!bin || sodium_base642bin((unsigned char *)bin, cap, b64, strlen(b64), NULL, &len, NULL,
                                  sodium_base64_VARIANT_ORIGINAL) != 0) {
        free(bin);
        db_res_free(res);
        reply_error(r, E_INTERNAL, NULL);
        return;
    }
    bool zip = str_eq(db_text(res, 0, 1), "zip");
    char name[96];
    str_copy(name, sizeof name, db_text(res, 0, 2) ? db_text(res, 0, 2) : "report");
    db_res_free(res);
    api_reply_file(r, bin, len, zip ? "application/zip" : XLSX_TYPE, name);
}

/* ---- the job ------------------------------------------------------------------------------- */

typedef struct build_ctx {
    db *d;
    int64_t id;
} build_ctx;

static void build_progress(void *arg, int done, int total)
{
    (void)total;
    build_ctx *c = arg;
    db_val p[] = {DBI(c->id), DBI(done), DBI(time_now())};
    if (db_query(c->d, "UPDATE report_builds SET progress = $2, updated_at = $3 WHERE id = $1", p,
                 3, NULL) != DB_OK)
        log_warn("report build %lld: progress not saved", (long long)c->id);
}

static int build_fail(db *d, int64_t id, const char *err)
{
    db_val p[] = {DBI(id), DBT(err), DBI(time_now())};
    db_query(d,
             "UPDATE report_builds SET state = 'failed', error = $2, updated_at = $3 WHERE id = $1",
             p, 3, NULL);
    return 0; /* the job itself is done: the failure is recorded on the build */
}

int report_build_job(db *d, const json_t *payload, char *err, size_t errcap)
{
    int64_t id = json_integer_value(json_object_get(payload, "build"));
    db_val p[] = {DBI(id), DBI(time_now())};
    db_res *res = NULL;
    int rc = db_query(d,
                      "UPDATE report_builds SET state = 'running', updated_at = $2 WHERE id = $1 "
                      "AND state IN ('queued', 'running') RETURNING fiscal_year, prefecture_code, "
                      "format, tables",
                      p, 2, &res);
    if (rc != DB_OK || res->nrows != 1) {
        db_res_free(res);
        if (rc != DB_OK)
            str_copy(err, errcap, "report build: database error");
        return rc == DB_OK ? 0 : -1;
    }
    rt_params rp = {.fy = (int)db_int(res, 0, 0)};
    str_copy(rp.pref, sizeof rp.pref, db_text(res, 0, 1) ? db_text(res, 0, 1) : "");
    char format[8], names[512];
    str_copy(format, sizeof format, db_text(res, 0, 2));
    str_copy(names, sizeof names, db_text(res, 0, 3));
    db_res_free(res);
    const rt_def *defs[32];
    int n = 0;
    for (char *s = names, *next; s && *s && n < 32; s = next) {
        next = strchr(s, ',');
        if (next)
            *next++ = '\0';
        const rt_def *def = rt_find(s);
        if (def)
            defs[n++] = def;
    }
    access_flush(d);
    build_ctx ctx = {d, id};
    char *data = NULL, berr[256] = "";
    size_t len = 0;
    rc = rt_bundle(d, &rp, defs, n, format, build_progress, &ctx, &data, &len, berr, sizeof berr);
    if (rc != DB_OK) {
        log_error("report build %lld: %s", (long long)id, berr);
        return build_fail(d, id, berr);
    }
    size_t b64cap = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = malloc(b64cap);
    if (!b64) {
        free(data);
        return build_fail(d, id, "out of memory");
    }
    sodium_bin2base64(b64, b64cap, (const unsigned char *)data, len,
                      sodium_base64_VARIANT_ORIGINAL);
    free(data);
    char fname[96];
    snprintf(fname, sizeof fname, "report-%d-%s.%s", rp.fy, rp.pref[0] ? rp.pref : "national",
             format);
    db_val q[] = {DBI(id), DBT(fname), DBT(b64), DBI(time_now()), DBI(n)};
    rc = db_query(d,
                  "UPDATE report_builds SET state = 'done', progress = $5, file_name = $2, "
                  "file_b64 = $3, updated_at = $4 WHERE id = $1",
                  q, 5, NULL);
    free(b64);
    if (rc != DB_OK) {
        str_copy(err, errcap, "report build: saving the file failed");
        return -1;
    }
    return 0;
}

int report_builds_purge(db *d, int64_t now)
{
    db_val p[] = {DBI(now - 7 * 86400)};
    return db_query(d, "DELETE FROM report_builds WHERE created_at < $1", p, 1, NULL);
}
