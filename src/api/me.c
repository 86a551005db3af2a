/* The signed-in caller: profile, password and e-mail change, who viewed my record. */
#include "api/api.h"
#include "http/session.h"
#include "jobs/jobs.h"
#include "util/crypto.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <string.h>

static int load_me(req *r, account *a)
{
    int rc = store_user_by_id(r->db, r->actor.id, a);
    if (rc != DB_OK) {
        api_dberr(r, "me");
        return -1;
    }
    return 0;
}

void h_me(req *r)
{
    account a;
    if (load_me(r, &a) != 0)
        return;
    reply_json(r, 200, json_pack("{s:o,s:s}", "user", user_json(&a), "csrf_token", r->csrf));
}

static const vfield PASSWORD_SPEC[] = {VF_PASSWORD("current_password", "現在のパスワード"),
                                       VF_NEW_PASSWORD("new_password", "新しいパスワード"),
                                       {.name = NULL}};

typedef struct {
    int64_t uid, keep;
    const char *hash;
} pw_ctx;

static int password_tx(db *d, void *arg)
{
    pw_ctx *c = arg;
    int rc = store_user_set_password(d, c->uid, c->hash, time_now());
    if (rc == DB_OK)
        rc = store_sessions_delete_user(d, c->uid, c->keep);
    return rc;
}

void h_me_password(req *r)
{
    if (api_validate(r, PASSWORD_SPEC) != 0)
        return;
    account a;
    if (load_me(r, &a) != 0)
        return;
    if (!crypto_password_verify(a.password_hash, vstr(r->json, "current_password"))) {
        verrs e = {.n = 0};
        verrs_add(&e, "current_password", "current_password.invalid",
                  "現在のパスワードが正しくありません");
        reply_validation(r, &e);
        return;
    }
    char hash[PWHASH_LEN];
    if (crypto_password_hash(vstr(r->json, "new_password"), hash, sizeof hash) != 0) {
        reply_error(r, E_INTERNAL, NULL);
        return;
    }
    pw_ctx c = {a.id, r->session_id, hash};
    if (db_tx(r->db, password_tx, &c) != DB_OK) {
        api_dberr(r, "password change");
        return;
    }
    reply_empty(r, 204);
}

static const vfield EMAIL_SPEC[] = {VF_EMAIL("email", "新しいメールアドレス"),
                                    VF_PASSWORD("password", "パスワード"),
                                    {.name = NULL}};

typedef struct {
    const account *a;
    const char *email;
} email_ctx;

static int email_tx(db *d, void *arg)
{
    email_ctx *c = arg;
    account other;
    int rc = store_user_by_email(d, c->email, &other);
    if (rc == DB_OK) {
        /* Taken: tell the new address without revealing whose it is. */
        return jobs_enqueue_mail(
            d, c->email, "【ナースセンター】メールアドレス変更のお申し込みについて",
            "このメールアドレスへの変更のお申し込みがありましたが、既に別のアカウントで使われて"
            "いるため変更できませんでした。\nお心当たりがない場合は、このメールを破棄してください。"
            "\n\n"
            "ナースセンター（nccs）\n");
    }
    if (rc != DB_NOTFOUND)
        return rc;
    return api_mail_token(
        d, c->a->id, "email_change", c->email, c->email, 24 * 3600,
        "【ナースセンター】新しいメールアドレスの確認をお願いします",
        "メールアドレス変更のお申し込みを受け付けました。\n"
        "このリンクを開くと変更が完了します（変更後は再度ログインしてください）。",
        "/verify", c->a->name);
}

void h_me_email(req *r)
{
    if (api_validate(r, EMAIL_SPEC) != 0)
        return;
    account a;
    if (load_me(r, &a) != 0)
        return;
    if (!crypto_password_verify(a.password_hash, vstr(r->json, "password"))) {
        verrs e = {.n = 0};
        verrs_add(&e, "password", "password.invalid", "パスワードが正しくありません");
        reply_validation(r, &e);
        return;
    }
    email_ctx c = {&a, vstr(r->json, "email")};
    if (!strcmp(c.email, a.email)) {
        verrs e = {.n = 0};
        verrs_add(&e, "email", "email.unchanged", "現在と同じメールアドレスです");
        reply_validation(r, &e);
        return;
    }
    if (db_tx(r->db, email_tx, &c) != DB_OK) {
        api_dberr(r, "email change");
        return;
    }
    reply_json(r, 202, json_pack("{s:s}", "status", "verification_sent"));
}

void h_me_views(req *r)
{
    db_val p[] = {DBI(r->actor.id)};
    db_res *res = NULL;
    if (db_query(r->db,
                 "SELECT a.at, a.action, a.actor_role, COALESCE(c.name, '') FROM audit_log a "
                 "LEFT JOIN nurse_centers c ON c.prefecture_code = a.actor_prefecture "
                 "WHERE a.subject_user_id = $1 ORDER BY a.at DESC, a.id DESC LIMIT 200",
                 p, 1, &res) != DB_OK) {
        api_dberr(r, "views");
        return;
    }
    json_t *items = json_array();
    for (int i = 0; i < res->nrows; i++) {
        const char *arole = db_text(res, i, 2), *center = db_text(res, i, 3);
        const char *org = center && *center            ? center
                          : !strcmp(arole, "central")  ? "中央ナースセンター"
                          : !strcmp(arole, "sysadmin") ? "システム管理者"
                                                       : "";
        json_array_append_new(
            items, json_pack("{s:I,s:s,s:s,s:s,s:s}", "at", (json_int_t)db_int(res, i, 0), "action",
                             db_text(res, i, 1), "actor_role", arole, "actor_role_label",
                             role_label(role_parse(arole)), "actor_org", org));
    }
    db_res_free(res);
    reply_json(r, 200, json_pack("{s:o}", "items", items));
}
