#include "api/api.h"
#include "domain/access.h"
#include "domain/offer.h"
#include "domain/text.h"
#include "jobs/jobs.h"
#include "util/embed.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "util/str.h"
#include <stdio.h>
#include <string.h>

json_t *user_json(const account *a)
{
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:o,s:s,s:I,s:b}", "id", (json_int_t)a->id, "email",
                     a->email, "role", a->role, "name", a->name, "name_kana", a->name_kana,
                     "prefecture", a->prefecture[0] ? json_string(a->prefecture) : json_null(),
                     "facility_id", a->facility_id ? json_integer(a->facility_id) : json_null(),
                     "channel", a->channel, "created_at", (json_int_t)a->created_at, "verified",
                     a->verified);
}

bool api_looks_mobile(const char *ua)
{
    return access_ua_is_phone(ua);
}

int api_validate(req *r, const vfield *spec)
{
    verrs e = {.n = 0};
    validate_object(r->json, spec, "", "", &e);
    if (e.n) {
        reply_validation(r, &e);
        return -1;
    }
    return 0;
}

int api_dberr(req *r, const char *what)
{
    log_error("%s: %s", what, r->db ? db_errmsg(r->db) : "no db");
    reply_error(r, E_INTERNAL, NULL);
    return -1;
}

int api_mail_token(db *d, int64_t user_id, const char *kind, const char *new_email, const char *to,
                   int ttl, const char *subject, const char *intro, const char *path,
                   const char *name)
{
    char tok[TOKEN_B64_LEN], hash[TOKEN_HASH_LEN];
    crypto_token(tok, sizeof tok);
    crypto_token_hash(tok, hash, sizeof hash);
    int64_t now = time_now();
    int rc = store_token_insert(d, hash, kind, user_id, new_email, now, now + ttl);
    if (rc != DB_OK)
        return rc;
    nbuf body;
    nbuf_init(&body, 16384);
    const char *ttl_text = ttl >= 72 * 3600 ? "72時間" : ttl >= 24 * 3600 ? "24時間" : "1時間";
    if (nbuf_printf(&body,
                    "%s 様\n\n%s\n以下のリンクを開いてお手続きください（有効期限: "
                    "%s、一度だけ使えます）。\n\n"
                    "%s%s?token=%"
                    "s\n\nこのメールにお心当たりがない場合は、お手数ですが破棄してください。\n\n"
                    "ナースセンター（nccs）\n",
                    name, intro, ttl_text, g_config.base_url, path, tok) != 0) {
        nbuf_free(&body);
        return DB_ERROR;
    }
    rc = jobs_enqueue_mail(d, to, subject, body.data);
    nbuf_free(&body);
    return rc;
}

int api_query_int(req *r, const char *name, int64_t def, int64_t min, int64_t max, int64_t *out)
{
    const char *v = req_query(r, name);
    if (!v || !*v) {
        *out = def;
        return 0;
    }
    if (str_to_i64(v, min, max, out) != 0) {
        reply_error(r, E_BAD_PARAMETER, name);
        return -1;
    }
    return 0;
}

char *api_like_pattern(const char *q)
{
    nbuf b;
    nbuf_init(&b, 1024);
    nbuf_puts(&b, "%");
    for (const char *p = q; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            nbuf_append(&b, "\\", 1);
        nbuf_append(&b, p, 1);
    }
    nbuf_puts(&b, "%");
    return nbuf_take(&b);
}

int api_paging(req *r, int64_t *page, int64_t *per_page)
{
    if (api_query_int(r, "page", 1, 1, 100000, page) != 0 ||
        api_query_int(r, "per_page", 20, 1, 100, per_page) != 0)
        return -1;
    return 0;
}

static minwage_table g_minwages;

int api_init(void)
{
    const struct embedded_file *f = embed_find("data/minimum_wages.tsv");
    char err[256];
    if (!f || minwage_load_tsv((const char *)f->data, &g_minwages, err, sizeof err) != 0) {
        log_error("minimum wage table: %s", f ? err : "not embedded");
        return -1;
    }
    minwage_set_default(&g_minwages);
    jobs_register("report_build", report_build_job);
    return 0;
}

void api_shutdown(void)
{
    minwage_set_default(NULL);
    minwage_free(&g_minwages);
}

int api_mail_facility_admins(db *d, int64_t facility_id, const char *subject, const char *body)
{
    db_val p[] = {DBI(facility_id)};
    db_res *res = NULL;
    int rc = db_query(d,
                      "SELECT email FROM users WHERE facility_id = $1 AND role = 'facility_admin' "
                      "AND status = 'active'",
                      p, 1, &res);
    for (int i = 0; rc == DB_OK && i < res->nrows; i++)
        rc = jobs_enqueue_mail(d, db_text(res, i, 0), subject, body);
    db_res_free(res);
    return rc;
}

json_t *api_events_json(const db_res *res)
{
    json_t *items = json_array();
    for (int i = 0; i < res->nrows; i++) {
        json_error_t jerr;
        json_t *detail = json_loads(db_text(res, i, 4), 0, &jerr);
        json_array_append_new(
            items, json_pack("{s:I,s:s,s:s,s:s,s:o}", "at", (json_int_t)db_int(res, i, 0), "action",
                             db_text(res, i, 1), "actor_name", db_text(res, i, 2), "actor_role",
                             db_text(res, i, 3), "detail", detail ? detail : json_object()));
    }
    return items;
}

char *api_query_text(req *r, const char *name)
{
    const char *q = req_query(r, name);
    char *norm = NULL;
    if (!q || (strlen(q) <= 400 && str_utf8_clean(q, false) && str_utf8_len(q) <= 100))
        norm = text_nfkc(q ? q : "");
    if (!norm)
        reply_error(r, E_BAD_PARAMETER, name);
    return norm;
}

void api_reply_file(req *r, char *data, size_t len, const char *content_type, const char *filename)
{
    char cd[160];
    snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", filename);
    req_add_header(r, "Content-Disposition", cd);
    req_add_header(r, "Cache-Control", "private, no-store");
    free(r->resp);
    r->content_type = content_type;
    r->status = 200;
    r->resp_len = len;
    r->resp = data;
    r->replied = true;
}

void api_reply_csv(req *r, nbuf *b, const char *filename)
{
    char cd[160];
    snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", filename);
    req_add_header(r, "Content-Disposition", cd);
    r->content_type = "text/csv; charset=utf-8";
    r->status = 200;
    r->resp_len = b->len;
    r->resp = nbuf_take(b);
    r->replied = true;
}
