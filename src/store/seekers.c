#include "store/seekers.h"
#include "store/accounts.h"
#include "store/db_json.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void seeker_valid_until(int64_t now, char *out, size_t cap)
{
    char today[16];
    int y = 1970, m = 1, d = 1;
    time_jst_date(now, today, sizeof today);
    if (date_parse(today, &y, &m, &d) != 0) {
        str_copy(out, cap, today);
        return;
    }
    int months = (m - 1) + SEEKER_VALIDITY_MONTHS;
    y += months / 12;
    m = months % 12 + 1;
    if (d > days_in_month(y, m))
        d = days_in_month(y, m);
    snprintf(out, cap, "%04d-%02d-%02d", y, m, d);
}

/* The string member key of obj (NULL when absent or obj is NULL); borrowed from obj. */
static const char *jstr(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

/* A JSON text column as a JSON value (new reference); [] when unreadable. */
static json_t *json_col(const db_res *r, int col)
{
    json_error_t jerr;
    const char *s = db_text(r, 0, col);
    json_t *v = s ? json_loads(s, 0, &jerr) : NULL;
    return v ? v : json_array();
}

static json_t *bool_col(const db_res *r, int col)
{
    return json_boolean(db_int(r, 0, col) != 0);
}

json_t *store_seeker_json(db *d, int64_t uid, int *rc)
{
    db_val p[] = {DBI(uid)};
    db_res *r = NULL;
    *rc = db_query(d,
                   "SELECT u.id, u.name, u.name_kana, u.email, u.channel, u.phone, "
                   "s.prefecture_code, s.work_status, s.contact_hours, s.email_consent, "
                   "s.experience_years, s.experience_departments, s.skills, s.last_facility_type, "
                   "s.career_break_months, s.wish_prefectures, s.wish_municipalities, "
                   "s.wish_employment_forms, s.wish_shift_patterns, s.wish_max_night_shifts, "
                   "s.wish_wage_type, s.wish_wage_min, s.wish_facility_types, s.wish_departments, "
                   "s.wish_start_date, s.wish_childcare, s.wish_commute_minutes, s.status, "
                   "s.valid_until, s.last_activity_at, s.created_at, s.updated_at, "
                   "s.closed_reason FROM seekers s JOIN users u ON u.id = s.user_id "
                   "WHERE s.user_id = $1",
                   p, 1, &r);
    if (*rc != DB_OK)
        return NULL;
    if (r->nrows == 0) {
        db_res_free(r);
        *rc = DB_NOTFOUND;
        return NULL;
    }
    db_res *l = NULL;
    *rc = db_query(
        d, "SELECT type, number, registered_on FROM licences WHERE user_id = $1 ORDER BY id", p, 1,
        &l);
    if (*rc != DB_OK) {
        db_res_free(r);
        return NULL;
    }
    json_t *lics = json_array();
    for (int i = 0; i < l->nrows; i++)
        json_array_append_new(lics, json_pack("{s:s,s:s,s:s}", "type", db_text(l, i, 0), "number",
                                              db_text(l, i, 1), "registered_on", db_text(l, i, 2)));
    db_res_free(l);
    char today[16];
    time_jst_date(time_now(), today, sizeof today);
    const char *status = db_text(r, 0, 27), *valid = db_text(r, 0, 28);
    /* Past its validity: still active until the expiry job runs, or closed by it. */
    const char *reason = db_text(r, 0, 32);
    bool expired = (!strcmp(status, "active") && valid && date_cmp(valid, today) < 0) ||
                   (!strcmp(status, "closed") && reason && !strcmp(reason, "expired"));
    json_t *wage = db_isnull(r, 0, 20) ? json_null()
                                       : json_pack("{s:s,s:o}", "type", db_text(r, 0, 20), "min",
                                                   dbj_int(r, 0, 21));
    json_t *experience =
        json_pack("{s:I,s:o,s:o,s:o,s:o}", "years", (json_int_t)db_int(r, 0, 10), "departments",
                  json_col(r, 11), "skills", dbj_text(r, 0, 12), "last_facility_type",
                  dbj_text(r, 0, 13), "career_break_months", dbj_int(r, 0, 14));
    json_t *wishes = json_pack(
        "{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "prefectures", json_col(r, 15),
        "municipalities", json_col(r, 16), "employment_forms", json_col(r, 17), "shift_patterns",
        json_col(r, 18), "max_night_shifts", dbj_int(r, 0, 19), "wage", wage, "facility_types",
        json_col(r, 22), "departments", json_col(r, 23), "start_date", dbj_text(r, 0, 24),
        "childcare", bool_col(r, 25), "commute_minutes", dbj_int(r, 0, 26));
    json_t *o = json_pack(
        "{s:I,s:s,s:s,s:s,s:s,s:o,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:s,s:s,s:b,s:I,s:I,s:I}", "user_id",
        (json_int_t)db_int(r, 0, 0), "name", db_text(r, 0, 1), "name_kana", db_text(r, 0, 2),
        "email", db_text(r, 0, 3), "channel", db_text(r, 0, 4), "phone", dbj_text(r, 0, 5),
        "prefecture", db_text(r, 0, 6), "work_status", db_text(r, 0, 7), "contact_hours",
        dbj_text(r, 0, 8), "email_consent", bool_col(r, 9), "licences", lics, "experience",
        experience, "wishes", wishes, "status", status, "valid_until", valid ? valid : "",
        "expired", expired, "last_activity_at", (json_int_t)db_int(r, 0, 29), "created_at",
        (json_int_t)db_int(r, 0, 30), "updated_at", (json_int_t)db_int(r, 0, 31));
    db_res_free(r);
    return o;
}

int store_seeker_status(db *d, int64_t uid, char *status, size_t cap)
{
    db_val p[] = {DBI(uid)};
    db_res *r = NULL;
    int rc = db_query(d, "SELECT status FROM seekers WHERE user_id = $1", p, 1, &r);
    if (rc == DB_OK) {
        if (r->nrows == 0)
            rc = DB_NOTFOUND;
        else
            str_copy(status, cap, db_text(r, 0, 0));
    }
    db_res_free(r);
    return rc;
}

/* Members of a validated body as parameters. Text returned by json_dumps is collected in
 * `owned` (freed by the caller with free_owned). */
typedef struct {
    char *owned[8];
    int n;
} owned_texts;

static db_val arr_param(owned_texts *o, const json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_array(v) || o->n >= 8)
        return DBT("[]");
    char *s = json_dumps(v, JSON_COMPACT);
    if (!s)
        return DBT("[]");
    o->owned[o->n++] = s;
    return DBT(s);
}

static void free_owned(owned_texts *o)
{
    for (int i = 0; i < o->n; i++)
        free(o->owned[i]);
    o->n = 0;
}

static db_val int_param(const json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_integer(v) ? DBI(json_integer_value(v)) : DBNULL;
}

static db_val bool_param(const json_t *obj, const char *key)
{
    return DBI(json_is_true(json_object_get(obj, key)) ? 1 : 0);
}

int store_seeker_put(db *d, int64_t uid, const json_t *body, int64_t actor, int64_t now,
                     bool *created)
{
    char status[16], valid[16];
    int rc = store_seeker_status(d, uid, status, sizeof status);
    if (rc != DB_OK && rc != DB_NOTFOUND)
        return rc;
    *created = rc == DB_NOTFOUND;
    seeker_valid_until(now, valid, sizeof valid);
    const json_t *exp = json_object_get(body, "experience");
    const json_t *w = json_object_get(body, "wishes");
    const json_t *wage = json_object_get(w, "wage");
    owned_texts o = {.n = 0};
    db_val p[] = {DBI(uid),
                  DBT(jstr(body, "prefecture")),
                  DBT(jstr(body, "work_status")),
                  int_param(exp, "years"),
                  arr_param(&o, exp, "departments"),
                  DBT(jstr(exp, "skills")),
                  DBT(jstr(exp, "last_facility_type")),
                  int_param(exp, "career_break_months"),
                  DBT(jstr(body, "contact_hours")),
                  bool_param(body, "email_consent"),
                  arr_param(&o, w, "prefectures"),
                  arr_param(&o, w, "municipalities"),
                  arr_param(&o, w, "employment_forms"),
                  arr_param(&o, w, "shift_patterns"),
                  int_param(w, "max_night_shifts"),
                  DBT(jstr(wage, "type")),
                  int_param(wage, "min"),
                  arr_param(&o, w, "facility_types"),
                  arr_param(&o, w, "departments"),
                  DBT(jstr(w, "start_date")),
                  bool_param(w, "childcare"),
                  int_param(w, "commute_minutes"),
                  DBT(valid),
                  DBI(now),
                  actor ? DBI(actor) : DBNULL};
    /* A new profile starts active; an existing one keeps its status (renew/pause change it). */
    rc = db_query(
        d,
        "INSERT INTO seekers (user_id, prefecture_code, work_status, experience_years, "
        "experience_departments, skills, last_facility_type, career_break_months, contact_hours, "
        "email_consent, wish_prefectures, wish_municipalities, wish_employment_forms, "
        "wish_shift_patterns, wish_max_night_shifts, wish_wage_type, wish_wage_min, "
        "wish_facility_types, wish_departments, wish_start_date, wish_childcare, "
        "wish_commute_minutes, status, valid_until, last_activity_at, created_by, created_at, "
        "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
        "$16, $17, $18, $19, $20, $21, $22, 'active', $23, $24, $25, $24, $24) "
        "ON CONFLICT (user_id) DO UPDATE SET prefecture_code = excluded.prefecture_code, "
        "work_status = excluded.work_status, experience_years = excluded.experience_years, "
        "experience_departments = excluded.experience_departments, skills = excluded.skills, "
        "last_facility_type = excluded.last_facility_type, "
        "career_break_months = excluded.career_break_months, "
        "contact_hours = excluded.contact_hours, email_consent = excluded.email_consent, "
        "wish_prefectures = excluded.wish_prefectures, "
        "wish_municipalities = excluded.wish_municipalities, "
        "wish_employment_forms = excluded.wish_employment_forms, "
        "wish_shift_patterns = excluded.wish_shift_patterns, "
        "wish_max_night_shifts = excluded.wish_max_night_shifts, "
        "wish_wage_type = excluded.wish_wage_type, wish_wage_min = excluded.wish_wage_min, "
        "wish_facility_types = excluded.wish_facility_types, "
        "wish_departments = excluded.wish_departments, "
        "wish_start_date = excluded.wish_start_date, wish_childcare = excluded.wish_childcare, "
        "wish_commute_minutes = excluded.wish_commute_minutes, "
        "valid_until = excluded.valid_until, last_activity_at = excluded.last_activity_at, "
        "updated_at = excluded.updated_at",
        p, (int)(sizeof p / sizeof p[0]), NULL);
    free_owned(&o);
    if (rc != DB_OK)
        return rc;
    /* The phone lives on the account; the seeker's center is also the account's scope. */
    db_val up[] = {DBI(uid), DBT(jstr(body, "phone")), DBT(jstr(body, "prefecture")), DBI(now)};
    rc = db_query(d,
                  "UPDATE users SET phone = $2, prefecture_code = $3, updated_at = $4 "
                  "WHERE id = $1",
                  up, 4, NULL);
    const json_t *lics = json_object_get(body, "licences");
    if (rc != DB_OK || !json_is_array(lics))
        return rc;
    db_val lp[] = {DBI(uid)};
    rc = db_query(d, "DELETE FROM licences WHERE user_id = $1", lp, 1, NULL);
    for (size_t i = 0; rc == DB_OK && i < json_array_size(lics); i++) {
        const json_t *l = json_array_get(lics, i);
        rc = store_licence_insert(d, uid, jstr(l, "type"), jstr(l, "number"),
                                  jstr(l, "registered_on"));
    }
    return rc;
}

int store_seeker_set_status(db *d, int64_t uid, const char *status, bool renew, int64_t now)
{
    char valid[16];
    seeker_valid_until(now, valid, sizeof valid);
    db_val p[] = {DBI(uid), DBT(status), DBI(renew ? 1 : 0), DBT(valid), DBI(now)};
    return db_query(d,
                    "UPDATE seekers SET status = $2, closed_reason = CASE WHEN $2 = 'closed' "
                    "THEN closed_reason ELSE NULL END, "
                    "valid_until = CASE WHEN $3 = 1 THEN $4 ELSE valid_until END, "
                    "last_activity_at = CASE WHEN $3 = 1 THEN $5 ELSE last_activity_at END, "
                    "updated_at = $5 WHERE user_id = $1",
                    p, 5, NULL);
}
