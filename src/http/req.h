/* The per-request context. Everything a request allocates hangs off it and is freed in one
 * place (req_free) when libmicrohttpd reports the request completed. */
#ifndef NCCS_HTTP_REQ_H
#define NCCS_HTTP_REQ_H
#include "domain/authz.h"
#include "domain/validate.h"
#include "http/errors.h"
#include "store/db.h"
#include "util/buf.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct MHD_Connection;
typedef struct req req;
typedef void (*handler_fn)(req *r);

typedef enum {
    SCOPE_NONE,     /* role check only */
    SCOPE_PERSON,   /* path parameter {id} is a person; authz_person() decides, 404 outside scope */
    SCOPE_FACILITY, /* path parameter {id} is a facility; authz_facility() decides, 404 outside */
    SCOPE_OFFER,    /* path parameter {id} is a job offer; authz_facility() on its facility */
    SCOPE_APPLICATION,  /* {id} is an application; authz_application() decides, 404 outside */
    SCOPE_NOTIFICATION, /* {id} is a notification; authz_notification() decides, 404 outside */
    SCOPE_TASK,         /* {id} is a casework task; authz_center_record() on its prefecture */
    SCOPE_CONSULTATION, /* {id} is a consultation; authz_center_record() on its prefecture */
    SCOPE_HELPDESK,     /* {id} is a help-desk ticket; authz_center_record() on its prefecture */
} scope_kind;

typedef struct route {
    const char *method;
    const char *path; /* e.g. "/api/v1/people/{id}" */
    unsigned roles;   /* ROLES_PUBLIC or a set of role bits */
    scope_kind scope;
    size_t max_body; /* 0 = the configured default */
    handler_fn fn;
    const char *summary; /* English, for logs and `nccs routes` */
    unsigned flags;      /* ROUTE_* */
} route;

#define ROUTE_NO_BODY  1u /* a write that takes no body (an empty body is not an error) */
#define ROUTE_RAW_BODY 2u /* the body is a file (any content type but JSON), not parsed */

#define REQ_MAX_PARAMS  4
#define REQ_MAX_HEADERS 8

struct req {
    struct MHD_Connection *conn;
    const char *method; /* borrowed from MHD for the request's life */
    const char *url;
    const route *route;
    char params[REQ_MAX_PARAMS][128];
    int nparams;
    nbuf body;
    bool body_over;
    bool content_type_bad;
    json_t *json; /* parsed body, owned */
    db *db;       /* the worker thread's connection (not owned) */

    bool signed_in;
    principal actor;
    int64_t session_id;
    char csrf[64];
    principal subject; /* the person (SCOPE_PERSON), facility (SCOPE_FACILITY: id = facility) or
                        * offer (SCOPE_OFFER: id = offer, facility_id, prefecture) */

    char ip[64];
    char ua[256];
    int64_t t0_us;

    int status;
    char *resp; /* owned; malloc'd */
    size_t resp_len;
    const char *content_type; /* static; NULL = JSON */
    struct {
        char name[32];
        char value[512];
    } headers[REQ_MAX_HEADERS];
    int nheaders;
    bool replied;
};

/* ---- used by handlers ---- */
/* Replies with JSON; takes ownership of body (may be NULL for an empty body). */
void reply_json(req *r, int status, json_t *body);
void reply_empty(req *r, int status);
/* Replies with JSON text that is already serialised; takes json (malloc'd). */
void reply_raw_json(req *r, int status, char *json);
/* Replies with a registry error; field may be NULL. */
void reply_error(req *r, err_id id, const char *field);
/* Replies with an error defined outside the registry (a domain module's code and message). */
void reply_error_def(req *r, const err_def *d, const char *field);
/* 422 with every field error. */
void reply_validation(req *r, const verrs *e);
/* The same with one more member in the error object (takes extra; key/extra may be NULL). */
void reply_validation_with(req *r, const verrs *e, const char *key, json_t *extra);
/* Adds a response header (ignored when full). */
void req_add_header(req *r, const char *name, const char *value);
const char *req_header(req *r, const char *name);
const char *req_query(req *r, const char *name);
/* Parses a positive int64 path parameter i; replies 400 request.bad_parameter and returns -1
 * if malformed. */
int req_param_id(req *r, int i, int64_t *out);

#endif
