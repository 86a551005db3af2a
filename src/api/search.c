/* Public job search over the in-memory index, and the public offer page data. */
#include "api/api.h"
#include "store/db_json.h"
#include "search/offer_index.h"
#include "util/buf.h"
#include "util/str.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parses a comma-separated list of codes from `list` into a bit set. Returns 0 or -1. */
static int parse_codes(const char *v, const char *const *list, uint64_t *out)
{
    *out = 0;
    if (!v || !*v)
        return 0;
    if (strlen(v) > 1024)
        return -1;
    char buf[1025];
    str_copy(buf, sizeof buf, v);
    char *save = buf;
    while (save) {
        char *item = save;
        char *comma = strchr(item, ',');
        save = comma ? comma + 1 : NULL;
        if (comma)
            *comma = '\0';
        int k = code_index(list, item);
        if (k < 0)
            return -1;
        *out |= (uint64_t)1 << k;
    }
    return 0;
}

/* "13,27" → bit p for prefecture p. */
static int parse_prefs(const char *v, uint64_t *out)
{
    *out = 0;
    if (!v || !*v)
        return 0;
    uint64_t bits;
    if (parse_codes(v, PREFECTURE_CODES, &bits) != 0)
        return -1;
    *out = bits << 1; /* PREFECTURE_CODES[0] is "01" → bit 1 */
    return 0;
}

static int parse_munis(const char *v, int *out, int *n)
{
    *n = 0;
    if (!v || !*v)
        return 0;
    if (strlen(v) > 64 * 6)
        return -1;
    char buf[64 * 6 + 1];
    str_copy(buf, sizeof buf, v);
    char *save = buf;
    while (save) {
        char *item = save;
        char *comma = strchr(item, ',');
        save = comma ? comma + 1 : NULL;
        if (comma)
            *comma = '\0';
        int64_t code;
        if (strlen(item) != 5 || str_to_i64(item, 1000, 99999, &code) != 0 || *n >= SI_MAX_MUNI)
            return -1;
        out[(*n)++] = (int)code;
    }
    return 0;
}

static int parse_int(req *r, const char *name, int64_t max, int64_t *out)
{
    const char *v = req_query(r, name);
    *out = 0;
    if (!v || !*v)
        return 0;
    return str_to_i64(v, 0, max, out);
}

/* Bit set → {"code": count} for the codes of a facet. */
static json_t *facet_obj(const char *const *codes, const uint32_t *counts, int n)
{
    json_t *o = json_object();
    for (int i = 0; i < n && codes[i]; i++)
        json_object_set_new(o, codes[i], json_integer(counts[i]));
    return o;
}

void h_offers_search(req *r)
{
    si_index *ix = offer_index();
    if (!ix) {
        reply_error(r, E_UNAVAILABLE, NULL);
        return;
    }
    si_query q;
    memset(&q, 0, sizeof q);
    q.q = req_query(r, "q");
    uint64_t bits;
    int munis[SI_MAX_MUNI];
    int64_t v, page, per;
    const char *bad = NULL;
    if (parse_prefs(req_query(r, "prefecture"), &q.pref_set) != 0)
        bad = "prefecture";
    else if (parse_munis(req_query(r, "municipality"), munis, &q.nmuni) != 0)
        bad = "municipality";
    else if (parse_codes(req_query(r, "licence"), LICENCE_CODES, &bits) != 0)
        bad = "licence";
    else if ((q.lic = (unsigned)bits,
              parse_codes(req_query(r, "employment_form"), EMPLOYMENT_FORMS, &bits)) != 0)
        bad = "employment_form";
    else if ((q.emp = (unsigned)bits, parse_codes(req_query(r, "shift"), SHIFT_CODES, &bits)) != 0)
        bad = "shift";
    else if ((q.shift = (unsigned)bits,
              parse_codes(req_query(r, "facility_type"), FACILITY_TYPES, &q.ftype_set)) != 0)
        bad = "facility_type";
    else if (parse_codes(req_query(r, "flags"), FLAG_CODES, &bits) != 0)
        bad = "flags";
    else if ((q.flags = (unsigned)bits, parse_int(r, "wage_monthly_min", 10000000, &v)) != 0)
        bad = "wage_monthly_min";
    else if ((q.wage_monthly_min = v, parse_int(r, "wage_hourly_min", 100000, &v)) != 0)
        bad = "wage_hourly_min";
    if (bad) {
        reply_error(r, E_BAD_PARAMETER, bad);
        return;
    }
    q.wage_hourly_min = v;
    q.muni = munis;
    const char *sort = req_query(r, "sort");
    if (!sort || !*sort || !strcmp(sort, "newest"))
        q.sort = SI_SORT_NEWEST;
    else if (!strcmp(sort, "wage_monthly"))
        q.sort = SI_SORT_WAGE_MONTHLY;
    else if (!strcmp(sort, "wage_hourly"))
        q.sort = SI_SORT_WAGE_HOURLY;
    else if (!strcmp(sort, "distance")) {
        /* Nearest to a municipality, at prefecture level (see offer_index_pref_point). */
        const char *near = req_query(r, "near");
        int64_t code;
        if (!near || strlen(near) != 5 || str_to_i64(near, 1000, 47999, &code) != 0 ||
            offer_index_pref_point((int)(code / 1000), &q.lat, &q.lon) != 0) {
            reply_error(r, E_BAD_PARAMETER, "near");
            return;
        }
        q.sort = SI_SORT_DISTANCE;
    } else {
        reply_error(r, E_BAD_PARAMETER, "sort");
        return;
    }
    if (api_paging(r, &page, &per) != 0)
        return;
    q.page = (int)page;
    q.per_page = (int)per;
    si_result *res = malloc(sizeof *res);
    if (!res) {
        reply_error(r, E_INTERNAL, NULL);
        return;
    }
    int rc = si_search(ix, &q, res);
    if (rc != SI_OK) {
        free(res);
        reply_error(r, rc == SI_ENOMEM ? E_INTERNAL : E_BAD_PARAMETER,
                    rc == SI_EPAGE ? "page" : "q");
        return;
    }
    /* The page's items from the summaries kept beside the index, in the index's order. */
    nbuf items;
    nbuf_init(&items, (size_t)4 << 20);
    nbuf_puts(&items, "[");
    int shown = 0;
    for (int i = 0; i < res->n; i++) {
        size_t mark = items.len;
        if (shown)
            nbuf_puts(&items, ",");
        if (offer_index_append_item(res->ids[i], &items) == 0) {
            shown++;
        } else { /* closed between the search and now: leave it out */
            items.len = mark;
            items.data[mark] = '\0';
        }
    }
    nbuf_puts(&items, "]");
    json_t *prefs = json_object();
    for (int i = 1; i <= SI_NPREF; i++) /* every code, zeros too, like the other facets */
        json_object_set_new(prefs, PREFECTURE_CODES[i - 1], json_integer(res->facets.pref[i]));
    json_t *facets =
        json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}", "prefecture", prefs, "licence",
                  facet_obj(LICENCE_CODES, res->facets.lic, SI_NLIC), "employment_form",
                  facet_obj(EMPLOYMENT_FORMS, res->facets.emp, SI_NEMP), "shift",
                  facet_obj(SHIFT_CODES, res->facets.shift, SI_NSHIFT), "facility_type",
                  facet_obj(FACILITY_TYPES, res->facets.ftype, SI_NFTYPE), "flags",
                  facet_obj(FLAG_CODES, res->facets.flag, SI_NFLAG));
    /* The envelope is printed around the items, which are JSON text already. */
    char *facets_text = json_dumps(facets, JSON_COMPACT);
    json_decref(facets);
    nbuf out;
    nbuf_init(&out, items.len + (facets_text ? strlen(facets_text) : 0) + 128);
    int rc2 = nbuf_printf(&out,
                          "{\"total\":%lld,\"page\":%d,\"per_page\":%d,\"items\":%s,"
                          "\"facets\":%s}",
                          (long long)res->total, res->page, res->per_page,
                          items.data ? items.data : "[]", facets_text ? facets_text : "{}");
    free(facets_text);
    nbuf_free(&items);
    free(res);
    if (rc2 != 0 || !out.data) {
        nbuf_free(&out);
        reply_error(r, E_INTERNAL, NULL);
        return;
    }
    reply_raw_json(r, 200, nbuf_take(&out));
}

void h_offer_public(req *r)
{
    const char *no = r->params[0];
    if (strlen(no) != 14) {
        reply_error(r, E_NOT_FOUND, NULL);
        return;
    }
    db_val p[] = {DBT(no)};
    db_res *res = NULL;
    if (db_query(r->db,
                 "SELECT o.offer_no, o.body, o.valid_until, o.published_at, f.name, "
                 "f.facility_type, f.prefecture_code, COALESCE(m.name, ''), f.beds, f.departments "
                 "FROM offers o JOIN facilities f ON f.id = o.facility_id LEFT JOIN municipalities "
                 "m ON m.code = o.municipality_code WHERE o.offer_no = $1 AND o.status = "
                 "'published'",
                 p, 1, &res) != DB_OK) {
        api_dberr(r, "public offer");
        return;
    }
    if (res->nrows == 0) {
        db_res_free(res);
        reply_error(r, E_NOT_FOUND, NULL);
        return;
    }
    json_error_t jerr;
    json_t *body = json_loads(db_text(res, 0, 1), 0, &jerr);
    json_t *deps = json_loads(db_text(res, 0, 9), 0, &jerr);
    json_t *o = json_pack(
        "{s:s,s:o,s:s,s:I,s:{s:s,s:s,s:s,s:s,s:o,s:o}}", "offer_no", db_text(res, 0, 0), "body",
        body ? body : json_object(), "valid_until", db_text(res, 0, 2), "published_at",
        (json_int_t)db_int(res, 0, 3), "facility", "name", db_text(res, 0, 4), "facility_type",
        db_text(res, 0, 5), "prefecture", db_text(res, 0, 6), "municipality_name",
        db_text(res, 0, 7), "beds", dbj_int(res, 0, 8), "departments", deps ? deps : json_array());
    db_res_free(res);
    reply_json(r, 200, json_pack("{s:o}", "offer", o));
}
