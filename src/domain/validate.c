#include "domain/validate.h"
#include "domain/codes.h"
#include "domain/text.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void verrs_add(verrs *e, const char *field, const char *code, const char *message)
{
    if (e->n >= VERRS_MAX)
        return;
    verr *v = &e->items[e->n++];
    str_copy(v->field, sizeof v->field, field);
    str_copy(v->code, sizeof v->code, code);
    str_copy(v->message, sizeof v->message, message);
}

const char *vstr(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static void add(verrs *e, const char *field, const char *codebase, const char *reason,
                const char *msg)
{
    char code[128];
    snprintf(code, sizeof code, "%s.%s", codebase, reason);
    verrs_add(e, field, code, msg);
}

static void add_fmt_label(verrs *e, const char *field, const char *codebase, const char *reason,
                          const char *label, const char *suffix)
{
    char msg[256];
    snprintf(msg, sizeof msg, "%s%s", label, suffix);
    add(e, field, codebase, reason, msg);
}

/* Checks and normalises one string value; returns the replacement (malloc'd) or NULL when it
 * failed (error added). */
static char *check_string(const vfield *f, const char *raw, const char *field, const char *codebase,
                          verrs *e)
{
    char msg[256];
    if (f->kind == VK_PASSWORD) {
        size_t n = str_utf8_len(raw);
        if (!str_utf8_clean(raw, false)) {
            add_fmt_label(e, field, codebase, "invalid", f->label,
                          "に使用できない文字が含まれています");
            return NULL;
        }
        if ((int)n < f->min) {
            snprintf(msg, sizeof msg, "%sは%d文字以上で入力してください", f->label, f->min);
            add(e, field, codebase, "too_short", msg);
            return NULL;
        }
        if (f->max && (int)n > f->max) {
            snprintf(msg, sizeof msg, "%sは%d文字以内で入力してください", f->label, f->max);
            add(e, field, codebase, "too_long", msg);
            return NULL;
        }
        return strdup(raw);
    }
    /* Oversize input is rejected before normalisation does any work on it. */
    if (f->max && strlen(raw) > (size_t)f->max * 4 + 64) {
        snprintf(msg, sizeof msg, "%sは%d文字以内で入力してください", f->label, f->max);
        add(e, field, codebase, "too_long", msg);
        return NULL;
    }
    if (!str_utf8_clean(raw, f->kind == VK_MULTILINE)) {
        add_fmt_label(e, field, codebase, "invalid", f->label,
                      "に使用できない文字が含まれています");
        return NULL;
    }
    char *v = text_nfkc(raw);
    if (!v) {
        add_fmt_label(e, field, codebase, "invalid", f->label,
                      "に使用できない文字が含まれています");
        return NULL;
    }
    if (!*v) {
        if (f->required)
            add_fmt_label(e, field, codebase, "missing", f->label,
                          f->select ? "を選択してください" : "を入力してください");
        free(v);
        return NULL; /* empty optional: caller removes the key */
    }
    size_t chars = str_utf8_len(v);
    if (f->kind != VK_DIGITS) {
        if (f->max && chars > (size_t)f->max) {
            snprintf(msg, sizeof msg, "%sは%d文字以内で入力してください", f->label, f->max);
            add(e, field, codebase, "too_long", msg);
            free(v);
            return NULL;
        }
        if (f->min && chars < (size_t)f->min) {
            snprintf(msg, sizeof msg, "%sは%d文字以上で入力してください", f->label, f->min);
            add(e, field, codebase, "too_short", msg);
            free(v);
            return NULL;
        }
    }
    switch (f->kind) {
    case VK_EMAIL:
        str_ascii_lower(v);
        if (!text_is_email(v)) {
            add(e, field, codebase, "invalid", "メールアドレスの形式が正しくありません");
            free(v);
            return NULL;
        }
        break;
    case VK_KATAKANA:
        text_hira_to_kata(v);
        if (!text_is_katakana(v)) {
            add_fmt_label(e, field, codebase, "not_katakana", f->label,
                          "はカタカナで入力してください");
            free(v);
            return NULL;
        }
        break;
    case VK_DIGITS: {
        char digits[64];
        int n = text_digits_only(v, digits, sizeof digits);
        if (n < 0 || n < (f->min ? f->min : 1) || (f->max && n > f->max)) {
            if (f->min && f->max && f->min == f->max)
                snprintf(msg, sizeof msg, "%sは%d桁の数字で入力してください", f->label, f->max);
            else
                snprintf(msg, sizeof msg, "%sは%d〜%d桁の数字で入力してください", f->label,
                         f->min ? f->min : 1, f->max);
            add(e, field, codebase, "invalid", msg);
            free(v);
            return NULL;
        }
        free(v);
        return strdup(digits);
    }
    case VK_PHONE: {
        char digits[64];
        int n = text_digits_only(v, digits, sizeof digits);
        if (n < 10 || n > 11 || digits[0] != '0') {
            add_fmt_label(e, field, codebase, "invalid", f->label,
                          "は市外局番から10〜11桁の数字で入力してください");
            free(v);
            return NULL;
        }
        break;
    }
    case VK_DATE_PAST: {
        int y, m, d;
        if (date_parse(v, &y, &m, &d) != 0) {
            add_fmt_label(e, field, codebase, "invalid", f->label,
                          "は正しい日付（例: 2015-04-01）で入力してください");
            free(v);
            return NULL;
        }
        char today[16];
        time_jst_date(time_now(), today, sizeof today);
        if (date_cmp(v, today) > 0) {
            add_fmt_label(e, field, codebase, "out_of_range", f->label,
                          "に未来の日付は指定できません");
            free(v);
            return NULL;
        }
        break;
    }
    case VK_DATE: {
        int y, m, d;
        if (date_parse(v, &y, &m, &d) != 0) {
            add_fmt_label(e, field, codebase, "invalid", f->label,
                          "は正しい日付（例: 2027-04-01）で入力してください");
            free(v);
            return NULL;
        }
        break;
    }
    case VK_CODE: {
        bool ok = false;
        for (const char *const *c = f->codes; c && *c; c++)
            if (!strcmp(*c, v))
                ok = true;
        if (!ok) {
            add_fmt_label(e, field, codebase, "invalid", f->label, "の値が正しくありません");
            free(v);
            return NULL;
        }
        break;
    }
    case VK_TOKEN:
        for (const char *p = v; *p; p++)
            if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                  (*p >= '0' && *p <= '9') || *p == '-' || *p == '_')) {
                add_fmt_label(e, field, codebase, "invalid", f->label, "が正しくありません");
                free(v);
                return NULL;
            }
        break;
    default:
        break;
    }
    return v;
}

static void join(char *out, size_t cap, const char *a, const char *b)
{
    if (*a)
        snprintf(out, cap, "%s.%s", a, b);
    else
        snprintf(out, cap, "%s", b);
}

/* Checks that v is an array of f->min .. f->max items (max 0 = no cap); otherwise adds the
 * error for field and returns false. */
static bool array_count_ok(const vfield *f, json_t *v, const char *field, const char *cb, verrs *e)
{
    if (!json_is_array(v)) {
        add_fmt_label(e, field, cb, "type", f->label, "の形式が正しくありません");
        return false;
    }
    int n = (int)json_array_size(v);
    char msg[256];
    if (n < f->min) {
        snprintf(msg, sizeof msg, "%sを%d件以上入力してください", f->label, f->min);
        add(e, field, cb, "missing", msg);
        return false;
    }
    if (f->max && n > f->max) {
        snprintf(msg, sizeof msg, "%sは%d件までです", f->label, f->max);
        add(e, field, cb, "too_long", msg);
        return false;
    }
    return true;
}

int validate_object(json_t *obj, const vfield *spec, const char *path, const char *codebase,
                    verrs *e)
{
    int before = e->n;
    /* Unknown keys first. */
    const char *key;
    json_t *val;
    void *tmp;
    json_object_foreach_safe(obj, tmp, key, val)
    {
        bool known = false;
        for (const vfield *f = spec; f->name; f++)
            if (!strcmp(f->name, key))
                known = true;
        if (!known) {
            char field[96], code[128], shown[40];
            /* Cut the key (it is the client's text) to a few ASCII-safe bytes for the path. */
            size_t k = 0;
            for (const char *p = key; *p && k < sizeof shown - 1 && k < 32; p++)
                shown[k++] = ((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7F) ? *p : '?';
            shown[k] = '\0';
            join(field, sizeof field, path, shown);
            snprintf(code, sizeof code, "%s%s%s.unknown", codebase, *codebase ? "." : "", shown);
            verrs_add(e, field, code, "受け付けられない項目が含まれています");
        }
    }
    for (const vfield *f = spec; f->name; f++) {
        char field[96], cb[128];
        join(field, sizeof field, path, f->name);
        join(cb, sizeof cb, codebase, f->name);
        json_t *v = json_object_get(obj, f->name);
        if (!v || json_is_null(v)) {
            if (f->required)
                add_fmt_label(e, field, cb, "missing", f->label,
                              f->select ? "を選択してください" : "を入力してください");
            if (v)
                json_object_del(obj, f->name);
            continue;
        }
        switch (f->type) {
        case VT_STRING: {
            if (!json_is_string(v)) {
                add_fmt_label(e, field, cb, "type", f->label, "の形式が正しくありません");
                break;
            }
            char *clean = check_string(f, json_string_value(v), field, cb, e);
            if (clean)
                json_object_set_new(obj, f->name, json_string(clean));
            else if (!f->required)
                json_object_del(obj, f->name); /* empty optional, or error already recorded */
            free(clean);
            break;
        }
        case VT_OBJECT:
            if (!json_is_object(v)) {
                add_fmt_label(e, field, cb, "type", f->label, "の形式が正しくありません");
                break;
            }
            validate_object(v, f->sub, field, cb, e);
            break;
        case VT_BOOL:
            if (!json_is_boolean(v))
                add_fmt_label(e, field, cb, "type", f->label,
                              "は「はい」か「いいえ」で指定してください");
            break;
        case VT_INTEGER: {
            if (!json_is_integer(v)) {
                add_fmt_label(e, field, cb, "type", f->label, "は整数で入力してください");
                break;
            }
            json_int_t n = json_integer_value(v);
            if (n < f->min || n > f->max) {
                char msg[256];
                snprintf(msg, sizeof msg, "%sは%d〜%dの範囲で入力してください", f->label, f->min,
                         f->max);
                add(e, field, cb, "out_of_range", msg);
            }
            break;
        }
        case VT_CODE_ARRAY: {
            if (!array_count_ok(f, v, field, cb, e))
                break;
            size_t n = json_array_size(v);
            for (size_t i = 0; i < n; i++) {
                const char *c = json_string_value(json_array_get(v, i));
                bool ok = false, dup = false;
                for (const char *const *k = f->codes; c && k && *k; k++)
                    if (!strcmp(*k, c))
                        ok = true;
                for (size_t j = 0; ok && j < i; j++)
                    if (!strcmp(json_string_value(json_array_get(v, j)), c))
                        dup = true;
                if (!ok || dup) {
                    char ip[96];
                    snprintf(ip, sizeof ip, "%s[%zu]", field, i);
                    add_fmt_label(e, ip, cb, dup ? "duplicate" : "invalid", f->label,
                                  dup ? "が重複しています" : "の値が正しくありません");
                    break;
                }
            }
            break;
        }
        case VT_STRING_ARRAY: {
            if (!array_count_ok(f, v, field, cb, e))
                break;
            size_t n = json_array_size(v);
            for (size_t i = 0; i < n; i++) {
                char ip[96];
                snprintf(ip, sizeof ip, "%s[%zu]", field, i);
                json_t *item = json_array_get(v, i);
                if (!json_is_string(item)) {
                    add_fmt_label(e, ip, cb, "type", f->label, "の形式が正しくありません");
                    break;
                }
                char *clean = check_string(&f->sub[0], json_string_value(item), ip, cb, e);
                if (!clean) {
                    if (!e->n || strcmp(e->items[e->n - 1].field, ip) != 0)
                        add_fmt_label(e, ip, cb, "missing", f->label, "に空の項目があります");
                    break;
                }
                bool dup = false;
                for (size_t j = 0; j < i; j++)
                    if (!strcmp(json_string_value(json_array_get(v, j)), clean))
                        dup = true;
                json_array_set_new(v, i, json_string(clean));
                free(clean);
                if (dup) {
                    add_fmt_label(e, ip, cb, "duplicate", f->label, "が重複しています");
                    break;
                }
            }
            break;
        }
        case VT_OBJECT_ARRAY: {
            if (!array_count_ok(f, v, field, cb, e))
                break;
            size_t n = json_array_size(v);
            for (size_t i = 0; i < n; i++) {
                char ip[96];
                snprintf(ip, sizeof ip, "%s[%zu]", field, i);
                json_t *item = json_array_get(v, i);
                if (!json_is_object(item)) {
                    add_fmt_label(e, ip, cb, "type", f->label, "の形式が正しくありません");
                    continue;
                }
                validate_object(item, f->sub, ip, cb, e);
            }
            break;
        }
        }
    }
    return e->n - before;
}

const vfield LICENCE_SPEC[] = {
    {.name = "type",
     .label = "免許の種類",
     .kind = VK_CODE,
     .required = true,
     .codes = LICENCE_CODES,
     .select = true},
    {.name = "number", .label = "籍番号", .kind = VK_DIGITS, .required = true, .min = 1, .max = 10},
    {.name = "registered_on",
     .label = "登録年月日",
     .kind = VK_DATE_PAST,
     .required = true,
     .max = 10},
    {.name = NULL}};
