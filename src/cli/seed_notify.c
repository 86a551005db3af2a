/* The seed's notifications, consultations and casework queue (see seed_notify.h).
 *
 * National: everything is generated in memory first (notifications in filing order, their
 * holders, statuses, changes and tasks; then the consultations), then stored in multi-row
 * INSERTs (on PostgreSQL up to 128 parameters a statement, on SQLite one row a statement:
 * see seed.c "Multi-row INSERTs"); new ids come back through RETURNING and are matched by a key
 * that is unique by construction (e-mail, filing or creation time). All random draws happen in
 * the generation, so the data do not depend on the backend's batch size. */
#include "cli/seed_notify.h"
#include "cli/seed_batch.h"
#include "domain/casework.h"
#include "util/holidays.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400
#define JST (9 * 3600)

/* ---- Figures ---------------------------------------------------------------------------------
 * Notifications a fiscal year (FY2021..FY2025; 150,000 in all) and the share of each month
 * (April first, per cent): many nurses leave at the end of March, so March and April carry
 * about twice an average month. Consultations: FY2025, 40,000 (about 850 a center on average,
 * some 3–4 a working day; a seed figure, not an official statistic). */
#define NN_FY_FIRST 2021
#define NN_YEARS    5
static const int NN_PER_FY[NN_YEARS] = {27600, 29100, 30300, 31200, 31800};
static const int NN_MONTH_W[12] = {16, 9, 7, 7, 6, 8, 8, 6, 6, 6, 6, 15};
#define NC_FY 2025
static const int NC_MONTH_W[12] = {10, 8, 8, 8, 7, 8, 9, 8, 6, 8, 9, 11};
/* The national seed's fixed today (seed.c NAT_APPS_TODAY) and the first day of the last month
 * of notifications (tasks of that month are still open). */
#define NN_TODAY        "2026-04-15"
#define NN_LAST_MONTH   "2026-03-01"
#define NN_CONTACT_DAYS 3 /* the default first_contact_days (no center_settings rows) */

/* Codes used below; checked against domain/casework.c at the start. */
enum { R_LEFT, R_STOPPED, R_NOT_AFTER };
static const char *const REASON[] = {"left_job", "stopped_practising",
                                     "not_practising_after_licensing"};
enum { W_HOSPITAL, W_CLINIC, W_VISITING, W_CARE, W_OTHER };
static const char *const LASTWP[] = {"hospital", "clinic", "visiting_nursing", "care_facility",
                                     "other"};
static const char *const WORK[] = {"not_working", "non_nursing", "studying", "other"};
enum { CH_PC, CH_SP, CH_CENTER, CH_PROXY };
static const char *const CHANNEL[] = {"pc", "smartphone", "center", "proxy"};
enum { CC_VISIT, CC_PHONE, CC_MAIL, CC_ONLINE, CC_OUTREACH };
static const char *const CCHANNEL[] = {"visit", "phone", "mail", "online", "outreach"};
enum {
    CAT_EMPLOYMENT,
    CAT_RETURN,
    CAT_WORKPLACE,
    CAT_CONDITIONS,
    CAT_MENTAL,
    CAT_CAREER,
    CAT_OTHER
};
static const char *const CATEGORY[] = {"employment",    "return", "workplace", "conditions",
                                       "mental_health", "career", "other"};
static const char *const OUTREACH[] = {"hello_work", "other"};
static const char *const OUTCOME[] = {"contacted", "unreachable", "not_needed"};

static bool codes_known(void)
{
    for (int i = 0; i < 3; i++)
        if (!code_label_of(NOTIF_REASONS, REASON[i]) || !code_label_of(TASK_OUTCOMES, OUTCOME[i]))
            return false;
    for (int i = 0; i < 5; i++)
        if (!code_label_of(NOTIF_LAST_WORKPLACES, LASTWP[i]) ||
            !code_label_of(CONSULT_CHANNELS, CCHANNEL[i]))
            return false;
    for (int i = 0; i < 4; i++)
        if (!code_label_of(NOTIF_WORK_STATUSES, WORK[i]) ||
            !code_label_of(NOTIF_CHANNELS, CHANNEL[i]))
            return false;
    for (int i = 0; i < 7; i++)
        if (!code_label_of(CONSULT_CATEGORIES, CATEGORY[i]))
            return false;
    return code_label_of(OUTREACH_PLACES, OUTREACH[0]) &&
           code_label_of(OUTREACH_PLACES, OUTREACH[1]) &&
           code_label_of(TASK_KINDS, "notification") && code_label_of(TASK_KINDS, "follow_up");
}

/* ---- Random numbers (splitmix64) and the calendar ---------------------------------------------
 */

typedef struct {
    uint64_t s;
} rng;

static uint64_t rn(rng *g)
{
    uint64_t z = (g->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static int rp(rng *g, int n)
{
    return n > 0 ? (int)(rn(g) % (uint64_t)n) : 0;
}

/* An index 0..n-1 drawn with weights w. */
static int rw(rng *g, const int *w, int n)
{
    int total = 0;
    for (int i = 0; i < n; i++)
        total += w[i];
    int r = rp(g, total), i = 0;
    for (; i < n - 1 && (r -= w[i]) >= 0; i++)
        ;
    return i;
}

static int64_t day_of(const char *date)
{
    int y, m, d;
    return date_parse(date, &y, &m, &d) == 0 ? time_days_from_civil(y, m, d) : 0;
}

static void date_of(int64_t day, char *out, size_t cap)
{
    int y, m, d;
    time_civil_from_days(day, &y, &m, &d);
    snprintf(out, cap, "%04d-%02d-%02d", y, m, d);
}

/* Unix time of secs after 00:00 JST of day, and the JST day of a Unix time. */
static int64_t t_of(int64_t day, int secs)
{
    return day * DAY - JST + secs;
}

static int64_t day_of_t(int64_t t)
{
    int64_t s = t + JST;
    return s >= 0 ? s / DAY : (s - (DAY - 1)) / DAY;
}

static bool bday(int64_t day)
{
    int y, m, d;
    time_civil_from_days(day, &y, &m, &d);
    return jp_is_business_day(y, m, d);
}

/* The first business day on or after day. */
static int64_t next_bday(int64_t day)
{
    while (!bday(day))
        day++;
    return day;
}

/* A time during office hours (09:00 + up to span seconds) of a business day. */
static int64_t office_time(rng *g, int64_t day, int span)
{
    return t_of(next_bday(day), 9 * 3600 + rp(g, span));
}

static char USER_SQL[4096], LIC_SQL[2048], NOTIF_SQL[8192], VERSION_SQL[2048], TASK_SQL[8192],
    CONSULT_SQL[8192], SENSITIVE_SQL[2048];

/* ---- Names, places and texts ---------------------------------------------------------------- */

static const char *const FAMILY[][2] = {
    {"佐藤", "サトウ"},   {"鈴木", "スズキ"},   {"高橋", "タカハシ"}, {"田中", "タナカ"},
    {"伊藤", "イトウ"},   {"渡辺", "ワタナベ"}, {"山本", "ヤマモト"}, {"中村", "ナカムラ"},
    {"小林", "コバヤシ"}, {"加藤", "カトウ"},   {"吉田", "ヨシダ"},   {"山田", "ヤマダ"},
    {"佐々木", "ササキ"}, {"山口", "ヤマグチ"}, {"松本", "マツモト"}, {"井上", "イノウエ"},
    {"木村", "キムラ"},   {"林", "ハヤシ"},     {"斎藤", "サイトウ"}, {"清水", "シミズ"},
    {"山崎", "ヤマザキ"}, {"森", "モリ"},       {"池田", "イケダ"},   {"橋本", "ハシモト"},
    {"阿部", "アベ"},     {"石川", "イシカワ"}, {"前田", "マエダ"},   {"藤田", "フジタ"},
    {"小川", "オガワ"},   {"岡田", "オカダ"},   {"後藤", "ゴトウ"},   {"長谷川", "ハセガワ"},
    {"村上", "ムラカミ"}, {"近藤", "コンドウ"}, {"石井", "イシイ"},   {"坂本", "サカモト"},
    {"遠藤", "エンドウ"}, {"青木", "アオキ"},   {"藤井", "フジイ"},   {"西村", "ニシムラ"},
    {"福田", "フクダ"},   {"太田", "オオタ"},   {"三浦", "ミウラ"},   {"藤原", "フジワラ"},
    {"岡本", "オカモト"}, {"松田", "マツダ"},   {"中川", "ナカガワ"}, {"中野", "ナカノ"}};
static const char *const GIVEN[][2] = {
    {"陽子", "ヨウコ"},   {"美咲", "ミサキ"}, {"恵", "メグミ"},     {"由美", "ユミ"},
    {"真由美", "マユミ"}, {"智子", "トモコ"}, {"裕子", "ユウコ"},   {"さくら", "サクラ"},
    {"愛", "アイ"},       {"彩", "アヤ"},     {"千尋", "チヒロ"},   {"香織", "カオリ"},
    {"直美", "ナオミ"},   {"舞", "マイ"},     {"翔太", "ショウタ"}, {"大輔", "ダイスケ"},
    {"健一", "ケンイチ"}, {"拓也", "タクヤ"}, {"奈々", "ナナ"},     {"優子", "ユウコ"},
    {"明美", "アケミ"},   {"麻衣", "マイ"},   {"久美子", "クミコ"}, {"花子", "ハナコ"},
    {"美穂", "ミホ"},     {"沙織", "サオリ"}, {"理恵", "リエ"},     {"美紀", "ミキ"},
    {"亜希子", "アキコ"}, {"綾香", "アヤカ"}, {"遥", "ハルカ"},     {"結衣", "ユイ"},
    {"真理子", "マリコ"}, {"和子", "カズコ"}, {"京子", "キョウコ"}, {"浩二", "コウジ"},
    {"誠", "マコト"},     {"美香", "ミカ"},   {"紀子", "ノリコ"},   {"春香", "ハルカ"}};
#define NFAMILY (int)(sizeof FAMILY / sizeof FAMILY[0])
#define NGIVEN  (int)(sizeof GIVEN / sizeof GIVEN[0])
static const char *const TOWN[] = {"本町",   "栄町",   "緑町",   "旭町", "中央",   "幸町",
                                   "宮前",   "東町",   "西町",   "南町", "北町",   "桜町",
                                   "松原",   "若葉",   "青葉台", "錦町", "末広町", "日の出町",
                                   "住吉町", "大手町", "元町",   "新町", "寿町",   "平和町"};
/* The first three digits of postal codes in each prefecture: start and count. */
static const short POSTAL[48][2] = {
    {0, 0},    {40, 60},  {30, 10},  {20, 10},  {980, 10}, {10, 10},   {990, 10}, {960, 20},
    {300, 20}, {320, 10}, {370, 10}, {330, 40}, {260, 40}, {100, 100}, {210, 50}, {940, 20},
    {930, 10}, {920, 10}, {910, 10}, {400, 10}, {380, 20}, {500, 10},  {410, 30}, {440, 60},
    {510, 10}, {520, 10}, {600, 30}, {530, 70}, {650, 30}, {630, 10},  {640, 10}, {680, 10},
    {690, 10}, {700, 20}, {720, 20}, {740, 20}, {770, 10}, {760, 10},  {790, 10}, {780, 10},
    {800, 40}, {840, 10}, {850, 10}, {860, 10}, {870, 10}, {880, 10},  {890, 10}, {900, 10}};
/* Workplace names for filings that give one: a prefix and a suffix by kind. */
static const char *const WP_PREFIX[] = {"さくら", "あおば", "みどり", "ひまわり", "緑風", "慈恵",
                                        "清和",   "恵愛",   "聖心",   "博愛",     "健生", "仁愛",
                                        "若竹",   "明和",   "和光",   "希望",     "陽光", "城南"};
static const char *const WP_SUFFIX[5][2] = {{"総合病院", "記念病院"},
                                            {"クリニック", "内科医院"},
                                            {"訪問看護ステーション", "訪問看護ステーション"},
                                            {"介護老人保健施設", "特別養護老人ホーム"},
                                            {"保育園", "健診センター"}};

/* Consultation summaries by category (nurses), and for facilities and other callers. None
 * names a diagnosis, treatment or medication: those go only to consultation_sensitive. */
static const char *const SUM_NURSE[7][3] = {
    {"日勤のみの求人について相談。希望条件を整理し、該当する求人票を3件紹介した。",
     "子育てと両立できる職場を探している。短時間正職員制度のある施設を案内した。",
     "訪問看護への転職を検討中。求人の見方と面接の準備について助言した。"},
    {"ブランク8年からの復職について相談。復職支援研修の日程を案内した。",
     "離職後2年。採血や点滴の技術に不安があり、技術演習の研修を紹介した。",
     "介護が一段落し、非常勤での復職を希望。近隣のクリニックの求人を紹介した。"},
    {"職場の人間関係について相談。勤務先の相談窓口の利用を含め対応を一緒に考えた。",
     "夜勤の負担が大きく勤務の継続に迷いがある。配置換えの相談方法を助言した。",
     "新人教育の体制に不安がある。プリセプター制度のある職場の例を説明した。"},
    {"残業代の扱いについて相談。労働条件通知書の確認方法と労働基準監督署を案内した。",
     "提示された給与が求人票と異なる。施設側への確認の仕方を助言した。",
     "有給休暇が取得できない状況について相談。労働条件の確認方法を説明した。"},
    {"心身の健康面について相談あり（内容は要配慮個人情報として別に記録）。就業継続の方法を一緒に検"
     "討した。",
     "体調面の不安から就業の継続について相談（詳細は別に記録）。負担の少ない働き方を検討した。",
     "健康面の事情による退職後の再就職について相談（詳細は別に記録）。段階的な復職を提案した。"},
    {"認定看護師の資格取得と進学について相談。教育課程の情報を提供した。",
     "保健師としての就職を希望。行政の採用情報の探し方を案内した。",
     "今後のキャリアについて相談。経験を生かせる分野を一緒に整理した。"},
    {"ナースセンターの登録内容の変更方法について問い合わせ。手続きを案内した。",
     "届出の方法について問い合わせ。インターネットでの届出手順を説明した。",
     "看護職員の就業に関する制度について問い合わせ。資料を送付した。"}};
static const char *const SUM_FACILITY[4][2] = {
    {"看護師の採用について相談。求人票の記載内容と掲載の手続きを案内した。",
     "夜勤のできる看護師の確保について相談。求人条件の見直しを助言した。"},
    {"短時間勤務の導入について相談。他施設の事例を紹介した。",
     "賃金水準について相談。地域の求人の傾向を説明した。"},
    {"職員の定着について相談。教育体制と面談の工夫を助言した。",
     "新人看護職員の研修体制について相談。研修資料を紹介した。"},
    {"離職者の届出（施設代行）の方法について問い合わせ。手順を説明した。",
     "合同就職説明会への出展について問い合わせ。申込方法を案内した。"}};
static const char *const OTHER_CLIENT[] = {"看護学生", "看護職員の家族", "高校生（進路相談）",
                                           "一般の方", "匿名の看護職員"};
static const char *const SUM_OTHER[] = {
    "看護職の資格取得と進学先について相談。養成所の情報を提供した。",
    "家族の再就職について相談。ナースセンターの利用方法を案内した。",
    "看護職の働き方について問い合わせ。就業支援の内容を説明した。",
    "匿名での職場環境に関する相談。相談窓口の利用を案内した。"};
/* Mental-health notes (consultation_sensitive only). */
static const char *const SENSITIVE[] = {
    "適応障害の診断で休職後に退職。現在は心療内科に月1回通院中で、睡眠薬を服用している。短時間勤務"
    "からの復職を希望。",
    "夜勤による不眠と抑うつ気分が続いている。主治医から当面は日勤のみが望ましいとの意見あり。",
    "前職でのハラスメントにより不安障害と診断された。カウンセリング継続中。人間関係の負担の少ない職"
    "場を希望。",
    "うつ病で通院・服薬中。体調に波があり、週3日程度の勤務から始めたい意向。",
    "パニック発作の既往があり、満員電車での通勤が難しい。自宅近くの職場を希望している。"};
static const char *const FOLLOW_NOTE[] = {"紹介した求人への応募状況を確認する",
                                          "復職支援研修の受講後に様子を確認する",
                                          "施設への確認結果を聞く", "面接の結果を確認する"};
static const char *const TASK_NOTE[3][3] = {
    {"電話で連絡し、今後の就業意向を確認した。", "電話で連絡。求職登録と求人検索の方法を案内した。",
     "メールで連絡し、復職支援研修の案内を送った。"},
    {"3回電話したが不通。案内文書を郵送した。", "電話不通。メールで連絡先の確認を依頼した。",
     "不在。留守番電話に折り返しを依頼した。"},
    {"既に再就職が決まっているため対応不要。", "本人から連絡不要との申し出あり。",
     "他県のナースセンターで対応中。"}};

/* ---- National: data loaded from the store ------------------------------------------------- */

#define NC_MAX 8 /* counselors kept per prefecture */

typedef struct {
    int64_t id, created_at;
    int pref;
    int lic0, nlic;  /* rows of nctx.lr */
    int holder;      /* index into nctx.hs, or -1 */
    int64_t lic_day; /* the earliest licence's registration day */
} person;

typedef struct {
    int64_t id, admin;
    int pref, wp;
    const char *name;
} nfac;

typedef struct {
    char type[12], number[12], reg[11];
} hlic;

typedef struct {
    int64_t id, created_at, verified_at;
    int person; /* index into nctx.ps, or -1 for a new account */
    int pref;
    bool has_email, online; /* online: may log in and change their own filings */
    const char *channel;    /* users.channel of a new account */
    char name[40], kana[64], birth[11], postal[9], address[96], phone[16], email[40];
    int nlic;
    hlic lic[4];
    int64_t lic_day; /* the earliest registration */
} holder;

typedef struct {
    char phone[16], postal[9], address[96];
    bool address_change;
} change;

typedef struct {
    int64_t filed_at, confirmed_at, changed_at, id;
    int64_t filed_by, confirmed_by, changed_by; /* 0: the holder */
    int64_t task_by, task_done_at;              /* assignee (0 none); done time (0 open) */
    int idx, holder, pref, facility, change;    /* facility, change: -1 when none */
    signed char channel, reason, work, lastwp, how, outcome, note, wp_prefix, wp_kind;
    bool pending, task;
    char event_date[11];
} notif;

typedef struct {
    int64_t created_at, id, counselor, facility_id, fu_done_at;
    int pref, kind, channel, outreach, category, text, sens, fu_note, fu_outcome;
    int client; /* >= 0 person, < 0 -(holder + 1); unused for facilities and others */
    const char *client_name;
    char date[11], fu_date[11];
} consult;

typedef struct {
    db *d;
    rng g;
    int64_t nurse_first, nurse_last;
    int64_t today_day, today_end, last_month;
    char pref_code[48][3];
    db_res *pr, *lr, *fr, *mr;
    person *ps;
    int nps;
    int *by_pref, pref_first[48], pref_count[48];
    nfac *fs;
    int nfs, fac_first[48], fac_count[48];
    int muni_first[48], muni_count[48];
    int64_t cns[48][NC_MAX], grantee[48], admin[48];
    int ncns[48];
    holder *hs;
    int nhs, caphs;
    int *reuse[48], nreuse[48], capreuse[48];
    notif *ns;
    int nns;
    change *chs;
    int nchs, capchs;
    consult *cs;
    int ncs;
    int lic_seq[4];
} nctx;

static const char *LICTYPE[] = {"kangoshi", "junkangoshi", "hokenshi", "josanshi"};

static int load(nctx *c)
{
    db_val p[] = {DBI(c->nurse_first), DBI(c->nurse_last)};
    int rc = db_query(c->d,
                      "SELECT id, prefecture_code, created_at, name, name_kana, phone, email "
                      "FROM users WHERE id BETWEEN $1 AND $2 AND role = 'seeker' ORDER BY id",
                      p, 2, &c->pr);
    if (rc == DB_OK)
        rc = db_query(c->d,
                      "SELECT user_id, type, number, registered_on FROM licences "
                      "WHERE user_id BETWEEN $1 AND $2 ORDER BY user_id, id",
                      p, 2, &c->lr);
    if (rc != DB_OK)
        return rc;
    c->nps = c->pr->nrows;
    c->ps = calloc((size_t)c->nps + 1, sizeof *c->ps);
    c->by_pref = calloc((size_t)c->nps + 1, sizeof *c->by_pref);
    if (!c->ps || !c->by_pref || c->nps == 0)
        return DB_ERROR;
    int l = 0;
    for (int i = 0; i < c->nps; i++) {
        person *x = &c->ps[i];
        int64_t q = 0;
        x->id = db_int(c->pr, i, 0);
        str_to_i64(db_text(c->pr, i, 1), 1, 47, &q);
        x->pref = (int)q;
        x->created_at = db_int(c->pr, i, 2);
        x->holder = -1;
        while (l < c->lr->nrows && db_int(c->lr, l, 0) < x->id)
            l++;
        x->lic0 = l;
        x->lic_day = INT64_MAX;
        for (; l < c->lr->nrows && db_int(c->lr, l, 0) == x->id; l++) {
            int64_t dd = day_of(db_text(c->lr, l, 3));
            if (dd && dd < x->lic_day)
                x->lic_day = dd;
        }
        x->nlic = l - x->lic0 > 4 ? 4 : l - x->lic0;
        if (x->pref >= 1)
            c->pref_count[x->pref]++;
    }
    for (int q = 1, at = 0; q <= 47; q++) {
        c->pref_first[q] = at;
        at += c->pref_count[q];
    }
    int fill[48] = {0};
    for (int i = 0; i < c->nps; i++)
        if (c->ps[i].pref >= 1)
            c->by_pref[c->pref_first[c->ps[i].pref] + fill[c->ps[i].pref]++] = i;

    /* national facilities (their admin logins were created after the national nurses) */
    db_val f[] = {DBI(c->nurse_last)};
    rc = db_query(c->d,
                  "SELECT f.id, f.prefecture_code, f.facility_type, f.name, MIN(u.id) "
                  "FROM facilities f JOIN users u ON u.facility_id = f.id "
                  "AND u.role = 'facility_admin' WHERE f.status = 'approved' AND u.id > $1 "
                  "GROUP BY f.id, f.prefecture_code, f.facility_type, f.name "
                  "ORDER BY f.prefecture_code, f.id",
                  f, 1, &c->fr);
    if (rc != DB_OK)
        return rc;
    c->nfs = c->fr->nrows;
    c->fs = calloc((size_t)c->nfs + 1, sizeof *c->fs);
    if (!c->fs)
        return DB_ERROR;
    for (int i = 0; i < c->nfs; i++) {
        nfac *x = &c->fs[i];
        int64_t q = 0;
        x->id = db_int(c->fr, i, 0);
        str_to_i64(db_text(c->fr, i, 1), 1, 47, &q);
        x->pref = (int)q;
        const char *t = db_text(c->fr, i, 2);
        x->wp = !strcmp(t, "hospital")           ? W_HOSPITAL
                : !strcmp(t, "clinic")           ? W_CLINIC
                : !strcmp(t, "visiting_nursing") ? W_VISITING
                : (!strcmp(t, "geriatric_health") || !strcmp(t, "nursing_home") ||
                   !strcmp(t, "care_other"))
                    ? W_CARE
                    : W_OTHER;
        x->name = db_text(c->fr, i, 3);
        x->admin = db_int(c->fr, i, 4);
        if (!c->fac_count[x->pref]++)
            c->fac_first[x->pref] = i;
    }

    db_res *sr = NULL;
    rc = db_query(c->d,
                  "SELECT id, prefecture_code, role FROM users WHERE role IN ('counselor', "
                  "'center_admin') AND status = 'active' AND prefecture_code IS NOT NULL "
                  "ORDER BY id",
                  NULL, 0, &sr);
    for (int i = 0; rc == DB_OK && i < sr->nrows; i++) {
        int64_t q = 0, id = db_int(sr, i, 0);
        if (str_to_i64(db_text(sr, i, 1), 1, 47, &q) != 0)
            continue;
        if (!strcmp(db_text(sr, i, 2), "center_admin")) {
            if (!c->admin[q])
                c->admin[q] = id;
        } else {
            if (c->ncns[q] < NC_MAX)
                c->cns[q][c->ncns[q]++] = id;
            if (!c->grantee[q] && id > c->nurse_last)
                c->grantee[q] = id;
        }
    }
    db_res_free(sr);
    if (rc != DB_OK)
        return rc;

    rc = db_query(c->d, "SELECT code, name FROM municipalities ORDER BY code", NULL, 0, &c->mr);
    for (int i = 0; rc == DB_OK && i < c->mr->nrows; i++) {
        char pp[3] = {db_text(c->mr, i, 0)[0], db_text(c->mr, i, 0)[1], '\0'};
        int64_t q = 0;
        if (str_to_i64(pp, 1, 47, &q) == 0 && !c->muni_count[q]++)
            c->muni_first[q] = i;
    }
    for (int q = 1; rc == DB_OK && q <= 47; q++)
        if (!c->ncns[q] || !c->grantee[q] || !c->admin[q] || !c->fac_count[q] ||
            !c->muni_count[q] || !c->pref_count[q]) {
            fprintf(stderr,
                    "nccs: seed notifications: prefecture %02d lacks counselors, a center admin, "
                    "facilities, municipalities or nurses\n",
                    q);
            rc = DB_ERROR;
        }
    return rc;
}

/* ---- National: generation ----------------------------------------------------------------- */

static void gen_phone(rng *g, char *out, size_t cap)
{
    snprintf(out, cap, "0%d0-%04d-%04d", 7 + rp(g, 3), 1000 + rp(g, 9000), rp(g, 10000));
}

static void gen_address(nctx *c, int pref, char *postal, size_t pcap, char *addr, size_t acap)
{
    rng *g = &c->g;
    int m = c->muni_first[pref] + rp(g, c->muni_count[pref]);
    snprintf(postal, pcap, "%03d-%04d", POSTAL[pref][0] + rp(g, POSTAL[pref][1]), rp(g, 10000));
    snprintf(addr, acap, "%s%s%d-%d-%d", db_text(c->mr, m, 1), TOWN[rp(g, 24)], 1 + rp(g, 5),
             1 + rp(g, 30), 1 + rp(g, 20));
}

/* A licence number of type t: 7 digits, unique per type (a permutation of a counter), and so
 * never one of the 6-digit numbers of the national nurses. */
static void lic_number(nctx *c, int t, char *out, size_t cap)
{
    uint64_t k = (uint64_t)c->lic_seq[t]++;
    snprintf(out, cap, "%d",
             (int)(1000000 + (k * 7777777ULL + 1234567ULL * (uint64_t)(t + 1)) % 9000000ULL));
}

static holder *new_holder_slot(nctx *c)
{
    if (c->nhs == c->caphs) {
        int cap = c->caphs ? c->caphs * 2 : 65536;
        holder *h = realloc(c->hs, (size_t)cap * sizeof *h);
        if (!h)
            return NULL;
        c->hs = h, c->caphs = cap;
    }
    holder *h = &c->hs[c->nhs++];
    memset(h, 0, sizeof *h);
    h->person = -1;
    return h;
}

/* A new licence holder of prefecture pref whose event (reason) was on event_day. */
static int new_holder(nctx *c, int pref, int reason, int64_t event_day, int channel)
{
    rng *g = &c->g;
    holder *h = new_holder_slot(c);
    if (!h)
        return -1;
    int k = c->nhs - 1, fam = rp(g, NFAMILY), giv = rp(g, NGIVEN);
    h->pref = pref;
    snprintf(h->name, sizeof h->name, "%s %s", FAMILY[fam][0], GIVEN[giv][0]);
    snprintf(h->kana, sizeof h->kana, "%s %s", FAMILY[fam][1], GIVEN[giv][1]);
    static const int LT_W[4] = {80, 13, 4, 3}, LT_NEW_W[4] = {90, 6, 2, 2};
    int t = rw(g, reason == R_NOT_AFTER ? LT_NEW_W : LT_W, 4);
    int ey, em, ed;
    time_civil_from_days(event_day, &ey, &em, &ed);
    int64_t reg;
    int age;
    if (reason == R_NOT_AFTER) {
        reg = event_day;
        age = (t == 1 ? 19 : 22) + rp(g, 4);
    } else {
        age = reason == R_LEFT ? 23 + rp(g, 20) + rp(g, 20) : 30 + rp(g, 18) + rp(g, 18);
        int ry = ey - age + (t == 1 ? 20 : 22) + rp(g, 3);
        reg = time_days_from_civil(ry, 4 + rp(g, 3), 1 + rp(g, 28));
        if (reg > event_day - 180)
            reg = event_day - 180 - rp(g, 365);
    }
    int by = ey - age, bm = 1 + rp(g, 12);
    snprintf(h->birth, sizeof h->birth, "%04d-%02d-%02d", by, bm, 1 + rp(g, days_in_month(by, bm)));
    char regs[11];
    date_of(reg, regs, sizeof regs);
    if (t >= 2) { /* 保健師 and 助産師 hold the 看護師 licence too */
        str_copy(h->lic[0].type, sizeof h->lic[0].type, "kangoshi");
        lic_number(c, 0, h->lic[0].number, sizeof h->lic[0].number);
        str_copy(h->lic[0].reg, sizeof h->lic[0].reg, regs);
        h->nlic = 1;
    }
    str_copy(h->lic[h->nlic].type, sizeof h->lic[0].type, LICTYPE[t]);
    lic_number(c, t, h->lic[h->nlic].number, sizeof h->lic[0].number);
    str_copy(h->lic[h->nlic].reg, sizeof h->lic[0].reg, regs);
    h->nlic++;
    h->lic_day = reg;
    gen_address(c, pref, h->postal, sizeof h->postal, h->address, sizeof h->address);
    /* online filers give an e-mail address (and mostly a phone); paper forms mostly only a
     * phone; facilities know the address of 65 % */
    bool email = channel == CH_PC || channel == CH_SP ||
                 (channel == CH_CENTER ? rp(g, 100) < 15 : rp(g, 100) < 65);
    bool phone = !email || rp(g, 100) < 88;
    if (phone)
        gen_phone(g, h->phone, sizeof h->phone);
    h->has_email = email;
    h->online = channel == CH_PC || channel == CH_SP;
    h->channel = channel == CH_CENTER ? "center" : "notification";
    snprintf(h->email, sizeof h->email, "n%d@%s.invalid", k,
             email                  ? "notify"
             : channel == CH_CENTER ? "center"
                                    : "proxy");
    if (email && c->nreuse[pref] < (1 << 20)) { /* may file again later */
        if (c->nreuse[pref] == c->capreuse[pref]) {
            int cap = c->capreuse[pref] ? c->capreuse[pref] * 2 : 1024;
            int *r = realloc(c->reuse[pref], (size_t)cap * sizeof *r);
            if (!r)
                return -1;
            c->reuse[pref] = r, c->capreuse[pref] = cap;
        }
        c->reuse[pref][c->nreuse[pref]++] = k;
    }
    return k;
}

/* The holder record of national nurse i (made on the first filing). */
static int person_holder(nctx *c, int i)
{
    person *x = &c->ps[i];
    if (x->holder >= 0)
        return x->holder;
    holder *h = new_holder_slot(c);
    if (!h)
        return -1;
    rng *g = &c->g;
    x->holder = c->nhs - 1;
    h->person = i;
    h->id = x->id;
    h->pref = x->pref;
    h->has_email = h->online = true;
    str_copy(h->name, sizeof h->name, db_text(c->pr, i, 3));
    str_copy(h->kana, sizeof h->kana, db_text(c->pr, i, 4));
    str_copy(h->phone, sizeof h->phone, db_text(c->pr, i, 5) ? db_text(c->pr, i, 5) : "");
    str_copy(h->email, sizeof h->email, db_text(c->pr, i, 6));
    for (int l = 0; l < x->nlic; l++) {
        hlic *L = &h->lic[l];
        str_copy(L->type, sizeof L->type, db_text(c->lr, x->lic0 + l, 1));
        str_copy(L->number, sizeof L->number, db_text(c->lr, x->lic0 + l, 2));
        str_copy(L->reg, sizeof L->reg, db_text(c->lr, x->lic0 + l, 3));
    }
    h->nlic = x->nlic;
    h->lic_day = x->lic_day;
    int ly, lm, ld;
    time_civil_from_days(x->lic_day, &ly, &lm, &ld);
    int by = ly - 22 - rp(g, 5), bm = 1 + rp(g, 12);
    snprintf(h->birth, sizeof h->birth, "%04d-%02d-%02d", by, bm, 1 + rp(g, days_in_month(by, bm)));
    gen_address(c, x->pref, h->postal, sizeof h->postal, h->address, sizeof h->address);
    return x->holder;
}

static int cmp_notif(const void *a, const void *b)
{
    const notif *x = a, *y = b;
    if (x->filed_at != y->filed_at)
        return x->filed_at < y->filed_at ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

/* Counts of months 0..11 that add up to total exactly (cumulative rounding). */
static void month_counts(int total, const int *w, int *out)
{
    int sum = 0, cum = 0, prev = 0;
    for (int m = 0; m < 12; m++)
        sum += w[m];
    for (int m = 0; m < 12; m++) {
        cum += w[m];
        int upto = (int)(((int64_t)total * cum + sum / 2) / sum);
        out[m] = upto - prev;
        prev = upto;
    }
}

/* The days of month y-m (business days only when business), as day numbers. */
static int month_days(int y, int m, bool business, int64_t *out)
{
    int n = 0;
    for (int d = 1; d <= days_in_month(y, m); d++)
        if (!business || jp_is_business_day(y, m, d))
            out[n++] = time_days_from_civil(y, m, d);
    return n;
}

static int pick_pref(nctx *c)
{
    int r = rp(&c->g, c->nps);
    for (int q = 1; q <= 47; q++)
        if ((r -= c->pref_count[q]) < 0)
            return q;
    return 13;
}

static int64_t pick_counselor(nctx *c, int pref)
{
    return c->cns[pref][rp(&c->g, c->ncns[pref])];
}

/* Online filings come at any hour, most in the evening. */
static const int HOUR_W[24] = {3, 2, 1, 1, 1, 1, 2, 4,  6,  7,  8, 8,
                               9, 8, 7, 7, 7, 8, 9, 10, 11, 11, 9, 5};

/* Filing times, prefectures and channels of every notification, in filing order. */
static int gen_filings(nctx *c)
{
    rng *g = &c->g;
    c->nns = 0;
    for (int fy = 0; fy < NN_YEARS; fy++)
        c->nns += NN_PER_FY[fy];
    c->ns = calloc((size_t)c->nns, sizeof *c->ns);
    if (!c->ns)
        return DB_ERROR;
    int n = 0;
    for (int fy = 0; fy < NN_YEARS; fy++) {
        int counts[12];
        month_counts(NN_PER_FY[fy], NN_MONTH_W, counts);
        /* smartphones gain on PCs year by year: 29/51 % in FY2021 to 41/39 % in FY2025 */
        const int chw[4] = {51 - 3 * fy, 29 + 3 * fy, 8, 12};
        for (int mi = 0; mi < 12; mi++) {
            int y = NN_FY_FIRST + fy + (mi >= 9), m = mi < 9 ? mi + 4 : mi - 8;
            int64_t all[31], biz[31];
            int nall = month_days(y, m, false, all), nbiz = month_days(y, m, true, biz);
            for (int k = 0; k < counts[mi]; k++) {
                notif *x = &c->ns[n];
                x->idx = n++;
                x->pref = pick_pref(c);
                x->channel = (signed char)rw(g, chw, 4);
                int secs;
                int64_t day;
                if (x->channel == CH_PC || x->channel == CH_SP) {
                    day = all[rp(g, nall)];
                    secs = rw(g, HOUR_W, 24) * 3600 + rp(g, 3600);
                } else {
                    day = biz[rp(g, nbiz)];
                    secs = 9 * 3600 + rp(g, (x->channel == CH_CENTER ? 8 : 9) * 3600);
                }
                x->filed_at = t_of(day, secs);
            }
        }
    }
    qsort(c->ns, (size_t)c->nns, sizeof *c->ns, cmp_notif);
    for (int i = 1; i < c->nns; i++) /* filing times are unique: the key to match new ids */
        if (c->ns[i].filed_at <= c->ns[i - 1].filed_at)
            c->ns[i].filed_at = c->ns[i - 1].filed_at + 1;
    return DB_OK;
}

/* A time during office hours of a business day min_days to min_days + spread - 1 days after t
 * (staff work: a paper consent). */
static int64_t staff_time_after(rng *g, int64_t t, int min_days, int spread)
{
    return office_time(g, day_of_t(t) + min_days + rp(g, spread), 8 * 3600);
}

/* Who, what, when for notification x (in filing order). */
static int gen_details(nctx *c, notif *x)
{
    rng *g = &c->g;
    int64_t fday = day_of_t(x->filed_at);
    bool proxy = x->channel == CH_PROXY, online = x->channel == CH_PC || x->channel == CH_SP;
    int kind = rp(g, 1000); /* < 152 a national nurse's account, < 192 a holder filing again */
    static const int R_NEW_W[3] = {800, 110, 90}, R_OLD_W[2] = {880, 120}, R_PROXY_W[2] = {940, 60};
    x->reason = (signed char)(proxy        ? rw(g, R_PROXY_W, 2)
                              : kind < 192 ? rw(g, R_OLD_W, 2)
                                           : rw(g, R_NEW_W, 3));
    int64_t event;
    if (x->reason == R_NOT_AFTER) {
        event = fday - 5 - rp(g, 150);
    } else {
        int r = rp(g, 100);
        int gap = r < 40   ? 1 + rp(g, 14)
                  : r < 75 ? 15 + rp(g, 31)
                  : r < 95 ? 46 + rp(g, 75)
                           : 121 + rp(g, 245);
        event = fday - gap;
        int y, m, d;
        time_civil_from_days(fday, &y, &m, &d);
        if (m == 4 && rp(g, 100) < 45) /* left at the end of the fiscal year */
            event = time_days_from_civil(y, 3, 31);
    }
    date_of(event, x->event_date, sizeof x->event_date);
    x->facility = -1;
    x->wp_prefix = x->wp_kind = -1;
    if (proxy) {
        x->facility = c->fac_first[x->pref] + rp(g, c->fac_count[x->pref]);
        x->lastwp = (signed char)c->fs[x->facility].wp;
    } else if (x->reason != R_NOT_AFTER) {
        static const int WP_W[5] = {55, 15, 8, 15, 7};
        x->lastwp = (signed char)rw(g, WP_W, 5);
        if (rp(g, 100) < 55) {
            x->wp_prefix = (signed char)rp(g, (int)(sizeof WP_PREFIX / sizeof WP_PREFIX[0]));
            x->wp_kind = (signed char)rp(g, 2);
        }
    } else {
        x->lastwp = -1;
    }
    static const int WORK_W[4] = {62, 18, 7, 13}, WORK_NEW_W[4] = {55, 10, 25, 10};
    x->work = (signed char)rw(g, x->reason == R_NOT_AFTER ? WORK_NEW_W : WORK_W, 4);

    /* the holder */
    x->holder = -1;
    if (kind < 152 && x->reason != R_NOT_AFTER) {
        for (int t = 0; t < 8 && x->holder < 0; t++) {
            int i = c->by_pref[c->pref_first[x->pref] + rp(g, c->pref_count[x->pref])];
            if (c->ps[i].lic_day < event - 365)
                x->holder = person_holder(c, i);
        }
    } else if (kind < 192 && x->reason != R_NOT_AFTER && c->nreuse[x->pref] > 0) {
        for (int t = 0; t < 4 && x->holder < 0; t++) {
            int k = c->reuse[x->pref][rp(g, c->nreuse[x->pref])];
            if (c->hs[k].lic_day < event - 365 && c->hs[k].created_at < x->filed_at)
                x->holder = k;
        }
    }
    if (x->holder < 0)
        x->holder = new_holder(c, x->pref, x->reason, event, x->channel);
    if (x->holder < 0)
        return DB_ERROR;
    holder *h = &c->hs[x->holder];
    bool first = h->created_at == 0;
    if (first)
        h->created_at = x->filed_at;
    if (h->person >= 0 && x->filed_at < c->ps[h->person].created_at)
        c->ps[h->person].created_at = x->filed_at; /* the account dates from the filing */

    /* filer, confirmation */
    bool recent = x->filed_at >= c->last_month;
    x->filed_by = x->confirmed_by = 0;
    if (online) {
        if (h->person >= 0 || !first) {
            x->how = 0; /* self: with a session */
            x->confirmed_at = x->filed_at;
        } else {
            x->how = 1; /* link */
            x->confirmed_at = x->filed_at + 300 + rp(g, 2 * DAY);
            x->pending = recent && rp(g, 100) < 4;
        }
    } else if (x->channel == CH_CENTER) {
        x->filed_by = x->confirmed_by = pick_counselor(c, x->pref);
        x->how = 2;
        x->confirmed_at = x->filed_at;
    } else {
        x->filed_by = c->fs[x->facility].admin;
        if (h->has_email && rp(g, 100) < 85) {
            x->how = 1;
            x->confirmed_at = x->filed_at + 3600 + rp(g, 13 * DAY);
        } else {
            x->how = 2;
            x->confirmed_by = pick_counselor(c, x->pref);
            x->confirmed_at = staff_time_after(g, x->filed_at, 3, 28);
        }
        x->pending = recent && rp(g, 100) < (h->has_email ? 40 : 70);
    }
    if (x->confirmed_at >= c->today_end)
        x->pending = true;
    if (x->pending) {
        x->confirmed_at = 0;
        x->confirmed_by = 0;
    } else if (first && x->how == 1) {
        h->verified_at = x->confirmed_at;
    }

    /* a change (変更届) of about 3 % of the active ones */
    x->change = -1;
    int64_t span = c->today_end - 1 - x->confirmed_at;
    if (!x->pending && rp(g, 1000) < 31 && span > 8 * DAY) {
        int64_t lim = span - 7 * DAY < 400 * DAY ? span - 7 * DAY : 400 * DAY;
        x->changed_at = x->confirmed_at + 7 * DAY + (int64_t)(rn(g) % (uint64_t)lim);
        if (c->nchs == c->capchs) {
            int cap = c->capchs ? c->capchs * 2 : 4096;
            change *p = realloc(c->chs, (size_t)cap * sizeof *p);
            if (!p)
                return DB_ERROR;
            c->chs = p, c->capchs = cap;
        }
        change *ch = &c->chs[c->nchs];
        memset(ch, 0, sizeof *ch);
        ch->address_change = rp(g, 100) < 45;
        if (ch->address_change)
            gen_address(c, x->pref, ch->postal, sizeof ch->postal, ch->address, sizeof ch->address);
        else
            gen_phone(g, ch->phone, sizeof ch->phone);
        x->change = c->nchs++;
        if (h->online) {
            x->changed_by = 0;
        } else { /* a paper change form entered by the center */
            x->changed_by = pick_counselor(c, x->pref);
            x->changed_at = office_time(g, day_of_t(x->changed_at), 8 * 3600);
            if (x->changed_at >= c->today_end)
                x->change = -1, c->nchs--;
        }
    }

    /* the first-contact task: open for the last month's filings, else done */
    x->task = !x->pending;
    x->outcome = -1;
    x->task_by = 0;
    x->task_done_at = 0;
    if (x->task && recent) {
        if (rp(g, 100) < 40)
            x->task_by = pick_counselor(c, x->pref);
    } else if (x->task) {
        static const int OUT_W[3] = {78, 14, 8};
        x->outcome = (signed char)rw(g, OUT_W, 3);
        x->note = (signed char)(rp(g, 100) < 70 ? rp(g, 3) : -1);
        x->task_by = pick_counselor(c, x->pref);
        /* most within the deadline (3 business days), some late */
        int64_t cday = day_of_t(x->confirmed_at);
        int late = rp(g, 100) < 12 ? 4 + rp(g, 10) : rp(g, 4);
        int64_t t = office_time(g, cday + late, 8 * 3600 + 1800);
        if (t <= x->confirmed_at)
            t = x->confirmed_at + 600 + rp(g, 3 * 3600);
        x->task_done_at = t < c->today_end ? t : c->today_end - 1;
    }
    return DB_OK;
}

/* ---- National: bodies and inserts ------------------------------------------------------- */

static char *body_text(const nctx *c, const notif *x, const change *ch)
{
    const holder *h = &c->hs[x->holder];
    json_t *b = json_object(), *ho = json_object(), *ls = json_array();
    json_object_set_new(b, "reason", json_string(REASON[(int)x->reason]));
    json_object_set_new(b, "event_date", json_string(x->event_date));
    if (x->lastwp >= 0) {
        json_object_set_new(b, "last_workplace", json_string(LASTWP[(int)x->lastwp]));
        if (x->facility >= 0) {
            json_object_set_new(b, "last_workplace_name", json_string(c->fs[x->facility].name));
        } else if (x->wp_prefix >= 0) {
            char name[128];
            snprintf(name, sizeof name, "%s%s", WP_PREFIX[(int)x->wp_prefix],
                     WP_SUFFIX[(int)x->lastwp][(int)x->wp_kind]);
            json_object_set_new(b, "last_workplace_name", json_string(name));
        }
    }
    json_object_set_new(b, "work_status", json_string(WORK[(int)x->work]));
    bool addr = ch && ch->address_change, phone = ch && !ch->address_change;
    json_object_set_new(ho, "name", json_string(h->name));
    json_object_set_new(ho, "name_kana", json_string(h->kana));
    json_object_set_new(ho, "birth_date", json_string(h->birth));
    json_object_set_new(ho, "postal_code", json_string(addr ? ch->postal : h->postal));
    json_object_set_new(ho, "address_prefecture", json_string(c->pref_code[h->pref]));
    json_object_set_new(ho, "address", json_string(addr ? ch->address : h->address));
    if (phone || h->phone[0])
        json_object_set_new(ho, "phone", json_string(phone ? ch->phone : h->phone));
    if (h->has_email)
        json_object_set_new(ho, "email", json_string(h->email));
    json_object_set_new(b, "holder", ho);
    for (int l = 0; l < h->nlic; l++)
        json_array_append_new(ls, json_pack("{s:s, s:s, s:s}", "type", h->lic[l].type, "number",
                                            h->lic[l].number, "registered_on", h->lic[l].reg));
    json_object_set_new(b, "licences", ls);
    json_object_set_new(b, "center_prefecture", json_string(c->pref_code[x->pref]));
    char *s = json_dumps(b, JSON_COMPACT);
    json_decref(b);
    return s;
}

/* New accounts (RETURNING id, email; the e-mail names the holder), their licences, and for
 * national nurses who filed: the birth date, and the account dated back to the first filing. */
static int insert_holders(nctx *c)
{
    sbatch *b = malloc(sizeof *b);
    int rc = b ? sb_init(c->d, b,
                         "INSERT INTO users (email, email_verified_at, role, name, name_kana, "
                         "phone, prefecture_code, channel, birth_date, created_at, updated_at) "
                         "VALUES ",
                         " RETURNING id, email", 11, USER_SQL, sizeof USER_SQL)
               : DB_ERROR;
    for (int k = 0; rc == DB_OK && k <= c->nhs; k++) {
        db_res *r = NULL;
        if (k == c->nhs) {
            rc = sb_flush(c->d, b, &r);
        } else if (c->hs[k].person < 0) {
            holder *h = &c->hs[k];
            db_val *v = sb_row(b);
            v[0] = DBT(h->email), v[1] = h->verified_at ? DBI(h->verified_at) : DBNULL;
            v[2] = DBT("seeker"), v[3] = DBT(h->name), v[4] = DBT(h->kana);
            v[5] = DBT(h->phone[0] ? h->phone : NULL), v[6] = DBT(c->pref_code[h->pref]);
            v[7] = DBT(h->channel), v[8] = DBT(h->birth), v[9] = DBI(h->created_at);
            v[10] = DBI(h->created_at);
            rc = sb_push(c->d, b, &r);
        }
        for (int i = 0; rc == DB_OK && r && i < r->nrows; i++) {
            int64_t id = db_int(r, i, 0), hk = -1;
            const char *e = db_text(r, i, 1), *at = e ? strchr(e, '@') : NULL;
            char num[16];
            if (at && e[0] == 'n' && at - e - 1 > 0 && at - e - 1 < (ptrdiff_t)sizeof num) {
                memcpy(num, e + 1, (size_t)(at - e - 1));
                num[at - e - 1] = '\0';
                str_to_i64(num, 0, c->nhs - 1, &hk);
            }
            if (hk < 0)
                rc = DB_ERROR;
            else
                c->hs[hk].id = id;
        }
        db_res_free(r);
    }
    if (rc == DB_OK)
        rc = sb_init(c->d, b, "INSERT INTO licences (user_id, type, number, registered_on) VALUES ",
                     "", 4, LIC_SQL, sizeof LIC_SQL);
    for (int k = 0; rc == DB_OK && k < c->nhs; k++) {
        holder *h = &c->hs[k];
        for (int l = 0; h->person < 0 && l < h->nlic && rc == DB_OK; l++) {
            db_val *v = sb_row(b);
            v[0] = DBI(h->id), v[1] = DBT(h->lic[l].type), v[2] = DBT(h->lic[l].number);
            v[3] = DBT(h->lic[l].reg);
            rc = h->id ? sb_push(c->d, b, NULL) : DB_ERROR;
        }
    }
    if (rc == DB_OK)
        rc = sb_flush(c->d, b, NULL);
    free(b);
    for (int k = 0; rc == DB_OK && k < c->nhs; k++) {
        holder *h = &c->hs[k];
        if (h->person < 0)
            continue;
        db_val p[] = {DBT(h->birth), DBI(h->created_at), DBI(h->id)};
        rc = db_query(c->d,
                      "UPDATE users SET birth_date = $1, created_at = CASE WHEN created_at > $2 "
                      "THEN $2 ELSE created_at END WHERE id = $3",
                      p, 3, NULL);
    }
    return rc;
}

static const char *const TASK_HEAD =
    "INSERT INTO tasks (prefecture_code, kind, user_id, notification_id, consultation_id, "
    "due_on, assigned_to, status, outcome, note, done_by, done_at, created_at, updated_at) "
    "VALUES ";

/* One tasks row (text copied into the row's arena). */
static int push_task(db *d, sbatch *tb, const char *pref, const char *kind, int64_t user,
                     int64_t notification, int64_t consultation, const char *due, int64_t assigned,
                     int outcome, const char *note, int64_t done_by, int64_t done_at,
                     int64_t created)
{
    db_val *v = sb_row(tb);
    v[0] = DBT(pref), v[1] = DBT(kind), v[2] = user ? DBI(user) : DBNULL;
    v[3] = notification ? DBI(notification) : DBNULL;
    v[4] = consultation ? DBI(consultation) : DBNULL;
    v[5] = DBT(sb_str(tb, due)), v[6] = assigned ? DBI(assigned) : DBNULL;
    v[7] = DBT(done_at ? "done" : "open"), v[8] = DBT(outcome >= 0 ? OUTCOME[outcome] : NULL);
    v[9] = DBT(note), v[10] = done_by ? DBI(done_by) : DBNULL;
    v[11] = done_at ? DBI(done_at) : DBNULL, v[12] = DBI(created);
    v[13] = DBI(done_at ? done_at : created);
    return sb_push(d, tb, NULL);
}

/* The versions rows and the task of notification x, whose id is known. */
static int after_notif(nctx *c, sbatch *vb, sbatch *tb, notif *x, char *b1, char *b2)
{
    holder *h = &c->hs[x->holder];
    db_val *v = sb_row(vb);
    v[0] = DBI(x->id), v[1] = DBI(1), v[2] = DBT(b1), v[3] = DBI(x->filed_by ? x->filed_by : h->id);
    v[4] = DBI(x->filed_at);
    sb_own(vb, b1);
    int rc = sb_push(c->d, vb, NULL);
    if (rc == DB_OK && b2) {
        v = sb_row(vb);
        v[0] = DBI(x->id), v[1] = DBI(2), v[2] = DBT(b2);
        v[3] = DBI(x->changed_by ? x->changed_by : h->id), v[4] = DBI(x->changed_at);
        sb_own(vb, b2);
        rc = sb_push(c->d, vb, NULL);
    } else {
        free(b2);
    }
    if (rc == DB_OK && x->task) {
        char today[11], due[11];
        date_of(day_of_t(x->confirmed_at), today, sizeof today);
        if (jp_add_business_days(today, NN_CONTACT_DAYS, due, sizeof due) != 0)
            return DB_ERROR;
        bool done = x->task_done_at != 0;
        rc = push_task(c->d, tb, c->pref_code[x->pref], "notification", h->id, x->id, 0, due,
                       x->task_by, x->outcome,
                       done && x->note >= 0 ? TASK_NOTE[(int)x->outcome][(int)x->note] : NULL,
                       done ? x->task_by : 0, x->task_done_at, x->confirmed_at);
    }
    return rc;
}

static int insert_notifications(nctx *c)
{
    sbatch *nb = malloc(sizeof *nb), *vb = malloc(sizeof *vb), *tb = malloc(sizeof *tb);
    int rc = nb && vb && tb ? DB_OK : DB_ERROR;
    if (rc == DB_OK)
        rc = sb_init(c->d, nb,
                     "INSERT INTO notifications (user_id, prefecture_code, channel, facility_id, "
                     "status, reason, event_date, work_status, name, name_kana, birth_date, body, "
                     "version, filed_by, filed_at, confirmed_at, confirmed_how, confirmed_by, "
                     "updated_at) VALUES ",
                     " RETURNING id, filed_at", 19, NOTIF_SQL, sizeof NOTIF_SQL);
    if (rc == DB_OK)
        rc = sb_init(c->d, vb,
                     "INSERT INTO notification_versions (notification_id, version, body, "
                     "changed_by, changed_at) VALUES ",
                     "", 5, VERSION_SQL, sizeof VERSION_SQL);
    if (rc == DB_OK)
        rc = sb_init(c->d, tb, TASK_HEAD, "", 14, TASK_SQL, sizeof TASK_SQL);
    static const char *const HOW[] = {"self", "link", "paper"};
    int pend[SB_ROWS], npend = 0;
    char *bodies[SB_ROWS][2];
    for (int i = 0; rc == DB_OK && i <= c->nns; i++) {
        db_res *r = NULL;
        if (i == c->nns) {
            rc = sb_flush(c->d, nb, &r);
        } else {
            notif *x = &c->ns[i];
            holder *h = &c->hs[x->holder];
            const change *ch = x->change >= 0 ? &c->chs[x->change] : NULL;
            char *b1 = body_text(c, x, NULL), *b2 = ch ? body_text(c, x, ch) : NULL;
            if (!b1 || (ch && !b2) || !h->id) {
                free(b1);
                free(b2);
                rc = DB_ERROR;
                break;
            }
            bodies[npend][0] = b1, bodies[npend][1] = b2;
            pend[npend++] = i;
            db_val *v = sb_row(nb);
            v[0] = DBI(h->id), v[1] = DBT(c->pref_code[x->pref]),
            v[2] = DBT(CHANNEL[(int)x->channel]);
            v[3] = x->facility >= 0 ? DBI(c->fs[x->facility].id) : DBNULL;
            v[4] = DBT(x->pending ? "pending_confirmation" : "active");
            v[5] = DBT(REASON[(int)x->reason]), v[6] = DBT(x->event_date);
            v[7] = DBT(WORK[(int)x->work]), v[8] = DBT(h->name), v[9] = DBT(h->kana);
            v[10] = DBT(h->birth), v[11] = DBT(b2 ? b2 : b1), v[12] = DBI(b2 ? 2 : 1);
            v[13] = DBI(x->filed_by ? x->filed_by : h->id), v[14] = DBI(x->filed_at);
            v[15] = x->pending ? DBNULL : DBI(x->confirmed_at);
            v[16] = DBT(x->pending ? NULL : HOW[(int)x->how]);
            v[17] = x->pending ? DBNULL : DBI(x->confirmed_by ? x->confirmed_by : h->id);
            int64_t upd = x->pending ? x->filed_at : x->confirmed_at;
            v[18] = DBI(b2 && x->changed_at > upd ? x->changed_at : upd);
            rc = sb_push(c->d, nb, &r);
        }
        if (!r)
            continue;
        /* the returned ids, matched by filing time (unique) */
        for (int k = 0; rc == DB_OK && k < r->nrows; k++) {
            int64_t at = db_int(r, k, 1);
            for (int j = 0; j < npend; j++)
                if (c->ns[pend[j]].filed_at == at)
                    c->ns[pend[j]].id = db_int(r, k, 0);
        }
        for (int j = 0; j < npend; j++) {
            notif *x = &c->ns[pend[j]];
            if (rc == DB_OK && !x->id)
                rc = DB_ERROR;
            if (rc == DB_OK)
                rc = after_notif(c, vb, tb, x, bodies[j][0], bodies[j][1]);
            else
                free(bodies[j][0]), free(bodies[j][1]);
        }
        npend = 0;
        db_res_free(r);
    }
    for (int j = 0; j < npend; j++) /* left over after an error */
        free(bodies[j][0]), free(bodies[j][1]);
    if (rc == DB_OK)
        rc = sb_flush(c->d, vb, NULL);
    if (rc == DB_OK)
        rc = sb_flush(c->d, tb, NULL);
    free(nb);
    free(vb);
    free(tb);
    return rc;
}

/* ---- National: consultations ----------------------------------------------------------- */

static int cmp_consult(const void *a, const void *b)
{
    const consult *x = a, *y = b;
    if (x->created_at != y->created_at)
        return x->created_at < y->created_at ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id); /* id holds the generation order here */
}

/* A nurse of prefecture pref whose account existed at t: a national nurse or a holder. */
static int pick_nurse(nctx *c, int pref, int64_t t)
{
    rng *g = &c->g;
    for (int tries = 0; tries < 40; tries++) {
        if (rp(g, 100) < 60) {
            int i = c->by_pref[c->pref_first[pref] + rp(g, c->pref_count[pref])];
            if (c->ps[i].created_at <= t)
                return i;
        } else if (c->nreuse[pref] > 0) {
            int k = c->reuse[pref][rp(g, c->nreuse[pref])];
            if (c->hs[k].created_at <= t)
                return -(k + 1);
        }
    }
    return INT32_MIN;
}

static int gen_consultations(nctx *c)
{
    rng *g = &c->g;
    c->ncs = SEED_NOTIFY_CONSULTATIONS;
    c->cs = calloc((size_t)c->ncs, sizeof *c->cs);
    if (!c->cs)
        return DB_ERROR;
    int counts[12], n = 0;
    month_counts(c->ncs, NC_MONTH_W, counts);
    static const int KIND_W[3] = {72, 17, 11};
    static const int CH_NURSE[5] = {28, 42, 10, 9, 11}, CH_FAC[5] = {20, 60, 15, 5, 0},
                     CH_OTHER[5] = {15, 55, 15, 0, 15};
    static const int CAT_NURSE[7] = {42, 16, 9, 10, 7, 11, 5};
    for (int mi = 0; mi < 12; mi++) {
        int y = NC_FY + (mi >= 9), m = mi < 9 ? mi + 4 : mi - 8;
        int64_t biz[31];
        int nbiz = month_days(y, m, true, biz);
        for (int k = 0; k < counts[mi]; k++) {
            consult *x = &c->cs[n];
            x->id = n++;
            x->pref = pick_pref(c);
            int64_t day = biz[rp(g, nbiz)];
            x->created_at = t_of(day, 9 * 3600 + rp(g, 8 * 3600 + 1800));
            date_of(day, x->date, sizeof x->date);
            x->kind = rw(g, KIND_W, 3);
            x->outreach = -1;
            x->sens = -1;
            x->fu_note = -1;
            if (x->kind == 0) {
                x->client = pick_nurse(c, x->pref, x->created_at);
                if (x->client == INT32_MIN)
                    x->kind = 2;
            }
            if (x->kind == 0) {
                x->channel = rw(g, CH_NURSE, 5);
                x->category = rw(g, CAT_NURSE, 7);
                x->text = rp(g, 3);
                if (x->category == CAT_MENTAL)
                    x->sens = rp(g, (int)(sizeof SENSITIVE / sizeof SENSITIVE[0]));
            } else if (x->kind == 1) {
                int f = c->fac_first[x->pref] + rp(g, c->fac_count[x->pref]);
                x->facility_id = c->fs[f].id;
                x->channel = rw(g, CH_FAC, 5);
                static const int FCAT[4] = {CAT_EMPLOYMENT, CAT_CONDITIONS, CAT_WORKPLACE,
                                            CAT_OTHER};
                static const int FCAT_W[4] = {55, 20, 10, 15};
                int t = rw(g, FCAT_W, 4);
                x->category = FCAT[t];
                x->text = t * 2 + rp(g, 2);
            } else {
                x->channel = rw(g, CH_OTHER, 5);
                x->client_name = OTHER_CLIENT[rp(g, 5)];
                static const int OCAT[4] = {CAT_CAREER, CAT_RETURN, CAT_EMPLOYMENT, CAT_OTHER};
                static const int OCAT_W[4] = {40, 20, 20, 20};
                x->category = OCAT[rw(g, OCAT_W, 4)];
                x->text = rp(g, 4);
            }
            if (x->channel == CC_OUTREACH)
                x->outreach = rp(g, 100) < 70 ? 0 : 1;
            /* mental-health notes are written by the counselor holding the grant */
            x->counselor = x->sens >= 0 ? c->grantee[x->pref] : pick_counselor(c, x->pref);
            if (rp(g, 100) < 8) {
                int64_t fu = day + 7 + rp(g, 24);
                date_of(fu, x->fu_date, sizeof x->fu_date);
                x->fu_note = rp(g, 4);
                if (fu < c->today_day) {
                    x->fu_done_at = office_time(g, fu, 8 * 3600);
                    if (x->fu_done_at >= c->today_end)
                        x->fu_done_at = c->today_end - 1;
                    x->fu_outcome = rp(g, 100) < 85 ? 0 : 1;
                }
            }
        }
    }
    qsort(c->cs, (size_t)c->ncs, sizeof *c->cs, cmp_consult);
    for (int i = 1; i < c->ncs; i++)
        if (c->cs[i].created_at <= c->cs[i - 1].created_at)
            c->cs[i].created_at = c->cs[i - 1].created_at + 1;
    for (int i = 0; i < c->ncs; i++)
        c->cs[i].id = 0;
    return DB_OK;
}

static const char *consult_summary(const consult *x)
{
    return x->kind == 0   ? SUM_NURSE[x->category][x->text]
           : x->kind == 1 ? SUM_FACILITY[x->text / 2][x->text % 2]
                          : SUM_OTHER[x->text];
}

static int64_t client_id(const nctx *c, const consult *x)
{
    if (x->kind != 0)
        return 0;
    return x->client >= 0 ? c->ps[x->client].id : c->hs[-x->client - 1].id;
}

static int insert_consultations(nctx *c)
{
    sbatch *b = malloc(sizeof *b), *sb = malloc(sizeof *sb), *tb = malloc(sizeof *tb);
    int rc = b && sb && tb ? DB_OK : DB_ERROR;
    if (rc == DB_OK)
        rc = sb_init(c->d, b,
                     "INSERT INTO consultations (prefecture_code, counselor_id, client_kind, "
                     "user_id, facility_id, client_name, channel, outreach_place, category, "
                     "consulted_on, summary, has_sensitive, follow_up_on, follow_up_note, "
                     "created_at, updated_at) VALUES ",
                     " RETURNING id, created_at", 16, CONSULT_SQL, sizeof CONSULT_SQL);
    if (rc == DB_OK)
        rc = sb_init(c->d, sb,
                     "INSERT INTO consultation_sensitive (consultation_id, note, written_by, "
                     "written_at) VALUES ",
                     "", 4, SENSITIVE_SQL, sizeof SENSITIVE_SQL);
    if (rc == DB_OK)
        rc = sb_init(c->d, tb, TASK_HEAD, "", 14, TASK_SQL, sizeof TASK_SQL);
    static const char *const KIND[] = {"nurse", "facility", "other"};
    int pend[SB_ROWS], npend = 0;
    for (int i = 0; rc == DB_OK && i <= c->ncs; i++) {
        db_res *r = NULL;
        if (i == c->ncs) {
            rc = sb_flush(c->d, b, &r);
        } else {
            consult *x = &c->cs[i];
            int64_t uid = client_id(c, x);
            pend[npend++] = i;
            db_val *v = sb_row(b);
            v[0] = DBT(c->pref_code[x->pref]), v[1] = DBI(x->counselor), v[2] = DBT(KIND[x->kind]);
            v[3] = uid ? DBI(uid) : DBNULL, v[4] = x->facility_id ? DBI(x->facility_id) : DBNULL;
            v[5] = DBT(x->client_name), v[6] = DBT(CCHANNEL[x->channel]);
            v[7] = DBT(x->outreach >= 0 ? OUTREACH[x->outreach] : NULL);
            v[8] = DBT(CATEGORY[x->category]), v[9] = DBT(x->date), v[10] = DBT(consult_summary(x));
            v[11] = DBI(x->sens >= 0 ? 1 : 0), v[12] = DBT(x->fu_date[0] ? x->fu_date : NULL);
            v[13] = DBT(x->fu_note >= 0 ? FOLLOW_NOTE[x->fu_note] : NULL);
            v[14] = DBI(x->created_at), v[15] = DBI(x->created_at);
            rc = (x->kind != 0 || uid) ? sb_push(c->d, b, &r) : DB_ERROR;
        }
        if (!r)
            continue;
        for (int k = 0; rc == DB_OK && k < r->nrows; k++) {
            int64_t at = db_int(r, k, 1);
            for (int j = 0; j < npend; j++)
                if (c->cs[pend[j]].created_at == at)
                    c->cs[pend[j]].id = db_int(r, k, 0);
        }
        for (int j = 0; rc == DB_OK && j < npend; j++) {
            consult *x = &c->cs[pend[j]];
            if (!x->id) {
                rc = DB_ERROR;
                break;
            }
            if (x->sens >= 0) {
                db_val *v = sb_row(sb);
                v[0] = DBI(x->id), v[1] = DBT(SENSITIVE[x->sens]), v[2] = DBI(x->counselor);
                v[3] = DBI(x->created_at);
                rc = sb_push(c->d, sb, NULL);
            }
            if (rc == DB_OK && x->fu_date[0])
                rc =
                    push_task(c->d, tb, c->pref_code[x->pref], "follow_up", client_id(c, x), 0,
                              x->id, x->fu_date, x->counselor, x->fu_done_at ? x->fu_outcome : -1,
                              NULL, x->fu_done_at ? x->counselor : 0, x->fu_done_at, x->created_at);
        }
        npend = 0;
        db_res_free(r);
    }
    if (rc == DB_OK)
        rc = sb_flush(c->d, sb, NULL);
    if (rc == DB_OK)
        rc = sb_flush(c->d, tb, NULL);
    free(b);
    free(sb);
    free(tb);
    return rc;
}

/* The mental_health grant of the first national counselor of each prefecture, given by the
 * prefecture's center admin at the start of FY2025. */
static int insert_grants(nctx *c)
{
    int rc = DB_OK;
    int64_t at = t_of(time_days_from_civil(NC_FY, 4, 1), 9 * 3600);
    for (int q = 1; q <= 47 && rc == DB_OK; q++) {
        db_val p[] = {DBI(c->grantee[q]), DBI(c->admin[q]), DBI(at)};
        rc = db_query(c->d,
                      "INSERT INTO staff_grants (user_id, grant_name, granted_by, granted_at) "
                      "VALUES ($1, 'mental_health', $2, $3)",
                      p, 3, NULL);
    }
    return rc;
}

int seed_national_notifications(db *d, int64_t nurse_first, int64_t nurse_last, uint64_t seed)
{
    if (!codes_known()) {
        fprintf(stderr, "nccs: seed notifications: a code list of domain/casework.c changed\n");
        return DB_ERROR;
    }
    nctx *c = calloc(1, sizeof *c);
    if (!c)
        return DB_ERROR;
    c->d = d;
    c->g.s = seed;
    c->nurse_first = nurse_first, c->nurse_last = nurse_last;
    c->today_day = day_of(NN_TODAY);
    c->today_end = t_of(c->today_day + 1, 0);
    c->last_month = t_of(day_of(NN_LAST_MONTH), 0);
    for (int q = 1; q <= 47; q++)
        snprintf(c->pref_code[q], sizeof c->pref_code[q], "%02d", q);
    /* SQLite: a 128 MiB page cache for the rest of the seed's one transaction (the default
     * 2 MiB spills the ~300 MB written here to the WAL and reads it back: ~30 % slower) */
    int rc = db_kind(d) == DB_SQLITE ? db_exec_script(d, "PRAGMA cache_size = -131072") : DB_OK;
    if (rc == DB_OK)
        rc = load(c);
    if (rc == DB_OK)
        rc = gen_filings(c);
    for (int i = 0; rc == DB_OK && i < c->nns; i++)
        rc = gen_details(c, &c->ns[i]);
    if (rc == DB_OK)
        rc = gen_consultations(c);
    if (rc == DB_OK)
        rc = insert_holders(c);
    if (rc == DB_OK)
        rc = insert_notifications(c);
    if (rc == DB_OK)
        rc = insert_grants(c);
    if (rc == DB_OK)
        rc = insert_consultations(c);
    db_res_free(c->pr);
    db_res_free(c->lr);
    db_res_free(c->fr);
    db_res_free(c->mr);
    for (int q = 0; q < 48; q++)
        free(c->reuse[q]);
    free(c->ps);
    free(c->by_pref);
    free(c->fs);
    free(c->hs);
    free(c->ns);
    free(c->chs);
    free(c->cs);
    free(c);
    return rc;
}

/* ---- Demo --------------------------------------------------------------------------------- */

static int user_id(db *d, const char *email, int64_t *id)
{
    db_val p[] = {DBT(email)};
    *id = 0;
    int rc = db_scalar(d, "SELECT id FROM users WHERE email = $1", p, 1, id);
    return rc == DB_OK && !*id ? DB_ERROR : rc;
}

/* A notification with its versions rows; body2 (may be NULL) is version 2 at changed_at. */
typedef struct {
    int64_t user, facility, filed_by, filed_at, confirmed_at, confirmed_by, changed_by, changed_at;
    const char *channel, *status, *how, *body1, *body2;
} demo_notif;

static int demo_insert(db *d, const demo_notif *n, int64_t *id)
{
    json_error_t err;
    json_t *b = json_loads(n->body2 ? n->body2 : n->body1, 0, &err);
    json_t *h = b ? json_object_get(b, "holder") : NULL;
    if (!h) {
        json_decref(b);
        return DB_ERROR;
    }
    db_val p[] = {DBI(n->user),
                  DBT(json_string_value(json_object_get(b, "center_prefecture"))),
                  DBT(n->channel),
                  n->facility ? DBI(n->facility) : DBNULL,
                  DBT(n->status),
                  DBT(json_string_value(json_object_get(b, "reason"))),
                  DBT(json_string_value(json_object_get(b, "event_date"))),
                  DBT(json_string_value(json_object_get(b, "work_status"))),
                  DBT(json_string_value(json_object_get(h, "name"))),
                  DBT(json_string_value(json_object_get(h, "name_kana"))),
                  DBT(json_string_value(json_object_get(h, "birth_date"))),
                  DBT(n->body2 ? n->body2 : n->body1),
                  DBI(n->body2 ? 2 : 1),
                  DBI(n->filed_by),
                  DBI(n->filed_at),
                  n->confirmed_at ? DBI(n->confirmed_at) : DBNULL,
                  DBT(n->how),
                  n->confirmed_by ? DBI(n->confirmed_by) : DBNULL,
                  DBI(n->body2          ? n->changed_at
                      : n->confirmed_at ? n->confirmed_at
                                        : n->filed_at)};
    int rc = db_scalar(d,
                       "INSERT INTO notifications (user_id, prefecture_code, channel, "
                       "facility_id, status, reason, event_date, work_status, name, name_kana, "
                       "birth_date, body, version, filed_by, filed_at, confirmed_at, "
                       "confirmed_how, confirmed_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, "
                       "$7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id",
                       p, 19, id);
    json_decref(b);
    for (int v = 1; rc == DB_OK && v <= (n->body2 ? 2 : 1); v++) {
        db_val q[] = {DBI(*id), DBI(v), DBT(v == 1 ? n->body1 : n->body2),
                      DBI(v == 1 ? n->filed_by : n->changed_by),
                      DBI(v == 1 ? n->filed_at : n->changed_at)};
        rc = db_query(d,
                      "INSERT INTO notification_versions (notification_id, version, body, "
                      "changed_by, changed_at) VALUES ($1, $2, $3, $4, $5)",
                      q, 5, NULL);
    }
    return rc;
}

static int demo_task(db *d, const char *kind, int64_t user, int64_t notification, const char *due,
                     int64_t assigned, const char *outcome, const char *note, int64_t done_at,
                     int64_t created)
{
    db_val p[] = {DBT("13"),
                  DBT(kind),
                  DBI(user),
                  DBI(notification),
                  DBT(due),
                  assigned ? DBI(assigned) : DBNULL,
                  DBT(done_at ? "done" : "open"),
                  DBT(outcome),
                  DBT(note),
                  done_at ? DBI(assigned) : DBNULL,
                  done_at ? DBI(done_at) : DBNULL,
                  DBI(created),
                  DBI(done_at ? done_at : created)};
    return db_query(d,
                    "INSERT INTO tasks (prefecture_code, kind, user_id, notification_id, due_on, "
                    "assigned_to, status, outcome, note, done_by, done_at, created_at, "
                    "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                    p, 13, NULL);
}

static int demo_consultation(db *d, int64_t counselor, int64_t nurse, const char *channel,
                             const char *category, const char *on, const char *summary,
                             const char *sensitive, int64_t at)
{
    db_val p[] = {DBI(counselor), DBI(nurse),   DBT(channel),           DBT(category),
                  DBT(on),        DBT(summary), DBI(sensitive ? 1 : 0), DBI(at)};
    int64_t id = 0;
    int rc = db_scalar(d,
                       "INSERT INTO consultations (prefecture_code, counselor_id, client_kind, "
                       "user_id, channel, category, consulted_on, summary, has_sensitive, "
                       "created_at, updated_at) VALUES ('13', $1, 'nurse', $2, $3, $4, $5, $6, "
                       "$7, $8, $8) RETURNING id",
                       p, 8, &id);
    if (rc == DB_OK && sensitive) {
        db_val q[] = {DBI(id), DBT(sensitive), DBI(counselor), DBI(at)};
        rc = db_query(d,
                      "INSERT INTO consultation_sensitive (consultation_id, note, written_by, "
                      "written_at) VALUES ($1, $2, $3, $4)",
                      q, 4, NULL);
    }
    return rc;
}

/* A NotificationBody as JSON text (malloc'd). licences: the holder's licences rows. */
static char *demo_body(const char *reason, const char *event, const char *wp, const char *wp_name,
                       const char *name, const char *kana, const char *birth, const char *postal,
                       const char *address, const char *phone, const char *email, const db_res *lic)
{
    json_t *b = json_object(), *h = json_object(), *ls = json_array();
    json_object_set_new(b, "reason", json_string(reason));
    json_object_set_new(b, "event_date", json_string(event));
    json_object_set_new(b, "last_workplace", json_string(wp));
    json_object_set_new(b, "last_workplace_name", json_string(wp_name));
    json_object_set_new(b, "work_status", json_string("not_working"));
    json_object_set_new(h, "name", json_string(name));
    json_object_set_new(h, "name_kana", json_string(kana));
    json_object_set_new(h, "birth_date", json_string(birth));
    json_object_set_new(h, "postal_code", json_string(postal));
    json_object_set_new(h, "address_prefecture", json_string("13"));
    json_object_set_new(h, "address", json_string(address));
    if (phone)
        json_object_set_new(h, "phone", json_string(phone));
    if (email)
        json_object_set_new(h, "email", json_string(email));
    json_object_set_new(b, "holder", h);
    for (int i = 0; i < lic->nrows; i++)
        json_array_append_new(ls,
                              json_pack("{s:s, s:s, s:s}", "type", db_text(lic, i, 0), "number",
                                        db_text(lic, i, 1), "registered_on", db_text(lic, i, 2)));
    json_object_set_new(b, "licences", ls);
    json_object_set_new(b, "center_prefecture", json_string("13"));
    char *s = json_dumps(b, JSON_COMPACT);
    json_decref(b);
    return s;
}

/* A holder account without password (role seeker), with its licence. */
static int demo_holder(db *d, const char *email, const char *name, const char *kana,
                       const char *phone, const char *channel, const char *birth,
                       const char *lic_type, const char *lic_no, const char *lic_on,
                       int64_t created, int64_t *id)
{
    db_val p[] = {DBT(email),   DBT(name),  DBT(kana),   DBT(phone),
                  DBT(channel), DBT(birth), DBI(created)};
    int rc = db_scalar(d,
                       "INSERT INTO users (email, role, name, name_kana, phone, prefecture_code, "
                       "channel, birth_date, created_at, updated_at) VALUES ($1, 'seeker', $2, "
                       "$3, $4, '13', $5, $6, $7, $7) RETURNING id",
                       p, 7, id);
    if (rc == DB_OK) {
        db_val q[] = {DBI(*id), DBT(lic_type), DBT(lic_no), DBT(lic_on)};
        rc = db_query(d,
                      "INSERT INTO licences (user_id, type, number, registered_on) "
                      "VALUES ($1, $2, $3, $4)",
                      q, 4, NULL);
    }
    return rc;
}

#define DEMO_BIRTH "1992-06-15"

int seed_demo_notifications(db *d, int64_t now)
{
    int64_t admin, counselor, nurse, fac_user, paper, proxy;
    int rc = user_id(d, "admin13@example.jp", &admin);
    if (rc == DB_OK)
        rc = user_id(d, "counselor13@example.jp", &counselor);
    if (rc == DB_OK)
        rc = user_id(d, "nurse13@example.jp", &nurse);
    if (rc == DB_OK)
        rc = user_id(d, "facility13@example.jp", &fac_user);
    if (rc != DB_OK)
        return rc;
    int64_t today = day_of_t(now);
    char date[11], event[11];

    /* counselor13 may read and write mental-health notes */
    db_val g[] = {DBI(counselor), DBI(admin), DBI(now)};
    rc = db_query(d,
                  "INSERT INTO staff_grants (user_id, grant_name, granted_by, granted_at) "
                  "VALUES ($1, 'mental_health', $2, $3)",
                  g, 3, NULL);

    /* nurse13: filed online 10 days ago (active at once), changed the phone number 2 days later;
     * the first-contact task is done */
    db_res *lic = NULL;
    db_val pn[] = {DBI(nurse)};
    if (rc == DB_OK)
        rc = db_query(d,
                      "SELECT type, number, registered_on FROM licences WHERE user_id = $1 "
                      "ORDER BY id",
                      pn, 1, &lic);
    if (rc == DB_OK)
        rc = db_query(d, "UPDATE users SET birth_date = '" DEMO_BIRTH "' WHERE id = $1", pn, 1,
                      NULL);
    int64_t filed = t_of(today - 10, 20 * 3600 + 15 * 60), changed = filed + 2 * DAY;
    date_of(today - 31, event, sizeof event);
    char *b1 = NULL, *b2 = NULL;
    if (rc == DB_OK) {
        b1 = demo_body("left_job", event, "hospital", "城南記念病院", "看護 花子", "カンゴ ハナコ",
                       DEMO_BIRTH, "160-0023", "新宿区西新宿2-8-1", "090-1234-5678",
                       "nurse13@example.jp", lic);
        b2 = demo_body("left_job", event, "hospital", "城南記念病院", "看護 花子", "カンゴ ハナコ",
                       DEMO_BIRTH, "160-0023", "新宿区西新宿2-8-1", "080-2468-1357",
                       "nurse13@example.jp", lic);
        if (!b1 || !b2)
            rc = DB_ERROR;
    }
    int64_t nid = 0;
    if (rc == DB_OK) {
        demo_notif n = {.user = nurse,
                        .filed_by = nurse,
                        .filed_at = filed,
                        .confirmed_at = filed,
                        .confirmed_by = nurse,
                        .changed_by = nurse,
                        .changed_at = changed,
                        .channel = "pc",
                        .status = "active",
                        .how = "self",
                        .body1 = b1,
                        .body2 = b2};
        rc = demo_insert(d, &n, &nid);
    }
    char due[11];
    date_of(today - 10, date, sizeof date);
    int64_t done = t_of(next_bday(today - 9), 10 * 3600);
    if (done >= now)
        done = now - 60;
    if (rc == DB_OK && jp_add_business_days(date, NN_CONTACT_DAYS, due, sizeof due) != 0)
        rc = DB_ERROR;
    if (rc == DB_OK)
        rc = demo_task(d, "notification", nurse, nid, due, counselor, "contacted",
                       "電話で連絡。求職登録済みで、日勤の求人を探しているとのこと。", done, filed);
    free(b1);
    free(b2);
    b1 = b2 = NULL;

    /* the same nurse on a paper form at the counter, without e-mail: a second record with the
     * same licence, name and birth date (a duplicate candidate); its task is due today (filed
     * NN_CONTACT_DAYS business days before today, when there is such a day) */
    int64_t pday = today - 3;
    for (int64_t k = today - 1; k >= today - 10; k--) {
        char from[11], to[11], t[11];
        date_of(k, from, sizeof from);
        date_of(today, t, sizeof t);
        if (bday(k) && jp_add_business_days(from, NN_CONTACT_DAYS, to, sizeof to) == 0 &&
            !strcmp(to, t)) {
            pday = k;
            break;
        }
    }
    int64_t pfiled = t_of(pday, 14 * 3600 + 20 * 60);
    int kl = -1; /* nurse13's 看護師 licence */
    for (int i = 0; rc == DB_OK && i < lic->nrows; i++)
        if (kl < 0 && !strcmp(db_text(lic, i, 0), "kangoshi"))
            kl = i;
    if (rc == DB_OK && kl < 0)
        rc = DB_ERROR;
    if (rc == DB_OK)
        rc = demo_holder(d, "paper13@center.invalid", "看護 花子", "カンゴ ハナコ", "03-3312-4455",
                         "center", DEMO_BIRTH, "kangoshi", db_text(lic, kl, 1), db_text(lic, kl, 2),
                         pfiled, &paper);
    db_res *plic = NULL;
    db_val pp[] = {DBI(paper)};
    if (rc == DB_OK)
        rc = db_query(d,
                      "SELECT type, number, registered_on FROM licences WHERE user_id = $1 "
                      "ORDER BY id",
                      pp, 1, &plic);
    if (rc == DB_OK) {
        b1 = demo_body("left_job", event, "hospital", "城南記念病院", "看護 花子", "カンゴ ハナコ",
                       DEMO_BIRTH, "166-0004", "杉並区阿佐谷南1-15-1", "03-3312-4455", NULL, plic);
        rc = b1 ? DB_OK : DB_ERROR;
    }
    if (rc == DB_OK) {
        demo_notif n = {.user = paper,
                        .filed_by = counselor,
                        .filed_at = pfiled,
                        .confirmed_at = pfiled,
                        .confirmed_by = counselor,
                        .channel = "center",
                        .status = "active",
                        .how = "paper",
                        .body1 = b1};
        rc = demo_insert(d, &n, &nid);
    }
    date_of(today, date, sizeof date);
    if (rc == DB_OK)
        rc = demo_task(d, "notification", paper, nid, date, 0, NULL, NULL, 0, pfiled);
    free(b1);
    b1 = NULL;
    db_res_free(plic);
    plic = NULL;

    /* a proxy filing by facility13's facility, waiting for the nurse's confirmation (no task
     * yet: tasks open when a notification becomes active) */
    int64_t fid = 0, xfiled = t_of(today - 2, 11 * 3600);
    db_val pf[] = {DBI(fac_user)};
    if (rc == DB_OK)
        rc = db_scalar(d, "SELECT facility_id FROM users WHERE id = $1", pf, 1, &fid);
    if (rc == DB_OK)
        rc = demo_holder(d, "proxy13@example.jp", "山本 由美", "ヤマモト ユミ", "090-8765-4321",
                         "notification", "1988-09-12", "kangoshi", "2345678", "2010-05-10", xfiled,
                         &proxy);
    db_val px[] = {DBI(proxy)};
    if (rc == DB_OK)
        rc = db_query(d,
                      "SELECT type, number, registered_on FROM licences WHERE user_id = $1 "
                      "ORDER BY id",
                      px, 1, &plic);
    date_of(today - 12, event, sizeof event);
    if (rc == DB_OK) {
        b1 = demo_body("left_job", event, "hospital", "東京中央総合病院", "山本 由美",
                       "ヤマモト ユミ", "1988-09-12", "135-0016", "江東区東陽3-2-1",
                       "090-8765-4321", "proxy13@example.jp", plic);
        rc = b1 ? DB_OK : DB_ERROR;
    }
    if (rc == DB_OK) {
        demo_notif n = {.user = proxy,
                        .facility = fid,
                        .filed_by = fac_user,
                        .filed_at = xfiled,
                        .channel = "proxy",
                        .status = "pending_confirmation",
                        .body1 = b1};
        rc = demo_insert(d, &n, &nid);
    }
    free(b1);
    db_res_free(plic);
    db_res_free(lic);

    /* two consultations of nurse13 by counselor13; the second's note is sensitive */
    date_of(today - 5, date, sizeof date);
    if (rc == DB_OK)
        rc = demo_consultation(d, counselor, nurse, "phone", "employment", date,
                               "日勤のみの外来の求人について電話で相談。希望条件を確認し、求人検索"
                               "と紹介依頼の方法を案内した。",
                               NULL, t_of(today - 5, 10 * 3600 + 30 * 60));
    date_of(today - 3, date, sizeof date);
    if (rc == DB_OK)
        rc = demo_consultation(
            d, counselor, nurse, "visit", "mental_health", date,
            "心身の健康面について来所相談（内容は要配慮個人情報として別に記録）。無理のない働き方を"
            "一緒に検討した。",
            "前職の夜勤で不眠が続き、心療内科に通院中。主治医からは日勤のみなら就業可との意見。",
            t_of(today - 3, 15 * 3600));
    return rc;
}
