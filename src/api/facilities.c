/* Facilities (求人施設): profile, review by the prefectural center, change history, staff logins.
 * Scope is decided by the router (SCOPE_FACILITY → authz_facility); the role sets per route are
 * in routes.c. */
#include "api/api.h"
#include "domain/text.h"
#include "jobs/jobs.h"
#include "store/facilities.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/crypto.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const STATUSES[] = {"pending_review", "approved", "returned", "closed", NULL};

void h_facilities_list(req *r)
{
    int64_t page, per;
    if (api_paging(r, &page, &per) != 0)
        return;
    const char *status = req_query(r, "status");
    if (status && *status) {
        bool ok = false;
        for (int i = 0; STATUSES[i]; i++)
            ok |= !strcmp(STATUSES[i], status);
        if (!ok) {
            reply_error(r, E_BAD_PARAMETER, "status");
            return;
        }
    }
    char *norm = api_query_text(r, "q");
    if (!norm)
        return;
    const char *pref = authz_facilities_filter(&r->actor);
    if (!pref) {
        free(norm);
        reply_error(r, E_FORBIDDEN, NULL);
        return;
    }
    text_hira_to_kata(norm); /* names are matched as typed, readings in katakana */
    char *pat = api_like_pattern(norm);
    db_val p[] = {DBT(pref), DBT(status ? status : ""), DBT(*norm ? pat : ""), DBI(per),
                  DBI((page - 1) * per)};
#define FAC_WHERE                                                                                  \
    " FROM facilities f LEFT JOIN municipalities m ON m.code = f.municipality_code WHERE "         \
    "($1 = '' OR f.prefecture_code = $1) AND ($2 = '' OR f.status = $2) AND ($3 = '' OR "          \
    "LOWER(f.name) LIKE LOWER($3) ESCAPE '\\' OR f.name_kana LIKE $3 ESCAPE '\\')"
    int64_t total = 0;
    db_res *res = NULL;
    int rc = db_scalar(r->db, "SELECT COUNT(*)" FAC_WHERE, p, 3, &total);
    /* The review queue is worked oldest first; other lists show the newest first. */
    if (rc == DB_OK)
        rc = db_query(r->db,
                      "SELECT f.id, f.name, f.name_kana, f.prefecture_code, COALESCE(m.name, ''), "
                      "f.facility_type, f.status, f.created_at" FAC_WHERE
                      " ORDER BY CASE WHEN $2 = 'pending_review' THEN f.id ELSE -f.id END "
                      "LIMIT $4 OFFSET $5",
                      p, 5, &res);
    free(norm);
    free(pat);
    if (rc != DB_OK) {
        db_res_free(res);
        api_dberr(r, "facilities list");
        return;
    }
    json_t *items = json_array();
    for (int i = 0; i < res->nrows; i++)
        json_array_append_new(
            items,
            json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:I}", "id", (json_int_t)db_int(res, i, 0),
                      "name", db_text(res, i, 1), "name_kana", db_text(res, i, 2), "prefecture",
                      db_text(res, i, 3), "municipality_name", db_text(res, i, 4), "facility_type",
                      db_text(res, i, 5), "status", db_text(res, i, 6), "created_at",
                      (json_int_t)db_int(res, i, 7)));
    db_res_free(res);
    reply_json(r, 200,
               json_pack("{s:I,s:I,s:I,s:o}", "total", (json_int_t)total, "page", (json_int_t)page,
                         "per_page", (json_int_t)per, "items", items));
}

static void reply_facility(req *r, int status)
{
    int rc;
    json_t *f = store_facility_json(r->db, r->subject.id, &rc);
    if (!f) {
        if (rc == DB_NOTFOUND)
            reply_error(r, E_NOT_FOUND, NULL);
        else
            api_dberr(r, "facility");
        return;
    }
    reply_json(r, status, json_pack("{s:o}", "facility", f));
}

void h_facility_get(req *r)
{
    reply_facility(r, 200);
}

/* ---- profile update --------------------------------------------------------------------- */

/* JSON key → column; kind of value; whether null/"" may clear it. */
static const struct {
    const char *key, *column, *label;
    bool integer, json, clearable;
} PROFILE[] = {
    {"name", "name", "施設名", false, false, false},
    {"name_kana", "name_kana", "施設名フリガナ", false, false, false},
    {"corporation", "corporation", "法人名", false, false, true},
    {"prefecture", "prefecture_code", "所在地の都道府県", false, false, false},
    {"municipality", "municipality_code", "所在地の市区町村", false, false, false},
    {"postal_code", "postal_code", "郵便番号", false, false, true},
    {"address", "address", "所在地", false, false, true},
    {"facility_type", "facility_type", "施設の種類", false, false, false},
    {"beds", "beds", "病床数", true, false, true},
    {"departments", "departments", "診療科", false, true, false},
    {"station", "station", "最寄り駅", false, false, true},
    {"access", "access", "交通アクセス", false, false, true},
    {"phone", "phone", "電話番号", false, false, false},
    {"contact_name", "contact_name", "担当者名", false, false, true},
};
#define NPROFILE (sizeof PROFILE / sizeof PROFILE[0])

static const vfield PROFILE_SPEC[] = {
    {.name = "name", .label = "施設名", .kind = VK_TEXT, .max = 100},
    {.name = "name_kana", .label = "施設名フリガナ", .kind = VK_KATAKANA, .max = 100},
    {.name = "corporation", .label = "法人名", .kind = VK_TEXT, .max = 100},
    {.name = "prefecture", .label = "所在地の都道府県", .kind = VK_CODE, .codes = PREFECTURE_CODES},
    {.name = "municipality", .label = "所在地の市区町村", .kind = VK_DIGITS, .min = 5, .max = 5},
    {.name = "postal_code", .label = "郵便番号", .kind = VK_DIGITS, .min = 7, .max = 7},
    {.name = "address", .label = "所在地（町名・番地以降）", .kind = VK_TEXT, .max = 200},
    {.name = "facility_type", .label = "施設の種類", .kind = VK_CODE, .codes = FACILITY_TYPES},
    {.name = "beds", .label = "病床数", .type = VT_INTEGER, .min = 0, .max = 10000},
    {.name = "departments",
     .label = "診療科",
     .type = VT_CODE_ARRAY,
     .max = 30,
     .codes = DEPARTMENT_CODES},
    {.name = "station", .label = "最寄り駅", .kind = VK_TEXT, .max = 100},
    {.name = "access", .label = "交通アクセス", .kind = VK_MULTILINE, .max = 500},
    {.name = "phone", .label = "電話番号", .kind = VK_PHONE, .max = 20},
    {.name = "contact_name", .label = "担当者名", .kind = VK_TEXT, .max = 100},
    {.name = NULL}};

typedef struct {
    req *r;
    json_t *current; /* the facility before the change (borrowed) */
    verrs *e;
    int changed;
    bool clear[NPROFILE]; /* PROFILE[i] was sent as null or "": set it to NULL */
} update_ctx;

static int update_tx(db *d, void *arg)
{
    update_ctx *c = arg;
    json_t *body = c->r->json, *diff = json_object();
    int64_t now = time_now();
    int rc = DB_OK;
    /* The municipality must lie in the (possibly new) prefecture. */
    const char *pref =
        vstr(body, "prefecture") ? vstr(body, "prefecture") : vstr(c->current, "prefecture");
    const char *muni =
        vstr(body, "municipality") ? vstr(body, "municipality") : vstr(c->current, "municipality");
    if (rc == DB_OK &&
        (json_object_get(body, "prefecture") || json_object_get(body, "municipality"))) {
        int64_t n = 0;
        db_val p[] = {DBT(muni ? muni : ""), DBT(pref)};
        rc = db_scalar(d,
                       "SELECT COUNT(*) FROM municipalities WHERE code = $1 AND "
                       "prefecture_code = $2",
                       p, 2, &n);
        if (rc == DB_OK && !n) {
            verrs_add(c->e, "municipality", "municipality.invalid",
                      "所在地の市区町村が都道府県と一致しません");
            rc = DB_CONSTRAINT; /* nothing written */
        }
        if (rc != DB_OK) {
            json_decref(diff);
            return rc;
        }
    }
    for (size_t i = 0; rc == DB_OK && i < NPROFILE; i++) {
        json_t *old = json_object_get(c->current, PROFILE[i].key);
        if (!c->clear[i] || !old || json_is_null(old))
            continue;
        rc = store_facility_set(d, c->r->subject.id, PROFILE[i].column, DBNULL, now);
        json_object_set_new(diff, PROFILE[i].key, json_pack("[O,n]", old));
        c->changed++;
    }
    for (size_t i = 0; rc == DB_OK && i < NPROFILE; i++) {
        json_t *v = json_object_get(body, PROFILE[i].key);
        if (!v)
            continue;
        json_t *old = json_object_get(c->current, PROFILE[i].key);
        if (old && json_equal(old, v))
            continue;
        char *text = PROFILE[i].json ? json_dumps(v, JSON_COMPACT) : NULL;
        db_val val = PROFILE[i].integer ? DBI(json_integer_value(v))
                     : PROFILE[i].json  ? DBT(text)
                                        : DBT(json_string_value(v));
        rc = store_facility_set(d, c->r->subject.id, PROFILE[i].column, val, now);
        free(text);
        json_object_set_new(diff, PROFILE[i].key, json_pack("[O,O]", old ? old : json_null(), v));
        c->changed++;
    }
    if (rc == DB_OK && c->changed) {
        char *detail = json_dumps(diff, JSON_COMPACT);
        rc = detail
                 ? store_facility_event(d, c->r->subject.id, c->r->actor.id, "updated", detail, now)
                 : DB_ERROR;
        free(detail);
    }
    json_decref(diff);
    return rc;
}

void h_facility_update(req *r)
{
    /* null or a blank string clears an optional item; required items cannot be cleared. */
    update_ctx c = {.r = r};
    int nclear = 0;
    verrs e = {.n = 0};
    for (size_t i = 0; i < NPROFILE; i++) {
        json_t *v = json_object_get(r->json, PROFILE[i].key);
        const char *sv = json_string_value(v);
        bool blank = json_is_null(v) || (sv && !sv[strspn(sv, " \t")]);
        if (!blank)
            continue;
        if (PROFILE[i].clearable) {
            c.clear[i] = true;
            nclear++;
        } else {
            char code[64], msg[160];
            snprintf(code, sizeof code, "%s.missing", PROFILE[i].key);
            snprintf(msg, sizeof msg, "%sは空欄にできません", PROFILE[i].label);
            verrs_add(&e, PROFILE[i].key, code, msg);
        }
        json_object_del(r->json, PROFILE[i].key);
    }
    validate_object(r->json, PROFILE_SPEC, "", "", &e);
    if (e.n) {
        reply_validation(r, &e);
        return;
    }
    if (json_object_size(r->json) == 0 && nclear == 0) {
        verrs_add(&e, "", "facility.no_changes", "変更する項目を入力してください");
        reply_validation(r, &e);
        return;
    }
    int rc;
    json_t *current = store_facility_json(r->db, r->subject.id, &rc);
    if (!current) {
        api_dberr(r, "facility");
        return;
    }
    c.current = current;
    c.e = &e;
    rc = db_tx(r->db, update_tx, &c);
    json_decref(current);
    if (e.n) {
        reply_validation(r, &e);
        return;
    }
    if (rc != DB_OK) {
        api_dberr(r, "facility update");
        return;
    }
    reply_facility(r, 200);
}

/* ---- review -------------------------------------------------------------------------------- */

typedef struct {
    req *r;
    const char *from, *to, *action, *reason;
    bool bad_state;
} transition_ctx;

static int transition_tx(db *d, void *arg)
{
    transition_ctx *c = arg;
    char status[16];
    int rc = store_facility_status(d, c->r->subject.id, status, sizeof status);
    if (rc != DB_OK)
        return rc;
    if (strcmp(status, c->from) != 0) {
        c->bad_state = true;
        return DB_CONSTRAINT;
    }
    int64_t now = time_now();
    bool review = strcmp(c->action, "submitted") != 0;
    rc = store_facility_set_status(d, c->r->subject.id, c->to, review ? c->reason : NULL,
                                   review ? c->r->actor.id : 0, now);
    json_t *detail = json_pack("{s:s?}", "reason", c->reason);
    char *text = json_dumps(detail, JSON_COMPACT);
    json_decref(detail);
    if (rc == DB_OK)
        rc = store_facility_event(d, c->r->subject.id, c->r->actor.id, c->action, text, now);
    free(text);
    if (rc != DB_OK || !review)
        return rc;
    nbuf body;
    nbuf_init(&body, 8192);
    if (!strcmp(c->to, "approved"))
        nbuf_printf(&body,
                    "施設担当者 様\n\nナースセンターでの施設情報の審査が完了し、承認されました。\n"
                    "求人票を登録できます。\n\n%s/login\n\nナースセンター（nccs）\n",
                    g_config.base_url);
    else
        nbuf_printf(
            &body,
            "施設担当者 様\n\nナースセンターでの施設情報の審査の結果、修正をお願いする点が"
            "あります。\n\n理由:\n%s\n\n施設情報を修正のうえ、再度審査を依頼してください。\n%s/"
            "login\n\nナースセンター（nccs）\n",
            c->reason ? c->reason : "", g_config.base_url);
    rc = body.data
             ? api_mail_facility_admins(d, c->r->subject.id,
                                        !strcmp(c->to, "approved")
                                            ? "【ナースセンター】施設情報が承認されました"
                                            : "【ナースセンター】施設情報の修正をお願いします",
                                        body.data)
             : DB_ERROR;
    nbuf_free(&body);
    return rc;
}

static void run_transition(req *r, transition_ctx *c)
{
    int rc = db_tx(r->db, transition_tx, c);
    if (c->bad_state) {
        reply_error(r, E_BAD_STATE, NULL);
        return;
    }
    if (rc != DB_OK) {
        api_dberr(r, "facility transition");
        return;
    }
    reply_facility(r, 200);
}

void h_facility_submit(req *r)
{
    transition_ctx c = {r, "returned", "pending_review", "submitted", NULL, false};
    run_transition(r, &c);
}

static const char *const DECISIONS[] = {"approve", "return", NULL};
static const vfield REVIEW_SPEC[] = {
    {.name = "decision",
     .label = "審査結果",
     .kind = VK_CODE,
     .required = true,
     .codes = DECISIONS,
     .select = true},
    {.name = "reason", .label = "差し戻しの理由", .kind = VK_MULTILINE, .max = 1000},
    {.name = NULL}};

void h_facility_review(req *r)
{
    if (api_validate(r, REVIEW_SPEC) != 0)
        return;
    bool approve = !strcmp(vstr(r->json, "decision"), "approve");
    const char *reason = vstr(r->json, "reason");
    if (!approve && !reason) {
        verrs e = {.n = 0};
        verrs_add(&e, "reason", "reason.missing", "差し戻しの理由を入力してください");
        reply_validation(r, &e);
        return;
    }
    transition_ctx c = {r,
                        "pending_review",
                        approve ? "approved" : "returned",
                        approve ? "approved" : "returned",
                        approve ? NULL : reason,
                        false};
    run_transition(r, &c);
}

void h_facility_history(req *r)
{
    db_val p[] = {DBI(r->subject.id)};
    db_res *res = NULL;
    if (db_query(r->db,
                 "SELECT e.at, e.action, COALESCE(u.name, ''), COALESCE(u.role, ''), e.detail "
                 "FROM facility_events e LEFT JOIN users u ON u.id = e.actor_user_id "
                 "WHERE e.facility_id = $1 ORDER BY e.at DESC, e.id DESC LIMIT 500",
                 p, 1, &res) != DB_OK) {
        api_dberr(r, "facility history");
        return;
    }
    reply_json(r, 200, json_pack("{s:o}", "items", api_events_json(res)));
    db_res_free(res);
}

/* ---- staff logins ------------------------------------------------------------------------- */

void h_facility_staff(req *r)
{
    db_val p[] = {DBI(r->subject.id)};
    db_res *res = NULL;
    if (db_query(r->db,
                 "SELECT id, email, name, name_kana, role, email_verified_at IS NOT NULL, "
                 "created_at FROM users WHERE facility_id = $1 ORDER BY id",
                 p, 1, &res) != DB_OK) {
        api_dberr(r, "facility staff");
        return;
    }
    json_t *items = json_array();
    for (int i = 0; i < res->nrows; i++) {
        const char *v = db_text(res, i, 5);
        json_array_append_new(
            items, json_pack("{s:I,s:s,s:s,s:s,s:s,s:b,s:I}", "id", (json_int_t)db_int(res, i, 0),
                             "email", db_text(res, i, 1), "name", db_text(res, i, 2), "name_kana",
                             db_text(res, i, 3), "role", db_text(res, i, 4), "active",
                             v && (v[0] == '1' || v[0] == 't'), "created_at",
                             (json_int_t)db_int(res, i, 6)));
    }
    db_res_free(res);
    reply_json(r, 200, json_pack("{s:o}", "items", items));
}

static const char *const FACILITY_ROLES[] = {"facility_admin", "facility_staff", NULL};
static const vfield INVITE_SPEC[] = {
    VF_EMAIL("email", "メールアドレス"),
    {.name = "name", .label = "氏名", .kind = VK_TEXT, .required = true, .max = 100},
    {.name = "name_kana", .label = "フリガナ", .kind = VK_KATAKANA, .required = true, .max = 100},
    {.name = "role",
     .label = "権限",
     .kind = VK_CODE,
     .required = true,
     .codes = FACILITY_ROLES,
     .select = true},
    {.name = NULL}};

static int invite_tx(db *d, void *arg)
{
    req *r = arg;
    json_t *j = r->json;
    const char *email = vstr(j, "email");
    account existing;
    int rc = store_user_by_email(d, email, &existing);
    if (rc == DB_OK) /* no enumeration: the owner of the address is told instead */
        return jobs_enqueue_mail(
            d, email, "【ナースセンター】施設アカウントへの招待について",
            "施設の担当者アカウントへの招待がありましたが、このメールアドレスは既に登録されて"
            "いるため、新しいアカウントは作成していません。\nお心当たりがない場合は、このメールを"
            "破棄してください。\n\nナースセンター（nccs）\n");
    if (rc != DB_NOTFOUND)
        return rc;
    account a;
    memset(&a, 0, sizeof a);
    str_copy(a.email, sizeof a.email, email);
    str_copy(a.role, sizeof a.role, vstr(j, "role"));
    str_copy(a.name, sizeof a.name, vstr(j, "name"));
    str_copy(a.name_kana, sizeof a.name_kana, vstr(j, "name_kana"));
    str_copy(a.prefecture, sizeof a.prefecture, r->subject.prefecture);
    str_copy(a.channel, sizeof a.channel, "pc");
    a.facility_id = r->subject.id;
    int64_t id = 0, now = time_now();
    rc = store_user_insert(d, &a, false, now, &id);
    if (rc == DB_OK) {
        json_t *detail = json_pack("{s:s,s:s}", "email", email, "role", a.role);
        char *text = json_dumps(detail, JSON_COMPACT);
        json_decref(detail);
        rc = store_facility_event(d, r->subject.id, r->actor.id, "staff_invited", text, now);
        free(text);
    }
    if (rc == DB_OK)
        rc = api_mail_token(d, id, "set_password", NULL, email, 72 * 3600,
                            "【ナースセンター】施設アカウントへのご招待",
                            "施設の担当者としてナースセンターのアカウントに招待されました。\n"
                            "リンクを開いてパスワードを設定すると、ログインできます。",
                            "/password-reset", a.name);
    return rc;
}

void h_facility_invite(req *r)
{
    if (api_validate(r, INVITE_SPEC) != 0)
        return;
    if (db_tx(r->db, invite_tx, r) != DB_OK) {
        api_dberr(r, "facility invite");
        return;
    }
    reply_json(r, 202, json_pack("{s:s}", "status", "invitation_sent"));
}
