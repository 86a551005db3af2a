/* Public job search over the in-memory index, and the public offer page data. */
#include "api/api.h"
#include "store/db_json.h"
#include "search/offer_index.h"
#include "search/params.h"
#include "util/buf.h"
#include "util/str.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* search_param_fn over the request's query string. */
static const char *query_param(void *arg, const char *name)
{
    return req_query(arg, name);
}

/* Appends "name":{"code":count,...} for the codes of a facet (codes are ASCII identifiers from
 * domain/codes.c, so they need no escaping). Returns 0, or -1 when b is full. */
static int put_facet(nbuf *b, const char *name, const char *const *codes, const uint32_t *counts,
                     int n)
{
    int rc = nbuf_puts(b, "\"") | nbuf_puts(b, name) | nbuf_puts(b, "\":{");
    for (int i = 0; i < n && codes[i]; i++) {
        char num[16];
        int k = (int)sizeof num;
        uint32_t v = counts[i];
        do {
            num[--k] = (char)('0' + v % 10);
            v /= 10;
        } while (v);
        rc |= nbuf_puts(b, i ? ",\"" : "\"") | nbuf_puts(b, codes[i]) | nbuf_puts(b, "\":") |
              nbuf_append(b, num + k, sizeof num - (size_t)k);
    }
    return rc | nbuf_puts(b, "}");
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
    int munis[SI_MAX_MUNI];
    int64_t page, per;
    const char *bad = search_parse_filters(query_param, r, &q, munis);
    if (bad) {
        reply_error(r, E_BAD_PARAMETER, bad);
        return;
    }
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
    /* Written straight into the reply: the page's items are JSON text kept beside the index (in
     * the index's order), the facets are codes and counts. */
    nbuf out;
    nbuf_init(&out, (size_t)4 << 20);
    int rc2 = nbuf_printf(&out, "{\"total\":%lld,\"page\":%d,\"per_page\":%d,\"items\":[",
                          (long long)res->total, res->page, res->per_page);
    int shown = 0;
    for (int i = 0; i < res->n; i++) {
        size_t mark = out.len;
        if (shown)
            rc2 |= nbuf_puts(&out, ",");
        if (offer_index_append_item(res->ids[i], &out) == 0) {
            shown++;
        } else { /* closed between the search and now: leave it out */
            out.len = mark;
            out.data[mark] = '\0';
        }
    }
    rc2 |= nbuf_puts(&out, "],\"facets\":{");
    rc2 |= put_facet(&out, "prefecture", PREFECTURE_CODES, res->facets.pref + 1, SI_NPREF);
    rc2 |= nbuf_puts(&out, ",");
    rc2 |= put_facet(&out, "licence", LICENCE_CODES, res->facets.lic, SI_NLIC);
    rc2 |= nbuf_puts(&out, ",");
    rc2 |= put_facet(&out, "employment_form", EMPLOYMENT_FORMS, res->facets.emp, SI_NEMP);
    rc2 |= nbuf_puts(&out, ",");
    rc2 |= put_facet(&out, "shift", SHIFT_CODES, res->facets.shift, SI_NSHIFT);
    rc2 |= nbuf_puts(&out, ",");
    rc2 |= put_facet(&out, "facility_type", FACILITY_TYPES, res->facets.ftype, SI_NFTYPE);
    rc2 |= nbuf_puts(&out, ",");
    rc2 |= put_facet(&out, "flags", FLAG_CODES, res->facets.flag, SI_NFLAG);
    rc2 |= nbuf_puts(&out, "}}");
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
    if (db_query(
            r->db,
            "SELECT o.offer_no, o.body, o.valid_until, o.published_at, f.name, "
            "f.facility_type, f.prefecture_code, COALESCE(m.name, ''), f.beds, f.departments, "
            "o.id FROM offers o JOIN facilities f ON f.id = o.facility_id LEFT JOIN municipalities "
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
    json_t *o = json_pack("{s:I,s:s,s:o,s:s,s:I,s:{s:s,s:s,s:s,s:s,s:o,s:o}}", "id",
                          (json_int_t)db_int(res, 0, 10), "offer_no", db_text(res, 0, 0), "body",
                          body ? body : json_object(), "valid_until", db_text(res, 0, 2),
                          "published_at", (json_int_t)db_int(res, 0, 3), "facility", "name",
                          db_text(res, 0, 4), "facility_type", db_text(res, 0, 5), "prefecture",
                          db_text(res, 0, 6), "municipality_name", db_text(res, 0, 7), "beds",
                          dbj_int(res, 0, 8), "departments", deps ? deps : json_array());
    db_res_free(res);
    reply_json(r, 200, json_pack("{s:o}", "offer", o));
}
