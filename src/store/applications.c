#include "store/applications.h"
#include "util/str.h"
#include <stdio.h>
#include <string.h>

int store_app_get(db *d, int64_t id, app_rec *out)
{
    db_val p[] = {DBI(id)};
    db_res *r = NULL;
    int rc = db_query(d,
                      "SELECT id, seeker_user_id, offer_id, facility_id, prefecture_code, state, "
                      "start_date, referred_at, updated_at FROM applications WHERE id = $1",
                      p, 1, &r);
    if (rc != DB_OK)
        return rc;
    if (r->nrows == 0) {
        db_res_free(r);
        return DB_NOTFOUND;
    }
    memset(out, 0, sizeof *out);
    out->id = db_int(r, 0, 0);
    out->seeker_id = db_int(r, 0, 1);
    out->offer_id = db_int(r, 0, 2);
    out->facility_id = db_int(r, 0, 3);
    str_copy(out->prefecture, sizeof out->prefecture, db_text(r, 0, 4));
    str_copy(out->state, sizeof out->state, db_text(r, 0, 5));
    str_copy(out->start_date, sizeof out->start_date, db_text(r, 0, 6) ? db_text(r, 0, 6) : "");
    out->referred_at = db_int(r, 0, 7);
    out->updated_at = db_int(r, 0, 8);
    db_res_free(r);
    return DB_OK;
}

int store_app_scope(db *d, int64_t id, authz_app *out)
{
    app_rec a;
    int rc = store_app_get(d, id, &a);
    if (rc != DB_OK)
        return rc;
    memset(out, 0, sizeof *out);
    out->seeker_id = a.seeker_id;
    out->facility_id = a.facility_id;
    str_copy(out->prefecture, sizeof out->prefecture, a.prefecture);
    out->referred = a.referred_at != 0;
    return DB_OK;
}

int store_app_create(db *d, const app_new *n, int64_t now, int64_t *id)
{
    db_val p[] = {DBI(n->seeker_id), DBI(n->offer_id), DBI(n->facility_id), DBT(n->prefecture),
                  DBT(n->state),     DBT(n->origin),   DBI(n->created_by),  DBI(now)};
    return db_scalar(d,
                     "INSERT INTO applications (seeker_user_id, offer_id, facility_id, "
                     "prefecture_code, state, origin, is_open, created_by, created_at, updated_at) "
                     "VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $8) RETURNING id",
                     p, 8, id);
}

static db_val opt_text(const char *s)
{
    return DBT(s && *s ? s : NULL);
}

static db_val opt_int(int64_t v)
{
    return v ? DBI(v) : DBNULL;
}

static db_val opt_tri(int v)
{
    return v < 0 ? DBNULL : DBI(v);
}

int store_app_transition(db *d, int64_t id, const char *from, const app_change *c, int64_t now)
{
    const char *chk = c->check_col ? c->check_col : "";
    db_val p[] = {DBI(id),
                  DBT(from),
                  DBT(c->to),
                  DBI(c->open ? 1 : 0),
                  DBI(now),
                  opt_text(c->referral_no),
                  opt_int(c->referred_at),
                  opt_int(c->offer_version),
                  opt_text(c->interview_date),
                  opt_text(c->decision_reason),
                  opt_int(c->decided_at),
                  opt_text(c->start_date),
                  opt_text(c->employment_form),
                  opt_tri(c->permanent),
                  opt_text(c->due_1m),
                  opt_text(c->due_3m),
                  opt_text(c->due_6m),
                  DBT(chk),
                  opt_text(c->check_result),
                  opt_text(c->left_date),
                  opt_tri(c->left_within_6m),
                  opt_int(c->open ? 0 : now)};
    db_res *r = NULL;
    int rc = db_query(
        d,
        "UPDATE applications SET state = $3, is_open = $4, updated_at = $5, "
        "closed_at = COALESCE($22, closed_at), "
        "referral_no = COALESCE($6, referral_no), referred_at = COALESCE($7, referred_at), "
        "offer_version = COALESCE($8, offer_version), "
        "interview_date = COALESCE($9, interview_date), "
        "decision_reason = COALESCE($10, decision_reason), decided_at = COALESCE($11, decided_at), "
        "start_date = COALESCE($12, start_date), employment_form = COALESCE($13, employment_form), "
        "permanent = COALESCE($14, permanent), due_1m = COALESCE($15, due_1m), "
        "due_3m = COALESCE($16, due_3m), due_6m = COALESCE($17, due_6m), "
        "check_1m = CASE WHEN $18 = '1m' THEN $19 ELSE check_1m END, "
        "check_3m = CASE WHEN $18 = '3m' THEN $19 ELSE check_3m END, "
        "check_6m = CASE WHEN $18 = '6m' THEN $19 ELSE check_6m END, "
        "left_date = COALESCE($20, left_date), left_within_6m = COALESCE($21, left_within_6m) "
        "WHERE id = $1 AND state = $2 RETURNING id",
        p, 22, &r);
    if (rc == DB_OK && r->nrows == 0)
        rc = DB_NOTFOUND;
    db_res_free(r);
    return rc;
}

int store_app_event(db *d, int64_t id, int64_t now, int64_t actor, const char *actor_kind,
                    const char *action, const char *from, const char *to, const char *detail)
{
    db_val p[] = {DBI(id),     DBI(now),  opt_int(actor), DBT(actor_kind),
                  DBT(action), DBT(from), DBT(to),        DBT(detail ? detail : "{}")};
    return db_query(d,
                    "INSERT INTO application_events (application_id, at, actor_user_id, "
                    "actor_kind, action, from_state, to_state, detail) VALUES ($1, $2, $3, $4, $5, "
                    "$6, $7, $8)",
                    p, 8, NULL);
}

int store_referral_no(db *d, const char *pref, int fiscal_year, char *out, size_t cap)
{
    db_val p[] = {DBT(pref), DBI(fiscal_year)};
    int64_t seq = 0;
    int rc = db_scalar(d,
                       "INSERT INTO referral_numbers (prefecture_code, fiscal_year, last_seq) "
                       "VALUES ($1, $2, 1) ON CONFLICT (prefecture_code, fiscal_year) DO UPDATE "
                       "SET last_seq = referral_numbers.last_seq + 1 RETURNING last_seq",
                       p, 2, &seq);
    if (rc == DB_OK)
        snprintf(out, cap, "%s-%04d-%06lld", pref, fiscal_year, (long long)seq);
    return rc;
}

/* The summary columns (APP_COL_* order) and their joins. */
#define APP_SELECT                                                                                 \
    "SELECT a.id, a.state, a.origin, a.referral_no, a.referred_at, a.interview_date, "             \
    "a.decision_reason, a.start_date, a.employment_form, a.permanent, a.due_1m, a.due_3m, "        \
    "a.due_6m, a.check_1m, a.check_3m, a.check_6m, a.left_date, a.left_within_6m, a.created_at, "  \
    "a.updated_at, o.id, o.offer_no, o.title, f.id, f.name, o.prefecture_code, m.name, u.id, "     \
    "u.name, u.name_kana, u.email, u.phone, s.experience_years, s.experience_departments, "        \
    "s.skills, a.prefecture_code"
#define APP_FROM                                                                                   \
    " FROM applications a JOIN offers o ON o.id = a.offer_id JOIN facilities f ON "                \
    "f.id = a.facility_id JOIN users u ON u.id = a.seeker_user_id LEFT JOIN seekers s ON "         \
    "s.user_id = a.seeker_user_id LEFT JOIN municipalities m ON m.code = o.municipality_code"
/* The next retention check's due date of a placed case. */
#define APP_NEXT_DUE                                                                               \
    "CASE a.state WHEN 'placed' THEN a.due_1m WHEN 'checked_1m' THEN a.due_3m ELSE a.due_6m END"
/* Integer filters are NULL when absent; each parameter's first use fixes its type on
 * PostgreSQL, hence "column = $n OR $n IS NULL". */
#define APP_WHERE                                                                                  \
    " WHERE (a.seeker_user_id = $1 OR $1 IS NULL) AND ((a.facility_id = $2 AND a.referred_at IS "  \
    "NOT NULL) OR $2 IS NULL) AND ($3 = '' OR a.prefecture_code = $3) AND ($4 = '' OR ($4 = "      \
    "'open' AND a.is_open = 1) OR a.state = $4) AND (a.offer_id = $5 OR $5 IS NULL) AND "          \
    "(a.seeker_user_id = $6 OR $6 IS NULL) AND ($7 = '' OR ($7 = 'review' AND a.state = "          \
    "'requested') OR ($7 = 'retention' AND a.state IN ('placed', 'checked_1m', 'checked_3m') "     \
    "AND " APP_NEXT_DUE " <= $8))"

int store_app_list(db *d, const app_filter *f, int64_t *total, db_res **out)
{
    *out = NULL;
    if (f->scope == AUTHZ_APPS_NONE)
        return DB_ERROR;
    int64_t seeker = f->scope == AUTHZ_APPS_SEEKER ? f->scope_id : 0;
    int64_t fac = f->scope == AUTHZ_APPS_FACILITY ? f->scope_id : 0;
    const char *pref = f->scope == AUTHZ_APPS_PREFECTURE ? f->prefecture : "";
    /* Every filter is bound; a scope value of 0 / "" would widen the list, so refuse it. */
    if ((f->scope == AUTHZ_APPS_SEEKER && !seeker) || (f->scope == AUTHZ_APPS_FACILITY && !fac) ||
        (f->scope == AUTHZ_APPS_PREFECTURE && (!pref || !*pref)))
        return DB_ERROR;
    /* NULL = no filter (a typed 0 would not do on PostgreSQL: one parameter, one type) */
    db_val p[] = {opt_int(seeker),
                  opt_int(fac),
                  DBT(pref),
                  DBT(f->state ? f->state : ""),
                  opt_int(f->offer_id),
                  opt_int(f->seeker_id),
                  DBT(f->task ? f->task : ""),
                  DBT(f->retention_by ? f->retention_by : ""),
                  DBI(f->limit),
                  DBI(f->offset)};
    int rc = db_scalar(d, "SELECT COUNT(*) FROM applications a" APP_WHERE, p, 8, total);
    if (rc != DB_OK)
        return rc;
    /* Retention tasks: the most overdue first; the review queue: oldest first; otherwise the
     * latest activity first. */
    return db_query(d,
                    APP_SELECT APP_FROM APP_WHERE
                    " ORDER BY CASE WHEN $7 = 'retention' THEN " APP_NEXT_DUE
                    " ELSE '' END, CASE WHEN $7 = 'review' THEN "
                    "a.updated_at ELSE -a.updated_at END, a.id DESC "
                    "LIMIT $9 OFFSET $10",
                    p, 10, out);
}

int store_app_row(db *d, int64_t id, db_res **out)
{
    db_val p[] = {DBI(id)};
    return db_query(d, APP_SELECT APP_FROM " WHERE a.id = $1", p, 1, out);
}

int store_app_licences(db *d, int64_t user_id, db_res **out)
{
    db_val p[] = {DBI(user_id)};
    return db_query(d,
                    "SELECT l.type, COALESCE(c.name, l.type) FROM licences l LEFT JOIN code_lists "
                    "c ON c.list = 'licence_types' AND c.code = l.type WHERE l.user_id = $1 ORDER "
                    "BY l.id",
                    p, 1, out);
}

int store_app_events(db *d, int64_t id, db_res **out)
{
    db_val p[] = {DBI(id)};
    return db_query(d,
                    "SELECT e.id, e.at, e.action, e.from_state, e.to_state, e.actor_kind, u.name, "
                    "e.detail FROM application_events e LEFT JOIN users u ON u.id = "
                    "e.actor_user_id WHERE e.application_id = $1 ORDER BY e.id",
                    p, 1, out);
}

int store_app_letter(db *d, int64_t id, db_res **out)
{
    db_val p[] = {DBI(id)};
    return db_query(
        d,
        "SELECT a.referral_no, a.referred_at, o.offer_no, COALESCE((SELECT v.body FROM "
        "offer_versions v WHERE v.offer_id = o.id AND v.version = a.offer_version), o.body), "
        "f.name, f.address, u.name, u.name_kana, c.name, c.address, c.phone, (SELECT cu.name FROM "
        "application_events e JOIN users cu ON cu.id = e.actor_user_id WHERE e.application_id = "
        "a.id AND e.action = 'refer' ORDER BY e.id DESC LIMIT 1) FROM applications a JOIN offers "
        "o ON o.id = a.offer_id JOIN facilities f ON f.id = a.facility_id JOIN users u ON u.id = "
        "a.seeker_user_id LEFT JOIN nurse_centers c ON c.prefecture_code = a.prefecture_code "
        "WHERE a.id = $1",
        p, 1, out);
}
