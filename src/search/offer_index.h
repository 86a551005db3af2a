/* The process's job-offer search index, fed from the store: bulk-loaded at start from the
 * published offers, then kept current from the offer change sequence (offer_changes, written by
 * triggers in the same transaction as each offer write). The writing process catches up right
 * after its commit; every process also catches up about once a second (the job worker), so
 * several app servers on one PostgreSQL stay consistent. */
#ifndef NCCS_SEARCH_OFFER_INDEX_H
#define NCCS_SEARCH_OFFER_INDEX_H
#include "search/index.h"
#include "store/db.h"
#include "util/buf.h"

/* Builds the index from d. Returns 0 or -1. */
int offer_index_init(db *d);
void offer_index_free(void);
/* The index (NULL before init). */
si_index *offer_index(void);
/* Applies the changes after the last seen sequence. Thread-safe; returns 0 or -1. */
int offer_index_catch_up(db *d);
/* The normalised searchable text of a published offer exactly as the index holds it (for the
 * SQL cross-check and benchmarks). Returns 0 with *norm (caller frees), 1 if the offer is not
 * published, -1 on error. */
int offer_index_text(db *d, int64_t id, char **norm);
/* The point used for distances in prefecture pref (1..47): its prefectural office (a
 * prefecture-level approximation). Returns 0, or -1 when unknown. */
int offer_index_pref_point(int pref, double *lat, double *lon);
/* Appends the search-result item JSON of published offer id to b (kept in memory beside the
 * index, so result pages need no database). Returns 0, or -1 when unknown (or b is full). */
int offer_index_append_item(int64_t id, nbuf *b);
/* Code-list name of a code (e.g. departments/internal → 内科), "" if unknown. Static. */
const char *offer_index_code_name(const char *list, const char *code);

#endif
