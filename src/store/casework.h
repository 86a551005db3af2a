/* The casework queue (tasks), center settings and the scope lookups of center records. */
#ifndef NCCS_STORE_CASEWORK_H
#define NCCS_STORE_CASEWORK_H
#include "store/db.h"
#include <stddef.h>
#include <stdint.h>

#define CASEWORK_DEFAULT_CONTACT_DAYS 3

/* The prefecture of task id into pref (cap bytes): DB_OK, DB_NOTFOUND or an error. */
int store_task_scope(db *d, int64_t id, char *pref, size_t cap);
/* The prefecture of consultation id into pref: DB_OK, DB_NOTFOUND or an error. */
int store_consultation_scope(db *d, int64_t id, char *pref, size_t cap);
/* The center's first-contact deadline in business days (the default when unset). */
int store_center_contact_days(db *d, const char *pref, int *days);
/* Opens a task (status open). user_id, notification_id, consultation_id may be 0 (NULL);
 * due_on "YYYY-MM-DD". *id receives the new id when id is non-NULL. */
int store_task_open(db *d, const char *pref, const char *kind, int64_t user_id,
                    int64_t notification_id, int64_t consultation_id, const char *due_on,
                    int64_t now, int64_t *id);
/* Opens a first-contact task of kind ("notification" or "registration") due after the center's
 * first_contact_days business days from today (JST). */
int store_task_open_contact(db *d, const char *pref, const char *kind, int64_t user_id,
                            int64_t notification_id, int64_t now);

#endif
