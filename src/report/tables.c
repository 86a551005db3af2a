/* The report tables: one builder per table, each a few aggregate queries (one SQL text for both
 * backends) folded into an rtable. Months are bucketed in SQL by comparing with the 13 JST month
 * boundaries of the fiscal year passed as $1..$13 (MONTH_CASE), so no date function of either
 * dialect is needed. */
#include "report/tables.h"
#include "domain/casework.h"
#include "domain/codes.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- shared pieces ------------------------------------------------------------------------- */

#define MONTH_CASE(c)                                                                              \
    "CASE WHEN " c " < $2 THEN 0 WHEN " c " < $3 THEN 1 WHEN " c " < $4 THEN 2 WHEN " c            \
    " < $5 THEN 3 WHEN " c " < $6 THEN 4 WHEN " c " < $7 THEN 5 WHEN " c " < $8 THEN 6 WHEN " c    \
    " < $9 THEN 7 WHEN " c " < $10 THEN 8 WHEN " c " < $11 THEN 9 WHEN " c                         \
    " < $12 THEN 10 ELSE 11 END"

/* An offer counts as open in a period [$1, $2) when it was published before the end and not
 * closed or expired before the start. */
#define OPEN_OFFER(o)                                                                              \
    "(" o ".published_at IS NOT NULL AND " o ".published_at < $2 AND NOT (" o                      \
    ".status IN ('closed', 'expired') AND COALESCE((SELECT MAX(e.at) FROM offer_events e WHERE "   \
    "e.offer_id = " o ".id AND e.action IN ('closed', 'expired')), 0) < $1))"

/* A seeker counts as registered (有効求職者) in a fiscal year when registered before its end
 * (parameter `end`, seconds) and valid on or after its first day (parameter `day`, text). */
#define ACTIVE_SEEKER(s, end, day) "(" s ".created_at < " end " AND " s ".valid_until >= " day ")"

static const char *const MONTH_LABELS[12] = {"4月",  "5月",  "6月",  "7月", "8月", "9月",
                                             "10月", "11月", "12月", "1月", "2月", "3月"};

typedef struct fyb {
    int64_t ts[13];   /* month boundaries, Unix seconds (JST midnights) */
    char day[13][11]; /* the same as YYYY-MM-DD */
    int days[12];     /* calendar days per month */
} fyb;

static void fy_bounds(int fy, fyb *b)
{
    for (int k = 0; k <= 12; k++) {
        int m = 4 + k, y = fy;
        if (m > 12) {
            m -= 12;
            y++;
        }
        b->ts[k] = time_days_from_civil(y, m, 1) * 86400 - 9 * 3600;
        snprintf(b->day[k], sizeof b->day[k], "%04d-%02d-01", y, m);
        if (k < 12)
            b->days[k] = days_in_month(y, m);
    }
}

/* The 13 boundaries as $1..$13 followed by extra parameters. */
static int month_params(const fyb *b, db_val *p, const db_val *extra, int nextra)
{
    for (int k = 0; k <= 12; k++)
        p[k] = DBI(b->ts[k]);
    for (int k = 0; k < nextra; k++)
        p[13 + k] = extra[k];
    return 13 + nextra;
}

static db_val pref_val(const rt_params *p)
{
    return p->pref[0] ? DBT(p->pref) : DBNULL;
}

/* Adds the 12 month rows (label in column 0). Returns 0 or -1. */
static int month_rows(rtable *t)
{
    for (int k = 0; k < 12; k++)
        if (rt_row_label(t, MONTH_LABELS[k]) != k)
            return -1;
    return 0;
}

/* Adds a 合計 row summing the integer columns of rows [0, n). Returns its index or -1. */
static int total_row(rtable *t, int n, const char *label)
{
    int r = rt_row_label(t, label);
    if (r < 0)
        return -1;
    for (int c = 1; c < t->ncols; c++)
        if (t->cols[c].type == RT_INT) {
            int64_t s = 0;
            for (int i = 0; i < n; i++)
                s += rt_at(t, i, c)->i;
            rt_set_int(t, r, c, s);
        }
    t->foot++;
    return r;
}

/* Sets every empty integer cell of rows [0, n) to 0. */
static void zero_fill(rtable *t, int n)
{
    for (int i = 0; i < n; i++)
        for (int c = 1; c < t->ncols; c++)
            if (t->cols[c].type == RT_INT && !rt_at(t, i, c)->set)
                rt_set_int(t, i, c, 0);
}

/* The 47 prefectures: codes and names (from the reference table). */
typedef struct prefs {
    int n;
    char code[47][3];
    char name[47][16];
} prefs;

static int load_prefs(db *d, prefs *ps)
{
    db_res *r = NULL;
    int rc = db_query(d, "SELECT code, name FROM prefectures ORDER BY code", NULL, 0, &r);
    if (rc != DB_OK) {
        db_res_free(r);
        return rc;
    }
    ps->n = 0;
    for (int i = 0; i < r->nrows && ps->n < 47; i++, ps->n++) {
        str_copy(ps->code[ps->n], sizeof ps->code[0], db_text(r, i, 0));
        str_copy(ps->name[ps->n], sizeof ps->name[0], db_text(r, i, 1));
    }
    db_res_free(r);
    return DB_OK;
}

/* Rows per prefecture: all 47 (national) or the one of p (its index 0). */
static int pref_rows(rtable *t, const prefs *ps, const rt_params *p)
{
    for (int i = 0; i < ps->n; i++)
        if (!p->pref[0] || !strcmp(p->pref, ps->code[i]))
            if (rt_row_label(t, ps->name[i]) < 0)
                return -1;
    return t->nrows > 0 ? 0 : -1;
}

/* The row of prefecture code in a pref_rows table, or -1. */
static int pref_row(const prefs *ps, const rt_params *p, const char *code)
{
    if (!code)
        return -1;
    if (p->pref[0])
        return strcmp(code, p->pref) ? -1 : 0;
    for (int i = 0; i < ps->n; i++)
        if (!strcmp(code, ps->code[i]))
            return i;
    return -1;
}

/* Runs sql and adds column k of each row (k >= 1) into the table at (row_of(col 0), col). */
static int add_by_pref(db *d, rtable *t, const prefs *ps, const rt_params *p, const char *sql,
                       const db_val *params, int np, const int *cols, int ncols)
{
    db_res *r = NULL;
    int rc = db_query(d, sql, params, np, &r);
    if (rc == DB_OK)
        for (int i = 0; i < r->nrows; i++) {
            int row = pref_row(ps, p, db_text(r, i, 0));
            if (row < 0)
                continue;
            for (int k = 0; k < ncols; k++)
                rt_add_int(t, row, cols[k], db_int(r, i, k + 1));
        }
    db_res_free(r);
    return rc;
}

/* ---- 新規ID数 ------------------------------------------------------------------------------ */

enum {
    NI_PC = 1,
    NI_SP,
    NI_CENTER,
    NI_NOTIF,
    NI_PERSONS,
    NI_FAC,
    NI_N_PC,
    NI_N_SP,
    NI_N_PROXY,
    NI_N_TOTAL
};

/* Adds the new IDs of fiscal year fy into rows (row = month, or every count into row `into` when
 * into >= 0). */
static int new_ids_fill(db *d, const rt_params *p, int fy, rtable *t, int into)
{
    fyb b;
    fy_bounds(fy, &b);
    db_val pv = pref_val(p), prm[14];
    int np = month_params(&b, prm, &pv, 1);
    static const char *const Q[] = {
        /* A 'center' account is a job-site ID only with a seeker profile: a paper notification
         * entered at the counter also creates a 'center' account for its holder. */
        "SELECT " MONTH_CASE("u.created_at") ", u.channel, COUNT(*) FROM users u WHERE "
                                             "u.role = 'seeker' AND u.channel IN ('pc', "
                                             "'smartphone', 'center') AND u.created_at >= "
                                             "$1 AND u.created_at < $13 AND (u.channel <> "
                                             "'center' OR EXISTS (SELECT 1 FROM seekers "
                                             "s WHERE s.user_id = u.id)) AND (CAST($14 AS TEXT) "
                                             "IS NULL OR COALESCE((SELECT "
                                             "s.prefecture_code FROM seekers s WHERE s.user_id = "
                                             "u.id), u.prefecture_code) = $14) "
                                             "GROUP BY 1, 2",
        "SELECT " MONTH_CASE("s.created_at") ", 'notification', COUNT(*) FROM seekers s JOIN "
                                             "users u ON u.id = s.user_id WHERE u.channel = "
                                             "'notification' AND s.created_at >= $1 AND "
                                             "s.created_at < $13 AND (s.prefecture_code = $14 OR "
                                             "$14 IS NULL) GROUP BY 1",
        "SELECT " MONTH_CASE("created_at") ", 'facility', COUNT(*) FROM facilities WHERE "
                                           "created_at >= $1 AND created_at < $13 AND "
                                           "(prefecture_code = $14 OR $14 IS NULL) "
                                           "GROUP BY 1",
        "SELECT " MONTH_CASE(
            "filed_at") ", 'n_' || channel, COUNT(*) FROM notifications WHERE "
                        "status = 'active' AND channel IN ('pc', 'smartphone', 'proxy') AND "
                        "filed_at >= $1 AND "
                        "filed_at < $13 AND (prefecture_code = $14 OR $14 IS NULL) GROUP BY 1, 2",
    };
    static const struct {
        const char *key;
        int col;
    } KEY[] = {{"pc", NI_PC},
               {"smartphone", NI_SP},
               {"center", NI_CENTER},
               {"notification", NI_NOTIF},
               {"facility", NI_FAC},
               {"n_pc", NI_N_PC},
               {"n_smartphone", NI_N_SP},
               {"n_proxy", NI_N_PROXY}};
    for (size_t q = 0; q < sizeof Q / sizeof Q[0]; q++) {
        db_res *r = NULL;
        int rc = db_query(d, Q[q], prm, np, &r);
        if (rc != DB_OK) {
            db_res_free(r);
            return rc;
        }
        for (int i = 0; i < r->nrows; i++) {
            int m = (int)db_int(r, i, 0);
            const char *k = db_text(r, i, 1);
            for (size_t j = 0; j < sizeof KEY / sizeof KEY[0]; j++)
                if (str_eq(k, KEY[j].key) && m >= 0 && m < 12)
                    rt_add_int(t, into >= 0 ? into : m, KEY[j].col, db_int(r, i, 2));
        }
        db_res_free(r);
    }
    return DB_OK;
}

static void new_ids_sums(rtable *t, int row)
{
    int64_t persons = 0, notif = 0;
    for (int c = NI_PC; c <= NI_NOTIF; c++)
        persons += rt_at(t, row, c)->i;
    for (int c = NI_N_PC; c <= NI_N_PROXY; c++)
        notif += rt_at(t, row, c)->i;
    rt_set_int(t, row, NI_PERSONS, persons);
    rt_set_int(t, row, NI_N_TOTAL, notif);
}

static int build_new_ids(db *d, const rt_params *p, rtable *t)
{
    static const char *const JOB = "求人・求職サイト", *const NOTIFY = "届出サイト";
    rt_column(t, "month", "月", NULL, RT_TEXT);
    rt_column(t, "pc", "個人：インターネット（PC）", JOB, RT_INT);
    rt_column(t, "smartphone", "個人：インターネット（スマートフォン）", JOB, RT_INT);
    rt_column(t, "center", "個人：インターネット以外（センターで登録）", JOB, RT_INT);
    rt_column(t, "notification", "個人：届出から作成", JOB, RT_INT);
    rt_column(t, "persons", "個人計", JOB, RT_INT);
    rt_column(t, "facilities", "新規施設", JOB, RT_INT);
    rt_column(t, "n_pc", "PC", NOTIFY, RT_INT);
    rt_column(t, "n_smartphone", "スマートフォン", NOTIFY, RT_INT);
    rt_column(t, "n_proxy", "施設代行", NOTIFY, RT_INT);
    rt_column(t, "n_total", "計", NOTIFY, RT_INT);
    str_copy(t->note, sizeof t->note,
             "個人：求職者アカウントの作成日（届出から作成は求職者登録日）と登録経路で計上。"
             "新規施設：施設の登録日。届出サイト：受付済みの届出（確認待ちを除く）を届出日と経路で"
             "計上。");
    if (month_rows(t) != 0)
        return DB_ERROR;
    int rc = new_ids_fill(d, p, p->fy, t, -1);
    if (rc != DB_OK)
        return rc;
    zero_fill(t, 12);
    for (int m = 0; m < 12; m++)
        new_ids_sums(t, m);
    if (total_row(t, 12, "合計") < 0)
        return DB_ERROR;
    int prev = rt_row_label(t, "前年度計");
    if (prev < 0)
        return DB_ERROR;
    t->foot++;
    rc = new_ids_fill(d, p, p->fy - 1, t, prev);
    if (rc != DB_OK)
        return rc;
    for (int c = 1; c < t->ncols; c++)
        if (!rt_at(t, prev, c)->set)
            rt_set_int(t, prev, c, 0);
    new_ids_sums(t, prev);
    rt_chart(t, "line", (const char *const[]){"persons", "facilities", "n_total", NULL});
    return DB_OK;
}

/* ---- アクセス状況 --------------------------------------------------------------------------- */

enum {
    AC_VISITS = 1,
    AC_VIEWS,
    AC_TOP_PC,
    AC_TOP_SP,
    AC_STAFF,
    AC_SEEKER_PC,
    AC_SEEKER_SP,
    AC_FACILITY,
    AC_DAYS,
    AC_VISITS_DAY,
    AC_VIEWS_DAY
};

static int build_access(db *d, const rt_params *p, rtable *t, const char *site)
{
    rt_column(t, "month", "月", NULL, RT_TEXT);
    rt_column(t, "visits", "訪問者数", NULL, RT_INT);
    rt_column(t, "views", "ページビュー（サイト全体）", NULL, RT_INT);
    rt_column(t, "top_public_pc", "ログイン前トップ（PC）", "ページビュー", RT_INT);
    rt_column(t, "top_public_sp", "ログイン前トップ（スマートフォン）", "ページビュー", RT_INT);
    rt_column(t, "top_staff", "ナースセンター職員トップ", "ページビュー", RT_INT);
    rt_column(t, "top_seeker_pc", "求職者トップ（PC）", "ページビュー", RT_INT);
    rt_column(t, "top_seeker_sp", "求職者トップ（スマートフォン）", "ページビュー", RT_INT);
    rt_column(t, "top_facility", "施設トップ", "ページビュー", RT_INT);
    rt_column(t, "days", "日数", NULL, RT_INT);
    rt_column(t, "visits_per_day", "1日平均訪問者数", NULL, RT_REAL);
    rt_column(t, "views_per_day", "1日平均ページビュー", NULL, RT_REAL);
    str_copy(t->note, sizeof t->note,
             "訪問：同じ利用者（IPアドレスとブラウザの組）からの30分以内の間隔の一連のアクセス。"
             "ページビュー：画面の表示回数（検索ロボットを除く）。");
    if (month_rows(t) != 0)
        return DB_ERROR;
    fyb b;
    fy_bounds(p->fy, &b);
    db_val prm[] = {DBT(site), DBT(b.day[0]), DBT(b.day[12])};
    db_res *r = NULL;
    int rc = db_query(d,
                      "SELECT day, page, device, SUM(views), SUM(visits) FROM access_daily WHERE "
                      "site = $1 AND day >= $2 AND day < $3 GROUP BY day, page, device",
                      prm, 3, &r);
    if (rc != DB_OK) {
        db_res_free(r);
        return rc;
    }
    zero_fill(t, 12);
    for (int i = 0; i < r->nrows; i++) {
        const char *day = db_text(r, i, 0), *page = db_text(r, i, 1), *dev = db_text(r, i, 2);
        int y, m, dd;
        if (!day || date_parse(day, &y, &m, &dd) != 0)
            continue;
        int row = fiscal_month_index(m);
        int64_t views = db_int(r, i, 3), visits = db_int(r, i, 4);
        bool sp = str_eq(dev, "sp");
        rt_add_int(t, row, AC_VISITS, visits);
        rt_add_int(t, row, AC_VIEWS, views);
        int col = str_eq(page, "top_public")     ? (sp ? AC_TOP_SP : AC_TOP_PC)
                  : str_eq(page, "top_staff")    ? AC_STAFF
                  : str_eq(page, "top_seeker")   ? (sp ? AC_SEEKER_SP : AC_SEEKER_PC)
                  : str_eq(page, "top_facility") ? AC_FACILITY
                                                 : -1;
        if (col > 0)
            rt_add_int(t, row, col, views);
    }
    db_res_free(r);
    int total_days = 0;
    for (int m = 0; m < 12; m++) {
        rt_set_int(t, m, AC_DAYS, b.days[m]);
        total_days += b.days[m];
        rt_set_real(t, m, AC_VISITS_DAY, (double)rt_at(t, m, AC_VISITS)->i / b.days[m]);
        rt_set_real(t, m, AC_VIEWS_DAY, (double)rt_at(t, m, AC_VIEWS)->i / b.days[m]);
    }
    int tot = total_row(t, 12, "合計");
    int avg = rt_row_label(t, "月平均");
    int day = rt_row_label(t, "日平均");
    if (tot < 0 || avg < 0 || day < 0)
        return DB_ERROR;
    t->foot += 2;
    rt_set_real(t, tot, AC_VISITS_DAY, (double)rt_at(t, tot, AC_VISITS)->i / total_days);
    rt_set_real(t, tot, AC_VIEWS_DAY, (double)rt_at(t, tot, AC_VIEWS)->i / total_days);
    for (int c = AC_VISITS; c <= AC_DAYS; c++) {
        /* the averages are real numbers in integer columns: kept to 2 decimals as reals */
        rt_set_real(t, avg, c, (double)rt_at(t, tot, c)->i / 12.0);
        if (c != AC_DAYS)
            rt_set_real(t, day, c, (double)rt_at(t, tot, c)->i / total_days);
    }
    rt_chart(t, "line", (const char *const[]){"visits", "views", NULL});
    return DB_OK;
}

static int build_access_job(db *d, const rt_params *p, rtable *t)
{
    return build_access(d, p, t, "job");
}

static int build_access_notify(db *d, const rt_params *p, rtable *t)
{
    return build_access(d, p, t, "notify");
}

/* ---- ヘルプデスク --------------------------------------------------------------------------- */

static int build_helpdesk(db *d, const rt_params *p, rtable *t)
{
    rt_column(t, "month", "月", NULL, RT_TEXT);
    int ncat = 0;
    for (const code_label *c = HELPDESK_CATEGORIES; c->code; c++, ncat++)
        rt_column(t, c->code, c->label, "問い合わせ分類", RT_INT);
    int total = rt_column(t, "total", "合計", NULL, RT_INT);
    str_copy(t->note, sizeof t->note, "都道府県ナースセンターからの問い合わせを受付日で計上。");
    if (month_rows(t) != 0)
        return DB_ERROR;
    fyb b;
    fy_bounds(p->fy, &b);
    db_val pv = pref_val(p), prm[14];
    int np = month_params(&b, prm, &pv, 1);
    db_res *r = NULL;
    int rc =
        db_query(d,
                 "SELECT " MONTH_CASE(
                     "opened_at") ", category, COUNT(*) FROM "
                                  "helpdesk_tickets WHERE opened_at >= $1 AND opened_at < $13 AND "
                                  "(prefecture_code = $14 OR $14 IS NULL) GROUP BY 1, 2",
                 prm, np, &r);
    if (rc != DB_OK) {
        db_res_free(r);
        return rc;
    }
    zero_fill(t, 12);
    for (int i = 0; i < r->nrows; i++) {
        int m = (int)db_int(r, i, 0), k = 0;
        for (const code_label *c = HELPDESK_CATEGORIES; c->code; c++, k++)
            if (str_eq(c->code, db_text(r, i, 1)) && m >= 0 && m < 12) {
                rt_add_int(t, m, 1 + k, db_int(r, i, 2));
                rt_add_int(t, m, total, db_int(r, i, 2));
            }
    }
    db_res_free(r);
    if (total_row(t, 12, "合計") < 0)
        return DB_ERROR;
    rt_chart(t, "bar", (const char *const[]){"total", NULL});
    return DB_OK;
}

/* ---- 年度の実績（都道府県別） --------------------------------------------------------------- */

enum {
    FL_POSITIONS = 1,
    FL_FACILITIES,
    FL_NEW_SEEKERS,
    FL_SEEKERS,
    FL_APPLICANTS,
    FL_REFERRALS,
    FL_PLACEMENTS
};

static int build_flows(db *d, const rt_params *p, rtable *t)
{
    rt_column(t, "prefecture", "都道府県", NULL, RT_TEXT);
    rt_column(t, "positions", "有効求人数（人）", "求人", RT_INT);
    rt_column(t, "facilities", "求人施設数", "求人", RT_INT);
    rt_column(t, "new_seekers", "新規求職者数", "求職者", RT_INT);
    rt_column(t, "seekers", "有効求職者数", "求職者", RT_INT);
    rt_column(t, "applicants", "応募者数", NULL, RT_INT);
    rt_column(t, "referrals", "紹介件数", NULL, RT_INT);
    rt_column(t, "placements", "就職件数", NULL, RT_INT);
    str_copy(t->note, sizeof t->note,
             "有効求人数：年度中に公開されていた求人票の求人数（未記入は1人）。有効求職者数：年度末"
             "までに登録し年度初日以降も有効だった求職者。応募者数：年度中に応募・紹介依頼をした"
             "求職者（実人数）。紹介件数：紹介状の発行日。就職件数：就職の登録日。");
    prefs ps;
    int rc = load_prefs(d, &ps);
    if (rc != DB_OK)
        return rc;
    if (pref_rows(t, &ps, p) != 0)
        return DB_ERROR;
    int n = t->nrows;
    fyb b;
    fy_bounds(p->fy, &b);
    db_val pv = pref_val(p);
    db_val p3[] = {DBI(b.ts[0]), DBI(b.ts[12]), pv};
    db_val pa[] = {DBI(b.ts[12]), pv, DBT(b.day[0])};
    static const int C_OFF[] = {FL_POSITIONS, FL_FACILITIES}, C_NEW[] = {FL_NEW_SEEKERS},
                     C_ACT[] = {FL_SEEKERS}, C_APP[] = {FL_APPLICANTS}, C_REF[] = {FL_REFERRALS},
                     C_PL[] = {FL_PLACEMENTS};
    if ((rc = add_by_pref(
             d, t, &ps, p,
             "SELECT o.prefecture_code, SUM(COALESCE(o.positions, 1)), COUNT(DISTINCT "
             "o.facility_id) FROM offers o WHERE " OPEN_OFFER(
                 "o") " AND "
                      "(o.prefecture_code = $3 OR $3 IS NULL) GROUP BY o.prefecture_code",
             p3, 3, C_OFF, 2)) != DB_OK ||
        (rc =
             add_by_pref(d, t, &ps, p,
                         "SELECT prefecture_code, COUNT(*) FROM seekers WHERE created_at >= $1 AND "
                         "created_at < $2 AND (prefecture_code = $3 OR $3 IS NULL) GROUP BY "
                         "prefecture_code",
                         p3, 3, C_NEW, 1)) != DB_OK ||
        (rc = add_by_pref(d, t, &ps, p,
                          "SELECT s.prefecture_code, COUNT(*) FROM seekers s WHERE " ACTIVE_SEEKER(
                              "s", "$1", "$3") " AND (s.prefecture_code = $2 OR $2 IS "
                                               "NULL) GROUP BY s.prefecture_code",
                          pa, 3, C_ACT, 1)) != DB_OK ||
        (rc =
             add_by_pref(d, t, &ps, p,
                         "SELECT prefecture_code, COUNT(DISTINCT seeker_user_id) FROM applications "
                         "WHERE created_at >= $1 AND created_at < $2 AND (prefecture_code = $3 OR "
                         "$3 IS NULL) GROUP BY prefecture_code",
                         p3, 3, C_APP, 1)) != DB_OK ||
        (rc = add_by_pref(d, t, &ps, p,
                          "SELECT prefecture_code, COUNT(*) FROM applications WHERE referred_at >= "
                          "$1 AND referred_at < $2 AND (prefecture_code = $3 OR $3 IS NULL) GROUP "
                          "BY prefecture_code",
                          p3, 3, C_REF, 1)) != DB_OK ||
        (rc =
             add_by_pref(d, t, &ps, p,
                         "SELECT a.prefecture_code, COUNT(DISTINCT a.id) FROM application_events e "
                         "JOIN applications a ON a.id = e.application_id WHERE e.to_state = "
                         "'placed' AND e.at >= $1 AND e.at < $2 AND (a.prefecture_code = $3 OR $3 "
                         "IS NULL) GROUP BY a.prefecture_code",
                         p3, 3, C_PL, 1)) != DB_OK)
        return rc;
    zero_fill(t, n);
    if (!p->pref[0]) {
        int tot = total_row(t, n, "全国");
        if (tot < 0)
            return DB_ERROR;
        /* a nurse may have applied through two centers: the national figure is distinct */
        int64_t v = 0;
        rc = db_scalar(d,
                       "SELECT COUNT(DISTINCT seeker_user_id) FROM applications WHERE created_at "
                       ">= $1 AND created_at < $2",
                       p3, 2, &v);
        if (rc != DB_OK)
            return rc;
        rt_set_int(t, tot, FL_APPLICANTS, v);
    }
    rt_chart(t, "bar", (const char *const[]){"positions", "seekers", "placements", NULL});
    return DB_OK;
}

/* ---- 施設種別の求人倍率、希望条件と求人条件 -------------------------------------------------- */

#define NFT 13 /* facility types (codes.c FACILITY_TYPES) */
#define NSH 5  /* shift patterns (SHIFT_CODES) */
#define NWB 9  /* wage bands: 5 monthly + 4 hourly */

static const char *const WAGE_BANDS[NWB] = {
    "月給 20万円未満",         "月給 20万〜25万円未満",   "月給 25万〜30万円未満",
    "月給 30万〜35万円未満",   "月給 35万円以上",         "時給 1,500円未満",
    "時給 1,500〜2,000円未満", "時給 2,000〜2,500円未満", "時給 2,500円以上"};

static int wage_band(const char *type, int64_t v)
{
    if (str_eq(type, "monthly"))
        return v < 200000 ? 0 : v < 250000 ? 1 : v < 300000 ? 2 : v < 350000 ? 3 : 4;
    if (str_eq(type, "hourly"))
        return v < 1500 ? 5 : v < 2000 ? 6 : v < 2500 ? 7 : 8;
    return -1;
}

typedef struct supply {
    int64_t type_pos[NFT], shift_pos[NSH], wage_pos[NWB];    /* positions of open offers */
    int64_t type_seek[NFT], shift_seek[NSH], wage_seek[NWB]; /* seekers wishing */
    int64_t type_any, shift_any, wage_any;                   /* seekers with no wish stated */
    int64_t seekers;
} supply;

static bool json_has_code(const char *arr, const char *code)
{
    char q[48];
    snprintf(q, sizeof q, "\"%s\"", code);
    return arr && strstr(arr, q) != NULL;
}

/* Within rt_memo_begin/end (one bundle of tables on this thread) the supply is computed once for
 * the two tables that read it. */
static _Thread_local struct {
    bool on, valid;
    int fy;
    char pref[3];
    supply s;
} memo;

void rt_memo_begin(void)
{
    memo.on = true;
    memo.valid = false;
}

void rt_memo_end(void)
{
    memo.on = memo.valid = false;
}

static int load_supply_db(db *d, const rt_params *p, supply *s);

static int load_supply(db *d, const rt_params *p, supply *s)
{
    if (memo.on && memo.valid && memo.fy == p->fy && !strcmp(memo.pref, p->pref)) {
        *s = memo.s;
        return DB_OK;
    }
    int rc = load_supply_db(d, p, s);
    if (rc == DB_OK && memo.on) {
        memo.s = *s;
        memo.fy = p->fy;
        str_copy(memo.pref, sizeof memo.pref, p->pref);
        memo.valid = true;
    }
    return rc;
}

static int load_supply_db(db *d, const rt_params *p, supply *s)
{
    memset(s, 0, sizeof *s);
    fyb b;
    fy_bounds(p->fy, &b);
    db_val pv = pref_val(p);
    db_val p3[] = {DBI(b.ts[0]), DBI(b.ts[12]), pv};
    db_res *r = NULL;
    int rc = db_query(
        d,
        "SELECT f.facility_type, o.shift_mask, o.wage_type, o.wage_min, "
        "SUM(COALESCE(o.positions, 1)) FROM offers o JOIN facilities f ON f.id = "
        "o.facility_id WHERE " OPEN_OFFER(
            "o") " AND (o.prefecture_code = $3 OR $3 "
                 "IS NULL) GROUP BY f.facility_type, o.shift_mask, o.wage_type, o.wage_min",
        p3, 3, &r);
    if (rc != DB_OK) {
        db_res_free(r);
        return rc;
    }
    for (int i = 0; i < r->nrows; i++) {
        int64_t pos = db_int(r, i, 4);
        int ft = code_index(FACILITY_TYPES, db_text(r, i, 0));
        if (ft >= 0 && ft < NFT)
            s->type_pos[ft] += pos;
        int64_t mask = db_int(r, i, 1);
        for (int k = 0; k < NSH; k++)
            if (mask & (1 << k))
                s->shift_pos[k] += pos;
        int wb = db_isnull(r, i, 3) ? -1 : wage_band(db_text(r, i, 2), db_int(r, i, 3));
        if (wb >= 0)
            s->wage_pos[wb] += pos;
    }
    db_res_free(r);
    r = NULL;
    db_val pa[] = {DBI(b.ts[12]), pv, DBT(b.day[0])};
    rc = db_query(d,
                  "SELECT s.wish_facility_types, s.wish_shift_patterns, s.wish_wage_type, "
                  "s.wish_wage_min FROM seekers s WHERE " ACTIVE_SEEKER(
                      "s", "$1", "$3") " AND "
                                       "(s.prefecture_code = $2 OR $2 IS NULL)",
                  pa, 3, &r);
    if (rc != DB_OK) {
        db_res_free(r);
        return rc;
    }
    for (int i = 0; i < r->nrows; i++) {
        s->seekers++;
        const char *ft = db_text(r, i, 0), *sh = db_text(r, i, 1);
        bool any = false;
        for (int k = 0; k < NFT && FACILITY_TYPES[k]; k++)
            if (json_has_code(ft, FACILITY_TYPES[k])) {
                s->type_seek[k]++;
                any = true;
            }
        s->type_any += !any;
        any = false;
        for (int k = 0; k < NSH && SHIFT_CODES[k]; k++)
            if (json_has_code(sh, SHIFT_CODES[k])) {
                s->shift_seek[k]++;
                any = true;
            }
        s->shift_any += !any;
        int wb = db_isnull(r, i, 3) ? -1 : wage_band(db_text(r, i, 2), db_int(r, i, 3));
        if (wb >= 0)
            s->wage_seek[wb]++;
        else
            s->wage_any++;
    }
    db_res_free(r);
    return DB_OK;
}

/* The Japanese labels of code list `list` (code_lists table) into labels[k] for codes[k]. */
static int code_labels(db *d, const char *list, const char *const *codes, char labels[][64], int n)
{
    db_val p[] = {DBT(list)};
    db_res *r = NULL;
    int rc = db_query(d, "SELECT code, name FROM code_lists WHERE list = $1", p, 1, &r);
    if (rc == DB_OK)
        for (int i = 0; i < r->nrows; i++) {
            int k = code_index(codes, db_text(r, i, 0));
            if (k >= 0 && k < n)
                str_copy(labels[k], sizeof labels[0], db_text(r, i, 1));
        }
    db_res_free(r);
    return rc;
}

static int build_ratio(db *d, const rt_params *p, rtable *t)
{
    rt_column(t, "facility_type", "施設種別", NULL, RT_TEXT);
    rt_column(t, "positions", "有効求人数（人）", NULL, RT_INT);
    rt_column(t, "seekers", "希望する有効求職者数", NULL, RT_INT);
    rt_column(t, "ratio", "求人倍率（倍）", NULL, RT_REAL);
    str_copy(t->note, sizeof t->note,
             "求人倍率＝有効求人数÷その施設種別を希望する有効求職者数（複数希望は各種別に計上）。"
             "施設種別の希望がない求職者は「希望なし」に計上。");
    supply s;
    char labels[NFT][64] = {{0}};
    int rc = load_supply(d, p, &s);
    if (rc == DB_OK)
        rc = code_labels(d, "facility_types", FACILITY_TYPES, labels, NFT);
    if (rc != DB_OK)
        return rc;
    for (int k = 0; k < NFT; k++) {
        int r = rt_row_label(t, labels[k][0] ? labels[k] : FACILITY_TYPES[k]);
        if (r < 0)
            return DB_ERROR;
        rt_set_int(t, r, 1, s.type_pos[k]);
        rt_set_int(t, r, 2, s.type_seek[k]);
        if (s.type_seek[k])
            rt_set_real(t, r, 3, (double)s.type_pos[k] / (double)s.type_seek[k]);
    }
    int r = rt_row_label(t, "希望なし（問わない）");
    if (r < 0)
        return DB_ERROR;
    rt_set_int(t, r, 2, s.type_any);
    int64_t pos = 0;
    for (int k = 0; k < NFT; k++)
        pos += s.type_pos[k];
    int tot = rt_row_label(t, "全体");
    if (tot < 0)
        return DB_ERROR;
    t->foot = 1;
    rt_set_int(t, tot, 1, pos);
    rt_set_int(t, tot, 2, s.seekers);
    if (s.seekers)
        rt_set_real(t, tot, 3, (double)pos / (double)s.seekers);
    rt_chart(t, "bar", (const char *const[]){"positions", "seekers", NULL});
    return DB_OK;
}

static int build_conditions(db *d, const rt_params *p, rtable *t)
{
    rt_column(t, "section", "区分", NULL, RT_TEXT);
    rt_column(t, "item", "項目", NULL, RT_TEXT);
    rt_column(t, "seekers", "希望する有効求職者数", NULL, RT_INT);
    rt_column(t, "positions", "有効求人数（人）", NULL, RT_INT);
    str_copy(
        t->note, sizeof t->note,
        "求職者の希望条件（希望賃金の下限・希望する勤務形態・施設種別、複数希望は各項目に計上）"
        "と、年度中に公開されていた求人票の条件（賃金の下限・勤務形態・施設種別）を求人数で"
        "比較。");
    supply s;
    char ft[NFT][64] = {{0}}, sh[NSH][64] = {{0}};
    int rc = load_supply(d, p, &s);
    if (rc == DB_OK)
        rc = code_labels(d, "facility_types", FACILITY_TYPES, ft, NFT);
    if (rc == DB_OK)
        rc = code_labels(d, "shift_patterns", SHIFT_CODES, sh, NSH);
    if (rc != DB_OK)
        return rc;
    int r;
#define ADD(section, item, seek, pos)                                                              \
    do {                                                                                           \
        if ((r = rt_row_label(t, section)) < 0 || rt_set_text(t, r, 1, item) != 0)                 \
            return DB_ERROR;                                                                       \
        rt_set_int(t, r, 2, seek);                                                                 \
        if ((pos) >= 0)                                                                            \
            rt_set_int(t, r, 3, pos);                                                              \
    } while (0)
    for (int k = 0; k < NWB; k++)
        ADD("賃金", WAGE_BANDS[k], s.wage_seek[k], s.wage_pos[k]);
    ADD("賃金", "希望なし・未記入", s.wage_any, -1);
    for (int k = 0; k < NSH; k++)
        ADD("勤務形態", sh[k][0] ? sh[k] : SHIFT_CODES[k], s.shift_seek[k], s.shift_pos[k]);
    ADD("勤務形態", "希望なし・未記入", s.shift_any, -1);
    for (int k = 0; k < NFT; k++)
        ADD("施設種別", ft[k][0] ? ft[k] : FACILITY_TYPES[k], s.type_seek[k], s.type_pos[k]);
    ADD("施設種別", "希望なし・未記入", s.type_any, -1);
#undef ADD
    rt_chart(t, "bar", (const char *const[]){"seekers", "positions", NULL});
    return DB_OK;
}

/* ---- 年齢階級別の求職者 --------------------------------------------------------------------- */

static int build_ages(db *d, const rt_params *p, rtable *t)
{
    static const char *const BANDS[] = {"24歳以下", "25〜29歳", "30〜34歳", "35〜39歳",
                                        "40〜44歳", "45〜49歳", "50〜54歳", "55〜59歳",
                                        "60〜64歳", "65歳以上", "不明"};
    enum { NB = 11 };
    rt_column(t, "age", "年齢階級", NULL, RT_TEXT);
    rt_column(t, "seekers", "新規求職者数", NULL, RT_INT);
    rt_column(t, "share", "構成比", NULL, RT_PCT);
    str_copy(t->note, sizeof t->note, "年度中に登録した求職者を、登録日の年齢で計上。");
    fyb b;
    fy_bounds(p->fy, &b);
    db_val p3[] = {DBI(b.ts[0]), DBI(b.ts[12]), pref_val(p)};
    db_res *r = NULL;
    int rc = db_query(d,
                      "SELECT u.birth_date, s.created_at FROM seekers s JOIN users u ON u.id = "
                      "s.user_id WHERE s.created_at >= $1 AND s.created_at < $2 AND "
                      "(s.prefecture_code = $3 OR $3 IS NULL)",
                      p3, 3, &r);
    if (rc != DB_OK) {
        db_res_free(r);
        return rc;
    }
    int64_t n[NB] = {0}, all = 0;
    for (int i = 0; i < r->nrows; i++) {
        int by, bm, bd, k = NB - 1;
        const char *birth = db_text(r, i, 0);
        if (birth && date_parse(birth, &by, &bm, &bd) == 0) {
            char reg[11];
            int y, m, dd;
            time_jst_date(db_int(r, i, 1), reg, sizeof reg);
            if (date_parse(reg, &y, &m, &dd) == 0) {
                int age = y - by - ((m < bm || (m == bm && dd < bd)) ? 1 : 0);
                k = age < 0 ? NB - 1 : age <= 24 ? 0 : age >= 65 ? 9 : 1 + (age - 25) / 5;
            }
        }
        n[k]++;
        all++;
    }
    db_res_free(r);
    for (int k = 0; k < NB; k++) {
        int row = rt_row_label(t, BANDS[k]);
        if (row < 0)
            return DB_ERROR;
        rt_set_int(t, row, 1, n[k]);
        rt_set_ratio(t, row, 2, n[k], all);
    }
    int tot = rt_row_label(t, "合計");
    if (tot < 0)
        return DB_ERROR;
    t->foot = 1;
    rt_set_int(t, tot, 1, all);
    rt_set_ratio(t, tot, 2, all, all);
    rt_chart(t, "bar", (const char *const[]){"seekers", NULL});
    return DB_OK;
}

/* ---- 届出事由 ------------------------------------------------------------------------------- */

static int build_reasons(db *d, const rt_params *p, rtable *t)
{
    rt_column(t, "reason", "届出事由", NULL, RT_TEXT);
    rt_column(t, "count", "届出数", NULL, RT_INT);
    rt_column(t, "share", "構成比", NULL, RT_PCT);
    for (const code_label *c = NOTIF_CHANNELS; c->code; c++)
        rt_column(t, c->code, c->label, "届出経路", RT_INT);
    str_copy(t->note, sizeof t->note, "年度中に受け付けた届出（確認待ちを除く）を届出日で計上。");
    fyb b;
    fy_bounds(p->fy, &b);
    db_val p3[] = {DBI(b.ts[0]), DBI(b.ts[12]), pref_val(p)};
    db_res *r = NULL;
    int rc = db_query(d,
                      "SELECT reason, channel, COUNT(*) FROM notifications WHERE status = 'active' "
                      "AND filed_at >= $1 AND filed_at < $2 AND (prefecture_code = $3 OR $3 IS "
                      "NULL) GROUP BY reason, channel",
                      p3, 3, &r);
    if (rc != DB_OK) {
        db_res_free(r);
        return rc;
    }
    int nr = 0;
    for (const code_label *c = NOTIF_REASONS; c->code; c++, nr++)
        if (rt_row_label(t, c->label) < 0) {
            db_res_free(r);
            return DB_ERROR;
        }
    zero_fill(t, nr);
    int64_t all = 0;
    for (int i = 0; i < r->nrows; i++) {
        int k = 0, row = -1;
        for (const code_label *c = NOTIF_REASONS; c->code; c++, k++)
            if (str_eq(c->code, db_text(r, i, 0)))
                row = k;
        int col = 3;
        for (const code_label *c = NOTIF_CHANNELS; c->code; c++, col++)
            if (row >= 0 && str_eq(c->code, db_text(r, i, 1))) {
                rt_add_int(t, row, col, db_int(r, i, 2));
                rt_add_int(t, row, 1, db_int(r, i, 2));
                all += db_int(r, i, 2);
            }
    }
    db_res_free(r);
    for (int k = 0; k < nr; k++)
        rt_set_ratio(t, k, 2, rt_at(t, k, 1)->i, all);
    int tot = total_row(t, nr, "合計");
    if (tot < 0)
        return DB_ERROR;
    rt_set_ratio(t, tot, 2, all, all);
    rt_chart(t, "bar", (const char *const[]){"count", NULL});
    return DB_OK;
}

/* ---- 職業紹介事業報告（就職件数） ----------------------------------------------------------- */

static int build_placement_report(db *d, const rt_params *p, rtable *t)
{
    rt_column(t, "prefecture", "都道府県", NULL, RT_TEXT);
    rt_column(t, "placements", "就職件数", NULL, RT_INT);
    rt_column(t, "permanent", "うち無期雇用（常用）", NULL, RT_INT);
    rt_column(t, "left_6m", "うち6か月以内に離職", "無期雇用のうち", RT_INT);
    rt_column(t, "unknown", "うち6か月後の状況不明（未確認）", "無期雇用のうち", RT_INT);
    str_copy(
        t->note, sizeof t->note,
        "就職件数：年度中に就職を登録した件数。6か月以内の離職：定着確認で記録した離職日が就職日"
        "から6か月以内。不明：6か月の定着確認がまだ記録されていないもの。");
    prefs ps;
    int rc = load_prefs(d, &ps);
    if (rc != DB_OK)
        return rc;
    if (pref_rows(t, &ps, p) != 0)
        return DB_ERROR;
    int n = t->nrows;
    fyb b;
    fy_bounds(p->fy, &b);
    db_val p3[] = {DBI(b.ts[0]), DBI(b.ts[12]), pref_val(p)};
    static const int COLS[] = {1, 2, 3, 4};
    rc =
        add_by_pref(d, t, &ps, p,
                    "SELECT a.prefecture_code, COUNT(*), SUM(CASE WHEN a.permanent = 1 THEN 1 "
                    "ELSE 0 END), SUM(CASE WHEN a.permanent = 1 AND a.left_within_6m = 1 THEN 1 "
                    "ELSE 0 END), SUM(CASE WHEN a.permanent = 1 AND a.left_within_6m IS NULL THEN "
                    "1 ELSE 0 END) FROM applications a WHERE a.id IN (SELECT e.application_id FROM "
                    "application_events e WHERE e.to_state = 'placed' AND e.at >= $1 AND e.at < "
                    "$2) AND (a.prefecture_code = $3 OR $3 IS NULL) GROUP BY a.prefecture_code",
                    p3, 3, COLS, 4);
    if (rc != DB_OK)
        return rc;
    zero_fill(t, n);
    if (!p->pref[0] && total_row(t, n, "全国") < 0)
        return DB_ERROR;
    rt_chart(t, "bar", (const char *const[]){"placements", "permanent", NULL});
    return DB_OK;
}

/* ---- キャンペーン実績 ------------------------------------------------------------------------ */

/* The nurses and facilities a campaign brought in: consultations tagged $1 between $2 and $3
 * (dates) of prefecture $4 (or all). */
#define CAMPAIGN_NURSES                                                                            \
    "(SELECT c.user_id FROM consultations c WHERE c.campaign = $1 AND c.consulted_on >= $2 AND "   \
    "c.consulted_on <= $3 AND (c.prefecture_code = $4 OR $4 IS NULL) AND c.client_kind = "         \
    "'nurse' AND c.user_id IS NOT NULL)"
#define CAMPAIGN_FACILITIES                                                                        \
    "(SELECT c.facility_id FROM consultations c WHERE c.campaign = $1 AND c.consulted_on >= $2 "   \
    "AND c.consulted_on <= $3 AND (c.prefecture_code = $4 OR $4 IS NULL) AND c.client_kind = "     \
    "'facility' AND c.facility_id IS NOT NULL)"

static int build_campaign(db *d, const rt_params *p, rtable *t)
{
    rt_column(t, "item", "項目", NULL, RT_TEXT);
    rt_column(t, "count", "件数", NULL, RT_INT);
    str_copy(
        t->note, sizeof t->note,
        "キャンペーンのタグを付けて記録した期間中の相談と、その相談者（看護職・施設）の期間中の"
        "求職登録・求人・紹介・就職を計上。");
    int y, m, dd;
    if (date_parse(p->from, &y, &m, &dd) != 0)
        return DB_ERROR;
    int64_t from = time_days_from_civil(y, m, dd) * 86400 - 9 * 3600;
    if (date_parse(p->to, &y, &m, &dd) != 0)
        return DB_ERROR;
    int64_t to = (time_days_from_civil(y, m, dd) + 1) * 86400 - 9 * 3600;
    db_val pv = pref_val(p);
    db_val p4[] = {DBT(p->campaign), DBT(p->from), DBT(p->to), pv};
    db_val p6[] = {DBT(p->campaign), DBT(p->from), DBT(p->to), pv, DBI(from), DBI(to)};
    db_res *r = NULL;
    int rc = db_query(d,
                      "SELECT client_kind, COUNT(*) FROM consultations WHERE campaign = $1 AND "
                      "consulted_on >= $2 AND consulted_on <= $3 AND (prefecture_code = $4 OR $4 "
                      "IS NULL) GROUP BY client_kind",
                      p4, 4, &r);
    if (rc != DB_OK) {
        db_res_free(r);
        return rc;
    }
    static const struct {
        const char *kind, *label;
    } KINDS[] = {{"nurse", "相談件数（看護職）"},
                 {"facility", "相談件数（施設）"},
                 {"other", "相談件数（その他）"}};
    int64_t all = 0;
    for (size_t k = 0; k < 3; k++) {
        int row = rt_row_label(t, KINDS[k].label);
        if (row < 0) {
            db_res_free(r);
            return DB_ERROR;
        }
        rt_set_int(t, row, 1, 0);
        for (int i = 0; i < r->nrows; i++)
            if (str_eq(db_text(r, i, 0), KINDS[k].kind)) {
                rt_set_int(t, row, 1, db_int(r, i, 1));
                all += db_int(r, i, 1);
            }
    }
    db_res_free(r);
    r = NULL;
    int row = rt_row_label(t, "相談件数（計）");
    if (row < 0)
        return DB_ERROR;
    rt_set_int(t, row, 1, all);
    static const struct {
        const char *label, *sql;
        int np;
    } Q[] = {
        {"求職者数", "SELECT COUNT(*) FROM seekers s WHERE s.user_id IN " CAMPAIGN_NURSES, 4},
        {"求人数（人）",
         "SELECT COALESCE(SUM(COALESCE(o.positions, 1)), 0) FROM offers o WHERE o.facility_id "
         "IN " CAMPAIGN_FACILITIES
         " AND o.published_at IS NOT NULL AND o.published_at < $6 AND NOT "
         "(o.status IN ('closed', 'expired') AND COALESCE((SELECT MAX(e.at) FROM offer_events e "
         "WHERE e.offer_id = o.id AND e.action IN ('closed', 'expired')), 0) < $5)",
         6},
        {"紹介件数",
         "SELECT COUNT(*) FROM applications a WHERE a.referred_at >= $5 AND a.referred_at < $6 "
         "AND (a.seeker_user_id IN " CAMPAIGN_NURSES " OR a.facility_id IN " CAMPAIGN_FACILITIES
         ")",
         6},
        {"就職件数",
         "SELECT COUNT(DISTINCT a.id) FROM application_events e JOIN applications a ON a.id = "
         "e.application_id WHERE e.to_state = 'placed' AND e.at >= $5 AND e.at < $6 AND "
         "(a.seeker_user_id IN " CAMPAIGN_NURSES " OR a.facility_id IN " CAMPAIGN_FACILITIES ")",
         6},
    };
    for (size_t q = 0; q < sizeof Q / sizeof Q[0]; q++) {
        int64_t v = 0;
        rc = db_scalar(d, Q[q].sql, Q[q].np == 4 ? p4 : p6, Q[q].np, &v);
        if (rc != DB_OK)
            return rc;
        if ((row = rt_row_label(t, Q[q].label)) < 0)
            return DB_ERROR;
        rt_set_int(t, row, 1, v);
    }
    char ft[NFT][64] = {{0}};
    if ((rc = code_labels(d, "facility_types", FACILITY_TYPES, ft, NFT)) != DB_OK)
        return rc;
    rc = db_query(d,
                  "SELECT f.facility_type, COUNT(DISTINCT a.id) FROM application_events e JOIN "
                  "applications a ON a.id = e.application_id JOIN facilities f ON f.id = "
                  "a.facility_id WHERE e.to_state = 'placed' AND e.at >= $5 AND e.at < $6 AND "
                  "(a.seeker_user_id IN " CAMPAIGN_NURSES
                  " OR a.facility_id IN " CAMPAIGN_FACILITIES ") GROUP BY f.facility_type",
                  p6, 6, &r);
    if (rc != DB_OK) {
        db_res_free(r);
        return rc;
    }
    for (int k = 0; k < NFT; k++) {
        char label[128];
        snprintf(label, sizeof label, "就職先：%s", ft[k][0] ? ft[k] : FACILITY_TYPES[k]);
        if ((row = rt_row_label(t, label)) < 0) {
            db_res_free(r);
            return DB_ERROR;
        }
        rt_set_int(t, row, 1, 0);
        for (int i = 0; i < r->nrows; i++)
            if (str_eq(db_text(r, i, 0), FACILITY_TYPES[k]))
                rt_set_int(t, row, 1, db_int(r, i, 1));
    }
    db_res_free(r);
    rt_chart(t, "bar", (const char *const[]){"count", NULL});
    return DB_OK;
}

const char *rt_wage_label(const char *wage_type)
{
    return str_eq(wage_type, "monthly")  ? "月給"
           : str_eq(wage_type, "hourly") ? "時給"
           : str_eq(wage_type, "daily")  ? "日給"
           : str_eq(wage_type, "annual") ? "年俸"
                                         : "";
}

const char *rt_employment_label(const char *form)
{
    return str_eq(form, "jokin")     ? "常勤"
           : str_eq(form, "hijokin") ? "非常勤"
           : str_eq(form, "rinji")   ? "臨時"
                                     : NULL;
}

/* ---- 求人求職管理簿 -------------------------------------------------------------------------- */

static const char *decision_label(const char *d)
{
    if (str_eq(d, "hired"))
        return "採用";
    if (str_eq(d, "rejected"))
        return "不採用";
    if (str_eq(d, "declined"))
        return "辞退";
    if (str_eq(d, "ended"))
        return "取下げ・取消";
    return "選考中";
}

/* The decision of an application a: hired if it ever reached 'hired'. */
#define DECISION(a)                                                                                \
    "CASE WHEN EXISTS (SELECT 1 FROM application_events x WHERE x.application_id = " a ".id AND "  \
    "x.to_state = 'hired') THEN 'hired' WHEN " a ".state = 'rejected' THEN 'rejected' WHEN " a     \
    ".state = 'declined' THEN 'declined' WHEN " a ".state IN ('withdrawn', 'cancelled', "          \
    "'refused') THEN 'ended' ELSE 'pending' END"

static void set_date(rtable *t, int row, int col, const db_res *r, int i, int k)
{
    if (db_isnull(r, i, k))
        return;
    char day[11];
    time_jst_date(db_int(r, i, k), day, sizeof day);
    rt_set_text(t, row, col, day);
}

/* The referral part of a ledger row: from table column col and query column k on, the
 * referral date, then ntext text columns (number, names …), then 採否 and its date (query:
 * the decision code, then decided_at). */
static void referral_cells(rtable *t, int row, int col, const db_res *r, int i, int k, int ntext)
{
    set_date(t, row, col, r, i, k);
    for (int n = 1; n <= ntext; n++)
        rt_set_text(t, row, col + n, db_text(r, i, k + n));
    const char *decision = db_text(r, i, k + ntext + 1);
    rt_set_text(t, row, col + ntext + 1, decision_label(decision));
    if (!str_eq(decision, "pending"))
        set_date(t, row, col + ntext + 2, r, i, k + ntext + 2);
}

static int build_ledger_offers(db *d, const rt_params *p, rtable *t)
{
    rt_column(t, "offer_no", "求人番号", NULL, RT_TEXT);
    rt_column(t, "employer", "求人者（施設名）", NULL, RT_TEXT);
    rt_column(t, "location", "所在地", NULL, RT_TEXT);
    rt_column(t, "phone", "連絡先", NULL, RT_TEXT);
    rt_column(t, "accepted", "求人受付日", NULL, RT_TEXT);
    rt_column(t, "valid_until", "有効期限", NULL, RT_TEXT);
    rt_column(t, "job", "職種", NULL, RT_TEXT);
    rt_column(t, "employment", "雇用形態", NULL, RT_TEXT);
    rt_column(t, "wage", "賃金（下限）", NULL, RT_TEXT);
    rt_column(t, "positions", "求人数", NULL, RT_INT);
    rt_column(t, "referred", "紹介年月日", "紹介の状況", RT_TEXT);
    rt_column(t, "referral_no", "紹介番号", "紹介の状況", RT_TEXT);
    rt_column(t, "seeker", "紹介した求職者", "紹介の状況", RT_TEXT);
    rt_column(t, "decision", "採否", "紹介の状況", RT_TEXT);
    rt_column(t, "decided", "採否決定日", "紹介の状況", RT_TEXT);
    str_copy(t->note, sizeof t->note,
             "職業安定法施行規則による求人管理簿。年度中に公開されていた求人票と、年度中の紹介。");
    fyb b;
    fy_bounds(p->fy, &b);
    db_val p3[] = {DBI(b.ts[0]), DBI(b.ts[12]), DBT(p->pref)};
    db_res *r = NULL;
    int rc = db_query(
        d,
        "SELECT o.offer_no, f.name, pr.name || COALESCE(m.name, ''), f.phone, "
        "o.created_at, o.valid_until, o.title, o.employment_form, o.wage_type, "
        "o.wage_min, COALESCE(o.positions, 1), a.referred_at, a.referral_no, u.name, " DECISION(
            "a") ", a.decided_at, a.id FROM offers o JOIN facilities f ON f.id = "
                 "o.facility_id JOIN prefectures pr ON pr.code = f.prefecture_code LEFT JOIN "
                 "municipalities m ON m.code = f.municipality_code LEFT JOIN applications a ON "
                 "a.offer_id = o.id AND a.referred_at >= $1 AND a.referred_at < $2 LEFT JOIN "
                 "users u ON u.id = a.seeker_user_id WHERE o.prefecture_code = $3 AND " OPEN_OFFER(
                     "o") " ORDER BY o.published_at, o.id, a.referred_at, a.id",
        p3, 3, &r);
    if (rc != DB_OK) {
        db_res_free(r);
        return rc;
    }
    for (int i = 0; i < r->nrows; i++) {
        int row = rt_row(t);
        if (row < 0) {
            db_res_free(r);
            return DB_ERROR;
        }
        for (int c = 0; c < 4; c++)
            rt_set_text(t, row, c, db_text(r, i, c));
        set_date(t, row, 4, r, i, 4);
        rt_set_text(t, row, 5, db_text(r, i, 5));
        rt_set_text(t, row, 6, db_text(r, i, 6));
        const char *ef = db_text(r, i, 7);
        rt_set_text(t, row, 7, rt_employment_label(ef));
        if (!db_isnull(r, i, 9)) {
            char wage[64];
            snprintf(wage, sizeof wage, "%s %lld円", rt_wage_label(db_text(r, i, 8)),
                     (long long)db_int(r, i, 9));
            rt_set_text(t, row, 8, wage);
        }
        rt_set_int(t, row, 9, db_int(r, i, 10));
        if (!db_isnull(r, i, 16))
            referral_cells(t, row, 10, r, i, 11, 2);
    }
    db_res_free(r);
    return DB_OK;
}

static int build_ledger_seekers(db *d, const rt_params *p, rtable *t)
{
    rt_column(t, "name", "求職者氏名", NULL, RT_TEXT);
    rt_column(t, "kana", "フリガナ", NULL, RT_TEXT);
    rt_column(t, "licences", "免許（希望職種）", NULL, RT_TEXT);
    rt_column(t, "accepted", "求職受付日", NULL, RT_TEXT);
    rt_column(t, "valid_until", "有効期限", NULL, RT_TEXT);
    rt_column(t, "referred", "紹介年月日", "紹介の状況", RT_TEXT);
    rt_column(t, "referral_no", "紹介番号", "紹介の状況", RT_TEXT);
    rt_column(t, "employer", "紹介先（求人者）", "紹介の状況", RT_TEXT);
    rt_column(t, "offer_no", "求人番号", "紹介の状況", RT_TEXT);
    rt_column(t, "decision", "採否", "紹介の状況", RT_TEXT);
    rt_column(t, "decided", "採否決定日", "紹介の状況", RT_TEXT);
    str_copy(t->note, sizeof t->note,
             "職業安定法施行規則による求職管理簿。年度中に有効だった求職登録と、年度中の紹介。");
    fyb b;
    fy_bounds(p->fy, &b);
    db_val p4[] = {DBI(b.ts[0]), DBI(b.ts[12]), DBT(p->pref), DBT(b.day[0])};
    db_res *r = NULL;
    int rc = db_query(
        d,
        "SELECT u.name, u.name_kana, (SELECT COUNT(*) FROM licences l WHERE l.user_id = u.id AND "
        "l.type = 'hokenshi'), (SELECT COUNT(*) FROM licences l WHERE l.user_id = u.id AND l.type "
        "= 'josanshi'), (SELECT COUNT(*) FROM licences l WHERE l.user_id = u.id AND l.type = "
        "'kangoshi'), (SELECT COUNT(*) FROM licences l WHERE l.user_id = u.id AND l.type = "
        "'junkangoshi'), s.created_at, s.valid_until, a.referred_at, a.referral_no, f.name, "
        "o.offer_no, " DECISION(
            "a") ", a.decided_at, a.id FROM seekers s JOIN users u ON u.id = "
                 "s.user_id LEFT JOIN applications a ON a.seeker_user_id = s.user_id AND "
                 "a.referred_at >= "
                 "$1 AND a.referred_at < $2 LEFT JOIN offers o ON o.id = a.offer_id LEFT JOIN "
                 "facilities f "
                 "ON f.id = a.facility_id WHERE s.prefecture_code = $3 AND " ACTIVE_SEEKER(
                     "s", "$2", "$4") " ORDER BY "
                                      "s.created_at, s.user_id, a.referred_at, a.id",
        p4, 4, &r);
    if (rc != DB_OK) {
        db_res_free(r);
        return rc;
    }
    static const char *const LIC[] = {"保健師", "助産師", "看護師", "准看護師"};
    for (int i = 0; i < r->nrows; i++) {
        int row = rt_row(t);
        if (row < 0) {
            db_res_free(r);
            return DB_ERROR;
        }
        rt_set_text(t, row, 0, db_text(r, i, 0));
        rt_set_text(t, row, 1, db_text(r, i, 1));
        char lic[64] = "";
        size_t off = 0;
        for (int k = 0; k < 4; k++)
            if (db_int(r, i, 2 + k) > 0 && off < sizeof lic) {
                int w = snprintf(lic + off, sizeof lic - off, "%s%s", off ? "・" : "", LIC[k]);
                off += w > 0 ? (size_t)w : 0;
            }
        rt_set_text(t, row, 2, lic);
        set_date(t, row, 3, r, i, 6);
        rt_set_text(t, row, 4, db_text(r, i, 7));
        if (!db_isnull(r, i, 14))
            referral_cells(t, row, 5, r, i, 8, 3);
    }
    db_res_free(r);
    return DB_OK;
}

/* ---- registry ------------------------------------------------------------------------------ */

const rt_def RT_DEFS[] = {
    {"new_ids", "新規ID数（月別・登録経路別）", "新規ID数", 0, build_new_ids},
    {"access_job", "アクセス状況（求人・求職サイト）", "アクセス（求人・求職）", RTF_NATIONAL_ONLY,
     build_access_job},
    {"access_notify", "アクセス状況（届出サイト）", "アクセス（届出）", RTF_NATIONAL_ONLY,
     build_access_notify},
    {"helpdesk", "ヘルプデスク問い合わせ件数（月別・分類別）", "ヘルプデスク", 0, build_helpdesk},
    {"flows", "年度の実績（求人・求職者・応募・紹介・就職）", "年度の実績", 0, build_flows},
    {"ratio_by_type", "施設種別の求人倍率", "施設種別の求人倍率", 0, build_ratio},
    {"seekers_by_age", "年齢階級別の新規求職者数", "年齢階級別", 0, build_ages},
    {"leave_reasons", "届出事由別の届出数", "届出事由", 0, build_reasons},
    {"conditions", "希望条件と求人条件（賃金・勤務形態・施設種別）", "希望条件と求人条件", 0,
     build_conditions},
    {"placement_report", "職業紹介事業報告（就職件数・無期雇用・6か月以内の離職）", "事業報告", 0,
     build_placement_report},
    {"ledger_offers", "求人管理簿", "求人管理簿", RTF_PREF_REQUIRED | RTF_PERSONAL,
     build_ledger_offers},
    {"ledger_seekers", "求職管理簿", "求職管理簿", RTF_PREF_REQUIRED | RTF_PERSONAL,
     build_ledger_seekers},
    {"campaign", "キャンペーン実績", "キャンペーン", RTF_CAMPAIGN, build_campaign},
    {NULL, NULL, NULL, 0, NULL},
};

const rt_def *rt_find(const char *name)
{
    for (const rt_def *d = RT_DEFS; name && d->name; d++)
        if (!strcmp(d->name, name))
            return d;
    return NULL;
}

int rt_count(void)
{
    int n = 0;
    while (RT_DEFS[n].name)
        n++;
    return n;
}

int rt_build(db *d, const rt_def *def, const rt_params *p, rtable *t)
{
    rt_init(t, def->name, def->title, def->sheet);
    if (p->pref[0]) {
        db_val pp[] = {DBT(p->pref)};
        db_res *r = NULL;
        int rc = db_query(d, "SELECT name FROM prefectures WHERE code = $1", pp, 1, &r);
        if (rc != DB_OK) {
            db_res_free(r);
            return rc;
        }
        str_copy(t->scope, sizeof t->scope, r->nrows ? db_text(r, 0, 0) : p->pref);
        db_res_free(r);
    } else {
        str_copy(t->scope, sizeof t->scope, "全国");
    }
    if (def->flags & RTF_CAMPAIGN)
        snprintf(t->period, sizeof t->period, "%s〜%s（%s）", p->from, p->to, p->campaign);
    else
        snprintf(t->period, sizeof t->period, "%d年度（%d年4月〜%d年3月）", p->fy, p->fy,
                 p->fy + 1);
    return def->build(d, p, t);
}
