/* The job offer's JSON form (request bodies, stored versions) and its mapping to the domain
 * model of domain/offer.h. */
#ifndef NCCS_API_OFFER_JSON_H
#define NCCS_API_OFFER_JSON_H
#include "domain/offer.h"
#include "domain/validate.h"
#include <jansson.h>

/* The shape of an offer body: every item optional (a draft may be incomplete; completeness is
 * the compliance checker's job), types, lengths and codes enforced. */
extern const vfield OFFER_SPEC[];

/* Fills o from a validated body. Strings are borrowed from j, which must outlive o; the two
 * arrays receive the department codes (cap 32). */
void offer_from_json(const json_t *j, offer *o, const char **deps, int deps_cap);
/* The findings as a JSON array [{severity, code, field, message}] (new reference). */
json_t *findings_json(const findings *f);
/* Licence, shift and flag bit masks and the employment form code of a body, for the search
 * columns. */
unsigned offer_json_licence_mask(const json_t *j);
unsigned offer_json_shift_mask(const json_t *j);
unsigned offer_json_flag_mask(const json_t *j);

#endif
