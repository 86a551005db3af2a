#include "domain/codes.h"
#include <string.h>

const char *const PREFECTURE_CODES[] = {
    "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15", "16",
    "17", "18", "19", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31", "32",
    "33", "34", "35", "36", "37", "38", "39", "40", "41", "42", "43", "44", "45", "46", "47", NULL};
const char *const LICENCE_CODES[] = {"hokenshi", "josanshi", "kangoshi", "junkangoshi", NULL};
const char *const EMPLOYMENT_FORMS[] = {"jokin", "hijokin", "rinji", NULL};
const char *const SHIFT_CODES[] = {"two_shift",  "three_shift", "day_only",
                                   "night_only", "on_call",     NULL};
const char *const FLAG_CODES[] = {"rito",     "hekichi", "hisaichi", "takuji",
                                  "blank_ok", "ryo",     "kyubo",    NULL};
const char *const FACILITY_TYPES[] = {
    "hospital",   "clinic",    "visiting_nursing", "geriatric_health", "nursing_home", "care_other",
    "disability", "midwifery", "public_health",    "school",           "company",      "education",
    "other",      NULL};
const char *const DEPARTMENT_CODES[] = {
    "internal",       "surgery",       "pediatrics",  "obstetrics", "orthopedics", "psychiatry",
    "neurosurgery",   "cardiology",    "emergency",   "icu",        "operating",   "dialysis",
    "rehabilitation", "ophthalmology", "dermatology", "ent",        "urology",     "palliative",
    "outpatient",     "health_check",  "home_care",   NULL};
const char *const WORK_STATUSES[] = {"employed", "not_working", "on_leave", "student", NULL};
const char *const SEEKER_STATUSES[] = {"active", "paused", "closed", NULL};

int code_index(const char *const *list, const char *s)
{
    for (int i = 0; s && list[i]; i++)
        if (!strcmp(list[i], s))
            return i;
    return -1;
}
