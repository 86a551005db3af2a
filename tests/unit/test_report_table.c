/* Unit tests for src/report/table: building, JSON, CSV (formula-safe) and XLSX (read back with
 * report/sheet.c: text stays text, never a formula; numbers keep their values). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "report/bundle.h"
#include "report/sheet.h"
#include "report/table.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const HOSTILE = "=HYPERLINK(\"http://x.invalid\",\"click\")";

/* A small monthly table: label, a count, a ratio and a text column with hostile text. */
static void sample(rtable *t)
{
    rt_init(t, "sample", "見本の表", "見本");
    assert_int_equal(rt_column(t, "month", "月", NULL, RT_TEXT), 0);
    assert_int_equal(rt_column(t, "n", "件数", "区分A", RT_INT), 1);
    assert_int_equal(rt_column(t, "share", "構成比", NULL, RT_PCT), 2);
    assert_int_equal(rt_column(t, "memo", "メモ", NULL, RT_TEXT), 3);
    int r0 = rt_row_label(t, "4月"), r1 = rt_row_label(t, "5月");
    assert_int_equal(r0, 0);
    assert_int_equal(r1, 1);
    rt_set_int(t, r0, 1, 3);
    rt_add_int(t, r1, 1, 1);
    rt_add_int(t, r1, 1, 2);
    rt_set_ratio(t, r0, 2, 1, 4);
    rt_set_ratio(t, r1, 2, 1, 0); /* zero denominator: empty */
    assert_int_equal(rt_set_text(t, r0, 3, HOSTILE), 0);
    assert_int_equal(rt_set_text(t, r1, 3, "-1+2"), 0);
    int tot = rt_row_label(t, "月平均");
    rt_set_real(t, tot, 1, 3.0 / 2.0);
    t->foot = 1;
}

static void test_build_and_json(void **state)
{
    (void)state;
    rtable t;
    sample(&t);
    assert_int_equal(t.nrows, 3);
    /* no column may be added once rows exist */
    assert_int_equal(rt_column(&t, "late", "遅い列", NULL, RT_INT), -1);
    json_t *j = rt_json(&t);
    json_t *rows = json_object_get(j, "rows");
    assert_int_equal(json_array_size(rows), 3);
    assert_int_equal(json_integer_value(json_array_get(json_array_get(rows, 0), 1)), 3);
    assert_int_equal(json_integer_value(json_array_get(json_array_get(rows, 1), 1)), 3);
    assert_true(json_is_null(json_array_get(json_array_get(rows, 1), 2)));
    assert_true(json_real_value(json_array_get(json_array_get(rows, 0), 2)) == 0.25);
    /* a real average in an integer column stays a real */
    assert_true(json_is_real(json_array_get(json_array_get(rows, 2), 1)));
    assert_true(json_real_value(json_array_get(json_array_get(rows, 2), 1)) == 1.5);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(j, "columns"), 1), "group")),
                        "区分A");
    assert_int_equal(json_integer_value(json_object_get(j, "foot")), 1);
    json_decref(j);
    rt_free(&t);
}

static void test_csv(void **state)
{
    (void)state;
    rtable t;
    sample(&t);
    nbuf b;
    nbuf_init(&b, 1 << 16);
    assert_int_equal(rt_csv(&t, &b, true), 0);
    assert_memory_equal(b.data, "\xEF\xBB\xBF", 3);
    assert_non_null(strstr(b.data, "月,区分A・件数,構成比,メモ\r\n"));
    /* the hostile text is neutralised with an apostrophe; numbers are plain */
    assert_non_null(strstr(b.data, "4月,3,25.0%,\"'=HYPERLINK("));
    assert_non_null(strstr(b.data, "5月,3,,'-1+2\r\n"));
    assert_non_null(strstr(b.data, "月平均,1.50,,\r\n"));
    nbuf_free(&b);
    /* a full buffer fails cleanly */
    nbuf_init(&b, 16);
    assert_int_equal(rt_csv(&t, &b, true), -1);
    nbuf_free(&b);
    rt_free(&t);
}

static void test_xlsx_roundtrip(void **state)
{
    (void)state;
    rtable t;
    sample(&t);
    char path[512], err[256] = "";
    assert_int_equal(rt_tmpfile(path, sizeof path, ".xlsx"), 0);
    assert_int_equal(rt_xlsx_write(&t, 1, path, err, sizeof err), 0);
    size_t len = 0;
    char *data = rt_slurp(path, RT_FILE_CAP, &len);
    unlink(path);
    assert_non_null(data);
    assert_memory_equal(data, "PK", 2);
    sheet s;
    assert_int_equal(sheet_read(data, len, 100, 50, 40000, &s, NULL, 0), SHEET_OK);
    /* row 0: title; then scope line; header; data rows */
    assert_string_equal(sheet_text(&s.rows[0], 0), "見本の表");
    int found = 0;
    for (size_t i = 0; i < s.nrows; i++)
        for (size_t c = 0; c < s.rows[i].ncells; c++) {
            assert_false(s.rows[i].cells[c].flags & SHEET_CELL_FORMULA);
            if (!strcmp(s.rows[i].cells[c].text, HOSTILE))
                found++;
        }
    assert_int_equal(found, 1);
    /* find the 4月 row: its count reads back as 3 */
    bool seen = false;
    for (size_t i = 0; i < s.nrows; i++)
        if (!strcmp(sheet_text(&s.rows[i], 0), "4月")) {
            assert_string_equal(sheet_text(&s.rows[i], 1), "3");
            seen = true;
        }
    assert_true(seen);
    sheet_free(&s);
    free(data);
    rt_free(&t);
}

static void test_row_cap(void **state)
{
    (void)state;
    rtable t;
    rt_init(&t, "big", "大きい表", "大");
    assert_int_equal(rt_row(&t), -1); /* no columns yet */
    rt_column(&t, "a", "A", NULL, RT_INT);
    for (int i = 0; i < RT_MAX_ROWS; i++)
        assert_int_equal(rt_row(&t), i);
    assert_int_equal(rt_row(&t), -1);
    /* writes outside the table are dropped, never out of bounds */
    rt_set_int(&t, RT_MAX_ROWS, 0, 7);
    rt_set_int(&t, 0, 1, 7);
    rt_add_int(&t, -1, 0, 7);
    assert_int_equal(rt_set_text(&t, 0, 5, "x"), -1);
    assert_false(rt_at(&t, 0, 0)->set);
    rt_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build_and_json),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_xlsx_roundtrip),
        cmocka_unit_test(test_row_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
