/* Unit tests for src/domain/notification: the NotificationBody rules shared by the JSON routes
 * and the bulk upload. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/notification.h"

#include <string.h>

#define TODAY "2026-11-20"

static json_t *body(void)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:{s:s,s:s,s:s,s:s,s:s,s:s,s:s},s:[{s:s,s:s,s:s}]}",
                     "reason", "left_job", "event_date", "2026-10-31", "last_workplace", "hospital",
                     "work_status", "not_working", "holder", "name", "看護 花子", "name_kana",
                     "かんご はなこ", "birth_date", "1990-05-01", "postal_code", "１６０－００２３",
                     "address_prefecture", "13", "address", "新宿区1-1", "phone", "090-1234-5678",
                     "licences", "type", "kangoshi", "number", "123456", "registered_on",
                     "2012-04-01");
}

static bool has_code(const verrs *e, const char *code)
{
    for (int i = 0; i < e->n; i++)
        if (!strcmp(e->items[i].code, code))
            return true;
    return false;
}

static void test_valid_body_is_normalised(void **state)
{
    (void)state;
    json_t *b = body();
    verrs e = {.n = 0};
    assert_int_equal(notif_check(b, NOTIF_FILE_SELF, TODAY, &e), 0);
    json_t *h = json_object_get(b, "holder");
    assert_string_equal(json_string_value(json_object_get(h, "postal_code")), "160-0023");
    assert_string_equal(json_string_value(json_object_get(h, "name_kana")), "カンゴ ハナコ");
    assert_string_equal(notif_route(b), "13");
    json_object_set_new(b, "center_prefecture", json_string("27"));
    assert_string_equal(notif_route(b), "27");
    json_decref(b);
}

static void test_rules(void **state)
{
    (void)state;
    /* Not practising right after licensing: no previous workplace. */
    json_t *b = body();
    json_object_set_new(b, "reason", json_string("not_practising_after_licensing"));
    verrs e = {.n = 0};
    notif_check(b, NOTIF_FILE_SELF, TODAY, &e);
    assert_true(has_code(&e, "last_workplace.not_allowed"));
    json_decref(b);
    /* Leaving a job: the previous workplace is required and must be a known code. */
    b = body();
    json_object_del(b, "last_workplace");
    e.n = 0;
    notif_check(b, NOTIF_FILE_SELF, TODAY, &e);
    assert_true(has_code(&e, "last_workplace.missing"));
    json_object_set_new(b, "last_workplace", json_string("spaceship"));
    json_object_set_new(b, "reason", json_string("bored"));
    json_object_set_new(b, "work_status", json_string("x"));
    e.n = 0;
    notif_check(b, NOTIF_FILE_SELF, TODAY, &e);
    assert_true(has_code(&e, "reason.invalid"));
    assert_true(has_code(&e, "work_status.invalid"));
    json_decref(b);
    /* Age 15–100, event date from 1950, one contact at least, licence types unique. */
    b = body();
    json_t *h = json_object_get(b, "holder");
    json_object_set_new(h, "birth_date", json_string("2015-01-01"));
    json_object_del(h, "phone");
    json_object_set_new(b, "event_date", json_string("1949-12-31"));
    json_array_append_new(json_object_get(b, "licences"),
                          json_pack("{s:s,s:s,s:s}", "type", "kangoshi", "number", "9",
                                    "registered_on", "2013-01-01"));
    e.n = 0;
    notif_check(b, NOTIF_FILE_SELF, TODAY, &e);
    assert_true(has_code(&e, "holder.birth_date.out_of_range"));
    assert_true(has_code(&e, "holder.phone.missing"));
    assert_true(has_code(&e, "event_date.out_of_range"));
    assert_true(has_code(&e, "licences.type.duplicate"));
    json_decref(b);
}

static void test_kinds(void **state)
{
    (void)state;
    /* Without a session: password and e-mail required. */
    json_t *b = body();
    verrs e = {.n = 0};
    notif_check(b, NOTIF_FILE_ANON, TODAY, &e);
    assert_true(has_code(&e, "password.missing"));
    assert_true(has_code(&e, "holder.email.missing"));
    json_decref(b);
    /* A facility cannot register the nurse as a job seeker. */
    b = body();
    json_object_set_new(b, "seeker_opt_in", json_pack("{s:i}", "experience_years", 3));
    e.n = 0;
    notif_check(b, NOTIF_FILE_PROXY, TODAY, &e);
    assert_true(has_code(&e, "seeker_opt_in.not_allowed"));
    e.n = 0;
    json_t *b2 = json_deep_copy(b);
    assert_int_equal(notif_check(b2, NOTIF_FILE_SELF, TODAY, &e), 0);
    json_decref(b2);
    /* A change notification carries neither the opt-in nor the center. */
    e.n = 0;
    notif_check(b, NOTIF_CHANGE, TODAY, &e);
    assert_true(has_code(&e, "seeker_opt_in.unknown"));
    json_decref(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_body_is_normalised),
        cmocka_unit_test(test_rules),
        cmocka_unit_test(test_kinds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
