/* `nccs import accounts`: job seekers (求職者: users + seekers + licences) and facilities (施設:
 * facilities + facility_events), with their registration channel and date (docs/IMPORT.md). */
#include "cli/import.h"
#include "cli/seed_batch.h"
#include "store/seekers.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    A_KIND,
    A_NAME,
    A_KANA,
    A_BIRTH,
    A_EMAIL,
    A_PHONE,
    A_PREF,
    A_CHANNEL,
    A_REGISTERED,
    A_LIC_TYPE,
    A_LIC_NO,
    A_LIC_DATE,
    A_LIC_TYPE2,
    A_LIC_NO2,
    A_LIC_DATE2,
    A_WORK,
    A_YEARS,
    A_WAGE_TYPE,
    A_WAGE_MIN,
    A_SHIFTS,
    A_FTYPES,
    A_VALID,
    A_FAC_NAME,
    A_MUNI,
    A_FAC_TYPE,
    A_NCOLS
};

static const imp_col COLS[A_NCOLS] = {
    [A_KIND] = {"種別", NULL, "kind", true, false},
    [A_NAME] = {"氏名", NULL, "name", false, false},
    [A_KANA] = {"フリガナ", NULL, "name_kana", true, false},
    [A_BIRTH] = {"生年月日", NULL, "birth_date", false, false},
    [A_EMAIL] = {"メールアドレス", NULL, "email", false, false},
    [A_PHONE] = {"電話番号", "電話", "phone", false, false},
    [A_PREF] = {"都道府県", NULL, "prefecture", true, false},
    [A_CHANNEL] = {"登録経路", NULL, "channel", false, false},
    [A_REGISTERED] = {"登録日", NULL, "registered_on", true, false},
    [A_LIC_TYPE] = {"免許種別", NULL, "licences.type", false, false},
    [A_LIC_NO] = {"免許番号", "籍登録番号", "licences.number", false, false},
    [A_LIC_DATE] = {"免許登録日", "登録年月日", "licences.registered_on", false, false},
    [A_LIC_TYPE2] = {"免許種別2", NULL, "licences.type", false, false},
    [A_LIC_NO2] = {"免許番号2", "籍登録番号2", "licences.number", false, false},
    [A_LIC_DATE2] = {"免許登録日2", "登録年月日2", "licences.registered_on", false, false},
    [A_WORK] = {"就業状況", NULL, "work_status", false, false},
    [A_YEARS] = {"経験年数", NULL, "experience_years", false, false},
    [A_WAGE_TYPE] = {"希望賃金区分", NULL, "wage_type", false, false},
    [A_WAGE_MIN] = {"希望賃金下限", NULL, "wage_min", false, false},
    [A_SHIFTS] = {"希望勤務形態", NULL, "shift_patterns", false, false},
    [A_FTYPES] = {"希望施設種別", NULL, "facility_types", false, false},
    [A_VALID] = {"有効期限", NULL, "valid_until", false, false},
    [A_FAC_NAME] = {"施設名", NULL, "facility_name", false, false},
    [A_MUNI] = {"市区町村コード", NULL, "municipality", false, false},
    [A_FAC_TYPE] = {"施設種別", NULL, "facility_type", false, false},
};

/* The live limits (api/seekers.c, api/auth.c). */
#define WAGE_MAX_MONTHLY 5000000
#define WAGE_MAX_HOURLY  100000

static const vfield SEEKER_SPEC[] = {
    {.name = "name", .label = "氏名", .kind = VK_TEXT, .required = true, .max = 100},
    {.name = "name_kana", .label = "フリガナ", .kind = VK_KATAKANA, .required = true, .max = 100},
    {.name = "email", .label = "メールアドレス", .kind = VK_EMAIL, .max = 254},
    {.name = "phone", .label = "電話番号", .kind = VK_PHONE, .max = 20},
    {.name = "birth_date", .label = "生年月日", .kind = VK_DATE_PAST, .max = 10},
    {.name = "licences",
     .label = "免許",
     .type = VT_OBJECT_ARRAY,
     .required = true,
     .min = 1,
     .max = 2,
     .sub = LICENCE_SPEC},
    {.name = NULL}};

static const vfield FACILITY_SPEC[] = {
    {.name = "name", .label = "施設名", .kind = VK_TEXT, .required = true, .max = 100},
    {.name = "name_kana",
     .label = "施設名のフリガナ",
     .kind = VK_KATAKANA,
     .required = true,
     .max = 100},
    {.name = "phone", .label = "施設の電話番号", .kind = VK_PHONE, .max = 20},
    {.name = "municipality", .label = "市区町村コード", .kind = VK_DIGITS, .min = 5, .max = 5},
    {.name = NULL}};

static const imp_fieldmap SEEKER_MAP[] = {{"name", A_NAME},
                                          {"name_kana", A_KANA},
                                          {"email", A_EMAIL},
                                          {"phone", A_PHONE},
                                          {"birth_date", A_BIRTH},
                                          {"licences", A_LIC_TYPE},
                                          {"licences[0].type", A_LIC_TYPE},
                                          {"licences[0].number", A_LIC_NO},
                                          {"licences[0].registered_on", A_LIC_DATE},
                                          {"licences[1].type", A_LIC_TYPE2},
                                          {"licences[1].number", A_LIC_NO2},
                                          {"licences[1].registered_on", A_LIC_DATE2},
                                          {NULL, 0}};
static const imp_fieldmap FACILITY_MAP[] = {{"name", A_FAC_NAME},
                                            {"name_kana", A_KANA},
                                            {"phone", A_PHONE},
                                            {"municipality", A_MUNI},
                                            {NULL, 0}};

typedef struct acc_lic {
    const char *type, *number, *date;
} acc_lic;

/* One valid row, strings in the pool. */
typedef struct acc_rec {
    size_t ri;
    bool facility;
    const char *name, *kana, *email, *phone, *birth, *pref, *channel, *registered;
    int64_t created_at;
    int nlic;
    acc_lic lic[2];
    const char *work, *wage_type, *shifts, *ftypes, *valid_until, *status;
    int64_t years, wage_min; /* wage_min -1 = none */
    const char *muni, *fac_type;
    int64_t id; /* write: the new users / facilities row */
} acc_rec;

typedef struct acc_state {
    acc_rec *recs;
    size_t n;
    imp_dict kinds, channels, works, wages;
    imp_set lic_seen, email_seen, fac_seen;
} acc_state;

static void acc_free(imp *x)
{
    acc_state *s = x->state;
    if (!s)
        return;
    free(s->recs);
    imp_dict_free(&s->kinds);
    imp_dict_free(&s->channels);
    imp_dict_free(&s->works);
    imp_dict_free(&s->wages);
    imp_set_free(&s->lic_seen);
    imp_set_free(&s->email_seen);
    imp_set_free(&s->fac_seen);
    free(s);
    x->state = NULL;
}

static int add_all(imp_dict *d, const char *const (*pairs)[2], size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (imp_dict_add(d, pairs[i][0], pairs[i][1]) != 0)
            return -1;
    return 0;
}

#define ADD_ALL(d, a) add_all(d, a, sizeof a / sizeof a[0])

static int acc_dicts(acc_state *s)
{
    static const char *const KINDS[][2] = {
        {"求職者", "seeker"}, {"seeker", "seeker"}, {"施設", "facility"}, {"facility", "facility"}};
    static const char *const CHANNELS[][2] = {{"pc", "pc"},
                                              {"smartphone", "smartphone"},
                                              {"center", "center"},
                                              {"notification", "notification"},
                                              {"インターネット（PC）", "pc"},
                                              {"インターネット（スマートフォン）", "smartphone"},
                                              {"センターで登録", "center"},
                                              {"センターで登録（インターネット以外）", "center"},
                                              {"届出から作成", "notification"},
                                              {"PC", "pc"},
                                              {"スマートフォン", "smartphone"}};
    static const char *const WORKS[][2] = {
        {"employed", "employed"},  {"not_working", "not_working"}, {"on_leave", "on_leave"},
        {"student", "student"},    {"就業中", "employed"},         {"離職中", "not_working"},
        {"未就業", "not_working"}, {"休職中", "on_leave"},         {"学生", "student"},
        {"就学中", "student"}};
    static const char *const WAGES[][2] = {
        {"monthly", "monthly"}, {"hourly", "hourly"}, {"月給", "monthly"}, {"時給", "hourly"}};
    return ADD_ALL(&s->kinds, KINDS) || ADD_ALL(&s->channels, CHANNELS) ||
                   ADD_ALL(&s->works, WORKS) || ADD_ALL(&s->wages, WAGES)
               ? -1
               : 0;
}

/* A cell as a JSON string member of o (nothing for an empty or rejected cell). */
static void put_cell(imp *x, json_t *o, const char *key, int col)
{
    const char *v = imp_cell(x, col);
    if (v && *v)
        json_object_set_new(o, key, json_string(v));
}

/* The licence columns (type, number, date) as the body's licence object, type and date
 * translated when recognised (else left for the validator to report); NULL when all empty. */
static json_t *licence_json(imp *x, int ct, int cn, int cd)
{
    const char *t = imp_cell(x, ct), *n = imp_cell(x, cn), *dt = imp_cell(x, cd);
    if ((!t || !*t) && (!n || !*n) && (!dt || !*dt))
        return NULL;
    json_t *l = json_object();
    if (t && *t) {
        const char *c = imp_dict_get(&x->licences, t);
        json_object_set_new(l, "type", json_string(c ? c : t));
    }
    if (n && *n)
        json_object_set_new(l, "number", json_string(n));
    if (dt && *dt) {
        char buf[16];
        json_object_set_new(l, "registered_on",
                            json_string(imp_parse_date(dt, buf, sizeof buf) == 0 ? buf : dt));
    }
    return l;
}

/* Whole years from birth to the date on (both YYYY-MM-DD). */
static int age_on(const char *birth, const char *on)
{
    int by, bm, bd, y, m, d;
    if (date_parse(birth, &by, &bm, &bd) != 0 || date_parse(on, &y, &m, &d) != 0)
        return -1;
    int age = y - by;
    if (m < bm || (m == bm && d < bd))
        age--;
    return age;
}

static void check_seeker(imp *x, acc_state *s, acc_rec *a)
{
    json_t *b = json_object(), *lics = json_array();
    put_cell(x, b, "name", A_NAME);
    put_cell(x, b, "name_kana", A_KANA);
    put_cell(x, b, "email", A_EMAIL);
    put_cell(x, b, "phone", A_PHONE);
    const char *birth = imp_cell(x, A_BIRTH);
    char bbuf[16];
    if (birth && *birth)
        json_object_set_new(
            b, "birth_date",
            json_string(imp_parse_date(birth, bbuf, sizeof bbuf) == 0 ? bbuf : birth));
    json_t *l1 = licence_json(x, A_LIC_TYPE, A_LIC_NO, A_LIC_DATE);
    json_t *l2 = licence_json(x, A_LIC_TYPE2, A_LIC_NO2, A_LIC_DATE2);
    if (l1)
        json_array_append_new(lics, l1);
    else if (l2) /* keep the second licence in its columns' place */
        json_array_append_new(lics, json_object());
    if (l2)
        json_array_append_new(lics, l2);
    json_object_set_new(b, "licences", lics);
    verrs e = {.n = 0};
    validate_object(b, SEEKER_SPEC, "", "", &e);
    imp_err_verrs(x, x->ri, &e, SEEKER_MAP);
    if (json_array_size(lics) == 2) {
        const char *t1 = vstr(json_array_get(lics, 0), "type"),
                   *t2 = vstr(json_array_get(lics, 1), "type");
        if (t1 && t2 && !strcmp(t1, t2))
            imp_err(x, A_LIC_TYPE2, "duplicate", "同じ種類の免許が重複しています");
    }
    a->name = imp_str(x, vstr(b, "name"));
    a->kana = imp_str(x, vstr(b, "name_kana"));
    a->email = imp_str(x, vstr(b, "email"));
    a->phone = imp_str(x, vstr(b, "phone"));
    a->birth = imp_str(x, vstr(b, "birth_date"));
    a->nlic = 0;
    for (size_t i = 0; i < json_array_size(lics) && i < 2; i++) {
        json_t *l = json_array_get(lics, i);
        if (!vstr(l, "type"))
            continue;
        acc_lic *L = &a->lic[a->nlic++];
        L->type = imp_str(x, vstr(l, "type"));
        L->number = imp_str(x, vstr(l, "number"));
        L->date = imp_str(x, vstr(l, "registered_on"));
    }
    json_decref(b);

    const char *ch = NULL, *work = NULL;
    if (imp_get_code(x, A_CHANNEL, true, &s->channels, &ch) == 1)
        a->channel = ch;
    if (imp_get_code(x, A_WORK, true, &s->works, &work) == 1)
        a->work = work;
    imp_get_int(x, A_YEARS, true, 0, 70, &a->years);
    const char *wt = NULL;
    int has_type = imp_get_code(x, A_WAGE_TYPE, false, &s->wages, &wt);
    int has_min = imp_get_int(x, A_WAGE_MIN, false, 1, WAGE_MAX_MONTHLY, &a->wage_min);
    a->wage_type = has_type == 1 ? wt : NULL;
    if (has_min != 1)
        a->wage_min = -1;
    if (has_type == 1 && has_min == 0)
        imp_err(x, A_WAGE_MIN, "missing",
                "希望賃金区分を入力した場合は希望賃金下限も入力してください");
    if (has_type == 0 && has_min == 1)
        imp_err(x, A_WAGE_TYPE, "missing",
                "希望賃金下限を入力した場合は希望賃金区分も入力してください");
    if (has_type == 1 && has_min == 1 && !strcmp(wt, "hourly") && a->wage_min > WAGE_MAX_HOURLY) {
        char msg[160];
        snprintf(msg, sizeof msg, "時給の希望は%d円以下で入力してください", WAGE_MAX_HOURLY);
        imp_err(x, A_WAGE_MIN, "out_of_range", msg);
    }
    imp_get_list(x, A_SHIFTS, &x->shifts, 5, &a->shifts);
    imp_get_list(x, A_FTYPES, &x->fac_types, 13, &a->ftypes);

    /* dates relative to the registration */
    if (a->registered) {
        if (a->birth) {
            int age = age_on(a->birth, a->registered);
            if (age < 15 || age > 100)
                imp_err(x, A_BIRTH, "out_of_range",
                        "生年月日を確認してください（登録日に15歳〜100歳）");
        }
        static const int DATE_COL[2] = {A_LIC_DATE, A_LIC_DATE2};
        for (int i = 0; i < a->nlic; i++)
            if (a->lic[i].date && date_cmp(a->lic[i].date, a->registered) > 0)
                imp_err(x, DATE_COL[i], "after_registration",
                        "免許登録日が登録日より後になっています");
        char valid[16];
        int rv = imp_get_date(x, A_VALID, false, valid, sizeof valid);
        if (rv == 1 && date_cmp(valid, a->registered) < 0)
            imp_err(x, A_VALID, "out_of_range", "有効期限が登録日より前になっています");
        else if (rv == 1)
            a->valid_until = imp_str(x, valid);
        else if (rv == 0) {
            seeker_valid_until(a->created_at, valid, sizeof valid);
            a->valid_until = imp_str(x, valid);
        }
        /* past its validity: closed as the expiry job would have closed it */
        a->status = a->valid_until && date_cmp(a->valid_until, x->today) < 0 ? "closed" : "active";
    }

    /* the same licence or address twice in the file */
    if (imp_row_bad(x, x->ri))
        return;
    static const int NO_COL[2] = {A_LIC_NO, A_LIC_NO2};
    for (int i = 0; i < a->nlic; i++) {
        char key[64];
        size_t old;
        snprintf(key, sizeof key, "%s:%s", a->lic[i].type, a->lic[i].number);
        if (imp_set_put(x, &s->lic_seen, key, x->ri, &old) == 1) {
            char msg[160];
            snprintf(msg, sizeof msg, "同じ免許（種別と番号）が%d行目にもあります",
                     x->sh->rows[old].line);
            imp_err(x, NO_COL[i], "duplicate", msg);
        }
    }
    if (a->email) {
        size_t old;
        if (imp_set_put(x, &s->email_seen, a->email, x->ri, &old) == 1) {
            char msg[160];
            snprintf(msg, sizeof msg, "同じメールアドレスが%d行目にもあります",
                     x->sh->rows[old].line);
            imp_err(x, A_EMAIL, "duplicate", msg);
        }
    } else if (a->nlic) {
        char seed[80], email[64];
        snprintf(seed, sizeof seed, "licence:%s:%s", a->lic[0].type, a->lic[0].number);
        imp_placeholder_email(seed, email, sizeof email);
        a->email = imp_str(x, email);
    }
}

static void check_facility(imp *x, acc_state *s, acc_rec *a)
{
    json_t *b = json_object();
    put_cell(x, b, "name", A_FAC_NAME);
    put_cell(x, b, "name_kana", A_KANA);
    put_cell(x, b, "phone", A_PHONE);
    put_cell(x, b, "municipality", A_MUNI);
    verrs e = {.n = 0};
    validate_object(b, FACILITY_SPEC, "", "", &e);
    imp_err_verrs(x, x->ri, &e, FACILITY_MAP);
    a->name = imp_str(x, vstr(b, "name"));
    a->kana = imp_str(x, vstr(b, "name_kana"));
    a->phone = imp_str(x, vstr(b, "phone"));
    a->muni = imp_str(x, vstr(b, "municipality"));
    json_decref(b);
    const char *ft = NULL;
    if (imp_get_code(x, A_FAC_TYPE, true, &x->fac_types, &ft) == 1)
        a->fac_type = ft;
    if (a->muni && a->pref) {
        const char *mp = imp_muni_pref(x, a->muni);
        if (!mp)
            imp_err(x, A_MUNI, "invalid", "市区町村コードが見つかりません");
        else if (strcmp(mp, a->pref) != 0)
            imp_err(x, A_MUNI, "invalid", "市区町村コードが都道府県と一致しません");
    }
    if (imp_row_bad(x, x->ri))
        return;
    char key[512];
    size_t old;
    snprintf(key, sizeof key, "%s:%s", a->pref, a->name);
    if (imp_set_put(x, &s->fac_seen, key, x->ri, &old) == 1) {
        char msg[160];
        snprintf(msg, sizeof msg, "同じ都道府県の同じ名前の施設が%d行目にもあります",
                 x->sh->rows[old].line);
        imp_err(x, A_FAC_NAME, "duplicate", msg);
    }
}

static int acc_check(imp *x)
{
    acc_state *s = calloc(1, sizeof *s);
    if (!s)
        return DB_ERROR;
    x->state = s;
    imp_dict_init(&s->kinds);
    imp_dict_init(&s->channels);
    imp_dict_init(&s->works);
    imp_dict_init(&s->wages);
    s->recs = calloc(x->sh->nrows, sizeof *s->recs);
    if (!s->recs || acc_dicts(s) != 0)
        return DB_ERROR;
    for (size_t ri = 1; ri < x->sh->nrows; ri++) {
        imp_row_begin(x, ri);
        acc_rec *a = &s->recs[s->n++];
        memset(a, 0, sizeof *a);
        a->ri = ri;
        a->wage_min = -1;
        const char *kind = NULL, *pref = NULL;
        char reg[16];
        imp_get_code(x, A_KIND, true, &s->kinds, &kind);
        if (imp_get_code(x, A_PREF, true, &x->prefs, &pref) == 1)
            a->pref = pref;
        if (imp_get_past_date(x, A_REGISTERED, true, reg, sizeof reg) == 1) {
            a->registered = imp_str(x, reg);
            a->created_at = imp_jst_midnight(reg);
        }
        if (kind && !strcmp(kind, "facility")) {
            a->facility = true;
            check_facility(x, s, a);
        } else if (kind) {
            check_seeker(x, s, a);
        }
        imp_row_end(x);
    }
    return DB_OK;
}

static int acc_db_check(db *d, imp *x)
{
    acc_state *s = x->state;
    int rc = DB_OK;
    for (size_t i = 0; rc == DB_OK && i < s->n; i++) {
        acc_rec *a = &s->recs[i];
        if (imp_row_bad(x, a->ri))
            continue;
        int64_t n = 0;
        if (a->facility) {
            db_val p[] = {DBT(a->pref), DBT(a->name)};
            rc = db_scalar(d,
                           "SELECT COUNT(*) FROM facilities WHERE prefecture_code = $1 AND name = "
                           "$2",
                           p, 2, &n);
            if (rc == DB_OK && n)
                imp_err_at(x, a->ri, A_FAC_NAME, "facility_name.duplicate",
                           "同じ都道府県に同じ名前の施設が既に登録されています");
            continue;
        }
        /* both licences and the address in one round trip */
        db_val p[] = {DBT(a->lic[0].type), DBT(a->lic[0].number),
                      DBT(a->nlic > 1 ? a->lic[1].type : NULL),
                      DBT(a->nlic > 1 ? a->lic[1].number : NULL), DBT(a->email)};
        db_res *r = NULL;
        rc = db_query(d,
                      "SELECT (SELECT COUNT(*) FROM licences WHERE type = $1 AND number = $2), "
                      "(SELECT COUNT(*) FROM licences WHERE type = $3 AND number = $4), "
                      "(SELECT COUNT(*) FROM users WHERE email = $5)",
                      p, 5, &r);
        static const int NO_COL[2] = {A_LIC_NO, A_LIC_NO2};
        for (int k = 0; rc == DB_OK && k < a->nlic; k++)
            if (db_int(r, 0, k))
                imp_err_at(x, a->ri, NO_COL[k], "licences.number.duplicate",
                           "この免許（種別と番号）は既に登録されています");
        if (rc == DB_OK && db_int(r, 0, 2))
            imp_err_at(x, a->ri, A_EMAIL, "email.duplicate",
                       "このメールアドレスは既に登録されています");
        db_res_free(r);
    }
    return rc;
}

/* The batches' statement texts (static: db_query caches statements by the text's address). */
static char USER_SQL[4096], LIC_SQL[4096], SEEKER_SQL[8192], FAC_SQL[4096], FEV_SQL[4096];

/* Sets the id of each returned row (id, key) on the record the key names in keys. */
static int take_ids(acc_state *s, const imp_set *keys, db_res *r, bool fac)
{
    for (int k = 0; r && k < r->nrows; k++) {
        char key[512];
        size_t i;
        if (fac)
            snprintf(key, sizeof key, "%s:%s", db_text(r, k, 1), db_text(r, k, 2));
        else
            str_copy(key, sizeof key, db_text(r, k, 1));
        if (!imp_set_get(keys, key, &i))
            return DB_ERROR;
        s->recs[i].id = db_int(r, k, 0);
    }
    db_res_free(r);
    return DB_OK;
}

/* Writes the rows as registration, the counter and approval write them, in multi-row INSERTs
 * (seed_batch.h): the accounts (ids matched back by e-mail), licences and profiles, then the
 * facilities (matched by prefecture and name) and their events. */
static int acc_write(db *d, imp *x)
{
    acc_state *s = x->state;
    imp_count(x, "seekers", 0);
    imp_count(x, "licences", 0);
    imp_count(x, "facilities", 0);
    sbatch *b = malloc(sizeof *b);
    imp_set users = {0}, facs = {0};
    int rc = b ? DB_OK : DB_ERROR;
    for (size_t i = 0; rc == DB_OK && i < s->n; i++) {
        acc_rec *a = &s->recs[i];
        char key[512];
        size_t old;
        a->id = 0;
        snprintf(key, sizeof key, "%s:%s", a->pref, a->name);
        if (imp_set_put(x, a->facility ? &facs : &users, a->facility ? key : a->email, i, &old) !=
            0)
            rc = DB_ERROR; /* keys are unique: checked before */
    }
    /* accounts */
    if (rc == DB_OK)
        rc = sb_init(d, b,
                     "INSERT INTO users (email, role, name, name_kana, phone, prefecture_code, "
                     "channel, birth_date, created_at, updated_at) VALUES ",
                     " RETURNING id, email", 10, USER_SQL, sizeof USER_SQL);
    for (size_t i = 0; rc == DB_OK && i <= s->n; i++) {
        db_res *r = NULL;
        if (i == s->n) {
            rc = sb_flush(d, b, &r);
        } else if (!s->recs[i].facility) {
            const acc_rec *a = &s->recs[i];
            db_val *v = sb_row(b);
            v[0] = DBT(a->email), v[1] = DBT("seeker"), v[2] = DBT(a->name), v[3] = DBT(a->kana);
            v[4] = DBT(a->phone), v[5] = DBT(a->pref), v[6] = DBT(a->channel);
            v[7] = DBT(a->birth), v[8] = DBI(a->created_at), v[9] = DBI(a->created_at);
            rc = sb_push(d, b, &r);
        }
        if (rc == DB_OK)
            rc = take_ids(s, &users, r, false);
        else
            db_res_free(r);
    }
    /* licences */
    if (rc == DB_OK)
        rc = sb_init(d, b, "INSERT INTO licences (user_id, type, number, registered_on) VALUES ",
                     "", 4, LIC_SQL, sizeof LIC_SQL);
    for (size_t i = 0; rc == DB_OK && i < s->n; i++) {
        const acc_rec *a = &s->recs[i];
        for (int k = 0; !a->facility && rc == DB_OK && k < a->nlic; k++) {
            db_val *v = sb_row(b);
            v[0] = DBI(a->id), v[1] = DBT(a->lic[k].type), v[2] = DBT(a->lic[k].number);
            v[3] = DBT(a->lic[k].date);
            rc = a->id ? sb_push(d, b, NULL) : DB_ERROR;
            imp_count(x, "licences", 1);
        }
    }
    if (rc == DB_OK)
        rc = sb_flush(d, b, NULL);
    /* job-seeker profiles (past their validity: closed as the expiry job closes them) */
    if (rc == DB_OK)
        rc = sb_init(d, b,
                     "INSERT INTO seekers (user_id, prefecture_code, work_status, "
                     "experience_years, wish_shift_patterns, wish_wage_type, wish_wage_min, "
                     "wish_facility_types, status, closed_reason, valid_until, last_activity_at, "
                     "created_at, updated_at) VALUES ",
                     "", 14, SEEKER_SQL, sizeof SEEKER_SQL);
    for (size_t i = 0; rc == DB_OK && i < s->n; i++) {
        const acc_rec *a = &s->recs[i];
        if (a->facility)
            continue;
        bool closed = !strcmp(a->status, "closed");
        db_val *v = sb_row(b);
        v[0] = DBI(a->id), v[1] = DBT(a->pref), v[2] = DBT(a->work), v[3] = DBI(a->years);
        v[4] = DBT(a->shifts), v[5] = DBT(a->wage_type);
        v[6] = a->wage_min >= 0 ? DBI(a->wage_min) : DBNULL, v[7] = DBT(a->ftypes);
        v[8] = DBT(a->status), v[9] = DBT(closed ? "expired" : NULL), v[10] = DBT(a->valid_until);
        v[11] = DBI(a->created_at), v[12] = DBI(a->created_at), v[13] = DBI(a->created_at);
        rc = sb_push(d, b, NULL);
        imp_count(x, "seekers", 1);
    }
    if (rc == DB_OK)
        rc = sb_flush(d, b, NULL);
    /* facilities, approved on their registration day */
    if (rc == DB_OK)
        rc = sb_init(d, b,
                     "INSERT INTO facilities (name, name_kana, prefecture_code, "
                     "municipality_code, facility_type, phone, status, reviewed_at, created_at, "
                     "updated_at) VALUES ",
                     " RETURNING id, prefecture_code, name", 10, FAC_SQL, sizeof FAC_SQL);
    for (size_t i = 0; rc == DB_OK && i <= s->n; i++) {
        db_res *r = NULL;
        if (i == s->n) {
            rc = sb_flush(d, b, &r);
        } else if (s->recs[i].facility) {
            const acc_rec *a = &s->recs[i];
            db_val *v = sb_row(b);
            v[0] = DBT(a->name), v[1] = DBT(a->kana), v[2] = DBT(a->pref), v[3] = DBT(a->muni);
            v[4] = DBT(a->fac_type), v[5] = DBT(a->phone), v[6] = DBT("approved");
            v[7] = DBI(a->created_at), v[8] = DBI(a->created_at), v[9] = DBI(a->created_at);
            rc = sb_push(d, b, &r);
            imp_count(x, "facilities", 1);
        }
        if (rc == DB_OK)
            rc = take_ids(s, &facs, r, true);
        else
            db_res_free(r);
    }
    /* the history as registration and approval write it (no actor: not known) */
    if (rc == DB_OK)
        rc = sb_init(d, b, "INSERT INTO facility_events (facility_id, at, action, detail) VALUES ",
                     "", 4, FEV_SQL, sizeof FEV_SQL);
    for (size_t i = 0; rc == DB_OK && i < s->n; i++) {
        const acc_rec *a = &s->recs[i];
        for (int k = 0; a->facility && rc == DB_OK && k < 2; k++) {
            db_val *v = sb_row(b);
            v[0] = DBI(a->id), v[1] = DBI(a->created_at);
            v[2] = DBT(k ? "approved" : "registered"), v[3] = DBT(k ? "{\"reason\":null}" : "{}");
            rc = a->id ? sb_push(d, b, NULL) : DB_ERROR;
        }
    }
    if (rc == DB_OK)
        rc = sb_flush(d, b, NULL);
    free(b);
    imp_set_free(&users);
    imp_set_free(&facs);
    return rc;
}

const imp_kind IMP_ACCOUNTS = {"accounts",   COLS,      A_NCOLS, acc_check,
                               acc_db_check, acc_write, acc_free};
