/* Access statistics, pure C (no I/O): which site, page type and device class a request counts
 * for, the visit rule (a run of requests of one client without a gap over 30 minutes), daily
 * counters, the nginx "combined" log line parser and the path map of `nccs import access-log`.
 * The mapping of paths to page types is documented in docs/API.md "Access statistics". */
#ifndef NCCS_DOMAIN_ACCESS_H
#define NCCS_DOMAIN_ACCESS_H
#include "domain/authz.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { ACCESS_SITE_JOB, ACCESS_SITE_NOTIFY, ACCESS_NSITES } access_site;
typedef enum {
    ACCESS_PAGE_TOP_PUBLIC,
    ACCESS_PAGE_TOP_STAFF,
    ACCESS_PAGE_TOP_SEEKER,
    ACCESS_PAGE_TOP_FACILITY,
    ACCESS_PAGE_OTHER,
    ACCESS_NPAGES
} access_page;
typedef enum { ACCESS_DEVICE_PC, ACCESS_DEVICE_SP, ACCESS_NDEVICES } access_device;

/* The stored names ('job', 'top_public', 'sp', ...; static strings) and back (-1 if unknown). */
const char *access_site_name(access_site s);
const char *access_page_name(access_page p);
const char *access_device_name(access_device d);
int access_site_parse(const char *s);
int access_page_parse(const char *s);

/* ---- classification ------------------------------------------------------------------ */

/* Whether a User-Agent looks like a phone: iPhone, iPod, Windows Phone, BlackBerry, Opera Mini,
 * Android with "Mobile", or any "Mobile" token; tablets (iPad, "Tablet") are not phones. ua may
 * be NULL. This is the one implementation (the registration channel uses it too). */
bool access_ua_is_phone(const char *ua);
/* Whether a request is not counted because it comes from a robot: the User-Agent contains bot,
 * crawler, spider or slurp (any case), or is empty, NULL or "-" (nginx's empty value). */
bool access_ua_is_bot(const char *ua);
static inline access_device access_device_of(const char *ua)
{
    return access_ua_is_phone(ua) ? ACCESS_DEVICE_SP : ACCESS_DEVICE_PC;
}

/* Copies the path part of a request target into out (cap > 1): the query string and fragment
 * are dropped, trailing slashes removed ("/" stays "/"). Returns 0, or -1 when the target does
 * not start with '/' or does not fit. */
int access_path_normalise(const char *target, char *out, size_t cap);

/* The site and page type of a path (query and fragment ignored, trailing slash tolerated)
 * requested by a session of role ro (ROLE_NONE without a session). Paths under /notify,
 * /seeker/notifications, /facility/notifications and /center/notifications belong to the
 * notification site; any other path to default_site (ACCESS_SITE_JOB for this server). */
void access_classify(const char *path, role ro, access_site default_site, access_site *site,
                     access_page *page);

/* ---- visits -------------------------------------------------------------------------- */

#define ACCESS_VISIT_GAP 1800 /* seconds: a gap longer than this starts a new visit */
/* Live clients the tracker keeps at most (about 7 MB of memory at this size). When full, the
 * client seen least recently is forgotten (its next request starts a new visit). */
#define ACCESS_TRACKER_CAP 200000

typedef struct access_tracker access_tracker;

/* A tracker for at most cap clients (1 <= cap <= 1<<24) whose client ids are hashed with the
 * 16-byte key (SipHash; give random bytes). Returns NULL when out of memory. Free with
 * access_tracker_free. */
access_tracker *access_tracker_new(size_t cap, const unsigned char key[16]);
void access_tracker_free(access_tracker *t);
/* The client id of (site, IP, User-Agent): a keyed 64-bit hash, so no IP is ever kept. */
uint64_t access_client_id(const access_tracker *t, access_site site, const char *ip,
                          const char *ua);
/* Records a request of client at time now (Unix seconds). Returns true when it starts a new
 * visit: the client was not seen, or its previous request is more than ACCESS_VISIT_GAP
 * seconds earlier. A request older than the client's last one belongs to the same visit. */
bool access_tracker_hit(access_tracker *t, uint64_t client, int64_t now);
/* Clients currently kept, and clients forgotten because the tracker was full. */
size_t access_tracker_live(const access_tracker *t);
uint64_t access_tracker_evicted(const access_tracker *t);

/* ---- daily counters ------------------------------------------------------------------ */

/* The JST calendar day of Unix time t as days since 1970-01-01, and that day as YYYY-MM-DD
 * (cap >= 11). */
int64_t access_jst_day(int64_t t);
void access_day_text(int64_t day, char *out, size_t cap);

typedef struct access_count {
    int64_t day; /* access_jst_day */
    uint8_t site, page, device;
    int64_t views, visits;
} access_count;

/* Counters per (day, site, page, device) in a hash table of at most ACCESS_COUNTS_MAX keys
 * (about 30 years of days). Zero-initialise; access_counts_free releases the memory. */
#define ACCESS_COUNTS_MAX (1 << 18)
typedef struct access_counts {
    access_count *items; /* n of them, in insertion order */
    size_t n, cap;
    int32_t *slots; /* open addressing, -1 = empty; nslots is a power of two */
    size_t nslots;
} access_counts;

/* Adds views and visits to the key's counter. Returns 0, or -1 when out of memory or full. */
int access_counts_add(access_counts *c, int64_t day, access_site site, access_page page,
                      access_device device, int64_t views, int64_t visits);
/* Adds every counter of from into into. 0 or -1 as access_counts_add. */
int access_counts_merge(access_counts *into, const access_counts *from);
void access_counts_free(access_counts *c);

/* One request: a page view of (site, page, device) at now from client; a visit too when the
 * tracker says one starts. Returns 0 or -1 (counters full). */
int access_record(access_counts *c, access_tracker *t, int64_t now, access_site site,
                  access_page page, access_device device, uint64_t client);

/* ---- nginx "combined" log lines ------------------------------------------------------ */

/* $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent
 * "$http_referer" "$http_user_agent" (anything after the User-Agent is ignored). The IP and
 * the User-Agent are copied and truncated to the field sizes; a request line that is not
 * METHOD TARGET [PROTOCOL] or whose target does not fit leaves method and target empty (the
 * line is well-formed but counts nothing). */
typedef struct access_log_entry {
    char ip[64];
    int64_t t; /* Unix seconds (UTC), from $time_local and its offset */
    char method[16];
    char target[2048]; /* "" for a request line that is not METHOD TARGET [PROTOCOL] */
    int status;
    char ua[512];
} access_log_entry;

/* Parses one line (without its newline; len bytes, need not be NUL-terminated). Returns 0, or
 * -1 for a malformed line. */
int access_log_parse(const char *line, size_t len, access_log_entry *out);
/* Parses $time_local ("10/Oct/2025:13:55:36 +0900", exactly 26 bytes at s) into Unix seconds.
 * Returns 0 or -1. */
int access_log_time(const char *s, size_t len, int64_t *out);
/* Whether a logged request counts as a page view: GET or HEAD, status 200-399, a page path
 * (not /api, /assets, /healthz, nor a static file by extension, see access.c), and not a
 * robot. On true, the normalised path is written to path (cap >= 2). */
bool access_log_countable(const access_log_entry *e, char *path, size_t cap);

/* ---- the path map of `nccs import access-log --map FILE` ------------------------------ */

/* Lines "PATH-PREFIX<TAB>SITE<TAB>PAGE" or "=PATH<TAB>SITE<TAB>PAGE" (exact match); blank
 * lines and lines starting with '#' are ignored. An exact match wins, else the longest
 * prefix; a path matching nothing is classified by access_classify. */
#define ACCESS_MAP_MAX      10000
#define ACCESS_MAP_PATH_MAX 512
typedef struct access_map_entry {
    char *path; /* owned */
    size_t len;
    uint64_t hash; /* of path and exact */
    bool exact;
    uint8_t site, page;
} access_map_entry;
/* Zero-initialise; access_map_free releases it. Lookups cost O(path length): every prefix of
 * the path is looked up in a hash table of the lines. */
typedef struct access_map {
    access_map_entry *items;
    size_t n, cap;
    int32_t *slots; /* -1 = empty; nslots a power of two */
    size_t nslots;
} access_map;

/* Adds one line (without newline) of a map file. Returns 0 (also for blank and comment lines),
 * or -1 with a message (English) in err. */
int access_map_add_line(access_map *m, const char *line, char *err, size_t errcap);
/* The mapped site and page of a normalised path; false when no line matches. */
bool access_map_lookup(const access_map *m, const char *path, access_site *site, access_page *page);
void access_map_free(access_map *m);

#endif
