/* Unit tests for src/util: buf, str, timeutil, config. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/buf.h"
#include "util/config.h"
#include "util/str.h"
#include "util/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- util/buf ------------------------------------------------------------------------ */

static void test_buf_cap_exact(void **state)
{
    (void)state;
    nbuf b;
    nbuf_init(&b, 10);
    assert_null(b.data);
    assert_int_equal(nbuf_append(&b, "0123456789", 10), 0); /* exactly max */
    assert_int_equal(b.len, 10);
    assert_string_equal(b.data, "0123456789");
    /* One more byte would exceed max: refused, buffer unchanged. */
    assert_int_equal(nbuf_append(&b, "x", 1), -1);
    assert_int_equal(nbuf_puts(&b, "y"), -1);
    assert_int_equal(nbuf_printf(&b, "%d", 1), -1);
    assert_int_equal(b.len, 10);
    assert_string_equal(b.data, "0123456789");
    /* Appending nothing is always fine. */
    assert_int_equal(nbuf_append(&b, "", 0), 0);
    assert_int_equal(b.len, 10);
    nbuf_free(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);

    /* A single append larger than max is refused on an empty buffer. */
    nbuf_init(&b, 10);
    assert_int_equal(nbuf_append(&b, "0123456789A", 11), -1);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(nbuf_puts(&b, "01234"), 0);
    assert_int_equal(nbuf_puts(&b, "567890"), -1); /* 11 > 10 */
    assert_int_equal(nbuf_puts(&b, "56789"), 0);   /* 10 == 10 */
    assert_string_equal(b.data, "0123456789");
    nbuf_free(&b);

    /* max 0: only empty appends succeed. */
    nbuf_init(&b, 0);
    assert_int_equal(nbuf_append(&b, "a", 1), -1);
    nbuf_free(&b);
}

static void test_buf_printf_growth(void **state)
{
    (void)state;
    nbuf b;
    nbuf_init(&b, 100000);
    assert_int_equal(nbuf_printf(&b, "%s-%d", "abc", 42), 0);
    assert_string_equal(b.data, "abc-42");
    /* Grow well beyond the initial 256-byte allocation. */
    for (int i = 0; i < 1000; i++)
        assert_int_equal(nbuf_printf(&b, "%04d,", i), 0);
    assert_int_equal(b.len, 6 + 1000 * 5);
    assert_true(b.cap > b.len);
    assert_int_equal(strlen(b.data), b.len);
    assert_memory_equal(b.data + 6, "0000,0001,", 10);
    assert_memory_equal(b.data + b.len - 5, "0999,", 5);

    /* printf to exactly max works; one more byte is refused. */
    nbuf c;
    nbuf_init(&c, 8);
    assert_int_equal(nbuf_printf(&c, "%s", "1234"), 0);
    assert_int_equal(nbuf_printf(&c, "%s", "56789"), -1);
    assert_string_equal(c.data, "1234");
    assert_int_equal(nbuf_printf(&c, "%d", 5678), 0);
    assert_string_equal(c.data, "12345678");
    assert_int_equal(c.len, 8);
    assert_true(c.cap <= c.max + 1);
    nbuf_free(&c);
    nbuf_free(&b);
}

static void test_buf_take(void **state)
{
    (void)state;
    nbuf b;
    nbuf_init(&b, 64);
    assert_int_equal(nbuf_puts(&b, "hello"), 0);
    char *p = nbuf_take(&b);
    assert_non_null(p);
    assert_string_equal(p, "hello");
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    assert_int_equal(b.max, 64);
    free(p);

    /* Taking from an empty buffer gives an allocated empty string. */
    p = nbuf_take(&b);
    assert_non_null(p);
    assert_string_equal(p, "");
    free(p);

    /* The buffer is reusable after take. */
    assert_int_equal(nbuf_puts(&b, "again"), 0);
    assert_string_equal(b.data, "again");
    nbuf_free(&b);
    nbuf_free(&b); /* double free is harmless */
}

/* ---- util/str ------------------------------------------------------------------------ */

static void test_str_copy(void **state)
{
    (void)state;
    char dst[6];
    memset(dst, 'X', sizeof dst);
    assert_int_equal(str_copy(dst, sizeof dst, "hello"), 5); /* fits exactly */
    assert_string_equal(dst, "hello");
    memset(dst, 'X', sizeof dst);
    assert_int_equal(str_copy(dst, sizeof dst, "hello world"), 11); /* truncated */
    assert_string_equal(dst, "hello");
    assert_int_equal(str_copy(dst, 4, "abcdef"), 6);
    assert_string_equal(dst, "abc");
    assert_int_equal(str_copy(dst, 1, "abc"), 3);
    assert_string_equal(dst, "");
    assert_int_equal(str_copy(dst, sizeof dst, ""), 0);
    assert_string_equal(dst, "");
}

static void test_str_to_i64(void **state)
{
    (void)state;
    int64_t v = 0;
    assert_int_equal(str_to_i64("42", 0, 100, &v), 0);
    assert_int_equal(v, 42);
    assert_int_equal(str_to_i64("0", 0, 100, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(str_to_i64("100", 0, 100, &v), 0);
    assert_int_equal(v, 100);
    assert_int_equal(str_to_i64("-5", -10, 10, &v), 0);
    assert_int_equal(v, -5);
    assert_int_equal(str_to_i64("9223372036854775807", INT64_MIN, INT64_MAX, &v), 0);
    assert_true(v == INT64_MAX);
    assert_int_equal(str_to_i64("-9223372036854775808", INT64_MIN, INT64_MAX, &v), 0);
    assert_true(v == INT64_MIN);

    /* Rejections leave out untouched. */
    v = 777;
    const char *bad[] = {"",   "-",    "--1", "+1",  " 1",  "1 ", "1a",
                         "a1", "0x10", "1.5", "1-2", "1e3", "١", /* Arabic-Indic one */
                         "９"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(str_to_i64(bad[i], INT64_MIN, INT64_MAX, &v), -1);
        assert_int_equal(v, 777);
    }
    assert_int_equal(str_to_i64(NULL, 0, 10, &v), -1);
    /* bounds */
    assert_int_equal(str_to_i64("101", 0, 100, &v), -1);
    assert_int_equal(str_to_i64("-1", 0, 100, &v), -1);
    assert_int_equal(str_to_i64("11", -10, 10, &v), -1);
    assert_int_equal(str_to_i64("-11", -10, 10, &v), -1);
    /* overflow */
    assert_int_equal(str_to_i64("9223372036854775808", INT64_MIN, INT64_MAX, &v), -1);
    assert_int_equal(str_to_i64("-9223372036854775809", INT64_MIN, INT64_MAX, &v), -1);
    assert_int_equal(str_to_i64("99999999999999999999999", INT64_MIN, INT64_MAX, &v), -1);
    assert_int_equal(v, 777);
}

static void test_str_misc(void **state)
{
    (void)state;
    assert_true(str_starts("sqlite:x", "sqlite:"));
    assert_true(str_starts("abc", ""));
    assert_false(str_starts("sql", "sqlite:"));
    assert_true(str_eq(NULL, NULL));
    assert_false(str_eq("a", NULL));
    assert_false(str_eq(NULL, "a"));
    assert_true(str_eq("a", "a"));
    assert_false(str_eq("a", "A"));
    char s[] = "MiXeD Ünï 123";
    str_ascii_lower(s);
    assert_string_equal(s, "mixed Ünï 123"); /* only ASCII letters change */
}

static void test_str_utf8_clean(void **state)
{
    (void)state;
    /* accepted */
    assert_true(str_utf8_clean("", false));
    assert_true(str_utf8_clean("plain ASCII ~", false));
    assert_true(str_utf8_clean("看護師ｶﾝｺﾞ", false));
    assert_true(str_utf8_clean("\xC2\x80", false));         /* U+0080, smallest 2-byte */
    assert_true(str_utf8_clean("\xE0\xA0\x80", false));     /* U+0800, smallest 3-byte */
    assert_true(str_utf8_clean("\xED\x9F\xBF", false));     /* U+D7FF, below surrogates */
    assert_true(str_utf8_clean("\xEE\x80\x80", false));     /* U+E000, above surrogates */
    assert_true(str_utf8_clean("\xEF\xBF\xBF", false));     /* U+FFFF */
    assert_true(str_utf8_clean("\xF0\x90\x80\x80", false)); /* U+10000 */
    assert_true(str_utf8_clean("\xF0\x9F\x98\x80", false)); /* emoji */
    assert_true(str_utf8_clean("\xF4\x8F\xBF\xBF", false)); /* U+10FFFF */

    /* overlong encodings */
    assert_false(str_utf8_clean("\xC0\xAF", false));
    assert_false(str_utf8_clean("\xC1\xBF", false));
    assert_false(str_utf8_clean("\xC0\x80", false)); /* overlong NUL */
    assert_false(str_utf8_clean("\xE0\x80\xAF", false));
    assert_false(str_utf8_clean("\xE0\x9F\xBF", false));
    assert_false(str_utf8_clean("\xF0\x80\x80\xAF", false));
    assert_false(str_utf8_clean("\xF0\x8F\xBF\xBF", false));
    /* surrogates */
    assert_false(str_utf8_clean("\xED\xA0\x80", false));
    assert_false(str_utf8_clean("\xED\xBF\xBF", false));
    assert_false(str_utf8_clean("a\xED\xB0\x80z", false));
    /* beyond U+10FFFF and invalid lead bytes */
    assert_false(str_utf8_clean("\xF4\x90\x80\x80", false));
    assert_false(str_utf8_clean("\xF5\x80\x80\x80", false));
    assert_false(str_utf8_clean("\xF7\xBF\xBF\xBF", false));
    assert_false(str_utf8_clean("\xF8\x88\x80\x80\x80", false));
    assert_false(str_utf8_clean("\xFE", false));
    assert_false(str_utf8_clean("\xFF", false));
    /* stray continuation bytes and truncated sequences */
    assert_false(str_utf8_clean("\x80", false));
    assert_false(str_utf8_clean("a\xBF", false));
    assert_false(str_utf8_clean("\xC3", false));
    assert_false(str_utf8_clean("\xE3\x81", false));
    assert_false(str_utf8_clean("\xF0\x9F\x98", false));
    assert_false(str_utf8_clean("\xE3\x81z", false));
    assert_false(str_utf8_clean("\xC3 ", false));
    /* control characters */
    assert_false(str_utf8_clean("a\x01z", false));
    assert_false(str_utf8_clean("\x1B[0m", false));
    assert_false(str_utf8_clean("a\x7Fz", false));
    assert_false(str_utf8_clean("a\x7Fz", true));
    assert_false(str_utf8_clean("a\x1Fz", true));
    assert_false(str_utf8_clean("\x0B", true)); /* vertical tab */
    assert_false(str_utf8_clean("\x0C", true)); /* form feed */
    /* newline flag */
    assert_false(str_utf8_clean("line1\nline2", false));
    assert_true(str_utf8_clean("line1\nline2", true));
    assert_false(str_utf8_clean("a\r\nb", false));
    assert_true(str_utf8_clean("a\r\nb", true));
    assert_true(str_utf8_clean("a\tb", true));
    assert_false(str_utf8_clean("a\tb", false));
}

static void test_str_utf8_len(void **state)
{
    (void)state;
    assert_int_equal(str_utf8_len(""), 0);
    assert_int_equal(str_utf8_len("abc"), 3);
    assert_int_equal(str_utf8_len("看護師"), 3);
    assert_int_equal(str_utf8_len("aé看😀"), 4);
    assert_int_equal(str_utf8_len("ｶﾝｺﾞ"), 4); /* half-width voiced mark is its own char */
    assert_int_equal(strlen("看護師"), 9);
}

/* ---- util/timeutil ------------------------------------------------------------------- */

static void test_date_parse(void **state)
{
    (void)state;
    int y = 0, m = 0, d = 0;
    assert_int_equal(date_parse("2024-02-29", &y, &m, &d), 0);
    assert_int_equal(y, 2024);
    assert_int_equal(m, 2);
    assert_int_equal(d, 29);
    assert_int_equal(date_parse("2000-02-29", &y, &m, &d), 0); /* 400-year leap */
    assert_int_equal(date_parse("2023-12-31", &y, &m, &d), 0);
    assert_int_equal(date_parse("1868-01-01", &y, &m, &d), 0);

    y = m = d = -1;
    const char *bad[] = {"2023-02-29", "2023-02-30",  "2023-13-01",  "2023-00-10", "2023-04-31",
                         "2023-01-00", "2023-1-01",   "2023-01-1",   "",           "20230101",
                         "2023/01/01", "2023-01-01 ", " 2023-01-01", "2023-01-0a", "1900-02-29",
                         "1867-12-31", "+023-01-01",  "2023-0１-01"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(date_parse(bad[i], &y, &m, &d), -1);
    assert_int_equal(date_parse(NULL, &y, &m, &d), -1);
    assert_int_equal(y, -1); /* untouched on error */
    assert_int_equal(m, -1);
    assert_int_equal(d, -1);

    assert_int_equal(days_in_month(2024, 2), 29);
    assert_int_equal(days_in_month(2023, 2), 28);
    assert_int_equal(days_in_month(1900, 2), 28);
    assert_int_equal(days_in_month(2000, 2), 29);
    assert_int_equal(days_in_month(2023, 4), 30);
    assert_int_equal(days_in_month(2023, 12), 31);
    assert_int_equal(days_in_month(2023, 0), 0);
    assert_int_equal(days_in_month(2023, 13), 0);
    assert_true(date_valid(2024, 2, 29));
    assert_false(date_valid(2023, 2, 29));
    assert_false(date_valid(1867, 12, 31));
    assert_false(date_valid(10000, 1, 1));

    assert_true(date_cmp("2024-01-01", "2023-12-31") > 0);
    assert_true(date_cmp("2023-12-31", "2024-01-01") < 0);
    assert_int_equal(date_cmp("2024-01-01", "2024-01-01"), 0);
}

static void test_time_jst_date(void **state)
{
    (void)state;
    char out[16];
    time_jst_date(0, out, sizeof out);
    assert_string_equal(out, "1970-01-01");
    time_jst_date(15 * 3600 - 1, out, sizeof out); /* 23:59:59 JST */
    assert_string_equal(out, "1970-01-01");
    time_jst_date(15 * 3600, out, sizeof out); /* midnight JST */
    assert_string_equal(out, "1970-01-02");
    time_jst_date(1782572400, out, sizeof out); /* 2026-06-27 15:00 UTC = 06-28 00:00 JST */
    assert_string_equal(out, "2026-06-28");
    assert_true(time_now() > 1700000000);
    int64_t a = time_now_us();
    int64_t b = time_now_us();
    assert_true(b >= a);
}

static void test_fiscal(void **state)
{
    (void)state;
    assert_int_equal(fiscal_year(2027, 3), 2026);
    assert_int_equal(fiscal_year(2026, 4), 2026);
    assert_int_equal(fiscal_year(2026, 12), 2026);
    assert_int_equal(fiscal_year(2027, 1), 2026);
    assert_int_equal(fiscal_year(2026, 3), 2025);
    assert_int_equal(fiscal_month_index(4), 0);
    assert_int_equal(fiscal_month_index(5), 1);
    assert_int_equal(fiscal_month_index(12), 8);
    assert_int_equal(fiscal_month_index(1), 9);
    assert_int_equal(fiscal_month_index(3), 11);
    /* every month maps to a distinct index */
    int seen[12] = {0};
    for (int m = 1; m <= 12; m++) {
        int i = fiscal_month_index(m);
        assert_in_range(i, 0, 11);
        seen[i]++;
    }
    for (int i = 0; i < 12; i++)
        assert_int_equal(seen[i], 1);
}

static void test_era_format(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(era_format(2019, 5, 1, out, sizeof out), 0);
    assert_string_equal(out, "令和元年5月1日");
    assert_int_equal(era_format(2019, 4, 30, out, sizeof out), 0);
    assert_string_equal(out, "平成31年4月30日");
    assert_int_equal(era_format(1989, 1, 8, out, sizeof out), 0);
    assert_string_equal(out, "平成元年1月8日");
    assert_int_equal(era_format(1989, 1, 7, out, sizeof out), 0);
    assert_string_equal(out, "昭和64年1月7日");
    assert_int_equal(era_format(2026, 11, 21, out, sizeof out), 0);
    assert_string_equal(out, "令和8年11月21日");
    assert_int_equal(era_format(2020, 1, 1, out, sizeof out), 0);
    assert_string_equal(out, "令和2年1月1日");
    assert_int_equal(era_format(1926, 12, 25, out, sizeof out), 0);
    assert_string_equal(out, "昭和元年12月25日");
    assert_int_equal(era_format(1926, 12, 24, out, sizeof out), 0);
    assert_string_equal(out, "大正15年12月24日");
    assert_int_equal(era_format(1912, 7, 30, out, sizeof out), 0);
    assert_string_equal(out, "大正元年7月30日");
    assert_int_equal(era_format(1912, 7, 29, out, sizeof out), 0);
    assert_string_equal(out, "明治45年7月29日");
    assert_int_equal(era_format(1868, 1, 25, out, sizeof out), 0);
    assert_string_equal(out, "明治元年1月25日");
    assert_int_equal(era_format(1868, 1, 24, out, sizeof out), -1);

    /* "令和8年11月21日" is 20 bytes: it needs 21 with the NUL. */
    char small[21];
    assert_int_equal(era_format(2026, 11, 21, small, 21), 0);
    assert_string_equal(small, "令和8年11月21日");
    assert_int_equal(era_format(2026, 11, 21, small, 20), -1);
    assert_int_equal(era_format(2026, 11, 21, small, 5), -1);
    assert_int_equal(era_format(2026, 11, 21, small, 1), -1);
}

/* ---- util/config --------------------------------------------------------------------- */

static void test_config_set(void **state)
{
    (void)state;
    config c;
    config_defaults(&c);
    assert_string_equal(c.db_url, "sqlite:var/nccs.db");
    assert_int_equal(c.threads, 8);
    assert_int_equal(c.login_account_max, 5);
    assert_true(c.access_log);
    assert_false(c.trust_proxy);

    /* accepted */
    assert_int_equal(config_set(&c, "NCCS_DB", "sqlite:/tmp/x.db"), 0);
    assert_string_equal(c.db_url, "sqlite:/tmp/x.db");
    assert_int_equal(config_set(&c, "NCCS_THREADS", "6"), 0);
    assert_int_equal(c.threads, 6);
    assert_int_equal(config_set(&c, "NCCS_THREADS", "1"), 0);
    assert_int_equal(config_set(&c, "NCCS_THREADS", "256"), 0);
    assert_int_equal(c.threads, 256);
    assert_int_equal(config_set(&c, "NCCS_TRUST_PROXY", "yes"), 0);
    assert_true(c.trust_proxy);
    assert_int_equal(config_set(&c, "NCCS_TRUST_PROXY", "0"), 0);
    assert_false(c.trust_proxy);
    assert_int_equal(config_set(&c, "NCCS_ACCESS_LOG", "false"), 0);
    assert_false(c.access_log);
    assert_int_equal(config_set(&c, "NCCS_BODY_MAX", "1024"), 0);
    assert_int_equal(c.body_max, 1024);
    assert_int_equal(config_set(&c, "NCCS_SESSION_IDLE", "600"), 0);
    assert_int_equal(c.session_idle, 600);
    assert_int_equal(config_set(&c, "NCCS_LISTEN", "0.0.0.0:9000"), 0);
    assert_string_equal(c.listen, "0.0.0.0:9000");

    /* rejected: value unchanged */
    assert_int_equal(config_set(&c, "NCCS_THREADS", "0"), -1);
    assert_int_equal(config_set(&c, "NCCS_THREADS", "257"), -1);
    assert_int_equal(config_set(&c, "NCCS_THREADS", "four"), -1);
    assert_int_equal(config_set(&c, "NCCS_THREADS", ""), -1);
    assert_int_equal(config_set(&c, "NCCS_THREADS", "-1"), -1);
    assert_int_equal(c.threads, 256);
    assert_int_equal(config_set(&c, "NCCS_TRUST_PROXY", "maybe"), -1);
    assert_int_equal(config_set(&c, "NCCS_TRUST_PROXY", "TRUE"), -1);
    assert_false(c.trust_proxy);
    assert_int_equal(config_set(&c, "NCCS_BODY_MAX", "1023"), -1);
    assert_int_equal(config_set(&c, "NCCS_BODY_MAX", "1073741825"), -1);
    assert_int_equal(c.body_max, 1024);
    assert_int_equal(config_set(&c, "NCCS_SESSION_IDLE", "9"), -1);
    assert_int_equal(c.session_idle, 600);
    assert_int_equal(config_set(&c, "NCCS_IDLE_TIMEOUT", "3601"), -1);

    /* unknown keys */
    assert_int_equal(config_set(&c, "NCCS_NOPE", "1"), -1);
    assert_int_equal(config_set(&c, "nccs_threads", "2"), -1);
    assert_int_equal(config_set(&c, "", "2"), -1);
    assert_int_equal(c.threads, 256);
}

/* A rejected (too long) string value must not change the setting: config_load_env prints
 * "ignoring invalid NCCS_DB" and the server must then keep using the previous value. */
static void test_config_set_long_string_unchanged(void **state)
{
    (void)state;
    config c;
    config_defaults(&c);
    char longv[sizeof c.db_url + 16];
    memset(longv, 'a', sizeof longv - 1);
    longv[sizeof longv - 1] = '\0';
    memcpy(longv, "sqlite:", 7);
    assert_int_equal(config_set(&c, "NCCS_DB", longv), -1);
    if (strcmp(c.db_url, "sqlite:var/nccs.db") != 0)
        fail_msg("rejected NCCS_DB value still replaced db_url (now %zu bytes: \"%.16s...\")",
                 strlen(c.db_url), c.db_url);

    /* The longest value that fits is accepted. */
    char fits[sizeof c.db_url];
    memset(fits, 'b', sizeof fits - 1);
    fits[sizeof fits - 1] = '\0';
    assert_int_equal(config_set(&c, "NCCS_DB", fits), 0);
    assert_int_equal(strlen(c.db_url), sizeof c.db_url - 1);
}

static void test_config_load_file(void **state)
{
    (void)state;
    char path[] = "/tmp/nccs-config-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs("# comment\n"
          "\n"
          "   NCCS_THREADS=12\n"
          "NCCS_LISTEN=127.0.0.1:9999  \r\n"
          "NCCS_BOGUS=1\n"
          "no equals sign\n"
          "NCCS_LOGIN_ACCOUNT_MAX=7\n",
          f);
    fclose(f);
    config c;
    config_defaults(&c);
    assert_int_equal(config_load_file(&c, path), -1); /* two bad lines */
    assert_int_equal(c.threads, 12);                  /* good lines are still applied */
    assert_string_equal(c.listen, "127.0.0.1:9999");
    assert_int_equal(c.login_account_max, 7);

    f = fopen(path, "w");
    assert_non_null(f);
    fputs("NCCS_THREADS=3\n", f);
    fclose(f);
    assert_int_equal(config_load_file(&c, path), 0);
    assert_int_equal(c.threads, 3);
    unlink(path);
    assert_int_equal(config_load_file(&c, path), -1); /* missing file */
}

/* A comment line longer than the reader's line buffer must stay a comment: its tail must not
 * be applied as a setting. */
static void test_config_load_file_long_comment(void **state)
{
    (void)state;
    char path[] = "/tmp/nccs-config-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputc('#', f);
    for (int i = 0; i < 2046; i++)
        fputc('-', f);
    fputs("NCCS_THREADS=77\n", f); /* still part of the comment line */
    fclose(f);
    config c;
    config_defaults(&c);
    (void)config_load_file(&c, path); /* an error for the overlong line would be fine */
    unlink(path);
    if (c.threads != 8)
        fail_msg("the tail of a 2062-byte comment line was applied: threads = %d", c.threads);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_cap_exact),
        cmocka_unit_test(test_buf_printf_growth),
        cmocka_unit_test(test_buf_take),
        cmocka_unit_test(test_str_copy),
        cmocka_unit_test(test_str_to_i64),
        cmocka_unit_test(test_str_misc),
        cmocka_unit_test(test_str_utf8_clean),
        cmocka_unit_test(test_str_utf8_len),
        cmocka_unit_test(test_date_parse),
        cmocka_unit_test(test_time_jst_date),
        cmocka_unit_test(test_fiscal),
        cmocka_unit_test(test_era_format),
        cmocka_unit_test(test_config_set),
        cmocka_unit_test(test_config_set_long_string_unchanged),
        cmocka_unit_test(test_config_load_file),
        cmocka_unit_test(test_config_load_file_long_comment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
