/* The filter parameters of the public job search (GET /api/v1/offers: q, prefecture,
 * municipality, licence, employment_form, shift, facility_type, flags, wage_monthly_min,
 * wage_hourly_min) parsed into an si_query. One parser for the search endpoint, for saved
 * searches (which store these parameters) and for their digest mails, so a saved search is
 * accepted exactly when the same URL would be. */
#ifndef NCCS_SEARCH_PARAMS_H
#define NCCS_SEARCH_PARAMS_H
#include "search/index.h"

/* Returns the value of parameter `name` (borrowed; NULL or "" = not given). */
typedef const char *(*search_param_fn)(void *arg, const char *name);

/* The filter parameter names, NULL-terminated, in the order they are checked. */
extern const char *const SEARCH_FILTER_PARAMS[];

/* Reads every filter parameter through get(arg, name) into q (which the caller zeroed;
 * sort, paging and origin are left alone). munis is caller storage for SI_MAX_MUNI codes;
 * q->muni points into it and q->q into get's value, so both must outlive q's use. The keyword
 * is checked with si_parse_terms (length, number of terms, characters). Returns NULL when
 * every parameter is valid, else the name of the first bad one (a static string). */
const char *search_parse_filters(search_param_fn get, void *arg, si_query *q, int *munis);

#endif
