/* Job seekers (求職者): the profile with experience and desired conditions, registration
 * validity (renew, pause), staff access within their prefecture, and registration at a center
 * counter for nurses without internet. Scope: /me/... is the caller; /people/{id}/... is decided
 * by the router (SCOPE_PERSON → authz_person); role sets are in routes.c. Staff reads and writes
 * are audited like GET /people/{id}. */
#include "api/api.h"
#include "search/match_feed.h"
#include "store/casework.h"
#include "store/seekers.h"
#include "util/crypto.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Upper bounds of the wage wish (yen): far above any real nurse wage, to catch typing errors. */
#define WAGE_MAX_MONTHLY 5000000
#define WAGE_MAX_HOURLY  100000

static const char *const WAGE_TYPES[] = {"monthly", "hourly", NULL};

static const vfield EXPERIENCE_SPEC[] = {
    {.name = "years",
     .label = "看護職としての経験年数",
     .type = VT_INTEGER,
     .required = true,
     .min = 0,
     .max = 70},
    {.name = "departments",
     .label = "経験した診療科",
     .type = VT_CODE_ARRAY,
     .max = 30,
     .codes = DEPARTMENT_CODES},
    {.name = "skills", .label = "得意な分野・スキル", .kind = VK_MULTILINE, .max = 1000},
    {.name = "last_facility_type",
     .label = "直近の勤務先の種類",
     .kind = VK_CODE,
     .codes = FACILITY_TYPES,
     .select = true},
    {.name = "career_break_months",
     .label = "離職期間（月数）",
     .type = VT_INTEGER,
     .min = 0,
     .max = 840},
    {.name = NULL}};

static const vfield MUNICIPALITY_ITEM[] = {
    {.name = "municipality", .label = "希望する市区町村", .kind = VK_DIGITS, .min = 5, .max = 5},
    {.name = NULL}};

static const vfield WAGE_SPEC[] = {{.name = "type",
                                    .label = "希望賃金の種類（月給・時給）",
                                    .kind = VK_CODE,
                                    .required = true,
                                    .codes = WAGE_TYPES,
                                    .select = true},
                                   {.name = "min",
                                    .label = "希望賃金の下限（円）",
                                    .type = VT_INTEGER,
                                    .required = true,
                                    .min = 1,
                                    .max = WAGE_MAX_MONTHLY},
                                   {.name = NULL}};

static const vfield WISHES_SPEC[] = {
    {.name = "prefectures",
     .label = "希望する都道府県",
     .type = VT_CODE_ARRAY,
     .max = 47,
     .codes = PREFECTURE_CODES},
    {.name = "municipalities",
     .label = "希望する市区町村",
     .type = VT_STRING_ARRAY,
     .max = 50,
     .sub = MUNICIPALITY_ITEM},
    {.name = "employment_forms",
     .label = "希望する雇用形態",
     .type = VT_CODE_ARRAY,
     .max = 3,
     .codes = EMPLOYMENT_FORMS},
    {.name = "shift_patterns",
     .label = "希望する勤務形態",
     .type = VT_CODE_ARRAY,
     .max = 5,
     .codes = SHIFT_CODES},
    {.name = "max_night_shifts",
     .label = "月の夜勤回数の上限",
     .type = VT_INTEGER,
     .min = 0,
     .max = 31},
    {.name = "wage", .label = "希望賃金", .type = VT_OBJECT, .sub = WAGE_SPEC},
    {.name = "facility_types",
     .label = "希望する施設の種類",
     .type = VT_CODE_ARRAY,
     .max = 13,
     .codes = FACILITY_TYPES},
    {.name = "departments",
     .label = "希望する診療科",
     .type = VT_CODE_ARRAY,
     .max = 30,
     .codes = DEPARTMENT_CODES},
    {.name = "start_date", .label = "就業開始の希望日", .kind = VK_DATE, .max = 10},
    {.name = "childcare", .label = "託児所の希望", .type = VT_BOOL},
    {.name = "commute_minutes",
     .label = "通勤時間の上限（分）",
     .type = VT_INTEGER,
     .min = 0,
     .max = 600},
    {.name = NULL}};

/* The profile members shared by PUT (own or staff) and the counter registration. */
#define PROFILE_FIELDS                                                                             \
    {.name = "work_status",                                                                        \
     .label = "現在の就業状況",                                                                    \
     .kind = VK_CODE,                                                                              \
     .required = true,                                                                             \
     .codes = WORK_STATUSES,                                                                       \
     .select = true},                                                                              \
        {.name = "prefecture",                                                                     \
         .label = "登録するナースセンター（都道府県）",                                            \
         .kind = VK_CODE,                                                                          \
         .required = true,                                                                         \
         .codes = PREFECTURE_CODES,                                                                \
         .select = true},                                                                          \
        {.name = "phone", .label = "電話番号", .kind = VK_PHONE, .max = 20},                       \
        {.name = "contact_hours", .label = "連絡を希望する時間帯", .kind = VK_TEXT, .max = 100},   \
        {.name = "email_consent",                                                                  \
         .label = "メールでの求人案内の受け取り",                                                  \
         .type = VT_BOOL,                                                                          \
         .required = true,                                                                         \
         .select = true},                                                                          \
        {.name = "experience",                                                                     \
         .label = "経験",                                                                          \
         .type = VT_OBJECT,                                                                        \
         .required = true,                                                                         \
         .sub = EXPERIENCE_SPEC},                                                                  \
    {                                                                                              \
        .name = "wishes", .label = "希望条件", .type = VT_OBJECT, .required = true,                \
        .sub = WISHES_SPEC                                                                         \
    }

static const vfield PROFILE_SPEC[] = {PROFILE_FIELDS,
                                      {.name = "licences",
                                       .label = "免許",
                                       .type = VT_OBJECT_ARRAY,
                                       .min = 1,
                                       .max = 4,
                                       .sub = LICENCE_SPEC},
                                      {.name = NULL}};

static const vfield REGISTER_SPEC[] = {
    {.name = "name", .label = "氏名", .kind = VK_TEXT, .required = true, .max = 100},
    {.name = "name_kana", .label = "フリガナ", .kind = VK_KATAKANA, .required = true, .max = 100},
    {.name = "email", .label = "メールアドレス", .kind = VK_EMAIL, .max = 254},
    PROFILE_FIELDS,
    {.name = "licences",
     .label = "免許",
     .type = VT_OBJECT_ARRAY,
     .required = true,
     .min = 1,
     .max = 4,
     .sub = LICENCE_SPEC},
    {.name = NULL}};

/* Rules across fields and against reference tables, after the spec passed: hourly wage bound,
 * licence types not repeated, municipalities that exist, and center staff keep the seeker in
 * their own prefecture. Adds to e; returns DB_OK or a DB error. */
static int cross_checks(req *r, verrs *e)
{
    json_t *j = r->json, *w = json_object_get(j, "wishes");
    json_t *wage = json_object_get(w, "wage");
    const char *wt = vstr(wage, "type");
    if (wt && !strcmp(wt, "hourly") &&
        json_integer_value(json_object_get(wage, "min")) > WAGE_MAX_HOURLY) {
        char msg[160];
        snprintf(msg, sizeof msg, "時給の希望は%d円以下で入力してください", WAGE_MAX_HOURLY);
        verrs_add(e, "wishes.wage.min", "wishes.wage.min.out_of_range", msg);
    }
    json_t *lics = json_object_get(j, "licences");
    for (size_t i = 0; i < json_array_size(lics); i++)
        for (size_t k = 0; k < i; k++) {
            const char *a = vstr(json_array_get(lics, i), "type");
            const char *b = vstr(json_array_get(lics, k), "type");
            if (a && b && !strcmp(a, b)) {
                char field[64];
                snprintf(field, sizeof field, "licences[%zu].type", i);
                verrs_add(e, field, "licences.type.duplicate", "同じ種類の免許が重複しています");
            }
        }
    if ((r->actor.role & ROLES_CENTER) && strcmp(vstr(j, "prefecture"), r->actor.prefecture) != 0)
        verrs_add(e, "prefecture", "prefecture.invalid",
                  "所属するナースセンターの都道府県以外は指定できません");
    json_t *munis = json_object_get(w, "municipalities");
    for (size_t i = 0; i < json_array_size(munis); i++) {
        int64_t n = 0;
        db_val p[] = {DBT(json_string_value(json_array_get(munis, i)))};
        int rc = db_scalar(r->db, "SELECT COUNT(*) FROM municipalities WHERE code = $1", p, 1, &n);
        if (rc != DB_OK)
            return rc;
        if (!n) {
            char field[64];
            snprintf(field, sizeof field, "wishes.municipalities[%zu]", i);
            verrs_add(e, field, "wishes.municipalities.invalid",
                      "希望する市区町村の値が正しくありません");
            break;
        }
    }
    return DB_OK;
}

/* Validates r->json against spec plus the cross checks; replies (422 or 500) and returns -1 on
 * failure. */
static int validate_profile(req *r, const vfield *spec)
{
    verrs e = {.n = 0};
    validate_object(r->json, spec, "", "", &e);
    if (e.n == 0 && cross_checks(r, &e) != DB_OK)
        return api_dberr(r, "seeker checks");
    if (e.n) {
        reply_validation(r, &e);
        return -1;
    }
    return 0;
}

/* Replies with the profile of uid; 404 when there is none. */
static void reply_seeker(req *r, int64_t uid, int status)
{
    int rc;
    json_t *s = store_seeker_json(r->db, uid, &rc);
    if (!s) {
        if (rc == DB_NOTFOUND)
            reply_error(r, E_NOT_FOUND, NULL);
        else
            api_dberr(r, "seeker");
        return;
    }
    reply_json(r, status, json_pack("{s:o}", "seeker", s));
}

/* Logs a staff action on a person's seeker record (reads and writes; the seeker sees them in
 * GET /me/views). */
static int audit(req *r, db *d, int64_t subject, const char *action)
{
    if (r->actor.id == subject)
        return DB_OK;
    return store_audit_add(d, time_now(), r->actor.id, role_name(r->actor.role),
                           r->actor.prefecture, subject, action, "seeker", r->ip);
}

/* ---- profile: read and write -------------------------------------------------------------- */

typedef struct {
    req *r;
    int64_t uid;
    bool created;
} put_ctx;

static int put_tx(db *d, void *arg)
{
    put_ctx *c = arg;
    int64_t now = time_now();
    int rc = store_seeker_put(d, c->uid, c->r->json, c->r->actor.id, now, &c->created);
    if (rc == DB_OK)
        rc = audit(c->r, d, c->uid, "update");
    /* A nurse's own first registration goes into the center's queue for a first contact
     * (staff-made profiles were made in contact with the nurse). */
    if (rc == DB_OK && c->created && c->r->actor.id == c->uid)
        rc = store_task_open_contact(d, vstr(c->r->json, "prefecture"), "registration", c->uid, 0,
                                     now);
    return rc;
}

static void put_profile(req *r, int64_t uid)
{
    if (validate_profile(r, PROFILE_SPEC) != 0)
        return;
    put_ctx c = {r, uid, false};
    if (db_tx(r->db, put_tx, &c) != DB_OK) {
        api_dberr(r, "seeker put");
        return;
    }
    match_feed_seeker(r->db, uid); /* the matcher sees the saved wishes at once */
    reply_seeker(r, uid, c.created ? 201 : 200);
}

void h_me_seeker_get(req *r)
{
    reply_seeker(r, r->actor.id, 200);
}

void h_me_seeker_put(req *r)
{
    put_profile(r, r->actor.id);
}

void h_person_seeker_get(req *r)
{
    int rc;
    json_t *s = store_seeker_json(r->db, r->subject.id, &rc);
    if (!s) {
        if (rc == DB_NOTFOUND)
            reply_error(r, E_NOT_FOUND, NULL);
        else
            api_dberr(r, "seeker");
        return;
    }
    /* Every staff read of a person's record is logged. */
    if (audit(r, r->db, r->subject.id, "read") != DB_OK) {
        json_decref(s);
        api_dberr(r, "audit");
        return;
    }
    reply_json(r, 200, json_pack("{s:o}", "seeker", s));
}

void h_person_seeker_put(req *r)
{
    put_profile(r, r->subject.id);
}

/* ---- registration validity ------------------------------------------------------------------ */

typedef struct {
    int64_t uid;
    const char *to;
    bool renew, missing, bad_state;
} status_ctx;

static int status_tx(db *d, void *arg)
{
    status_ctx *c = arg;
    char status[16];
    int rc = store_seeker_status(d, c->uid, status, sizeof status);
    if (rc == DB_NOTFOUND) {
        c->missing = true;
        return rc;
    }
    if (rc != DB_OK)
        return rc;
    if (!c->renew && !strcmp(status, "closed")) { /* pause: only an open registration */
        c->bad_state = true;
        return DB_CONSTRAINT;
    }
    return store_seeker_set_status(d, c->uid, c->to, c->renew, time_now());
}

static void set_status(req *r, const char *to, bool renew)
{
    status_ctx c = {r->actor.id, to, renew, false, false};
    int rc = db_tx(r->db, status_tx, &c);
    if (c.missing) {
        reply_error(r, E_NOT_FOUND, NULL);
        return;
    }
    if (c.bad_state) {
        reply_error(r, E_BAD_STATE, NULL);
        return;
    }
    if (rc != DB_OK) {
        api_dberr(r, "seeker status");
        return;
    }
    match_feed_seeker(r->db, r->actor.id);
    reply_seeker(r, r->actor.id, 200);
}

void h_me_seeker_renew(req *r)
{
    set_status(r, "active", true);
}

void h_me_seeker_pause(req *r)
{
    set_status(r, "paused", false);
}

/* ---- registration at a center counter (channel "center") ----------------------------------- */

typedef struct {
    req *r;
    int64_t id;
    bool taken;
} reg_ctx;

static int register_tx(db *d, void *arg)
{
    reg_ctx *c = arg;
    json_t *j = c->r->json;
    const char *email = vstr(j, "email");
    account a;
    memset(&a, 0, sizeof a);
    if (email) {
        int rc = store_user_by_email(d, email, &a);
        if (rc == DB_OK) {
            c->taken = true;
            return DB_CONSTRAINT;
        }
        if (rc != DB_NOTFOUND)
            return rc;
        memset(&a, 0, sizeof a);
        str_copy(a.email, sizeof a.email, email);
    } else {
        /* users.email is required and unique: a nurse without an address gets a placeholder in
         * the reserved .invalid domain, which is never mailed and cannot log in (no password). */
        char tok[TOKEN_B64_LEN];
        crypto_token(tok, sizeof tok);
        snprintf(a.email, sizeof a.email, "no-email-%.16s@center.invalid", tok);
        str_ascii_lower(a.email);
    }
    str_copy(a.role, sizeof a.role, "seeker");
    str_copy(a.name, sizeof a.name, vstr(j, "name"));
    str_copy(a.name_kana, sizeof a.name_kana, vstr(j, "name_kana"));
    str_copy(a.prefecture, sizeof a.prefecture, vstr(j, "prefecture"));
    str_copy(a.channel, sizeof a.channel, "center");
    int64_t now = time_now();
    int rc = store_user_insert(d, &a, false, now, &c->id); /* no password: cannot log in */
    bool created = false;
    if (rc == DB_OK)
        rc = store_seeker_put(d, c->id, j, c->r->actor.id, now, &created);
    if (rc == DB_OK)
        rc = audit(c->r, d, c->id, "create");
    /* With an address, the nurse may set a password later and use the site. */
    if (rc == DB_OK && email)
        rc = api_mail_token(d, c->id, "set_password", NULL, email, 72 * 3600,
                            "【ナースセンター】求職者登録のお知らせ",
                            "ナースセンターの窓口で求職者として登録しました。\n"
                            "インターネットでもご利用になる場合は、リンクを開いてパスワードを"
                            "設定してください。",
                            "/password-reset", a.name);
    return rc;
}

void h_seekers_register(req *r)
{
    if (validate_profile(r, REGISTER_SPEC) != 0)
        return;
    reg_ctx c = {r, 0, false};
    int rc = db_tx(r->db, register_tx, &c);
    if (c.taken) {
        verrs e = {.n = 0};
        verrs_add(&e, "email", "email.duplicate", "このメールアドレスは既に登録されています");
        reply_validation(r, &e);
        return;
    }
    if (rc != DB_OK) {
        api_dberr(r, "seeker register");
        return;
    }
    match_feed_seeker(r->db, c.id);
    int qrc;
    json_t *s = store_seeker_json(r->db, c.id, &qrc);
    if (!s) {
        api_dberr(r, "seeker");
        return;
    }
    reply_json(r, 201, json_pack("{s:I,s:o}", "id", (json_int_t)c.id, "seeker", s));
}
