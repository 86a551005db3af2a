/* Staff access to people's records (job seekers), scoped by authz and audited. */
#include "api/api.h"
#include "domain/text.h"
#include "util/buf.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void h_people_list(req *r)
{
    int64_t page, per;
    if (api_paging(r, &page, &per) != 0)
        return;
    char *norm = api_query_text(r, "q");
    if (!norm)
        return;
    char *kana = strdup(norm);
    if (kana)
        text_hira_to_kata(kana);
    char *pat = api_like_pattern(norm), *kpat = api_like_pattern(kana ? kana : norm);
    /* Scope from the one authz module: center staff see their prefecture only. */
    const char *pref = authz_people_filter(&r->actor);
    if (!pref) {
        free(norm);
        free(kana);
        free(pat);
        free(kpat);
        reply_error(r, E_FORBIDDEN, NULL);
        return;
    }
    db_val p[] = {DBT(pref), DBT(*norm ? pat : ""), DBT(kpat), DBI(per), DBI((page - 1) * per)};
#define PEOPLE_WHERE                                                                               \
    " FROM users WHERE role = 'seeker' AND ($1 = '' OR prefecture_code = $1) AND "                 \
    "($2 = '' OR LOWER(name) LIKE LOWER($2) ESCAPE '\\' OR name_kana LIKE $3 ESCAPE '\\' OR "      \
    "email LIKE LOWER($2) ESCAPE '\\')"
    int64_t total = 0;
    db_res *res = NULL;
    int rc = db_scalar(r->db, "SELECT COUNT(*)" PEOPLE_WHERE, p, 3, &total);
    if (rc == DB_OK)
        rc = db_query(r->db,
                      "SELECT id, name, name_kana, email, COALESCE(prefecture_code, ''), channel, "
                      "created_at" PEOPLE_WHERE " ORDER BY id DESC LIMIT $4 OFFSET $5",
                      p, 5, &res);
    free(norm);
    free(kana);
    free(pat);
    free(kpat);
    if (rc != DB_OK) {
        db_res_free(res);
        api_dberr(r, "people list");
        return;
    }
    json_t *items = json_array();
    for (int i = 0; i < res->nrows; i++)
        json_array_append_new(
            items, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:I}", "id", (json_int_t)db_int(res, i, 0),
                             "name", db_text(res, i, 1), "name_kana", db_text(res, i, 2), "email",
                             db_text(res, i, 3), "prefecture", db_text(res, i, 4), "channel",
                             db_text(res, i, 5), "created_at", (json_int_t)db_int(res, i, 6)));
    db_res_free(res);
    reply_json(r, 200,
               json_pack("{s:I,s:I,s:I,s:o}", "total", (json_int_t)total, "page", (json_int_t)page,
                         "per_page", (json_int_t)per, "items", items));
}

void h_person_get(req *r)
{
    account a;
    int rc = store_user_by_id(r->db, r->subject.id, &a);
    if (rc != DB_OK) {
        api_dberr(r, "person");
        return;
    }
    db_val p[] = {DBI(a.id)};
    db_res *res = NULL;
    if (db_query(r->db,
                 "SELECT type, number, registered_on FROM licences WHERE user_id = $1 ORDER BY id",
                 p, 1, &res) != DB_OK) {
        api_dberr(r, "person licences");
        return;
    }
    json_t *lics = json_array();
    for (int i = 0; i < res->nrows; i++)
        json_array_append_new(lics,
                              json_pack("{s:s,s:s,s:s}", "type", db_text(res, i, 0), "number",
                                        db_text(res, i, 1), "registered_on", db_text(res, i, 2)));
    db_res_free(res);
    /* Every staff read of a person's record is logged. */
    if (r->actor.id != a.id &&
        store_audit_add(r->db, time_now(), r->actor.id, role_name(r->actor.role),
                        r->actor.prefecture, a.id, "read", "person", r->ip) != DB_OK) {
        json_decref(lics);
        api_dberr(r, "audit");
        return;
    }
    json_t *u = user_json(&a);
    json_object_set_new(u, "phone", a.phone[0] ? json_string(a.phone) : json_null());
    json_object_set_new(u, "licences", lics);
    reply_json(r, 200, json_pack("{s:o}", "person", u));
}

void h_person_audit(req *r)
{
    db_val p[] = {DBI(r->subject.id)};
    db_res *res = NULL;
    if (db_query(r->db,
                 "SELECT a.at, a.action, a.target, a.actor_user_id, u.name, a.actor_role, "
                 "COALESCE(a.actor_prefecture, ''), a.ip FROM audit_log a JOIN users u ON "
                 "u.id = a.actor_user_id WHERE a.subject_user_id = $1 "
                 "ORDER BY a.at DESC, a.id DESC LIMIT 500",
                 p, 1, &res) != DB_OK) {
        api_dberr(r, "person audit");
        return;
    }
    json_t *items = json_array();
    for (int i = 0; i < res->nrows; i++)
        json_array_append_new(
            items, json_pack("{s:I,s:s,s:s,s:I,s:s,s:s,s:s,s:s}", "at",
                             (json_int_t)db_int(res, i, 0), "action", db_text(res, i, 1), "target",
                             db_text(res, i, 2), "actor_id", (json_int_t)db_int(res, i, 3),
                             "actor_name", db_text(res, i, 4), "actor_role", db_text(res, i, 5),
                             "actor_prefecture", db_text(res, i, 6), "ip", db_text(res, i, 7)));
    db_res_free(res);
    reply_json(r, 200, json_pack("{s:o}", "items", items));
}
