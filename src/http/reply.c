#include "http/req.h"
#include "util/log.h"
#include "util/str.h"
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void reply_json(req *r, int status, json_t *body)
{
    free(r->resp);
    r->resp = NULL;
    r->resp_len = 0;
    if (body) {
        r->resp = json_dumps(body, JSON_COMPACT);
        json_decref(body);
        if (!r->resp) {
            log_error("json_dumps failed");
            status = 500;
            r->resp = strdup("{\"error\":{\"code\":\"server.internal\",\"message\":"
                             "\"システムでエラーが発生しました。\",\"field\":null}}");
        }
        r->resp_len = r->resp ? strlen(r->resp) : 0;
    }
    r->status = status;
    r->replied = true;
}

void reply_raw_json(req *r, int status, char *json)
{
    free(r->resp);
    r->resp = json;
    r->resp_len = json ? strlen(json) : 0;
    r->status = status;
    r->replied = true;
}

void reply_empty(req *r, int status)
{
    reply_json(r, status, NULL);
}

static json_t *error_body(const err_def *d, const char *field)
{
    return json_pack("{s:{s:s,s:s,s:o}}", "error", "code", d->code, "message", d->message, "field",
                     field ? json_string(field) : json_null());
}

void reply_error(req *r, err_id id, const char *field)
{
    const err_def *d = err_get(id);
    reply_json(r, d->status, error_body(d, field));
}

void reply_error_def(req *r, const err_def *d, const char *field)
{
    reply_json(r, d->status, error_body(d, field));
}

void reply_validation(req *r, const verrs *e)
{
    reply_validation_with(r, e, NULL, NULL);
}

void reply_validation_with(req *r, const verrs *e, const char *key, json_t *extra)
{
    const err_def *d = err_get(E_VALIDATION);
    json_t *body = error_body(d, e->n == 1 ? e->items[0].field : NULL);
    json_t *fields = json_array();
    for (int i = 0; i < e->n; i++)
        json_array_append_new(fields, json_pack("{s:s,s:s,s:s}", "field", e->items[i].field, "code",
                                                e->items[i].code, "message", e->items[i].message));
    json_object_set_new(json_object_get(body, "error"), "fields", fields);
    if (key && extra)
        json_object_set_new(json_object_get(body, "error"), key, extra);
    reply_json(r, d->status, body);
}

void req_add_header(req *r, const char *name, const char *value)
{
    if (r->nheaders >= REQ_MAX_HEADERS)
        return;
    str_copy(r->headers[r->nheaders].name, sizeof r->headers[0].name, name);
    str_copy(r->headers[r->nheaders].value, sizeof r->headers[0].value, value);
    r->nheaders++;
}

const char *req_header(req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_query(req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

int req_param_id(req *r, int i, int64_t *out)
{
    if (i >= r->nparams || str_to_i64(r->params[i], 1, INT64_MAX, out) != 0) {
        reply_error(r, E_BAD_PARAMETER, "id");
        return -1;
    }
    return 0;
}
