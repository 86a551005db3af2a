/* The one static route table (defined in api/routes.c) and path matching. */
#ifndef NCCS_HTTP_ROUTER_H
#define NCCS_HTTP_ROUTER_H
#include "http/req.h"
#include <stdbool.h>

extern const route g_routes[]; /* terminated by an entry with method == NULL */

typedef enum { MATCH_OK, MATCH_NO_PATH, MATCH_BAD_METHOD } match_result;

/* Matches method+path. On MATCH_OK *out is the route and params are filled. On
 * MATCH_BAD_METHOD, allow receives the allowed methods ("GET, POST"). */
match_result router_match(const char *method, const char *path, const route **out,
                          char params[][128], int *nparams, char *allow, size_t allow_cap);

#endif
