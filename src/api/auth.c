/* Registration, e-mail verification, login/logout, password reset. */
#include "api/api.h"
#include "http/session.h"
#include "jobs/jobs.h"
#include "store/facilities.h"
#include "util/config.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <string.h>

#define VERIFY_TTL (24 * 3600)
#define RESET_TTL  3600

static const char *const KINDS[] = {"seeker", "facility", NULL};

/* Fields shared by both kinds of registration. */
#define ACCOUNT_FIELDS                                                                             \
    {.name = "kind",                                                                               \
     .label = "登録の種類",                                                                        \
     .kind = VK_CODE,                                                                              \
     .required = true,                                                                             \
     .codes = KINDS,                                                                               \
     .select = true},                                                                              \
        VF_EMAIL("email", "メールアドレス"), VF_NEW_PASSWORD("password", "パスワード"),            \
        {.name = "name", .label = "氏名", .kind = VK_TEXT, .required = true, .max = 100},          \
    {                                                                                              \
        .name = "name_kana", .label = "フリガナ", .kind = VK_KATAKANA, .required = true,           \
        .max = 100                                                                                 \
    }

static const vfield SEEKER_SPEC[] = {
    ACCOUNT_FIELDS,
    {.name = "prefecture",
     .label = "お住まいの都道府県",
     .kind = VK_CODE,
     .required = true,
     .codes = PREFECTURE_CODES,
     .select = true},
    {.name = "phone", .label = "電話番号", .kind = VK_PHONE, .max = 20},
    {.name = "licences",
     .label = "免許",
     .type = VT_OBJECT_ARRAY,
     .required = true,
     .min = 1,
     .max = 4,
     .sub = LICENCE_SPEC},
    {.name = NULL}};

static const vfield FACILITY_SUB[] = {
    {.name = "name", .label = "施設名", .kind = VK_TEXT, .required = true, .max = 100},
    {.name = "name_kana",
     .label = "施設名フリガナ",
     .kind = VK_KATAKANA,
     .required = true,
     .max = 100},
    {.name = "prefecture",
     .label = "所在地の都道府県",
     .kind = VK_CODE,
     .required = true,
     .codes = PREFECTURE_CODES,
     .select = true},
    {.name = "municipality",
     .label = "所在地の市区町村",
     .kind = VK_DIGITS,
     .required = true,
     .min = 5,
     .max = 5,
     .select = true},
    {.name = "facility_type",
     .label = "施設の種類",
     .kind = VK_CODE,
     .required = true,
     .codes = FACILITY_TYPES,
     .select = true},
    {.name = "phone", .label = "施設の電話番号", .kind = VK_PHONE, .required = true, .max = 20},
    {.name = NULL}};

static const vfield FACILITY_SPEC[] = {ACCOUNT_FIELDS,
                                       {.name = "facility",
                                        .label = "施設情報",
                                        .type = VT_OBJECT,
                                        .required = true,
                                        .sub = FACILITY_SUB},
                                       {.name = NULL}};

typedef struct {
    req *r;
    const char *email;
    bool facility;
    char hash[PWHASH_LEN];
    int64_t user_id;
} reg_ctx;

static int register_tx(db *d, void *arg)
{
    reg_ctx *c = arg;
    json_t *j = c->r->json;
    account existing;
    int rc = store_user_by_email(d, c->email, &existing);
    if (rc == DB_OK) {
        /* No account enumeration: answer as usual, tell the owner by mail. */
        char body[2048];
        snprintf(
            body, sizeof body,
            "%s 様\n\nこのメールアドレスで新規登録のお申し込みがありましたが、"
            "このアドレスは既に登録されています。\nログインは %s/login から行えます。"
            "パスワードをお忘れの場合は %s/password-reset から再設定してください。\n\n"
            "お心当たりがない場合は、このメールを破棄してください。\n\nナースセンター（nccs）\n",
            existing.name, g_config.base_url, g_config.base_url);
        return jobs_enqueue_mail(d, c->email, "【ナースセンター】ご登録済みのメールアドレスです",
                                 body);
    }
    if (rc != DB_NOTFOUND)
        return rc;
    account a;
    memset(&a, 0, sizeof a);
    str_copy(a.email, sizeof a.email, c->email);
    str_copy(a.password_hash, sizeof a.password_hash, c->hash);
    str_copy(a.name, sizeof a.name, vstr(j, "name"));
    str_copy(a.name_kana, sizeof a.name_kana, vstr(j, "name_kana"));
    str_copy(a.channel, sizeof a.channel, api_looks_mobile(c->r->ua) ? "smartphone" : "pc");
    int64_t now = time_now();
    if (c->facility) {
        json_t *f = json_object_get(j, "facility");
        int64_t fid = 0;
        rc = store_facility_insert(d, vstr(f, "name"), vstr(f, "name_kana"), vstr(f, "prefecture"),
                                   vstr(f, "municipality"), vstr(f, "facility_type"),
                                   vstr(f, "phone"), now, &fid);
        if (rc != DB_OK)
            return rc;
        str_copy(a.role, sizeof a.role, "facility_admin");
        str_copy(a.prefecture, sizeof a.prefecture, vstr(f, "prefecture"));
        a.facility_id = fid;
    } else {
        str_copy(a.role, sizeof a.role, "seeker");
        str_copy(a.prefecture, sizeof a.prefecture, vstr(j, "prefecture"));
        const char *phone = vstr(j, "phone");
        str_copy(a.phone, sizeof a.phone, phone ? phone : "");
    }
    rc = store_user_insert(d, &a, false, now, &c->user_id);
    if (rc == DB_OK && c->facility) /* the history starts with who registered the facility */
        rc = store_facility_event(d, a.facility_id, c->user_id, "registered", "{}", now);
    if (rc != DB_OK)
        return rc;
    if (!c->facility) {
        json_t *lics = json_object_get(j, "licences");
        size_t i;
        json_t *l;
        json_array_foreach(lics, i, l)
        {
            rc = store_licence_insert(d, c->user_id, vstr(l, "type"), vstr(l, "number"),
                                      vstr(l, "registered_on"));
            if (rc != DB_OK)
                return rc;
        }
    }
    return api_mail_token(d, c->user_id, "verify", NULL, c->email, VERIFY_TTL,
                          "【ナースセンター】メールアドレスの確認をお願いします",
                          "ナースセンターへのご登録ありがとうございます。\n"
                          "メールアドレスの確認が済むと、ログインできるようになります。",
                          "/verify", a.name);
}

/* Checks the facility's municipality exists in its prefecture, and licence types are not
 * repeated; adds errors to e. Returns DB_OK or a DB error. */
static int register_cross_checks(req *r, bool facility, verrs *e)
{
    if (facility) {
        json_t *f = json_object_get(r->json, "facility");
        const char *muni = vstr(f, "municipality"), *pref = vstr(f, "prefecture");
        if (muni && pref) {
            int64_t n = 0;
            db_val p[] = {DBT(muni), DBT(pref)};
            int rc = db_scalar(r->db,
                               "SELECT COUNT(*) FROM municipalities WHERE code = $1 AND "
                               "prefecture_code = $2",
                               p, 2, &n);
            if (rc != DB_OK)
                return rc;
            if (!n)
                verrs_add(e, "facility.municipality", "facility.municipality.invalid",
                          "所在地の市区町村が都道府県と一致しません");
        }
        return DB_OK;
    }
    json_t *lics = json_object_get(r->json, "licences");
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
    return DB_OK;
}

void h_register(req *r)
{
    const char *kind = vstr(r->json, "kind");
    bool facility = kind && !strcmp(kind, "facility");
    verrs e = {.n = 0};
    validate_object(r->json, facility ? FACILITY_SPEC : SEEKER_SPEC, "", "", &e);
    if (e.n == 0 && register_cross_checks(r, facility, &e) != DB_OK) {
        api_dberr(r, "register checks");
        return;
    }
    if (e.n) {
        reply_validation(r, &e);
        return;
    }
    reg_ctx c = {.r = r, .email = vstr(r->json, "email"), .facility = facility};
    /* Hash before the transaction (and for existing addresses too: equal timing). */
    if (crypto_password_hash(vstr(r->json, "password"), c.hash, sizeof c.hash) != 0) {
        reply_error(r, E_INTERNAL, NULL);
        return;
    }
    int rc = db_tx(r->db, register_tx, &c);
    if (rc != DB_OK) {
        api_dberr(r, "register");
        return;
    }
    reply_json(r, 202, json_pack("{s:s}", "status", "verification_sent"));
}

/* ---- verification (new account or e-mail change) ------------------------------------ */

typedef struct {
    const char *hash;
    bool conflict;
} verify_ctx;

static int verify_tx(db *d, void *arg)
{
    verify_ctx *c = arg;
    int64_t uid = 0, now = time_now();
    char kind[32], new_email[256];
    int rc = store_token_take(d, c->hash, "verify", "email_change", now, &uid, kind, sizeof kind,
                              new_email, sizeof new_email);
    if (rc != DB_OK)
        return rc;
    if (!strcmp(kind, "email_change")) {
        rc = store_user_set_email(d, uid, new_email, now);
        if (rc == DB_CONSTRAINT) {
            c->conflict = true;
            return rc;
        }
        if (rc == DB_OK)
            rc = store_sessions_delete_user(d, uid, 0);
        return rc;
    }
    return store_user_set_verified(d, uid, now);
}

static const vfield TOKEN_SPEC[] = {
    {.name = "token", .label = "確認コード", .kind = VK_TOKEN, .required = true, .max = 64},
    {.name = NULL}};

void h_verify(req *r)
{
    if (api_validate(r, TOKEN_SPEC) != 0)
        return;
    char hash[TOKEN_HASH_LEN];
    crypto_token_hash(vstr(r->json, "token"), hash, sizeof hash);
    verify_ctx c = {hash, false};
    int rc = db_tx(r->db, verify_tx, &c);
    if (rc == DB_NOTFOUND || c.conflict) {
        reply_error(r, c.conflict ? E_CONFLICT : E_TOKEN_INVALID, NULL);
        return;
    }
    if (rc != DB_OK) {
        api_dberr(r, "verify");
        return;
    }
    reply_json(r, 200, json_pack("{s:s}", "status", "verified"));
}

/* ---- login / logout --------------------------------------------------------------------- */

static const vfield LOGIN_SPEC[] = {
    VF_EMAIL("email", "メールアドレス"), VF_PASSWORD("password", "パスワード"), {.name = NULL}};

static void throttled(req *r, int64_t oldest)
{
    int64_t wait = oldest + g_config.login_window - time_now();
    char v[32];
    snprintf(v, sizeof v, "%lld", (long long)(wait > 1 ? wait : 1));
    req_add_header(r, "Retry-After", v);
    reply_error(r, E_THROTTLED, NULL);
}

void h_login(req *r)
{
    if (api_validate(r, LOGIN_SPEC) != 0)
        return;
    const char *email = vstr(r->json, "email"), *pw = vstr(r->json, "password");
    int64_t now = time_now(), by_email = 0, by_ip = 0, old_email = 0, old_ip = 0;
    if (store_login_failures(r->db, email, r->ip, now - g_config.login_window, &by_email, &by_ip,
                             &old_email, &old_ip) != DB_OK) {
        api_dberr(r, "login throttle");
        return;
    }
    if (by_email >= g_config.login_account_max) {
        throttled(r, old_email);
        return;
    }
    if (by_ip >= g_config.login_ip_max) {
        throttled(r, old_ip);
        return;
    }
    account a;
    int rc = store_user_by_email(r->db, email, &a);
    if (rc != DB_OK && rc != DB_NOTFOUND) {
        api_dberr(r, "login lookup");
        return;
    }
    bool ok;
    if (rc == DB_NOTFOUND) {
        crypto_password_dummy(pw);
        ok = false;
    } else {
        ok = crypto_password_verify(a.password_hash, pw) && !strcmp(a.status, "active");
    }
    if (!ok) {
        if (store_login_failure_add(r->db, email, r->ip, now) != DB_OK) {
            api_dberr(r, "login failure record");
            return;
        }
        reply_error(r, E_INVALID_CREDENTIALS, NULL);
        return;
    }
    if (!a.verified) {
        reply_error(r, E_UNVERIFIED, NULL);
        return;
    }
    if (r->signed_in)
        session_end(r); /* never reuse a session across logins */
    if (store_login_failures_clear(r->db, email) != DB_OK || session_start(r, &a) != 0) {
        api_dberr(r, "login session");
        return;
    }
    reply_json(r, 200, json_pack("{s:o,s:s}", "user", user_json(&a), "csrf_token", r->csrf));
}

void h_logout(req *r)
{
    if (session_end(r) != 0) {
        api_dberr(r, "logout");
        return;
    }
    reply_empty(r, 204);
}

/* ---- password reset ------------------------------------------------------------------- */

static const vfield RESET_SPEC[] = {VF_EMAIL("email", "メールアドレス"), {.name = NULL}};

typedef struct {
    const char *email;
} reset_ctx;

static int reset_tx(db *d, void *arg)
{
    reset_ctx *c = arg;
    account a;
    int rc = store_user_by_email(d, c->email, &a);
    if (rc == DB_NOTFOUND || (rc == DB_OK && strcmp(a.status, "active") != 0))
        return DB_OK; /* nothing to send, same answer */
    if (rc != DB_OK)
        return rc;
    int64_t recent = 0;
    rc = store_tokens_recent(d, a.id, "reset", time_now() - 3600, &recent);
    if (rc != DB_OK || recent >= 5) /* cap mails per hour against mail bombing */
        return rc;
    return api_mail_token(
        d, a.id, "reset", NULL, a.email, RESET_TTL, "【ナースセンター】パスワード再設定のご案内",
        "パスワード再設定のお申し込みを受け付けました。", "/password-reset", a.name);
}

void h_reset_request(req *r)
{
    if (api_validate(r, RESET_SPEC) != 0)
        return;
    reset_ctx c = {vstr(r->json, "email")};
    if (db_tx(r->db, reset_tx, &c) != DB_OK) {
        api_dberr(r, "reset request");
        return;
    }
    reply_json(r, 202, json_pack("{s:s}", "status", "sent_if_registered"));
}

static const vfield RESET_DONE_SPEC[] = {
    {.name = "token", .label = "確認コード", .kind = VK_TOKEN, .required = true, .max = 64},
    VF_NEW_PASSWORD("password", "新しいパスワード"),
    {.name = NULL}};

typedef struct {
    const char *token_hash;
    const char *pw_hash;
} reset_done_ctx;

static int reset_done_tx(db *d, void *arg)
{
    reset_done_ctx *c = arg;
    int64_t uid = 0, now = time_now();
    char kind[32], unused[8];
    int rc = store_token_take(d, c->token_hash, "reset", "set_password", now, &uid, kind,
                              sizeof kind, unused, sizeof unused);
    if (rc == DB_OK)
        rc = store_user_set_password(d, uid, c->pw_hash, now);
    if (rc == DB_OK) /* the link proved control of the mailbox */
        rc = store_user_set_verified(d, uid, now);
    if (rc == DB_OK)
        rc = store_sessions_delete_user(d, uid, 0);
    return rc;
}

void h_reset_complete(req *r)
{
    if (api_validate(r, RESET_DONE_SPEC) != 0)
        return;
    char th[TOKEN_HASH_LEN], pw[PWHASH_LEN];
    crypto_token_hash(vstr(r->json, "token"), th, sizeof th);
    if (crypto_password_hash(vstr(r->json, "password"), pw, sizeof pw) != 0) {
        reply_error(r, E_INTERNAL, NULL);
        return;
    }
    reset_done_ctx c = {th, pw};
    int rc = db_tx(r->db, reset_done_tx, &c);
    if (rc == DB_NOTFOUND) {
        reply_error(r, E_TOKEN_INVALID, NULL);
        return;
    }
    if (rc != DB_OK) {
        api_dberr(r, "reset complete");
        return;
    }
    reply_empty(r, 204);
}
