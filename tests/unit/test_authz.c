/* Unit tests for src/domain/authz: the route and person decision matrices. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/authz.h"

#include <stdbool.h>
#include <string.h>

static const role ALL_ROLES[] = {ROLE_SEEKER,    ROLE_FACILITY_ADMIN, ROLE_FACILITY_STAFF,
                                 ROLE_COUNSELOR, ROLE_CENTER_ADMIN,   ROLE_CENTRAL,
                                 ROLE_SYSADMIN};
#define NROLES (sizeof ALL_ROLES / sizeof ALL_ROLES[0])

static principal mk(int64_t id, role r, const char *pref, int64_t facility)
{
    principal p;
    memset(&p, 0, sizeof p);
    p.id = id;
    p.role = r;
    memcpy(p.prefecture, pref, strlen(pref) + 1);
    p.facility_id = facility;
    return p;
}

/* ---- authz_route --------------------------------------------------------------------- */

static void test_route_matrix(void **state)
{
    (void)state;
    struct {
        unsigned set;
        const char *name;
        /* expected per ALL_ROLES index */
        authz_result want[NROLES];
    } rows[] = {
        {ROLES_PUBLIC,
         "public",
         {AUTHZ_ALLOW, AUTHZ_ALLOW, AUTHZ_ALLOW, AUTHZ_ALLOW, AUTHZ_ALLOW, AUTHZ_ALLOW,
          AUTHZ_ALLOW}},
        {ROLES_ANY,
         "any",
         {AUTHZ_ALLOW, AUTHZ_ALLOW, AUTHZ_ALLOW, AUTHZ_ALLOW, AUTHZ_ALLOW, AUTHZ_ALLOW,
          AUTHZ_ALLOW}},
        {ROLES_STAFF,
         "staff",
         {AUTHZ_DENY, AUTHZ_DENY, AUTHZ_DENY, AUTHZ_ALLOW, AUTHZ_ALLOW, AUTHZ_ALLOW, AUTHZ_ALLOW}},
        {ROLE_SEEKER,
         "seeker",
         {AUTHZ_ALLOW, AUTHZ_DENY, AUTHZ_DENY, AUTHZ_DENY, AUTHZ_DENY, AUTHZ_DENY, AUTHZ_DENY}},
        {ROLES_FACILITY,
         "facility",
         {AUTHZ_DENY, AUTHZ_ALLOW, AUTHZ_ALLOW, AUTHZ_DENY, AUTHZ_DENY, AUTHZ_DENY, AUTHZ_DENY}},
        {ROLES_CENTER,
         "center",
         {AUTHZ_DENY, AUTHZ_DENY, AUTHZ_DENY, AUTHZ_ALLOW, AUTHZ_ALLOW, AUTHZ_DENY, AUTHZ_DENY}},
        {ROLE_SYSADMIN,
         "sysadmin",
         {AUTHZ_DENY, AUTHZ_DENY, AUTHZ_DENY, AUTHZ_DENY, AUTHZ_DENY, AUTHZ_DENY, AUTHZ_ALLOW}},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        for (size_t k = 0; k < NROLES; k++) {
            principal p = mk(1, ALL_ROLES[k], "13", 0);
            authz_result got = authz_route(&p, rows[i].set);
            if (got != rows[i].want[k])
                fail_msg("route set %s, role %s: got %d want %d", rows[i].name,
                         role_name(ALL_ROLES[k]), got, rows[i].want[k]);
        }
        /* anonymous, and a principal without a role */
        principal none = mk(0, ROLE_NONE, "", 0);
        authz_result want_anon = rows[i].set == ROLES_PUBLIC ? AUTHZ_ALLOW : AUTHZ_LOGIN;
        assert_int_equal(authz_route(NULL, rows[i].set), want_anon);
        assert_int_equal(authz_route(&none, rows[i].set), want_anon);
    }
}

static void test_route_result_codes(void **state)
{
    (void)state;
    /* The enum doubles as the HTTP status. */
    assert_int_equal(AUTHZ_ALLOW, 0);
    assert_int_equal(AUTHZ_LOGIN, 401);
    assert_int_equal(AUTHZ_DENY, 403);
    assert_int_equal(AUTHZ_HIDDEN, 404);
    assert_int_equal(ROLES_ANY, ROLE_SEEKER | ROLE_FACILITY_ADMIN | ROLE_FACILITY_STAFF |
                                    ROLE_COUNSELOR | ROLE_CENTER_ADMIN | ROLE_CENTRAL |
                                    ROLE_SYSADMIN);
}

/* ---- authz_person -------------------------------------------------------------------- */

static void test_person_center_scope(void **state)
{
    (void)state;
    principal tokyo_seeker = mk(100, ROLE_SEEKER, "13", 0);
    principal osaka_seeker = mk(101, ROLE_SEEKER, "27", 0);
    principal nopref_seeker = mk(102, ROLE_SEEKER, "", 0);
    const role center[] = {ROLE_COUNSELOR, ROLE_CENTER_ADMIN};
    for (size_t i = 0; i < 2; i++) {
        principal a = mk(1, center[i], "13", 0);
        assert_int_equal(authz_person(&a, &tokyo_seeker), AUTHZ_ALLOW);
        assert_int_equal(authz_person(&a, &osaka_seeker), AUTHZ_HIDDEN);
        assert_int_equal(authz_person(&a, &nopref_seeker), AUTHZ_HIDDEN);
        /* A center account without a prefecture sees nobody, not even prefecture-less people. */
        principal b = mk(2, center[i], "", 0);
        assert_int_equal(authz_person(&b, &nopref_seeker), AUTHZ_HIDDEN);
        assert_int_equal(authz_person(&b, &tokyo_seeker), AUTHZ_HIDDEN);
        /* Prefix of another code is not a match. */
        principal c = mk(3, center[i], "1", 0);
        assert_int_equal(authz_person(&c, &tokyo_seeker), AUTHZ_HIDDEN);
    }
}

static void test_person_central_and_others(void **state)
{
    (void)state;
    principal tokyo_seeker = mk(100, ROLE_SEEKER, "13", 0);
    principal nopref_seeker = mk(102, ROLE_SEEKER, "", 0);
    const role wide[] = {ROLE_CENTRAL, ROLE_SYSADMIN};
    for (size_t i = 0; i < 2; i++) {
        principal a = mk(1, wide[i], "", 0);
        assert_int_equal(authz_person(&a, &tokyo_seeker), AUTHZ_ALLOW);
        assert_int_equal(authz_person(&a, &nopref_seeker), AUTHZ_ALLOW);
        principal b = mk(1, wide[i], "27", 0);
        assert_int_equal(authz_person(&b, &tokyo_seeker), AUTHZ_ALLOW);
    }
    const role facility[] = {ROLE_FACILITY_ADMIN, ROLE_FACILITY_STAFF};
    for (size_t i = 0; i < 2; i++) {
        principal f = mk(5, facility[i], "13", 9);
        assert_int_equal(authz_person(&f, &tokyo_seeker), AUTHZ_HIDDEN);
    }

    /* seekers: only themselves */
    principal self = mk(100, ROLE_SEEKER, "13", 0);
    assert_int_equal(authz_person(&self, &tokyo_seeker), AUTHZ_ALLOW);
    principal other = mk(200, ROLE_SEEKER, "13", 0);
    assert_int_equal(authz_person(&other, &tokyo_seeker), AUTHZ_HIDDEN);

    /* anonymous */
    principal none = mk(0, ROLE_NONE, "", 0);
    assert_int_equal(authz_person(NULL, &tokyo_seeker), AUTHZ_LOGIN);
    assert_int_equal(authz_person(&none, &tokyo_seeker), AUTHZ_LOGIN);
}

static void test_person_subject_not_seeker(void **state)
{
    (void)state;
    /* Staff and facility accounts are never readable as people, by anyone, even themselves. */
    for (size_t s = 0; s < NROLES; s++) {
        if (ALL_ROLES[s] == ROLE_SEEKER)
            continue;
        principal subject = mk(50, ALL_ROLES[s], "13", 0);
        for (size_t a = 0; a < NROLES; a++) {
            principal actor = mk(ALL_ROLES[a] == ALL_ROLES[s] ? 50 : 1, ALL_ROLES[a], "13", 0);
            if (authz_person(&actor, &subject) != AUTHZ_HIDDEN)
                fail_msg("%s may see %s", role_name(ALL_ROLES[a]), role_name(ALL_ROLES[s]));
        }
    }
    principal none_subject = mk(50, ROLE_NONE, "13", 0);
    principal central = mk(1, ROLE_CENTRAL, "", 0);
    assert_int_equal(authz_person(&central, &none_subject), AUTHZ_HIDDEN);
    assert_int_equal(authz_person(&central, NULL), AUTHZ_HIDDEN);
}

/* ---- authz_people_filter ------------------------------------------------------------- */

static void test_people_filter(void **state)
{
    (void)state;
    assert_null(authz_people_filter(NULL));
    principal p = mk(1, ROLE_CENTRAL, "", 0);
    assert_string_equal(authz_people_filter(&p), "");
    p = mk(1, ROLE_SYSADMIN, "13", 0);
    assert_string_equal(authz_people_filter(&p), "");
    p = mk(1, ROLE_COUNSELOR, "13", 0);
    assert_string_equal(authz_people_filter(&p), "13");
    p = mk(1, ROLE_CENTER_ADMIN, "27", 0);
    assert_string_equal(authz_people_filter(&p), "27");
    p = mk(1, ROLE_COUNSELOR, "", 0);
    assert_null(authz_people_filter(&p));
    p = mk(1, ROLE_CENTER_ADMIN, "", 0);
    assert_null(authz_people_filter(&p));
    const role none[] = {ROLE_NONE, ROLE_SEEKER, ROLE_FACILITY_ADMIN, ROLE_FACILITY_STAFF};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        p = mk(1, none[i], "13", 3);
        assert_null(authz_people_filter(&p));
    }
}

/* ---- role names ---------------------------------------------------------------------- */

static void test_role_names(void **state)
{
    (void)state;
    const char *names[] = {"seeker",       "facility_admin", "facility_staff", "counselor",
                           "center_admin", "central",        "sysadmin"};
    for (size_t i = 0; i < NROLES; i++) {
        assert_string_equal(role_name(ALL_ROLES[i]), names[i]);
        assert_int_equal(role_parse(names[i]), ALL_ROLES[i]);
        assert_int_equal(role_parse(role_name(ALL_ROLES[i])), ALL_ROLES[i]);
        const char *label = role_label(ALL_ROLES[i]);
        assert_true(label[0] != '\0');
        assert_true((unsigned char)label[0] >= 0x80); /* Japanese */
    }
    assert_string_equal(role_label(ROLE_COUNSELOR), "相談員");
    assert_string_equal(role_label(ROLE_SEEKER), "求職者");

    const char *unknown[] = {"",      "Seeker", "SEEKER",   "seeker ",   " seeker",
                             "admin", "none",   "facility", "sysadmin\n"};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        assert_int_equal(role_parse(unknown[i]), ROLE_NONE);
    assert_int_equal(role_parse(NULL), ROLE_NONE);
    assert_string_equal(role_name(ROLE_NONE), "");
    assert_string_equal(role_name((role)ROLES_STAFF), "");
    assert_string_equal(role_label(ROLE_NONE), "");
    assert_string_equal(role_label((role)(1 << 7)), "");
}

/* ---- authz_application ------------------------------------------------------------------ */

static void test_application_scope(void **state)
{
    (void)state;
    /* A case of nurse 10 on facility 7's offer, handled by center 13. */
    authz_app app = {.seeker_id = 10, .facility_id = 7, .prefecture = "13", .referred = false};
    const struct {
        principal p;
        authz_result before, after; /* before / after the referral */
    } rows[] = {
        {mk(10, ROLE_SEEKER, "13", 0), AUTHZ_ALLOW, AUTHZ_ALLOW},
        {mk(11, ROLE_SEEKER, "13", 0), AUTHZ_HIDDEN, AUTHZ_HIDDEN}, /* another nurse */
        {mk(20, ROLE_FACILITY_ADMIN, "27", 7), AUTHZ_HIDDEN, AUTHZ_ALLOW},
        {mk(21, ROLE_FACILITY_STAFF, "27", 7), AUTHZ_HIDDEN, AUTHZ_ALLOW},
        {mk(22, ROLE_FACILITY_ADMIN, "13", 8), AUTHZ_HIDDEN, AUTHZ_HIDDEN}, /* another facility */
        {mk(23, ROLE_FACILITY_ADMIN, "13", 0), AUTHZ_HIDDEN, AUTHZ_HIDDEN}, /* no facility */
        {mk(30, ROLE_COUNSELOR, "13", 0), AUTHZ_ALLOW, AUTHZ_ALLOW},
        {mk(31, ROLE_CENTER_ADMIN, "13", 0), AUTHZ_ALLOW, AUTHZ_ALLOW},
        {mk(32, ROLE_COUNSELOR, "27", 0), AUTHZ_HIDDEN, AUTHZ_HIDDEN}, /* the offer's pref */
        {mk(33, ROLE_COUNSELOR, "", 0), AUTHZ_HIDDEN, AUTHZ_HIDDEN},
        {mk(40, ROLE_CENTRAL, "", 0), AUTHZ_ALLOW, AUTHZ_ALLOW},
        {mk(41, ROLE_SYSADMIN, "", 0), AUTHZ_ALLOW, AUTHZ_ALLOW},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        app.referred = false;
        assert_int_equal(authz_application(&rows[i].p, &app), rows[i].before);
        app.referred = true;
        assert_int_equal(authz_application(&rows[i].p, &app), rows[i].after);
    }
    principal none = mk(0, ROLE_NONE, "", 0);
    assert_int_equal(authz_application(NULL, &app), AUTHZ_LOGIN);
    assert_int_equal(authz_application(&none, &app), AUTHZ_LOGIN);
    assert_int_equal(authz_application(&rows[0].p, NULL), AUTHZ_HIDDEN);
}

static void test_applications_filter(void **state)
{
    (void)state;
    principal p = mk(1, ROLE_SEEKER, "13", 0);
    assert_int_equal(authz_applications_filter(&p), AUTHZ_APPS_SEEKER);
    p = mk(1, ROLE_FACILITY_STAFF, "13", 5);
    assert_int_equal(authz_applications_filter(&p), AUTHZ_APPS_FACILITY);
    p = mk(1, ROLE_FACILITY_ADMIN, "13", 0);
    assert_int_equal(authz_applications_filter(&p), AUTHZ_APPS_NONE);
    p = mk(1, ROLE_COUNSELOR, "13", 0);
    assert_int_equal(authz_applications_filter(&p), AUTHZ_APPS_PREFECTURE);
    p = mk(1, ROLE_CENTER_ADMIN, "", 0);
    assert_int_equal(authz_applications_filter(&p), AUTHZ_APPS_NONE);
    p = mk(1, ROLE_CENTRAL, "", 0);
    assert_int_equal(authz_applications_filter(&p), AUTHZ_APPS_ALL);
    p = mk(1, ROLE_SYSADMIN, "", 0);
    assert_int_equal(authz_applications_filter(&p), AUTHZ_APPS_ALL);
    assert_int_equal(authz_applications_filter(NULL), AUTHZ_APPS_NONE);
}

/* ---- notifications and center records ------------------------------------------------ */

static void test_notification_scope(void **state)
{
    (void)state;
    authz_notif n = {.holder_id = 10, .survivor_id = 0, .facility_id = 5};
    memcpy(n.prefecture, "13", 3);
    principal holder = mk(10, ROLE_SEEKER, "13", 0), other = mk(11, ROLE_SEEKER, "13", 0);
    principal fac = mk(20, ROLE_FACILITY_STAFF, "13", 5),
              fac2 = mk(21, ROLE_FACILITY_ADMIN, "13", 6);
    principal c13 = mk(30, ROLE_COUNSELOR, "13", 0), c27 = mk(31, ROLE_COUNSELOR, "27", 0);
    principal adm27 = mk(32, ROLE_CENTER_ADMIN, "27", 0), cen = mk(33, ROLE_CENTRAL, "", 0);
    assert_int_equal(authz_notification(&holder, &n), AUTHZ_ALLOW);
    assert_int_equal(authz_notification(&other, &n), AUTHZ_HIDDEN);
    assert_int_equal(authz_notification(&fac, &n), AUTHZ_ALLOW);
    assert_int_equal(authz_notification(&fac2, &n), AUTHZ_HIDDEN);
    assert_int_equal(authz_notification(&c13, &n), AUTHZ_ALLOW);
    assert_int_equal(authz_notification(&c27, &n), AUTHZ_HIDDEN);
    assert_int_equal(authz_notification(&adm27, &n), AUTHZ_HIDDEN);
    assert_int_equal(authz_notification(&cen, &n), AUTHZ_ALLOW);
    assert_int_equal(authz_notification(NULL, &n), AUTHZ_LOGIN);
    /* A notification the nurse filed herself has no facility: no facility account sees it. */
    n.facility_id = 0;
    principal nofac = mk(22, ROLE_FACILITY_ADMIN, "13", 0);
    assert_int_equal(authz_notification(&nofac, &n), AUTHZ_HIDDEN);
    /* After a merge the survivor sees the merged record's notifications. */
    n.survivor_id = 11;
    assert_int_equal(authz_notification(&other, &n), AUTHZ_ALLOW);
}

static void test_notification_filer(void **state)
{
    (void)state;
    assert_int_equal(authz_notification_filer(NULL), AUTHZ_ALLOW);
    for (size_t i = 0; i < NROLES; i++) {
        principal p = mk(1, ALL_ROLES[i], "13", 1);
        assert_int_equal(authz_notification_filer(&p),
                         ALL_ROLES[i] == ROLE_SEEKER ? AUTHZ_ALLOW : AUTHZ_DENY);
    }
}

static void test_center_record_and_sensitive(void **state)
{
    (void)state;
    for (size_t i = 0; i < NROLES; i++) {
        principal p = mk(1, ALL_ROLES[i], "13", 1);
        bool center = ALL_ROLES[i] == ROLE_COUNSELOR || ALL_ROLES[i] == ROLE_CENTER_ADMIN;
        bool national = ALL_ROLES[i] == ROLE_CENTRAL || ALL_ROLES[i] == ROLE_SYSADMIN;
        assert_int_equal(authz_center_record(&p, "13"),
                         center || national ? AUTHZ_ALLOW : AUTHZ_HIDDEN);
        assert_int_equal(authz_center_record(&p, "27"), national ? AUTHZ_ALLOW : AUTHZ_HIDDEN);
        /* The sensitive compartment: center staff with the grant only. */
        assert_true(authz_sensitive(&p, true) == center);
        assert_false(authz_sensitive(&p, false));
    }
    assert_int_equal(authz_center_record(NULL, "13"), AUTHZ_LOGIN);
}

/* Report tables: central any scope; sysadmin no personal tables; center staff only their own
 * prefecture and no national-only tables; everyone else denied. */
static void test_report_scope(void **state)
{
    (void)state;
    principal central = mk(1, ROLE_CENTRAL, "", 0), sys = mk(2, ROLE_SYSADMIN, "", 0);
    principal c13 = mk(3, ROLE_COUNSELOR, "13", 0), a13 = mk(4, ROLE_CENTER_ADMIN, "13", 0);
    principal nopref = mk(5, ROLE_COUNSELOR, "", 0);
    assert_int_equal(authz_report(NULL, "", false, false), AUTHZ_LOGIN);
    assert_int_equal(authz_report(&central, "", true, false), AUTHZ_ALLOW);
    assert_int_equal(authz_report(&central, "27", false, true), AUTHZ_ALLOW);
    assert_int_equal(authz_report(&sys, "", true, false), AUTHZ_ALLOW);
    assert_int_equal(authz_report(&sys, "13", false, true), AUTHZ_DENY);
    assert_int_equal(authz_report(&c13, "13", false, true), AUTHZ_ALLOW);
    assert_int_equal(authz_report(&a13, "13", false, false), AUTHZ_ALLOW);
    assert_int_equal(authz_report(&c13, "27", false, false), AUTHZ_DENY);
    assert_int_equal(authz_report(&c13, "", false, false), AUTHZ_DENY);
    assert_int_equal(authz_report(&c13, "13", true, false), AUTHZ_DENY);
    assert_int_equal(authz_report(&nopref, "", false, false), AUTHZ_DENY);
    static const role others[] = {ROLE_SEEKER, ROLE_FACILITY_ADMIN, ROLE_FACILITY_STAFF};
    for (size_t k = 0; k < 3; k++) {
        principal p = mk(9, others[k], "13", 7);
        assert_int_equal(authz_report(&p, "13", false, false), AUTHZ_DENY);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_route_matrix),
        cmocka_unit_test(test_route_result_codes),
        cmocka_unit_test(test_person_center_scope),
        cmocka_unit_test(test_person_central_and_others),
        cmocka_unit_test(test_person_subject_not_seeker),
        cmocka_unit_test(test_people_filter),
        cmocka_unit_test(test_application_scope),
        cmocka_unit_test(test_applications_filter),
        cmocka_unit_test(test_role_names),
        cmocka_unit_test(test_notification_scope),
        cmocka_unit_test(test_notification_filer),
        cmocka_unit_test(test_center_record_and_sensitive),
        cmocka_unit_test(test_report_scope),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
