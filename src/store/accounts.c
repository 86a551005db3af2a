#include "store/accounts.h"
#include "util/str.h"
#include <string.h>

#define USER_COLS                                                                                  \
    "id, email, role, status, email_verified_at IS NOT NULL, COALESCE(password_hash, ''), name, "  \
    "name_kana, COALESCE(phone, ''), COALESCE(prefecture_code, ''), COALESCE(facility_id, 0), "    \
    "channel, created_at"

static void fill_account(const db_res *r, account *a)
{
    memset(a, 0, sizeof *a);
    a->id = db_int(r, 0, 0);
    str_copy(a->email, sizeof a->email, db_text(r, 0, 1));
    str_copy(a->role, sizeof a->role, db_text(r, 0, 2));
    str_copy(a->status, sizeof a->status, db_text(r, 0, 3));
    const char *v = db_text(r, 0, 4);
    a->verified = v && (v[0] == '1' || v[0] == 't');
    str_copy(a->password_hash, sizeof a->password_hash, db_text(r, 0, 5));
    str_copy(a->name, sizeof a->name, db_text(r, 0, 6));
    str_copy(a->name_kana, sizeof a->name_kana, db_text(r, 0, 7));
    str_copy(a->phone, sizeof a->phone, db_text(r, 0, 8));
    str_copy(a->prefecture, sizeof a->prefecture, db_text(r, 0, 9));
    a->facility_id = db_int(r, 0, 10);
    str_copy(a->channel, sizeof a->channel, db_text(r, 0, 11));
    a->created_at = db_int(r, 0, 12);
}

static int one_user(db *d, const char *sql, db_val p, account *out)
{
    db_res *r = NULL;
    int rc = db_query(d, sql, &p, 1, &r);
    if (rc == DB_OK) {
        if (r->nrows == 0)
            rc = DB_NOTFOUND;
        else
            fill_account(r, out);
    }
    db_res_free(r);
    return rc;
}

int store_user_by_email(db *d, const char *email, account *out)
{
    return one_user(d, "SELECT " USER_COLS " FROM users WHERE email = $1", DBT(email), out);
}

int store_user_by_id(db *d, int64_t id, account *out)
{
    return one_user(d, "SELECT " USER_COLS " FROM users WHERE id = $1", DBI(id), out);
}

int store_user_insert(db *d, const account *a, bool verified, int64_t now, int64_t *id)
{
    db_val p[] = {DBT(a->email),
                  verified ? DBI(now) : DBNULL,
                  DBT(a->password_hash[0] ? a->password_hash : NULL),
                  DBT(a->role),
                  DBT(a->name),
                  DBT(a->name_kana),
                  DBT(a->phone[0] ? a->phone : NULL),
                  DBT(a->prefecture[0] ? a->prefecture : NULL),
                  a->facility_id ? DBI(a->facility_id) : DBNULL,
                  DBT(a->channel),
                  DBI(now)};
    int64_t v = 0;
    int rc = db_scalar(d,
                       "INSERT INTO users (email, email_verified_at, password_hash, role, name, "
                       "name_kana, phone, prefecture_code, facility_id, channel, created_at, "
                       "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) "
                       "RETURNING id",
                       p, 11, &v);
    *id = v;
    return rc;
}

int store_user_set_password(db *d, int64_t id, const char *hash, int64_t now)
{
    db_val p[] = {DBI(id), DBT(hash), DBI(now)};
    return db_query(d, "UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1", p, 3,
                    NULL);
}

int store_user_set_verified(db *d, int64_t id, int64_t now)
{
    db_val p[] = {DBI(id), DBI(now)};
    return db_query(d,
                    "UPDATE users SET email_verified_at = COALESCE(email_verified_at, $2), "
                    "updated_at = $2 WHERE id = $1",
                    p, 2, NULL);
}

int store_user_set_email(db *d, int64_t id, const char *email, int64_t now)
{
    db_val p[] = {DBI(id), DBT(email), DBI(now)};
    return db_query(d,
                    "UPDATE users SET email = $2, email_verified_at = $3, updated_at = $3 "
                    "WHERE id = $1",
                    p, 3, NULL);
}

int store_licence_insert(db *d, int64_t user_id, const char *type, const char *number,
                         const char *registered_on)
{
    db_val p[] = {DBI(user_id), DBT(type), DBT(number), DBT(registered_on)};
    return db_query(d,
                    "INSERT INTO licences (user_id, type, number, registered_on) "
                    "VALUES ($1, $2, $3, $4)",
                    p, 4, NULL);
}

int store_facility_insert(db *d, const char *name, const char *kana, const char *pref,
                          const char *muni, const char *type, const char *phone, int64_t now,
                          int64_t *id)
{
    db_val p[] = {DBT(name), DBT(kana), DBT(pref), DBT(muni), DBT(type), DBT(phone), DBI(now)};
    return db_scalar(d,
                     "INSERT INTO facilities (name, name_kana, prefecture_code, municipality_code, "
                     "facility_type, phone, created_at, updated_at) "
                     "VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
                     p, 7, id);
}

int store_session_lookup(db *d, const char *token_hash, int64_t now, int idle, int absolute,
                         int64_t *sid, int64_t *user_id, char *csrf, size_t csrf_cap,
                         int64_t *last_seen)
{
    db_val p[] = {DBT(token_hash), DBI(now - idle), DBI(now - absolute)};
    db_res *r = NULL;
    int rc = db_query(d,
                      "SELECT s.id, s.user_id, s.csrf_token, s.last_seen_at FROM sessions s "
                      "JOIN users u ON u.id = s.user_id "
                      "WHERE s.token_hash = $1 AND s.last_seen_at > $2 AND s.created_at > $3 "
                      "AND u.status = 'active'",
                      p, 3, &r);
    if (rc == DB_OK) {
        if (r->nrows == 0) {
            rc = DB_NOTFOUND;
        } else {
            *sid = db_int(r, 0, 0);
            *user_id = db_int(r, 0, 1);
            str_copy(csrf, csrf_cap, db_text(r, 0, 2));
            *last_seen = db_int(r, 0, 3);
        }
    }
    db_res_free(r);
    return rc;
}

int store_session_insert(db *d, const char *token_hash, int64_t user_id, const char *csrf,
                         int64_t now, const char *ip, const char *ua)
{
    db_val p[] = {DBT(token_hash), DBI(user_id), DBT(csrf), DBI(now), DBT(ip), DBT(ua)};
    return db_query(d,
                    "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, "
                    "last_seen_at, ip, user_agent) VALUES ($1, $2, $3, $4, $4, $5, $6)",
                    p, 6, NULL);
}

int store_session_touch(db *d, int64_t sid, int64_t now)
{
    db_val p[] = {DBI(sid), DBI(now)};
    return db_query(d, "UPDATE sessions SET last_seen_at = $2 WHERE id = $1", p, 2, NULL);
}

int store_session_delete(db *d, int64_t sid)
{
    db_val p[] = {DBI(sid)};
    return db_query(d, "DELETE FROM sessions WHERE id = $1", p, 1, NULL);
}

int store_sessions_delete_user(db *d, int64_t user_id, int64_t keep)
{
    db_val p[] = {DBI(user_id), DBI(keep)};
    return db_query(d, "DELETE FROM sessions WHERE user_id = $1 AND id <> $2", p, 2, NULL);
}

int store_token_insert(db *d, const char *token_hash, const char *kind, int64_t user_id,
                       const char *new_email, int64_t now, int64_t expires_at)
{
    db_val p[] = {DBT(token_hash), DBT(kind), DBI(user_id),
                  DBT(new_email),  DBI(now),  DBI(expires_at)};
    return db_query(d,
                    "INSERT INTO tokens (token_hash, kind, user_id, new_email, created_at, "
                    "expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
                    p, 6, NULL);
}

int store_token_take(db *d, const char *token_hash, const char *kind_a, const char *kind_b,
                     int64_t now, int64_t *user_id, char *kind, size_t kind_cap, char *new_email,
                     size_t email_cap)
{
    db_val p[] = {DBT(token_hash), DBI(now), DBT(kind_a), DBT(kind_b)};
    db_res *r = NULL;
    int rc = db_query(d,
                      "UPDATE tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL "
                      "AND expires_at > $2 AND (kind = $3 OR kind = $4) "
                      "RETURNING user_id, kind, COALESCE(new_email, '')",
                      p, 4, &r);
    if (rc == DB_OK) {
        if (r->nrows == 0) {
            rc = DB_NOTFOUND;
        } else {
            *user_id = db_int(r, 0, 0);
            str_copy(kind, kind_cap, db_text(r, 0, 1));
            str_copy(new_email, email_cap, db_text(r, 0, 2));
        }
    }
    db_res_free(r);
    return rc;
}

int store_tokens_recent(db *d, int64_t user_id, const char *kind, int64_t since, int64_t *count)
{
    db_val p[] = {DBI(user_id), DBT(kind), DBI(since)};
    return db_scalar(d,
                     "SELECT COUNT(*) FROM tokens WHERE user_id = $1 AND kind = $2 AND "
                     "created_at > $3",
                     p, 3, count);
}

int store_login_failures(db *d, const char *email, const char *ip, int64_t since, int64_t *by_email,
                         int64_t *by_ip, int64_t *oldest_email, int64_t *oldest_ip)
{
    db_val p[] = {DBT(email), DBT(ip), DBI(since)};
    db_res *r = NULL;
    int rc = db_query(d,
                      "SELECT (SELECT COUNT(*) FROM login_attempts WHERE email = $1 AND at > $3), "
                      "(SELECT COUNT(*) FROM login_attempts WHERE ip = $2 AND at > $3), "
                      "(SELECT MIN(at) FROM login_attempts WHERE email = $1 AND at > $3), "
                      "(SELECT MIN(at) FROM login_attempts WHERE ip = $2 AND at > $3)",
                      p, 3, &r);
    if (rc == DB_OK) {
        *by_email = db_int(r, 0, 0);
        *by_ip = db_int(r, 0, 1);
        *oldest_email = db_int(r, 0, 2);
        *oldest_ip = db_int(r, 0, 3);
    }
    db_res_free(r);
    return rc;
}

int store_login_failure_add(db *d, const char *email, const char *ip, int64_t now)
{
    db_val p[] = {DBI(now), DBT(email), DBT(ip)};
    return db_query(d, "INSERT INTO login_attempts (at, email, ip) VALUES ($1, $2, $3)", p, 3,
                    NULL);
}

int store_login_failures_clear(db *d, const char *email)
{
    db_val p[] = {DBT(email)};
    return db_query(d, "DELETE FROM login_attempts WHERE email = $1", p, 1, NULL);
}

int store_audit_add(db *d, int64_t now, int64_t actor, const char *actor_role,
                    const char *actor_pref, int64_t subject, const char *action, const char *target,
                    const char *ip)
{
    db_val p[] = {
        DBI(now),     DBI(actor),  DBT(actor_role), DBT(actor_pref[0] ? actor_pref : NULL),
        DBI(subject), DBT(action), DBT(target),     DBT(ip)};
    return db_query(d,
                    "INSERT INTO audit_log (at, actor_user_id, actor_role, actor_prefecture, "
                    "subject_user_id, action, target, ip) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    p, 8, NULL);
}
