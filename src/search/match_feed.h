/* The process's matcher (src/match/), fed from the store like the search index: built at start
 * (offer_index_init calls match_feed_init), offers re-read from the same offer change sequence
 * the index follows (offer_index.c's refresh calls match_feed_offer), seekers re-read when a
 * profile or its status is saved (api/seekers.c calls match_feed_seeker after the commit) and,
 * for changes made by other app processes, picked up from seekers.updated_at about once a second
 * (offer_index_catch_up calls match_feed_catch_up). The store stays the source of truth. */
#ifndef NCCS_SEARCH_MATCH_FEED_H
#define NCCS_SEARCH_MATCH_FEED_H
#include "match/match.h"
#include "store/db.h"

/* Builds the matcher from d: prefecture points, published offers, seekers. Returns 0 or -1. */
int match_feed_init(db *d);
void match_feed_free(void);
/* The matcher (NULL before init). */
match_store *match_feed_store(void);
/* Re-reads offer id: kept if published, dropped otherwise. Returns 0 or -1. */
int match_feed_offer(db *d, int64_t id);
/* Re-reads the profile, licences and name of seeker uid (dropped when it has no profile).
 * Call after the commit that changed it. Thread-safe. Returns 0 or -1. */
int match_feed_seeker(db *d, int64_t uid);
/* Re-reads the seekers whose updated_at changed recently (other processes' writes); does
 * nothing when called again within the same second. Returns 0 or -1. */
int match_feed_catch_up(db *d);
/* Today's JST date as a day number (match_day_number) for registration validity. */
int32_t match_feed_today(int64_t now);

#endif
