/* The one registry of API errors: id → HTTP status, stable code, Japanese message. */
#ifndef NCCS_HTTP_ERRORS_H
#define NCCS_HTTP_ERRORS_H

typedef enum {
    E_MALFORMED_JSON,
    E_BAD_PARAMETER,
    E_AUTH_REQUIRED,
    E_INVALID_CREDENTIALS,
    E_FORBIDDEN,
    E_CSRF,
    E_UNVERIFIED,
    E_ROUTE_NOT_FOUND,
    E_NOT_FOUND,
    E_METHOD_NOT_ALLOWED,
    E_CONFLICT,
    E_BAD_STATE,
    E_TOKEN_INVALID,
    E_TOO_LARGE,
    E_URI_TOO_LONG,
    E_UNSUPPORTED_MEDIA,
    E_VALIDATION,
    E_THROTTLED,
    E_RATE_LIMITED,
    E_INTERNAL,
    E_UNAVAILABLE,
    E_OFFER_NOT_OPEN,
    E_SEEKER_NOT_ACTIVE,
    E_APP_DUPLICATE,
    E_APP_NOT_REFERRED,
    E_MATCH_NO_PROFILE,
    E_MATCH_OFFER_NOT_PUBLISHED,
    E_SAVED_SEARCH_LIMIT,
    E_NOTIFICATION_NOT_ACTIVE,
    E_NOTIFICATION_NOT_PENDING,
    E_TASK_DONE,
    E_MERGE_CONFLICT,
    E_SENSITIVE_FORBIDDEN,
    E__COUNT
} err_id;

typedef struct err_def {
    int status;
    const char *code;
    const char *message;
} err_def;

const err_def *err_get(err_id id);

#endif
