/* In-memory job offer search index (DESIGN.md §3 "Search").
 *
 * Per-offer facet records (struct of arrays) plus unigram, bigram and trigram postings over the
 * code points of normalised text. Text normalisation (both documents and queries): NFKC,
 * lower-case, hiragana folded to katakana, whitespace removed; control characters (newlines) become
 * a hard field boundary that no term can match across.
 *
 * Keyword semantics: the query is split on whitespace (ASCII and U+3000 after NFKC) into at most
 * SI_MAX_TERMS terms, ANDed. A term of one, two or three code points is answered exactly by its
 * unigram, bigram or trigram posting list; a longer term intersects its trigram lists and is
 * verified as a true substring of the stored normalised text (no false positives). Exact
 * per-term document sets of frequent long terms are kept in a small cache that writes keep
 * current.
 *
 * Threading: every function taking an si_index may be called from any thread. Searches take a
 * shared lock and run concurrently; upserts, removals and rebuilds take the exclusive lock.
 *
 * The store stays the source of truth: the caller feeds committed rows through si_upsert /
 * si_remove and records the store's change sequence with si_set_seq. */
#ifndef NCCS_SEARCH_INDEX_H
#define NCCS_SEARCH_INDEX_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits. */
#define SI_MAX_TERMS        8     /* terms in one query */
#define SI_MAX_KEYWORD_CP   100   /* code points of the raw keyword string */
#define SI_MAX_NORM_CP      400   /* code points of the keyword after NFKC (expansion cap) */
#define SI_MAX_PER_PAGE     100   /* per_page is capped to this */
#define SI_DEFAULT_PER_PAGE 20    /* per_page <= 0 means this */
#define SI_MAX_WINDOW       10000 /* page * per_page may not exceed this */
#define SI_MAX_MUNI         64    /* municipalities in one filter */
#define SI_MAX_TEXT_BYTES   65536 /* searchable text of one document */

/* Dimensions. */
#define SI_NPREF  47 /* prefectures 1..47 (JIS X 0401) */
#define SI_NLIC   4
#define SI_NEMP   3
#define SI_NSHIFT 5
#define SI_NFTYPE 64 /* facility type codes 0..63 */
#define SI_NFLAG  12

/* Licence bits (a document lists the licences it accepts; a filter matches any). */
enum {
    SI_LIC_HOKENSHI = 1u << 0,    /* 保健師 */
    SI_LIC_JOSANSHI = 1u << 1,    /* 助産師 */
    SI_LIC_KANGOSHI = 1u << 2,    /* 看護師 */
    SI_LIC_JUNKANGOSHI = 1u << 3, /* 准看護師 */
};
/* Employment form bits. */
enum {
    SI_EMP_JOKIN = 1u << 0,   /* 常勤 */
    SI_EMP_HIJOKIN = 1u << 1, /* 非常勤 */
    SI_EMP_RINJI = 1u << 2,   /* 臨時 */
};
/* Shift pattern bits. */
enum {
    SI_SHIFT_TWO = 1u << 0,        /* 二交代 */
    SI_SHIFT_THREE = 1u << 1,      /* 三交代 */
    SI_SHIFT_DAY_ONLY = 1u << 2,   /* 日勤のみ */
    SI_SHIFT_NIGHT_ONLY = 1u << 3, /* 夜勤専従 */
    SI_SHIFT_ON_CALL = 1u << 4,    /* オンコール */
};
/* Flag bits (a filter requires all of the given flags). */
enum {
    SI_FLAG_RITO = 1u << 0,      /* 離島 */
    SI_FLAG_HEKICHI = 1u << 1,   /* へき地 */
    SI_FLAG_HISAICHI = 1u << 2,  /* 被災地 */
    SI_FLAG_TAKUJI = 1u << 3,    /* 託児所あり */
    SI_FLAG_BLANK = 1u << 4,     /* ブランク可 */
    SI_FLAG_RYO = 1u << 5,       /* 寮あり */
    SI_FLAG_KYUBO = 1u << 6,     /* 急募 */
    SI_FLAG_CAMPAIGN0 = 1u << 7, /* campaign tags 0..4 (e.g. an emergency staffing drive) */
    SI_FLAG_CAMPAIGN1 = 1u << 8,
    SI_FLAG_CAMPAIGN2 = 1u << 9,
    SI_FLAG_CAMPAIGN3 = 1u << 10,
    SI_FLAG_CAMPAIGN4 = 1u << 11,
};

/* Error codes (0 is success). */
enum {
    SI_OK = 0,
    SI_EINVAL = -1,    /* invalid UTF-8, control characters or a field out of range */
    SI_ETOOLONG = -2,  /* keyword longer than SI_MAX_KEYWORD_CP (or SI_MAX_NORM_CP after NFKC) */
    SI_ETERMS = -3,    /* more than SI_MAX_TERMS terms */
    SI_EPAGE = -4,     /* page * per_page beyond SI_MAX_WINDOW */
    SI_ENOMEM = -5,    /* out of memory; the index is unchanged */
    SI_ENOTFOUND = -6, /* si_remove of an id that is not indexed */
};

/* One job offer as the index sees it. All pointers are borrowed for the duration of the call. */
typedef struct si_doc {
    int64_t id;           /* offer id; unique, upsert replaces by it */
    int pref;             /* 1..47 */
    int muni;             /* 5-digit JIS municipality code, 0 = unknown (0..99999) */
    unsigned lic;         /* SI_LIC_* bits */
    unsigned emp;         /* SI_EMP_* bits */
    unsigned shift;       /* SI_SHIFT_* bits */
    int ftype;            /* facility type 0..63 */
    unsigned flags;       /* SI_FLAG_* bits */
    int64_t wage_monthly; /* minimum monthly wage in yen, 0 = none (0..4294967295) */
    int64_t wage_hourly;  /* minimum hourly wage in yen, 0 = none */
    int64_t published_at; /* unix seconds */
    double lat, lon;      /* degrees; NaN when unknown */
    const char *text;     /* UTF-8 searchable text (fields separated by newlines); NULL = "" */
} si_doc;

typedef enum {
    SI_SORT_NEWEST = 0,   /* published_at desc, id desc */
    SI_SORT_WAGE_MONTHLY, /* wage_monthly desc, published_at desc, id desc */
    SI_SORT_WAGE_HOURLY,  /* wage_hourly desc, published_at desc, id desc */
    SI_SORT_DISTANCE, /* si_distance_key asc (no coordinates last), published_at desc, id desc */
} si_sort;

/* A search. Zero-initialise, then set what is needed: zero means "no filter" everywhere. */
typedef struct si_query {
    const char *q;            /* keyword string (UTF-8), NULL or blank = no keyword; borrowed */
    uint64_t pref_set;        /* bit p set for prefecture p (1..47) */
    const int *muni;          /* municipality codes (borrowed), any of */
    int nmuni;                /* 0..SI_MAX_MUNI */
    unsigned lic;             /* any of these licence bits */
    unsigned emp;             /* any of these employment form bits */
    unsigned shift;           /* any of these shift bits */
    uint64_t ftype_set;       /* bit t set for facility type t */
    unsigned flags;           /* all of these flags */
    int64_t wage_monthly_min; /* offer's monthly minimum >= this (0 = no filter) */
    int64_t wage_hourly_min;  /* offer's hourly minimum >= this (0 = no filter) */
    si_sort sort;
    double lat, lon; /* origin for SI_SORT_DISTANCE */
    int page;        /* 1-based; <= 0 means 1 */
    int per_page;    /* <= 0 means SI_DEFAULT_PER_PAGE; capped at SI_MAX_PER_PAGE */
} si_query;

/* Facet counts. For prefecture, licence, employment form, shift and facility type the count of a
 * value is the number of matching documents with every OTHER filter applied (the dimension's own
 * filter ignored); flag counts are over the full match set (flags are ANDed, so that is what
 * adding the flag would give). */
typedef struct si_facets {
    uint32_t pref[SI_NPREF + 1]; /* index 1..47 */
    uint32_t lic[SI_NLIC];       /* by bit position */
    uint32_t emp[SI_NEMP];
    uint32_t shift[SI_NSHIFT];
    uint32_t ftype[SI_NFTYPE];
    uint32_t flag[SI_NFLAG];
} si_facets;

/* A search result; fixed size, owns no heap memory. */
typedef struct si_result {
    int64_t total;                /* documents matching everything */
    int page, per_page;           /* effective values */
    int n;                        /* ids on this page */
    int64_t ids[SI_MAX_PER_PAGE]; /* in sort order */
    si_facets facets;
} si_result;

typedef struct si_stats {
    size_t docs;      /* live documents */
    size_t dead;      /* replaced or removed ordinals still held (si_rebuild reclaims them) */
    size_t keys;      /* distinct unigram + bigram + trigram keys */
    size_t mem_bytes; /* bytes held by the index (postings, records, text, tables, cache) */
} si_stats;

typedef struct si_index si_index;

/* Returns a new empty index (caller frees with si_free), or NULL when out of memory. */
si_index *si_new(void);
/* Frees the index and everything it holds. NULL is fine. No other thread may use it. */
void si_free(si_index *ix);

/* Inserts d, or replaces the document with the same id. d and its text are copied; the caller
 * keeps ownership of d. Returns SI_OK, SI_EINVAL, SI_ETOOLONG (text over SI_MAX_TEXT_BYTES) or
 * SI_ENOMEM; the visible contents are unchanged on error. Costs tens of microseconds (the sort
 * orders are kept by insertion). */
int si_upsert(si_index *ix, const si_doc *d);
/* Removes the document with this id. Returns SI_OK or SI_ENOTFOUND. */
int si_remove(si_index *ix, int64_t id);

/* Bulk load: a builder collects documents without touching the live index, builds postings in
 * one pass, and si_builder_finish swaps the result into ix (whose old contents are freed).
 * si_builder_new returns a builder owned by the caller (NULL when out of memory); size_hint is
 * the expected number of documents (0 if unknown). si_builder_add copies d (later duplicates of
 * an id replace earlier ones) and returns SI_OK, SI_EINVAL or SI_ENOMEM; a failed add leaves the
 * builder usable. Several threads may call si_builder_add on one builder at once (the text is
 * normalised in parallel, the postings are added one document at a time); ordinals then follow
 * the order of the calls, which changes no search answer (every sort ends with the id).
 * si_builder_finish always consumes (frees) the builder and returns SI_OK or SI_ENOMEM (ix
 * unchanged then). si_builder_free discards an unfinished builder. */
typedef struct si_builder si_builder;
si_builder *si_builder_new(size_t size_hint);
int si_builder_add(si_builder *b, const si_doc *d);
/* Adds up to SI_BUILDER_BATCH documents with consecutive ordinals (normalised in the calling
 * thread, added under the builder's lock in one go), so documents a caller groups stay together;
 * grouping a bulk load by prefecture makes prefecture facets cheaper. Returns SI_OK, or the
 * first SI_EINVAL / SI_ETOOLONG of a document that was skipped (the others are added), or
 * SI_ENOMEM (the builder is then only fit for si_builder_free). */
#define SI_BUILDER_BATCH 64
int si_builder_add_many(si_builder *b, const si_doc *docs, size_t n);
int si_builder_finish(si_builder *b, si_index *ix);
void si_builder_free(si_builder *b);
/* Convenience: replaces the contents of ix by the n documents (borrowed). Returns as above. */
int si_bulk_load(si_index *ix, const si_doc *docs, size_t n);
/* Rebuilds ix from its own live documents, dropping dead ordinals (holds the exclusive lock for
 * the duration, about as long as a bulk load). Returns SI_OK or SI_ENOMEM (ix unchanged). */
int si_rebuild(si_index *ix);

/* Runs q and fills *out (caller-owned storage; q and its strings are only read). Returns SI_OK,
 * SI_EINVAL, SI_ETOOLONG, SI_ETERMS, SI_EPAGE or SI_ENOMEM; *out is zeroed on error.
 * The first search for a frequent long term (4+ code points) verifies every candidate and so
 * costs milliseconds; its exact document set is then cached (CACHE_N terms, kept current by
 * writes, cleared by rebuilds). */
int si_search(si_index *ix, const si_query *q, si_result *out);

/* The change sequence of the store that the index reflects (kept, never interpreted). */
void si_set_seq(si_index *ix, int64_t seq);
int64_t si_seq(si_index *ix);
/* Fills *st with a snapshot of the index's size. */
void si_stats_get(si_index *ix, si_stats *st);

/* Returns a short English description of an SI_* code (static storage). */
const char *si_strerror(int rc);

/* Normalises document text as the index stores it: NFKC, lower case, hiragana → katakana,
 * whitespace removed, runs of control characters → one '\n' (none at the ends). Returns a new
 * string (caller frees) and its length in *len (may be NULL), or NULL for invalid UTF-8 / OOM. */
char *si_normalize(const char *s, size_t *len);

/* Normalised query terms. Term i is the NUL-terminated string at buf + off[i], ncp[i] code
 * points long. Self-contained (offsets, no pointers), so it may be copied. */
typedef struct si_terms {
    int n;
    uint16_t off[SI_MAX_TERMS];
    uint16_t len[SI_MAX_TERMS]; /* bytes */
    uint16_t ncp[SI_MAX_TERMS];
    char buf[SI_MAX_NORM_CP * 4 + SI_MAX_TERMS + 1];
} si_terms;
/* Parses a keyword string into normalised terms (NULL or blank gives n = 0). Returns SI_OK,
 * SI_EINVAL, SI_ETOOLONG or SI_ETERMS. */
int si_parse_terms(const char *q, si_terms *out);

/* The distance ordering key used by SI_SORT_DISTANCE: an equirectangular approximation (squared,
 * in degrees², longitude scaled by cos(lat0)); smaller is nearer. cos_lat0 = cos(lat0 * pi/180). */
static inline double si_distance_key(double lat0, double lon0, double cos_lat0, double lat,
                                     double lon)
{
    double dx = (lon - lon0) * cos_lat0;
    double dy = lat - lat0;
    return dx * dx + dy * dy;
}

#endif
