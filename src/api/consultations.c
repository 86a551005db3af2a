/* Consultations (相談), staff grants and the sensitive compartment (docs/API.md "Casework").
 *
 * A consultation belongs to the nurse center of the counselor who records it. Its sensitive
 * note (要配慮個人情報, e.g. mental health) is kept apart (consultation_sensitive): only center
 * staff with the mental_health grant write or read it (authz_sensitive), every write and read is
 * audited, and no list or export ever carries it. Scope: /consultations/{id} is resolved by the
 * router (SCOPE_CONSULTATION → authz_center_record); lists and the export are limited by
 * authz_people_filter (center staff: their prefecture; central, sysadmin: all). */
#include "api/api.h"
#include "domain/casework.h"
#include "http/session.h"
#include "report/csv.h"
#include "store/casework.h"
#include "store/consultations.h"
#include "store/db_json.h"
#include "store/facilities.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ID_MAX             2147483647
#define SUMMARY_MAX        4000
#define SENSITIVE_MAX      4000
#define FOLLOW_UP_NOTE_MAX 1000
#define CLIENT_NAME_MAX    100
/* The export stops after this many rows (or EXPORT_MAX_BYTES of CSV, whichever comes first) so
 * one request cannot hold unbounded memory; a cut export says so in X-Export-Truncated. The rows
 * are read in chunks of EXPORT_CHUNK. */
#define EXPORT_MAX_ROWS  50000
#define EXPORT_MAX_BYTES (64u * 1024 * 1024)
#define EXPORT_CHUNK     1000

static const char *const CLIENT_KINDS[] = {"nurse", "facility", "other", NULL};

/* The staff item {id, name, role, grants} of row i of a store_staff_* result. */
static json_t *staff_json(const db_res *res, int i)
{
    json_t *grants = json_array();
    if (db_int(res, i, SQ_MENTAL_HEALTH))
        json_array_append_new(grants, json_string(GRANT_MENTAL_HEALTH));
    return json_pack("{s:I,s:s,s:s,s:o}", "id", (json_int_t)db_int(res, i, SQ_ID), "name",
                     db_text(res, i, SQ_NAME), "role", db_text(res, i, SQ_ROLE), "grants", grants);
}

/* {id, name} of a joined row, or null when the id column is NULL. */
static json_t *ref_json(const db_res *res, int i, int id_col, int name_col)
{
    if (db_isnull(res, i, id_col))
        return json_null();
    const char *name = db_text(res, i, name_col);
    return json_pack("{s:I,s:s}", "id", (json_int_t)db_int(res, i, id_col), "name",
                     name ? name : "");
}

static json_t *label_json(const code_label *list, const char *code)
{
    const char *l = code_label_of(list, code);
    return l ? json_string(l) : json_null();
}

/* The Consultation object of row i of a CQ_* result. note: the sensitive note when the caller
 * reads it (NULL otherwise); hidden: whether the caller is denied the sensitive compartment. */
static json_t *consult_json(const db_res *res, int i, const char *note, bool hidden)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(db_int(res, i, CQ_ID)));
    json_object_set_new(o, "prefecture", dbj_text(res, i, CQ_PREFECTURE));
    json_object_set_new(o, "client_kind", dbj_text(res, i, CQ_CLIENT_KIND));
    json_object_set_new(o, "person_id", dbj_int(res, i, CQ_USER_ID));
    json_object_set_new(o, "facility_id", dbj_int(res, i, CQ_FACILITY_ID));
    json_object_set_new(o, "client_name", dbj_text(res, i, CQ_CLIENT_NAME));
    json_object_set_new(o, "channel", dbj_text(res, i, CQ_CHANNEL));
    json_object_set_new(o, "channel_label",
                        label_json(CONSULT_CHANNELS, db_text(res, i, CQ_CHANNEL)));
    json_object_set_new(o, "outreach_place", dbj_text(res, i, CQ_OUTREACH_PLACE));
    json_object_set_new(o, "category", dbj_text(res, i, CQ_CATEGORY));
    json_object_set_new(o, "category_label",
                        label_json(CONSULT_CATEGORIES, db_text(res, i, CQ_CATEGORY)));
    json_object_set_new(o, "consulted_on", dbj_text(res, i, CQ_CONSULTED_ON));
    json_object_set_new(o, "summary", dbj_text(res, i, CQ_SUMMARY));
    json_object_set_new(o, "has_sensitive", json_boolean(db_int(res, i, CQ_HAS_SENSITIVE) != 0));
    json_object_set_new(o, "sensitive_note", note ? json_string(note) : json_null());
    json_object_set_new(o, "sensitive_hidden", json_boolean(hidden));
    json_object_set_new(o, "follow_up_on", dbj_text(res, i, CQ_FOLLOW_UP_ON));
    json_object_set_new(o, "follow_up_note", dbj_text(res, i, CQ_FOLLOW_UP_NOTE));
    json_object_set_new(o, "campaign", dbj_text(res, i, CQ_CAMPAIGN));
    json_object_set_new(o, "counselor", ref_json(res, i, CQ_COUNSELOR_ID, CQ_COUNSELOR_NAME));
    json_object_set_new(o, "person", ref_json(res, i, CQ_USER_ID, CQ_USER_NAME));
    json_object_set_new(o, "facility", ref_json(res, i, CQ_FACILITY_ID, CQ_FACILITY_NAME));
    json_object_set_new(o, "created_at", json_integer(db_int(res, i, CQ_CREATED_AT)));
    return o;
}

/* Whether the caller may read and write sensitive notes, into *may. */
static int may_sensitive(req *r, bool *may)
{
    bool grant = false;
    *may = false;
    if (r->actor.role & ROLES_CENTER) { /* nobody else can hold the grant's effect */
        int rc = store_grant_has(r->db, r->actor.id, GRANT_MENTAL_HEALTH, &grant);
        if (rc != DB_OK)
            return rc;
    }
    *may = authz_sensitive(&r->actor, grant);
    return DB_OK;
}

/* An audit row of the caller's access to consultation id. subject: the nurse the consultation
 * is about; audit_log.subject_user_id is NOT NULL, so a consultation without a nurse (a
 * facility or another client) is recorded with the caller as subject. */
static int audit_consultation(db *d, req *r, int64_t subject, int64_t id, const char *action)
{
    char target[48];
    snprintf(target, sizeof target, "consultation:%lld", (long long)id);
    return store_audit_add(d, time_now(), r->actor.id, role_name(r->actor.role),
                           r->actor.prefecture, subject > 0 ? subject : r->actor.id, action, target,
                           r->ip);
}

/* ---- GET /staff, PUT /staff/{id}/grants ------------------------------------------------------ */

void h_staff_list(req *r)
{
    if (!r->actor.prefecture[0]) {
        reply_error(r, E_FORBIDDEN, NULL);
        return;
    }
    db_res *res = NULL;
    if (store_staff_list(r->db, r->actor.prefecture, &res) != DB_OK) {
        db_res_free(res);
        api_dberr(r, "staff list");
        return;
    }
    json_t *items = json_array();
    for (int i = 0; i < res->nrows; i++)
        json_array_append_new(items, staff_json(res, i));
    db_res_free(res);
    reply_json(r, 200, json_pack("{s:o}", "items", items));
}

static const vfield GRANTS_SPEC[] = {{.name = GRANT_MENTAL_HEALTH,
                                      .label = "メンタルヘルス等の要配慮情報の閲覧",
                                      .type = VT_BOOL,
                                      .required = true,
                                      .select = true},
                                     {.name = NULL}};

typedef struct {
    req *r;
    int64_t id;
    bool on;
    bool missing;
} grants_ctx;

static int grants_tx(db *d, void *arg)
{
    grants_ctx *c = arg;
    db_res *res = NULL;
    int rc = store_staff_get(d, c->id, c->r->actor.prefecture, &res);
    db_res_free(res);
    if (rc == DB_NOTFOUND) {
        c->missing = true;
        return rc;
    }
    if (rc != DB_OK)
        return rc;
    return store_grant_set(d, c->id, GRANT_MENTAL_HEALTH, c->on, c->r->actor.id, time_now());
}

void h_staff_grants(req *r)
{
    int64_t id;
    if (req_param_id(r, 0, &id) != 0)
        return;
    db_res *res = NULL;
    int rc = r->actor.prefecture[0] ? store_staff_get(r->db, id, r->actor.prefecture, &res)
                                    : DB_NOTFOUND;
    db_res_free(res);
    res = NULL;
    if (rc == DB_NOTFOUND) {
        reply_error(r, E_NOT_FOUND, NULL);
        return;
    }
    if (rc != DB_OK) {
        api_dberr(r, "staff");
        return;
    }
    if (api_validate(r, GRANTS_SPEC) != 0)
        return;
    grants_ctx c = {
        .r = r, .id = id, .on = json_is_true(json_object_get(r->json, GRANT_MENTAL_HEALTH))};
    rc = db_tx(r->db, grants_tx, &c);
    if (c.missing) {
        reply_error(r, E_NOT_FOUND, NULL);
        return;
    }
    if (rc == DB_OK)
        rc = store_staff_get(r->db, id, r->actor.prefecture, &res);
    if (rc != DB_OK) {
        db_res_free(res);
        api_dberr(r, "staff grants");
        return;
    }
    json_t *item = staff_json(res, 0);
    db_res_free(res);
    reply_json(r, 200, item);
}

/* ---- POST /consultations ----------------------------------------------------------------------
 */

static const vfield CREATE_SPEC[] = {
    {.name = "client_kind",
     .label = "相談者の種別",
     .kind = VK_CODE,
     .required = true,
     .codes = CLIENT_KINDS,
     .select = true},
    {.name = "person_id", .label = "求職者", .type = VT_INTEGER, .min = 1, .max = ID_MAX},
    {.name = "facility_id", .label = "施設", .type = VT_INTEGER, .min = 1, .max = ID_MAX},
    {.name = "client_name", .label = "相談者名", .kind = VK_TEXT, .max = CLIENT_NAME_MAX},
    /* The code lists of domain/casework.c are checked after the spec (check_code). */
    {.name = "channel",
     .label = "相談方法",
     .kind = VK_TEXT,
     .required = true,
     .max = 40,
     .select = true},
    {.name = "outreach_place",
     .label = "出張相談の会場",
     .kind = VK_TEXT,
     .max = 40,
     .select = true},
    {.name = "category",
     .label = "相談内容の分類",
     .kind = VK_TEXT,
     .required = true,
     .max = 40,
     .select = true},
    {.name = "consulted_on", .label = "相談日", .kind = VK_DATE_PAST, .required = true, .max = 10},
    {.name = "summary",
     .label = "相談内容",
     .kind = VK_MULTILINE,
     .required = true,
     .min = 1,
     .max = SUMMARY_MAX},
    {.name = "sensitive_note",
     .label = "要配慮情報（メンタルヘルス等）の記録",
     .kind = VK_MULTILINE,
     .max = SENSITIVE_MAX},
    {.name = "follow_up_on", .label = "フォローアップ予定日", .kind = VK_DATE, .max = 10},
    {.name = "follow_up_note",
     .label = "フォローアップのメモ",
     .kind = VK_MULTILINE,
     .max = FOLLOW_UP_NOTE_MAX},
    {.name = "campaign", .label = "キャンペーン", .kind = VK_TEXT, .max = 40},
    {.name = NULL}};

static bool has_error(const verrs *e, const char *field)
{
    for (int i = 0; i < e->n; i++)
        if (!strcmp(e->items[i].field, field))
            return true;
    return false;
}

static void add_error(verrs *e, const char *field, const char *reason, const char *msg)
{
    char code[96];
    snprintf(code, sizeof code, "%s.%s", field, reason);
    verrs_add(e, field, code, msg);
}

/* A code field that passed the spec must be one of list. */
static void check_code(req *r, verrs *e, const char *field, const code_label *list,
                       const char *label)
{
    const char *v = vstr(r->json, field);
    if (v && !has_error(e, field) && !code_label_of(list, v)) {
        char msg[160];
        snprintf(msg, sizeof msg, "%sの値が正しくありません", label);
        add_error(e, field, "invalid", msg);
    }
}

/* The integer member field when it passed the spec, else 0. */
static int64_t body_id(req *r, const verrs *e, const char *field)
{
    json_t *v = json_object_get(r->json, field);
    return (json_is_integer(v) && !has_error(e, field)) ? (int64_t)json_integer_value(v) : 0;
}

/* Validates the ConsultationBody: the spec, then the rules between members and the scope of
 * person_id and facility_id, so that every field error is reported at once. Replies 422 and
 * returns -1 on errors, or 500 on a DB error. */
static int validate_create(req *r, int64_t *person_id, int64_t *facility_id)
{
    verrs e = {.n = 0};
    validate_object(r->json, CREATE_SPEC, "", "", &e);
    check_code(r, &e, "channel", CONSULT_CHANNELS, "相談方法");
    check_code(r, &e, "outreach_place", OUTREACH_PLACES, "出張相談の会場");
    check_code(r, &e, "category", CONSULT_CATEGORIES, "相談内容の分類");

    const char *kind = vstr(r->json, "client_kind");
    if (kind && !strcmp(kind, "nurse") && !json_object_get(r->json, "person_id"))
        add_error(&e, "person_id", "missing", "求職者を選択してください");
    if (kind && !strcmp(kind, "facility") && !json_object_get(r->json, "facility_id"))
        add_error(&e, "facility_id", "missing", "施設を選択してください");
    if (kind && !strcmp(kind, "other") && !json_object_get(r->json, "client_name") &&
        !has_error(&e, "client_name"))
        add_error(&e, "client_name", "missing", "相談者名を入力してください");

    /* outreach_place: with outreach only, and then required. */
    const char *channel = has_error(&e, "channel") ? NULL : vstr(r->json, "channel");
    bool outreach = channel && !strcmp(channel, "outreach");
    bool has_place = json_object_get(r->json, "outreach_place") != NULL;
    if (outreach && !has_place && !has_error(&e, "outreach_place"))
        add_error(&e, "outreach_place", "missing", "出張相談の会場を選択してください");
    if (channel && !outreach && has_place && !has_error(&e, "outreach_place"))
        add_error(&e, "outreach_place", "not_allowed",
                  "出張相談の会場は相談方法が出張相談のときだけ指定できます");

    const char *fu = vstr(r->json, "follow_up_on");
    if (fu && !has_error(&e, "follow_up_on")) {
        char today[16];
        time_jst_date(time_now(), today, sizeof today);
        if (date_cmp(fu, today) < 0)
            add_error(&e, "follow_up_on", "out_of_range",
                      "フォローアップ予定日に過去の日付は指定できません");
    }

    /* The nurse and the facility must be ones the caller may see. */
    *person_id = body_id(r, &e, "person_id");
    *facility_id = body_id(r, &e, "facility_id");
    if (*person_id) {
        account a;
        principal subject;
        memset(&subject, 0, sizeof subject);
        int rc = store_user_by_id(r->db, *person_id, &a);
        if (rc != DB_OK && rc != DB_NOTFOUND)
            return api_dberr(r, "consultation person");
        if (rc == DB_OK)
            principal_from_account(&subject, &a);
        if (rc != DB_OK || authz_person(&r->actor, &subject) != AUTHZ_ALLOW)
            add_error(&e, "person_id", "invalid", "指定された求職者が見つかりません");
    }
    if (*facility_id) {
        principal fac;
        memset(&fac, 0, sizeof fac);
        int rc = store_facility_scope(r->db, *facility_id, fac.prefecture, sizeof fac.prefecture);
        if (rc != DB_OK && rc != DB_NOTFOUND)
            return api_dberr(r, "consultation facility");
        fac.id = fac.facility_id = *facility_id;
        if (rc != DB_OK || authz_facility(&r->actor, &fac) != AUTHZ_ALLOW)
            add_error(&e, "facility_id", "invalid", "指定された施設が見つかりません");
    }
    if (e.n) {
        reply_validation(r, &e);
        return -1;
    }
    return 0;
}

typedef struct {
    req *r;
    consult_new c;
    const char *note;
    int64_t id;
} create_ctx;

static int create_tx(db *d, void *arg)
{
    create_ctx *x = arg;
    int64_t now = time_now();
    int rc = store_consultation_insert(d, &x->c, now, &x->id);
    if (rc == DB_OK && x->note) {
        rc = store_consultation_sensitive_put(d, x->id, x->note, x->r->actor.id, now);
        if (rc == DB_OK)
            rc = audit_consultation(d, x->r, x->c.user_id, x->id, "write_sensitive");
    }
    if (rc == DB_OK && x->c.follow_up_on)
        rc = store_task_open(d, x->c.prefecture, "follow_up", x->c.user_id, 0, x->id,
                             x->c.follow_up_on, now, NULL);
    return rc;
}

void h_consultations_create(req *r)
{
    int64_t person_id = 0, facility_id = 0;
    if (validate_create(r, &person_id, &facility_id) != 0)
        return;
    const char *note = vstr(r->json, "sensitive_note");
    bool may = false;
    if (may_sensitive(r, &may) != DB_OK) {
        api_dberr(r, "grant");
        return;
    }
    if (note && !may) {
        reply_error(r, E_SENSITIVE_FORBIDDEN, "sensitive_note");
        return;
    }
    if (!r->actor.prefecture[0]) { /* center staff always have one */
        reply_error(r, E_FORBIDDEN, NULL);
        return;
    }
    create_ctx x = {.r = r,
                    .note = note,
                    .c = {.prefecture = r->actor.prefecture,
                          .counselor_id = r->actor.id,
                          .client_kind = vstr(r->json, "client_kind"),
                          .user_id = person_id,
                          .facility_id = facility_id,
                          .client_name = vstr(r->json, "client_name"),
                          .channel = vstr(r->json, "channel"),
                          .outreach_place = vstr(r->json, "outreach_place"),
                          .category = vstr(r->json, "category"),
                          .consulted_on = vstr(r->json, "consulted_on"),
                          .summary = vstr(r->json, "summary"),
                          .has_sensitive = note != NULL,
                          .follow_up_on = vstr(r->json, "follow_up_on"),
                          .follow_up_note = vstr(r->json, "follow_up_note"),
                          .campaign = vstr(r->json, "campaign")}};
    db_res *res = NULL;
    int rc = db_tx(r->db, create_tx, &x);
    if (rc == DB_OK)
        rc = store_consultation_get(r->db, x.id, &res);
    if (rc != DB_OK) {
        db_res_free(res);
        api_dberr(r, "consultation create");
        return;
    }
    /* The writer's own note comes back as written (its write is audited; no read to audit). */
    json_t *o = consult_json(res, 0, note, !may);
    db_res_free(res);
    reply_json(r, 201, json_pack("{s:o}", "consultation", o));
}

/* ---- GET /consultations, GET /consultations/{id} -----------------------------------------------
 */

/* An optional YYYY-MM-DD query parameter into *out (NULL when absent); replies 400 when
 * malformed. */
static int query_date(req *r, const char *name, const char **out)
{
    const char *v = req_query(r, name);
    int y, m, d;
    *out = NULL;
    if (!v || !*v)
        return 0;
    if (date_parse(v, &y, &m, &d) != 0) {
        reply_error(r, E_BAD_PARAMETER, name);
        return -1;
    }
    *out = v;
    return 0;
}

/* The scope and the from/to parameters shared by the list and the export. */
static int read_filter(req *r, consult_filter *f)
{
    memset(f, 0, sizeof *f);
    f->prefecture = authz_people_filter(&r->actor);
    if (!f->prefecture) {
        reply_error(r, E_FORBIDDEN, NULL);
        return -1;
    }
    return (query_date(r, "from", &f->from) != 0 || query_date(r, "to", &f->to) != 0) ? -1 : 0;
}

/* A staff read of a nurse's consultations is audited like a read of the nurse's record
 * (action read, target consultations): when the nurse is in the caller's scope, or when the
 * list showed any of their consultations. */
static int audit_person_list(req *r, int64_t person_id, int64_t total)
{
    account a;
    int rc = store_user_by_id(r->db, person_id, &a);
    if (rc == DB_NOTFOUND)
        return DB_OK;
    if (rc != DB_OK)
        return rc;
    principal subject;
    principal_from_account(&subject, &a);
    if (subject.role != ROLE_SEEKER ||
        (total == 0 && authz_person(&r->actor, &subject) != AUTHZ_ALLOW))
        return DB_OK;
    return store_audit_add(r->db, time_now(), r->actor.id, role_name(r->actor.role),
                           r->actor.prefecture, a.id, "read", "consultations", r->ip);
}

void h_consultations_list(req *r)
{
    int64_t page, per;
    consult_filter f;
    if (api_paging(r, &page, &per) != 0 || read_filter(r, &f) != 0 ||
        api_query_int(r, "person_id", 0, 1, ID_MAX, &f.person_id) != 0 ||
        api_query_int(r, "facility_id", 0, 1, ID_MAX, &f.facility_id) != 0)
        return;
    const char *cat = req_query(r, "category");
    if (cat && *cat) {
        if (!code_label_of(CONSULT_CATEGORIES, cat)) {
            reply_error(r, E_BAD_PARAMETER, "category");
            return;
        }
        f.category = cat;
    }
    bool may = false;
    int64_t total = 0;
    db_res *res = NULL;
    int rc = may_sensitive(r, &may);
    if (rc == DB_OK)
        rc = store_consultations_list(r->db, &f, per, (page - 1) * per, &total, &res);
    if (rc == DB_OK && f.person_id)
        rc = audit_person_list(r, f.person_id, total);
    if (rc != DB_OK) {
        db_res_free(res);
        api_dberr(r, "consultations list");
        return;
    }
    json_t *items = json_array();
    for (int i = 0; i < res->nrows; i++) /* never with the sensitive note */
        json_array_append_new(items, consult_json(res, i, NULL, !may));
    db_res_free(res);
    reply_json(r, 200,
               json_pack("{s:I,s:I,s:I,s:o}", "total", (json_int_t)total, "page", (json_int_t)page,
                         "per_page", (json_int_t)per, "items", items));
}

void h_consultation_get(req *r)
{
    int64_t id = r->subject.id; /* in the caller's scope (router) */
    db_res *res = NULL;
    char *note = NULL;
    bool may = false;
    int rc = store_consultation_get(r->db, id, &res);
    if (rc == DB_NOTFOUND) {
        reply_error(r, E_NOT_FOUND, NULL);
        return;
    }
    if (rc == DB_OK)
        rc = may_sensitive(r, &may);
    if (rc == DB_OK && may && db_int(res, 0, CQ_HAS_SENSITIVE)) {
        rc = store_consultation_sensitive_get(r->db, id, &note);
        /* Every read of a sensitive note is audited, before it is handed out. */
        if (rc == DB_OK && note)
            rc = audit_consultation(r->db, r, db_int(res, 0, CQ_USER_ID), id, "read_sensitive");
    }
    if (rc != DB_OK) {
        free(note);
        db_res_free(res);
        api_dberr(r, "consultation");
        return;
    }
    json_t *o = consult_json(res, 0, note, !may);
    free(note);
    db_res_free(res);
    reply_json(r, 200, json_pack("{s:o}", "consultation", o));
}

/* ---- GET /exports/consultations.csv --------------------------------------------------------- */

static const char *const EXPORT_HEADER[] = {"相談ID",
                                            "相談日",
                                            "都道府県",
                                            "相談員",
                                            "相談者の種別",
                                            "求職者ID",
                                            "求職者氏名",
                                            "施設ID",
                                            "施設名",
                                            "相談者名",
                                            "相談方法",
                                            "出張相談の会場",
                                            "相談内容の分類",
                                            "相談内容",
                                            "フォローアップ予定日",
                                            "フォローアップのメモ",
                                            "登録日時",
                                            NULL};

static const code_label CLIENT_KIND_LABELS[] = {
    {"nurse", "看護職"}, {"facility", "施設"}, {"other", "その他"}, {NULL, NULL}};

/* created_at as JST "YYYY-MM-DD HH:MM". */
static void jst_datetime(int64_t t, char *out, size_t cap)
{
    time_t s = (time_t)(t + 9 * 3600);
    struct tm tm;
    if (!gmtime_r(&s, &tm) || strftime(out, cap, "%Y-%m-%d %H:%M", &tm) == 0)
        str_copy(out, cap, "");
}

static int csv_opt_id(nbuf *b, const db_res *res, int i, int col)
{
    return db_isnull(res, i, col) ? csv_field(b, NULL, false)
                                  : csv_field_i64(b, (long long)db_int(res, i, col), false);
}

/* One consultation as a CSV row (never the sensitive note). 0, or -1 when the buffer is full
 * (the row is then not written at all). */
static int csv_consultation(nbuf *b, const db_res *res, int i)
{
    size_t start = b->len;
    char created[32];
    jst_datetime(db_int(res, i, CQ_CREATED_AT), created, sizeof created);
    const char *kind = db_text(res, i, CQ_CLIENT_KIND);
    const char *place = db_text(res, i, CQ_OUTREACH_PLACE);
    int rc = csv_field_i64(b, (long long)db_int(res, i, CQ_ID), true);
    rc = rc ? rc : csv_field(b, db_text(res, i, CQ_CONSULTED_ON), false);
    rc = rc ? rc : csv_field(b, db_text(res, i, CQ_PREFECTURE_NAME), false);
    rc = rc ? rc : csv_field(b, db_text(res, i, CQ_COUNSELOR_NAME), false);
    rc = rc ? rc : csv_field(b, code_label_of(CLIENT_KIND_LABELS, kind), false);
    rc = rc ? rc : csv_opt_id(b, res, i, CQ_USER_ID);
    rc = rc ? rc : csv_field(b, db_text(res, i, CQ_USER_NAME), false);
    rc = rc ? rc : csv_opt_id(b, res, i, CQ_FACILITY_ID);
    rc = rc ? rc : csv_field(b, db_text(res, i, CQ_FACILITY_NAME), false);
    rc = rc ? rc : csv_field(b, db_text(res, i, CQ_CLIENT_NAME), false);
    rc =
        rc ? rc : csv_field(b, code_label_of(CONSULT_CHANNELS, db_text(res, i, CQ_CHANNEL)), false);
    rc = rc ? rc : csv_field(b, place ? code_label_of(OUTREACH_PLACES, place) : NULL, false);
    rc = rc ? rc
            : csv_field(b, code_label_of(CONSULT_CATEGORIES, db_text(res, i, CQ_CATEGORY)), false);
    rc = rc ? rc : csv_field(b, db_text(res, i, CQ_SUMMARY), false);
    rc = rc ? rc : csv_field(b, db_text(res, i, CQ_FOLLOW_UP_ON), false);
    rc = rc ? rc : csv_field(b, db_text(res, i, CQ_FOLLOW_UP_NOTE), false);
    rc = rc ? rc : csv_field(b, created, false);
    rc = rc ? rc : csv_row_end(b);
    if (rc) { /* drop the partial row */
        b->len = start;
        if (b->data)
            b->data[start] = '\0';
    }
    return rc;
}

void h_export_consultations(req *r)
{
    consult_filter f;
    if (read_filter(r, &f) != 0)
        return;
    nbuf b;
    nbuf_init(&b, EXPORT_MAX_BYTES);
    int rc = csv_bom(&b);
    for (int k = 0; rc == 0 && EXPORT_HEADER[k]; k++)
        rc = csv_field(&b, EXPORT_HEADER[k], k == 0);
    if (rc == 0)
        rc = csv_row_end(&b);
    if (rc != 0) {
        nbuf_free(&b);
        reply_error(r, E_INTERNAL, NULL);
        return;
    }
    /* Chunks ordered by (consulted_on, id), each continuing after the last row of the one
     * before, so memory stays bounded by a chunk plus the CSV. */
    char after_on[16] = "";
    int64_t after_id = 0, rows = 0;
    bool truncated = false;
    for (;;) {
        db_res *res = NULL;
        int64_t want = EXPORT_MAX_ROWS - rows + 1; /* one more than fits: is there a cut? */
        if (want > EXPORT_CHUNK)
            want = EXPORT_CHUNK;
        if (store_consultations_export(r->db, &f, after_on, after_id, want, &res) != DB_OK) {
            db_res_free(res);
            nbuf_free(&b);
            api_dberr(r, "consultations export");
            return;
        }
        int n = res->nrows;
        for (int i = 0; i < n && !truncated; i++) {
            if (rows >= EXPORT_MAX_ROWS || csv_consultation(&b, res, i) != 0)
                truncated = true;
            else
                rows++;
        }
        if (n > 0) {
            str_copy(after_on, sizeof after_on, db_text(res, n - 1, CQ_CONSULTED_ON));
            after_id = db_int(res, n - 1, CQ_ID);
        }
        db_res_free(res);
        if (truncated || n < want)
            break;
    }
    if (truncated)
        log_info("consultations export cut at %lld rows", (long long)rows);
    char today[16], disp[96];
    time_jst_date(time_now(), today, sizeof today);
    snprintf(disp, sizeof disp, "attachment; filename=\"consultations-%s.csv\"", today);
    free(r->resp);
    r->resp_len = b.len;
    r->resp = nbuf_take(&b);
    r->status = 200;
    r->content_type = "text/csv; charset=utf-8";
    r->replied = true;
    req_add_header(r, "Content-Disposition", disp);
    req_add_header(r, "Cache-Control", "private, no-store");
    if (truncated)
        req_add_header(r, "X-Export-Truncated", "1");
}
