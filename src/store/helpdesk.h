/* Queries for the central help desk (ヘルプデスク): tickets that prefectural nurse centers open
 * (helpdesk_tickets) and the replies of either side (helpdesk_replies). Every function runs in
 * the caller's transaction (or autocommit); results are owned by the caller (db_res_free).
 * DB_NOTFOUND comes from store/accounts.h. Who may read or write what is decided by
 * domain/authz.c and the route table, never here. */
#ifndef NCCS_STORE_HELPDESK_H
#define NCCS_STORE_HELPDESK_H
#include "store/accounts.h"
#include "store/db.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The columns of a ticket row as store_helpdesk_get and store_helpdesk_list return it (db_res
 * column indexes). */
enum {
    HQ_ID,
    HQ_PREFECTURE,
    HQ_PREFECTURE_NAME,
    HQ_OPENED_BY, /* NULL for imported tickets */
    HQ_OPENED_BY_NAME,
    HQ_CATEGORY,
    HQ_SUBJECT,
    HQ_DESCRIPTION,
    HQ_STATUS,
    HQ_OPENED_AT,
    HQ_CLOSED_AT, /* NULL while not closed */
    HQ_UPDATED_AT,
    HQ_IMPORTED, /* 0 or 1 */
    HQ_REPLY_COUNT,
    HQ__COUNT
};

/* The columns of a reply row (store_helpdesk_replies). */
enum { HR_ID, HR_AUTHOR_ID, HR_AUTHOR_NAME, HR_AUTHOR_KIND, HR_BODY, HR_AT, HR__COUNT };

/* The prefecture of ticket id into pref (cap bytes): DB_OK, DB_NOTFOUND or an error. */
int store_helpdesk_scope(db *d, int64_t id, char *pref, size_t cap);

/* Opens a ticket (status open, opened_at = updated_at = now). Strings are borrowed; *id gets
 * the new id. */
int store_helpdesk_insert(db *d, const char *pref, int64_t opened_by, const char *category,
                          const char *subject, const char *description, int64_t now, int64_t *id);

/* Ticket id as one row of the HQ_* columns into *out: DB_OK, DB_NOTFOUND (then *out is freed
 * and NULL) or an error. */
int store_helpdesk_get(db *d, int64_t id, db_res **out);

/* The replies of ticket id, oldest first, as HR_* rows. */
int store_helpdesk_replies(db *d, int64_t id, db_res **out);

/* List filter. prefecture: the caller's scope ("" = every prefecture); want_prefecture,
 * status, category: NULL = no filter. The filters only narrow the scope. */
typedef struct helpdesk_filter {
    const char *prefecture;
    const char *want_prefecture;
    const char *status;
    const char *category;
} helpdesk_filter;
/* One page of the tickets matching f, newest activity first (updated_at, then id), and the
 * number of all matches into *total. */
int store_helpdesk_list(db *d, const helpdesk_filter *f, int64_t limit, int64_t offset,
                        int64_t *total, db_res **out);

/* Adds a reply by author_id on side kind ("center" or "central") and moves the ticket to
 * new_status ("open" or "answered", updated_at = now), unless the ticket is closed: then
 * nothing is written and *closed is true. */
int store_helpdesk_reply(db *d, int64_t id, int64_t author_id, const char *kind, const char *body,
                         const char *new_status, int64_t now, bool *closed);

/* Closes ticket id (closed_at = updated_at = now); when it already was closed nothing is
 * written and *closed is true. */
int store_helpdesk_close(db *d, int64_t id, int64_t now, bool *closed);

#endif
