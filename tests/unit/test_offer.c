/* Unit tests for src/domain/offer: the job offer model, the minimum-wage table, the hourly
 * equivalent and every rule of the compliance checker (both sides). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/offer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A small table: Tokyo's 令和6/7年度 revisions and Akita's late 令和7年度 one. */
static const char *WAGES_TSV = "pref_code\teffective_date\thourly_yen\tsource\n"
                               "13\t2024-10-01\t1163\ttest\n"
                               "13\t2025-10-03\t1226\ttest\n"
                               "05\t2024-10-01\t951\ttest\n"
                               "05\t2026-03-31\t1031\ttest\n";

static minwage_table g_wages;

static int setup(void **state)
{
    (void)state;
    char err[128];
    if (minwage_load_tsv(WAGES_TSV, &g_wages, err, sizeof err) != 0)
        return -1;
    minwage_set_default(&g_wages);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    minwage_set_default(NULL);
    minwage_free(&g_wages);
    return 0;
}

/* Fills o with a complete, valid full-time offer in Tokyo (no findings on 2025-11-01). */
static void valid_offer(offer *o)
{
    offer_init(o);
    o->title = "急性期病棟の看護師（常勤）";
    o->pr = "ブランクのある方も丁寧に指導します。";
    o->employer.name = "医療法人社団テスト会 テスト病院";
    o->duties.description = "内科病棟での看護業務全般";
    o->duties.change_scope = "法人の定める看護業務";
    o->contract.type = OFFER_CONTRACT_INDEFINITE;
    o->probation.present = OFFER_YES;
    o->probation.months = 3;
    o->probation.conditions_differ = OFFER_NO;
    o->workplace.municipality_code = "13101";
    o->workplace.address = "東京都千代田区千代田1-1";
    o->workplace.station = "東京駅";
    o->workplace.access = "徒歩5分";
    o->workplace.change_scope = "法人の定める事業所";
    o->hours.start = "08:30";
    o->hours.end = "17:15";
    o->hours.shift_patterns = OFFER_SHIFT_TWO;
    o->hours.night_shifts_per_month = 4;
    o->hours.overtime = OFFER_YES;
    o->hours.overtime_avg_hours = 10;
    o->hours.break_minutes = 60;
    o->holidays.annual_days = 120;
    o->holidays.pattern = "4週8休";
    o->wage.type = OFFER_WAGE_MONTHLY;
    o->wage.base_min = 280000;
    o->wage.base_max = 350000;
    o->wage.allowances = "夜勤手当 1回12,000円";
    o->wage.fixed_overtime = OFFER_NO;
    o->insurance.employment = OFFER_YES;
    o->insurance.health = OFFER_YES;
    o->insurance.pension = OFFER_YES;
    o->insurance.workers_comp = OFFER_YES;
    o->smoking.measure = OFFER_SMOKING_PREMISES_BAN;
    o->licences = OFFER_LIC_KANGOSHI | OFFER_LIC_JUNKANGOSHI;
    o->employment_form = OFFER_EMP_JOKIN;
    o->flags = OFFER_FLAG_TAKUJI | OFFER_FLAG_BLANK;
    o->positions = 3;
}

/* Fills o with a complete, valid fixed-term offer. */
static void valid_fixed_offer(offer *o)
{
    valid_offer(o);
    o->employment_form = OFFER_EMP_RINJI;
    o->contract.type = OFFER_CONTRACT_FIXED;
    o->contract.start = "2026-04-01";
    o->contract.end = "2027-03-31";
    o->contract.renewal = OFFER_RENEWAL_POSSIBLE;
    o->contract.renewal_criteria = "勤務成績、業務量により判断";
    o->contract.renewal_cap = OFFER_YES;
    o->contract.max_total_months = 60;
}

/* What the current assertion is about, printed when it fails. */
static const char *g_ctx = "";

static void print_findings(const findings *f)
{
    print_message("context: %s\n", g_ctx);
    for (int i = 0; i < f->n; i++)
        print_message("  %s %s %s %s\n", f->items[i].severity == FINDING_ERROR ? "E" : "W",
                      f->items[i].code, f->items[i].field, f->items[i].message);
}

/* Runs the checker for Tokyo on 2025-11-01 and returns the number of findings. */
static int check(const offer *o, findings *f)
{
    offer_check(o, "13", "2025-11-01", f);
    return f->n;
}

/* Asserts that o yields exactly one finding, with this severity, code and field. */
static void expect_only(const offer *o, finding_severity sev, const char *code, const char *field)
{
    findings f;
    if (check(o, &f) != 1 || strcmp(f.items[0].code, code) != 0 ||
        strcmp(f.items[0].field, field) != 0 || f.items[0].severity != sev) {
        print_message("expected only %s at %s, got:\n", code, field);
        print_findings(&f);
        fail();
    }
    assert_true(f.items[0].message[0] != '\0');
    assert_int_equal(f.n_errors, sev == FINDING_ERROR ? 1 : 0);
    assert_int_equal(f.n_warnings, sev == FINDING_WARNING ? 1 : 0);
}

static void expect_none(const offer *o)
{
    findings f;
    if (check(o, &f) != 0) {
        print_message("expected no findings, got:\n");
        print_findings(&f);
        fail();
    }
}

/* ---- Valid offers ------------------------------------------------------------------------- */

static void test_valid_offers(void **state)
{
    (void)state;
    offer o;
    valid_offer(&o);
    expect_none(&o);
    findings f;
    assert_int_equal(offer_check(&o, "13", "2025-11-01", &f), 0);
    valid_fixed_offer(&o);
    expect_none(&o);
    /* No cap, or no renewal at all, are complete statements too. */
    o.contract.renewal_cap = OFFER_NO;
    o.contract.max_total_months = OFFER_UNSET;
    expect_none(&o);
    o.contract.renewal = OFFER_RENEWAL_NONE;
    o.contract.renewal_cap = OFFER_TRI_UNSET;
    expect_none(&o);
    o.contract.renewal = OFFER_RENEWAL_AUTO;
    o.contract.renewal_cap = OFFER_YES;
    o.contract.max_renewals = 4;
    expect_none(&o);
    /* Optional items left unset. */
    valid_offer(&o);
    o.pr = NULL;
    o.workplace.station = NULL;
    o.workplace.access = NULL;
    o.holidays.pattern = NULL;
    o.wage.allowances = NULL;
    o.wage.base_max = OFFER_UNSET;
    o.hours.night_shifts_per_month = OFFER_UNSET;
    o.positions = OFFER_UNSET;
    o.probation.present = OFFER_NO;
    o.probation.months = OFFER_UNSET;
    o.probation.conditions_differ = OFFER_TRI_UNSET;
    o.hours.overtime = OFFER_NO;
    o.hours.overtime_avg_hours = OFFER_UNSET;
    expect_none(&o);
    /* Other shapes that are complete. */
    valid_offer(&o);
    o.probation.conditions_differ = OFFER_YES;
    o.probation.conditions = "試用期間中は基本給の95%";
    o.smoking.measure = OFFER_SMOKING_OTHER;
    o.smoking.note = "屋外に喫煙場所を設置";
    o.wage.fixed_overtime = OFFER_YES;
    o.wage.fixed_overtime_hours = 10;
    o.wage.fixed_overtime_amount = 25000;
    o.age.max = 59;
    o.age.exception = OFFER_AGE_EXC_1;
    o.age.reason = "定年が60歳のため";
    o.hours.shift_patterns = OFFER_SHIFT_DAY_ONLY;
    o.hours.night_shifts_per_month = 0;
    expect_none(&o);
}

/* ---- Missing disclosure items: exactly one finding each ---------------------------------- */

typedef struct removal {
    void (*mutate)(offer *o);
    const char *code;
    const char *field;
} removal;

static void m_title(offer *o)
{
    o->title = NULL;
}
static void m_title_blank(offer *o)
{
    o->title = " \xE3\x80\x80\t";
}
static void m_employer(offer *o)
{
    o->employer.name = "";
}
static void m_duties(offer *o)
{
    o->duties.description = NULL;
}
static void m_duties_scope(offer *o)
{
    o->duties.change_scope = NULL;
}
static void m_contract_type(offer *o)
{
    o->contract.type = OFFER_CONTRACT_UNSET;
}
static void m_probation(offer *o)
{
    o->probation.present = OFFER_TRI_UNSET;
}
static void m_probation_months(offer *o)
{
    o->probation.months = OFFER_UNSET;
}
static void m_probation_differ(offer *o)
{
    o->probation.conditions_differ = OFFER_TRI_UNSET;
}
static void m_probation_conditions(offer *o)
{
    o->probation.conditions_differ = OFFER_YES;
}
static void m_muni(offer *o)
{
    o->workplace.municipality_code = NULL;
}
static void m_address(offer *o)
{
    o->workplace.address = NULL;
}
static void m_wp_scope(offer *o)
{
    o->workplace.change_scope = NULL;
}
static void m_start(offer *o)
{
    o->hours.start = NULL;
}
static void m_end(offer *o)
{
    o->hours.end = "";
}
static void m_shift(offer *o)
{
    o->hours.shift_patterns = 0;
}
static void m_overtime(offer *o)
{
    o->hours.overtime = OFFER_TRI_UNSET;
}
static void m_overtime_hours(offer *o)
{
    o->hours.overtime_avg_hours = OFFER_UNSET;
}
static void m_break(offer *o)
{
    o->hours.break_minutes = OFFER_UNSET;
}
static void m_holidays(offer *o)
{
    o->holidays.annual_days = OFFER_UNSET;
}
static void m_wage_type(offer *o)
{
    o->wage.type = OFFER_WAGE_UNSET;
}
static void m_wage_base(offer *o)
{
    o->wage.base_min = OFFER_UNSET;
}
static void m_fixed_ot(offer *o)
{
    o->wage.fixed_overtime = OFFER_TRI_UNSET;
}
static void m_fixed_ot_hours(offer *o)
{
    o->wage.fixed_overtime = OFFER_YES;
    o->wage.fixed_overtime_amount = 25000;
}
static void m_fixed_ot_amount(offer *o)
{
    o->wage.fixed_overtime = OFFER_YES;
    o->wage.fixed_overtime_hours = 10;
}
static void m_ins_employment(offer *o)
{
    o->insurance.employment = OFFER_TRI_UNSET;
}
static void m_ins_health(offer *o)
{
    o->insurance.health = OFFER_TRI_UNSET;
}
static void m_ins_pension(offer *o)
{
    o->insurance.pension = OFFER_TRI_UNSET;
}
static void m_ins_comp(offer *o)
{
    o->insurance.workers_comp = OFFER_TRI_UNSET;
}
static void m_smoking(offer *o)
{
    o->smoking.measure = OFFER_SMOKING_UNSET;
}
static void m_smoking_note(offer *o)
{
    o->smoking.measure = OFFER_SMOKING_OTHER;
}
static void m_licences(offer *o)
{
    o->licences = 0;
}
static void m_emp_form(offer *o)
{
    o->employment_form = OFFER_EMP_UNSET;
}

static const removal REMOVALS[] = {
    {m_title, "offer.title.missing", "title"},
    {m_title_blank, "offer.title.missing", "title"},
    {m_employer, "offer.employer.name.missing", "employer.name"},
    {m_duties, "offer.duties.description.missing", "duties.description"},
    {m_duties_scope, "offer.duties.change_scope.missing", "duties.change_scope"},
    {m_contract_type, "offer.contract.type.missing", "contract.type"},
    {m_probation, "offer.probation.present.missing", "probation.present"},
    {m_probation_months, "offer.probation.months.missing", "probation.months"},
    {m_probation_differ, "offer.probation.conditions_differ.missing",
     "probation.conditions_differ"},
    {m_probation_conditions, "offer.probation.conditions.missing", "probation.conditions"},
    {m_muni, "offer.workplace.municipality_code.missing", "workplace.municipality_code"},
    {m_address, "offer.workplace.address.missing", "workplace.address"},
    {m_wp_scope, "offer.workplace.change_scope.missing", "workplace.change_scope"},
    {m_start, "offer.hours.start.missing", "hours.start"},
    {m_end, "offer.hours.end.missing", "hours.end"},
    {m_shift, "offer.hours.shift_patterns.missing", "hours.shift_patterns"},
    {m_overtime, "offer.hours.overtime.missing", "hours.overtime"},
    {m_overtime_hours, "offer.hours.overtime_avg_hours.missing", "hours.overtime_avg_hours"},
    {m_break, "offer.hours.break_minutes.missing", "hours.break_minutes"},
    {m_holidays, "offer.holidays.annual_days.missing", "holidays.annual_days"},
    {m_wage_type, "offer.wage.type.missing", "wage.type"},
    {m_wage_base, "offer.wage.base_min.missing", "wage.base_min"},
    {m_fixed_ot, "offer.wage.fixed_overtime.missing", "wage.fixed_overtime"},
    {m_fixed_ot_hours, "offer.wage.fixed_overtime_hours.missing", "wage.fixed_overtime_hours"},
    {m_fixed_ot_amount, "offer.wage.fixed_overtime_amount.missing", "wage.fixed_overtime_amount"},
    {m_ins_employment, "offer.insurance.employment.missing", "insurance.employment"},
    {m_ins_health, "offer.insurance.health.missing", "insurance.health"},
    {m_ins_pension, "offer.insurance.pension.missing", "insurance.pension"},
    {m_ins_comp, "offer.insurance.workers_comp.missing", "insurance.workers_comp"},
    {m_smoking, "offer.smoking.measure.missing", "smoking.measure"},
    {m_smoking_note, "offer.smoking.note.missing", "smoking.note"},
    {m_licences, "offer.licences.missing", "licences"},
    {m_emp_form, "offer.employment_form.missing", "employment_form"},
};

static void test_missing_items(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof REMOVALS / sizeof REMOVALS[0]; i++) {
        offer o;
        valid_offer(&o);
        REMOVALS[i].mutate(&o);
        g_ctx = REMOVALS[i].code;
        expect_only(&o, FINDING_ERROR, REMOVALS[i].code, REMOVALS[i].field);
    }
}

static void fx_start(offer *o)
{
    o->contract.start = NULL;
}
static void fx_end(offer *o)
{
    o->contract.end = NULL;
}
static void fx_renewal(offer *o)
{
    o->contract.renewal = OFFER_RENEWAL_UNSET;
}
static void fx_cap(offer *o)
{
    o->contract.renewal_cap = OFFER_TRI_UNSET;
}
static void fx_cap_values(offer *o)
{
    o->contract.max_total_months = OFFER_UNSET;
}
static void fx_end_before(offer *o)
{
    o->contract.end = "2026-03-31";
}
static void fx_bad_date(offer *o)
{
    o->contract.end = "2027-02-30";
}

static const removal FIXED_REMOVALS[] = {
    {fx_start, "offer.contract.start.missing", "contract.start"},
    {fx_end, "offer.contract.end.missing", "contract.end"},
    {fx_renewal, "offer.contract.renewal.missing", "contract.renewal"},
    {fx_cap, "offer.contract.renewal_cap.missing", "contract.renewal_cap"},
    {fx_cap_values, "offer.contract.renewal_cap.incomplete", "contract.max_renewals"},
    {fx_end_before, "offer.contract.end.before_start", "contract.end"},
    {fx_bad_date, "offer.contract.end.invalid", "contract.end"},
};

static void test_fixed_term(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof FIXED_REMOVALS / sizeof FIXED_REMOVALS[0]; i++) {
        offer o;
        valid_fixed_offer(&o);
        FIXED_REMOVALS[i].mutate(&o);
        g_ctx = FIXED_REMOVALS[i].code;
        expect_only(&o, FINDING_ERROR, FIXED_REMOVALS[i].code, FIXED_REMOVALS[i].field);
    }
    /* An indefinite contract needs neither dates nor a renewal rule. */
    offer o;
    valid_offer(&o);
    o.contract.renewal = OFFER_RENEWAL_UNSET;
    expect_none(&o);
}

static void test_invalid_values(void **state)
{
    (void)state;
    offer o;
    valid_offer(&o);
    o.hours.start = "8:30";
    expect_only(&o, FINDING_ERROR, "offer.hours.start.invalid", "hours.start");
    valid_offer(&o);
    o.hours.end = "25:00";
    expect_only(&o, FINDING_ERROR, "offer.hours.end.invalid", "hours.end");
    valid_offer(&o);
    o.workplace.municipality_code = "1310";
    expect_only(&o, FINDING_ERROR, "offer.workplace.municipality_code.invalid",
                "workplace.municipality_code");
    valid_offer(&o);
    o.wage.base_min = -5;
    expect_only(&o, FINDING_ERROR, "offer.wage.base_min.invalid", "wage.base_min");
    valid_offer(&o);
    o.holidays.annual_days = 366;
    expect_only(&o, FINDING_ERROR, "offer.holidays.annual_days.invalid", "holidays.annual_days");
    valid_offer(&o);
    o.hours.night_shifts_per_month = 32;
    expect_only(&o, FINDING_ERROR, "offer.hours.night_shifts_per_month.invalid",
                "hours.night_shifts_per_month");
    valid_offer(&o);
    o.licences = 1u << 4;
    expect_only(&o, FINDING_ERROR, "offer.licences.invalid", "licences");
    valid_offer(&o);
    o.positions = -3;
    expect_only(&o, FINDING_ERROR, "offer.positions.invalid", "positions");
    valid_offer(&o);
    o.age.max = 10;
    o.age.exception = OFFER_AGE_EXC_2;
    expect_only(&o, FINDING_ERROR, "offer.age.max.invalid", "age.max");
    valid_offer(&o);
    o.insurance.health = (offer_tri)7;
    expect_only(&o, FINDING_ERROR, "offer.insurance.health.invalid", "insurance.health");
}

/* ---- Minimum wage -------------------------------------------------------------------------- */

static offer hourly_offer(int64_t yen)
{
    offer o;
    valid_offer(&o);
    o.employment_form = OFFER_EMP_HIJOKIN;
    o.wage.type = OFFER_WAGE_HOURLY;
    o.wage.base_min = yen;
    o.wage.base_max = OFFER_UNSET;
    return o;
}

static int wage_findings(const offer *o, const char *pref, const char *date)
{
    findings f;
    offer_check(o, pref, date, &f);
    const finding *x = findings_find(&f, "offer.wage.below_minimum", "wage.base_min");
    if (x)
        assert_int_equal(x->severity, FINDING_ERROR);
    return x ? 1 : 0;
}

static void test_minimum_wage_dates(void **state)
{
    (void)state;
    char eff[16];
    assert_int_equal(minwage_lookup(&g_wages, "13", "2025-10-02", eff, sizeof eff), 1163);
    assert_string_equal(eff, "2024-10-01");
    assert_int_equal(minwage_lookup(&g_wages, "13", "2025-10-03", eff, sizeof eff), 1226);
    assert_string_equal(eff, "2025-10-03");
    assert_int_equal(minwage_lookup(&g_wages, "13", "2030-01-01", NULL, 0), 1226);
    assert_int_equal(minwage_lookup(&g_wages, "13", "2024-09-30", eff, sizeof eff), -1);
    assert_int_equal(minwage_lookup(&g_wages, "05", "2026-03-30", NULL, 0), 951);
    assert_int_equal(minwage_lookup(&g_wages, "05", "2026-03-31", NULL, 0), 1031);
    assert_int_equal(minwage_lookup(&g_wages, "14", "2026-01-01", NULL, 0), -1);
    assert_int_equal(minwage_lookup(&g_wages, "13", "2025-13-01", NULL, 0), -1);
    assert_int_equal(minwage_lookup(NULL, "13", "2025-10-03", NULL, 0), -1);

    /* The day before the revision the old amount applies; on the day the new one. */
    offer o = hourly_offer(1163);
    assert_int_equal(wage_findings(&o, "13", "2025-10-02"), 0);
    assert_int_equal(wage_findings(&o, "13", "2025-10-03"), 1);
    o = hourly_offer(1162);
    assert_int_equal(wage_findings(&o, "13", "2025-10-02"), 1);
    o = hourly_offer(1226);
    assert_int_equal(wage_findings(&o, "13", "2025-10-03"), 0);
    o = hourly_offer(1225);
    assert_int_equal(wage_findings(&o, "13", "2025-10-03"), 1);
    expect_only(&o, FINDING_ERROR, "offer.wage.below_minimum", "wage.base_min");
    /* Akita's 令和7年度 amount applies only from 2026-03-31. */
    o = hourly_offer(1000);
    o.workplace.municipality_code = "05201";
    assert_int_equal(wage_findings(&o, "05", "2026-03-30"), 0);
    assert_int_equal(wage_findings(&o, "05", "2026-03-31"), 1);
    /* No row for the prefecture or the date, or no table: no wage finding. */
    o = hourly_offer(500);
    assert_int_equal(wage_findings(&o, "13", "2024-09-30"), 0);
    o.workplace.municipality_code = "14101";
    assert_int_equal(wage_findings(&o, "14", "2026-01-01"), 0);
    findings f;
    o = hourly_offer(500);
    offer_check_with(&o, NULL, "13", "2025-11-01", &f);
    assert_int_equal(f.n, 0);
    offer_check_with(&o, &g_wages, "13", "2025-11-01", &f);
    assert_int_equal(f.n, 1);
    /* The message names the amount, the era date and the converted wage. */
    assert_non_null(strstr(f.items[0].message, "1226円"));
    assert_non_null(strstr(f.items[0].message, "令和7年10月3日"));
    assert_non_null(strstr(f.items[0].message, "500円"));
}

static void test_minimum_wage_converted(void **state)
{
    (void)state;
    /* Monthly: 08:30-17:15 with 60 min break = 465 min/day; 365-120 = 245 days.
     * Threshold: 1226 × 245 × 465 ÷ 720 = 193,988.96 yen. */
    offer o;
    valid_offer(&o);
    o.wage.base_max = OFFER_UNSET;
    o.wage.base_min = 193989;
    assert_int_equal(wage_findings(&o, "13", "2025-11-01"), 0);
    o.wage.base_min = 193988;
    assert_int_equal(wage_findings(&o, "13", "2025-11-01"), 1);
    findings f;
    offer_check(&o, "13", "2025-11-01", &f);
    const finding *x = findings_find(&f, "offer.wage.below_minimum", "wage.base_min");
    assert_non_null(x);
    assert_non_null(strstr(x->message, "時間額換算 1225円")); /* 1225.99… rounded down */
    assert_non_null(strstr(x->message, "換算しています。"));  /* not truncated */
    /* More holidays mean fewer hours and a higher hourly equivalent. */
    o.holidays.annual_days = 125;
    assert_int_equal(wage_findings(&o, "13", "2025-11-01"), 0);
    /* Daily: 9,502 / 7.75 h = 1226.06; 9,501 / 7.75 h = 1225.94. */
    valid_offer(&o);
    o.wage.type = OFFER_WAGE_DAILY;
    o.wage.base_max = OFFER_UNSET;
    o.wage.base_min = 9502;
    assert_int_equal(wage_findings(&o, "13", "2025-11-01"), 0);
    o.wage.base_min = 9501;
    assert_int_equal(wage_findings(&o, "13", "2025-11-01"), 1);
    /* Annual: twelve times the monthly threshold. */
    valid_offer(&o);
    o.wage.type = OFFER_WAGE_ANNUAL;
    o.wage.base_max = OFFER_UNSET;
    o.wage.base_min = 2327868; /* threshold 2,327,867.5 */
    assert_int_equal(wage_findings(&o, "13", "2025-11-01"), 0);
    o.wage.base_min = 2327867;
    assert_int_equal(wage_findings(&o, "13", "2025-11-01"), 1);
    /* Without the hours the conversion is impossible: only the missing item is reported. */
    o.holidays.annual_days = OFFER_UNSET;
    expect_only(&o, FINDING_ERROR, "offer.holidays.annual_days.missing", "holidays.annual_days");
}

static void test_hourly_equivalent(void **state)
{
    (void)state;
    offer o;
    valid_offer(&o);
    o.hours.start = "08:00";
    o.hours.end = "17:00";
    o.hours.break_minutes = 60;
    assert_int_equal(offer_daily_minutes(&o), 480);
    /* monthly 200,000 ÷ (245 days × 8 h ÷ 12) = 1224.49… */
    o.wage.type = OFFER_WAGE_MONTHLY;
    o.wage.base_min = 200000;
    int64_t num, den;
    assert_int_equal(offer_hourly_fraction(&o, &num, &den), 0);
    assert_true(num * 117600 == 144000000LL * den);
    assert_int_equal(offer_hourly_equivalent(&o), 1224);
    o.wage.type = OFFER_WAGE_ANNUAL;
    o.wage.base_min = 2400000;
    assert_int_equal(offer_hourly_equivalent(&o), 1224);
    o.wage.type = OFFER_WAGE_DAILY;
    o.wage.base_min = 10000;
    assert_int_equal(offer_hourly_equivalent(&o), 1250);
    o.wage.type = OFFER_WAGE_HOURLY;
    o.wage.base_min = 1500;
    assert_int_equal(offer_hourly_equivalent(&o), 1500);
    o.hours.start = NULL; /* hourly needs no hours */
    assert_int_equal(offer_hourly_equivalent(&o), 1500);
    o.wage.type = OFFER_WAGE_DAILY;
    assert_int_equal(offer_hourly_equivalent(&o), -1);
    /* A night shift across midnight: 16:30-09:00 = 16.5 h minus a 120 min break. */
    o.hours.start = "16:30";
    o.hours.end = "09:00";
    o.hours.break_minutes = 120;
    assert_int_equal(offer_daily_minutes(&o), 870);
    o.wage.base_min = 29000;
    assert_int_equal(offer_hourly_equivalent(&o), 2000);
    /* Unconvertible inputs. */
    o.hours.break_minutes = OFFER_UNSET;
    assert_int_equal(offer_daily_minutes(&o), -1);
    o.hours.break_minutes = 1000;
    assert_int_equal(offer_daily_minutes(&o), -1);
    o.hours.break_minutes = 60;
    o.wage.type = OFFER_WAGE_MONTHLY;
    o.holidays.annual_days = 365;
    assert_int_equal(offer_hourly_equivalent(&o), -1);
    o.holidays.annual_days = 120;
    o.wage.base_min = OFFER_UNSET;
    assert_int_equal(offer_hourly_equivalent(&o), -1);
    o.wage.base_min = 200000;
    o.wage.type = OFFER_WAGE_UNSET;
    assert_int_equal(offer_hourly_equivalent(&o), -1);
    assert_int_equal(offer_time_minutes("00:00"), 0);
    assert_int_equal(offer_time_minutes("24:00"), 1440);
    assert_int_equal(offer_time_minutes("23:60"), -1);
    assert_int_equal(offer_time_minutes("0830"), -1);
    assert_int_equal(offer_time_minutes(NULL), -1);
}

/* ---- Warnings ------------------------------------------------------------------------------ */

static void test_day_only_nights(void **state)
{
    (void)state;
    offer o;
    valid_offer(&o);
    o.hours.shift_patterns = OFFER_SHIFT_DAY_ONLY;
    o.hours.night_shifts_per_month = 4;
    expect_only(&o, FINDING_WARNING, "offer.hours.night_shifts.day_only",
                "hours.night_shifts_per_month");
    o.hours.night_shifts_per_month = 0;
    expect_none(&o);
    o.hours.night_shifts_per_month = OFFER_UNSET;
    expect_none(&o);
    o.hours.shift_patterns = OFFER_SHIFT_THREE | OFFER_SHIFT_ON_CALL;
    o.hours.night_shifts_per_month = 8;
    expect_none(&o);
}

static void test_implausible(void **state)
{
    (void)state;
    offer o;
    valid_offer(&o);
    o.hours.night_shifts_per_month = 16;
    expect_only(&o, FINDING_WARNING, "offer.hours.night_shifts.implausible",
                "hours.night_shifts_per_month");
    o.hours.night_shifts_per_month = 15;
    expect_none(&o);

    valid_offer(&o);
    o.wage.base_max = OFFER_UNSET;
    o.wage.base_min = 2000001;
    expect_only(&o, FINDING_WARNING, "offer.wage.implausible", "wage.base_min");
    o.wage.base_min = 2000000;
    expect_none(&o);
    o.wage.base_min = 300000;
    o.wage.base_max = 3000000;
    expect_only(&o, FINDING_WARNING, "offer.wage.implausible", "wage.base_max");
    o.wage.type = OFFER_WAGE_ANNUAL; /* only monthly amounts have this cap */
    o.wage.base_min = 4000000;
    o.wage.base_max = 6000000;
    expect_none(&o);

    valid_offer(&o);
    o.wage.base_min = 350001;
    expect_only(&o, FINDING_WARNING, "offer.wage.range_inverted", "wage.base_max");
    o.wage.base_min = 350000;
    expect_none(&o);

    valid_offer(&o);
    o.positions = 0;
    expect_only(&o, FINDING_WARNING, "offer.positions.implausible", "positions");
    o.positions = 1000;
    expect_only(&o, FINDING_WARNING, "offer.positions.implausible", "positions");
    o.positions = 999;
    expect_none(&o);
    o.positions = 1;
    expect_none(&o);
}

static void test_break_minimum(void **state)
{
    (void)state;
    offer o;
    valid_offer(&o);
    o.wage.type = OFFER_WAGE_HOURLY; /* keep the minimum wage out of the picture */
    o.wage.base_min = 2000;
    o.wage.base_max = OFFER_UNSET;
    /* 08:30-15:15 = 405 min span. */
    o.hours.start = "08:30";
    o.hours.end = "15:15";
    o.hours.break_minutes = 44; /* 361 min of work > 6 h */
    expect_only(&o, FINDING_WARNING, "offer.hours.break_minutes.too_short", "hours.break_minutes");
    o.hours.break_minutes = 45; /* exactly 6 h of work: no break required, 45 given */
    expect_none(&o);
    o.hours.end = "14:30"; /* 360 min span, 0 break = 6 h of work exactly */
    o.hours.break_minutes = 0;
    expect_none(&o);
    /* Exactly 8 h of work (08:00-16:45 minus 45 min): 45 min suffice. */
    o.hours.start = "08:00";
    o.hours.end = "16:45";
    o.hours.break_minutes = 45;
    expect_none(&o);
    /* 08:00-17:59 = 599 min span. */
    o.hours.start = "08:00";
    o.hours.end = "17:59";
    o.hours.break_minutes = 59; /* 540 min of work > 8 h */
    expect_only(&o, FINDING_WARNING, "offer.hours.break_minutes.too_short", "hours.break_minutes");
    o.hours.break_minutes = 45;
    expect_only(&o, FINDING_WARNING, "offer.hours.break_minutes.too_short", "hours.break_minutes");
    o.hours.break_minutes = 60;
    expect_none(&o);
    /* Night shift 16:30-09:00 with 120 min. */
    o.hours.start = "16:30";
    o.hours.end = "09:00";
    o.hours.break_minutes = 120;
    expect_none(&o);
    o.hours.break_minutes = 50;
    expect_only(&o, FINDING_WARNING, "offer.hours.break_minutes.too_short", "hours.break_minutes");
}

static void test_age_limit(void **state)
{
    (void)state;
    offer o;
    valid_offer(&o);
    o.age.max = 35;
    expect_only(&o, FINDING_WARNING, "offer.age.exception_missing", "age.exception");
    o.age.exception = OFFER_AGE_EXC_3_I;
    expect_none(&o);
    o.age.exception = OFFER_AGE_EXC_3_NI;
    expect_none(&o);
    /* 1号 and 3号イ require a contract without a fixed term. */
    valid_fixed_offer(&o);
    o.age.max = 35;
    o.age.exception = OFFER_AGE_EXC_3_I;
    expect_only(&o, FINDING_WARNING, "offer.age.exception_mismatch", "age.exception");
    o.age.exception = OFFER_AGE_EXC_1;
    expect_only(&o, FINDING_WARNING, "offer.age.exception_mismatch", "age.exception");
    o.age.exception = OFFER_AGE_EXC_2;
    expect_none(&o);
    /* An exception without a limit is harmless. */
    valid_offer(&o);
    o.age.exception = OFFER_AGE_EXC_3_RO;
    expect_none(&o);
}

static void test_other_prefecture(void **state)
{
    (void)state;
    offer o;
    valid_offer(&o);
    o.workplace.municipality_code = "14101";
    expect_only(&o, FINDING_WARNING, "offer.workplace.municipality_code.other_prefecture",
                "workplace.municipality_code");
}

/* ---- Gender wording ----------------------------------------------------------------------- */

/* Returns the number of offer.wording.gender warnings when pr of a valid offer is set to text;
 * fails on any other finding. */
static int wording_hits(const char *text)
{
    offer o;
    valid_offer(&o);
    o.pr = text;
    findings f;
    check(&o, &f);
    int n = 0;
    for (int i = 0; i < f.n; i++) {
        if (strcmp(f.items[i].code, "offer.wording.gender") != 0) {
            print_findings(&f);
            fail();
        }
        assert_int_equal(f.items[i].severity, FINDING_WARNING);
        assert_string_equal(f.items[i].field, "pr");
        n++;
    }
    return n;
}

static void expect_hits(const char *text, int want)
{
    int got = wording_hits(text);
    if (got != want) {
        print_message("'%s': %d gender wording warnings, want %d\n", text ? text : "(null)", got,
                      want);
        fail();
    }
}

static void test_wording(void **state)
{
    (void)state;
    const char *flagged[] = {
        "経験豊富な看護婦が指導します",
        "看護士として働きませんか",
        "准看護婦も応募できます",
        "保健婦業務",
        "保健士",
        "助産婦外来",
        "院内保育所の保母",
        "女性のみ募集",
        "男性のみ",
        "女性限定の求人です",
        "男性限定",
        "女性歓迎",
        "男性歓迎！",
        "女性向きの職場",
        "男性向き",
        "主婦の方が活躍中",
        "ママさん看護師が多数",
        "ママナース大歓迎",
        "ママＯＫ",         /* full-width OK */
        "ﾏﾏさん歓迎",       /* half-width katakana */
        "ﾐｾｽ歓迎",          /* half-width katakana */
        "ｼｭﾌ主婦",          /* 主婦 still there */
        "主婦（夫）と主婦", /* the second one is not neutral */
    };
    for (size_t i = 0; i < sizeof flagged / sizeof flagged[0]; i++) {
        g_ctx = flagged[i];
        expect_hits(flagged[i], 1);
    }
    const char *clean[] = {
        "看護師・准看護師を募集します",
        "保健師・助産師も歓迎",
        "主婦(夫)の方も活躍中",
        "主婦（夫）歓迎", /* full-width parentheses, NFKC */
        "主婦・主夫の方",
        "主婦／主夫",
        "ブランクＯＫ",     /* full-width OK without a gender term */
        "そのまま正職員へ", /* hiragana まま is not ママ */
        "男女とも活躍中",
        "ｶﾝｺﾞｼ募集",
        "",
        NULL,
    };
    for (size_t i = 0; i < sizeof clean / sizeof clean[0]; i++) {
        g_ctx = clean[i] ? clean[i] : "(null)";
        expect_hits(clean[i], 0);
    }
    /* Several terms give one warning each. */
    assert_int_equal(wording_hits("看護婦・女性のみ・ママさん"), 3);
    /* The same term twice in one field gives one warning. */
    assert_int_equal(wording_hits("看護婦、看護婦"), 1);
    /* Invalid UTF-8 is not this checker's to report. */
    assert_int_equal(wording_hits("\xFF看護婦"), 0);

    /* Every free-text field is scanned, and the finding names it. */
    offer o;
    valid_offer(&o);
    o.wage.allowances = "女性限定手当";
    expect_only(&o, FINDING_WARNING, "offer.wording.gender", "wage.allowances");
    valid_offer(&o);
    o.title = "看護婦募集";
    expect_only(&o, FINDING_WARNING, "offer.wording.gender", "title");
    valid_offer(&o);
    o.duties.description = "病棟の看護士業務";
    expect_only(&o, FINDING_WARNING, "offer.wording.gender", "duties.description");
    valid_offer(&o);
    const char *tags[] = {"緊急確保", "ママナース応援"};
    o.campaign_tags = tags;
    o.n_campaign_tags = 2;
    expect_only(&o, FINDING_WARNING, "offer.wording.gender", "campaign_tags[1]");
    /* The message names the term and its replacement. */
    valid_offer(&o);
    o.pr = "看護婦";
    findings f;
    check(&o, &f);
    assert_int_equal(f.n, 1);
    assert_non_null(strstr(f.items[0].message, "「看護婦」"));
    assert_non_null(strstr(f.items[0].message, "看護師"));
}

/* ---- The TSV loader ----------------------------------------------------------------------- */

static void expect_load_error(const char *tsv, const char *needle)
{
    minwage_table t;
    char err[160];
    assert_int_equal(minwage_load_tsv(tsv, &t, err, sizeof err), -1);
    assert_null(t.rows);
    assert_int_equal(t.n, 0);
    if (!strstr(err, needle)) {
        print_message("error '%s' lacks '%s'\n", err, needle);
        fail();
    }
}

static void test_minwage_loader(void **state)
{
    (void)state;
    minwage_table t;
    char err[160];
    const char *ok = "pref_code\teffective_date\thourly_yen\tsource\r\n"
                     "\r\n"
                     "# comment\n"
                     "01\t2024-10-01\t1010\thttps://example.jp/a\r\n"
                     "01\t2025-10-04\t1075\tx\n"
                     "47\t2025-12-01\t1023\ty"; /* no final newline */
    assert_int_equal(minwage_load_tsv(ok, &t, err, sizeof err), 0);
    assert_int_equal(t.n, 3);
    assert_string_equal(t.rows[0].pref, "01");
    assert_string_equal(t.rows[2].effective, "2025-12-01");
    assert_int_equal(t.rows[2].yen, 1023);
    assert_int_equal(minwage_lookup(&t, "01", "2025-10-03", NULL, 0), 1010);
    assert_int_equal(minwage_lookup(&t, "01", "2025-10-04", NULL, 0), 1075);
    minwage_free(&t);
    assert_null(t.rows);
    /* Empty text is an empty table. */
    assert_int_equal(minwage_load_tsv("", &t, err, sizeof err), 0);
    assert_int_equal(t.n, 0);
    minwage_free(&t);

    expect_load_error("48\t2025-10-01\t1000\tx\n", "line 1");
    expect_load_error("01\t2025-10-01\t1000\tx\n00\t2025-10-01\t1000\tx\n", "line 2");
    expect_load_error("13\t2025-02-30\t1000\tx\n", "date");
    expect_load_error("13\t2025-10-01\tabc\tx\n", "hourly");
    expect_load_error("13\t2025-10-01\t0\tx\n", "hourly");
    expect_load_error("13\t2025-10-01\t1000\n", "columns");
    expect_load_error("13\t2025-10-01\t1000\t\n", "source");
    expect_load_error("13\t2025-10-01\t1000\tx\n13\t2025-10-01\t1001\ty\n", "duplicate");
    expect_load_error("pref\n13\t2025-10-01\n", "line 2");
    assert_int_equal(minwage_load_tsv(NULL, &t, err, sizeof err), -1);
}

/* Reads the repository's data/minimum_wages.tsv when the test runs from the source root or a
 * build directory below it; returns a malloc'd string or NULL. */
static char *read_repo_file(const char *rel)
{
    const char *prefixes[] = {"", "../", "../../"};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s%s", prefixes[i], rel);
        FILE *fp = fopen(path, "rb");
        if (!fp)
            continue;
        char *buf = NULL;
        size_t len = 0, cap = 0;
        char chunk[4096];
        size_t got;
        while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0) {
            if (len + got + 1 > cap) {
                cap = (len + got + 1) * 2;
                char *nb = realloc(buf, cap);
                assert_non_null(nb);
                buf = nb;
            }
            memcpy(buf + len, chunk, got);
            len += got;
        }
        fclose(fp);
        if (buf)
            buf[len] = '\0';
        return buf;
    }
    return NULL;
}

static void test_repo_table(void **state)
{
    (void)state;
    char *text = read_repo_file("data/minimum_wages.tsv");
    if (!text)
        skip();
    minwage_table t;
    char err[160];
    int rc = minwage_load_tsv(text, &t, err, sizeof err);
    free(text);
    if (rc != 0)
        print_message("%s\n", err);
    assert_int_equal(rc, 0);
    /* Two revisions for each of the 47 prefectures. */
    int per_pref[48] = {0};
    for (int i = 0; i < t.n; i++)
        per_pref[(t.rows[i].pref[0] - '0') * 10 + (t.rows[i].pref[1] - '0')]++;
    for (int p = 1; p <= 47; p++)
        assert_int_equal(per_pref[p], 2);
    assert_int_equal(minwage_lookup(&t, "13", "2025-10-02", NULL, 0), 1163);
    assert_int_equal(minwage_lookup(&t, "13", "2025-10-03", NULL, 0), 1226);
    assert_int_equal(minwage_lookup(&t, "05", "2026-03-30", NULL, 0), 951);
    assert_int_equal(minwage_lookup(&t, "05", "2026-03-31", NULL, 0), 1031);
    assert_int_equal(minwage_lookup(&t, "36", "2024-10-31", NULL, 0), -1);
    assert_int_equal(minwage_lookup(&t, "36", "2024-11-01", NULL, 0), 980);
    assert_int_equal(minwage_lookup(&t, "47", "2026-01-01", NULL, 0), 1023);
    minwage_free(&t);
}

/* ---- Findings container ------------------------------------------------------------------- */

static void test_findings_cap(void **state)
{
    (void)state;
    findings *f = calloc(1, sizeof *f);
    assert_non_null(f);
    for (int i = 0; i < FINDINGS_MAX + 5; i++)
        findings_add(f, i % 2 ? FINDING_WARNING : FINDING_ERROR, "a.b", "offer.x", "メッセージ");
    assert_int_equal(f->n, FINDINGS_MAX);
    assert_true(f->truncated);
    assert_int_equal(f->n_errors + f->n_warnings, FINDINGS_MAX);
    assert_non_null(findings_find(f, "offer.x", NULL));
    assert_non_null(findings_find(f, "offer.x", "a.b"));
    assert_null(findings_find(f, "offer.x", "a.c"));
    /* Over-long strings are truncated, not overflowed. */
    char longs[400];
    memset(longs, 'x', sizeof longs - 1);
    longs[sizeof longs - 1] = '\0';
    memset(f, 0, sizeof *f);
    findings_add(f, FINDING_ERROR, longs, longs, longs);
    assert_int_equal(strlen(f->items[0].field), sizeof f->items[0].field - 1);
    assert_int_equal(strlen(f->items[0].code), sizeof f->items[0].code - 1);
    assert_int_equal(strlen(f->items[0].message), sizeof f->items[0].message - 1);
    free(f);
}

/* Everything missing at once: one error per required item, nothing else. */
static void test_empty_offer(void **state)
{
    (void)state;
    offer o;
    offer_init(&o);
    findings f;
    offer_check(&o, "13", "2025-11-01", &f);
    assert_false(f.truncated);
    assert_int_equal(f.n_warnings, 0);
    /* title, employer, duties ×2, contract type, probation, workplace ×3, start, end, shift,
     * overtime, break, holidays, wage type, base, fixed overtime, insurance ×4, smoking,
     * licences, employment form. */
    assert_int_equal(f.n_errors, 25);
    for (int i = 0; i < f.n; i++) {
        char want[96];
        snprintf(want, sizeof want, "offer.%s.missing", f.items[i].field);
        assert_string_equal(f.items[i].code, want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_offers),
        cmocka_unit_test(test_missing_items),
        cmocka_unit_test(test_fixed_term),
        cmocka_unit_test(test_invalid_values),
        cmocka_unit_test(test_minimum_wage_dates),
        cmocka_unit_test(test_minimum_wage_converted),
        cmocka_unit_test(test_hourly_equivalent),
        cmocka_unit_test(test_day_only_nights),
        cmocka_unit_test(test_implausible),
        cmocka_unit_test(test_break_minimum),
        cmocka_unit_test(test_age_limit),
        cmocka_unit_test(test_other_prefecture),
        cmocka_unit_test(test_wording),
        cmocka_unit_test(test_minwage_loader),
        cmocka_unit_test(test_repo_table),
        cmocka_unit_test(test_findings_cap),
        cmocka_unit_test(test_empty_offer),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
