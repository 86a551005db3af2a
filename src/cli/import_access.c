/* `nccs import access-log`: nginx "combined" access logs into the access statistics
 * (access_daily), with the same classification and visit rules as the live counting
 * (domain/access.c; docs/API.md "Access statistics"). The files are streamed, counted in
 * memory and written in one transaction with one import_runs row per file (kind 'access_log',
 * SHA-256 of the content), so a file is never counted twice and an error writes nothing.
 *
 * `nccs access-counts`: prints access_daily rows as JSON (operations and tests). */
#include "cli/cli.h"
#include "domain/access.h"
#include "store/access.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMPORT_KIND        "access_log"
#define IMPORT_MAX_FILES   400       /* files per command (a year of daily rotations fits) */
#define READ_CHUNK         (1 << 20) /* bytes read at a time */
#define LINE_CAP           16384     /* longer lines are malformed */
#define MALFORMED_EXAMPLES 5         /* line numbers listed in the summary */

typedef struct {
    const char *path;
    const char *name; /* base name, recorded in import_runs */
    char sha256[crypto_hash_sha256_BYTES * 2 + 1];
    int64_t lines, views;
} import_file;

typedef struct {
    access_map map;
    bool have_map;
    access_site site_default;
    access_tracker *tracker;
    access_counts counts;
    import_file files[IMPORT_MAX_FILES];
    int nfiles;
    int64_t lines, views, not_counted, malformed;
    char examples[MALFORMED_EXAMPLES][300];
    int nexamples;
    bool full; /* the counters ran out of room: an error */
    access_log_entry e;
    char path[2048];
    int dup; /* the file already imported, for the message */
} import_ctx;

static void usage_import(void)
{
    fputs("usage: nccs import access-log --db URL [--map FILE] [--site-default job|notify] "
          "FILE...\n"
          "  FILE: nginx access logs in the \"combined\" format, oldest first (decompress\n"
          "        rotated .gz files first); each file is imported once (SHA-256)\n"
          "  --map FILE: lines PATH-PREFIX<TAB>SITE<TAB>PAGE or =PATH<TAB>SITE<TAB>PAGE\n"
          "  --site-default: the site of paths outside the notification site's (default job)\n",
          stderr);
}

static void process_line(import_ctx *c, import_file *f, int64_t lineno, const char *s, size_t n)
{
    if (n == 0 || (n == 1 && s[0] == '\r'))
        return; /* blank lines are not lines of the log */
    c->lines++;
    f->lines++;
    if (n > LINE_CAP || access_log_parse(s, n, &c->e) != 0) {
        c->malformed++;
        if (c->nexamples < MALFORMED_EXAMPLES)
            snprintf(c->examples[c->nexamples++], sizeof c->examples[0], "%s:%lld", f->name,
                     (long long)lineno);
        return;
    }
    if (!access_log_countable(&c->e, c->path, sizeof c->path)) {
        c->not_counted++;
        return;
    }
    access_site site;
    access_page page;
    if (!c->have_map || !access_map_lookup(&c->map, c->path, &site, &page))
        access_classify(c->path, ROLE_NONE, c->site_default, &site, &page);
    uint64_t client = access_client_id(c->tracker, site, c->e.ip, c->e.ua);
    if (access_record(&c->counts, c->tracker, c->e.t, site, page, access_device_of(c->e.ua),
                      client) != 0) {
        c->full = true;
        return;
    }
    c->views++;
    f->views++;
}

/* Streams one file through process_line and its SHA-256. 0, or -1 after printing the I/O
 * error. Lines longer than LINE_CAP are counted as malformed and skipped. */
static int read_file(import_ctx *c, import_file *f, char *buf)
{
    FILE *fp = fopen(f->path, "rb");
    if (!fp) {
        fprintf(stderr, "nccs: cannot open %s: %s\n", f->path, strerror(errno));
        return -1;
    }
    crypto_hash_sha256_state sha;
    crypto_hash_sha256_init(&sha);
    size_t len = 0;
    int64_t lineno = 0;
    bool skipping = false; /* inside an overlong line, already counted */
    for (;;) {
        size_t got = fread(buf + len, 1, READ_CHUNK, fp);
        if (got == 0 && ferror(fp)) {
            fprintf(stderr, "nccs: cannot read %s: %s\n", f->path, strerror(errno));
            fclose(fp);
            return -1;
        }
        crypto_hash_sha256_update(&sha, (const unsigned char *)buf + len, got);
        len += got;
        size_t start = 0;
        const char *nl;
        while ((nl = memchr(buf + start, '\n', len - start)) != NULL) {
            size_t end = (size_t)(nl - buf);
            if (skipping) { /* the end of an overlong line, numbered and counted already */
                skipping = false;
            } else {
                lineno++;
                process_line(c, f, lineno, buf + start, end - start);
            }
            start = end + 1;
            if (c->full)
                break;
        }
        size_t tail = len - start;
        if (got == 0 || c->full) { /* end of file: a last line without newline */
            if (tail > 0 && !skipping && !c->full)
                process_line(c, f, lineno + 1, buf + start, tail);
            break;
        }
        if (tail > LINE_CAP) {
            if (!skipping)
                process_line(c, f, ++lineno, buf + start, tail); /* counted as malformed */
            skipping = true;
            len = 0;
        } else {
            memmove(buf, buf + start, tail);
            len = tail;
        }
    }
    fclose(fp);
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&sha, digest);
    sodium_bin2hex(f->sha256, sizeof f->sha256, digest, sizeof digest);
    return 0;
}

static int load_map(access_map *m, const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "nccs: cannot open the map %s: %s\n", path, strerror(errno));
        return -1;
    }
    char line[ACCESS_MAP_PATH_MAX + 64], err[200];
    int lineno = 0, rc = 0;
    while (fgets(line, sizeof line, fp)) {
        lineno++;
        size_t n = strlen(line);
        if (n == sizeof line - 1 && line[n - 1] != '\n' && !feof(fp)) {
            fprintf(stderr, "nccs: %s:%d: line too long\n", path, lineno);
            rc = -1;
            break;
        }
        if (access_map_add_line(m, line, err, sizeof err) != 0) {
            fprintf(stderr, "nccs: %s:%d: %s\n", path, lineno, err);
            rc = -1;
            break;
        }
    }
    if (rc == 0 && ferror(fp)) {
        fprintf(stderr, "nccs: cannot read the map %s\n", path);
        rc = -1;
    }
    fclose(fp);
    return rc;
}

static int import_tx(db *d, void *arg)
{
    import_ctx *c = arg;
    int64_t now = time_now();
    for (int i = 0; i < c->nfiles; i++) {
        const import_file *f = &c->files[i];
        bool seen = false;
        int rc = store_import_run_exists(d, IMPORT_KIND, f->sha256, &seen);
        if (rc == DB_OK && seen)
            rc = DB_CONSTRAINT;
        if (rc == DB_OK)
            rc = store_import_run_insert(d, IMPORT_KIND, f->sha256, f->name, f->lines, f->views,
                                         now);
        if (rc != DB_OK) {
            if (rc == DB_CONSTRAINT)
                c->dup = i;
            return rc;
        }
    }
    return store_access_add(d, &c->counts);
}

static void print_summary(const import_ctx *c)
{
    int64_t visits = 0, first = INT64_MAX, last = INT64_MIN, days = 0;
    for (size_t i = 0; i < c->counts.n; i++) {
        const access_count *e = &c->counts.items[i];
        visits += e->visits;
        if (e->day < first)
            first = e->day;
        if (e->day > last)
            last = e->day;
    }
    /* distinct days: the counters are per key; count days by a presence bitmap of the span */
    if (c->counts.n) {
        size_t span = (size_t)(last - first + 1);
        unsigned char *seen = calloc(span, 1);
        for (size_t i = 0; seen && i < c->counts.n; i++)
            seen[c->counts.items[i].day - first] = 1;
        for (size_t i = 0; seen && i < span; i++)
            days += seen[i];
        free(seen);
    }
    printf("files: %d\n", c->nfiles);
    printf("lines read: %lld\n", (long long)c->lines);
    printf("page views: %lld\n", (long long)c->views);
    printf("visits: %lld\n", (long long)visits);
    printf("not counted: %lld (API, assets and other files, methods other than GET/HEAD, "
           "statuses outside 200-399, robots)\n",
           (long long)c->not_counted);
    printf("malformed lines: %lld", (long long)c->malformed);
    for (int i = 0; i < c->nexamples; i++)
        printf("%s%s", i ? ", " : " (", c->examples[i]);
    printf("%s\n", c->nexamples ? (c->malformed > c->nexamples ? ", ...)" : ")") : "");
    if (c->counts.n) {
        char a[16], b[16];
        access_day_text(first, a, sizeof a);
        access_day_text(last, b, sizeof b);
        printf("days: %lld (%s to %s, JST)\n", (long long)days, a, b);
    } else {
        printf("days: 0\n");
    }
    if (access_tracker_evicted(c->tracker))
        printf("clients forgotten at the cap of %d live clients: %llu\n", ACCESS_TRACKER_CAP,
               (unsigned long long)access_tracker_evicted(c->tracker));
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

int cmd_import_access_log(int argc, char **argv)
{
    static import_ctx c; /* large (the file table and a log entry): not on the stack */
    memset(&c, 0, sizeof c);
    c.site_default = ACCESS_SITE_JOB;
    const char *map_path = NULL;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--map") && i + 1 < argc) {
            map_path = argv[++i];
        } else if (!strcmp(argv[i], "--site-default") && i + 1 < argc) {
            int s = access_site_parse(argv[++i]);
            if (s < 0) {
                usage_import();
                return 2;
            }
            c.site_default = (access_site)s;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "nccs: unknown option %s\n", argv[i]);
            usage_import();
            return 2;
        } else if (c.nfiles >= IMPORT_MAX_FILES) {
            fprintf(stderr, "nccs: at most %d files at a time\n", IMPORT_MAX_FILES);
            return 2;
        } else {
            c.files[c.nfiles].path = argv[i];
            c.files[c.nfiles].name = base_name(argv[i]);
            c.nfiles++;
        }
    }
    if (c.nfiles == 0) {
        usage_import();
        return 2;
    }
    if (map_path) {
        if (load_map(&c.map, map_path) != 0) {
            access_map_free(&c.map);
            return 2;
        }
        c.have_map = true;
    }
    db *d = cli_open();
    if (!d) {
        access_map_free(&c.map);
        return 1;
    }
    unsigned char key[16];
    randombytes_buf(key, sizeof key);
    c.tracker = access_tracker_new(ACCESS_TRACKER_CAP, key);
    char *buf = malloc(READ_CHUNK + LINE_CAP + 1);
    int rc = 1;
    if (!c.tracker || !buf) {
        fprintf(stderr, "nccs: out of memory\n");
        goto done;
    }
    for (int i = 0; i < c.nfiles; i++) {
        if (read_file(&c, &c.files[i], buf) != 0)
            goto done;
        if (c.full) {
            fprintf(stderr, "nccs: too many (day, site, page, device) counters; nothing "
                            "imported\n");
            goto done;
        }
        for (int k = 0; k < i; k++)
            if (!strcmp(c.files[k].sha256, c.files[i].sha256)) {
                fprintf(stderr, "nccs: %s and %s have the same content; nothing imported\n",
                        c.files[k].path, c.files[i].path);
                goto done;
            }
    }
    c.dup = -1;
    int trc = db_tx(d, import_tx, &c);
    if (trc == DB_CONSTRAINT && c.dup >= 0) {
        fprintf(stderr, "nccs: %s was already imported (SHA-256 %s); nothing imported\n",
                c.files[c.dup].path, c.files[c.dup].sha256);
        goto done;
    }
    if (trc != DB_OK) {
        fprintf(stderr, "nccs: cannot write the counts: %s; nothing imported\n", db_errmsg(d));
        goto done;
    }
    print_summary(&c);
    rc = 0;
done:
    free(buf);
    access_tracker_free(c.tracker);
    access_counts_free(&c.counts);
    access_map_free(&c.map);
    db_close(d);
    return rc;
}

/* ---- nccs access-counts ------------------------------------------------------------- */

int cmd_access_counts(int argc, char **argv)
{
    const char *from = NULL, *to = NULL;
    bool bad = argc % 2 != 0;
    for (int i = 0; !bad && i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--day"))
            from = to = argv[i + 1];
        else if (!strcmp(argv[i], "--from"))
            from = argv[i + 1];
        else if (!strcmp(argv[i], "--to"))
            to = argv[i + 1];
        else
            bad = true;
    }
    int y, m, dd;
    if (bad || !from || !to || date_parse(from, &y, &m, &dd) != 0 ||
        date_parse(to, &y, &m, &dd) != 0) {
        fprintf(stderr, "usage: nccs access-counts --db URL (--day YYYY-MM-DD | --from "
                        "YYYY-MM-DD --to YYYY-MM-DD)\n");
        return 2;
    }
    db *d = cli_open();
    if (!d)
        return 1;
    db_res *res = NULL;
    int rc = store_access_rows(d, from, to, &res);
    if (rc != DB_OK) {
        fprintf(stderr, "nccs: %s\n", db_errmsg(d));
        db_close(d);
        return 1;
    }
    json_t *arr = json_array();
    for (int i = 0; i < res->nrows; i++)
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:I,s:I}", "day", db_text(res, i, 0),
                                             "site", db_text(res, i, 1), "page", db_text(res, i, 2),
                                             "device", db_text(res, i, 3), "views",
                                             (json_int_t)db_int(res, i, 4), "visits",
                                             (json_int_t)db_int(res, i, 5)));
    db_res_free(res);
    db_close(d);
    char *s = json_dumps(arr, JSON_INDENT(1));
    json_decref(arr);
    if (!s)
        return 1;
    puts(s);
    free(s);
    return 0;
}
