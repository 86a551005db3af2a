/* Unit tests for src/domain/access: path classification, device and robot detection, the visit
 * tracker (30-minute gap, expiry, eviction at the cap, against a naive model), daily counters,
 * JST day boundaries, nginx log lines and time zones, and the path map. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/access.h"
#include "util/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char KEY[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

/* Unix seconds of a UTC date and time. */
static int64_t utc(int y, int mo, int d, int h, int mi, int s)
{
    return time_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

/* ---- classification ------------------------------------------------------------------ */

static void test_classify_table(void **state)
{
    (void)state;
    static const struct {
        const char *path;
        role ro;
        const char *site, *page;
    } rows[] = {
        /* job site tops */
        {"/", ROLE_NONE, "job", "top_public"},
        {"/", ROLE_SEEKER, "job", "top_public"},
        {"/?utm_source=x", ROLE_NONE, "job", "top_public"},
        {"/#top", ROLE_NONE, "job", "top_public"},
        {"//", ROLE_NONE, "job", "top_public"},
        {"/home", ROLE_SEEKER, "job", "top_seeker"},
        {"/home/", ROLE_SEEKER, "job", "top_seeker"},
        {"/home?tab=1", ROLE_FACILITY_ADMIN, "job", "top_facility"},
        {"/home", ROLE_FACILITY_STAFF, "job", "top_facility"},
        {"/home", ROLE_COUNSELOR, "job", "top_staff"},
        {"/home", ROLE_CENTER_ADMIN, "job", "top_staff"},
        {"/home", ROLE_CENTRAL, "job", "top_staff"},
        {"/home", ROLE_SYSADMIN, "job", "top_staff"},
        {"/home", ROLE_NONE, "job", "other"},
        {"/homes", ROLE_SEEKER, "job", "other"},
        {"/home/x", ROLE_SEEKER, "job", "other"},
        {"/jobs", ROLE_NONE, "job", "other"},
        {"/offers/13-2025-000001", ROLE_SEEKER, "job", "other"},
        {"/seeker/profile", ROLE_SEEKER, "job", "other"},
        {"/facility/offers", ROLE_FACILITY_ADMIN, "job", "other"},
        {"/center/queue", ROLE_COUNSELOR, "job", "other"},
        {"/notifyx", ROLE_NONE, "job", "other"},
        {"/seeker/notificationsx", ROLE_SEEKER, "job", "other"},
        /* notification site */
        {"/notify", ROLE_NONE, "notify", "top_public"},
        {"/notify/", ROLE_SEEKER, "notify", "top_public"},
        {"/notify?x=1#y", ROLE_NONE, "notify", "top_public"},
        {"/notify/confirm", ROLE_NONE, "notify", "other"},
        {"/seeker/notifications", ROLE_SEEKER, "notify", "top_seeker"},
        {"/seeker/notifications/", ROLE_NONE, "notify", "top_seeker"},
        {"/seeker/notifications/12", ROLE_SEEKER, "notify", "other"},
        {"/facility/notifications", ROLE_FACILITY_STAFF, "notify", "top_facility"},
        {"/facility/notifications/upload", ROLE_FACILITY_ADMIN, "notify", "other"},
        {"/center/notifications", ROLE_COUNSELOR, "notify", "top_staff"},
        {"/center/notifications/new", ROLE_COUNSELOR, "notify", "other"},
        /* not a path */
        {"", ROLE_NONE, "job", "other"},
        {"notify", ROLE_NONE, "job", "other"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        access_site s;
        access_page p;
        access_classify(rows[i].path, rows[i].ro, ACCESS_SITE_JOB, &s, &p);
        if (strcmp(access_site_name(s), rows[i].site) || strcmp(access_page_name(p), rows[i].page))
            fail_msg("%s (%s): got %s/%s, want %s/%s", rows[i].path, role_name(rows[i].ro),
                     access_site_name(s), access_page_name(p), rows[i].site, rows[i].page);
    }
    /* --site-default notify: a separate notification host's own paths */
    access_site s;
    access_page p;
    access_classify("/", ROLE_NONE, ACCESS_SITE_NOTIFY, &s, &p);
    assert_int_equal(s, ACCESS_SITE_NOTIFY);
    assert_int_equal(p, ACCESS_PAGE_TOP_PUBLIC);
    access_classify("/form", ROLE_NONE, ACCESS_SITE_NOTIFY, &s, &p);
    assert_int_equal(s, ACCESS_SITE_NOTIFY);
    assert_int_equal(p, ACCESS_PAGE_OTHER);
}

static void test_path_normalise(void **state)
{
    (void)state;
    char out[16];
    assert_int_equal(access_path_normalise("/a/b/?q#f", out, sizeof out), 0);
    assert_string_equal(out, "/a/b");
    assert_int_equal(access_path_normalise("///", out, sizeof out), 0);
    assert_string_equal(out, "/");
    assert_int_equal(access_path_normalise("/#x", out, sizeof out), 0);
    assert_string_equal(out, "/");
    assert_int_equal(access_path_normalise("x/", out, sizeof out), -1);
    assert_int_equal(access_path_normalise("/0123456789abcdef", out, sizeof out), -1);
    char big[18];
    assert_int_equal(access_path_normalise("/0123456789abcdef?long-query-is-fine", big, sizeof big),
                     0);
    assert_string_equal(big, "/0123456789abcdef");
}

static void test_device(void **state)
{
    (void)state;
    static const struct {
        const char *ua;
        bool phone;
    } rows[] = {
        {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
         "like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
         true},
        {"Mozilla/5.0 (iPod touch; CPU iPhone OS 12_5 like Mac OS X)", true},
        {"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/124.0 Mobile Safari/537.36",
         true},
        {"Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0", true},
        {"Mozilla/5.0 (Windows Phone 10.0; Android 6.0.1; Microsoft; Lumia 950) Edge/15.15063",
         true},
        {"Opera/9.80 (J2ME/MIDP; Opera Mini/9.80 (S60; SymbOS; Opera Mobi/23.348; U; en) Presto",
         true},
        {"Mozilla/5.0 (BlackBerry; U; BlackBerry 9900; en) AppleWebKit/534.11+", true},
        /* tablets and desktops are PCs */
        {"Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
         "Version/17.4 Mobile/15E148 Safari/604.1",
         false},
        {"Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/124.0 Safari/537.36",
         false},
        {"Mozilla/5.0 (Android 14; Tablet; rv:125.0) Gecko/125.0 Firefox/125.0", false},
        {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/124.0 Safari/537.36",
         false},
        {"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Version/17.4 "
         "Safari/605.1.15",
         false},
        {"", false},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (access_ua_is_phone(rows[i].ua) != rows[i].phone)
            fail_msg("phone(%s) != %d", rows[i].ua, rows[i].phone);
        assert_int_equal(access_device_of(rows[i].ua),
                         rows[i].phone ? ACCESS_DEVICE_SP : ACCESS_DEVICE_PC);
    }
    assert_false(access_ua_is_phone(NULL));
}

static void test_bots(void **state)
{
    (void)state;
    static const char *const bots[] = {
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 (compatible; Baiduspider/2.0)",
        "Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)",
        "Some-CRAWLER/1.0",
        "AhrefsBOT",
        "",
        "-",
        NULL};
    for (int i = 0; bots[i]; i++)
        if (!access_ua_is_bot(bots[i]))
            fail_msg("not a bot: %s", bots[i]);
    assert_true(access_ua_is_bot(NULL));
    assert_false(access_ua_is_bot("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0"));
    assert_false(access_ua_is_bot("curl/8.5.0"));
}

/* ---- visits -------------------------------------------------------------------------- */

static void test_visit_gap(void **state)
{
    (void)state;
    access_tracker *t = access_tracker_new(16, KEY);
    assert_non_null(t);
    uint64_t a = access_client_id(t, ACCESS_SITE_JOB, "192.0.2.1", "UA-1");
    int64_t t0 = utc(2025, 6, 1, 0, 0, 0);
    assert_true(access_tracker_hit(t, a, t0));                          /* first request */
    assert_false(access_tracker_hit(t, a, t0 + 60));                    /* same visit */
    assert_false(access_tracker_hit(t, a, t0 + 60 + ACCESS_VISIT_GAP)); /* exactly 30 min */
    int64_t last = t0 + 60 + ACCESS_VISIT_GAP;
    assert_true(access_tracker_hit(t, a, last + ACCESS_VISIT_GAP + 1)); /* 30 min + 1 s */
    last += ACCESS_VISIT_GAP + 1;
    /* an earlier timestamp (out-of-order log lines) is the same visit and keeps the latest */
    assert_false(access_tracker_hit(t, a, last - 100));
    assert_false(access_tracker_hit(t, a, last + ACCESS_VISIT_GAP));
    /* clients differ by IP, by User-Agent and by site */
    uint64_t b = access_client_id(t, ACCESS_SITE_JOB, "192.0.2.2", "UA-1");
    uint64_t c = access_client_id(t, ACCESS_SITE_JOB, "192.0.2.1", "UA-2");
    uint64_t n = access_client_id(t, ACCESS_SITE_NOTIFY, "192.0.2.1", "UA-1");
    assert_true(a != b && a != c && a != n && b != c);
    assert_int_equal(a, access_client_id(t, ACCESS_SITE_JOB, "192.0.2.1", "UA-1"));
    assert_true(access_tracker_hit(t, b, last));
    assert_true(access_tracker_hit(t, n, last));
    /* idle clients are forgotten: after 31 minutes only the newest remains */
    assert_int_equal(access_tracker_live(t), 3);
    uint64_t d = access_client_id(t, ACCESS_SITE_JOB, "192.0.2.9", "UA-9");
    assert_true(access_tracker_hit(t, d, last + 2 * ACCESS_VISIT_GAP + 1));
    assert_int_equal(access_tracker_live(t), 1);
    assert_int_equal(access_tracker_evicted(t), 0);
    access_tracker_free(t);
}

static void test_eviction_at_cap(void **state)
{
    (void)state;
    access_tracker *t = access_tracker_new(3, KEY);
    int64_t t0 = utc(2025, 6, 1, 9, 0, 0);
    uint64_t id[5];
    for (int i = 0; i < 5; i++) {
        char ip[32];
        snprintf(ip, sizeof ip, "198.51.100.%d", i);
        id[i] = access_client_id(t, ACCESS_SITE_JOB, ip, "UA");
    }
    assert_true(access_tracker_hit(t, id[0], t0));
    assert_true(access_tracker_hit(t, id[1], t0 + 1));
    assert_true(access_tracker_hit(t, id[2], t0 + 2));
    assert_false(access_tracker_hit(t, id[0], t0 + 3)); /* 0 is now the most recent */
    assert_int_equal(access_tracker_live(t), 3);
    /* full: a fourth client evicts the least recently seen (1) */
    assert_true(access_tracker_hit(t, id[3], t0 + 4));
    assert_int_equal(access_tracker_live(t), 3);
    assert_int_equal(access_tracker_evicted(t), 1);
    assert_false(access_tracker_hit(t, id[0], t0 + 5));
    assert_false(access_tracker_hit(t, id[2], t0 + 6));
    assert_false(access_tracker_hit(t, id[3], t0 + 7));
    /* 1 was forgotten: its next request within 30 minutes counts a new visit */
    assert_true(access_tracker_hit(t, id[1], t0 + 8));
    assert_int_equal(access_tracker_evicted(t), 2);
    access_tracker_free(t);
    /* the limits of the cap */
    assert_null(access_tracker_new(0, KEY));
    assert_null(access_tracker_new(((size_t)1 << 24) + 1, KEY));
}

/* A naive tracker: a list in order of the last touch. */
typedef struct {
    uint64_t id;
    int64_t last;
} naive_entry;

static bool naive_hit(naive_entry *v, size_t *n, size_t cap, uint64_t id, int64_t now)
{
    size_t k = 0;
    while (k < *n && now - v[k].last > ACCESS_VISIT_GAP)
        k++;
    memmove(v, v + k, (*n - k) * sizeof *v);
    *n -= k;
    for (size_t i = 0; i < *n; i++)
        if (v[i].id == id) {
            bool fresh = now - v[i].last > ACCESS_VISIT_GAP;
            naive_entry e = {id, now > v[i].last ? now : v[i].last};
            memmove(v + i, v + i + 1, (*n - i - 1) * sizeof *v);
            v[*n - 1] = e;
            return fresh;
        }
    if (*n == cap) {
        memmove(v, v + 1, (*n - 1) * sizeof *v);
        (*n)--;
    }
    v[(*n)++] = (naive_entry){id, now};
    return true;
}

static void test_tracker_vs_naive(void **state)
{
    (void)state;
    const size_t caps[] = {1, 7, 64, 1000};
    srand(7);
    for (size_t ci = 0; ci < sizeof caps / sizeof caps[0]; ci++) {
        size_t cap = caps[ci], n = 0;
        access_tracker *t = access_tracker_new(cap, KEY);
        naive_entry *v = calloc(cap, sizeof *v);
        int64_t now = utc(2025, 4, 1, 0, 0, 0);
        for (int i = 0; i < 60000; i++) {
            now += rand() % 40; /* monotonic, with bursts and quiet stretches */
            if (rand() % 500 == 0)
                now += 1800 + rand() % 3;
            char ip[32];
            snprintf(ip, sizeof ip, "10.0.%d.%d", rand() % 8, rand() % 200);
            uint64_t id = access_client_id(t, ACCESS_SITE_JOB, ip, "UA");
            bool a = access_tracker_hit(t, id, now), b = naive_hit(v, &n, cap, id, now);
            if (a != b)
                fail_msg("cap %zu step %d: tracker %d naive %d", cap, i, a, b);
            if (access_tracker_live(t) != n)
                fail_msg("cap %zu step %d: live %zu naive %zu", cap, i, access_tracker_live(t), n);
        }
        free(v);
        access_tracker_free(t);
    }
}

/* ---- counters and days --------------------------------------------------------------- */

static void test_jst_days(void **state)
{
    (void)state;
    char day[16];
    /* 2025-03-31 23:59:59 JST = 14:59:59 UTC; one second later is April 1st (a new FY) */
    int64_t t = utc(2025, 3, 31, 14, 59, 59);
    access_day_text(access_jst_day(t), day, sizeof day);
    assert_string_equal(day, "2025-03-31");
    access_day_text(access_jst_day(t + 1), day, sizeof day);
    assert_string_equal(day, "2025-04-01");
    /* 2024-12-31 15:00:00 UTC is already 2025 in JST */
    access_day_text(access_jst_day(utc(2024, 12, 31, 15, 0, 0)), day, sizeof day);
    assert_string_equal(day, "2025-01-01");
    access_day_text(access_jst_day(utc(2024, 2, 29, 0, 0, 0)), day, sizeof day);
    assert_string_equal(day, "2024-02-29");
    /* before 1970 (floor division) */
    access_day_text(access_jst_day(-9 * 3600 - 1), day, sizeof day);
    assert_string_equal(day, "1969-12-31");
    access_day_text(access_jst_day(-9 * 3600), day, sizeof day);
    assert_string_equal(day, "1970-01-01");
}

static void test_counts(void **state)
{
    (void)state;
    access_counts c = {0};
    access_tracker *t = access_tracker_new(100, KEY);
    int64_t t0 = utc(2025, 4, 1, 0, 0, 0); /* 09:00 JST */
    uint64_t a = access_client_id(t, ACCESS_SITE_JOB, "192.0.2.1", "UA");
    /* a visit is counted once, on the key of its first request */
    assert_int_equal(
        access_record(&c, t, t0, ACCESS_SITE_JOB, ACCESS_PAGE_TOP_PUBLIC, ACCESS_DEVICE_SP, a), 0);
    assert_int_equal(
        access_record(&c, t, t0 + 10, ACCESS_SITE_JOB, ACCESS_PAGE_OTHER, ACCESS_DEVICE_SP, a), 0);
    assert_int_equal(
        access_record(&c, t, t0 + 20, ACCESS_SITE_JOB, ACCESS_PAGE_OTHER, ACCESS_DEVICE_SP, a), 0);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.items[0].views, 1);
    assert_int_equal(c.items[0].visits, 1);
    assert_int_equal(c.items[1].views, 2);
    assert_int_equal(c.items[1].visits, 0);
    /* a visit running past midnight JST stays on the first day */
    int64_t late = utc(2025, 4, 1, 14, 50, 0); /* 23:50 JST */
    uint64_t b = access_client_id(t, ACCESS_SITE_JOB, "192.0.2.2", "UA");
    access_record(&c, t, late, ACCESS_SITE_JOB, ACCESS_PAGE_OTHER, ACCESS_DEVICE_PC, b);
    access_record(&c, t, late + 20 * 60, ACCESS_SITE_JOB, ACCESS_PAGE_OTHER, ACCESS_DEVICE_PC, b);
    int64_t views = 0, visits = 0;
    for (size_t i = 0; i < c.n; i++)
        if (c.items[i].day == access_jst_day(late + 20 * 60)) {
            views += c.items[i].views;
            visits += c.items[i].visits;
        }
    assert_int_equal(views, 1);
    assert_int_equal(visits, 0);
    access_tracker_free(t);

    /* many keys (rehashing) and merging */
    access_counts big = {0}, into = {0};
    for (int rep = 0; rep < 2; rep++)
        for (int d = 0; d < 1000; d++)
            for (int k = 0; k < 20; k++)
                assert_int_equal(access_counts_add(&big, 20000 + d, (access_site)(k / 10),
                                                   (access_page)((k / 2) % 5),
                                                   (access_device)(k % 2), 2, 1),
                                 0);
    assert_int_equal(big.n, 20000);
    for (size_t i = 0; i < big.n; i++) {
        assert_int_equal(big.items[i].views, 4);
        assert_int_equal(big.items[i].visits, 2);
    }
    assert_int_equal(access_counts_merge(&into, &big), 0);
    assert_int_equal(access_counts_merge(&into, &big), 0);
    assert_int_equal(into.n, 20000);
    assert_int_equal(into.items[123].views, 8);
    assert_int_equal(
        access_counts_add(&into, 1, ACCESS_NSITES, ACCESS_PAGE_OTHER, ACCESS_DEVICE_PC, 1, 0), -1);
    access_counts_free(&big);
    access_counts_free(&into);
    access_counts_free(&c);
}

/* ---- log lines ----------------------------------------------------------------------- */

static void test_log_time(void **state)
{
    (void)state;
    int64_t t;
    const int64_t want = utc(2025, 3, 31, 15, 0, 0); /* 2025-04-01 00:00 JST */
    assert_int_equal(access_log_time("01/Apr/2025:00:00:00 +0900", 26, &t), 0);
    assert_int_equal(t, want);
    assert_int_equal(access_log_time("31/Mar/2025:15:00:00 +0000", 26, &t), 0);
    assert_int_equal(t, want);
    assert_int_equal(access_log_time("31/Mar/2025:10:00:00 -0500", 26, &t), 0);
    assert_int_equal(t, want);
    assert_int_equal(access_log_time("31/Mar/2025:20:30:00 +0530", 26, &t), 0);
    assert_int_equal(t, want);
    static const char *const bad[] = {
        "32/Mar/2025:10:00:00 +0000", "29/Feb/2025:10:00:00 +0000", "01/Foo/2025:10:00:00 +0000",
        "01/Mar/2025:24:00:00 +0000", "01/Mar/2025:10:60:00 +0000", "01/Mar/2025:10:00:60 +0000",
        "01/Mar/2025:10:00:00 0000 ", "01/Mar/2025:10:00:00 +1500", "01/Mar/2025 10:00:00 +0000",
        "1/Mar/2025:10:00:00 +0000 ", "01/mar/2025:10:00:00 +0000", NULL};
    for (int i = 0; bad[i]; i++)
        if (access_log_time(bad[i], 26, &t) == 0)
            fail_msg("accepted %s", bad[i]);
    assert_int_equal(access_log_time("01/Apr/2025:00:00:00 +0900", 25, &t), -1);
}

static int parse(const char *line, access_log_entry *e)
{
    return access_log_parse(line, strlen(line), e);
}

#define UA_PC "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0"

static void test_log_parse(void **state)
{
    (void)state;
    static access_log_entry e;
    char path[2048];
    assert_int_equal(parse("203.0.113.5 - - [01/Apr/2025:09:00:01 +0900] \"GET /jobs?pref=13 "
                           "HTTP/1.1\" 200 5123 \"https://example.jp/\" \"" UA_PC "\"",
                           &e),
                     0);
    assert_string_equal(e.ip, "203.0.113.5");
    assert_int_equal(e.t, utc(2025, 4, 1, 0, 0, 1));
    assert_string_equal(e.method, "GET");
    assert_string_equal(e.target, "/jobs?pref=13");
    assert_int_equal(e.status, 200);
    assert_string_equal(e.ua, UA_PC);
    assert_true(access_log_countable(&e, path, sizeof path));
    assert_string_equal(path, "/jobs");

    /* a user name, "-" bytes, CRLF, fields after the User-Agent, an IPv6 address */
    assert_int_equal(parse("2001:db8::1 - alice [01/Apr/2025:09:00:01 +0900] \"HEAD / HTTP/2.0\" "
                           "304 - \"-\" \"" UA_PC "\" \"10.0.0.1\" rt=0.003\r",
                           &e),
                     0);
    assert_string_equal(e.ip, "2001:db8::1");
    assert_string_equal(e.method, "HEAD");
    assert_int_equal(e.status, 304);
    assert_true(access_log_countable(&e, path, sizeof path));
    assert_string_equal(path, "/");

    /* well-formed lines that count nothing */
    static const char *const not_counted[] = {
        "1.2.3.4 - - [01/Apr/2025:09:00:01 +0900] \"POST /login HTTP/1.1\" 200 1 \"-\" \"" UA_PC
        "\"",
        "1.2.3.4 - - [01/Apr/2025:09:00:01 +0900] \"GET /nothing HTTP/1.1\" 404 1 \"-\" \"" UA_PC
        "\"",
        "1.2.3.4 - - [01/Apr/2025:09:00:01 +0900] \"GET / HTTP/1.1\" 500 1 \"-\" \"" UA_PC "\"",
        "1.2.3.4 - - [01/Apr/2025:09:00:01 +0900] \"GET /api/v1/offers HTTP/1.1\" 200 1 \"-\" "
        "\"" UA_PC "\"",
        "1.2.3.4 - - [01/Apr/2025:09:00:01 +0900] \"GET /api HTTP/1.1\" 200 1 \"-\" \"" UA_PC "\"",
        "1.2.3.4 - - [01/Apr/2025:09:00:01 +0900] \"GET /assets/index-3f2a.js HTTP/1.1\" 200 1 "
        "\"-\" \"" UA_PC "\"",
        "1.2.3.4 - - [01/Apr/2025:09:00:01 +0900] \"GET /favicon.ico HTTP/1.1\" 200 1 \"-\" "
        "\"" UA_PC "\"",
        "1.2.3.4 - - [01/Apr/2025:09:00:01 +0900] \"GET /robots.txt HTTP/1.1\" 200 1 \"-\" \"" UA_PC
        "\"",
        "1.2.3.4 - - [01/Apr/2025:09:00:01 +0900] \"GET /img/logo.SVG?v=2 HTTP/1.1\" 200 1 \"-\" "
        "\"" UA_PC "\"",
        "1.2.3.4 - - [01/Apr/2025:09:00:01 +0900] \"GET /healthz HTTP/1.1\" 200 1 \"-\" \"" UA_PC
        "\"",
        "1.2.3.4 - - [01/Apr/2025:09:00:01 +0900] \"GET / HTTP/1.1\" 200 1 \"-\" \"Mozilla/5.0 "
        "(compatible; Googlebot/2.1)\"",
        "1.2.3.4 - - [01/Apr/2025:09:00:01 +0900] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"",
        "1.2.3.4 - - [01/Apr/2025:09:00:01 +0900] \"-\" 400 0 \"-\" \"-\"",
        "1.2.3.4 - - [01/Apr/2025:09:00:01 +0900] \"\\x16\\x03\\x01\\x02\\x00\" 400 157 \"-\" "
        "\"-\"",
        "1.2.3.4 - - [01/Apr/2025:09:00:01 +0900] \"get / HTTP/1.1\" 200 1 \"-\" \"" UA_PC "\"",
        "1.2.3.4 - - [01/Apr/2025:09:00:01 +0900] \"GET relative HTTP/1.1\" 200 1 \"-\" \"" UA_PC
        "\"",
        "1.2.3.4 - - [01/Apr/2025:09:00:01 +0900] \"GET / FTP/1.0\" 200 1 \"-\" \"" UA_PC "\"",
        NULL};
    for (int i = 0; not_counted[i]; i++) {
        if (parse(not_counted[i], &e) != 0)
            fail_msg("malformed: %s", not_counted[i]);
        if (access_log_countable(&e, path, sizeof path))
            fail_msg("counted: %s", not_counted[i]);
    }
    /* pages: older systems' extensions, absolute-form targets, HTTP/0.9, 3xx */
    static const struct {
        const char *line, *path;
    } pages[] = {
        {"1.2.3.4 - - [01/Apr/2025:09:00:01 +0900] \"GET /index.html HTTP/1.1\" 200 1 \"-\" "
         "\"" UA_PC "\"",
         "/index.html"},
        {"1.2.3.4 - - [01/Apr/2025:09:00:01 +0900] \"GET /nurse/top.do?x=1 HTTP/1.1\" 200 1 \"-\" "
         "\"" UA_PC "\"",
         "/nurse/top.do"},
        {"1.2.3.4 - - [01/Apr/2025:09:00:01 +0900] \"GET https://example.jp/notify/ HTTP/1.1\" "
         "301 1 \"-\" \"" UA_PC "\"",
         "/notify"},
        {"1.2.3.4 - - [01/Apr/2025:09:00:01 +0900] \"GET http://example.jp HTTP/1.1\" 200 1 \"-\" "
         "\"" UA_PC "\"",
         "/"},
        {"1.2.3.4 - - [01/Apr/2025:09:00:01 +0900] \"GET /home\" 200 1 \"-\" \"" UA_PC "\"",
         "/home"},
        {"1.2.3.4 - - [01/Apr/2025:09:00:01 +0900] \"GET /offers/13-2025-000001 HTTP/1.1\" 200 1 "
         "\"-\" \"" UA_PC "\"",
         "/offers/13-2025-000001"},
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        assert_int_equal(parse(pages[i].line, &e), 0);
        if (!access_log_countable(&e, path, sizeof path))
            fail_msg("not counted: %s", pages[i].line);
        assert_string_equal(path, pages[i].path);
    }
    /* malformed */
    static const char *const bad[] = {
        "",
        "garbage",
        "1.2.3.4",
        "1.2.3.4 - - 01/Apr/2025:09:00:01 +0900 \"GET / HTTP/1.1\" 200 1 \"-\" \"UA\"",
        "1.2.3.4 - - [01/Apr/2025:09:00:01 +0900 \"GET / HTTP/1.1\" 200 1 \"-\" \"UA\"",
        "1.2.3.4 - - [31/Apr/2025:09:00:01 +0900] \"GET / HTTP/1.1\" 200 1 \"-\" \"UA\"",
        "1.2.3.4 - - [01/Apr/2025:09:00:01 +0900] \"GET / HTTP/1.1 200 1 \"-\" \"UA\"",
        "1.2.3.4 - - [01/Apr/2025:09:00:01 +0900] \"GET / HTTP/1.1\" 2x0 1 \"-\" \"UA\"",
        "1.2.3.4 - - [01/Apr/2025:09:00:01 +0900] \"GET / HTTP/1.1\" 200 1x \"-\" \"UA\"",
        "1.2.3.4 - - [01/Apr/2025:09:00:01 +0900] \"GET / HTTP/1.1\" 200 1 \"-\" \"UA",
        "1.2.3.4 - - [01/Apr/2025:09:00:01 +0900] \"GET / HTTP/1.1\" 200 1 \"-\"",
        "1.2.3.4 - - [01/Apr/2025:09:00:01 +0900] \"GET / HTTP/1.1\" 200",
        "1.2.3.4 [01/Apr/2025:09:00:01 +0900] \"GET / HTTP/1.1\" 200 1 \"-\" \"UA\"",
        " - - [01/Apr/2025:09:00:01 +0900] \"GET / HTTP/1.1\" 200 1 \"-\" \"UA\"",
        "1.2.3.4 - - [01/Apr/2025:09:00:01 +0900] \"GET / HTTP/1.1\" 099 1 \"-\" \"UA\"",
        "1111111111222222222233333333334444444444555555555566666666667777 - - [01/Apr/2025:09:00:01"
        " +0900] \"GET / HTTP/1.1\" 200 1 \"-\" \"UA\"",
        NULL};
    for (int i = 0; bad[i]; i++)
        if (parse(bad[i], &e) == 0)
            fail_msg("accepted: %s", bad[i]);
    /* a line is read up to len, not to a NUL */
    const char *two = "1.2.3.4 - - [01/Apr/2025:09:00:01 +0900] \"GET / HTTP/1.1\" 200 1 \"-\" "
                      "\"UA\"\n9.9.9.9 - - garbage";
    assert_int_equal(access_log_parse(two, (size_t)(strchr(two, '\n') - two), &e), 0);
    assert_int_equal(access_log_parse(two, (size_t)(strchr(two, '\n') - two) - 1, &e), -1);
    /* a target that does not fit: well-formed, counts nothing */
    static char longline[4096];
    int n = snprintf(longline, sizeof longline,
                     "1.2.3.4 - - [01/Apr/2025:09:00:01 +0900] \"GET /%03000d HTTP/1.1\" 200 1 "
                     "\"-\" \"" UA_PC "\"",
                     7);
    assert_true(n > 3000);
    assert_int_equal(parse(longline, &e), 0);
    assert_false(access_log_countable(&e, path, sizeof path));
}

/* ---- the path map -------------------------------------------------------------------- */

static void test_map(void **state)
{
    (void)state;
    access_map m = {0};
    char err[200];
    static const char *const lines[] = {"# the old system",
                                        "",
                                        "/old/\tjob\tother",
                                        "/old/notify/\tnotify\tother",
                                        "=/old/notify/index.do\tnotify\ttop_public",
                                        "=/old/\tjob\ttop_public\r\n",
                                        "/old/staff\tjob\ttop_staff",
                                        "=/nurse/top.do\tjob\ttop_seeker",
                                        NULL};
    for (int i = 0; lines[i]; i++)
        if (access_map_add_line(&m, lines[i], err, sizeof err) != 0)
            fail_msg("line %d: %s", i, err);
    assert_int_equal(m.n, 6);
    static const struct {
        const char *path;
        bool hit;
        const char *site, *page;
    } rows[] = {
        {"/old", true, "job", "top_public"}, /* "=/old/" normalised to /old */
        {"/old/search.do", true, "job", "other"},
        {"/old/notify/index.do", true, "notify", "top_public"},
        {"/old/notify/form.do", true, "notify", "other"},
        {"/old/staff", true, "job", "top_staff"},
        {"/old/staffroom", true, "job", "top_staff"}, /* prefixes are plain string prefixes */
        {"/nurse/top.do", true, "job", "top_seeker"},
        {"/nurse/top.doc", false, NULL, NULL},
        {"/", false, NULL, NULL},
        {"/older", false, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        access_site s;
        access_page p;
        bool hit = access_map_lookup(&m, rows[i].path, &s, &p);
        if (hit != rows[i].hit)
            fail_msg("%s: hit %d", rows[i].path, hit);
        if (hit && (strcmp(access_site_name(s), rows[i].site) ||
                    strcmp(access_page_name(p), rows[i].page)))
            fail_msg("%s: %s/%s", rows[i].path, access_site_name(s), access_page_name(p));
    }
    static const char *const bad[] = {
        "/x\tjob",          "/x\tjob\tother\textra",
        "x\tjob\tother",    "=\tjob\tother",
        "/x\tjobs\tother",  "/x\tjob\ttop",
        "/x?y\tjob\tother", "/old/\tjob\ttop_staff", /* listed twice */
        "\tjob\tother",     NULL};
    for (int i = 0; bad[i]; i++) {
        err[0] = '\0';
        if (access_map_add_line(&m, bad[i], err, sizeof err) == 0)
            fail_msg("accepted: %s", bad[i]);
        assert_true(err[0] != '\0');
    }
    assert_int_equal(m.n, 6);
    /* many lines (table growth) still resolve */
    for (int i = 0; i < 2000; i++) {
        char line[64];
        snprintf(line, sizeof line, "/p%d/\tjob\t%s", i, i % 2 ? "other" : "top_staff");
        assert_int_equal(access_map_add_line(&m, line, err, sizeof err), 0);
    }
    access_site s;
    access_page p;
    assert_true(access_map_lookup(&m, "/p1234/x", &s, &p));
    assert_int_equal(p, ACCESS_PAGE_TOP_STAFF);
    assert_true(access_map_lookup(&m, "/old/notify/index.do", &s, &p));
    assert_int_equal(p, ACCESS_PAGE_TOP_PUBLIC);
    access_map_free(&m);
    access_map empty = {0};
    assert_false(access_map_lookup(&empty, "/", &s, &p));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classify_table),   cmocka_unit_test(test_path_normalise),
        cmocka_unit_test(test_device),           cmocka_unit_test(test_bots),
        cmocka_unit_test(test_visit_gap),        cmocka_unit_test(test_eviction_at_cap),
        cmocka_unit_test(test_tracker_vs_naive), cmocka_unit_test(test_jst_days),
        cmocka_unit_test(test_counts),           cmocka_unit_test(test_log_time),
        cmocka_unit_test(test_log_parse),        cmocka_unit_test(test_map),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
