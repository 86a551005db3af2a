/* nccs — Nurse Center Computer System. Subcommand dispatch. */
#include "cli/cli.h"
#include "http/server.h"
#include "util/config.h"
#include "util/crypto.h"
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
    fputs("usage: nccs COMMAND [options]\n"
          "  serve     --db URL --listen HOST:PORT [--threads N] [--web DIR]\n"
          "  migrate   --db URL\n"
          "  seed      --db URL --scale demo|national [--seed N]\n"
          "  user add  --db URL --role ROLE --email E [--prefecture NN] [--facility ID]\n"
          "  backup    --db URL --out FILE\n"
          "  jobs run  --db URL\n"
          "  jobs digest --db URL [--now UNIX]   nurse mails due at that time\n"
          "  report    --db URL --fy YEAR --table NAME|all [--prefecture NN]\n"
          "            --format csv|xlsx|json|zip [--out FILE]   the report tables\n"
          "  export offers --db URL [--prefecture NN] --out FILE.xlsx   published offers\n"
          "  import access-log --db URL [--map FILE] [--site-default job|notify] FILE...\n"
          "            nginx combined logs into the access statistics\n"
          "  import    accounts|offers|notifications|helpdesk|placements --db URL [--dry-run]\n"
          "            FILE   historical records from CSV/XLSX (docs/IMPORT.md)\n"
          "  access-counts --db URL (--day D | --from D --to D)   access_daily rows as JSON\n"
          "  routes    print the route table as JSON\n"
          "  db-counts --db URL   print row counts per table as JSON\n"
          "  version\n"
          "global options: --config FILE (KEY=VALUE lines with NCCS_* keys); NCCS_* variables\n"
          "URLs: sqlite:PATH or postgresql://USER@HOST:PORT/DB\n",
          stderr);
}

/* Applies the global options and removes them from argv; returns the new argc or -1. */
static int global_options(int argc, char **argv)
{
    static const struct {
        const char *flag, *key;
    } map[] = {{"--db", "NCCS_DB"},
               {"--listen", "NCCS_LISTEN"},
               {"--threads", "NCCS_THREADS"},
               {"--web", "NCCS_WEB_DIR"},
               {"--base-url", "NCCS_BASE_URL"}};
    int out = 0;
    for (int i = 0; i < argc; i++) {
        bool used = false;
        if (!strcmp(argv[i], "--config")) {
            if (i + 1 >= argc || config_load_file(&g_config, argv[i + 1]) != 0) {
                fprintf(stderr, "nccs: cannot read config file\n");
                return -1;
            }
            i++;
            continue;
        }
        for (size_t k = 0; k < sizeof map / sizeof map[0]; k++)
            if (!strcmp(argv[i], map[k].flag)) {
                if (i + 1 >= argc || config_set(&g_config, map[k].key, argv[i + 1]) != 0) {
                    fprintf(stderr, "nccs: bad value for %s\n", argv[i]);
                    return -1;
                }
                i++;
                used = true;
                break;
            }
        if (!used)
            argv[out++] = argv[i];
    }
    return out;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage();
        return 2;
    }
    config_defaults(&g_config);
    const char *cfg = getenv("NCCS_CONFIG");
    if (cfg && config_load_file(&g_config, cfg) != 0) {
        fprintf(stderr, "nccs: cannot read NCCS_CONFIG file\n");
        return 2;
    }
    config_load_env(&g_config);
    const char *cmd = argv[1];
    int n = global_options(argc - 2, argv + 2);
    if (n < 0)
        return 2;
    char **rest = argv + 2;
    if (crypto_init() != 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
        fprintf(stderr, "nccs: library initialisation failed\n");
        return 1;
    }
    int rc;
    if (!strcmp(cmd, "serve"))
        rc = server_run();
    else if (!strcmp(cmd, "migrate"))
        rc = cmd_migrate();
    else if (!strcmp(cmd, "seed"))
        rc = cmd_seed(n, rest);
    else if (!strcmp(cmd, "user"))
        rc = cmd_user(n, rest);
    else if (!strcmp(cmd, "backup"))
        rc = cmd_backup(n, rest);
    else if (!strcmp(cmd, "jobs"))
        rc = cmd_jobs(n, rest);
    else if (!strcmp(cmd, "report"))
        rc = cmd_report(n, rest);
    else if (!strcmp(cmd, "export"))
        rc = cmd_export(n, rest);
    else if (!strcmp(cmd, "import") && n > 0 && !strcmp(rest[0], "access-log"))
        rc = cmd_import_access_log(n - 1, rest + 1);
    else if (!strcmp(cmd, "import"))
        rc = cmd_import(n, rest);
    else if (!strcmp(cmd, "access-counts"))
        rc = cmd_access_counts(n, rest);
    else if (!strcmp(cmd, "routes"))
        rc = cmd_routes();
    else if (!strcmp(cmd, "db-counts"))
        rc = cmd_db_counts();
    else if (!strcmp(cmd, "version")) {
        printf("nccs %s\n", NCCS_VERSION);
        rc = 0;
    } else {
        usage();
        rc = 2;
    }
    curl_global_cleanup();
    return rc;
}
