/* nccs report: the report tables from the command line, the same builders as the API.
 *   nccs report --db URL --fy 2025 --table NAME|all [--prefecture NN] --format csv|xlsx|json|zip
 *               [--out FILE] [--from YYYY-MM-DD --to YYYY-MM-DD --campaign TAG]
 * csv and json go to stdout unless --out is given; xlsx and zip need --out. `--table all`
 * writes every table of the scope (xlsx: one sheet each; zip: one CSV each; json: an array). */
#include "cli/cli.h"
#include "domain/codes.h"
#include "report/bundle.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(void)
{
    fprintf(stderr, "usage: nccs report --db URL --fy YEAR --table NAME|all [--prefecture NN]\n"
                    "                   --format csv|xlsx|json|zip [--out FILE]\n"
                    "                   [--from YYYY-MM-DD --to YYYY-MM-DD --campaign TAG]\n"
                    "tables:");
    for (const rt_def *d = RT_DEFS; d->name; d++)
        fprintf(stderr, " %s", d->name);
    fprintf(stderr, "\n");
    return 2;
}

/* Writes data to path, or stdout when path is NULL. Returns 0 or 1. */
static int emit(const char *path, const char *data, size_t len)
{
    FILE *fp = path ? fopen(path, "wb") : stdout;
    if (!fp) {
        fprintf(stderr, "nccs: cannot write %s\n", path);
        return 1;
    }
    size_t w = fwrite(data, 1, len, fp);
    int bad = w != len;
    if (path)
        bad |= fclose(fp) != 0;
    else
        bad |= fflush(fp) != 0;
    if (bad)
        fprintf(stderr, "nccs: writing the output failed\n");
    return bad;
}

int cmd_report(int argc, char **argv)
{
    const char *fy_s = cli_opt(argc, argv, "--fy"), *table = cli_opt(argc, argv, "--table");
    const char *format = cli_opt(argc, argv, "--format"), *out = cli_opt(argc, argv, "--out");
    const char *pref = cli_opt(argc, argv, "--prefecture");
    int64_t fy;
    if (!fy_s || !table || !format || str_to_i64(fy_s, 2000, 2100, &fy) != 0)
        return usage();
    bool all = !strcmp(table, "all");
    const rt_def *def = all ? NULL : rt_find(table);
    if (!all && !def) {
        fprintf(stderr, "nccs: unknown table %s\n", table);
        return usage();
    }
    if (strcmp(format, "csv") && strcmp(format, "xlsx") && strcmp(format, "json") &&
        strcmp(format, "zip"))
        return usage();
    if ((!strcmp(format, "xlsx") || !strcmp(format, "zip")) && !out) {
        fprintf(stderr, "nccs: --format %s needs --out FILE\n", format);
        return 2;
    }
    if (!strcmp(format, "zip") && !all) {
        fprintf(stderr, "nccs: --format zip is for --table all\n");
        return 2;
    }
    rt_params p = {.fy = (int)fy};
    if (pref) {
        if (code_index(PREFECTURE_CODES, pref) < 0) {
            fprintf(stderr, "nccs: --prefecture must be 01..47\n");
            return 2;
        }
        str_copy(p.pref, sizeof p.pref, pref);
    }
    if (def && (def->flags & RTF_CAMPAIGN)) {
        const char *from = cli_opt(argc, argv, "--from"), *to = cli_opt(argc, argv, "--to");
        const char *tag = cli_opt(argc, argv, "--campaign");
        int y, m, d;
        if (!from || !to || !tag || date_parse(from, &y, &m, &d) != 0 ||
            date_parse(to, &y, &m, &d) != 0 || date_cmp(from, to) > 0 || !*tag ||
            str_utf8_len(tag) > 40 || !str_utf8_clean(tag, false)) {
            fprintf(stderr, "nccs: the campaign table needs --from, --to (dates, from <= to) and "
                            "--campaign TAG (at most 40 characters)\n");
            return 2;
        }
        str_copy(p.from, sizeof p.from, from);
        str_copy(p.to, sizeof p.to, to);
        str_copy(p.campaign, sizeof p.campaign, tag);
    }
    if (def && (def->flags & RTF_PREF_REQUIRED) && !p.pref[0]) {
        fprintf(stderr, "nccs: table %s is per center: give --prefecture\n", def->name);
        return 2;
    }
    if (def && (def->flags & RTF_NATIONAL_ONLY) && p.pref[0]) {
        fprintf(stderr, "nccs: table %s is national: no --prefecture\n", def->name);
        return 2;
    }
    const rt_def *defs[32];
    int n = 1;
    if (all)
        n = rt_bundle_defs(&p, true, defs, 32);
    else
        defs[0] = def;
    db *d = cli_open();
    if (!d)
        return 1;
    int rc = 0;
    char err[256] = "";
    if (!strcmp(format, "xlsx") || !strcmp(format, "zip")) {
        char *data = NULL;
        size_t len = 0;
        if (rt_bundle(d, &p, defs, n, format, NULL, NULL, &data, &len, err, sizeof err) != DB_OK) {
            fprintf(stderr, "nccs: %s: %s\n", err, db_errmsg(d));
            rc = 1;
        } else {
            rc = emit(out, data, len);
        }
        free(data);
    } else {
        json_t *arr = json_array();
        nbuf b;
        nbuf_init(&b, RT_FILE_CAP);
        rt_memo_begin();
        for (int k = 0; k < n && rc == 0; k++) {
            rtable t;
            if (rt_build(d, defs[k], &p, &t) != DB_OK) {
                fprintf(stderr, "nccs: building %s failed: %s\n", defs[k]->name, db_errmsg(d));
                rc = 1;
            } else if (!strcmp(format, "json")) {
                json_array_append_new(arr, rt_json(&t));
            } else if ((k && nbuf_puts(&b, "\r\n") != 0) || rt_csv(&t, &b, k == 0) != 0) {
                fprintf(stderr, "nccs: table too large\n");
                rc = 1;
            }
            rt_free(&t);
        }
        rt_memo_end();
        if (rc == 0 && !strcmp(format, "json")) {
            char *text = json_dumps(all ? arr : json_array_get(arr, 0), JSON_COMPACT);
            if (text) {
                rc = emit(out, text, strlen(text));
                if (!out && rc == 0)
                    putchar('\n');
            }
            free(text);
        } else if (rc == 0) {
            rc = emit(out, b.data ? b.data : "", b.len);
        }
        nbuf_free(&b);
        json_decref(arr);
    }
    db_close(d);
    return rc;
}

/* nccs export offers --db URL [--prefecture NN] --out FILE: every published offer as XLSX (the
 * same workbook as GET /api/v1/exports/offers.xlsx). */
int cmd_export(int argc, char **argv)
{
    const char *out = cli_opt(argc, argv, "--out"), *pref = cli_opt(argc, argv, "--prefecture");
    if (argc < 1 || strcmp(argv[0], "offers") || !out ||
        (pref && code_index(PREFECTURE_CODES, pref) < 0)) {
        fprintf(stderr, "usage: nccs export offers --db URL [--prefecture NN] --out FILE.xlsx\n");
        return 2;
    }
    db *d = cli_open();
    if (!d)
        return 1;
    char *data = NULL, err[256] = "";
    size_t len = 0;
    int rc = 0;
    if (rt_offers_xlsx(d, pref ? pref : "", &data, &len, err, sizeof err) != DB_OK) {
        fprintf(stderr, "nccs: %s: %s\n", err, db_errmsg(d));
        rc = 1;
    } else {
        rc = emit(out, data, len);
    }
    free(data);
    db_close(d);
    return rc;
}
