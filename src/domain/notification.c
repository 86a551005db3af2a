/* The notification (届出) body: validation and normalisation. */
#include "domain/notification.h"
#include "domain/casework.h"
#include "domain/codes.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <string.h>

static const vfield HOLDER_SPEC[] = {
    {.name = "name", .label = "氏名", .kind = VK_TEXT, .required = true, .max = 50},
    {.name = "name_kana", .label = "フリガナ", .kind = VK_KATAKANA, .required = true, .max = 50},
    {.name = "birth_date", .label = "生年月日", .kind = VK_DATE_PAST, .required = true, .max = 10},
    {.name = "postal_code",
     .label = "郵便番号",
     .kind = VK_DIGITS,
     .required = true,
     .min = 7,
     .max = 7},
    {.name = "address_prefecture",
     .label = "住所の都道府県",
     .kind = VK_CODE,
     .required = true,
     .codes = PREFECTURE_CODES,
     .select = true},
    {.name = "address", .label = "住所", .kind = VK_TEXT, .required = true, .max = 200},
    {.name = "phone", .label = "電話番号", .kind = VK_PHONE, .max = 20},
    {.name = "email", .label = "メールアドレス", .kind = VK_EMAIL, .max = 254},
    {.name = NULL}};

static const vfield OPT_IN_SPEC[] = {{.name = "experience_years",
                                      .label = "看護職としての経験年数",
                                      .type = VT_INTEGER,
                                      .required = true,
                                      .min = 0,
                                      .max = 70},
                                     {.name = NULL}};

/* The members every kind has, then the optional ones per kind. */
#define NOTIF_FIELDS                                                                               \
    {.name = "reason",                                                                             \
     .label = "届出事由",                                                                          \
     .kind = VK_TEXT,                                                                              \
     .required = true,                                                                             \
     .max = 40,                                                                                    \
     .select = true},                                                                              \
        {.name = "event_date",                                                                     \
         .label = "事由発生日",                                                                    \
         .kind = VK_DATE_PAST,                                                                     \
         .required = true,                                                                         \
         .max = 10},                                                                               \
        {.name = "last_workplace",                                                                 \
         .label = "離職前の就業場所",                                                              \
         .kind = VK_TEXT,                                                                          \
         .max = 40,                                                                                \
         .select = true},                                                                          \
        {.name = "last_workplace_name",                                                            \
         .label = "離職前の就業先の名称",                                                          \
         .kind = VK_TEXT,                                                                          \
         .max = 100},                                                                              \
        {.name = "work_status",                                                                    \
         .label = "現在の就業状況",                                                                \
         .kind = VK_TEXT,                                                                          \
         .required = true,                                                                         \
         .max = 40,                                                                                \
         .select = true},                                                                          \
        {.name = "holder",                                                                         \
         .label = "届出者",                                                                        \
         .type = VT_OBJECT,                                                                        \
         .required = true,                                                                         \
         .sub = HOLDER_SPEC},                                                                      \
    {                                                                                              \
        .name = "licences", .label = "免許", .type = VT_OBJECT_ARRAY, .required = true, .min = 1,  \
        .max = 4, .sub = LICENCE_SPEC                                                              \
    }
#define NOTIF_CENTER_FIELD                                                                         \
    {                                                                                              \
        .name = "center_prefecture", .label = "届出先のナースセンター", .kind = VK_CODE,           \
        .codes = PREFECTURE_CODES, .select = true                                                  \
    }
#define NOTIF_OPT_IN_FIELD                                                                         \
    {                                                                                              \
        .name = "seeker_opt_in", .label = "求職者登録", .type = VT_OBJECT, .sub = OPT_IN_SPEC      \
    }

static const vfield SPEC_ANON[] = {NOTIF_FIELDS,
                                   NOTIF_CENTER_FIELD,
                                   NOTIF_OPT_IN_FIELD,
                                   VF_NEW_PASSWORD("password", "パスワード"),
                                   {.name = NULL}};
static const vfield SPEC_FILE[] = {
    NOTIF_FIELDS, NOTIF_CENTER_FIELD, NOTIF_OPT_IN_FIELD, {.name = NULL}};
static const vfield SPEC_CHANGE[] = {NOTIF_FIELDS, {.name = NULL}};

/* A code member checked against its list (the validator only knows plain string lists). */
static void check_code(json_t *o, const char *key, const code_label *list, const char *label,
                       verrs *e)
{
    const char *v = vstr(o, key);
    if (v && !code_label_of(list, v)) {
        char code[64], msg[160];
        snprintf(code, sizeof code, "%s.invalid", key);
        snprintf(msg, sizeof msg, "%sを一覧から選択してください", label);
        verrs_add(e, key, code, msg);
    }
}

/* Whether s is a real calendar date "YYYY-MM-DD" (the validator reports the others). */
static bool real_date(const char *s)
{
    int y, m, d;
    return s && date_parse(s, &y, &m, &d) == 0 && date_valid(y, m, d);
}

/* Whole years between birth and today (both valid "YYYY-MM-DD"). */
static int age_on(const char *birth, const char *today)
{
    int by, bm, bd, ty, tm, td;
    if (date_parse(birth, &by, &bm, &bd) != 0 || date_parse(today, &ty, &tm, &td) != 0)
        return -1;
    int age = ty - by;
    if (tm < bm || (tm == bm && td < bd))
        age--;
    return age;
}

int notif_check(json_t *body, notif_kind kind, const char *today, verrs *e)
{
    int n0 = e->n;
    const vfield *spec = kind == NOTIF_FILE_ANON ? SPEC_ANON
                         : kind == NOTIF_CHANGE  ? SPEC_CHANGE
                                                 : SPEC_FILE;
    /* Whether a contact was sent at all, before the validator drops empty or bad values: a bad
     * phone number is reported as bad, not also as missing. */
    json_t *h0 = json_object_get(body, "holder");
    bool sent_phone = json_is_string(json_object_get(h0, "phone")) &&
                      *json_string_value(json_object_get(h0, "phone"));
    bool sent_email = json_is_string(json_object_get(h0, "email")) &&
                      *json_string_value(json_object_get(h0, "email"));
    validate_object(body, spec, "", "", e);
    check_code(body, "reason", NOTIF_REASONS, "届出事由", e);
    check_code(body, "work_status", NOTIF_WORK_STATUSES, "現在の就業状況", e);
    const char *reason = vstr(body, "reason");
    bool after_licensing = reason && !strcmp(reason, "not_practising_after_licensing");
    const char *wp = vstr(body, "last_workplace");
    if (after_licensing && wp)
        verrs_add(e, "last_workplace", "last_workplace.not_allowed",
                  "免許取得後ただちに従事しない場合、離職前の就業場所は入力しません");
    else if (!after_licensing && reason && code_label_of(NOTIF_REASONS, reason) && !wp)
        verrs_add(e, "last_workplace", "last_workplace.missing",
                  "離職前の就業場所を選択してください");
    else
        check_code(body, "last_workplace", NOTIF_LAST_WORKPLACES, "離職前の就業場所", e);
    const char *ev = vstr(body, "event_date");
    if (real_date(ev) && date_cmp(ev, NOTIF_EARLIEST_EVENT) < 0)
        verrs_add(e, "event_date", "event_date.out_of_range",
                  "事由発生日は1950年以降の日付で入力してください");

    json_t *h = json_object_get(body, "holder");
    if (json_is_object(h)) {
        const char *birth = vstr(h, "birth_date");
        int age = real_date(birth) ? age_on(birth, today) : NOTIF_AGE_MIN;
        if (age < NOTIF_AGE_MIN || age > NOTIF_AGE_MAX)
            verrs_add(e, "holder.birth_date", "holder.birth_date.out_of_range",
                      "生年月日を確認してください（15歳〜100歳）");
        if (kind == NOTIF_FILE_ANON && !sent_email)
            verrs_add(e, "holder.email", "holder.email.missing",
                      "確認メールを送るため、メールアドレスを入力してください");
        else if (!sent_phone && !sent_email)
            verrs_add(e, "holder.phone", "holder.phone.missing",
                      "電話番号またはメールアドレスのどちらかを入力してください");
        /* Postal code stored as NNN-NNNN (the validator left 7 digits after removing hyphens). */
        const char *pc = vstr(h, "postal_code");
        char digits[16];
        size_t k = 0;
        for (const char *p = pc; p && *p && k < 7; p++)
            if (*p >= '0' && *p <= '9')
                digits[k++] = *p;
        if (k == 7) {
            char fmt[9];
            snprintf(fmt, sizeof fmt, "%.3s-%.4s", digits, digits + 3);
            json_object_set_new(h, "postal_code", json_string(fmt));
        }
    }
    json_t *lics = json_object_get(body, "licences");
    for (size_t i = 0; json_is_array(lics) && i < json_array_size(lics); i++)
        for (size_t k = 0; k < i; k++) {
            const char *a = vstr(json_array_get(lics, i), "type");
            const char *b = vstr(json_array_get(lics, k), "type");
            if (a && b && !strcmp(a, b)) {
                char field[64];
                snprintf(field, sizeof field, "licences[%zu].type", i);
                verrs_add(e, field, "licences.type.duplicate", "同じ種類の免許が重複しています");
            }
        }
    if (kind == NOTIF_FILE_PROXY && json_object_get(body, "seeker_opt_in") &&
        !json_is_null(json_object_get(body, "seeker_opt_in")))
        verrs_add(e, "seeker_opt_in", "seeker_opt_in.not_allowed",
                  "施設による代行届出では求職者登録はできません（ご本人が登録します）");
    return e->n - n0;
}

const char *notif_route(const json_t *body)
{
    const char *c = vstr(body, "center_prefecture");
    return c ? c : vstr(json_object_get(body, "holder"), "address_prefecture");
}
