/* Notifications (届出): filing, versions (変更届), activation, confirmation tokens, the holder's
 * record, duplicates, and the JSON the API returns. Runs in the caller's transaction. */
#ifndef NCCS_STORE_NOTIFICATIONS_H
#define NCCS_STORE_NOTIFICATIONS_H
#include "domain/authz.h"
#include "store/db.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* The scope of notification id (holder, survivor of a merge, filing facility, routed
 * prefecture): DB_OK, DB_NOTFOUND or an error. */
int store_notification_scope(db *d, int64_t id, authz_notif *out);

typedef struct notif_new {
    int64_t user_id;
    const char *prefecture;    /* routed center */
    const char *channel;       /* pc smartphone center proxy */
    int64_t facility_id;       /* proxy: the filing facility; else 0 */
    int64_t upload_id;         /* bulk upload; else 0 */
    bool active;               /* false: pending_confirmation */
    const char *confirmed_how; /* when active: self or paper */
    int64_t filed_by;          /* the account that filed (0 for an anonymous filing) */
    const json_t *body;        /* the validated NotificationBody (borrowed) */
} notif_new;

/* Inserts a notification (version 1) and its first versions row; *id = the new id. */
int store_notif_insert(db *d, const notif_new *n, int64_t now, int64_t *id);
/* A change notification: body replaces the content, version + 1, a versions row. Returns DB_OK,
 * DB_NOTFOUND when not active. */
int store_notif_change(db *d, int64_t id, const json_t *body, int64_t by, int64_t now);
/* pending_confirmation → active (how: link or paper). DB_NOTFOUND when it was not pending. */
int store_notif_confirm(db *d, int64_t id, const char *how, int64_t by, int64_t now);
/* What activation needs: holder, routed prefecture, the stored body (new reference into
 * *body). */
int store_notif_basics(db *d, int64_t id, int64_t *user_id, char *pref, size_t cap, json_t **body);
/* Stores a confirmation token's hash for notification nid (valid until expires). */
int store_notif_token_insert(db *d, int64_t nid, const char *hash, int64_t now, int64_t expires);
/* The notification of an unused, unexpired token: DB_OK and *nid, or DB_NOTFOUND. With take
 * the token is used up (single use). */
int store_notif_token_find(db *d, const char *hash, int64_t now, bool take, int64_t *nid);
/* The holder's record from an active notification: birth date when unknown, licences of types
 * the record does not have yet. */
int store_holder_sync(db *d, int64_t user_id, const json_t *body);

typedef enum {
    NOTIF_VIEW_FULL,     /* holder and staff: current content and every version */
    NOTIF_VIEW_FACILITY, /* the filing facility: the content as filed, no versions */
} notif_view;
/* The API's Notification (new reference) or NULL with *rc (DB_NOTFOUND or an error). */
json_t *store_notif_json(db *d, int64_t id, notif_view v, int *rc);

/* The records that may be the same licence holder as uid (role seeker, not merged, not uid):
 * rows (id, shares a licence 0/1, same kana name and birth date 0/1); caller frees *out. */
int store_person_duplicates(db *d, int64_t uid, db_res **out);
/* The SQL expression counting the duplicates of the users row aliased `u` (for lists): the
 * same candidates as store_person_duplicates, in every prefecture; 0 for a merged record. */
#define SQL_DUPLICATES_OF_U                                                                        \
    "(CASE WHEN u.merged_into IS NOT NULL THEN 0 ELSE (SELECT COUNT(*) FROM (SELECT l2.user_id "   \
    "AS o FROM licences l1 JOIN licences l2 "                                                      \
    "ON l2.type = l1.type AND l2.number = l1.number AND l2.user_id <> l1.user_id "                 \
    "WHERE l1.user_id = u.id UNION SELECT o.id FROM users o WHERE o.name_kana = u.name_kana "      \
    "AND o.birth_date = u.birth_date AND o.id <> u.id) c JOIN users x ON x.id = c.o "              \
    "WHERE x.role = 'seeker' AND x.merged_into IS NULL) END)"

#endif
