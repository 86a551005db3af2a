/* The one route table: method, path pattern, allowed roles, scope, body cap, handler.
 * docs/openapi.json must list exactly these routes (checked by tests/api/openapi.test.mjs). */
#include "api/api.h"
#include "http/router.h"

const route g_routes[] = {
    {"GET", "/healthz", ROLES_PUBLIC, SCOPE_NONE, 0, h_healthz, "health check incl. database"},
    {"GET", "/api/v1/version", ROLES_PUBLIC, SCOPE_NONE, 0, h_version, "server version"},
    {"GET", "/api/v1/openapi.json", ROLES_PUBLIC, SCOPE_NONE, 0, h_openapi, "OpenAPI document"},
    {"GET", "/api/v1/ref", ROLES_PUBLIC, SCOPE_NONE, 0, h_ref, "reference code lists"},
    {"GET", "/api/v1/ref/municipalities", ROLES_PUBLIC, SCOPE_NONE, 0, h_municipalities,
     "municipalities of a prefecture"},
    {"GET", "/api/v1/centers", ROLES_PUBLIC, SCOPE_NONE, 0, h_centers, "prefectural nurse centers"},
    {"POST", "/api/v1/auth/register", ROLES_PUBLIC, SCOPE_NONE, 64 * 1024, h_register,
     "self-registration of a nurse or a facility"},
    {"POST", "/api/v1/auth/verify", ROLES_PUBLIC, SCOPE_NONE, 4096, h_verify,
     "e-mail verification"},
    {"POST", "/api/v1/auth/login", ROLES_PUBLIC, SCOPE_NONE, 4096, h_login, "login"},
    {"POST", "/api/v1/auth/logout", ROLES_ANY, SCOPE_NONE, 4096, h_logout, "logout"},
    {"POST", "/api/v1/auth/password-reset", ROLES_PUBLIC, SCOPE_NONE, 4096, h_reset_request,
     "request a password reset mail"},
    {"POST", "/api/v1/auth/password-reset/complete", ROLES_PUBLIC, SCOPE_NONE, 4096,
     h_reset_complete, "set a new password with a mailed token"},
    {"GET", "/api/v1/me", ROLES_ANY, SCOPE_NONE, 0, h_me, "the caller's account"},
    {"POST", "/api/v1/me/password", ROLES_ANY, SCOPE_NONE, 4096, h_me_password, "change password"},
    {"POST", "/api/v1/me/email", ROLES_ANY, SCOPE_NONE, 4096, h_me_email, "change e-mail"},
    {"GET", "/api/v1/me/views", ROLE_SEEKER, SCOPE_NONE, 0, h_me_views, "who viewed my record"},
    {"GET", "/api/v1/people", ROLES_STAFF, SCOPE_NONE, 0, h_people_list, "list people in scope"},
    {"GET", "/api/v1/people/{id}", ROLES_STAFF, SCOPE_PERSON, 0, h_person_get,
     "a person's record (audited)"},
    {"GET", "/api/v1/people/{id}/audit", ROLES_STAFF, SCOPE_PERSON, 0, h_person_audit,
     "a person's audit trail"},
    {NULL, NULL, 0, SCOPE_NONE, 0, NULL, NULL},
};
