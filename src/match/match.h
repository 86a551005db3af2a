/* Two-way matching of job seekers (求職者) and published job offers (求人票), with reasons.
 *
 * Pure code, no I/O: the hard conditions, the score and its explanation (match_check,
 * match_score), and an in-memory store of compact match records (match_store) that answers
 * "offers for a nurse", "candidates for an offer" and "why (not) this offer". The store is fed by
 * src/search/match_feed.c from the database, exactly like the search index.
 *
 * Hard conditions (every one must hold; an empty wish list is no condition):
 *   licence          the offer accepts at least one of the nurse's licences
 *   area             prefectures and municipalities together describe an area: a wished
 *                    municipality adds that municipality; a wished prefecture adds the whole
 *                    prefecture unless some wished municipality lies in it (then only those
 *                    municipalities of it count). Failing it is MATCH_X_PREFECTURE when the
 *                    offer's prefecture is outside the area, MATCH_X_MUNICIPALITY when only some
 *                    municipalities of that prefecture are wished and the offer's is not one.
 *   employment form  the offer's form is one of the wished forms
 *   shift pattern    the offer has at least one wished pattern (an offer without patterns fails)
 *   night shifts     the offer's nights per month <= the wished maximum; an offer that does not
 *                    state its nights counts as 0 when its patterns are day-only, otherwise it
 *                    fails only a maximum of 0 (no night shifts at all)
 *   wage             the offer's minimum wage, converted to the wish's unit, >= the wished minimum
 *                    (conversion: 1 month = 160 hours = 20 days, 1 year = 12 months; an offer
 *                    without a wage fails)
 *   facility type    the facility's type is one of the wished types
 *   department       the offer lists at least one wished department (none listed fails)
 *   childcare        wished → the offer has 託児所 (flag takuji)
 *
 * Score: 0..100 points (kept as thousandths, 0..100000, for ranking) = the sum over six
 * components of weight × fit, each fit in 0..1000 permille:
 *   wage 25        with a wage wish: margin over the wish, full at +20% (fit = min(1000,
 *                  5 × margin‰)); without: 500
 *   distance 20    1000 the offer's municipality is a wished one; 800 its prefecture is the
 *                  nurse's (registered) prefecture or that of a wished municipality; otherwise
 *                  600 × (1 - km/500), 0 from 500 km, where km is the distance between the
 *                  prefectural offices (prefecture level: no municipality coordinates exist, so
 *                  this is an approximation)
 *   shift 15       with a pattern wish: the share of the offer's patterns that are wished;
 *                  without: 500
 *   facility 10    1000 wished or the type of the nurse's last workplace; otherwise 500
 *   department 15  offer without departments: 500; else 600 × (1000 if a wished department is
 *                  listed, 500 without a department wish) + 400 × (1000 if a department the
 *                  nurse has experience in is listed, else 0), over 1000
 *   freshness 15   1000 on the day of publication, falling linearly to 0 at 60 days
 * Ranking: score desc, then published_at desc, id desc (offers); score desc, last activity
 * desc, id desc (candidates). Integer arithmetic throughout, so results are exact and
 * reproducible.
 *
 * Threading: every function taking a match_store may be called from any thread; queries take a
 * shared lock, writes the exclusive lock (pthread rwlock), like the search index. */
#ifndef NCCS_MATCH_MATCH_H
#define NCCS_MATCH_MATCH_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MATCH_NPREF            47
#define MATCH_MAX_MUNI         50   /* wished municipalities kept per seeker */
#define MATCH_MAX_PER_PAGE     100  /* per_page is capped to this */
#define MATCH_DEFAULT_PER_PAGE 20   /* per_page <= 0 means this */
#define MATCH_MAX_WINDOW       1000 /* page * per_page may not exceed this */
#define MATCH_MAX_NAME         304  /* bytes of a name kept (100 code points of up to 3 bytes) */
#define MATCH_MAX_REASONS      16

/* Wage units (offers.wage_type / seekers.wish_wage_type). */
enum {
    MATCH_WAGE_NONE = 0,
    MATCH_WAGE_MONTHLY,
    MATCH_WAGE_HOURLY,
    MATCH_WAGE_DAILY,
    MATCH_WAGE_ANNUAL
};
#define MATCH_HOURS_PER_MONTH 160
#define MATCH_DAYS_PER_MONTH  20

/* Seeker registration status (SEEKER_STATUSES order). */
enum { MATCH_ACTIVE = 0, MATCH_PAUSED = 1, MATCH_CLOSED = 2 };

/* Failed hard conditions (bits of match_eval.excluded), in the order they are reported. */
enum {
    MATCH_X_LICENCE = 1u << 0,
    MATCH_X_PREFECTURE = 1u << 1,
    MATCH_X_MUNICIPALITY = 1u << 2,
    MATCH_X_EMPLOYMENT = 1u << 3,
    MATCH_X_SHIFT = 1u << 4,
    MATCH_X_NIGHTS = 1u << 5,
    MATCH_X_WAGE = 1u << 6,
    MATCH_X_FACILITY_TYPE = 1u << 7,
    MATCH_X_DEPARTMENT = 1u << 8,
    MATCH_X_CHILDCARE = 1u << 9,
};
#define MATCH_NX 10

/* Score components (index into match_eval.fit) and their weights in points. */
enum {
    MATCH_C_WAGE,
    MATCH_C_DISTANCE,
    MATCH_C_SHIFT,
    MATCH_C_FACILITY,
    MATCH_C_DEPARTMENT,
    MATCH_C_FRESHNESS,
    MATCH_NC
};
extern const int MATCH_WEIGHT[MATCH_NC]; /* 25 20 15 10 15 15 */

/* Why an offer fits (match_eval.reasons). arg: see each. */
typedef enum {
    MATCH_R_LICENCE,             /* arg: the nurse's licence bits the offer accepts */
    MATCH_R_WAGE_ABOVE,          /* arg: margin in yen (wish unit); wage_eq/wish in the eval */
    MATCH_R_WAGE_MEETS,          /* exactly the wished wage */
    MATCH_R_SAME_MUNI,           /* the offer's municipality is wished */
    MATCH_R_SAME_PREF,           /* same prefecture as the nurse's or a wished municipality */
    MATCH_R_NEAR,                /* arg: km between prefectural offices (approximate) */
    MATCH_R_SHIFT,               /* arg: shift bits of the offer that are wished */
    MATCH_R_NIGHTS_WITHIN,       /* arg: nights per month (the maximum is in the eval) */
    MATCH_R_FACILITY_WISHED,     /* arg: facility type */
    MATCH_R_FACILITY_EXPERIENCE, /* arg: facility type (the nurse's last workplace) */
    MATCH_R_DEPT_WISHED,         /* arg: wished department bits the offer lists */
    MATCH_R_DEPT_EXPERIENCE,     /* arg: experienced department bits the offer lists */
    MATCH_R_NEW,                 /* arg: days since publication (<= 7) */
    MATCH_R_CHILDCARE,           /* childcare wished and on site */
    MATCH_R_BLANK_OK, /* a career break of 12+ months and the offer says ブランク可 */
} match_reason_code;

typedef struct match_reason {
    match_reason_code code;
    int64_t arg;
} match_reason;

/* One published offer as the matcher sees it. */
typedef struct match_offer {
    int64_t id;
    int pref;         /* 1..47 */
    int muni;         /* 5-digit JIS code, 0 = unknown */
    unsigned lic;     /* licence bits accepted (OFFER_LIC_*) */
    unsigned emp;     /* employment form bit (SI_EMP_*), 0 = unknown */
    unsigned shift;   /* shift bits (OFFER_SHIFT_*) */
    int nights;       /* night shifts per month, -1 = not stated */
    int wage_type;    /* MATCH_WAGE_* */
    int64_t wage_min; /* yen per wage_type unit, 0 = not stated */
    int ftype;        /* facility type (FACILITY_TYPES position), -1 = unknown */
    uint32_t depts;   /* department bits (DEPARTMENT_CODES positions) */
    unsigned flags;   /* OFFER_FLAG_* bits */
    int64_t published_at;
} match_offer;

/* One job seeker: registration, experience and wishes. */
typedef struct match_seeker {
    int64_t id;        /* user id */
    int pref;          /* registered prefecture 1..47 (the center; also the staff scope) */
    unsigned lic;      /* licence bits held */
    int status;        /* MATCH_ACTIVE / PAUSED / CLOSED */
    int32_t valid_day; /* registration valid through this day (days since 1970-01-01, JST) */
    int64_t last_activity_at;
    int64_t updated_at; /* the row's updated_at (lets the feed skip rows it already has) */
    int work_status;    /* WORK_STATUSES position */
    int experience_years;
    uint32_t exp_depts;
    int last_ftype;          /* -1 = none */
    int career_break_months; /* -1 = not stated */
    uint64_t wish_prefs;     /* bit p for prefecture p */
    const int *wish_munis;   /* borrowed on input; the store keeps a copy */
    int n_wish_munis;        /* 0..MATCH_MAX_MUNI */
    unsigned wish_emp, wish_shift;
    int max_nights; /* -1 = no limit */
    int wage_type;  /* MATCH_WAGE_MONTHLY / HOURLY, or NONE */
    int64_t wage_min;
    uint64_t wish_ftypes; /* bit t for facility type t */
    uint32_t wish_depts;
    bool childcare;
    const char *name, *name_kana; /* borrowed on input (NULL = ""); copied by the store */
} match_seeker;

/* The evaluation of one (seeker, offer) pair. Fixed size, owns nothing. */
typedef struct match_eval {
    unsigned excluded;     /* MATCH_X_* bits; 0 = the offer matches */
    int32_t score;         /* 0..100000 (thousandths of a point) */
    int16_t fit[MATCH_NC]; /* 0..1000 each */
    int dist_km;           /* prefecture-office distance (0 within a prefecture) */
    int wage_unit;         /* the wish's unit (MATCH_WAGE_*), NONE without a wage wish */
    int64_t wage_eq;       /* the offer's wage in the wish's unit (0 without a wage wish) */
    int nights_eff;        /* the offer's nights as judged (-1 unknown) */
    int age_days;
    int nreasons;
    match_reason reasons[MATCH_MAX_REASONS];
} match_eval;

/* Context of an evaluation: the prefecture distance table and the time. */
typedef struct match_ctx {
    const int16_t (*km)[MATCH_NPREF + 1]; /* km[p][q] between prefectural offices; NULL = unknown
                                             (every other prefecture 500 km away) */
    int64_t now;                          /* unix seconds, for freshness */
} match_ctx;

/* The offer's wage converted to unit `to` (integer division; see the header comment); 0 when the
 * offer states none or the units are unknown. */
int64_t match_wage_in(const match_offer *o, int to);
/* The failed hard conditions (MATCH_X_* bits) of offer o for seeker s. */
unsigned match_check(const match_seeker *s, const match_offer *o);
/* Evaluates the pair: hard conditions, fits, score and (with reasons) the reasons. The score is
 * computed whether or not the offer matches. */
void match_score(const match_seeker *s, const match_offer *o, const match_ctx *c, bool reasons,
                 match_eval *out);
/* Fills km[48][48] (index 1..47) with great-circle distances in km between the points
 * (lat/lon in degrees, NaN = unknown → 500 km from everything else, 0 to itself). */
void match_distance_table(const double *lat, const double *lon, int16_t km[][MATCH_NPREF + 1]);

/* Error codes. */
enum {
    MATCH_OK = 0,
    MATCH_ENOSEEKER = -1, /* no such seeker in the store */
    MATCH_ENOOFFER = -2,  /* no such published offer in the store */
    MATCH_EPAGE = -3,     /* page * per_page beyond MATCH_MAX_WINDOW */
    MATCH_ENOMEM = -4,
};

typedef struct match_store match_store;

/* A new empty store (caller frees with match_free), or NULL. */
match_store *match_new(void);
void match_free(match_store *ms);
/* Sets the prefecture points (arrays of 48, index 1..47; NaN = unknown). */
void match_set_points(match_store *ms, const double *lat, const double *lon);

/* Inserts or replaces by id (the record is copied). Returns MATCH_OK, MATCH_ENOMEM, or
 * MATCH_ENOOFFER / MATCH_ENOSEEKER for a record out of range (prefecture not 1..47). */
int match_offer_put(match_store *ms, const match_offer *o);
int match_offer_remove(match_store *ms, int64_t id); /* MATCH_OK or MATCH_ENOOFFER */
int match_seeker_put(match_store *ms, const match_seeker *s);
int match_seeker_remove(match_store *ms, int64_t id); /* MATCH_OK or MATCH_ENOSEEKER */
/* The stored updated_at of seeker id, or -1 when unknown. */
int64_t match_seeker_updated_at(match_store *ms, int64_t id);

typedef struct match_stats {
    size_t offers, seekers, mem_bytes;
} match_stats;
void match_stats_get(match_store *ms, match_stats *st);

/* A page of ranked offers for one seeker. */
typedef struct match_offer_hit {
    int64_t offer_id;
    match_eval eval;
} match_offer_hit;
typedef struct match_offer_page {
    int64_t total; /* matching offers */
    int page, per_page, n;
    match_offer_hit items[MATCH_MAX_PER_PAGE];
} match_offer_page;

/* Ranks the published offers that satisfy seeker_id's hard conditions; fills page `page`
 * (1-based; <= 0 means 1) of `per_page` (<= 0: default; capped). Only the wished prefectures
 * are scanned. Returns MATCH_OK, MATCH_ENOSEEKER, MATCH_EPAGE or MATCH_ENOMEM (*out zeroed on
 * error). out is caller storage (about 40 KB: allocate it, do not put it on a small stack). */
int match_offers_for(match_store *ms, int64_t seeker_id, int64_t now, int page, int per_page,
                     match_offer_page *out);

/* One offer for one seeker: the evaluation with reasons (also when excluded), and copies of both
 * records (s->wish_munis points into munis, names are NULL). Returns MATCH_OK, MATCH_ENOSEEKER
 * or MATCH_ENOOFFER. */
typedef struct match_explain_out {
    match_eval eval;
    match_offer offer;
    match_seeker seeker;
    int munis[MATCH_MAX_MUNI];
} match_explain_out;
int match_explain(match_store *ms, int64_t seeker_id, int64_t offer_id, int64_t now,
                  match_explain_out *out);

/* A page of ranked candidates for one offer: active seekers whose registration is valid on
 * `today_day`, restricted to prefecture scope_pref (1..47; 0 = every prefecture). */
typedef struct match_seeker_hit {
    int64_t seeker_id;
    int pref, work_status, experience_years;
    unsigned lic;
    char name[MATCH_MAX_NAME], name_kana[MATCH_MAX_NAME];
    match_eval eval;
} match_seeker_hit;
typedef struct match_seeker_page {
    int64_t total;
    int page, per_page, n;
    match_seeker_hit items[MATCH_MAX_PER_PAGE];
} match_seeker_page;
int match_seekers_for(match_store *ms, int64_t offer_id, int scope_pref, int32_t today_day,
                      int64_t now, int page, int per_page, match_seeker_page *out);

/* Days since 1970-01-01 of a Gregorian date (proleptic), for match_seeker.valid_day. */
int32_t match_day_number(int y, int m, int d);

#endif
