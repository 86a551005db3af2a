/* Unit tests for src/domain/text: NFKC, kana folding, digits, e-mail syntax. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/text.h"

#include <stdlib.h>
#include <string.h>

/* Asserts text_nfkc(in) == want and frees the result. */
static void nfkc_is(const char *in, const char *want)
{
    char *out = text_nfkc(in);
    assert_non_null(out);
    assert_string_equal(out, want);
    free(out);
}

static void test_nfkc_width(void **state)
{
    (void)state;
    nfkc_is("１２３４５６７８９０", "1234567890");
    nfkc_is("ＡＢＣｘｙｚ", "ABCxyz");
    nfkc_is("ｶﾝｺﾞ", "カンゴ"); /* half-width kana with a voiced mark compose */
    nfkc_is("ﾊﾟﾋﾟﾌﾟ", "パピプ");
    nfkc_is("ｱｲｳｴｵｰ", "アイウエオー");
    nfkc_is("＠．－", "@.-");
    nfkc_is("①", "1");
    nfkc_is("㈱", "(株)");
    nfkc_is("看護師", "看護師"); /* already normal */
    nfkc_is("カンゴ", "カンゴ");
    nfkc_is("abc", "abc");
    /* Decomposed が (か + U+3099) composes. */
    nfkc_is("\xE3\x81\x8B\xE3\x82\x99", "が");
}

static void test_nfkc_trim(void **state)
{
    (void)state;
    nfkc_is("  abc  ", "abc");
    nfkc_is("\tabc\t", "abc");
    nfkc_is("\xE3\x80\x80山田\xE3\x80\x80花子\xE3\x80\x80", "山田 花子"); /* U+3000 */
    nfkc_is("　　", "");
    nfkc_is("   ", "");
    nfkc_is("", "");
    nfkc_is("a b", "a b"); /* inner spaces are kept */
}

static void test_nfkc_invalid(void **state)
{
    (void)state;
    const char *bad[] = {"\xFF",         "abc\xC3",          "\xC0\xAF",
                         "\xED\xA0\x80", "\xF4\x90\x80\x80", "a\x80z"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_null(text_nfkc(bad[i]));
}

static void hk_is(const char *in, const char *want)
{
    char buf[256];
    size_t n = strlen(in);
    assert_true(n < sizeof buf);
    memcpy(buf, in, n + 1);
    text_hira_to_kata(buf);
    assert_string_equal(buf, want);
}

static void test_hira_to_kata(void **state)
{
    (void)state;
    hk_is("かんごし", "カンゴシ");
    hk_is("やまだ はなこ", "ヤマダ ハナコ");
    hk_is("ぁ", "ァ"); /* U+3041, first */
    hk_is("ゖ", "ヶ"); /* U+3096, last */
    hk_is("ゔ", "ヴ"); /* U+3094 */
    hk_is("をん", "ヲン");
    hk_is("ゝゞ", "ゝゞ"); /* iteration marks outside the range stay */
    hk_is("ー・", "ー・");
    hk_is("カタカナ", "カタカナ");
    hk_is("abc漢字あ", "abc漢字ア");
    hk_is("", "");
}

static void test_is_katakana(void **state)
{
    (void)state;
    assert_true(text_is_katakana("カンゴシ"));
    assert_true(text_is_katakana("ヤマダ ハナコ"));
    assert_true(text_is_katakana("スーパー・マン"));
    assert_true(text_is_katakana("ー"));
    assert_true(text_is_katakana("ヴァ"));
    assert_true(text_is_katakana(" ア "));

    assert_false(text_is_katakana(""));
    assert_false(text_is_katakana("   "));
    assert_false(text_is_katakana("山田"));
    assert_false(text_is_katakana("ヤマダ太郎"));
    assert_false(text_is_katakana("yamada"));
    assert_false(text_is_katakana("ヤマダA"));
    assert_false(text_is_katakana("やまだ"));
    assert_false(text_is_katakana("ﾔﾏﾀﾞ"));                     /* half-width: not NFKC */
    assert_false(text_is_katakana("ヤマダ\xE3\x80\x80ハナコ")); /* U+3000: not NFKC */
    assert_false(text_is_katakana("ヤマダ1"));
    assert_false(text_is_katakana("\xFF"));
}

static void test_digits_only(void **state)
{
    (void)state;
    char out[32];
    assert_int_equal(text_digits_only("03-1234-5678", out, sizeof out), 10);
    assert_string_equal(out, "0312345678");
    assert_int_equal(text_digits_only("(03) 1234-5678", out, sizeof out), 10);
    assert_string_equal(out, "0312345678");
    assert_int_equal(text_digits_only("100-0001", out, sizeof out), 7);
    assert_string_equal(out, "1000001");
    assert_int_equal(text_digits_only("", out, sizeof out), 0);
    assert_string_equal(out, "");
    assert_int_equal(text_digits_only("- ()", out, sizeof out), 0);
    assert_string_equal(out, "");

    assert_int_equal(text_digits_only("03-1234-567a", out, sizeof out), -1);
    assert_int_equal(text_digits_only("+81-3-1234", out, sizeof out), -1);
    assert_int_equal(text_digits_only("１２３", out, sizeof out), -1); /* not NFKC */
    assert_int_equal(text_digits_only("12.3", out, sizeof out), -1);
    assert_int_equal(text_digits_only("1\t2", out, sizeof out), -1);

    /* cap includes the NUL: 3 digits fit in 4 bytes, 4 do not. */
    char small[4];
    memset(small, 'X', sizeof small);
    assert_int_equal(text_digits_only("1-2-3", small, sizeof small), 3);
    assert_string_equal(small, "123");
    assert_int_equal(text_digits_only("1234", small, sizeof small), -1);
    assert_int_equal(text_digits_only("12-34", small, sizeof small), -1);
}

static void test_is_email(void **state)
{
    (void)state;
    assert_true(text_is_email("a@b.jp"));
    assert_true(text_is_email("user.name+tag@example.co.jp"));
    assert_true(text_is_email("Nurse_01@Example.JP"));
    assert_true(text_is_email("x-y@sub-domain.example.com"));

    const char *bad[] = {"",          "ab",          "a@",        "@b.jp",     "a@b",
                         "a@.jp",     "a@b.",        "a@b..jp",   "a..b@c.jp", ".a@b.jp",
                         "a.@b.jp",   "a@@b.jp",     "a@b@c.jp",  "a b@c.jp",  "a@b .jp",
                         "山田@b.jp", "a@例え.jp",   "a\"b@c.jp", "a(b)@c.jp", "a,b@c.jp",
                         "a<b>@c.jp", "a@[1.2.3.4]", "a\\b@c.jp", "a;b@c.jp",  "a:b@c.jp",
                         "a\t@b.jp",  "ab.jp",       "a@b.jp\n",  "a\x7f@b.jp"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (text_is_email(bad[i]))
            fail_msg("accepted invalid address [%s]", bad[i]);
    }

    /* Local part: 64 bytes ok, 65 rejected. */
    char addr[300];
    memset(addr, 'l', 64);
    memcpy(addr + 64, "@example.jp", 12);
    assert_true(text_is_email(addr));
    memset(addr, 'l', 65);
    memcpy(addr + 65, "@example.jp", 12);
    assert_false(text_is_email(addr));

    /* Whole address: 254 bytes ok, 255 rejected. */
    memset(addr, 'l', 64);
    addr[64] = '@';
    memset(addr + 65, 'd', 185);
    memcpy(addr + 250, ".com", 5);
    assert_int_equal(strlen(addr), 254);
    assert_true(text_is_email(addr));
    memset(addr + 65, 'd', 186);
    memcpy(addr + 251, ".com", 5);
    assert_int_equal(strlen(addr), 255);
    assert_false(text_is_email(addr));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nfkc_width),   cmocka_unit_test(test_nfkc_trim),
        cmocka_unit_test(test_nfkc_invalid), cmocka_unit_test(test_hira_to_kata),
        cmocka_unit_test(test_is_katakana),  cmocka_unit_test(test_digits_only),
        cmocka_unit_test(test_is_email),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
