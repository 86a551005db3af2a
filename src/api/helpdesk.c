/* The central help desk (ヘルプデスク, docs/API.md "Help desk").
 *
 * Prefectural nurse centers (counselor, center_admin) open tickets to the central nurse center;
 * central staff answer. A ticket belongs to the prefecture of the center staff who opened it.
 * Status: open (回答待ち) → answered (回答済み) by a central reply; a center reply makes it open
 * again; either side closes it (完了), after which nothing more is written (409).
 * Scope: /helpdesk/tickets/{id}… is SCOPE_HELPDESK, resolved by the router with
 * authz_center_record on the ticket's prefecture (center staff of that prefecture, central,
 * sysadmin; others 404). Who may write is the route table's role set (sysadmin reads only).
 * The list is limited by authz_people_filter (center staff: their prefecture; central and
 * sysadmin: all). */
#include "api/api.h"
#include "domain/casework.h"
#include "domain/text.h"
#include "jobs/jobs.h"
#include "store/db_json.h"
#include "store/helpdesk.h"
#include "util/config.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <string.h>

#define SUBJECT_MAX     100
#define DESCRIPTION_MAX 4000
#define BODY_MAX        4000

/* 409 on a closed ticket: a reply, or closing it again. */
static const err_def ERR_REPLY_CLOSED = {409, "helpdesk.closed",
                                         "この問い合わせは完了しているため、返信できません。"};
static const err_def ERR_ALREADY_CLOSED = {409, "helpdesk.closed",
                                           "この問い合わせはすでに完了しています。"};

/* {code, label} of a code in list (label null when the code is unknown, e.g. imported). */
static json_t *code_json(const code_label *list, const char *code)
{
    const char *l = code_label_of(list, code);
    return json_pack("{s:s,s:o}", "code", code ? code : "", "label",
                     l ? json_string(l) : json_null());
}

/* {id, name} of a joined account, or null when the id column is NULL. */
static json_t *person_json(const db_res *res, int i, int id_col, int name_col)
{
    if (db_isnull(res, i, id_col))
        return json_null();
    return json_pack("{s:I,s:o}", "id", (json_int_t)db_int(res, i, id_col), "name",
                     dbj_text(res, i, name_col));
}

/* Whether the caller may write on a ticket (reply, close): center staff and central staff
 * (the route table says the same; this only tells the client which buttons to show). */
static bool may_write(const req *r)
{
    return (r->actor.role & (ROLES_CENTER | ROLE_CENTRAL)) != 0;
}

/* The ticket object of row i of an HQ_* result (new reference). detail adds the description,
 * the replies (rows of an HR_* result, may be NULL) and what the caller may do. */
static json_t *ticket_json(const req *r, const db_res *res, int i, const db_res *replies,
                           bool detail)
{
    const char *status = db_text(res, i, HQ_STATUS);
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(db_int(res, i, HQ_ID)));
    json_object_set_new(o, "prefecture",
                        json_pack("{s:o,s:o}", "code", dbj_text(res, i, HQ_PREFECTURE), "name",
                                  dbj_text(res, i, HQ_PREFECTURE_NAME)));
    json_object_set_new(o, "category",
                        code_json(HELPDESK_CATEGORIES, db_text(res, i, HQ_CATEGORY)));
    json_object_set_new(o, "subject", dbj_text(res, i, HQ_SUBJECT));
    json_object_set_new(o, "status", code_json(HELPDESK_STATUSES, status));
    json_object_set_new(o, "opened_at", json_integer(db_int(res, i, HQ_OPENED_AT)));
    json_object_set_new(o, "opened_by", person_json(res, i, HQ_OPENED_BY, HQ_OPENED_BY_NAME));
    json_object_set_new(o, "updated_at", json_integer(db_int(res, i, HQ_UPDATED_AT)));
    json_object_set_new(o, "closed_at", dbj_int(res, i, HQ_CLOSED_AT));
    json_object_set_new(o, "reply_count", json_integer(db_int(res, i, HQ_REPLY_COUNT)));
    json_object_set_new(o, "imported", json_boolean(db_int(res, i, HQ_IMPORTED) != 0));
    if (!detail)
        return o;
    json_object_set_new(o, "description", dbj_text(res, i, HQ_DESCRIPTION));
    json_t *items = json_array();
    for (int k = 0; replies && k < replies->nrows; k++)
        json_array_append_new(
            items,
            json_pack("{s:I,s:o,s:o,s:o,s:I}", "id", (json_int_t)db_int(replies, k, HR_ID),
                      "author", person_json(replies, k, HR_AUTHOR_ID, HR_AUTHOR_NAME), "side",
                      dbj_text(replies, k, HR_AUTHOR_KIND), "body", dbj_text(replies, k, HR_BODY),
                      "at", (json_int_t)db_int(replies, k, HR_AT)));
    json_object_set_new(o, "replies", items);
    bool open = status && strcmp(status, "closed") != 0;
    json_object_set_new(o, "can_reply", json_boolean(open && may_write(r)));
    json_object_set_new(o, "can_close", json_boolean(open && may_write(r)));
    return o;
}

/* Replies with {"ticket": the ticket with its replies} and status. */
static void reply_ticket(req *r, int64_t id, int status)
{
    db_res *res = NULL, *replies = NULL;
    int rc = store_helpdesk_get(r->db, id, &res);
    if (rc == DB_NOTFOUND) {
        reply_error(r, E_NOT_FOUND, NULL);
        return;
    }
    if (rc == DB_OK)
        rc = store_helpdesk_replies(r->db, id, &replies);
    if (rc != DB_OK) {
        db_res_free(res);
        db_res_free(replies);
        api_dberr(r, "helpdesk ticket");
        return;
    }
    json_t *o = ticket_json(r, res, 0, replies, true);
    db_res_free(res);
    db_res_free(replies);
    reply_json(r, status, json_pack("{s:o}", "ticket", o));
}

/* ---- GET /helpdesk/tickets ----------------------------------------------------------------- */

/* An optional code query parameter from list into *out (NULL when absent or empty); replies 400
 * request.bad_parameter and returns -1 when it is not a code of list. */
static int query_code(req *r, const char *name, const code_label *list, const char **out)
{
    const char *v = req_query(r, name);
    *out = NULL;
    if (!v || !*v)
        return 0;
    if (!code_label_of(list, v)) {
        reply_error(r, E_BAD_PARAMETER, name);
        return -1;
    }
    *out = v;
    return 0;
}

void h_helpdesk_list(req *r)
{
    int64_t page, per;
    helpdesk_filter f;
    memset(&f, 0, sizeof f);
    if (api_paging(r, &page, &per) != 0 ||
        query_code(r, "status", HELPDESK_STATUSES, &f.status) != 0 ||
        query_code(r, "category", HELPDESK_CATEGORIES, &f.category) != 0)
        return;
    /* prefecture= narrows the list; center staff see only their own prefecture whatever it
     * says (another prefecture gives an empty list). */
    const char *pref = req_query(r, "prefecture");
    if (pref && *pref) {
        if (code_index(PREFECTURE_CODES, pref) < 0) {
            reply_error(r, E_BAD_PARAMETER, "prefecture");
            return;
        }
        f.want_prefecture = pref;
    }
    f.prefecture = authz_people_filter(&r->actor);
    if (!f.prefecture) {
        reply_error(r, E_FORBIDDEN, NULL);
        return;
    }
    int64_t total = 0;
    db_res *res = NULL;
    if (store_helpdesk_list(r->db, &f, per, (page - 1) * per, &total, &res) != DB_OK) {
        db_res_free(res);
        api_dberr(r, "helpdesk list");
        return;
    }
    json_t *items = json_array();
    for (int i = 0; i < res->nrows; i++)
        json_array_append_new(items, ticket_json(r, res, i, NULL, false));
    db_res_free(res);
    reply_json(r, 200,
               json_pack("{s:I,s:I,s:I,s:o}", "total", (json_int_t)total, "page", (json_int_t)page,
                         "per_page", (json_int_t)per, "items", items));
}

/* ---- POST /helpdesk/tickets ---------------------------------------------------------------- */

static const vfield CREATE_SPEC[] = {
    /* The code list of domain/casework.c is checked after the spec (category.invalid). */
    {.name = "category",
     .label = "問い合わせの分類",
     .kind = VK_TEXT,
     .required = true,
     .max = 40,
     .select = true},
    {.name = "subject", .label = "件名", .kind = VK_TEXT, .required = true, .max = SUBJECT_MAX},
    {.name = "description",
     .label = "問い合わせの内容",
     .kind = VK_MULTILINE,
     .required = true,
     .max = DESCRIPTION_MAX},
    {.name = NULL}};

typedef struct {
    req *r;
    int64_t id;
} create_ctx;

static int create_tx(db *d, void *arg)
{
    create_ctx *x = arg;
    req *r = x->r;
    return store_helpdesk_insert(d, r->actor.prefecture, r->actor.id, vstr(r->json, "category"),
                                 vstr(r->json, "subject"), vstr(r->json, "description"), time_now(),
                                 &x->id);
}

static bool has_error(const verrs *e, const char *field)
{
    for (int i = 0; i < e->n; i++)
        if (!strcmp(e->items[i].field, field))
            return true;
    return false;
}

/* A multi-line member that passed the spec but holds only line breaks and spaces is missing
 * (the spec trims spaces, not newlines). */
static void check_blank(req *r, verrs *e, const char *field, const char *msg)
{
    const char *v = vstr(r->json, field);
    if (v && !has_error(e, field) && text_blank(v)) {
        char code[64];
        snprintf(code, sizeof code, "%s.missing", field);
        verrs_add(e, field, code, msg);
    }
}

void h_helpdesk_create(req *r)
{
    verrs e = {.n = 0};
    validate_object(r->json, CREATE_SPEC, "", "", &e);
    const char *cat = vstr(r->json, "category");
    if (cat && !has_error(&e, "category") && !code_label_of(HELPDESK_CATEGORIES, cat))
        verrs_add(&e, "category", "category.invalid", "問い合わせの分類の値が正しくありません");
    check_blank(r, &e, "description", "問い合わせの内容を入力してください");
    if (e.n) {
        reply_validation(r, &e);
        return;
    }
    if (!r->actor.prefecture[0]) { /* center staff always have one */
        reply_error(r, E_FORBIDDEN, NULL);
        return;
    }
    create_ctx x = {.r = r, .id = 0};
    if (db_tx(r->db, create_tx, &x) != DB_OK) {
        api_dberr(r, "helpdesk create");
        return;
    }
    reply_ticket(r, x.id, 201);
}

/* ---- GET /helpdesk/tickets/{id} ------------------------------------------------------------ */

void h_helpdesk_get(req *r)
{
    reply_ticket(r, r->subject.id, 200); /* in the caller's scope (router) */
}

/* ---- POST /helpdesk/tickets/{id}/replies --------------------------------------------------- */

static const vfield REPLY_SPEC[] = {{.name = "body",
                                     .label = "返信の内容",
                                     .kind = VK_MULTILINE,
                                     .required = true,
                                     .max = BODY_MAX},
                                    {.name = NULL}};

typedef struct {
    req *r;
    int64_t id;
    bool central;
    bool closed;
} reply_ctx;

/* Mails the opener of ticket id that central answered (in the caller's transaction). Imported
 * tickets and openers who are no longer active get no mail. */
static int mail_opener(db *d, int64_t id)
{
    db_res *res = NULL;
    int rc = store_helpdesk_get(d, id, &res);
    if (rc != DB_OK || db_isnull(res, 0, HQ_OPENED_BY)) {
        db_res_free(res);
        return rc == DB_NOTFOUND ? DB_OK : rc;
    }
    account a;
    rc = store_user_by_id(d, db_int(res, 0, HQ_OPENED_BY), &a);
    if (rc != DB_OK || strcmp(a.status, "active") != 0) {
        db_res_free(res);
        return rc == DB_NOTFOUND || rc == DB_OK ? DB_OK : rc;
    }
    char body[4096];
    int n = snprintf(body, sizeof body,
                     "%s 様\n\n"
                     "中央ナースセンターのヘルプデスクから、お問い合わせ「%s」（受付番号 %lld）に"
                     "回答がありました。\n"
                     "以下のリンクから内容をご確認ください。\n\n"
                     "%s/center/helpdesk/%lld\n\n"
                     "※このメールは送信専用です。返信はヘルプデスクの画面から行ってください。\n",
                     a.name, db_text(res, 0, HQ_SUBJECT), (long long)id, g_config.base_url,
                     (long long)id);
    db_res_free(res);
    if (n < 0 || (size_t)n >= sizeof body)
        return DB_ERROR;
    return jobs_enqueue_mail(
        d, a.email, "【ナースセンター】ヘルプデスクのお問い合わせに回答がありました", body);
}

static int reply_tx(db *d, void *arg)
{
    reply_ctx *x = arg;
    req *r = x->r;
    int rc = store_helpdesk_reply(d, x->id, r->actor.id, x->central ? "central" : "center",
                                  vstr(r->json, "body"), x->central ? "answered" : "open",
                                  time_now(), &x->closed);
    if (rc != DB_OK || x->closed)
        return rc == DB_OK ? DB_NOTFOUND : rc; /* closed: roll back (nothing was written) */
    return x->central ? mail_opener(d, x->id) : DB_OK;
}

void h_helpdesk_reply(req *r)
{
    verrs e = {.n = 0};
    validate_object(r->json, REPLY_SPEC, "", "", &e);
    check_blank(r, &e, "body", "返信の内容を入力してください");
    if (e.n) {
        reply_validation(r, &e);
        return;
    }
    reply_ctx x = {.r = r, .id = r->subject.id, .central = r->actor.role == ROLE_CENTRAL};
    int rc = db_tx(r->db, reply_tx, &x);
    if (x.closed) {
        reply_error_def(r, &ERR_REPLY_CLOSED, NULL);
        return;
    }
    if (rc != DB_OK) {
        api_dberr(r, "helpdesk reply");
        return;
    }
    reply_ticket(r, x.id, 201);
}

/* ---- POST /helpdesk/tickets/{id}/close ----------------------------------------------------- */

typedef struct {
    int64_t id;
    bool closed;
} close_ctx;

static int close_tx(db *d, void *arg)
{
    close_ctx *x = arg;
    int rc = store_helpdesk_close(d, x->id, time_now(), &x->closed);
    return rc == DB_OK && x->closed ? DB_NOTFOUND : rc;
}

void h_helpdesk_close(req *r)
{
    close_ctx x = {.id = r->subject.id, .closed = false};
    int rc = db_tx(r->db, close_tx, &x);
    if (x.closed) {
        reply_error_def(r, &ERR_ALREADY_CLOSED, NULL);
        return;
    }
    if (rc != DB_OK) {
        api_dberr(r, "helpdesk close");
        return;
    }
    reply_ticket(r, x.id, 200);
}
