/* `nccs import offers`: historical job offers (求人票), all closed: offers (body as the live
 * OfferBody JSON, search/ledger columns as store/offers.c fills them), offer_versions,
 * offer_events created / published / closed, and the offer number counters (docs/IMPORT.md). */
#include "api/offer_json.h"
#include "cli/import.h"
#include "cli/seed_batch.h"
#include "domain/codes.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    O_FAC_NAME,
    O_PREF,
    O_NO,
    O_TITLE,
    O_EMP,
    O_WAGE_TYPE,
    O_WAGE_MIN,
    O_WAGE_MAX,
    O_SHIFTS,
    O_LICENCES,
    O_POSITIONS,
    O_RECEIVED,
    O_PUBLISHED,
    O_CLOSED,
    O_CLOSE_REASON,
    O_NCOLS
};

static const imp_col COLS[O_NCOLS] = {
    [O_FAC_NAME] = {"施設名", NULL, "facility_name", true, false},
    [O_PREF] = {"都道府県", NULL, "prefecture", true, false},
    [O_NO] = {"求人番号", NULL, "offer_no", false, false},
    [O_TITLE] = {"職種", "タイトル", "title", true, false},
    [O_EMP] = {"雇用形態", NULL, "employment_form", true, false},
    [O_WAGE_TYPE] = {"賃金区分", NULL, "wage.type", true, false},
    [O_WAGE_MIN] = {"賃金下限", NULL, "wage.base_min", true, false},
    [O_WAGE_MAX] = {"賃金上限", NULL, "wage.base_max", false, false},
    [O_SHIFTS] = {"勤務形態", NULL, "hours.shift_patterns", false, false},
    [O_LICENCES] = {"応募資格", NULL, "licences", false, false},
    [O_POSITIONS] = {"求人数", NULL, "positions", true, false},
    [O_RECEIVED] = {"受付日", NULL, "created_on", true, false},
    [O_PUBLISHED] = {"公開日", NULL, "published_on", true, false},
    [O_CLOSED] = {"終了日", NULL, "closed_on", true, false},
    [O_CLOSE_REASON] = {"終了理由", NULL, "close_reason", false, false},
};

static const imp_fieldmap BODY_MAP[] = {{"title", O_TITLE},
                                        {"employment_form", O_EMP},
                                        {"wage.type", O_WAGE_TYPE},
                                        {"wage.base_min", O_WAGE_MIN},
                                        {"wage.base_max", O_WAGE_MAX},
                                        {"hours.shift_patterns", O_SHIFTS},
                                        {"licences", O_LICENCES},
                                        {"positions", O_POSITIONS},
                                        {NULL, 0}};

typedef struct off_rec {
    size_t ri;
    const char *fac_name, *pref, *offer_no, *received, *published, *closed;
    const char *title, *emp, *wage_type, *shifts, *licences, *close_reason;
    int64_t wage_min, wage_max, positions; /* wage_max -1 = none */
    /* phase 2 */
    int64_t facility_id;
    const char *muni;     /* the facility's municipality (pool) */
    const char *employer; /* the facility's corporation or name (pool) */
    char no[16];          /* the offer number given or generated */
} off_rec;

typedef struct off_state {
    off_rec *recs;
    size_t n;
    imp_dict wages, reasons;
    imp_set no_seen;
} off_state;

static void off_free(imp *x)
{
    off_state *s = x->state;
    if (!s)
        return;
    free(s->recs);
    imp_dict_free(&s->wages);
    imp_dict_free(&s->reasons);
    imp_set_free(&s->no_seen);
    free(s);
    x->state = NULL;
}

/* "PP-YYYY-NNNNNN": 0 with the parts, else -1. */
static int parse_number(const char *s, char *pref, int *fy, int64_t *seq)
{
    if (strlen(s) != 14 || s[2] != '-' || s[7] != '-')
        return -1;
    for (int i = 0; i < 14; i++)
        if (i != 2 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return -1;
    pref[0] = s[0];
    pref[1] = s[1];
    pref[2] = '\0';
    *fy = (s[3] - '0') * 1000 + (s[4] - '0') * 100 + (s[5] - '0') * 10 + (s[6] - '0');
    int64_t v = 0;
    for (int i = 8; i < 14; i++)
        v = v * 10 + (s[i] - '0');
    *seq = v;
    return 0;
}

static int fy_of(const char *date)
{
    int y, m, d;
    date_parse(date, &y, &m, &d);
    return fiscal_year(y, m);
}

static int off_check(imp *x)
{
    off_state *s = calloc(1, sizeof *s);
    if (!s)
        return DB_ERROR;
    x->state = s;
    imp_dict_init(&s->wages);
    imp_dict_init(&s->reasons);
    static const char *const WAGES[][2] = {
        {"monthly", "monthly"}, {"hourly", "hourly"}, {"daily", "daily"}, {"annual", "annual"},
        {"月給", "monthly"},    {"時給", "hourly"},   {"日給", "daily"},  {"年俸", "annual"}};
    static const char *const REASONS[][2] = {{"filled", "filled"},    {"withdrawn", "withdrawn"},
                                             {"充足", "filled"},      {"採用決定", "filled"},
                                             {"取下げ", "withdrawn"}, {"取り下げ", "withdrawn"}};
    int bad = 0;
    for (size_t i = 0; i < sizeof WAGES / sizeof WAGES[0]; i++)
        bad |= imp_dict_add(&s->wages, WAGES[i][0], WAGES[i][1]);
    for (size_t i = 0; i < sizeof REASONS / sizeof REASONS[0]; i++)
        bad |= imp_dict_add(&s->reasons, REASONS[i][0], REASONS[i][1]);
    s->recs = calloc(x->sh->nrows, sizeof *s->recs);
    if (bad || !s->recs)
        return DB_ERROR;
    for (size_t ri = 1; ri < x->sh->nrows; ri++) {
        imp_row_begin(x, ri);
        off_rec *o = &s->recs[s->n++];
        memset(o, 0, sizeof *o);
        o->ri = ri;
        o->wage_max = -1;
        const char *v = imp_cell(x, O_FAC_NAME);
        if (v && !*v)
            imp_err(x, O_FAC_NAME, "missing", "施設名を入力してください");
        else if (v && str_utf8_len(v) > 100)
            imp_err(x, O_FAC_NAME, "too_long", "施設名は100文字以内で入力してください");
        else if (v)
            o->fac_name = imp_str(x, v);
        imp_get_code(x, O_PREF, true, &x->prefs, &o->pref);
        const char *code = NULL;
        if (imp_get_code(x, O_EMP, true, &x->emp_forms, &code) == 1)
            o->emp = code;
        if (imp_get_code(x, O_WAGE_TYPE, true, &s->wages, &code) == 1)
            o->wage_type = code;
        imp_get_int(x, O_WAGE_MIN, true, 0, 100000000, &o->wage_min);
        if (imp_get_int(x, O_WAGE_MAX, false, 0, 100000000, &o->wage_max) == 1 &&
            o->wage_max < o->wage_min)
            imp_err(x, O_WAGE_MAX, "out_of_range", "賃金上限が賃金下限より小さくなっています");
        imp_get_list(x, O_SHIFTS, &x->shifts, 5, &o->shifts);
        imp_get_list(x, O_LICENCES, &x->licences, 4, &o->licences);
        imp_get_int(x, O_POSITIONS, true, 1, 9999, &o->positions);
        if (imp_get_code(x, O_CLOSE_REASON, false, &s->reasons, &code) == 1)
            o->close_reason = code;
        char rec[16], pub[16], clo[16];
        int r1 = imp_get_past_date(x, O_RECEIVED, true, rec, sizeof rec);
        int r2 = imp_get_past_date(x, O_PUBLISHED, true, pub, sizeof pub);
        int r3 = imp_get_past_date(x, O_CLOSED, true, clo, sizeof clo);
        if (r1 == 1 && r2 == 1 && date_cmp(pub, rec) < 0)
            imp_err(x, O_PUBLISHED, "out_of_range", "公開日が受付日より前になっています");
        if (r2 == 1 && r3 == 1 && date_cmp(clo, pub) < 0)
            imp_err(x, O_CLOSED, "out_of_range", "終了日が公開日より前になっています");
        o->received = r1 == 1 ? imp_str(x, rec) : NULL;
        o->published = r2 == 1 ? imp_str(x, pub) : NULL;
        o->closed = r3 == 1 ? imp_str(x, clo) : NULL;
        /* the title, as the live validator takes it */
        json_t *b = json_object();
        const char *t = imp_cell(x, O_TITLE);
        if (t && *t)
            json_object_set_new(b, "title", json_string(t));
        else if (t)
            imp_err(x, O_TITLE, "missing", "職種（求人票のタイトル）を入力してください");
        verrs e = {.n = 0};
        validate_object(b, OFFER_SPEC, "", "", &e);
        imp_err_verrs(x, ri, &e, BODY_MAP);
        o->title = imp_str(x, vstr(b, "title"));
        json_decref(b);
        /* a given number: PP-YYYY-NNNNNN of the prefecture and the publication's fiscal year */
        const char *no = imp_cell(x, O_NO);
        if (no && *no) {
            char pp[3];
            int fy;
            int64_t seq;
            if (parse_number(no, pp, &fy, &seq) != 0 || seq == 0)
                imp_err(x, O_NO, "invalid",
                        "求人番号は「都道府県コード-年度-6桁の番号」（例: 36-2013-000123）で入力"
                        "してください");
            else if (o->pref && strcmp(pp, o->pref) != 0)
                imp_err(x, O_NO, "invalid", "求人番号の都道府県コードが都道府県と一致しません");
            else if (o->published && fy != fy_of(o->published))
                imp_err(x, O_NO, "invalid", "求人番号の年度が公開日の年度と一致しません");
            else {
                size_t old;
                if (imp_set_put(x, &s->no_seen, no, ri, &old) == 1) {
                    char msg[160];
                    snprintf(msg, sizeof msg, "同じ求人番号が%d行目にもあります",
                             x->sh->rows[old].line);
                    imp_err(x, O_NO, "duplicate", msg);
                }
                o->offer_no = imp_str(x, no);
            }
        }
        imp_row_end(x);
    }
    return DB_OK;
}

static int off_db_check(db *d, imp *x)
{
    off_state *s = x->state;
    int rc = DB_OK;
    for (size_t i = 0; rc == DB_OK && i < s->n; i++) {
        off_rec *o = &s->recs[i];
        o->facility_id = 0;
        if (imp_row_bad(x, o->ri))
            continue;
        db_val p[] = {DBT(o->pref), DBT(o->fac_name)};
        db_res *r = NULL;
        rc = db_query(d,
                      "SELECT id, municipality_code, COALESCE(corporation, name) FROM facilities "
                      "WHERE prefecture_code = $1 AND name = $2 ORDER BY id",
                      p, 2, &r);
        if (rc == DB_OK && r->nrows == 0)
            imp_err_at(
                x, o->ri, O_FAC_NAME, "facility_name.not_found",
                "この都道府県に同じ名前の施設が見つかりません（先に accounts で施設を取り込ん"
                "でください）");
        else if (rc == DB_OK && r->nrows > 1)
            imp_err_at(x, o->ri, O_FAC_NAME, "facility_name.ambiguous",
                       "この都道府県に同じ名前の施設が複数あります");
        else if (rc == DB_OK) {
            o->facility_id = db_int(r, 0, 0);
            o->muni = imp_str(x, db_text(r, 0, 1));
            o->employer = imp_str(x, db_text(r, 0, 2));
        }
        db_res_free(r);
        if (rc == DB_OK && o->offer_no) {
            int64_t n = 0;
            db_val q[] = {DBT(o->offer_no)};
            rc = db_scalar(d, "SELECT COUNT(*) FROM offers WHERE offer_no = $1", q, 1, &n);
            if (rc == DB_OK && n)
                imp_err_at(x, o->ri, O_NO, "offer_no.duplicate",
                           "この求人番号は既に使われています");
        }
    }
    return rc;
}

/* The offer body as the live code stores it (keys sorted, compact), malloc'd. */
static char *body_of(const off_rec *o)
{
    json_t *b = json_object();
    json_object_set_new(b, "title", json_string(o->title));
    json_object_set_new(b, "employer", json_pack("{s:s}", "name", o->employer));
    json_object_set_new(b, "employment_form", json_string(o->emp));
    json_t *w = json_pack("{s:s,s:I}", "type", o->wage_type, "base_min", (json_int_t)o->wage_min);
    if (o->wage_max >= 0)
        json_object_set_new(w, "base_max", json_integer(o->wage_max));
    json_object_set_new(b, "wage", w);
    json_t *shifts = json_loads(o->shifts, 0, NULL);
    if (json_array_size(shifts))
        json_object_set_new(b, "hours", json_pack("{s:O}", "shift_patterns", shifts));
    json_decref(shifts);
    json_t *lics = json_loads(o->licences, 0, NULL);
    if (json_array_size(lics))
        json_object_set(b, "licences", lics);
    json_decref(lics);
    if (o->muni)
        json_object_set_new(b, "workplace", json_pack("{s:s}", "municipality_code", o->muni));
    json_object_set_new(b, "positions", json_integer(o->positions));
    char *s = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(b);
    return s;
}

/* The end of the month after next of a date (the live validity of a publication). */
static void default_valid_until(const char *date, char *out, size_t cap)
{
    int y, m, d;
    date_parse(date, &y, &m, &d);
    m += 2;
    if (m > 12) {
        m -= 12;
        y++;
    }
    snprintf(out, cap, "%04d-%02d-%02d", y, m, days_in_month(y, m));
}

static unsigned mask_of(const char *json_text, const char *const *codes)
{
    json_t *a = json_loads(json_text, 0, NULL);
    unsigned m = 0;
    for (size_t i = 0; i < json_array_size(a); i++) {
        int k = code_index(codes, json_string_value(json_array_get(a, i)));
        if (k >= 0)
            m |= 1u << k;
    }
    json_decref(a);
    return m;
}

static char OFFER_SQL[8192];

/* Writes the offers as the live lifecycle leaves a closed one, in multi-row INSERTs
 * (seed_batch.h): offer numbers as store_offer_publish gives them (given ones first, so that
 * generated ones never meet them), the offers, then their first versions and the events
 * created / published / closed (with the details the live handlers write) from the new rows. */
static int off_write(db *d, imp *x)
{
    off_state *s = x->state;
    imp_count(x, "offers", 0);
    imp_numbers nb = {.kind = IMP_NO_OFFER};
    int64_t last_id = 0;
    int rc = db_scalar(d, "SELECT COALESCE(MAX(id), 0) FROM offers", NULL, 0, &last_id);
    for (size_t i = 0; rc == DB_OK && i < s->n; i++) {
        off_rec *o = &s->recs[i];
        if (o->offer_no) {
            str_copy(o->no, sizeof o->no, o->offer_no);
            rc = imp_numbers_given(x, d, &nb, o->offer_no);
        }
    }
    for (size_t i = 0; rc == DB_OK && i < s->n; i++) {
        off_rec *o = &s->recs[i];
        if (!o->offer_no)
            rc = imp_numbers_take(x, d, &nb, o->pref, fy_of(o->published), o->no, sizeof o->no);
    }
    if (rc == DB_OK)
        rc = imp_numbers_save(d, &nb);
    imp_numbers_free(&nb);
    sbatch *b = malloc(sizeof *b);
    if (rc == DB_OK)
        rc = b ? sb_init(d, b,
                         "INSERT INTO offers (facility_id, status, offer_no, version, body, "
                         "title, prefecture_code, municipality_code, licence_mask, "
                         "employment_form, shift_mask, flag_mask, wage_type, wage_min, "
                         "positions, valid_until, published_at, close_reason, created_at, "
                         "updated_at) VALUES ",
                         "", 20, OFFER_SQL, sizeof OFFER_SQL)
               : DB_ERROR;
    for (size_t i = 0; rc == DB_OK && i < s->n; i++) {
        off_rec *o = &s->recs[i];
        char valid[16];
        default_valid_until(o->published, valid, sizeof valid);
        if (date_cmp(o->closed, valid) > 0) /* open until it closed: extended by the center */
            str_copy(valid, sizeof valid, o->closed);
        char *body = body_of(o);
        if (!body) {
            rc = DB_ERROR;
            break;
        }
        db_val *v = sb_row(b);
        v[0] = DBI(o->facility_id), v[1] = DBT("closed"), v[2] = DBT(o->no), v[3] = DBI(1);
        v[4] = DBT(body), v[5] = DBT(o->title), v[6] = DBT(o->pref), v[7] = DBT(o->muni);
        v[8] = DBI(mask_of(o->licences, LICENCE_CODES)), v[9] = DBT(o->emp);
        v[10] = DBI(mask_of(o->shifts, SHIFT_CODES)), v[11] = DBI(0), v[12] = DBT(o->wage_type);
        v[13] = DBI(o->wage_min), v[14] = DBI(o->positions), v[15] = DBT(sb_str(b, valid));
        v[16] = DBI(imp_jst_midnight(o->published)), v[17] = DBT(o->close_reason);
        v[18] = DBI(imp_jst_midnight(o->received)), v[19] = DBI(imp_jst_midnight(o->closed));
        sb_own(b, body);
        rc = sb_push(d, b, NULL);
        imp_count(x, "offers", 1);
    }
    if (rc == DB_OK)
        rc = sb_flush(d, b, NULL);
    free(b);
    /* Rows after last_id are this import's: a concurrent writer's rows are not in this
     * transaction's view (SQLite: the write lock; PostgreSQL: the snapshot). */
    db_val p[] = {DBI(last_id)};
    if (rc == DB_OK)
        rc = db_query(d,
                      "INSERT INTO offer_versions (offer_id, version, body, created_at) SELECT id, "
                      "1, body, created_at FROM offers WHERE id > $1 ORDER BY id",
                      p, 1, NULL);
    if (rc == DB_OK)
        rc = db_query(d,
                      "INSERT INTO offer_events (offer_id, at, action, detail) SELECT id, "
                      "created_at, 'created', '{}' FROM offers WHERE id > $1 ORDER BY id",
                      p, 1, NULL);
    if (rc == DB_OK)
        rc = db_query(d,
                      "INSERT INTO offer_events (offer_id, at, action, detail) SELECT id, "
                      "published_at, 'published', '{\"reason\":null,\"ground\":null}' FROM offers "
                      "WHERE id > $1 ORDER BY id",
                      p, 1, NULL);
    if (rc == DB_OK)
        rc = db_query(d,
                      "INSERT INTO offer_events (offer_id, at, action, detail) SELECT id, "
                      "updated_at, 'closed', CASE WHEN close_reason IS NULL THEN "
                      "'{\"reason\":null,\"ground\":null}' ELSE '{\"reason\":\"' || close_reason "
                      "|| '\",\"ground\":null}' END FROM offers WHERE id > $1 ORDER BY id",
                      p, 1, NULL);
    return rc;
}

const imp_kind IMP_OFFERS = {"offers", COLS, O_NCOLS, off_check, off_db_check, off_write, off_free};
