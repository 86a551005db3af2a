#include "store/facilities.h"
#include "store/db_json.h"
#include "store/accounts.h"
#include "util/str.h"
#include <string.h>

int store_facility_scope(db *d, int64_t id, char *pref, size_t cap)
{
    db_val p[] = {DBI(id)};
    db_res *r = NULL;
    int rc = db_query(d, "SELECT prefecture_code FROM facilities WHERE id = $1", p, 1, &r);
    if (rc == DB_OK) {
        if (r->nrows == 0)
            rc = DB_NOTFOUND;
        else
            str_copy(pref, cap, db_text(r, 0, 0));
    }
    db_res_free(r);
    return rc;
}

json_t *store_facility_json(db *d, int64_t id, int *rc)
{
    db_val p[] = {DBI(id)};
    db_res *r = NULL;
    *rc = db_query(d,
                   "SELECT f.id, f.name, f.name_kana, f.corporation, f.prefecture_code, "
                   "f.municipality_code, COALESCE(m.name, ''), f.postal_code, f.address, "
                   "f.facility_type, f.beds, f.departments, f.station, f.access, f.phone, "
                   "f.contact_name, f.status, f.review_reason, f.reviewed_at, f.created_at, "
                   "f.updated_at FROM facilities f LEFT JOIN municipalities m ON "
                   "m.code = f.municipality_code WHERE f.id = $1",
                   p, 1, &r);
    if (*rc != DB_OK)
        return NULL;
    if (r->nrows == 0) {
        db_res_free(r);
        *rc = DB_NOTFOUND;
        return NULL;
    }
    json_error_t jerr;
    json_t *deps = json_loads(db_text(r, 0, 11), 0, &jerr);
    json_t *o = json_pack(
        "{s:I,s:s,s:s,s:o,s:s,s:o,s:s,s:o,s:o,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:s,s:o,s:o,s:I,s:I}",
        "id", (json_int_t)db_int(r, 0, 0), "name", db_text(r, 0, 1), "name_kana", db_text(r, 0, 2),
        "corporation", dbj_text(r, 0, 3), "prefecture", db_text(r, 0, 4), "municipality",
        dbj_text(r, 0, 5), "municipality_name", db_text(r, 0, 6), "postal_code", dbj_text(r, 0, 7),
        "address", dbj_text(r, 0, 8), "facility_type", db_text(r, 0, 9), "beds", dbj_int(r, 0, 10),
        "departments", deps ? deps : json_array(), "station", dbj_text(r, 0, 12), "access",
        dbj_text(r, 0, 13), "phone", dbj_text(r, 0, 14), "contact_name", dbj_text(r, 0, 15),
        "status", db_text(r, 0, 16), "review_reason", dbj_text(r, 0, 17), "reviewed_at",
        dbj_int(r, 0, 18), "created_at", (json_int_t)db_int(r, 0, 19), "updated_at",
        (json_int_t)db_int(r, 0, 20));
    db_res_free(r);
    return o;
}

int store_facility_status(db *d, int64_t id, char *status, size_t cap)
{
    db_val p[] = {DBI(id)};
    db_res *r = NULL;
    int rc = db_query(d, "SELECT status FROM facilities WHERE id = $1", p, 1, &r);
    if (rc == DB_OK) {
        if (r->nrows == 0)
            rc = DB_NOTFOUND;
        else
            str_copy(status, cap, db_text(r, 0, 0));
    }
    db_res_free(r);
    return rc;
}

int store_facility_set_status(db *d, int64_t id, const char *status, const char *reason,
                              int64_t reviewer, int64_t now)
{
    db_val p[] = {DBI(id), DBT(status), DBT(reason), reviewer ? DBI(reviewer) : DBNULL, DBI(now)};
    return db_query(d,
                    "UPDATE facilities SET status = $2, review_reason = $3, "
                    "reviewed_by = COALESCE($4, reviewed_by), "
                    "reviewed_at = CASE WHEN $4 IS NULL THEN reviewed_at ELSE $5 END, "
                    "updated_at = $5 WHERE id = $1",
                    p, 5, NULL);
}

/* One UPDATE text per column: SQL is never built from input. */
static const struct {
    const char *column, *sql;
} COLUMNS[] = {
    {"name", "UPDATE facilities SET name = $2, updated_at = $3 WHERE id = $1"},
    {"name_kana", "UPDATE facilities SET name_kana = $2, updated_at = $3 WHERE id = $1"},
    {"corporation", "UPDATE facilities SET corporation = $2, updated_at = $3 WHERE id = $1"},
    {"prefecture_code",
     "UPDATE facilities SET prefecture_code = $2, updated_at = $3 WHERE id = $1"},
    {"municipality_code",
     "UPDATE facilities SET municipality_code = $2, updated_at = $3 WHERE id = $1"},
    {"postal_code", "UPDATE facilities SET postal_code = $2, updated_at = $3 WHERE id = $1"},
    {"address", "UPDATE facilities SET address = $2, updated_at = $3 WHERE id = $1"},
    {"facility_type", "UPDATE facilities SET facility_type = $2, updated_at = $3 WHERE id = $1"},
    {"beds", "UPDATE facilities SET beds = $2, updated_at = $3 WHERE id = $1"},
    {"departments", "UPDATE facilities SET departments = $2, updated_at = $3 WHERE id = $1"},
    {"station", "UPDATE facilities SET station = $2, updated_at = $3 WHERE id = $1"},
    {"access", "UPDATE facilities SET access = $2, updated_at = $3 WHERE id = $1"},
    {"phone", "UPDATE facilities SET phone = $2, updated_at = $3 WHERE id = $1"},
    {"contact_name", "UPDATE facilities SET contact_name = $2, updated_at = $3 WHERE id = $1"},
};

int store_facility_set(db *d, int64_t id, const char *column, db_val value, int64_t now)
{
    for (size_t i = 0; i < sizeof COLUMNS / sizeof COLUMNS[0]; i++)
        if (!strcmp(COLUMNS[i].column, column)) {
            db_val p[] = {DBI(id), value, DBI(now)};
            return db_query(d, COLUMNS[i].sql, p, 3, NULL);
        }
    return DB_ERROR;
}

int store_facility_event(db *d, int64_t facility_id, int64_t actor, const char *action,
                         const char *detail, int64_t now)
{
    db_val p[] = {DBI(facility_id), DBI(now), actor ? DBI(actor) : DBNULL, DBT(action),
                  DBT(detail ? detail : "{}")};
    return db_query(d,
                    "INSERT INTO facility_events (facility_id, at, actor_user_id, action, detail) "
                    "VALUES ($1, $2, $3, $4, $5)",
                    p, 5, NULL);
}
