/* `nccs seed --scale demo|national [--seed N]`: deterministic, realistic Japanese data.
 * demo: the fixed demo accounts of docs/API.md plus a few dozen nurses; national: the same plus
 * staff for all 47 centers, 31,444 approved facilities with an admin login each, 158,602
 * published offers over them and 67,710 nurses with job-seeker profiles, spread over
 * prefectures roughly by population, and a fiscal year (FY2025) of applications: 18,828
 * applicants, 10,666 placements (seed_apps.c).
 * All seeded accounts share one argon2id hash of the demo password (computed once), which is
 * acceptable for demo data only. Seeding an already seeded database does nothing. */
#include "cli/cli.h"
#include "cli/seed_apps.h"
#include "cli/seed_batch.h"
#include "cli/seed_demo_apps.h"
#include "cli/seed_notify.h"
#include "domain/codes.h"
#include "domain/offer.h"
#include "store/accounts.h"
#include "store/facilities.h"
#include "store/offers.h"
#include "store/seekers.h"
#include "util/buf.h"
#include "util/crypto.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEMO_PASSWORD "demo-pass-2026"

static uint64_t rng_state;
static uint64_t rnd(void)
{
    /* splitmix64: small, deterministic for a given --seed */
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
static int pick(int n)
{
    return (int)(rnd() % (uint64_t)n);
}

static const char *const FAMILY[][2] = {
    {"佐藤", "サトウ"},   {"鈴木", "スズキ"},   {"高橋", "タカハシ"}, {"田中", "タナカ"},
    {"伊藤", "イトウ"},   {"渡辺", "ワタナベ"}, {"山本", "ヤマモト"}, {"中村", "ナカムラ"},
    {"小林", "コバヤシ"}, {"加藤", "カトウ"},   {"吉田", "ヨシダ"},   {"山田", "ヤマダ"},
    {"佐々木", "ササキ"}, {"山口", "ヤマグチ"}, {"松本", "マツモト"}, {"井上", "イノウエ"},
    {"木村", "キムラ"},   {"林", "ハヤシ"},     {"斎藤", "サイトウ"}, {"清水", "シミズ"},
    {"山崎", "ヤマザキ"}, {"森", "モリ"},       {"池田", "イケダ"},   {"橋本", "ハシモト"},
    {"阿部", "アベ"},     {"石川", "イシカワ"}, {"前田", "マエダ"},   {"藤田", "フジタ"},
    {"小川", "オガワ"},   {"岡田", "オカダ"},   {"後藤", "ゴトウ"},   {"長谷川", "ハセガワ"}};
static const char *const GIVEN[][2] = {
    {"陽子", "ヨウコ"},   {"美咲", "ミサキ"}, {"恵", "メグミ"},     {"由美", "ユミ"},
    {"真由美", "マユミ"}, {"智子", "トモコ"}, {"裕子", "ユウコ"},   {"さくら", "サクラ"},
    {"愛", "アイ"},       {"彩", "アヤ"},     {"千尋", "チヒロ"},   {"香織", "カオリ"},
    {"直美", "ナオミ"},   {"舞", "マイ"},     {"翔太", "ショウタ"}, {"大輔", "ダイスケ"},
    {"健一", "ケンイチ"}, {"拓也", "タクヤ"}, {"奈々", "ナナ"},     {"優子", "ユウコ"},
    {"明美", "アケミ"},   {"麻衣", "マイ"},   {"久美子", "クミコ"}, {"花子", "ハナコ"}};
static const char *const LIC[] = {"kangoshi", "kangoshi",    "kangoshi", "kangoshi",
                                  "kangoshi", "junkangoshi", "hokenshi", "josanshi"};

typedef struct {
    db *d;
    const char *scale;
    char hash[PWHASH_LEN];
    int64_t now;
    char (*munis)[6];       /* all municipality codes, in code order (national only) */
    char (*muni_names)[96]; /* their names */
    int nmunis;
    int64_t nurse_first, nurse_last; /* the national nurses' user ids (consecutive) */
    int64_t counselors[48][3];       /* the national counselors' user ids per prefecture */
} seed_ctx;

static int add_user(seed_ctx *s, const char *email, const char *role_code, const char *name,
                    const char *kana, const char *pref, int64_t fid, const char *channel,
                    int64_t created, int64_t *id)
{
    account a;
    memset(&a, 0, sizeof a);
    str_copy(a.email, sizeof a.email, email);
    str_copy(a.role, sizeof a.role, role_code);
    str_copy(a.name, sizeof a.name, name);
    str_copy(a.name_kana, sizeof a.name_kana, kana);
    str_copy(a.password_hash, sizeof a.password_hash, s->hash);
    str_copy(a.prefecture, sizeof a.prefecture, pref ? pref : "");
    str_copy(a.channel, sizeof a.channel, channel);
    a.facility_id = fid;
    return store_user_insert(s->d, &a, true, created, id);
}

static int add_nurse(seed_ctx *s, const char *email, const char *pref, int64_t *id)
{
    int f = pick(32), g = pick(24);
    char name[128], kana[128];
    snprintf(name, sizeof name, "%s %s", FAMILY[f][0], GIVEN[g][0]);
    snprintf(kana, sizeof kana, "%s %s", FAMILY[f][1], GIVEN[g][1]);
    static const char *const CH[] = {"smartphone", "smartphone", "smartphone",  "pc",
                                     "pc",         "center",     "notification"};
    int64_t created = s->now - (int64_t)pick(720) * 86400;
    int rc = add_user(s, email, "seeker", name, kana, pref, 0, CH[pick(7)], created, id);
    if (rc != DB_OK)
        return rc;
    char number[16], date[16];
    snprintf(number, sizeof number, "%d", 100000 + pick(900000));
    snprintf(date, sizeof date, "%04d-%02d-%02d", 1985 + pick(38), 3 + pick(2) * 1, 10 + pick(18));
    rc = store_licence_insert(s->d, *id, LIC[pick(8)], number, date);
    return rc;
}

static int load_munis(seed_ctx *s)
{
    db_res *r = NULL;
    int rc = db_query(s->d, "SELECT code, name FROM municipalities ORDER BY code", NULL, 0, &r);
    if (rc != DB_OK)
        return rc;
    s->nmunis = r->nrows;
    s->munis = calloc((size_t)r->nrows + 1, sizeof *s->munis);
    s->muni_names = calloc((size_t)r->nrows + 1, sizeof *s->muni_names);
    for (int i = 0; s->munis && s->muni_names && i < r->nrows; i++) {
        str_copy(s->munis[i], sizeof s->munis[i], db_text(r, i, 0));
        str_copy(s->muni_names[i], sizeof s->muni_names[i], db_text(r, i, 1));
    }
    db_res_free(r);
    return s->munis && s->muni_names ? DB_OK : DB_ERROR;
}

/* A complete, compliant offer body (PREF/MUNI/EMPLOYER/TITLE substituted). */
static const char OFFER_TEMPLATE[] =
    "{\"title\":\"%s\",\"pr\":\"教育体制が整っています。ブランクのある方も歓迎します。\","
    "\"employer\":{\"name\":\"%s\"},"
    "\"duties\":{\"description\":\"%s\",\"change_scope\":"
    "\"法人内の看護業務全般\"},"
    "\"contract\":{\"type\":\"indefinite\"},"
    "\"probation\":{\"present\":true,\"months\":3,\"conditions_differ\":false},"
    "\"workplace\":{\"municipality_code\":\"%s\",\"address\":\"%s\",\"station\":\"%s\","
    "\"access\":\"徒歩5分\",\"change_scope\":\"法人の定める事業所\"},"
    "\"hours\":{\"start\":\"08:30\",\"end\":\"17:15\",\"shift_patterns\":%s,"
    "\"night_shifts_per_month\":%d,\"overtime\":true,\"overtime_avg_hours\":10,\"break_minutes\":"
    "60}"
    ","
    "\"holidays\":{\"annual_days\":120,\"pattern\":\"4週8休\"},"
    "\"wage\":{\"type\":\"monthly\",\"base_min\":%d,\"base_max\":%d,\"allowances\":\"%s\","
    "\"fixed_overtime\":false},"
    "\"insurance\":{\"employment\":true,\"health\":true,\"pension\":true,\"workers_comp\":true},"
    "\"smoking\":{\"measure\":\"premises_ban\"},\"licences\":[\"kangoshi\",\"junkangoshi\"],"
    "\"employment_form\":\"jokin\",\"departments\":%s,"
    "\"flags\":[\"blank_ok\"],\"positions\":2}";

/* What differs between the demo offers. */
typedef struct {
    const char *title, *duties, *shifts_json, *departments_json, *allowances;
    unsigned shift_mask;
    int night_shifts, wage;
} seed_job;

static const seed_job JOB_WARD = {"病棟看護師（二交代）",
                                  "内科・外科混合病棟での看護業務全般（夜勤あり）",
                                  "[\"two_shift\"]",
                                  "[\"internal\",\"surgery\"]",
                                  "夜勤手当 1回10,000円",
                                  1u,
                                  4,
                                  260000};
static const seed_job JOB_VISIT = {"訪問看護師（日勤・オンコールあり）",
                                   "利用者宅を訪問しての看護（健康観察、医療処置、ターミナルケア）",
                                   "[\"day_only\",\"on_call\"]",
                                   "[\"home_care\"]",
                                   "オンコール手当 1回3,000円、訪問手当",
                                   (1u << 2) | (1u << 4),
                                   0,
                                   280000};
static const seed_job JOB_OUTPATIENT = {"外来看護師（日勤のみ）",
                                        "外来での診療補助、採血、患者対応",
                                        "[\"day_only\"]",
                                        "[\"internal\",\"outpatient\"]",
                                        "資格手当",
                                        1u << 2,
                                        0,
                                        240000};

/* Inserts an offer from the template; publish = give it a number and validity. */
static int seed_offer(seed_ctx *s, int64_t fid, const char *pref, const char *muni,
                      const char *employer, const seed_job *job, const char *address,
                      const char *station, bool publish, int64_t *id)
{
    char body[4096];
    const char *title = job->title;
    int wage = job->wage;
    snprintf(body, sizeof body, OFFER_TEMPLATE, title, employer, job->duties, muni, address,
             station, job->shifts_json, job->night_shifts, wage, wage + 60000, job->allowances,
             job->departments_json);
    offer_cols c = {.title = title,
                    .prefecture = pref,
                    .municipality = muni,
                    .employment_form = "jokin",
                    .wage_type = "monthly",
                    .licence_mask = 0xC,
                    .shift_mask = job->shift_mask,
                    .flag_mask = 1 << 4,
                    .wage_min = wage,
                    .positions = 2};
    int rc = store_offer_insert(s->d, fid, body, &c, 0, s->now, id);
    if (rc == DB_OK)
        rc = store_offer_event(s->d, *id, 0, "created", "{}", s->now);
    if (rc == DB_OK && publish) {
        char today[16], until[16];
        time_jst_date(s->now, today, sizeof today);
        int y, m, dd;
        date_parse(today, &y, &m, &dd);
        int ym = m + 2 > 12 ? y + 1 : y, mm = m + 2 > 12 ? m - 10 : m + 2;
        snprintf(until, sizeof until, "%04d-%02d-%02d", ym, mm, days_in_month(ym, mm));
        rc = store_offer_publish(s->d, *id, pref, fiscal_year(y, m), until, NULL, s->now);
        if (rc == DB_OK)
            rc = store_offer_event(s->d, *id, 0, "published", "{}", s->now);
    }
    return rc;
}

/* ---- National scale: facilities and published offers ---------------------------------------
 * Prefecture weights: population in units of 10,000 (2020 census, rounded) — an approximate,
 * fixed table; facilities (and so offers) are spread over prefectures in these proportions. */
static const int PREF_POP[48] = {0,   522,  124, 121, 230, 96,  107, 183, 287, 193, 194, 734,
                                 628, 1405, 924, 220, 103, 113, 77,  81,  205, 198, 363, 754,
                                 177, 141,  258, 884, 547, 132, 92,  55,  67,  189, 280, 134,
                                 72,  95,   133, 69,  514, 81,  131, 174, 112, 107, 159, 147};

static int pick_pref(void)
{
    int total = 0;
    for (int p = 1; p <= 47; p++)
        total += PREF_POP[p];
    int r = pick(total);
    for (int p = 1; p <= 47; p++) {
        r -= PREF_POP[p];
        if (r < 0)
            return p;
    }
    return 13;
}

/* Kinds of facility: name suffix, kana, facility type code, share of facilities (per mille) and
 * the expected number of open offers per facility (tenths). */
enum {
    K_BIGHOSP,
    K_HOSP,
    K_CLINIC,
    K_VISIT,
    K_ROKEN,
    K_TOKUYO,
    K_DIALYSIS,
    K_DAY,
    K_HOIKU,
    K_KENSHIN,
    K_YURYO,
    K_N
};
static const struct {
    const char *name, *kana, *type;
    int share, offers10;
} NKIND[K_N] = {
    {"総合病院", "ソウゴウビョウイン", "hospital", 40, 240},
    {"病院", "ビョウイン", "hospital", 80, 100},
    {"クリニック", "クリニック", "clinic", 260, 22},
    {"訪問看護ステーション", "ホウモンカンゴステーション", "visiting_nursing", 150, 35},
    {"介護老人保健施設", "カイゴロウジンホケンシセツ", "geriatric_health", 70, 40},
    {"特別養護老人ホーム", "トクベツヨウゴロウジンホーム", "nursing_home", 120, 28},
    {"透析クリニック", "トウセキクリニック", "clinic", 40, 30},
    {"デイサービスセンター", "デイサービスセンター", "care_other", 100, 17},
    {"保育園", "ホイクエン", "school", 50, 11},
    {"健診センター", "ケンシンセンター", "other", 30, 30},
    {"有料老人ホーム", "ユウリョウロウジンホーム", "care_other", 60, 25},
};

static const char *const NPREFIX[][2] = {
    {"さくら", "サクラ"},     {"あおば", "アオバ"}, {"みどり", "ミドリ"}, {"ひまわり", "ヒマワリ"},
    {"すずらん", "スズラン"}, {"ひかり", "ヒカリ"}, {"のぞみ", "ノゾミ"}, {"やまびこ", "ヤマビコ"},
    {"緑風", "リョクフウ"},   {"慈恵", "ジケイ"},   {"清和", "セイワ"},   {"恵愛", "ケイアイ"},
    {"聖心", "セイシン"},     {"博愛", "ハクアイ"}, {"健生", "ケンセイ"}, {"仁愛", "ジンアイ"},
    {"松柏", "ショウハク"},   {"若竹", "ワカタケ"}, {"明和", "メイワ"},   {"誠心", "セイシン"},
    {"和光", "ワコウ"},       {"敬愛", "ケイアイ"}, {"青空", "アオゾラ"}, {"城北", "ジョウホク"},
    {"城南", "ジョウナン"},   {"東邦", "トウホウ"}, {"平成", "ヘイセイ"}, {"令和", "レイワ"},
    {"希望", "キボウ"},       {"陽光", "ヨウコウ"}, {"白樺", "シラカバ"}, {"かえで", "カエデ"}};
static const char *const NMIDDLE[][2] = {{"", ""},
                                         {"", ""},
                                         {"中央", "チュウオウ"},
                                         {"記念", "キネン"},
                                         {"第一", "ダイイチ"},
                                         {"すこやか", "スコヤカ"}};
static const char *const NCORP[] = {"医療法人社団", "医療法人", "社会医療法人", "社会福祉法人",
                                    "一般財団法人", "株式会社", "公益社団法人"};
static const char *const NTOWN[] = {"本町",   "栄町",   "緑町",   "旭町", "中央",   "幸町",
                                    "宮前",   "東町",   "西町",   "南町", "北町",   "桜町",
                                    "松原",   "若葉",   "青葉台", "錦町", "末広町", "日の出町",
                                    "住吉町", "大手町", "元町",   "新町", "寿町",   "平和町"};

/* A facility as the offer generator sees it. */
typedef struct {
    int64_t id;
    int pref, kind, muni; /* muni: index into seed_ctx.munis */
    int prefix, middle, corp;
    char name[128];
    int64_t cum; /* cumulative offer weight (for weighted choice) */
} nat_fac;

/* The place-name stem of a municipality for station names: 大阪市中央区 → 中央, 函館市 → 函館,
 * 宮城郡松島町 → 松島. Writes into out (cap bytes). */
static void muni_stem(const char *name, char *out, size_t cap)
{
    const char *p = name;
    const char *cut;
    if ((cut = strstr(p, "郡")) != NULL)
        p = cut + strlen("郡");
    if ((cut = strstr(p, "市")) != NULL && cut[strlen("市")] != '\0')
        p = cut + strlen("市");
    str_copy(out, cap, p);
    size_t n = strlen(out);
    if (n > 3 && (!strcmp(out + n - 3, "市") || !strcmp(out + n - 3, "区") ||
                  !strcmp(out + n - 3, "町") || !strcmp(out + n - 3, "村")))
        out[n - 3] = '\0';
}

/* Job kinds: what is offered, in which kinds of facility. */
typedef struct {
    const char *title, *duties[2];
    const char *deps[4]; /* department JSON arrays to choose from (NULL-padded) */
    unsigned kinds;      /* bit K_* of facilities that post it */
    int weight;          /* relative frequency within those facilities */
    int shift;           /* 0 ward (two/three shift), 1 day only, 2 day + on call, 3 night only */
    unsigned lic; /* OFFER_LIC-style bits: 1 保健師, 2 助産師, 4 看護師, 8 准看護師 */
    int part;     /* per cent of offers that are part-time (非常勤) */
} nat_job;

#define KB(k) (1u << (k))
static const nat_job NJOBS[] = {
    {"病棟看護師",
     {"病棟での入院患者様の看護業務全般（観察、処置、与薬、記録、退院支援）をお願いします。",
      "急性期病棟での看護業務。入退院が多く、幅広い疾患を経験できます。"},
     {"[\"internal\",\"surgery\"]", "[\"orthopedics\",\"rehabilitation\"]",
      "[\"cardiology\",\"internal\"]", "[\"neurosurgery\"]"},
     KB(K_BIGHOSP) | KB(K_HOSP),
     40,
     0,
     12,
     10},
    {"病棟看護師（産婦人科）",
     {"産婦人科病棟での分娩介助、妊産婦・褥婦の看護、新生児ケアをお願いします。",
      "産科混合病棟での看護業務。母乳外来、両親学級にも関わっていただきます。"},
     {"[\"obstetrics\"]", "[\"obstetrics\",\"pediatrics\"]", NULL, NULL},
     KB(K_BIGHOSP),
     5,
     0,
     6,
     5},
    {"精神科病棟看護師",
     {"精神科病棟での看護業務。服薬支援、生活支援、作業療法への同行など。",
      "精神科急性期病棟での看護。多職種チームで退院支援に取り組みます。"},
     {"[\"psychiatry\"]", "[\"psychiatry\",\"internal\"]", NULL, NULL},
     KB(K_HOSP),
     8,
     0,
     12,
     10},
    {"外来看護師",
     {"外来での診療補助、採血、点滴、検査介助、患者様対応をお願いします。",
      "外来での診察介助、処置、電話対応、予約管理。電子カルテを使用しています。"},
     {"[\"outpatient\",\"internal\"]", "[\"outpatient\",\"orthopedics\"]",
      "[\"outpatient\",\"pediatrics\"]", "[\"outpatient\",\"dermatology\"]"},
     KB(K_BIGHOSP) | KB(K_HOSP),
     15,
     1,
     12,
     40},
    {"透析室看護師",
     {"透析患者様の穿刺、回路組み立て、透析中の観察と記録、フットケアをお願いします。",
      "血液透析室での看護業務。穿刺は経験に合わせて段階的に指導します。"},
     {"[\"dialysis\"]", "[\"dialysis\",\"internal\"]", "[\"dialysis\",\"urology\"]", NULL},
     KB(K_BIGHOSP) | KB(K_HOSP) | KB(K_DIALYSIS),
     10,
     1,
     12,
     30},
    {"手術室看護師",
     {"手術室での器械出し、外回り業務。未経験の方も丁寧に指導します。",
      "年間約3,000件の手術を行う手術室での看護業務（器械出し・外回り・術前訪問）。"},
     {"[\"operating\"]", "[\"operating\",\"surgery\"]", "[\"operating\",\"orthopedics\"]", NULL},
     KB(K_BIGHOSP),
     8,
     2,
     4,
     0},
    {"ICU看護師",
     {"ICUでの重症患者様の全身管理。人工呼吸器、持続透析、補助循環の管理を行います。",
      "集中治療室での看護業務。急性期看護のスキルを磨けます。"},
     {"[\"icu\"]", "[\"icu\",\"cardiology\"]", NULL, NULL},
     KB(K_BIGHOSP),
     6,
     0,
     4,
     0},
    {"救急外来看護師",
     {"救急外来でのトリアージ、初期対応、救急車の受け入れをお願いします。",
      "二次救急指定病院の救急外来での看護業務。救急看護の経験を活かせます。"},
     {"[\"emergency\"]", "[\"emergency\",\"outpatient\"]", NULL, NULL},
     KB(K_BIGHOSP),
     5,
     0,
     4,
     0},
    {"夜勤専従看護師",
     {"夜勤帯の病棟看護業務（夜勤専従）。月8回程度から相談可。",
      "療養病棟の夜勤専従。巡視、体位変換、経管栄養、朝の検温をお願いします。"},
     {"[\"internal\"]", "[\"internal\",\"rehabilitation\"]", NULL, NULL},
     KB(K_BIGHOSP) | KB(K_HOSP),
     6,
     3,
     12,
     100},
    {"健診センター看護師",
     {"健診センターでの問診、採血、心電図、身体計測、保健指導をお願いします。",
      "人間ドック・企業健診での看護業務。巡回健診への同行もあります。"},
     {"[\"health_check\"]", "[\"health_check\",\"internal\"]", NULL, NULL},
     KB(K_KENSHIN) | KB(K_BIGHOSP),
     6,
     1,
     13,
     40},
    {"クリニック看護師",
     {"クリニックでの診療補助、採血、点滴、予防接種、検査介助をお願いします。",
      "内科・小児科クリニックでの看護業務。発熱外来、予防接種の対応があります。"},
     {"[\"internal\"]", "[\"internal\",\"pediatrics\"]", "[\"orthopedics\",\"rehabilitation\"]",
      "[\"ophthalmology\"]"},
     KB(K_CLINIC),
     30,
     1,
     12,
     45},
    {"透析クリニック看護師",
     {"透析クリニックでの穿刺、透析中の観察、シャント管理、患者指導をお願いします。",
      "夜間透析のある透析クリニックでの看護業務。透析未経験の方も歓迎します。"},
     {"[\"dialysis\"]", "[\"dialysis\",\"internal\"]", NULL, NULL},
     KB(K_DIALYSIS),
     30,
     1,
     12,
     35},
    {"訪問看護師",
     {"利用者様のご自宅を訪問し、健康観察、医療処置、服薬管理、ご家族への助言を行います。",
      "訪問看護（1日4〜5件、社用車・電動自転車で訪問）。ターミナルケアにも関わります。"},
     {"[\"home_care\"]", "[\"home_care\",\"palliative\"]", "[\"home_care\",\"psychiatry\"]", NULL},
     KB(K_VISIT),
     30,
     2,
     13,
     35},
    {"老健看護師",
     {"介護老人保健施設での入所者様の健康管理、服薬管理、医師との連携をお願いします。",
      "在宅復帰を目指す入所者様の看護とリハビリ職との連携。"},
     {"[\"internal\",\"rehabilitation\"]", "[\"rehabilitation\"]", NULL, NULL},
     KB(K_ROKEN),
     30,
     0,
     12,
     30},
    {"特養看護師",
     {"特別養護老人ホームでの入居者様の健康管理、服薬管理、通院付き添い、看取りケア。",
      "特養での看護業務（バイタルチェック、褥瘡処置、経管栄養）。夜間はオンコール対応。"},
     {"[\"internal\"]", "[\"internal\",\"palliative\"]", NULL, NULL},
     KB(K_TOKUYO),
     30,
     2,
     12,
     30},
    {"デイサービス看護師",
     {"デイサービスご利用者様の健康チェック、服薬介助、入浴時の処置をお願いします。",
      "通所介護でのバイタルチェックと機能訓練の補助。送迎はありません。"},
     {"[\"internal\"]", "[\"rehabilitation\"]", NULL, NULL},
     KB(K_DAY),
     30,
     1,
     12,
     65},
    {"保育園看護師",
     {"保育園での園児の健康管理、けがや体調不良時の対応、保健指導、保護者対応。",
      "0〜5歳児の健康観察と保健だより作成、保育補助をお願いします。"},
     {"[\"pediatrics\"]", NULL, NULL, NULL},
     KB(K_HOIKU),
     30,
     1,
     13,
     35},
    {"有料老人ホーム看護師",
     {"有料老人ホームでの入居者様の健康管理、服薬管理、協力医療機関との連携。",
      "介護付き有料老人ホームでの看護業務。看取りケアにも取り組んでいます。"},
     {"[\"internal\"]", "[\"internal\",\"palliative\"]", NULL, NULL},
     KB(K_YURYO),
     30,
     0,
     12,
     35},
};
#define NNJOBS ((int)(sizeof NJOBS / sizeof NJOBS[0]))

static const char *const NHOLIDAY[] = {"4週8休", "週休2日制（土日祝）", "シフト制（月9日休み）",
                                       "4週8休（夏季・年末年始休暇あり）"};
static const char *const NGENERIC_PR[] = {
    "教育体制が充実しています（プリセプター制度・院内研修・e-ラーニング）。",
    "賞与年2回（昨年度実績4.0ヶ月分）。",
    "電子カルテ導入済みで記録の負担が少ない職場です。",
    "アットホームな雰囲気で、相談しやすい職場です。",
    "有給休暇の取得率は80%以上です。",
    "退職金制度・資格取得支援制度あり。",
    "見学だけでも歓迎します。お気軽にお問い合わせください。",
    "子育て中のスタッフも多く、急なお休みにも協力し合っています。",
    "認定看護師の資格取得を支援します。",
    "Web面接にも対応しています。"};

/* Island and remote-area prefectures (離島 / へき地 flags occur only there, rarely). */
static bool island_pref(int p)
{
    return p == 1 || p == 13 || p == 15 || p == 32 || p == 38 || p == 42 || p == 46 || p == 47;
}

/* Offer numbers given so far per prefecture, for this fiscal year ([0]) and the previous one
 * ([1]; offers published before April of this year). */
typedef struct {
    int fy;
    int64_t seq[2][48];
} nat_numbers;

static const char NAT_INSERT[] =
    "INSERT INTO offers (facility_id, status, offer_no, body, title, prefecture_code, "
    "municipality_code, licence_mask, employment_form, shift_mask, flag_mask, wage_type, "
    "wage_min, positions, valid_until, published_at, created_at, updated_at) VALUES ($1, "
    "'published', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $15)";

/* Generates and inserts one published offer of facility f. */
static int nat_offer(seed_ctx *s, const nat_fac *f, nat_numbers *nums, nbuf *body)
{
    /* the job: weighted among those this kind of facility posts */
    int tot = 0;
    for (int j = 0; j < NNJOBS; j++)
        if (NJOBS[j].kinds & KB(f->kind))
            tot += NJOBS[j].weight;
    int r = pick(tot), j = 0;
    for (; j < NNJOBS; j++)
        if (NJOBS[j].kinds & KB(f->kind) && (r -= NJOBS[j].weight) < 0)
            break;
    const nat_job *job = &NJOBS[j];
    int ndeps = 0;
    while (ndeps < 4 && job->deps[ndeps])
        ndeps++;
    const char *deps = job->deps[pick(ndeps)];

    /* employment form, shifts and night shifts (consistent with each other) */
    bool part = pick(100) < job->part, night_only = job->shift == 3;
    const char *emp = part ? (pick(10) == 0 ? "rinji" : "hijokin") : "jokin";
    unsigned shift;
    int nights = 0;
    const char *shift_label, *shifts_json;
    if (night_only) {
        shift = OFFER_SHIFT_NIGHT_ONLY, nights = 8 + pick(4);
        shift_label = "夜勤のみ", shifts_json = "[\"night_only\"]";
    } else if (job->shift == 0 && !part) {
        if (pick(100) < 65)
            shift = OFFER_SHIFT_TWO, nights = 3 + pick(3), shift_label = "二交代",
            shifts_json = "[\"two_shift\"]";
        else
            shift = OFFER_SHIFT_THREE, nights = 7 + pick(3), shift_label = "三交代",
            shifts_json = "[\"three_shift\"]";
    } else if (job->shift == 2 && !part) {
        bool visit = f->kind == K_VISIT;
        shift = OFFER_SHIFT_DAY_ONLY | OFFER_SHIFT_ON_CALL;
        shift_label = visit ? "日勤・オンコールあり" : "日勤・当直あり";
        shifts_json = "[\"day_only\",\"on_call\"]";
    } else {
        shift = OFFER_SHIFT_DAY_ONLY, shift_label = "日勤のみ", shifts_json = "[\"day_only\"]";
    }

    /* wage: above every prefecture's minimum wage by construction (monthly 220,000+ over at
     * most 173 hours a month; hourly 1,300+) */
    bool hourly = part;
    int pref_bonus = (f->pref == 13 || f->pref == 14 || f->pref == 27) ? 10000 : 0;
    int64_t wmin, wmax;
    if (hourly) {
        wmin = 1300 + 10 * pick(night_only ? 100 : 80) + (night_only ? 200 : 0);
        wmax = wmin + 100 * (1 + pick(3));
        if (wmax > 2500)
            wmax = 2500;
        if (wmin > wmax)
            wmin = wmax;
    } else {
        wmin = 220000 + 1000 * pick(150) + pref_bonus;
        if (job->shift == 0)
            wmin += 10000;
        wmax = wmin + 10000 * (2 + pick(5));
        if (wmax > 420000)
            wmax = 420000;
    }

    /* hours */
    const char *hs = "08:30", *he = "17:15";
    int brk = 60;
    if (night_only)
        hs = "16:30", he = "09:00", brk = 120;
    else if (part) {
        static const char *const PS[][2] = {
            {"09:00", "13:00"}, {"09:00", "16:00"}, {"13:00", "17:30"}, {"08:30", "17:00"}};
        int k = pick(4);
        hs = PS[k][0], he = PS[k][1];
        brk = k == 1 || k == 3 ? 60 : 0;
    } else if (pick(3) == 0)
        hs = "09:00", he = "18:00";
    bool overtime = pick(100) < 80;
    int ot_hours = overtime ? 2 + pick(18) : 0;
    int holidays = 105 + pick(21);

    /* flags */
    unsigned flags = 0;
    bool hosp = f->kind == K_BIGHOSP || f->kind == K_HOSP;
    if (pick(100) < 40)
        flags |= OFFER_FLAG_BLANK;
    if (pick(100) < (hosp ? 35 : 5))
        flags |= OFFER_FLAG_TAKUJI;
    if (pick(100) < (hosp ? 25 : 3))
        flags |= OFFER_FLAG_RYO;
    if (pick(100) < 8)
        flags |= OFFER_FLAG_KYUBO;
    if (island_pref(f->pref) && pick(1000) < 25)
        flags |= OFFER_FLAG_RITO;
    if (f->pref != 13 && f->pref != 14 && f->pref != 27 && pick(1000) < 12)
        flags |= OFFER_FLAG_HEKICHI;
    if ((f->pref == 17 && pick(100) < 8) || (f->pref == 7 && pick(1000) < 15))
        flags |= OFFER_FLAG_HISAICHI;
    char flags_json[160] = "[";
    for (int k = 0; k < 7; k++)
        if (flags & (1u << k)) {
            size_t n = strlen(flags_json);
            snprintf(flags_json + n, sizeof flags_json - n, "%s\"%s\"", n > 1 ? "," : "",
                     FLAG_CODES[k]);
        }
    str_copy(flags_json + strlen(flags_json), 2, "]");

    /* title: job, shift pattern, and now and then a selling point */
    char title[160];
    const char *tag = "";
    int t = pick(10);
    if (t == 0 && (flags & OFFER_FLAG_BLANK))
        tag = "・ブランク可";
    else if (t == 1 && (flags & OFFER_FLAG_KYUBO))
        tag = "・急募";
    else if (t == 2 && !overtime)
        tag = "・残業なし";
    else if (t == 3 && part)
        tag = "・パート";
    else if (t == 4 && (flags & OFFER_FLAG_TAKUJI))
        tag = "・託児所あり";
    else if (t == 5 && !part && !night_only)
        tag = "・常勤";
    snprintf(title, sizeof title, "%s（%s%s）", job->title, shift_label, tag);

    /* workplace */
    const char *mcode = s->munis[f->muni], *mname = s->muni_names[f->muni];
    char stem[96], station[128], address[256], access[64];
    muni_stem(mname, stem, sizeof stem);
    static const char *const ST_PRE[] = {"", "", "", "東", "", "新"};
    static const char *const ST_SUF[] = {"駅", "駅", "中央駅", "駅", "本町駅", "駅"};
    int st = pick(6);
    snprintf(station, sizeof station, "%s%s%s", ST_PRE[st], stem, ST_SUF[st]);
    /* one pick() per statement: argument evaluation order is unspecified in C */
    int town = pick(24), chome = 1 + pick(5), ban = 1 + pick(30), go = 1 + pick(20);
    snprintf(address, sizeof address, "%s%s%d丁目%d-%d", mname, NTOWN[town], chome, ban, go);
    bool car = f->pref != 13 && f->pref != 27 && pick(100) < 60;
    if (pick(4) == 0)
        snprintf(access, sizeof access, "%s駅からバス%d分", stem, 5 + pick(20));
    else
        snprintf(access, sizeof access, "徒歩%d分", 1 + pick(15));

    /* PR: the selling points nurses search for, consistent with the fields */
    char pr[1200];
    size_t pl = 0;
    pr[0] = '\0';
#define PR(...) (pl += (size_t)snprintf(pr + pl, pl < sizeof pr ? sizeof pr - pl : 0, __VA_ARGS__))
    if (flags & OFFER_FLAG_KYUBO)
        PR("急募！早期に入職できる方を歓迎します。");
    if (flags & OFFER_FLAG_BLANK)
        PR("ブランク可。復職支援研修があり、久しぶりの方も安心です。");
    if (shift & OFFER_SHIFT_DAY_ONLY && !(shift & OFFER_SHIFT_ON_CALL))
        PR("夜勤なし・日勤のみで、生活リズムを整えて働けます。");
    if (flags & OFFER_FLAG_TAKUJI)
        PR(hosp ? "院内に託児所あり（24時間保育・病児保育）。" : "提携の託児所を利用できます。");
    if (flags & OFFER_FLAG_RYO)
        PR("看護師寮あり（家賃補助あり）。遠方からの応募も歓迎します。");
    if (!overtime || ot_hours <= 5)
        PR("残業少なめ（月平均%d時間）。", ot_hours);
    if (car)
        PR("車通勤可（無料駐車場あり）。");
    if (strstr(deps, "dialysis"))
        PR("透析看護の経験がなくても、先輩が穿刺から丁寧に指導します。");
    if (strstr(deps, "icu"))
        PR("ICUでの重症患者管理の経験を積めます。");
    if (f->kind == K_VISIT)
        PR("訪問看護が初めての方も、同行訪問から始められます。");
    if (night_only)
        PR("夜勤1回あたりの収入が高く、短い日数で効率よく働けます。");
    if (flags & OFFER_FLAG_RITO)
        PR("離島での勤務です。住居と赴任手当をご用意します。");
    if (flags & OFFER_FLAG_HEKICHI)
        PR("へき地医療に関心のある方を歓迎します。");
    if (flags & OFFER_FLAG_HISAICHI)
        PR("被災地の医療復興を支える看護師を募集しています。");
    PR("%s", NGENERIC_PR[pick(10)]);
    if (pick(2))
        PR("%s", NGENERIC_PR[pick(10)]);
#undef PR

    /* allowances */
    char allow[256];
    int night_allow = night_only ? 20 + pick(11) : 8 + pick(8);
    if (nights > 0)
        snprintf(allow, sizeof allow, "夜勤手当 1回%d,000円、資格手当、通勤手当（上限月%d,000円）",
                 night_allow, 20 + pick(31));
    else if (shift & OFFER_SHIFT_ON_CALL)
        snprintf(allow, sizeof allow, "オンコール手当 1回%d,000円、資格手当、通勤手当",
                 2 + pick(3));
    else
        snprintf(allow, sizeof allow, "資格手当、通勤手当（上限月%d,000円）", 20 + pick(31));

    /* licences */
    unsigned lic = job->lic;
    char lic_json[96] = "[";
    for (int k = 0; k < 4; k++)
        if (lic & (1u << k)) {
            size_t n = strlen(lic_json);
            snprintf(lic_json + n, sizeof lic_json - n, "%s\"%s\"", n > 1 ? "," : "",
                     LICENCE_CODES[k]);
        }
    str_copy(lic_json + strlen(lic_json), 2, "]");

    /* contract: permanent staff indefinite; part-time half fixed-term with renewal */
    char contract[512];
    char today[16];
    time_jst_date(s->now, today, sizeof today);
    int y, m, dd;
    date_parse(today, &y, &m, &dd);
    int sy = m == 12 ? y + 1 : y, sm = m == 12 ? 1 : m + 1;
    if (!strcmp(emp, "rinji"))
        snprintf(contract, sizeof contract,
                 "{\"type\":\"fixed\",\"start\":\"%04d-%02d-01\",\"end\":\"%04d-%02d-%02d\","
                 "\"renewal\":\"none\"}",
                 sy, sm, sm + 2 > 12 ? sy + 1 : sy, (sm + 1) % 12 + 1,
                 days_in_month(sm + 2 > 12 ? sy + 1 : sy, (sm + 1) % 12 + 1));
    else if (part && pick(2))
        snprintf(contract, sizeof contract,
                 "{\"type\":\"fixed\",\"start\":\"%04d-%02d-01\",\"end\":\"%04d-%02d-%02d\","
                 "\"renewal\":\"possible\",\"renewal_criteria\":\"勤務成績、業務量、経営状況により"
                 "判断\",\"renewal_cap\":false}",
                 sy, sm, sm == 1 ? sy : sy + 1, sm == 1 ? 12 : sm - 1,
                 days_in_month(sm == 1 ? sy : sy + 1, sm == 1 ? 12 : sm - 1));
    else
        str_copy(contract, sizeof contract, "{\"type\":\"indefinite\"}");

    /* employer */
    char employer[160];
    const char *corp = f->kind == K_TOKUYO || f->kind == K_HOIKU || f->kind == K_DAY
                           ? "社会福祉法人"
                       : f->kind == K_VISIT || f->kind == K_YURYO ? "株式会社"
                                                                  : NCORP[f->corp];
    snprintf(employer, sizeof employer, "%s%s%s", corp, NPREFIX[f->prefix][0],
             !strcmp(corp, "株式会社") ? "ケア" : "会");

    bool short_part = part && brk == 0;
    static const int SHIFT_HOL[] = {0, 2, 3}; /* shift work: no 土日祝 pattern */
    int hol = shift == OFFER_SHIFT_DAY_ONLY ? pick(4) : SHIFT_HOL[pick(3)];
    int duty = pick(2);
    bool probation = pick(4) != 0;
    int positions = 1 + pick(part ? 3 : 5);
    body->len = 0;
    nbuf_printf(
        body,
        "{\"title\":\"%s\",\"pr\":\"%s\",\"employer\":{\"name\":\"%s\"},"
        "\"duties\":{\"description\":\"%s\",\"change_scope\":\"法人内の看護業務全般\"},"
        "\"contract\":%s,"
        "\"probation\":{\"present\":%s,\"months\":3,\"conditions_differ\":false},"
        "\"workplace\":{\"municipality_code\":\"%s\",\"address\":\"%s\",\"station\":\"%s\","
        "\"access\":\"%s\",\"change_scope\":\"法人の定める事業所\"},"
        "\"hours\":{\"start\":\"%s\",\"end\":\"%s\",\"shift_patterns\":%s,"
        "\"night_shifts_per_month\":%d,\"overtime\":%s,\"overtime_avg_hours\":%d,"
        "\"break_minutes\":%d},"
        "\"holidays\":{\"annual_days\":%d,\"pattern\":\"%s\"},"
        "\"wage\":{\"type\":\"%s\",\"base_min\":%lld,\"base_max\":%lld,\"allowances\":\"%s\","
        "\"fixed_overtime\":false},"
        "\"insurance\":{\"employment\":true,\"health\":%s,\"pension\":%s,\"workers_comp\":true},"
        "\"smoking\":{\"measure\":\"%s\"},\"licences\":%s,\"employment_form\":\"%s\","
        "\"departments\":%s,\"flags\":%s,\"positions\":%d}",
        title, pr, employer, job->duties[duty], contract, probation ? "true" : "false", mcode,
        address, station, access, hs, he, shifts_json, nights, overtime ? "true" : "false",
        ot_hours, brk, holidays, NHOLIDAY[hol], hourly ? "hourly" : "monthly", (long long)wmin,
        (long long)wmax, allow, short_part ? "false" : "true", short_part ? "false" : "true",
        f->kind <= K_CLINIC || f->kind == K_DIALYSIS || f->kind == K_KENSHIN ? "premises_ban"
                                                                             : "indoor_ban",
        lic_json, emp, deps, flags_json, positions);
    if (!body->data)
        return DB_ERROR;

    /* published within the last 50 days; valid until the end of the month after next */
    int64_t published = s->now - 3600 - (int64_t)pick(50 * 86400);
    char pday[16], until[16], no[32];
    time_jst_date(published, pday, sizeof pday);
    date_parse(pday, &y, &m, &dd);
    int uy = m + 2 > 12 ? y + 1 : y, um = m + 2 > 12 ? m - 10 : m + 2;
    snprintf(until, sizeof until, "%04d-%02d-%02d", uy, um, days_in_month(uy, um));
    int fy = fiscal_year(y, m);
    int64_t seq = ++nums->seq[fy == nums->fy ? 0 : 1][f->pref];
    char pref[3];
    snprintf(pref, sizeof pref, "%02d", f->pref);
    snprintf(no, sizeof no, "%s-%04d-%06lld", pref, fy, (long long)seq);
    int64_t created = published - 86400 - (int64_t)pick(7 * 86400);
    char emp_code[8];
    str_copy(emp_code, sizeof emp_code, emp);
    db_val p[] = {DBI(f->id),
                  DBT(no),
                  DBT(body->data),
                  DBT(title),
                  DBT(pref),
                  DBT(mcode),
                  DBI(lic),
                  DBT(emp_code),
                  DBI(shift),
                  DBI(flags),
                  DBT(hourly ? "hourly" : "monthly"),
                  DBI(wmin),
                  DBI(positions),
                  DBT(until),
                  DBI(published),
                  DBI(created)};
    return db_query(s->d, NAT_INSERT, p, 16, NULL);
}

/* National scale: 31,444 approved facilities spread over prefectures by population, and
 * 158,602 published offers over them (more for hospitals than for clinics). The offers are
 * inserted as published with their numbers by one prepared INSERT each (offer_changes rows come
 * from the triggers); versions, events and the offer number counters follow in bulk. */
#define NAT_FACILITIES 31444
#define NAT_OFFERS     158602

static int seed_national_facilities(seed_ctx *s, nat_fac *fac)
{
    int total_share = 0;
    for (int k = 0; k < K_N; k++)
        total_share += NKIND[k].share;
    char email[64], pref[3];
    int rc = DB_OK;
    for (int i = 0; i < NAT_FACILITIES && rc == DB_OK; i++) {
        nat_fac *f = &fac[i];
        f->pref = pick_pref();
        snprintf(pref, sizeof pref, "%02d", f->pref);
        int first = -1, count = 0;
        for (int m = 0; m < s->nmunis; m++)
            if (!strncmp(s->munis[m], pref, 2)) {
                if (first < 0)
                    first = m;
                count++;
            }
        if (count == 0)
            return DB_ERROR;
        f->muni = first + pick(count);
        int r = pick(total_share);
        for (f->kind = 0; f->kind < K_N - 1 && (r -= NKIND[f->kind].share) >= 0; f->kind++)
            ;
        f->prefix = pick(32), f->middle = pick(6), f->corp = pick(7);
        char name[128], kana[256];
        int style = pick(10);
        if (style < 3) { /* family name: 佐藤クリニック */
            int fam = pick(32);
            snprintf(name, sizeof name, "%s%s", FAMILY[fam][0], NKIND[f->kind].name);
            snprintf(kana, sizeof kana, "%s%s", FAMILY[fam][1], NKIND[f->kind].kana);
        } else {
            snprintf(name, sizeof name, "%s%s%s", NPREFIX[f->prefix][0], NMIDDLE[f->middle][0],
                     NKIND[f->kind].name);
            snprintf(kana, sizeof kana, "%s%s%s", NPREFIX[f->prefix][1], NMIDDLE[f->middle][1],
                     NKIND[f->kind].kana);
        }
        str_copy(f->name, sizeof f->name, name);
        char phone[16];
        int area = 3 + pick(7), ph1 = pick(10000), ph2 = pick(10000);
        snprintf(phone, sizeof phone, "0%d-%04d-%04d", area, ph1, ph2);
        rc = store_facility_insert(s->d, name, kana, pref, s->munis[f->muni], NKIND[f->kind].type,
                                   phone, s->now, &f->id);
        if (rc == DB_OK) {
            int64_t uid;
            snprintf(email, sizeof email, "facility%05d@example.jp", i + 1);
            rc = add_user(s, email, "facility_admin", "施設 担当者", "シセツ タントウシャ", pref,
                          f->id, "pc", s->now, &uid);
        }
    }
    if (rc == DB_OK) { /* national facilities are reviewed and approved */
        db_val p[] = {DBI(fac[0].id)};
        rc = db_query(s->d,
                      "UPDATE facilities SET status = 'approved', reviewed_at = created_at "
                      "WHERE id >= $1",
                      p, 1, NULL);
    }
    return rc;
}

static int seed_national_offers(seed_ctx *s, nat_fac *fac)
{
    /* offer numbers continue after those already given (the demo offers) */
    nat_numbers nums;
    memset(&nums, 0, sizeof nums);
    nums.fy = time_jst_fiscal_year(s->now);
    db_res *r = NULL;
    int rc = db_query(s->d, "SELECT prefecture_code, fiscal_year, last_seq FROM offer_numbers",
                      NULL, 0, &r);
    for (int i = 0; rc == DB_OK && i < r->nrows; i++) {
        int64_t p;
        int64_t fy = db_int(r, i, 1);
        if (str_to_i64(db_text(r, i, 0), 1, 47, &p) == 0 && (fy == nums.fy || fy == nums.fy - 1))
            nums.seq[fy == nums.fy ? 0 : 1][p] = db_int(r, i, 2);
    }
    db_res_free(r);
    int64_t last_id = 0;
    if (rc == DB_OK)
        rc = db_scalar(s->d, "SELECT COALESCE(MAX(id), 0) FROM offers", NULL, 0, &last_id);

    /* each offer goes to a facility chosen by weight (the kind's expected number of offers) */
    int64_t cum = 0;
    for (int i = 0; i < NAT_FACILITIES; i++) {
        cum += NKIND[fac[i].kind].offers10;
        fac[i].cum = cum;
    }
    nbuf body;
    nbuf_init(&body, 16384);
    for (int i = 0; rc == DB_OK && i < NAT_OFFERS; i++) {
        int64_t w = (int64_t)(rnd() % (uint64_t)cum);
        int lo = 0, hi = NAT_FACILITIES - 1;
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (fac[mid].cum > w)
                hi = mid;
            else
                lo = mid + 1;
        }
        rc = nat_offer(s, &fac[lo], &nums, &body);
    }
    nbuf_free(&body);

    db_val p[] = {DBI(last_id)};
    if (rc == DB_OK)
        rc = db_query(s->d,
                      "INSERT INTO offer_versions (offer_id, version, body, created_at) "
                      "SELECT id, 1, body, created_at FROM offers WHERE id > $1 ORDER BY id",
                      p, 1, NULL);
    if (rc == DB_OK)
        rc = db_query(s->d,
                      "INSERT INTO offer_events (offer_id, at, action) SELECT id, created_at, "
                      "'created' FROM offers WHERE id > $1 ORDER BY id",
                      p, 1, NULL);
    if (rc == DB_OK)
        rc = db_query(s->d,
                      "INSERT INTO offer_events (offer_id, at, action) SELECT id, published_at, "
                      "'published' FROM offers WHERE id > $1 ORDER BY id",
                      p, 1, NULL);
    for (int k = 0; k < 2 && rc == DB_OK; k++)
        for (int pi = 1; pi <= 47 && rc == DB_OK; pi++) {
            if (!nums.seq[k][pi])
                continue;
            char pref[3];
            snprintf(pref, sizeof pref, "%02d", pi);
            db_val q[] = {DBT(pref), DBI(nums.fy - k), DBI(nums.seq[k][pi])};
            rc = db_query(s->d,
                          "INSERT INTO offer_numbers (prefecture_code, fiscal_year, last_seq) "
                          "VALUES ($1, $2, $3) ON CONFLICT (prefecture_code, fiscal_year) DO "
                          "UPDATE SET last_seq = excluded.last_seq",
                          q, 3, NULL);
        }
    return rc;
}

/* ---- National scale: job-seeker profiles and a fiscal year of applications ------------------
 * Every national nurse gets a seekers row (experience, desired conditions, validity) and, when
 * holding a 保健師 or 助産師 licence, the 看護師 licence that goes with it. Then NAT_APPLICANTS of
 * them apply over FY NAT_APPS_FY (April–March) and NAT_PLACEMENTS are placed: the histories come
 * from seed_apps.c (each step checked by placement_apply) as it stood on NAT_APPS_TODAY, a fixed
 * day so that the year's figures do not depend on when the seed runs. An applicant's account
 * and profile are dated before the first application. */
#define NAT_APPLICANTS 18828
#define NAT_PLACEMENTS 10666
#define NAT_APPS_FY    2025
#define NAT_APPS_TODAY "2026-04-15"

/* What the profile generator decides before the applications and uses again after them. */
typedef struct {
    int64_t id, created_at;
    int pref, wish_pref;
    unsigned lic, emp; /* OFFER_LIC_* bits; wished employment forms (1 << OFFER_EMP_*) */
    char channel[16];
    char lic_date[11];   /* registration date of the first licence */
    char lic_number[16]; /* the number of an added 看護師 licence */
    /* from the applications */
    int napps, placed, open; /* open: a case before placement still open */
    int64_t first_at, last_at;
} nat_seeker;

/* Appends "code" to the JSON array text in out (cap bytes; starts as "[" and is closed by
 * json_close). */
static void json_add(char *out, size_t cap, const char *code)
{
    size_t n = strlen(out);
    snprintf(out + n, n < cap ? cap - n : 0, "%s\"%s\"", n > 1 ? "," : "", code);
}

static void json_close(char *out, size_t cap)
{
    size_t n = strlen(out);
    if (n + 1 < cap)
        str_copy(out + n, cap - n, "]");
}

/* Up to max distinct codes of list (n entries, weights w) as a JSON array. */
static void pick_codes(char *out, size_t cap, const char *const *list, const int *w, int n,
                       int count)
{
    int total = 0, chosen[8], nchosen = 0;
    for (int i = 0; i < n; i++)
        total += w[i];
    str_copy(out, cap, "[");
    for (int t = 0; t < 4 * count && nchosen < count && nchosen < 8; t++) {
        int r = pick(total), i = 0;
        for (; i < n - 1 && (r -= w[i]) >= 0; i++)
            ;
        bool dup = false;
        for (int k = 0; k < nchosen; k++)
            dup = dup || chosen[k] == i;
        if (!dup) {
            chosen[nchosen++] = i;
            json_add(out, cap, list[i]);
        }
    }
    json_close(out, cap);
}

/* DEPARTMENT_CODES and FACILITY_TYPES with how often nurses name them. */
static const int DEPT_W[21] = {30, 15, 8, 6, 10, 6, 4, 6, 5, 4, 5, 5, 8, 2, 2, 2, 2, 4, 10, 3, 8};
static const int FTYPE_W[13] = {50, 16, 9, 6, 8, 5, 1, 1, 1, 1, 1, 0, 1};
static const char *const SKILLS[] = {"急変対応、人工呼吸器管理",   "透析の穿刺・回路管理",
                                     "手術室での器械出し・外回り", "訪問看護でのターミナルケア",
                                     "認知症ケア、褥瘡ケア",       "小児の採血・点滴、予防接種",
                                     "糖尿病の療養指導",           "内視鏡検査の介助",
                                     "救急外来でのトリアージ",     "保健指導、特定保健指導"};
static const char *const CONTACT[] = {"平日 10時〜16時", "平日 18時以降", "土日終日",
                                      "午前中",          "いつでも可",    "平日 12時〜13時"};

/* Loads the national nurses (users first..last) and their licences into ns. */
static int load_nat_seekers(seed_ctx *s, nat_seeker *ns, int n)
{
    db_val p[] = {DBI(s->nurse_first), DBI(s->nurse_last)};
    db_res *r = NULL;
    int rc = db_query(s->d,
                      "SELECT id, prefecture_code, created_at, channel FROM users "
                      "WHERE id BETWEEN $1 AND $2 AND role = 'seeker' ORDER BY id",
                      p, 2, &r);
    if (rc == DB_OK && r->nrows != n)
        rc = DB_ERROR;
    for (int i = 0; rc == DB_OK && i < n; i++) {
        int64_t pref = 0;
        ns[i].id = db_int(r, i, 0);
        str_to_i64(db_text(r, i, 1), 1, 47, &pref);
        ns[i].pref = (int)pref;
        ns[i].created_at = db_int(r, i, 2);
        str_copy(ns[i].channel, sizeof ns[i].channel, db_text(r, i, 3));
    }
    db_res_free(r);
    r = NULL;
    if (rc == DB_OK)
        rc = db_query(s->d,
                      "SELECT user_id, type, registered_on FROM licences "
                      "WHERE user_id BETWEEN $1 AND $2 ORDER BY id",
                      p, 2, &r);
    for (int i = 0; rc == DB_OK && i < r->nrows; i++) {
        int64_t uid = db_int(r, i, 0);
        int lo = 0, hi = n - 1;
        while (lo < hi) { /* ids ascend */
            int mid = (lo + hi) / 2;
            if (ns[mid].id < uid)
                lo = mid + 1;
            else
                hi = mid;
        }
        int t = code_index(LICENCE_CODES, db_text(r, i, 1));
        if (ns[lo].id != uid || t < 0)
            continue;
        ns[lo].lic |= 1u << t;
        if (!ns[lo].lic_date[0])
            str_copy(ns[lo].lic_date, sizeof ns[lo].lic_date, db_text(r, i, 2));
    }
    db_res_free(r);
    return rc;
}

/* The published offers with their facility's admin login. *out is owned by the caller. */
static int load_nat_offers(seed_ctx *s, sa_offer **out, int *n)
{
    db_res *r = NULL, *f = NULL;
    *out = NULL;
    *n = 0;
    int rc = db_query(s->d,
                      "SELECT facility_id, MIN(id) FROM users WHERE role = 'facility_admin' "
                      "AND facility_id IS NOT NULL GROUP BY facility_id ORDER BY facility_id",
                      NULL, 0, &f);
    if (rc == DB_OK)
        rc = db_query(s->d,
                      "SELECT id, facility_id, prefecture_code, employment_form, licence_mask, "
                      "version FROM offers WHERE status = 'published' ORDER BY id",
                      NULL, 0, &r);
    int64_t maxfid = rc == DB_OK && f->nrows ? db_int(f, f->nrows - 1, 0) : 0;
    int64_t *admin = rc == DB_OK ? calloc((size_t)maxfid + 1, sizeof *admin) : NULL;
    sa_offer *o = rc == DB_OK ? calloc((size_t)r->nrows + 1, sizeof *o) : NULL;
    if (rc == DB_OK && (!admin || !o))
        rc = DB_ERROR;
    for (int i = 0; rc == DB_OK && i < f->nrows; i++)
        admin[db_int(f, i, 0)] = db_int(f, i, 1);
    int k = 0;
    for (int i = 0; rc == DB_OK && i < r->nrows; i++) {
        int64_t fid = db_int(r, i, 1), pref = 0;
        if (fid < 1 || fid > maxfid || !admin[fid] ||
            str_to_i64(db_text(r, i, 2), 1, 47, &pref) != 0)
            continue; /* no facility login to act for it */
        int emp = code_index(EMPLOYMENT_FORMS, db_text(r, i, 3));
        o[k] = (sa_offer){.id = db_int(r, i, 0),
                          .facility_id = fid,
                          .admin_id = admin[fid],
                          .pref = (int)pref,
                          .emp = emp < 0 ? OFFER_EMP_JOKIN : (offer_employment_form)(emp + 1),
                          .lic = (unsigned)db_int(r, i, 4),
                          .version = db_int(r, i, 5)};
        k++;
    }
    free(admin);
    db_res_free(f);
    db_res_free(r);
    if (rc != DB_OK) {
        free(o);
        return rc;
    }
    *out = o;
    *n = k;
    return DB_OK;
}

/* Before the applications: the other prefecture a nurse would work in (a neighbour by code,
 * which mostly is one geographically) and the employment forms wished. */
static void nat_wishes(nat_seeker *n, sa_nurse *sn)
{
    if (pick(4) == 0) {
        int q = n->pref + (pick(2) ? 1 : -1);
        n->wish_pref = q < 1 ? 2 : q > 47 ? 46 : q;
    }
    int r = pick(100);
    unsigned J = 1u << OFFER_EMP_JOKIN, H = 1u << OFFER_EMP_HIJOKIN, R = 1u << OFFER_EMP_RINJI;
    n->emp = r < 45 ? J : r < 70 ? H : r < 92 ? J | H : r < 97 ? H | R : J | H | R;
    *sn = (sa_nurse){
        .user_id = n->id, .pref = n->pref, .wish_pref = n->wish_pref, .lic = n->lic, .emp = n->emp};
}

static char SEEKER_BATCH_SQL[12288], LICENCE_BATCH_SQL[2048], APP_BATCH_SQL[12288],
    EVENT_BATCH_SQL[4096];

/* The text parameters of one seekers row. */
typedef struct {
    char pref[3], deps[160], ftype_last[24], prefs[24], munis[64], emps[48], shifts[64], ftypes[96],
        wdeps[128], valid[16], start[16];
} seeker_row;

/* After the applications: the whole profile of n into the next row of b (text in *row); an
 * applicant's registration is moved before the first application. Sets *add_kangoshi when the
 * nurse's 保健師 or 助産師 licence needs the 看護師 licence beside it (number in n). */
static void nat_profile(seed_ctx *s, nat_seeker *n, const int *muni_first, const int *muni_count,
                        sbatch *b, seeker_row *row, bool *add_kangoshi)
{
    /* an applicant registered before applying */
    if (n->napps && n->created_at > n->first_at - 86400)
        n->created_at = n->first_at - 86400 - (int64_t)pick(90 * 86400);
    static const char *const WORK[] = {"employed", "not_working", "on_leave", "student"};
    int r = pick(100);
    int ws = n->placed ? 0 : r < 42 ? 0 : r < 82 ? 1 : r < 96 ? 2 : 3;
    bool student = ws == 3;
    int years = 0;
    r = pick(100);
    if (!student)
        years = r < 15   ? 1 + pick(3)
                : r < 45 ? 4 + pick(7)
                : r < 80 ? 11 + pick(10)
                         : 21 + pick(20);
    str_copy(row->deps, sizeof row->deps, "[]");
    row->ftype_last[0] = '\0';
    if (!student) {
        pick_codes(row->deps, sizeof row->deps, DEPARTMENT_CODES, DEPT_W, 21, 1 + pick(3));
        char one[48];
        pick_codes(one, sizeof one, FACILITY_TYPES, FTYPE_W, 13, 1);
        size_t len = strlen(one);
        if (len > 4) { /* ["code"] → code */
            one[len - 2] = '\0';
            str_copy(row->ftype_last, sizeof row->ftype_last, one + 2);
        }
    }
    int skill = pick(100) < 40 ? pick(10) : -1;
    int64_t brk = -1;
    if (ws == 1)
        brk = pick(3) ? 1 + pick(36) : 37 + pick(84);
    else if (ws == 2)
        brk = 1 + pick(18);
    int contact = pick(100) < 60 ? pick(6) : -1;
    bool consent = pick(100) < 70;

    /* wishes */
    str_copy(row->prefs, sizeof row->prefs, "[");
    str_copy(row->munis, sizeof row->munis, "[");
    str_copy(row->emps, sizeof row->emps, "[");
    str_copy(row->shifts, sizeof row->shifts, "[");
    char p2[3];
    snprintf(row->pref, sizeof row->pref, "%02d", n->pref);
    json_add(row->prefs, sizeof row->prefs, row->pref);
    if (n->wish_pref) {
        snprintf(p2, sizeof p2, "%02d", n->wish_pref);
        json_add(row->prefs, sizeof row->prefs, p2);
    }
    json_close(row->prefs, sizeof row->prefs);
    if (pick(100) < 30 && muni_count[n->pref] > 0) {
        /* one to three neighbouring municipalities (neighbours in code order) */
        int k = 1 + pick(3), cnt = muni_count[n->pref], m0 = pick(cnt);
        for (int i = 0; i < k && i < cnt; i++)
            json_add(row->munis, sizeof row->munis, s->munis[muni_first[n->pref] + (m0 + i) % cnt]);
    }
    json_close(row->munis, sizeof row->munis);
    for (int e = OFFER_EMP_JOKIN; e <= OFFER_EMP_RINJI; e++)
        if (n->emp & (1u << e))
            json_add(row->emps, sizeof row->emps, EMPLOYMENT_FORMS[e - 1]);
    json_close(row->emps, sizeof row->emps);
    bool jokin = n->emp & (1u << OFFER_EMP_JOKIN);
    int64_t nights = -1;
    r = pick(100);
    if (jokin && r < 40)
        json_add(row->shifts, sizeof row->shifts, "two_shift"), nights = 4 + pick(3);
    else if (jokin && r < 50) {
        json_add(row->shifts, sizeof row->shifts, "two_shift");
        json_add(row->shifts, sizeof row->shifts, "three_shift");
        nights = 6 + pick(5);
    } else if (r < 80)
        json_add(row->shifts, sizeof row->shifts, "day_only"), nights = 0;
    else if (r < 86)
        json_add(row->shifts, sizeof row->shifts, "night_only"), nights = 8 + pick(5);
    else if (r < 92) {
        json_add(row->shifts, sizeof row->shifts, "day_only");
        json_add(row->shifts, sizeof row->shifts, "on_call");
    }
    json_close(row->shifts, sizeof row->shifts);
    const char *wage_type = NULL;
    int64_t wage = 0;
    if (pick(100) < 92) {
        if (jokin) { /* 220,000–400,000 a month, most between 240,000 and 300,000 */
            wage_type = "monthly";
            wage = pick(4) ? 240000 + 5000 * pick(13) : 220000 + 5000 * pick(37);
        } else { /* 1,400–2,500 an hour */
            wage_type = "hourly";
            wage = pick(4) ? 1500 + 50 * pick(13) : 1400 + 50 * pick(23);
        }
    }
    pick_codes(row->ftypes, sizeof row->ftypes, FACILITY_TYPES, FTYPE_W, 13, pick(3));
    pick_codes(row->wdeps, sizeof row->wdeps, DEPARTMENT_CODES, DEPT_W, 21, pick(4));
    bool childcare = pick(100) < 12;
    static const int COMMUTE[] = {20, 30, 30, 45, 45, 60, 60, 90};
    int64_t commute = pick(100) < 65 ? COMMUTE[pick(8)] : -1;

    /* registration: status, activity and validity */
    int64_t from = n->napps && n->last_at > n->created_at ? n->last_at : n->created_at;
    int64_t activity = from + (s->now > from ? (int64_t)(rnd() % (uint64_t)(s->now - from)) : 0);
    r = pick(100);
    const char *status = r < 92 ? "active" : r < 97 ? "paused" : "closed";
    if (n->open)
        status = "active";
    else if (n->placed)
        status = r < 25 ? "closed" : "active";
    seeker_valid_until(activity, row->valid, sizeof row->valid);
    row->start[0] = '\0';
    if (pick(100) < 35) { /* the first of a month one to three months on */
        char base[16];
        time_jst_date(n->napps ? n->first_at : activity, base, sizeof base);
        int y, m, d, k = 1 + pick(3);
        date_parse(base, &y, &m, &d);
        snprintf(row->start, sizeof row->start, "%04d-%02d-01", y + (m + k - 1) / 12,
                 (m + k - 1) % 12 + 1);
    }
    int64_t by = 0;
    if (!strcmp(n->channel, "center"))
        by = s->counselors[n->pref][pick(3)];
    /* 保健師 and 助産師 are registered nurses as well */
    *add_kangoshi =
        (n->lic & (OFFER_LIC_HOKENSHI | OFFER_LIC_JOSANSHI)) && !(n->lic & OFFER_LIC_KANGOSHI);
    if (*add_kangoshi)
        snprintf(n->lic_number, sizeof n->lic_number, "%d", 100000 + pick(900000));

    db_val *v = sb_row(b);
    v[0] = DBI(n->id), v[1] = DBT(row->pref), v[2] = DBT(WORK[ws]), v[3] = DBI(years);
    v[4] = DBT(row->deps), v[5] = DBT(skill >= 0 ? SKILLS[skill] : NULL);
    v[6] = DBT(row->ftype_last[0] ? row->ftype_last : NULL);
    v[7] = brk >= 0 ? DBI(brk) : DBNULL;
    v[8] = DBT(contact >= 0 ? CONTACT[contact] : NULL), v[9] = DBI(consent ? 1 : 0);
    v[10] = DBT(row->prefs), v[11] = DBT(row->munis), v[12] = DBT(row->emps);
    v[13] = DBT(row->shifts), v[14] = nights >= 0 ? DBI(nights) : DBNULL;
    v[15] = DBT(wage_type), v[16] = wage_type ? DBI(wage) : DBNULL;
    v[17] = DBT(row->ftypes), v[18] = DBT(row->wdeps);
    v[19] = DBT(row->start[0] ? row->start : NULL), v[20] = DBI(childcare ? 1 : 0);
    v[21] = commute >= 0 ? DBI(commute) : DBNULL, v[22] = DBT(status), v[23] = DBT(row->valid);
    v[24] = DBI(activity), v[25] = by ? DBI(by) : DBNULL, v[26] = DBI(n->created_at);
    v[27] = DBI(activity);
}

/* The profiles of all national nurses, the 看護師 licences that go with 保健師 and 助産師, and
 * then, in two statements, the accounts: a phone number (derived from the id) and the
 * registration time of the profile (earlier for applicants). */
static int insert_nat_profiles(seed_ctx *s, nat_seeker *ns, int n)
{
    int muni_first[48] = {0}, muni_count[48] = {0};
    for (int m = 0; m < s->nmunis; m++) {
        int64_t q;
        char pp[3] = {s->munis[m][0], s->munis[m][1], '\0'};
        if (str_to_i64(pp, 1, 47, &q) != 0)
            continue;
        if (!muni_count[q]++)
            muni_first[q] = m;
    }
    sbatch *sb = malloc(sizeof *sb), *lb = malloc(sizeof *lb);
    seeker_row *rows = calloc(SB_ROWS, sizeof *rows);
    int rc = sb && lb && rows ? DB_OK : DB_ERROR;
    if (rc == DB_OK)
        rc = sb_init(
            s->d, sb,
            "INSERT INTO seekers (user_id, prefecture_code, work_status, experience_years, "
            "experience_departments, skills, last_facility_type, career_break_months, "
            "contact_hours, email_consent, wish_prefectures, wish_municipalities, "
            "wish_employment_forms, wish_shift_patterns, wish_max_night_shifts, wish_wage_type, "
            "wish_wage_min, wish_facility_types, wish_departments, wish_start_date, "
            "wish_childcare, wish_commute_minutes, status, valid_until, last_activity_at, "
            "created_by, created_at, updated_at) VALUES ",
            "", 28, SEEKER_BATCH_SQL, sizeof SEEKER_BATCH_SQL);
    if (rc == DB_OK)
        rc =
            sb_init(s->d, lb, "INSERT INTO licences (user_id, type, number, registered_on) VALUES ",
                    "", 4, LICENCE_BATCH_SQL, sizeof LICENCE_BATCH_SQL);
    for (int i = 0; rc == DB_OK && i < n; i++) {
        seeker_row *row = &rows[sb->nrows];
        bool kangoshi = false;
        nat_profile(s, &ns[i], muni_first, muni_count, sb, row, &kangoshi);
        if (rc == DB_OK && kangoshi) {
            db_val *v = sb_row(lb);
            v[0] = DBI(ns[i].id), v[1] = DBT("kangoshi"), v[2] = DBT(ns[i].lic_number);
            v[3] = DBT(ns[i].lic_date[0] ? ns[i].lic_date : "2010-04-01");
            rc = sb_push(s->d, lb, NULL);
        }
        if (rc == DB_OK)
            rc = sb_push(s->d, sb, NULL);
    }
    if (rc == DB_OK)
        rc = sb_flush(s->d, sb, NULL);
    if (rc == DB_OK)
        rc = sb_flush(s->d, lb, NULL);
    free(rows);
    free(sb);
    free(lb);
    db_val p[] = {DBI(s->nurse_first), DBI(s->nurse_last)};
    if (rc == DB_OK)
        rc = db_query(s->d,
                      "UPDATE users SET phone = '0' || CAST(7 + id % 3 AS TEXT) || '0-' || "
                      "substr(CAST(10000 + (id * 7919) % 9973 AS TEXT), 2) || '-' || "
                      "substr(CAST(10000 + (id * 104729) % 9967 AS TEXT), 2), "
                      "created_at = (SELECT s.created_at FROM seekers s WHERE s.user_id = "
                      "users.id) WHERE id BETWEEN $1 AND $2 AND role = 'seeker'",
                      p, 2, NULL);
    return rc;
}

/* A date or text column: NULL when empty. */
static db_val date_val(const char *d)
{
    return d && d[0] ? DBT(d) : DBNULL;
}

static db_val check_val(placement_check_result c)
{
    return c == PL_CHECK_UNSET ? DBNULL : DBT(placement_check_result_name(c));
}

/* Stores the generated applications (in batches; RETURNING matches each new id to its row by
 * nurse and offer, a pair unique among them), their events and the referral counters. */
static int insert_nat_apps(seed_ctx *s, const sa_params *p, const sa_result *res)
{
    int64_t *ids = calloc((size_t)res->napps + 1, sizeof *ids);
    sbatch *b = malloc(sizeof *b);
    char(*prefs)[3] = calloc(SB_ROWS, sizeof *prefs);
    char(*details)[512] = calloc(SB_ROWS, sizeof *details);
    int rc = ids && b && prefs && details ? DB_OK : DB_ERROR;
    if (rc == DB_OK)
        rc = sb_init(
            s->d, b,
            "INSERT INTO applications (seeker_user_id, offer_id, facility_id, prefecture_code, "
            "state, origin, is_open, referral_no, referred_at, interview_date, decision_reason, "
            "decided_at, start_date, employment_form, permanent, due_1m, due_3m, due_6m, "
            "check_1m, check_3m, check_6m, left_date, left_within_6m, created_by, created_at, "
            "updated_at, closed_at, offer_version) VALUES ",
            " RETURNING id, seeker_user_id, offer_id", 28, APP_BATCH_SQL, sizeof APP_BATCH_SQL);
    int base = 0; /* the first application of the batch being collected */
    for (int i = 0; rc == DB_OK && i < res->napps; i++) {
        const sa_app *a = &res->apps[i];
        const sa_offer *o = &p->offers[a->offer];
        char *pref = prefs[b->nrows];
        snprintf(pref, 3, "%02d", a->pref);
        bool placed = a->emp != OFFER_EMP_UNSET;
        db_val *v = sb_row(b);
        v[0] = DBI(p->nurses[a->nurse].user_id), v[1] = DBI(o->id), v[2] = DBI(o->facility_id);
        v[3] = DBT(pref), v[4] = DBT(placement_state_name(a->state));
        v[5] = DBT(a->proposal ? "proposal" : "request");
        v[6] = DBI(placement_state_is_terminal(a->state) ? 0 : 1);
        v[7] = date_val(a->referral_no), v[8] = a->referred_at ? DBI(a->referred_at) : DBNULL;
        v[9] = date_val(a->interview_date), v[10] = DBT(a->decision_reason);
        v[11] = a->decided_at ? DBI(a->decided_at) : DBNULL, v[12] = date_val(a->start_date);
        v[13] = placed ? DBT(EMPLOYMENT_FORMS[a->emp - 1]) : DBNULL;
        v[14] = placed ? DBI(a->permanent == OFFER_YES ? 1 : 0) : DBNULL;
        v[15] = date_val(a->due.m1), v[16] = date_val(a->due.m3), v[17] = date_val(a->due.m6);
        v[18] = check_val(a->check[0]), v[19] = check_val(a->check[1]);
        v[20] = check_val(a->check[2]), v[21] = date_val(a->left_date);
        v[22] = a->left_within_6m >= 0 ? DBI(a->left_within_6m) : DBNULL;
        v[23] = DBI(a->created_by), v[24] = DBI(a->created_at), v[25] = DBI(a->updated_at);
        v[26] = a->closed_at ? DBI(a->closed_at) : DBNULL;
        v[27] = a->referred_at ? DBI(o->version) : DBNULL;
        db_res *r = NULL;
        int sent = b->nrows + 1; /* the rows a send now would carry */
        rc = sb_push(s->d, b, &r);
        if (rc == DB_OK && !r && i == res->napps - 1)
            rc = sb_flush(s->d, b, &r);
        for (int k = 0; rc == DB_OK && r && k < r->nrows; k++) {
            int64_t nurse = db_int(r, k, 1), oid = db_int(r, k, 2);
            int j = base;
            while (j < base + sent && (p->nurses[res->apps[j].nurse].user_id != nurse ||
                                       p->offers[res->apps[j].offer].id != oid))
                j++;
            if (j == base + sent)
                rc = DB_ERROR;
            else
                ids[j] = db_int(r, k, 0);
        }
        if (r) {
            if (rc == DB_OK && r->nrows != sent)
                rc = DB_ERROR;
            base += sent;
            db_res_free(r);
        }
    }
    if (rc == DB_OK)
        rc = sb_init(s->d, b,
                     "INSERT INTO application_events (application_id, at, actor_user_id, "
                     "actor_kind, action, from_state, to_state, detail) VALUES ",
                     "", 8, EVENT_BATCH_SQL, sizeof EVENT_BATCH_SQL);
    for (int i = 0; rc == DB_OK && i < res->nevents; i++) {
        const sa_event *e = &res->events[i];
        char *detail = details[b->nrows];
        if (sa_event_detail(p, &res->apps[e->app], e, detail, sizeof details[0]) != 0 ||
            !ids[e->app]) {
            rc = DB_ERROR;
            break;
        }
        db_val *v = sb_row(b);
        v[0] = DBI(ids[e->app]), v[1] = DBI(e->at), v[2] = DBI(e->actor_id);
        v[3] = DBT(placement_actor_name(e->actor)), v[4] = DBT(placement_action_name(e->act));
        v[5] = DBT(placement_state_name(e->from)), v[6] = DBT(placement_state_name(e->to));
        v[7] = DBT(detail);
        rc = sb_push(s->d, b, NULL);
    }
    if (rc == DB_OK)
        rc = sb_flush(s->d, b, NULL);
    free(ids);
    free(b);
    free(prefs);
    free(details);
    for (int k = 0; k < 2 && rc == DB_OK; k++)
        for (int q = 1; q <= 47 && rc == DB_OK; q++) {
            if (res->referral_seq[k][q] == p->referral_seq[k][q])
                continue;
            char pref[3];
            snprintf(pref, sizeof pref, "%02d", q);
            db_val v[] = {DBT(pref), DBI(p->fiscal_year + k), DBI(res->referral_seq[k][q])};
            rc = db_query(s->d,
                          "INSERT INTO referral_numbers (prefecture_code, fiscal_year, last_seq) "
                          "VALUES ($1, $2, $3) ON CONFLICT (prefecture_code, fiscal_year) DO "
                          "UPDATE SET last_seq = excluded.last_seq",
                          v, 3, NULL);
        }
    return rc;
}

/* The referral numbers already given in the two fiscal years the applications use. */
static int load_referral_seq(seed_ctx *s, sa_params *p)
{
    db_res *r = NULL;
    int rc = db_query(s->d, "SELECT prefecture_code, fiscal_year, last_seq FROM referral_numbers",
                      NULL, 0, &r);
    for (int i = 0; rc == DB_OK && i < r->nrows; i++) {
        int64_t q, fy = db_int(r, i, 1);
        if (str_to_i64(db_text(r, i, 0), 1, 47, &q) == 0 && fy >= p->fiscal_year &&
            fy <= p->fiscal_year + 1)
            p->referral_seq[fy - p->fiscal_year][q] = db_int(r, i, 2);
    }
    db_res_free(r);
    return rc;
}

static int seed_national_people(seed_ctx *s)
{
    int n = (int)(s->nurse_last - s->nurse_first + 1);
    nat_seeker *ns = calloc((size_t)n + 1, sizeof *ns);
    sa_nurse *sn = calloc((size_t)n + 1, sizeof *sn);
    sa_params *p = calloc(1, sizeof *p);
    sa_offer *offers = NULL;
    int noffers = 0;
    int rc = ns && sn && p ? load_nat_seekers(s, ns, n) : DB_ERROR;
    if (rc == DB_OK)
        rc = load_nat_offers(s, &offers, &noffers);
    account central;
    if (rc == DB_OK)
        rc = store_user_by_email(s->d, "central@example.jp", &central);
    if (p)
        p->fiscal_year = NAT_APPS_FY;
    if (rc == DB_OK)
        rc = load_referral_seq(s, p);
    for (int i = 0; rc == DB_OK && i < n; i++)
        nat_wishes(&ns[i], &sn[i]);

    sa_result res;
    memset(&res, 0, sizeof res);
    if (rc == DB_OK) {
        p->today = NAT_APPS_TODAY;
        p->applicants = NAT_APPLICANTS;
        p->placements = NAT_PLACEMENTS;
        p->nurses = sn;
        p->nnurses = n;
        p->offers = offers;
        p->noffers = noffers;
        for (int q = 1; q <= 47; q++) {
            p->ncounselors[q] = 3;
            for (int k = 0; k < 3; k++)
                p->counselors[q][k] = s->counselors[q][k];
        }
        p->central_id = central.id;
        p->seed = rnd();
        if (sa_generate(p, &res) != 0) {
            fprintf(stderr, "nccs: seed applications: %s\n", res.err);
            rc = DB_ERROR;
        }
    }
    /* what the profiles need to know of the applications */
    for (int i = 0; rc == DB_OK && i < res.napps; i++) {
        const sa_app *a = &res.apps[i];
        nat_seeker *x = &ns[a->nurse];
        if (!x->napps++ || a->created_at < x->first_at)
            x->first_at = a->created_at;
        if (a->updated_at > x->last_at)
            x->last_at = a->updated_at;
        if (sa_state_reached_placed(a->state))
            x->placed = 1;
        else if (!placement_state_is_terminal(a->state))
            x->open = 1;
    }
    if (rc == DB_OK)
        rc = insert_nat_profiles(s, ns, n);
    if (rc == DB_OK)
        rc = insert_nat_apps(s, p, &res);
    sa_result_free(&res);
    free(offers);
    free(p);
    free(sn);
    free(ns);
    return rc;
}

/* Demo job-seeker profiles (licences, experience, wishes) for nurse13 and nurse27. The bodies
 * are what PUT /me/seeker accepts. Demo scale only: the national seeker data is not seeded. */
static int seed_demo_seekers(seed_ctx *s)
{
    static const struct {
        const char *email, *body;
    } demo[] = {
        {"nurse13@example.jp",
         "{\"work_status\":\"not_working\",\"prefecture\":\"13\",\"phone\":\"090-1234-5678\","
         "\"contact_hours\":\"平日 10時〜16時\",\"email_consent\":true,"
         "\"licences\":[{\"type\":\"kangoshi\",\"number\":\"123456\",\"registered_on\":"
         "\"2015-04-01\"},{\"type\":\"hokenshi\",\"number\":\"34567\",\"registered_on\":"
         "\"2015-04-01\"}],"
         "\"experience\":{\"years\":8,\"departments\":[\"internal\",\"surgery\",\"operating\"],"
         "\"skills\":\"手術室での器械出し・外回り。急変対応。\",\"last_facility_type\":"
         "\"hospital\",\"career_break_months\":18},"
         "\"wishes\":{\"prefectures\":[\"13\"],\"municipalities\":[\"13101\",\"13104\"],"
         "\"employment_forms\":[\"jokin\",\"hijokin\"],\"shift_patterns\":[\"day_only\"],"
         "\"max_night_shifts\":0,\"wage\":{\"type\":\"monthly\",\"min\":250000},"
         "\"facility_types\":[\"hospital\",\"clinic\"],\"departments\":[\"internal\","
         "\"outpatient\"],\"start_date\":null,\"childcare\":true,\"commute_minutes\":45}}"},
        {"nurse27@example.jp",
         "{\"work_status\":\"employed\",\"prefecture\":\"27\",\"phone\":\"080-2345-6789\","
         "\"contact_hours\":\"土日終日\",\"email_consent\":false,"
         "\"licences\":[{\"type\":\"kangoshi\",\"number\":\"234567\",\"registered_on\":"
         "\"2012-04-01\"}],"
         "\"experience\":{\"years\":12,\"departments\":[\"home_care\",\"palliative\"],"
         "\"skills\":\"訪問看護 5年。緩和ケア。\",\"last_facility_type\":\"visiting_nursing\"},"
         "\"wishes\":{\"prefectures\":[\"27\",\"28\"],\"municipalities\":[\"27128\"],"
         "\"employment_forms\":[\"hijokin\"],\"shift_patterns\":[\"day_only\",\"on_call\"],"
         "\"wage\":{\"type\":\"hourly\",\"min\":1800},\"facility_types\":[\"visiting_nursing\"],"
         "\"departments\":[\"home_care\"],\"childcare\":false,\"commute_minutes\":30}}"},
    };
    int rc = DB_OK;
    for (size_t i = 0; rc == DB_OK && i < sizeof demo / sizeof demo[0]; i++) {
        account a;
        json_error_t jerr;
        rc = store_user_by_email(s->d, demo[i].email, &a);
        json_t *body = rc == DB_OK ? json_loads(demo[i].body, JSON_REJECT_DUPLICATES, &jerr) : NULL;
        if (rc == DB_OK && !body) {
            fprintf(stderr, "nccs: demo seeker %s: %s\n", demo[i].email, jerr.text);
            rc = DB_ERROR;
        }
        bool created = false;
        if (rc == DB_OK)
            rc = store_seeker_put(s->d, a.id, body, 0, s->now, &created);
        json_decref(body);
    }
    return rc;
}

static int seed_tx(db *d, void *arg)
{
    seed_ctx *s = arg;
    s->d = d;
    int64_t id, f13, f27;
    int rc = store_facility_insert(d, "東京中央総合病院", "トウキョウチュウオウソウゴウビョウイン",
                                   "13", "13101", "hospital", "03-3201-0000", s->now, &f13);
    if (rc == DB_OK)
        rc = store_facility_insert(d, "なにわ訪問看護ステーション",
                                   "ナニワホウモンカンゴステーション", "27", "27128",
                                   "visiting_nursing", "06-6201-0000", s->now, &f27);
    if (rc != DB_OK)
        return rc;
    rc = db_query(d, "UPDATE facilities SET status = 'approved', reviewed_at = created_at", NULL, 0,
                  NULL);
    /* A third facility waits in Tokyo's review queue. */
    int64_t fpend = 0;
    if (rc == DB_OK)
        rc = store_facility_insert(d, "さくら在宅クリニック", "サクラザイタククリニック", "13",
                                   "13104", "clinic", "03-3350-0000", s->now, &fpend);
    for (int64_t f = 1; rc == DB_OK && f <= fpend; f++)
        rc = store_facility_event(d, f, 0, "registered", "{}", s->now);
    if (rc != DB_OK)
        return rc;
    const struct {
        const char *email, *role, *name, *kana, *pref;
        int64_t fid;
    } fixed[] = {
        {"sysadmin@example.jp", "sysadmin", "システム 管理者", "システム カンリシャ", NULL, 0},
        {"central@example.jp", "central", "中央 太郎", "チュウオウ タロウ", NULL, 0},
        {"admin13@example.jp", "center_admin", "東 京子", "アズマ キョウコ", "13", 0},
        {"counselor13@example.jp", "counselor", "相談 恵子", "ソウダン ケイコ", "13", 0},
        {"counselor27@example.jp", "counselor", "浪速 和子", "ナニワ カズコ", "27", 0},
        {"facility13@example.jp", "facility_admin", "人事 一郎", "ジンジ イチロウ", "13", f13},
        {"staff13@example.jp", "facility_staff", "採用 花子", "サイヨウ ハナコ", "13", f13},
        {"facility27@example.jp", "facility_admin", "大阪 次郎", "オオサカ ジロウ", "27", f27},
        {"pending13@example.jp", "facility_admin", "桜井 三郎", "サクライ サブロウ", "13", fpend},
    };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        rc = add_user(s, fixed[i].email, fixed[i].role, fixed[i].name, fixed[i].kana, fixed[i].pref,
                      fixed[i].fid, "center", s->now, &id);
        if (rc != DB_OK)
            return rc;
    }
    /* Offers: published in Tokyo and Osaka, a draft in Tokyo. */
    int64_t oid;
    rc = seed_offer(s, f13, "13", "13101", "医療法人社団 東京中央会", &JOB_WARD,
                    "千代田区丸の内1-1-1", "東京駅", true, &oid);
    if (rc == DB_OK)
        rc = seed_offer(s, f27, "27", "27128", "なにわ訪問看護ステーション", &JOB_VISIT,
                        "大阪市中央区本町1-1-1", "本町駅", true, &oid);
    if (rc == DB_OK)
        rc = seed_offer(s, f13, "13", "13101", "医療法人社団 東京中央会", &JOB_OUTPATIENT,
                        "千代田区丸の内1-1-1", "東京駅", false, &oid);
    if (rc != DB_OK)
        return rc;
    rc = add_user(s, "nurse13@example.jp", "seeker", "看護 花子", "カンゴ ハナコ", "13", 0, "pc",
                  s->now, &id);
    if (rc == DB_OK)
        rc = store_licence_insert(d, id, "kangoshi", "123456", "2015-04-01");
    if (rc == DB_OK)
        rc = add_user(s, "nurse27@example.jp", "seeker", "大阪 美咲", "オオサカ ミサキ", "27", 0,
                      "smartphone", s->now, &id);
    if (rc == DB_OK)
        rc = store_licence_insert(d, id, "kangoshi", "234567", "2012-04-01");
    if (rc == DB_OK)
        rc = seed_demo_seekers(s);
    if (rc == DB_OK)
        rc = seed_demo_applications(d, s->now);
    if (rc == DB_OK)
        rc = seed_demo_notifications(d, s->now);
    if (rc != DB_OK)
        return rc;
    bool national = !strcmp(s->scale, "national");
    int nurses = national ? 67710 : 40;
    static const char *const DEMO_PREFS[] = {"13", "13", "13", "27", "27", "14", "01", "40"};
    char email[64], pref[3];
    for (int i = 1; i <= nurses && rc == DB_OK; i++) {
        if (national)
            snprintf(pref, sizeof pref, "%02d", pick_pref());
        else
            str_copy(pref, sizeof pref, DEMO_PREFS[pick(8)]);
        snprintf(email, sizeof email, "nurse%05d@example.jp", i);
        rc = add_nurse(s, email, pref, &id);
        if (i == 1)
            s->nurse_first = id;
        s->nurse_last = id;
    }
    if (national && rc == DB_OK) {
        rc = load_munis(s);
        for (int p = 1; p <= 47 && rc == DB_OK; p++) {
            snprintf(pref, sizeof pref, "%02d", p);
            snprintf(email, sizeof email, "admin%02d@example.jp", p);
            if (p != 13)
                rc = add_user(s, email, "center_admin", "センター 管理者", "センター カンリシャ",
                              pref, 0, "center", s->now, &id);
            for (int k = 1; k <= 3 && rc == DB_OK; k++) {
                snprintf(email, sizeof email, "counselor%02d-%d@example.jp", p, k);
                rc = add_user(s, email, "counselor", "相談 員", "ソウダン イン", pref, 0, "center",
                              s->now, &s->counselors[p][k - 1]);
            }
        }
        nat_fac *fac = rc == DB_OK ? calloc(NAT_FACILITIES, sizeof *fac) : NULL;
        if (rc == DB_OK && !fac)
            rc = DB_ERROR;
        if (rc == DB_OK)
            rc = seed_national_facilities(s, fac);
        if (rc == DB_OK)
            rc = seed_national_offers(s, fac);
        if (rc == DB_OK)
            rc = seed_national_people(s);
        if (rc == DB_OK)
            rc = seed_national_notifications(d, s->nurse_first, s->nurse_last, rnd());
        /* fresh planner statistics after the bulk load (without them SQLite looks the search
         * page's offers up through the status index, scanning every published offer) */
        if (rc == DB_OK)
            rc = db_exec_script(d, "ANALYZE");
        free(fac);
        free(s->munis);
        free(s->muni_names);
        s->munis = NULL;
        s->muni_names = NULL;
    }
    return rc;
}

int cmd_seed(int argc, char **argv)
{
    const char *scale = "demo";
    uint64_t seed = 20261121;
    for (int i = 0; i + 1 < argc; i++) {
        if (!strcmp(argv[i], "--scale"))
            scale = argv[i + 1];
        if (!strcmp(argv[i], "--seed")) {
            int64_t v;
            if (str_to_i64(argv[i + 1], 0, INT64_MAX, &v) != 0) {
                fprintf(stderr, "nccs: --seed must be a non-negative integer\n");
                return 2;
            }
            seed = (uint64_t)v;
        }
    }
    if (strcmp(scale, "demo") != 0 && strcmp(scale, "national") != 0) {
        fprintf(stderr, "usage: nccs seed --db URL --scale demo|national [--seed N]\n");
        return 2;
    }
    db *d = cli_open();
    if (!d)
        return 1;
    account a;
    int rc = store_user_by_email(d, "sysadmin@example.jp", &a);
    if (rc == DB_OK) {
        printf("nccs: database already seeded; nothing done\n");
        db_close(d);
        return 0;
    }
    seed_ctx s;
    memset(&s, 0, sizeof s);
    s.scale = scale;
    s.now = time_now();
    rng_state = seed;
    if (crypto_password_hash(DEMO_PASSWORD, s.hash, sizeof s.hash) != 0) {
        db_close(d);
        return 1;
    }
    rc = db_tx(d, seed_tx, &s);
    free(s.munis);
    free(s.muni_names);
    if (rc != DB_OK) {
        fprintf(stderr, "nccs: seed failed: %s\n", db_errmsg(d));
        db_close(d);
        return 1;
    }
    db_close(d);
    printf("nccs: seeded %s data (password for every demo account: %s)\n", scale, DEMO_PASSWORD);
    return 0;
}
