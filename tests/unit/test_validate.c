/* Unit tests for src/domain/validate with small specs built here. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/validate.h"
#include "util/str.h"
#include "util/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const LICENCE_TYPES[] = {"kangoshi", "junkangoshi", NULL};

static const vfield LICENCE[] = {
    {.name = "type",
     .label = "免許種別",
     .type = VT_STRING,
     .kind = VK_CODE,
     .required = true,
     .codes = LICENCE_TYPES,
     .select = true},
    {.name = "number",
     .label = "登録番号",
     .type = VT_STRING,
     .kind = VK_DIGITS,
     .required = true,
     .min = 6,
     .max = 7},
    {.name = "registered_on",
     .label = "登録年月日",
     .type = VT_STRING,
     .kind = VK_DATE_PAST,
     .required = true},
    {.name = NULL},
};

static const vfield ADDRESS[] = {
    {.name = "postal",
     .label = "郵便番号",
     .type = VT_STRING,
     .kind = VK_DIGITS,
     .required = true,
     .min = 7,
     .max = 7},
    {.name = "line", .label = "住所", .type = VT_STRING, .kind = VK_TEXT, .max = 100},
    {.name = NULL},
};

static const vfield PERSON[] = {
    {.name = "name",
     .label = "氏名",
     .type = VT_STRING,
     .kind = VK_TEXT,
     .required = true,
     .max = 100},
    {.name = "kana",
     .label = "フリガナ",
     .type = VT_STRING,
     .kind = VK_KATAKANA,
     .required = true,
     .max = 100},
    {.name = "email",
     .label = "メールアドレス",
     .type = VT_STRING,
     .kind = VK_EMAIL,
     .required = true,
     .max = 254},
    {.name = "phone", .label = "電話番号", .type = VT_STRING, .kind = VK_PHONE},
    {.name = "note", .label = "備考", .type = VT_STRING, .kind = VK_MULTILINE, .max = 200},
    {.name = "address", .label = "住所", .type = VT_OBJECT, .sub = ADDRESS},
    {.name = "licences",
     .label = "免許",
     .type = VT_OBJECT_ARRAY,
     .required = true,
     .min = 1,
     .max = 3,
     .sub = LICENCE},
    {.name = NULL},
};

static const vfield SECRET[] = {
    {.name = "password",
     .label = "パスワード",
     .type = VT_STRING,
     .kind = VK_PASSWORD,
     .required = true,
     .min = 8,
     .max = 16},
    {.name = "token", .label = "トークン", .type = VT_STRING, .kind = VK_TOKEN, .max = 64},
    {.name = "nick", .label = "ニックネーム", .type = VT_STRING, .kind = VK_TEXT, .min = 2},
    {.name = NULL},
};

/* ---- helpers ------------------------------------------------------------------------- */

static json_t *parse(const char *text)
{
    json_error_t jerr;
    json_t *j = json_loads(text, 0, &jerr);
    if (!j)
        fail_msg("bad test JSON: %s", jerr.text);
    return j;
}

/* A valid person body; tests change one thing at a time. */
static json_t *valid_person(void)
{
    return parse(
        "{\"name\":\"山田 花子\",\"kana\":\"ヤマダ ハナコ\",\"email\":\"hanako@example.jp\","
        "\"licences\":[{\"type\":\"kangoshi\",\"number\":\"123456\","
        "\"registered_on\":\"2015-04-01\"}]}");
}

/* Validates obj against spec at the top level; checks the return value against e.n. */
static int run(json_t *obj, const vfield *spec, verrs *e)
{
    memset(e, 0, sizeof *e);
    int n = validate_object(obj, spec, "", "", e);
    assert_int_equal(n, e->n);
    return n;
}

static const verr *find_field(const verrs *e, const char *field)
{
    for (int i = 0; i < e->n; i++)
        if (!strcmp(e->items[i].field, field))
            return &e->items[i];
    return NULL;
}

/* Asserts there is an error for field with exactly code. */
static const verr *expect(const verrs *e, const char *field, const char *code)
{
    const verr *v = find_field(e, field);
    if (!v) {
        for (int i = 0; i < e->n; i++)
            print_message("  have %s / %s\n", e->items[i].field, e->items[i].code);
        fail_msg("no error for field %s (want %s)", field, code);
    }
    assert_string_equal(v->code, code);
    return v;
}

static bool has_non_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return true;
    return false;
}

/* Every message is non-empty, clean UTF-8 and Japanese (contains non-ASCII text). */
static void messages_ok(const verrs *e)
{
    for (int i = 0; i < e->n; i++) {
        const char *m = e->items[i].message;
        assert_true(m[0] != '\0');
        assert_true(str_utf8_clean(m, false));
        assert_true(has_non_ascii(m));
        assert_true(e->items[i].field[0] != '\0');
        assert_true(e->items[i].code[0] != '\0');
    }
}

/* ---- tests --------------------------------------------------------------------------- */

static void test_valid_and_normalised(void **state)
{
    (void)state;
    json_t *o = parse("{\"name\":\"\xE3\x80\x80山田\xE3\x80\x80花子 \",\"kana\":\"やまだ ﾊﾅｺ\","
                      "\"email\":\"Hanako@Example.JP\",\"phone\":\"０３－１２３４－５６７８\","
                      "\"note\":\"一行目\\n二行目\",\"address\":{\"postal\":\"100-0001\","
                      "\"line\":\"東京都千代田区１－１\"},"
                      "\"licences\":[{\"type\":\"kangoshi\",\"number\":\"１２３－４５６\","
                      "\"registered_on\":\"2015-04-01\"}]}");
    verrs e;
    assert_int_equal(run(o, PERSON, &e), 0);
    assert_string_equal(vstr(o, "name"), "山田 花子");
    assert_string_equal(vstr(o, "kana"), "ヤマダ ハナコ");
    assert_string_equal(vstr(o, "email"), "hanako@example.jp");
    assert_string_equal(vstr(o, "phone"), "03-1234-5678"); /* kept as typed (NFKC) */
    assert_string_equal(vstr(o, "note"), "一行目\n二行目");
    json_t *addr = json_object_get(o, "address");
    assert_string_equal(vstr(addr, "postal"), "1000001");
    assert_string_equal(vstr(addr, "line"), "東京都千代田区1-1");
    json_t *lic = json_array_get(json_object_get(o, "licences"), 0);
    assert_string_equal(vstr(lic, "number"), "123456");
    assert_string_equal(vstr(lic, "registered_on"), "2015-04-01");
    assert_null(vstr(o, "missing"));
    json_decref(o);
}

static void test_missing_required(void **state)
{
    (void)state;
    json_t *o = parse("{}");
    verrs e;
    assert_int_equal(run(o, PERSON, &e), 4);
    expect(&e, "name", "name.missing");
    expect(&e, "kana", "kana.missing");
    expect(&e, "email", "email.missing");
    const verr *v = expect(&e, "licences", "licences.missing");
    assert_non_null(strstr(v->message, "免許"));
    v = expect(&e, "name", "name.missing");
    assert_string_equal(v->message, "氏名を入力してください");
    messages_ok(&e);
    json_decref(o);

    /* null counts as missing and is removed; optional null is removed silently. */
    o = valid_person();
    json_object_set_new(o, "name", json_null());
    json_object_set_new(o, "phone", json_null());
    assert_int_equal(run(o, PERSON, &e), 1);
    expect(&e, "name", "name.missing");
    assert_null(json_object_get(o, "name"));
    assert_null(json_object_get(o, "phone"));
    json_decref(o);

    /* Whitespace only is empty after trimming: required → missing. */
    o = valid_person();
    json_object_set_new(o, "name", json_string(" \xE3\x80\x80 "));
    assert_int_equal(run(o, PERSON, &e), 1);
    expect(&e, "name", "name.missing");
    json_decref(o);

    /* select wording for a missing code */
    o = valid_person();
    json_object_del(json_array_get(json_object_get(o, "licences"), 0), "type");
    assert_int_equal(run(o, PERSON, &e), 1);
    v = expect(&e, "licences[0].type", "licences.type.missing");
    assert_string_equal(v->message, "免許種別を選択してください");
    json_decref(o);
}

static void test_wrong_types(void **state)
{
    (void)state;
    json_t *o = parse("{\"name\":5,\"kana\":[\"ア\"],\"email\":{\"a\":1},\"phone\":true,"
                      "\"address\":\"東京\",\"licences\":{\"type\":\"kangoshi\"}}");
    verrs e;
    assert_int_equal(run(o, PERSON, &e), 6);
    expect(&e, "name", "name.type");
    expect(&e, "kana", "kana.type");
    expect(&e, "email", "email.type");
    expect(&e, "phone", "phone.type");
    expect(&e, "address", "address.type");
    expect(&e, "licences", "licences.type");
    messages_ok(&e);
    json_decref(o);

    /* an array element that is not an object */
    o = valid_person();
    json_array_append_new(json_object_get(o, "licences"), json_string("kangoshi"));
    assert_int_equal(run(o, PERSON, &e), 1);
    expect(&e, "licences[1]", "licences.type");
    json_decref(o);

    /* a number in a nested string field */
    o = valid_person();
    json_object_set_new(o, "address", parse("{\"postal\":1000001}"));
    assert_int_equal(run(o, PERSON, &e), 1);
    expect(&e, "address.postal", "address.postal.type");
    json_decref(o);
}

static void test_unknown_keys(void **state)
{
    (void)state;
    json_t *o = valid_person();
    json_object_set_new(o, "role", json_string("sysadmin"));
    verrs e;
    assert_int_equal(run(o, PERSON, &e), 1);
    const verr *v = expect(&e, "role", "role.unknown");
    assert_true(has_non_ascii(v->message));
    json_decref(o);

    /* nested object and array element */
    o = valid_person();
    json_object_set_new(o, "address", parse("{\"postal\":\"1000001\",\"zip4\":\"x\"}"));
    json_array_append_new(json_object_get(o, "licences"),
                          parse("{\"type\":\"junkangoshi\",\"number\":\"7654321\","
                                "\"registered_on\":\"2010-03-31\",\"extra\":1}"));
    assert_int_equal(run(o, PERSON, &e), 2);
    expect(&e, "address.zip4", "address.zip4.unknown");
    expect(&e, "licences[1].extra", "licences.extra.unknown");
    json_decref(o);

    /* Non-ASCII and long keys are cut to 32 safe bytes for the path. */
    o = valid_person();
    json_object_set_new(o, "名", json_true());
    json_object_set_new(o, "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk",
                        json_true());
    assert_int_equal(run(o, PERSON, &e), 2);
    expect(&e, "???", "???.unknown");
    expect(&e, "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk", "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk.unknown");
    json_decref(o);
}

static void test_too_long_counts_characters(void **state)
{
    (void)state;
    char s[1024];
    /* 100 kanji (300 bytes) fit max 100; 101 do not. */
    size_t n = 0;
    for (int i = 0; i < 100; i++) {
        memcpy(s + n, "看", 3);
        n += 3;
    }
    s[n] = '\0';
    json_t *o = valid_person();
    json_object_set_new(o, "name", json_string(s));
    verrs e;
    assert_int_equal(run(o, PERSON, &e), 0);
    assert_int_equal(str_utf8_len(vstr(o, "name")), 100);
    json_decref(o);

    memcpy(s + n, "看", 4); /* with the NUL */
    o = valid_person();
    json_object_set_new(o, "name", json_string(s));
    assert_int_equal(run(o, PERSON, &e), 1);
    const verr *v = expect(&e, "name", "name.too_long");
    assert_string_equal(v->message, "氏名は100文字以内で入力してください");
    json_decref(o);

    /* ASCII: 100 ok, 101 too long. */
    memset(s, 'a', 101);
    s[100] = '\0';
    o = valid_person();
    json_object_set_new(o, "name", json_string(s));
    assert_int_equal(run(o, PERSON, &e), 0);
    json_decref(o);
    s[100] = 'a';
    s[101] = '\0';
    o = valid_person();
    json_object_set_new(o, "name", json_string(s));
    assert_int_equal(run(o, PERSON, &e), 1);
    expect(&e, "name", "name.too_long");
    json_decref(o);

    /* Far oversize input is rejected up front as too_long too. */
    memset(s, 'a', sizeof s - 1);
    s[sizeof s - 1] = '\0';
    o = valid_person();
    json_object_set_new(o, "name", json_string(s));
    assert_int_equal(run(o, PERSON, &e), 1);
    expect(&e, "name", "name.too_long");
    json_decref(o);
}

static void test_text_control_chars(void **state)
{
    (void)state;
    json_t *o = valid_person();
    json_object_set_new(o, "name", json_string("山田\n花子"));
    json_object_set_new(o, "note", json_string("ok\nok\ttab"));
    verrs e;
    assert_int_equal(run(o, PERSON, &e), 1);
    expect(&e, "name", "name.invalid");
    assert_string_equal(vstr(o, "note"), "ok\nok\ttab");
    json_decref(o);

    o = valid_person();
    json_object_set_new(o, "note", json_string("bell\x07"));
    assert_int_equal(run(o, PERSON, &e), 1);
    expect(&e, "note", "note.invalid");
    json_decref(o);

    /* Invalid UTF-8 smuggled into a JSON string. */
    o = valid_person();
    json_object_set_new(o, "name", json_stringn_nocheck("\xC0\xAF", 2));
    assert_int_equal(run(o, PERSON, &e), 1);
    expect(&e, "name", "name.invalid");
    json_decref(o);
}

static void test_katakana(void **state)
{
    (void)state;
    json_t *o = valid_person();
    json_object_set_new(o, "kana", json_string("やまだ はなこ"));
    verrs e;
    assert_int_equal(run(o, PERSON, &e), 0);
    assert_string_equal(vstr(o, "kana"), "ヤマダ ハナコ");
    json_decref(o);

    o = valid_person();
    json_object_set_new(o, "kana", json_string("ﾔﾏﾀﾞ\xE3\x80\x80ﾊﾅｺ"));
    assert_int_equal(run(o, PERSON, &e), 0);
    assert_string_equal(vstr(o, "kana"), "ヤマダ ハナコ");
    json_decref(o);

    o = valid_person();
    json_object_set_new(o, "kana", json_string("スーパー・マン"));
    assert_int_equal(run(o, PERSON, &e), 0);
    json_decref(o);

    const char *bad[] = {"山田", "yamada", "ヤマダ1", "ヤマダ太郎"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        o = valid_person();
        json_object_set_new(o, "kana", json_string(bad[i]));
        assert_int_equal(run(o, PERSON, &e), 1);
        const verr *v = expect(&e, "kana", "kana.not_katakana");
        assert_string_equal(v->message, "フリガナはカタカナで入力してください");
        assert_string_equal(vstr(o, "kana"), bad[i]); /* not rewritten on error */
        json_decref(o);
    }
}

static void test_email(void **state)
{
    (void)state;
    json_t *o = valid_person();
    json_object_set_new(o, "email", json_string("  Hanako.Yamada@EXAMPLE.co.JP "));
    verrs e;
    assert_int_equal(run(o, PERSON, &e), 0);
    assert_string_equal(vstr(o, "email"), "hanako.yamada@example.co.jp");
    json_decref(o);

    o = valid_person();
    json_object_set_new(o, "email", json_string("ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ"));
    assert_int_equal(run(o, PERSON, &e), 0);
    assert_string_equal(vstr(o, "email"), "hanako@example.jp");
    json_decref(o);

    const char *bad[] = {"hanako", "hanako@", "@example.jp", "a b@example.jp", "a@b@c.jp"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        o = valid_person();
        json_object_set_new(o, "email", json_string(bad[i]));
        assert_int_equal(run(o, PERSON, &e), 1);
        expect(&e, "email", "email.invalid");
        messages_ok(&e);
        json_decref(o);
    }
}

static void test_digits(void **state)
{
    (void)state;
    struct {
        const char *in;
        const char *out; /* NULL = rejected */
    } cases[] = {
        {"100-0001", "1000001"}, {"1000001", "1000001"}, {"１００－０００１", "1000001"},
        {"100 0001", "1000001"}, {"100-000", NULL},      {"100-00011", NULL},
        {"100-000a", NULL},      {"〒100-0001", NULL},   {"---", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *o = valid_person();
        json_object_set_new(o, "address", json_pack("{s:s}", "postal", cases[i].in));
        verrs e;
        int n = run(o, PERSON, &e);
        json_t *addr = json_object_get(o, "address");
        if (cases[i].out) {
            assert_int_equal(n, 0);
            assert_string_equal(vstr(addr, "postal"), cases[i].out);
        } else {
            if (n != 1)
                fail_msg("postal %s: %d errors", cases[i].in, n);
            const verr *v = expect(&e, "address.postal", "address.postal.invalid");
            assert_string_equal(v->message, "郵便番号は7桁の数字で入力してください");
        }
        json_decref(o);
    }

    /* min 6 / max 7 digits */
    const char *nums[] = {"12345", "123456", "1234567", "12345678", "12-34-56"};
    const bool ok[] = {false, true, true, false, true};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        json_t *o = valid_person();
        json_object_set_new(json_array_get(json_object_get(o, "licences"), 0), "number",
                            json_string(nums[i]));
        verrs e;
        int n = run(o, PERSON, &e);
        if (ok[i]) {
            assert_int_equal(n, 0);
        } else {
            assert_int_equal(n, 1);
            const verr *v = expect(&e, "licences[0].number", "licences.number.invalid");
            assert_string_equal(v->message, "登録番号は6〜7桁の数字で入力してください");
        }
        json_decref(o);
    }
}

static void test_phone(void **state)
{
    (void)state;
    const char *good[] = {"03-1234-5678", "0312345678", "090-1234-5678", "(03) 1234-5678",
                          "０９０１２３４５６７８"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        json_t *o = valid_person();
        json_object_set_new(o, "phone", json_string(good[i]));
        verrs e;
        if (run(o, PERSON, &e) != 0)
            fail_msg("phone %s rejected: %s", good[i], e.items[0].code);
        json_decref(o);
    }
    const char *bad[] = {"3-1234-5678",  "1312345678",      "03-1234-567", "090-1234-56789",
                         "03-1234-567a", "+81-3-1234-5678", "0120.123.456"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *o = valid_person();
        json_object_set_new(o, "phone", json_string(bad[i]));
        verrs e;
        if (run(o, PERSON, &e) != 1)
            fail_msg("phone %s accepted", bad[i]);
        expect(&e, "phone", "phone.invalid");
        assert_null(json_object_get(o, "phone")); /* optional and invalid: removed */
        json_decref(o);
    }
}

static void test_date_past(void **state)
{
    (void)state;
    char today[16], tomorrow[16];
    time_jst_date(time_now(), today, sizeof today);
    time_jst_date(time_now() + 86400, tomorrow, sizeof tomorrow);
    const char *good[] = {"2015-04-01", "1990-02-28", "2024-02-29", today};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        json_t *o = valid_person();
        json_object_set_new(json_array_get(json_object_get(o, "licences"), 0), "registered_on",
                            json_string(good[i]));
        verrs e;
        if (run(o, PERSON, &e) != 0)
            fail_msg("date %s rejected", good[i]);
        json_decref(o);
    }
    struct {
        const char *in;
        const char *code;
    } bad[] = {
        {tomorrow, "licences.registered_on.out_of_range"},
        {"2999-01-01", "licences.registered_on.out_of_range"},
        {"2023-02-29", "licences.registered_on.invalid"},
        {"2015/04/01", "licences.registered_on.invalid"},
        {"2015-4-1", "licences.registered_on.invalid"},
        {"1800-01-01", "licences.registered_on.invalid"},
        {"昨日", "licences.registered_on.invalid"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *o = valid_person();
        json_object_set_new(json_array_get(json_object_get(o, "licences"), 0), "registered_on",
                            json_string(bad[i].in));
        verrs e;
        if (run(o, PERSON, &e) != 1)
            fail_msg("date %s accepted", bad[i].in);
        expect(&e, "licences[0].registered_on", bad[i].code);
        messages_ok(&e);
        json_decref(o);
    }
}

static const vfield MUNI_ITEM[] = {
    {.name = "muni", .label = "市区町村コード", .kind = VK_DIGITS, .min = 5, .max = 5},
    {.name = NULL}};
static const vfield WISH[] = {
    {.name = "munis",
     .label = "希望する市区町村",
     .type = VT_STRING_ARRAY,
     .max = 3,
     .sub = MUNI_ITEM},
    {.name = "start", .label = "希望就業開始日", .type = VT_STRING, .kind = VK_DATE},
    {.name = NULL},
};

/* VT_STRING_ARRAY: items checked (and normalised) by the sub spec, distinct, capped in count. */
static void test_string_array(void **state)
{
    (void)state;
    json_t *o = json_pack("{s:[s,s]}", "munis", "13101", "１３１０２");
    verrs e;
    assert_int_equal(run(o, WISH, &e), 0);
    assert_string_equal(json_string_value(json_array_get(json_object_get(o, "munis"), 1)),
                        "13102"); /* NFKC: full-width digits */
    json_decref(o);
    struct {
        json_t *v;
        const char *field, *code;
    } bad[] = {
        {json_string("13101"), "munis", "munis.type"},
        {json_pack("[s,i]", "13101", 13102), "munis[1]", "munis.type"},
        {json_pack("[s,s]", "13101", "1310"), "munis[1]", "munis.invalid"},
        {json_pack("[s,s]", "13101", "<script>"), "munis[1]", "munis.invalid"},
        {json_pack("[s,s]", "13101", "１３１０１"), "munis[1]", "munis.duplicate"},
        {json_pack("[s,s,s,s]", "13101", "13102", "13103", "13104"), "munis", "munis.too_long"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        o = json_object();
        json_object_set_new(o, "munis", bad[i].v);
        if (run(o, WISH, &e) < 1)
            fail_msg("case %zu accepted", i);
        expect(&e, bad[i].field, bad[i].code);
        messages_ok(&e);
        json_decref(o);
    }
}

/* VK_DATE: a real YYYY-MM-DD date, future dates allowed. */
static void test_date_any(void **state)
{
    (void)state;
    const char *good[] = {"2027-04-01", "2999-12-31", "2028-02-29", "2015-04-01"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        json_t *o = json_pack("{s:s}", "start", good[i]);
        verrs e;
        if (run(o, WISH, &e) != 0)
            fail_msg("date %s rejected", good[i]);
        json_decref(o);
    }
    const char *bad[] = {"2027-02-29", "2027/04/01", "2027-4-1", "来月", "2027-13-01"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *o = json_pack("{s:s}", "start", bad[i]);
        verrs e;
        if (run(o, WISH, &e) != 1)
            fail_msg("date %s accepted", bad[i]);
        expect(&e, "start", "start.invalid");
        messages_ok(&e);
        json_decref(o);
    }
}

static void test_code(void **state)
{
    (void)state;
    json_t *o = valid_person();
    json_object_set_new(json_array_get(json_object_get(o, "licences"), 0), "type",
                        json_string("junkangoshi"));
    verrs e;
    assert_int_equal(run(o, PERSON, &e), 0);
    json_decref(o);

    const char *bad[] = {"doctor", "KANGOSHI", "kangoshi2"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        o = valid_person();
        json_object_set_new(json_array_get(json_object_get(o, "licences"), 0), "type",
                            json_string(bad[i]));
        assert_int_equal(run(o, PERSON, &e), 1);
        const verr *v = expect(&e, "licences[0].type", "licences.type.invalid");
        assert_string_equal(v->message, "免許種別の値が正しくありません");
        json_decref(o);
    }
}

static void test_nested_paths(void **state)
{
    (void)state;
    json_t *o =
        parse("{\"name\":\"山田 花子\",\"kana\":\"ヤマダ ハナコ\",\"email\":\"h@example.jp\","
              "\"address\":{\"line\":\"東京\"},"
              "\"licences\":[{\"type\":\"kangoshi\",\"number\":\"123456\","
              "\"registered_on\":\"2015-04-01\"},"
              "{\"type\":\"junkangoshi\",\"number\":\"12a456\","
              "\"registered_on\":\"2015-04-01\"},"
              "{\"number\":\"123456\",\"registered_on\":\"2015-02-30\"}]}");
    verrs e;
    assert_int_equal(run(o, PERSON, &e), 4);
    expect(&e, "address.postal", "address.postal.missing");
    expect(&e, "licences[1].number", "licences.number.invalid");
    expect(&e, "licences[2].type", "licences.type.missing");
    expect(&e, "licences[2].registered_on", "licences.registered_on.invalid");
    assert_null(find_field(&e, "licences[0].number"));
    messages_ok(&e);
    json_decref(o);

    /* A nested path prefix and code base given by the caller. */
    o = parse("{\"postal\":\"1\"}");
    memset(&e, 0, sizeof e);
    assert_int_equal(validate_object(o, ADDRESS, "body.addr", "addr", &e), 1);
    expect(&e, "body.addr.postal", "addr.postal.invalid");
    json_decref(o);
}

static void test_items_bounds(void **state)
{
    (void)state;
    json_t *o = valid_person();
    json_object_set_new(o, "licences", json_array());
    verrs e;
    assert_int_equal(run(o, PERSON, &e), 1);
    const verr *v = expect(&e, "licences", "licences.missing");
    assert_string_equal(v->message, "免許を1件以上入力してください");
    json_decref(o);

    o = valid_person();
    json_t *arr = json_object_get(o, "licences");
    json_t *first = json_array_get(arr, 0);
    for (int i = 0; i < 2; i++)
        json_array_append_new(arr, json_deep_copy(first));
    assert_int_equal(run(o, PERSON, &e), 0); /* 3 = max */
    json_array_append_new(arr, json_deep_copy(first));
    assert_int_equal(run(o, PERSON, &e), 1); /* 4 > max */
    v = expect(&e, "licences", "licences.too_long");
    assert_string_equal(v->message, "免許は3件までです");
    json_decref(o);
}

static void test_empty_optional_removed(void **state)
{
    (void)state;
    json_t *o = valid_person();
    json_object_set_new(o, "note", json_string(""));
    json_object_set_new(o, "phone", json_string("  "));
    json_object_set_new(o, "address", parse("{\"postal\":\"1000001\",\"line\":\"\xE3\x80\x80\"}"));
    verrs e;
    assert_int_equal(run(o, PERSON, &e), 0);
    assert_null(json_object_get(o, "note"));
    assert_null(json_object_get(o, "phone"));
    json_t *addr = json_object_get(o, "address");
    assert_null(json_object_get(addr, "line"));
    assert_string_equal(vstr(addr, "postal"), "1000001");
    json_decref(o);
}

static void test_all_errors_at_once(void **state)
{
    (void)state;
    json_t *o = parse("{\"name\":\"\",\"kana\":\"山田\",\"email\":\"nope\",\"phone\":\"12\","
                      "\"admin\":true,\"address\":{\"postal\":\"abc\"},"
                      "\"licences\":[{\"type\":\"x\",\"number\":\"1\",\"registered_on\":\"x\"}]}");
    verrs e;
    assert_int_equal(run(o, PERSON, &e), 9);
    expect(&e, "admin", "admin.unknown");
    expect(&e, "name", "name.missing");
    expect(&e, "kana", "kana.not_katakana");
    expect(&e, "email", "email.invalid");
    expect(&e, "phone", "phone.invalid");
    expect(&e, "address.postal", "address.postal.invalid");
    expect(&e, "licences[0].type", "licences.type.invalid");
    expect(&e, "licences[0].number", "licences.number.invalid");
    expect(&e, "licences[0].registered_on", "licences.registered_on.invalid");
    messages_ok(&e);
    json_decref(o);

    /* The list is capped at VERRS_MAX without overflowing. */
    o = valid_person();
    for (int i = 0; i < VERRS_MAX + 20; i++) {
        char k[16];
        snprintf(k, sizeof k, "x%d", i);
        json_object_set_new(o, k, json_true());
    }
    assert_int_equal(run(o, PERSON, &e), VERRS_MAX);
    json_decref(o);
}

static void test_password_token_min(void **state)
{
    (void)state;
    json_t *o =
        parse("{\"password\":\" ｐａｓｓ word \",\"token\":\"abc-_XYZ09\",\"nick\":\"ab\"}");
    verrs e;
    assert_int_equal(run(o, SECRET, &e), 0);
    assert_string_equal(vstr(o, "password"), " ｐａｓｓ word "); /* not normalised */
    assert_string_equal(vstr(o, "token"), "abc-_XYZ09");
    json_decref(o);

    o = parse("{\"password\":\"short\",\"token\":\"abc+/=\",\"nick\":\"a\"}");
    assert_int_equal(run(o, SECRET, &e), 3);
    const verr *v = expect(&e, "password", "password.too_short");
    assert_string_equal(v->message, "パスワードは8文字以上で入力してください");
    expect(&e, "token", "token.invalid");
    v = expect(&e, "nick", "nick.too_short");
    assert_string_equal(v->message, "ニックネームは2文字以上で入力してください");
    messages_ok(&e);
    json_decref(o);

    o = parse("{\"password\":\"12345678901234567\"}");
    assert_int_equal(run(o, SECRET, &e), 1);
    expect(&e, "password", "password.too_long");
    json_decref(o);

    /* 16 kanji is 16 characters: accepted. */
    o = parse("{\"password\":\"看護看護看護看護看護看護看護看護\"}");
    assert_int_equal(run(o, SECRET, &e), 0);
    json_decref(o);

    o = parse("{\"password\":\"abc\\u0001defgh\"}");
    assert_int_equal(run(o, SECRET, &e), 1);
    expect(&e, "password", "password.invalid");
    json_decref(o);
}

static void test_verrs_add(void **state)
{
    (void)state;
    verrs e;
    memset(&e, 0, sizeof e);
    char longf[200];
    memset(longf, 'f', sizeof longf - 1);
    longf[sizeof longf - 1] = '\0';
    verrs_add(&e, longf, longf, "メッセージ");
    assert_int_equal(e.n, 1);
    assert_int_equal(strlen(e.items[0].field), sizeof e.items[0].field - 1);
    assert_int_equal(strlen(e.items[0].code), sizeof e.items[0].code - 1);
    for (int i = 0; i < VERRS_MAX + 5; i++)
        verrs_add(&e, "f", "c", "m");
    assert_int_equal(e.n, VERRS_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_and_normalised),
        cmocka_unit_test(test_missing_required),
        cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_unknown_keys),
        cmocka_unit_test(test_too_long_counts_characters),
        cmocka_unit_test(test_text_control_chars),
        cmocka_unit_test(test_katakana),
        cmocka_unit_test(test_email),
        cmocka_unit_test(test_digits),
        cmocka_unit_test(test_phone),
        cmocka_unit_test(test_date_past),
        cmocka_unit_test(test_code),
        cmocka_unit_test(test_string_array),
        cmocka_unit_test(test_date_any),
        cmocka_unit_test(test_nested_paths),
        cmocka_unit_test(test_items_bounds),
        cmocka_unit_test(test_empty_optional_removed),
        cmocka_unit_test(test_all_errors_at_once),
        cmocka_unit_test(test_password_token_min),
        cmocka_unit_test(test_verrs_add),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
