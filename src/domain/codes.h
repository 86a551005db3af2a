/* The code lists the API, the search index and the seed share. Where a list is also a bit mask
 * (licences, employment forms, shift patterns, flags) or a number in the index (facility types),
 * the position in the list is the bit / number: OFFER_LIC_* / SI_LIC_*, OFFER_SHIFT_* /
 * SI_SHIFT_*, OFFER_FLAG_* / SI_FLAG_*, SI_EMP_*. The lists with names (facility types,
 * departments, …) must equal migration 0002's code lists (tests/api/ref.test.mjs compares them).
 * All lists are NULL-terminated and static. */
#ifndef NCCS_DOMAIN_CODES_H
#define NCCS_DOMAIN_CODES_H

extern const char *const PREFECTURE_CODES[]; /* "01".."47" */
extern const char *const LICENCE_CODES[];    /* hokenshi josanshi kangoshi junkangoshi */
extern const char *const EMPLOYMENT_FORMS[]; /* jokin hijokin rinji */
extern const char *const SHIFT_CODES[];      /* two_shift three_shift day_only night_only on_call */
extern const char *const FLAG_CODES[];       /* rito hekichi hisaichi takuji blank_ok ryo kyubo */
extern const char *const FACILITY_TYPES[];
extern const char *const DEPARTMENT_CODES[];
/* Job seekers: the current working status (names in docs/API.md, SeekerProfile) and the
 * registration state. */
extern const char *const WORK_STATUSES[];   /* employed not_working on_leave student */
extern const char *const SEEKER_STATUSES[]; /* active paused closed */

/* Position of s in list, or -1 (also for NULL). */
int code_index(const char *const *list, const char *s);

#endif
