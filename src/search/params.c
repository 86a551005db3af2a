#include "search/params.h"
#include "domain/codes.h"
#include "util/str.h"
#include <string.h>

const char *const SEARCH_FILTER_PARAMS[] = {"prefecture",
                                            "municipality",
                                            "licence",
                                            "employment_form",
                                            "shift",
                                            "facility_type",
                                            "flags",
                                            "wage_monthly_min",
                                            "wage_hourly_min",
                                            "q",
                                            NULL};

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

/* "13101,13102" → municipality codes into out (SI_MAX_MUNI entries), count into *n. */
static int parse_munis(const char *v, int *out, int *n)
{
    *n = 0;
    if (!v || !*v)
        return 0;
    if (strlen(v) > SI_MAX_MUNI * 6)
        return -1;
    char buf[SI_MAX_MUNI * 6 + 1];
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

/* A non-negative integer up to max; absent or "" is 0. Returns 0 or -1. */
static int parse_int(const char *v, int64_t max, int64_t *out)
{
    *out = 0;
    if (!v || !*v)
        return 0;
    return str_to_i64(v, 0, max, out);
}

const char *search_parse_filters(search_param_fn get, void *arg, si_query *q, int *munis)
{
    uint64_t bits;
    int64_t v;
    if (parse_prefs(get(arg, "prefecture"), &q->pref_set) != 0)
        return "prefecture";
    if (parse_munis(get(arg, "municipality"), munis, &q->nmuni) != 0)
        return "municipality";
    q->muni = munis;
    if (parse_codes(get(arg, "licence"), LICENCE_CODES, &bits) != 0)
        return "licence";
    q->lic = (unsigned)bits;
    if (parse_codes(get(arg, "employment_form"), EMPLOYMENT_FORMS, &bits) != 0)
        return "employment_form";
    q->emp = (unsigned)bits;
    if (parse_codes(get(arg, "shift"), SHIFT_CODES, &bits) != 0)
        return "shift";
    q->shift = (unsigned)bits;
    if (parse_codes(get(arg, "facility_type"), FACILITY_TYPES, &q->ftype_set) != 0)
        return "facility_type";
    if (parse_codes(get(arg, "flags"), FLAG_CODES, &bits) != 0)
        return "flags";
    q->flags = (unsigned)bits;
    if (parse_int(get(arg, "wage_monthly_min"), 10000000, &v) != 0)
        return "wage_monthly_min";
    q->wage_monthly_min = v;
    if (parse_int(get(arg, "wage_hourly_min"), 100000, &v) != 0)
        return "wage_hourly_min";
    q->wage_hourly_min = v;
    q->q = get(arg, "q");
    si_terms terms; /* the same checks si_search makes, before any search runs */
    if (si_parse_terms(q->q, &terms) != SI_OK)
        return "q";
    return NULL;
}
