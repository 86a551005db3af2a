/* The code lists of notifications (届出), consultations (相談) and the casework queue, each a
 * NULL-terminated array of {code, Japanese label}. /ref publishes them under the key named in
 * the comment; docs/API.md lists them. */
#ifndef NCCS_DOMAIN_CASEWORK_H
#define NCCS_DOMAIN_CASEWORK_H
#include <stdbool.h>

typedef struct code_label {
    const char *code;
    const char *label;
} code_label;

extern const code_label NOTIF_REASONS[];         /* notification_reasons */
extern const code_label NOTIF_LAST_WORKPLACES[]; /* last_workplaces */
extern const code_label NOTIF_WORK_STATUSES[];   /* notification_work_statuses */
extern const code_label NOTIF_CHANNELS[];        /* notification_channels */
extern const code_label NOTIF_STATUSES[];        /* notification_statuses */
extern const code_label CONSULT_CHANNELS[];      /* consultation_channels */
extern const code_label CONSULT_CATEGORIES[];    /* consultation_categories */
extern const code_label OUTREACH_PLACES[];       /* outreach_places */
extern const code_label HELPDESK_CATEGORIES[];   /* helpdesk_categories */
extern const code_label HELPDESK_STATUSES[];     /* helpdesk_statuses */
extern const code_label TASK_KINDS[];            /* task_kinds */
extern const code_label TASK_OUTCOMES[];         /* task_outcomes */
extern const code_label CONSENT_METHODS[];       /* consent_methods */

/* The label of code in list, or NULL when unknown (also for NULL). */
const char *code_label_of(const code_label *list, const char *code);
/* The code whose code or label equals s (an upload cell may hold either), or NULL. */
const char *code_label_code(const code_label *list, const char *s);

#endif
