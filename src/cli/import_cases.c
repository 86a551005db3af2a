/* `nccs import helpdesk` (help-desk tickets with an optional central answer) and `nccs import
 * placements` (historical referrals that ended in a placement: the application and its events
 * referred, hired, placed and the retention checks, every step checked by placement_apply as
 * the live flow checks it). See docs/IMPORT.md. */
#include "cli/import.h"
#include "cli/seed_batch.h"
#include "domain/casework.h"
#include "domain/codes.h"
#include "domain/placement.h"
#include "domain/text.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ==== helpdesk =========================================================================== */

enum {
    H_PREF,
    H_CAT,
    H_SUBJECT,
    H_BODY,
    H_OPENED,
    H_STATUS,
    H_CLOSED,
    H_REPLY,
    H_REPLIED,
    H_NCOLS
};

static const imp_col HCOLS[H_NCOLS] = {
    [H_PREF] = {"都道府県", NULL, "prefecture", true, false},
    [H_CAT] = {"分類", NULL, "category", true, false},
    [H_SUBJECT] = {"件名", NULL, "subject", true, false},
    [H_BODY] = {"内容", NULL, "description", true, true},
    [H_OPENED] = {"受付日時", "受付日", "opened_at", true, false},
    [H_STATUS] = {"状態", NULL, "status", true, false},
    [H_CLOSED] = {"完了日", "完了日時", "closed_at", false, false},
    [H_REPLY] = {"回答", NULL, "reply", false, true},
    [H_REPLIED] = {"回答日時", "回答日", "replied_at", false, false},
};

static const vfield TICKET_SPEC[] = {
    {.name = "subject", .label = "件名", .kind = VK_TEXT, .required = true, .max = 100},
    {.name = "description", .label = "内容", .kind = VK_MULTILINE, .required = true, .max = 4000},
    {.name = "reply", .label = "回答", .kind = VK_MULTILINE, .max = 4000},
    {.name = NULL}};
static const imp_fieldmap TICKET_MAP[] = {
    {"subject", H_SUBJECT}, {"description", H_BODY}, {"reply", H_REPLY}, {NULL, 0}};

typedef struct hd_rec {
    size_t ri;
    const char *pref, *category, *status, *subject, *description, *reply;
    int64_t opened_at, closed_at, replied_at; /* 0 = none */
} hd_rec;

typedef struct hd_state {
    hd_rec *recs;
    size_t n;
    imp_dict cats, statuses;
    imp_set seen;
} hd_state;

static void hd_free(imp *x)
{
    hd_state *s = x->state;
    if (!s)
        return;
    free(s->recs);
    imp_dict_free(&s->cats);
    imp_dict_free(&s->statuses);
    imp_set_free(&s->seen);
    free(s);
    x->state = NULL;
}

static int hd_check(imp *x)
{
    hd_state *s = calloc(1, sizeof *s);
    if (!s)
        return DB_ERROR;
    x->state = s;
    imp_dict_init(&s->cats);
    imp_dict_init(&s->statuses);
    s->recs = calloc(x->sh->nrows, sizeof *s->recs);
    if (!s->recs || imp_dict_codes(&s->cats, HELPDESK_CATEGORIES) ||
        imp_dict_codes(&s->statuses, HELPDESK_STATUSES) ||
        imp_dict_add(&s->statuses, "未回答", "open") ||
        imp_dict_add(&s->statuses, "回答済", "answered") ||
        imp_dict_add(&s->statuses, "対応済", "closed"))
        return DB_ERROR;
    for (size_t ri = 1; ri < x->sh->nrows; ri++) {
        imp_row_begin(x, ri);
        hd_rec *h = &s->recs[s->n++];
        memset(h, 0, sizeof *h);
        h->ri = ri;
        imp_get_code(x, H_PREF, true, &x->prefs, &h->pref);
        imp_get_code(x, H_CAT, true, &s->cats, &h->category);
        imp_get_code(x, H_STATUS, true, &s->statuses, &h->status);
        json_t *b = json_object();
        const char *v;
        if ((v = imp_cell(x, H_SUBJECT)) && *v)
            json_object_set_new(b, "subject", json_string(v));
        else if (v)
            imp_err(x, H_SUBJECT, "missing", "件名を入力してください");
        if ((v = imp_cell(x, H_BODY)) && *v)
            json_object_set_new(b, "description", json_string(v));
        else if (v)
            imp_err(x, H_BODY, "missing", "内容を入力してください");
        if ((v = imp_cell(x, H_REPLY)) && *v)
            json_object_set_new(b, "reply", json_string(v));
        verrs e = {.n = 0};
        validate_object(b, TICKET_SPEC, "", "", &e);
        for (int i = 0; i < e.n; i++) /* "missing" was reported above, with the column */
            if (strstr(e.items[i].code, ".missing"))
                e.items[i].code[0] = '\0';
        verrs keep = {.n = 0};
        for (int i = 0; i < e.n; i++)
            if (e.items[i].code[0])
                verrs_add(&keep, e.items[i].field, e.items[i].code, e.items[i].message);
        imp_err_verrs(x, ri, &keep, TICKET_MAP);
        h->subject = imp_str(x, vstr(b, "subject"));
        h->description = imp_str(x, vstr(b, "description"));
        h->reply = imp_str(x, vstr(b, "reply"));
        json_decref(b);

        int ro = imp_get_datetime(x, H_OPENED, true, &h->opened_at);
        int rc = imp_get_datetime(x, H_CLOSED, false, &h->closed_at);
        int rr = imp_get_datetime(x, H_REPLIED, false, &h->replied_at);
        if (rc != 1)
            h->closed_at = 0;
        if (rr != 1)
            h->replied_at = 0;
        bool closed = h->status && !strcmp(h->status, "closed");
        if (h->status && closed && rc == 0)
            imp_err(x, H_CLOSED, "missing", "状態が完了の場合は完了日を入力してください");
        if (h->status && !closed && rc == 1)
            imp_err(x, H_CLOSED, "not_allowed", "完了日は状態が完了の場合だけ入力します");
        if (ro == 1 && rc == 1 && h->closed_at < h->opened_at)
            imp_err(x, H_CLOSED, "out_of_range", "完了日が受付日時より前になっています");
        bool has_reply = h->reply != NULL;
        if (has_reply && rr == 0)
            imp_err(x, H_REPLIED, "missing", "回答を入力した場合は回答日時も入力してください");
        if (!has_reply && rr == 1 && imp_cell(x, H_REPLY))
            imp_err(x, H_REPLY, "missing", "回答日時を入力した場合は回答も入力してください");
        if (ro == 1 && rr == 1 && h->replied_at < h->opened_at)
            imp_err(x, H_REPLIED, "out_of_range", "回答日時が受付日時より前になっています");
        if (rc == 1 && rr == 1 && h->replied_at > h->closed_at)
            imp_err(x, H_REPLIED, "out_of_range", "回答日時が完了日より後になっています");
        /* the answer is what makes a ticket "answered"; an open one has none */
        if (h->status && !strcmp(h->status, "answered") && !has_reply && imp_cell(x, H_REPLY))
            imp_err(x, H_REPLY, "missing", "状態が回答済みの場合は回答を入力してください");
        if (h->status && !strcmp(h->status, "open") && has_reply)
            imp_err(x, H_STATUS, "invalid",
                    "回答がある問い合わせの状態は回答済みまたは完了です（回答待ちにはできません）");
        if (!imp_row_bad(x, ri)) {
            char key[512];
            size_t old;
            snprintf(key, sizeof key, "%s|%lld|%s", h->pref, (long long)h->opened_at, h->subject);
            if (imp_set_put(x, &s->seen, key, ri, &old) == 1) {
                char msg[160];
                snprintf(msg, sizeof msg,
                         "同じ都道府県・受付日時・件名の問い合わせが%d行目にもあります",
                         x->sh->rows[old].line);
                imp_err(x, H_SUBJECT, "duplicate", msg);
            }
        }
        imp_row_end(x);
    }
    return DB_OK;
}

static int hd_db_check(db *d, imp *x)
{
    hd_state *s = x->state;
    int rc = DB_OK;
    for (size_t i = 0; rc == DB_OK && i < s->n; i++) {
        hd_rec *h = &s->recs[i];
        if (imp_row_bad(x, h->ri))
            continue;
        db_val p[] = {DBT(h->pref), DBI(h->opened_at), DBT(h->subject)};
        int64_t n = 0;
        rc = db_scalar(d,
                       "SELECT COUNT(*) FROM helpdesk_tickets WHERE prefecture_code = $1 AND "
                       "opened_at = $2 AND subject = $3",
                       p, 3, &n);
        if (rc == DB_OK && n)
            imp_err_at(x, h->ri, H_SUBJECT, "subject.duplicate",
                       "同じ都道府県・受付日時・件名の問い合わせが既に登録されています");
    }
    return rc;
}

static char TICKET_SQL[4096], REPLY_SQL[4096];

/* The key of a ticket: prefecture, opening time and subject (unique: checked). */
static void hd_key(const char *pref, const char *opened, const char *subject, char *out, size_t cap)
{
    snprintf(out, cap, "%s|%s|%s", pref, opened, subject);
}

/* Writes the tickets (imported = 1, no opener) and the central answers (no author account), in
 * multi-row INSERTs (seed_batch.h); ticket ids are matched back by their key. */
static int hd_write(db *d, imp *x)
{
    hd_state *s = x->state;
    imp_count(x, "tickets", 0);
    imp_count(x, "replies", 0);
    sbatch *b = malloc(sizeof *b);
    imp_set keys = {0};
    int64_t *ids = calloc(s->n + 1, sizeof *ids);
    int rc = b && ids ? DB_OK : DB_ERROR;
    for (size_t i = 0; rc == DB_OK && i < s->n; i++) {
        hd_rec *h = &s->recs[i];
        char key[512], at[24];
        size_t old;
        snprintf(at, sizeof at, "%lld", (long long)h->opened_at);
        hd_key(h->pref, at, h->subject, key, sizeof key);
        if (imp_set_put(x, &keys, key, i, &old) != 0)
            rc = DB_ERROR;
    }
    if (rc == DB_OK)
        rc = sb_init(d, b,
                     "INSERT INTO helpdesk_tickets (prefecture_code, category, subject, "
                     "description, status, opened_at, closed_at, updated_at, imported) VALUES ",
                     " RETURNING id, prefecture_code, opened_at, subject", 9, TICKET_SQL,
                     sizeof TICKET_SQL);
    for (size_t i = 0; rc == DB_OK && i <= s->n; i++) {
        db_res *r = NULL;
        if (i == s->n) {
            rc = sb_flush(d, b, &r);
        } else {
            const hd_rec *h = &s->recs[i];
            int64_t updated = h->opened_at;
            if (h->replied_at > updated)
                updated = h->replied_at;
            if (h->closed_at > updated)
                updated = h->closed_at;
            db_val *v = sb_row(b);
            v[0] = DBT(h->pref), v[1] = DBT(h->category), v[2] = DBT(h->subject);
            v[3] = DBT(h->description), v[4] = DBT(h->status), v[5] = DBI(h->opened_at);
            v[6] = h->closed_at ? DBI(h->closed_at) : DBNULL, v[7] = DBI(updated), v[8] = DBI(1);
            rc = sb_push(d, b, &r);
            imp_count(x, "tickets", 1);
        }
        for (int k = 0; rc == DB_OK && r && k < r->nrows; k++) {
            char key[512];
            size_t j;
            hd_key(db_text(r, k, 1), db_text(r, k, 2), db_text(r, k, 3), key, sizeof key);
            if (!imp_set_get(&keys, key, &j))
                rc = DB_ERROR;
            else
                ids[j] = db_int(r, k, 0);
        }
        db_res_free(r);
    }
    if (rc == DB_OK)
        rc =
            sb_init(d, b, "INSERT INTO helpdesk_replies (ticket_id, author_kind, body, at) VALUES ",
                    "", 4, REPLY_SQL, sizeof REPLY_SQL);
    for (size_t i = 0; rc == DB_OK && i < s->n; i++) {
        const hd_rec *h = &s->recs[i];
        if (!h->reply)
            continue;
        db_val *v = sb_row(b);
        v[0] = DBI(ids[i]), v[1] = DBT("central"), v[2] = DBT(h->reply), v[3] = DBI(h->replied_at);
        rc = ids[i] ? sb_push(d, b, NULL) : DB_ERROR;
        imp_count(x, "replies", 1);
    }
    if (rc == DB_OK)
        rc = sb_flush(d, b, NULL);
    free(b);
    free(ids);
    imp_set_free(&keys);
    return rc;
}

const imp_kind IMP_HELPDESK = {"helpdesk",  HCOLS,    H_NCOLS, hd_check,
                               hd_db_check, hd_write, hd_free};

/* ==== placements ========================================================================= */

enum {
    P_LIC_TYPE,
    P_LIC_NO,
    P_OFFER_NO,
    P_PREF,
    P_REFERRED,
    P_REF_NO,
    P_DECIDED,
    P_START,
    P_EMP,
    P_PERMANENT,
    P_LEFT6,
    P_LEFT,
    P_NCOLS
};

static const imp_col PCOLS[P_NCOLS] = {
    [P_LIC_TYPE] = {"免許種別", NULL, "licence.type", true, false},
    [P_LIC_NO] = {"免許番号", "籍登録番号", "licence.number", true, false},
    [P_OFFER_NO] = {"求人番号", NULL, "offer_no", true, false},
    [P_PREF] = {"取扱都道府県", NULL, "prefecture", false, false},
    [P_REFERRED] = {"紹介日", NULL, "referred_on", true, false},
    [P_REF_NO] = {"紹介番号", NULL, "referral_no", false, false},
    [P_DECIDED] = {"採否決定日", NULL, "decided_on", true, false},
    [P_START] = {"就職日", NULL, "start_date", true, false},
    [P_EMP] = {"雇用形態", NULL, "employment_form", true, false},
    [P_PERMANENT] = {"無期雇用", "常用", "permanent", true, false},
    [P_LEFT6] = {"6か月以内離職", "6ヶ月以内離職", "left_within_6m", false, false},
    [P_LEFT] = {"離職日", NULL, "left_date", false, false},
};

typedef struct pl_rec {
    size_t ri;
    const char *lic_type, *lic_no, *offer_no, *pref_given, *ref_no_given;
    imp_case c; /* the dates and the outcome, and the steps they make */
    /* phase 2 */
    int64_t seeker_id, offer_id, facility_id, offer_version;
    char pref[3];
    char ref_no[16];
    int64_t app_id; /* write: the new applications row */
} pl_rec;

typedef struct pl_state {
    pl_rec *recs;
    size_t n;
    imp_dict yesno, left6;
    imp_set seen, ref_seen;
} pl_state;

static void pl_free(imp *x)
{
    pl_state *s = x->state;
    if (!s)
        return;
    free(s->recs);
    imp_dict_free(&s->yesno);
    imp_dict_free(&s->left6);
    imp_set_free(&s->seen);
    imp_set_free(&s->ref_seen);
    free(s);
    x->state = NULL;
}

/* The steps of a finished placement as the live flow records them: request and referral on
 * the referral day, hire on the decision day, placement on the start day, then every retention
 * check due by today (still employed, "left" at the leaving day, or unreachable when whether
 * the nurse stayed is unknown). Each step is checked by placement_apply; returns NULL or the
 * error code of the first refused step. */
const char *imp_case_plan(imp_case *p, const char *today)
{
    static const placement_action CHECKS[3] = {PL_ACT_CHECK_1M, PL_ACT_CHECK_3M, PL_ACT_CHECK_6M};
    placement_retention_due(p->start, &p->due);
    const char *dues[3] = {p->due.m1, p->due.m3, p->due.m6};
    int64_t t_ref = imp_jst_midnight(p->referred), t_dec = imp_jst_midnight(p->decided),
            t_start = imp_jst_midnight(p->start);
    p->nsteps = 0;
    p->step[p->nsteps++] = (imp_case_step){PL_ACT_REQUEST, PL_ACTOR_NURSE, t_ref, 0, NULL};
    p->step[p->nsteps++] = (imp_case_step){PL_ACT_REFER, PL_ACTOR_COUNSELOR, t_ref, 0, NULL};
    p->step[p->nsteps++] = (imp_case_step){PL_ACT_HIRE, PL_ACTOR_FACILITY, t_dec, 0, NULL};
    p->step[p->nsteps++] = (imp_case_step){PL_ACT_PLACE, PL_ACTOR_FACILITY, t_start, 0, NULL};
    p->left_within_6m = -1;
    for (int k = 0; k < 3; k++)
        p->check[k] = NULL;
    for (int k = 0; k < 3; k++) {
        if (p->left[0] && (date_cmp(p->left, dues[k]) < 0 || k == 2)) {
            p->step[p->nsteps++] = (imp_case_step){
                CHECKS[k], PL_ACTOR_COUNSELOR, imp_jst_midnight(p->left), PL_CHECK_LEFT, p->left};
            p->check[k] = "left";
            p->left_within_6m = placement_left_within_6m(p->start, p->left);
            break;
        }
        if (date_cmp(dues[k], today) > 0)
            break; /* not due yet: the case stays open */
        placement_check_result r =
            p->left6 < 0 && !p->left[0] ? PL_CHECK_UNREACHABLE : PL_CHECK_STILL_EMPLOYED;
        p->step[p->nsteps++] =
            (imp_case_step){CHECKS[k], PL_ACTOR_COUNSELOR, imp_jst_midnight(dues[k]), r, NULL};
        p->check[k] = placement_check_result_name(r);
        if (k == 2 && r == PL_CHECK_STILL_EMPLOYED)
            p->left_within_6m = 0;
    }
    placement_state st = PL_ST_NONE;
    for (int i = 0; i < p->nsteps; i++) {
        imp_case_step *e = &p->step[i];
        placement_input in;
        placement_input_init(&in);
        char day[11];
        time_jst_date(e->at, day, sizeof day);
        if (e->act == PL_ACT_PLACE || placement_check_months(e->act))
            in.start_date = p->start;
        if (e->act == PL_ACT_PLACE) {
            in.employment_form = (offer_employment_form)(code_index(EMPLOYMENT_FORMS, p->emp) + 1);
            in.permanent = p->permanent ? OFFER_YES : OFFER_NO;
        }
        in.result = e->result;
        in.left_date = e->left_date;
        in.today = day;
        placement_state to;
        const char *err = NULL;
        if (placement_apply(st, e->act, e->who, &in, &to, &err) != PL_OK)
            return err;
        st = to;
    }
    p->final = st;
    return NULL;
}

static int fy_of_date(const char *date)
{
    int y, m, d;
    date_parse(date, &y, &m, &d);
    return fiscal_year(y, m);
}

static int pl_check(imp *x)
{
    pl_state *s = calloc(1, sizeof *s);
    if (!s)
        return DB_ERROR;
    x->state = s;
    imp_dict_init(&s->yesno);
    imp_dict_init(&s->left6);
    static const char *const YESNO[][2] = {
        {"1", "1"},    {"0", "0"},    {"はい", "1"}, {"いいえ", "0"}, {"無期", "1"},
        {"有期", "0"}, {"常用", "1"}, {"臨時", "0"}, {"true", "1"},   {"false", "0"}};
    static const char *const LEFT6[][2] = {{"1", "1"},      {"0", "0"},    {"はい", "1"},
                                           {"いいえ", "0"}, {"あり", "1"}, {"なし", "0"},
                                           {"不明", "-1"}};
    int bad = 0;
    for (size_t i = 0; i < sizeof YESNO / sizeof YESNO[0]; i++)
        bad |= imp_dict_add(&s->yesno, YESNO[i][0], YESNO[i][1]);
    for (size_t i = 0; i < sizeof LEFT6 / sizeof LEFT6[0]; i++)
        bad |= imp_dict_add(&s->left6, LEFT6[i][0], LEFT6[i][1]);
    s->recs = calloc(x->sh->nrows, sizeof *s->recs);
    if (bad || !s->recs)
        return DB_ERROR;
    for (size_t ri = 1; ri < x->sh->nrows; ri++) {
        imp_row_begin(x, ri);
        pl_rec *p = &s->recs[s->n++];
        memset(p, 0, sizeof *p);
        p->ri = ri;
        p->c.left6 = -1;
        imp_get_code(x, P_LIC_TYPE, true, &x->licences, &p->lic_type);
        const char *v = imp_cell(x, P_LIC_NO);
        char digits[16];
        if (v && !*v)
            imp_err(x, P_LIC_NO, "missing", "免許番号を入力してください");
        else if (v && (text_digits_only(v, digits, sizeof digits) < 1 || strlen(digits) > 10))
            imp_err(x, P_LIC_NO, "invalid", "免許番号は1〜10桁の数字で入力してください");
        else if (v)
            p->lic_no = imp_str(x, digits);
        v = imp_cell(x, P_OFFER_NO);
        if (v && !*v)
            imp_err(x, P_OFFER_NO, "missing", "求人番号を入力してください");
        else if (v && strlen(v) > 32)
            imp_err(x, P_OFFER_NO, "invalid", "求人番号が長すぎます");
        else if (v)
            p->offer_no = imp_str(x, v);
        imp_get_code(x, P_PREF, false, &x->prefs, &p->pref_given);
        imp_get_code(x, P_EMP, true, &x->emp_forms, &p->c.emp);
        const char *yn = NULL;
        if (imp_get_code(x, P_PERMANENT, true, &s->yesno, &yn) == 1)
            p->c.permanent = yn[0] == '1';
        const char *l6 = NULL;
        if (imp_get_code(x, P_LEFT6, false, &s->left6, &l6) == 1)
            p->c.left6 = l6[0] == '1' ? 1 : l6[0] == '0' ? 0 : -1;
        int r1 = imp_get_past_date(x, P_REFERRED, true, p->c.referred, sizeof p->c.referred);
        int r2 = imp_get_past_date(x, P_DECIDED, true, p->c.decided, sizeof p->c.decided);
        int r3 = imp_get_past_date(x, P_START, true, p->c.start, sizeof p->c.start);
        int r4 = imp_get_past_date(x, P_LEFT, false, p->c.left, sizeof p->c.left);
        if (r4 != 1)
            p->c.left[0] = '\0';
        if (r1 == 1 && r2 == 1 && date_cmp(p->c.decided, p->c.referred) < 0)
            imp_err(x, P_DECIDED, "out_of_range", "採否決定日が紹介日より前になっています");
        if (r2 == 1 && r3 == 1 && date_cmp(p->c.start, p->c.decided) < 0)
            imp_err(x, P_START, "out_of_range", "就職日が採否決定日より前になっています");
        if (r3 == 1 && r4 == 1 && date_cmp(p->c.left, p->c.start) < 0)
            imp_err(x, P_LEFT, "out_of_range", "離職日が就職日より前になっています");
        if (r3 == 1 && r4 == 1) {
            int w = placement_left_within_6m(p->c.start, p->c.left);
            if (p->c.left6 >= 0 && w >= 0 && p->c.left6 != w)
                imp_err(x, P_LEFT6, "inconsistent",
                        w ? "離職日は就職後6か月以内です（6か月以内離職は1）"
                          : "離職日は就職後6か月より後です（6か月以内離職は0）");
        }
        if (p->c.left6 == 1 && r4 == 0)
            imp_err(x, P_LEFT, "missing", "6か月以内に離職した場合は離職日を入力してください");
        v = imp_cell(x, P_REF_NO);
        if (v && *v) {
            bool ok = strlen(v) == 14 && v[2] == '-' && v[7] == '-';
            for (int i = 0; ok && i < 14; i++)
                if (i != 2 && i != 7 && (v[i] < '0' || v[i] > '9'))
                    ok = false;
            int fy = r1 == 1 ? fy_of_date(p->c.referred) : 0;
            char fys[8];
            snprintf(fys, sizeof fys, "%04d", fy);
            if (!ok || !strcmp(v + 8, "000000"))
                imp_err(x, P_REF_NO, "invalid",
                        "紹介番号は「都道府県コード-年度-6桁の番号」（例: 36-2013-000045）で入力"
                        "してください");
            else if (fy && strncmp(v + 3, fys, 4) != 0)
                imp_err(x, P_REF_NO, "invalid", "紹介番号の年度が紹介日の年度と一致しません");
            else {
                size_t old;
                if (imp_set_put(x, &s->ref_seen, v, ri, &old) == 1) {
                    char msg[160];
                    snprintf(msg, sizeof msg, "同じ紹介番号が%d行目にもあります",
                             x->sh->rows[old].line);
                    imp_err(x, P_REF_NO, "duplicate", msg);
                }
                p->ref_no_given = imp_str(x, v);
            }
        }
        if (!imp_row_bad(x, ri)) {
            const char *err = imp_case_plan(&p->c, x->today);
            if (err) {
                char code[96];
                snprintf(code, sizeof code, "%s", err);
                imp_err_at(x, ri, -1, code, placement_error_message(err));
            }
        }
        if (!imp_row_bad(x, ri)) {
            char key[160];
            size_t old;
            snprintf(key, sizeof key, "%s:%s|%s|%s", p->lic_type, p->lic_no, p->offer_no,
                     p->c.referred);
            if (imp_set_put(x, &s->seen, key, ri, &old) == 1) {
                char msg[160];
                snprintf(msg, sizeof msg, "同じ求職者・求人・紹介日の紹介が%d行目にもあります",
                         x->sh->rows[old].line);
                imp_err(x, P_OFFER_NO, "duplicate", msg);
            }
        }
        imp_row_end(x);
    }
    return DB_OK;
}

/* The seeker holding the licence (the survivor of a merge): DB_OK with *uid (0 when none or
 * ambiguous: *ambiguous), its profile's prefecture and registration day ("" when it has none). */
static int seeker_of(db *d, const pl_rec *p, int64_t *uid, bool *ambiguous, char *pref,
                     char *reg_day)
{
    db_val q[] = {DBT(p->lic_type), DBT(p->lic_no)};
    db_res *r = NULL;
    int rc = db_query(d,
                      "SELECT DISTINCT COALESCE(u.merged_into, u.id) FROM licences l JOIN users u "
                      "ON u.id = l.user_id WHERE l.type = $1 AND l.number = $2",
                      q, 2, &r);
    *uid = 0;
    *ambiguous = false;
    pref[0] = reg_day[0] = '\0';
    if (rc == DB_OK && r->nrows > 1)
        *ambiguous = true;
    else if (rc == DB_OK && r->nrows == 1)
        *uid = db_int(r, 0, 0);
    db_res_free(r);
    if (rc != DB_OK || !*uid)
        return rc;
    db_val s[] = {DBI(*uid)};
    rc = db_query(d,
                  "SELECT s.prefecture_code, s.created_at FROM seekers s JOIN users u ON u.id = "
                  "s.user_id WHERE s.user_id = $1 AND u.role = 'seeker'",
                  s, 1, &r);
    if (rc == DB_OK && r->nrows) {
        str_copy(pref, 3, db_text(r, 0, 0));
        time_jst_date(db_int(r, 0, 1), reg_day, 11);
    }
    db_res_free(r);
    return rc;
}

static int pl_db_check(db *d, imp *x)
{
    pl_state *s = x->state;
    imp_set open_pairs = {0};
    int rc = DB_OK;
    for (size_t i = 0; rc == DB_OK && i < s->n; i++) {
        pl_rec *p = &s->recs[i];
        p->seeker_id = p->offer_id = 0;
        if (imp_row_bad(x, p->ri))
            continue;
        bool ambiguous;
        char spref[3], reg_day[11];
        rc = seeker_of(d, p, &p->seeker_id, &ambiguous, spref, reg_day);
        if (rc != DB_OK)
            break;
        if (ambiguous) {
            imp_err_at(x, p->ri, P_LIC_NO, "licence.ambiguous",
                       "この免許を持つ記録が複数あります（重複を統合してから取り込んでください）");
            continue;
        }
        if (!p->seeker_id || !spref[0]) {
            imp_err_at(x, p->ri, P_LIC_NO, "licence.not_found",
                       p->seeker_id ? "この免許の看護職は求職者として登録されていません（先に "
                                      "accounts で取り込んでください）"
                                    : "この免許の求職者が見つかりません（先に accounts で取り込"
                                      "んでください）");
            continue;
        }
        if (date_cmp(reg_day, p->c.referred) > 0)
            imp_err_at(x, p->ri, P_REFERRED, "referred_on.before_registration",
                       "紹介日が求職者の登録日より前になっています");
        db_val q[] = {DBT(p->offer_no)};
        db_res *r = NULL;
        rc = db_query(d,
                      "SELECT id, facility_id, version, published_at FROM offers WHERE offer_no = "
                      "$1",
                      q, 1, &r);
        if (rc != DB_OK)
            break;
        if (r->nrows == 0 || db_isnull(r, 0, 3)) {
            imp_err_at(x, p->ri, P_OFFER_NO, "offer_no.not_found",
                       "この求人番号の公開された求人票が見つかりません（先に offers で取り込んでく"
                       "ださい）");
        } else {
            char pday[11];
            time_jst_date(db_int(r, 0, 3), pday, sizeof pday);
            if (date_cmp(pday, p->c.referred) > 0)
                imp_err_at(x, p->ri, P_REFERRED, "referred_on.before_publication",
                           "紹介日が求人票の公開日より前になっています");
            p->offer_id = db_int(r, 0, 0);
            p->facility_id = db_int(r, 0, 1);
            p->offer_version = db_int(r, 0, 2);
        }
        db_res_free(r);
        str_copy(p->pref, sizeof p->pref, p->pref_given ? p->pref_given : spref);
        if (p->ref_no_given) {
            int64_t n = 0;
            db_val rq[] = {DBT(p->ref_no_given)};
            if (strncmp(p->ref_no_given, p->pref, 2) != 0)
                imp_err_at(x, p->ri, P_REF_NO, "referral_no.invalid",
                           "紹介番号の都道府県コードが取扱都道府県と一致しません");
            rc =
                db_scalar(d, "SELECT COUNT(*) FROM applications WHERE referral_no = $1", rq, 1, &n);
            if (rc == DB_OK && n)
                imp_err_at(x, p->ri, P_REF_NO, "referral_no.duplicate",
                           "この紹介番号は既に使われています");
        }
        /* a case the retention checks keep open: at most one open case per nurse and offer */
        if (rc == DB_OK && p->offer_id && !placement_state_is_terminal(p->c.final)) {
            char key[64];
            size_t old;
            int64_t n = 0;
            snprintf(key, sizeof key, "%lld:%lld", (long long)p->seeker_id, (long long)p->offer_id);
            db_val oq[] = {DBI(p->seeker_id), DBI(p->offer_id)};
            rc = db_scalar(d,
                           "SELECT COUNT(*) FROM applications WHERE seeker_user_id = $1 AND "
                           "offer_id = $2 AND is_open = 1",
                           oq, 2, &n);
            if (rc == DB_OK && (n || imp_set_put(x, &open_pairs, key, i, &old) == 1))
                imp_err_at(x, p->ri, P_OFFER_NO, "offer_no.open_case",
                           "この求職者にはこの求人の進行中の紹介が既にあります");
        }
    }
    imp_set_free(&open_pairs);
    return rc;
}

/* The detail of step e as the API writes it (api/applications.c event_detail). malloc'd. */
static char *step_detail(const pl_rec *p, const imp_case_step *e)
{
    json_t *o = json_object();
    switch (e->act) {
    case PL_ACT_REQUEST:
        json_object_set_new(o, "offer_id", json_integer(p->offer_id));
        break;
    case PL_ACT_REFER:
        json_object_set_new(o, "referral_no", json_string(p->ref_no));
        json_object_set_new(o, "offer_version", json_integer(p->offer_version));
        break;
    case PL_ACT_PLACE:
        json_object_set_new(o, "start_date", json_string(p->c.start));
        json_object_set_new(o, "employment_form", json_string(p->c.emp));
        json_object_set_new(o, "permanent", json_boolean(p->c.permanent));
        break;
    case PL_ACT_CHECK_1M:
    case PL_ACT_CHECK_3M:
    case PL_ACT_CHECK_6M:
        json_object_set_new(o, "result", json_string(placement_check_result_name(e->result)));
        if (e->left_date)
            json_object_set_new(o, "left_date", json_string(e->left_date));
        break;
    default:
        break;
    }
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

static db_val opt_text(const char *s)
{
    return DBT(s && *s ? s : NULL);
}

static char APP_SQL[8192], EVENT_SQL[4096];

/* Writes the cases as the live flow leaves them, in multi-row INSERTs (seed_batch.h):
 * referral numbers as store_referral_no gives them (given ones first), the applications (ids
 * matched back by referral number), then every step as an application_events row with the
 * action, states, actor kind (no actor account: not known) and detail the API records. */
static int pl_write(db *d, imp *x)
{
    pl_state *s = x->state;
    imp_count(x, "applications", 0);
    imp_count(x, "events", 0);
    imp_numbers nb = {.kind = IMP_NO_REFERRAL};
    imp_set nos = {0};
    int rc = DB_OK;
    for (size_t i = 0; rc == DB_OK && i < s->n; i++) {
        pl_rec *p = &s->recs[i];
        p->app_id = 0;
        if (p->ref_no_given) {
            str_copy(p->ref_no, sizeof p->ref_no, p->ref_no_given);
            rc = imp_numbers_given(x, d, &nb, p->ref_no_given);
        }
    }
    for (size_t i = 0; rc == DB_OK && i < s->n; i++) {
        pl_rec *p = &s->recs[i];
        size_t old;
        if (!p->ref_no_given)
            rc = imp_numbers_take(x, d, &nb, p->pref, fy_of_date(p->c.referred), p->ref_no,
                                  sizeof p->ref_no);
        if (rc == DB_OK && imp_set_put(x, &nos, p->ref_no, i, &old) != 0)
            rc = DB_ERROR;
    }
    if (rc == DB_OK)
        rc = imp_numbers_save(d, &nb);
    imp_numbers_free(&nb);
    sbatch *b = malloc(sizeof *b);
    if (rc == DB_OK)
        rc = b ? sb_init(d, b,
                         "INSERT INTO applications (seeker_user_id, offer_id, facility_id, "
                         "prefecture_code, state, origin, is_open, referral_no, referred_at, "
                         "offer_version, decided_at, start_date, employment_form, permanent, "
                         "due_1m, due_3m, due_6m, check_1m, check_3m, check_6m, left_date, "
                         "left_within_6m, created_at, updated_at, closed_at) VALUES ",
                         " RETURNING id, referral_no", 25, APP_SQL, sizeof APP_SQL)
               : DB_ERROR;
    for (size_t i = 0; rc == DB_OK && i <= s->n; i++) {
        db_res *r = NULL;
        if (i == s->n) {
            rc = sb_flush(d, b, &r);
        } else {
            const pl_rec *p = &s->recs[i];
            bool open = !placement_state_is_terminal(p->c.final);
            int64_t last = p->c.step[p->c.nsteps - 1].at;
            const char *left = NULL;
            for (int k = 0; k < 3; k++)
                if (p->c.check[k] && !strcmp(p->c.check[k], "left"))
                    left = p->c.left;
            db_val *v = sb_row(b);
            v[0] = DBI(p->seeker_id), v[1] = DBI(p->offer_id), v[2] = DBI(p->facility_id);
            v[3] = DBT(p->pref), v[4] = DBT(placement_state_name(p->c.final)),
            v[5] = DBT("request");
            v[6] = DBI(open ? 1 : 0), v[7] = DBT(p->ref_no), v[8] = DBI(p->c.step[1].at);
            v[9] = DBI(p->offer_version), v[10] = DBI(p->c.step[2].at), v[11] = DBT(p->c.start);
            v[12] = DBT(p->c.emp), v[13] = DBI(p->c.permanent), v[14] = DBT(p->c.due.m1);
            v[15] = DBT(p->c.due.m3), v[16] = DBT(p->c.due.m6), v[17] = opt_text(p->c.check[0]);
            v[18] = opt_text(p->c.check[1]), v[19] = opt_text(p->c.check[2]),
            v[20] = opt_text(left);
            v[21] = p->c.left_within_6m >= 0 ? DBI(p->c.left_within_6m) : DBNULL;
            v[22] = DBI(p->c.step[0].at), v[23] = DBI(last), v[24] = open ? DBNULL : DBI(last);
            rc = sb_push(d, b, &r);
            imp_count(x, "applications", 1);
        }
        for (int k = 0; rc == DB_OK && r && k < r->nrows; k++) {
            size_t j;
            if (!imp_set_get(&nos, db_text(r, k, 1), &j))
                rc = DB_ERROR;
            else
                s->recs[j].app_id = db_int(r, k, 0);
        }
        db_res_free(r);
    }
    if (rc == DB_OK)
        rc = sb_init(d, b,
                     "INSERT INTO application_events (application_id, at, actor_kind, action, "
                     "from_state, to_state, detail) VALUES ",
                     "", 7, EVENT_SQL, sizeof EVENT_SQL);
    for (size_t i = 0; rc == DB_OK && i < s->n; i++) {
        const pl_rec *p = &s->recs[i];
        placement_state st = PL_ST_NONE;
        for (int k = 0; rc == DB_OK && k < p->c.nsteps; k++) {
            const imp_case_step *e = &p->c.step[k];
            placement_state to = PL_ST_NONE;
            placement_allowed(st, e->act, &to);
            if (e->result == PL_CHECK_LEFT)
                to = PL_ST_CLOSED;
            char *detail = step_detail(p, e);
            if (!detail || !p->app_id) {
                free(detail);
                rc = DB_ERROR;
                break;
            }
            db_val *v = sb_row(b);
            v[0] = DBI(p->app_id), v[1] = DBI(e->at), v[2] = DBT(placement_actor_name(e->who));
            v[3] = DBT(placement_action_name(e->act)), v[4] = DBT(placement_state_name(st));
            v[5] = DBT(placement_state_name(to)), v[6] = DBT(detail);
            sb_own(b, detail);
            rc = sb_push(d, b, NULL);
            imp_count(x, "events", 1);
            st = to;
        }
    }
    if (rc == DB_OK)
        rc = sb_flush(d, b, NULL);
    free(b);
    imp_set_free(&nos);
    return rc;
}

const imp_kind IMP_PLACEMENTS = {"placements", PCOLS,    P_NCOLS, pl_check,
                                 pl_db_check,  pl_write, pl_free};
