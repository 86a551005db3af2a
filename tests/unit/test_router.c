/* Unit tests for src/http/router against the real route table g_routes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "http/router.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    match_result rc;
    const route *r;
    char params[REQ_MAX_PARAMS][128];
    int np;
    char allow[128];
} m;

static m match(const char *method, const char *path)
{
    m x;
    memset(&x, 0, sizeof x);
    x.np = -1;
    x.rc = router_match(method, path, &x.r, x.params, &x.np, x.allow, sizeof x.allow);
    return x;
}

static void test_person_routes(void **state)
{
    (void)state;
    m x = match("GET", "/api/v1/people/42");
    assert_int_equal(x.rc, MATCH_OK);
    assert_non_null(x.r);
    assert_string_equal(x.r->path, "/api/v1/people/{id}");
    assert_string_equal(x.r->method, "GET");
    assert_int_equal(x.np, 1);
    assert_string_equal(x.params[0], "42");
    assert_int_equal(x.r->scope, SCOPE_PERSON);
    assert_int_equal(x.r->roles, ROLES_STAFF);

    x = match("GET", "/api/v1/people/42/audit");
    assert_int_equal(x.rc, MATCH_OK);
    assert_string_equal(x.r->path, "/api/v1/people/{id}/audit");
    assert_int_equal(x.np, 1);
    assert_string_equal(x.params[0], "42");
    assert_int_equal(x.r->scope, SCOPE_PERSON);

    /* The parameter is any non-empty segment; the handler parses it. */
    x = match("GET", "/api/v1/people/abc");
    assert_int_equal(x.rc, MATCH_OK);
    assert_string_equal(x.params[0], "abc");

    x = match("GET", "/api/v1/people");
    assert_int_equal(x.rc, MATCH_OK);
    assert_string_equal(x.r->path, "/api/v1/people");
    assert_int_equal(x.np, 0);
}

static void test_static_routes(void **state)
{
    (void)state;
    m x = match("GET", "/healthz");
    assert_int_equal(x.rc, MATCH_OK);
    assert_string_equal(x.r->path, "/healthz");
    assert_int_equal(x.r->roles, ROLES_PUBLIC);
    assert_int_equal(x.np, 0);

    x = match("GET", "/api/v1/ref");
    assert_int_equal(x.rc, MATCH_OK);
    assert_string_equal(x.r->path, "/api/v1/ref");
    x = match("GET", "/api/v1/ref/municipalities");
    assert_int_equal(x.rc, MATCH_OK);
    assert_string_equal(x.r->path, "/api/v1/ref/municipalities");

    x = match("POST", "/api/v1/auth/password-reset");
    assert_int_equal(x.rc, MATCH_OK);
    assert_string_equal(x.r->path, "/api/v1/auth/password-reset");
    x = match("POST", "/api/v1/auth/password-reset/complete");
    assert_int_equal(x.rc, MATCH_OK);
    assert_string_equal(x.r->path, "/api/v1/auth/password-reset/complete");

    x = match("GET", "/api/v1/me/views");
    assert_int_equal(x.rc, MATCH_OK);
    assert_int_equal(x.r->roles, ROLE_SEEKER);
}

static void test_head(void **state)
{
    (void)state;
    m x = match("HEAD", "/api/v1/me");
    assert_int_equal(x.rc, MATCH_OK);
    assert_string_equal(x.r->method, "GET");
    assert_string_equal(x.r->path, "/api/v1/me");

    x = match("HEAD", "/api/v1/people/7");
    assert_int_equal(x.rc, MATCH_OK);
    assert_string_equal(x.params[0], "7");

    /* HEAD does not reach a POST-only route. */
    x = match("HEAD", "/api/v1/auth/login");
    assert_int_equal(x.rc, MATCH_BAD_METHOD);
    assert_string_equal(x.allow, "POST");
}

static void test_bad_method(void **state)
{
    (void)state;
    m x = match("POST", "/api/v1/people/42");
    assert_int_equal(x.rc, MATCH_BAD_METHOD);
    assert_string_equal(x.allow, "GET");

    x = match("DELETE", "/api/v1/people/42/audit");
    assert_int_equal(x.rc, MATCH_BAD_METHOD);
    assert_string_equal(x.allow, "GET");

    x = match("GET", "/api/v1/auth/login");
    assert_int_equal(x.rc, MATCH_BAD_METHOD);
    assert_string_equal(x.allow, "POST");

    x = match("PUT", "/healthz");
    assert_int_equal(x.rc, MATCH_BAD_METHOD);
    assert_string_equal(x.allow, "GET");

    /* Methods are case-sensitive. */
    x = match("get", "/healthz");
    assert_int_equal(x.rc, MATCH_BAD_METHOD);

    /* No room for the list: allow stays a valid empty string. */
    const route *r = NULL;
    char params[REQ_MAX_PARAMS][128];
    int np = 0;
    char allow[4] = "xyz";
    assert_int_equal(router_match("POST", "/healthz", &r, params, &np, allow, sizeof allow),
                     MATCH_BAD_METHOD);
    assert_string_equal(allow, "");
    assert_int_equal(router_match("POST", "/healthz", &r, params, &np, allow, 0), MATCH_BAD_METHOD);
}

static void test_no_path(void **state)
{
    (void)state;
    const char *paths[] = {"",
                           "/",
                           "/api",
                           "/api/v1",
                           "/api/v1/",
                           "/api/v1/nothing",
                           "/api/v1/people/",           /* empty parameter */
                           "/api/v1/people/42/",        /* trailing slash */
                           "/api/v1/people//audit",     /* empty segment */
                           "/api/v1/people/42/audit/",  /* trailing slash */
                           "/api/v1/people/42/audit/x", /* extra segment */
                           "/api/v1/people/42/audits",
                           "/api/v1/people/4/2",
                           "/api/v1/me/",
                           "//api/v1/me",
                           "/api//v1/me",
                           "/api/v1/mex",
                           "/api/v1/m",
                           "/healthz/",
                           "/HEALTHZ",
                           "/healthz?x=1"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        m x = match("GET", paths[i]);
        if (x.rc != MATCH_NO_PATH)
            fail_msg("path [%s] gave %d, want MATCH_NO_PATH", paths[i], x.rc);
        m y = match("POST", paths[i]);
        if (y.rc != MATCH_NO_PATH)
            fail_msg("POST [%s] gave %d, want MATCH_NO_PATH", paths[i], y.rc);
    }
}

static void test_param_length(void **state)
{
    (void)state;
    char path[300];
    char seg[200];
    memset(seg, '9', 127);
    seg[127] = '\0';
    snprintf(path, sizeof path, "/api/v1/people/%s", seg);
    m x = match("GET", path);
    assert_int_equal(x.rc, MATCH_OK);
    assert_int_equal(strlen(x.params[0]), 127);

    seg[127] = '9';
    seg[128] = '\0';
    snprintf(path, sizeof path, "/api/v1/people/%s", seg);
    x = match("GET", path);
    assert_int_equal(x.rc, MATCH_NO_PATH);
}

/* Every entry of the table is reachable with its own method, and finds itself. */
static void test_every_route_matches_itself(void **state)
{
    (void)state;
    int count = 0;
    for (const route *r = g_routes; r->method; r++) {
        char path[256];
        size_t n = 0;
        for (const char *p = r->path; *p && n < sizeof path - 8;) {
            if (*p == '{') {
                const char *close = strchr(p, '}');
                assert_non_null(close);
                memcpy(path + n, "17", 2);
                n += 2;
                p = close + 1;
            } else {
                path[n++] = *p++;
            }
        }
        path[n] = '\0';
        m x = match(r->method, path);
        assert_int_equal(x.rc, MATCH_OK);
        if (x.r != r)
            fail_msg("%s %s matched %s %s", r->method, path, x.r->method, x.r->path);
        assert_non_null(r->fn);
        assert_non_null(r->summary);
        count++;
    }
    assert_true(count >= 19);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_person_routes),
        cmocka_unit_test(test_static_routes),
        cmocka_unit_test(test_head),
        cmocka_unit_test(test_bad_method),
        cmocka_unit_test(test_no_path),
        cmocka_unit_test(test_param_length),
        cmocka_unit_test(test_every_route_matches_itself),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
