/* Demo applications for `nccs seed --scale demo` (see seed_demo_apps.c). */
#ifndef NCCS_CLI_SEED_DEMO_APPS_H
#define NCCS_CLI_SEED_DEMO_APPS_H
#include "store/db.h"
#include <stdint.h>

/* Adds the demo cases in the caller's transaction, after the demo offers (published at `now`)
 * and the demo nurses' profiles. Returns DB_OK or an error. */
int seed_demo_applications(db *d, int64_t now);

#endif
