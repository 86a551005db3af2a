#include "store/saved_searches.h"
#include "store/db_json.h"
#include "util/str.h"
#include <string.h>

#define SS_COLUMNS "id, name, query, notify, last_mailed_at, created_at, updated_at"

/* Row i (SS_COLUMNS) as the API object (new reference). */
static json_t *ss_json(const db_res *r, int i)
{
    json_error_t jerr;
    const char *q = db_text(r, i, 2);
    json_t *query = q ? json_loads(q, JSON_REJECT_DUPLICATES, &jerr) : NULL;
    if (!json_is_object(query)) {
        json_decref(query);
        query = json_object();
    }
    return json_pack("{s:I,s:s,s:o,s:b,s:o,s:I,s:I}", "id", (json_int_t)db_int(r, i, 0), "name",
                     db_text(r, i, 1) ? db_text(r, i, 1) : "", "query", query, "notify",
                     db_int(r, i, 3) != 0, "last_mailed_at", dbj_int(r, i, 4), "created_at",
                     (json_int_t)db_int(r, i, 5), "updated_at", (json_int_t)db_int(r, i, 6));
}

json_t *store_saved_searches_json(db *d, int64_t uid, int *rc)
{
    db_val p[] = {DBI(uid)};
    db_res *r = NULL;
    *rc = db_query(d,
                   "SELECT " SS_COLUMNS " FROM saved_searches WHERE user_id = $1 "
                   "ORDER BY id DESC",
                   p, 1, &r);
    if (*rc != DB_OK)
        return NULL;
    json_t *items = json_array();
    for (int i = 0; i < r->nrows; i++)
        json_array_append_new(items, ss_json(r, i));
    db_res_free(r);
    return items;
}

json_t *store_saved_search_json(db *d, int64_t uid, int64_t id, int *rc)
{
    db_val p[] = {DBI(uid), DBI(id)};
    db_res *r = NULL;
    *rc = db_query(d, "SELECT " SS_COLUMNS " FROM saved_searches WHERE user_id = $1 AND id = $2", p,
                   2, &r);
    if (*rc != DB_OK)
        return NULL;
    json_t *o = r->nrows ? ss_json(r, 0) : NULL;
    if (!o)
        *rc = DB_NOTFOUND;
    db_res_free(r);
    return o;
}

int store_saved_search_count(db *d, int64_t uid, int64_t *n)
{
    db_val p[] = {DBI(uid)};
    return db_scalar(d, "SELECT COUNT(*) FROM saved_searches WHERE user_id = $1", p, 1, n);
}

int store_saved_search_insert(db *d, int64_t uid, const char *name, const char *query, bool notify,
                              int64_t now, int64_t *id)
{
    db_val p[] = {DBI(uid), DBT(name), DBT(query), DBI(notify ? 1 : 0), DBI(now)};
    db_res *r = NULL;
    int rc = db_query(d,
                      "INSERT INTO saved_searches (user_id, name, query, notify, last_digest_at, "
                      "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5, $5) RETURNING id",
                      p, 5, &r);
    if (rc == DB_OK)
        *id = r->nrows ? db_int(r, 0, 0) : 0;
    db_res_free(r);
    return rc;
}

int store_saved_search_update(db *d, int64_t uid, int64_t id, const char *name, const char *query,
                              int notify, int64_t now)
{
    db_val p[] = {DBI(uid), DBI(id), DBT(name), DBT(query), DBI(notify), DBI(now)};
    db_res *r = NULL;
    int rc = db_query(
        d,
        "UPDATE saved_searches SET name = COALESCE($3, name), query = COALESCE($4, query), "
        "last_digest_at = CASE WHEN $5 = 1 AND notify = 0 THEN $6 ELSE last_digest_at END, "
        "notify = CASE WHEN $5 < 0 THEN notify ELSE $5 END, updated_at = $6 "
        "WHERE user_id = $1 AND id = $2 RETURNING id",
        p, 6, &r);
    if (rc == DB_OK && r->nrows == 0)
        rc = DB_NOTFOUND;
    db_res_free(r);
    return rc;
}

int store_saved_search_delete(db *d, int64_t uid, int64_t id)
{
    db_val p[] = {DBI(uid), DBI(id)};
    int rc = db_query(d,
                      "DELETE FROM mail_tokens WHERE saved_search_id = $2 AND user_id = $1 AND "
                      "EXISTS (SELECT 1 FROM saved_searches WHERE id = $2 AND user_id = $1)",
                      p, 2, NULL);
    if (rc != DB_OK)
        return rc;
    db_res *r = NULL;
    rc = db_query(d, "DELETE FROM saved_searches WHERE user_id = $1 AND id = $2 RETURNING id", p, 2,
                  &r);
    if (rc == DB_OK && r->nrows == 0)
        rc = DB_NOTFOUND;
    db_res_free(r);
    return rc;
}

int store_seeker_mail_enabled(db *d, int64_t uid, bool *yes)
{
    db_val p[] = {DBI(uid)};
    int64_t n = 0;
    int rc = db_scalar(d,
                       "SELECT COUNT(*) FROM seekers WHERE user_id = $1 AND status = 'active' "
                       "AND email_consent = 1",
                       p, 1, &n);
    *yes = n > 0;
    return rc;
}

/* ---- mail tokens ------------------------------------------------------------------------ */

int store_mail_token_insert(db *d, const char *token_hash, const char *kind, int64_t uid,
                            int64_t saved_search_id, int64_t now, int64_t expires_at)
{
    db_val p[] = {DBT(token_hash), DBT(kind),
                  DBI(uid),        saved_search_id > 0 ? DBI(saved_search_id) : DBNULL,
                  DBI(now),        DBI(expires_at)};
    return db_query(d,
                    "INSERT INTO mail_tokens (token_hash, kind, user_id, saved_search_id, "
                    "created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
                    p, 6, NULL);
}

int store_unsubscribe(db *d, const char *token_hash, int64_t now, char *name, size_t cap)
{
    db_val p[] = {DBT(token_hash), DBI(now)};
    db_res *r = NULL;
    int rc = db_query(d,
                      "UPDATE saved_searches SET notify = 0, updated_at = $2 WHERE id = (SELECT "
                      "saved_search_id FROM mail_tokens WHERE token_hash = $1 AND kind = "
                      "'unsubscribe' AND expires_at > $2) RETURNING name",
                      p, 2, &r);
    if (rc == DB_OK) {
        if (r->nrows == 0)
            rc = DB_NOTFOUND;
        else
            str_copy(name, cap, db_text(r, 0, 0));
    }
    db_res_free(r);
    if (rc == DB_OK) /* first use, for the record */
        rc = db_query(d,
                      "UPDATE mail_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS "
                      "NULL",
                      p, 2, NULL);
    return rc;
}

int store_renew_token_take(db *d, const char *token_hash, int64_t now, int64_t *uid)
{
    db_val p[] = {DBT(token_hash), DBI(now)};
    db_res *r = NULL;
    int rc = db_query(d,
                      "UPDATE mail_tokens SET used_at = $2 WHERE token_hash = $1 AND kind = "
                      "'renew' AND used_at IS NULL AND expires_at > $2 RETURNING user_id",
                      p, 2, &r);
    if (rc == DB_OK) {
        if (r->nrows == 0)
            rc = DB_NOTFOUND;
        else
            *uid = db_int(r, 0, 0);
    }
    db_res_free(r);
    return rc;
}

int store_mail_tokens_purge(db *d, int64_t before)
{
    db_val p[] = {DBI(before)};
    return db_query(d, "DELETE FROM mail_tokens WHERE expires_at < $1", p, 1, NULL);
}

/* ---- the nurse mail jobs ---------------------------------------------------------------- */

int store_digests_due(db *d, int64_t due_before, int limit, db_res **out)
{
    db_val p[] = {DBI(due_before), DBI(limit)};
    return db_query(
        d,
        "SELECT ss.id, ss.user_id, ss.name, ss.query, ss.last_digest_at, u.email, u.name, "
        "CASE WHEN u.status = 'active' AND s.status = 'active' AND s.email_consent = 1 THEN 1 "
        "ELSE 0 END FROM saved_searches ss JOIN users u ON u.id = ss.user_id "
        "LEFT JOIN seekers s ON s.user_id = ss.user_id "
        "WHERE ss.notify = 1 AND ss.last_digest_at <= $1 "
        "ORDER BY ss.last_digest_at, ss.id LIMIT $2",
        p, 2, out);
}

int store_digest_done(db *d, int64_t id, int64_t cutoff, int64_t mailed_at)
{
    db_val p[] = {DBI(id), DBI(cutoff), mailed_at > 0 ? DBI(mailed_at) : DBNULL};
    return db_query(d,
                    "UPDATE saved_searches SET last_digest_at = $2, "
                    "last_mailed_at = COALESCE($3, last_mailed_at) WHERE id = $1",
                    p, 3, NULL);
}

int store_reminders_due(db *d, const char *from, const char *to, int limit, db_res **out)
{
    db_val p[] = {DBT(from), DBT(to), DBI(limit)};
    return db_query(d,
                    "SELECT s.user_id, u.email, u.name, s.valid_until FROM seekers s "
                    "JOIN users u ON u.id = s.user_id WHERE s.status = 'active' AND "
                    "s.valid_until >= $1 AND s.valid_until <= $2 AND (s.reminded_for IS NULL "
                    "OR s.reminded_for <> s.valid_until) AND u.status = 'active' "
                    "ORDER BY s.valid_until, s.user_id LIMIT $3",
                    p, 3, out);
}

int store_reminder_done(db *d, int64_t uid, const char *valid_until)
{
    db_val p[] = {DBI(uid), DBT(valid_until)};
    return db_query(d, "UPDATE seekers SET reminded_for = $2 WHERE user_id = $1", p, 2, NULL);
}

int store_seekers_expire(db *d, const char *today, int64_t now, int64_t *n)
{
    db_val p[] = {DBT(today), DBI(now)};
    db_res *r = NULL;
    int rc = db_query(d,
                      "UPDATE seekers SET status = 'closed', closed_reason = 'expired', "
                      "updated_at = $2 WHERE status IN ('active', 'paused') AND valid_until < $1 "
                      "RETURNING user_id",
                      p, 2, &r);
    *n = rc == DB_OK ? r->nrows : 0;
    db_res_free(r);
    return rc;
}
