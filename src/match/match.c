/* Matching of job seekers and job offers: hard conditions, score, reasons (pure functions), and
 * the in-memory store that ranks them. See match.h for the rules and the score formula. */
#include "match/match.h"
#include "domain/offer.h"
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

const int MATCH_WEIGHT[MATCH_NC] = {25, 20, 15, 10, 15, 15};

#define FAR_KM        500 /* distance fit reaches 0 here; unknown distances count as this */
#define FRESH_DAYS    60  /* freshness fit reaches 0 here */
#define NEW_DAYS      7   /* "new" reason up to this age */
#define BLANK_MONTHS  12  /* career break that makes ブランク可 a reason */
#define WAGE_FULL_PCT 20  /* wage fit is full at this margin over the wish */

static int popcount32(uint32_t v)
{
    return __builtin_popcount(v);
}

/* ---- pure evaluation ------------------------------------------------------------------------ */

/* Wage w of unit `type` in unit `to` (see match_wage_in). */
static int64_t wage_conv(int type, int64_t w, int to)
{
    if (w <= 0)
        return 0;
    if (type == to)
        return w;
    int64_t monthly, hourly;
    switch (type) {
    case MATCH_WAGE_MONTHLY:
        monthly = w;
        hourly = w / MATCH_HOURS_PER_MONTH;
        break;
    case MATCH_WAGE_HOURLY:
        hourly = w;
        monthly = w * MATCH_HOURS_PER_MONTH;
        break;
    case MATCH_WAGE_DAILY:
        monthly = w * MATCH_DAYS_PER_MONTH;
        hourly = w * MATCH_DAYS_PER_MONTH / MATCH_HOURS_PER_MONTH;
        break;
    case MATCH_WAGE_ANNUAL:
        monthly = w / 12;
        hourly = w / (12 * MATCH_HOURS_PER_MONTH);
        break;
    default:
        return 0;
    }
    switch (to) {
    case MATCH_WAGE_MONTHLY:
        return monthly;
    case MATCH_WAGE_HOURLY:
        return hourly;
    case MATCH_WAGE_DAILY:
        return monthly / MATCH_DAYS_PER_MONTH;
    case MATCH_WAGE_ANNUAL:
        return monthly * 12;
    default:
        return 0;
    }
}

int64_t match_wage_in(const match_offer *o, int to)
{
    return wage_conv(o->wage_type, o->wage_min, to);
}

/* Prefecture bits of the seeker's wished municipalities; *hit tells whether o's municipality is
 * one of them. */
static uint64_t muni_prefs(const match_seeker *s, int muni, bool *hit)
{
    uint64_t prefs = 0;
    *hit = false;
    for (int i = 0; i < s->n_wish_munis; i++) {
        int p = s->wish_munis[i] / 1000;
        if (p >= 1 && p <= MATCH_NPREF)
            prefs |= (uint64_t)1 << p;
        if (muni && s->wish_munis[i] == muni)
            *hit = true;
    }
    return prefs;
}

/* The offer's night shifts as judged: stated, else 0 for day-only patterns, else -1. */
static int nights_eff(const match_offer *o)
{
    if (o->nights >= 0)
        return o->nights;
    if (o->shift && !(o->shift & ~(unsigned)OFFER_SHIFT_DAY_ONLY))
        return 0;
    return -1;
}

unsigned match_check(const match_seeker *s, const match_offer *o)
{
    unsigned x = 0;
    if (!(o->lic & s->lic))
        x |= MATCH_X_LICENCE;
    if (s->wish_prefs || s->n_wish_munis) {
        bool hit;
        uint64_t mp = muni_prefs(s, o->muni, &hit);
        uint64_t pb = o->pref >= 1 && o->pref <= MATCH_NPREF ? (uint64_t)1 << o->pref : 0;
        if (!hit) {
            if (mp & pb)
                x |= MATCH_X_MUNICIPALITY;
            else if (!(s->wish_prefs & pb))
                x |= MATCH_X_PREFECTURE;
        }
    }
    if (s->wish_emp && !(o->emp & s->wish_emp))
        x |= MATCH_X_EMPLOYMENT;
    if (s->wish_shift && !(o->shift & s->wish_shift))
        x |= MATCH_X_SHIFT;
    if (s->max_nights >= 0) {
        int n = nights_eff(o);
        if (n >= 0 ? n > s->max_nights : s->max_nights == 0)
            x |= MATCH_X_NIGHTS;
    }
    if (s->wage_type != MATCH_WAGE_NONE) {
        int64_t eq = match_wage_in(o, s->wage_type);
        if (eq <= 0 || eq < s->wage_min)
            x |= MATCH_X_WAGE;
    }
    if (s->wish_ftypes && (o->ftype < 0 || o->ftype > 63 || !(s->wish_ftypes >> o->ftype & 1)))
        x |= MATCH_X_FACILITY_TYPE;
    if (s->wish_depts && !(o->depts & s->wish_depts))
        x |= MATCH_X_DEPARTMENT;
    if (s->childcare && !(o->flags & OFFER_FLAG_TAKUJI))
        x |= MATCH_X_CHILDCARE;
    return x;
}

static void add_reason(match_eval *e, bool on, match_reason_code code, int64_t arg)
{
    if (on && e->nreasons < MATCH_MAX_REASONS)
        e->reasons[e->nreasons++] = (match_reason){code, arg};
}

/* Distance between prefectures p and q (1..47) in km; FAR_KM when unknown. */
static int km_between(const match_ctx *c, int p, int q)
{
    if (p == q)
        return 0;
    if (!c->km || p < 1 || p > MATCH_NPREF || q < 1 || q > MATCH_NPREF)
        return FAR_KM;
    return c->km[p][q];
}

void match_score(const match_seeker *s, const match_offer *o, const match_ctx *c, bool reasons,
                 match_eval *out)
{
    memset(out, 0, sizeof *out);
    match_eval *e = out;
    e->excluded = match_check(s, o);
    bool why = reasons;
    add_reason(e, why && (o->lic & s->lic), MATCH_R_LICENCE, o->lic & s->lic);

    /* distance */
    bool hit;
    uint64_t mp = muni_prefs(s, o->muni, &hit);
    uint64_t pb = o->pref >= 1 && o->pref <= MATCH_NPREF ? (uint64_t)1 << o->pref : 0;
    if (hit) {
        e->fit[MATCH_C_DISTANCE] = 1000;
        add_reason(e, why, MATCH_R_SAME_MUNI, 0);
    } else if (o->pref == s->pref || (mp & pb)) {
        e->fit[MATCH_C_DISTANCE] = 800;
        add_reason(e, why, MATCH_R_SAME_PREF, 0);
    } else {
        int km = km_between(c, s->pref, o->pref);
        for (int p = 1; p <= MATCH_NPREF; p++)
            if (mp >> p & 1) {
                int k = km_between(c, p, o->pref);
                if (k < km)
                    km = k;
            }
        e->dist_km = km;
        e->fit[MATCH_C_DISTANCE] = (int16_t)(km >= FAR_KM ? 0 : 600 * (FAR_KM - km) / FAR_KM);
        add_reason(e, why, MATCH_R_NEAR, km);
    }

    /* wage */
    if (s->wage_type != MATCH_WAGE_NONE && s->wage_min > 0) {
        int64_t eq = match_wage_in(o, s->wage_type);
        e->wage_unit = s->wage_type;
        e->wage_eq = eq;
        if (eq >= s->wage_min) {
            int64_t margin = (eq - s->wage_min) * 1000 / s->wage_min; /* permille */
            int64_t fit = margin * (100 / WAGE_FULL_PCT);
            e->fit[MATCH_C_WAGE] = (int16_t)(fit > 1000 ? 1000 : fit);
            add_reason(e, why && eq > s->wage_min, MATCH_R_WAGE_ABOVE, eq - s->wage_min);
            add_reason(e, why && eq == s->wage_min, MATCH_R_WAGE_MEETS, 0);
        }
    } else {
        e->fit[MATCH_C_WAGE] = 500;
    }

    /* shift pattern and night shifts */
    if (s->wish_shift) {
        unsigned ov = o->shift & s->wish_shift;
        int n = popcount32(o->shift);
        e->fit[MATCH_C_SHIFT] = (int16_t)(n ? 1000 * popcount32(ov) / n : 0);
        add_reason(e, why && ov, MATCH_R_SHIFT, ov);
    } else {
        e->fit[MATCH_C_SHIFT] = 500;
    }
    e->nights_eff = nights_eff(o);
    add_reason(e, why && s->max_nights >= 0 && e->nights_eff >= 0 && e->nights_eff <= s->max_nights,
               MATCH_R_NIGHTS_WITHIN, e->nights_eff);

    /* facility type */
    bool ft_ok = o->ftype >= 0 && o->ftype <= 63;
    bool wished = ft_ok && s->wish_ftypes && (s->wish_ftypes >> o->ftype & 1);
    bool known = ft_ok && o->ftype == s->last_ftype;
    e->fit[MATCH_C_FACILITY] = (int16_t)(wished || known ? 1000 : s->wish_ftypes ? 0 : 500);
    add_reason(e, why && wished, MATCH_R_FACILITY_WISHED, o->ftype);
    add_reason(e, why && known, MATCH_R_FACILITY_EXPERIENCE, o->ftype);

    /* departments */
    if (!o->depts) {
        e->fit[MATCH_C_DEPARTMENT] = 500;
    } else {
        uint32_t w = o->depts & s->wish_depts, x = o->depts & s->exp_depts;
        int wf = s->wish_depts ? (w ? 1000 : 0) : 500;
        int xf = x ? 1000 : 0;
        e->fit[MATCH_C_DEPARTMENT] = (int16_t)((600 * wf + 400 * xf) / 1000);
        add_reason(e, why && w, MATCH_R_DEPT_WISHED, w);
        add_reason(e, why && x, MATCH_R_DEPT_EXPERIENCE, x);
    }

    add_reason(e, why && s->childcare && (o->flags & OFFER_FLAG_TAKUJI), MATCH_R_CHILDCARE, 0);
    add_reason(e, why && s->career_break_months >= BLANK_MONTHS && (o->flags & OFFER_FLAG_BLANK),
               MATCH_R_BLANK_OK, 0);

    /* freshness */
    int64_t age = c->now > o->published_at ? (c->now - o->published_at) / 86400 : 0;
    e->age_days = age > 100000 ? 100000 : (int)age;
    e->fit[MATCH_C_FRESHNESS] =
        (int16_t)(age >= FRESH_DAYS ? 0 : (FRESH_DAYS - age) * 1000 / FRESH_DAYS);
    add_reason(e, why && age <= NEW_DAYS, MATCH_R_NEW, age);

    int32_t score = 0;
    for (int k = 0; k < MATCH_NC; k++)
        score += MATCH_WEIGHT[k] * e->fit[k];
    e->score = score;
}

void match_distance_table(const double *lat, const double *lon, int16_t km[][MATCH_NPREF + 1])
{
    const double rad = 3.14159265358979323846 / 180.0;
    for (int p = 0; p <= MATCH_NPREF; p++)
        for (int q = 0; q <= MATCH_NPREF; q++) {
            if (p == q) {
                km[p][q] = 0;
                continue;
            }
            if (p == 0 || q == 0 || isnan(lat[p]) || isnan(lat[q]) || isnan(lon[p]) ||
                isnan(lon[q])) {
                km[p][q] = FAR_KM;
                continue;
            }
            double dlat = (lat[q] - lat[p]) * rad, dlon = (lon[q] - lon[p]) * rad;
            double a = sin(dlat / 2) * sin(dlat / 2) +
                       cos(lat[p] * rad) * cos(lat[q] * rad) * sin(dlon / 2) * sin(dlon / 2);
            double d = 2 * 6371.0 * asin(sqrt(a > 1 ? 1 : a));
            km[p][q] = (int16_t)(d > 30000 ? 30000 : lround(d));
        }
}

int32_t match_day_number(int y, int m, int d)
{
    /* days_from_civil (H. Hinnant) */
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* ---- id → location maps (open addressing, linear probing, backward-shift deletion) ---------- */

typedef struct idmap {
    int64_t *keys; /* 0 = empty (ids are >= 1) */
    uint32_t *vals;
    size_t cap, used; /* cap is a power of two or 0 */
} idmap;

static size_t map_home(const idmap *m, int64_t id)
{
    return (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15ULL) >> 17) & (m->cap - 1);
}

/* The slot holding id, or (size_t)-1. */
static size_t map_find(const idmap *m, int64_t id)
{
    if (!m->cap)
        return (size_t)-1;
    for (size_t h = map_home(m, id);; h = (h + 1) & (m->cap - 1)) {
        if (m->keys[h] == id)
            return h;
        if (!m->keys[h])
            return (size_t)-1;
    }
}

static int map_grow(idmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 1024;
    idmap n = {calloc(cap, sizeof *n.keys), calloc(cap, sizeof *n.vals), cap, 0};
    if (!n.keys || !n.vals) {
        free(n.keys);
        free(n.vals);
        return MATCH_ENOMEM;
    }
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i]) {
            size_t h = map_home(&n, m->keys[i]);
            while (n.keys[h])
                h = (h + 1) & (cap - 1);
            n.keys[h] = m->keys[i];
            n.vals[h] = m->vals[i];
            n.used++;
        }
    free(m->keys);
    free(m->vals);
    *m = n;
    return MATCH_OK;
}

static int map_put(idmap *m, int64_t id, uint32_t val)
{
    size_t h = map_find(m, id);
    if (h != (size_t)-1) {
        m->vals[h] = val;
        return MATCH_OK;
    }
    if ((m->used + 1) * 10 > m->cap * 7 && map_grow(m) != MATCH_OK)
        return MATCH_ENOMEM;
    for (h = map_home(m, id); m->keys[h]; h = (h + 1) & (m->cap - 1))
        ;
    m->keys[h] = id;
    m->vals[h] = val;
    m->used++;
    return MATCH_OK;
}

static void map_del(idmap *m, int64_t id)
{
    size_t h = map_find(m, id);
    if (h == (size_t)-1)
        return;
    m->keys[h] = 0;
    m->used--;
    /* backward shift: move later entries of the cluster into the hole when their home allows */
    for (size_t j = (h + 1) & (m->cap - 1); m->keys[j]; j = (j + 1) & (m->cap - 1)) {
        size_t home = map_home(m, m->keys[j]);
        bool movable = h <= j ? (home <= h || home > j) : (home <= h && home > j);
        if (movable) {
            m->keys[h] = m->keys[j];
            m->vals[h] = m->vals[j];
            m->keys[j] = 0;
            h = j;
        }
    }
}

static void map_free(idmap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* ---- the store --------------------------------------------------------------------------------
 */

/* Offers of one prefecture, struct of arrays (the scan reads only the columns it needs). */
typedef struct obucket {
    size_t n, cap;
    int64_t *id, *wage, *pub;
    int32_t *muni;
    uint32_t *depts;
    uint16_t *flags;
    uint8_t *lic, *emp, *shift, *wtype;
    int8_t *nights, *ftype;
} obucket;

/* The hard-condition columns of one seeker, kept contiguous for the candidate scan (a necessary
 * condition only: match_check decides). */
typedef struct sfilt {
    uint64_t area;   /* prefecture bits the wished area touches (ALL_PREFS without an area wish) */
    uint64_t ftypes; /* wished facility types */
    uint32_t depts;  /* wished departments */
    int32_t valid_day;
    int32_t wage_min; /* clamped */
    uint8_t lic, emp, shift, status, pref, wage_type;
    int8_t max_nights;
    bool childcare;
} sfilt;

/* One stored seeker: the record; its municipality list and names point into `mem`, one
 * allocation owned by the entry (freed when the entry is replaced or removed). */
typedef struct sk {
    match_seeker s;
    char *mem;
} sk;

struct match_store {
    pthread_rwlock_t lock;
    obucket b[MATCH_NPREF + 1]; /* index 1..47 */
    idmap offers;               /* offer id → pref << 24 | index in the bucket */
    size_t noffers;
    sk *seekers; /* dense; order changes on removal */
    sfilt *filt; /* per seeker: the columns the candidate scan tests first */
    size_t nseekers, capseekers;
    idmap seeker_ids; /* seeker id → index */
    int16_t km[MATCH_NPREF + 1][MATCH_NPREF + 1];
    bool have_km;
};

#define ALL_PREFS (((uint64_t)1 << (MATCH_NPREF + 1)) - 2) /* bits 1..47 */
#define LOC(p, i) ((uint32_t)(p) << 24 | (uint32_t)(i))

match_store *match_new(void)
{
    match_store *ms = calloc(1, sizeof *ms);
    if (!ms)
        return NULL;
    if (pthread_rwlock_init(&ms->lock, NULL) != 0) {
        free(ms);
        return NULL;
    }
    return ms;
}

static void bucket_free(obucket *b)
{
    free(b->id);
    free(b->wage);
    free(b->pub);
    free(b->muni);
    free(b->depts);
    free(b->flags);
    free(b->lic);
    free(b->emp);
    free(b->shift);
    free(b->wtype);
    free(b->nights);
    free(b->ftype);
    memset(b, 0, sizeof *b);
}

void match_free(match_store *ms)
{
    if (!ms)
        return;
    for (int p = 0; p <= MATCH_NPREF; p++)
        bucket_free(&ms->b[p]);
    map_free(&ms->offers);
    map_free(&ms->seeker_ids);
    for (size_t i = 0; i < ms->nseekers; i++)
        free(ms->seekers[i].mem);
    free(ms->seekers);
    free(ms->filt);
    pthread_rwlock_destroy(&ms->lock);
    free(ms);
}

void match_set_points(match_store *ms, const double *lat, const double *lon)
{
    pthread_rwlock_wrlock(&ms->lock);
    match_distance_table(lat, lon, ms->km);
    ms->have_km = true;
    pthread_rwlock_unlock(&ms->lock);
}

/* Grows one column to cap elements of size sz. Returns 0 or -1 (column unchanged). */
static int grow_col(void **col, size_t cap, size_t sz)
{
    void *p = realloc(*col, cap * sz);
    if (!p)
        return -1;
    *col = p;
    return 0;
}

static int bucket_reserve(obucket *b)
{
    if (b->n < b->cap)
        return MATCH_OK;
    size_t cap = b->cap ? b->cap * 2 : 256;
#define G(c) grow_col((void **)&b->c, cap, sizeof *b->c)
    if (G(id) || G(wage) || G(pub) || G(muni) || G(depts) || G(flags) || G(lic) || G(emp) ||
        G(shift) || G(wtype) || G(nights) || G(ftype))
        return MATCH_ENOMEM; /* columns grown so far just have spare room */
#undef G
    b->cap = cap;
    return MATCH_OK;
}

static void bucket_set(obucket *b, size_t i, const match_offer *o)
{
    b->id[i] = o->id;
    b->wage[i] = o->wage_min;
    b->pub[i] = o->published_at;
    b->muni[i] = o->muni;
    b->depts[i] = o->depts;
    b->flags[i] = (uint16_t)o->flags;
    b->lic[i] = (uint8_t)o->lic;
    b->emp[i] = (uint8_t)o->emp;
    b->shift[i] = (uint8_t)o->shift;
    b->wtype[i] = (uint8_t)o->wage_type;
    b->nights[i] = (int8_t)(o->nights < -1 ? -1 : o->nights > 127 ? 127 : o->nights);
    b->ftype[i] = (int8_t)(o->ftype < -1 || o->ftype > 63 ? -1 : o->ftype);
}

static void bucket_get(const obucket *b, size_t i, int pref, match_offer *o)
{
    o->id = b->id[i];
    o->pref = pref;
    o->muni = b->muni[i];
    o->lic = b->lic[i];
    o->emp = b->emp[i];
    o->shift = b->shift[i];
    o->nights = b->nights[i];
    o->wage_type = b->wtype[i];
    o->wage_min = b->wage[i];
    o->ftype = b->ftype[i];
    o->depts = b->depts[i];
    o->flags = b->flags[i];
    o->published_at = b->pub[i];
}

/* Removes entry i of bucket p (the last one moves into its place). Caller holds the lock. */
static void bucket_remove_at(match_store *ms, int p, size_t i)
{
    obucket *b = &ms->b[p];
    size_t last = b->n - 1;
    if (i != last) {
        match_offer o;
        bucket_get(b, last, p, &o);
        bucket_set(b, i, &o);
        map_put(&ms->offers, o.id, LOC(p, i)); /* an existing key: cannot fail */
    }
    b->n--;
}

int match_offer_put(match_store *ms, const match_offer *o)
{
    if (o->pref < 1 || o->pref > MATCH_NPREF || o->id <= 0)
        return MATCH_ENOOFFER;
    pthread_rwlock_wrlock(&ms->lock);
    int rc = MATCH_OK;
    size_t h = map_find(&ms->offers, o->id);
    if (h != (size_t)-1) {
        uint32_t loc = ms->offers.vals[h];
        int p = (int)(loc >> 24);
        size_t i = loc & 0xFFFFFF;
        if (p == o->pref) { /* same bucket: overwrite in place */
            bucket_set(&ms->b[p], i, o);
            goto out;
        }
        bucket_remove_at(ms, p, i);
        map_del(&ms->offers, o->id);
        ms->noffers--;
    }
    obucket *b = &ms->b[o->pref];
    if (b->n >= 0xFFFFFF || bucket_reserve(b) != MATCH_OK ||
        map_put(&ms->offers, o->id, LOC(o->pref, b->n)) != MATCH_OK) {
        rc = MATCH_ENOMEM;
        goto out;
    }
    bucket_set(b, b->n++, o);
    ms->noffers++;
out:
    pthread_rwlock_unlock(&ms->lock);
    return rc;
}

int match_offer_remove(match_store *ms, int64_t id)
{
    pthread_rwlock_wrlock(&ms->lock);
    int rc = MATCH_ENOOFFER;
    size_t h = map_find(&ms->offers, id);
    if (h != (size_t)-1) {
        uint32_t loc = ms->offers.vals[h];
        map_del(&ms->offers, id);
        bucket_remove_at(ms, (int)(loc >> 24), loc & 0xFFFFFF);
        ms->noffers--;
        rc = MATCH_OK;
    }
    pthread_rwlock_unlock(&ms->lock);
    return rc;
}

/* The prefecture bits of s's area (ALL_PREFS without an area wish). */
static uint64_t area_of(const match_seeker *s)
{
    if (!s->wish_prefs && !s->n_wish_munis)
        return ALL_PREFS;
    bool hit;
    return (s->wish_prefs | muni_prefs(s, 0, &hit)) & ALL_PREFS;
}

static sfilt filt_of(const match_seeker *s)
{
    sfilt f = {.area = area_of(s),
               .ftypes = s->wish_ftypes,
               .depts = s->wish_depts,
               .valid_day = s->valid_day,
               .wage_min = (int32_t)(s->wage_min > INT32_MAX ? INT32_MAX : s->wage_min),
               .lic = (uint8_t)s->lic,
               .emp = (uint8_t)s->wish_emp,
               .shift = (uint8_t)s->wish_shift,
               .status = (uint8_t)s->status,
               .pref = (uint8_t)s->pref,
               .wage_type = (uint8_t)s->wage_type,
               .max_nights = (int8_t)(s->max_nights < -1    ? -1
                                      : s->max_nights > 127 ? 127
                                                            : s->max_nights),
               .childcare = s->childcare};
    return f;
}

/* Length of s cut to at most max bytes at a UTF-8 character boundary. */
static size_t cut_utf8(const char *s, size_t max)
{
    size_t len = strlen(s);
    if (len <= max)
        return len;
    len = max;
    while (len && ((unsigned char)s[len] & 0xC0) == 0x80)
        len--;
    return len;
}

/* Fills k from s with its own copies of the list and the names (k's old memory is freed).
 * Returns MATCH_OK, or MATCH_ENOMEM with k unchanged. */
static int sk_set(sk *k, const match_seeker *s)
{
    int n = s->n_wish_munis < 0                ? 0
            : s->n_wish_munis > MATCH_MAX_MUNI ? MATCH_MAX_MUNI
                                               : s->n_wish_munis;
    const char *nm = s->name ? s->name : "", *kn = s->name_kana ? s->name_kana : "";
    size_t ln = cut_utf8(nm, MATCH_MAX_NAME - 1), lk = cut_utf8(kn, MATCH_MAX_NAME - 1);
    size_t mb = (size_t)n * sizeof(int);
    char *mem = malloc(mb + ln + lk + 2);
    if (!mem)
        return MATCH_ENOMEM;
    if (n)
        memcpy(mem, s->wish_munis, mb);
    memcpy(mem + mb, nm, ln);
    mem[mb + ln] = '\0';
    memcpy(mem + mb + ln + 1, kn, lk);
    mem[mb + ln + 1 + lk] = '\0';
    free(k->mem);
    k->mem = mem;
    k->s = *s;
    k->s.n_wish_munis = n;
    k->s.wish_munis = (const int *)(void *)mem;
    k->s.name = mem + mb;
    k->s.name_kana = mem + mb + ln + 1;
    return MATCH_OK;
}

int match_seeker_put(match_store *ms, const match_seeker *s)
{
    if (s->id <= 0 || s->pref < 1 || s->pref > MATCH_NPREF)
        return MATCH_ENOSEEKER;
    pthread_rwlock_wrlock(&ms->lock);
    int rc = MATCH_OK;
    size_t h = map_find(&ms->seeker_ids, s->id);
    if (h != (size_t)-1) {
        size_t i = ms->seeker_ids.vals[h];
        rc = sk_set(&ms->seekers[i], s);
        if (rc == MATCH_OK)
            ms->filt[i] = filt_of(&ms->seekers[i].s);
        goto out;
    }
    if (ms->nseekers == ms->capseekers) {
        size_t cap = ms->capseekers ? ms->capseekers * 2 : 1024;
        if (cap > UINT32_MAX || grow_col((void **)&ms->seekers, cap, sizeof *ms->seekers) ||
            grow_col((void **)&ms->filt, cap, sizeof *ms->filt)) {
            rc = MATCH_ENOMEM;
            goto out;
        }
        ms->capseekers = cap;
    }
    size_t i = ms->nseekers;
    ms->seekers[i].mem = NULL;
    if (sk_set(&ms->seekers[i], s) != MATCH_OK) {
        rc = MATCH_ENOMEM;
        goto out;
    }
    if (map_put(&ms->seeker_ids, s->id, (uint32_t)i) != MATCH_OK) {
        free(ms->seekers[i].mem);
        ms->seekers[i].mem = NULL;
        rc = MATCH_ENOMEM;
        goto out;
    }
    ms->filt[i] = filt_of(&ms->seekers[i].s);
    ms->nseekers++;
out:
    pthread_rwlock_unlock(&ms->lock);
    return rc;
}

int match_seeker_remove(match_store *ms, int64_t id)
{
    pthread_rwlock_wrlock(&ms->lock);
    int rc = MATCH_ENOSEEKER;
    size_t h = map_find(&ms->seeker_ids, id);
    if (h != (size_t)-1) {
        size_t i = ms->seeker_ids.vals[h], last = ms->nseekers - 1;
        map_del(&ms->seeker_ids, id);
        free(ms->seekers[i].mem);
        if (i != last) { /* the last entry moves into the hole (its pointers stay valid) */
            ms->seekers[i] = ms->seekers[last];
            ms->filt[i] = ms->filt[last];
            map_put(&ms->seeker_ids, ms->seekers[i].s.id, (uint32_t)i); /* existing key */
        }
        ms->seekers[last].mem = NULL;
        ms->nseekers--;
        rc = MATCH_OK;
    }
    pthread_rwlock_unlock(&ms->lock);
    return rc;
}

int64_t match_seeker_updated_at(match_store *ms, int64_t id)
{
    pthread_rwlock_rdlock(&ms->lock);
    size_t h = map_find(&ms->seeker_ids, id);
    int64_t v = h == (size_t)-1 ? -1 : ms->seekers[ms->seeker_ids.vals[h]].s.updated_at;
    pthread_rwlock_unlock(&ms->lock);
    return v;
}

void match_stats_get(match_store *ms, match_stats *st)
{
    pthread_rwlock_rdlock(&ms->lock);
    st->offers = ms->noffers;
    st->seekers = ms->nseekers;
    size_t mem = sizeof *ms;
    for (int p = 1; p <= MATCH_NPREF; p++)
        mem += ms->b[p].cap * (3 * sizeof(int64_t) + 2 * sizeof(uint32_t) + sizeof(uint16_t) + 6);
    mem += (ms->offers.cap + ms->seeker_ids.cap) * (sizeof(int64_t) + sizeof(uint32_t));
    mem += ms->capseekers * (sizeof(sk) + sizeof(sfilt));
    for (size_t i = 0; i < ms->nseekers; i++) /* the lists and names (without malloc overhead) */
        mem += (size_t)ms->seekers[i].s.n_wish_munis * sizeof(int) + strlen(ms->seekers[i].s.name) +
               strlen(ms->seekers[i].s.name_kana) + 2;
    st->mem_bytes = mem;
    pthread_rwlock_unlock(&ms->lock);
}

/* ---- ranking: the best K of a stream (a min-heap whose top is the worst kept) ---------------- */

typedef struct cand {
    int32_t score;
    int64_t tie; /* published_at (offers) or last activity (seekers): larger first */
    int64_t id;  /* larger first */
    uint32_t loc;
} cand;

/* True when a ranks before b. */
static bool better(const cand *a, const cand *b)
{
    if (a->score != b->score)
        return a->score > b->score;
    if (a->tie != b->tie)
        return a->tie > b->tie;
    return a->id > b->id;
}

typedef struct topk {
    cand *h;
    int n, k;
} topk;

static void sift_down(topk *t, int i)
{
    for (;;) {
        int l = 2 * i + 1, r = l + 1, w = i;
        if (l < t->n && better(&t->h[w], &t->h[l]))
            w = l;
        if (r < t->n && better(&t->h[w], &t->h[r]))
            w = r;
        if (w == i)
            return;
        cand tmp = t->h[i];
        t->h[i] = t->h[w];
        t->h[w] = tmp;
        i = w;
    }
}

static void topk_push(topk *t, const cand *c)
{
    if (t->n < t->k) {
        int i = t->n++;
        t->h[i] = *c;
        while (i > 0) { /* sift up: the worse goes to the top */
            int p = (i - 1) / 2;
            if (!better(&t->h[p], &t->h[i]))
                break;
            cand tmp = t->h[i];
            t->h[i] = t->h[p];
            t->h[p] = tmp;
            i = p;
        }
    } else if (t->k > 0 && better(c, &t->h[0])) {
        t->h[0] = *c;
        sift_down(t, 0);
    }
}

static int cmp_cand(const void *a, const void *b)
{
    return better(a, b) ? -1 : better(b, a) ? 1 : 0;
}

/* Normalises page/per_page; returns MATCH_OK or MATCH_EPAGE. */
static int paging(int *page, int *per_page)
{
    if (*page <= 0)
        *page = 1;
    if (*per_page <= 0)
        *per_page = MATCH_DEFAULT_PER_PAGE;
    if (*per_page > MATCH_MAX_PER_PAGE)
        *per_page = MATCH_MAX_PER_PAGE;
    if ((int64_t)*page * *per_page > MATCH_MAX_WINDOW)
        return MATCH_EPAGE;
    return MATCH_OK;
}

int match_offers_for(match_store *ms, int64_t seeker_id, int64_t now, int page, int per_page,
                     match_offer_page *out)
{
    memset(out, 0, sizeof *out);
    int rc = paging(&page, &per_page);
    if (rc != MATCH_OK)
        return rc;
    int k = page * per_page;
    topk t = {malloc((size_t)k * sizeof(cand)), 0, k};
    if (!t.h)
        return MATCH_ENOMEM;
    pthread_rwlock_rdlock(&ms->lock);
    size_t h = map_find(&ms->seeker_ids, seeker_id);
    if (h == (size_t)-1) {
        pthread_rwlock_unlock(&ms->lock);
        free(t.h);
        return MATCH_ENOSEEKER;
    }
    const match_seeker *s = &ms->seekers[ms->seeker_ids.vals[h]].s;
    match_ctx c = {ms->have_km ? (const int16_t(*)[MATCH_NPREF + 1]) ms->km : NULL, now};
    uint64_t area = area_of(s);
    int64_t total = 0;
    /* The cheap hard conditions are tested on the columns first; match_score decides. */
    unsigned lic = s->lic, emp = s->wish_emp, shift = s->wish_shift;
    uint32_t depts = s->wish_depts;
    uint64_t ftypes = s->wish_ftypes;
    bool childcare = s->childcare;
    int wtype = s->wage_type;
    int64_t wmin = s->wage_min;
    /* The rest of match_check and match_score, specialised for this seeker (the oracle test
     * compares the results with a naive implementation of the rules): per prefecture the
     * distance fit of an offer outside the wished municipalities, and whether the prefecture is
     * narrowed to wished municipalities. */
    bool hit_unused;
    uint64_t mp = muni_prefs(s, 0, &hit_unused);
    int16_t dfit[MATCH_NPREF + 1];
    for (int p = 1; p <= MATCH_NPREF; p++) {
        match_offer probe = {.pref = p};
        match_eval pe;
        match_score(s, &probe, &c, false, &pe);
        dfit[p] = pe.fit[MATCH_C_DISTANCE];
    }
    int max_nights = s->max_nights, wish_n = s->n_wish_munis, last_ftype = s->last_ftype;
    const int *wish_munis = s->wish_munis;
    uint32_t exp_depts = s->exp_depts;
    for (int p = 1; p <= MATCH_NPREF; p++) {
        if (!(area >> p & 1))
            continue;
        const obucket *b = &ms->b[p];
        bool narrowed = mp >> p & 1;
        for (size_t i = 0; i < b->n; i++) {
            if (!(b->lic[i] & lic) || (emp && !(b->emp[i] & emp)) ||
                (shift && !(b->shift[i] & shift)) || (depts && !(b->depts[i] & depts)) ||
                (childcare && !(b->flags[i] & OFFER_FLAG_TAKUJI)) ||
                (ftypes && (b->ftype[i] < 0 || !(ftypes >> b->ftype[i] & 1))))
                continue;
            int fw = 500;
            if (wtype != MATCH_WAGE_NONE) {
                int64_t eq = wage_conv(b->wtype[i], b->wage[i], wtype);
                if (eq <= 0 || eq < wmin)
                    continue;
                if (wmin > 0) {
                    int64_t f = (eq - wmin) * 1000 / wmin * (100 / WAGE_FULL_PCT);
                    fw = f > 1000 ? 1000 : (int)f;
                }
            }
            unsigned osh = b->shift[i];
            if (max_nights >= 0) {
                int ne = b->nights[i] >= 0                                 ? b->nights[i]
                         : osh && !(osh & ~(unsigned)OFFER_SHIFT_DAY_ONLY) ? 0
                                                                           : -1;
                if (ne >= 0 ? ne > max_nights : max_nights == 0)
                    continue;
            }
            bool hit = false;
            for (int m = 0; m < wish_n && b->muni[i]; m++)
                hit = hit || wish_munis[m] == b->muni[i];
            if (narrowed && !hit)
                continue;
            int fs = 500;
            if (shift) {
                int n = popcount32(osh);
                fs = n ? 1000 * popcount32(osh & shift) / n : 0;
            }
            int ft = b->ftype[i];
            bool ft_ok = ft >= 0 && ft <= 63;
            int ff = (ft_ok && ftypes && (ftypes >> ft & 1)) || (ft_ok && ft == last_ftype) ? 1000
                     : ftypes                                                               ? 0
                                                                                            : 500;
            uint32_t od = b->depts[i];
            int fdep = 500;
            if (od)
                fdep = (600 * (depts ? ((od & depts) ? 1000 : 0) : 500) +
                        400 * ((od & exp_depts) ? 1000 : 0)) /
                       1000;
            int64_t pub = b->pub[i];
            int64_t age = now > pub ? (now - pub) / 86400 : 0;
            int fr = age >= FRESH_DAYS ? 0 : (int)((FRESH_DAYS - age) * 1000 / FRESH_DAYS);
            int32_t score = MATCH_WEIGHT[MATCH_C_WAGE] * fw +
                            MATCH_WEIGHT[MATCH_C_DISTANCE] * (hit ? 1000 : dfit[p]) +
                            MATCH_WEIGHT[MATCH_C_SHIFT] * fs + MATCH_WEIGHT[MATCH_C_FACILITY] * ff +
                            MATCH_WEIGHT[MATCH_C_DEPARTMENT] * fdep +
                            MATCH_WEIGHT[MATCH_C_FRESHNESS] * fr;
            total++;
            cand cd = {score, pub, b->id[i], LOC(p, i)};
            topk_push(&t, &cd);
        }
    }
    qsort(t.h, (size_t)t.n, sizeof *t.h, cmp_cand);
    out->total = total;
    out->page = page;
    out->per_page = per_page;
    for (int i = (page - 1) * per_page; i < t.n; i++) {
        uint32_t loc = t.h[i].loc;
        int p = (int)(loc >> 24);
        match_offer o;
        bucket_get(&ms->b[p], loc & 0xFFFFFF, p, &o);
        match_offer_hit *hit = &out->items[out->n++];
        hit->offer_id = o.id;
        match_score(s, &o, &c, true, &hit->eval);
    }
    pthread_rwlock_unlock(&ms->lock);
    free(t.h);
    return MATCH_OK;
}

int match_explain(match_store *ms, int64_t seeker_id, int64_t offer_id, int64_t now,
                  match_explain_out *out)
{
    memset(out, 0, sizeof *out);
    pthread_rwlock_rdlock(&ms->lock);
    int rc = MATCH_OK;
    size_t hs = map_find(&ms->seeker_ids, seeker_id);
    size_t ho = map_find(&ms->offers, offer_id);
    if (hs == (size_t)-1) {
        rc = MATCH_ENOSEEKER;
    } else if (ho == (size_t)-1) {
        rc = MATCH_ENOOFFER;
    } else {
        const sk *k = &ms->seekers[ms->seeker_ids.vals[hs]];
        uint32_t loc = ms->offers.vals[ho];
        int p = (int)(loc >> 24);
        bucket_get(&ms->b[p], loc & 0xFFFFFF, p, &out->offer);
        match_ctx c = {ms->have_km ? (const int16_t(*)[MATCH_NPREF + 1]) ms->km : NULL, now};
        match_score(&k->s, &out->offer, &c, true, &out->eval);
        out->seeker = k->s;
        memcpy(out->munis, k->s.wish_munis, (size_t)k->s.n_wish_munis * sizeof(int));
        out->seeker.wish_munis = out->munis;
        out->seeker.name = out->seeker.name_kana = NULL;
    }
    pthread_rwlock_unlock(&ms->lock);
    return rc;
}

int match_seekers_for(match_store *ms, int64_t offer_id, int scope_pref, int32_t today_day,
                      int64_t now, int page, int per_page, match_seeker_page *out)
{
    memset(out, 0, sizeof *out);
    int rc = paging(&page, &per_page);
    if (rc != MATCH_OK)
        return rc;
    int k = page * per_page;
    topk t = {malloc((size_t)k * sizeof(cand)), 0, k};
    if (!t.h)
        return MATCH_ENOMEM;
    pthread_rwlock_rdlock(&ms->lock);
    size_t h = map_find(&ms->offers, offer_id);
    if (h == (size_t)-1) {
        pthread_rwlock_unlock(&ms->lock);
        free(t.h);
        return MATCH_ENOOFFER;
    }
    uint32_t oloc = ms->offers.vals[h];
    match_offer o;
    bucket_get(&ms->b[oloc >> 24], oloc & 0xFFFFFF, (int)(oloc >> 24), &o);
    match_ctx c = {ms->have_km ? (const int16_t(*)[MATCH_NPREF + 1]) ms->km : NULL, now};
    uint64_t pb = (uint64_t)1 << o.pref;
    int64_t total = 0;
    /* the offer's side of the cheap tests */
    int64_t wage_m = match_wage_in(&o, MATCH_WAGE_MONTHLY),
            wage_h = match_wage_in(&o, MATCH_WAGE_HOURLY);
    int ne = nights_eff(&o);
    uint64_t ft = o.ftype >= 0 && o.ftype <= 63 ? (uint64_t)1 << o.ftype : 0;
    bool takuji = o.flags & OFFER_FLAG_TAKUJI;
    for (size_t i = 0; i < ms->nseekers; i++) {
        const sfilt *f = &ms->filt[i];
        if (!(f->area & pb) || f->status != MATCH_ACTIVE || f->valid_day < today_day ||
            (scope_pref && f->pref != scope_pref) || !(f->lic & o.lic) ||
            (f->emp && !(f->emp & o.emp)) || (f->shift && !(f->shift & o.shift)) ||
            (f->ftypes && !(f->ftypes & ft)) || (f->depts && !(f->depts & o.depts)) ||
            (f->childcare && !takuji))
            continue;
        if (f->wage_type == MATCH_WAGE_MONTHLY  ? (wage_m <= 0 || wage_m < f->wage_min)
            : f->wage_type == MATCH_WAGE_HOURLY ? (wage_h <= 0 || wage_h < f->wage_min)
                                                : false)
            continue;
        if (f->max_nights >= 0 && (ne >= 0 ? ne > f->max_nights : f->max_nights == 0))
            continue;
        const match_seeker *s = &ms->seekers[i].s;
        match_eval e;
        match_score(s, &o, &c, false, &e);
        if (e.excluded)
            continue;
        total++;
        cand cd = {e.score, s->last_activity_at, s->id, (uint32_t)i};
        topk_push(&t, &cd);
    }
    qsort(t.h, (size_t)t.n, sizeof *t.h, cmp_cand);
    out->total = total;
    out->page = page;
    out->per_page = per_page;
    for (int i = (page - 1) * per_page; i < t.n; i++) {
        const sk *sr = &ms->seekers[t.h[i].loc];
        match_seeker_hit *hit = &out->items[out->n++];
        hit->seeker_id = sr->s.id;
        hit->pref = sr->s.pref;
        hit->work_status = sr->s.work_status;
        hit->experience_years = sr->s.experience_years;
        hit->lic = sr->s.lic;
        /* stored names are shorter than MATCH_MAX_NAME (sk_set cuts them) */
        memcpy(hit->name, sr->s.name, strlen(sr->s.name) + 1);
        memcpy(hit->name_kana, sr->s.name_kana, strlen(sr->s.name_kana) + 1);
        match_score(&sr->s, &o, &c, true, &hit->eval);
    }
    pthread_rwlock_unlock(&ms->lock);
    free(t.h);
    return MATCH_OK;
}
