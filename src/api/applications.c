/* Applications and referrals (応募・紹介): the nurse's referral request or the counselor's
 * proposal, then every step of src/domain/placement.h as an event with actor and time.
 * Scope: the router resolves SCOPE_APPLICATION through authz_application() (404 outside);
 * the list is limited by authz_applications_filter(). What each caller sees of the applicant
 * depends on who they are (app_json: a facility never gets contact data). */
#include "api/api.h"
#include "api/offer_json.h"
#include "domain/placement.h"
#include "jobs/jobs.h"
#include "report/letter.h"
#include "store/applications.h"
#include "store/db_json.h"
#include "store/seekers.h"
#include "util/log.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ID_MAX 2147483647

static const vfield CREATE_SPEC[] = {
    {.name = "offer_id",
     .label = "求人票",
     .type = VT_INTEGER,
     .required = true,
     .min = 1,
     .max = ID_MAX},
    {.name = "seeker_id", .label = "求職者", .type = VT_INTEGER, .min = 1, .max = ID_MAX},
    {.name = "note", .label = "メモ", .kind = VK_MULTILINE, .max = PLACEMENT_NOTE_MAX},
    {.name = NULL}};

static const char *const ACTION_CODES[] = {"accept",   "withdraw", "refer",   "refuse", "schedule",
                                           "hire",     "reject",   "decline", "place",  "check_1m",
                                           "check_3m", "check_6m", "cancel",  NULL};
static const char *const CHECK_RESULTS[] = {"still_employed", "left", "unreachable", NULL};

static const vfield EVENT_SPEC[] = {
    {.name = "action",
     .label = "操作",
     .kind = VK_CODE,
     .required = true,
     .codes = ACTION_CODES,
     .select = true},
    {.name = "reason_code", .label = "理由", .kind = VK_TEXT, .max = 40},
    {.name = "note", .label = "メモ", .kind = VK_MULTILINE, .max = PLACEMENT_NOTE_MAX},
    {.name = "interview_date", .label = "面接日", .kind = VK_DATE, .max = 10},
    {.name = "start_date", .label = "就職日（勤務開始日）", .kind = VK_DATE, .max = 10},
    {.name = "employment_form",
     .label = "雇用形態",
     .kind = VK_CODE,
     .codes = EMPLOYMENT_FORMS,
     .select = true},
    {.name = "permanent", .label = "常用・臨時の別", .type = VT_BOOL},
    {.name = "result",
     .label = "定着確認の結果",
     .kind = VK_CODE,
     .codes = CHECK_RESULTS,
     .select = true},
    {.name = "left_date", .label = "離職日", .kind = VK_DATE, .max = 10},
    {.name = NULL}};

/* The input fields each action takes (for the UI's `actions[].needs`). */
static const char *const *action_needs(placement_action a)
{
    static const char *const none[] = {NULL};
    static const char *const note[] = {"note", NULL};
    static const char *const schedule[] = {"interview_date", NULL};
    static const char *const reason[] = {"reason_code", "note", NULL};
    static const char *const place[] = {"start_date", "employment_form", "permanent", NULL};
    static const char *const check[] = {"result", "left_date", NULL};
    switch (a) {
    case PL_ACT_REFUSE:
    case PL_ACT_CANCEL:
        return note;
    case PL_ACT_SCHEDULE:
        return schedule;
    case PL_ACT_REJECT:
    case PL_ACT_DECLINE:
        return reason;
    case PL_ACT_PLACE:
        return place;
    case PL_ACT_CHECK_1M:
    case PL_ACT_CHECK_3M:
    case PL_ACT_CHECK_6M:
        return check;
    default:
        return none;
    }
}

typedef enum { VIEW_SEEKER, VIEW_FACILITY, VIEW_STAFF } app_view;

static app_view view_of(const principal *a)
{
    if (a->role == ROLE_SEEKER)
        return VIEW_SEEKER;
    return (a->role & ROLES_FACILITY) ? VIEW_FACILITY : VIEW_STAFF;
}

static json_t *text_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* The applicant as this caller may see them: a facility gets name, reading, licence types and
 * experience; staff also contact data; the nurse sees their own. */
static json_t *applicant_json(db *d, const db_res *res, int i, app_view v, int *rc)
{
    db_res *l = NULL;
    *rc = store_app_licences(d, db_int(res, i, APP_COL_SEEKER_ID), &l);
    if (*rc != DB_OK)
        return NULL;
    json_t *lics = json_array();
    for (int k = 0; k < l->nrows; k++)
        json_array_append_new(lics, json_string(db_text(l, k, 0)));
    db_res_free(l);
    json_error_t jerr;
    const char *depts = db_text(res, i, APP_COL_EXP_DEPTS);
    json_t *dj = depts ? json_loads(depts, 0, &jerr) : NULL;
    json_t *o = json_pack(
        "{s:I,s:s,s:s,s:o,s:{s:o,s:o,s:o}}", "id", (json_int_t)db_int(res, i, APP_COL_SEEKER_ID),
        "name", db_text(res, i, APP_COL_NAME), "name_kana", db_text(res, i, APP_COL_KANA),
        "licences", lics, "experience", "years", dbj_int(res, i, APP_COL_EXP_YEARS), "departments",
        dj ? dj : json_array(), "skills", dbj_text(res, i, APP_COL_SKILLS));
    if (v == VIEW_FACILITY) {
        json_object_del(o, "id");
    } else {
        const char *email = db_text(res, i, APP_COL_EMAIL);
        bool placeholder = email && strstr(email, ".invalid") != NULL;
        json_object_set_new(o, "email", placeholder ? json_null() : text_or_null(email));
        json_object_set_new(o, "phone", dbj_text(res, i, APP_COL_PHONE));
    }
    return o;
}

/* The next retention check of a placed case, or null. */
static json_t *next_check_json(const db_res *res, int i)
{
    const char *st = db_text(res, i, APP_COL_STATE);
    const char *act = NULL;
    int col = 0;
    if (!strcmp(st, "placed"))
        act = "check_1m", col = APP_COL_DUE1;
    else if (!strcmp(st, "checked_1m"))
        act = "check_3m", col = APP_COL_DUE3;
    else if (!strcmp(st, "checked_3m"))
        act = "check_6m", col = APP_COL_DUE6;
    if (!act || db_isnull(res, i, col))
        return json_null();
    return json_pack("{s:s,s:s}", "action", act, "due", db_text(res, i, col));
}

/* ApplicationSummary of row i (new reference), or NULL with *rc set. */
static json_t *summary_json(db *d, const db_res *res, int i, app_view v, int *rc)
{
    json_t *applicant = applicant_json(d, res, i, v, rc);
    if (!applicant)
        return NULL;
    int st = placement_state_parse(db_text(res, i, APP_COL_STATE));
    return json_pack(
        "{s:I,s:s,s:s,s:s,s:{s:I,s:o,s:s,s:I,s:s,s:s,s:o},s:o,s:o,s:o,s:o,s:o,s:s,s:I,s:I}", "id",
        (json_int_t)db_int(res, i, APP_COL_ID), "state", db_text(res, i, APP_COL_STATE),
        "state_label", placement_state_label((placement_state)(st < 0 ? 0 : st)), "origin",
        db_text(res, i, APP_COL_ORIGIN), "offer", "id",
        (json_int_t)db_int(res, i, APP_COL_OFFER_ID), "offer_no",
        dbj_text(res, i, APP_COL_OFFER_NO), "title", db_text(res, i, APP_COL_TITLE), "facility_id",
        (json_int_t)db_int(res, i, APP_COL_FACILITY_ID), "facility_name",
        db_text(res, i, APP_COL_FACILITY_NAME), "prefecture", db_text(res, i, APP_COL_OFFER_PREF),
        "municipality_name", dbj_text(res, i, APP_COL_MUNI_NAME), "applicant", applicant,
        "referral_no", dbj_text(res, i, APP_COL_REFERRAL_NO), "interview_date",
        dbj_text(res, i, APP_COL_INTERVIEW), "start_date", dbj_text(res, i, APP_COL_START),
        "next_check", next_check_json(res, i), "handling_prefecture", db_text(res, i, APP_COL_PREF),
        "created_at", (json_int_t)db_int(res, i, APP_COL_CREATED), "updated_at",
        (json_int_t)db_int(res, i, APP_COL_UPDATED));
}

static json_t *bool_or_null(const db_res *res, int i, int col)
{
    return db_isnull(res, i, col) ? json_null() : json_boolean(db_int(res, i, col) != 0);
}

/* The actions the caller may take now (state machine table ∩ the caller's actor kind). */
static json_t *actions_json(placement_state st, placement_actor who)
{
    json_t *a = json_array();
    for (int act = 0; act < PL_ACT__COUNT; act++) {
        if (act == PL_ACT_REQUEST || act == PL_ACT_PROPOSE)
            continue;
        if (!(placement_allowed(st, (placement_action)act, NULL) & (unsigned)who))
            continue;
        json_t *needs = json_array();
        for (const char *const *n = action_needs((placement_action)act); *n; n++)
            json_array_append_new(needs, json_string(*n));
        json_array_append_new(
            a, json_pack("{s:s,s:s,s:o}", "action", placement_action_name((placement_action)act),
                         "label", placement_action_label((placement_action)act), "needs", needs));
    }
    return a;
}

/* The full Application of id for this caller (new reference), or NULL with *rc set
 * (DB_NOTFOUND when gone). */
static json_t *application_json(req *r, int64_t id, int *rc)
{
    db_res *res = NULL;
    *rc = store_app_row(r->db, id, &res);
    if (*rc == DB_OK && res->nrows == 0)
        *rc = DB_NOTFOUND;
    if (*rc != DB_OK) {
        db_res_free(res);
        return NULL;
    }
    app_view v = view_of(&r->actor);
    json_t *o = summary_json(r->db, res, 0, v, rc);
    db_res *ev = NULL;
    if (o)
        *rc = store_app_events(r->db, id, &ev);
    if (!o || *rc != DB_OK) {
        json_decref(o);
        db_res_free(res);
        db_res_free(ev);
        return NULL;
    }
    /* A facility sees the case from the referral on (what happened before is between the nurse
     * and the center). */
    bool seen = v != VIEW_FACILITY;
    json_t *events = json_array();
    for (int i = 0; i < ev->nrows; i++) {
        const char *action = db_text(ev, i, 2);
        if (!seen && !strcmp(action, "refer"))
            seen = true;
        if (!seen)
            continue;
        json_error_t jerr;
        json_t *detail = json_loads(db_text(ev, i, 7), 0, &jerr);
        int act = placement_action_parse(action);
        json_array_append_new(
            events,
            json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:o,s:o}", "id", (json_int_t)db_int(ev, i, 0),
                      "at", (json_int_t)db_int(ev, i, 1), "action", action, "action_label",
                      act < 0 ? "" : placement_action_label((placement_action)act), "from",
                      db_text(ev, i, 3), "to", db_text(ev, i, 4), "actor_kind", db_text(ev, i, 5),
                      "actor_name", text_or_null(db_text(ev, i, 6)), "detail",
                      detail ? detail : json_object()));
    }
    db_res_free(ev);
    int st = placement_state_parse(db_text(res, 0, APP_COL_STATE));
    json_object_set_new(o, "events", events);
    json_object_set_new(
        o, "actions",
        actions_json((placement_state)(st < 0 ? 0 : st), placement_actor_for_role(r->actor.role)));
    json_object_set_new(o, "decision_reason", dbj_text(res, 0, APP_COL_REASON));
    json_object_set_new(o, "employment_form", dbj_text(res, 0, APP_COL_EMP));
    json_object_set_new(o, "permanent", bool_or_null(res, 0, APP_COL_PERMANENT));
    json_object_set_new(o, "due",
                        json_pack("{s:o,s:o,s:o}", "m1", dbj_text(res, 0, APP_COL_DUE1), "m3",
                                  dbj_text(res, 0, APP_COL_DUE3), "m6",
                                  dbj_text(res, 0, APP_COL_DUE6)));
    json_object_set_new(o, "checks",
                        json_pack("{s:o,s:o,s:o}", "m1", dbj_text(res, 0, APP_COL_CHECK1), "m3",
                                  dbj_text(res, 0, APP_COL_CHECK3), "m6",
                                  dbj_text(res, 0, APP_COL_CHECK6)));
    json_object_set_new(o, "left_date", dbj_text(res, 0, APP_COL_LEFT));
    json_object_set_new(o, "left_within_6m", bool_or_null(res, 0, APP_COL_LEFT6M));
    json_object_set_new(o, "referred_at", dbj_int(res, 0, APP_COL_REFERRED_AT));
    db_res_free(res);
    return o;
}

static void reply_application(req *r, int64_t id, int status)
{
    int rc;
    json_t *a = application_json(r, id, &rc);
    if (!a) {
        if (rc == DB_NOTFOUND)
            reply_error(r, E_NOT_FOUND, NULL);
        else
            api_dberr(r, "application");
        return;
    }
    reply_json(r, status, json_pack("{s:o}", "application", a));
}

/* Replies with a placement_apply error: 422 with the field for missing/invalid input, else
 * 403/409 with the module's code and message. */
static void reply_placement_error(req *r, placement_status st, const char *code)
{
    const char *field = placement_error_field(code);
    if (st == PL_E_INVALID) {
        /* Field errors follow the API's <field>.<reason> convention; the module's own code
         * goes along as error.placement_code. */
        size_t n = strlen(code);
        const char *reason = "invalid";
        if (n > 9 && !strcmp(code + n - 9, "_required"))
            reason = "missing";
        else if (n > 9 && !strcmp(code + n - 9, "_too_long"))
            reason = "too_long";
        char fcode[96];
        snprintf(fcode, sizeof fcode, "%s.%s", field, reason);
        verrs e = {.n = 0};
        verrs_add(&e, field, fcode, placement_error_message(code));
        reply_validation_with(r, &e, "placement_code", json_string(code));
        return;
    }
    err_def def = {(int)st, code, placement_error_message(code)};
    reply_error_def(r, &def, NULL);
}

/* Mails the nurse about their case (skipped for placeholder addresses by the queue). */
static int mail_seeker(db *d, int64_t seeker, const char *subject, const char *title,
                       const char *what)
{
    account a;
    int rc = store_user_by_id(d, seeker, &a);
    if (rc != DB_OK)
        return rc == DB_NOTFOUND ? DB_OK : rc;
    char body[1024];
    snprintf(body, sizeof body,
             "%s 様\n\n求人「%.300s」について、%s\n"
             "詳しくはナースセンターのサイトの「応募状況」をご覧ください。\n\n"
             "※このメールは送信専用です。\n",
             a.name, title, what);
    return jobs_enqueue_mail(d, a.email, subject, body);
}

/* ---- POST /applications ---------------------------------------------------------------- */

typedef struct create_ctx {
    req *r;
    int64_t offer_id, seeker_id;
    const char *note;
    int64_t id;
    err_id err; /* != E__COUNT: reply with this registry error */
    const char *err_field;
    placement_status pst;
    const char *pcode;
} create_ctx;

static int create_tx(db *d, void *arg)
{
    create_ctx *c = arg;
    req *r = c->r;
    c->err = E__COUNT;
    c->pst = PL_OK;
    /* The offer: published and not past its validity. */
    db_val po[] = {DBI(c->offer_id)};
    db_res *o = NULL;
    int rc = db_query(d, "SELECT facility_id, status, valid_until, title FROM offers WHERE id = $1",
                      po, 1, &o);
    if (rc != DB_OK)
        return rc;
    char today[16];
    time_jst_date(time_now(), today, sizeof today);
    if (o->nrows == 0) {
        db_res_free(o);
        c->err = E_VALIDATION;
        c->err_field = "offer_id";
        return DB_NOTFOUND;
    }
    int64_t facility = db_int(o, 0, 0);
    const char *valid = db_text(o, 0, 2);
    bool open = !strcmp(db_text(o, 0, 1), "published") && (!valid || date_cmp(valid, today) >= 0);
    char title[512];
    str_copy(title, sizeof title, db_text(o, 0, 3));
    db_res_free(o);
    if (!open) {
        c->err = E_OFFER_NOT_OPEN;
        return DB_NOTFOUND;
    }
    /* The seeker: their own profile, or one of the counselor's prefecture. */
    char status[16] = "";
    rc = store_seeker_status(d, c->seeker_id, status, sizeof status);
    if (rc != DB_OK && rc != DB_NOTFOUND)
        return rc;
    db_val ps[] = {DBI(c->seeker_id)};
    db_res *s = NULL;
    if (rc == DB_OK)
        rc = db_query(d, "SELECT prefecture_code, valid_until FROM seekers WHERE user_id = $1", ps,
                      1, &s);
    if (rc == DB_NOTFOUND || (rc == DB_OK && s->nrows == 0) ||
        (r->actor.role & ROLES_CENTER && strcmp(db_text(s, 0, 0), r->actor.prefecture) != 0)) {
        db_res_free(s);
        if (r->actor.role == ROLE_SEEKER) {
            c->err = E_SEEKER_NOT_ACTIVE;
        } else { /* never reveal a nurse outside the counselor's scope */
            c->err = E_VALIDATION;
            c->err_field = "seeker_id";
        }
        return DB_NOTFOUND;
    }
    if (rc != DB_OK)
        return rc;
    char pref[3];
    str_copy(pref, sizeof pref, db_text(s, 0, 0));
    bool active = !strcmp(status, "active") && date_cmp(db_text(s, 0, 1), today) >= 0;
    db_res_free(s);
    if (!active) {
        c->err = E_SEEKER_NOT_ACTIVE;
        return DB_NOTFOUND;
    }
    placement_actor who = placement_actor_for_role(r->actor.role);
    placement_action act = who == PL_ACTOR_NURSE ? PL_ACT_REQUEST : PL_ACT_PROPOSE;
    placement_input in;
    placement_input_init(&in);
    in.note = c->note;
    placement_state to;
    c->pst = placement_apply(PL_ST_NONE, act, who, &in, &to, &c->pcode);
    if (c->pst != PL_OK)
        return DB_NOTFOUND;
    int64_t now = time_now();
    app_new n = {.seeker_id = c->seeker_id,
                 .offer_id = c->offer_id,
                 .facility_id = facility,
                 .prefecture = pref,
                 .state = placement_state_name(to),
                 .origin = act == PL_ACT_REQUEST ? "request" : "proposal",
                 .created_by = r->actor.id};
    rc = store_app_create(d, &n, now, &c->id);
    if (rc == DB_CONSTRAINT) {
        c->err = E_APP_DUPLICATE;
        return rc;
    }
    json_t *detail = json_pack("{s:I}", "offer_id", (json_int_t)c->offer_id);
    if (c->note)
        json_object_set_new(detail, "note", json_string(c->note));
    char *dt = json_dumps(detail, JSON_COMPACT);
    json_decref(detail);
    if (rc == DB_OK)
        rc = store_app_event(d, c->id, now, r->actor.id, placement_actor_name(who),
                             placement_action_name(act), "none", placement_state_name(to), dt);
    free(dt);
    if (rc == DB_OK && act == PL_ACT_PROPOSE)
        rc = mail_seeker(d, c->seeker_id, "【ナースセンター】求人のご提案があります", title,
                         "ナースセンターの相談員から紹介のご提案があります。内容をご確認のうえ、"
                         "紹介を希望される場合は「紹介を依頼する」を押してください。");
    return rc;
}

void h_applications_create(req *r)
{
    if (api_validate(r, CREATE_SPEC) != 0)
        return;
    create_ctx c = {.r = r, .offer_id = json_integer_value(json_object_get(r->json, "offer_id"))};
    json_t *sid = json_object_get(r->json, "seeker_id");
    c.note = json_string_value(json_object_get(r->json, "note"));
    if (r->actor.role == ROLE_SEEKER) {
        if (sid) { /* a nurse applies for themself only */
            verrs e = {.n = 0};
            verrs_add(&e, "seeker_id", "seeker_id.unknown", "求職者は指定できません");
            reply_validation(r, &e);
            return;
        }
        c.seeker_id = r->actor.id;
    } else {
        if (!sid) {
            verrs e = {.n = 0};
            verrs_add(&e, "seeker_id", "seeker_id.missing", "求職者を選択してください");
            reply_validation(r, &e);
            return;
        }
        c.seeker_id = json_integer_value(sid);
    }
    int rc = db_tx(r->db, create_tx, &c);
    if (rc == DB_OK) {
        reply_application(r, c.id, 201);
        return;
    }
    if (c.pst != PL_OK) {
        reply_placement_error(r, c.pst, c.pcode);
    } else if (c.err == E_VALIDATION) {
        verrs e = {.n = 0};
        char code[64];
        snprintf(code, sizeof code, "%s.invalid", c.err_field);
        verrs_add(&e, c.err_field, code,
                  !strcmp(c.err_field, "offer_id") ? "指定された求人票が見つかりません"
                                                   : "指定された求職者が見つかりません");
        reply_validation(r, &e);
    } else if (c.err != E__COUNT) {
        reply_error(r, c.err, NULL);
    } else {
        api_dberr(r, "application create");
    }
}

/* ---- GET /applications ------------------------------------------------------------------ */

void h_applications_list(req *r)
{
    int64_t page, per;
    if (api_paging(r, &page, &per) != 0)
        return;
    app_filter f = {.scope = authz_applications_filter(&r->actor)};
    if (f.scope == AUTHZ_APPS_NONE) {
        reply_error(r, E_FORBIDDEN, NULL);
        return;
    }
    f.scope_id = f.scope == AUTHZ_APPS_FACILITY ? r->actor.facility_id : r->actor.id;
    f.prefecture = r->actor.prefecture;
    const char *state = req_query(r, "state");
    if (state && *state && strcmp(state, "open") != 0 && placement_state_parse(state) <= 0) {
        reply_error(r, E_BAD_PARAMETER, "state");
        return;
    }
    f.state = state ? state : "";
    const char *task = req_query(r, "task");
    if (task && *task && strcmp(task, "review") != 0 && strcmp(task, "retention") != 0) {
        reply_error(r, E_BAD_PARAMETER, "task");
        return;
    }
    f.task = task ? task : "";
    if (api_query_int(r, "offer_id", 0, 1, ID_MAX, &f.offer_id) != 0 ||
        api_query_int(r, "seeker_id", 0, 1, ID_MAX, &f.seeker_id) != 0)
        return;
    /* Retention tasks: checks due within a week, or overdue. */
    char by[16];
    time_jst_date(time_now() + 7 * 86400, by, sizeof by);
    f.retention_by = by;
    f.limit = per;
    f.offset = (page - 1) * per;
    int64_t total = 0;
    db_res *res = NULL;
    int rc = store_app_list(r->db, &f, &total, &res);
    json_t *items = json_array();
    app_view v = view_of(&r->actor);
    for (int i = 0; rc == DB_OK && i < res->nrows; i++) {
        json_t *it = summary_json(r->db, res, i, v, &rc);
        if (it)
            json_array_append_new(items, it);
    }
    db_res_free(res);
    if (rc != DB_OK) {
        json_decref(items);
        api_dberr(r, "applications list");
        return;
    }
    reply_json(r, 200,
               json_pack("{s:I,s:I,s:I,s:o}", "total", (json_int_t)total, "page", (json_int_t)page,
                         "per_page", (json_int_t)per, "items", items));
}

/* ---- GET /applications/{id} ------------------------------------------------------------- */

void h_application_get(req *r)
{
    int64_t id = r->subject.id;
    /* Reading a case shows a person's data to staff and facilities: audited like a record read
     * (the nurse sees it in /me/views). */
    if (r->actor.role != ROLE_SEEKER) {
        app_rec a;
        int rc = store_app_get(r->db, id, &a);
        if (rc == DB_OK)
            rc = store_audit_add(r->db, time_now(), r->actor.id, role_name(r->actor.role),
                                 r->actor.prefecture, a.seeker_id, "read", "application", r->ip);
        if (rc != DB_OK) {
            api_dberr(r, "application audit");
            return;
        }
    }
    reply_application(r, id, 200);
}

/* ---- POST /applications/{id}/events ------------------------------------------------------ */

typedef struct event_ctx {
    req *r;
    int64_t id;
    placement_action act;
    placement_input in;
    placement_status pst;
    const char *pcode;
    bool conflict;
} event_ctx;

/* Sets the columns a transition writes besides the state. Returns DB_OK or an error. */
static int fill_change(db *d, event_ctx *c, const app_rec *a, placement_state to, app_change *ch,
                       placement_due *due, char *refno, size_t refcap)
{
    memset(ch, 0, sizeof *ch);
    ch->to = placement_state_name(to);
    ch->open = !placement_state_is_terminal(to);
    ch->permanent = -1;
    ch->left_within_6m = -1;
    int64_t now = time_now();
    switch (c->act) {
    case PL_ACT_REFER: {
        int rc = store_referral_no(d, a->prefecture, time_jst_fiscal_year(now), refno, refcap);
        if (rc != DB_OK)
            return rc;
        ch->referral_no = refno;
        ch->referred_at = now;
        /* the letter states the offer as it was when referred */
        db_val pv[] = {DBI(a->offer_id)};
        rc = db_scalar(d, "SELECT version FROM offers WHERE id = $1", pv, 1, &ch->offer_version);
        if (rc != DB_OK)
            return rc;
        break;
    }
    case PL_ACT_SCHEDULE:
        ch->interview_date = c->in.interview_date;
        break;
    case PL_ACT_HIRE:
        ch->decided_at = now;
        break;
    case PL_ACT_REJECT:
    case PL_ACT_DECLINE:
        ch->decision_reason = c->in.reason_code;
        ch->decided_at = now;
        break;
    case PL_ACT_PLACE:
        ch->start_date = c->in.start_date;
        ch->employment_form = EMPLOYMENT_FORMS[c->in.employment_form - 1];
        ch->permanent = c->in.permanent == OFFER_YES;
        if (placement_retention_due(c->in.start_date, due) != 0)
            return DB_ERROR;
        ch->due_1m = due->m1;
        ch->due_3m = due->m3;
        ch->due_6m = due->m6;
        break;
    case PL_ACT_CHECK_1M:
    case PL_ACT_CHECK_3M:
    case PL_ACT_CHECK_6M:
        ch->check_col = c->act == PL_ACT_CHECK_1M ? "1m" : c->act == PL_ACT_CHECK_3M ? "3m" : "6m";
        ch->check_result = placement_check_result_name(c->in.result);
        if (c->in.result == PL_CHECK_LEFT) {
            ch->left_date = c->in.left_date;
            ch->left_within_6m = placement_left_within_6m(a->start_date, c->in.left_date) == 1;
        } else if (c->act == PL_ACT_CHECK_6M && c->in.result == PL_CHECK_STILL_EMPLOYED) {
            ch->left_within_6m = 0;
        }
        break;
    default:
        break;
    }
    return DB_OK;
}

/* The event's detail: the input fields the action used (and the referral's number and offer
 * version). New reference. */
static json_t *event_detail(const event_ctx *c, const app_change *ch)
{
    json_t *o = json_object();
    if (ch->referral_no)
        json_object_set_new(o, "referral_no", json_string(ch->referral_no));
    if (ch->offer_version)
        json_object_set_new(o, "offer_version", json_integer(ch->offer_version));
    for (const char *const *n = action_needs(c->act); *n; n++) {
        json_t *v = json_object_get(c->r->json, *n);
        if (v && !json_is_null(v))
            json_object_set(o, *n, v);
    }
    return o;
}

static int event_tx(db *d, void *arg)
{
    event_ctx *c = arg;
    req *r = c->r;
    c->pst = PL_OK;
    c->conflict = false;
    app_rec a;
    int rc = store_app_get(d, c->id, &a);
    if (rc != DB_OK)
        return rc;
    int from = placement_state_parse(a.state);
    if (from < 0)
        return DB_ERROR;
    char today[16];
    time_jst_date(time_now(), today, sizeof today);
    c->in.today = today;
    if (placement_check_months(c->act))
        c->in.start_date = a.start_date;
    placement_state to;
    placement_actor who = placement_actor_for_role(r->actor.role);
    c->pst = placement_apply((placement_state)from, c->act, who, &c->in, &to, &c->pcode);
    if (c->pst != PL_OK)
        return DB_NOTFOUND;
    app_change ch;
    placement_due due;
    char refno[32] = "";
    rc = fill_change(d, c, &a, to, &ch, &due, refno, sizeof refno);
    int64_t now = time_now();
    if (rc == DB_OK)
        rc = store_app_transition(d, c->id, a.state, &ch, now);
    if (rc == DB_NOTFOUND) {
        c->conflict = true;
        return rc;
    }
    json_t *detail = event_detail(c, &ch);
    char *dt = json_dumps(detail, JSON_COMPACT);
    json_decref(detail);
    if (rc == DB_OK)
        rc = store_app_event(d, c->id, now, r->actor.id, placement_actor_name(who),
                             placement_action_name(c->act), a.state, ch.to, dt);
    free(dt);
    if (rc != DB_OK)
        return rc;
    /* Tell the nurse (and on a referral the facility) what happened. */
    const char *subject = NULL, *what = NULL;
    switch (c->act) {
    case PL_ACT_REFER:
        subject = "【ナースセンター】紹介状を発行しました";
        what =
            "ナースセンターが紹介状を発行しました。「応募状況」から紹介状（PDF）を確認できます。";
        break;
    case PL_ACT_REFUSE:
        subject = "【ナースセンター】紹介依頼について";
        what = "今回は紹介を見送ることになりました。理由は「応募状況」でご確認いただけます。";
        break;
    case PL_ACT_SCHEDULE:
    case PL_ACT_HIRE:
    case PL_ACT_REJECT:
        subject = "【ナースセンター】応募状況が更新されました";
        what = "応募状況が更新されました（面接日・採否）。";
        break;
    default:
        return DB_OK; /* no mail: no need for the offer's title either */
    }
    db_val po[] = {DBI(a.offer_id)};
    db_res *o = NULL;
    rc = db_query(d, "SELECT title FROM offers WHERE id = $1", po, 1, &o);
    if (rc != DB_OK)
        return rc;
    char title[512];
    str_copy(title, sizeof title, o->nrows ? db_text(o, 0, 0) : "");
    db_res_free(o);
    rc = mail_seeker(d, a.seeker_id, subject, title, what);
    if (rc == DB_OK && c->act == PL_ACT_REFER) {
        char body[1024];
        snprintf(body, sizeof body,
                 "求人「%.300s」にナースセンターから求職者を紹介しました（紹介番号 %s）。\n"
                 "施設ページの「応募者」で内容を確認し、面接日・採否を入力してください。\n",
                 title, refno);
        rc = api_mail_facility_admins(d, a.facility_id,
                                      "【ナースセンター】求職者の紹介がありました", body);
    }
    return rc;
}

void h_application_event(req *r)
{
    if (api_validate(r, EVENT_SPEC) != 0)
        return;
    event_ctx c = {.r = r, .id = r->subject.id};
    json_t *j = r->json;
    c.act = (placement_action)placement_action_parse(vstr(j, "action"));
    placement_input_init(&c.in);
    c.in.reason_code = vstr(j, "reason_code");
    c.in.note = vstr(j, "note");
    c.in.interview_date = vstr(j, "interview_date");
    c.in.start_date = vstr(j, "start_date");
    const char *ef = vstr(j, "employment_form");
    c.in.employment_form = ef ? (offer_employment_form)(code_index(EMPLOYMENT_FORMS, ef) + 1) : 0;
    json_t *perm = json_object_get(j, "permanent");
    c.in.permanent = !perm ? OFFER_TRI_UNSET : json_is_true(perm) ? OFFER_YES : OFFER_NO;
    const char *res = vstr(j, "result");
    int cr = res ? placement_check_result_parse(res) : 0;
    c.in.result = cr < 0 ? PL_CHECK_UNSET : (placement_check_result)cr;
    c.in.left_date = vstr(j, "left_date");
    int rc = db_tx(r->db, event_tx, &c);
    if (rc == DB_OK)
        reply_application(r, c.id, 200);
    else if (c.pst != PL_OK)
        reply_placement_error(r, c.pst, c.pcode);
    else if (c.conflict)
        reply_error(r, E_CONFLICT, NULL);
    else if (rc == DB_NOTFOUND)
        reply_error(r, E_NOT_FOUND, NULL);
    else
        api_dberr(r, "application event");
}

/* ---- GET /applications/{id}/letter.pdf ------------------------------------------------------ */

void h_application_letter(req *r)
{
    int64_t id = r->subject.id;
    db_res *res = NULL, *lic = NULL;
    int rc = store_app_letter(r->db, id, &res);
    if (rc == DB_OK && res->nrows == 0)
        rc = DB_NOTFOUND;
    if (rc != DB_OK) {
        db_res_free(res);
        if (rc == DB_NOTFOUND)
            reply_error(r, E_NOT_FOUND, NULL);
        else
            api_dberr(r, "letter");
        return;
    }
    if (!db_text(res, 0, 0)) { /* no referral number: not referred */
        db_res_free(res);
        reply_error(r, E_APP_NOT_REFERRED, NULL);
        return;
    }
    app_rec a;
    rc = store_app_get(r->db, id, &a);
    if (rc == DB_OK)
        rc = store_app_licences(r->db, a.seeker_id, &lic);
    if (rc == DB_OK && r->actor.role != ROLE_SEEKER)
        rc = store_audit_add(r->db, time_now(), r->actor.id, role_name(r->actor.role),
                             r->actor.prefecture, a.seeker_id, "read", "referral_letter", r->ip);
    if (rc != DB_OK) {
        db_res_free(res);
        db_res_free(lic);
        api_dberr(r, "letter data");
        return;
    }
    const char *labels[LETTER_LICENCES_MAX];
    int nl = 0;
    for (int i = 0; i < lic->nrows && nl < LETTER_LICENCES_MAX; i++)
        labels[nl++] = db_text(lic, i, 1);
    json_error_t jerr;
    json_t *body = json_loads(db_text(res, 0, 3), 0, &jerr);
    offer o;
    const char *deps[32];
    offer_init(&o);
    if (body)
        offer_from_json(body, &o, deps, 32);
    char issued[16];
    time_jst_date(db_int(res, 0, 1), issued, sizeof issued);
    letter_data ld = {.referral_no = db_text(res, 0, 0),
                      .issue_date = issued,
                      .center = {.name = db_text(res, 0, 8) ? db_text(res, 0, 8) : "ナースセンター",
                                 .address = db_text(res, 0, 9),
                                 .phone = db_text(res, 0, 10),
                                 .counselor = db_text(res, 0, 11)},
                      .applicant = {.name = db_text(res, 0, 6),
                                    .name_kana = db_text(res, 0, 7),
                                    .licences = labels,
                                    .n_licences = nl},
                      .facility = {.name = db_text(res, 0, 4), .address = db_text(res, 0, 5)},
                      .offer_no = db_text(res, 0, 2),
                      .offer = body ? &o : NULL};
    unsigned char *pdf = NULL;
    size_t len = 0;
    char err[256];
    rc = letter_render_pdf(&ld, &pdf, &len, err, sizeof err);
    char disp[96];
    snprintf(disp, sizeof disp, "inline; filename=\"shokaijo-%s.pdf\"", db_text(res, 0, 0));
    json_decref(body);
    db_res_free(res);
    db_res_free(lic);
    if (rc != 0) {
        log_error("referral letter %lld: %s", (long long)id, err);
        reply_error(r, E_INTERNAL, NULL);
        return;
    }
    free(r->resp);
    r->resp = (char *)pdf;
    r->resp_len = len;
    r->status = 200;
    r->content_type = "application/pdf";
    r->replied = true;
    req_add_header(r, "Content-Disposition", disp);
    req_add_header(r, "Cache-Control", "private, no-store");
}
