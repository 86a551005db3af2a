#include "api/offer_json.h"
#include "api/api.h"
#include <string.h>

static const char *const CONTRACT_TYPES[] = {"indefinite", "fixed", NULL};
static const char *const RENEWALS[] = {"auto", "possible", "none", NULL};
static const char *const WAGE_TYPES[] = {"monthly", "hourly", "daily", "annual", NULL};
static const char *const SMOKING[] = {"premises_ban", "indoor_ban", "smoking_room", "other", NULL};
static const char *const AGE_EXC[] = {"1", "2", "3i", "3ro", "3ha", "3ni", NULL};

#define TEXT(n, l, m)                                                                              \
    {                                                                                              \
        .name = n, .label = l, .kind = VK_TEXT, .max = m                                           \
    }
#define MULTI(n, l, m)                                                                             \
    {                                                                                              \
        .name = n, .label = l, .kind = VK_MULTILINE, .max = m                                      \
    }
#define INT(n, l, lo, hi)                                                                          \
    {                                                                                              \
        .name = n, .label = l, .type = VT_INTEGER, .min = lo, .max = hi                            \
    }
#define BOOL(n, l)                                                                                 \
    {                                                                                              \
        .name = n, .label = l, .type = VT_BOOL                                                     \
    }
#define CODE(n, l, c)                                                                              \
    {                                                                                              \
        .name = n, .label = l, .kind = VK_CODE, .codes = c, .select = true                         \
    }
#define END                                                                                        \
    {                                                                                              \
        .name = NULL                                                                               \
    }

static const vfield EMPLOYER[] = {TEXT("name", "求人者の名称", 100), END};
static const vfield DUTIES[] = {MULTI("description", "業務内容", 2000),
                                MULTI("change_scope", "業務の変更の範囲", 500), END};
static const vfield CONTRACT[] = {
    CODE("type", "契約期間", CONTRACT_TYPES),
    {.name = "start", .label = "契約開始日", .kind = VK_TEXT, .max = 10},
    {.name = "end", .label = "契約終了日", .kind = VK_TEXT, .max = 10},
    CODE("renewal", "契約更新", RENEWALS),
    MULTI("renewal_criteria", "更新の判断基準", 500),
    BOOL("renewal_cap", "更新上限の有無"),
    INT("max_renewals", "更新回数の上限", 0, 99),
    INT("max_total_months", "通算契約期間の上限（月）", 1, 600),
    END};
static const vfield PROBATION[] = {BOOL("present", "試用期間の有無"),
                                   INT("months", "試用期間（月）", 0, 24),
                                   BOOL("conditions_differ", "試用期間中の労働条件の違い"),
                                   MULTI("conditions", "試用期間中の労働条件", 500), END};
static const vfield WORKPLACE[] = {{.name = "municipality_code",
                                    .label = "就業場所の市区町村",
                                    .kind = VK_DIGITS,
                                    .min = 5,
                                    .max = 5},
                                   TEXT("address", "就業場所の住所", 200),
                                   TEXT("station", "最寄り駅", 100),
                                   MULTI("access", "交通手段", 500),
                                   MULTI("change_scope", "就業場所の変更の範囲", 500),
                                   END};
static const vfield HOURS[] = {TEXT("start", "始業時刻", 5),
                               TEXT("end", "終業時刻", 5),
                               {.name = "shift_patterns",
                                .label = "勤務形態",
                                .type = VT_CODE_ARRAY,
                                .max = 5,
                                .codes = SHIFT_CODES},
                               INT("night_shifts_per_month", "月の夜勤回数", 0, 31),
                               BOOL("overtime", "時間外労働の有無"),
                               INT("overtime_avg_hours", "月平均の時間外労働（時間）", 0, 200),
                               INT("break_minutes", "休憩時間（分）", 0, 600),
                               END};
static const vfield HOLIDAYS[] = {INT("annual_days", "年間休日数", 0, 366),
                                  TEXT("pattern", "休日の形態", 100), END};
static const vfield WAGE[] = {CODE("type", "賃金形態", WAGE_TYPES),
                              INT("base_min", "基本給（下限）", 0, 100000000),
                              INT("base_max", "基本給（上限）", 0, 100000000),
                              MULTI("allowances", "手当", 1000),
                              BOOL("fixed_overtime", "固定残業代の有無"),
                              INT("fixed_overtime_hours", "固定残業時間", 0, 200),
                              INT("fixed_overtime_amount", "固定残業代", 0, 10000000),
                              END};
static const vfield INSURANCE[] = {BOOL("employment", "雇用保険"), BOOL("health", "健康保険"),
                                   BOOL("pension", "厚生年金"), BOOL("workers_comp", "労災保険"),
                                   END};
static const vfield SMOKING_SPEC[] = {CODE("measure", "受動喫煙対策", SMOKING),
                                      TEXT("note", "受動喫煙対策の内容", 200), END};
static const vfield AGE[] = {INT("max", "年齢の上限", 15, 99),
                             CODE("exception", "年齢制限の例外事由", AGE_EXC),
                             TEXT("reason", "年齢制限の理由", 200), END};

const vfield OFFER_SPEC[] = {
    TEXT("title", "求人票のタイトル", 100),
    MULTI("pr", "PR", 2000),
    {.name = "employer", .label = "求人者", .type = VT_OBJECT, .sub = EMPLOYER},
    {.name = "duties", .label = "業務内容", .type = VT_OBJECT, .sub = DUTIES},
    {.name = "contract", .label = "契約期間", .type = VT_OBJECT, .sub = CONTRACT},
    {.name = "probation", .label = "試用期間", .type = VT_OBJECT, .sub = PROBATION},
    {.name = "workplace", .label = "就業場所", .type = VT_OBJECT, .sub = WORKPLACE},
    {.name = "hours", .label = "就業時間", .type = VT_OBJECT, .sub = HOURS},
    {.name = "holidays", .label = "休日", .type = VT_OBJECT, .sub = HOLIDAYS},
    {.name = "wage", .label = "賃金", .type = VT_OBJECT, .sub = WAGE},
    {.name = "insurance", .label = "社会保険", .type = VT_OBJECT, .sub = INSURANCE},
    {.name = "smoking", .label = "受動喫煙対策", .type = VT_OBJECT, .sub = SMOKING_SPEC},
    {.name = "age", .label = "年齢制限", .type = VT_OBJECT, .sub = AGE},
    {.name = "licences",
     .label = "応募できる資格",
     .type = VT_CODE_ARRAY,
     .max = 4,
     .codes = LICENCE_CODES},
    CODE("employment_form", "雇用形態", EMPLOYMENT_FORMS),
    {.name = "departments",
     .label = "診療科",
     .type = VT_CODE_ARRAY,
     .max = 30,
     .codes = DEPARTMENT_CODES},
    {.name = "flags", .label = "特徴", .type = VT_CODE_ARRAY, .max = 7, .codes = FLAG_CODES},
    INT("positions", "募集人数", 0, 9999),
    END};

/* The domain's enum value of a code: its position + 1, 0 (unset) when absent. */
static int enum_of(const char *const *list, const char *s)
{
    return code_index(list, s) + 1;
}

static unsigned mask_of(const json_t *arr, const char *const *codes)
{
    unsigned m = 0;
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        int k = code_index(codes, json_string_value(v));
        if (k >= 0)
            m |= 1u << k;
    }
    return m;
}

static const json_t *sub(const json_t *j, const char *k)
{
    return json_object_get(j, k);
}

static const char *str(const json_t *j, const char *k)
{
    return json_string_value(json_object_get(j, k));
}

static int64_t num(const json_t *j, const char *k)
{
    const json_t *v = json_object_get(j, k);
    return json_is_integer(v) ? json_integer_value(v) : OFFER_UNSET;
}

static offer_tri tri(const json_t *j, const char *k)
{
    const json_t *v = json_object_get(j, k);
    return json_is_true(v) ? OFFER_YES : json_is_false(v) ? OFFER_NO : OFFER_TRI_UNSET;
}

unsigned offer_json_licence_mask(const json_t *j)
{
    return mask_of(json_object_get(j, "licences"), LICENCE_CODES);
}

unsigned offer_json_shift_mask(const json_t *j)
{
    return mask_of(json_object_get(sub(j, "hours"), "shift_patterns"), SHIFT_CODES);
}

unsigned offer_json_flag_mask(const json_t *j)
{
    return mask_of(json_object_get(j, "flags"), FLAG_CODES);
}

void offer_from_json(const json_t *j, offer *o, const char **deps, int deps_cap)
{
    offer_init(o);
    o->title = str(j, "title");
    o->pr = str(j, "pr");
    o->employer.name = str(sub(j, "employer"), "name");
    const json_t *d = sub(j, "duties");
    o->duties.description = str(d, "description");
    o->duties.change_scope = str(d, "change_scope");
    const json_t *c = sub(j, "contract");
    o->contract.type = (offer_contract_type)enum_of(CONTRACT_TYPES, str(c, "type"));
    o->contract.start = str(c, "start");
    o->contract.end = str(c, "end");
    o->contract.renewal = (offer_renewal)enum_of(RENEWALS, str(c, "renewal"));
    o->contract.renewal_criteria = str(c, "renewal_criteria");
    o->contract.renewal_cap = tri(c, "renewal_cap");
    o->contract.max_renewals = (int)num(c, "max_renewals");
    o->contract.max_total_months = (int)num(c, "max_total_months");
    const json_t *p = sub(j, "probation");
    o->probation.present = tri(p, "present");
    o->probation.months = (int)num(p, "months");
    o->probation.conditions_differ = tri(p, "conditions_differ");
    o->probation.conditions = str(p, "conditions");
    const json_t *w = sub(j, "workplace");
    o->workplace.municipality_code = str(w, "municipality_code");
    o->workplace.address = str(w, "address");
    o->workplace.station = str(w, "station");
    o->workplace.access = str(w, "access");
    o->workplace.change_scope = str(w, "change_scope");
    const json_t *h = sub(j, "hours");
    o->hours.start = str(h, "start");
    o->hours.end = str(h, "end");
    o->hours.shift_patterns = offer_json_shift_mask(j);
    o->hours.night_shifts_per_month = (int)num(h, "night_shifts_per_month");
    o->hours.overtime = tri(h, "overtime");
    o->hours.overtime_avg_hours = (int)num(h, "overtime_avg_hours");
    o->hours.break_minutes = (int)num(h, "break_minutes");
    const json_t *hol = sub(j, "holidays");
    o->holidays.annual_days = (int)num(hol, "annual_days");
    o->holidays.pattern = str(hol, "pattern");
    const json_t *wg = sub(j, "wage");
    o->wage.type = (offer_wage_type)enum_of(WAGE_TYPES, str(wg, "type"));
    o->wage.base_min = num(wg, "base_min");
    o->wage.base_max = num(wg, "base_max");
    o->wage.allowances = str(wg, "allowances");
    o->wage.fixed_overtime = tri(wg, "fixed_overtime");
    o->wage.fixed_overtime_hours = (int)num(wg, "fixed_overtime_hours");
    o->wage.fixed_overtime_amount = num(wg, "fixed_overtime_amount");
    const json_t *in = sub(j, "insurance");
    o->insurance.employment = tri(in, "employment");
    o->insurance.health = tri(in, "health");
    o->insurance.pension = tri(in, "pension");
    o->insurance.workers_comp = tri(in, "workers_comp");
    const json_t *sm = sub(j, "smoking");
    o->smoking.measure = (offer_smoking)enum_of(SMOKING, str(sm, "measure"));
    o->smoking.note = str(sm, "note");
    const json_t *a = sub(j, "age");
    o->age.max = (int)num(a, "max");
    o->age.exception = (offer_age_exception)enum_of(AGE_EXC, str(a, "exception"));
    o->age.reason = str(a, "reason");
    o->licences = offer_json_licence_mask(j);
    o->employment_form =
        (offer_employment_form)enum_of(EMPLOYMENT_FORMS, str(j, "employment_form"));
    const json_t *deps_j = json_object_get(j, "departments");
    int n = 0;
    for (size_t i = 0; i < json_array_size(deps_j) && n < deps_cap; i++)
        deps[n++] = json_string_value(json_array_get(deps_j, i));
    o->departments = deps;
    o->n_departments = n;
    o->flags = offer_json_flag_mask(j);
    o->positions = (int)num(j, "positions");
}

json_t *findings_json(const findings *f)
{
    json_t *arr = json_array();
    for (int i = 0; i < f->n; i++)
        json_array_append_new(arr,
                              json_pack("{s:s,s:s,s:s,s:s}", "severity",
                                        f->items[i].severity == FINDING_ERROR ? "error" : "warning",
                                        "code", f->items[i].code, "field", f->items[i].field,
                                        "message", f->items[i].message));
    return arr;
}
