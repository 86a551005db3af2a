#include "store/offers.h"
#include "store/db_json.h"
#include "store/accounts.h"
#include "util/str.h"
#include <stdio.h>
#include <string.h>

json_t *store_offer_json(db *d, int64_t id, int *rc)
{
    db_val p[] = {DBI(id)};
    db_res *r = NULL;
    *rc = db_query(d,
                   "SELECT o.id, o.facility_id, f.name, o.status, o.offer_no, o.version, o.body, "
                   "o.prefecture_code, o.valid_until, o.published_at, o.review_reason, "
                   "o.refusal_ground, o.close_reason, o.created_at, o.updated_at "
                   "FROM offers o JOIN facilities f ON f.id = o.facility_id WHERE o.id = $1",
                   p, 1, &r);
    if (*rc != DB_OK)
        return NULL;
    if (r->nrows == 0) {
        db_res_free(r);
        *rc = DB_NOTFOUND;
        return NULL;
    }
    json_error_t jerr;
    json_t *body = json_loads(db_text(r, 0, 6), 0, &jerr);
    json_t *o = json_pack("{s:I,s:I,s:s,s:s,s:o,s:I,s:o,s:s,s:o,s:o,s:o,s:o,s:o,s:I,s:I}", "id",
                          (json_int_t)db_int(r, 0, 0), "facility_id", (json_int_t)db_int(r, 0, 1),
                          "facility_name", db_text(r, 0, 2), "status", db_text(r, 0, 3), "offer_no",
                          dbj_text(r, 0, 4), "version", (json_int_t)db_int(r, 0, 5), "body",
                          body ? body : json_object(), "prefecture", db_text(r, 0, 7),
                          "valid_until", dbj_text(r, 0, 8), "published_at", dbj_int(r, 0, 9),
                          "review_reason", dbj_text(r, 0, 10), "refusal_ground", dbj_text(r, 0, 11),
                          "close_reason", dbj_text(r, 0, 12), "created_at",
                          (json_int_t)db_int(r, 0, 13), "updated_at", (json_int_t)db_int(r, 0, 14));
    db_res_free(r);
    return o;
}

int store_offer_scope(db *d, int64_t id, int64_t *facility_id, char *pref, size_t cap)
{
    db_val p[] = {DBI(id)};
    db_res *r = NULL;
    int rc = db_query(d, "SELECT facility_id, prefecture_code FROM offers WHERE id = $1", p, 1, &r);
    if (rc == DB_OK) {
        if (r->nrows == 0) {
            rc = DB_NOTFOUND;
        } else {
            *facility_id = db_int(r, 0, 0);
            str_copy(pref, cap, db_text(r, 0, 1));
        }
    }
    db_res_free(r);
    return rc;
}

int store_offer_status(db *d, int64_t id, char *status, size_t cap, int64_t *version)
{
    db_val p[] = {DBI(id)};
    db_res *r = NULL;
    int rc = db_query(d, "SELECT status, version FROM offers WHERE id = $1", p, 1, &r);
    if (rc == DB_OK) {
        if (r->nrows == 0) {
            rc = DB_NOTFOUND;
        } else {
            str_copy(status, cap, db_text(r, 0, 0));
            *version = db_int(r, 0, 1);
        }
    }
    db_res_free(r);
    return rc;
}

static db_val opt64(int64_t v)
{
    return v < 0 ? DBNULL : DBI(v);
}

int store_offer_insert(db *d, int64_t facility_id, const char *body, const offer_cols *c,
                       int64_t actor, int64_t now, int64_t *id)
{
    db_val p[] = {DBI(facility_id),
                  DBT(body),
                  DBT(c->title ? c->title : ""),
                  DBT(c->prefecture),
                  DBT(c->municipality),
                  DBI(c->licence_mask),
                  DBT(c->employment_form),
                  DBI(c->shift_mask),
                  DBI(c->flag_mask),
                  DBT(c->wage_type),
                  opt64(c->wage_min),
                  opt64(c->positions),
                  actor ? DBI(actor) : DBNULL,
                  DBI(now)};
    int rc = db_scalar(d,
                       "INSERT INTO offers (facility_id, body, title, prefecture_code, "
                       "municipality_code, licence_mask, employment_form, shift_mask, flag_mask, "
                       "wage_type, wage_min, positions, created_by, created_at, updated_at) VALUES "
                       "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) "
                       "RETURNING id",
                       p, 14, id);
    if (rc != DB_OK)
        return rc;
    db_val v[] = {DBI(*id), DBT(body), actor ? DBI(actor) : DBNULL, DBI(now)};
    return db_query(d,
                    "INSERT INTO offer_versions (offer_id, version, body, created_by, created_at) "
                    "VALUES ($1, 1, $2, $3, $4)",
                    v, 4, NULL);
}

int store_offer_save(db *d, int64_t id, const char *body, const offer_cols *c, bool new_version,
                     int64_t actor, int64_t now)
{
    db_val p[] = {DBI(id),
                  DBT(body),
                  DBT(c->title ? c->title : ""),
                  DBT(c->prefecture),
                  DBT(c->municipality),
                  DBI(c->licence_mask),
                  DBT(c->employment_form),
                  DBI(c->shift_mask),
                  DBI(c->flag_mask),
                  DBT(c->wage_type),
                  opt64(c->wage_min),
                  opt64(c->positions),
                  DBI(now),
                  DBI(new_version ? 1 : 0)};
    int rc = db_query(d,
                      "UPDATE offers SET body = $2, title = $3, prefecture_code = $4, "
                      "municipality_code = $5, licence_mask = $6, employment_form = $7, "
                      "shift_mask = $8, flag_mask = $9, wage_type = $10, wage_min = $11, "
                      "positions = $12, updated_at = $13, version = version + $14 WHERE id = $1",
                      p, 14, NULL);
    if (rc != DB_OK)
        return rc;
    db_val v[] = {DBI(id), DBT(body), actor ? DBI(actor) : DBNULL, DBI(now)};
    if (new_version)
        return db_query(d,
                        "INSERT INTO offer_versions (offer_id, version, body, created_by, "
                        "created_at) SELECT id, version, $2, $3, $4 FROM offers WHERE id = $1",
                        v, 4, NULL);
    return db_query(d,
                    "UPDATE offer_versions SET body = $2, created_by = $3, created_at = $4 WHERE "
                    "offer_id = $1 AND version = (SELECT version FROM offers WHERE id = $1)",
                    v, 4, NULL);
}

int store_offer_set_status(db *d, int64_t id, const char *status, int64_t now)
{
    db_val p[] = {DBI(id), DBT(status), DBI(now)};
    return db_query(d, "UPDATE offers SET status = $2, updated_at = $3 WHERE id = $1", p, 3, NULL);
}

int store_offer_event(db *d, int64_t id, int64_t actor, const char *action, const char *detail,
                      int64_t now)
{
    db_val p[] = {DBI(id), DBI(now), actor ? DBI(actor) : DBNULL, DBT(action),
                  DBT(detail ? detail : "{}")};
    return db_query(d,
                    "INSERT INTO offer_events (offer_id, at, actor_user_id, action, detail) VALUES "
                    "($1, $2, $3, $4, $5)",
                    p, 5, NULL);
}

int store_offer_publish(db *d, int64_t id, const char *pref, int fiscal_year,
                        const char *valid_until, const char *reason, int64_t now)
{
    db_val q[] = {DBI(id)};
    int64_t has_no = 0;
    int rc = db_scalar(d, "SELECT COUNT(*) FROM offers WHERE id = $1 AND offer_no IS NOT NULL", q,
                       1, &has_no);
    char no[32] = "";
    if (rc == DB_OK && !has_no) {
        db_val p[] = {DBT(pref), DBI(fiscal_year)};
        int64_t seq = 0;
        rc = db_scalar(d,
                       "INSERT INTO offer_numbers (prefecture_code, fiscal_year, last_seq) VALUES "
                       "($1, $2, 1) ON CONFLICT (prefecture_code, fiscal_year) DO UPDATE SET "
                       "last_seq = offer_numbers.last_seq + 1 RETURNING last_seq",
                       p, 2, &seq);
        if (rc == DB_OK)
            snprintf(no, sizeof no, "%s-%04d-%06lld", pref, fiscal_year, (long long)seq);
    }
    if (rc != DB_OK)
        return rc;
    db_val u[] = {DBI(id), DBT(no[0] ? no : NULL), DBT(valid_until), DBT(reason), DBI(now)};
    return db_query(d,
                    "UPDATE offers SET status = 'published', offer_no = COALESCE(offer_no, $2), "
                    "published_at = COALESCE(published_at, $5), valid_until = $3, "
                    "review_reason = $4, refusal_ground = NULL, updated_at = $5 WHERE id = $1",
                    u, 5, NULL);
}

int store_offer_review_note(db *d, int64_t id, const char *reason, const char *ground, int64_t now)
{
    db_val p[] = {DBI(id), DBT(reason), DBT(ground), DBI(now)};
    return db_query(d,
                    "UPDATE offers SET review_reason = $2, refusal_ground = $3, updated_at = $4 "
                    "WHERE id = $1",
                    p, 4, NULL);
}

int store_offer_close(db *d, int64_t id, const char *reason, int64_t now)
{
    db_val p[] = {DBI(id), DBT(reason), DBI(now)};
    return db_query(d,
                    "UPDATE offers SET status = 'closed', close_reason = $2, updated_at = $3 "
                    "WHERE id = $1",
                    p, 3, NULL);
}

int store_offer_set_valid_until(db *d, int64_t id, const char *valid_until, int64_t now)
{
    db_val p[] = {DBI(id), DBT(valid_until), DBI(now)};
    return db_query(d, "UPDATE offers SET valid_until = $2, updated_at = $3 WHERE id = $1", p, 3,
                    NULL);
}

int store_offers_expire(db *d, const char *today, int64_t now, int64_t *n)
{
    db_val p[] = {DBT(today), DBI(now)};
    int rc = db_query(d,
                      "INSERT INTO offer_events (offer_id, at, action) SELECT id, $2, 'expired' "
                      "FROM offers WHERE status = 'published' AND valid_until < $1",
                      p, 2, NULL);
    if (rc != DB_OK)
        return rc;
    db_res *r = NULL;
    rc = db_query(d,
                  "UPDATE offers SET status = 'expired', updated_at = $2 WHERE status = "
                  "'published' AND valid_until < $1 RETURNING id",
                  p, 2, &r);
    *n = rc == DB_OK ? r->nrows : 0;
    db_res_free(r);
    return rc;
}
