/* Subcommands other than serve. Each returns a process exit code. Global options (--db,
 * --config, ...) are already applied to g_config. */
#ifndef NCCS_CLI_CLI_H
#define NCCS_CLI_CLI_H

int cmd_migrate(void);
int cmd_seed(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_routes(void);
int cmd_db_counts(void);
int cmd_jobs(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_export(int argc, char **argv);
/* import_access.c: `nccs import access-log` and `nccs access-counts` */
int cmd_import_access_log(int argc, char **argv);
int cmd_access_counts(int argc, char **argv);
/* import.c: `nccs import accounts|offers|notifications|helpdesk|placements` (docs/IMPORT.md) */
int cmd_import(int argc, char **argv);

/* The value after option name in argv (e.g. "--out"), or NULL. Borrowed from argv. */
const char *cli_opt(int argc, char **argv, const char *name);
/* Opens g_config.db_url or prints the error; returns NULL on failure. */
struct db *cli_open(void);

#endif
