/* Unit tests for src/report/sheet: CSV (UTF-8, CP932) and XLSX uploads. The XLSX files are built
 * here with libzip from minimal parts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "report/sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

/* ---- CSV ---------------------------------------------------------------------------------- */

static sheet_rc read_csv(const char *s, size_t len, size_t max_rows, size_t max_cols,
                         size_t max_cell, sheet *out, char *detail, size_t cap)
{
    return sheet_read(s, len, max_rows, max_cols, max_cell, out, detail, cap);
}

/* Reads a NUL-terminated CSV with generous limits; asserts SHEET_OK. */
static void read_ok(const char *s, sheet *out)
{
    char detail[200];
    sheet_rc rc = read_csv(s, strlen(s), 100, 50, 1000, out, detail, sizeof detail);
    if (rc != SHEET_OK)
        fail_msg("%s: %s", sheet_rc_name(rc), detail);
    assert_string_equal(detail, "");
}

static sheet_rc read_rc(const char *s, size_t len, size_t max_rows, size_t max_cols,
                        size_t max_cell)
{
    sheet sh;
    char detail[200] = "x";
    sheet_rc rc = read_csv(s, len, max_rows, max_cols, max_cell, &sh, detail, sizeof detail);
    if (rc != SHEET_OK)
        assert_true(detail[0] != '\0' && strlen(detail) < sizeof detail);
    sheet_free(&sh);
    return rc;
}

static void test_csv_utf8_bom(void **state)
{
    (void)state;
    sheet sh;
    read_ok("\xEF\xBB\xBF氏名,資格\r\n山田 花子,看護師\r\n", &sh);
    assert_int_equal(sh.format, SHEET_CSV_UTF8);
    assert_int_equal(sh.nrows, 2);
    assert_int_equal(sh.rows[0].line, 1);
    assert_int_equal(sh.rows[0].ncells, 2);
    assert_string_equal(sheet_text(&sh.rows[0], 0), "氏名"); /* BOM stripped */
    assert_string_equal(sheet_text(&sh.rows[0], 1), "資格"); /* CR stripped */
    assert_int_equal(sh.rows[1].line, 2);
    assert_string_equal(sheet_text(&sh.rows[1], 0), "山田 花子");
    assert_string_equal(sheet_text(&sh.rows[1], 1), "看護師");
    assert_string_equal(sheet_text(&sh.rows[1], 2), ""); /* past the row */
    assert_int_equal(sh.rows[1].cells[1].flags, 0);
    sheet_free(&sh);
    sheet_free(&sh); /* harmless twice */
}

static void test_csv_quotes(void **state)
{
    (void)state;
    sheet sh;
    read_ok("a,b,c\n"
            "\"x,y\",\"he said \"\"hi\"\"\",\"multi\nline\"\n"
            "\"a\r\nb\",plain\"quote,\"closed\"after\n"
            "last,, \n"
            "no,newline",
            &sh);
    assert_int_equal(sh.nrows, 5);
    assert_string_equal(sheet_text(&sh.rows[1], 0), "x,y");
    assert_string_equal(sheet_text(&sh.rows[1], 1), "he said \"hi\"");
    assert_string_equal(sheet_text(&sh.rows[1], 2), "multi\nline");
    assert_int_equal(sh.rows[2].line, 3); /* records, not physical lines */
    assert_string_equal(sheet_text(&sh.rows[2], 0), "a\r\nb");
    assert_string_equal(sheet_text(&sh.rows[2], 1), "plain\"quote");
    assert_string_equal(sheet_text(&sh.rows[2], 2), "closedafter");
    assert_int_equal(sh.rows[3].ncells, 3); /* " " is kept: nothing is trimmed */
    assert_string_equal(sheet_text(&sh.rows[3], 1), "");
    assert_string_equal(sheet_text(&sh.rows[3], 2), " ");
    assert_int_equal(sh.rows[4].line, 5);
    assert_string_equal(sheet_text(&sh.rows[4], 1), "newline");
    sheet_free(&sh);

    /* Trailing empty cells are dropped; a lone CR ends a record too. */
    read_ok("h1,h2,,\rv,,\r\"\",x\r", &sh);
    assert_int_equal(sh.nrows, 3);
    assert_int_equal(sh.rows[0].ncells, 2);
    assert_int_equal(sh.rows[1].ncells, 1);
    assert_int_equal(sh.rows[2].ncells, 2);
    assert_string_equal(sheet_text(&sh.rows[2], 0), "");
    assert_string_equal(sheet_text(&sh.rows[2], 1), "x");
    sheet_free(&sh);
}

static void test_csv_sjis(void **state)
{
    (void)state;
    sheet sh;
    /* 看護師,ｶﾅ\r\n①,～\r\n in CP932 (① and the wave dash mapping are CP932, not JIS). */
    read_ok("\x8a\xc5\x8c\xec\x8e\x74,\xb6\xc5\r\n\x87\x40,\x81\x60\r\n", &sh);
    assert_int_equal(sh.format, SHEET_CSV_SJIS);
    assert_int_equal(sh.nrows, 2);
    assert_string_equal(sheet_text(&sh.rows[0], 0), "看護師");
    assert_string_equal(sheet_text(&sh.rows[0], 1), "ｶﾅ");
    assert_string_equal(sheet_text(&sh.rows[1], 0), "①");
    assert_string_equal(sheet_text(&sh.rows[1], 1), "\xEF\xBD\x9E"); /* U+FF5E */
    sheet_free(&sh);

    /* The cell cap counts UTF-8 bytes: 看護師 is 6 bytes in CP932, 9 in UTF-8. */
    const char *s = "\x8a\xc5\x8c\xec\x8e\x74\r\n";
    assert_int_equal(read_rc(s, strlen(s), 10, 10, 8), SHEET_TOO_LARGE);
    assert_int_equal(read_rc(s, strlen(s), 10, 10, 9), SHEET_OK);
}

static void test_csv_encoding_errors(void **state)
{
    (void)state;
    assert_int_equal(read_rc("a,\x81\x20\n", 6, 10, 10, 100), SHEET_ENCODING);
    assert_int_equal(read_rc("a,\x80\n", 4, 10, 10, 100), SHEET_ENCODING);
    assert_int_equal(read_rc("a,\xff\n", 4, 10, 10, 100), SHEET_ENCODING);
    assert_int_equal(read_rc("a,\x8a", 3, 10, 10, 100), SHEET_ENCODING); /* cut in half */
    assert_int_equal(read_rc("a,b\0c\n", 6, 10, 10, 100), SHEET_ENCODING);
    assert_int_equal(read_rc("\xFF\xFE"
                             "a\0,\0b\0",
                             8, 10, 10, 100),
                     SHEET_ENCODING);
    assert_int_equal(read_rc("\xFE\xFF\0a\0,\0b", 8, 10, 10, 100), SHEET_ENCODING);
    sheet sh;
    char detail[100];
    assert_int_equal(read_csv("\xFF\xFE", 2, 10, 10, 100, &sh, detail, sizeof detail),
                     SHEET_ENCODING);
    assert_non_null(strstr(detail, "UTF-16"));
    /* A detail buffer is optional. */
    assert_int_equal(read_csv("a\0", 2, 10, 10, 100, &sh, NULL, 0), SHEET_ENCODING);
}

static void test_csv_format_errors(void **state)
{
    (void)state;
    const char *s = "a,b\n\"open,x\ny,z\n";
    assert_int_equal(read_rc(s, strlen(s), 10, 10, 100), SHEET_FORMAT);
    s = "a,\"";
    assert_int_equal(read_rc(s, strlen(s), 10, 10, 100), SHEET_FORMAT);
    /* An OLE file (.xls, encrypted .xlsx). */
    assert_int_equal(read_rc("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, 10, 10, 100), SHEET_FORMAT);
}

static void test_csv_limits(void **state)
{
    (void)state;
    const char *s = "h\n1\n2\n3\n";
    assert_int_equal(read_rc(s, strlen(s), 3, 10, 100), SHEET_OK);
    assert_int_equal(read_rc(s, strlen(s), 2, 10, 100), SHEET_TOO_MANY_ROWS);
    assert_int_equal(read_rc(s, strlen(s), 0, 10, 100), SHEET_TOO_MANY_ROWS);
    assert_int_equal(read_rc("h\n", 2, 0, 10, 100), SHEET_OK);
    /* Reading stops at the row past the limit: the broken quote after it is never seen. */
    s = "h\n1\n2\n3\n\"never closed\n";
    assert_int_equal(read_rc(s, strlen(s), 2, 10, 100), SHEET_TOO_MANY_ROWS);
    /* ... and a large file is not parsed to its end. */
    size_t n = 100000;
    char *big = malloc(n * 2 + 1);
    assert_non_null(big);
    for (size_t i = 0; i < n; i++) {
        big[2 * i] = 'x';
        big[2 * i + 1] = '\n';
    }
    big[2 * n - 2] = '"'; /* the last record opens a quote it never closes */
    assert_int_equal(read_rc(big, 2 * n, 10, 10, 100), SHEET_TOO_MANY_ROWS);
    assert_int_equal(read_rc(big, 2 * n, n, 10, 100), SHEET_FORMAT);
    free(big);

    /* Columns: a value past max_cols is refused, empty ones are not. */
    s = "a,b,c\n";
    assert_int_equal(read_rc(s, strlen(s), 10, 2, 100), SHEET_TOO_LARGE);
    assert_int_equal(read_rc(s, strlen(s), 10, 3, 100), SHEET_OK);
    s = "a,b,,,\n";
    assert_int_equal(read_rc(s, strlen(s), 10, 2, 100), SHEET_OK);
    /* Cell bytes, quoted or not. */
    s = "abcd\n";
    assert_int_equal(read_rc(s, strlen(s), 10, 2, 3), SHEET_TOO_LARGE);
    assert_int_equal(read_rc(s, strlen(s), 10, 2, 4), SHEET_OK);
    s = "x,\"ab\"\"d\"\n";
    assert_int_equal(read_rc(s, strlen(s), 10, 2, 3), SHEET_TOO_LARGE);
    assert_int_equal(read_rc(s, strlen(s), 10, 2, 4), SHEET_OK);

    sheet sh;
    char detail[200];
    assert_int_equal(read_csv("h\n1\n2\n", 6, 1, 10, 100, &sh, detail, sizeof detail),
                     SHEET_TOO_MANY_ROWS);
    assert_string_equal(detail, "more than 1 data rows (row 3)");
    assert_int_equal(sh.nrows, 0);
    assert_null(sh.rows);
    assert_int_equal(read_csv("a,bcdef\n", 8, 1, 10, 3, &sh, detail, sizeof detail),
                     SHEET_TOO_LARGE);
    assert_string_equal(detail, "row 1 column B: cell over 3 bytes");
}

static void test_csv_blank_rows(void **state)
{
    (void)state;
    sheet sh;
    read_ok("\n\nh1,h2\n\n,,\n  , \t\n\xE3\x80\x80\n\"\",\"\"\nx,y\n\n", &sh);
    assert_int_equal(sh.nrows, 2);
    assert_int_equal(sh.rows[0].line, 3);
    assert_string_equal(sheet_text(&sh.rows[0], 1), "h2");
    assert_int_equal(sh.rows[1].line, 9);
    assert_string_equal(sheet_text(&sh.rows[1], 0), "x");
    sheet_free(&sh);

    assert_int_equal(read_rc("", 0, 10, 10, 100), SHEET_EMPTY);
    assert_int_equal(read_rc(NULL, 0, 10, 10, 100), SHEET_EMPTY);
    assert_int_equal(read_rc("\xEF\xBB\xBF", 3, 10, 10, 100), SHEET_EMPTY);
    assert_int_equal(read_rc("\r\n , \r\n,,,\r\n", 12, 10, 10, 100), SHEET_EMPTY);
}

/* ---- XLSX --------------------------------------------------------------------------------- */

typedef struct part {
    const char *name;
    const void *data;
    size_t len; /* 0: strlen(data) */
} part;

/* Builds a zip of the parts in memory; returns it (malloc'd, the caller frees) and its size. */
static unsigned char *make_zip(const part *p, size_t n, size_t *len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    assert_non_null(src);
    zip_source_keep(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    assert_non_null(za);
    for (size_t i = 0; i < n; i++) {
        size_t l = p[i].len ? p[i].len : strlen(p[i].data);
        zip_source_t *s = zip_source_buffer(za, p[i].data, l, 0);
        assert_non_null(s);
        assert_true(zip_file_add(za, p[i].name, s, ZIP_FL_ENC_UTF_8) >= 0);
    }
    assert_int_equal(zip_close(za), 0);
    assert_int_equal(zip_source_open(src), 0);
    assert_int_equal(zip_source_seek(src, 0, SEEK_END), 0);
    zip_int64_t size = zip_source_tell(src);
    assert_true(size > 0);
    assert_int_equal(zip_source_seek(src, 0, SEEK_SET), 0);
    unsigned char *buf = malloc((size_t)size);
    assert_non_null(buf);
    assert_int_equal(zip_source_read(src, buf, (zip_uint64_t)size), size);
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&ze);
    *len = (size_t)size;
    return buf;
}

#define NS_MAIN  "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_R     "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

static const char CONTENT_TYPES[] =
    XML_DECL "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
             "<Default Extension=\"rels\" "
             "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
             "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
             "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/"
             "vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/></Types>";

static const char ROOT_RELS[] = XML_DECL
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"" NS_R "/officeDocument\" "
    "Target=\"xl/workbook.xml\"/></Relationships>";

static const char WORKBOOK[] = XML_DECL "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_R "\">"
                                        "<sheets><sheet name=\"一覧\" sheetId=\"1\" r:id=\"rId1\"/>"
                                        "</sheets></workbook>";

static const char WORKBOOK_RELS[] = XML_DECL
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"" NS_R "/worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"" NS_R "/styles\" Target=\"styles.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"" NS_R "/sharedStrings\" "
    "Target=\"sharedStrings.xml\"/></Relationships>";

/* Rich text runs are joined, the phonetic guide (rPh) is left out, _x000D_ is a CR. */
static const char SHARED[] =
    XML_DECL "<sst xmlns=\"" NS_MAIN "\" count=\"5\" uniqueCount=\"5\">"
             "<si><t>氏名</t></si>"
             "<si><t>看護師</t><phoneticPr fontId=\"1\"/></si>"
             "<si><r><t>山田</t></r><r><rPr><b/></rPr><t xml:space=\"preserve\"> 花子</t></r>"
             "<rPh sb=\"0\" eb=\"2\"><t>ヤマダ</t></rPh><phoneticPr fontId=\"1\"/></si>"
             "<si><t>a_x000D_b_x005F_x0041_</t></si>"
             "<si><t>&lt;&amp;&gt;</t></si></sst>";

/* cellXfs: 0 General, 1 custom date, 2 built-in 14, 3 custom number, 4 built-in 31 (Japanese
 * yyyy年m月d日), 5 custom time. cellStyleXfs must not shift the indexes. */
static const char STYLES[] = XML_DECL
    "<styleSheet xmlns=\"" NS_MAIN "\"><numFmts count=\"3\">"
    "<numFmt numFmtId=\"176\" formatCode=\"yyyy/m/d;@\"/>"
    "<numFmt numFmtId=\"177\" formatCode=\"#,##0&quot;円&quot;;[Red]-#,##0\"/>"
    "<numFmt numFmtId=\"178\" formatCode=\"[h]:mm:ss\"/></numFmts>"
    "<cellStyleXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellStyleXfs>"
    "<cellXfs count=\"6\"><xf numFmtId=\"0\"/><xf numFmtId=\"176\" applyNumberFormat=\"1\"/>"
    "<xf numFmtId=\"14\"/><xf numFmtId=\"177\"/><xf numFmtId=\"31\"/>"
    "<xf numFmtId=\"178\"/></cellXfs></styleSheet>";

static const char SHEET1[] =
    XML_DECL "<worksheet xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_R "\"><dimension ref=\"A1:E7\"/>"
             "<sheetData>"
             "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
             "<c r=\"B1\" t=\"inlineStr\"><is><t>資格</t></is></c>"
             "<c r=\"C1\" t=\"s\"><v>3</v></c></row>"
             "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>2</v></c><c r=\"B2\" t=\"s\"><v>1</v></c>"
             "<c r=\"C2\"><v>123456</v></c><c r=\"D2\" s=\"1\"><v>45962</v></c></row>"
             "<row r=\"3\"><c r=\"A3\"><v>1.5</v></c>"
             "<c r=\"C3\" t=\"str\"><f>A3&amp;\"x\"</f><v>1.5x</v></c>"
             "<c r=\"D3\" s=\"2\"><v>60</v></c><c r=\"E3\" s=\"3\"><v>1000</v></c></row>"
             "<row r=\"5\"><c r=\"A5\" t=\"b\"><v>1</v></c><c r=\"B5\" t=\"e\"><v>#N/A</v></c>"
             "<c r=\"C5\" s=\"4\"><v>45962.75</v></c><c r=\"D5\"><f>1+1</f><v>2</v></c>"
             "<c r=\"E5\" s=\"5\"><v>1.25</v></c></row>"
             "<row r=\"6\"><c r=\"A6\" s=\"1\"/><c r=\"B6\" t=\"inlineStr\"><is><t> </t></is></c>"
             "</row>"
             "<row r=\"7\"><c r=\"A7\"><v>0.30000000000000004</v></c><c r=\"B7\"><v>-0</v></c>"
             "<c r=\"C7\"><v>123456789012345</v></c><c r=\"D7\" s=\"2\"><v>61</v></c>"
             "<c r=\"E7\" s=\"2\"><v>59</v></c><c r=\"F7\" t=\"s\"><v>4</v></c>"
             "<c r=\"G7\" t=\"inlineStr\"><is><r><t>x</t></r><r><t>y</t></r>"
             "<rPh><t>ignored</t></rPh></is></c><c r=\"H7\" s=\"7\"/></row>"
             "</sheetData></worksheet>";

static unsigned char *make_book(const char *sheet1, size_t *len)
{
    const part p[] = {
        {"[Content_Types].xml", CONTENT_TYPES, 0}, {"_rels/.rels", ROOT_RELS, 0},
        {"xl/workbook.xml", WORKBOOK, 0},          {"xl/_rels/workbook.xml.rels", WORKBOOK_RELS, 0},
        {"xl/sharedStrings.xml", SHARED, 0},       {"xl/styles.xml", STYLES, 0},
        {"xl/worksheets/sheet1.xml", sheet1, 0},
    };
    return make_zip(p, sizeof p / sizeof p[0], len);
}

static sheet_rc read_bytes(const void *data, size_t len, size_t max_rows, sheet *out, char *detail,
                           size_t cap)
{
    return sheet_read(data, len, max_rows, 50, 1000, out, detail, cap);
}

static void test_xlsx_cells(void **state)
{
    (void)state;
    size_t len;
    unsigned char *z = make_book(SHEET1, &len);
    sheet sh;
    char detail[200];
    sheet_rc rc = read_bytes(z, len, 100, &sh, detail, sizeof detail);
    if (rc != SHEET_OK)
        fail_msg("%s: %s", sheet_rc_name(rc), detail);
    assert_int_equal(sh.format, SHEET_XLSX);
    assert_int_equal(sh.nrows, 5);

    const sheet_row *r = &sh.rows[0];
    assert_int_equal(r->line, 1);
    assert_int_equal(r->ncells, 3);
    assert_string_equal(sheet_text(r, 0), "氏名");
    assert_string_equal(sheet_text(r, 1), "資格");
    assert_string_equal(sheet_text(r, 2), "a\rb_x0041_");

    r = &sh.rows[1];
    assert_int_equal(r->line, 2);
    assert_string_equal(sheet_text(r, 0), "山田 花子");
    assert_string_equal(sheet_text(r, 1), "看護師");
    assert_string_equal(sheet_text(r, 2), "123456");
    assert_string_equal(sheet_text(r, 3), "2025-11-01");

    r = &sh.rows[2];
    assert_int_equal(r->line, 3);
    assert_int_equal(r->ncells, 5);
    assert_string_equal(sheet_text(r, 0), "1.5");
    assert_string_equal(sheet_text(r, 1), ""); /* the gap B3 */
    assert_int_equal(r->cells[1].flags, 0);
    assert_string_equal(sheet_text(r, 2), "1.5x");
    assert_int_equal(r->cells[2].flags, SHEET_CELL_FORMULA);
    assert_int_equal(r->cells[0].flags, 0);
    assert_string_equal(sheet_text(r, 3), "1900-02-29"); /* Excel's phantom day */
    assert_string_equal(sheet_text(r, 4), "1000");       /* a number format, not a date */

    r = &sh.rows[3];
    assert_int_equal(r->line, 5);
    assert_string_equal(sheet_text(r, 0), "TRUE");
    assert_string_equal(sheet_text(r, 1), "#N/A");
    assert_string_equal(sheet_text(r, 2), "2025-11-01"); /* built-in 31, time of day dropped */
    assert_string_equal(sheet_text(r, 3), "2");
    assert_int_equal(r->cells[3].flags, SHEET_CELL_FORMULA);
    assert_string_equal(sheet_text(r, 4), "1.25"); /* [h]:mm:ss is no date */

    r = &sh.rows[4]; /* row 6 was blank */
    assert_int_equal(r->line, 7);
    assert_int_equal(r->ncells, 7); /* the empty H7 dropped */
    assert_string_equal(sheet_text(r, 0), "0.3");
    assert_string_equal(sheet_text(r, 1), "0");
    assert_string_equal(sheet_text(r, 2), "123456789012345");
    assert_string_equal(sheet_text(r, 3), "1900-03-01");
    assert_string_equal(sheet_text(r, 4), "1900-02-28");
    assert_string_equal(sheet_text(r, 5), "<&>");
    assert_string_equal(sheet_text(r, 6), "xy");
    sheet_free(&sh);

    /* Limits apply to XLSX rows, columns and cells too. */
    assert_int_equal(read_bytes(z, len, 3, &sh, detail, sizeof detail), SHEET_TOO_MANY_ROWS);
    assert_string_equal(detail, "more than 3 data rows (row 7)");
    assert_int_equal(sheet_read(z, len, 100, 6, 1000, &sh, detail, sizeof detail), SHEET_TOO_LARGE);
    assert_string_equal(detail, "row 7 column G: a value past the 6 allowed columns");
    assert_int_equal(sheet_read(z, len, 100, 7, 1000, &sh, detail, sizeof detail), SHEET_OK);
    sheet_free(&sh);
    assert_int_equal(sheet_read(z, len, 100, 50, 12, &sh, detail, sizeof detail), SHEET_TOO_LARGE);
    assert_string_equal(detail, "row 2 column A: cell of 13 bytes, over 12"); /* 山田 花子 */
    assert_int_equal(sheet_read(z, len, 100, 50, 14, &sh, detail, sizeof detail),
                     SHEET_TOO_LARGE); /* 123456789012345 */
    assert_int_equal(sheet_read(z, len, 100, 50, 15, &sh, detail, sizeof detail), SHEET_OK);
    sheet_free(&sh);
    free(z);
}

/* Stops at the row past the limit: the broken XML after it is never parsed. */
static void test_xlsx_stops_early(void **state)
{
    (void)state;
    static const char broken[] =
        XML_DECL "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>"
                 "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>h</t></is></c></row>"
                 "<row r=\"2\"><c r=\"A2\"><v>1</v></c></row>"
                 "<row r=\"3\"><c r=\"A3\"><v>2</v></c></row>"
                 "<row r=\"4\"><c r=\"A4\"><v>3</oops></c></row>";
    size_t len;
    unsigned char *z = make_book(broken, &len);
    sheet sh;
    char detail[200];
    assert_int_equal(read_bytes(z, len, 1, &sh, detail, sizeof detail), SHEET_TOO_MANY_ROWS);
    assert_int_equal(read_bytes(z, len, 10, &sh, detail, sizeof detail), SHEET_FORMAT);
    assert_non_null(strstr(detail, "xl/worksheets/sheet1.xml: XML error"));
    free(z);
}

/* The first worksheet in workbook order is read, whatever its file name; a chartsheet before it
 * is passed over. */
static void test_xlsx_sheet_order(void **state)
{
    (void)state;
    static const char wb[] =
        XML_DECL "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_R "\">"
                 "<workbookPr date1904=\"1\"/><sheets>"
                 "<sheet name=\"グラフ\" sheetId=\"3\" r:id=\"rId9\"/>"
                 "<sheet name=\"二\" sheetId=\"2\" r:id=\"rId2\"/>"
                 "<sheet name=\"一\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
    static const char rels[] = XML_DECL
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"" NS_R "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
        "<Relationship Id=\"rId2\" Type=\"" NS_R "/worksheet\" "
        "Target=\"/xl/worksheets/sheet2.xml\"/>"
        "<Relationship Id=\"rId9\" Type=\"" NS_R "/chartsheet\" "
        "Target=\"chartsheets/sheet1.xml\"/></Relationships>";
    static const char s1[] = "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\">"
                             "<c r=\"A1\" t=\"inlineStr\"><is><t>wrong</t></is></c>"
                             "</row></sheetData></worksheet>";
    static const char s2[] = "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"4\">"
                             "<c t=\"inlineStr\"><is><t>right</t></is></c>"
                             "<c s=\"1\"><v>0</v></c><c><v>7</v></c>"
                             "</row></sheetData></worksheet>";
    static const char st[] = "<styleSheet xmlns=\"" NS_MAIN "\"><cellXfs><xf numFmtId=\"0\"/>"
                             "<xf numFmtId=\"14\"/></cellXfs></styleSheet>";
    const part p[] = {
        {"[Content_Types].xml", CONTENT_TYPES, 0},
        {"xl/workbook.xml", wb, 0},
        {"xl/_rels/workbook.xml.rels", rels, 0},
        {"xl/styles.xml", st, 0},
        {"xl/chartsheets/sheet1.xml", "<chartsheet/>", 0},
        {"xl/worksheets/sheet1.xml", s1, 0},
        {"xl/worksheets/sheet2.xml", s2, 0},
    };
    size_t len;
    unsigned char *z = make_zip(p, sizeof p / sizeof p[0], &len);
    sheet sh;
    char detail[200];
    sheet_rc rc = read_bytes(z, len, 10, &sh, detail, sizeof detail);
    if (rc != SHEET_OK)
        fail_msg("%s: %s", sheet_rc_name(rc), detail);
    assert_int_equal(sh.nrows, 1);
    assert_int_equal(sh.rows[0].line, 4);
    assert_string_equal(sheet_text(&sh.rows[0], 0), "right");      /* cells without r: in order */
    assert_string_equal(sheet_text(&sh.rows[0], 1), "1904-01-01"); /* the 1904 date system */
    assert_string_equal(sheet_text(&sh.rows[0], 2), "7");
    sheet_free(&sh);
    free(z);
}

/* Without workbook.xml, rels, shared strings or styles: xl/worksheets/sheet1.xml. */
static void test_xlsx_minimal(void **state)
{
    (void)state;
    static const char s1[] = "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"2\">"
                             "<c r=\"B2\"><v>45962</v></c><c r=\"AA2\" t=\"inlineStr\">"
                             "<is><t>aa</t></is></c></row></sheetData></worksheet>";
    const part p[] = {{"xl/worksheets/sheet1.xml", s1, 0}};
    size_t len;
    unsigned char *z = make_zip(p, 1, &len);
    sheet sh;
    char detail[200];
    sheet_rc rc = read_bytes(z, len, 10, &sh, detail, sizeof detail);
    if (rc != SHEET_OK)
        fail_msg("%s: %s", sheet_rc_name(rc), detail);
    assert_int_equal(sh.rows[0].line, 2);
    assert_int_equal(sh.rows[0].ncells, 27);
    assert_string_equal(sheet_text(&sh.rows[0], 0), "");
    assert_string_equal(sheet_text(&sh.rows[0], 1), "45962"); /* no style: a number */
    assert_string_equal(sheet_text(&sh.rows[0], 26), "aa");
    sheet_free(&sh);
    free(z);

    /* A zip without a worksheet is no workbook. */
    const part q[] = {{"word/document.xml", "<document/>", 0}};
    z = make_zip(q, 1, &len);
    assert_int_equal(read_bytes(z, len, 10, &sh, detail, sizeof detail), SHEET_FORMAT);
    free(z);
    /* Only empty rows. */
    const part e[] = {{"xl/worksheets/sheet1.xml",
                       "<worksheet><sheetData><row r=\"1\"/></sheetData></worksheet>", 0}};
    z = make_zip(e, 1, &len);
    assert_int_equal(read_bytes(z, len, 10, &sh, detail, sizeof detail), SHEET_EMPTY);
    free(z);
}

static void test_xlsx_malformed(void **state)
{
    (void)state;
    size_t len;
    unsigned char *z = make_book(SHEET1, &len);
    sheet sh;
    char detail[200];
    /* Cut short: no central directory. */
    assert_int_equal(read_bytes(z, len / 2, 10, &sh, detail, sizeof detail), SHEET_FORMAT);
    assert_non_null(strstr(detail, "zip"));
    assert_int_equal(read_bytes("PK\x03\x04garbage", 11, 10, &sh, detail, sizeof detail),
                     SHEET_FORMAT);
    /* A damaged entry: the worksheet's compressed bytes overwritten. */
    unsigned char *bad = malloc(len);
    assert_non_null(bad);
    memcpy(bad, z, len);
    const char *name = "xl/worksheets/sheet1.xml";
    for (size_t i = 0; i + 30 + strlen(name) < len; i++)
        if (memcmp(bad + i, "PK\x03\x04", 4) == 0 &&
            memcmp(bad + i + 30, name, strlen(name)) == 0) {
            size_t data = i + 30 + strlen(name) + (bad[i + 28] | bad[i + 29] << 8);
            memset(bad + data + 10, 0x55, 40);
            break;
        }
    assert_int_equal(read_bytes(bad, len, 10, &sh, detail, sizeof detail), SHEET_FORMAT);
    free(bad);
    free(z);

    /* Malformed XML, a DOCTYPE, a bad reference, a shared string out of range. */
    static const char *sheets[] = {
        "<worksheet><sheetData><row><c><v>1</c></row></sheetData></worksheet>",
        "<!DOCTYPE x [<!ENTITY a \"b\">]><worksheet><sheetData/></worksheet>",
        "<worksheet><sheetData><row><c r=\"1A\"><v>1</v></c></row></sheetData></worksheet>",
        "<worksheet><sheetData><row><c r=\"ABCD1\"><v>1</v></c></row></sheetData></worksheet>",
        "<worksheet><sheetData><row r=\"x\"><c><v>1</v></c></row></sheetData></worksheet>",
        "<worksheet><sheetData><row><c t=\"s\"><v>99</v></c></row></sheetData></worksheet>",
    };
    for (size_t i = 0; i < sizeof sheets / sizeof sheets[0]; i++) {
        z = make_book(sheets[i], &len);
        sheet_rc rc = read_bytes(z, len, 10, &sh, detail, sizeof detail);
        if (rc != SHEET_FORMAT)
            fail_msg("sheet %zu: %s (%s)", i, sheet_rc_name(rc), detail);
        free(z);
    }
}

/* Sets the uncompressed size recorded for entry name in both of its headers to size. */
static void forge_size(unsigned char *z, size_t len, const char *name, uint32_t size)
{
    size_t nl = strlen(name);
    int patched = 0;
    for (size_t i = 0; i + 46 + nl <= len; i++) {
        size_t at = 0;
        if (memcmp(z + i, "PK\x03\x04", 4) == 0 && memcmp(z + i + 30, name, nl) == 0)
            at = i + 22;
        else if (memcmp(z + i, "PK\x01\x02", 4) == 0 && memcmp(z + i + 46, name, nl) == 0)
            at = i + 24;
        if (at) {
            for (int k = 0; k < 4; k++)
                z[at + k] = (unsigned char)(size >> (8 * k));
            patched++;
        }
    }
    assert_int_equal(patched, 2);
}

/* Zip bombs: an entry declaring more than the limit is refused before inflating; one whose
 * headers lie is stopped while inflating; the total counts all entries read. */
static void test_xlsx_zip_bomb(void **state)
{
    (void)state;
    sheet sh;
    char detail[200];
    size_t len;
    /* The real default: 65 MiB of zeros, deflated to about 64 KiB. */
    size_t big = SHEET_ZIP_ENTRY_MAX + ((size_t)1 << 20);
    char *zeros = calloc(1, big);
    assert_non_null(zeros);
    const part p[] = {{"xl/worksheets/sheet1.xml", zeros, big}};
    unsigned char *z = make_zip(p, 1, &len);
    free(zeros);
    assert_true(len < big / 100);
    assert_int_equal(read_bytes(z, len, 10, &sh, detail, sizeof detail), SHEET_TOO_LARGE);
    assert_non_null(strstr(detail, "xl/worksheets/sheet1.xml"));
    free(z);

    /* Smaller limits for the rest: 1 MiB an entry, 1.5 MiB in all. */
    const sheet_limits lim = {.max_rows = 10,
                              .max_cols = 10,
                              .max_cell_bytes = 100,
                              .zip_entry_max = (size_t)1 << 20,
                              .zip_total_max = (size_t)3 << 19};
    size_t n = (size_t)2 << 20;
    char *styles = malloc(n);
    assert_non_null(styles);
    memset(styles, ' ', n);
    memcpy(styles, "<styleSheet>", 12);
    memcpy(styles + n - 13, "</styleSheet>", 13);
    const part q[] = {{"xl/styles.xml", styles, n}, {"xl/worksheets/sheet1.xml", SHEET1, 0}};
    z = make_zip(q, 2, &len);
    assert_int_equal(sheet_read_limits(z, len, &lim, &sh, detail, sizeof detail), SHEET_TOO_LARGE);
    /* The headers claim 1000 bytes: caught while inflating. */
    forge_size(z, len, "xl/styles.xml", 1000);
    sheet_rc rc = sheet_read_limits(z, len, &lim, &sh, detail, sizeof detail);
    if (rc != SHEET_TOO_LARGE)
        fail_msg("%s: %s", sheet_rc_name(rc), detail);
    assert_string_equal(detail, "xl/styles.xml: over 1048576 bytes uncompressed");
    free(z);

    /* Two entries of 1 MiB: each within the entry limit, together over the total. */
    size_t m = (size_t)4 << 18;
    memcpy(styles + m - 13, "</styleSheet>", 13);
    char *shared = malloc(m);
    assert_non_null(shared);
    memset(shared, ' ', m);
    memcpy(shared, "<sst>", 5);
    memcpy(shared + m - 6, "</sst>", 6);
    const part r[] = {{"xl/sharedStrings.xml", shared, m},
                      {"xl/styles.xml", styles, m},
                      {"xl/worksheets/sheet1.xml", SHEET1, 0}};
    z = make_zip(r, 3, &len);
    assert_int_equal(sheet_read_limits(z, len, &lim, &sh, detail, sizeof detail), SHEET_TOO_LARGE);
    assert_string_equal(detail, "workbook: over 1572864 bytes uncompressed");
    free(z);
    free(shared);
    free(styles);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_utf8_bom),      cmocka_unit_test(test_csv_quotes),
        cmocka_unit_test(test_csv_sjis),          cmocka_unit_test(test_csv_encoding_errors),
        cmocka_unit_test(test_csv_format_errors), cmocka_unit_test(test_csv_limits),
        cmocka_unit_test(test_csv_blank_rows),    cmocka_unit_test(test_xlsx_cells),
        cmocka_unit_test(test_xlsx_stops_early),  cmocka_unit_test(test_xlsx_sheet_order),
        cmocka_unit_test(test_xlsx_minimal),      cmocka_unit_test(test_xlsx_malformed),
        cmocka_unit_test(test_xlsx_zip_bomb),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
