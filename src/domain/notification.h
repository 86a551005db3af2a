/* The notification (届出) body: its validation and normalisation, shared by the JSON routes and
 * the bulk upload (each uploaded row becomes a body and is checked by the same rules). Pure. */
#ifndef NCCS_DOMAIN_NOTIFICATION_H
#define NCCS_DOMAIN_NOTIFICATION_H
#include "domain/validate.h"
#include <jansson.h>

/* Who files: the members allowed and required differ. */
typedef enum {
    NOTIF_FILE_ANON,   /* no session: + password, holder.email required */
    NOTIF_FILE_SELF,   /* the nurse signed in */
    NOTIF_FILE_CENTER, /* paper form at the counter */
    NOTIF_FILE_PROXY,  /* the facility the nurse left (seeker_opt_in not allowed) */
    NOTIF_CHANGE,      /* 変更届: no password, seeker_opt_in or center_prefecture */
} notif_kind;

#define NOTIF_EARLIEST_EVENT "1950-01-01"
#define NOTIF_AGE_MIN        15
#define NOTIF_AGE_MAX        100

/* Validates body (normalising it in place: NFKC, katakana, postal code as NNN-NNNN) for kind
 * on the JST date today ("YYYY-MM-DD"). Adds every problem to e; returns the number added. */
int notif_check(json_t *body, notif_kind kind, const char *today, verrs *e);

/* The prefecture the notification is routed to: center_prefecture, else the address's. Borrowed
 * from body; NULL when neither is there. */
const char *notif_route(const json_t *body);

#endif
