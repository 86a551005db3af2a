/* Steps shared by the notification handlers (notifications.c) and the bulk upload
 * (notification_upload.c). All run in the caller's transaction. */
#ifndef NCCS_API_NOTIFY_H
#define NCCS_API_NOTIFY_H
#include "store/db.h"
#include <jansson.h>
#include <stdbool.h>

/* notif_holder() result: the address belongs to an account that cannot hold notifications (staff,
 * facility, disabled or merged). */
#define NOTIF_HOLDER_REFUSED 7

/* The licence holder for a validated body: the active seeker account with holder.email, else a
 * new account (role seeker, the given channel and password hash or none; without an address a
 * placeholder no-email-…@placeholder_domain) in prefecture pref, carrying the body's birth date
 * and licences. *existing tells which. DB_OK, NOTIF_HOLDER_REFUSED or a DB error. */
int notif_holder(db *d, const json_t *body, const char *pref, const char *channel,
                 const char *pw_hash, const char *placeholder_domain, int64_t *uid, bool *existing);
/* Mails the one-time confirmation link of notification nid to `to` (nothing for no address or
 * a placeholder). */
int notif_mail_confirm(db *d, int64_t nid, const char *to, const char *name, const char *intro);
/* What follows a notification becoming active: the holder's record (birth date, licences),
 * 届出連携 (seeker_changed set when a profile was created or reopened) and the first-contact task
 * of the routed center. */
int notif_activated(db *d, int64_t nid, int64_t now, bool *seeker_changed);

#endif
