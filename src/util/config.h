/* Runtime configuration: defaults, then an optional KEY=VALUE file (--config FILE or
 * NCCS_CONFIG), then NCCS_* environment variables, then command-line flags. */
#ifndef NCCS_UTIL_CONFIG_H
#define NCCS_UTIL_CONFIG_H
#include <stdbool.h>
#include <stddef.h>

typedef struct config {
    char db_url[1024];     /* NCCS_DB: sqlite:PATH or postgresql://... */
    char listen[256];      /* NCCS_LISTEN: HOST:PORT */
    int threads;           /* NCCS_THREADS: worker threads (each has one DB connection) */
    char web_dir[1024];    /* NCCS_WEB_DIR: built SPA (web/dist) */
    char smtp_url[512];    /* NCCS_SMTP_URL: smtp://host:port */
    char mail_from[256];   /* NCCS_MAIL_FROM */
    char base_url[512];    /* NCCS_BASE_URL: public origin used in mailed links */
    bool trust_proxy;      /* NCCS_TRUST_PROXY: client IP from the last X-Forwarded-For hop */
    int login_ip_max;      /* NCCS_LOGIN_IP_MAX: failed logins per IP per window */
    int login_account_max; /* NCCS_LOGIN_ACCOUNT_MAX: failed logins per account per window */
    int login_window;      /* seconds */
    int max_conn_per_ip;   /* NCCS_MAX_CONN_PER_IP */
    int max_connections;   /* NCCS_MAX_CONNECTIONS */
    int idle_timeout;      /* NCCS_IDLE_TIMEOUT: seconds a connection may stay idle */
    int session_idle;      /* NCCS_SESSION_IDLE: seconds */
    int session_absolute;  /* NCCS_SESSION_ABSOLUTE: seconds */
    size_t body_max;       /* NCCS_BODY_MAX: default request body cap in bytes */
    bool access_log;       /* NCCS_ACCESS_LOG=0 turns the per-request log line off */
} config;

extern config g_config;

void config_defaults(config *c);
/* Applies KEY=VALUE lines of a file (keys as the NCCS_* names). Returns 0 or -1. */
int config_load_file(config *c, const char *path);
void config_load_env(config *c);
/* Sets one key (NCCS_* name); returns 0, or -1 for an unknown key or bad value. */
int config_set(config *c, const char *key, const char *value);

#endif
