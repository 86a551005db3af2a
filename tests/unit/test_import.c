/* Unit tests for the pure parts of `nccs import` (src/cli/import_cells.c and the placement
 * plan of import_cases.c): date and number cells, code/label lists, placeholders, and the
 * steps a historical placement becomes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "cli/import.h"
#include "util/crypto.h"
#include "util/timeutil.h"

#include <stdio.h>
#include <string.h>

static void date_is(const char *in, const char *want)
{
    char out[16] = "";
    if (!want) {
        assert_int_equal(imp_parse_date(in, out, sizeof out), -1);
        return;
    }
    assert_int_equal(imp_parse_date(in, out, sizeof out), 0);
    assert_string_equal(out, want);
}

static void test_dates(void **state)
{
    (void)state;
    date_is("2013-04-01", "2013-04-01");
    date_is("2013/4/1", "2013-04-01");
    date_is("2013.04.1", "2013-04-01");
    date_is("2013-4-01", "2013-04-01");
    date_is("2013年4月1日", "2013-04-01");
    date_is("2013年12月31", "2013-12-31");
    date_is("2012-02-29", "2012-02-29");
    date_is("2013-02-29", NULL); /* not a leap year */
    date_is("2013-02-30", NULL);
    date_is("2013-13-01", NULL);
    date_is("2013-00-10", NULL);
    date_is("2013/04-01", NULL); /* mixed separators */
    date_is("13-04-01", NULL);
    date_is("2013-004-01", NULL);
    date_is("2013-04-01x", NULL);
    date_is("2013-04-01 10:00", NULL); /* a time is not a date */
    date_is("", NULL);
    date_is("1867-12-31", NULL); /* before the era the dates support */
    assert_int_equal(imp_parse_date(NULL, (char[16]){0}, 16), -1);
}

static void test_datetimes(void **state)
{
    (void)state;
    int64_t t = 0;
    const int64_t d = 1364742000; /* 2013-04-01 00:00 JST */
    assert_int_equal(imp_jst_midnight("2013-04-01"), d);
    assert_int_equal(imp_parse_datetime("2013-04-01", &t), 0);
    assert_int_equal(t, d);
    assert_int_equal(imp_parse_datetime("2013/4/1 9:30", &t), 0);
    assert_int_equal(t, d + 9 * 3600 + 30 * 60);
    assert_int_equal(imp_parse_datetime("2013-04-01T23:59:59", &t), 0);
    assert_int_equal(t, d + 86399);
    assert_int_equal(imp_parse_datetime("2013-04-01  00:00", &t), 0);
    assert_int_equal(t, d);
    /* JST midnight is 15:00 UTC the day before */
    assert_int_equal(imp_parse_datetime("2013-04-01 09:00", &t), 0);
    assert_int_equal(t % 86400, 0);
    t = 7;
    assert_int_equal(imp_parse_datetime("2013-04-01 24:00", &t), -1);
    assert_int_equal(imp_parse_datetime("2013-04-01 10:60", &t), -1);
    assert_int_equal(imp_parse_datetime("2013-04-01 10:5", &t), -1);
    assert_int_equal(imp_parse_datetime("2013-04-01 10", &t), -1);
    assert_int_equal(imp_parse_datetime("2013-04-01 10:00:00 JST", &t), -1);
    assert_int_equal(imp_parse_datetime("2013-04-01x10:00", &t), -1);
    assert_int_equal(imp_parse_datetime("2013-02-30 10:00", &t), -1);
    assert_int_equal(t, 7); /* untouched on error */
}

static void test_numbers(void **state)
{
    (void)state;
    int64_t v = -1;
    assert_int_equal(imp_parse_int("0", 0, 10, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(imp_parse_int("250,000", 1, 5000000, &v), 0);
    assert_int_equal(v, 250000);
    assert_int_equal(imp_parse_int("+12", 0, 70, &v), 0);
    assert_int_equal(v, 12);
    assert_int_equal(imp_parse_int("1,2,3", 0, 1000, &v), 0); /* commas between digits */
    assert_int_equal(v, 123);
    v = 99;
    assert_int_equal(imp_parse_int("71", 0, 70, &v), -2);
    assert_int_equal(imp_parse_int("-1", 0, 70, &v), -2);
    assert_int_equal(imp_parse_int("99999999999999999999999", 0, 70, &v), -2);
    assert_int_equal(imp_parse_int("9223372036854775807", 0, INT64_MAX, &v), -2); /* > guard */
    assert_int_equal(imp_parse_int("1.5", 0, 70, &v), -1);
    assert_int_equal(imp_parse_int("1e3", 0, 7000, &v), -1);
    assert_int_equal(imp_parse_int("12,", 0, 70, &v), -1);
    assert_int_equal(imp_parse_int(",12", 0, 70, &v), -1);
    assert_int_equal(imp_parse_int("abc", 0, 70, &v), -1);
    assert_int_equal(imp_parse_int("", 0, 70, &v), -1);
    assert_int_equal(imp_parse_int(" 5", 0, 70, &v), -1); /* cells come trimmed */
    assert_int_equal(imp_parse_int(NULL, 0, 70, &v), -1);
    assert_int_equal(v, 99);
}

static void test_formulas_and_placeholders(void **state)
{
    (void)state;
    const char *bad[] = {"=1+1", "+1", "-2", "@SUM(A1)", "  =cmd", "\t+x", NULL};
    for (int i = 0; bad[i]; i++)
        assert_true(imp_formula_like(bad[i]));
    const char *ok[] = {"1+1", "看護師", "a=b", "", " ", "03-1234-5678", NULL};
    for (int i = 0; ok[i]; i++)
        assert_false(imp_formula_like(ok[i]));
    char a[64], b[64], c[64];
    imp_placeholder_email("licence:kangoshi:123", a, sizeof a);
    imp_placeholder_email("licence:kangoshi:123", b, sizeof b);
    imp_placeholder_email("licence:kangoshi:124", c, sizeof c);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    assert_int_equal(strlen(a), strlen("imp-0123456789abcdef@import.invalid"));
    assert_memory_equal(a, "imp-", 4);
    assert_string_equal(a + 20, "@import.invalid");
    /* SHA-256("licence:kangoshi:123") starts with these 16 hex digits */
    assert_string_equal(a, "imp-82aac897f3938cc3@import.invalid");
}

static void test_lists(void **state)
{
    (void)state;
    imp_dict d;
    imp_dict_init(&d);
    assert_int_equal(imp_dict_add(&d, "hospital", "hospital"), 0);
    assert_int_equal(imp_dict_add(&d, "病院", "hospital"), 0);
    assert_int_equal(imp_dict_add(&d, "clinic", "clinic"), 0);
    assert_int_equal(imp_dict_add(&d, "診療所", "clinic"), 0);
    assert_int_equal(imp_dict_add(&d, "care_other", "care_other"), 0);
    assert_int_equal(imp_dict_add(&d, "その他の介護・福祉施設", "care_other"), 0);
    assert_int_equal(imp_dict_add(&d, "インターネット（PC）", "pc"), 0); /* stored as NFKC */
    assert_int_equal(imp_dict_add(&d, "病院", "other"), 0);              /* first wins */
    assert_string_equal(imp_dict_get(&d, "病院"), "hospital");
    assert_string_equal(imp_dict_get(&d, "インターネット(PC)"), "pc");
    assert_null(imp_dict_get(&d, "インターネット（PC）")); /* lookups take NFKC text */
    assert_null(imp_dict_get(&d, NULL));

    const char *out[8];
    char bad[64];
    assert_int_equal(imp_dict_list(&d, "", out, 8, bad, sizeof bad), 0);
    assert_int_equal(imp_dict_list(&d, "病院", out, 8, bad, sizeof bad), 1);
    assert_string_equal(out[0], "hospital");
    assert_int_equal(imp_dict_list(&d, "病院・診療所", out, 8, bad, sizeof bad), 2);
    assert_string_equal(out[1], "clinic");
    assert_int_equal(imp_dict_list(&d, "clinic | hospital", out, 8, bad, sizeof bad), 2);
    assert_string_equal(out[0], "clinic");
    assert_int_equal(imp_dict_list(&d, "病院、clinic,", out, 8, bad, sizeof bad), 2);
    assert_int_equal(imp_dict_list(&d, "病院/診療所", out, 8, bad, sizeof bad), 2);
    /* a label holding the middle dot is one item, also next to others */
    assert_int_equal(imp_dict_list(&d, "その他の介護・福祉施設", out, 8, bad, sizeof bad), 1);
    assert_string_equal(out[0], "care_other");
    assert_int_equal(
        imp_dict_list(&d, "病院・その他の介護・福祉施設・診療所", out, 8, bad, sizeof bad), 3);
    assert_string_equal(out[0], "hospital");
    assert_string_equal(out[1], "care_other");
    assert_string_equal(out[2], "clinic");
    assert_int_equal(imp_dict_list(&d, "その他の介護|福祉施設", out, 8, bad, sizeof bad), -1);
    assert_string_equal(bad, "その他の介護");
    assert_int_equal(imp_dict_list(&d, "病院・学校", out, 8, bad, sizeof bad), -1);
    assert_string_equal(bad, "学校");
    assert_int_equal(imp_dict_list(&d, "病院|hospital", out, 8, bad, sizeof bad), -2);
    assert_string_equal(bad, "hospital");
    assert_int_equal(imp_dict_list(&d, "病院|診療所", out, 1, bad, sizeof bad), -3);
    imp_dict_free(&d);
}

/* The actions, results and JST days of a planned case, e.g.
 * "request 2013-06-10, refer 2013-06-10, hire 2013-06-20, place 2013-07-01, check_1m
 * still_employed 2013-08-01". */
static void plan_is(imp_case *c, const char *today, const char *want_steps, const char *final,
                    int left6m)
{
    assert_null(imp_case_plan(c, today));
    char got[1024] = "";
    size_t n = 0;
    for (int i = 0; i < c->nsteps; i++) {
        char day[16];
        time_jst_date(c->step[i].at, day, sizeof day);
        n += (size_t)snprintf(
            got + n, sizeof got - n, "%s%s%s%s %s", i ? ", " : "",
            placement_action_name(c->step[i].act), c->step[i].result ? " " : "",
            c->step[i].result ? placement_check_result_name(c->step[i].result) : "", day);
    }
    assert_string_equal(got, want_steps);
    assert_string_equal(placement_state_name(c->final), final);
    assert_int_equal(c->left_within_6m, left6m);
}

static imp_case a_case(const char *left, int left6)
{
    imp_case c;
    memset(&c, 0, sizeof c);
    memcpy(c.referred, "2013-06-10", 11);
    memcpy(c.decided, "2013-06-20", 11);
    memcpy(c.start, "2013-07-01", 11);
    if (left)
        memcpy(c.left, left, 11);
    c.emp = "jokin";
    c.permanent = 1;
    c.left6 = left6;
    return c;
}

static void test_case_plan(void **state)
{
    (void)state;
    const char *head = "request 2013-06-10, refer 2013-06-10, hire 2013-06-20, place 2013-07-01";
    char want[1024];
    /* stayed: the three checks at their due dates, closed, not left within 6 months */
    imp_case c = a_case(NULL, 0);
    snprintf(want, sizeof want,
             "%s, check_1m still_employed 2013-08-01, check_3m still_employed 2013-10-01, "
             "check_6m still_employed 2014-01-01",
             head);
    plan_is(&c, "2026-01-01", want, "closed", 0);
    assert_string_equal(c.due.m6, "2014-01-01");
    assert_string_equal(c.check[2], "still_employed");
    assert_int_equal(c.step[0].who, PL_ACTOR_NURSE);
    assert_int_equal(c.step[1].who, PL_ACTOR_COUNSELOR);
    assert_int_equal(c.step[2].who, PL_ACTOR_FACILITY);
    /* left before the 3-month check: recorded at it, on the leaving day */
    c = a_case("2013-09-15", 1);
    snprintf(want, sizeof want, "%s, check_1m still_employed 2013-08-01, check_3m left 2013-09-15",
             head);
    plan_is(&c, "2026-01-01", want, "closed", 1);
    assert_null(c.check[2]);
    assert_string_equal(c.step[c.nsteps - 1].left_date, "2013-09-15");
    /* left on the last day of the six months (04-01 start → 2013-12-31): within */
    c = a_case("2013-12-31", -1);
    snprintf(want, sizeof want,
             "%s, check_1m still_employed 2013-08-01, check_3m still_employed 2013-10-01, "
             "check_6m left 2013-12-31",
             head);
    plan_is(&c, "2026-01-01", want, "closed", 1);
    /* left later than six months: recorded at the 6-month check, not within */
    c = a_case("2014-05-31", 0);
    snprintf(want, sizeof want,
             "%s, check_1m still_employed 2013-08-01, check_3m still_employed 2013-10-01, "
             "check_6m left 2014-05-31",
             head);
    plan_is(&c, "2026-01-01", want, "closed", 0);
    /* left the first day */
    c = a_case("2013-07-01", 1);
    snprintf(want, sizeof want, "%s, check_1m left 2013-07-01", head);
    plan_is(&c, "2026-01-01", want, "closed", 1);
    /* unknown: unreachable at every check, closed, left_within_6m unknown */
    c = a_case(NULL, -1);
    snprintf(want, sizeof want,
             "%s, check_1m unreachable 2013-08-01, check_3m unreachable 2013-10-01, check_6m "
             "unreachable 2014-01-01",
             head);
    plan_is(&c, "2026-01-01", want, "closed", -1);
    /* recent: only the checks due by today; the case stays open */
    c = a_case(NULL, 0);
    snprintf(want, sizeof want, "%s, check_1m still_employed 2013-08-01", head);
    plan_is(&c, "2013-09-30", want, "checked_1m", -1);
    c = a_case(NULL, 0);
    plan_is(&c, "2013-07-31", head, "placed", -1);
    /* month ends clamp: a start on 08-31 is due 09-30, 11-30 and 02-28 */
    c = a_case(NULL, 0);
    memcpy(c.start, "2013-08-31", 11);
    assert_null(imp_case_plan(&c, "2026-01-01"));
    assert_string_equal(c.due.m1, "2013-09-30");
    assert_string_equal(c.due.m3, "2013-11-30");
    assert_string_equal(c.due.m6, "2014-02-28");
    /* the state machine refuses what the live flow refuses: leaving before the start */
    c = a_case("2013-06-30", 1);
    assert_string_equal(imp_case_plan(&c, "2026-01-01"), "placement.left_before_start");
}

int main(void)
{
    crypto_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates),   cmocka_unit_test(test_datetimes),
        cmocka_unit_test(test_numbers), cmocka_unit_test(test_formulas_and_placeholders),
        cmocka_unit_test(test_lists),   cmocka_unit_test(test_case_plan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
