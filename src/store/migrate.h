/* Numbered migrations applied at start or by `nccs migrate`; idempotent, recorded in the
 * table schema_migrations. SQL migrations are embedded per backend
 * (src/store/migrations/{sqlite,pg}/NNNN_name.sql); data migrations are C steps. */
#ifndef NCCS_STORE_MIGRATE_H
#define NCCS_STORE_MIGRATE_H
#include "store/db.h"

/* Applies every pending migration, each in its own transaction. Returns DB_OK or an error
 * (message in db_errmsg). *applied receives how many ran (may be NULL). */
int migrate_run(db *d, int *applied);
/* Highest known migration version (for checks at server start). */
int migrate_latest(void);
/* Returns DB_OK and *current with the highest applied version (0 for an empty DB). */
int migrate_current(db *d, int *current);

#endif
