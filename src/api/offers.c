/* Job offers (求人票) for facilities and their review by the prefectural center: drafts,
 * versions, the compliance checker at submission and live, publication with an offer number,
 * validity (end of the month after next, extendable), closing, copying, expiry. */
#include "api/api.h"
#include "store/db_json.h"
#include "api/offer_json.h"
#include "jobs/jobs.h"
#include "search/offer_index.h"
#include "store/facilities.h"
#include "store/offers.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/log.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Today in JST and the default validity: the last day of the month after next. */
static void today_jst(char *out, size_t cap)
{
    time_jst_date(time_now(), out, cap);
}

static void default_valid_until(char *out, size_t cap)
{
    char today[16];
    today_jst(today, sizeof today);
    int y, m, d;
    if (date_parse(today, &y, &m, &d) != 0) {
        str_copy(out, cap, today);
        return;
    }
    m += 2;
    if (m > 12) {
        m -= 12;
        y++;
    }
    snprintf(out, cap, "%04d-%02d-%02d", y, m, days_in_month(y, m));
}

/* Runs the checker on a body for the offer's prefecture (the workplace's, else pref). */
static void check_body(const json_t *body, const char *pref, findings *out)
{
    offer o;
    const char *deps[32];
    offer_from_json(body, &o, deps, 32);
    char p[3] = "";
    const char *muni = o.workplace.municipality_code;
    if (muni && strlen(muni) == 5) {
        p[0] = muni[0];
        p[1] = muni[1];
    } else {
        str_copy(p, sizeof p, pref);
    }
    char today[16];
    today_jst(today, sizeof today);
    memset(out, 0, sizeof *out);
    offer_check(&o, p, today, out);
}

/* The search/ledger columns of a body. Strings are borrowed from body / facility_pref. */
static void cols_of(const json_t *body, const char *facility_pref, offer_cols *c)
{
    memset(c, 0, sizeof *c);
    c->title = vstr(body, "title");
    const char *muni = vstr(json_object_get(body, "workplace"), "municipality_code");
    c->municipality = muni;
    c->prefecture = facility_pref;
    c->employment_form = vstr(body, "employment_form");
    const json_t *wage = json_object_get(body, "wage");
    c->wage_type = vstr(wage, "type");
    const json_t *min = json_object_get(wage, "base_min");
    c->wage_min = json_is_integer(min) ? json_integer_value(min) : -1;
    const json_t *pos = json_object_get(body, "positions");
    c->positions = json_is_integer(pos) ? json_integer_value(pos) : -1;
    c->licence_mask = offer_json_licence_mask(body);
    c->shift_mask = offer_json_shift_mask(body);
    c->flag_mask = offer_json_flag_mask(body);
}

/* Replies {"offer": …, "findings": […]} for offer id. */
static void reply_offer(req *r, int64_t id, int status)
{
    int rc;
    json_t *o = store_offer_json(r->db, id, &rc);
    if (!o) {
        if (rc == DB_NOTFOUND)
            reply_error(r, E_NOT_FOUND, NULL);
        else
            api_dberr(r, "offer");
        return;
    }
    findings f;
    check_body(json_object_get(o, "body"), vstr(o, "prefecture"), &f);
    reply_json(r, status, json_pack("{s:o,s:o}", "offer", o, "findings", findings_json(&f)));
}

/* 422 listing the blocking findings as field errors, plus every finding. */
static void reply_findings(req *r, const findings *f)
{
    verrs e = {.n = 0};
    for (int i = 0; i < f->n; i++)
        if (f->items[i].severity == FINDING_ERROR)
            verrs_add(&e, f->items[i].field, f->items[i].code, f->items[i].message);
    reply_validation_with(r, &e, "findings", findings_json(f));
}

void h_offer_check(req *r)
{
    if (api_validate(r, OFFER_SPEC) != 0)
        return;
    findings f;
    check_body(r->json, r->actor.prefecture, &f);
    reply_json(r, 200,
               json_pack("{s:o,s:i,s:i}", "findings", findings_json(&f), "errors", f.n_errors,
                         "warnings", f.n_warnings));
}

/* ---- create / list / get / update ----------------------------------------------------- */

typedef struct {
    req *r;
    int64_t offer_id;
    char status[16];
    bool bad_state;
    const char *detail;
} offer_ctx;

/* The employer defaults to the facility's corporation, else its name. */
static int default_employer(db *d, int64_t facility_id, json_t *body)
{
    if (vstr(json_object_get(body, "employer"), "name"))
        return DB_OK;
    db_val p[] = {DBI(facility_id)};
    db_res *res = NULL;
    int rc =
        db_query(d, "SELECT COALESCE(corporation, name) FROM facilities WHERE id = $1", p, 1, &res);
    if (rc == DB_OK && res->nrows)
        json_object_set_new(body, "employer", json_pack("{s:s}", "name", db_text(res, 0, 0)));
    db_res_free(res);
    return rc;
}

static int create_tx(db *d, void *arg)
{
    offer_ctx *c = arg;
    req *r = c->r;
    json_t *body = r->json;
    int rc0 = default_employer(d, r->subject.id, body);
    if (rc0 != DB_OK)
        return rc0;
    char *text = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
    if (!text)
        return DB_ERROR;
    offer_cols cols;
    cols_of(body, r->subject.prefecture, &cols);
    int64_t now = time_now();
    int rc = store_offer_insert(d, r->subject.id, text, &cols, r->actor.id, now, &c->offer_id);
    free(text);
    if (rc == DB_OK)
        rc = store_offer_event(d, c->offer_id, r->actor.id, "created", c->detail, now);
    return rc;
}

void h_offers_create(req *r)
{
    if (api_validate(r, OFFER_SPEC) != 0)
        return;
    offer_ctx c = {.r = r, .detail = "{}"};
    if (db_tx(r->db, create_tx, &c) != DB_OK) {
        api_dberr(r, "offer create");
        return;
    }
    reply_offer(r, c.offer_id, 201);
}

void h_offers_of_facility(req *r)
{
    db_val p[] = {DBI(r->subject.id)};
    db_res *res = NULL;
    if (db_query(r->db,
                 "SELECT id, title, status, offer_no, version, valid_until, published_at, "
                 "updated_at FROM offers WHERE facility_id = $1 ORDER BY id DESC LIMIT 1000",
                 p, 1, &res) != DB_OK) {
        api_dberr(r, "offers of facility");
        return;
    }
    json_t *items = json_array();
    for (int i = 0; i < res->nrows; i++) {
        const char *no = db_text(res, i, 3), *vu = db_text(res, i, 5);
        json_array_append_new(
            items,
            json_pack("{s:I,s:s,s:s,s:o,s:I,s:o,s:o,s:I}", "id", (json_int_t)db_int(res, i, 0),
                      "title", db_text(res, i, 1), "status", db_text(res, i, 2), "offer_no",
                      no ? json_string(no) : json_null(), "version", (json_int_t)db_int(res, i, 4),
                      "valid_until", vu ? json_string(vu) : json_null(), "published_at",
                      dbj_int(res, i, 6), "updated_at", (json_int_t)db_int(res, i, 7)));
    }
    db_res_free(res);
    reply_json(r, 200, json_pack("{s:o}", "items", items));
}

void h_offer_get(req *r)
{
    reply_offer(r, r->subject.id, 200);
}

typedef struct {
    req *r;
    bool bad_state, blocked;
    findings f;
} update_ctx;

static int update_tx(db *d, void *arg)
{
    update_ctx *c = arg;
    req *r = c->r;
    char status[16];
    int64_t version;
    int rc = store_offer_status(d, r->subject.id, status, sizeof status, &version);
    if (rc != DB_OK)
        return rc;
    rc = default_employer(d, r->subject.facility_id, r->json);
    if (rc != DB_OK)
        return rc;
    bool published = !strcmp(status, "published");
    if (!published && strcmp(status, "draft") != 0 && strcmp(status, "returned") != 0) {
        c->bad_state = true;
        return DB_CONSTRAINT;
    }
    if (published) {
        /* A published offer stays public only with content that passes the checker. */
        check_body(r->json, r->subject.prefecture, &c->f);
        if (c->f.n_errors) {
            c->blocked = true;
            return DB_CONSTRAINT;
        }
    }
    char *text = json_dumps(r->json, JSON_COMPACT | JSON_SORT_KEYS);
    if (!text)
        return DB_ERROR;
    offer_cols cols;
    cols_of(r->json, r->subject.prefecture, &cols);
    int64_t now = time_now();
    rc = store_offer_save(d, r->subject.id, text, &cols, published, r->actor.id, now);
    free(text);
    if (rc == DB_OK)
        rc = store_offer_event(d, r->subject.id, r->actor.id, "updated", "{}", now);
    return rc;
}

void h_offer_update(req *r)
{
    if (api_validate(r, OFFER_SPEC) != 0)
        return;
    update_ctx c = {.r = r};
    int rc = db_tx(r->db, update_tx, &c);
    if (c.bad_state) {
        reply_error(r, E_BAD_STATE, NULL);
        return;
    }
    if (c.blocked) {
        reply_findings(r, &c.f);
        return;
    }
    if (rc != DB_OK) {
        api_dberr(r, "offer update");
        return;
    }
    offer_index_catch_up(r->db);
    reply_offer(r, r->subject.id, 200);
}

/* ---- lifecycle ------------------------------------------------------------------------ */

static const char *const REFUSAL_GROUNDS[] = {
    "illegal_content", /* 内容が法令に違反する */
    "unsuitable_terms", /* 賃金・労働時間等が通常の条件と比べて著しく不適当 */
    "labour_law_sanction", /* 労働関係法令違反で処分・公表された求人者 */
    "missing_disclosure",  /* 労働条件の明示がない */
    "organised_crime",     /* 暴力団員等 */
    "no_self_declaration", /* 自己申告を求めたが応じない */
    NULL};

typedef struct {
    req *r;
    const char *action; /* submitted | published | returned | refused | closed | extended */
    const char *reason, *ground;
    bool bad_state, blocked, facility_unapproved;
    findings f;
} life_ctx;

static int life_tx(db *d, void *arg)
{
    life_ctx *c = arg;
    req *r = c->r;
    char status[16];
    int64_t version, now = time_now();
    int rc = store_offer_status(d, r->subject.id, status, sizeof status, &version);
    if (rc != DB_OK)
        return rc;
    const char *a = c->action;
    bool ok_from =
        (!strcmp(a, "submitted") && (!strcmp(status, "draft") || !strcmp(status, "returned"))) ||
        ((!strcmp(a, "published") || !strcmp(a, "returned") || !strcmp(a, "refused")) &&
         !strcmp(status, "submitted")) ||
        (!strcmp(a, "closed") && strcmp(status, "closed") != 0 && strcmp(status, "refused") != 0 &&
         strcmp(status, "expired") != 0) ||
        (!strcmp(a, "extended") && !strcmp(status, "published"));
    if (!ok_from) {
        c->bad_state = true;
        return DB_CONSTRAINT;
    }
    int rc2;
    json_t *o = store_offer_json(d, r->subject.id, &rc2);
    if (!o)
        return rc2;
    int64_t facility_id = json_integer_value(json_object_get(o, "facility_id"));
    if (!strcmp(a, "submitted") || !strcmp(a, "published")) {
        check_body(json_object_get(o, "body"), vstr(o, "prefecture"), &c->f);
        if (c->f.n_errors) {
            json_decref(o);
            c->blocked = true;
            return DB_CONSTRAINT;
        }
    }
    if (!strcmp(a, "submitted")) {
        char fst[16];
        rc = store_facility_status(d, facility_id, fst, sizeof fst);
        if (rc == DB_OK && strcmp(fst, "approved") != 0) {
            json_decref(o);
            c->facility_unapproved = true;
            return DB_CONSTRAINT;
        }
    }
    char valid[16];
    default_valid_until(valid, sizeof valid);
    if (rc == DB_OK) {
        if (!strcmp(a, "submitted")) {
            rc = store_offer_set_status(d, r->subject.id, "submitted", now);
        } else if (!strcmp(a, "published")) {
            rc = store_offer_publish(d, r->subject.id, vstr(o, "prefecture"),
                                     time_jst_fiscal_year(now), valid, c->reason, now);
        } else if (!strcmp(a, "returned") || !strcmp(a, "refused")) {
            rc = store_offer_set_status(d, r->subject.id, a, now);
            if (rc == DB_OK)
                rc = store_offer_review_note(d, r->subject.id, c->reason, c->ground, now);
        } else if (!strcmp(a, "closed")) {
            rc = store_offer_close(d, r->subject.id, c->reason, now);
        } else {
            rc = store_offer_set_valid_until(d, r->subject.id, valid, now);
        }
    }
    json_t *detail = json_pack("{s:s?,s:s?}", "reason", c->reason, "ground", c->ground);
    char *text = json_dumps(detail, JSON_COMPACT);
    json_decref(detail);
    if (rc == DB_OK)
        rc = store_offer_event(d, r->subject.id, r->actor.id, a, text, now);
    free(text);
    /* The facility hears about every review decision. */
    if (rc == DB_OK &&
        (!strcmp(a, "published") || !strcmp(a, "returned") || !strcmp(a, "refused"))) {
        nbuf body;
        nbuf_init(&body, 8192);
        nbuf_printf(
            &body,
            "施設担当者 様\n\n求人票「%s」の審査結果をお知らせします。\n\n結果: %s\n%s%s%s\n"
            "詳細はログインしてご確認ください。\n%s/login\n\nナースセンター（nccs）\n",
            vstr(json_object_get(o, "body"), "title") ? vstr(json_object_get(o, "body"), "title")
                                                      : "（無題）",
            !strcmp(a, "published") ? "公開しました"
            : !strcmp(a, "returned") ? "差し戻しました（修正のうえ再度ご提出ください）"
                                     : "受理できませんでした",
            c->reason ? "理由: " : "", c->reason ? c->reason : "", c->reason ? "\n" : "",
            g_config.base_url);
        rc = body.data ? api_mail_facility_admins(d, facility_id,
                                                  "【ナースセンター】求人票の審査結果", body.data)
                       : DB_ERROR;
        nbuf_free(&body);
    }
    json_decref(o);
    return rc;
}

static void run_life(req *r, life_ctx *c)
{
    int rc = db_tx(r->db, life_tx, c);
    if (c->bad_state || c->facility_unapproved) {
        reply_error(r, E_BAD_STATE, c->facility_unapproved ? "facility" : NULL);
        return;
    }
    if (c->blocked) {
        reply_findings(r, &c->f);
        return;
    }
    if (rc != DB_OK) {
        api_dberr(r, "offer lifecycle");
        return;
    }
    offer_index_catch_up(r->db); /* the index reflects the commit before we answer */
    reply_offer(r, r->subject.id, 200);
}

void h_offer_submit(req *r)
{
    life_ctx c = {.r = r, .action = "submitted"};
    run_life(r, &c);
}

static const char *const OFFER_DECISIONS[] = {"publish", "return", "refuse", NULL};
static const vfield OFFER_REVIEW_SPEC[] = {
    {.name = "decision",
     .label = "審査結果",
     .kind = VK_CODE,
     .required = true,
     .codes = OFFER_DECISIONS,
     .select = true},
    {.name = "reason", .label = "理由", .kind = VK_MULTILINE, .max = 1000},
    {.name = "ground",
     .label = "不受理の根拠",
     .kind = VK_CODE,
     .codes = REFUSAL_GROUNDS,
     .select = true},
    {.name = NULL}};

void h_offer_review(req *r)
{
    if (api_validate(r, OFFER_REVIEW_SPEC) != 0)
        return;
    const char *decision = vstr(r->json, "decision");
    life_ctx c = {.r = r, .reason = vstr(r->json, "reason"), .ground = vstr(r->json, "ground")};
    verrs e = {.n = 0};
    if (!strcmp(decision, "publish")) {
        c.action = "published";
        if (c.ground)
            verrs_add(&e, "ground", "ground.not_allowed",
                      "公開する場合は不受理の根拠を指定できません");
    } else if (!strcmp(decision, "return")) {
        c.action = "returned";
        if (!c.reason)
            verrs_add(&e, "reason", "reason.missing", "差し戻しの理由を入力してください");
        if (c.ground)
            verrs_add(&e, "ground", "ground.not_allowed",
                      "差し戻す場合は不受理の根拠を指定できません");
    } else {
        c.action = "refused";
        if (!c.ground)
            verrs_add(&e, "ground", "ground.missing",
                      "不受理の根拠（職業安定法5条の6）を選択してください");
    }
    if (e.n) {
        reply_validation(r, &e);
        return;
    }
    run_life(r, &c);
}

static const char *const CLOSE_REASONS[] = {"filled", "withdrawn", NULL};
static const vfield CLOSE_SPEC[] = {{.name = "reason",
                                     .label = "終了の理由",
                                     .kind = VK_CODE,
                                     .required = true,
                                     .codes = CLOSE_REASONS,
                                     .select = true},
                                    {.name = NULL}};

void h_offer_close(req *r)
{
    if (api_validate(r, CLOSE_SPEC) != 0)
        return;
    life_ctx c = {.r = r, .action = "closed", .reason = vstr(r->json, "reason")};
    run_life(r, &c);
}

void h_offer_extend(req *r)
{
    life_ctx c = {.r = r, .action = "extended"};
    run_life(r, &c);
}

typedef struct {
    req *r;
    int64_t new_id;
} copy_ctx;

static int copy_tx(db *d, void *arg)
{
    copy_ctx *c = arg;
    int rc;
    json_t *o = store_offer_json(d, c->r->subject.id, &rc);
    if (!o)
        return rc;
    json_t *body = json_object_get(o, "body");
    char *text = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
    offer_cols cols;
    cols_of(body, vstr(o, "prefecture"), &cols);
    int64_t now = time_now();
    rc = text ? store_offer_insert(d, json_integer_value(json_object_get(o, "facility_id")), text,
                                   &cols, c->r->actor.id, now, &c->new_id)
              : DB_ERROR;
    free(text);
    char detail[64];
    snprintf(detail, sizeof detail, "{\"copied_from\":%lld}", (long long)c->r->subject.id);
    if (rc == DB_OK)
        rc = store_offer_event(d, c->new_id, c->r->actor.id, "created", detail, now);
    json_decref(o);
    return rc;
}

void h_offer_copy(req *r)
{
    copy_ctx c = {r, 0};
    if (db_tx(r->db, copy_tx, &c) != DB_OK) {
        api_dberr(r, "offer copy");
        return;
    }
    reply_offer(r, c.new_id, 201);
}

void h_offer_history(req *r)
{
    db_val p[] = {DBI(r->subject.id)};
    db_res *res = NULL;
    if (db_query(r->db,
                 "SELECT e.at, e.action, COALESCE(u.name, ''), COALESCE(u.role, ''), e.detail "
                 "FROM offer_events e LEFT JOIN users u ON u.id = e.actor_user_id "
                 "WHERE e.offer_id = $1 ORDER BY e.at DESC, e.id DESC LIMIT 500",
                 p, 1, &res) != DB_OK) {
        api_dberr(r, "offer history");
        return;
    }
    reply_json(r, 200, json_pack("{s:o}", "items", api_events_json(res)));
    db_res_free(res);
}

int offers_expire_due(db *d)
{
    char today[16];
    today_jst(today, sizeof today);
    int64_t n = 0;
    int rc = store_offers_expire(d, today, time_now(), &n);
    if (rc == DB_OK && n)
        log_info("expired %lld job offer(s)", (long long)n);
    return rc;
}

static const char *const OFFER_STATUSES[] = {"draft",   "submitted", "published", "returned",
                                             "refused", "closed",    "expired",   NULL};

void h_offers_list(req *r)
{
    int64_t page, per;
    if (api_paging(r, &page, &per) != 0)
        return;
    const char *status = req_query(r, "status");
    if (status && *status) {
        bool ok = false;
        for (int i = 0; OFFER_STATUSES[i]; i++)
            ok |= !strcmp(OFFER_STATUSES[i], status);
        if (!ok) {
            reply_error(r, E_BAD_PARAMETER, "status");
            return;
        }
    }
    const char *pref = authz_facilities_filter(&r->actor);
    if (!pref) {
        reply_error(r, E_FORBIDDEN, NULL);
        return;
    }
    db_val p[] = {DBT(pref), DBT(status ? status : ""), DBI(per), DBI((page - 1) * per)};
#define OFFER_WHERE                                                                                \
    " FROM offers o JOIN facilities f ON f.id = o.facility_id WHERE ($1 = '' OR "                  \
    "o.prefecture_code = $1) AND ($2 = '' OR o.status = $2)"
    int64_t total = 0;
    db_res *res = NULL;
    int rc = db_scalar(r->db, "SELECT COUNT(*)" OFFER_WHERE, p, 2, &total);
    /* The review queue (submitted) is worked oldest first. */
    if (rc == DB_OK)
        rc =
            db_query(r->db,
                     "SELECT o.id, o.title, o.status, o.offer_no, f.id, f.name, o.prefecture_code, "
                     "o.updated_at" OFFER_WHERE
                     " ORDER BY CASE WHEN $2 = 'submitted' THEN o.updated_at ELSE -o.updated_at "
                     "END, o.id LIMIT $3 OFFSET $4",
                     p, 4, &res);
    if (rc != DB_OK) {
        db_res_free(res);
        api_dberr(r, "offers list");
        return;
    }
    json_t *items = json_array();
    for (int i = 0; i < res->nrows; i++) {
        const char *no = db_text(res, i, 3);
        json_array_append_new(
            items, json_pack("{s:I,s:s,s:s,s:o,s:I,s:s,s:s,s:I}", "id",
                             (json_int_t)db_int(res, i, 0), "title", db_text(res, i, 1), "status",
                             db_text(res, i, 2), "offer_no", no ? json_string(no) : json_null(),
                             "facility_id", (json_int_t)db_int(res, i, 4), "facility_name",
                             db_text(res, i, 5), "prefecture", db_text(res, i, 6), "updated_at",
                             (json_int_t)db_int(res, i, 7)));
    }
    db_res_free(res);
    reply_json(r, 200,
               json_pack("{s:I,s:I,s:I,s:o}", "total", (json_int_t)total, "page", (json_int_t)page,
                         "per_page", (json_int_t)per, "items", items));
}
