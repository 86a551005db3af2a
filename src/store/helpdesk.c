/* Queries for the central help desk: tickets and their replies. */
#include "store/helpdesk.h"
#include "util/str.h"

int store_helpdesk_scope(db *d, int64_t id, char *pref, size_t cap)
{
    db_val p[] = {DBI(id)};
    db_res *res = NULL;
    int rc = db_query(d, "SELECT prefecture_code FROM helpdesk_tickets WHERE id = $1", p, 1, &res);
    if (rc == DB_OK && res->nrows == 0)
        rc = DB_NOTFOUND;
    if (rc == DB_OK)
        str_copy(pref, cap, db_text(res, 0, 0));
    db_res_free(res);
    return rc;
}

int store_helpdesk_insert(db *d, const char *pref, int64_t opened_by, const char *category,
                          const char *subject, const char *description, int64_t now, int64_t *id)
{
    db_val p[] = {DBT(pref),    DBI(opened_by),   DBT(category),
                  DBT(subject), DBT(description), DBI(now)};
    int64_t v = 0;
    int rc = db_scalar(d,
                       "INSERT INTO helpdesk_tickets (prefecture_code, opened_by, category, "
                       "subject, description, status, opened_at, updated_at) VALUES ($1, $2, $3, "
                       "$4, $5, 'open', $6, $6) RETURNING id",
                       p, 6, &v);
    if (rc == DB_OK && v <= 0)
        rc = DB_ERROR;
    if (id)
        *id = v;
    return rc;
}

/* The HQ_* columns, in their order. */
#define TICKET_SELECT                                                                              \
    "SELECT t.id, t.prefecture_code, p.name, t.opened_by, u.name, t.category, t.subject, "         \
    "t.description, t.status, t.opened_at, t.closed_at, t.updated_at, t.imported, "                \
    "(SELECT COUNT(*) FROM helpdesk_replies r WHERE r.ticket_id = t.id) "                          \
    "FROM helpdesk_tickets t JOIN prefectures p ON p.code = t.prefecture_code "                    \
    "LEFT JOIN users u ON u.id = t.opened_by "

int store_helpdesk_get(db *d, int64_t id, db_res **out)
{
    db_val p[] = {DBI(id)};
    int rc = db_query(d, TICKET_SELECT "WHERE t.id = $1", p, 1, out);
    if (rc == DB_OK && (*out)->nrows == 0) {
        db_res_free(*out);
        *out = NULL;
        rc = DB_NOTFOUND;
    }
    return rc;
}

int store_helpdesk_replies(db *d, int64_t id, db_res **out)
{
    db_val p[] = {DBI(id)};
    return db_query(d,
                    "SELECT r.id, r.author_id, u.name, r.author_kind, r.body, r.at "
                    "FROM helpdesk_replies r LEFT JOIN users u ON u.id = r.author_id "
                    "WHERE r.ticket_id = $1 ORDER BY r.id",
                    p, 1, out);
}

/* The filter's conditions on $1..$4 (NULL parameters match everything). */
#define TICKET_WHERE                                                                               \
    "WHERE ($1 = '' OR t.prefecture_code = $1) AND (t.prefecture_code = $2 OR $2 IS NULL) AND "    \
    "(t.status = $3 OR $3 IS NULL) AND (t.category = $4 OR $4 IS NULL) "

int store_helpdesk_list(db *d, const helpdesk_filter *f, int64_t limit, int64_t offset,
                        int64_t *total, db_res **out)
{
    db_val p[] = {DBT(f->prefecture ? f->prefecture : ""),
                  DBT(f->want_prefecture),
                  DBT(f->status),
                  DBT(f->category),
                  DBI(limit),
                  DBI(offset)};
    *out = NULL;
    int rc = db_scalar(d, "SELECT COUNT(*) FROM helpdesk_tickets t " TICKET_WHERE, p, 4, total);
    if (rc == DB_OK)
        rc = db_query(d,
                      TICKET_SELECT TICKET_WHERE
                      "ORDER BY t.updated_at DESC, t.id DESC LIMIT $5 OFFSET $6",
                      p, 6, out);
    return rc;
}

/* Sets the ticket's status (and closed_at when closing) unless it is closed; *changed tells
 * whether a row was updated. */
static int set_status(db *d, int64_t id, const char *status, int64_t now, bool *changed)
{
    db_val p[] = {DBI(id), DBT(status), DBI(now)};
    db_res *res = NULL;
    int rc = db_query(d,
                      "UPDATE helpdesk_tickets SET status = $2, updated_at = $3, "
                      "closed_at = CASE WHEN $2 = 'closed' THEN $3 ELSE closed_at END "
                      "WHERE id = $1 AND status <> 'closed' RETURNING id",
                      p, 3, &res);
    *changed = rc == DB_OK && res->nrows > 0;
    db_res_free(res);
    return rc;
}

int store_helpdesk_reply(db *d, int64_t id, int64_t author_id, const char *kind, const char *body,
                         const char *new_status, int64_t now, bool *closed)
{
    bool changed = false;
    *closed = false;
    int rc = set_status(d, id, new_status, now, &changed);
    if (rc != DB_OK)
        return rc;
    if (!changed) {
        *closed = true;
        return DB_OK;
    }
    db_val p[] = {DBI(id), DBI(author_id), DBT(kind), DBT(body), DBI(now)};
    return db_query(d,
                    "INSERT INTO helpdesk_replies (ticket_id, author_id, author_kind, body, at) "
                    "VALUES ($1, $2, $3, $4, $5)",
                    p, 5, NULL);
}

int store_helpdesk_close(db *d, int64_t id, int64_t now, bool *closed)
{
    bool changed = false;
    int rc = set_status(d, id, "closed", now, &changed);
    *closed = rc == DB_OK && !changed;
    return rc;
}
