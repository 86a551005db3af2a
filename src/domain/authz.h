/* Roles, scopes and the authorisation decision. Every request is decided here: the router
 * calls authz_route() for the route's role set and, for routes about a person, authz_person()
 * with the subject's scope. Pure functions, unit-tested as a matrix. */
#ifndef NCCS_DOMAIN_AUTHZ_H
#define NCCS_DOMAIN_AUTHZ_H
#include <stdbool.h>
#include <stdint.h>

typedef enum {
    ROLE_NONE = 0,
    ROLE_SEEKER = 1 << 0,
    ROLE_FACILITY_ADMIN = 1 << 1,
    ROLE_FACILITY_STAFF = 1 << 2,
    ROLE_COUNSELOR = 1 << 3,
    ROLE_CENTER_ADMIN = 1 << 4,
    ROLE_CENTRAL = 1 << 5,
    ROLE_SYSADMIN = 1 << 6,
} role;

#define ROLES_PUBLIC   0u /* no session needed */
#define ROLES_FACILITY (ROLE_FACILITY_ADMIN | ROLE_FACILITY_STAFF)
#define ROLES_CENTER   (ROLE_COUNSELOR | ROLE_CENTER_ADMIN)
#define ROLES_STAFF    (ROLES_CENTER | ROLE_CENTRAL | ROLE_SYSADMIN)
#define ROLES_ANY      0x7Fu

role role_parse(const char *name); /* ROLE_NONE if unknown */
const char *role_name(role r);     /* "seeker", ...; static */
const char *role_label(role r);    /* Japanese label; static */

/* The signed-in caller, or a person a route is about. */
typedef struct principal {
    int64_t id;
    role role;
    char prefecture[3];  /* "" if none */
    int64_t facility_id; /* 0 if none */
} principal;

typedef enum {
    AUTHZ_ALLOW = 0,
    AUTHZ_LOGIN = 401,  /* no session and the route needs one */
    AUTHZ_DENY = 403,   /* signed in, but the role may not use the route */
    AUTHZ_HIDDEN = 404, /* the resource exists but is outside the caller's scope */
} authz_result;

/* actor NULL = anonymous. roles = the route's allowed role set (ROLES_PUBLIC for public). */
authz_result authz_route(const principal *actor, unsigned roles);
/* Whether actor may see the person record of subject (a job seeker / licence holder). */
authz_result authz_person(const principal *actor, const principal *subject);

/* Whether actor may see facility fac (fac->id = facility id, fac->prefecture its prefecture):
 * the facility's own accounts, center staff of its prefecture, central staff and sysadmin. */
authz_result authz_facility(const principal *actor, const principal *fac);
/* For listing facilities: same convention as authz_people_filter. */
const char *authz_facilities_filter(const principal *actor);

/* An application (応募・紹介 case) as scope: the nurse, the offer's facility, the nurse center
 * handling it, and whether it was ever referred to the facility. */
typedef struct authz_app {
    int64_t seeker_id;
    int64_t facility_id;
    char prefecture[3];
    bool referred;
} authz_app;
/* Whether actor may see application app: the nurse themself; the facility's accounts once the
 * case was referred (never before: a facility never sees a nurse who was not referred to it);
 * center staff of the handling prefecture; central staff and sysadmin. */
authz_result authz_application(const principal *actor, const authz_app *app);
/* For listing applications: which column limits the list. */
typedef enum {
    AUTHZ_APPS_NONE = 0,   /* may list nothing */
    AUTHZ_APPS_ALL,        /* central, sysadmin */
    AUTHZ_APPS_SEEKER,     /* the nurse's own: seeker = actor->id */
    AUTHZ_APPS_FACILITY,   /* referred cases of facility actor->facility_id */
    AUTHZ_APPS_PREFECTURE, /* cases handled by prefecture actor->prefecture */
} authz_apps_filter;
authz_apps_filter authz_applications_filter(const principal *actor);

/* A notification (届出) as scope: its holder (and the record the holder was merged into), the
 * facility that filed it as proxy (0 if none) and the nurse center it was routed to. */
typedef struct authz_notif {
    int64_t holder_id;
    int64_t survivor_id; /* users.merged_into of the holder, 0 if not merged */
    int64_t facility_id;
    char prefecture[3];
} authz_notif;
/* Whether actor may see notification n: the holder (or the survivor of a merge); the filing
 * facility's accounts (proxy filings); center staff of the routed prefecture; central staff and
 * sysadmin. */
authz_result authz_notification(const principal *actor, const authz_notif *n);
/* Whether actor may file a notification on POST /notifications: anonymous (no session) or a
 * nurse filing their own; every other role is denied. */
authz_result authz_notification_filer(const principal *actor);
/* A record a nurse center keeps (casework task, consultation) of prefecture pref: center staff
 * of that prefecture, central staff and sysadmin. */
authz_result authz_center_record(const principal *actor, const char *pref);
/* Whether actor may read the sensitive compartment (mental-health notes): center staff with
 * the mental_health grant. central/sysadmin do not read it either. */
bool authz_sensitive(const principal *actor, bool has_grant);

/* Whether actor may read a report table of scope pref ("" = national). national_only: site-wide
 * figures (access statistics); personal: the rows name people (the legal ledgers). Central
 * staff: any scope; sysadmin: any scope except personal tables; center staff: their own
 * prefecture only and no national-only tables; everyone else: denied. */
authz_result authz_report(const principal *actor, const char *pref, bool national_only,
                          bool personal);

/* For listing people: the prefecture the list must be limited to ("" = every prefecture,
 * for central staff and sysadmin), or NULL when the actor may list nobody. */
const char *authz_people_filter(const principal *actor);

#endif
