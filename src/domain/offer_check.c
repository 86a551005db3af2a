/* The job offer compliance checker (DESIGN.md §2, issue 4 "Job offers").
 *
 * Errors (block submission): every missing disclosure item of 職業安定法5条の3 / 施行規則4条の2
 * (one finding per item, code "offer.<field>.missing"), malformed values ("….invalid"), a wage
 * below the prefecture's minimum wage in force, fixed overtime pay without hours or amount, a
 * fixed-term contract without a renewal rule, no passive-smoking measure, and an age limit
 * without a cited exception (労働施策総合推進法9条; the exceptions are listed in its 施行規則
 * 1条の3第1項, formerly 雇用対策法施行規則).
 *
 * Warnings (shown, not blocking): gender-specific wording in any free text, night shifts stated
 * together with 日勤のみ, implausible values, a break shorter than 労基法34条 requires, an age
 * exception that needs an indefinite contract used with a fixed-term one, and a workplace in
 * another prefecture.
 *
 * Gender wording decision: 看護士 (and 保健士) are flagged like 看護婦. Before the 2002 renaming
 * (保健師助産師看護師法) 看護婦 was the title for women and 看護士 the title for men; since then
 * the only legal title is 看護師 for everyone, so either old word signals a gender and is shown
 * with its replacement. 主婦 is not flagged when written 主婦(夫) or 主婦・主夫. Matching runs on
 * the NFKC form with ASCII lower-cased (so ＯＫ = OK, ﾏﾏ = ママ); hiragana is deliberately NOT
 * folded to katakana, because そのまま would then contain ママ. */
#include "domain/offer.h"
#include "domain/text.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Limits for plausibility warnings. */
#define MONTHLY_WAGE_PLAUSIBLE_MAX 2000000
#define NIGHT_SHIFTS_PLAUSIBLE_MAX 15
#define POSITIONS_PLAUSIBLE_MAX    999
#define WAGE_YEN_MAX               10000000000LL /* above: invalid input */

static void add(findings *f, finding_severity sev, const char *field, const char *code,
                const char *msg)
{
    findings_add(f, sev, field, code, msg);
}

/* Adds the error "offer.<field>.<reason>" with message label+suffix. */
static void add_err(findings *f, const char *field, const char *reason, const char *label,
                    const char *suffix)
{
    char code[96], msg[320];
    snprintf(code, sizeof code, "offer.%s.%s", field, reason);
    snprintf(msg, sizeof msg, "%s%s", label, suffix);
    add(f, FINDING_ERROR, field, code, msg);
}

static void missing_text(findings *f, const char *field, const char *label)
{
    add_err(f, field, "missing", label, "を入力してください。");
}

static void missing_choice(findings *f, const char *field, const char *label)
{
    add_err(f, field, "missing", label, "を選択してください。");
}

static void invalid(findings *f, const char *field, const char *label)
{
    add_err(f, field, "invalid", label, "の値が正しくありません。");
}

static void need_text(findings *f, const char *s, const char *field, const char *label)
{
    if (text_blank(s))
        missing_text(f, field, label);
}

static void need_tri(findings *f, offer_tri v, const char *field, const char *label)
{
    if (v == OFFER_TRI_UNSET)
        missing_choice(f, field, label);
    else if (v != OFFER_NO && v != OFFER_YES)
        invalid(f, field, label);
}

/* Checks an optional integer: OFFER_UNSET passes; otherwise it must lie in [lo, hi]. Returns
 * true when the value is set and valid. */
static bool check_int(findings *f, int64_t v, int64_t lo, int64_t hi, const char *field,
                      const char *label)
{
    if (v == OFFER_UNSET)
        return false;
    if (v < lo || v > hi) {
        invalid(f, field, label);
        return false;
    }
    return true;
}

/* Checks an optional YYYY-MM-DD date; returns true when it is present and valid. */
static bool check_date(findings *f, const char *s, const char *field, const char *label)
{
    int y, m, d;
    if (text_blank(s))
        return false;
    if (date_parse(s, &y, &m, &d) != 0) {
        add_err(f, field, "invalid", label, "は正しい日付（例: 2026-04-01）で入力してください。");
        return false;
    }
    return true;
}

/* ---- Sections ------------------------------------------------------------------------------ */

static void check_contract(const offer *o, findings *f)
{
    bool has_start = check_date(f, o->contract.start, "contract.start", "契約期間の開始日");
    bool has_end = check_date(f, o->contract.end, "contract.end", "契約期間の終了日");
    switch (o->contract.type) {
    case OFFER_CONTRACT_UNSET:
        missing_choice(f, "contract.type", "契約期間（期間の定めの有無）");
        return;
    case OFFER_CONTRACT_INDEFINITE:
        return;
    case OFFER_CONTRACT_FIXED:
        break;
    default:
        invalid(f, "contract.type", "契約期間（期間の定めの有無）");
        return;
    }
    if (text_blank(o->contract.start))
        missing_text(f, "contract.start", "有期契約の契約期間の開始日");
    if (text_blank(o->contract.end))
        missing_text(f, "contract.end", "有期契約の契約期間の終了日");
    if (has_start && has_end && date_cmp(o->contract.end, o->contract.start) < 0)
        add(f, FINDING_ERROR, "contract.end", "offer.contract.end.before_start",
            "契約期間の終了日が開始日より前になっています。");
    bool renews = false;
    switch (o->contract.renewal) {
    case OFFER_RENEWAL_UNSET:
        add(f, FINDING_ERROR, "contract.renewal", "offer.contract.renewal.missing",
            "有期契約の場合は、契約更新の有無（自動更新・更新する場合あり・更新しない）を選択"
            "してください。");
        break;
    case OFFER_RENEWAL_AUTO:
    case OFFER_RENEWAL_POSSIBLE:
        renews = true;
        break;
    case OFFER_RENEWAL_NONE:
        break;
    default:
        invalid(f, "contract.renewal", "契約更新の有無");
        break;
    }
    if (!renews)
        return;
    bool cap_renewals =
        check_int(f, o->contract.max_renewals, 1, 100, "contract.max_renewals", "更新回数の上限");
    bool cap_months = check_int(f, o->contract.max_total_months, 1, 1200,
                                "contract.max_total_months", "通算契約期間の上限");
    if (o->contract.renewal_cap == OFFER_TRI_UNSET)
        missing_choice(f, "contract.renewal_cap",
                       "契約更新の上限（更新回数又は通算契約期間）の有無");
    else if (o->contract.renewal_cap != OFFER_YES && o->contract.renewal_cap != OFFER_NO)
        invalid(f, "contract.renewal_cap", "契約更新の上限の有無");
    else if (o->contract.renewal_cap == OFFER_YES && !cap_renewals && !cap_months &&
             o->contract.max_renewals == OFFER_UNSET && o->contract.max_total_months == OFFER_UNSET)
        add(f, FINDING_ERROR, "contract.max_renewals", "offer.contract.renewal_cap.incomplete",
            "更新上限がある場合は、更新回数の上限又は通算契約期間の上限を入力してください。");
}

static void check_probation(const offer *o, findings *f)
{
    need_tri(f, o->probation.present, "probation.present", "試用期間の有無");
    bool has_months =
        check_int(f, o->probation.months, 1, 24, "probation.months", "試用期間の長さ（月数）");
    if (o->probation.present != OFFER_YES)
        return;
    if (!has_months && o->probation.months == OFFER_UNSET)
        missing_text(f, "probation.months", "試用期間の長さ（月数）");
    need_tri(f, o->probation.conditions_differ, "probation.conditions_differ",
             "試用期間中の労働条件が本採用後と異なるかどうか");
    if (o->probation.conditions_differ == OFFER_YES)
        need_text(f, o->probation.conditions, "probation.conditions", "試用期間中の労働条件");
}

static void check_workplace(const offer *o, const char *prefecture, findings *f)
{
    const char *mc = o->workplace.municipality_code;
    if (text_blank(mc)) {
        missing_choice(f, "workplace.municipality_code", "就業場所の市区町村");
    } else {
        bool ok = strlen(mc) == 5;
        for (const char *p = mc; ok && *p; p++)
            ok = *p >= '0' && *p <= '9';
        if (!ok)
            invalid(f, "workplace.municipality_code", "就業場所の市区町村コード");
        else if (prefecture && strlen(prefecture) == 2 && strncmp(mc, prefecture, 2) != 0)
            add(f, FINDING_WARNING, "workplace.municipality_code",
                "offer.workplace.municipality_code.other_prefecture",
                "就業場所の市区町村が求人票を提出する都道府県と異なります。最低賃金は就業場所の"
                "都道府県の額が適用されますので、ご確認ください。");
    }
    need_text(f, o->workplace.address, "workplace.address", "就業場所の所在地");
    need_text(f, o->workplace.change_scope, "workplace.change_scope",
              "就業場所の変更の範囲（変更がない場合は「変更なし」）");
}

static void check_hours(const offer *o, findings *f)
{
    int start = -1, end = -1;
    if (text_blank(o->hours.start))
        missing_text(f, "hours.start", "始業時刻");
    else if ((start = offer_time_minutes(o->hours.start)) < 0)
        add_err(f, "hours.start", "invalid", "始業時刻", "は「08:30」の形式で入力してください。");
    if (text_blank(o->hours.end))
        missing_text(f, "hours.end", "終業時刻");
    else if ((end = offer_time_minutes(o->hours.end)) < 0)
        add_err(f, "hours.end", "invalid", "終業時刻", "は「17:15」の形式で入力してください。");
    unsigned shifts = o->hours.shift_patterns;
    if (!shifts)
        missing_choice(f, "hours.shift_patterns",
                       "勤務形態（二交代・三交代・日勤のみ・夜勤のみ・当直）");
    else if (shifts & ~0x1Fu)
        invalid(f, "hours.shift_patterns", "勤務形態");
    bool has_nights = check_int(f, o->hours.night_shifts_per_month, 0, 31,
                                "hours.night_shifts_per_month", "月の夜勤回数");
    need_tri(f, o->hours.overtime, "hours.overtime", "時間外労働の有無");
    bool has_ot = check_int(f, o->hours.overtime_avg_hours, 0, 744, "hours.overtime_avg_hours",
                            "月平均の時間外労働時間");
    if (o->hours.overtime == OFFER_YES && !has_ot && o->hours.overtime_avg_hours == OFFER_UNSET)
        missing_text(f, "hours.overtime_avg_hours", "月平均の時間外労働時間");
    bool has_break =
        check_int(f, o->hours.break_minutes, 0, 1440, "hours.break_minutes", "休憩時間（分）");
    if (o->hours.break_minutes == OFFER_UNSET)
        missing_text(f, "hours.break_minutes", "休憩時間（分）");

    /* Warnings. */
    if (has_nights && (shifts & OFFER_SHIFT_DAY_ONLY) && o->hours.night_shifts_per_month > 0)
        add(f, FINDING_WARNING, "hours.night_shifts_per_month", "offer.hours.night_shifts.day_only",
            "勤務形態が「日勤のみ」ですが、月の夜勤回数が入力されています。どちらかを修正して"
            "ください。");
    if (has_nights && o->hours.night_shifts_per_month > NIGHT_SHIFTS_PLAUSIBLE_MAX)
        add(f, FINDING_WARNING, "hours.night_shifts_per_month",
            "offer.hours.night_shifts.implausible",
            "月の夜勤回数が15回を超えています。入力内容をご確認ください。");
    if (start >= 0 && end >= 0 && has_break) {
        int span = end > start ? end - start : end + 24 * 60 - start;
        int work = span - o->hours.break_minutes;
        /* 労基法34条: more than 6 h of work needs 45 min of break, more than 8 h needs 60. */
        int need = work > 8 * 60 ? 60 : work > 6 * 60 ? 45 : 0;
        if (o->hours.break_minutes < need) {
            char msg[320];
            snprintf(msg, sizeof msg,
                     "労働時間が%d時間%02d分の場合、休憩時間は少なくとも%d分必要です"
                     "（労働基準法34条）。",
                     work / 60, work % 60, need);
            add(f, FINDING_WARNING, "hours.break_minutes", "offer.hours.break_minutes.too_short",
                msg);
        }
    }
}

static void check_wage(const offer *o, findings *f)
{
    switch (o->wage.type) {
    case OFFER_WAGE_UNSET:
        missing_choice(f, "wage.type", "賃金形態（月給・時給・日給・年俸）");
        break;
    case OFFER_WAGE_MONTHLY:
    case OFFER_WAGE_HOURLY:
    case OFFER_WAGE_DAILY:
    case OFFER_WAGE_ANNUAL:
        break;
    default:
        invalid(f, "wage.type", "賃金形態");
        break;
    }
    bool has_min = check_int(f, o->wage.base_min, 0, WAGE_YEN_MAX, "wage.base_min", "基本給");
    if (o->wage.base_min == OFFER_UNSET)
        missing_text(f, "wage.base_min", "基本給（下限額）");
    bool has_max =
        check_int(f, o->wage.base_max, 0, WAGE_YEN_MAX, "wage.base_max", "基本給（上限額）");
    need_tri(f, o->wage.fixed_overtime, "wage.fixed_overtime", "固定残業代の有無");
    bool fo_hours = check_int(f, o->wage.fixed_overtime_hours, 1, 744, "wage.fixed_overtime_hours",
                              "固定残業代に相当する時間");
    bool fo_amount = check_int(f, o->wage.fixed_overtime_amount, 1, WAGE_YEN_MAX,
                               "wage.fixed_overtime_amount", "固定残業代の金額");
    if (o->wage.fixed_overtime == OFFER_YES) {
        if (!fo_hours && o->wage.fixed_overtime_hours == OFFER_UNSET)
            add(f, FINDING_ERROR, "wage.fixed_overtime_hours",
                "offer.wage.fixed_overtime_hours.missing",
                "固定残業代がある場合は、固定残業代に相当する時間数を入力してください。");
        if (!fo_amount && o->wage.fixed_overtime_amount == OFFER_UNSET)
            add(f, FINDING_ERROR, "wage.fixed_overtime_amount",
                "offer.wage.fixed_overtime_amount.missing",
                "固定残業代がある場合は、固定残業代の金額を入力してください。");
    }
    /* Warnings. */
    if (has_min && has_max && o->wage.base_min > o->wage.base_max)
        add(f, FINDING_WARNING, "wage.base_max", "offer.wage.range_inverted",
            "基本給の下限額が上限額を上回っています。");
    if (o->wage.type == OFFER_WAGE_MONTHLY) {
        if (has_min && o->wage.base_min > MONTHLY_WAGE_PLAUSIBLE_MAX)
            add(f, FINDING_WARNING, "wage.base_min", "offer.wage.implausible",
                "月給が200万円を超えています。金額の桁をご確認ください。");
        if (has_max && o->wage.base_max > MONTHLY_WAGE_PLAUSIBLE_MAX)
            add(f, FINDING_WARNING, "wage.base_max", "offer.wage.implausible",
                "月給が200万円を超えています。金額の桁をご確認ください。");
    }
}

/* Emits offer.wage.below_minimum when the hourly equivalent of wage.base_min is below the
 * minimum wage in force. With no table, no row for the prefecture on that date, or wage/hours
 * inputs that do not allow the conversion (those are reported as missing items), it emits
 * nothing: an unknown minimum wage is not a finding. */
static void check_minimum_wage(const offer *o, const minwage_table *wages, const char *prefecture,
                               const char *on_date, findings *f)
{
    char effective[16];
    int mw = minwage_lookup(wages, prefecture, on_date, effective, sizeof effective);
    if (mw < 0)
        return;
    int64_t num, den;
    if (offer_hourly_fraction(o, &num, &den) != 0)
        return;
    if (num >= (int64_t)mw * den) /* hourly equivalent num/den >= mw, exactly */
        return;
    int y, m, d;
    char when[48];
    if (date_parse(effective, &y, &m, &d) != 0 || era_format(y, m, d, when, sizeof when) != 0)
        str_copy(when, sizeof when, effective);
    const char *basis = "";
    if (o->wage.type == OFFER_WAGE_MONTHLY)
        basis = "月給は（365日−年間休日）×1日の所定労働時間÷12で時間額に換算しています。";
    else if (o->wage.type == OFFER_WAGE_ANNUAL)
        basis = "年俸は（365日−年間休日）×1日の所定労働時間で時間額に換算しています。";
    else if (o->wage.type == OFFER_WAGE_DAILY)
        basis = "日給は1日の所定労働時間で時間額に換算しています。";
    char msg[320];
    snprintf(msg, sizeof msg,
             "賃金（%s %" PRId64 "円）が最低賃金（時間額%d円、%s発効）を下回っています。%s",
             o->wage.type == OFFER_WAGE_HOURLY ? "時間額" : "時間額換算", num / den, mw, when,
             basis);
    add(f, FINDING_ERROR, "wage.base_min", "offer.wage.below_minimum", msg);
}

static void check_age(const offer *o, findings *f)
{
    bool has_max = check_int(f, o->age.max, 15, 99, "age.max", "年齢の上限");
    if (o->age.exception > OFFER_AGE_EXC_3_NI || o->age.exception < OFFER_AGE_EXC_UNSET) {
        invalid(f, "age.exception", "年齢制限の例外事由");
        return;
    }
    if (o->age.max == OFFER_UNSET)
        return;
    if (o->age.exception == OFFER_AGE_EXC_UNSET) {
        /* A warning, as the issue specifies: the center sees it at review and can refuse the
         * offer (illegal content) — an age limit without an exception is not allowed. */
        add(f, FINDING_WARNING, "age.exception", "offer.age.exception_missing",
            "年齢制限を設ける場合は、例外事由（労働施策総合推進法施行規則1条の3第1項 1号・2号・"
            "3号イ〜ニ）を選択してください。該当しない場合は年齢制限を設けることはできません。");
        return;
    }
    if (has_max && (o->age.exception == OFFER_AGE_EXC_1 || o->age.exception == OFFER_AGE_EXC_3_I) &&
        o->contract.type == OFFER_CONTRACT_FIXED)
        add(f, FINDING_WARNING, "age.exception", "offer.age.exception_mismatch",
            "選択した年齢制限の例外事由（1号・3号イ）は、期間の定めのない労働契約の場合に限られ"
            "ます。");
}

/* ---- Gender-specific wording -------------------------------------------------------------- */

typedef enum { W_OLD_TITLE, W_LIMIT, W_IMPLIED } wkind;

typedef struct wording {
    const char *match;   /* NFKC, ASCII lower-case */
    const char *display; /* shown in the message */
    wkind kind;
    const char *advice; /* replacement title, or advice text */
} wording;

static const wording WORDINGS[] = {
    {"看護婦", "看護婦", W_OLD_TITLE, "「看護師」（准看護婦は「准看護師」）"},
    {"看護士", "看護士", W_OLD_TITLE, "「看護師」（准看護士は「准看護師」）"},
    {"保健婦", "保健婦", W_OLD_TITLE, "「保健師」"},
    {"保健士", "保健士", W_OLD_TITLE, "「保健師」"},
    {"助産婦", "助産婦", W_OLD_TITLE, "「助産師」"},
    {"保母", "保母", W_OLD_TITLE, "「保育士」"},
    {"女性のみ", "女性のみ", W_LIMIT, NULL},
    {"男性のみ", "男性のみ", W_LIMIT, NULL},
    {"女性限定", "女性限定", W_LIMIT, NULL},
    {"男性限定", "男性限定", W_LIMIT, NULL},
    {"女性歓迎", "女性歓迎", W_LIMIT, NULL},
    {"男性歓迎", "男性歓迎", W_LIMIT, NULL},
    {"女性向き", "女性向き", W_LIMIT, NULL},
    {"男性向き", "男性向き", W_LIMIT, NULL},
    {"主婦", "主婦", W_IMPLIED, "「主婦（夫）」など性別を問わない表現にしてください。"},
    {"ママさん", "ママさん", W_IMPLIED, "「子育て中の方」など性別を問わない表現にしてください。"},
    {"ママナース", "ママナース", W_IMPLIED,
     "「子育て中の看護職」など性別を問わない表現にしてください。"},
    {"ママok", "ママOK", W_IMPLIED, "「子育て中の方も歓迎」など性別を問わない表現にしてください。"},
    {"ミセス", "ミセス", W_IMPLIED, "性別を問わない表現にしてください。"},
};
#define N_WORDINGS (sizeof WORDINGS / sizeof WORDINGS[0])

/* True when the occurrence of 主婦 at p is written gender-neutrally: 主婦(夫) or 主婦・主夫
 * (after NFKC the full-width parentheses are ASCII; ・ stays U+30FB). */
static bool shufu_neutral(const char *after)
{
    return str_starts(after, "(夫)") || str_starts(after, "・主夫") || str_starts(after, "/主夫");
}

/* Scans one free-text value for gender-specific wording and adds one warning per term found. */
static void check_wording(const char *text, const char *field, findings *f)
{
    if (text_blank(text))
        return;
    char *norm = text_nfkc(text); /* owned here; NULL for invalid UTF-8 (not ours to report) */
    if (!norm)
        return;
    str_ascii_lower(norm);
    for (size_t i = 0; i < N_WORDINGS; i++) {
        const wording *w = &WORDINGS[i];
        size_t len = strlen(w->match);
        bool hit = false;
        for (const char *p = strstr(norm, w->match); p && !hit; p = strstr(p + len, w->match))
            hit = !(w->kind == W_IMPLIED && !strcmp(w->match, "主婦") && shufu_neutral(p + len));
        if (!hit)
            continue;
        char msg[320];
        if (w->kind == W_OLD_TITLE)
            snprintf(msg, sizeof msg, "「%s」は性別を示す旧称です。%sと記載してください。",
                     w->display, w->advice);
        else if (w->kind == W_LIMIT)
            snprintf(msg, sizeof msg,
                     "「%s」は性別を限定する表現です。性別を理由に募集の対象を限ることはできま"
                     "せん（男女雇用機会均等法5条）。",
                     w->display);
        else
            snprintf(msg, sizeof msg, "「%s」は性別を限定すると受け取られるおそれがあります。%s",
                     w->display, w->advice);
        add(f, FINDING_WARNING, field, "offer.wording.gender", msg);
    }
    free(norm);
}

static void check_all_wording(const offer *o, findings *f)
{
    const struct {
        const char *text;
        const char *field;
    } texts[] = {
        {o->title, "title"},
        {o->pr, "pr"},
        {o->employer.name, "employer.name"},
        {o->duties.description, "duties.description"},
        {o->duties.change_scope, "duties.change_scope"},
        {o->contract.renewal_criteria, "contract.renewal_criteria"},
        {o->probation.conditions, "probation.conditions"},
        {o->workplace.access, "workplace.access"},
        {o->workplace.change_scope, "workplace.change_scope"},
        {o->holidays.pattern, "holidays.pattern"},
        {o->wage.allowances, "wage.allowances"},
        {o->smoking.note, "smoking.note"},
        {o->age.reason, "age.reason"},
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        check_wording(texts[i].text, texts[i].field, f);
    for (int i = 0; o->campaign_tags && i < o->n_campaign_tags; i++) {
        char field[48];
        snprintf(field, sizeof field, "campaign_tags[%d]", i);
        check_wording(o->campaign_tags[i], field, f);
    }
}

/* ---- Entry points ------------------------------------------------------------------------- */

int offer_check_with(const offer *o, const minwage_table *wages, const char *prefecture,
                     const char *on_date, findings *out)
{
    memset(out, 0, sizeof *out);

    need_text(out, o->title, "title", "求人票のタイトル");
    need_text(out, o->employer.name, "employer.name", "求人者の名称");
    need_text(out, o->duties.description, "duties.description", "仕事の内容");
    need_text(out, o->duties.change_scope, "duties.change_scope",
              "業務の変更の範囲（変更がない場合は「変更なし」）");
    check_contract(o, out);
    check_probation(o, out);
    check_workplace(o, prefecture, out);
    check_hours(o, out);
    if (o->holidays.annual_days == OFFER_UNSET)
        missing_text(out, "holidays.annual_days", "年間休日数");
    else
        check_int(out, o->holidays.annual_days, 0, 365, "holidays.annual_days", "年間休日数");
    check_wage(o, out);
    check_minimum_wage(o, wages, prefecture, on_date, out);
    need_tri(out, o->insurance.employment, "insurance.employment", "雇用保険の加入の有無");
    need_tri(out, o->insurance.health, "insurance.health", "健康保険の加入の有無");
    need_tri(out, o->insurance.pension, "insurance.pension", "厚生年金の加入の有無");
    need_tri(out, o->insurance.workers_comp, "insurance.workers_comp", "労災保険の加入の有無");
    switch (o->smoking.measure) {
    case OFFER_SMOKING_UNSET:
        missing_choice(out, "smoking.measure", "受動喫煙防止措置（敷地内禁煙・屋内禁煙など）");
        break;
    case OFFER_SMOKING_OTHER:
        need_text(out, o->smoking.note, "smoking.note", "受動喫煙防止措置の内容");
        break;
    case OFFER_SMOKING_PREMISES_BAN:
    case OFFER_SMOKING_INDOOR_BAN:
    case OFFER_SMOKING_ROOM:
        break;
    default:
        invalid(out, "smoking.measure", "受動喫煙防止措置");
        break;
    }
    check_age(o, out);
    if (!o->licences)
        missing_choice(out, "licences", "応募できる資格（保健師・助産師・看護師・准看護師）");
    else if (o->licences & ~(unsigned)OFFER_LIC_ALL)
        invalid(out, "licences", "応募できる資格");
    switch (o->employment_form) {
    case OFFER_EMP_UNSET:
        missing_choice(out, "employment_form", "雇用形態（常勤・非常勤・臨時）");
        break;
    case OFFER_EMP_JOKIN:
    case OFFER_EMP_HIJOKIN:
    case OFFER_EMP_RINJI:
        break;
    default:
        invalid(out, "employment_form", "雇用形態");
        break;
    }
    if (o->positions != OFFER_UNSET) {
        if (o->positions < 0)
            invalid(out, "positions", "募集人数");
        else if (o->positions == 0 || o->positions > POSITIONS_PLAUSIBLE_MAX)
            add(out, FINDING_WARNING, "positions", "offer.positions.implausible",
                "募集人数が0人又は1,000人以上になっています。入力内容をご確認ください。");
    }
    check_all_wording(o, out);
    return out->n_errors;
}

int offer_check(const offer *o, const char *prefecture, const char *on_date, findings *out)
{
    return offer_check_with(o, minwage_default(), prefecture, on_date, out);
}
