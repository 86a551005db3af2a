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
