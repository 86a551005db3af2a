/* Saved job searches (保存した検索条件) of nurses, and the links of nurse mails that work
 * without logging in: unsubscribe from a saved search's weekly mail, renew a registration from
 * the validity reminder. The mails themselves are built by jobs/digest.c. */
#include "api/api.h"
#include "jobs/digest.h"
#include "search/params.h"
#include "store/saved_searches.h"
#include "store/seekers.h"
#include "util/crypto.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The search filter parameters as GET /api/v1/offers takes them: strings exactly as in the URL
 * (comma-separated codes). The caps here only stop absurd sizes before normalisation; the
 * search's own parser (search/params.c) then decides, as it does for the URL. */
static const vfield QUERY_SPEC[] = {
    {.name = "q", .label = "キーワード", .kind = VK_TEXT, .max = SI_MAX_NORM_CP},
    {.name = "prefecture", .label = "都道府県", .kind = VK_TEXT, .max = 1024},
    {.name = "municipality", .label = "市区町村", .kind = VK_TEXT, .max = SI_MAX_MUNI * 6},
    {.name = "licence", .label = "免許", .kind = VK_TEXT, .max = 1024},
    {.name = "employment_form", .label = "雇用形態", .kind = VK_TEXT, .max = 1024},
    {.name = "shift", .label = "勤務形態", .kind = VK_TEXT, .max = 1024},
    {.name = "facility_type", .label = "施設の種類", .kind = VK_TEXT, .max = 1024},
    {.name = "flags", .label = "こだわり条件", .kind = VK_TEXT, .max = 1024},
    {.name = "wage_monthly_min", .label = "月給の下限", .kind = VK_TEXT, .max = 20},
    {.name = "wage_hourly_min", .label = "時給の下限", .kind = VK_TEXT, .max = 20},
    {.name = NULL}};

#define NAME_FIELD(req)                                                                            \
    {                                                                                              \
        .name = "name", .label = "検索条件の名前", .kind = VK_TEXT, .required = req,               \
        .max = SAVED_SEARCH_NAME_MAX                                                               \
    }

static const vfield CREATE_SPEC[] = {
    NAME_FIELD(true),
    {.name = "query", .label = "検索条件", .type = VT_OBJECT, .required = true, .sub = QUERY_SPEC},
    {.name = "notify",
     .label = "新着求人のメール",
     .type = VT_BOOL,
     .required = true,
     .select = true},
    {.name = NULL}};

static const vfield UPDATE_SPEC[] = {
    NAME_FIELD(false),
    {.name = "query", .label = "検索条件", .type = VT_OBJECT, .sub = QUERY_SPEC},
    {.name = "notify", .label = "新着求人のメール", .type = VT_BOOL},
    {.name = NULL}};

/* search_param_fn that shows the search parser one member of a query object only, so that
 * every invalid parameter is reported, not just the first. */
typedef struct {
    const json_t *query;
    const char *only;
} one_param;

static const char *only_param(void *arg, const char *name)
{
    const one_param *o = arg;
    return strcmp(name, o->only) ? NULL : json_string_value(json_object_get(o->query, name));
}

/* Validates r->json against spec, then its `query` (when present) with the search's own
 * parser. A blank name in a PATCH is an error (validation drops blank optional strings).
 * Replies 422 and returns -1 on any error. */
static int validate_body(req *r, const vfield *spec)
{
    verrs e = {.n = 0};
    bool had_name = json_object_get(r->json, "name") != NULL;
    validate_object(r->json, spec, "", "", &e);
    if (had_name && !json_object_get(r->json, "name") && e.n == 0)
        verrs_add(&e, "name", "name.missing", "検索条件の名前を入力してください");
    json_t *query = json_object_get(r->json, "query");
    for (const vfield *f = QUERY_SPEC; json_is_object(query) && f->name; f++) {
        if (!json_is_string(json_object_get(query, f->name)))
            continue; /* absent, or its type error is already listed */
        si_query q;
        memset(&q, 0, sizeof q);
        int munis[SI_MAX_MUNI];
        one_param o = {query, f->name};
        if (search_parse_filters(only_param, &o, &q, munis)) {
            char field[64], code[80], msg[160];
            snprintf(field, sizeof field, "query.%s", f->name);
            snprintf(code, sizeof code, "query.%s.invalid", f->name);
            snprintf(msg, sizeof msg, "%sの指定が正しくありません", f->label);
            verrs_add(&e, field, code, msg);
        }
    }
    if (e.n) {
        reply_validation(r, &e);
        return -1;
    }
    return 0;
}

/* The validated query as stored JSON text (malloc'd, caller frees), or NULL when absent. */
static char *query_text(req *r)
{
    json_t *q = json_object_get(r->json, "query");
    return q ? json_dumps(q, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
}

static void reply_one(req *r, int64_t id, int status)
{
    int rc;
    json_t *o = store_saved_search_json(r->db, r->actor.id, id, &rc);
    if (!o) {
        if (rc == DB_NOTFOUND)
            reply_error(r, E_NOT_FOUND, NULL);
        else
            api_dberr(r, "saved search");
        return;
    }
    reply_json(r, status, json_pack("{s:o}", "saved_search", o));
}

void h_saved_searches_list(req *r)
{
    int rc;
    bool mail = false;
    json_t *items = store_saved_searches_json(r->db, r->actor.id, &rc);
    if (!items || store_seeker_mail_enabled(r->db, r->actor.id, &mail) != DB_OK) {
        json_decref(items);
        api_dberr(r, "saved searches");
        return;
    }
    reply_json(
        r, 200,
        json_pack("{s:o,s:i,s:b}", "items", items, "max", SAVED_SEARCH_MAX, "mail_enabled", mail));
}

typedef struct {
    req *r;
    const char *query;
    int64_t id;
    bool full;
} create_ctx;

static int create_tx(db *d, void *arg)
{
    create_ctx *c = arg;
    int64_t n = 0;
    int rc = store_saved_search_count(d, c->r->actor.id, &n);
    if (rc != DB_OK)
        return rc;
    if (n >= SAVED_SEARCH_MAX) {
        c->full = true;
        return DB_CONSTRAINT;
    }
    return store_saved_search_insert(d, c->r->actor.id, vstr(c->r->json, "name"), c->query,
                                     json_is_true(json_object_get(c->r->json, "notify")),
                                     time_now(), &c->id);
}

void h_saved_search_create(req *r)
{
    if (validate_body(r, CREATE_SPEC) != 0)
        return;
    char *query = query_text(r);
    if (!query) {
        reply_error(r, E_INTERNAL, NULL);
        return;
    }
    create_ctx c = {r, query, 0, false};
    int rc = db_tx(r->db, create_tx, &c);
    free(query);
    if (c.full) {
        reply_error(r, E_SAVED_SEARCH_LIMIT, NULL);
        return;
    }
    if (rc != DB_OK) {
        api_dberr(r, "saved search create");
        return;
    }
    reply_one(r, c.id, 201);
}

typedef struct {
    req *r;
    int64_t id;
    const char *query;
} update_ctx;

static int update_tx(db *d, void *arg)
{
    update_ctx *c = arg;
    json_t *notify = json_object_get(c->r->json, "notify");
    return store_saved_search_update(d, c->r->actor.id, c->id, vstr(c->r->json, "name"), c->query,
                                     notify ? json_is_true(notify) : -1, time_now());
}

void h_saved_search_update(req *r)
{
    int64_t id;
    if (req_param_id(r, 0, &id) != 0 || validate_body(r, UPDATE_SPEC) != 0)
        return;
    char *query = query_text(r);
    update_ctx c = {r, id, query};
    int rc = db_tx(r->db, update_tx, &c);
    free(query);
    if (rc == DB_NOTFOUND) {
        reply_error(r, E_NOT_FOUND, NULL); /* another nurse's id looks like a missing one */
        return;
    }
    if (rc != DB_OK) {
        api_dberr(r, "saved search update");
        return;
    }
    reply_one(r, id, 200);
}

typedef struct {
    int64_t uid, id;
} delete_ctx;

static int delete_tx(db *d, void *arg)
{
    delete_ctx *c = arg;
    return store_saved_search_delete(d, c->uid, c->id);
}

void h_saved_search_delete(req *r)
{
    int64_t id;
    if (req_param_id(r, 0, &id) != 0)
        return;
    delete_ctx c = {r->actor.id, id};
    int rc = db_tx(r->db, delete_tx, &c);
    if (rc == DB_NOTFOUND) {
        reply_error(r, E_NOT_FOUND, NULL);
        return;
    }
    if (rc != DB_OK) {
        api_dberr(r, "saved search delete");
        return;
    }
    reply_empty(r, 204);
}

/* ---- links in mails (no login) ------------------------------------------------------------ */

static const vfield TOKEN_SPEC[] = {
    {.name = "token", .label = "確認コード", .kind = VK_TOKEN, .required = true, .max = 64},
    {.name = NULL}};

typedef struct {
    const char *hash;
    char name[256];
} unsub_ctx;

static int unsubscribe_tx(db *d, void *arg)
{
    unsub_ctx *c = arg;
    return store_unsubscribe(d, c->hash, time_now(), c->name, sizeof c->name);
}

void h_unsubscribe(req *r)
{
    if (api_validate(r, TOKEN_SPEC) != 0)
        return;
    char hash[TOKEN_HASH_LEN];
    crypto_token_hash(vstr(r->json, "token"), hash, sizeof hash);
    unsub_ctx c = {.hash = hash};
    int rc = db_tx(r->db, unsubscribe_tx, &c);
    if (rc == DB_NOTFOUND) {
        reply_error(r, E_TOKEN_INVALID, NULL);
        return;
    }
    if (rc != DB_OK) {
        api_dberr(r, "unsubscribe");
        return;
    }
    reply_json(r, 200, json_pack("{s:s,s:s}", "status", "unsubscribed", "name", c.name));
}

typedef struct {
    const char *hash;
    int64_t uid;
    char valid_until[16];
} renew_ctx;

static int renewal_tx(db *d, void *arg)
{
    renew_ctx *c = arg;
    int64_t now = time_now();
    char status[16];
    int rc = store_renew_token_take(d, c->hash, now, &c->uid);
    if (rc == DB_OK)
        rc = store_seeker_status(d, c->uid, status, sizeof status); /* NOTFOUND: no profile */
    if (rc == DB_OK)
        rc = store_seeker_set_status(d, c->uid, "active", true, now);
    seeker_valid_until(now, c->valid_until, sizeof c->valid_until);
    return rc;
}

void h_seeker_renewal(req *r)
{
    if (api_validate(r, TOKEN_SPEC) != 0)
        return;
    char hash[TOKEN_HASH_LEN];
    crypto_token_hash(vstr(r->json, "token"), hash, sizeof hash);
    renew_ctx c = {.hash = hash};
    int rc = db_tx(r->db, renewal_tx, &c);
    if (rc == DB_NOTFOUND) {
        reply_error(r, E_TOKEN_INVALID, NULL);
        return;
    }
    if (rc != DB_OK) {
        api_dberr(r, "seeker renewal");
        return;
    }
    reply_json(r, 200, json_pack("{s:s,s:s}", "status", "renewed", "valid_until", c.valid_until));
}

int api_housekeeping(db *d)
{
    int rc = offers_expire_due(d);
    if (rc == DB_OK)
        rc = report_builds_purge(d, time_now());
    return rc == DB_OK ? digest_housekeeping(d, time_now(), NULL) : rc;
}
