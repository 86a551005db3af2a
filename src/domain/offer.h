/* Job offer (求人票) model, the dated minimum-wage table and the compliance checker.
 *
 * Pure domain code: no JSON, no I/O. An `offer` borrows every string it points to (UTF-8); the
 * caller keeps them alive while the offer is used. Call offer_init() first: it marks every
 * number as OFFER_UNSET and every enum as *_UNSET (0), so "not stated" is distinguishable from
 * a stated 0.
 *
 * Field paths in findings use the dotted names given in the comments below (the same names as
 * the API's JSON), e.g. "wage.base_min", "contract.renewal".
 *
 * The disclosure list follows 職業安定法5条の3 and 同法施行規則4条の2 (as amended 2024-04: scope
 * of changes to duties and workplace, renewal cap for fixed-term contracts), plus the
 * nurse-specific items of DESIGN.md §2. Facility type and beds belong to the facility record,
 * not to the offer. */
#ifndef NCCS_DOMAIN_OFFER_H
#define NCCS_DOMAIN_OFFER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The "not stated" value of every int / int64_t field of an offer. */
#define OFFER_UNSET (-1)

/* A yes/no item whose absence matters (有無). */
typedef enum { OFFER_TRI_UNSET = 0, OFFER_NO = 1, OFFER_YES = 2 } offer_tri;

typedef enum {
    OFFER_CONTRACT_UNSET = 0,
    OFFER_CONTRACT_INDEFINITE = 1, /* 期間の定めなし */
    OFFER_CONTRACT_FIXED = 2,      /* 期間の定めあり */
} offer_contract_type;

typedef enum {
    OFFER_RENEWAL_UNSET = 0,
    OFFER_RENEWAL_AUTO = 1,     /* 自動更新 */
    OFFER_RENEWAL_POSSIBLE = 2, /* 更新する場合あり */
    OFFER_RENEWAL_NONE = 3,     /* 更新しない */
} offer_renewal;

/* Shift pattern bits (same order as SI_SHIFT_* of the search index); several may be set. */
enum {
    OFFER_SHIFT_TWO = 1u << 0,        /* 二交代 */
    OFFER_SHIFT_THREE = 1u << 1,      /* 三交代 */
    OFFER_SHIFT_DAY_ONLY = 1u << 2,   /* 日勤のみ */
    OFFER_SHIFT_NIGHT_ONLY = 1u << 3, /* 夜勤のみ */
    OFFER_SHIFT_ON_CALL = 1u << 4,    /* 当直 */
};

typedef enum {
    OFFER_WAGE_UNSET = 0,
    OFFER_WAGE_MONTHLY = 1, /* 月給 */
    OFFER_WAGE_HOURLY = 2,  /* 時給 */
    OFFER_WAGE_DAILY = 3,   /* 日給 */
    OFFER_WAGE_ANNUAL = 4,  /* 年俸 */
} offer_wage_type;

typedef enum {
    OFFER_SMOKING_UNSET = 0,
    OFFER_SMOKING_PREMISES_BAN = 1, /* 敷地内禁煙 */
    OFFER_SMOKING_INDOOR_BAN = 2,   /* 屋内禁煙 */
    OFFER_SMOKING_ROOM = 3,         /* 喫煙室あり（屋内原則禁煙） */
    OFFER_SMOKING_OTHER = 4,        /* その他 (smoking.note says what) */
} offer_smoking;

/* The exception cited for an age limit: 労働施策総合推進法施行規則（旧雇用対策法施行規則）
 * 1条の3第1項 … */
typedef enum {
    OFFER_AGE_EXC_UNSET = 0,
    OFFER_AGE_EXC_1 = 1, /* 1号: 定年年齢を上限とする（期間の定めのない契約） */
    OFFER_AGE_EXC_2 = 2, /* 2号: 法令の規定により年齢制限がある */
    OFFER_AGE_EXC_3_I = 3, /* 3号イ: 長期勤続によるキャリア形成（若年者、期間の定めなし） */
    OFFER_AGE_EXC_3_RO = 4, /* 3号ロ: 技能・ノウハウの継承（特定の年齢層が少ない職種） */
    OFFER_AGE_EXC_3_HA = 5, /* 3号ハ: 芸術・芸能の表現の真実性 */
    OFFER_AGE_EXC_3_NI = 6, /* 3号ニ: 高年齢者・特定年齢層の雇用促進施策の対象 */
} offer_age_exception;

/* Licence bits (same order as SI_LIC_* and the code list licence_types). */
enum {
    OFFER_LIC_HOKENSHI = 1u << 0,    /* 保健師 */
    OFFER_LIC_JOSANSHI = 1u << 1,    /* 助産師 */
    OFFER_LIC_KANGOSHI = 1u << 2,    /* 看護師 */
    OFFER_LIC_JUNKANGOSHI = 1u << 3, /* 准看護師 */
    OFFER_LIC_ALL = 0xFu,
};

typedef enum {
    OFFER_EMP_UNSET = 0,
    OFFER_EMP_JOKIN = 1,   /* 常勤 */
    OFFER_EMP_HIJOKIN = 2, /* 非常勤 */
    OFFER_EMP_RINJI = 3,   /* 臨時 */
} offer_employment_form;

/* Flag bits (same order as SI_FLAG_* of the search index). Childcare on site, dormitory and
 * "blank OK" are these flags, not separate fields. */
enum {
    OFFER_FLAG_RITO = 1u << 0,     /* 離島 */
    OFFER_FLAG_HEKICHI = 1u << 1,  /* へき地 */
    OFFER_FLAG_HISAICHI = 1u << 2, /* 被災地 */
    OFFER_FLAG_TAKUJI = 1u << 3,   /* 託児所あり */
    OFFER_FLAG_BLANK = 1u << 4,    /* ブランク可 */
    OFFER_FLAG_RYO = 1u << 5,      /* 寮あり */
    OFFER_FLAG_KYUBO = 1u << 6,    /* 急募 */
};

typedef struct offer {
    const char *title; /* "title": 求人票のタイトル (required) */
    const char *pr;    /* "pr": PR text (optional) */

    struct {
        const char *name; /* "employer.name": 求人者の氏名又は名称 */
    } employer;

    struct {
        const char *description;  /* "duties.description": 従事すべき業務の内容 */
        const char *change_scope; /* "duties.change_scope": 業務の変更の範囲 */
    } duties;

    struct {
        offer_contract_type type; /* "contract.type" */
        const char *start;        /* "contract.start": YYYY-MM-DD; required when fixed */
        const char *end;          /* "contract.end": YYYY-MM-DD; required when fixed */
        offer_renewal renewal;    /* "contract.renewal": required when fixed */
        const char *renewal_criteria; /* "contract.renewal_criteria": 更新の判断基準 (optional) */
        offer_tri renewal_cap; /* "contract.renewal_cap": 更新上限の有無; required when fixed
                                  and renewal is not NONE */
        int max_renewals; /* "contract.max_renewals": 更新回数の上限, OFFER_UNSET = none */
        int max_total_months; /* "contract.max_total_months": 通算契約期間の上限 (months) */
    } contract;

    struct {
        offer_tri present;           /* "probation.present": 試用期間の有無 */
        int months;                  /* "probation.months": required when present */
        offer_tri conditions_differ; /* "probation.conditions_differ": required when present */
        const char *conditions;      /* "probation.conditions": required when they differ */
    } probation;

    struct {
        const char *municipality_code; /* "workplace.municipality_code": 5-digit JIS code */
        const char *address;           /* "workplace.address" */
        const char *station;           /* "workplace.station": 最寄り駅 (optional) */
        const char *access;            /* "workplace.access": 交通手段 (optional) */
        const char *change_scope; /* "workplace.change_scope": 就業場所の変更の範囲 */
    } workplace;

    struct {
        const char *start;          /* "hours.start": HH:MM (始業) */
        const char *end;            /* "hours.end": HH:MM (終業); earlier than start = next day */
        unsigned shift_patterns;    /* "hours.shift_patterns": OFFER_SHIFT_* bits, 0 = unset */
        int night_shifts_per_month; /* "hours.night_shifts_per_month" (optional) */
        offer_tri overtime;         /* "hours.overtime": 時間外労働の有無 */
        int overtime_avg_hours;     /* "hours.overtime_avg_hours": per month, when overtime */
        int break_minutes;          /* "hours.break_minutes": 休憩時間 */
    } hours;

    struct {
        int annual_days;     /* "holidays.annual_days": 年間休日数 */
        const char *pattern; /* "holidays.pattern": e.g. 4週8休 (optional) */
    } holidays;

    struct {
        offer_wage_type type; /* "wage.type" */
        /* "wage.base_min" / "wage.base_max": yen per the wage type's period. base_min is the pay
         * that counts under 最低賃金法 (basic pay plus fixed allowances, excluding overtime,
         * night and holiday premiums, commuting, family and 精皆勤 allowances and bonuses).
         * base_max OFFER_UNSET = no range. */
        int64_t base_min;
        int64_t base_max;
        const char *allowances;        /* "wage.allowances": 手当 (optional) */
        offer_tri fixed_overtime;      /* "wage.fixed_overtime": 固定残業代の有無 */
        int fixed_overtime_hours;      /* "wage.fixed_overtime_hours": hours per month */
        int64_t fixed_overtime_amount; /* "wage.fixed_overtime_amount": yen per month */
    } wage;

    struct {
        offer_tri employment;   /* "insurance.employment": 雇用保険 */
        offer_tri health;       /* "insurance.health": 健康保険 */
        offer_tri pension;      /* "insurance.pension": 厚生年金 */
        offer_tri workers_comp; /* "insurance.workers_comp": 労災保険 */
    } insurance;

    struct {
        offer_smoking measure; /* "smoking.measure": 受動喫煙防止措置 */
        const char *note;      /* "smoking.note": required when measure is OTHER */
    } smoking;

    struct {
        int max;                       /* "age.max": 年齢上限, OFFER_UNSET = 年齢不問 */
        offer_age_exception exception; /* "age.exception": required when max is set */
        const char *reason;            /* "age.reason": 理由 (optional) */
    } age;

    unsigned licences;                     /* "licences": OFFER_LIC_* bits, 0 = unset */
    offer_employment_form employment_form; /* "employment_form" */
    const char *const *departments;        /* "departments": code-list codes (borrowed) */
    int n_departments;
    unsigned flags;                   /* "flags": OFFER_FLAG_* bits */
    const char *const *campaign_tags; /* "campaign_tags" (borrowed) */
    int n_campaign_tags;
    int positions; /* "positions": 募集人数, OFFER_UNSET = not stated */
} offer;

/* Zeroes o and sets every int / int64_t field to OFFER_UNSET. */
void offer_init(offer *o);

/* ---- Findings ---------------------------------------------------------------------------- */

typedef enum {
    FINDING_ERROR = 1,   /* blocks submission */
    FINDING_WARNING = 2, /* shown, does not block */
} finding_severity;

typedef struct finding {
    finding_severity severity;
    char code[80];     /* stable, e.g. "offer.wage.below_minimum" */
    char field[64];    /* dotted path, e.g. "wage.base_min" */
    char message[320]; /* Japanese, です・ます */
} finding;

#define FINDINGS_MAX 96
typedef struct findings {
    finding items[FINDINGS_MAX];
    int n;
    int n_errors;
    int n_warnings;
    bool truncated; /* more findings than FINDINGS_MAX; the rest were dropped */
} findings;

/* Appends a finding (strings truncated to fit); sets truncated when full. */
void findings_add(findings *f, finding_severity sev, const char *field, const char *code,
                  const char *message);
/* Returns the first finding with this code (and field, unless field is NULL), or NULL. The
 * result points into f. */
const finding *findings_find(const findings *f, const char *code, const char *field);

/* ---- Minimum wages ------------------------------------------------------------------------ */

/* One revision of a prefecture's 地域別最低賃金. */
typedef struct minwage_row {
    char pref[3];       /* "01".."47" */
    char effective[11]; /* YYYY-MM-DD, first day it applies */
    int yen;            /* hourly minimum */
} minwage_row;

typedef struct minwage_table {
    minwage_row *rows; /* owned, freed by minwage_free */
    int n;
} minwage_table;

/* Parses the TSV text of data/minimum_wages.tsv (columns: prefecture code, effective date,
 * hourly yen, source; a first line starting with "pref" is a header; blank lines and lines
 * starting with '#' are skipped; CRLF accepted) into *t, which the caller frees with
 * minwage_free. Returns 0, or -1 with a message in err (capacity errcap) naming the line; on
 * error *t is left empty. Duplicate (prefecture, date) pairs are an error. */
int minwage_load_tsv(const char *text, minwage_table *t, char *err, size_t errcap);
void minwage_free(minwage_table *t);

/* The minimum wage in force in prefecture pref ("13") on date on_date (YYYY-MM-DD): the row with
 * the latest effective date <= on_date. Returns the yen amount and copies that effective date
 * into effective (if not NULL, capacity >= 11), or -1 when the table has no such row. */
int minwage_lookup(const minwage_table *t, const char *pref, const char *on_date, char *effective,
                   size_t cap);

/* The table offer_check uses. Set it once at start-up before any thread calls offer_check; the
 * table stays owned by the caller and must outlive all checks. NULL = no table (no wage
 * findings). */
void minwage_set_default(const minwage_table *t);
const minwage_table *minwage_default(void);

/* ---- Hours and the hourly equivalent ------------------------------------------------------ */

/* Minutes since midnight of a strict HH:MM (00:00..23:59, and 24:00), or -1 when s is NULL or
 * malformed. */
int offer_time_minutes(const char *s);

/* Scheduled working minutes per day: (hours.end − hours.start, plus 24 h when end <= start)
 * minus hours.break_minutes. Returns -1 when start/end are missing or invalid, the break is
 * unset, or the result is not positive. */
int offer_daily_minutes(const offer *o);

/* The hourly equivalent of wage.base_min as the exact fraction *num / *den yen (*den > 0):
 *   hourly:  base
 *   daily:   base ÷ daily hours
 *   monthly: base ÷ (annual working days × daily hours ÷ 12)   — 1か月平均所定労働時間
 *   annual:  base ÷ (annual working days × daily hours)
 * where annual working days = 365 − holidays.annual_days and daily hours come from
 * offer_daily_minutes(). Returns 0, or -1 when the inputs needed are missing or out of range. */
int offer_hourly_fraction(const offer *o, int64_t *num, int64_t *den);
/* The same, rounded down to whole yen; -1 when it cannot be computed. */
int64_t offer_hourly_equivalent(const offer *o);

/* ---- Compliance checker ------------------------------------------------------------------- */

/* Checks o for submission and fills *out (reset first) with every finding, errors and warnings.
 * prefecture is the workplace's prefecture code ("01".."47"); on_date (YYYY-MM-DD) picks the
 * minimum wage in force. Uses the table set with minwage_set_default. Returns out->n_errors
 * (0 = may be submitted). */
int offer_check(const offer *o, const char *prefecture, const char *on_date, findings *out);
/* The same with an explicit minimum-wage table (NULL = none). */
int offer_check_with(const offer *o, const minwage_table *wages, const char *prefecture,
                     const char *on_date, findings *out);

#endif
