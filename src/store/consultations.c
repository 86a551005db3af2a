/* Queries for consultations (相談), the sensitive compartment and the staff grants. */
#include "store/consultations.h"
#include <stdlib.h>
#include <string.h>

static db_val opt_text(const char *s)
{
    return (s && *s) ? DBT(s) : DBNULL;
}

static db_val opt_id(int64_t id)
{
    return id > 0 ? DBI(id) : DBNULL;
}

int store_consultation_insert(db *d, const consult_new *c, int64_t now, int64_t *id)
{
    db_val p[] = {DBT(c->prefecture),
                  DBI(c->counselor_id),
                  DBT(c->client_kind),
                  opt_id(c->user_id),
                  opt_id(c->facility_id),
                  opt_text(c->client_name),
                  DBT(c->channel),
                  opt_text(c->outreach_place),
                  DBT(c->category),
                  DBT(c->consulted_on),
                  DBT(c->summary),
                  DBI(c->has_sensitive ? 1 : 0),
                  opt_text(c->follow_up_on),
                  opt_text(c->follow_up_note),
                  DBI(now),
                  opt_text(c->campaign)};
    int64_t v = 0;
    int rc = db_scalar(d,
                       "INSERT INTO consultations (prefecture_code, counselor_id, client_kind, "
                       "user_id, facility_id, client_name, channel, outreach_place, category, "
                       "consulted_on, summary, has_sensitive, follow_up_on, follow_up_note, "
                       "created_at, updated_at, campaign) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
                       "$9, $10, $11, $12, $13, $14, $15, $15, $16) RETURNING id",
                       p, 16, &v);
    if (rc == DB_OK && v <= 0)
        rc = DB_ERROR;
    if (id)
        *id = v;
    return rc;
}

int store_consultation_sensitive_put(db *d, int64_t id, const char *note, int64_t by, int64_t now)
{
    db_val p[] = {DBI(id), DBT(note), DBI(by), DBI(now)};
    return db_query(d,
                    "INSERT INTO consultation_sensitive (consultation_id, note, written_by, "
                    "written_at) VALUES ($1, $2, $3, $4)",
                    p, 4, NULL);
}

int store_consultation_sensitive_get(db *d, int64_t id, char **note)
{
    *note = NULL;
    db_val p[] = {DBI(id)};
    db_res *res = NULL;
    int rc = db_query(d, "SELECT note FROM consultation_sensitive WHERE consultation_id = $1", p, 1,
                      &res);
    if (rc == DB_OK && res->nrows > 0 && db_text(res, 0, 0)) {
        *note = strdup(db_text(res, 0, 0));
        if (!*note)
            rc = DB_ERROR;
    }
    db_res_free(res);
    return rc;
}

/* The CQ_* columns, in their order. */
#define CONSULT_SELECT                                                                             \
    "SELECT c.id, c.prefecture_code, p.name, c.counselor_id, cu.name, c.client_kind, c.user_id, "  \
    "pu.name, c.facility_id, f.name, c.client_name, c.channel, c.outreach_place, c.category, "     \
    "c.consulted_on, c.summary, c.has_sensitive, c.follow_up_on, c.follow_up_note, c.created_at, " \
    "c.campaign FROM consultations c JOIN prefectures p ON p.code = c.prefecture_code "            \
    "JOIN users cu ON cu.id = c.counselor_id LEFT JOIN users pu ON pu.id = c.user_id "             \
    "LEFT JOIN facilities f ON f.id = c.facility_id "

int store_consultation_get(db *d, int64_t id, db_res **out)
{
    db_val p[] = {DBI(id)};
    int rc = db_query(d, CONSULT_SELECT "WHERE c.id = $1", p, 1, out);
    if (rc == DB_OK && (*out)->nrows == 0)
        rc = DB_NOTFOUND;
    return rc;
}

/* The filter's conditions on $1..$6 (NULL parameters match everything). */
#define CONSULT_WHERE                                                                              \
    "WHERE ($1 = '' OR c.prefecture_code = $1) AND (c.user_id = $2 OR $2 IS NULL) AND "            \
    "(c.facility_id = $3 OR $3 IS NULL) AND (c.category = $4 OR $4 IS NULL) AND "                  \
    "(c.consulted_on >= $5 OR $5 IS NULL) AND (c.consulted_on <= $6 OR $6 IS NULL) "

static void filter_params(const consult_filter *f, db_val *p)
{
    p[0] = DBT(f->prefecture ? f->prefecture : "");
    p[1] = opt_id(f->person_id);
    p[2] = opt_id(f->facility_id);
    p[3] = opt_text(f->category);
    p[4] = opt_text(f->from);
    p[5] = opt_text(f->to);
}

int store_consultations_list(db *d, const consult_filter *f, int64_t limit, int64_t offset,
                             int64_t *total, db_res **out)
{
    db_val p[8];
    filter_params(f, p);
    p[6] = DBI(limit);
    p[7] = DBI(offset);
    *out = NULL;
    int rc = db_scalar(d, "SELECT COUNT(*) FROM consultations c " CONSULT_WHERE, p, 6, total);
    if (rc == DB_OK)
        rc = db_query(d,
                      CONSULT_SELECT CONSULT_WHERE
                      "ORDER BY c.consulted_on DESC, c.id DESC LIMIT $7 OFFSET $8",
                      p, 8, out);
    return rc;
}

int store_consultations_export(db *d, const consult_filter *f, const char *after_on,
                               int64_t after_id, int64_t limit, db_res **out)
{
    db_val p[9];
    filter_params(f, p);
    p[6] = DBT(after_on ? after_on : "");
    p[7] = DBI(after_id);
    p[8] = DBI(limit);
    return db_query(d,
                    CONSULT_SELECT CONSULT_WHERE
                    "AND (c.consulted_on > $7 OR (c.consulted_on = $7 AND c.id > $8)) "
                    "ORDER BY c.consulted_on, c.id LIMIT $9",
                    p, 9, out);
}

/* ---- staff and grants ---------------------------------------------------------------------- */

#define STAFF_SELECT                                                                               \
    "SELECT u.id, u.name, u.role, CASE WHEN g.user_id IS NULL THEN 0 ELSE 1 END FROM users u "     \
    "LEFT JOIN staff_grants g ON g.user_id = u.id AND g.grant_name = 'mental_health' "             \
    "WHERE u.role IN ('counselor', 'center_admin') AND u.prefecture_code = $1 "

int store_staff_list(db *d, const char *pref, db_res **out)
{
    db_val p[] = {DBT(pref)};
    return db_query(d, STAFF_SELECT "AND u.status = 'active' ORDER BY u.id", p, 1, out);
}

int store_staff_get(db *d, int64_t id, const char *pref, db_res **out)
{
    db_val p[] = {DBT(pref), DBI(id)};
    int rc = db_query(d, STAFF_SELECT "AND u.id = $2", p, 2, out);
    if (rc == DB_OK && (*out)->nrows == 0)
        rc = DB_NOTFOUND;
    return rc;
}

int store_grant_has(db *d, int64_t uid, const char *grant, bool *yes)
{
    db_val p[] = {DBI(uid), DBT(grant)};
    int64_t n = 0;
    int rc = db_scalar(
        d, "SELECT COUNT(*) FROM staff_grants WHERE user_id = $1 AND grant_name = $2", p, 2, &n);
    *yes = rc == DB_OK && n > 0;
    return rc;
}

int store_grant_set(db *d, int64_t uid, const char *grant, bool on, int64_t by, int64_t now)
{
    if (!on) {
        db_val p[] = {DBI(uid), DBT(grant)};
        return db_query(d, "DELETE FROM staff_grants WHERE user_id = $1 AND grant_name = $2", p, 2,
                        NULL);
    }
    db_val p[] = {DBI(uid), DBT(grant), DBI(by), DBI(now)};
    return db_query(d,
                    "INSERT INTO staff_grants (user_id, grant_name, granted_by, granted_at) "
                    "VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, grant_name) DO NOTHING",
                    p, 4, NULL);
}
