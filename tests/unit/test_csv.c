/* Unit tests for src/report/csv: quoting, formula neutralisation, caps. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "report/csv.h"

#include <string.h>

/* The field text alone (written as the first field). */
static void check_field(const char *in, const char *want)
{
    nbuf b;
    nbuf_init(&b, 1024);
    assert_int_equal(csv_field(&b, in, true), 0);
    assert_string_equal(b.data ? b.data : "", want);
    nbuf_free(&b);
}

static void test_quoting(void **state)
{
    (void)state;
    check_field("abc", "abc");
    check_field("看護師", "看護師");
    check_field("a,b", "\"a,b\"");
    check_field("say \"hi\"", "\"say \"\"hi\"\"\"");
    check_field("\"", "\"\"\"\"");
    check_field("two\nlines", "\"two\nlines\"");
    check_field("cr\rhere", "\"cr\rhere\"");
    check_field("a\r\nb", "\"a\r\nb\"");
    check_field("tab\tinside", "tab\tinside");
    check_field(" leading space", " leading space");
    check_field("", "");
    check_field(NULL, "");
}

static void test_formulas(void **state)
{
    (void)state;
    check_field("=1+2", "'=1+2");
    check_field("+81 90", "'+81 90");
    check_field("-5", "'-5");
    check_field("@SUM(A1:A2)", "'@SUM(A1:A2)");
    check_field("\tx", "'\tx");
    check_field("\rx", "\"'\rx\"");
    check_field("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0");
    check_field("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    check_field("=1,2", "\"'=1,2\"");
    /* Leading whitespace before a formula character: Excel trims it, so neutralised too. */
    check_field("  =1+2", "'  =1+2");
    check_field(" -1", "' -1");
    check_field("\n=1", "\"'\n=1\"");
    /* Not at the start: left alone. */
    check_field("a=b", "a=b");
    check_field("メール@例", "メール@例");
    check_field("  text", "  text");
    check_field("１＋１", "１＋１");
}

static void test_row(void **state)
{
    (void)state;
    nbuf b;
    nbuf_init(&b, 1024);
    assert_int_equal(csv_bom(&b), 0);
    assert_int_equal(csv_field(&b, "氏名", true), 0);
    assert_int_equal(csv_field(&b, NULL, false), 0);
    assert_int_equal(csv_field_i64(&b, -5, false), 0);
    assert_int_equal(csv_field_i64(&b, 1234567890123LL, false), 0);
    assert_int_equal(csv_field(&b, "a,b", false), 0);
    assert_int_equal(csv_row_end(&b), 0);
    assert_int_equal(csv_field_i64(&b, 7, true), 0);
    assert_int_equal(csv_row_end(&b), 0);
    assert_string_equal(b.data, "\xEF\xBB\xBF氏名,,-5,1234567890123,\"a,b\"\r\n7\r\n");
    nbuf_free(&b);
}

static void test_cap(void **state)
{
    (void)state;
    nbuf b;
    nbuf_init(&b, 8);
    assert_int_equal(csv_field(&b, "abc", true), 0);
    /* ",\"x,y\"" would make 9 bytes: refused, buffer unchanged. */
    assert_int_equal(csv_field(&b, "x,y", false), -1);
    assert_string_equal(b.data, "abc");
    assert_int_equal(b.len, 3);
    /* The apostrophe and quotes count too. */
    assert_int_equal(csv_field(&b, "=abcd", false), -1); /* ,'=abcd */
    assert_string_equal(b.data, "abc");
    assert_int_equal(csv_field(&b, "\"\"", false), -1); /* ,"""""" */
    assert_string_equal(b.data, "abc");
    assert_int_equal(csv_field_i64(&b, 123456, false), -1);
    assert_string_equal(b.data, "abc");
    assert_int_equal(csv_field(&b, "defg", false), 0); /* exactly 8 */
    assert_string_equal(b.data, "abc,defg");
    assert_int_equal(csv_row_end(&b), -1);
    assert_int_equal(csv_field(&b, NULL, false), -1);
    assert_int_equal(b.len, 8);
    nbuf_free(&b);

    nbuf_init(&b, 2);
    assert_int_equal(csv_bom(&b), -1);
    assert_null(b.data);
    nbuf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quoting),
        cmocka_unit_test(test_formulas),
        cmocka_unit_test(test_row),
        cmocka_unit_test(test_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
