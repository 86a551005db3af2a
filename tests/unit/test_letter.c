/* Unit tests for src/report/letter: the referral letter (紹介状) PDF. The PDFs are checked through
 * poppler's pdftotext and pdfinfo (poppler-utils, installed by `scripts/deps.sh test`): a missing
 * tool fails the tests, it does not skip them.
 *
 * Set NCCS_LETTER_OUT=<dir> to keep the realistic and the long letter there (sample.pdf,
 * long.pdf). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "api/offer_json.h"
#include "report/letter.h"
#include "util/buf.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* LeakSanitizer suppression for leaks inside the libraries, compiled into this test only (LSan
 * calls this hook at start-up, so the test passes the same way when run directly, by ctest and by
 * scripts/test.sh, without options in the environment): libfontconfig.so, fontconfig's
 * configuration and the font patterns it builds while pango loads fonts (FcFontRenderPrepare,
 * FcConfigSubstitute, the XML config parse in pango's font-loading thread): about 130 KB held by
 * the font map of a thread alive at exit, the same after 1 or 20 letters (a thread that ends frees
 * nearly all of it). Reproduced with a ten-line program that only creates a PDF surface, shows one
 * pango layout and destroys everything. Our code never calls fontconfig: a pango or cairo object we
 * fail to release is still reported at its allocations in libglib/libpango/libcairo (checked by
 * leaving out a g_object_unref), and a caller's leak of the returned PDF names letter.c (checked by
 * leaving out a free). The allocating frame is fontconfig's own, so ASan's default fast unwinder
 * suffices. Nothing else is suppressed: with the TrueType IPAex fonts, cairo 1.16's CFF subsetter,
 * which leaks 768 bytes per embedded subset under cairo_surface_finish, is no longer used (see the
 * fonts in letter.c; text here stays within IPAex's characters). */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

/* A realistic published offer body (OfferBody of docs/API.md). */
static const char *OFFER_BODY =
    "{\"title\":\"病棟看護師（急性期内科・二交代）\","
    "\"employer\":{\"name\":\"医療法人社団 桜会\"},"
    "\"duties\":{\"description\":\"急性期内科病棟（50床）における入院患者の看護業務全般。\\n"
    "電子カルテ使用、固定チームナーシング。\",\"change_scope\":\"法人内の看護業務全般\"},"
    "\"contract\":{\"type\":\"indefinite\"},"
    "\"probation\":{\"present\":true,\"months\":3,\"conditions_differ\":false},"
    "\"workplace\":{\"municipality_code\":\"13104\",\"address\":\"東京都新宿区西新宿一丁目2番3号\","
    "\"station\":\"西新宿駅\",\"access\":\"西新宿駅から徒歩5分\","
    "\"change_scope\":\"法人の運営する都内の医療機関\"},"
    "\"hours\":{\"start\":\"08:30\",\"end\":\"17:15\",\"shift_patterns\":[\"two_shift\"],"
    "\"night_shifts_per_month\":4,\"overtime\":true,\"overtime_avg_hours\":10,"
    "\"break_minutes\":60},"
    "\"holidays\":{\"annual_days\":120,\"pattern\":\"4週8休\"},"
    "\"wage\":{\"type\":\"monthly\",\"base_min\":250000,\"base_max\":300000,"
    "\"allowances\":\"夜勤手当 1回12,000円、住宅手当 月20,000円、通勤手当 実費（上限月50,000円）\","
    "\"fixed_overtime\":true,\"fixed_overtime_hours\":20,\"fixed_overtime_amount\":30000},"
    "\"insurance\":{\"employment\":true,\"health\":true,\"pension\":true,\"workers_comp\":true},"
    "\"smoking\":{\"measure\":\"premises_ban\"},"
    "\"licences\":[\"kangoshi\",\"junkangoshi\"],\"employment_form\":\"jokin\","
    "\"departments\":[\"internal\"],\"positions\":2}";

/* A fixed-term part-time offer paid by the hour. */
static const char *FIXED_BODY =
    "{\"title\":\"健診センター看護師（パート）\",\"employment_form\":\"hijokin\","
    "\"contract\":{\"type\":\"fixed\",\"start\":\"2026-04-01\",\"end\":\"2027-03-31\","
    "\"renewal\":\"possible\",\"renewal_criteria\":\"勤務成績、業務量\",\"renewal_cap\":true,"
    "\"max_renewals\":3,\"max_total_months\":48},"
    "\"probation\":{\"present\":true,\"months\":1,\"conditions_differ\":true,"
    "\"conditions\":\"時給1,500円\"},"
    "\"hours\":{\"start\":\"16:30\",\"end\":\"09:00\",\"shift_patterns\":[\"night_only\"],"
    "\"overtime\":false,\"break_minutes\":120},"
    "\"wage\":{\"type\":\"hourly\",\"base_min\":1600,\"base_max\":1800,\"fixed_overtime\":false},"
    "\"smoking\":{\"measure\":\"other\",\"note\":\"屋外に喫煙所\"},"
    "\"age\":{\"max\":59,\"exception\":\"1\"}}";

static json_t *load(const char *text)
{
    json_error_t e;
    json_t *j = json_loads(text, JSON_REJECT_DUPLICATES, &e);
    if (!j)
        fail_msg("bad test JSON: %s at %d", e.text, e.position);
    return j;
}

static const char *const LICENCES[] = {"看護師", "保健師"};

static letter_data base_data(const offer *o)
{
    letter_data d = {
        .referral_no = "13-2026-000012",
        .issue_date = "2026-04-01",
        .center = {.name = "東京都ナースセンター",
                   .address = "〒102-0083 東京都千代田区麹町三丁目5番1号",
                   .phone = "03-5275-0000",
                   .counselor = "佐藤 和子"},
        .applicant = {.name = "山田 花子",
                      .name_kana = "ヤマダ ハナコ",
                      .licences = LICENCES,
                      .n_licences = 2},
        .facility = {.name = "新宿さくら病院", .address = "東京都新宿区西新宿一丁目2番3号"},
        .offer_no = "13-2026-000345",
        .offer = o,
    };
    return d;
}

/* The value of the row labelled label, or NULL. */
static const char *row(const letter_rows *r, const char *label)
{
    for (int i = 0; i < r->n; i++)
        if (!strcmp(r->items[i].label, label))
            return r->items[i].value;
    return NULL;
}

/* ---- External tools ---------------------------------------------------------------------------
 */

/* Writes the PDF to a new temp file; returns its path (static buffer of the caller). */
static void write_temp(const unsigned char *pdf, size_t len, char *path, size_t cap)
{
    snprintf(path, cap, "/tmp/nccs-letter-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, pdf, len), (ssize_t)len);
    assert_int_equal(close(fd), 0);
}

/* Runs cmd (which must exit 0) and returns its standard output (caller frees); runs of spaces
 * are collapsed to one so that -layout's column padding does not matter. */
static char *run(const char *cmd)
{
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    nbuf b;
    nbuf_init(&b, 16u << 20);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        assert_int_equal(nbuf_append(&b, chunk, n), 0);
    int st = pclose(f);
    if (!(WIFEXITED(st) && WEXITSTATUS(st) == 0))
        fail_msg("`%s` failed (status %d): is poppler-utils installed? (scripts/deps.sh test)", cmd,
                 st);
    char *s = nbuf_take(&b);
    size_t o = 0;
    for (size_t i = 0; s[i]; i++)
        if (!(s[i] == ' ' && o > 0 && s[o - 1] == ' '))
            s[o++] = s[i];
    s[o] = '\0';
    return s;
}

/* The text of the PDF through `pdftotext -layout` (caller frees); *pages from pdfinfo. */
static char *pdf_text(const unsigned char *pdf, size_t len, int *pages)
{
    char path[64], cmd[256];
    write_temp(pdf, len, path, sizeof path);
    snprintf(cmd, sizeof cmd, "pdftotext -layout -enc UTF-8 %s - 2>&1", path);
    char *text = run(cmd);
    snprintf(cmd, sizeof cmd, "pdfinfo %s 2>&1", path);
    char *info = run(cmd);
    const char *p = strstr(info, "Pages:");
    assert_non_null(p);
    *pages = (int)strtol(p + 6, NULL, 10);
    free(info);
    unlink(path);
    return text;
}

static void keep(const char *name, const unsigned char *pdf, size_t len)
{
    const char *dir = getenv("NCCS_LETTER_OUT");
    if (!dir || !*dir)
        return;
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(pdf, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

#define assert_has(text, needle)                                                                   \
    do {                                                                                           \
        if (!strstr((text), (needle)))                                                             \
            fail_msg("missing \"%s\" in:\n%s", (needle), (text));                                  \
    } while (0)

/* ---- Tests ------------------------------------------------------------------------------------
 */

static void test_format_yen(void **state)
{
    (void)state;
    char b[32];
    const struct {
        long long v;
        const char *want;
    } cases[] = {{0, "0円"},
                 {999, "999円"},
                 {1000, "1,000円"},
                 {250000, "250,000円"},
                 {1234567, "1,234,567円"},
                 {-1500, "-1,500円"},
                 {100000000, "100,000,000円"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(letter_format_yen(cases[i].v, b, sizeof b), 0);
        assert_string_equal(b, cases[i].want);
    }
    assert_int_equal(letter_format_yen(250000, b, 10), -1); /* "250,000円" needs 11 */
    assert_int_equal(letter_format_yen(250000, b, 11), 0);
}

static void clean_is(const char *in, size_t max, const char *want)
{
    char *s = letter_clean_text(in, max);
    assert_non_null(s);
    assert_string_equal(s, want);
    assert_true(strlen(s) <= max);
    free(s);
}

static void test_clean_text(void **state)
{
    (void)state;
    clean_is(NULL, 100, "");
    clean_is("看護師", 100, "看護師");
    clean_is("a\xFFz", 100, "a\xEF\xBF\xBDz");             /* invalid byte → U+FFFD */
    clean_is("\xC0\xAF", 100, "\xEF\xBF\xBD\xEF\xBF\xBD"); /* overlong */
    clean_is("\xED\xA0\x80", 100, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); /* surrogate */
    clean_is("ab\xE3\x81", 100, "ab\xEF\xBF\xBD\xEF\xBF\xBD");             /* cut sequence */
    clean_is("a\r\nb\rc\td\x01\x7F"
             "e\xC2\x85"
             "f",
             100,
             "a\nb\nc de"
             "f"); /* controls */
    /* Cut at code points: 看護師 is 9 bytes; max 8 keeps 看 + … (3 + 3). */
    clean_is("看護師", 8, "看…");
    clean_is("看護師", 9, "看護師");
    clean_is("abcdef", 5, "ab…");
    assert_null(letter_clean_text("x", 3));

    /* Line breaks past the cap become spaces. */
    char many[LETTER_VALUE_LINES_MAX + 12];
    memset(many, '\n', sizeof many - 1);
    many[sizeof many - 1] = '\0';
    char *s = letter_clean_text(many, 4000);
    assert_non_null(s);
    int nl = 0;
    for (char *p = s; *p; p++)
        nl += *p == '\n';
    assert_int_equal(nl, LETTER_VALUE_LINES_MAX);
    free(s);

    /* A long value is cut to LETTER_VALUE_MAX bytes, on a code point boundary, ending in …. */
    size_t big = 3 * 2000;
    char *in = malloc(big + 1);
    for (size_t i = 0; i < big; i += 3)
        memcpy(in + i, "護", 3);
    in[big] = '\0';
    s = letter_clean_text(in, LETTER_VALUE_MAX);
    assert_non_null(s);
    size_t n = strlen(s);
    assert_true(n <= LETTER_VALUE_MAX && n > LETTER_VALUE_MAX - 6);
    assert_string_equal(s + n - 3, "…");
    assert_int_equal((n - 3) % 3, 0);
    free(s);
    free(in);
}

static void test_rows_realistic(void **state)
{
    (void)state;
    json_t *j = load(OFFER_BODY);
    offer o;
    const char *deps[32];
    offer_from_json(j, &o, deps, 32);
    letter_rows r;
    char err[128];
    assert_int_equal(letter_rows_from_offer("13-2026-000345", &o, &r, err, sizeof err), 0);
    assert_string_equal(row(&r, "求人番号"), "13-2026-000345");
    assert_string_equal(row(&r, "職種（求人名）"), "病棟看護師（急性期内科・二交代）");
    assert_string_equal(row(&r, "求人者"), "医療法人社団 桜会");
    assert_string_equal(row(&r, "雇用形態"), "常勤");
    assert_string_equal(row(&r, "契約期間"), "期間の定めなし");
    assert_null(row(&r, "契約の更新")); /* only for fixed-term contracts */
    assert_string_equal(row(&r, "試用期間"), "あり（3か月）\n試用期間中の労働条件：本採用後と同じ");
    assert_string_equal(row(&r, "就業場所"), "東京都新宿区西新宿一丁目2番3号\n最寄り駅：西新宿駅\n"
                                             "交通手段：西新宿駅から徒歩5分");
    assert_string_equal(row(&r, "就業場所の変更の範囲"), "法人の運営する都内の医療機関");
    assert_string_equal(row(&r, "業務の変更の範囲"), "法人内の看護業務全般");
    assert_string_equal(row(&r, "就業時間・休憩"), "8:30〜17:15（休憩 60分）");
    assert_string_equal(row(&r, "勤務形態"), "二交代（夜勤 月4回程度）");
    assert_string_equal(row(&r, "時間外労働"), "あり（月平均10時間）");
    assert_string_equal(row(&r, "休日"), "年間休日 120日（4週8休）");
    assert_string_equal(row(&r, "賃金"), "月給 250,000円〜300,000円");
    assert_string_equal(row(&r, "固定残業代"), "あり（月20時間分、30,000円）");
    assert_string_equal(row(&r, "社会保険"),
                        "雇用保険 あり／健康保険 あり／厚生年金 あり／労災保険 あり");
    assert_string_equal(row(&r, "受動喫煙対策"), "敷地内禁煙");
    assert_string_equal(row(&r, "年齢"), "不問");
    assert_string_equal(row(&r, "応募資格"), "看護師、准看護師");
    letter_rows_free(&r);
    assert_int_equal(r.n, 0);
    json_decref(j);
}

static void test_rows_fixed_term(void **state)
{
    (void)state;
    json_t *j = load(FIXED_BODY);
    offer o;
    const char *deps[32];
    offer_from_json(j, &o, deps, 32);
    letter_rows r;
    assert_int_equal(letter_rows_from_offer(NULL, &o, &r, NULL, 0), 0);
    assert_string_equal(row(&r, "求人番号"), "記載なし");
    assert_string_equal(row(&r, "雇用形態"), "非常勤");
    assert_string_equal(row(&r, "契約期間"), "期間の定めあり（令和8年4月1日〜令和9年3月31日）");
    assert_string_equal(row(&r, "契約の更新"),
                        "更新する場合あり\n更新の判断基準：勤務成績、業務量\n"
                        "更新上限：あり（更新回数3回まで／通算契約期間48か月まで）");
    assert_string_equal(row(&r, "試用期間"), "あり（1か月）\n試用期間中の労働条件：時給1,500円");
    assert_string_equal(row(&r, "就業時間・休憩"), "16:30〜翌9:00（休憩 120分）");
    assert_string_equal(row(&r, "勤務形態"), "夜勤のみ");
    assert_string_equal(row(&r, "時間外労働"), "なし");
    assert_string_equal(row(&r, "賃金"), "時給 1,600円〜1,800円");
    assert_string_equal(row(&r, "固定残業代"), "なし");
    assert_string_equal(row(&r, "受動喫煙対策"), "その他（屋外に喫煙所）");
    assert_string_equal(row(&r, "年齢"), "59歳以下（例外事由：1号（定年年齢を上限））");
    assert_string_equal(row(&r, "社会保険"), "記載なし");
    assert_string_equal(row(&r, "応募資格"), "記載なし");
    letter_rows_free(&r);
    json_decref(j);
}

static void test_rows_missing(void **state)
{
    (void)state;
    letter_rows r;
    /* No offer at all: every item reads 記載なし. */
    assert_int_equal(letter_rows_from_offer(NULL, NULL, &r, NULL, 0), 0);
    assert_true(r.n >= 20);
    for (int i = 0; i < r.n; i++)
        assert_string_equal(r.items[i].value, LETTER_NOT_STATED);
    letter_rows_free(&r);

    /* An empty offer: 年齢 reads 不問 (the model's default), the rest 記載なし. */
    offer o;
    offer_init(&o);
    o.title = "   ";                   /* blank */
    o.duties.description = "\x01\x02"; /* only control characters */
    assert_int_equal(letter_rows_from_offer("", &o, &r, NULL, 0), 0);
    for (int i = 0; i < r.n; i++)
        if (strcmp(r.items[i].label, "年齢"))
            assert_string_equal(r.items[i].value, LETTER_NOT_STATED);
    assert_string_equal(row(&r, "年齢"), "不問");

    /* Partly stated items show what is missing. */
    letter_rows_free(&r);
    o.wage.type = OFFER_WAGE_MONTHLY;
    o.wage.fixed_overtime = OFFER_YES;
    o.contract.type = OFFER_CONTRACT_FIXED;
    o.contract.renewal_cap = OFFER_YES;
    o.insurance.health = OFFER_YES;
    o.hours.start = "09:00";
    assert_int_equal(letter_rows_from_offer(NULL, &o, &r, NULL, 0), 0);
    assert_string_equal(row(&r, "賃金"), "月給 記載なし");
    assert_string_equal(row(&r, "固定残業代"), "あり（時間数 記載なし、記載なし）");
    assert_string_equal(row(&r, "契約期間"), "期間の定めあり（記載なし〜記載なし）");
    assert_string_equal(row(&r, "社会保険"),
                        "雇用保険 記載なし／健康保険 あり／厚生年金 記載なし／労災保険 記載なし");
    assert_string_equal(row(&r, "就業時間・休憩"), "9:00〜記載なし（休憩 記載なし）");
    letter_rows_free(&r);
}

static void test_render_realistic(void **state)
{
    (void)state;
    json_t *j = load(OFFER_BODY);
    offer o;
    const char *deps[32];
    offer_from_json(j, &o, deps, 32);
    letter_data d = base_data(&o);
    unsigned char *pdf = NULL;
    size_t len = 0;
    char err[160] = "";
    assert_int_equal(letter_render_pdf(&d, &pdf, &len, err, sizeof err), 0);
    assert_non_null(pdf);
    assert_true(len > 1000);
    assert_memory_equal(pdf, "%PDF-", 5);
    keep("sample.pdf", pdf, len);

    int pages = 0;
    char *text = pdf_text(pdf, len, &pages);
    assert_int_equal(pages, 1);
    assert_has(text, "紹介状");
    assert_has(text, "13-2026-000012");
    assert_has(text, "令和8年4月1日");
    assert_has(text, "新宿さくら病院"); /* pdftotext turns the 全角 space before 御中 into spaces */
    assert_has(text, "御中");
    assert_has(text, "下記の者を紹介いたします。");
    assert_has(text, "山田 花子（ヤマダ ハナコ）");
    assert_has(text, "看護師、保健師");
    assert_has(text, "13-2026-000345");
    assert_has(text, "月給 250,000円〜300,000円");
    assert_has(text, "8:30");
    assert_has(text, "17:15");
    assert_has(text, "30,000円");
    assert_has(text, "年間休日 120日");
    assert_has(text, "敷地内禁煙");
    assert_has(text, "東京都ナースセンター");
    assert_has(text, "佐藤 和子");
    assert_has(text, "1/1");
    free(text);
    free(pdf);
    json_decref(j);
}

static void test_render_long(void **state)
{
    (void)state;
    json_t *j = load(OFFER_BODY);
    offer o;
    const char *deps[32];
    offer_from_json(j, &o, deps, 32);
    /* Duties of 6,000 bytes (cut to LETTER_VALUE_MAX), allowances of 150 short lines (80 kept as
     * lines), a long unbroken ASCII word: more than a page. */
    nbuf duties, allow;
    nbuf_init(&duties, 1u << 20);
    nbuf_init(&allow, 1u << 20);
    for (int i = 0; i < 200; i++)
        assert_int_equal(nbuf_printf(&duties, "業務%03d：病棟看護。", i), 0);
    for (int i = 0; i < 150; i++)
        assert_int_equal(nbuf_printf(&allow, "手当%03d 月1,000円\n", i), 0);
    for (int i = 0; i < 300; i++)
        assert_int_equal(nbuf_puts(&allow, "x"), 0);
    o.duties.description = duties.data;
    o.wage.allowances = allow.data;
    letter_data d = base_data(&o);
    unsigned char *pdf = NULL;
    size_t len = 0;
    char err[160] = "";
    assert_int_equal(letter_render_pdf(&d, &pdf, &len, err, sizeof err), 0);
    keep("long.pdf", pdf, len);
    int pages = 0;
    char *text = pdf_text(pdf, len, &pages);
    assert_true(pages >= 2);
    char footer[32];
    snprintf(footer, sizeof footer, "1/%d", pages);
    assert_has(text, footer);
    snprintf(footer, sizeof footer, "%d/%d", pages, pages);
    assert_has(text, footer);
    assert_has(text, "業務000");
    assert_has(text, "…");        /* the duties were cut */
    assert_has(text, "手当079");  /* the 80th allowance line */
    assert_has(text, "（続き）"); /* a split row repeats its label */
    assert_has(text, "月給 250,000円〜300,000円");
    assert_has(text, "東京都ナースセンター");
    free(text);
    free(pdf);
    nbuf_free(&duties);
    nbuf_free(&allow);
    json_decref(j);
}

static void test_render_invalid_utf8(void **state)
{
    (void)state;
    offer o;
    offer_init(&o);
    o.title = "病棟\xFF看護師";
    o.duties.description = "\xC3\x28\xA0\xA1\xE2\x28\xA1\xF0\x28\x8C\xBC\x01\x1B[31m";
    o.wage.type = OFFER_WAGE_HOURLY;
    o.wage.base_min = 1500;
    letter_data d = base_data(&o);
    d.applicant.name = "山田\xE3\x81 花子";
    d.facility.name = "\xFE\xFF病院";
    d.center.counselor = "\xED\xA0\x80";
    const char *bad_lic[] = {"看護師\xC0", NULL, "   "};
    d.applicant.licences = bad_lic;
    d.applicant.n_licences = 3;
    unsigned char *pdf = NULL;
    size_t len = 0;
    char err[160] = "";
    assert_int_equal(letter_render_pdf(&d, &pdf, &len, err, sizeof err), 0);
    int pages = 0;
    char *text = pdf_text(pdf, len, &pages);
    assert_int_equal(pages, 1);
    assert_has(text, "病棟�看護師");
    assert_has(text, "山田�� 花子");
    assert_has(text, "��病院");
    assert_has(text, "時給 1,500円");
    free(text);
    free(pdf);
}

static void test_render_missing(void **state)
{
    (void)state;
    letter_data d = base_data(NULL);
    d.offer_no = NULL;
    d.applicant.name_kana = NULL;
    d.applicant.licences = NULL;
    d.applicant.n_licences = 5; /* ignored without the array */
    d.facility.address = NULL;
    d.center.address = NULL;
    d.center.phone = NULL;
    d.center.counselor = NULL;
    unsigned char *pdf = NULL;
    size_t len = 0;
    char err[160] = "";
    assert_int_equal(letter_render_pdf(&d, &pdf, &len, err, sizeof err), 0);
    int pages = 0;
    char *text = pdf_text(pdf, len, &pages);
    assert_int_equal(pages, 1);
    assert_has(text, "記載なし");
    assert_has(text, "東京都ナースセンター");
    assert_has(text, "山田 花子");
    assert_null(strstr(text, "山田 花子（")); /* no kana: the name alone */
    free(text);
    free(pdf);
}

static void test_render_errors(void **state)
{
    (void)state;
    letter_data d = base_data(NULL);
    unsigned char *pdf = (unsigned char *)"x";
    size_t len = 7;
    char err[160] = "";
    d.applicant.name = "  ";
    assert_int_equal(letter_render_pdf(&d, &pdf, &len, err, sizeof err), -1);
    assert_null(pdf);
    assert_int_equal(len, 0);
    assert_true(strlen(err) > 0);

    const char *bad_dates[] = {NULL, "", "2026-02-30", "2026/04/01", "1800-01-01", "\xFF"};
    for (size_t i = 0; i < sizeof bad_dates / sizeof bad_dates[0]; i++) {
        d = base_data(NULL);
        d.issue_date = bad_dates[i];
        err[0] = '\0';
        assert_int_equal(letter_render_pdf(&d, &pdf, &len, err, sizeof err), -1);
        assert_null(pdf);
        assert_non_null(strstr(err, "issue date"));
    }
    d = base_data(NULL);
    d.referral_no = NULL;
    assert_int_equal(letter_render_pdf(&d, &pdf, &len, NULL, 0), -1);
    assert_int_equal(letter_render_pdf(NULL, &pdf, &len, err, sizeof err), -1);
}

int main(int argc, char **argv)
{
    /* GLib 2.74's slice allocator keeps GObjects (layouts, contexts) in its own magazines, where
     * LeakSanitizer cannot see a leaked one; GLib reads G_SLICE once, before main runs, so the
     * test re-executes itself with G_SLICE=always-malloc to have them allocated by malloc. */
    const char *slice = getenv("G_SLICE");
    if (argc >= 1 && (!slice || strcmp(slice, "always-malloc") != 0)) {
        setenv("G_SLICE", "always-malloc", 1);
        execv("/proc/self/exe", argv);
        perror("test_letter: re-executing with G_SLICE=always-malloc");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_yen),     cmocka_unit_test(test_clean_text),
        cmocka_unit_test(test_rows_realistic), cmocka_unit_test(test_rows_fixed_term),
        cmocka_unit_test(test_rows_missing),   cmocka_unit_test(test_render_realistic),
        cmocka_unit_test(test_render_long),    cmocka_unit_test(test_render_invalid_utf8),
        cmocka_unit_test(test_render_missing), cmocka_unit_test(test_render_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
