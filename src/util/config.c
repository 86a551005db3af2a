#include "util/config.h"
#include "util/str.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

config g_config;

void config_defaults(config *c)
{
    memset(c, 0, sizeof *c);
    str_copy(c->db_url, sizeof c->db_url, "sqlite:var/nccs.db");
    str_copy(c->listen, sizeof c->listen, "127.0.0.1:8080");
    c->threads = 8;
    str_copy(c->web_dir, sizeof c->web_dir, "web/dist");
    str_copy(c->smtp_url, sizeof c->smtp_url, "smtp://127.0.0.1:2525");
    str_copy(c->mail_from, sizeof c->mail_from, "no-reply@nccs.example.jp");
    str_copy(c->base_url, sizeof c->base_url, "http://localhost:8080");
    c->login_ip_max = 30;
    c->login_account_max = 5;
    c->login_window = 15 * 60;
    c->max_conn_per_ip = 256;
    c->max_connections = 4096;
    c->idle_timeout = 60;
    c->session_idle = 30 * 60;
    c->session_absolute = 12 * 3600;
    c->body_max = 1024 * 1024;
    c->access_log = true;
}

static int set_int(int *dst, const char *v, int min, int max)
{
    int64_t x;
    if (str_to_i64(v, min, max, &x) != 0)
        return -1;
    *dst = (int)x;
    return 0;
}

static int set_bool(bool *dst, const char *v)
{
    if (str_eq(v, "1") || str_eq(v, "true") || str_eq(v, "yes"))
        *dst = true;
    else if (str_eq(v, "0") || str_eq(v, "false") || str_eq(v, "no"))
        *dst = false;
    else
        return -1;
    return 0;
}

static int set_str(char *dst, size_t cap, const char *v)
{
    if (strlen(v) >= cap)
        return -1; /* too long: keep the previous value */
    str_copy(dst, cap, v);
    return 0;
}

int config_set(config *c, const char *key, const char *v)
{
    if (!strcmp(key, "NCCS_DB"))
        return set_str(c->db_url, sizeof c->db_url, v);
    if (!strcmp(key, "NCCS_LISTEN"))
        return set_str(c->listen, sizeof c->listen, v);
    if (!strcmp(key, "NCCS_THREADS"))
        return set_int(&c->threads, v, 1, 256);
    if (!strcmp(key, "NCCS_WEB_DIR"))
        return set_str(c->web_dir, sizeof c->web_dir, v);
    if (!strcmp(key, "NCCS_SMTP_URL"))
        return set_str(c->smtp_url, sizeof c->smtp_url, v);
    if (!strcmp(key, "NCCS_MAIL_FROM"))
        return set_str(c->mail_from, sizeof c->mail_from, v);
    if (!strcmp(key, "NCCS_BASE_URL"))
        return set_str(c->base_url, sizeof c->base_url, v);
    if (!strcmp(key, "NCCS_TRUST_PROXY"))
        return set_bool(&c->trust_proxy, v);
    if (!strcmp(key, "NCCS_LOGIN_IP_MAX"))
        return set_int(&c->login_ip_max, v, 1, 1000000);
    if (!strcmp(key, "NCCS_LOGIN_ACCOUNT_MAX"))
        return set_int(&c->login_account_max, v, 1, 1000000);
    if (!strcmp(key, "NCCS_MAX_CONN_PER_IP"))
        return set_int(&c->max_conn_per_ip, v, 1, 100000);
    if (!strcmp(key, "NCCS_MAX_CONNECTIONS"))
        return set_int(&c->max_connections, v, 1, 1000000);
    if (!strcmp(key, "NCCS_IDLE_TIMEOUT"))
        return set_int(&c->idle_timeout, v, 1, 3600);
    if (!strcmp(key, "NCCS_SESSION_IDLE"))
        return set_int(&c->session_idle, v, 10, 30 * 86400);
    if (!strcmp(key, "NCCS_SESSION_ABSOLUTE"))
        return set_int(&c->session_absolute, v, 10, 90 * 86400);
    if (!strcmp(key, "NCCS_ACCESS_LOG"))
        return set_bool(&c->access_log, v);
    if (!strcmp(key, "NCCS_BODY_MAX")) {
        int x;
        if (set_int(&x, v, 1024, 1 << 30) != 0)
            return -1;
        c->body_max = (size_t)x;
        return 0;
    }
    return -1;
}

static const char *const keys[] = {"NCCS_DB",
                                   "NCCS_LISTEN",
                                   "NCCS_THREADS",
                                   "NCCS_WEB_DIR",
                                   "NCCS_SMTP_URL",
                                   "NCCS_MAIL_FROM",
                                   "NCCS_BASE_URL",
                                   "NCCS_TRUST_PROXY",
                                   "NCCS_LOGIN_IP_MAX",
                                   "NCCS_LOGIN_ACCOUNT_MAX",
                                   "NCCS_MAX_CONN_PER_IP",
                                   "NCCS_MAX_CONNECTIONS",
                                   "NCCS_IDLE_TIMEOUT",
                                   "NCCS_SESSION_IDLE",
                                   "NCCS_SESSION_ABSOLUTE",
                                   "NCCS_ACCESS_LOG",
                                   "NCCS_BODY_MAX",
                                   NULL};

void config_load_env(config *c)
{
    for (int i = 0; keys[i]; i++) {
        const char *v = getenv(keys[i]);
        if (v && config_set(c, keys[i], v) != 0)
            fprintf(stderr, "nccs: ignoring invalid %s\n", keys[i]);
    }
}

int config_load_file(config *c, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[2048];
    int rc = 0, lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        size_t n = strlen(line);
        if (n == sizeof line - 1 && line[n - 1] != '\n' && !feof(f)) {
            /* Over-long line: reject it and skip the rest instead of reading it as new lines. */
            int ch;
            while ((ch = fgetc(f)) != EOF && ch != '\n')
                ;
            fprintf(stderr, "nccs: %s:%d: line too long\n", path, lineno);
            rc = -1;
            continue;
        }
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' '))
            line[--n] = '\0';
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p || *p == '#')
            continue;
        char *eq = strchr(p, '=');
        if (!eq) {
            fprintf(stderr, "nccs: %s:%d: expected KEY=VALUE\n", path, lineno);
            rc = -1;
            continue;
        }
        *eq = '\0';
        if (config_set(c, p, eq + 1) != 0) {
            fprintf(stderr, "nccs: %s:%d: unknown key or bad value for %s\n", path, lineno, p);
            rc = -1;
        }
    }
    fclose(f);
    return rc;
}
