/* Notifications (届出): filing by the nurse (with or without a session), at the center counter
 * and by a facility as proxy (one at a time or a bulk upload), change notifications (変更届),
 * confirmation through a mailed one-time link or the nurse's paper consent, lists and the CSV
 * export. What activation does (the holder's record, 届出連携, the first-contact task) is in
 * notif_activated(). The upload is in notification_upload.c. */
#include "api/api.h"
#include "api/notify.h"
#include "domain/casework.h"
#include "domain/notification.h"
#include "jobs/jobs.h"
#include "report/csv.h"
#include "search/match_feed.h"
#include "store/casework.h"
#include "store/db_json.h"
#include "store/notifications.h"
#include "store/seekers.h"
#include "util/config.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONFIRM_TTL      (14 * 24 * 3600)
#define ANON_PENDING_MAX 3

/* ---- shared steps -------------------------------------------------------------------------- */

int notif_mail_confirm(db *d, int64_t nid, const char *to, const char *name, const char *intro)
{
    if (!to || !*to || strstr(to, ".invalid"))
        return DB_OK; /* no address: the nurse's paper consent activates it */
    char tok[TOKEN_B64_LEN], hash[TOKEN_HASH_LEN];
    crypto_token(tok, sizeof tok);
    crypto_token_hash(tok, hash, sizeof hash);
    int64_t now = time_now();
    int rc = store_notif_token_insert(d, nid, hash, now, now + CONFIRM_TTL);
    if (rc != DB_OK)
        return rc;
    nbuf body;
    nbuf_init(&body, 8192);
    if (nbuf_printf(&body,
                    "%s 様\n\n%s\n\n内容を確認し、よろしければ以下のリンクから確認の手続きをして"
                    "ください（有効期限: 14日間、一度だけ使えます）。\n\n%s/notify/confirm?token=%s"
                    "\n\nお心当たりがない場合は、このメールを破棄し、お近くのナースセンターに"
                    "ご連絡ください。\n\nナースセンター（nccs）\n",
                    name, intro, g_config.base_url, tok) != 0) {
        nbuf_free(&body);
        return DB_ERROR;
    }
    rc = jobs_enqueue_mail(d, to, "【ナースセンター】届出内容のご確認のお願い", body.data);
    nbuf_free(&body);
    return rc;
}

/* The seeker work status that corresponds to a notification's working status. */
static const char *seeker_work_status(const char *ws)
{
    if (ws && !strcmp(ws, "non_nursing"))
        return "employed";
    if (ws && !strcmp(ws, "studying"))
        return "student";
    return "not_working";
}

/* 届出連携: the nurse becomes a registered job seeker without retyping (a profile from the
 * notification), or an existing registration is linked (reopened when closed). */
static int opt_in_seeker(db *d, int64_t uid, const char *pref, const json_t *body, int64_t now)
{
    char status[16];
    int rc = store_seeker_status(d, uid, status, sizeof status);
    if (rc == DB_OK)
        return strcmp(status, "closed") ? DB_OK
                                        : store_seeker_set_status(d, uid, "active", true, now);
    if (rc != DB_NOTFOUND)
        return rc;
    const json_t *opt = json_object_get(body, "seeker_opt_in");
    json_t *p =
        json_pack("{s:s,s:s,s:b,s:{s:I,s:[]},s:{s:[s]}}", "prefecture", pref, "work_status",
                  seeker_work_status(json_string_value(json_object_get(body, "work_status"))),
                  "email_consent", 0, "experience", "years",
                  json_integer_value(json_object_get(opt, "experience_years")), "departments",
                  "wishes", "prefectures", pref);
    if (!p)
        return DB_ERROR;
    bool created = false;
    rc = store_seeker_put(d, uid, p, 0, now, &created);
    json_decref(p);
    return rc;
}

int notif_activated(db *d, int64_t nid, int64_t now, bool *seeker_changed)
{
    int64_t uid = 0;
    char pref[3];
    json_t *body = NULL;
    int rc = store_notif_basics(d, nid, &uid, pref, sizeof pref, &body);
    if (rc == DB_OK)
        rc = store_holder_sync(d, uid, body);
    if (rc == DB_OK && json_is_object(json_object_get(body, "seeker_opt_in"))) {
        rc = opt_in_seeker(d, uid, pref, body, now);
        if (seeker_changed)
            *seeker_changed = true;
    }
    if (rc == DB_OK)
        rc = store_task_open_contact(d, pref, "notification", uid, nid, now);
    json_decref(body);
    return rc;
}

int notif_holder(db *d, const json_t *body, const char *pref, const char *channel,
                 const char *pw_hash, const char *placeholder_domain, int64_t *uid, bool *existing)
{
    const json_t *h = json_object_get(body, "holder");
    const char *email = json_string_value(json_object_get(h, "email"));
    account a;
    *existing = false;
    if (email) {
        int rc = store_user_by_email(d, email, &a);
        if (rc == DB_OK) {
            if (strcmp(a.role, "seeker") != 0 || strcmp(a.status, "active") != 0)
                return NOTIF_HOLDER_REFUSED;
            *uid = a.id;
            *existing = true;
            return DB_OK;
        }
        if (rc != DB_NOTFOUND)
            return rc;
    }
    memset(&a, 0, sizeof a);
    if (email) {
        str_copy(a.email, sizeof a.email, email);
    } else {
        /* users.email is required and unique: a holder without an address gets a placeholder in
         * the reserved .invalid domain (never mailed, no password, cannot log in). */
        char tok[TOKEN_B64_LEN];
        crypto_token(tok, sizeof tok);
        snprintf(a.email, sizeof a.email, "no-email-%.16s@%s", tok, placeholder_domain);
        str_ascii_lower(a.email);
    }
    str_copy(a.role, sizeof a.role, "seeker");
    str_copy(a.name, sizeof a.name, json_string_value(json_object_get(h, "name")));
    str_copy(a.name_kana, sizeof a.name_kana, json_string_value(json_object_get(h, "name_kana")));
    const char *phone = json_string_value(json_object_get(h, "phone"));
    str_copy(a.phone, sizeof a.phone, phone ? phone : "");
    str_copy(a.prefecture, sizeof a.prefecture, pref);
    str_copy(a.channel, sizeof a.channel, channel);
    if (pw_hash)
        str_copy(a.password_hash, sizeof a.password_hash, pw_hash);
    int rc = store_user_insert(d, &a, false, time_now(), uid);
    /* A new record carries the notification's birth date and licences at once, so duplicate
     * detection sees it while the notification waits for confirmation. */
    if (rc == DB_OK)
        rc = store_holder_sync(d, *uid, body);
    return rc;
}

static int audit_notif(req *r, db *d, int64_t subject, const char *action)
{
    if (!(r->actor.role & ROLES_STAFF) || r->actor.id == subject)
        return DB_OK;
    return store_audit_add(d, time_now(), r->actor.id, role_name(r->actor.role),
                           r->actor.prefecture, subject, action, "notification", r->ip);
}

static void reply_notif(req *r, int64_t id, int status, notif_view v)
{
    int rc;
    json_t *n = store_notif_json(r->db, id, v, &rc);
    if (!n) {
        if (rc == DB_NOTFOUND)
            reply_error(r, E_NOT_FOUND, NULL);
        else
            api_dberr(r, "notification");
        return;
    }
    reply_json(r, status, json_pack("{s:o}", "notification", n));
}

static bool check_body(req *r, notif_kind kind)
{
    char today[11];
    time_jst_date(time_now(), today, sizeof today);
    verrs e = {.n = 0};
    notif_check(r->json, kind, today, &e);
    if (kind == NOTIF_FILE_CENTER) {
        const char *c = vstr(r->json, "center_prefecture");
        if (c && strcmp(c, r->actor.prefecture) != 0)
            verrs_add(&e, "center_prefecture", "center_prefecture.invalid",
                      "窓口で受け付けた届出は、所属するナースセンターの届出になります");
    }
    if (e.n) {
        reply_validation(r, &e);
        return false;
    }
    return true;
}

/* ---- filing ----------------------------------------------------------------------------- */

typedef struct {
    req *r;
    notif_kind kind;
    const char *pref;
    char pw_hash[PWHASH_LEN];
    int64_t nid;
    int64_t uid;
    bool refused;
    bool seeker_changed;
} file_ctx;

static int file_tx(db *d, void *arg)
{
    file_ctx *c = arg;
    req *r = c->r;
    int64_t now = time_now();
    c->refused = false;
    c->seeker_changed = false;
    const json_t *h = json_object_get(r->json, "holder");
    const char *email = json_string_value(json_object_get(h, "email"));
    const char *name = json_string_value(json_object_get(h, "name"));
    notif_new n = {.prefecture = c->pref, .body = r->json};
    bool existing = false;
    int rc = DB_OK;
    switch (c->kind) {
    case NOTIF_FILE_ANON:
        rc = notif_holder(d, r->json, c->pref, "notification", c->pw_hash, "notify.invalid",
                          &c->uid, &existing);
        if (rc == NOTIF_HOLDER_REFUSED) {
            /* A staff or facility address, or a disabled record: nothing is filed; the owner is
             * told why (the answer to the caller is the same 202). */
            c->refused = true;
            return jobs_enqueue_mail(d, email, "【ナースセンター】届出を受け付けられませんでした",
                                     "このメールアドレスでは届出を受け付けられませんでした。\n"
                                     "看護職ご本人のメールアドレスで届出をしてください。\n"
                                     "お心当たりがない場合は、このメールを破棄してください。\n\n"
                                     "ナースセンター（nccs）\n");
        }
        if (rc == DB_OK && existing) {
            /* Filing without a session mails the address each time: at most
             * ANON_PENDING_MAX unconfirmed filings per account and day, so the form cannot be
             * used to flood someone's mailbox (the caller still gets the same 202). */
            db_val q[] = {DBI(c->uid), DBI(now - 24 * 3600)};
            int64_t pending = 0;
            rc = db_scalar(d,
                           "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND status = "
                           "'pending_confirmation' AND filed_by IS NULL AND filed_at > $2",
                           q, 2, &pending);
            if (rc == DB_OK && pending >= ANON_PENDING_MAX) {
                c->refused = true;
                return DB_OK;
            }
        }
        n.channel = api_looks_mobile(r->ua) ? "smartphone" : "pc";
        break;
    case NOTIF_FILE_SELF:
        c->uid = r->actor.id;
        n.channel = api_looks_mobile(r->ua) ? "smartphone" : "pc";
        n.active = true;
        n.confirmed_how = "self";
        n.filed_by = r->actor.id;
        rc = store_holder_sync(d, c->uid, r->json);
        break;
    case NOTIF_FILE_CENTER:
        rc =
            notif_holder(d, r->json, c->pref, "center", NULL, "center.invalid", &c->uid, &existing);
        n.channel = "center";
        n.active = true;
        n.confirmed_how = "paper";
        n.filed_by = r->actor.id;
        break;
    default: /* NOTIF_FILE_PROXY */
        rc = notif_holder(d, r->json, c->pref, "notification", NULL, "proxy.invalid", &c->uid,
                          &existing);
        n.channel = "proxy";
        n.facility_id = r->subject.id;
        n.filed_by = r->actor.id;
        break;
    }
    if (rc == NOTIF_HOLDER_REFUSED) {
        c->refused = true;
        return DB_CONSTRAINT;
    }
    n.user_id = c->uid;
    if (rc == DB_OK)
        rc = store_notif_insert(d, &n, now, &c->nid);
    if (rc == DB_OK && n.active)
        rc = notif_activated(d, c->nid, now, &c->seeker_changed);
    if (rc == DB_OK && c->kind == NOTIF_FILE_ANON)
        rc = notif_mail_confirm(d, c->nid, email, name,
                                existing ? "ナースセンターへの届出（とどけるん）を受け付けました。"
                                           "ご登録済みのアカウントに届出を追加します。"
                                         : "ナースセンターへの届出（とどけるん）を受け付けました。"
                                           "確認の手続きで届出が有効になり、ログインできるように"
                                           "なります。");
    if (rc == DB_OK && c->kind == NOTIF_FILE_PROXY)
        rc = notif_mail_confirm(d, c->nid, email, name,
                                "以前お勤めの施設が、あなたの代わりにナースセンターへの届出"
                                "（施設代行届出）を行いました。");
    if (rc == DB_OK && c->kind == NOTIF_FILE_CENTER)
        rc = audit_notif(r, d, c->uid, "create");
    return rc;
}

static void file_notification(req *r, notif_kind kind)
{
    if (!check_body(r, kind))
        return;
    file_ctx c = {.r = r, .kind = kind};
    c.pref = kind == NOTIF_FILE_CENTER ? r->actor.prefecture : notif_route(r->json);
    if (kind == NOTIF_FILE_ANON &&
        crypto_password_hash(vstr(r->json, "password"), c.pw_hash, sizeof c.pw_hash) != 0) {
        reply_error(r, E_INTERNAL, NULL);
        return;
    }
    int rc = db_tx(r->db, file_tx, &c);
    if (c.refused && kind != NOTIF_FILE_ANON) {
        verrs e = {.n = 0};
        verrs_add(&e, "holder.email", "holder.email.invalid",
                  "このメールアドレスは看護職の届出に使えません（職員・施設のアカウント等）");
        reply_validation(r, &e);
        return;
    }
    if (rc != DB_OK) {
        api_dberr(r, "notification file");
        return;
    }
    if (c.seeker_changed)
        match_feed_seeker(r->db, c.uid);
    if (kind == NOTIF_FILE_ANON) {
        reply_json(r, 202, json_pack("{s:s}", "status", "pending_confirmation"));
        return;
    }
    reply_notif(r, c.nid, 201, kind == NOTIF_FILE_PROXY ? NOTIF_VIEW_FACILITY : NOTIF_VIEW_FULL);
}

void h_notifications_file(req *r)
{
    if (authz_notification_filer(r->signed_in ? &r->actor : NULL) != AUTHZ_ALLOW) {
        reply_error(r, E_FORBIDDEN, NULL);
        return;
    }
    file_notification(r, r->signed_in ? NOTIF_FILE_SELF : NOTIF_FILE_ANON);
}

void h_center_notification_file(req *r)
{
    file_notification(r, NOTIF_FILE_CENTER);
}

void h_facility_notification_file(req *r)
{
    file_notification(r, NOTIF_FILE_PROXY);
}

/* ---- change, consent, confirmation ----------------------------------------------------- */

typedef struct {
    req *r;
    int64_t id;
    int64_t uid;
    const char *password;
    bool seeker_changed;
} one_ctx;

static int change_tx(db *d, void *arg)
{
    one_ctx *c = arg;
    int rc = store_notif_change(d, c->id, c->r->json, c->r->actor.id, time_now());
    if (rc == DB_OK) {
        authz_notif s;
        rc = store_notification_scope(d, c->id, &s);
        if (rc == DB_OK)
            rc = audit_notif(c->r, d, s.holder_id, "update");
    }
    return rc;
}

void h_notification_update(req *r)
{
    if (!check_body(r, NOTIF_CHANGE))
        return;
    one_ctx c = {.r = r, .id = r->subject.id};
    int rc = db_tx(r->db, change_tx, &c);
    if (rc == DB_NOTFOUND) {
        reply_error(r, E_NOTIFICATION_NOT_ACTIVE, NULL);
        return;
    }
    if (rc != DB_OK) {
        api_dberr(r, "notification change");
        return;
    }
    reply_notif(r, c.id, 200, NOTIF_VIEW_FULL);
}

static const vfield CONSENT_SPEC[] = {
    {.name = "method", .label = "同意の方法", .kind = VK_TEXT, .required = true, .max = 20},
    {.name = "note", .label = "備考", .kind = VK_MULTILINE, .max = 1000},
    {.name = NULL}};

static int consent_tx(db *d, void *arg)
{
    one_ctx *c = arg;
    int64_t now = time_now();
    int rc = store_notif_confirm(d, c->id, "paper", c->r->actor.id, now);
    if (rc == DB_OK)
        rc = notif_activated(d, c->id, now, &c->seeker_changed);
    if (rc == DB_OK) {
        authz_notif s;
        rc = store_notification_scope(d, c->id, &s);
        if (rc == DB_OK)
            rc = audit_notif(c->r, d, s.holder_id, "consent");
    }
    return rc;
}

void h_notification_consent(req *r)
{
    verrs e = {.n = 0};
    validate_object(r->json, CONSENT_SPEC, "", "", &e);
    const char *m = vstr(r->json, "method");
    if (m && strcmp(m, "paper") != 0)
        verrs_add(&e, "method", "method.invalid", "同意の方法は書面（paper）のみ記録できます");
    if (e.n) {
        reply_validation(r, &e);
        return;
    }
    one_ctx c = {.r = r, .id = r->subject.id};
    int rc = db_tx(r->db, consent_tx, &c);
    if (rc == DB_NOTFOUND) {
        reply_error(r, E_NOTIFICATION_NOT_PENDING, NULL);
        return;
    }
    if (rc != DB_OK) {
        api_dberr(r, "notification consent");
        return;
    }
    reply_notif(r, c.id, 200, NOTIF_VIEW_FULL);
}

static const vfield TOKEN_SPEC[] = {
    {.name = "token", .label = "確認コード", .kind = VK_TOKEN, .required = true, .max = 64},
    {.name = NULL}};
static const vfield CONFIRM_SPEC[] = {
    {.name = "token", .label = "確認コード", .kind = VK_TOKEN, .required = true, .max = 64},
    {.name = "password",
     .label = "パスワード",
     .kind = VK_PASSWORD,
     .min = PASSWORD_MIN,
     .max = PASSWORD_MAX},
    {.name = NULL}};

/* Whether the holder of notification nid still needs a password to log in. */
static int holder_needs_password(db *d, int64_t uid, bool *needs)
{
    account a;
    int rc = store_user_by_id(d, uid, &a);
    *needs = rc == DB_OK && !a.password_hash[0];
    return rc;
}

void h_notification_confirm_lookup(req *r)
{
    if (api_validate(r, TOKEN_SPEC) != 0)
        return;
    char hash[TOKEN_HASH_LEN];
    crypto_token_hash(vstr(r->json, "token"), hash, sizeof hash);
    int64_t nid = 0;
    int rc = store_notif_token_find(r->db, hash, time_now(), false, &nid);
    if (rc == DB_NOTFOUND) {
        reply_error(r, E_TOKEN_INVALID, NULL);
        return;
    }
    int qrc;
    json_t *n = rc == DB_OK ? store_notif_json(r->db, nid, NOTIF_VIEW_FULL, &qrc) : NULL;
    bool needs = false;
    if (!n || holder_needs_password(r->db, json_integer_value(json_object_get(n, "person_id")),
                                    &needs) != DB_OK) {
        json_decref(n);
        api_dberr(r, "notification lookup");
        return;
    }
    json_object_del(n, "versions");
    reply_json(r, 200, json_pack("{s:o,s:b}", "notification", n, "needs_password", needs));
}

static int confirm_tx(db *d, void *arg)
{
    one_ctx *c = arg;
    char hash[TOKEN_HASH_LEN];
    crypto_token_hash(vstr(c->r->json, "token"), hash, sizeof hash);
    int64_t now = time_now();
    int rc = store_notif_token_find(d, hash, now, true, &c->id);
    if (rc != DB_OK)
        return rc;
    authz_notif s;
    rc = store_notification_scope(d, c->id, &s);
    if (rc != DB_OK)
        return rc;
    c->uid = s.holder_id;
    bool needs = false;
    rc = holder_needs_password(d, c->uid, &needs);
    if (rc == DB_OK && needs && c->password) {
        char pw[PWHASH_LEN];
        if (crypto_password_hash(c->password, pw, sizeof pw) != 0)
            return DB_ERROR;
        rc = store_user_set_password(d, c->uid, pw, now);
    }
    /* The link reached the address: it counts as verified. */
    if (rc == DB_OK)
        rc = store_user_set_verified(d, c->uid, now);
    if (rc == DB_OK) {
        rc = store_notif_confirm(d, c->id, "link", c->uid, now);
        if (rc == DB_OK)
            rc = notif_activated(d, c->id, now, &c->seeker_changed);
        else if (rc == DB_NOTFOUND)
            rc = DB_OK; /* already active (e.g. paper consent came first) */
    }
    return rc;
}

void h_notification_confirm(req *r)
{
    if (api_validate(r, CONFIRM_SPEC) != 0)
        return;
    one_ctx c = {.r = r, .password = vstr(r->json, "password")};
    int rc = db_tx(r->db, confirm_tx, &c);
    if (rc == DB_NOTFOUND) {
        reply_error(r, E_TOKEN_INVALID, NULL);
        return;
    }
    if (rc != DB_OK) {
        api_dberr(r, "notification confirm");
        return;
    }
    if (c.seeker_changed)
        match_feed_seeker(r->db, c.uid);
    reply_notif(r, c.id, 200, NOTIF_VIEW_FULL);
}

/* ---- reading --------------------------------------------------------------------------- */

void h_notification_get(req *r)
{
    bool facility = (r->actor.role & ROLES_FACILITY) != 0;
    if (!facility && (r->actor.role & ROLES_STAFF)) {
        authz_notif s;
        if (store_notification_scope(r->db, r->subject.id, &s) != DB_OK ||
            audit_notif(r, r->db, s.holder_id, "read") != DB_OK) {
            api_dberr(r, "notification audit");
            return;
        }
    }
    reply_notif(r, r->subject.id, 200, facility ? NOTIF_VIEW_FACILITY : NOTIF_VIEW_FULL);
}

void h_me_notifications(req *r)
{
    db_val p[] = {DBI(r->actor.id)};
    db_res *res = NULL;
    if (db_query(r->db,
                 "SELECT n.id FROM notifications n JOIN users u ON u.id = n.user_id "
                 "WHERE n.user_id = $1 OR u.merged_into = $1 ORDER BY n.filed_at DESC, n.id DESC "
                 "LIMIT 200",
                 p, 1, &res) != DB_OK) {
        api_dberr(r, "me notifications");
        return;
    }
    json_t *items = json_array();
    for (int i = 0; i < res->nrows; i++) {
        int rc;
        json_t *n = store_notif_json(r->db, db_int(res, i, 0), NOTIF_VIEW_FULL, &rc);
        if (!n) {
            db_res_free(res);
            json_decref(items);
            api_dberr(r, "me notification");
            return;
        }
        json_array_append_new(items, n);
    }
    db_res_free(res);
    reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/* The summary columns of a list query: n = notifications, u = the holder. */
#define SUMMARY_COLS                                                                               \
    "n.id, n.status, n.channel, n.prefecture_code, n.user_id, n.name, n.name_kana, n.reason, "     \
    "n.event_date, n.filed_at, n.confirmed_at, n.version, "

static json_t *summary_json(const db_res *res, int i, bool dups)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(db_int(res, i, 0)));
    json_object_set_new(o, "status", dbj_text(res, i, 1));
    const char *l = code_label_of(NOTIF_STATUSES, db_text(res, i, 1));
    json_object_set_new(o, "status_label", l ? json_string(l) : json_null());
    json_object_set_new(o, "channel", dbj_text(res, i, 2));
    l = code_label_of(NOTIF_CHANNELS, db_text(res, i, 2));
    json_object_set_new(o, "channel_label", l ? json_string(l) : json_null());
    json_object_set_new(o, "prefecture", dbj_text(res, i, 3));
    json_object_set_new(o, "person_id", json_integer(db_int(res, i, 4)));
    json_object_set_new(o, "name", dbj_text(res, i, 5));
    json_object_set_new(o, "name_kana", dbj_text(res, i, 6));
    json_object_set_new(o, "reason", dbj_text(res, i, 7));
    l = code_label_of(NOTIF_REASONS, db_text(res, i, 7));
    json_object_set_new(o, "reason_label", l ? json_string(l) : json_null());
    json_object_set_new(o, "event_date", dbj_text(res, i, 8));
    json_object_set_new(o, "filed_at", json_integer(db_int(res, i, 9)));
    json_object_set_new(o, "confirmed_at", dbj_int(res, i, 10));
    json_object_set_new(o, "version", json_integer(db_int(res, i, 11)));
    json_object_set_new(o, "duplicates", json_integer(dups ? db_int(res, i, 12) : 0));
    return o;
}

static void reply_page(req *r, int64_t total, int64_t page, int64_t per, db_res *res, bool dups)
{
    json_t *items = json_array();
    for (int i = 0; i < res->nrows; i++)
        json_array_append_new(items, summary_json(res, i, dups));
    reply_json(r, 200,
               json_pack("{s:I,s:I,s:I,s:o}", "total", (json_int_t)total, "page", (json_int_t)page,
                         "per_page", (json_int_t)per, "items", items));
}

void h_facility_notifications(req *r)
{
    int64_t page, per;
    if (api_paging(r, &page, &per) != 0)
        return;
    db_val p[] = {DBI(r->subject.id), DBI(per), DBI((page - 1) * per)};
    int64_t total = 0;
    db_res *res = NULL;
    if (db_scalar(r->db, "SELECT COUNT(*) FROM notifications WHERE facility_id = $1", p, 1,
                  &total) != DB_OK ||
        db_query(r->db,
                 "SELECT " SUMMARY_COLS "0 FROM notifications n WHERE n.facility_id = $1 "
                 "ORDER BY n.filed_at DESC, n.id DESC LIMIT $2 OFFSET $3",
                 p, 3, &res) != DB_OK) {
        api_dberr(r, "facility notifications");
        return;
    }
    reply_page(r, total, page, per, res, false);
    db_res_free(res);
}

void h_notifications_list(req *r)
{
    const char *scope = authz_people_filter(&r->actor);
    if (!scope) {
        reply_error(r, E_FORBIDDEN, NULL);
        return;
    }
    int64_t page, per, fy;
    if (api_paging(r, &page, &per) != 0 || api_query_int(r, "fiscal_year", 0, 2000, 2100, &fy) != 0)
        return;
    const char *status = req_query(r, "status"), *channel = req_query(r, "channel");
    const char *pref = req_query(r, "prefecture");
    if ((status && *status && !code_label_of(NOTIF_STATUSES, status)) ||
        (channel && *channel && !code_label_of(NOTIF_CHANNELS, channel)) ||
        (pref && *pref && code_index(PREFECTURE_CODES, pref) < 0)) {
        reply_error(r, E_BAD_PARAMETER, NULL);
        return;
    }
    if (code_index(PREFECTURE_CODES, pref) < 0)
        pref = NULL;
    if (*scope)
        pref = scope; /* center staff: their own prefecture only */
    char *q = api_query_text(r, "q");
    if (!q)
        return;
    char *like = *q ? api_like_pattern(q) : NULL;
    int64_t from = 0, to = INT64_MAX;
    if (fy)
        time_fiscal_year_bounds((int)fy, &from, &to);
    db_val p[] = {DBT(pref),
                  DBT(status && *status ? status : NULL),
                  DBT(channel && *channel ? channel : NULL),
                  DBT(like),
                  DBI(from),
                  DBI(to),
                  DBI(per),
                  DBI((page - 1) * per)};
#define LIST_WHERE                                                                                 \
    "WHERE (n.prefecture_code = $1 OR $1 IS NULL) AND (n.status = $2 OR $2 IS NULL) AND "          \
    "(n.channel = $3 OR $3 IS NULL) AND (n.name LIKE $4 ESCAPE '\\' OR n.name_kana LIKE $4 "       \
    "ESCAPE '\\' OR $4 IS NULL) AND n.filed_at >= $5 AND n.filed_at < $6 "
    int64_t total = 0;
    db_res *res = NULL;
    int rc = db_scalar(r->db, "SELECT COUNT(*) FROM notifications n " LIST_WHERE, p, 6, &total);
    if (rc == DB_OK)
        rc = db_query(r->db,
                      "SELECT " SUMMARY_COLS SQL_DUPLICATES_OF_U
                      " FROM notifications n JOIN users u ON u.id = n.user_id " LIST_WHERE
                      "ORDER BY n.filed_at DESC, n.id DESC LIMIT $7 OFFSET $8",
                      p, 8, &res);
#undef LIST_WHERE
    free(q);
    free(like);
    if (rc != DB_OK) {
        api_dberr(r, "notifications list");
        return;
    }
    reply_page(r, total, page, per, res, true);
    db_res_free(res);
}

/* ---- export ---------------------------------------------------------------------------- */

#define EXPORT_MAX_ROWS 100000

void h_export_notifications(req *r)
{
    const char *scope = authz_people_filter(&r->actor);
    if (!scope) {
        reply_error(r, E_FORBIDDEN, NULL);
        return;
    }
    int64_t fy;
    if (api_query_int(r, "fiscal_year", time_jst_fiscal_year(time_now()), 2000, 2100, &fy) != 0)
        return;
    int64_t from, to;
    time_fiscal_year_bounds((int)fy, &from, &to);
    db_val p[] = {DBT(*scope ? scope : NULL), DBI(from), DBI(to), DBI(EXPORT_MAX_ROWS)};
    db_res *res = NULL;
    if (db_query(r->db,
                 "SELECT n.id, n.status, n.channel, n.filed_at, n.prefecture_code, f.name, n.body "
                 "FROM notifications n LEFT JOIN facilities f ON f.id = n.facility_id "
                 "WHERE (n.prefecture_code = $1 OR $1 IS NULL) AND n.filed_at >= $2 AND "
                 "n.filed_at < $3 ORDER BY n.filed_at, n.id LIMIT $4",
                 p, 4, &res) != DB_OK) {
        api_dberr(r, "notifications export");
        return;
    }
    static const char *const HEAD[] = {"届出ID",         "受付状態",       "届出経路",
                                       "届出日",         "届出先",         "代行施設",
                                       "氏名",           "フリガナ",       "生年月日",
                                       "郵便番号",       "住所都道府県",   "住所",
                                       "電話番号",       "メールアドレス", "免許",
                                       "届出事由",       "事由発生日",     "離職前の就業場所",
                                       "離職前の就業先", "就業状況",       NULL};
    nbuf b;
    nbuf_init(&b, (size_t)64 << 20);
    int bad = csv_bom(&b);
    for (int k = 0; HEAD[k]; k++)
        bad |= csv_field(&b, HEAD[k], k == 0);
    bad |= csv_row_end(&b);
    for (int i = 0; i < res->nrows && !bad; i++) {
        json_t *j = json_loads(db_text(res, i, 6), 0, NULL);
        json_t *h = json_object_get(j, "holder");
        char filed[11], lic[256] = "";
        time_jst_date(db_int(res, i, 3), filed, sizeof filed);
        json_t *ls = json_object_get(j, "licences");
        size_t off = 0;
        for (size_t k = 0; k < json_array_size(ls) && off < sizeof lic; k++) {
            json_t *l = json_array_get(ls, k);
            int n = snprintf(lic + off, sizeof lic - off, "%s%s:%s", k ? " " : "",
                             json_string_value(json_object_get(l, "type")),
                             json_string_value(json_object_get(l, "number")));
            off += n > 0 ? (size_t)n : 0;
        }
        const char *cells[] = {
            code_label_of(NOTIF_STATUSES, db_text(res, i, 1)),
            code_label_of(NOTIF_CHANNELS, db_text(res, i, 2)),
            filed,
            db_text(res, i, 4),
            db_text(res, i, 5),
            json_string_value(json_object_get(h, "name")),
            json_string_value(json_object_get(h, "name_kana")),
            json_string_value(json_object_get(h, "birth_date")),
            json_string_value(json_object_get(h, "postal_code")),
            json_string_value(json_object_get(h, "address_prefecture")),
            json_string_value(json_object_get(h, "address")),
            json_string_value(json_object_get(h, "phone")),
            json_string_value(json_object_get(h, "email")),
            lic,
            code_label_of(NOTIF_REASONS, json_string_value(json_object_get(j, "reason"))),
            json_string_value(json_object_get(j, "event_date")),
            code_label_of(NOTIF_LAST_WORKPLACES,
                          json_string_value(json_object_get(j, "last_workplace"))),
            json_string_value(json_object_get(j, "last_workplace_name")),
            code_label_of(NOTIF_WORK_STATUSES,
                          json_string_value(json_object_get(j, "work_status"))),
        };
        bad |= csv_field_i64(&b, db_int(res, i, 0), true);
        for (size_t k = 0; k < sizeof cells / sizeof cells[0]; k++)
            bad |= csv_field(&b, cells[k], false);
        bad |= csv_row_end(&b);
        json_decref(j);
    }
    db_res_free(res);
    if (bad) {
        nbuf_free(&b);
        reply_error(r, E_TOO_LARGE, NULL);
        return;
    }
    char fn[64];
    snprintf(fn, sizeof fn, "notifications-FY%lld.csv", (long long)fy);
    api_reply_csv(r, &b, fn);
}
