/* Demo applications (応募・紹介) for `nccs seed --scale demo`, so every role finds a case to
 * look at: nurse27 asked for a referral on the Osaka demo offer and counselor27 issued it
 * (facility27 sees the applicant); nurse13 asked for one on the same offer and it waits in
 * Tokyo's review queue (facility27 does not see it). The Tokyo offer is left without cases for
 * the browser test of the whole flow. */
#include "cli/seed_demo_apps.h"
#include "domain/placement.h"
#include "store/accounts.h"
#include "store/applications.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <string.h>

/* Opens a case of `nurse` on offer `offer_no` by a referral request; with `referrer` (a
 * counselor's e-mail) also refers it. Every step goes through placement_apply. */
static int demo_case(db *d, const char *nurse, const char *offer_no, const char *referrer,
                     int64_t now)
{
    account n, c;
    int rc = store_user_by_email(d, nurse, &n);
    if (rc != DB_OK)
        return rc == DB_NOTFOUND ? DB_ERROR : rc;
    db_val p[] = {DBT(offer_no)};
    db_res *o = NULL;
    rc = db_query(d, "SELECT id, facility_id FROM offers WHERE offer_no = $1", p, 1, &o);
    if (rc != DB_OK)
        return rc;
    if (o->nrows == 0) {
        db_res_free(o);
        return DB_ERROR;
    }
    app_new a = {.seeker_id = n.id,
                 .offer_id = db_int(o, 0, 0),
                 .facility_id = db_int(o, 0, 1),
                 .prefecture = n.prefecture,
                 .state = "requested",
                 .origin = "request",
                 .created_by = n.id};
    db_res_free(o);
    placement_state to;
    const char *err;
    if (placement_apply(PL_ST_NONE, PL_ACT_REQUEST, PL_ACTOR_NURSE, NULL, &to, &err) != PL_OK)
        return DB_ERROR;
    int64_t id = 0, t = now; /* the demo accounts are created at `now` too */
    rc = store_app_create(d, &a, t, &id);
    if (rc == DB_OK)
        rc = store_app_event(d, id, t, n.id, "nurse", "request", "none", "requested", "{}");
    if (rc != DB_OK || !referrer)
        return rc;
    rc = store_user_by_email(d, referrer, &c);
    if (rc != DB_OK)
        return rc == DB_NOTFOUND ? DB_ERROR : rc;
    if (placement_apply(to, PL_ACT_REFER, PL_ACTOR_COUNSELOR, NULL, &to, &err) != PL_OK)
        return DB_ERROR;
    char no[32], detail[64];
    rc = store_referral_no(d, n.prefecture, time_jst_fiscal_year(now), no, sizeof no);
    app_change ch = {.to = "referred",
                     .open = true,
                     .referral_no = no,
                     .referred_at = now,
                     .permanent = -1,
                     .left_within_6m = -1};
    if (rc == DB_OK)
        rc = store_app_transition(d, id, "requested", &ch, now);
    snprintf(detail, sizeof detail, "{\"referral_no\":\"%s\"}", no);
    if (rc == DB_OK)
        rc = store_app_event(d, id, now, c.id, "counselor", "refer", "requested", "referred",
                             detail);
    return rc;
}

int seed_demo_applications(db *d, int64_t now)
{
    char osaka[32];
    /* the demo offers were published today: numbers of this fiscal year */
    snprintf(osaka, sizeof osaka, "27-%04d-000001", time_jst_fiscal_year(now));
    int rc = demo_case(d, "nurse27@example.jp", osaka, "counselor27@example.jp", now);
    if (rc == DB_OK)
        rc = demo_case(d, "nurse13@example.jp", osaka, NULL, now);
    return rc;
}
