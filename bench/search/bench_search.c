/* In-process benchmark of the search index (src/search/index.h) on synthetic national-scale data:
 * 158,602 job offers with Japanese text, a fixed mix of 1,000 queries (about half with one- or
 * two-character keywords, 0-4 filters, facets always). Prints p50/p95/p99 latency (first pass
 * with a cold term cache, then a warm pass), index memory and rebuild time.
 *
 * Usage: bench_search [docs] [queries]      (defaults 158602 and 1000; deterministic) */
#include "search/index.h"

#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* xorshift64*: deterministic across runs and platforms. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;
static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}
static unsigned rn(unsigned n)
{
    return (unsigned)(rnd() % n);
}
#define PICK(arr) (arr[rn(sizeof arr / sizeof arr[0])])

static double clock_ms(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}
static double now_ms(void)
{
    return clock_ms(CLOCK_MONOTONIC);
}

/* Prefectures with population in units of 10,000 (2020 census, rounded) and a rough centre. */
static const struct {
    const char *name;
    int pop;
    double lat, lon;
} PREF[48] = {
    {"", 0, 0, 0},
    {"北海道", 522, 43.06, 141.35},
    {"青森県", 124, 40.82, 140.74},
    {"岩手県", 121, 39.70, 141.15},
    {"宮城県", 230, 38.27, 140.87},
    {"秋田県", 96, 39.72, 140.10},
    {"山形県", 107, 38.24, 140.36},
    {"福島県", 183, 37.75, 140.47},
    {"茨城県", 287, 36.34, 140.45},
    {"栃木県", 193, 36.57, 139.88},
    {"群馬県", 194, 36.39, 139.06},
    {"埼玉県", 734, 35.86, 139.65},
    {"千葉県", 628, 35.61, 140.12},
    {"東京都", 1405, 35.69, 139.69},
    {"神奈川県", 924, 35.45, 139.64},
    {"新潟県", 220, 37.90, 139.02},
    {"富山県", 103, 36.70, 137.21},
    {"石川県", 113, 36.59, 136.63},
    {"福井県", 77, 36.07, 136.22},
    {"山梨県", 81, 35.66, 138.57},
    {"長野県", 205, 36.65, 138.18},
    {"岐阜県", 198, 35.39, 136.72},
    {"静岡県", 363, 34.98, 138.38},
    {"愛知県", 754, 35.18, 136.91},
    {"三重県", 177, 34.73, 136.51},
    {"滋賀県", 141, 35.00, 135.87},
    {"京都府", 258, 35.02, 135.76},
    {"大阪府", 884, 34.69, 135.52},
    {"兵庫県", 547, 34.69, 135.18},
    {"奈良県", 132, 34.69, 135.83},
    {"和歌山県", 92, 34.23, 135.17},
    {"鳥取県", 55, 35.50, 134.24},
    {"島根県", 67, 35.47, 133.05},
    {"岡山県", 189, 34.66, 133.93},
    {"広島県", 280, 34.40, 132.46},
    {"山口県", 134, 34.19, 131.47},
    {"徳島県", 72, 34.07, 134.56},
    {"香川県", 95, 34.34, 134.04},
    {"愛媛県", 133, 33.84, 132.77},
    {"高知県", 69, 33.56, 133.53},
    {"福岡県", 514, 33.61, 130.42},
    {"佐賀県", 81, 33.25, 130.30},
    {"長崎県", 131, 32.74, 129.87},
    {"熊本県", 174, 32.79, 130.74},
    {"大分県", 112, 33.24, 131.61},
    {"宮崎県", 107, 31.91, 131.42},
    {"鹿児島県", 159, 31.56, 130.56},
    {"沖縄県", 147, 26.21, 127.68},
};

static const char *CITY[] = {"中央", "北",     "南",   "東",   "西",   "港",   "青葉", "緑",
                             "若葉", "桜ヶ丘", "山手", "旭",   "栄",   "本町", "新町", "川口",
                             "松原", "高台",   "泉",   "清水", "宮前", "横浜", "札幌", "福岡",
                             "神戸", "名古屋", "仙台", "広島", "京都", "堺",   "千葉", "大宮"};
static const char *CORP[] = {"医療法人社団", "医療法人",     "社会福祉法人", "社会医療法人",
                             "独立行政法人", "一般財団法人", "株式会社",     "公益社団法人"};
static const char *CORPN[] = {"緑風", "慈恵", "清和", "恵愛", "聖心", "博愛", "健生", "仁愛",
                              "松柏", "光輝", "若竹", "明和", "誠心", "和光", "敬愛", "愛生"};
static const char *KIND[] = {"総合病院",
                             "病院",
                             "クリニック",
                             "診療所",
                             "訪問看護ステーション",
                             "介護老人保健施設",
                             "特別養護老人ホーム",
                             "透析クリニック",
                             "保育園",
                             "健診センター",
                             "助産院",
                             "大学病院",
                             "リハビリテーション病院",
                             "精神科病院",
                             "ｸﾘﾆｯｸ",
                             "デイサービス",
                             "有料老人ホーム",
                             "保健所"};
static const char *DEPT[] = {"内科",         "外科",
                             "整形外科",     "循環器内科",
                             "消化器内科",   "小児科",
                             "産婦人科",     "精神科",
                             "脳神経外科",   "泌尿器科",
                             "眼科",         "皮膚科",
                             "耳鼻咽喉科",   "透析室",
                             "手術室",       "ICU",
                             "HCU",          "NICU",
                             "救急外来",     "回復期リハビリテーション病棟",
                             "緩和ケア病棟", "地域包括ケア病棟",
                             "外来",         "療養病棟",
                             "健診",         "訪問看護",
                             "美容皮膚科",   "内視鏡室"};
static const char *SHIFTW[] = {"二交代",   "三交代",   "日勤のみ", "夜勤専従", "オンコールあり",
                               "夜勤あり", "日勤常勤", "パート",   "夜勤なし"};
static const char *DUTY[] = {
    "病棟での入院患者様の看護業務全般をお願いします。",
    "外来での診療補助、採血、点滴、検査介助を担当していただきます。",
    "ご利用者様のご自宅を訪問し、健康観察や医療処置、ご家族への助言を行います。",
    "透析患者様の穿刺、回路組み立て、透析中の観察と記録をお願いします。",
    "手術室での器械出し、外回り業務。未経験の方も丁寧に指導します。",
    "施設入所者様の健康管理、服薬管理、医師との連携をお願いします。",
    "健診センターでの問診、採血、心電図、身体計測などの業務です。",
    "夜勤帯の病棟看護業務（夜勤専従）。月8回程度から相談可。",
    "保育園での園児の健康管理、けがや体調不良時の対応、保健指導。",
    "分娩介助、妊婦健診、産後ケア、母乳外来を担当していただきます。",
    "電子カルテ導入済み。記録業務の負担を減らす工夫をしています。",
    "ICUでの重症患者様の全身管理。人工呼吸器管理の経験を活かせます。",
    "訪問入浴の付き添い、バイタルチェック、褥瘡の処置。",
    "デイサービスご利用者様の健康チェックと服薬介助。",
    "救急外来でのトリアージ、初期対応、救急車の受け入れ。"};
static const char *PR[] = {
    "ブランクのある方も大歓迎です。復職支援プログラムがあります。",
    "院内に託児所あり、子育て中の方も安心して働けます。",
    "看護師寮あり（家賃補助あり）。遠方からの応募も歓迎します。",
    "残業少なめ、有給休暇の取得率は90%以上です。",
    "駅から徒歩5分、通勤に便利な立地です。車通勤も可能です。",
    "年間休日120日以上、土日祝休み。プライベートも大切にできます。",
    "教育体制が充実しています。プリセプター制度、院内研修、資格取得支援あり。",
    "地域医療に貢献したい方、一緒に働きませんか。",
    "離島での勤務となります。住居と赴任手当をご用意します。",
    "へき地医療に関心のある方を歓迎します。",
    "被災地の医療復興を支える看護師を急募しています。",
    "夜勤手当1回15,000円。二交代制で月4回程度。",
    "週2日、1日4時間からの短時間勤務も相談可能です。",
    "アットホームな雰囲気の職場です。スタッフの平均年齢は30代。",
    "Ｗｅｂ面接にも対応しています。まずはお気軽にお問い合わせください。",
    "退職金制度、賞与年2回（計4.0ヶ月分）。",
    "ママさんナースが多数活躍中。急なお休みにも対応します。",
    "ｵﾝｺｰﾙ手当あり。訪問看護未経験の方も同行訪問から始められます。"};
static const char *LINE[] = {"JR山手線",         "JR中央線",     "東急東横線",     "小田急線",
                             "阪急京都線",       "京阪本線",     "地下鉄御堂筋線", "名鉄名古屋本線",
                             "西鉄天神大牟田線", "地下鉄南北線", "JR東海道本線",   "京王線",
                             "JR鹿児島本線"};
static const char *STATION[] = {"新宿", "渋谷", "池袋", "梅田", "難波", "天王寺", "栄",   "博多",
                                "天神", "大通", "仙台", "横浜", "川崎", "大宮",   "千葉", "京都",
                                "三宮", "広島", "金沢", "静岡", "岡山", "熊本",   "那覇", "松山"};

/* Kanji common in Japanese place, station and facility names: random pairs give proper names
 * with realistic bigram diversity. */
static const char NAMEK[] =
    "山川田中村本小大木井上下原松野竹林森石岡島高橋藤沢池内宮谷口北南東西新古長和平安"
    "福富吉清水青白赤金銀光明春夏秋冬朝日月星雲海浜港湊岬浦崎坂丘台岩城里郷町市宿駅寺社"
    "神宮桜梅桃菊藤葉花草緑若松柏杉桑栗梨柿稲麦豊穂岡津江河湖沼泉滝瀬浅深広狭長短千万"
    "百十八九七六五四三二一元正久永寿栄幸昌盛徳仁義礼智信忠孝美恵愛慈聖善真誠";

/* Appends n random kanji from NAMEK to buf (cap bytes) at *len. */
static void app_name(char *buf, size_t cap, size_t *len, int n)
{
    size_t nk = (sizeof NAMEK - 1) / 3;
    for (int i = 0; i < n && *len + 4 < cap; i++) {
        memcpy(buf + *len, NAMEK + 3 * rn((unsigned)nk), 3);
        *len += 3;
    }
    buf[*len] = '\0';
}

static int pick_pref(int total_pop)
{
    int r = (int)rn((unsigned)total_pop);
    for (int p = 1; p <= 47; p++) {
        r -= PREF[p].pop;
        if (r < 0)
            return p;
    }
    return 13;
}

/* Appends formatted text to buf (cap bytes) at *len; truncates quietly. */
static void app(char *buf, size_t cap, size_t *len, const char *s)
{
    size_t n = strlen(s);
    if (*len + n + 1 > cap)
        return;
    memcpy(buf + *len, s, n);
    *len += n;
    buf[*len] = '\0';
}

/* Fills d with a synthetic offer; its text is a new string (caller frees d->text). */
static void gen_doc(si_doc *d, int64_t id, int total_pop)
{
    char buf[4096], tmp[256];
    size_t len = 0;
    buf[0] = '\0';
    int pref = pick_pref(total_pop);
    const char *city = PICK(CITY);
    const char *kind = PICK(KIND);
    const char *dept = PICK(DEPT);
    unsigned flags = 0;
    for (int f = 0; f < 7; f++)
        if (rn(100) < (f == 4 ? 30 : f == 3 ? 15 : f == 6 ? 10 : 3))
            flags |= 1u << f;
    if (rn(100) < 5)
        flags |= 1u << (7 + rn(5));
    /* title */
    snprintf(tmp, sizeof tmp, "【%s】%s%sの看護師募集（%s）\n", PREF[pref].name, city, dept,
             PICK(SHIFTW));
    app(buf, sizeof buf, &len, tmp);
    /* facility: corporation and a proper name */
    app(buf, sizeof buf, &len, PICK(CORP));
    if (rn(2))
        app(buf, sizeof buf, &len, PICK(CORPN));
    else
        app_name(buf, sizeof buf, &len, 2);
    app(buf, sizeof buf, &len, "会 ");
    app_name(buf, sizeof buf, &len, 2 + (int)rn(2));
    app(buf, sizeof buf, &len, kind);
    app(buf, sizeof buf, &len, "\n");
    /* address and station */
    snprintf(tmp, sizeof tmp, "%s%s市", PREF[pref].name, city);
    app(buf, sizeof buf, &len, tmp);
    app_name(buf, sizeof buf, &len, 2);
    snprintf(tmp, sizeof tmp, "町%u丁目%u-%u %s ", 1 + rn(9), 1 + rn(30), 1 + rn(20), PICK(LINE));
    app(buf, sizeof buf, &len, tmp);
    if (rn(2))
        app(buf, sizeof buf, &len, PICK(STATION));
    else
        app_name(buf, sizeof buf, &len, 2);
    snprintf(tmp, sizeof tmp, "駅 徒歩%u分\n", 1 + rn(20));
    app(buf, sizeof buf, &len, tmp);
    /* departments */
    int nd = 1 + (int)rn(4);
    for (int i = 0; i < nd; i++) {
        app(buf, sizeof buf, &len, i ? "・" : "診療科：");
        app(buf, sizeof buf, &len, i ? PICK(DEPT) : dept);
    }
    app(buf, sizeof buf, &len, "\n");
    /* duties and PR */
    int nduty = 1 + (int)rn(3), npr = 2 + (int)rn(3);
    for (int i = 0; i < nduty; i++)
        app(buf, sizeof buf, &len, PICK(DUTY));
    app(buf, sizeof buf, &len, "\n");
    for (int i = 0; i < npr; i++)
        app(buf, sizeof buf, &len, PICK(PR));
    static const char *FLAGW[7] = {"離島",       "へき地", "被災地", "託児所あり",
                                   "ブランク可", "寮あり", "急募"};
    for (int f = 0; f < 7; f++)
        if (flags & (1u << f)) {
            app(buf, sizeof buf, &len, " ");
            app(buf, sizeof buf, &len, FLAGW[f]);
        }
    d->id = id;
    d->pref = pref;
    d->muni = pref * 1000 + 100 + (int)rn(60);
    d->lic = (rn(100) < 85 ? SI_LIC_KANGOSHI : 0) | (rn(100) < 45 ? SI_LIC_JUNKANGOSHI : 0) |
             (rn(100) < 6 ? SI_LIC_HOKENSHI : 0) | (rn(100) < 5 ? SI_LIC_JOSANSHI : 0);
    if (!d->lic)
        d->lic = SI_LIC_KANGOSHI;
    d->emp = (rn(100) < 65 ? SI_EMP_JOKIN : 0) | (rn(100) < 45 ? SI_EMP_HIJOKIN : 0) |
             (rn(100) < 5 ? SI_EMP_RINJI : 0);
    if (!d->emp)
        d->emp = SI_EMP_JOKIN;
    d->shift = 1u << rn(5);
    if (rn(100) < 20)
        d->shift |= 1u << rn(5);
    d->ftype = (int)rn(20);
    d->flags = flags;
    d->wage_monthly = (d->emp & SI_EMP_JOKIN) ? 200000 + 1000 * (int64_t)rn(250) : 0;
    d->wage_hourly = (d->emp & SI_EMP_HIJOKIN) ? 1200 + 10 * (int64_t)rn(150) : 0;
    d->published_at = 1700000000 + (int64_t)rn(90 * 86400);
    if (rn(100) < 90) {
        d->lat = PREF[pref].lat + ((double)rn(2000) - 1000) / 2000.0;
        d->lon = PREF[pref].lon + ((double)rn(2000) - 1000) / 2000.0;
    } else {
        d->lat = d->lon = NAN;
    }
    char *t = malloc(len + 1);
    if (!t) {
        fputs("out of memory\n", stderr);
        exit(1);
    }
    memcpy(t, buf, len + 1);
    d->text = t;
}

static const char *SHORT_KW[] = {"夜勤", "透析", "東京", "大阪", "訪問", "日勤", "外来", "病棟",
                                 "内科", "外科", "小児", "寮",   "駅",   "急募", "託児", "手術",
                                 "眼科", "精神", "横浜", "札幌", "福岡", "看",   "産",   "緩和",
                                 "ｵﾝ",   "icu",  "新宿", "梅田", "療養", "健診", "保育", "離島"};
static const char *LONG_KW[] = {
    "看護師",       "クリニック",   "訪問看護",   "総合病院",       "ブランク可", "託児所",
    "日勤のみ",     "夜勤専従",     "手術室",     "介護老人",       "循環器",     "ICU",
    "整形外科",     "徒歩5分",      "残業少なめ", "かんごし",       "ｸﾘﾆｯｸ",      "オンコール",
    "プリセプター", "地域包括ケア", "東京 夜勤",  "大阪 透析 病院", "訪問 ｶﾝｺﾞ",  "ＮＩＣＵ",
    "寮 看護師"};

typedef struct {
    char q[128];
    si_query qu;
    int muni[4];
} bquery;

static void gen_query(bquery *b, int total_pop)
{
    memset(b, 0, sizeof *b);
    unsigned r = rn(100);
    if (r < 50)
        snprintf(b->q, sizeof b->q, "%s", PICK(SHORT_KW));
    else if (r < 75)
        snprintf(b->q, sizeof b->q, "%s", PICK(LONG_KW));
    b->qu.q = b->q[0] ? b->q : NULL;
    int nf = (int)rn(5);
    for (int i = 0; i < nf; i++) {
        switch (rn(9)) {
        case 0:
        case 1: {
            int np = 1 + (int)rn(2);
            for (int k = 0; k < np; k++)
                b->qu.pref_set |= 1ULL << pick_pref(total_pop);
            break;
        }
        case 2:
            b->qu.lic = 1u << rn(4);
            break;
        case 3:
            b->qu.emp = 1u << rn(3);
            break;
        case 4:
            b->qu.shift = (1u << rn(5)) | (1u << rn(5));
            break;
        case 5:
            b->qu.ftype_set = (1ULL << rn(20)) | (1ULL << rn(20));
            break;
        case 6:
            b->qu.flags = 1u << rn(7);
            break;
        case 7:
            if (rn(2))
                b->qu.wage_monthly_min = 250000 + 10000 * (int64_t)rn(10);
            else
                b->qu.wage_hourly_min = 1500 + 100 * (int64_t)rn(5);
            break;
        default: {
            int p = pick_pref(total_pop);
            b->qu.nmuni = 1 + (int)rn(3);
            for (int k = 0; k < b->qu.nmuni; k++)
                b->muni[k] = p * 1000 + 100 + (int)rn(60);
            b->qu.muni = b->muni;
            break;
        }
        }
    }
    unsigned s = rn(100);
    b->qu.sort = s < 60   ? SI_SORT_NEWEST
                 : s < 75 ? SI_SORT_WAGE_MONTHLY
                 : s < 85 ? SI_SORT_WAGE_HOURLY
                          : SI_SORT_DISTANCE;
    b->qu.lat = 35.0 + (double)rn(100) / 20.0;
    b->qu.lon = 135.0 + (double)rn(100) / 20.0;
    b->qu.page = rn(10) < 8 ? 1 : 2 + (int)rn(4);
    b->qu.per_page = rn(10) < 8 ? 20 : 50;
}

static int dcmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double pct(const double *sorted, int n, double p)
{
    int i = (int)ceil(p / 100.0 * n) - 1;
    return sorted[i < 0 ? 0 : i >= n ? n - 1 : i];
}

/* Runs all queries once; fills lat[] (wall ms) and cpu[] (thread CPU ms, may be NULL) and
 * returns the sum of totals (a checksum). */
static int64_t run_pass(si_index *ix, bquery *qs, int nq, double *lat, double *cpu)
{
    int64_t sum = 0;
    for (int i = 0; i < nq; i++) {
        si_result r;
        double c0 = clock_ms(CLOCK_THREAD_CPUTIME_ID);
        double t0 = now_ms();
        int rc = si_search(ix, &qs[i].qu, &r);
        lat[i] = now_ms() - t0;
        if (cpu)
            cpu[i] = clock_ms(CLOCK_THREAD_CPUTIME_ID) - c0;
        if (rc) {
            fprintf(stderr, "query %d failed: %s\n", i, si_strerror(rc));
            exit(1);
        }
        sum += r.total;
    }
    return sum;
}

static void report(const char *name, double *lat, int nq)
{
    qsort(lat, (size_t)nq, sizeof *lat, dcmp);
    double sum = 0;
    for (int i = 0; i < nq; i++)
        sum += lat[i];
    printf("%-22s p50 %.3f ms  p95 %.3f ms  p99 %.3f ms  max %.3f ms  mean %.3f ms\n", name,
           pct(lat, nq, 50), pct(lat, nq, 95), pct(lat, nq, 99), lat[nq - 1], sum / nq);
}

int main(int argc, char **argv)
{
    long ndocs = argc > 1 ? strtol(argv[1], NULL, 10) : 158602;
    long nq = argc > 2 ? strtol(argv[2], NULL, 10) : 1000;
    if (ndocs <= 0 || nq <= 0 || ndocs > 10000000 || nq > 1000000) {
        fputs("usage: bench_search [docs] [queries]\n", stderr);
        return 2;
    }
    int total_pop = 0;
    for (int p = 1; p <= 47; p++)
        total_pop += PREF[p].pop;

    double t0 = now_ms();
    si_doc *docs = calloc((size_t)ndocs, sizeof *docs);
    bquery *qs = calloc((size_t)nq, sizeof *qs);
    double *lat = calloc((size_t)nq, sizeof *lat);
    if (!docs || !qs || !lat)
        return 1;
    size_t text_bytes = 0;
    for (long i = 0; i < ndocs; i++) {
        gen_doc(&docs[i], 1000000 + i, total_pop);
        text_bytes += strlen(docs[i].text);
    }
    for (long i = 0; i < nq; i++)
        gen_query(&qs[i], total_pop);
    printf("generated %ld offers (%.1f MB raw text, %.0f bytes/offer) in %.0f ms\n", ndocs,
           (double)text_bytes / 1e6, (double)text_bytes / (double)ndocs, now_ms() - t0);

    si_index *ix = si_new();
    if (!ix)
        return 1;
    struct mallinfo2 m0 = mallinfo2();
    t0 = now_ms();
    int rc = si_bulk_load(ix, docs, (size_t)ndocs);
    double build_ms = now_ms() - t0;
    struct mallinfo2 m1 = mallinfo2();
    if (rc) {
        fprintf(stderr, "bulk load: %s\n", si_strerror(rc));
        return 1;
    }
    si_stats st;
    si_stats_get(ix, &st);
    printf("rebuild (bulk load, incl. normalisation): %.0f ms\n", build_ms);
    printf(
        "index: %zu docs, %zu keys, %.1f MB accounted (%zu bytes), heap in use by index %.1f MB\n",
        st.docs, st.keys, (double)st.mem_bytes / 1048576.0, st.mem_bytes,
        (double)(m1.uordblks + m1.hblkhd - m0.uordblks - m0.hblkhd) / 1048576.0);

    double *cpu = calloc((size_t)nq, sizeof *cpu);
    if (!cpu)
        return 1;
    int64_t c1 = run_pass(ix, qs, (int)nq, lat, cpu);
    report("pass 1 cold, wall", lat, (int)nq);
    report("pass 1 cold, cpu", cpu, (int)nq);
    int64_t c2 = run_pass(ix, qs, (int)nq, lat, cpu);
    report("pass 2 warm, wall", lat, (int)nq);
    report("pass 2 warm, cpu", cpu, (int)nq);
    free(cpu);
    if (c1 != c2) {
        fprintf(stderr, "checksum mismatch %lld vs %lld\n", (long long)c1, (long long)c2);
        return 1;
    }
    if (getenv("BENCH_SLOW")) {
        /* Lists the slowest queries of a third pass (for tuning). */
        double *l3 = calloc((size_t)nq, sizeof *l3);
        if (!l3)
            return 1;
        run_pass(ix, qs, (int)nq, l3, NULL);
        for (int k = 0; k < 15; k++) {
            int w = 0;
            for (long i = 1; i < nq; i++)
                w = l3[i] > l3[w] ? (int)i : w;
            const si_query *q = &qs[w].qu;
            si_result r;
            si_search(ix, q, &r);
            printf("%.3f ms q=\"%s\" pref=%llx lic=%x emp=%x shift=%x ft=%llx flags=%x wm=%lld "
                   "wh=%lld muni=%d sort=%d page=%d total=%lld\n",
                   l3[w], q->q ? q->q : "", (unsigned long long)q->pref_set, q->lic, q->emp,
                   q->shift, (unsigned long long)q->ftype_set, q->flags,
                   (long long)q->wage_monthly_min, (long long)q->wage_hourly_min, q->nmuni,
                   (int)q->sort, q->page, (long long)r.total);
            l3[w] = -1;
        }
        free(l3);
    }
    int nshort = 0, nlong = 0, nnone = 0;
    for (long i = 0; i < nq; i++) {
        si_terms t;
        si_parse_terms(qs[i].qu.q, &t);
        int mx = 0;
        for (int k = 0; k < t.n; k++)
            mx = t.ncp[k] > mx ? t.ncp[k] : mx;
        if (!t.n)
            nnone++;
        else if (t.n == 1 && mx <= 2)
            nshort++;
        else
            nlong++;
    }
    printf("query mix: %d with one 1-2 char keyword, %d with longer/multiple terms, %d without "
           "keyword; checksum %lld\n",
           nshort, nlong, nnone, (long long)c1);

    /* Updates: re-upsert 1,000 offers and time them. */
    t0 = now_ms();
    for (int i = 0; i < 1000; i++) {
        long k = (long)rn((unsigned)ndocs);
        docs[k].published_at += 86400;
        if (si_upsert(ix, &docs[k]))
            return 1;
    }
    printf("upsert: %.1f us each (1,000 replacements)\n", (now_ms() - t0) * 1000.0 / 1000);
    t0 = now_ms();
    if (si_rebuild(ix))
        return 1;
    printf("si_rebuild (compaction from the index's own documents): %.0f ms\n", now_ms() - t0);

    si_free(ix);
    for (long i = 0; i < ndocs; i++)
        free((char *)docs[i].text);
    free(docs);
    free(qs);
    free(lat);
    return 0;
}
