#include "domain/authz.h"
#include <string.h>

static const struct {
    role r;
    const char *name;
    const char *label;
} roles[] = {
    {ROLE_SEEKER, "seeker", "求職者"},
    {ROLE_FACILITY_ADMIN, "facility_admin", "施設管理者"},
    {ROLE_FACILITY_STAFF, "facility_staff", "施設担当者"},
    {ROLE_COUNSELOR, "counselor", "相談員"},
    {ROLE_CENTER_ADMIN, "center_admin", "センター管理者"},
    {ROLE_CENTRAL, "central", "中央ナースセンター職員"},
    {ROLE_SYSADMIN, "sysadmin", "システム管理者"},
};

role role_parse(const char *name)
{
    if (!name)
        return ROLE_NONE;
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (!strcmp(roles[i].name, name))
            return roles[i].r;
    return ROLE_NONE;
}

const char *role_name(role r)
{
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (roles[i].r == r)
            return roles[i].name;
    return "";
}

const char *role_label(role r)
{
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (roles[i].r == r)
            return roles[i].label;
    return "";
}

authz_result authz_route(const principal *actor, unsigned allowed)
{
    if (allowed == ROLES_PUBLIC)
        return AUTHZ_ALLOW;
    if (!actor || actor->role == ROLE_NONE)
        return AUTHZ_LOGIN;
    return (allowed & (unsigned)actor->role) ? AUTHZ_ALLOW : AUTHZ_DENY;
}

authz_result authz_person(const principal *actor, const principal *subject)
{
    if (!actor || actor->role == ROLE_NONE)
        return AUTHZ_LOGIN;
    /* Only licence holders (job seekers) are "people" here; staff and facility accounts are
     * not readable through person routes by anyone. */
    if (!subject || subject->role != ROLE_SEEKER)
        return AUTHZ_HIDDEN;
    switch (actor->role) {
    case ROLE_CENTRAL:
    case ROLE_SYSADMIN:
        return AUTHZ_ALLOW;
    case ROLE_COUNSELOR:
    case ROLE_CENTER_ADMIN:
        return (actor->prefecture[0] && !strcmp(actor->prefecture, subject->prefecture))
                   ? AUTHZ_ALLOW
                   : AUTHZ_HIDDEN;
    case ROLE_SEEKER:
        return actor->id == subject->id ? AUTHZ_ALLOW : AUTHZ_HIDDEN;
    default:
        /* Facilities see applicants referred to them (placement issue); nobody else yet. */
        return AUTHZ_HIDDEN;
    }
}

const char *authz_people_filter(const principal *actor)
{
    if (!actor)
        return NULL;
    if (actor->role == ROLE_CENTRAL || actor->role == ROLE_SYSADMIN)
        return "";
    if ((actor->role & ROLES_CENTER) && actor->prefecture[0])
        return actor->prefecture;
    return NULL;
}

authz_result authz_facility(const principal *actor, const principal *fac)
{
    if (!actor || actor->role == ROLE_NONE)
        return AUTHZ_LOGIN;
    if (!fac)
        return AUTHZ_HIDDEN;
    switch (actor->role) {
    case ROLE_CENTRAL:
    case ROLE_SYSADMIN:
        return AUTHZ_ALLOW;
    case ROLE_COUNSELOR:
    case ROLE_CENTER_ADMIN:
        return (actor->prefecture[0] && !strcmp(actor->prefecture, fac->prefecture)) ? AUTHZ_ALLOW
                                                                                     : AUTHZ_HIDDEN;
    case ROLE_FACILITY_ADMIN:
    case ROLE_FACILITY_STAFF:
        return actor->facility_id && actor->facility_id == fac->id ? AUTHZ_ALLOW : AUTHZ_HIDDEN;
    default:
        return AUTHZ_HIDDEN;
    }
}

const char *authz_facilities_filter(const principal *actor)
{
    return authz_people_filter(actor); /* the same geography: center staff see their prefecture */
}

authz_result authz_application(const principal *actor, const authz_app *app)
{
    if (!actor || actor->role == ROLE_NONE)
        return AUTHZ_LOGIN;
    if (!app)
        return AUTHZ_HIDDEN;
    bool ok;
    switch (authz_applications_filter(actor)) {
    case AUTHZ_APPS_ALL:
        ok = true;
        break;
    case AUTHZ_APPS_SEEKER:
        ok = actor->id == app->seeker_id;
        break;
    case AUTHZ_APPS_FACILITY:
        ok = app->referred && actor->facility_id == app->facility_id;
        break;
    case AUTHZ_APPS_PREFECTURE:
        ok = !strcmp(actor->prefecture, app->prefecture);
        break;
    default:
        ok = false;
    }
    return ok ? AUTHZ_ALLOW : AUTHZ_HIDDEN;
}

authz_apps_filter authz_applications_filter(const principal *actor)
{
    if (!actor)
        return AUTHZ_APPS_NONE;
    switch (actor->role) {
    case ROLE_CENTRAL:
    case ROLE_SYSADMIN:
        return AUTHZ_APPS_ALL;
    case ROLE_SEEKER:
        return AUTHZ_APPS_SEEKER;
    case ROLE_FACILITY_ADMIN:
    case ROLE_FACILITY_STAFF:
        return actor->facility_id ? AUTHZ_APPS_FACILITY : AUTHZ_APPS_NONE;
    case ROLE_COUNSELOR:
    case ROLE_CENTER_ADMIN:
        return actor->prefecture[0] ? AUTHZ_APPS_PREFECTURE : AUTHZ_APPS_NONE;
    default:
        return AUTHZ_APPS_NONE;
    }
}

authz_result authz_notification(const principal *actor, const authz_notif *n)
{
    if (!actor || actor->role == ROLE_NONE)
        return AUTHZ_LOGIN;
    if (!n)
        return AUTHZ_HIDDEN;
    bool ok;
    switch (actor->role) {
    case ROLE_CENTRAL:
    case ROLE_SYSADMIN:
        ok = true;
        break;
    case ROLE_COUNSELOR:
    case ROLE_CENTER_ADMIN:
        ok = actor->prefecture[0] && !strcmp(actor->prefecture, n->prefecture);
        break;
    case ROLE_SEEKER:
        ok = actor->id == n->holder_id || (n->survivor_id && actor->id == n->survivor_id);
        break;
    case ROLE_FACILITY_ADMIN:
    case ROLE_FACILITY_STAFF:
        ok = n->facility_id && actor->facility_id == n->facility_id;
        break;
    default:
        ok = false;
    }
    return ok ? AUTHZ_ALLOW : AUTHZ_HIDDEN;
}

authz_result authz_notification_filer(const principal *actor)
{
    if (!actor || actor->role == ROLE_NONE)
        return AUTHZ_ALLOW;
    return actor->role == ROLE_SEEKER ? AUTHZ_ALLOW : AUTHZ_DENY;
}

authz_result authz_center_record(const principal *actor, const char *pref)
{
    if (!actor || actor->role == ROLE_NONE)
        return AUTHZ_LOGIN;
    if (actor->role == ROLE_CENTRAL || actor->role == ROLE_SYSADMIN)
        return AUTHZ_ALLOW;
    if ((actor->role & ROLES_CENTER) && actor->prefecture[0] && pref &&
        !strcmp(actor->prefecture, pref))
        return AUTHZ_ALLOW;
    return AUTHZ_HIDDEN;
}

bool authz_sensitive(const principal *actor, bool has_grant)
{
    return actor && (actor->role & ROLES_CENTER) && has_grant;
}

authz_result authz_report(const principal *actor, const char *pref, bool national_only,
                          bool personal)
{
    if (!actor || actor->role == ROLE_NONE)
        return AUTHZ_LOGIN;
    switch (actor->role) {
    case ROLE_CENTRAL:
        return AUTHZ_ALLOW;
    case ROLE_SYSADMIN:
        return personal ? AUTHZ_DENY : AUTHZ_ALLOW;
    case ROLE_COUNSELOR:
    case ROLE_CENTER_ADMIN:
        if (national_only || !actor->prefecture[0] || !pref || strcmp(pref, actor->prefecture))
            return AUTHZ_DENY;
        return AUTHZ_ALLOW;
    default:
        return AUTHZ_DENY;
    }
}
