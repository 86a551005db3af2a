/* Access statistics: classification, visits, daily counters, log lines and the path map.
 * See access.h; the rules are documented in docs/API.md "Access statistics". */
#include "domain/access.h"
#include "util/timeutil.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const SITE_NAMES[] = {"job", "notify"};
static const char *const PAGE_NAMES[] = {"top_public", "top_staff", "top_seeker", "top_facility",
                                         "other"};
static const char *const DEVICE_NAMES[] = {"pc", "sp"};

const char *access_site_name(access_site s)
{
    return (unsigned)s < ACCESS_NSITES ? SITE_NAMES[s] : "job";
}

const char *access_page_name(access_page p)
{
    return (unsigned)p < ACCESS_NPAGES ? PAGE_NAMES[p] : "other";
}

const char *access_device_name(access_device d)
{
    return (unsigned)d < ACCESS_NDEVICES ? DEVICE_NAMES[d] : "pc";
}

int access_site_parse(const char *s)
{
    for (int i = 0; s && i < ACCESS_NSITES; i++)
        if (!strcmp(s, SITE_NAMES[i]))
            return i;
    return -1;
}

int access_page_parse(const char *s)
{
    for (int i = 0; s && i < ACCESS_NPAGES; i++)
        if (!strcmp(s, PAGE_NAMES[i]))
            return i;
    return -1;
}

/* ---- classification ------------------------------------------------------------------ */

bool access_ua_is_phone(const char *ua)
{
    if (!ua)
        return false;
    /* Tablets count as PCs. iPad Safari also says "Mobile/15E148", so iPad is tested first. */
    if (strstr(ua, "iPad") || strstr(ua, "Tablet"))
        return false;
    /* "Mobile" covers Android phones (Android tablets leave it out), Mobile Safari, Firefox
     * for phones and IEMobile. */
    return strstr(ua, "iPhone") || strstr(ua, "iPod") || strstr(ua, "Windows Phone") ||
           strstr(ua, "BlackBerry") || strstr(ua, "Opera Mini") || strstr(ua, "Mobile");
}

bool access_ua_is_bot(const char *ua)
{
    if (!ua || !ua[0] || !strcmp(ua, "-"))
        return true;
    return strcasestr(ua, "bot") || strcasestr(ua, "crawler") || strcasestr(ua, "spider") ||
           strcasestr(ua, "slurp");
}

int access_path_normalise(const char *target, char *out, size_t cap)
{
    if (!target || target[0] != '/' || cap < 2)
        return -1;
    size_t n = strcspn(target, "?#");
    while (n > 1 && target[n - 1] == '/')
        n--;
    if (n >= cap)
        return -1;
    memcpy(out, target, n);
    out[n] = '\0';
    return 0;
}

/* Whether path is base or below it ("/notify", "/notify/confirm"; not "/notifyx"). */
static bool under(const char *path, const char *base)
{
    size_t n = strlen(base);
    return !strncmp(path, base, n) && (path[n] == '\0' || path[n] == '/');
}

static access_page role_top(role ro)
{
    switch (ro) {
    case ROLE_SEEKER:
        return ACCESS_PAGE_TOP_SEEKER;
    case ROLE_FACILITY_ADMIN:
    case ROLE_FACILITY_STAFF:
        return ACCESS_PAGE_TOP_FACILITY;
    case ROLE_COUNSELOR:
    case ROLE_CENTER_ADMIN:
    case ROLE_CENTRAL:
    case ROLE_SYSADMIN:
        return ACCESS_PAGE_TOP_STAFF;
    default:
        return ACCESS_PAGE_OTHER;
    }
}

void access_classify(const char *path, role ro, access_site default_site, access_site *site,
                     access_page *page)
{
    static const struct {
        const char *base;
        access_page top;
    } NOTIFY[] = {{"/notify", ACCESS_PAGE_TOP_PUBLIC},
                  {"/seeker/notifications", ACCESS_PAGE_TOP_SEEKER},
                  {"/facility/notifications", ACCESS_PAGE_TOP_FACILITY},
                  {"/center/notifications", ACCESS_PAGE_TOP_STAFF}};
    char p[2048];
    *site = default_site;
    *page = ACCESS_PAGE_OTHER;
    if (access_path_normalise(path, p, sizeof p) != 0)
        return;
    for (size_t i = 0; i < sizeof NOTIFY / sizeof NOTIFY[0]; i++)
        if (under(p, NOTIFY[i].base)) {
            *site = ACCESS_SITE_NOTIFY;
            if (!strcmp(p, NOTIFY[i].base))
                *page = NOTIFY[i].top;
            return;
        }
    if (!strcmp(p, "/"))
        *page = ACCESS_PAGE_TOP_PUBLIC;
    else if (!strcmp(p, "/home"))
        *page = role_top(ro);
}

/* ---- visits -------------------------------------------------------------------------- */

/* Clients live in arrays indexed 0..n-1, on a doubly linked list from the least recently seen
 * (head) to the most recently seen (tail), and in an open-addressing table of indices (linear
 * probing, deletion by backward shift). Ids are SipHash values, so their low bits are the
 * table position. */
struct access_tracker {
    unsigned char key[16];
    size_t cap, n;
    uint64_t *ids;
    int64_t *last;
    int32_t *prev, *next;
    int32_t head, tail;
    int32_t *slots;
    size_t mask;
    uint64_t evicted;
};

access_tracker *access_tracker_new(size_t cap, const unsigned char key[16])
{
    if (cap < 1 || cap > ((size_t)1 << 24))
        return NULL;
    access_tracker *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    memcpy(t->key, key, sizeof t->key);
    t->cap = cap;
    size_t nslots = 8;
    while (nslots < cap * 2)
        nslots <<= 1;
    t->mask = nslots - 1;
    t->ids = malloc(cap * sizeof *t->ids);
    t->last = malloc(cap * sizeof *t->last);
    t->prev = malloc(cap * sizeof *t->prev);
    t->next = malloc(cap * sizeof *t->next);
    t->slots = malloc(nslots * sizeof *t->slots);
    if (!t->ids || !t->last || !t->prev || !t->next || !t->slots) {
        access_tracker_free(t);
        return NULL;
    }
    memset(t->slots, 0xff, nslots * sizeof *t->slots); /* -1 */
    t->head = t->tail = -1;
    return t;
}

void access_tracker_free(access_tracker *t)
{
    if (!t)
        return;
    free(t->ids);
    free(t->last);
    free(t->prev);
    free(t->next);
    free(t->slots);
    free(t);
}

uint64_t access_client_id(const access_tracker *t, access_site site, const char *ip, const char *ua)
{
    unsigned char in[1 + 64 + 1 + 512];
    size_t n = 0;
    in[n++] = (unsigned char)site;
    size_t li = ip ? strnlen(ip, 64) : 0, lu = ua ? strnlen(ua, 512) : 0;
    memcpy(in + n, ip ? ip : "", li);
    n += li;
    in[n++] = 0;
    memcpy(in + n, ua ? ua : "", lu);
    n += lu;
    unsigned char h[crypto_shorthash_BYTES];
    crypto_shorthash(h, in, n, t->key);
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | h[i];
    return v;
}

/* The table position holding client id, or -1. */
static long slot_of(const access_tracker *t, uint64_t id)
{
    for (size_t s = id & t->mask;; s = (s + 1) & t->mask) {
        int32_t i = t->slots[s];
        if (i < 0)
            return -1;
        if (t->ids[i] == id)
            return (long)s;
    }
}

static void slot_delete(access_tracker *t, size_t i)
{
    size_t j = i;
    for (;;) {
        j = (j + 1) & t->mask;
        if (t->slots[j] < 0)
            break;
        size_t k = t->ids[t->slots[j]] & t->mask; /* home position of the entry at j */
        bool stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
        if (stays)
            continue;
        t->slots[i] = t->slots[j];
        i = j;
    }
    t->slots[i] = -1;
}

static void list_unlink(access_tracker *t, int32_t i)
{
    if (t->prev[i] >= 0)
        t->next[t->prev[i]] = t->next[i];
    else
        t->head = t->next[i];
    if (t->next[i] >= 0)
        t->prev[t->next[i]] = t->prev[i];
    else
        t->tail = t->prev[i];
}

static void list_append(access_tracker *t, int32_t i)
{
    t->prev[i] = t->tail;
    t->next[i] = -1;
    if (t->tail >= 0)
        t->next[t->tail] = i;
    else
        t->head = i;
    t->tail = i;
}

/* Forgets client i; the last client moves into its place. */
static void tracker_remove(access_tracker *t, int32_t i)
{
    slot_delete(t, (size_t)slot_of(t, t->ids[i]));
    list_unlink(t, i);
    int32_t last = (int32_t)t->n - 1;
    if (i != last) {
        t->slots[slot_of(t, t->ids[last])] = i;
        t->ids[i] = t->ids[last];
        t->last[i] = t->last[last];
        t->prev[i] = t->prev[last];
        t->next[i] = t->next[last];
        if (t->prev[i] >= 0)
            t->next[t->prev[i]] = i;
        else
            t->head = i;
        if (t->next[i] >= 0)
            t->prev[t->next[i]] = i;
        else
            t->tail = i;
    }
    t->n--;
}

bool access_tracker_hit(access_tracker *t, uint64_t client, int64_t now)
{
    /* Clients idle longer than the gap can only start a new visit: forget them. */
    while (t->head >= 0 && now - t->last[t->head] > ACCESS_VISIT_GAP)
        tracker_remove(t, t->head);
    long s = slot_of(t, client);
    if (s >= 0) {
        int32_t i = t->slots[s];
        bool fresh = now - t->last[i] > ACCESS_VISIT_GAP;
        if (now > t->last[i])
            t->last[i] = now;
        list_unlink(t, i);
        list_append(t, i);
        return fresh;
    }
    if (t->n == t->cap) {
        tracker_remove(t, t->head);
        t->evicted++;
    }
    int32_t i = (int32_t)t->n++;
    t->ids[i] = client;
    t->last[i] = now;
    list_append(t, i);
    size_t p = client & t->mask;
    while (t->slots[p] >= 0)
        p = (p + 1) & t->mask;
    t->slots[p] = i;
    return true;
}

size_t access_tracker_live(const access_tracker *t)
{
    return t->n;
}

uint64_t access_tracker_evicted(const access_tracker *t)
{
    return t->evicted;
}

/* ---- daily counters ------------------------------------------------------------------ */

int64_t access_jst_day(int64_t t)
{
    int64_t s = t + 9 * 3600;
    return s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
}

void access_day_text(int64_t day, char *out, size_t cap)
{
    int y, m, d;
    time_civil_from_days(day, &y, &m, &d);
    snprintf(out, cap, "%04d-%02d-%02d", y, m, d);
}

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static uint64_t count_key(int64_t day, unsigned site, unsigned page, unsigned device)
{
    return (uint64_t)day * 32u + site * 16u + page * 2u + device;
}

static int counts_rehash(access_counts *c, size_t nslots)
{
    int32_t *s = malloc(nslots * sizeof *s);
    if (!s)
        return -1;
    memset(s, 0xff, nslots * sizeof *s);
    for (size_t i = 0; i < c->n; i++) {
        const access_count *e = &c->items[i];
        size_t p = mix64(count_key(e->day, e->site, e->page, e->device)) & (nslots - 1);
        while (s[p] >= 0)
            p = (p + 1) & (nslots - 1);
        s[p] = (int32_t)i;
    }
    free(c->slots);
    c->slots = s;
    c->nslots = nslots;
    return 0;
}

int access_counts_add(access_counts *c, int64_t day, access_site site, access_page page,
                      access_device device, int64_t views, int64_t visits)
{
    if ((unsigned)site >= ACCESS_NSITES || (unsigned)page >= ACCESS_NPAGES ||
        (unsigned)device >= ACCESS_NDEVICES)
        return -1;
    /* Grow first (load <= 1/2), so a failure counts nothing and a probe always ends. */
    if ((c->n + 1) * 2 > c->nslots && counts_rehash(c, c->nslots ? c->nslots * 2 : 64) != 0)
        return -1;
    uint64_t k = count_key(day, site, page, device);
    size_t p = mix64(k) & (c->nslots - 1);
    for (; c->slots[p] >= 0; p = (p + 1) & (c->nslots - 1)) {
        access_count *e = &c->items[c->slots[p]];
        if (e->day == day && e->site == site && e->page == page && e->device == device) {
            e->views += views;
            e->visits += visits;
            return 0;
        }
    }
    if (c->n >= ACCESS_COUNTS_MAX)
        return -1;
    if (c->n == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 32;
        access_count *it = realloc(c->items, ncap * sizeof *it);
        if (!it)
            return -1;
        c->items = it;
        c->cap = ncap;
    }
    c->items[c->n] = (access_count){.day = day,
                                    .site = (uint8_t)site,
                                    .page = (uint8_t)page,
                                    .device = (uint8_t)device,
                                    .views = views,
                                    .visits = visits};
    c->slots[p] = (int32_t)c->n++;
    return 0;
}

int access_counts_merge(access_counts *into, const access_counts *from)
{
    for (size_t i = 0; i < from->n; i++) {
        const access_count *e = &from->items[i];
        if (access_counts_add(into, e->day, e->site, e->page, e->device, e->views, e->visits))
            return -1;
    }
    return 0;
}

void access_counts_free(access_counts *c)
{
    free(c->items);
    free(c->slots);
    memset(c, 0, sizeof *c);
}

int access_record(access_counts *c, access_tracker *t, int64_t now, access_site site,
                  access_page page, access_device device, uint64_t client)
{
    bool visit = access_tracker_hit(t, client, now);
    return access_counts_add(c, access_jst_day(now), site, page, device, 1, visit ? 1 : 0);
}

/* ---- nginx log lines ----------------------------------------------------------------- */

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int access_log_time(const char *s, size_t len, int64_t *out)
{
    static const char MONTHS[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    if (len != 26 || s[2] != '/' || s[6] != '/' || s[11] != ':' || s[14] != ':' || s[17] != ':' ||
        s[20] != ' ' || (s[21] != '+' && s[21] != '-'))
        return -1;
    int mon = 0;
    for (int i = 0; i < 12; i++)
        if (!memcmp(s + 3, MONTHS + 3 * i, 3))
            mon = i + 1;
    int d = digits(s, 2), y = digits(s + 7, 4), hh = digits(s + 12, 2), mm = digits(s + 15, 2),
        ss = digits(s + 18, 2), oh = digits(s + 22, 2), om = digits(s + 24, 2);
    if (!mon || d < 0 || y < 0 || hh < 0 || mm < 0 || ss < 0 || oh < 0 || om < 0 ||
        !date_valid(y, mon, d) || hh > 23 || mm > 59 || ss > 59 || oh > 14 || om > 59)
        return -1;
    int64_t off = (int64_t)(oh * 3600 + om * 60) * (s[21] == '-' ? -1 : 1);
    *out = time_days_from_civil(y, mon, d) * 86400 + hh * 3600 + mm * 60 + ss - off;
    return 0;
}

/* Copies [s, s+n) into out (cap > 0), truncated; NUL-terminated. */
static void copy_span(char *out, size_t cap, const char *s, size_t n)
{
    if (n >= cap)
        n = cap - 1;
    memcpy(out, s, n);
    out[n] = '\0';
}

/* Splits the request line "METHOD TARGET [PROTOCOL]"; leaves method and target empty when it
 * is anything else. */
static void parse_request(const char *s, size_t n, access_log_entry *out)
{
    out->method[0] = out->target[0] = '\0';
    const char *end = s + n, *sp = memchr(s, ' ', n);
    if (!sp || sp == s || (size_t)(sp - s) >= sizeof out->method)
        return;
    for (const char *p = s; p < sp; p++)
        if (*p < 'A' || *p > 'Z')
            return;
    const char *t = sp + 1, *sp2 = memchr(t, ' ', (size_t)(end - t));
    const char *tend = sp2 ? sp2 : end;
    if (tend == t || (size_t)(tend - t) >= sizeof out->target)
        return;
    if (sp2 && (end - sp2 < 6 || memcmp(sp2 + 1, "HTTP/", 5) != 0 ||
                memchr(sp2 + 1, ' ', (size_t)(end - sp2 - 1))))
        return;
    copy_span(out->method, sizeof out->method, s, (size_t)(sp - s));
    copy_span(out->target, sizeof out->target, t, (size_t)(tend - t));
}

/* At *p a quoted field "..." (nginx escapes '"' inside as \x22): sets [*f, *f+*n) to its
 * content and moves *p past the closing quote. 0 or -1. */
static int quoted(const char **p, const char *end, const char **f, size_t *n)
{
    if (*p >= end || **p != '"')
        return -1;
    const char *q = memchr(*p + 1, '"', (size_t)(end - *p - 1));
    if (!q)
        return -1;
    *f = *p + 1;
    *n = (size_t)(q - *p - 1);
    *p = q + 1;
    return 0;
}

int access_log_parse(const char *line, size_t len, access_log_entry *out)
{
    const char *p = line, *end = line + len, *f;
    size_t n;
    while (end > p && (end[-1] == '\r' || end[-1] == '\n'))
        end--;
    const char *sp = memchr(p, ' ', (size_t)(end - p));
    if (!sp || sp == p || (size_t)(sp - p) >= sizeof out->ip)
        return -1;
    copy_span(out->ip, sizeof out->ip, p, (size_t)(sp - p));
    p = sp + 1;
    if (end - p < 2 || p[0] != '-' || p[1] != ' ')
        return -1;
    p += 2;
    const char *lb = memchr(p, '[', (size_t)(end - p));
    if (!lb || lb == p || lb[-1] != ' ')
        return -1;
    p = lb + 1;
    if (end - p < 27 || p[26] != ']' || access_log_time(p, 26, &out->t) != 0)
        return -1;
    p += 27;
    if (p >= end || *p++ != ' ' || quoted(&p, end, &f, &n) != 0)
        return -1;
    parse_request(f, n, out);
    if (end - p < 5 || p[0] != ' ' || (out->status = digits(p + 1, 3)) < 100 || p[4] != ' ')
        return -1;
    p += 5;
    const char *b = p;
    while (p < end && ((*p >= '0' && *p <= '9') || *p == '-'))
        p++;
    if (p == b || p >= end || *p++ != ' ')
        return -1;
    if (quoted(&p, end, &f, &n) != 0) /* referer */
        return -1;
    if (p >= end || *p++ != ' ' || quoted(&p, end, &f, &n) != 0)
        return -1;
    copy_span(out->ua, sizeof out->ua, f, n);
    return 0;
}

/* Extensions of static files (lower case), never page views. Other extensions (.html, .php,
 * .do, ...) are pages of older systems. */
static bool static_file(const char *path)
{
    static const char *const EXT[] = {
        "js",   "mjs", "css",  "map",         "png", "jpg",  "jpeg", "gif",  "svg", "ico",  "webp",
        "avif", "bmp", "woff", "woff2",       "ttf", "otf",  "eot",  "txt",  "xml", "json", "pdf",
        "zip",  "gz",  "br",   "webmanifest", "csv", "xlsx", "mp4",  "webm", "mp3", "wasm", NULL};
    const char *seg = strrchr(path, '/');
    const char *dot = strrchr(seg ? seg : path, '.');
    if (!dot || strlen(dot + 1) > 11)
        return false;
    char ext[12];
    size_t i = 0;
    for (const char *q = dot + 1; *q; q++)
        ext[i++] = (*q >= 'A' && *q <= 'Z') ? (char)(*q - 'A' + 'a') : *q;
    ext[i] = '\0';
    for (int k = 0; EXT[k]; k++)
        if (!strcmp(ext, EXT[k]))
            return true;
    return false;
}

bool access_log_countable(const access_log_entry *e, char *path, size_t cap)
{
    if ((strcmp(e->method, "GET") != 0 && strcmp(e->method, "HEAD") != 0) || e->status < 200 ||
        e->status > 399 || access_ua_is_bot(e->ua))
        return false;
    const char *t = e->target;
    /* absolute-form targets: http://host/path */
    if (!strncmp(t, "http://", 7) || !strncmp(t, "https://", 8)) {
        const char *slash = strchr(strstr(t, "//") + 2, '/');
        t = slash ? slash : "/";
    }
    if (access_path_normalise(t, path, cap) != 0)
        return false;
    return !under(path, "/api") && !under(path, "/assets") && strcmp(path, "/healthz") != 0 &&
           !static_file(path);
}

/* ---- the path map -------------------------------------------------------------------- */

static uint64_t map_hash(const char *s, size_t n, bool exact)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
    return mix64(h ^ (exact ? 1u : 2u));
}

static int map_rehash(access_map *m, size_t nslots)
{
    int32_t *s = malloc(nslots * sizeof *s);
    if (!s)
        return -1;
    memset(s, 0xff, nslots * sizeof *s);
    for (size_t i = 0; i < m->n; i++) {
        size_t p = m->items[i].hash & (nslots - 1);
        while (s[p] >= 0)
            p = (p + 1) & (nslots - 1);
        s[p] = (int32_t)i;
    }
    free(m->slots);
    m->slots = s;
    m->nslots = nslots;
    return 0;
}

static const access_map_entry *map_find(const access_map *m, const char *s, size_t n, bool exact,
                                        uint64_t h)
{
    if (!m->nslots)
        return NULL;
    for (size_t p = h & (m->nslots - 1); m->slots[p] >= 0; p = (p + 1) & (m->nslots - 1)) {
        const access_map_entry *e = &m->items[m->slots[p]];
        if (e->hash == h && e->exact == exact && e->len == n && !memcmp(e->path, s, n))
            return e;
    }
    return NULL;
}

int access_map_add_line(access_map *m, const char *line, char *err, size_t errcap)
{
    size_t len = strlen(line);
    while (len && (line[len - 1] == '\r' || line[len - 1] == '\n'))
        len--;
    if (len == 0 || line[0] == '#')
        return 0;
    const char *t1 = memchr(line, '\t', len);
    const char *t2 = t1 ? memchr(t1 + 1, '\t', (size_t)(line + len - t1 - 1)) : NULL;
    if (!t1 || !t2 || memchr(t2 + 1, '\t', (size_t)(line + len - t2 - 1))) {
        snprintf(err, errcap, "expected PATH<TAB>SITE<TAB>PAGE");
        return -1;
    }
    char site_s[16], page_s[16];
    copy_span(site_s, sizeof site_s, t1 + 1, (size_t)(t2 - t1 - 1));
    copy_span(page_s, sizeof page_s, t2 + 1, (size_t)(line + len - t2 - 1));
    int site = access_site_parse(site_s), page = access_page_parse(page_s);
    if (site < 0 || page < 0) {
        snprintf(err, errcap,
                 "SITE must be job or notify; PAGE top_public, top_staff, "
                 "top_seeker, top_facility or other");
        return -1;
    }
    bool exact = line[0] == '=';
    const char *path = exact ? line + 1 : line;
    size_t plen = (size_t)(t1 - path);
    char p[ACCESS_MAP_PATH_MAX + 1];
    if (plen == 0 || plen > ACCESS_MAP_PATH_MAX || path[0] != '/') {
        snprintf(err, errcap, "the path must start with / and have at most %d bytes",
                 ACCESS_MAP_PATH_MAX);
        return -1;
    }
    copy_span(p, sizeof p, path, plen);
    for (size_t i = 0; i < plen; i++)
        if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f || p[i] == '?' || p[i] == '#') {
            snprintf(err, errcap, "the path may not hold control characters, ? or #");
            return -1;
        }
    if (exact)
        while (plen > 1 && p[plen - 1] == '/')
            p[--plen] = '\0';
    uint64_t h = map_hash(p, plen, exact);
    if (map_find(m, p, plen, exact, h)) {
        snprintf(err, errcap, "the path is listed twice");
        return -1;
    }
    if (m->n >= ACCESS_MAP_MAX) {
        snprintf(err, errcap, "more than %d lines", ACCESS_MAP_MAX);
        return -1;
    }
    if (m->n == m->cap) {
        size_t ncap = m->cap ? m->cap * 2 : 16;
        access_map_entry *it = realloc(m->items, ncap * sizeof *it);
        if (!it) {
            snprintf(err, errcap, "out of memory");
            return -1;
        }
        m->items = it;
        m->cap = ncap;
    }
    char *copy = malloc(plen + 1);
    if (!copy) {
        snprintf(err, errcap, "out of memory");
        return -1;
    }
    memcpy(copy, p, plen + 1);
    m->items[m->n++] = (access_map_entry){.path = copy,
                                          .len = plen,
                                          .hash = h,
                                          .exact = exact,
                                          .site = (uint8_t)site,
                                          .page = (uint8_t)page};
    size_t want = 16;
    while (want < m->n * 2)
        want <<= 1;
    if (want != m->nslots && map_rehash(m, want) != 0) {
        free(copy);
        m->n--;
        snprintf(err, errcap, "out of memory");
        return -1;
    }
    if (want == m->nslots) { /* same table: insert the new entry */
        size_t q = h & (m->nslots - 1);
        while (m->slots[q] >= 0)
            q = (q + 1) & (m->nslots - 1);
        m->slots[q] = (int32_t)(m->n - 1);
    }
    return 0;
}

bool access_map_lookup(const access_map *m, const char *path, access_site *site, access_page *page)
{
    if (!m || m->n == 0)
        return false;
    size_t n = strlen(path);
    const access_map_entry *e = map_find(m, path, n, true, map_hash(path, n, true));
    if (!e) {
        /* Every prefix, longest last: one running FNV hash, finished per length. */
        uint64_t h = 0xcbf29ce484222325ULL;
        for (size_t i = 0; i < n; i++) {
            h = (h ^ (unsigned char)path[i]) * 0x100000001b3ULL;
            const access_map_entry *x = map_find(m, path, i + 1, false, mix64(h ^ 2u));
            if (x)
                e = x;
        }
    }
    if (!e)
        return false;
    *site = (access_site)e->site;
    *page = (access_page)e->page;
    return true;
}

void access_map_free(access_map *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->items[i].path);
    free(m->items);
    free(m->slots);
    memset(m, 0, sizeof *m);
}
