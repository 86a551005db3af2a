/* The counselor's casework: the work queue (tasks), center settings, one timeline per licence
 * holder, duplicate records and their merge, and the hand-over to another prefecture's center.
 * Scope: /tasks/{id} is SCOPE_TASK (the task's prefecture), /people/{id}/… SCOPE_PERSON. */
#include "api/api.h"
#include "domain/casework.h"
#include "domain/placement.h"
#include "http/session.h"
#include "search/match_feed.h"
#include "store/casework.h"
#include "store/db_json.h"
#include "store/notifications.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The label of code in list, or "" (for text built around it). */
static const char *label_or_empty(const code_label *list, const char *code)
{
    const char *l = code_label_of(list, code);
    return l ? l : "";
}

static json_t *label_json(const code_label *list, const char *code)
{
    const char *l = code_label_of(list, code);
    return l ? json_string(l) : json_null();
}

static json_t *ref_json(const db_res *res, int i, int id_col, int name_col)
{
    if (db_isnull(res, i, id_col))
        return json_null();
    return json_pack("{s:I,s:o}", "id", (json_int_t)db_int(res, i, id_col), "name",
                     dbj_text(res, i, name_col));
}

/* ---- tasks ------------------------------------------------------------------------------ */

#define TASK_COLS                                                                                  \
    "t.id, t.kind, t.prefecture_code, t.user_id, u.name, u.name_kana, t.notification_id, "         \
    "t.consultation_id, t.due_on, t.assigned_to, a.name, t.status, t.outcome, t.note, "            \
    "t.done_at, t.done_by, b.name, t.created_at, "                                                 \
    "CASE WHEN t.user_id IS NULL THEN 0 ELSE " SQL_DUPLICATES_OF_U " END "                         \
    "FROM tasks t LEFT JOIN users u ON u.id = t.user_id LEFT JOIN users a ON a.id = "              \
    "t.assigned_to LEFT JOIN users b ON b.id = t.done_by "

static json_t *task_json(const db_res *res, int i, const char *today)
{
    json_t *o = json_object();
    const char *status = db_text(res, i, 11), *due = db_text(res, i, 8);
    json_object_set_new(o, "id", json_integer(db_int(res, i, 0)));
    json_object_set_new(o, "kind", dbj_text(res, i, 1));
    json_object_set_new(o, "kind_label", label_json(TASK_KINDS, db_text(res, i, 1)));
    json_object_set_new(o, "prefecture", dbj_text(res, i, 2));
    json_object_set_new(o, "person",
                        db_isnull(res, i, 3)
                            ? json_null()
                            : json_pack("{s:I,s:o,s:o}", "id", (json_int_t)db_int(res, i, 3),
                                        "name", dbj_text(res, i, 4), "name_kana",
                                        dbj_text(res, i, 5)));
    json_object_set_new(o, "notification_id", dbj_int(res, i, 6));
    json_object_set_new(o, "consultation_id", dbj_int(res, i, 7));
    json_object_set_new(o, "due_on", dbj_text(res, i, 8));
    json_object_set_new(
        o, "overdue",
        json_boolean(status && !strcmp(status, "open") && due && date_cmp(due, today) < 0));
    json_object_set_new(o, "assigned_to", ref_json(res, i, 9, 10));
    json_object_set_new(o, "status", dbj_text(res, i, 11));
    json_object_set_new(o, "outcome", dbj_text(res, i, 12));
    json_object_set_new(o, "outcome_label", label_json(TASK_OUTCOMES, db_text(res, i, 12)));
    json_object_set_new(o, "note", dbj_text(res, i, 13));
    json_object_set_new(o, "done_at", dbj_int(res, i, 14));
    json_object_set_new(o, "done_by", ref_json(res, i, 15, 16));
    json_object_set_new(o, "created_at", json_integer(db_int(res, i, 17)));
    json_object_set_new(o, "duplicates", json_integer(db_int(res, i, 18)));
    return o;
}

static void reply_task(req *r, int64_t id)
{
    db_val p[] = {DBI(id)};
    db_res *res = NULL;
    if (db_query(r->db, "SELECT " TASK_COLS "WHERE t.id = $1", p, 1, &res) != DB_OK) {
        api_dberr(r, "task");
        return;
    }
    if (res->nrows == 0) {
        db_res_free(res);
        reply_error(r, E_NOT_FOUND, NULL);
        return;
    }
    char today[11];
    time_jst_date(time_now(), today, sizeof today);
    reply_json(r, 200, json_pack("{s:o}", "task", task_json(res, 0, today)));
    db_res_free(res);
}

void h_tasks_list(req *r)
{
    const char *scope = authz_people_filter(&r->actor);
    if (!scope) {
        reply_error(r, E_FORBIDDEN, NULL);
        return;
    }
    int64_t page, per, overdue;
    if (api_paging(r, &page, &per) != 0 || api_query_int(r, "overdue", 0, 0, 1, &overdue) != 0)
        return;
    const char *status = req_query(r, "status"), *kind = req_query(r, "kind");
    const char *assigned = req_query(r, "assigned"), *pref = req_query(r, "prefecture");
    if (!status || !*status)
        status = "open";
    if ((strcmp(status, "open") && strcmp(status, "done")) ||
        (kind && *kind && !code_label_of(TASK_KINDS, kind)) ||
        (pref && *pref && code_index(PREFECTURE_CODES, pref) < 0)) {
        reply_error(r, E_BAD_PARAMETER, NULL);
        return;
    }
    /* assigned: me | none | an account id; -1 = none, 0 = any. */
    int64_t who = 0;
    if (assigned && *assigned) {
        if (!strcmp(assigned, "me"))
            who = r->actor.id;
        else if (!strcmp(assigned, "none"))
            who = -1;
        else if (str_to_i64(assigned, 1, INT64_MAX, &who) != 0) {
            reply_error(r, E_BAD_PARAMETER, "assigned");
            return;
        }
    }
    if (*scope)
        pref = scope;
    else if (pref && !*pref)
        pref = NULL;
    char today[11];
    time_jst_date(time_now(), today, sizeof today);
    db_val p[] = {DBT(pref),
                  DBT(status),
                  DBT(kind && *kind ? kind : NULL),
                  DBI(who),
                  DBT(overdue ? today : NULL),
                  DBI(per),
                  DBI((page - 1) * per)};
#define TASK_WHERE                                                                                 \
    "WHERE (t.prefecture_code = $1 OR $1 IS NULL) AND t.status = $2 AND (t.kind = $3 OR $3 IS "    \
    "NULL) AND ($4 = 0 OR ($4 = -1 AND t.assigned_to IS NULL) OR t.assigned_to = $4) AND "         \
    "(t.due_on < $5 OR $5 IS NULL) "
    int64_t total = 0;
    db_res *res = NULL;
    int rc = db_scalar(r->db, "SELECT COUNT(*) FROM tasks t " TASK_WHERE, p, 5, &total);
    if (rc == DB_OK)
        rc =
            db_query(r->db,
                     "SELECT " TASK_COLS TASK_WHERE
                     "ORDER BY CASE WHEN t.status = 'open' THEN t.due_on END, "
                     "CASE WHEN t.status = 'done' THEN t.done_at END DESC, t.id LIMIT $6 OFFSET $7",
                     p, 7, &res);
#undef TASK_WHERE
    if (rc != DB_OK) {
        api_dberr(r, "tasks");
        return;
    }
    json_t *items = json_array();
    for (int i = 0; i < res->nrows; i++)
        json_array_append_new(items, task_json(res, i, today));
    db_res_free(res);
    reply_json(r, 200,
               json_pack("{s:I,s:I,s:I,s:s,s:o}", "total", (json_int_t)total, "page",
                         (json_int_t)page, "per_page", (json_int_t)per, "today", today, "items",
                         items));
}

void h_task_get(req *r)
{
    reply_task(r, r->subject.id);
}

static const vfield ASSIGN_SPEC[] = {
    {.name = "assignee_id", .label = "担当者", .type = VT_INTEGER, .min = 1, .max = INT32_MAX},
    {.name = NULL}};

void h_task_assign(req *r)
{
    json_t *v = json_object_get(r->json, "assignee_id");
    bool unassign = json_is_null(v);
    if (!v) {
        verrs e = {.n = 0};
        verrs_add(&e, "assignee_id", "assignee_id.missing", "担当者を選択してください");
        reply_validation(r, &e);
        return;
    }
    if (!unassign && api_validate(r, ASSIGN_SPEC) != 0)
        return;
    if (unassign) { /* only the member itself may be sent */
        static const vfield ONLY[] = {{.name = "assignee_id", .label = "担当者"}, {.name = NULL}};
        json_t *copy = json_deep_copy(r->json);
        json_object_del(copy, "assignee_id");
        verrs e = {.n = 0};
        validate_object(copy, ONLY, "", "", &e);
        json_decref(copy);
        if (e.n) {
            reply_validation(r, &e);
            return;
        }
    }
    int64_t who = unassign ? 0 : json_integer_value(json_object_get(r->json, "assignee_id"));
    if (who) {
        /* A counselor or center admin of the task's own center. */
        account a;
        int rc = store_user_by_id(r->db, who, &a);
        if (rc != DB_OK && rc != DB_NOTFOUND) {
            api_dberr(r, "assignee");
            return;
        }
        if (rc == DB_NOTFOUND || strcmp(a.status, "active") != 0 ||
            (strcmp(a.role, "counselor") && strcmp(a.role, "center_admin")) ||
            strcmp(a.prefecture, r->subject.prefecture) != 0) {
            verrs e = {.n = 0};
            verrs_add(&e, "assignee_id", "assignee_id.invalid",
                      "このナースセンターの相談員を選択してください");
            reply_validation(r, &e);
            return;
        }
    }
    db_val p[] = {DBI(r->subject.id), who ? DBI(who) : DBNULL, DBI(time_now())};
    if (db_query(r->db, "UPDATE tasks SET assigned_to = $2, updated_at = $3 WHERE id = $1", p, 3,
                 NULL) != DB_OK) {
        api_dberr(r, "task assign");
        return;
    }
    reply_task(r, r->subject.id);
}

static const vfield DONE_SPEC[] = {
    {.name = "outcome",
     .label = "結果",
     .kind = VK_TEXT,
     .required = true,
     .max = 20,
     .select = true},
    {.name = "note", .label = "メモ", .kind = VK_MULTILINE, .max = 1000},
    {.name = NULL}};

void h_task_done(req *r)
{
    verrs e = {.n = 0};
    validate_object(r->json, DONE_SPEC, "", "", &e);
    const char *outcome = vstr(r->json, "outcome");
    if (outcome && !code_label_of(TASK_OUTCOMES, outcome))
        verrs_add(&e, "outcome", "outcome.invalid", "結果を一覧から選択してください");
    if (e.n) {
        reply_validation(r, &e);
        return;
    }
    int64_t now = time_now(), got = 0;
    db_val p[] = {DBI(r->subject.id), DBT(outcome), DBT(vstr(r->json, "note")), DBI(r->actor.id),
                  DBI(now)};
    if (db_scalar(r->db,
                  "UPDATE tasks SET status = 'done', outcome = $2, note = $3, done_by = $4, "
                  "done_at = $5, updated_at = $5 WHERE id = $1 AND status = 'open' RETURNING id",
                  p, 5, &got) != DB_OK) {
        api_dberr(r, "task done");
        return;
    }
    if (!got) {
        reply_error(r, E_TASK_DONE, NULL);
        return;
    }
    reply_task(r, r->subject.id);
}

/* ---- center settings -------------------------------------------------------------------- */

static void reply_settings(req *r)
{
    int days;
    if (store_center_contact_days(r->db, r->actor.prefecture, &days) != DB_OK) {
        api_dberr(r, "center settings");
        return;
    }
    reply_json(
        r, 200,
        json_pack("{s:s,s:i}", "prefecture", r->actor.prefecture, "first_contact_days", days));
}

void h_center_settings_get(req *r)
{
    reply_settings(r);
}

static const vfield SETTINGS_SPEC[] = {{.name = "first_contact_days",
                                        .label = "初回連絡の期限（営業日）",
                                        .type = VT_INTEGER,
                                        .required = true,
                                        .min = 1,
                                        .max = 20},
                                       {.name = NULL}};

void h_center_settings_put(req *r)
{
    if (api_validate(r, SETTINGS_SPEC) != 0)
        return;
    db_val p[] = {DBT(r->actor.prefecture),
                  DBI(json_integer_value(json_object_get(r->json, "first_contact_days"))),
                  DBI(r->actor.id), DBI(time_now())};
    if (db_query(r->db,
                 "INSERT INTO center_settings (prefecture_code, first_contact_days, updated_by, "
                 "updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (prefecture_code) DO UPDATE "
                 "SET first_contact_days = excluded.first_contact_days, updated_by = "
                 "excluded.updated_by, updated_at = excluded.updated_at",
                 p, 4, NULL) != DB_OK) {
        api_dberr(r, "center settings put");
        return;
    }
    reply_settings(r);
}

/* ---- timeline --------------------------------------------------------------------------- */

/* The ids of the record and of those merged into it. */
#define SQL_PERSON_IDS "(SELECT id FROM users WHERE id = $1 OR merged_into = $1)"

static void add_item(json_t *items, int64_t at, const char *date, const char *kind,
                     const char *label, const char *detail, const char *ref_type, int64_t ref_id)
{
    char d[11];
    if (!date) {
        time_jst_date(at, d, sizeof d);
        date = d;
    }
    json_array_append_new(items,
                          json_pack("{s:I,s:s,s:s,s:s,s:s?,s:{s:s,s:I}}", "at", (json_int_t)at,
                                    "date", date, "kind", kind, "label", label, "detail", detail,
                                    "ref", "type", ref_type, "id", (json_int_t)ref_id));
}

static int cmp_items(const void *a, const void *b)
{
    json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "at"));
    json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "at"));
    return x < y ? 1 : x > y ? -1 : 0;
}

/* Builds the timeline of person uid (staff: with notes). Returns a new array or NULL. */
static json_t *timeline(db *d, int64_t uid, bool staff)
{
    db_val p[] = {DBI(uid)};
    json_t *items = json_array();
    db_res *res = NULL;
    int rc = db_query(d,
                      "SELECT id, filed_at, channel, reason, confirmed_at, confirmed_how, status "
                      "FROM notifications WHERE user_id IN " SQL_PERSON_IDS,
                      p, 1, &res);
    for (int i = 0; rc == DB_OK && i < res->nrows; i++) {
        char label[160];
        snprintf(label, sizeof label, "届出（%s）",
                 label_or_empty(NOTIF_CHANNELS, db_text(res, i, 2)));
        add_item(items, db_int(res, i, 1), NULL, "notification", label,
                 code_label_of(NOTIF_REASONS, db_text(res, i, 3)), "notification",
                 db_int(res, i, 0));
        if (!db_isnull(res, i, 4) && strcmp(db_text(res, i, 5), "self") != 0)
            add_item(items, db_int(res, i, 4), NULL, "notification_confirmed",
                     !strcmp(db_text(res, i, 5), "paper") ? "届出を受付（書面・窓口）"
                                                          : "届出内容を本人が確認",
                     NULL, "notification", db_int(res, i, 0));
    }
    db_res_free(res);
    res = NULL;
    if (rc == DB_OK)
        rc = db_query(
            d,
            "SELECT v.notification_id, v.version, v.changed_at FROM notification_versions v "
            "JOIN notifications n ON n.id = v.notification_id WHERE v.version > 1 AND "
            "n.user_id IN " SQL_PERSON_IDS,
            p, 1, &res);
    for (int i = 0; rc == DB_OK && i < res->nrows; i++) {
        char label[64];
        snprintf(label, sizeof label, "変更届（第%lld版）", (long long)db_int(res, i, 1));
        add_item(items, db_int(res, i, 2), NULL, "notification_change", label, NULL, "notification",
                 db_int(res, i, 0));
    }
    db_res_free(res);
    res = NULL;
    if (rc == DB_OK)
        rc = db_query(d, "SELECT user_id, created_at FROM seekers WHERE user_id IN " SQL_PERSON_IDS,
                      p, 1, &res);
    for (int i = 0; rc == DB_OK && i < res->nrows; i++)
        add_item(items, db_int(res, i, 1), NULL, "seeker_registered", "求職者として登録", NULL,
                 "person", db_int(res, i, 0));
    db_res_free(res);
    res = NULL;
    if (rc == DB_OK)
        rc = db_query(d,
                      "SELECT id, created_at, consulted_on, category, channel, summary FROM "
                      "consultations WHERE user_id IN " SQL_PERSON_IDS,
                      p, 1, &res);
    for (int i = 0; rc == DB_OK && i < res->nrows; i++) {
        char label[160];
        snprintf(label, sizeof label, "相談（%s・%s）",
                 label_or_empty(CONSULT_CATEGORIES, db_text(res, i, 3)),
                 label_or_empty(CONSULT_CHANNELS, db_text(res, i, 4)));
        add_item(items, db_int(res, i, 1), db_text(res, i, 2), "consultation", label,
                 staff ? db_text(res, i, 5) : NULL, "consultation", db_int(res, i, 0));
    }
    db_res_free(res);
    res = NULL;
    if (rc == DB_OK)
        rc = db_query(d,
                      "SELECT e.application_id, e.at, e.action, o.title, f.name FROM "
                      "application_events e JOIN applications a ON a.id = e.application_id "
                      "JOIN offers o ON o.id = a.offer_id JOIN facilities f ON f.id = "
                      "a.facility_id WHERE a.seeker_user_id IN " SQL_PERSON_IDS,
                      p, 1, &res);
    for (int i = 0; rc == DB_OK && i < res->nrows; i++) {
        int act = placement_action_parse(db_text(res, i, 2));
        char detail[600];
        snprintf(detail, sizeof detail, "%s（%s）", db_text(res, i, 4) ? db_text(res, i, 4) : "",
                 db_text(res, i, 3) ? db_text(res, i, 3) : "");
        add_item(items, db_int(res, i, 1), NULL, "application",
                 act >= 0 ? placement_action_label((placement_action)act) : db_text(res, i, 2),
                 detail, "application", db_int(res, i, 0));
    }
    db_res_free(res);
    res = NULL;
    if (rc == DB_OK)
        rc = db_query(d,
                      "SELECT id, done_at, kind, outcome, note FROM tasks WHERE status = 'done' "
                      "AND user_id IN " SQL_PERSON_IDS,
                      p, 1, &res);
    for (int i = 0; rc == DB_OK && i < res->nrows; i++) {
        char label[200];
        snprintf(label, sizeof label, "%s：%s", label_or_empty(TASK_KINDS, db_text(res, i, 2)),
                 label_or_empty(TASK_OUTCOMES, db_text(res, i, 3)));
        add_item(items, db_int(res, i, 1), NULL, "task_done", label,
                 staff ? db_text(res, i, 4) : NULL, "task", db_int(res, i, 0));
    }
    db_res_free(res);
    res = NULL;
    if (rc == DB_OK)
        rc = db_query(d,
                      "SELECT h.id, h.at, pf.name, pt.name FROM handovers h JOIN prefectures pf "
                      "ON pf.code = h.from_prefecture JOIN prefectures pt ON pt.code = "
                      "h.to_prefecture WHERE h.user_id IN " SQL_PERSON_IDS,
                      p, 1, &res);
    for (int i = 0; rc == DB_OK && i < res->nrows; i++) {
        char detail[160];
        snprintf(detail, sizeof detail, "%s → %s", db_text(res, i, 2), db_text(res, i, 3));
        add_item(items, db_int(res, i, 1), NULL, "handover", "他県のナースセンターへ引継ぎ", detail,
                 "handover", db_int(res, i, 0));
    }
    db_res_free(res);
    res = NULL;
    if (rc == DB_OK)
        rc = db_query(
            d,
            "SELECT id, at, merged_id FROM person_merges WHERE survivor_id IN " SQL_PERSON_IDS
            " OR merged_id = $1",
            p, 1, &res);
    for (int i = 0; rc == DB_OK && i < res->nrows; i++)
        add_item(items, db_int(res, i, 1), NULL, "merge", "重複した記録を統合", NULL, "person",
                 db_int(res, i, 2));
    db_res_free(res);
    if (rc != DB_OK) {
        json_decref(items);
        return NULL;
    }
    size_t n = json_array_size(items);
    json_t **v = malloc((n ? n : 1) * sizeof *v);
    if (!v) {
        json_decref(items);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        v[i] = json_incref(json_array_get(items, i));
    qsort(v, n, sizeof *v, cmp_items);
    json_t *sorted = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(sorted, v[i]);
    free(v);
    json_decref(items);
    return sorted;
}

static void reply_timeline(req *r, int64_t uid, bool staff)
{
    account a;
    if (store_user_by_id(r->db, uid, &a) != DB_OK) {
        api_dberr(r, "timeline person");
        return;
    }
    db_val p[] = {DBI(uid)};
    db_res *res = NULL;
    if (db_query(r->db, "SELECT id FROM users WHERE merged_into = $1 ORDER BY id", p, 1, &res) !=
        DB_OK) {
        api_dberr(r, "timeline merged");
        return;
    }
    json_t *merged = json_array();
    for (int i = 0; i < res->nrows; i++)
        json_array_append_new(merged, json_integer(db_int(res, i, 0)));
    db_res_free(res);
    json_t *items = timeline(r->db, uid, staff);
    if (!items ||
        (staff && store_audit_add(r->db, time_now(), r->actor.id, role_name(r->actor.role),
                                  r->actor.prefecture, uid, "read", "timeline", r->ip) != DB_OK)) {
        json_decref(items);
        json_decref(merged);
        api_dberr(r, "timeline");
        return;
    }
    reply_json(r, 200,
               json_pack("{s:{s:I,s:s,s:s,s:o,s:o},s:o}", "person", "id", (json_int_t)a.id, "name",
                         a.name, "name_kana", a.name_kana, "prefecture",
                         a.prefecture[0] ? json_string(a.prefecture) : json_null(), "merged",
                         merged, "items", items));
}

void h_person_timeline(req *r)
{
    reply_timeline(r, r->subject.id, true);
}

void h_me_timeline(req *r)
{
    reply_timeline(r, r->actor.id, false);
}

/* ---- duplicates and merge --------------------------------------------------------------- */

void h_person_duplicates(req *r)
{
    db_res *res = NULL;
    if (store_person_duplicates(r->db, r->subject.id, &res) != DB_OK) {
        api_dberr(r, "duplicates");
        return;
    }
    json_t *items = json_array();
    for (int i = 0; i < res->nrows; i++) {
        account a;
        if (store_user_by_id(r->db, db_int(res, i, 0), &a) != DB_OK)
            continue;
        principal who;
        principal_from_account(&who, &a);
        if (authz_person(&r->actor, &who) != AUTHZ_ALLOW)
            continue; /* another prefecture's record stays invisible */
        db_val q[] = {DBI(a.id)};
        db_res *b = NULL;
        if (db_query(r->db, "SELECT birth_date FROM users WHERE id = $1", q, 1, &b) != DB_OK) {
            db_res_free(res);
            json_decref(items);
            api_dberr(r, "duplicate");
            return;
        }
        /* The address is shown masked: enough to tell two records apart. */
        char masked[64] = "";
        if (!strstr(a.email, ".invalid")) {
            const char *at = strchr(a.email, '@');
            snprintf(masked, sizeof masked, "%.1s***%s", a.email, at ? at : "");
        }
        json_t *reasons = json_array();
        if (db_int(res, i, 1))
            json_array_append_new(reasons, json_string("licence"));
        if (db_int(res, i, 2))
            json_array_append_new(reasons, json_string("name_birth"));
        json_array_append_new(
            items, json_pack("{s:{s:I,s:s,s:s,s:o,s:s,s:o},s:o}", "person", "id", (json_int_t)a.id,
                             "name", a.name, "name_kana", a.name_kana, "birth_date",
                             b->nrows ? dbj_text(b, 0, 0) : json_null(), "prefecture", a.prefecture,
                             "email_masked", masked[0] ? json_string(masked) : json_null(),
                             "reasons", reasons));
        db_res_free(b);
    }
    db_res_free(res);
    reply_json(r, 200, json_pack("{s:o}", "items", items));
}

static const vfield MERGE_SPEC[] = {
    {.name = "duplicate_id",
     .label = "統合する記録",
     .type = VT_INTEGER,
     .required = true,
     .min = 1,
     .max = INT32_MAX},
    {.name = "note", .label = "メモ", .kind = VK_MULTILINE, .max = 1000},
    {.name = NULL}};

typedef struct {
    req *r;
    int64_t dup;
    const char *reason;
} merge_ctx;

static int merge_tx(db *d, void *arg)
{
    merge_ctx *c = arg;
    int64_t now = time_now(), id = c->r->subject.id;
    db_val p[] = {DBI(id), DBI(c->dup), DBI(now)};
    int rc = db_query(d,
                      "UPDATE users SET merged_into = $1, status = 'disabled', updated_at = $3 "
                      "WHERE id = $2",
                      p, 3, NULL);
    if (rc == DB_OK) /* records merged into the duplicate follow it */
        rc =
            db_query(d, "UPDATE users SET merged_into = $1, updated_at = $3 WHERE merged_into = $2",
                     p, 3, NULL);
    if (rc == DB_OK)
        rc = store_sessions_delete_user(d, c->dup, 0);
    if (rc == DB_OK) /* open work continues on the surviving record */
        rc = db_query(d,
                      "UPDATE tasks SET user_id = $1, updated_at = $3 WHERE user_id = $2 AND "
                      "status = 'open'",
                      p, 3, NULL);
    db_val q[] = {
        DBI(id), DBI(c->dup), DBT(c->reason), DBT(vstr(c->r->json, "note")), DBI(c->r->actor.id),
        DBI(now)};
    if (rc == DB_OK)
        rc = db_query(d,
                      "INSERT INTO person_merges (survivor_id, merged_id, reason, note, by_user, "
                      "at) VALUES ($1, $2, $3, $4, $5, $6)",
                      q, 6, NULL);
    if (rc == DB_OK)
        rc = store_audit_add(d, now, c->r->actor.id, role_name(c->r->actor.role),
                             c->r->actor.prefecture, id, "merge", "person", c->r->ip);
    return rc;
}

void h_person_merge(req *r)
{
    if (api_validate(r, MERGE_SPEC) != 0)
        return;
    merge_ctx c = {.r = r, .dup = json_integer_value(json_object_get(r->json, "duplicate_id"))};
    db_res *res = NULL;
    if (store_person_duplicates(r->db, r->subject.id, &res) != DB_OK) {
        api_dberr(r, "merge duplicates");
        return;
    }
    for (int i = 0; i < res->nrows; i++)
        if (db_int(res, i, 0) == c.dup)
            c.reason = db_int(res, i, 1) ? "licence" : "name_birth";
    db_res_free(res);
    account a;
    principal who;
    bool ok = c.reason && store_user_by_id(r->db, c.dup, &a) == DB_OK;
    if (ok) {
        principal_from_account(&who, &a);
        ok = authz_person(&r->actor, &who) == AUTHZ_ALLOW;
    }
    if (!ok) {
        verrs e = {.n = 0};
        verrs_add(&e, "duplicate_id", "duplicate_id.invalid",
                  "統合できるのは、重複の可能性がある記録（同じ免許、または同じ氏名（カナ）と"
                  "生年月日）だけです");
        reply_validation(r, &e);
        return;
    }
    /* The duplicate's seeker registration (and its applications) cannot move: merge the other
     * way round. */
    db_val p[] = {DBI(c.dup)};
    int64_t has = 0;
    if (db_scalar(r->db, "SELECT COUNT(*) FROM seekers WHERE user_id = $1", p, 1, &has) != DB_OK) {
        api_dberr(r, "merge seeker");
        return;
    }
    if (has) {
        reply_error(r, E_MERGE_CONFLICT, NULL);
        return;
    }
    if (db_tx(r->db, merge_tx, &c) != DB_OK) {
        api_dberr(r, "merge");
        return;
    }
    reply_json(r, 200,
               json_pack("{s:I,s:I}", "person_id", (json_int_t)r->subject.id, "merged_id",
                         (json_int_t)c.dup));
}

/* ---- hand-over -------------------------------------------------------------------------- */

static const vfield CONSENT_SPEC[] = {
    {.name = "method",
     .label = "同意の方法",
     .kind = VK_TEXT,
     .required = true,
     .max = 20,
     .select = true},
    {.name = "on", .label = "同意日", .kind = VK_DATE_PAST, .required = true, .max = 10},
    {.name = NULL}};
static const vfield HANDOVER_SPEC[] = {
    {.name = "to_prefecture",
     .label = "引継ぎ先のナースセンター",
     .kind = VK_CODE,
     .required = true,
     .codes = PREFECTURE_CODES,
     .select = true},
    {.name = "consent",
     .label = "本人の同意",
     .type = VT_OBJECT,
     .required = true,
     .sub = CONSENT_SPEC},
    {.name = "note", .label = "メモ", .kind = VK_MULTILINE, .max = 1000},
    {.name = NULL}};

typedef struct {
    req *r;
    char from[3];
} handover_ctx;

static int handover_tx(db *d, void *arg)
{
    handover_ctx *c = arg;
    req *r = c->r;
    int64_t now = time_now(), id = r->subject.id;
    const char *to = vstr(r->json, "to_prefecture");
    json_t *consent = json_object_get(r->json, "consent");
    db_val p[] = {DBI(id), DBT(to), DBI(now)};
    int rc = db_query(
        d, "UPDATE users SET prefecture_code = $2, updated_at = $3 WHERE id IN " SQL_PERSON_IDS, p,
        3, NULL);
    if (rc == DB_OK)
        rc = db_query(d,
                      "UPDATE seekers SET prefecture_code = $2, updated_at = $3 WHERE user_id "
                      "IN " SQL_PERSON_IDS,
                      p, 3, NULL);
    if (rc == DB_OK) /* open work moves with the nurse */
        rc = db_query(d,
                      "UPDATE tasks SET prefecture_code = $2, assigned_to = NULL, updated_at = $3 "
                      "WHERE status = 'open' AND user_id IN " SQL_PERSON_IDS,
                      p, 3, NULL);
    db_val q[] = {DBI(id),
                  DBT(c->from),
                  DBT(to),
                  DBT(vstr(consent, "method")),
                  DBT(vstr(consent, "on")),
                  DBT(vstr(r->json, "note")),
                  DBI(r->actor.id),
                  DBI(now)};
    if (rc == DB_OK)
        rc = db_query(d,
                      "INSERT INTO handovers (user_id, from_prefecture, to_prefecture, "
                      "consent_method, consent_on, note, by_user, at) VALUES ($1, $2, $3, $4, $5, "
                      "$6, $7, $8)",
                      q, 8, NULL);
    if (rc == DB_OK)
        rc = store_task_open_contact(d, to, "handover", id, 0, now);
    if (rc == DB_OK)
        rc = store_audit_add(d, now, r->actor.id, role_name(r->actor.role), r->actor.prefecture, id,
                             "handover", "person", r->ip);
    return rc;
}

void h_person_handover(req *r)
{
    verrs e = {.n = 0};
    validate_object(r->json, HANDOVER_SPEC, "", "", &e);
    const char *method = vstr(json_object_get(r->json, "consent"), "method");
    if (method && !code_label_of(CONSENT_METHODS, method))
        verrs_add(&e, "consent.method", "consent.method.invalid",
                  "同意の方法を一覧から選択してください");
    handover_ctx c = {.r = r};
    str_copy(c.from, sizeof c.from, r->subject.prefecture);
    const char *to = vstr(r->json, "to_prefecture");
    if (to && !strcmp(to, c.from))
        verrs_add(&e, "to_prefecture", "to_prefecture.invalid",
                  "現在のナースセンターと同じ都道府県には引き継げません");
    if (e.n) {
        reply_validation(r, &e);
        return;
    }
    if (db_tx(r->db, handover_tx, &c) != DB_OK) {
        api_dberr(r, "handover");
        return;
    }
    match_feed_seeker(r->db, r->subject.id);
    reply_json(r, 200,
               json_pack("{s:I,s:s}", "person_id", (json_int_t)r->subject.id, "prefecture", to));
}
