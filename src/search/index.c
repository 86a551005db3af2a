/* In-memory job offer search index; see index.h for the semantics.
 *
 * Layout. Documents get ordinals 0..nord-1 in insertion order; a replaced or removed document
 * keeps its ordinal (cleared in the live bitmap) until si_rebuild. Per ordinal: a packed facet
 * record (scanned for filters and facets), id, published_at, coordinates and the normalised text.
 * Postings map a key (a code point, or two or three adjacent ones) to the ascending ordinals of the
 * documents containing it; a list is stored inline (<= 2 ordinals), as an array, or as a bitmap
 * once it is dense (more than one ordinal in 32), so no list costs more than 4 bytes an ordinal
 * or nord/8 bytes in all.
 *
 * A search builds a candidate bitmap (live documents, intersected with the posting lists of the
 * terms; a frequent long term uses its cached exact set). Then one of two evaluators runs:
 * - scan (few candidates, or long terms still to verify): visits every candidate once; the
 *   "always" filters (municipality, wages, flags) reject outright; the five faceted dimensions
 *   (prefecture, licence, employment, shift, facility type) give a failure mask, and a document
 *   failing exactly one of them counts towards that dimension's facets only. Long terms are
 *   verified on the stored text after the cheap filters. Matches go through a bounded heap.
 * - bitmap_path (many candidates): the same semantics 64 documents at a time, with per-value
 *   facet bitmaps and popcounts; the page comes from a kept sort permutation (newest, wages)
 *   or the heap (distance, or few matches).
 * Both are checked against a naive oracle in tests/unit/test_search.c.
 *
 * Locking: a pthread rwlock (writer-preferring) guards the core; cmu guards the term cache and
 * the scratch-buffer pool, always taken inside the rwlock, never the other way round. */
#include "search/index.h"
#include "domain/text.h"
#include "util/str.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define NOORD          UINT32_MAX
#define CACHE_N        64  /* cached exact term bitmaps */
#define CACHE_MIN_CAND 512 /* a long term with at least this many candidates is cached */
#define DENSE_DIV      32  /* a list becomes a bitmap when n * DENSE_DIV >= ordinal capacity */
#define BITMAP_DIV     32  /* the bitmap path runs from nord / BITMAP_DIV candidates */
#define VIEWS_MAX      (3 * SI_MAX_TERMS + 2)     /* posting views in one query */
#define SCRATCH_SLOTS  (1 + SI_MAX_TERMS + 6 + 2) /* candidates, terms, bitmap path, filters */
#define NCP            0x110000                   /* Unicode code points */
#define SYM_MAX        32767 /* symbols fit 15 bits, four of them one 4-gram key */

/* ---------------------------------------------------------------- normalisation */

/* Character classes shared by document and query normalisation. */
enum { CL_TEXT, CL_SPACE, CL_BOUNDARY };

/* Returns CL_SPACE, CL_BOUNDARY or CL_TEXT for code point cp. */
static int classify(int32_t cp)
{
    if (cp == ' ' || cp == '\t')
        return CL_SPACE;
    utf8proc_category_t cat = utf8proc_category(cp);
    if (cat == UTF8PROC_CATEGORY_ZS)
        return CL_SPACE;
    if (cat == UTF8PROC_CATEGORY_CC || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP)
        return CL_BOUNDARY;
    return CL_TEXT;
}

/* Lower-cases and folds hiragana to katakana; returns the folded code point. */
static int32_t fold(int32_t cp)
{
    if (cp >= 0x3041 && cp <= 0x3096)
        return cp + 0x60;
    if (cp < 0x80)
        return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
    return utf8proc_tolower(cp);
}

/* Public; see index.h. The result is malloc'd and owned by the caller. */
char *si_normalize(const char *s, size_t *len)
{
    char *n = text_nfkc(s ? s : "");
    if (!n)
        return NULL;
    size_t in = strlen(n);
    /* Lower-casing can grow a code point from 2 to 3 bytes at most. */
    char *out = malloc(in * 2 + 1);
    if (!out) {
        free(n);
        return NULL;
    }
    size_t o = 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)n;
    while (*p) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, -1, &cp);
        if (k <= 0) {
            free(n);
            free(out);
            return NULL;
        }
        p += k;
        int cl = classify(cp);
        if (cl == CL_SPACE)
            continue;
        if (cl == CL_BOUNDARY) {
            if (o && out[o - 1] != '\n')
                out[o++] = '\n';
            continue;
        }
        o += (size_t)utf8proc_encode_char(fold(cp), (utf8proc_uint8_t *)out + o);
    }
    while (o && out[o - 1] == '\n')
        o--;
    out[o] = '\0';
    free(n);
    char *shrunk = realloc(out, o + 1);
    if (shrunk)
        out = shrunk;
    if (len)
        *len = o;
    return out;
}

/* Public; see index.h. Writes only into *t (no allocation survives the call). */
int si_parse_terms(const char *q, si_terms *t)
{
    memset(t, 0, sizeof *t);
    if (!q)
        return SI_OK;
    if (!str_utf8_clean(q, true))
        return SI_EINVAL;
    if (str_utf8_len(q) > SI_MAX_KEYWORD_CP)
        return SI_ETOOLONG;
    char *n = text_nfkc(q);
    if (!n)
        return SI_EINVAL;
    int rc = SI_OK;
    size_t o = 0, total_cp = 0;
    bool in_term = false;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)n;
    while (*p) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, -1, &cp);
        if (k <= 0) {
            rc = SI_EINVAL;
            break;
        }
        p += k;
        if (classify(cp) != CL_TEXT) {
            if (in_term) {
                t->len[t->n - 1] = (uint16_t)(o - t->off[t->n - 1]);
                t->buf[o++] = '\0';
                in_term = false;
            }
            continue;
        }
        if (!in_term) {
            if (t->n == SI_MAX_TERMS) {
                rc = SI_ETERMS;
                break;
            }
            t->off[t->n++] = (uint16_t)o;
            in_term = true;
        }
        if (++total_cp > SI_MAX_NORM_CP) {
            rc = SI_ETOOLONG;
            break;
        }
        o += (size_t)utf8proc_encode_char(fold(cp), (utf8proc_uint8_t *)t->buf + o);
        t->ncp[t->n - 1]++;
    }
    if (rc == SI_OK && in_term) {
        t->len[t->n - 1] = (uint16_t)(o - t->off[t->n - 1]);
        t->buf[o] = '\0';
    }
    free(n);
    if (rc != SI_OK)
        memset(t, 0, sizeof *t);
    return rc;
}

/* ---------------------------------------------------------------- structures */

typedef struct rec {
    uint32_t wage_m, wage_h, muni;
    uint16_t flags;
    uint16_t les; /* licence | employment << 4 | shift << 7 */
    uint8_t pref, ftype, geo;
} rec;

#define LES(l, e, s) ((unsigned)(l) | (unsigned)(e) << 4 | (unsigned)(s) << 7)
#define LES_LIC(x)   ((x)&0xFu)
#define LES_EMP(x)   (((x) >> 4) & 0x7u)
#define LES_SHIFT(x) (((x) >> 7) & 0x1Fu)

/* A posting list: bitmap when words > 0, else array when cap > 0, else inline (n <= 2). */
typedef struct plist {
    uint32_t n;     /* ordinals held (dead ones included) */
    uint32_t cap;   /* array capacity */
    uint32_t words; /* bitmap words */
    uint32_t last;  /* last ordinal added + 1 (0 = none): de-duplicates within a document */
    union {
        uint32_t *a;
        uint64_t *bm;
        uint32_t one[2];
    } u;
} plist;

/* Rows of the facet value bitmaps. */
enum {
    VB_PREF = 0, /* + prefecture 1..47 */
    VB_LIC = VB_PREF + SI_NPREF + 1,
    VB_EMP = VB_LIC + SI_NLIC,
    VB_SHIFT = VB_EMP + SI_NEMP,
    VB_FTYPE = VB_SHIFT + SI_NSHIFT,
    VB_FLAG = VB_FTYPE + SI_NFTYPE,
    NVB = VB_FLAG + SI_NFLAG,
};

/* Everything that a rebuild replaces. */
typedef struct core {
    uint32_t nord, cap; /* ordinals used and allocated */
    size_t nlive;
    rec *rec;
    int64_t *id, *pub;
    double *lat, *lon;
    char **text; /* normalised, owned; NULL once dead */
    uint32_t *tlen;
    uint64_t *live; /* cap/64 words */
    /* Per word of 64 ordinals: the prefecture all its documents have, 0 = mixed. Bulk loads
     * add documents grouped by prefecture, so prefecture facets take one pass over the words. */
    uint8_t *wpref; /* cap/64 entries */
    /* id → ordinal, linear probing; an empty slot has ord NOORD. Never shrinks. */
    int64_t *idk;
    uint32_t *idv;
    size_t idcap, idn;
    /* key → posting list index, linear probing; key 0 is empty (no key is 0). */
    uint64_t *hk;
    uint32_t *hv;
    size_t hcap, hn;
    plist *pl;
    size_t npl, plcap;
    /* Code point → symbol 1..SYM_MAX (0 = none yet), for 4-gram keys; NCP entries, allocated with
     * the first document. sym_full: some code point got no symbol (its 4-grams are not indexed). */
    uint16_t *sym;
    uint32_t nsym;
    bool sym_full;
    /* Facet value bitmaps: NVB rows of cap/64 words (row VB_* + value), for the bitmap path. */
    uint64_t *vb;
    uint32_t vbn[NVB]; /* ordinals ever set per row (0 = row unused) */
    /* Ordinals (dead included) in SI_SORT_NEWEST / WAGE_MONTHLY / WAGE_HOURLY order. */
    uint32_t *perm[3];
    uint32_t nperm; /* entries in each permutation */
    bool bulk;      /* perms are sorted once at the end of a bulk build */
} core;

/* An exact document set for one long normalised term. */
typedef struct centry {
    char *term; /* owned; NULL = empty slot */
    size_t len;
    uint64_t *bm; /* covers ordinals < words*64 */
    uint32_t words;
    uint32_t count;
    uint64_t used; /* clock for LRU */
} centry;

struct si_index {
    pthread_rwlock_t lock;
    core *c;
    int64_t seq;
    pthread_mutex_t cmu; /* guards cache (readers insert into it) */
    centry cache[CACHE_N];
    uint64_t tick;
    struct sbuf *pool; /* free search scratch buffers (under cmu) */
    int npool;
};

/* A reusable search scratch buffer (header before the data). Keeping a few avoids a large
 * malloc (an mmap and page faults) on every search. */
typedef struct sbuf {
    struct sbuf *next;
    size_t cap; /* data bytes */
    uint64_t data[];
} sbuf;
#define POOL_MAX 8

/* ---------------------------------------------------------------- small helpers */

/* Returns a well-mixed hash of k (murmur3 finaliser). */
static inline uint64_t hash64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

/* Returns bit o of bitmap bm (words words long); bits beyond the end read as 0. */
static inline bool bit_get(const uint64_t *bm, uint32_t words, uint32_t o)
{
    return (o >> 6) < words && ((bm[o >> 6] >> (o & 63)) & 1);
}

/* Returns the key of the code point pair (a, b), or of a alone when b == 0. Never 0. Code
 * points take 21 bits, so unigram keys are < 2^21 and bigram keys < 2^42. */
static inline uint64_t key_of(uint32_t a, uint32_t b)
{
    return b ? ((uint64_t)a << 21) | b : a;
}

/* Returns the key of the code point triple (a, b, c), all non-zero; always >= 2^42, so it never
 * equals a unigram or bigram key. */
static inline uint64_t key3_of(uint32_t a, uint32_t b, uint32_t c)
{
    return ((uint64_t)a << 42) | ((uint64_t)b << 21) | c;
}

/* Returns the key of the municipality posting of code m (0..99999, 0 = unknown): its low 21 bits
 * are zero, which no unigram, bigram or trigram key has, and bit 63 is clear, unlike 4-grams. */
static inline uint64_t key_muni(int m)
{
    return ((uint64_t)m + 1) << 21;
}

/* Returns the key of the 4-gram of symbols a..d (each 1..SYM_MAX); bit 63 is set, which no
 * trigram key has (a code point is < 2^21, so a trigram key is < 2^63). */
static inline uint64_t key4_of(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    return (1ULL << 63) | ((uint64_t)a << 45) | ((uint64_t)b << 30) | ((uint64_t)c << 15) | d;
}

/* Decodes valid UTF-8 s (len bytes) into cps (capacity max); returns the count (<= max). */
static size_t decode(const char *s, size_t len, uint32_t *cps, size_t max)
{
    size_t n = 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    const utf8proc_uint8_t *e = p + len;
    while (p < e && n < max) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, e - p, &cp);
        if (k <= 0)
            break;
        cps[n++] = (uint32_t)cp;
        p += k;
    }
    return n;
}

/* Bit counts over word arrays. The baseline x86-64 target has no POPCNT instruction, so a
 * POPCNT build of the loop is chosen at run time when the CPU has it (set once by si_new). */
#define POPCOUNT_AND_BODY                                                                          \
    uint64_t n = 0;                                                                                \
    if (!b) {                                                                                      \
        for (uint32_t w = 0; w < words; w++)                                                       \
            n += (uint64_t)__builtin_popcountll(a[w]);                                             \
        return n;                                                                                  \
    }                                                                                              \
    for (uint32_t w = 0; w < words; w++)                                                           \
        n += (uint64_t)__builtin_popcountll(a[w] & b[w]);                                          \
    return n;

typedef uint64_t (*popcount_fn)(const uint64_t *a, const uint64_t *b, uint32_t words);

static uint64_t popcount_and_generic(const uint64_t *a, const uint64_t *b, uint32_t words)
{
    POPCOUNT_AND_BODY
}

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("popcnt"))) static uint64_t popcount_and_hw(const uint64_t *a,
                                                                  const uint64_t *b, uint32_t words)
{
    POPCOUNT_AND_BODY
}
#endif

static popcount_fn popcount_impl = popcount_and_generic;
static pthread_once_t popcount_once = PTHREAD_ONCE_INIT;

static void popcount_init(void)
{
#if defined(__x86_64__) && defined(__GNUC__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("popcnt"))
        popcount_impl = popcount_and_hw;
#endif
}

/* Returns the number of bits set in a[0..words) & b[0..words) (b NULL: in a alone). */
static inline uint64_t popcount_and(const uint64_t *a, const uint64_t *b, uint32_t words)
{
    return popcount_impl(a, b, words);
}

/* ---------------------------------------------------------------- core: postings */

/* Frees c and everything it owns (texts, postings, tables). NULL is fine. */
static void core_free(core *c)
{
    if (!c)
        return;
    for (uint32_t i = 0; i < c->nord; i++)
        free(c->text[i]);
    for (size_t i = 0; i < c->npl; i++) {
        plist *p = &c->pl[i];
        if (p->words)
            free(p->u.bm);
        else if (p->cap)
            free(p->u.a);
    }
    free(c->rec);
    free(c->id);
    free(c->pub);
    free(c->lat);
    free(c->lon);
    free(c->text);
    free(c->tlen);
    free(c->live);
    free(c->wpref);
    free(c->idk);
    free(c->idv);
    free(c->hk);
    free(c->hv);
    free(c->pl);
    free(c->sym);
    free(c->vb);
    for (int i = 0; i < 3; i++)
        free(c->perm[i]);
    free(c);
}

/* Grows every per-ordinal array to hold at least want ordinals. Returns 0 or -1 (OOM; arrays
 * that were already grown stay grown, which is harmless). */
static int core_reserve(core *c, uint32_t want)
{
    if (want <= c->cap)
        return 0;
    uint32_t nc = c->cap ? c->cap : 1024;
    while (nc < want)
        nc = nc > UINT32_MAX / 2 ? UINT32_MAX - 1 : nc * 2;
    nc = (nc + 63) & ~63u;
#define GROW(field)                                                                                \
    do {                                                                                           \
        void *np = realloc(c->field, (size_t)nc * sizeof *c->field);                               \
        if (!np)                                                                                   \
            return -1;                                                                             \
        c->field = np;                                                                             \
    } while (0)
    GROW(rec);
    GROW(id);
    GROW(pub);
    GROW(lat);
    GROW(lon);
    GROW(text);
    GROW(tlen);
    GROW(perm[0]);
    GROW(perm[1]);
    GROW(perm[2]);
#undef GROW
    uint64_t *nvb = calloc((size_t)NVB * (nc / 64), sizeof *nvb);
    if (!nvb)
        return -1;
    for (int r = 0; c->vb && r < NVB; r++)
        memcpy(nvb + (size_t)r * (nc / 64), c->vb + (size_t)r * (c->cap / 64),
               (size_t)(c->cap / 64) * sizeof *nvb);
    free(c->vb);
    c->vb = nvb;
    uint8_t *nw = realloc(c->wpref, (size_t)nc / 64);
    if (!nw)
        return -1;
    c->wpref = nw;
    uint64_t *nl = realloc(c->live, (size_t)nc / 64 * sizeof *nl);
    if (!nl)
        return -1;
    memset(nl + c->cap / 64, 0, (size_t)(nc - c->cap) / 64 * sizeof *nl);
    c->live = nl;
    c->cap = nc;
    return 0;
}

/* Returns the posting list for key, creating it when create; NULL when absent or OOM. The
 * pointer is valid until the next creation. */
static plist *core_list(core *c, uint64_t key, bool create)
{
    if (c->hcap) {
        size_t m = c->hcap - 1;
        for (size_t i = hash64(key) & m;; i = (i + 1) & m) {
            if (c->hk[i] == key)
                return &c->pl[c->hv[i]];
            if (c->hk[i] == 0)
                break;
        }
    }
    if (!create)
        return NULL;
    if ((c->hn + 1) * 2 > c->hcap) {
        size_t ncap = c->hcap ? c->hcap * 2 : 4096;
        uint64_t *nk = calloc(ncap, sizeof *nk);
        uint32_t *nv = malloc(ncap * sizeof *nv);
        if (!nk || !nv) {
            free(nk);
            free(nv);
            return NULL;
        }
        for (size_t i = 0; i < c->hcap; i++) {
            if (!c->hk[i])
                continue;
            size_t j = hash64(c->hk[i]) & (ncap - 1);
            while (nk[j])
                j = (j + 1) & (ncap - 1);
            nk[j] = c->hk[i];
            nv[j] = c->hv[i];
        }
        free(c->hk);
        free(c->hv);
        c->hk = nk;
        c->hv = nv;
        c->hcap = ncap;
    }
    if (c->npl == c->plcap) {
        size_t ncap = c->plcap ? c->plcap * 2 : 4096;
        plist *np = realloc(c->pl, ncap * sizeof *np);
        if (!np)
            return NULL;
        c->pl = np;
        c->plcap = ncap;
    }
    size_t m = c->hcap - 1;
    size_t i = hash64(key) & m;
    while (c->hk[i])
        i = (i + 1) & m;
    c->hk[i] = key;
    c->hv[i] = (uint32_t)c->npl;
    c->hn++;
    plist *p = &c->pl[c->npl++];
    memset(p, 0, sizeof *p);
    return p;
}

/* Adds ordinal o (>= every ordinal already in p) to p. Returns 0 or -1 (OOM, p unchanged). */
static int plist_add(core *c, plist *p, uint32_t o)
{
    if (p->last == o + 1)
        return 0;
    if (p->words && (o >> 6) >= p->words && (uint64_t)p->n * DENSE_DIV < c->cap) {
        /* The index grew and the list is sparse again: back to an array. */
        uint32_t *na = malloc(((size_t)p->n + p->n / 2 + 4) * sizeof *na);
        if (!na)
            return -1;
        uint32_t k = 0;
        for (uint32_t w = 0; w < p->words; w++)
            for (uint64_t b = p->u.bm[w]; b; b &= b - 1)
                na[k++] = w * 64 + (uint32_t)__builtin_ctzll(b);
        free(p->u.bm);
        p->u.a = na;
        p->cap = p->n + p->n / 2 + 4;
        p->words = 0;
    }
    if (p->words) {
        uint32_t need = c->cap / 64;
        if ((o >> 6) >= p->words) {
            uint64_t *nb = realloc(p->u.bm, (size_t)need * sizeof *nb);
            if (!nb)
                return -1;
            memset(nb + p->words, 0, (size_t)(need - p->words) * sizeof *nb);
            p->u.bm = nb;
            p->words = need;
        }
        p->u.bm[o >> 6] |= 1ULL << (o & 63);
    } else if (p->cap == 0 && p->n < 2) {
        p->u.one[p->n] = o;
    } else if ((uint64_t)(p->n + 1) * DENSE_DIV >= c->cap && p->n >= 64) {
        uint32_t words = c->cap / 64;
        uint64_t *nb = calloc(words, sizeof *nb);
        if (!nb)
            return -1;
        for (uint32_t i = 0; i < p->n; i++)
            nb[p->u.a[i] >> 6] |= 1ULL << (p->u.a[i] & 63);
        nb[o >> 6] |= 1ULL << (o & 63);
        free(p->u.a);
        p->u.bm = nb;
        p->words = words;
        p->cap = 0;
    } else {
        if (p->cap == 0 || p->n == p->cap) {
            uint32_t ncap = p->cap ? p->cap + p->cap / 2 + 2 : 4;
            uint32_t *na = malloc((size_t)ncap * sizeof *na);
            if (!na)
                return -1;
            if (p->cap) {
                memcpy(na, p->u.a, (size_t)p->n * sizeof *na);
                free(p->u.a);
            } else {
                memcpy(na, p->u.one, (size_t)p->n * sizeof *na);
            }
            p->u.a = na;
            p->cap = ncap;
        }
        p->u.a[p->n] = o;
    }
    p->n++;
    p->last = o + 1;
    return 0;
}

/* Returns the slot of id in the id map, or the empty slot where it would go. */
static size_t id_slot(const core *c, int64_t id)
{
    size_t m = c->idcap - 1;
    size_t i = hash64((uint64_t)id) & m;
    while (c->idv[i] != NOORD && c->idk[i] != id)
        i = (i + 1) & m;
    return i;
}

/* Returns the live ordinal of id, or NOORD. */
static uint32_t id_find(const core *c, int64_t id)
{
    if (!c->idcap)
        return NOORD;
    uint32_t o = c->idv[id_slot(c, id)];
    return (o != NOORD && bit_get(c->live, c->cap / 64, o)) ? o : NOORD;
}

/* Makes room for one more id. Returns 0 or -1. */
static int id_reserve(core *c)
{
    if ((c->idn + 1) * 2 <= c->idcap)
        return 0;
    size_t ncap = c->idcap ? c->idcap * 2 : 4096;
    int64_t *nk = malloc(ncap * sizeof *nk);
    uint32_t *nv = malloc(ncap * sizeof *nv);
    if (!nk || !nv) {
        free(nk);
        free(nv);
        return -1;
    }
    memset(nv, 0xFF, ncap * sizeof *nv);
    for (size_t i = 0; i < c->idcap; i++) {
        if (c->idv[i] == NOORD)
            continue;
        size_t j = hash64((uint64_t)c->idk[i]) & (ncap - 1);
        while (nv[j] != NOORD)
            j = (j + 1) & (ncap - 1);
        nk[j] = c->idk[i];
        nv[j] = c->idv[i];
    }
    free(c->idk);
    free(c->idv);
    c->idk = nk;
    c->idv = nv;
    c->idcap = ncap;
    return 0;
}

/* Checks a document's fields. Returns SI_OK or SI_EINVAL. */
static int doc_check(const si_doc *d)
{
    if (d->pref < 1 || d->pref > SI_NPREF || d->muni < 0 || d->muni > 99999 || d->lic > 0xF ||
        d->emp > 0x7 || d->shift > 0x1F || d->ftype < 0 || d->ftype >= SI_NFTYPE ||
        d->flags >= (1u << SI_NFLAG) || d->wage_monthly < 0 || d->wage_monthly > UINT32_MAX ||
        d->wage_hourly < 0 || d->wage_hourly > UINT32_MAX)
        return SI_EINVAL;
    bool nan_lat = isnan(d->lat), nan_lon = isnan(d->lon);
    if (!nan_lat && !nan_lon &&
        (!(d->lat >= -90 && d->lat <= 90) || !(d->lon >= -180 && d->lon <= 180)))
        return SI_EINVAL;
    return SI_OK;
}

/* Orders ordinals a and b for permutation k (0 newest, 1 monthly wage, 2 hourly wage):
 * returns < 0 when a comes first. */
static int perm_cmp(const core *c, int k, uint32_t a, uint32_t b)
{
    int64_t ka = 0, kb = 0;
    if (k == 1) {
        ka = c->rec[a].wage_m;
        kb = c->rec[b].wage_m;
    } else if (k == 2) {
        ka = c->rec[a].wage_h;
        kb = c->rec[b].wage_h;
    }
    if (ka != kb)
        return ka > kb ? -1 : 1;
    if (c->pub[a] != c->pub[b])
        return c->pub[a] > c->pub[b] ? -1 : 1;
    if (c->id[a] != c->id[b])
        return c->id[a] > c->id[b] ? -1 : 1;
    return (a > b) - (a < b);
}

typedef struct perm_sort_arg {
    const core *c;
    int k;
} perm_sort_arg;

/* qsort_r adapter for perm_cmp; arg is a perm_sort_arg. */
static int perm_qsort_cmp(const void *x, const void *y, void *arg)
{
    const perm_sort_arg *pa = arg;
    return perm_cmp(pa->c, pa->k, *(const uint32_t *)x, *(const uint32_t *)y);
}

/* Inserts ordinal o into each permutation (capacity c->cap > c->nperm). */
static void perm_insert(core *c, uint32_t o)
{
    uint32_t n = c->nperm++;
    for (int k = 0; k < 3; k++) {
        uint32_t *p = c->perm[k];
        uint32_t lo = 0, hi = n;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (perm_cmp(c, k, p[mid], o) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        memmove(p + lo + 1, p + lo, (size_t)(n - lo) * sizeof *p);
        p[lo] = o;
    }
}

/* Sets the facet value bits of ordinal o. */
static void vb_set(core *c, uint32_t o)
{
    const rec *r = &c->rec[o];
    size_t words = c->cap / 64;
    uint64_t bit = 1ULL << (o & 63);
    int rows[NVB], n = 0;
    rows[n++] = VB_PREF + r->pref;
    rows[n++] = VB_FTYPE + r->ftype;
    for (unsigned m = LES_LIC(r->les); m; m &= m - 1)
        rows[n++] = VB_LIC + __builtin_ctz(m);
    for (unsigned m = LES_EMP(r->les); m; m &= m - 1)
        rows[n++] = VB_EMP + __builtin_ctz(m);
    for (unsigned m = LES_SHIFT(r->les); m; m &= m - 1)
        rows[n++] = VB_SHIFT + __builtin_ctz(m);
    for (unsigned m = r->flags; m; m &= m - 1)
        rows[n++] = VB_FLAG + __builtin_ctz(m);
    for (int i = 0; i < n; i++) {
        c->vb[(size_t)rows[i] * words + (o >> 6)] |= bit;
        c->vbn[rows[i]]++;
    }
}

/* Adds a checked document whose normalised text is norm (len bytes; ownership passes to the
 * core on success, stays with the caller on failure). Replaces a live document with the same
 * id. Returns the new ordinal, or NOORD on OOM (the core's visible contents are unchanged). */
static uint32_t core_add(core *c, const si_doc *d, char *norm, size_t len)
{
    if (c->nord == UINT32_MAX - 1 || core_reserve(c, c->nord + 1) || id_reserve(c))
        return NOORD;
    uint32_t o = c->nord;
    /* Postings first: the ordinal is not live yet, so a failure leaves only harmless garbage. */
    if (!c->sym && !(c->sym = calloc(NCP, sizeof *c->sym)))
        return NOORD;
    uint32_t prev = 0, prev2 = 0;
    uint32_t s1 = 0, s2 = 0, s3 = 0; /* symbols of the last three code points (0 = none) */
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)norm;
    const utf8proc_uint8_t *e = p + len;
    c->nord++; /* ordinal in use from here (dead until the end) */
    if ((o & 63) == 0 || c->wpref[o >> 6] != (uint8_t)d->pref)
        c->wpref[o >> 6] = (o & 63) == 0 ? (uint8_t)d->pref : 0;
    c->text[o] = NULL;
    memset(&c->rec[o], 0, sizeof c->rec[o]);
    c->id[o] = c->pub[o] = 0;
    c->lat[o] = c->lon[o] = NAN;
    c->tlen[o] = 0;
    while (p < e) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, e - p, &cp);
        if (k <= 0)
            break;
        p += k;
        if (cp == '\n') {
            prev = prev2 = s1 = s2 = s3 = 0;
            continue;
        }
        uint32_t sy = c->sym[cp];
        if (!sy) {
            if (c->nsym < SYM_MAX)
                sy = c->sym[cp] = (uint16_t)++c->nsym;
            else
                c->sym_full = true;
        }
        plist *l = core_list(c, key_of((uint32_t)cp, 0), true);
        if (!l || plist_add(c, l, o))
            return NOORD;
        if (prev) {
            l = core_list(c, key_of(prev, (uint32_t)cp), true);
            if (!l || plist_add(c, l, o))
                return NOORD;
        }
        if (prev2) {
            l = core_list(c, key3_of(prev2, prev, (uint32_t)cp), true);
            if (!l || plist_add(c, l, o))
                return NOORD;
        }
        if (s1 && s2 && s3 && sy) {
            l = core_list(c, key4_of(s1, s2, s3, sy), true);
            if (!l || plist_add(c, l, o))
                return NOORD;
        }
        prev2 = prev;
        prev = (uint32_t)cp;
        s1 = s2;
        s2 = s3;
        s3 = sy;
    }
    plist *ml = core_list(c, key_muni(d->muni), true);
    if (!ml || plist_add(c, ml, o))
        return NOORD;
    rec *r = &c->rec[o];
    r->wage_m = (uint32_t)d->wage_monthly;
    r->wage_h = (uint32_t)d->wage_hourly;
    r->muni = (uint32_t)d->muni;
    r->flags = (uint16_t)d->flags;
    r->pref = (uint8_t)d->pref;
    r->les = (uint16_t)LES(d->lic, d->emp, d->shift);
    r->ftype = (uint8_t)d->ftype;
    r->geo = !isnan(d->lat) && !isnan(d->lon);
    c->id[o] = d->id;
    c->pub[o] = d->published_at;
    c->lat[o] = d->lat;
    c->lon[o] = d->lon;
    c->tlen[o] = (uint32_t)len;
    c->text[o] = norm;
    size_t s = id_slot(c, d->id);
    uint32_t old = c->idv[s];
    if (old != NOORD && bit_get(c->live, c->cap / 64, old)) {
        c->live[old >> 6] &= ~(1ULL << (old & 63));
        free(c->text[old]);
        c->text[old] = NULL;
        c->nlive--;
    }
    if (old == NOORD)
        c->idn++;
    c->idk[s] = d->id;
    c->idv[s] = o;
    c->live[o >> 6] |= 1ULL << (o & 63);
    c->nlive++;
    vb_set(c, o);
    if (!c->bulk)
        perm_insert(c, o);
    return o;
}

/* Ends a bulk build: sorts the permutations and shrinks posting arrays to their length. */
static void core_finish_bulk(core *c)
{
    for (int k = 0; k < 3; k++) {
        for (uint32_t o = 0; o < c->nord; o++)
            c->perm[k][o] = o;
        perm_sort_arg pa = {c, k};
        qsort_r(c->perm[k], c->nord, sizeof(uint32_t), perm_qsort_cmp, &pa);
    }
    c->nperm = c->nord;
    c->bulk = false;
    for (size_t i = 0; i < c->npl; i++) {
        plist *p = &c->pl[i];
        if (p->words || !p->cap || p->cap == p->n)
            continue;
        if (p->n <= 2) {
            uint32_t tmp[2] = {p->u.a[0], p->n > 1 ? p->u.a[1] : 0};
            free(p->u.a);
            p->u.one[0] = tmp[0];
            p->u.one[1] = tmp[1];
            p->cap = 0;
            continue;
        }
        uint32_t *na = realloc(p->u.a, (size_t)p->n * sizeof *na);
        if (na) {
            p->u.a = na;
            p->cap = p->n;
        }
    }
}

/* Returns the bytes held by c (capacities, not lengths; malloc overhead excluded). */
static size_t core_mem(const core *c)
{
    size_t m = sizeof *c;
    m += (size_t)c->cap * (sizeof(rec) + 3 * sizeof(int64_t) + 2 * sizeof(double) + sizeof(char *) +
                           4 * sizeof(uint32_t)) +
         c->cap / 8 * (1 + NVB);
    m += c->idcap * (sizeof(int64_t) + sizeof(uint32_t));
    m += c->hcap * (sizeof(uint64_t) + sizeof(uint32_t));
    m += c->plcap * sizeof(plist);
    if (c->sym)
        m += NCP * sizeof *c->sym;
    for (uint32_t i = 0; i < c->nord; i++)
        if (c->text[i])
            m += c->tlen[i] + 1;
    for (size_t i = 0; i < c->npl; i++) {
        const plist *p = &c->pl[i];
        m += p->words ? (size_t)p->words * 8 : (size_t)p->cap * 4;
    }
    return m;
}

/* Returns an empty core (caller frees with core_free), or NULL when out of memory. */
static core *core_new(void)
{
    return calloc(1, sizeof(core));
}

/* ---------------------------------------------------------------- term cache */

/* Drops every cached term set (after a core swap ordinals mean something else). */
static void cache_clear(si_index *ix)
{
    pthread_mutex_lock(&ix->cmu);
    for (int i = 0; i < CACHE_N; i++) {
        free(ix->cache[i].term);
        free(ix->cache[i].bm);
        memset(&ix->cache[i], 0, sizeof ix->cache[i]);
    }
    pthread_mutex_unlock(&ix->cmu);
}

/* Under the exclusive lock: brings every cached term up to date with new ordinal o. A cache
 * entry that cannot grow (OOM) is dropped. */
static void cache_note_add(si_index *ix, uint32_t o)
{
    const core *c = ix->c;
    pthread_mutex_lock(&ix->cmu);
    for (int i = 0; i < CACHE_N; i++) {
        centry *e = &ix->cache[i];
        if (!e->term)
            continue;
        if ((o >> 6) >= e->words) {
            uint32_t nw = c->cap / 64;
            uint64_t *nb = realloc(e->bm, (size_t)nw * sizeof *nb);
            if (!nb) {
                free(e->term);
                free(e->bm);
                memset(e, 0, sizeof *e);
                continue;
            }
            memset(nb + e->words, 0, (size_t)(nw - e->words) * sizeof *nb);
            e->bm = nb;
            e->words = nw;
        }
        if (memmem(c->text[o], c->tlen[o], e->term, e->len)) {
            e->bm[o >> 6] |= 1ULL << (o & 63);
            e->count++;
        }
    }
    pthread_mutex_unlock(&ix->cmu);
}

/* Copies the cached set of term into out (words words, zero-filled beyond). Returns true on a
 * hit, with the set size in *count. */
static bool cache_get(si_index *ix, const char *term, size_t len, uint64_t *out, uint32_t words,
                      uint32_t *count)
{
    bool hit = false;
    pthread_mutex_lock(&ix->cmu);
    for (int i = 0; i < CACHE_N; i++) {
        centry *e = &ix->cache[i];
        if (e->term && e->len == len && memcmp(e->term, term, len) == 0) {
            uint32_t w = e->words < words ? e->words : words;
            memcpy(out, e->bm, (size_t)w * 8);
            memset(out + w, 0, (size_t)(words - w) * 8);
            *count = e->count;
            e->used = ++ix->tick;
            hit = true;
            break;
        }
    }
    pthread_mutex_unlock(&ix->cmu);
    return hit;
}

/* Stores a copy of the exact set bm (words words) of term, evicting the least recently used
 * entry. Silently does nothing on OOM or when another reader stored it first. */
static void cache_put(si_index *ix, const char *term, size_t len, const uint64_t *bm,
                      uint32_t words, uint32_t count)
{
    char *t = malloc(len + 1);
    uint64_t *b = malloc((size_t)words * 8 + 8);
    if (!t || !b) {
        free(t);
        free(b);
        return;
    }
    memcpy(t, term, len);
    t[len] = '\0';
    memcpy(b, bm, (size_t)words * 8);
    pthread_mutex_lock(&ix->cmu);
    int victim = 0;
    for (int i = 0; i < CACHE_N; i++) {
        centry *e = &ix->cache[i];
        if (e->term && e->len == len && memcmp(e->term, term, len) == 0) {
            victim = -1;
            break;
        }
        if (!e->term || (ix->cache[victim].term && e->used < ix->cache[victim].used))
            victim = i;
    }
    if (victim >= 0) {
        centry *e = &ix->cache[victim];
        free(e->term);
        free(e->bm);
        *e = (centry){
            .term = t, .len = len, .bm = b, .words = words, .count = count, .used = ++ix->tick};
        t = NULL;
        b = NULL;
    }
    pthread_mutex_unlock(&ix->cmu);
    free(t);
    free(b);
}

/* ---------------------------------------------------------------- index lifecycle */

/* Public; see index.h. */
si_index *si_new(void)
{
    pthread_once(&popcount_once, popcount_init);
    si_index *ix = calloc(1, sizeof *ix);
    if (!ix)
        return NULL;
    ix->c = core_new();
    pthread_rwlockattr_t a;
    pthread_rwlockattr_init(&a);
    pthread_rwlockattr_setkind_np(&a, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    int e1 = pthread_rwlock_init(&ix->lock, &a);
    pthread_rwlockattr_destroy(&a);
    int e2 = pthread_mutex_init(&ix->cmu, NULL);
    if (!ix->c || e1 || e2) {
        if (!e1)
            pthread_rwlock_destroy(&ix->lock);
        if (!e2)
            pthread_mutex_destroy(&ix->cmu);
        free(ix->c);
        free(ix);
        return NULL;
    }
    return ix;
}

/* Returns a scratch buffer of at least bytes bytes (owned by the caller until pool_put), or
 * NULL when out of memory. */
static sbuf *pool_get(si_index *ix, size_t bytes)
{
    pthread_mutex_lock(&ix->cmu);
    sbuf *b = ix->pool;
    if (b) {
        ix->pool = b->next;
        ix->npool--;
    }
    pthread_mutex_unlock(&ix->cmu);
    if (b && b->cap < bytes) {
        free(b);
        b = NULL;
    }
    if (!b) {
        b = malloc(sizeof *b + bytes);
        if (b)
            b->cap = bytes;
    }
    return b;
}

/* Gives b back to the pool (or frees it when the pool is full). NULL is fine. */
static void pool_put(si_index *ix, sbuf *b)
{
    if (!b)
        return;
    pthread_mutex_lock(&ix->cmu);
    if (ix->npool < POOL_MAX) {
        b->next = ix->pool;
        ix->pool = b;
        ix->npool++;
        b = NULL;
    }
    pthread_mutex_unlock(&ix->cmu);
    free(b);
}

void si_free(si_index *ix)
{
    if (!ix)
        return;
    while (ix->pool) {
        sbuf *b = ix->pool;
        ix->pool = b->next;
        free(b);
    }
    cache_clear(ix);
    core_free(ix->c);
    pthread_rwlock_destroy(&ix->lock);
    pthread_mutex_destroy(&ix->cmu);
    free(ix);
}

/* Checks d and normalises its text. Returns SI_OK with *norm (caller frees) and *len, or an
 * error code. */
static int doc_prepare(const si_doc *d, char **norm, size_t *len)
{
    int rc = doc_check(d);
    if (rc)
        return rc;
    const char *t = d->text ? d->text : "";
    if (strlen(t) > SI_MAX_TEXT_BYTES)
        return SI_ETOOLONG;
    *norm = si_normalize(t, len);
    return *norm ? SI_OK : SI_EINVAL;
}

int si_upsert(si_index *ix, const si_doc *d)
{
    char *norm;
    size_t len;
    int rc = doc_prepare(d, &norm, &len);
    if (rc)
        return rc;
    pthread_rwlock_wrlock(&ix->lock);
    uint32_t o = core_add(ix->c, d, norm, len);
    if (o != NOORD)
        cache_note_add(ix, o);
    pthread_rwlock_unlock(&ix->lock);
    if (o == NOORD) {
        free(norm);
        return SI_ENOMEM;
    }
    return SI_OK;
}

int si_remove(si_index *ix, int64_t id)
{
    pthread_rwlock_wrlock(&ix->lock);
    core *c = ix->c;
    uint32_t o = id_find(c, id);
    if (o != NOORD) {
        c->live[o >> 6] &= ~(1ULL << (o & 63));
        free(c->text[o]);
        c->text[o] = NULL;
        c->nlive--;
    }
    pthread_rwlock_unlock(&ix->lock);
    return o == NOORD ? SI_ENOTFOUND : SI_OK;
}

struct si_builder {
    core *c;
    pthread_mutex_t mu; /* serialises core_add; normalisation runs outside it */
};

si_builder *si_builder_new(size_t size_hint)
{
    si_builder *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    pthread_mutex_init(&b->mu, NULL);
    b->c = core_new();
    if (b->c)
        b->c->bulk = true;
    if (!b->c || core_reserve(b->c, size_hint > UINT32_MAX / 2 ? 1024 : (uint32_t)size_hint)) {
        core_free(b->c);
        free(b);
        return NULL;
    }
    return b;
}

int si_builder_add(si_builder *b, const si_doc *d)
{
    char *norm;
    size_t len;
    int rc = doc_prepare(d, &norm, &len);
    if (rc)
        return rc;
    pthread_mutex_lock(&b->mu);
    uint32_t o = core_add(b->c, d, norm, len);
    pthread_mutex_unlock(&b->mu);
    if (o == NOORD) {
        free(norm);
        return SI_ENOMEM;
    }
    return SI_OK;
}

int si_builder_add_many(si_builder *b, const si_doc *docs, size_t n)
{
    char *norm[SI_BUILDER_BATCH];
    size_t len[SI_BUILDER_BATCH];
    int rc[SI_BUILDER_BATCH];
    if (n > SI_BUILDER_BATCH)
        return SI_EINVAL;
    for (size_t i = 0; i < n; i++)
        rc[i] = doc_prepare(&docs[i], &norm[i], &len[i]);
    int res = SI_OK;
    pthread_mutex_lock(&b->mu);
    for (size_t i = 0; i < n; i++) {
        if (rc[i] != SI_OK) {
            if (res == SI_OK)
                res = rc[i];
        } else if (res == SI_ENOMEM || core_add(b->c, &docs[i], norm[i], len[i]) == NOORD) {
            free(norm[i]);
            res = SI_ENOMEM;
        }
    }
    pthread_mutex_unlock(&b->mu);
    return res;
}

void si_builder_free(si_builder *b)
{
    if (!b)
        return;
    core_free(b->c);
    pthread_mutex_destroy(&b->mu);
    free(b);
}

int si_builder_finish(si_builder *b, si_index *ix)
{
    core_finish_bulk(b->c);
    pthread_rwlock_wrlock(&ix->lock);
    core *old = ix->c;
    ix->c = b->c;
    cache_clear(ix);
    pthread_rwlock_unlock(&ix->lock);
    core_free(old);
    pthread_mutex_destroy(&b->mu);
    free(b);
    return SI_OK;
}

int si_bulk_load(si_index *ix, const si_doc *docs, size_t n)
{
    si_builder *b = si_builder_new(n);
    if (!b)
        return SI_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        int rc = si_builder_add(b, &docs[i]);
        if (rc) {
            si_builder_free(b);
            return rc;
        }
    }
    return si_builder_finish(b, ix);
}

int si_rebuild(si_index *ix)
{
    pthread_rwlock_wrlock(&ix->lock);
    core *old = ix->c;
    core *nc = core_new();
    if (nc)
        nc->bulk = true;
    int rc = (!nc || core_reserve(nc, (uint32_t)old->nlive + 1)) ? SI_ENOMEM : SI_OK;
    for (uint32_t o = 0; rc == SI_OK && o < old->nord; o++) {
        if (!bit_get(old->live, old->cap / 64, o))
            continue;
        const rec *r = &old->rec[o];
        si_doc d = {.id = old->id[o],
                    .pref = r->pref,
                    .muni = (int)r->muni,
                    .lic = LES_LIC(r->les),
                    .emp = LES_EMP(r->les),
                    .shift = LES_SHIFT(r->les),
                    .ftype = r->ftype,
                    .flags = r->flags,
                    .wage_monthly = r->wage_m,
                    .wage_hourly = r->wage_h,
                    .published_at = old->pub[o],
                    .lat = old->lat[o],
                    .lon = old->lon[o]};
        if (core_add(nc, &d, old->text[o], old->tlen[o]) == NOORD)
            rc = SI_ENOMEM;
    }
    if (rc == SI_OK) {
        /* The texts now belong to nc. */
        for (uint32_t o = 0; o < old->nord; o++)
            old->text[o] = NULL;
        core_finish_bulk(nc);
        ix->c = nc;
        cache_clear(ix);
        core_free(old);
    } else if (nc) {
        for (uint32_t o = 0; o < nc->nord; o++)
            nc->text[o] = NULL; /* still owned by old */
        core_free(nc);
    }
    pthread_rwlock_unlock(&ix->lock);
    return rc;
}

void si_set_seq(si_index *ix, int64_t seq)
{
    pthread_rwlock_wrlock(&ix->lock);
    ix->seq = seq;
    pthread_rwlock_unlock(&ix->lock);
}

int64_t si_seq(si_index *ix)
{
    pthread_rwlock_rdlock(&ix->lock);
    int64_t s = ix->seq;
    pthread_rwlock_unlock(&ix->lock);
    return s;
}

void si_stats_get(si_index *ix, si_stats *st)
{
    pthread_rwlock_rdlock(&ix->lock);
    const core *c = ix->c;
    st->docs = c->nlive;
    st->dead = c->nord - c->nlive;
    st->keys = c->hn;
    st->mem_bytes = sizeof *ix + core_mem(c);
    pthread_mutex_lock(&ix->cmu);
    for (int i = 0; i < CACHE_N; i++)
        if (ix->cache[i].term)
            st->mem_bytes += ix->cache[i].len + 1 + (size_t)ix->cache[i].words * 8;
    pthread_mutex_unlock(&ix->cmu);
    pthread_rwlock_unlock(&ix->lock);
}

const char *si_strerror(int rc)
{
    switch (rc) {
    case SI_OK:
        return "ok";
    case SI_EINVAL:
        return "invalid input";
    case SI_ETOOLONG:
        return "keyword too long";
    case SI_ETERMS:
        return "too many keyword terms";
    case SI_EPAGE:
        return "page beyond the result window";
    case SI_ENOMEM:
        return "out of memory";
    case SI_ENOTFOUND:
        return "no such document";
    default:
        return "unknown error";
    }
}

/* ---------------------------------------------------------------- search */

/* A read-only view of one posting list (or a cached exact set). */
typedef struct view {
    const uint32_t *a; /* ascending ordinals, or NULL for a bitmap */
    const uint64_t *bm;
    uint32_t n, words;
} view;

/* Returns a view borrowing p's storage (valid while the shared lock is held). */
static view view_of(const plist *p)
{
    view v = {.n = p->n};
    if (p->words) {
        v.bm = p->u.bm;
        v.words = p->words;
    } else {
        v.a = p->cap ? p->u.a : p->u.one;
    }
    return v;
}

/* Orders views by size, smallest first. */
static int view_cmp(const void *x, const void *y)
{
    const view *a = x, *b = y;
    return a->n < b->n ? -1 : a->n > b->n;
}

/* Intersects the live set with the nv views (nv may be 0) into out (c->cap/64 words). Sorts v.
 * Returns the number of candidates. */
static uint32_t intersect(const core *c, view *v, int nv, uint64_t *out)
{
    uint32_t words = c->cap / 64, cnt = 0;
    qsort(v, (size_t)nv, sizeof *v, view_cmp);
    if (nv == 0 || !v[0].a) {
        for (uint32_t w = 0; w < words; w++) {
            uint64_t x = c->live[w];
            for (int j = 0; j < nv && x; j++)
                x &= w < v[j].words ? v[j].bm[w] : 0;
            out[w] = x;
        }
        return (uint32_t)popcount_and(out, NULL, words);
    }
    memset(out, 0, (size_t)words * 8);
    uint32_t cur[VIEWS_MAX] = {0};
    for (uint32_t i = 0; i < v[0].n; i++) {
        uint32_t o = v[0].a[i];
        if (!bit_get(c->live, words, o))
            continue;
        bool ok = true;
        for (int j = 1; j < nv && ok; j++) {
            if (!v[j].a) {
                ok = bit_get(v[j].bm, v[j].words, o);
                continue;
            }
            /* Galloping search from the cursor (the outer ordinals ascend). */
            const uint32_t *a = v[j].a;
            uint32_t lo = cur[j], n = v[j].n, step = 1, hi = lo;
            while (hi < n && a[hi] < o) {
                lo = hi + 1;
                hi += step;
                step *= 2;
            }
            if (hi > n)
                hi = n;
            while (lo < hi) {
                uint32_t mid = lo + (hi - lo) / 2;
                if (a[mid] < o)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            cur[j] = lo;
            ok = lo < n && a[lo] == o;
        }
        if (ok) {
            out[o >> 6] |= 1ULL << (o & 63);
            cnt++;
        }
    }
    return cnt;
}

typedef struct hit {
    int64_t a, b, c; /* compared descending, lexicographically */
    uint32_t ord;
} hit;

/* True if x sorts before y in the result order. */
static inline bool better(const hit *x, const hit *y)
{
    if (x->a != y->a)
        return x->a > y->a;
    if (x->b != y->b)
        return x->b > y->b;
    return x->c > y->c;
}

/* qsort comparator: result order (ids are unique, so the order is total). */
static int hit_cmp(const void *x, const void *y)
{
    const hit *a = x, *b = y;
    return better(a, b) ? -1 : better(b, a) ? 1 : 0;
}

typedef struct ctx {
    const core *c;
    uint64_t pref_ok, ft_ok;
    uint8_t les_bad[4096]; /* failure bits (1 licence, 2 employment, 3 shift) by rec.les */
    uint32_t wm, wh;
    uint16_t flags;
    int nmuni;
    int muni[SI_MAX_MUNI]; /* sorted */
    int nverify;
    const char *vterm[SI_MAX_TERMS];
    size_t vlen[SI_MAX_TERMS];
    si_sort sort;
    double lat0, lon0, cos0;
    /* accumulators */
    int64_t total;
    uint32_t pref[SI_NPREF + 1], ftype[SI_NFTYPE], flag[SI_NFLAG];
    uint32_t les_full[4096];                   /* full matches by rec.les */
    uint32_t lic_h[16], emp_h[8], shift_h[32]; /* documents failing only that dimension */
    uint32_t lic_b[SI_NLIC], emp_b[SI_NEMP], shift_b[SI_NSHIFT]; /* bitmap path, by bit */
    const si_query *q;
    hit *heap; /* min-heap on "better": the root is the worst kept */
    uint32_t nheap, kheap;
} ctx;

/* Returns the primary sort key of ordinal o (larger is better). */
static inline int64_t primary_key(const ctx *x, const core *c, uint32_t o)
{
    switch (x->sort) {
    case SI_SORT_WAGE_MONTHLY:
        return c->rec[o].wage_m;
    case SI_SORT_WAGE_HOURLY:
        return c->rec[o].wage_h;
    case SI_SORT_DISTANCE:
        if (c->rec[o].geo) {
            double dk = si_distance_key(x->lat0, x->lon0, x->cos0, c->lat[o], c->lon[o]);
            int64_t bits;
            memcpy(&bits, &dk, sizeof bits); /* non-negative doubles order as their bits */
            return -bits;
        }
        return INT64_MIN;
    default:
        return c->pub[o];
    }
}

/* Returns the sort entry of ordinal o whose primary key is a. */
static inline hit make_hit(const ctx *x, uint32_t o, int64_t a)
{
    const core *c = x->c;
    hit h = {.ord = o, .a = a};
    if (x->sort == SI_SORT_NEWEST) {
        h.b = c->id[o];
    } else {
        h.b = c->pub[o];
        h.c = c->id[o];
    }
    return h;
}

/* Offers ordinal o with primary key a to the top-k heap. Returns the key below which later
 * candidates can be rejected without a call (INT64_MIN while the heap is not full). */
static int64_t heap_offer(ctx *x, uint32_t o, int64_t a)
{
    hit h = make_hit(x, o, a);
    hit *hp = x->heap;
    if (x->nheap < x->kheap) {
        uint32_t i = x->nheap++;
        while (i > 0) {
            uint32_t p = (i - 1) / 2;
            if (!better(&hp[p], &h))
                break;
            hp[i] = hp[p];
            i = p;
        }
        hp[i] = h;
    } else if (better(&h, &hp[0])) {
        uint32_t i = 0, n = x->nheap;
        for (;;) {
            uint32_t l = 2 * i + 1, r = l + 1, m = i;
            const hit *worst = &h;
            if (l < n && better(worst, &hp[l])) {
                m = l;
                worst = &hp[l];
            }
            if (r < n && better(worst, &hp[r]))
                m = r;
            if (m == i)
                break;
            hp[i] = hp[m];
            i = m;
        }
        hp[i] = h;
    }
    return x->nheap == x->kheap ? hp[0].a : INT64_MIN;
}

/* Visits every candidate in cand (words words): applies the filters, verifies long terms, counts
 * facets and keeps the best hits. */
static void scan(ctx *x, const uint64_t *cand, uint32_t words)
{
    const core *c = x->c;
    const rec *R = c->rec;
    const uint64_t pref_ok = x->pref_ok, ft_ok = x->ft_ok;
    const uint32_t wm = x->wm, wh = x->wh;
    const unsigned flags = x->flags;
    const int nverify = x->nverify; /* municipalities were applied as a candidate view */
    int64_t thr = INT64_MIN, total = 0;
    for (uint32_t w = 0; w < words; w++) {
        for (uint64_t bits = cand[w]; bits; bits &= bits - 1) {
            uint32_t o = w * 64 + (uint32_t)__builtin_ctzll(bits);
            const rec *r = &R[o];
            if ((r->flags & flags) != flags || r->wage_m < wm || r->wage_h < wh)
                continue;
            unsigned fm = (unsigned)((~pref_ok >> r->pref) & 1) | x->les_bad[r->les] |
                          (unsigned)((~ft_ok >> r->ftype) & 1) << 4;
            if (fm & (fm - 1))
                continue;
            if (nverify) {
                int i = 0;
                while (i < nverify && memmem(c->text[o], c->tlen[o], x->vterm[i], x->vlen[i]))
                    i++;
                if (i < nverify)
                    continue;
            }
            if (fm == 0) {
                total++;
                x->pref[r->pref]++;
                x->les_full[r->les]++;
                x->ftype[r->ftype]++;
                for (unsigned f = r->flags; f; f &= f - 1)
                    x->flag[__builtin_ctz(f)]++;
                int64_t a = primary_key(x, c, o);
                if (a >= thr)
                    thr = heap_offer(x, o, a);
                continue;
            }
            switch (fm) {
            case 1:
                x->pref[r->pref]++;
                break;
            case 2:
                x->lic_h[LES_LIC(r->les)]++;
                break;
            case 4:
                x->emp_h[LES_EMP(r->les)]++;
                break;
            case 8:
                x->shift_h[LES_SHIFT(r->les)]++;
                break;
            default:
                x->ftype[r->ftype]++;
                break;
            }
        }
    }
    x->total = total;
}

/* qsort comparator for ints. */
static int int_cmp(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Sets up filters in x from q. Returns SI_OK or SI_EINVAL. */
static int ctx_filters(ctx *x, const si_query *q)
{
    if ((q->pref_set & ~(((1ULL << SI_NPREF) - 1) << 1)) || q->lic > 0xF || q->emp > 0x7 ||
        q->shift > 0x1F || q->flags >= (1u << SI_NFLAG) || q->nmuni < 0 || q->nmuni > SI_MAX_MUNI ||
        (q->nmuni && !q->muni) || q->wage_monthly_min < 0 || q->wage_hourly_min < 0 ||
        (unsigned)q->sort > SI_SORT_DISTANCE)
        return SI_EINVAL;
    if (q->sort == SI_SORT_DISTANCE && !(isfinite(q->lat) && isfinite(q->lon)))
        return SI_EINVAL;
    x->pref_ok = q->pref_set ? q->pref_set : ~0ULL;
    x->ft_ok = q->ftype_set ? q->ftype_set : ~0ULL;
    if (q->lic || q->emp || q->shift) {
        for (unsigned m = 0; m < 4096; m++)
            x->les_bad[m] = (uint8_t)((q->lic && !(LES_LIC(m) & q->lic)) << 1 |
                                      (q->emp && !(LES_EMP(m) & q->emp)) << 2 |
                                      (q->shift && !(LES_SHIFT(m) & q->shift)) << 3);
    }
    /* Wage floors above any representable wage still match nothing (documents are capped). */
    x->wm = q->wage_monthly_min > UINT32_MAX ? UINT32_MAX : (uint32_t)q->wage_monthly_min;
    x->wh = q->wage_hourly_min > UINT32_MAX ? UINT32_MAX : (uint32_t)q->wage_hourly_min;
    x->flags = (uint16_t)q->flags;
    x->nmuni = q->nmuni;
    if (q->nmuni) {
        memcpy(x->muni, q->muni, (size_t)q->nmuni * sizeof(int));
        qsort(x->muni, (size_t)q->nmuni, sizeof(int), int_cmp);
    }
    x->sort = q->sort;
    x->lat0 = q->lat;
    x->lon0 = q->lon;
    x->cos0 = cos(q->lat * (3.14159265358979323846 / 180.0));
    return SI_OK;
}

/* Turns the accumulators of x (histograms by mask value, and bitmap-path counts) into the
 * per-bit facet counts of f. */
static void expand_facets(const ctx *x, si_facets *f)
{
    memcpy(f->pref, x->pref, sizeof f->pref);
    memcpy(f->ftype, x->ftype, sizeof f->ftype);
    memcpy(f->flag, x->flag, sizeof f->flag);
    uint32_t lic[16], emp[8], shift[32];
    memcpy(lic, x->lic_h, sizeof lic);
    memcpy(emp, x->emp_h, sizeof emp);
    memcpy(shift, x->shift_h, sizeof shift);
    for (unsigned m = 0; m < 4096; m++) {
        if (!x->les_full[m])
            continue;
        lic[LES_LIC(m)] += x->les_full[m];
        emp[LES_EMP(m)] += x->les_full[m];
        shift[LES_SHIFT(m)] += x->les_full[m];
    }
    memcpy(f->lic, x->lic_b, sizeof f->lic);
    memcpy(f->emp, x->emp_b, sizeof f->emp);
    memcpy(f->shift, x->shift_b, sizeof f->shift);
    for (unsigned m = 0; m < 16; m++)
        for (unsigned b = 0; b < SI_NLIC; b++)
            if (m >> b & 1)
                f->lic[b] += lic[m];
    for (unsigned m = 0; m < 8; m++)
        for (unsigned b = 0; b < SI_NEMP; b++)
            if (m >> b & 1)
                f->emp[b] += emp[m];
    for (unsigned m = 0; m < 32; m++)
        for (unsigned b = 0; b < SI_NSHIFT; b++)
            if (m >> b & 1)
                f->shift[b] += shift[m];
}

/* Stores in out (words words) the union of the municipality postings of the query's set and
 * returns its size (dead ordinals included: an estimate for ordering views). */
static uint32_t muni_union(const core *c, const ctx *x, uint64_t *out, uint32_t words)
{
    memset(out, 0, (size_t)words * 8);
    for (int i = 0; i < x->nmuni; i++) {
        if (i && x->muni[i] == x->muni[i - 1])
            continue;
        const plist *p = core_list((core *)c, key_muni(x->muni[i]), false);
        if (!p)
            continue;
        view v = view_of(p);
        if (v.bm) {
            for (uint32_t w = 0; w < words && w < v.words; w++)
                out[w] |= v.bm[w];
        } else {
            for (uint32_t j = 0; j < v.n; j++)
                out[v.a[j] >> 6] |= 1ULL << (v.a[j] & 63);
        }
    }
    return (uint32_t)popcount_and(out, NULL, words);
}

/* ANDs into A (words words) the documents whose wage (k = 1 monthly, 2 hourly) is at least min:
 * a prefix of the wage-ordered permutation, found by binary search and set in tmp (words words
 * of scratch) -- far cheaper than reading every candidate's record. */
static void and_wage(const core *c, int k, uint32_t min, uint64_t *A, uint64_t *tmp, uint32_t words)
{
    const uint32_t *p = c->perm[k];
    uint32_t lo = 0, hi = c->nperm;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        uint32_t wv = k == 1 ? c->rec[p[mid]].wage_m : c->rec[p[mid]].wage_h;
        if (wv >= min)
            lo = mid + 1;
        else
            hi = mid;
    }
    memset(tmp, 0, (size_t)words * 8);
    for (uint32_t i = 0; i < lo; i++)
        tmp[p[i] >> 6] |= 1ULL << (p[i] & 63);
    for (uint32_t w = 0; w < words; w++)
        A[w] &= tmp[w];
}

/* The bitmap path for large candidate sets (no verification pending): A (words words, modified)
 * holds the candidates; scratch holds 6 * words words. Filters and facet counts are computed a
 * word (64 documents) at a time against the facet value bitmaps; the page comes from walking a
 * sort permutation, or from the heap when the matches are few or the sort is by distance. */
static void bitmap_path(ctx *x, uint64_t *A, uint32_t words, uint64_t *scratch)
{
    const core *c = x->c;
    const si_query *q = x->q;
    const size_t vw = c->cap / 64; /* row stride */
#define ROW(r) (c->vb + (size_t)(r)*vw)
    for (unsigned f = x->flags; f; f &= f - 1) {
        const uint64_t *row = ROW(VB_FLAG + __builtin_ctz(f));
        for (uint32_t w = 0; w < words; w++)
            A[w] &= row[w];
    }
    /* Municipalities were applied as a candidate view by si_search. */
    if (x->wm)
        and_wage(c, 1, x->wm, A, scratch, words);
    if (x->wh)
        and_wage(c, 2, x->wh, A, scratch, words);
    /* Rows making up each active dimension's filter. */
    int rows[5][SI_NFTYPE];
    int nrows[5] = {0};
    bool active[5] = {q->pref_set != 0, q->lic != 0, q->emp != 0, q->shift != 0, q->ftype_set != 0};
    for (int p = 1; p <= SI_NPREF; p++)
        if ((q->pref_set >> p & 1) && c->vbn[VB_PREF + p])
            rows[0][nrows[0]++] = VB_PREF + p;
    for (int b = 0; b < SI_NLIC; b++)
        if ((q->lic >> b & 1) && c->vbn[VB_LIC + b])
            rows[1][nrows[1]++] = VB_LIC + b;
    for (int b = 0; b < SI_NEMP; b++)
        if ((q->emp >> b & 1) && c->vbn[VB_EMP + b])
            rows[2][nrows[2]++] = VB_EMP + b;
    for (int b = 0; b < SI_NSHIFT; b++)
        if ((q->shift >> b & 1) && c->vbn[VB_SHIFT + b])
            rows[3][nrows[3]++] = VB_SHIFT + b;
    for (int t = 0; t < SI_NFTYPE; t++)
        if ((q->ftype_set >> t & 1) && c->vbn[VB_FTYPE + t])
            rows[4][nrows[4]++] = VB_FTYPE + t;
    uint64_t *M = scratch, *MD[5];
    for (int d = 0; d < 5; d++)
        MD[d] = active[d] ? scratch + (size_t)(d + 1) * words : M;
    for (uint32_t w = 0; w < words; w++) {
        uint64_t a = A[w], f[5];
        for (int d = 0; d < 5; d++) {
            if (!active[d]) {
                f[d] = ~0ULL;
                continue;
            }
            uint64_t v = 0;
            for (int i = 0; i < nrows[d]; i++)
                v |= ROW(rows[d][i])[w];
            f[d] = v;
        }
        M[w] = a & f[0] & f[1] & f[2] & f[3] & f[4];
        for (int d = 0; d < 5; d++) {
            if (!active[d])
                continue;
            uint64_t m = a;
            for (int e = 0; e < 5; e++)
                if (e != d)
                    m &= f[e];
            MD[d][w] = m;
        }
    }
    uint64_t total = popcount_and(M, NULL, words);
    x->total = (int64_t)total;
    for (uint32_t w = 0; w < words; w++) { /* prefecture facets: one pass (see core.wpref) */
        uint64_t m = MD[0][w];
        if (!m)
            continue;
        if (c->wpref[w]) {
            x->pref[c->wpref[w]] += (uint32_t)__builtin_popcountll(m);
            continue;
        }
        for (; m; m &= m - 1)
            x->pref[c->rec[w * 64 + (uint32_t)__builtin_ctzll(m)].pref]++;
    }
    for (int b = 0; b < SI_NLIC; b++)
        if (c->vbn[VB_LIC + b])
            x->lic_b[b] = (uint32_t)popcount_and(MD[1], ROW(VB_LIC + b), words);
    for (int b = 0; b < SI_NEMP; b++)
        if (c->vbn[VB_EMP + b])
            x->emp_b[b] = (uint32_t)popcount_and(MD[2], ROW(VB_EMP + b), words);
    for (int b = 0; b < SI_NSHIFT; b++)
        if (c->vbn[VB_SHIFT + b])
            x->shift_b[b] = (uint32_t)popcount_and(MD[3], ROW(VB_SHIFT + b), words);
    for (int t = 0; t < SI_NFTYPE; t++)
        if (c->vbn[VB_FTYPE + t])
            x->ftype[t] = (uint32_t)popcount_and(MD[4], ROW(VB_FTYPE + t), words);
    for (int f = 0; f < SI_NFLAG; f++)
        if (c->vbn[VB_FLAG + f])
            x->flag[f] = (uint32_t)popcount_and(M, ROW(VB_FLAG + f), words);
#undef ROW
    if (!total)
        return;
    /* Walking a permutation costs about k * nord / total steps; the heap costs total. */
    if (x->sort != SI_SORT_DISTANCE && c->nperm == c->nord &&
        (uint64_t)x->kheap * c->nord <= total * total) {
        const uint32_t *perm = c->perm[x->sort == SI_SORT_NEWEST         ? 0
                                       : x->sort == SI_SORT_WAGE_MONTHLY ? 1
                                                                         : 2];
        for (uint32_t i = 0; i < c->nperm && x->nheap < x->kheap; i++) {
            uint32_t o = perm[i];
            if (bit_get(M, words, o))
                x->heap[x->nheap++] = make_hit(x, o, primary_key(x, c, o));
        }
        return;
    }
    int64_t thr = INT64_MIN;
    for (uint32_t w = 0; w < words; w++) {
        for (uint64_t bits = M[w]; bits; bits &= bits - 1) {
            uint32_t o = w * 64 + (uint32_t)__builtin_ctzll(bits);
            int64_t a = primary_key(x, c, o);
            if (a >= thr)
                thr = heap_offer(x, o, a);
        }
    }
}

/* For a term of n >= 4 code points cps: stores in v the posting lists of its 4-grams (or, when
 * some code point has no symbol because the table is full, of its trigrams), rarest first, and
 * sets *exact when the single list is the term's exact set (n == 4). Returns the list count, or
 * -1 when some gram is absent (no document contains the term). */
static int gram_views(const core *c, const uint32_t *cps, size_t n, view *v, bool *exact)
{
    uint32_t sy[SI_MAX_NORM_CP];
    bool all = c->sym != NULL;
    for (size_t j = 0; j < n && all; j++)
        all = (sy[j] = c->sym[cps[j]]) != 0;
    if (!all && (!c->sym || !c->sym_full))
        return -1; /* some code point occurs in no document */
    int nv = 0;
    for (size_t j = 0; all ? j + 3 < n : j + 2 < n; j++) {
        uint64_t key = all ? key4_of(sy[j], sy[j + 1], sy[j + 2], sy[j + 3])
                           : key3_of(cps[j], cps[j + 1], cps[j + 2]);
        const plist *p = core_list((core *)c, key, false);
        if (!p)
            return -1;
        v[nv++] = view_of(p);
    }
    qsort(v, (size_t)nv, sizeof *v, view_cmp);
    *exact = all && n == 4;
    return nv;
}

/* Under the shared lock: computes the exact set of long term t (bytes len) into out (c->cap/64
 * words) by intersecting its gram lists v (nv of them, rarest first, from gram_views; reordered)
 * and verifying every candidate. Returns the set size. */
static int64_t exact_long(const core *c, const char *t, size_t len, view *v, int nv, uint64_t *out)
{
    if (nv > 6)
        nv = 6; /* the rarest lists narrow enough; verification is exact anyway */
    intersect(c, v, nv, out);
    int64_t cnt = 0;
    uint32_t words = c->cap / 64;
    for (uint32_t w = 0; w < words; w++) {
        for (uint64_t bits = out[w]; bits; bits &= bits - 1) {
            uint32_t o = w * 64 + (uint32_t)__builtin_ctzll(bits);
            if (memmem(c->text[o], c->tlen[o], t, len))
                cnt++;
            else
                out[w] &= ~(1ULL << (o & 63));
        }
    }
    return cnt;
}

/* Public; see index.h. Allocates only scratch memory, all released before returning. */
int si_search(si_index *ix, const si_query *q, si_result *out)
{
    memset(out, 0, sizeof *out);
    si_terms terms;
    int rc = si_parse_terms(q->q, &terms);
    if (rc)
        return rc;
    int per_page = q->per_page <= 0 ? SI_DEFAULT_PER_PAGE : q->per_page;
    if (per_page > SI_MAX_PER_PAGE)
        per_page = SI_MAX_PER_PAGE;
    int page = q->page <= 0 ? 1 : q->page;
    if ((int64_t)page * per_page > SI_MAX_WINDOW)
        return SI_EPAGE;
    ctx *x = calloc(1, sizeof *x);
    if (!x)
        return SI_ENOMEM;
    x->q = q;
    rc = ctx_filters(x, q);
    if (rc) {
        free(x);
        return rc;
    }
    x->kheap = (uint32_t)(page * per_page);
    x->heap = malloc(x->kheap * sizeof *x->heap);

    pthread_rwlock_rdlock(&ix->lock);
    const core *c = ix->c;
    x->c = c;
    uint32_t words = c->cap / 64;
    /* Scratch: candidates plus one exact set per cached long term. */
    sbuf *sb = pool_get(ix, ((size_t)words + 1) * 8 * SCRATCH_SLOTS);
    uint64_t *cand = sb ? sb->data : NULL;
    view v[VIEWS_MAX];
    int nv = 0;
    bool empty = false;
    /* The scan verifies only documents that pass the "always" filters and fail at most one
     * faceted dimension, so with these filters it verifies far fewer than the whole index. */
    int nfacet =
        (q->pref_set != 0) + (q->lic != 0) + (q->emp != 0) + (q->shift != 0) + (q->ftype_set != 0);
    bool narrow = q->nmuni > 0 || q->flags || q->wage_monthly_min > 0 || q->wage_hourly_min > 0 ||
                  nfacet >= 2;
    if (!x->heap || !cand) {
        rc = SI_ENOMEM;
        goto done;
    }
    for (int i = 0; i < terms.n && !empty; i++) {
        const char *t = terms.buf + terms.off[i];
        size_t len = terms.len[i];
        uint32_t cps[SI_MAX_NORM_CP];
        size_t n = decode(t, len, cps, SI_MAX_NORM_CP);
        if (n <= 3) { /* exact: the term's own unigram, bigram or trigram list */
            uint64_t key = n == 3   ? key3_of(cps[0], cps[1], cps[2])
                           : n == 2 ? key_of(cps[0], cps[1])
                                    : key_of(cps[0], 0);
            const plist *p = core_list((core *)c, key, false);
            if (!p)
                empty = true;
            else
                v[nv++] = view_of(p);
            continue;
        }
        /* Longer term: its exact 4-gram list, an exact cached set, or gram lists plus
         * verification. */
        view tv[SI_MAX_NORM_CP];
        bool exact;
        int ntv = gram_views(c, cps, n, tv, &exact);
        if (ntv < 0) {
            empty = true;
            break;
        }
        if (exact) {
            v[nv++] = tv[0];
            continue;
        }
        uint64_t *slot = cand + ((size_t)words + 1) * (size_t)(1 + i);
        uint32_t cnt;
        if (cache_get(ix, t, len, slot, words, &cnt)) {
            v[nv++] = (view){.bm = slot, .words = words, .n = cnt};
            continue;
        }
        /* A frequent term is worth its exact set (verified over the whole index, then cached)
         * unless the filters let the scan verify far fewer documents. */
        if (tv[0].n >= CACHE_MIN_CAND && !narrow) {
            int64_t ec = exact_long(c, t, len, tv, ntv, slot);
            cache_put(ix, t, len, slot, words, (uint32_t)ec);
            v[nv++] = (view){.bm = slot, .words = words, .n = (uint32_t)ec};
            continue;
        }
        for (int j = 0; j < ntv && j < 3; j++)
            v[nv++] = tv[j];
        x->vterm[x->nverify] = t;
        x->vlen[x->nverify++] = len;
    }
    if (!empty && x->nmuni) { /* the municipality filter as one more candidate view */
        uint64_t *mu = cand + ((size_t)words + 1) * (1 + SI_MAX_TERMS + 6);
        uint32_t mc = muni_union(c, x, mu, words);
        if (mc)
            v[nv++] = (view){.bm = mu, .words = words, .n = mc};
        else
            empty = true;
        x->nmuni = 0; /* applied: scan and bitmap_path need not check it again */
    }
    if (!empty) {
        uint32_t cnt = intersect(c, v, nv, cand);
        if (x->nverify == 0 && cnt >= 64 && (uint64_t)cnt * BITMAP_DIV >= c->nord)
            bitmap_path(x, cand, words, cand + ((size_t)words + 1) * (1 + SI_MAX_TERMS));
        else
            scan(x, cand, words);
    }
    out->total = x->total;
    expand_facets(x, &out->facets);
    qsort(x->heap, x->nheap, sizeof *x->heap, hit_cmp);
    {
        uint32_t off = (uint32_t)((page - 1) * per_page);
        for (uint32_t i = off; i < x->nheap && out->n < per_page; i++)
            out->ids[out->n++] = c->id[x->heap[i].ord];
    }
done:
    pthread_rwlock_unlock(&ix->lock);
    out->page = page;
    out->per_page = per_page;
    pool_put(ix, sb);
    free(x->heap);
    free(x);
    if (rc) {
        memset(out, 0, sizeof *out);
        return rc;
    }
    return SI_OK;
}
