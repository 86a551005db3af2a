#include "http/server.h"
#include "api/api.h"
#include "http/router.h"
#include "http/session.h"
#include "jobs/jobs.h"
#include "search/offer_index.h"
#include "store/applications.h"
#include "store/casework.h"
#include "store/facilities.h"
#include "store/helpdesk.h"
#include "store/migrate.h"
#include "store/notifications.h"
#include "store/offers.h"
#include "util/config.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define URL_MAX 2048

static atomic_int g_inflight;

/* ---- one DB connection per worker thread; all are closed at shutdown ---------------- */

static _Thread_local db *tl_db;
static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;
static db *conns[512];
static int nconns;

static db *worker_db(void)
{
    if (tl_db)
        return tl_db;
    char err[256];
    db *d = NULL;
    if (db_open(g_config.db_url, &d, err, sizeof err) != DB_OK) {
        log_error("database connection failed: %s", err);
        return NULL;
    }
    pthread_mutex_lock(&conns_lock);
    if (nconns < (int)(sizeof conns / sizeof conns[0]))
        conns[nconns++] = d;
    pthread_mutex_unlock(&conns_lock);
    tl_db = d;
    return d;
}

static void close_all_dbs(void)
{
    pthread_mutex_lock(&conns_lock);
    for (int i = 0; i < nconns; i++)
        db_close(conns[i]);
    nconns = 0;
    pthread_mutex_unlock(&conns_lock);
}

/* ---- request context ---------------------------------------------------------------- */

typedef struct file_reply {
    int fd;
    uint64_t size;
    const char *type;
    const char *cache;
    const char *encoding; /* NULL, "br" or "gzip" */
} file_reply;

typedef struct ctx {
    req r;
    file_reply file;
    bool started;   /* the access handler has seen this request */
    size_t raw_len; /* length of the request target as sent (path + query, undecoded) */
    bool raw_nul;   /* the target contains %00, which decoding would silently cut at */
    size_t drained; /* body bytes read and dropped after the body went over the route's cap */
} ctx;

/* A body somewhat over the route's cap (up to the cap plus the larger of the cap and 4 MiB) is
 * still read and dropped, so that a client which is still sending receives the 413 instead of a
 * connection reset; a larger one is answered at once and the connection closed. */
#define BODY_DRAIN_SLACK ((size_t)4 << 20)
static size_t drain_limit(size_t cap)
{
    return cap + (cap > BODY_DRAIN_SLACK ? cap : BODY_DRAIN_SLACK);
}

static void req_free(ctx *c)
{
    nbuf_free(&c->r.body);
    json_decref(c->r.json);
    free(c->r.resp);
    if (c->file.fd >= 0)
        close(c->file.fd);
    free(c);
}

static void client_ip(req *r)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    str_copy(r->ip, sizeof r->ip, "unknown");
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, r->ip,
                      sizeof r->ip);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, r->ip,
                      sizeof r->ip);
    }
    if (g_config.trust_proxy) {
        const char *xff = req_header(r, "X-Forwarded-For");
        if (xff && *xff) {
            const char *last = strrchr(xff, ',');
            last = last ? last + 1 : xff;
            while (*last == ' ')
                last++;
            char tmp[64];
            str_copy(tmp, sizeof tmp, last);
            unsigned char buf[sizeof(struct in6_addr)];
            if (inet_pton(AF_INET, tmp, buf) == 1 || inet_pton(AF_INET6, tmp, buf) == 1)
                str_copy(r->ip, sizeof r->ip, tmp);
        }
    }
}

/* ---- static files of the web app ---------------------------------------------------- */

static const char *mime_of(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {{".html", "text/html; charset=utf-8"},
                 {".js", "text/javascript; charset=utf-8"},
                 {".css", "text/css; charset=utf-8"},
                 {".svg", "image/svg+xml"},
                 {".png", "image/png"},
                 {".ico", "image/x-icon"},
                 {".json", "application/json"},
                 {".webmanifest", "application/manifest+json"},
                 {".woff2", "font/woff2"},
                 {".txt", "text/plain; charset=utf-8"},
                 {".map", "application/json"}};
    const char *dot = strrchr(path, '.');
    if (dot)
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (!strcmp(dot, types[i].ext))
                return types[i].type;
    return "application/octet-stream";
}

static bool accepts(req *r, const char *enc)
{
    const char *ae = req_header(r, "Accept-Encoding");
    return ae && strstr(ae, enc);
}

/* Opens web_dir + rel (or its precompressed sibling when accepted). Returns true and fills f. */
static bool open_static(req *r, const char *rel, file_reply *f)
{
    char path[2048];
    static const struct {
        const char *suffix, *token, *encoding;
    } encs[] = {{".br", "br", "br"}, {".gz", "gzip", "gzip"}, {"", NULL, NULL}};
    for (size_t i = 0; i < sizeof encs / sizeof encs[0]; i++) {
        if (encs[i].token && !accepts(r, encs[i].token))
            continue;
        int n = snprintf(path, sizeof path, "%s%s%s", g_config.web_dir, rel, encs[i].suffix);
        if (n < 0 || (size_t)n >= sizeof path)
            return false;
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        struct stat st;
        if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            close(fd);
            continue;
        }
        f->fd = fd;
        f->size = (uint64_t)st.st_size;
        f->encoding = encs[i].encoding;
        f->type = mime_of(rel);
        return true;
    }
    return false;
}

/* Serves the SPA: files under web_dir, hashed /assets/ cached for a year, index.html never
 * cached, and index.html for client routes (paths whose last segment has no dot). */
static void serve_static(ctx *c, const char *url)
{
    req *r = &c->r;
    if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
        req_add_header(r, "Allow", "GET, HEAD");
        reply_error(r, E_METHOD_NOT_ALLOWED, NULL);
        return;
    }
    if (url[0] != '/' || strstr(url, "..") || strchr(url, '\\') || strstr(url, "//")) {
        reply_error(r, E_ROUTE_NOT_FOUND, NULL);
        return;
    }
    const char *rel = strcmp(url, "/") == 0 ? "/index.html" : url;
    if (open_static(r, rel, &c->file)) {
        c->file.cache = str_starts(rel, "/assets/")   ? "public, max-age=31536000, immutable"
                        : !strcmp(rel, "/index.html") ? "no-cache"
                                                      : "public, max-age=3600";
        r->status = 200;
        r->replied = true;
        return;
    }
    const char *last = strrchr(url, '/');
    if (last && !strchr(last, '.') && open_static(r, "/index.html", &c->file)) {
        c->file.cache = "no-cache";
        r->status = 200;
        r->replied = true;
        return;
    }
    reply_error(r, E_ROUTE_NOT_FOUND, NULL);
}

/* The public offer page: index.html with the offer's title, description and JSON-LD (404 with
 * the plain app when the offer is not published). Returns false to fall back to static files
 * (no web app built, or a database error). */
static bool serve_offer_page(ctx *c, const char *offer_no)
{
    req *r = &c->r;
    char path[1100];
    snprintf(path, sizeof path, "%s/index.html", g_config.web_dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char tpl[64 * 1024];
    size_t n = fread(tpl, 1, sizeof tpl - 1, f);
    fclose(f);
    tpl[n] = '\0';
    r->db = worker_db();
    if (!r->db)
        return false;
    char *html = NULL;
    int rc = ssr_offer_page(r->db, offer_no, tpl, &html);
    if (rc < 0)
        return false;
    r->content_type = "text/html; charset=utf-8";
    req_add_header(r, "Cache-Control", "no-cache");
    r->resp = rc == 0 ? html : strdup(tpl);
    r->resp_len = r->resp ? strlen(r->resp) : 0;
    r->status = rc == 0 ? 200 : 404;
    r->replied = true;
    return true;
}

/* ---- dispatch of an API request ----------------------------------------------------- */

static bool is_write(const char *m)
{
    return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0;
}

/* Loads the subject of a scoped route (path parameter {id}) into r->subject and lets
 * domain/authz.c decide. Returns true to go on; otherwise a reply is made: 400 for a malformed
 * id, 404 for an unknown subject or one outside the caller's scope (never revealing which). */
static bool resolve_scope(req *r)
{
    int64_t id;
    if (req_param_id(r, 0, &id) != 0)
        return false;
    memset(&r->subject, 0, sizeof r->subject);
    principal scope; /* whom authz judges: the person, or the facility (of the offer) */
    memset(&scope, 0, sizeof scope);
    authz_result (*decide)(const principal *, const principal *) = authz_facility;
    int rc;
    switch (r->route->scope) {
    case SCOPE_PERSON: {
        account a;
        rc = store_user_by_id(r->db, id, &a);
        if (rc == DB_OK)
            principal_from_account(&scope, &a);
        decide = authz_person;
        break;
    }
    case SCOPE_FACILITY:
        rc = store_facility_scope(r->db, id, scope.prefecture, sizeof scope.prefecture);
        scope.id = scope.facility_id = id;
        break;
    case SCOPE_APPLICATION: {
        authz_app app;
        rc = store_app_scope(r->db, id, &app);
        if (rc == DB_OK && authz_application(&r->actor, &app) != AUTHZ_ALLOW)
            rc = DB_NOTFOUND;
        decide = NULL; /* decided here */
        break;
    }
    case SCOPE_NOTIFICATION: {
        authz_notif n;
        rc = store_notification_scope(r->db, id, &n);
        if (rc == DB_OK && authz_notification(&r->actor, &n) != AUTHZ_ALLOW)
            rc = DB_NOTFOUND;
        if (rc == DB_OK) {
            scope.facility_id = n.facility_id;
            str_copy(scope.prefecture, sizeof scope.prefecture, n.prefecture);
        }
        decide = NULL;
        break;
    }
    case SCOPE_TASK:
    case SCOPE_CONSULTATION:
        rc = r->route->scope == SCOPE_TASK
                 ? store_task_scope(r->db, id, scope.prefecture, sizeof scope.prefecture)
                 : store_consultation_scope(r->db, id, scope.prefecture, sizeof scope.prefecture);
        if (rc == DB_OK && authz_center_record(&r->actor, scope.prefecture) != AUTHZ_ALLOW)
            rc = DB_NOTFOUND;
        decide = NULL;
        break;
    case SCOPE_HELPDESK:
        rc = store_helpdesk_scope(r->db, id, scope.prefecture, sizeof scope.prefecture);
        if (rc == DB_OK && authz_center_record(&r->actor, scope.prefecture) != AUTHZ_ALLOW)
            rc = DB_NOTFOUND;
        decide = NULL;
        break;
    default: /* SCOPE_OFFER */
        rc = store_offer_scope(r->db, id, &scope.facility_id, scope.prefecture,
                               sizeof scope.prefecture);
        scope.id = scope.facility_id;
        break;
    }
    if (rc != DB_OK && rc != DB_NOTFOUND) {
        reply_error(r, E_INTERNAL, NULL);
        return false;
    }
    if (rc == DB_NOTFOUND || (decide && decide(&r->actor, &scope) != AUTHZ_ALLOW)) {
        reply_error(r, E_NOT_FOUND, NULL);
        return false;
    }
    r->subject = scope;
    r->subject.id = id; /* the person, facility or offer itself */
    return true;
}

static void dispatch(ctx *c)
{
    req *r = &c->r;
    if (r->body_over) {
        reply_error(r, E_TOO_LARGE, NULL);
        return;
    }
    r->db = worker_db();
    if (!r->db) {
        reply_error(r, E_UNAVAILABLE, NULL);
        return;
    }
    if (session_load(r) != 0) {
        reply_error(r, E_INTERNAL, NULL);
        return;
    }
    const route *rt = r->route;
    switch (authz_route(r->signed_in ? &r->actor : NULL, rt->roles)) {
    case AUTHZ_LOGIN:
        reply_error(r, E_AUTH_REQUIRED, NULL);
        return;
    case AUTHZ_DENY:
        reply_error(r, E_FORBIDDEN, NULL);
        return;
    default:
        break;
    }
    /* Every write made with a session carries the session's CSRF token, public routes too. */
    if (is_write(r->method) && r->signed_in) {
        const char *tok = req_header(r, "X-CSRF-Token");
        if (!tok || !crypto_equal(tok, r->csrf)) {
            reply_error(r, E_CSRF, NULL);
            return;
        }
    }
    if (is_write(r->method) && !(rt->flags & ROUTE_RAW_BODY)) {
        json_error_t jerr;
        if (r->body.len == 0 && (rt->flags & ROUTE_NO_BODY)) {
            r->json = json_object();
        } else {
            r->json = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &jerr);
            if (!r->json || !json_is_object(r->json)) {
                reply_error(r, E_MALFORMED_JSON, NULL);
                return;
            }
            if (rt->flags & ROUTE_NO_BODY) { /* an object is fine, but it must be empty */
                static const vfield NONE[] = {{.name = NULL}};
                verrs e = {.n = 0};
                if (validate_object(r->json, NONE, "", "", &e)) {
                    reply_validation(r, &e);
                    return;
                }
            }
        }
    }
    if (rt->scope != SCOPE_NONE && !resolve_scope(r))
        return;
    rt->fn(r);
    if (db_in_tx(r->db)) {
        log_error("route %s %s left a transaction open; rolled back", rt->method, rt->path);
        db_rollback(r->db);
        reply_error(r, E_INTERNAL, NULL);
    }
    if (!r->replied) {
        log_error("route %s %s gave no reply", rt->method, rt->path);
        reply_error(r, E_INTERNAL, NULL);
    }
}

/* ---- libmicrohttpd callbacks ---------------------------------------------------------- */

static void add_security_headers(struct MHD_Response *resp, bool api)
{
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; script-src 'self'; style-src 'self'; "
                            "img-src 'self' data:; connect-src 'self'; font-src 'self'; "
                            "object-src 'none'; base-uri 'none'; form-action 'self'; "
                            "frame-ancestors 'none'");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(resp, "Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    if (api)
        MHD_add_response_header(resp, "Cache-Control", "no-store");
}

static enum MHD_Result send_reply(ctx *c)
{
    req *r = &c->r;
    struct MHD_Response *resp;
    bool is_file = c->file.fd >= 0 && r->resp == NULL;
    if (is_file) {
        resp = MHD_create_response_from_fd64(c->file.size, c->file.fd);
        c->file.fd = -1; /* owned by the response now */
    } else {
        resp = MHD_create_response_from_buffer(r->resp_len, r->resp ? r->resp : (void *)"",
                                               MHD_RESPMEM_MUST_COPY);
    }
    if (!resp)
        return MHD_NO;
    add_security_headers(resp, !is_file && !r->content_type);
    if (is_file) {
        MHD_add_response_header(resp, "Content-Type", c->file.type);
        MHD_add_response_header(resp, "Cache-Control", c->file.cache);
        MHD_add_response_header(resp, "Vary", "Accept-Encoding");
        if (c->file.encoding)
            MHD_add_response_header(resp, "Content-Encoding", c->file.encoding);
    } else if (r->content_type) {
        MHD_add_response_header(resp, "Content-Type", r->content_type);
    } else if (r->resp_len) {
        MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
    }
    for (int i = 0; i < r->nheaders; i++)
        MHD_add_response_header(resp, r->headers[i].name, r->headers[i].value);
    if (r->status == 0)
        r->status = 500;
    enum MHD_Result ok = MHD_queue_response(r->conn, (unsigned)r->status, resp);
    if (is_file)
        r->resp_len = (size_t)c->file.size;
    MHD_destroy_response(resp);
    return ok;
}

/* A JSON body must say application/json; a file upload (ROUTE_RAW_BODY) may say anything but
 * that. */
static bool content_type_ok(req *r)
{
    const char *ct = req_header(r, "Content-Type");
    size_t n = strlen("application/json");
    bool json = ct && strncasecmp(ct, "application/json", n) == 0 &&
                (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
    return (r->route->flags & ROUTE_RAW_BODY) ? !json : json;
}

/* Called by MHD with the request target exactly as sent, before any decoding: the context is
 * created here so that length and %00 checks see the raw text. Returns the new context, which
 * becomes *con_cls (freed in on_completed). */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)cls;
    (void)conn;
    ctx *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->file.fd = -1;
    c->raw_len = strlen(uri);
    c->raw_nul = strstr(uri, "%00") != NULL;
    return c;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    (void)cls;
    (void)version;
    ctx *c = *con_cls;
    if (!c)
        return MHD_NO; /* on_uri could not allocate */
    if (!c->started) {
        c->started = true;
        atomic_fetch_add(&g_inflight, 1);
        req *r = &c->r;
        r->conn = conn;
        r->method = method;
        r->url = url;
        r->t0_us = time_now_us();
        client_ip(r);
        const char *ua = req_header(r, "User-Agent");
        str_copy(r->ua, sizeof r->ua, ua ? ua : "");
        if (c->raw_len > URL_MAX) {
            reply_error(r, E_URI_TOO_LONG, NULL);
            return send_reply(c);
        }
        if (c->raw_nul) {
            reply_error(r, E_BAD_PARAMETER, NULL);
            return send_reply(c);
        }
        if (str_starts(url, "/offers/") && !strchr(url + 8, '/') && !is_write(method) &&
            serve_offer_page(c, url + 8))
            return send_reply(c);
        if (!str_starts(url, "/api/") && strcmp(url, "/healthz") != 0) {
            serve_static(c, url);
            return send_reply(c);
        }
        char allow[128];
        switch (router_match(method, url, &r->route, r->params, &r->nparams, allow, sizeof allow)) {
        case MATCH_NO_PATH:
            reply_error(r, E_ROUTE_NOT_FOUND, NULL);
            return send_reply(c);
        case MATCH_BAD_METHOD:
            req_add_header(r, "Allow", allow);
            reply_error(r, E_METHOD_NOT_ALLOWED, NULL);
            return send_reply(c);
        default:
            break;
        }
        size_t cap = r->route->max_body ? r->route->max_body : g_config.body_max;
        nbuf_init(&r->body, cap);
        const char *cl = req_header(r, "Content-Length");
        int64_t clen = 0;
        if (cl && str_to_i64(cl, 0, INT64_MAX, &clen) == 0 && (uint64_t)clen > cap) {
            if ((uint64_t)clen > drain_limit(cap)) {
                reply_error(r, E_TOO_LARGE, NULL);
                return send_reply(c);
            }
            r->body_over = true; /* read and drop the body, then answer 413 (dispatch) */
        }
        const char *te = req_header(r, "Transfer-Encoding");
        bool has_body = clen > 0 || (te && *te);
        if (has_body && is_write(method) && !content_type_ok(r)) {
            static const err_def FILE_WANTED = {415, "request.unsupported_media_type",
                                                "ファイル（CSV または Excel）をそのまま送信して"
                                                "ください。"};
            if (r->route->flags & ROUTE_RAW_BODY)
                reply_error_def(r, &FILE_WANTED, NULL);
            else
                reply_error(r, E_UNSUPPORTED_MEDIA, NULL);
            return send_reply(c);
        }
        return MHD_YES;
    }
    if (c->r.replied) {
        *upload_size = 0; /* an early reply was queued; discard the rest of the body */
        return MHD_YES;
    }
    if (*upload_size) {
        if (c->r.body_over) {
            c->drained += *upload_size;
            if (c->drained > drain_limit(c->r.body.max)) {
                *upload_size = 0;
                reply_error(&c->r, E_TOO_LARGE, NULL);
                return send_reply(c);
            }
        } else if (nbuf_append(&c->r.body, upload_data, *upload_size) != 0) {
            c->r.body_over = true;
        }
        *upload_size = 0;
        return MHD_YES;
    }
    dispatch(c);
    return send_reply(c);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    ctx *c = *con_cls;
    if (!c)
        return;
    if (!c->started) { /* MHD answered by itself (e.g. headers too large) */
        req_free(c);
        *con_cls = NULL;
        return;
    }
    req *r = &c->r;
    if (g_config.access_log) {
        char line[1024];
        int n = snprintf(line, sizeof line,
                         "{\"t\":%lld,\"method\":\"%s\",\"route\":\"%s\",\"status\":%d,"
                         "\"bytes\":%zu,\"us\":%lld,\"user\":%lld,\"ip\":\"%s\"}",
                         (long long)time_now(), r->method,
                         r->route ? r->route->path : (r->status == 200 ? "static" : "-"), r->status,
                         r->resp_len, (long long)(time_now_us() - r->t0_us),
                         (long long)(r->signed_in ? r->actor.id : 0), r->ip);
        if (n > 0)
            log_line(line, n < (int)sizeof line ? n : (int)sizeof line - 1);
    }
    req_free(c);
    *con_cls = NULL;
    atomic_fetch_sub(&g_inflight, 1);
}

static int parse_listen(const char *listen, struct sockaddr_in *sa)
{
    char host[128];
    str_copy(host, sizeof host, listen);
    char *colon = strrchr(host, ':');
    if (!colon)
        return -1;
    *colon = '\0';
    int64_t port;
    if (str_to_i64(colon + 1, 0, 65535, &port) != 0)
        return -1;
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    if (!strcmp(host, "localhost"))
        str_copy(host, sizeof host, "127.0.0.1");
    if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
        return -1;
    return 0;
}

int server_run(void)
{
    struct sockaddr_in sa;
    if (parse_listen(g_config.listen, &sa) != 0) {
        fprintf(stderr, "nccs: --listen must be IPv4HOST:PORT, got %s\n", g_config.listen);
        return 2;
    }
    if (api_init() != 0)
        return 1;
    /* Check the schema before accepting traffic. */
    db *d = worker_db();
    if (!d) {
        api_shutdown();
        return 1;
    }
    int cur = 0;
    if (migrate_current(d, &cur) != DB_OK || cur < migrate_latest()) {
        fprintf(stderr, "nccs: database schema is not current (run `nccs migrate`)\n");
        close_all_dbs();
        api_shutdown();
        return 1;
    }
    if (offer_index_init(d) != 0) {
        fprintf(stderr, "nccs: cannot build the search index: %s\n", db_errmsg(d));
        close_all_dbs();
        api_shutdown();
        return 1;
    }
    close_all_dbs();
    tl_db = NULL;

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct MHD_Daemon *daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_TURBO, 0, NULL,
        NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)g_config.threads, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, NULL, MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)g_config.max_connections, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        (unsigned)g_config.max_conn_per_ip, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)g_config.idle_timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, 1, MHD_OPTION_END);
    if (!daemon) {
        fprintf(stderr, "nccs: cannot listen on %s: %s\n", g_config.listen, strerror(errno));
        api_shutdown();
        return 1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    char host[64];
    inet_ntop(AF_INET, &sa.sin_addr, host, sizeof host);
    jobs_start(api_housekeeping, access_tick); /* access_tick runs offer_index_catch_up */
    printf("nccs: listening on http://%s:%u\n", host, info ? info->port : ntohs(sa.sin_port));
    fflush(stdout);
    log_info("serving on %s:%u with %d threads, db %s", host, info ? info->port : 0,
             g_config.threads, str_starts(g_config.db_url, "sqlite:") ? "sqlite" : "postgresql");

    int sig = 0;
    sigwait(&set, &sig);
    log_info("signal %d: finishing requests in flight", sig);
    MHD_socket lsock = MHD_quiesce_daemon(daemon);
    for (int i = 0; i < 3000 && atomic_load(&g_inflight) > 0; i++)
        usleep(10000);
    jobs_stop();
    MHD_stop_daemon(daemon);
    if (lsock != MHD_INVALID_SOCKET)
        close(lsock);
    access_stop(worker_db()); /* the last access counts */
    close_all_dbs();
    offer_index_free();
    api_shutdown();
    log_info("stopped");
    return 0;
}
