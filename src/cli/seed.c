/* `nccs seed --scale demo|national [--seed N]`: deterministic, realistic Japanese data.
 * demo: the fixed demo accounts of docs/API.md plus a few dozen nurses; national: the same plus
 * staff for all 47 centers, 31,444 facilities with an admin login each and 67,710 nurses.
 * All seeded accounts share one argon2id hash of the demo password (computed once), which is
 * acceptable for demo data only. Seeding an already seeded database does nothing. */
#include "cli/cli.h"
#include "store/accounts.h"
#include "store/facilities.h"
#include "store/offers.h"
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
    char (*munis)[6]; /* all municipality codes, grouped by prefecture via muni_pref */
    int nmunis;
} seed_ctx;

static int add_user(seed_ctx *s, const char *email, const char *role, const char *name,
                    const char *kana, const char *pref, int64_t fid, const char *channel,
                    int64_t created, int64_t *id)
{
    account a;
    memset(&a, 0, sizeof a);
    str_copy(a.email, sizeof a.email, email);
    str_copy(a.role, sizeof a.role, role);
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

static int muni_of(seed_ctx *s, const char *pref, char out[6])
{
    int first = -1, count = 0;
    for (int i = 0; i < s->nmunis; i++)
        if (!strncmp(s->munis[i], pref, 2)) {
            if (first < 0)
                first = i;
            count++;
        }
    if (count == 0)
        return -1;
    str_copy(out, 6, s->munis[first + pick(count)]);
    return 0;
}

static int load_munis(seed_ctx *s)
{
    db_res *r = NULL;
    int rc = db_query(s->d, "SELECT code FROM municipalities ORDER BY code", NULL, 0, &r);
    if (rc != DB_OK)
        return rc;
    s->nmunis = r->nrows;
    s->munis = calloc((size_t)r->nrows + 1, sizeof *s->munis);
    for (int i = 0; s->munis && i < r->nrows; i++)
        str_copy(s->munis[i], 6, db_text(r, i, 0));
    db_res_free(r);
    return s->munis ? DB_OK : DB_ERROR;
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
    if (rc != DB_OK)
        return rc;
    bool national = !strcmp(s->scale, "national");
    int nurses = national ? 67710 : 40, facilities = national ? 31444 : 0;
    static const char *const DEMO_PREFS[] = {"13", "13", "13", "27", "27", "14", "01", "40"};
    char email[64], pref[3];
    for (int i = 1; i <= nurses && rc == DB_OK; i++) {
        if (national)
            snprintf(pref, sizeof pref, "%02d", 1 + pick(47));
        else
            str_copy(pref, sizeof pref, DEMO_PREFS[pick(8)]);
        snprintf(email, sizeof email, "nurse%05d@example.jp", i);
        rc = add_nurse(s, email, pref, &id);
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
                              s->now, &id);
            }
        }
        static const char *const KIND[][3] = {
            {"総合病院", "ソウゴウビョウイン", "hospital"},
            {"クリニック", "クリニック", "clinic"},
            {"訪問看護ステーション", "ホウモンカンゴステーション", "visiting_nursing"},
            {"介護老人保健施設", "カイゴロウジンホケンシセツ", "geriatric_health"},
            {"特別養護老人ホーム", "トクベツヨウゴロウジンホーム", "nursing_home"}};
        for (int i = 1; i <= facilities && rc == DB_OK; i++) {
            snprintf(pref, sizeof pref, "%02d", 1 + pick(47));
            char muni[6], name[128], kana[160];
            if (muni_of(s, pref, muni) != 0)
                continue;
            int k = pick(5), f = pick(32);
            snprintf(name, sizeof name, "%s%s", FAMILY[f][0], KIND[k][0]);
            snprintf(kana, sizeof kana, "%s%s", FAMILY[f][1], KIND[k][1]);
            int64_t fid;
            rc = store_facility_insert(d, name, kana, pref, muni, KIND[k][2], "03-0000-0000",
                                       s->now, &fid);
            if (rc == DB_OK) {
                snprintf(email, sizeof email, "facility%05d@example.jp", i);
                rc = add_user(s, email, "facility_admin", "施設 担当者", "シセツ タントウシャ",
                              pref, fid, "pc", s->now, &id);
            }
        }
        free(s->munis);
        s->munis = NULL;
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
    if (rc != DB_OK) {
        fprintf(stderr, "nccs: seed failed: %s\n", db_errmsg(d));
        db_close(d);
        return 1;
    }
    db_close(d);
    printf("nccs: seeded %s data (password for every demo account: %s)\n", scale, DEMO_PASSWORD);
    return 0;
}
