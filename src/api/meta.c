/* Health, version, OpenAPI document and public reference data. */
#include "api/api.h"
#include "domain/casework.h"
#include "domain/placement.h"
#include "store/db_json.h"
#include "util/embed.h"
#include "util/str.h"
#include <string.h>

void h_healthz(req *r)
{
    int64_t one = 0;
    if (db_scalar(r->db, "SELECT 1", NULL, 0, &one) != DB_OK || one != 1) {
        reply_json(r, 503, json_pack("{s:s,s:s}", "status", "unavailable", "db", "error"));
        return;
    }
    reply_json(r, 200, json_pack("{s:s,s:s}", "status", "ok", "db", "ok"));
}

void h_version(req *r)
{
    reply_json(r, 200,
               json_pack("{s:s,s:s,s:s}", "name", "nccs", "version", NCCS_VERSION, "api", "v1"));
}

void h_openapi(req *r)
{
    const struct embedded_file *f = embed_find("docs/openapi.json");
    json_error_t err;
    json_t *doc = f ? json_loadb((const char *)f->data, f->size, 0, &err) : NULL;
    if (!doc) {
        reply_error(r, E_INTERNAL, NULL);
        return;
    }
    reply_json(r, 200, doc);
}

/* Appends rows (code, name[, kana]) of a query as objects to arr. */
static int rows_into(req *r, json_t *arr, const char *sql, const db_val *p, int np, bool kana)
{
    db_res *res = NULL;
    int rc = db_query(r->db, sql, p, np, &res);
    if (rc != DB_OK)
        return rc;
    for (int i = 0; i < res->nrows; i++) {
        json_t *o = json_pack("{s:s,s:s}", "code", db_text(res, i, 0), "name", db_text(res, i, 1));
        if (kana)
            json_object_set_new(o, "kana", json_string(db_text(res, i, 2)));
        json_array_append_new(arr, o);
    }
    db_res_free(res);
    return DB_OK;
}

/* {code, name} items (new reference). */
static json_t *code_item(const char *code, const char *name)
{
    return json_pack("{s:s,s:s}", "code", code, "name", name);
}

/* The lists that live in code rather than in code_lists: work statuses (就業状況) and the
 * placement flow's states, actions, decision reasons and retention check results. */
static void add_placement_lists(json_t *out)
{
    static const char *const WORK_LABELS[] = {"就業中", "離職中", "休職中", "学生"};
    json_t *ws = json_array();
    for (int i = 0; WORK_STATUSES[i]; i++)
        json_array_append_new(ws, code_item(WORK_STATUSES[i], WORK_LABELS[i]));
    json_object_set_new(out, "work_statuses", ws);
    json_t *st = json_array();
    for (int i = PL_ST_NONE + 1; i < PL_ST__COUNT; i++)
        json_array_append_new(st, code_item(placement_state_name((placement_state)i),
                                            placement_state_label((placement_state)i)));
    json_object_set_new(out, "application_states", st);
    json_t *ac = json_array();
    for (int i = 0; i < PL_ACT__COUNT; i++)
        json_array_append_new(ac, code_item(placement_action_name((placement_action)i),
                                            placement_action_label((placement_action)i)));
    json_object_set_new(out, "application_actions", ac);
    static const struct {
        const char *key;
        placement_action act;
    } reasons[] = {{"reject_reasons", PL_ACT_REJECT}, {"decline_reasons", PL_ACT_DECLINE}};
    for (size_t k = 0; k < sizeof reasons / sizeof reasons[0]; k++) {
        size_t n;
        const placement_reason *list = placement_reasons(reasons[k].act, &n);
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, json_pack("{s:s,s:s,s:b}", "code", list[i].code, "name",
                                                 list[i].label, "needs_note", list[i].needs_note));
        json_object_set_new(out, reasons[k].key, arr);
    }
    json_t *cr = json_array();
    for (int i = PL_CHECK_STILL_EMPLOYED; i <= PL_CHECK_UNREACHABLE; i++)
        json_array_append_new(cr,
                              code_item(placement_check_result_name((placement_check_result)i),
                                        placement_check_result_label((placement_check_result)i)));
    json_object_set_new(out, "check_results", cr);
}

/* The notification, consultation and casework lists (domain/casework.h). */
static void add_casework_lists(json_t *out)
{
    static const struct {
        const char *key;
        const code_label *list;
    } lists[] = {{"notification_reasons", NOTIF_REASONS},
                 {"last_workplaces", NOTIF_LAST_WORKPLACES},
                 {"notification_work_statuses", NOTIF_WORK_STATUSES},
                 {"notification_channels", NOTIF_CHANNELS},
                 {"notification_statuses", NOTIF_STATUSES},
                 {"consultation_channels", CONSULT_CHANNELS},
                 {"consultation_categories", CONSULT_CATEGORIES},
                 {"helpdesk_categories", HELPDESK_CATEGORIES},
                 {"helpdesk_statuses", HELPDESK_STATUSES},
                 {"outreach_places", OUTREACH_PLACES},
                 {"task_kinds", TASK_KINDS},
                 {"task_outcomes", TASK_OUTCOMES},
                 {"consent_methods", CONSENT_METHODS}};
    for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++) {
        json_t *arr = json_array();
        for (const code_label *c = lists[k].list; c->code; c++)
            json_array_append_new(arr, code_item(c->code, c->label));
        json_object_set_new(out, lists[k].key, arr);
    }
}

void h_ref(req *r)
{
    static const char *const lists[] = {
        "licence_types",  "facility_types", "departments", "employment_forms",
        "shift_patterns", "channels",       NULL};
    json_t *out = json_object();
    json_t *prefs = json_array();
    json_object_set_new(out, "prefectures", prefs);
    if (rows_into(r, prefs, "SELECT code, name, kana FROM prefectures ORDER BY code", NULL, 0,
                  true) != DB_OK) {
        json_decref(out);
        api_dberr(r, "ref prefectures");
        return;
    }
    for (int i = 0; lists[i]; i++) {
        json_t *arr = json_array();
        json_object_set_new(out, lists[i], arr);
        db_val p[] = {DBT(lists[i])};
        if (rows_into(r, arr, "SELECT code, name FROM code_lists WHERE list = $1 ORDER BY sort", p,
                      1, false) != DB_OK) {
            json_decref(out);
            api_dberr(r, "ref code list");
            return;
        }
    }
    add_placement_lists(out);
    add_casework_lists(out);
    reply_json(r, 200, out);
}

void h_municipalities(req *r)
{
    const char *pref = req_query(r, "prefecture");
    bool ok = false;
    for (int i = 0; pref && PREFECTURE_CODES[i]; i++)
        if (!strcmp(PREFECTURE_CODES[i], pref))
            ok = true;
    if (!ok) {
        reply_error(r, E_BAD_PARAMETER, "prefecture");
        return;
    }
    json_t *items = json_array();
    db_val p[] = {DBT(pref)};
    if (rows_into(r, items,
                  "SELECT code, name, kana FROM municipalities WHERE prefecture_code = $1 "
                  "ORDER BY code",
                  p, 1, true) != DB_OK) {
        json_decref(items);
        api_dberr(r, "municipalities");
        return;
    }
    reply_json(r, 200, json_pack("{s:o}", "items", items));
}

void h_centers(req *r)
{
    db_res *res = NULL;
    if (db_query(r->db,
                 "SELECT c.prefecture_code, p.name, c.name, c.postal_code, c.address, c.phone, "
                 "c.url FROM nurse_centers c JOIN prefectures p ON p.code = c.prefecture_code "
                 "ORDER BY c.prefecture_code",
                 NULL, 0, &res) != DB_OK) {
        api_dberr(r, "centers");
        return;
    }
    json_t *items = json_array();
    for (int i = 0; i < res->nrows; i++)
        json_array_append_new(
            items, json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o}", "prefecture", db_text(res, i, 0),
                             "prefecture_name", db_text(res, i, 1), "name", db_text(res, i, 2),
                             "postal_code", dbj_text(res, i, 3), "address", dbj_text(res, i, 4),
                             "phone", dbj_text(res, i, 5), "url", dbj_text(res, i, 6)));
    db_res_free(res);
    reply_json(r, 200, json_pack("{s:o}", "items", items));
}
