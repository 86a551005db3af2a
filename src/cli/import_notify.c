/* `nccs import notifications`: historical notifications (届出), active (confirmed), version 1,
 * the body in the live NotificationBody shape (checked by domain/notification.c), the holder
 * found by licence (else by e-mail) or created as the live filing creates holders; no tasks,
 * no mails (docs/IMPORT.md). */
#include "cli/import.h"
#include "cli/seed_batch.h"
#include "domain/casework.h"
#include "domain/notification.h"
#include "store/accounts.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    N_NAME,
    N_KANA,
    N_BIRTH,
    N_POSTAL,
    N_ADDR_PREF,
    N_ADDRESS,
    N_PHONE,
    N_EMAIL,
    N_LIC_TYPE,
    N_LIC_NO,
    N_LIC_DATE,
    N_LIC_TYPE2,
    N_LIC_NO2,
    N_LIC_DATE2,
    N_CHANNEL,
    N_FILED,
    N_REASON,
    N_EVENT,
    N_WORK,
    N_LASTWP,
    N_LASTWP_NAME,
    N_CENTER,
    N_PROXY,
    N_NCOLS
};

static const imp_col COLS[N_NCOLS] = {
    [N_NAME] = {"氏名", NULL, "holder.name", true, false},
    [N_KANA] = {"フリガナ", NULL, "holder.name_kana", true, false},
    [N_BIRTH] = {"生年月日", NULL, "holder.birth_date", true, false},
    [N_POSTAL] = {"郵便番号", NULL, "holder.postal_code", false, false},
    [N_ADDR_PREF] = {"住所都道府県", NULL, "holder.address_prefecture", true, false},
    [N_ADDRESS] = {"住所", NULL, "holder.address", false, false},
    [N_PHONE] = {"電話番号", NULL, "holder.phone", false, false},
    [N_EMAIL] = {"メールアドレス", NULL, "holder.email", false, false},
    [N_LIC_TYPE] = {"免許種別", NULL, "licences.type", true, false},
    [N_LIC_NO] = {"免許番号", "籍登録番号", "licences.number", true, false},
    [N_LIC_DATE] = {"免許登録日", "登録年月日", "licences.registered_on", true, false},
    [N_LIC_TYPE2] = {"免許種別2", NULL, "licences.type", false, false},
    [N_LIC_NO2] = {"免許番号2", "籍登録番号2", "licences.number", false, false},
    [N_LIC_DATE2] = {"免許登録日2", "登録年月日2", "licences.registered_on", false, false},
    [N_CHANNEL] = {"届出経路", NULL, "channel", true, false},
    [N_FILED] = {"届出日", NULL, "filed_at", true, false},
    [N_REASON] = {"届出事由", NULL, "reason", true, false},
    [N_EVENT] = {"事由発生日", NULL, "event_date", true, false},
    [N_WORK] = {"就業状況", NULL, "work_status", true, false},
    [N_LASTWP] = {"離職前の就業場所", NULL, "last_workplace", false, false},
    [N_LASTWP_NAME] = {"離職前の就業先の名称", NULL, "last_workplace_name", false, false},
    [N_CENTER] = {"届出先都道府県", NULL, "center_prefecture", false, false},
    [N_PROXY] = {"代行施設名", NULL, "facility_name", false, false},
};

static const imp_fieldmap MAP[] = {{"holder.name", N_NAME},
                                   {"holder.name_kana", N_KANA},
                                   {"holder.birth_date", N_BIRTH},
                                   {"holder.postal_code", N_POSTAL},
                                   {"holder.address_prefecture", N_ADDR_PREF},
                                   {"holder.address", N_ADDRESS},
                                   {"holder.phone", N_PHONE},
                                   {"holder.email", N_EMAIL},
                                   {"licences", N_LIC_TYPE},
                                   {"licences[0].type", N_LIC_TYPE},
                                   {"licences[0].number", N_LIC_NO},
                                   {"licences[0].registered_on", N_LIC_DATE},
                                   {"licences[1].type", N_LIC_TYPE2},
                                   {"licences[1].number", N_LIC_NO2},
                                   {"licences[1].registered_on", N_LIC_DATE2},
                                   {"reason", N_REASON},
                                   {"event_date", N_EVENT},
                                   {"last_workplace", N_LASTWP},
                                   {"last_workplace_name", N_LASTWP_NAME},
                                   {"work_status", N_WORK},
                                   {"center_prefecture", N_CENTER},
                                   {NULL, 0}};

typedef struct not_rec {
    size_t ri;
    const char *body; /* validated NotificationBody, compact JSON (pool) */
    const char *channel, *route, *email, *fac_name;
    const char *lic_key[2]; /* "type:number" */
    int nlic;
    struct {
        const char *type, *number, *date;
    } lic[2];
    /* the members the notifications row and a new holder's account take from the body */
    const char *name, *kana, *birth, *phone, *reason, *event_date, *work_status;
    const char *new_email; /* phase 2: the address of the account this record creates */
    int64_t filed_at;
    /* phase 2 */
    int64_t holder_id; /* an existing account */
    long holder_ref;   /* else the record that creates the holder (-1: none) */
    int64_t facility_id;
    int64_t created_id; /* write: the account this record created */
    int64_t uid;        /* write: the holder */
} not_rec;

typedef struct not_state {
    not_rec *recs;
    size_t n;
    imp_dict channels, reasons, lastwps, works;
    imp_set seen; /* licence + filing day within the file */
} not_state;

static void not_free(imp *x)
{
    not_state *s = x->state;
    if (!s)
        return;
    free(s->recs);
    imp_dict_free(&s->channels);
    imp_dict_free(&s->reasons);
    imp_dict_free(&s->lastwps);
    imp_dict_free(&s->works);
    imp_set_free(&s->seen);
    free(s);
    x->state = NULL;
}

/* Sets member key of o to the cell of col translated through dict (when given and known), or
 * to the cell itself; nothing for an empty or rejected cell. */
static void put(imp *x, json_t *o, const char *key, int col, const imp_dict *dict)
{
    const char *v = imp_cell(x, col);
    if (!v || !*v)
        return;
    const char *c = dict ? imp_dict_get(dict, v) : NULL;
    json_object_set_new(o, key, json_string(c ? c : v));
}

static void put_date(imp *x, json_t *o, const char *key, int col)
{
    const char *v = imp_cell(x, col);
    char buf[16];
    if (v && *v)
        json_object_set_new(o, key, json_string(imp_parse_date(v, buf, sizeof buf) == 0 ? buf : v));
}

static json_t *licence(imp *x, int ct, int cn, int cd)
{
    const char *t = imp_cell(x, ct), *n = imp_cell(x, cn), *d = imp_cell(x, cd);
    if ((!t || !*t) && (!n || !*n) && (!d || !*d))
        return NULL;
    json_t *l = json_object();
    put(x, l, "type", ct, &x->licences);
    put(x, l, "number", cn, NULL);
    put_date(x, l, "registered_on", cd);
    return l;
}

/* The live filing's errors that a historical record may lack: postal code, address, and a
 * phone or e-mail (old paper records often have neither). */
static bool optional_here(const char *code)
{
    return !strcmp(code, "holder.postal_code.missing") || !strcmp(code, "holder.address.missing") ||
           !strcmp(code, "holder.phone.missing");
}

static int not_check(imp *x)
{
    not_state *s = calloc(1, sizeof *s);
    if (!s)
        return DB_ERROR;
    x->state = s;
    imp_dict_init(&s->channels);
    imp_dict_init(&s->reasons);
    imp_dict_init(&s->lastwps);
    imp_dict_init(&s->works);
    static const char *const CH[][2] = {{"PC", "pc"},       {"スマートフォン", "smartphone"},
                                        {"窓口", "center"}, {"センター", "center"},
                                        {"代行", "proxy"},  {"施設代行", "proxy"}};
    int bad = imp_dict_codes(&s->channels, NOTIF_CHANNELS) |
              imp_dict_codes(&s->reasons, NOTIF_REASONS) |
              imp_dict_codes(&s->lastwps, NOTIF_LAST_WORKPLACES) |
              imp_dict_codes(&s->works, NOTIF_WORK_STATUSES);
    for (size_t i = 0; i < sizeof CH / sizeof CH[0]; i++)
        bad |= imp_dict_add(&s->channels, CH[i][0], CH[i][1]);
    s->recs = calloc(x->sh->nrows, sizeof *s->recs);
    if (bad || !s->recs)
        return DB_ERROR;
    for (size_t ri = 1; ri < x->sh->nrows; ri++) {
        imp_row_begin(x, ri);
        not_rec *o = &s->recs[s->n++];
        memset(o, 0, sizeof *o);
        o->ri = ri;
        o->holder_ref = -1;
        json_t *b = json_object(), *h = json_object(), *lics = json_array();
        put(x, h, "name", N_NAME, NULL);
        put(x, h, "name_kana", N_KANA, NULL);
        put_date(x, h, "birth_date", N_BIRTH);
        put(x, h, "postal_code", N_POSTAL, NULL);
        put(x, h, "address_prefecture", N_ADDR_PREF, &x->prefs);
        put(x, h, "address", N_ADDRESS, NULL);
        put(x, h, "phone", N_PHONE, NULL);
        put(x, h, "email", N_EMAIL, NULL);
        json_object_set_new(b, "holder", h);
        json_t *l1 = licence(x, N_LIC_TYPE, N_LIC_NO, N_LIC_DATE);
        json_t *l2 = licence(x, N_LIC_TYPE2, N_LIC_NO2, N_LIC_DATE2);
        json_array_append_new(lics, l1 ? l1 : json_object());
        if (l2)
            json_array_append_new(lics, l2);
        json_object_set_new(b, "licences", lics);
        put(x, b, "reason", N_REASON, &s->reasons);
        put_date(x, b, "event_date", N_EVENT);
        put(x, b, "last_workplace", N_LASTWP, &s->lastwps);
        put(x, b, "last_workplace_name", N_LASTWP_NAME, NULL);
        put(x, b, "work_status", N_WORK, &s->works);
        put(x, b, "center_prefecture", N_CENTER, &x->prefs);

        const char *ch = NULL;
        imp_get_code(x, N_CHANNEL, true, &s->channels, &ch);
        o->channel = ch;
        int64_t filed = 0;
        char fday[16] = "";
        if (imp_get_datetime(x, N_FILED, true, &filed) == 1) {
            o->filed_at = filed;
            time_jst_date(filed, fday, sizeof fday);
        }
        verrs e = {.n = 0}, keep = {.n = 0};
        /* ages are those on the filing day */
        notif_check(b, ch && !strcmp(ch, "proxy") ? NOTIF_FILE_PROXY : NOTIF_FILE_CENTER,
                    fday[0] ? fday : x->today, &e);
        for (int i = 0; i < e.n; i++)
            if (!optional_here(e.items[i].code))
                verrs_add(&keep, e.items[i].field, e.items[i].code, e.items[i].message);
        imp_err_verrs(x, ri, &keep, MAP);

        /* dates relative to the filing */
        const char *ev = vstr(b, "event_date");
        if (fday[0] && ev && date_cmp(ev, fday) > 0)
            imp_err(x, N_EVENT, "after_filing", "事由発生日が届出日より後になっています");
        static const int LDATE[2] = {N_LIC_DATE, N_LIC_DATE2};
        for (size_t i = 0; fday[0] && i < json_array_size(lics) && i < 2; i++) {
            const char *rd = vstr(json_array_get(lics, i), "registered_on");
            if (rd && date_cmp(rd, fday) > 0)
                imp_err(x, LDATE[i], "after_filing", "免許登録日が届出日より後になっています");
        }
        const char *fac = imp_cell(x, N_PROXY);
        bool proxy = ch && !strcmp(ch, "proxy");
        if (fac && proxy && !*fac)
            imp_err(x, N_PROXY, "missing", "施設による代行届出では代行施設名を入力してください");
        else if (fac && *fac && !proxy && ch)
            imp_err(x, N_PROXY, "not_allowed",
                    "代行施設名は施設による代行届出（届出経路が代行）の場合だけ入力します");
        else if (fac && *fac && str_utf8_len(fac) > 100)
            imp_err(x, N_PROXY, "too_long", "代行施設名は100文字以内で入力してください");
        else if (fac && *fac)
            o->fac_name = imp_str(x, fac);

        if (!imp_row_bad(x, ri)) {
            const char *route = notif_route(b);
            o->route = route ? imp_str(x, route) : NULL;
            o->email = imp_str(x, vstr(json_object_get(b, "holder"), "email"));
            for (size_t i = 0; i < json_array_size(lics) && i < 2; i++) {
                json_t *l = json_array_get(lics, i);
                char key[64];
                snprintf(key, sizeof key, "%s:%s", vstr(l, "type"), vstr(l, "number"));
                o->lic[o->nlic].type = imp_str(x, vstr(l, "type"));
                o->lic[o->nlic].number = imp_str(x, vstr(l, "number"));
                o->lic[o->nlic].date = imp_str(x, vstr(l, "registered_on"));
                o->lic_key[o->nlic++] = imp_str(x, key);
            }
            const json_t *hd = json_object_get(b, "holder");
            o->name = imp_str(x, vstr(hd, "name"));
            o->kana = imp_str(x, vstr(hd, "name_kana"));
            o->birth = imp_str(x, vstr(hd, "birth_date"));
            o->phone = imp_str(x, vstr(hd, "phone"));
            o->reason = imp_str(x, vstr(b, "reason"));
            o->event_date = imp_str(x, vstr(b, "event_date"));
            o->work_status = imp_str(x, vstr(b, "work_status"));
            /* the same licence filed twice on one day: a repeated row */
            char key[96];
            size_t old;
            snprintf(key, sizeof key, "%s@%s", o->lic_key[0], fday);
            if (imp_set_put(x, &s->seen, key, ri, &old) == 1) {
                char msg[160];
                snprintf(msg, sizeof msg, "同じ免許・同じ届出日の届出が%d行目にもあります",
                         x->sh->rows[old].line);
                imp_err(x, N_LIC_NO, "duplicate", msg);
            }
            char *text = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS);
            o->body = imp_str(x, text);
            free(text);
        }
        json_decref(b);
        imp_row_end(x);
    }
    return DB_OK;
}

/* The account holding any of rec's licences: DB_OK with *uid (0 when none). Merged records give
 * their survivor. *bad_role / *ambiguous report holders that cannot take it. In the same round
 * trip, *placeholder_taken tells whether an account has the placeholder address the record's
 * new holder would get. */
static int holder_by_licence(db *d, const not_rec *o, const char *placeholder, int64_t *uid,
                             bool *bad_role, bool *ambiguous, bool *placeholder_taken)
{
    *uid = 0;
    *placeholder_taken = false;
    db_val p[] = {DBT(o->lic[0].type), DBT(o->lic[0].number),
                  DBT(o->nlic > 1 ? o->lic[1].type : NULL),
                  DBT(o->nlic > 1 ? o->lic[1].number : NULL), DBT(placeholder)};
    db_res *r = NULL;
    int rc = db_query(d,
                      "SELECT COALESCE(u.merged_into, u.id), (SELECT role FROM users s WHERE s.id "
                      "= COALESCE(u.merged_into, u.id)) FROM licences l JOIN users u ON u.id = "
                      "l.user_id WHERE (l.type = $1 AND l.number = $2) OR (l.type = $3 AND "
                      "l.number = $4) UNION ALL SELECT -1, CAST(COUNT(*) AS TEXT) FROM users "
                      "WHERE email = $5",
                      p, 5, &r);
    for (int i = 0; rc == DB_OK && i < r->nrows; i++) {
        int64_t id = db_int(r, i, 0);
        const char *what = db_text(r, i, 1) ? db_text(r, i, 1) : "";
        if (id == -1)
            *placeholder_taken = strcmp(what, "0") != 0;
        else if (strcmp(what, "seeker") != 0)
            *bad_role = true;
        else if (*uid && *uid != id)
            *ambiguous = true;
        else
            *uid = id;
    }
    db_res_free(r);
    return rc;
}

static int not_db_check(db *d, imp *x)
{
    not_state *s = x->state;
    imp_set by_lic = {0}, by_mail = {0};
    int rc = DB_OK;
    for (size_t i = 0; rc == DB_OK && i < s->n; i++) {
        not_rec *o = &s->recs[i];
        o->holder_id = 0;
        o->holder_ref = -1;
        o->facility_id = 0;
        if (imp_row_bad(x, o->ri))
            continue;
        if (o->fac_name) {
            db_val p[] = {DBT(o->route), DBT(o->fac_name)};
            db_res *r = NULL;
            rc = db_query(d, "SELECT id FROM facilities WHERE prefecture_code = $1 AND name = $2",
                          p, 2, &r);
            if (rc == DB_OK && r->nrows == 1)
                o->facility_id = db_int(r, 0, 0);
            else if (rc == DB_OK)
                imp_err_at(x, o->ri, N_PROXY,
                           r->nrows ? "facility_name.ambiguous" : "facility_name.not_found",
                           r->nrows ? "届出先の都道府県に同じ名前の施設が複数あります"
                                    : "届出先の都道府県にこの名前の施設が見つかりません");
            db_res_free(r);
            if (rc != DB_OK)
                break;
        }
        bool bad_role = false, ambiguous = false, placeholder_taken = false;
        char seed[80], placeholder[64];
        snprintf(seed, sizeof seed, "licence:%s", o->lic_key[0]);
        imp_placeholder_email(seed, placeholder, sizeof placeholder);
        rc = holder_by_licence(d, o, placeholder, &o->holder_id, &bad_role, &ambiguous,
                               &placeholder_taken);
        if (rc != DB_OK)
            break;
        if (bad_role || ambiguous) {
            imp_err_at(x, o->ri, N_LIC_NO, ambiguous ? "licences.ambiguous" : "licences.not_seeker",
                       ambiguous ? "この免許を持つ記録が複数あります（重複を統合してから取り込んで"
                                   "ください）"
                                 : "この免許は看護職以外のアカウントに登録されています");
            continue;
        }
        /* earlier rows of this file that create the holder */
        size_t ref;
        for (int k = 0; !o->holder_id && o->holder_ref < 0 && k < o->nlic; k++)
            if (imp_set_get(&by_lic, o->lic_key[k], &ref))
                o->holder_ref = (long)ref;
        if (!o->holder_id && o->holder_ref < 0 && o->email) {
            if (imp_set_get(&by_mail, o->email, &ref)) {
                o->holder_ref = (long)ref;
            } else {
                account a;
                int r2 = store_user_by_email(d, o->email, &a);
                if (r2 == DB_OK) {
                    if (strcmp(a.role, "seeker") != 0 || strcmp(a.status, "active") != 0)
                        imp_err_at(x, o->ri, N_EMAIL, "holder.email.invalid",
                                   "このメールアドレスは看護職の届出に使えません（職員・施設の"
                                   "アカウント等）");
                    else
                        o->holder_id = a.id;
                } else if (r2 != DB_NOTFOUND) {
                    rc = r2;
                    break;
                }
            }
        }
        o->new_email = NULL;
        if (!o->holder_id && o->holder_ref < 0 && !imp_row_bad(x, o->ri)) {
            /* this row creates the holder; later rows with its licence or address use it */
            size_t old;
            o->new_email = o->email;
            for (int k = 0; k < o->nlic; k++)
                if (imp_set_put(x, &by_lic, o->lic_key[k], i, &old) < 0)
                    rc = DB_ERROR;
            if (o->email && imp_set_put(x, &by_mail, o->email, i, &old) < 0)
                rc = DB_ERROR;
            if (!o->email) { /* the placeholder must be free */
                o->new_email = imp_str(x, placeholder);
                if (placeholder_taken)
                    imp_err_at(x, o->ri, N_LIC_NO, "licences.duplicate",
                               "この免許の仮アカウントが既にあります");
            }
        }
    }
    imp_set_free(&by_lic);
    imp_set_free(&by_mail);
    return rc;
}

static char HOLDER_SQL[4096], HLIC_SQL[4096], NOTIF_SQL[8192];

/* Writes what the live filing and activation write, in multi-row INSERTs (seed_batch.h):
 *   - new holder accounts as api/notifications.c notif_holder makes them (role seeker; channel
 *     center for a paper filing at the counter, else notification; the routed center's
 *     prefecture; no password), ids matched back by e-mail;
 *   - the holder's record as store_holder_sync keeps it (birth date when unknown, licences of
 *     types the record does not have yet);
 *   - the notifications rows exactly as store_notif_insert writes an active one (confirmed at
 *     filing: self online, paper otherwise; no filer known), then version 1 of each from the
 *     new rows. No tasks and no mails. */
static int not_write(db *d, imp *x)
{
    not_state *s = x->state;
    imp_count(x, "notifications", 0);
    imp_count(x, "holders_created", 0);
    int64_t last_id = 0;
    int rc = db_scalar(d, "SELECT COALESCE(MAX(id), 0) FROM notifications", NULL, 0, &last_id);
    sbatch *b = malloc(sizeof *b);
    imp_set mails = {0};
    if (!b)
        rc = DB_ERROR;
    for (size_t i = 0; rc == DB_OK && i < s->n; i++) {
        size_t old;
        s->recs[i].created_id = 0;
        if (s->recs[i].new_email && imp_set_put(x, &mails, s->recs[i].new_email, i, &old) != 0)
            rc = DB_ERROR;
    }
    if (rc == DB_OK)
        rc = sb_init(d, b,
                     "INSERT INTO users (email, role, name, name_kana, phone, prefecture_code, "
                     "channel, birth_date, created_at, updated_at) VALUES ",
                     " RETURNING id, email", 10, HOLDER_SQL, sizeof HOLDER_SQL);
    for (size_t i = 0; rc == DB_OK && i <= s->n; i++) {
        db_res *r = NULL;
        if (i == s->n) {
            rc = sb_flush(d, b, &r);
        } else if (s->recs[i].new_email) {
            const not_rec *o = &s->recs[i];
            db_val *v = sb_row(b);
            v[0] = DBT(o->new_email), v[1] = DBT("seeker"), v[2] = DBT(o->name);
            v[3] = DBT(o->kana), v[4] = DBT(o->phone), v[5] = DBT(o->route);
            v[6] = DBT(!strcmp(o->channel, "center") ? "center" : "notification");
            v[7] = DBT(o->birth), v[8] = DBI(o->filed_at), v[9] = DBI(o->filed_at);
            rc = sb_push(d, b, &r);
            imp_count(x, "holders_created", 1);
        }
        for (int k = 0; rc == DB_OK && r && k < r->nrows; k++) {
            size_t j;
            if (!imp_set_get(&mails, db_text(r, k, 1), &j))
                rc = DB_ERROR;
            else
                s->recs[j].created_id = db_int(r, k, 0);
        }
        db_res_free(r);
    }
    /* the holder of each record; a known holder's birth date when the record has none */
    for (size_t i = 0; rc == DB_OK && i < s->n; i++) {
        not_rec *o = &s->recs[i];
        o->uid = o->holder_id         ? o->holder_id
                 : o->holder_ref >= 0 ? s->recs[o->holder_ref].created_id
                                      : o->created_id;
        if (!o->uid)
            rc = DB_ERROR;
        else if (o->holder_id) {
            db_val p[] = {DBI(o->uid), DBT(o->birth)};
            rc =
                db_query(d, "UPDATE users SET birth_date = $2 WHERE id = $1 AND birth_date IS NULL",
                         p, 2, NULL);
        }
    }
    if (rc == DB_OK)
        rc = sb_init(d, b, "INSERT INTO licences (user_id, type, number, registered_on) VALUES ",
                     " ON CONFLICT (user_id, type) DO NOTHING", 4, HLIC_SQL, sizeof HLIC_SQL);
    for (size_t i = 0; rc == DB_OK && i < s->n; i++) {
        const not_rec *o = &s->recs[i];
        for (int k = 0; rc == DB_OK && k < o->nlic; k++) {
            db_val *v = sb_row(b);
            v[0] = DBI(o->uid), v[1] = DBT(o->lic[k].type), v[2] = DBT(o->lic[k].number);
            v[3] = DBT(o->lic[k].date);
            rc = sb_push(d, b, NULL);
        }
    }
    if (rc == DB_OK)
        rc = sb_flush(d, b, NULL);
    if (rc == DB_OK)
        rc = sb_init(d, b,
                     "INSERT INTO notifications (user_id, prefecture_code, channel, facility_id, "
                     "status, reason, event_date, work_status, name, name_kana, birth_date, body, "
                     "version, seeker_opt_in, filed_at, confirmed_at, confirmed_how, updated_at) "
                     "VALUES ",
                     "", 18, NOTIF_SQL, sizeof NOTIF_SQL);
    for (size_t i = 0; rc == DB_OK && i < s->n; i++) {
        const not_rec *o = &s->recs[i];
        bool proxy = !strcmp(o->channel, "proxy");
        bool online = !strcmp(o->channel, "pc") || !strcmp(o->channel, "smartphone");
        db_val *v = sb_row(b);
        v[0] = DBI(o->uid), v[1] = DBT(o->route), v[2] = DBT(o->channel);
        v[3] = proxy ? DBI(o->facility_id) : DBNULL, v[4] = DBT("active"), v[5] = DBT(o->reason);
        v[6] = DBT(o->event_date), v[7] = DBT(o->work_status), v[8] = DBT(o->name);
        v[9] = DBT(o->kana), v[10] = DBT(o->birth), v[11] = DBT(o->body), v[12] = DBI(1);
        v[13] = DBI(0), v[14] = DBI(o->filed_at), v[15] = DBI(o->filed_at);
        v[16] = DBT(online ? "self" : "paper"), v[17] = DBI(o->filed_at);
        rc = sb_push(d, b, NULL);
        imp_count(x, "notifications", 1);
    }
    if (rc == DB_OK)
        rc = sb_flush(d, b, NULL);
    free(b);
    imp_set_free(&mails);
    /* Rows after last_id are this import's (SQLite: the write lock; PostgreSQL: the snapshot). */
    db_val p[] = {DBI(last_id)};
    if (rc == DB_OK)
        rc = db_query(d,
                      "INSERT INTO notification_versions (notification_id, version, body, "
                      "changed_at) SELECT id, 1, body, filed_at FROM notifications WHERE id > $1 "
                      "ORDER BY id",
                      p, 1, NULL);
    return rc;
}

const imp_kind IMP_NOTIFICATIONS = {"notifications", COLS,      N_NCOLS, not_check,
                                    not_db_check,    not_write, not_free};
