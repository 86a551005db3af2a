#include "http/router.h"
#include "util/str.h"
#include <string.h>

/* Matches one pattern against a path; '{name}' matches one non-empty segment. */
static bool match_one(const char *pat, const char *path, char params[][128], int *np)
{
    int n = 0;
    while (*pat && *path) {
        if (*pat == '{') {
            const char *close = strchr(pat, '}');
            if (!close)
                return false;
            size_t len = strcspn(path, "/");
            if (len == 0 || len >= 128 || n >= REQ_MAX_PARAMS)
                return false;
            memcpy(params[n], path, len);
            params[n][len] = '\0';
            n++;
            pat = close + 1;
            path += len;
            continue;
        }
        if (*pat != *path)
            return false;
        pat++;
        path++;
    }
    if (*pat || *path)
        return false;
    *np = n;
    return true;
}

match_result router_match(const char *method, const char *path, const route **out,
                          char params[][128], int *nparams, char *allow, size_t allow_cap)
{
    bool path_found = false;
    if (allow_cap)
        allow[0] = '\0';
    size_t used = 0;
    for (const route *r = g_routes; r->method; r++) {
        int np = 0;
        if (!match_one(r->path, path, params, &np))
            continue;
        bool same =
            !strcmp(r->method, method) || (!strcmp(method, "HEAD") && !strcmp(r->method, "GET"));
        if (same) {
            *out = r;
            *nparams = np;
            return MATCH_OK;
        }
        path_found = true;
        if (allow_cap && used + strlen(r->method) + 3 < allow_cap) {
            if (used) {
                memcpy(allow + used, ", ", 2);
                used += 2;
            }
            used += str_copy(allow + used, allow_cap - used, r->method);
        }
    }
    return path_found ? MATCH_BAD_METHOD : MATCH_NO_PATH;
}
