/* Matching (マッチング) of nurses and job offers, both ways, with reasons: the caller's ranked
 * offers (GET /me/matches), one offer explained (GET /me/matches/{id}), a counselor's view of a
 * nurse's matches (GET /people/{id}/matches, scoped and audited) and the ranked candidates for an
 * offer (GET /offers/{id}/candidates; center staff see only their prefecture's nurses). The
 * rules and the score are in src/match/match.h; this file parses, authorises the list filter,
 * and renders the structured reasons as Japanese labels. Answers come from the in-memory matcher
 * (search/match_feed.h) and the offer summaries kept beside the search index. */
#include "api/api.h"
#include "match/match.h"
#include "search/match_feed.h"
#include "search/offer_index.h"
#include "util/buf.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const COMPONENTS[MATCH_NC] = {"wage",          "distance",   "shift",
                                                 "facility_type", "department", "freshness"};

/* "280,000" into out (cap >= 32). */
static void fmt_yen(int64_t v, char *out, size_t cap)
{
    char digits[32];
    snprintf(digits, sizeof digits, "%lld", (long long)(v < 0 ? -v : v));
    size_t n = strlen(digits), k = 0;
    char tmp[48];
    if (v < 0)
        tmp[k++] = '-';
    for (size_t i = 0; i < n && k + 2 < sizeof tmp; i++) {
        if (i && (n - i) % 3 == 0)
            tmp[k++] = ',';
        tmp[k++] = digits[i];
    }
    tmp[k] = '\0';
    str_copy(out, cap, tmp);
}

/* The names of the codes of `list` whose bits are set in mask, joined by "、" into out. */
static void names_of(uint64_t mask, const char *list, const char *const *codes, char *out,
                     size_t cap)
{
    out[0] = '\0';
    size_t len = 0;
    for (int i = 0; codes[i] && i < 64; i++)
        if (mask >> i & 1) {
            const char *nm = offer_index_code_name(list, codes[i]);
            int w = snprintf(out + len, cap - len, "%s%s", len ? "、" : "", *nm ? nm : codes[i]);
            if (w < 0 || (size_t)w >= cap - len) { /* full: keep what fits */
                out[len] = '\0';
                return;
            }
            len += (size_t)w;
        }
}

static const char *unit_label(int unit)
{
    return unit == MATCH_WAGE_HOURLY ? "時給" : "月給";
}

/* The reason's stable code and Japanese label. */
static json_t *reason_json(const match_reason *rs, const match_eval *e)
{
    char label[512], names[384], a[32], b[32];
    const char *code = "";
    switch (rs->code) {
    case MATCH_R_LICENCE:
        code = "licence";
        names_of((uint64_t)rs->arg, "licence_types", LICENCE_CODES, names, sizeof names);
        snprintf(label, sizeof label, "応募できる免許をお持ちです（%s）", names);
        break;
    case MATCH_R_WAGE_ABOVE:
        code = "wage.above";
        fmt_yen(rs->arg, a, sizeof a);
        fmt_yen(e->wage_eq, b, sizeof b);
        snprintf(label, sizeof label, "賃金が希望より%s円高い求人です（%s %s円相当）", a,
                 unit_label(e->wage_unit), b);
        break;
    case MATCH_R_WAGE_MEETS:
        code = "wage.meets";
        fmt_yen(e->wage_eq, b, sizeof b);
        snprintf(label, sizeof label, "賃金が希望どおりの求人です（%s %s円相当）",
                 unit_label(e->wage_unit), b);
        break;
    case MATCH_R_SAME_MUNI:
        code = "distance.same_municipality";
        str_copy(label, sizeof label, "希望の市区町村にある求人です");
        break;
    case MATCH_R_SAME_PREF:
        code = "distance.same_prefecture";
        str_copy(label, sizeof label, "登録先または希望の市区町村と同じ都道府県の求人です");
        break;
    case MATCH_R_NEAR:
        code = "distance.other_prefecture";
        snprintf(label, sizeof label, "他の都道府県の求人です（都道府県庁間で約%lldkm）",
                 (long long)rs->arg);
        break;
    case MATCH_R_SHIFT:
        code = "shift.wished";
        names_of((uint64_t)rs->arg, "shift_patterns", SHIFT_CODES, names, sizeof names);
        snprintf(label, sizeof label, "希望の勤務形態です（%s）", names);
        break;
    case MATCH_R_NIGHTS_WITHIN:
        code = "night_shifts.within";
        if (rs->arg == 0)
            str_copy(label, sizeof label, "夜勤のない求人です");
        else
            snprintf(label, sizeof label, "夜勤は月%lld回で、希望の上限以内です",
                     (long long)rs->arg);
        break;
    case MATCH_R_FACILITY_WISHED:
    case MATCH_R_FACILITY_EXPERIENCE:
        code = rs->code == MATCH_R_FACILITY_WISHED ? "facility_type.wished"
                                                   : "facility_type.experience";
        names_of((uint64_t)1 << (rs->arg & 63), "facility_types", FACILITY_TYPES, names,
                 sizeof names);
        snprintf(label, sizeof label,
                 rs->code == MATCH_R_FACILITY_WISHED ? "希望の施設の種類です（%s）"
                                                     : "直近の勤務先と同じ種類の施設です（%s）",
                 names);
        break;
    case MATCH_R_DEPT_WISHED:
    case MATCH_R_DEPT_EXPERIENCE:
        code = rs->code == MATCH_R_DEPT_WISHED ? "department.wished" : "department.experience";
        names_of((uint64_t)rs->arg, "departments", DEPARTMENT_CODES, names, sizeof names);
        snprintf(label, sizeof label,
                 rs->code == MATCH_R_DEPT_WISHED ? "希望の診療科があります（%s）"
                                                 : "経験のある診療科があります（%s）",
                 names);
        break;
    case MATCH_R_NEW:
        code = "freshness.new";
        if (rs->arg == 0)
            str_copy(label, sizeof label, "本日公開の新着求人です");
        else
            snprintf(label, sizeof label, "新着求人です（%lld日前に公開）", (long long)rs->arg);
        break;
    case MATCH_R_CHILDCARE:
        code = "childcare";
        str_copy(label, sizeof label, "希望どおり託児所があります");
        break;
    case MATCH_R_BLANK_OK:
        code = "blank_ok";
        str_copy(label, sizeof label, "ブランク可の求人です");
        break;
    }
    return json_pack("{s:s,s:s}", "code", code, "label", label);
}

/* score, breakdown and reasons of e as members of obj. */
static void put_eval(json_t *obj, const match_eval *e)
{
    json_t *bd = json_object();
    for (int k = 0; k < MATCH_NC; k++)
        json_object_set_new(bd, COMPONENTS[k],
                            json_pack("{s:i,s:i}", "points",
                                      (MATCH_WEIGHT[k] * e->fit[k] + 500) / 1000, "max",
                                      MATCH_WEIGHT[k]));
    json_t *rs = json_array();
    for (int i = 0; i < e->nreasons; i++)
        json_array_append_new(rs, reason_json(&e->reasons[i], e));
    json_object_set_new(obj, "score", json_integer((e->score + 500) / 1000));
    json_object_set_new(obj, "breakdown", bd);
    json_object_set_new(obj, "reasons", rs);
}

/* Appends {"offer_id":…,"offer":<search summary>,…rest of obj} to b; obj is consumed. Returns 0,
 * 1 when the offer has no summary (closed meanwhile: the item is left out), or -1 when b is
 * full or memory is short. */
static int append_offer_item(nbuf *b, int64_t offer_id, json_t *obj)
{
    char *rest = json_dumps(obj, JSON_COMPACT);
    json_decref(obj);
    if (!rest)
        return -1;
    size_t mark = b->len;
    int rc = nbuf_printf(b, "{\"offer_id\":%lld,\"offer\":", (long long)offer_id);
    if (rc == 0 && offer_index_append_item(offer_id, b) != 0) {
        b->len = mark;
        if (b->data)
            b->data[mark] = '\0';
        free(rest);
        return 1;
    }
    /* rest is "{...}": splice its members after the summary */
    rc |= rest[1] == '}' ? nbuf_puts(b, "}") : (nbuf_puts(b, ",") | nbuf_puts(b, rest + 1));
    free(rest);
    return rc;
}

static match_store *store_or_503(req *r)
{
    match_store *ms = match_feed_store();
    if (!ms)
        reply_error(r, E_UNAVAILABLE, NULL);
    return ms;
}

/* Reads page/per_page (400 when malformed) and checks the window (400 on "page"). */
static int read_paging(req *r, int *page, int *per_page)
{
    int64_t pg, per;
    if (api_paging(r, &pg, &per) != 0)
        return -1;
    if (pg * per > MATCH_MAX_WINDOW) {
        reply_error(r, E_BAD_PARAMETER, "page");
        return -1;
    }
    *page = (int)pg;
    *per_page = (int)per;
    return 0;
}

/* The ranked offers of seeker uid as the reply. */
static void reply_offers_for(req *r, int64_t uid, bool audit)
{
    match_store *ms = store_or_503(r);
    int page, per;
    if (!ms || read_paging(r, &page, &per) != 0)
        return;
    match_offer_page *res = malloc(sizeof *res);
    if (!res) {
        reply_error(r, E_INTERNAL, NULL);
        return;
    }
    int rc = match_offers_for(ms, uid, time_now(), page, per, res);
    if (rc != MATCH_OK) {
        free(res);
        reply_error(r,
                    rc == MATCH_ENOSEEKER ? E_MATCH_NO_PROFILE
                    : rc == MATCH_EPAGE   ? E_BAD_PARAMETER
                                          : E_INTERNAL,
                    rc == MATCH_EPAGE ? "page" : NULL);
        return;
    }
    /* A staff read of a person's matches is logged like a read of the record. */
    if (audit && store_audit_add(r->db, time_now(), r->actor.id, role_name(r->actor.role),
                                 r->actor.prefecture, uid, "read", "matches", r->ip) != DB_OK) {
        free(res);
        api_dberr(r, "audit");
        return;
    }
    nbuf out;
    nbuf_init(&out, (size_t)4 << 20);
    int e = nbuf_printf(&out, "{\"total\":%lld,\"page\":%d,\"per_page\":%d,\"items\":[",
                        (long long)res->total, res->page, res->per_page);
    int shown = 0;
    for (int i = 0; i < res->n && e == 0; i++) {
        json_t *obj = json_object();
        put_eval(obj, &res->items[i].eval);
        size_t mark = out.len;
        if (shown)
            e |= nbuf_puts(&out, ",");
        int a = append_offer_item(&out, res->items[i].offer_id, obj);
        if (a == 1) {
            out.len = mark;
            if (out.data)
                out.data[mark] = '\0';
        } else {
            e |= a;
            shown++;
        }
    }
    e |= nbuf_puts(&out, "]}");
    free(res);
    if (e != 0 || !out.data) {
        nbuf_free(&out);
        reply_error(r, E_INTERNAL, NULL);
        return;
    }
    reply_raw_json(r, 200, nbuf_take(&out));
}

void h_me_matches(req *r)
{
    reply_offers_for(r, r->actor.id, false);
}

void h_person_matches(req *r)
{
    reply_offers_for(r, r->subject.id, true);
}

/* ---- one offer explained ------------------------------------------------------------------ */

/* The name of a prefecture (code 1..47) or municipality (5 digits) from the reference tables
 * into out; "" when unknown. */
static void place_name(db *d, bool muni, int code, char *out, size_t cap)
{
    char key[8];
    snprintf(key, sizeof key, muni ? "%05d" : "%02d", code);
    db_val p[] = {DBT(key)};
    db_res *res = NULL;
    out[0] = '\0';
    if (db_query(d,
                 muni ? "SELECT name FROM municipalities WHERE code = $1"
                      : "SELECT name FROM prefectures WHERE code = $1",
                 p, 1, &res) == DB_OK &&
        res->nrows)
        str_copy(out, cap, db_text(res, 0, 0));
    db_res_free(res);
}

/* The Japanese exclusion message for hard condition x (a MATCH_X_* bit). */
static json_t *exclusion_json(db *d, unsigned x, const match_explain_out *m)
{
    const match_offer *o = &m->offer;
    const match_seeker *s = &m->seeker;
    char label[768], a[384], b[384], y1[32], y2[32];
    const char *code = "";
    switch (x) {
    case MATCH_X_LICENCE:
        code = "licence";
        names_of(o->lic, "licence_types", LICENCE_CODES, a, sizeof a);
        names_of(s->lic, "licence_types", LICENCE_CODES, b, sizeof b);
        if (s->lic)
            snprintf(label, sizeof label,
                     "この求人の応募資格（%s）に、お持ちの免許（%s）が含まれません", a, b);
        else
            str_copy(label, sizeof label, "免許が登録されていないため、応募資格を確認できません");
        break;
    case MATCH_X_PREFECTURE:
        code = "prefecture";
        place_name(d, false, o->pref, a, sizeof a);
        snprintf(label, sizeof label, "希望する都道府県以外の求人です（%s）", a);
        break;
    case MATCH_X_MUNICIPALITY:
        code = "municipality";
        place_name(d, true, o->muni, a, sizeof a);
        snprintf(label, sizeof label, "希望する市区町村以外の求人です（%s）",
                 *a ? a : "市区町村の記載なし");
        break;
    case MATCH_X_EMPLOYMENT:
        code = "employment_form";
        names_of(o->emp, "employment_forms", EMPLOYMENT_FORMS, a, sizeof a);
        names_of(s->wish_emp, "employment_forms", EMPLOYMENT_FORMS, b, sizeof b);
        snprintf(label, sizeof label, "雇用形態（%s）が希望（%s）と合いません", *a ? a : "記載なし",
                 b);
        break;
    case MATCH_X_SHIFT:
        code = "shift_pattern";
        names_of(o->shift, "shift_patterns", SHIFT_CODES, a, sizeof a);
        names_of(s->wish_shift, "shift_patterns", SHIFT_CODES, b, sizeof b);
        snprintf(label, sizeof label, "勤務形態（%s）に希望の勤務形態（%s）がありません",
                 *a ? a : "記載なし", b);
        break;
    case MATCH_X_NIGHTS:
        code = "night_shifts";
        if (m->eval.nights_eff >= 0 && s->max_nights == 0)
            snprintf(label, sizeof label, "夜勤が月%d回あり、夜勤なしの希望に合いません",
                     m->eval.nights_eff);
        else if (m->eval.nights_eff >= 0)
            snprintf(label, sizeof label, "夜勤が月%d回あり、希望の上限（月%d回）を超えます",
                     m->eval.nights_eff, s->max_nights);
        else
            str_copy(label, sizeof label,
                     "夜勤の回数が記載されていないため、夜勤なしの希望に合うか確認できません");
        break;
    case MATCH_X_WAGE:
        code = "wage";
        fmt_yen(m->eval.wage_eq, y1, sizeof y1);
        fmt_yen(s->wage_min, y2, sizeof y2);
        if (m->eval.wage_eq > 0)
            snprintf(label, sizeof label, "賃金（%s %s円相当）が希望（%s %s円以上）に届きません",
                     unit_label(s->wage_type), y1, unit_label(s->wage_type), y2);
        else
            str_copy(label, sizeof label, "賃金が記載されていないため、希望に合うか確認できません");
        break;
    case MATCH_X_FACILITY_TYPE:
        code = "facility_type";
        names_of(o->ftype >= 0 ? (uint64_t)1 << o->ftype : 0, "facility_types", FACILITY_TYPES, a,
                 sizeof a);
        names_of(s->wish_ftypes, "facility_types", FACILITY_TYPES, b, sizeof b);
        snprintf(label, sizeof label, "施設の種類（%s）が希望（%s）と合いません",
                 *a ? a : "記載なし", b);
        break;
    case MATCH_X_DEPARTMENT:
        code = "department";
        names_of(o->depts, "departments", DEPARTMENT_CODES, a, sizeof a);
        names_of(s->wish_depts, "departments", DEPARTMENT_CODES, b, sizeof b);
        if (o->depts)
            snprintf(label, sizeof label, "診療科（%s）に希望の診療科（%s）がありません", a, b);
        else
            snprintf(label, sizeof label,
                     "診療科が記載されていないため、希望の診療科（%s）があるか確認できません", b);
        break;
    default: /* MATCH_X_CHILDCARE */
        code = "childcare";
        str_copy(label, sizeof label, "託児所がありません（託児所を希望）");
        break;
    }
    return json_pack("{s:s,s:s}", "code", code, "label", label);
}

void h_me_match_get(req *r)
{
    int64_t offer_id;
    match_store *ms = store_or_503(r);
    if (!ms || req_param_id(r, 0, &offer_id) != 0)
        return;
    match_explain_out *m = malloc(sizeof *m);
    if (!m) {
        reply_error(r, E_INTERNAL, NULL);
        return;
    }
    int rc = match_explain(ms, r->actor.id, offer_id, time_now(), m);
    if (rc != MATCH_OK) {
        free(m);
        /* an offer that is not published looks like one that does not exist */
        reply_error(r, rc == MATCH_ENOSEEKER ? E_MATCH_NO_PROFILE : E_NOT_FOUND, NULL);
        return;
    }
    json_t *obj = json_object();
    json_object_set_new(obj, "matches", json_boolean(m->eval.excluded == 0));
    put_eval(obj, &m->eval);
    json_t *ex = json_array();
    for (int k = 0; k < MATCH_NX; k++)
        if (m->eval.excluded & (1u << k))
            json_array_append_new(ex, exclusion_json(r->db, 1u << k, m));
    json_object_set_new(obj, "exclusions", ex);
    free(m);
    nbuf out;
    nbuf_init(&out, (size_t)1 << 20);
    int a = append_offer_item(&out, offer_id, obj);
    if (a == 1) {
        nbuf_free(&out);
        reply_error(r, E_NOT_FOUND, NULL);
        return;
    }
    if (a != 0 || !out.data) {
        nbuf_free(&out);
        reply_error(r, E_INTERNAL, NULL);
        return;
    }
    reply_raw_json(r, 200, nbuf_take(&out));
}

/* ---- candidates for an offer ---------------------------------------------------------------- */

void h_offer_candidates(req *r)
{
    match_store *ms = store_or_503(r);
    int page, per;
    if (!ms || read_paging(r, &page, &per) != 0)
        return;
    /* center staff: their prefecture's nurses only; central and sysadmin: everyone */
    const char *filter = authz_people_filter(&r->actor);
    int64_t scope = 0;
    if (!filter || (*filter && str_to_i64(filter, 1, 47, &scope) != 0)) {
        reply_error(r, E_FORBIDDEN, NULL);
        return;
    }
    match_seeker_page *res = malloc(sizeof *res);
    if (!res) {
        reply_error(r, E_INTERNAL, NULL);
        return;
    }
    int64_t now = time_now();
    int rc = match_seekers_for(ms, r->subject.id, (int)scope, match_feed_today(now), now, page, per,
                               res);
    if (rc != MATCH_OK) {
        free(res);
        reply_error(r,
                    rc == MATCH_ENOOFFER ? E_MATCH_OFFER_NOT_PUBLISHED
                    : rc == MATCH_EPAGE  ? E_BAD_PARAMETER
                                         : E_INTERNAL,
                    rc == MATCH_EPAGE ? "page" : NULL);
        return;
    }
    json_t *items = json_array();
    for (int i = 0; i < res->n; i++) {
        const match_seeker_hit *h = &res->items[i];
        json_t *lics = json_array();
        for (int l = 0; LICENCE_CODES[l]; l++)
            if (h->lic & (1u << l))
                json_array_append_new(lics, json_string(LICENCE_CODES[l]));
        json_t *it =
            json_pack("{s:I,s:s,s:s,s:o,s:i,s:s,s:s}", "id", (json_int_t)h->seeker_id, "name",
                      h->name, "name_kana", h->name_kana, "licences", lics, "experience_years",
                      h->experience_years, "work_status", WORK_STATUSES[h->work_status],
                      "prefecture", PREFECTURE_CODES[h->pref - 1]);
        if (!it) {
            json_decref(items);
            free(res);
            reply_error(r, E_INTERNAL, NULL);
            return;
        }
        put_eval(it, &h->eval);
        json_array_append_new(items, it);
    }
    json_t *body = json_pack("{s:I,s:i,s:i,s:o}", "total", (json_int_t)res->total, "page",
                             res->page, "per_page", res->per_page, "items", items);
    free(res);
    reply_json(r, 200, body);
}
