/* The casework queue (tasks), center settings and the scope lookups of center records. */
#include "store/casework.h"
#include "store/accounts.h"
#include "util/holidays.h"
#include "util/str.h"
#include "util/timeutil.h"

static int scope_pref(db *d, const char *sql, int64_t id, char *pref, size_t cap)
{
    db_val p[] = {DBI(id)};
    db_res *res = NULL;
    int rc = db_query(d, sql, p, 1, &res);
    if (rc == DB_OK && res->nrows == 0)
        rc = DB_NOTFOUND;
    if (rc == DB_OK)
        str_copy(pref, cap, db_text(res, 0, 0));
    db_res_free(res);
    return rc;
}

int store_task_scope(db *d, int64_t id, char *pref, size_t cap)
{
    return scope_pref(d, "SELECT prefecture_code FROM tasks WHERE id = $1", id, pref, cap);
}

int store_consultation_scope(db *d, int64_t id, char *pref, size_t cap)
{
    return scope_pref(d, "SELECT prefecture_code FROM consultations WHERE id = $1", id, pref, cap);
}

int store_center_contact_days(db *d, const char *pref, int *days)
{
    db_val p[] = {DBT(pref)};
    int64_t v = 0;
    int rc = db_scalar(
        d, "SELECT first_contact_days FROM center_settings WHERE prefecture_code = $1", p, 1, &v);
    *days = (rc == DB_OK && v > 0) ? (int)v : CASEWORK_DEFAULT_CONTACT_DAYS;
    return rc;
}

int store_task_open(db *d, const char *pref, const char *kind, int64_t user_id,
                    int64_t notification_id, int64_t consultation_id, const char *due_on,
                    int64_t now, int64_t *id)
{
    db_val p[] = {DBT(pref),
                  DBT(kind),
                  user_id ? DBI(user_id) : DBNULL,
                  notification_id ? DBI(notification_id) : DBNULL,
                  consultation_id ? DBI(consultation_id) : DBNULL,
                  DBT(due_on),
                  DBI(now)};
    int64_t v = 0;
    int rc = db_scalar(d,
                       "INSERT INTO tasks (prefecture_code, kind, user_id, notification_id, "
                       "consultation_id, due_on, status, created_at, updated_at) "
                       "VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $7) RETURNING id",
                       p, 7, &v);
    if (id)
        *id = v;
    return rc;
}

int store_task_open_contact(db *d, const char *pref, const char *kind, int64_t user_id,
                            int64_t notification_id, int64_t now)
{
    int days;
    int rc = store_center_contact_days(d, pref, &days);
    if (rc != DB_OK)
        return rc;
    char today[11], due[11];
    time_jst_date(now, today, sizeof today);
    if (jp_add_business_days(today, days, due, sizeof due) != 0)
        return DB_ERROR;
    return store_task_open(d, pref, kind, user_id, notification_id, 0, due, now, NULL);
}
