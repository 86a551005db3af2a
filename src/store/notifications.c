/* Notifications (届出): filing, versions, activation, tokens, the holder's record, JSON. */
#include "store/notifications.h"
#include "domain/casework.h"
#include "store/accounts.h"
#include "store/db_json.h"
#include "util/str.h"
#include <stdlib.h>
#include <string.h>

int store_notification_scope(db *d, int64_t id, authz_notif *out)
{
    db_val p[] = {DBI(id)};
    db_res *res = NULL;
    int rc = db_query(d,
                      "SELECT n.user_id, u.merged_into, n.facility_id, n.prefecture_code "
                      "FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.id = $1",
                      p, 1, &res);
    if (rc == DB_OK && res->nrows == 0)
        rc = DB_NOTFOUND;
    if (rc == DB_OK) {
        memset(out, 0, sizeof *out);
        out->holder_id = db_int(res, 0, 0);
        out->survivor_id = db_int(res, 0, 1);
        out->facility_id = db_int(res, 0, 2);
        str_copy(out->prefecture, sizeof out->prefecture, db_text(res, 0, 3));
    }
    db_res_free(res);
    return rc;
}

/* The stored form of a body: compact JSON text (malloc'd) without the password. */
static char *body_text(const json_t *body)
{
    json_t *copy = json_deep_copy(body);
    if (!copy)
        return NULL;
    json_object_del(copy, "password");
    char *s = json_dumps(copy, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(copy);
    return s;
}

int store_notif_insert(db *d, const notif_new *n, int64_t now, int64_t *id)
{
    char *text = body_text(n->body);
    if (!text)
        return DB_ERROR;
    const json_t *h = json_object_get(n->body, "holder");
    const json_t *opt = json_object_get(n->body, "seeker_opt_in");
    db_val p[] = {DBI(n->user_id),
                  DBT(n->prefecture),
                  DBT(n->channel),
                  n->facility_id ? DBI(n->facility_id) : DBNULL,
                  n->upload_id ? DBI(n->upload_id) : DBNULL,
                  DBT(n->active ? "active" : "pending_confirmation"),
                  DBT(json_string_value(json_object_get(n->body, "reason"))),
                  DBT(json_string_value(json_object_get(n->body, "event_date"))),
                  DBT(json_string_value(json_object_get(n->body, "work_status"))),
                  DBT(json_string_value(json_object_get(h, "name"))),
                  DBT(json_string_value(json_object_get(h, "name_kana"))),
                  DBT(json_string_value(json_object_get(h, "birth_date"))),
                  DBT(text),
                  DBI(json_is_object(opt) ? 1 : 0),
                  n->filed_by ? DBI(n->filed_by) : DBNULL,
                  DBI(now),
                  n->active ? DBI(now) : DBNULL,
                  DBT(n->active ? n->confirmed_how : NULL),
                  n->active && n->filed_by ? DBI(n->filed_by) : DBNULL};
    int rc = db_scalar(d,
                       "INSERT INTO notifications (user_id, prefecture_code, channel, facility_id, "
                       "upload_id, status, reason, event_date, work_status, name, name_kana, "
                       "birth_date, body, version, seeker_opt_in, filed_by, filed_at, "
                       "confirmed_at, confirmed_how, confirmed_by, updated_at) VALUES ($1, $2, "
                       "$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14, $15, $16, $17, "
                       "$18, $19, $16) RETURNING id",
                       p, 19, id);
    if (rc == DB_OK) {
        db_val v[] = {DBI(*id), DBT(text), n->filed_by ? DBI(n->filed_by) : DBNULL, DBI(now)};
        rc = db_query(d,
                      "INSERT INTO notification_versions (notification_id, version, body, "
                      "changed_by, changed_at) VALUES ($1, 1, $2, $3, $4)",
                      v, 4, NULL);
    }
    free(text);
    return rc;
}

int store_notif_change(db *d, int64_t id, const json_t *body, int64_t by, int64_t now)
{
    db_val q[] = {DBI(id)};
    db_res *res = NULL;
    int rc = db_query(d, "SELECT body FROM notifications WHERE id = $1 AND status = 'active'", q, 1,
                      &res);
    if (rc == DB_OK && res->nrows == 0)
        rc = DB_NOTFOUND;
    json_t *merged = NULL;
    if (rc == DB_OK) {
        /* Members a change does not carry (center, opt-in) stay as filed. */
        merged = json_loads(db_text(res, 0, 0), 0, NULL);
        if (!merged || json_object_update(merged, (json_t *)body) != 0)
            rc = DB_ERROR;
    }
    db_res_free(res);
    char *text = rc == DB_OK ? body_text(merged) : NULL;
    if (rc == DB_OK && !text)
        rc = DB_ERROR;
    if (rc == DB_OK) {
        const json_t *h = json_object_get(merged, "holder");
        db_val p[] = {DBI(id),
                      DBT(text),
                      DBT(json_string_value(json_object_get(merged, "reason"))),
                      DBT(json_string_value(json_object_get(merged, "event_date"))),
                      DBT(json_string_value(json_object_get(merged, "work_status"))),
                      DBT(json_string_value(json_object_get(h, "name"))),
                      DBT(json_string_value(json_object_get(h, "name_kana"))),
                      DBT(json_string_value(json_object_get(h, "birth_date"))),
                      DBI(now)};
        int64_t version = 0;
        rc = db_scalar(d,
                       "UPDATE notifications SET body = $2, reason = $3, event_date = $4, "
                       "work_status = $5, name = $6, name_kana = $7, birth_date = $8, "
                       "version = version + 1, updated_at = $9 WHERE id = $1 AND status = "
                       "'active' RETURNING version",
                       p, 9, &version);
        if (rc == DB_OK && version == 0)
            rc = DB_NOTFOUND;
        if (rc == DB_OK) {
            db_val v[] = {DBI(id), DBI(version), DBT(text), DBI(by), DBI(now)};
            rc = db_query(d,
                          "INSERT INTO notification_versions (notification_id, version, body, "
                          "changed_by, changed_at) VALUES ($1, $2, $3, $4, $5)",
                          v, 5, NULL);
        }
    }
    free(text);
    json_decref(merged);
    return rc;
}

int store_notif_confirm(db *d, int64_t id, const char *how, int64_t by, int64_t now)
{
    db_val p[] = {DBI(id), DBT(how), by ? DBI(by) : DBNULL, DBI(now)};
    int64_t got = 0;
    int rc = db_scalar(d,
                       "UPDATE notifications SET status = 'active', confirmed_at = $4, "
                       "confirmed_how = $2, confirmed_by = $3, updated_at = $4 WHERE id = $1 AND "
                       "status = 'pending_confirmation' RETURNING id",
                       p, 4, &got);
    return rc == DB_OK && got == 0 ? DB_NOTFOUND : rc;
}

int store_notif_basics(db *d, int64_t id, int64_t *user_id, char *pref, size_t cap, json_t **body)
{
    db_val p[] = {DBI(id)};
    db_res *res = NULL;
    int rc = db_query(d, "SELECT user_id, prefecture_code, body FROM notifications WHERE id = $1",
                      p, 1, &res);
    if (rc == DB_OK && res->nrows == 0)
        rc = DB_NOTFOUND;
    if (rc == DB_OK) {
        *user_id = db_int(res, 0, 0);
        str_copy(pref, cap, db_text(res, 0, 1));
        *body = json_loads(db_text(res, 0, 2), 0, NULL);
        if (!*body)
            rc = DB_ERROR;
    }
    db_res_free(res);
    return rc;
}

int store_notif_token_insert(db *d, int64_t nid, const char *hash, int64_t now, int64_t expires)
{
    db_val p[] = {DBT(hash), DBI(nid), DBI(now), DBI(expires)};
    return db_query(d,
                    "INSERT INTO notification_tokens (token_hash, notification_id, created_at, "
                    "expires_at) VALUES ($1, $2, $3, $4)",
                    p, 4, NULL);
}

int store_notif_token_find(db *d, const char *hash, int64_t now, bool take, int64_t *nid)
{
    db_val p[] = {DBT(hash), DBI(now)};
    *nid = 0;
    int rc = take ? db_scalar(d,
                              "UPDATE notification_tokens SET used_at = $2 WHERE token_hash = $1 "
                              "AND used_at IS NULL AND expires_at > $2 RETURNING notification_id",
                              p, 2, nid)
                  : db_scalar(d,
                              "SELECT notification_id FROM notification_tokens WHERE token_hash = "
                              "$1 AND used_at IS NULL AND expires_at > $2",
                              p, 2, nid);
    return rc == DB_OK && *nid == 0 ? DB_NOTFOUND : rc;
}

int store_holder_sync(db *d, int64_t user_id, const json_t *body)
{
    const json_t *h = json_object_get(body, "holder");
    db_val p[] = {DBI(user_id), DBT(json_string_value(json_object_get(h, "birth_date")))};
    int rc = db_query(d, "UPDATE users SET birth_date = $2 WHERE id = $1 AND birth_date IS NULL", p,
                      2, NULL);
    const json_t *lics = json_object_get(body, "licences");
    for (size_t i = 0; rc == DB_OK && i < json_array_size(lics); i++) {
        const json_t *l = json_array_get(lics, i);
        db_val q[] = {DBI(user_id), DBT(json_string_value(json_object_get(l, "type"))),
                      DBT(json_string_value(json_object_get(l, "number"))),
                      DBT(json_string_value(json_object_get(l, "registered_on")))};
        rc = db_query(d,
                      "INSERT INTO licences (user_id, type, number, registered_on) VALUES ($1, "
                      "$2, $3, $4) ON CONFLICT (user_id, type) DO NOTHING",
                      q, 4, NULL);
    }
    return rc;
}

/* Adds "<key>_label" for a code member of o. */
static void add_label(json_t *o, const char *key, const code_label *list)
{
    const char *v = json_string_value(json_object_get(o, key));
    const char *l = code_label_of(list, v);
    char k[64];
    str_copy(k, sizeof k, key);
    size_t n = strlen(k);
    str_copy(k + n, sizeof k - n, "_label");
    json_object_set_new(o, k, l ? json_string(l) : json_null());
}

static const char *actor_kind(const char *r)
{
    if (!r || !strcmp(r, "seeker"))
        return "nurse";
    if (!strncmp(r, "facility", 8))
        return "facility";
    return "staff";
}

json_t *store_notif_json(db *d, int64_t id, notif_view v, int *rc)
{
    db_val p[] = {DBI(id)};
    db_res *res = NULL;
    *rc = db_query(d,
                   "SELECT n.id, n.status, n.channel, n.prefecture_code, nc.name, n.user_id, "
                   "n.facility_id, f.name, n.upload_id, n.version, n.filed_at, n.confirmed_at, "
                   "n.confirmed_how, n.seeker_opt_in, n.body, "
                   "(SELECT body FROM notification_versions WHERE notification_id = n.id AND "
                   "version = 1) "
                   "FROM notifications n LEFT JOIN nurse_centers nc ON nc.prefecture_code = "
                   "n.prefecture_code LEFT JOIN facilities f ON f.id = n.facility_id "
                   "WHERE n.id = $1",
                   p, 1, &res);
    if (*rc == DB_OK && res->nrows == 0)
        *rc = DB_NOTFOUND;
    if (*rc != DB_OK) {
        db_res_free(res);
        return NULL;
    }
    /* The facility sees the content as it filed it (version 1), never a later change. */
    json_t *o = json_loads(db_text(res, 0, v == NOTIF_VIEW_FACILITY ? 15 : 14), 0, NULL);
    if (!o) {
        db_res_free(res);
        *rc = DB_ERROR;
        return NULL;
    }
    /* Every documented member is there; an optional one left empty is null. */
    static const char *const TOP[] = {
        "reason", "event_date", "last_workplace", "last_workplace_name", "work_status", NULL};
    static const char *const HOLDER[] = {
        "name",    "name_kana", "birth_date", "postal_code", "address_prefecture",
        "address", "phone",     "email",      NULL};
    for (int k = 0; TOP[k]; k++)
        if (!json_object_get(o, TOP[k]))
            json_object_set_new(o, TOP[k], json_null());
    json_t *h = json_object_get(o, "holder");
    for (int k = 0; json_is_object(h) && HOLDER[k]; k++)
        if (!json_object_get(h, HOLDER[k]))
            json_object_set_new(h, HOLDER[k], json_null());
    json_object_set_new(o, "id", json_integer(db_int(res, 0, 0)));
    json_object_set_new(o, "status", dbj_text(res, 0, 1));
    add_label(o, "status", NOTIF_STATUSES);
    json_object_set_new(o, "channel", dbj_text(res, 0, 2));
    add_label(o, "channel", NOTIF_CHANNELS);
    json_object_set_new(o, "prefecture", dbj_text(res, 0, 3));
    json_object_set_new(o, "center_name", dbj_text(res, 0, 4));
    json_object_set_new(o, "person_id", json_integer(db_int(res, 0, 5)));
    json_object_set_new(o, "facility",
                        db_isnull(res, 0, 6)
                            ? json_null()
                            : json_pack("{s:I,s:o}", "id", (json_int_t)db_int(res, 0, 6), "name",
                                        dbj_text(res, 0, 7)));
    json_object_set_new(o, "upload_id", dbj_int(res, 0, 8));
    json_object_set_new(o, "version", json_integer(db_int(res, 0, 9)));
    json_object_set_new(o, "filed_at", json_integer(db_int(res, 0, 10)));
    json_object_set_new(o, "confirmed_at", dbj_int(res, 0, 11));
    json_object_set_new(o, "confirmed_how", dbj_text(res, 0, 12));
    json_object_set_new(o, "seeker_opt_in", json_boolean(db_int(res, 0, 13)));
    if (!json_object_get(o, "center_prefecture"))
        json_object_set_new(o, "center_prefecture", dbj_text(res, 0, 3));
    if (!json_object_get(o, "seeker_opt_in"))
        json_object_set_new(o, "seeker_opt_in", json_false());
    add_label(o, "reason", NOTIF_REASONS);
    add_label(o, "last_workplace", NOTIF_LAST_WORKPLACES);
    add_label(o, "work_status", NOTIF_WORK_STATUSES);
    db_res_free(res);
    if (v == NOTIF_VIEW_FACILITY) {
        json_object_set_new(o, "version", json_integer(1));
        return o;
    }
    *rc = db_query(d,
                   "SELECT v.version, v.changed_at, u.role, v.body FROM notification_versions v "
                   "LEFT JOIN users u ON u.id = v.changed_by WHERE v.notification_id = $1 "
                   "ORDER BY v.version",
                   p, 1, &res);
    if (*rc != DB_OK) {
        json_decref(o);
        return NULL;
    }
    json_t *vers = json_array();
    for (int i = 0; i < res->nrows; i++) {
        json_t *b = json_loads(db_text(res, i, 3), 0, NULL);
        json_array_append_new(
            vers, json_pack("{s:I,s:I,s:s,s:o}", "version", (json_int_t)db_int(res, i, 0),
                            "changed_at", (json_int_t)db_int(res, i, 1), "changed_by_kind",
                            actor_kind(db_text(res, i, 2)), "body", b ? b : json_null()));
    }
    db_res_free(res);
    json_object_set_new(o, "versions", vers);
    return o;
}

int store_person_duplicates(db *d, int64_t uid, db_res **out)
{
    db_val p[] = {DBI(uid)};
    return db_query(d,
                    "SELECT c.o, MAX(CASE WHEN c.reason = 'licence' THEN 1 ELSE 0 END), "
                    "MAX(CASE WHEN c.reason = 'name_birth' THEN 1 ELSE 0 END) FROM (SELECT "
                    "l2.user_id AS o, 'licence' AS reason "
                    "FROM licences l1 JOIN licences l2 ON l2.type = l1.type AND l2.number = "
                    "l1.number AND l2.user_id <> l1.user_id WHERE l1.user_id = $1 UNION "
                    "SELECT o.id, 'name_birth' FROM users u JOIN users o ON o.birth_date = "
                    "u.birth_date AND REPLACE(o.name_kana, ' ', '') = REPLACE(u.name_kana, ' ', "
                    "'') AND o.id <> u.id WHERE u.id = $1) "
                    "c JOIN users x ON x.id = c.o WHERE x.role = 'seeker' AND x.merged_into IS "
                    "NULL AND x.id NOT IN (SELECT id FROM users WHERE merged_into = $1) "
                    "GROUP BY c.o ORDER BY c.o",
                    p, 1, out);
}
