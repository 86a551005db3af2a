/* The placement flow state machine, its input checks, labels, reason lists and retention dates.
 * See placement.h for the table and the date rules. */
#include "domain/placement.h"
#include "domain/text.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <string.h>

#define N PL_ACTOR_NURSE
#define F PL_ACTOR_FACILITY
#define C PL_ACTOR_COUNSELOR
#define Z PL_ACTOR_CENTRAL

/* The transition table; placement.h documents the same rows. */
static const struct {
    placement_state from;
    placement_action act;
    placement_state to;
    unsigned actors;
} TABLE[] = {
    {PL_ST_NONE, PL_ACT_REQUEST, PL_ST_REQUESTED, N},
    {PL_ST_NONE, PL_ACT_PROPOSE, PL_ST_PROPOSED, C},

    {PL_ST_REQUESTED, PL_ACT_REFER, PL_ST_REFERRED, C},
    {PL_ST_REQUESTED, PL_ACT_REFUSE, PL_ST_REFUSED, C},
    {PL_ST_REQUESTED, PL_ACT_WITHDRAW, PL_ST_WITHDRAWN, N},
    {PL_ST_REQUESTED, PL_ACT_CANCEL, PL_ST_CANCELLED, C | Z},

    {PL_ST_PROPOSED, PL_ACT_ACCEPT, PL_ST_REQUESTED, N},
    {PL_ST_PROPOSED, PL_ACT_WITHDRAW, PL_ST_WITHDRAWN, N},
    {PL_ST_PROPOSED, PL_ACT_CANCEL, PL_ST_CANCELLED, C | Z},

    {PL_ST_REFERRED, PL_ACT_SCHEDULE, PL_ST_INTERVIEW, F | C},
    {PL_ST_REFERRED, PL_ACT_HIRE, PL_ST_HIRED, F | C},
    {PL_ST_REFERRED, PL_ACT_REJECT, PL_ST_REJECTED, F | C},
    {PL_ST_REFERRED, PL_ACT_DECLINE, PL_ST_DECLINED, N | C},
    {PL_ST_REFERRED, PL_ACT_CANCEL, PL_ST_CANCELLED, C | Z},

    {PL_ST_INTERVIEW, PL_ACT_SCHEDULE, PL_ST_INTERVIEW, F | C},
    {PL_ST_INTERVIEW, PL_ACT_HIRE, PL_ST_HIRED, F | C},
    {PL_ST_INTERVIEW, PL_ACT_REJECT, PL_ST_REJECTED, F | C},
    {PL_ST_INTERVIEW, PL_ACT_DECLINE, PL_ST_DECLINED, N | C},
    {PL_ST_INTERVIEW, PL_ACT_CANCEL, PL_ST_CANCELLED, C | Z},

    {PL_ST_HIRED, PL_ACT_PLACE, PL_ST_PLACED, F | C},
    {PL_ST_HIRED, PL_ACT_DECLINE, PL_ST_DECLINED, N | C},
    {PL_ST_HIRED, PL_ACT_CANCEL, PL_ST_CANCELLED, C | Z},

    {PL_ST_PLACED, PL_ACT_CHECK_1M, PL_ST_CHECKED_1M, C},
    {PL_ST_CHECKED_1M, PL_ACT_CHECK_3M, PL_ST_CHECKED_3M, C},
    {PL_ST_CHECKED_3M, PL_ACT_CHECK_6M, PL_ST_CLOSED, C},
};
#define TABLE_N (sizeof TABLE / sizeof TABLE[0])

#undef N
#undef F
#undef C
#undef Z

void placement_input_init(placement_input *in)
{
    memset(in, 0, sizeof *in);
}

unsigned placement_allowed(placement_state from, placement_action act, placement_state *to)
{
    for (size_t i = 0; i < TABLE_N; i++)
        if (TABLE[i].from == from && TABLE[i].act == act) {
            if (to)
                *to = TABLE[i].to;
            return TABLE[i].actors;
        }
    return 0;
}

bool placement_state_is_terminal(placement_state s)
{
    switch (s) {
    case PL_ST_CLOSED:
    case PL_ST_WITHDRAWN:
    case PL_ST_REFUSED:
    case PL_ST_REJECTED:
    case PL_ST_DECLINED:
    case PL_ST_CANCELLED:
        return true;
    default:
        return false;
    }
}

placement_actor placement_actor_for_role(role r)
{
    switch (r) {
    case ROLE_SEEKER:
        return PL_ACTOR_NURSE;
    case ROLE_FACILITY_ADMIN:
    case ROLE_FACILITY_STAFF:
        return PL_ACTOR_FACILITY;
    case ROLE_COUNSELOR:
    case ROLE_CENTER_ADMIN:
        return PL_ACTOR_COUNSELOR;
    case ROLE_CENTRAL:
        return PL_ACTOR_CENTRAL;
    default:
        return PL_ACTOR_NONE;
    }
}

/* ---- Names and labels ---------------------------------------------------------------------- */

static const struct {
    const char *name, *label;
} STATES[PL_ST__COUNT] = {
    [PL_ST_NONE] = {"none", "未登録"},
    [PL_ST_REQUESTED] = {"requested", "紹介依頼"},
    [PL_ST_PROPOSED] = {"proposed", "紹介提案"},
    [PL_ST_REFERRED] = {"referred", "紹介済（紹介状発行）"},
    [PL_ST_INTERVIEW] = {"interview", "面接予定"},
    [PL_ST_HIRED] = {"hired", "採用"},
    [PL_ST_PLACED] = {"placed", "就職"},
    [PL_ST_CHECKED_1M] = {"checked_1m", "1か月定着確認済"},
    [PL_ST_CHECKED_3M] = {"checked_3m", "3か月定着確認済"},
    [PL_ST_CLOSED] = {"closed", "完了"},
    [PL_ST_WITHDRAWN] = {"withdrawn", "取下げ"},
    [PL_ST_REFUSED] = {"refused", "紹介見送り"},
    [PL_ST_REJECTED] = {"rejected", "不採用"},
    [PL_ST_DECLINED] = {"declined", "辞退"},
    [PL_ST_CANCELLED] = {"cancelled", "取消"},
};

static const struct {
    const char *name, *label;
} ACTIONS[PL_ACT__COUNT] = {
    [PL_ACT_REQUEST] = {"request", "紹介依頼"},
    [PL_ACT_PROPOSE] = {"propose", "紹介提案"},
    [PL_ACT_ACCEPT] = {"accept", "提案に同意"},
    [PL_ACT_WITHDRAW] = {"withdraw", "取下げ"},
    [PL_ACT_REFER] = {"refer", "紹介（紹介状発行）"},
    [PL_ACT_REFUSE] = {"refuse", "紹介見送り"},
    [PL_ACT_SCHEDULE] = {"schedule", "面接日程の登録"},
    [PL_ACT_HIRE] = {"hire", "採用"},
    [PL_ACT_REJECT] = {"reject", "不採用"},
    [PL_ACT_DECLINE] = {"decline", "辞退"},
    [PL_ACT_PLACE] = {"place", "就職の登録"},
    [PL_ACT_CHECK_1M] = {"check_1m", "1か月定着確認"},
    [PL_ACT_CHECK_3M] = {"check_3m", "3か月定着確認"},
    [PL_ACT_CHECK_6M] = {"check_6m", "6か月定着確認"},
    [PL_ACT_CANCEL] = {"cancel", "取消"},
};

static const struct {
    const char *name, *label;
} CHECK_RESULTS[] = {
    [PL_CHECK_UNSET] = {"", ""},
    [PL_CHECK_STILL_EMPLOYED] = {"still_employed", "在職"},
    [PL_CHECK_LEFT] = {"left", "離職"},
    [PL_CHECK_UNREACHABLE] = {"unreachable", "連絡不能"},
};
#define CHECK_RESULTS_N (sizeof CHECK_RESULTS / sizeof CHECK_RESULTS[0])

const char *placement_state_name(placement_state s)
{
    return ((unsigned)s < PL_ST__COUNT) ? STATES[s].name : "";
}

const char *placement_state_label(placement_state s)
{
    return ((unsigned)s < PL_ST__COUNT) ? STATES[s].label : "";
}

int placement_state_parse(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < PL_ST__COUNT; i++)
        if (!strcmp(STATES[i].name, name))
            return i;
    return -1;
}

const char *placement_action_name(placement_action a)
{
    return ((unsigned)a < PL_ACT__COUNT) ? ACTIONS[a].name : "";
}

const char *placement_action_label(placement_action a)
{
    return ((unsigned)a < PL_ACT__COUNT) ? ACTIONS[a].label : "";
}

int placement_action_parse(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < PL_ACT__COUNT; i++)
        if (!strcmp(ACTIONS[i].name, name))
            return i;
    return -1;
}

const char *placement_actor_name(placement_actor a)
{
    switch (a) {
    case PL_ACTOR_NURSE:
        return "nurse";
    case PL_ACTOR_FACILITY:
        return "facility";
    case PL_ACTOR_COUNSELOR:
        return "counselor";
    case PL_ACTOR_CENTRAL:
        return "central";
    default:
        return "";
    }
}

const char *placement_actor_label(placement_actor a)
{
    switch (a) {
    case PL_ACTOR_NURSE:
        return "求職者";
    case PL_ACTOR_FACILITY:
        return "求人施設";
    case PL_ACTOR_COUNSELOR:
        return "相談員";
    case PL_ACTOR_CENTRAL:
        return "中央ナースセンター";
    default:
        return "";
    }
}

const char *placement_check_result_name(placement_check_result r)
{
    return ((unsigned)r < CHECK_RESULTS_N) ? CHECK_RESULTS[r].name : "";
}

const char *placement_check_result_label(placement_check_result r)
{
    return ((unsigned)r < CHECK_RESULTS_N) ? CHECK_RESULTS[r].label : "";
}

int placement_check_result_parse(const char *name)
{
    if (!name || !*name)
        return -1;
    for (size_t i = 1; i < CHECK_RESULTS_N; i++)
        if (!strcmp(CHECK_RESULTS[i].name, name))
            return (int)i;
    return -1;
}

/* ---- Decision reasons ---------------------------------------------------------------------- */

/* 不採用の理由. Only job-related grounds: no age, gender or other discriminatory reason. */
static const placement_reason REJECT_REASONS[] = {
    {"experience", "経験・技能が求人の条件に合わない", false},
    {"licence", "必要な免許・資格の条件を満たしていない", false},
    {"conditions", "勤務条件（勤務時間・夜勤・勤務開始日など）が合わない", false},
    {"filled", "募集人員が充足した", false},
    {"interview", "面接の結果による総合的な判断", false},
    {"other", "その他", true},
};

/* 辞退の理由. */
static const placement_reason DECLINE_REASONS[] = {
    {"wage", "賃金・待遇が希望と合わない", false},
    {"hours", "勤務時間・夜勤・休日が希望と合わない", false},
    {"duties", "業務内容・配属先が希望と合わない", false},
    {"location", "勤務地・通勤の事情", false},
    {"other_offer", "他の就職先に決まった", false},
    {"personal", "家庭の事情・健康上の理由", false},
    {"workplace", "職場の雰囲気・見学や面接の印象", false},
    {"other", "その他", true},
};

const placement_reason *placement_reasons(placement_action act, size_t *n)
{
    switch (act) {
    case PL_ACT_REJECT:
        *n = sizeof REJECT_REASONS / sizeof REJECT_REASONS[0];
        return REJECT_REASONS;
    case PL_ACT_DECLINE:
        *n = sizeof DECLINE_REASONS / sizeof DECLINE_REASONS[0];
        return DECLINE_REASONS;
    default:
        *n = 0;
        return NULL;
    }
}

const placement_reason *placement_reason_find(placement_action act, const char *code)
{
    size_t n;
    const placement_reason *list = placement_reasons(act, &n);
    if (!code)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(list[i].code, code))
            return &list[i];
    return NULL;
}

/* ---- Errors -------------------------------------------------------------------------------- */

static const struct {
    const char *code, *field, *message;
} ERRORS[] = {
    {"placement.bad_transition", "",
     "現在の状態ではこの操作を行えません。画面を更新して最新の状況をご確認ください。"},
    {"placement.forbidden", "", "この操作を行う権限がありません。"},
    {"placement.reason_required", "reason_code", "理由を選択してください。"},
    {"placement.reason_invalid", "reason_code", "選択された理由が正しくありません。"},
    {"placement.note_required", "note", "理由を入力してください。"},
    {"placement.note_too_long", "note", "理由・メモは1000文字以内で入力してください。"},
    {"placement.note_invalid", "note", "理由・メモに使用できない文字が含まれています。"},
    {"placement.interview_date_required", "interview_date", "面接日を入力してください。"},
    {"placement.interview_date_invalid", "interview_date",
     "面接日を正しい日付（YYYY-MM-DD）で入力してください。"},
    {"placement.start_date_required", "start_date", "就職日（勤務開始日）を入力してください。"},
    {"placement.start_date_invalid", "start_date",
     "就職日を正しい日付（YYYY-MM-DD）で入力してください。"},
    {"placement.employment_form_required", "employment_form", "雇用形態を選択してください。"},
    {"placement.employment_form_invalid", "employment_form",
     "雇用形態は常勤・非常勤・臨時から選択してください。"},
    {"placement.permanent_required", "permanent",
     "常用（無期雇用または4か月以上の雇用）かどうかを選択してください。"},
    {"placement.result_required", "result", "確認結果を選択してください。"},
    {"placement.result_invalid", "result", "確認結果は在職・離職・連絡不能から選択してください。"},
    {"placement.check_not_due", "result",
     "定着確認の期日前です。就職日から所定の月数が経過してから記録してください。"},
    {"placement.left_date_required", "left_date", "離職日を入力してください。"},
    {"placement.left_date_invalid", "left_date",
     "離職日を正しい日付（YYYY-MM-DD）で入力してください。"},
    {"placement.left_before_start", "left_date", "離職日が就職日より前になっています。"},
    {"placement.left_date_future", "left_date", "離職日に未来の日付は入力できません。"},
    {"placement.today_required", "today",
     "処理日を確認できませんでした。時間をおいてもう一度お試しください。"},
};
#define ERRORS_N (sizeof ERRORS / sizeof ERRORS[0])

const char *placement_error_message(const char *code)
{
    if (code)
        for (size_t i = 0; i < ERRORS_N; i++)
            if (!strcmp(ERRORS[i].code, code))
                return ERRORS[i].message;
    return "入力内容に誤りがあります。各項目をご確認ください。";
}

const char *placement_error_field(const char *code)
{
    if (code)
        for (size_t i = 0; i < ERRORS_N; i++)
            if (!strcmp(ERRORS[i].code, code))
                return ERRORS[i].field;
    return "";
}

/* ---- Input checks -------------------------------------------------------------------------- */

static bool valid_date(const char *s)
{
    int y, m, d;
    return date_parse(s, &y, &m, &d) == 0;
}

/* Checks a required date: NULL/empty → req, malformed → bad. Returns NULL when fine. */
static const char *need_date(const char *s, const char *req, const char *bad)
{
    if (!s || !*s)
        return req;
    return valid_date(s) ? NULL : bad;
}

/* The reason of reject / decline. */
static const char *check_reason(placement_action act, const placement_input *in)
{
    if (text_blank(in->reason_code))
        return "placement.reason_required";
    const placement_reason *r = placement_reason_find(act, in->reason_code);
    if (!r)
        return "placement.reason_invalid";
    if (r->needs_note && text_blank(in->note))
        return "placement.note_required";
    return NULL;
}

static const char *check_place(const placement_input *in)
{
    const char *e =
        need_date(in->start_date, "placement.start_date_required", "placement.start_date_invalid");
    if (e)
        return e;
    if (in->employment_form == OFFER_EMP_UNSET)
        return "placement.employment_form_required";
    if (in->employment_form != OFFER_EMP_JOKIN && in->employment_form != OFFER_EMP_HIJOKIN &&
        in->employment_form != OFFER_EMP_RINJI)
        return "placement.employment_form_invalid";
    if (in->permanent != OFFER_YES && in->permanent != OFFER_NO)
        return "placement.permanent_required";
    return NULL;
}

static const char *check_retention(placement_action act, const placement_input *in)
{
    if (in->result == PL_CHECK_UNSET)
        return "placement.result_required";
    if (in->result != PL_CHECK_STILL_EMPLOYED && in->result != PL_CHECK_LEFT &&
        in->result != PL_CHECK_UNREACHABLE)
        return "placement.result_invalid";
    const char *e =
        need_date(in->start_date, "placement.start_date_required", "placement.start_date_invalid");
    if (e)
        return e;
    if (!in->today || !valid_date(in->today))
        return "placement.today_required";
    if (in->result == PL_CHECK_LEFT) {
        e = need_date(in->left_date, "placement.left_date_required", "placement.left_date_invalid");
        if (e)
            return e;
        if (date_cmp(in->left_date, in->start_date) < 0)
            return "placement.left_before_start";
        if (date_cmp(in->left_date, in->today) > 0)
            return "placement.left_date_future";
        return NULL;
    }
    char due[11];
    if (placement_add_months(in->start_date, placement_check_months(act), due, sizeof due) != 0)
        return "placement.start_date_invalid";
    if (date_cmp(in->today, due) < 0)
        return "placement.check_not_due";
    return NULL;
}

/* The input check of act; NULL when in is complete. */
static const char *check_input(placement_action act, const placement_input *in)
{
    if (in->note) {
        if (!str_utf8_clean(in->note, true))
            return "placement.note_invalid";
        if (str_utf8_len(in->note) > PLACEMENT_NOTE_MAX)
            return "placement.note_too_long";
    }
    switch (act) {
    case PL_ACT_REFUSE:
    case PL_ACT_CANCEL:
        return text_blank(in->note) ? "placement.note_required" : NULL;
    case PL_ACT_REJECT:
    case PL_ACT_DECLINE:
        return check_reason(act, in);
    case PL_ACT_SCHEDULE:
        return need_date(in->interview_date, "placement.interview_date_required",
                         "placement.interview_date_invalid");
    case PL_ACT_PLACE:
        return check_place(in);
    case PL_ACT_CHECK_1M:
    case PL_ACT_CHECK_3M:
    case PL_ACT_CHECK_6M:
        return check_retention(act, in);
    default:
        return NULL;
    }
}

static bool one_actor(placement_actor who)
{
    switch (who) {
    case PL_ACTOR_NURSE:
    case PL_ACTOR_FACILITY:
    case PL_ACTOR_COUNSELOR:
    case PL_ACTOR_CENTRAL:
        return true;
    default:
        return false;
    }
}

placement_status placement_apply(placement_state from, placement_action act, placement_actor who,
                                 const placement_input *in, placement_state *to,
                                 const char **err_code)
{
    placement_state next = PL_ST_NONE;
    unsigned actors = placement_allowed(from, act, &next);
    if (!actors) {
        *err_code = "placement.bad_transition";
        return PL_E_TRANSITION;
    }
    if (!one_actor(who) || !(actors & (unsigned)who)) {
        *err_code = "placement.forbidden";
        return PL_E_FORBIDDEN;
    }
    placement_input none;
    if (!in) {
        placement_input_init(&none);
        in = &none;
    }
    const char *e = check_input(act, in);
    if (e) {
        *err_code = e;
        return PL_E_INVALID;
    }
    if (placement_check_months(act) && in->result == PL_CHECK_LEFT)
        next = PL_ST_CLOSED;
    *to = next;
    *err_code = NULL;
    return PL_OK;
}

/* ---- Retention dates ----------------------------------------------------------------------- */

static int format_date(int y, int m, int d, char *out, size_t cap)
{
    if (!out || cap < 11 || !date_valid(y, m, d))
        return -1;
    snprintf(out, cap, "%04d-%02d-%02d", y, m, d);
    return 0;
}

/* Parses date and moves it `months` months on: *ty / *tmon get the target year and month, *d
 * the original day number. Returns 0, or -1 for a bad date or range. */
static int shift_months(const char *date, int months, int *ty, int *tmon, int *d)
{
    int y, m;
    if (months < 0 || months > 1200 || date_parse(date, &y, &m, d) != 0)
        return -1;
    int total = y * 12 + (m - 1) + months;
    *ty = total / 12;
    *tmon = total % 12 + 1;
    return *ty > 9999 ? -1 : 0;
}

int placement_add_months(const char *date, int months, char *out, size_t cap)
{
    int y, m, d;
    if (shift_months(date, months, &y, &m, &d) != 0)
        return -1;
    int dim = days_in_month(y, m);
    return format_date(y, m, d < dim ? d : dim, out, cap);
}

int placement_period_end(const char *start_date, int months, char *out, size_t cap)
{
    int y, m, d;
    if (months < 1 || shift_months(start_date, months, &y, &m, &d) != 0)
        return -1;
    int dim = days_in_month(y, m);
    if (d > dim) /* no such day in the last month: its end */
        return format_date(y, m, dim, out, cap);
    if (d > 1)
        return format_date(y, m, d - 1, out, cap);
    /* the day before the 1st: the previous month's end (months >= 1, so not before start) */
    if (--m == 0) {
        m = 12;
        y--;
    }
    return format_date(y, m, days_in_month(y, m), out, cap);
}

int placement_check_months(placement_action act)
{
    switch (act) {
    case PL_ACT_CHECK_1M:
        return 1;
    case PL_ACT_CHECK_3M:
        return 3;
    case PL_ACT_CHECK_6M:
        return 6;
    default:
        return 0;
    }
}

int placement_retention_due(const char *start_date, placement_due *out)
{
    memset(out, 0, sizeof *out);
    if (placement_add_months(start_date, 1, out->m1, sizeof out->m1) != 0 ||
        placement_add_months(start_date, 3, out->m3, sizeof out->m3) != 0 ||
        placement_add_months(start_date, 6, out->m6, sizeof out->m6) != 0) {
        memset(out, 0, sizeof *out);
        return -1;
    }
    return 0;
}

int placement_left_within_6m(const char *start_date, const char *left_date)
{
    char end[11];
    if (!valid_date(left_date) || placement_period_end(start_date, 6, end, sizeof end) != 0)
        return -1;
    if (date_cmp(left_date, start_date) < 0)
        return -1;
    return date_cmp(left_date, end) <= 0 ? 1 : 0;
}
