/* Handlers, one file per resource group; the route table is in routes.c. */
#ifndef NCCS_API_API_H
#define NCCS_API_API_H
#include "domain/codes.h"
#include "http/req.h"
#include "store/accounts.h"

/* meta.c */
void h_healthz(req *r);
void h_version(req *r);
void h_openapi(req *r);
void h_ref(req *r);
void h_municipalities(req *r);
void h_centers(req *r);
/* auth.c */
void h_register(req *r);
void h_verify(req *r);
void h_login(req *r);
void h_logout(req *r);
void h_reset_request(req *r);
void h_reset_complete(req *r);
/* me.c */
void h_me(req *r);
void h_me_password(req *r);
void h_me_email(req *r);
void h_me_views(req *r);
/* people.c */
void h_people_list(req *r);
void h_person_get(req *r);
void h_person_audit(req *r);

/* seekers.c */
void h_me_seeker_get(req *r);
void h_me_seeker_put(req *r);
void h_me_seeker_renew(req *r);
void h_me_seeker_pause(req *r);
void h_person_seeker_get(req *r);
void h_person_seeker_put(req *r);
void h_seekers_register(req *r);

/* applications.c */
void h_applications_create(req *r);
void h_applications_list(req *r);
void h_application_get(req *r);
void h_application_event(req *r);
void h_application_letter(req *r);

/* matching.c */
void h_me_matches(req *r);
void h_me_match_get(req *r);
void h_person_matches(req *r);
void h_offer_candidates(req *r);

/* facilities.c */
void h_facilities_list(req *r);
void h_facility_get(req *r);
void h_facility_update(req *r);
void h_facility_submit(req *r);
void h_facility_review(req *r);
void h_facility_history(req *r);
void h_facility_staff(req *r);
void h_facility_invite(req *r);

/* ssr.c */
/* The SPA's index_html with the <title>, meta description and JobPosting JSON-LD of a published
 * offer. Returns 0 with *out (malloc'd, caller frees), 1 when no such published offer, -1 on
 * error. */
int ssr_offer_page(db *d, const char *offer_no, const char *index_html, char **out);

/* search.c */
void h_offers_search(req *r);
void h_offer_public(req *r);

/* saved_searches.c */
void h_saved_searches_list(req *r);
void h_saved_search_create(req *r);
void h_saved_search_update(req *r);
void h_saved_search_delete(req *r);
void h_unsubscribe(req *r);
void h_seeker_renewal(req *r);
/* The job worker's housekeeping (one transaction, about once a minute): job offers past their
 * validity (offers_expire_due), then the nurse mail jobs (jobs/digest.h). */
int api_housekeeping(db *d);

/* offers.c */
void h_offer_check(req *r);
void h_offers_create(req *r);
void h_offers_of_facility(req *r);
void h_offer_get(req *r);
void h_offer_update(req *r);
void h_offer_submit(req *r);
void h_offer_review(req *r);
void h_offer_close(req *r);
void h_offer_extend(req *r);
void h_offer_copy(req *r);
void h_offer_history(req *r);
void h_offers_list(req *r);
/* Marks published offers past their validity as expired (run by the job worker). */
int offers_expire_due(db *d);

/* notifications.c: notifications (届出), proxy filing, bulk upload, confirmation, export */
void h_notifications_file(req *r);
void h_center_notification_file(req *r);
void h_facility_notification_file(req *r);
void h_facility_notifications(req *r);
void h_notification_upload(req *r);
void h_notification_uploads(req *r);
void h_notification_upload_report(req *r);
void h_me_notifications(req *r);
void h_notifications_list(req *r);
void h_notification_get(req *r);
void h_notification_update(req *r);
void h_notification_consent(req *r);
void h_notification_confirm_lookup(req *r);
void h_notification_confirm(req *r);
void h_export_notifications(req *r);

/* casework.c: the work queue, center settings, timeline, duplicates, merge, hand-over */
void h_tasks_list(req *r);
void h_task_get(req *r);
void h_task_assign(req *r);
void h_task_done(req *r);
void h_center_settings_get(req *r);
void h_center_settings_put(req *r);
void h_person_timeline(req *r);
void h_me_timeline(req *r);
void h_person_duplicates(req *r);
void h_person_merge(req *r);
void h_person_handover(req *r);

/* consultations.c: consultations (相談), staff grants, the sensitive compartment */
void h_staff_list(req *r);
void h_staff_grants(req *r);
void h_consultations_create(req *r);
void h_consultations_list(req *r);
void h_consultation_get(req *r);
void h_export_consultations(req *r);

/* helpdesk.c: the central help desk (tickets from the prefectural centers, replies, close) */
void h_helpdesk_list(req *r);
void h_helpdesk_create(req *r);
void h_helpdesk_get(req *r);
void h_helpdesk_reply(req *r);
void h_helpdesk_close(req *r);

/* reports.c */
void h_reports_catalog(req *r);
void h_report_get(req *r);
void h_report_csv(req *r);
void h_report_xlsx(req *r);
void h_report_build_create(req *r);
void h_report_build_get(req *r);
void h_report_build_file(req *r);
void h_export_offers_xlsx(req *r);
/* Deletes report builds (and their files) older than 7 days. */
int report_builds_purge(db *d, int64_t now);
/* The "report_build" job: builds every table of a report_builds row into its file. */
int report_build_job(db *d, const json_t *payload, char *err, size_t errcap);
/* access.c: writes the access counters gathered in memory to access_daily (additively). */
int access_flush(db *d);

/* access.c: live access counting (docs/API.md "Access statistics") */
void h_views(req *r);
/* access_flush (declared above) adds the counts kept in memory to access_daily in its own
 * transaction: call it outside a transaction. Returns 0, or -1 when the write failed (the
 * counts are kept for the next flush). */
/* The job worker's tick: offer_index_catch_up, then access_flush every
 * NCCS_ACCESS_FLUSH_SECONDS (default 5). Returns what offer_index_catch_up returned. */
int access_tick(db *d);
/* At shutdown, after the last request: the final flush (d may be NULL: counts are dropped
 * with a log line), then frees the counters. */
void access_stop(db *d);

/* common.c */
/* Loads the reference tables the handlers use (the dated minimum wages for the offer checker)
 * from the embedded data files. Call once before serving; api_shutdown frees them. 0 or -1. */
int api_init(void);
void api_shutdown(void);
/* The public JSON of an account (no hash, no internals). */
json_t *user_json(const account *a);
/* Whether a User-Agent looks like a phone (the registration channel "smartphone"; tablets are
 * "pc"): domain/access.c access_ua_is_phone, the one implementation. */
bool api_looks_mobile(const char *ua);
/* Validates r->json against spec; on errors replies 422 and returns -1. */
int api_validate(req *r, const vfield *spec);
/* An optional integer query parameter in [min, max] (decimal digits only) into *out, def when
 * absent or empty; replies 400 request.bad_parameter and returns -1 when malformed. */
int api_query_int(req *r, const char *name, int64_t def, int64_t min, int64_t max, int64_t *out);
/* Reads the page/per_page query parameters (defaults 1 and 20, per_page <= 100); replies 400
 * and returns -1 when malformed. */
int api_paging(req *r, int64_t *page, int64_t *per_page);
/* A free-text query parameter (at most 100 characters, no control characters), NFKC-normalised:
 * returns a malloc'd string ("" when absent; caller frees), or NULL after replying 400. */
char *api_query_text(req *r, const char *name);
/* Builds a LIKE pattern "%q%" with %, _ and \ escaped; caller frees. */
char *api_like_pattern(const char *q);
/* Replies 200 with a file (data malloc'd, taken over) of content_type as an attachment. */
void api_reply_file(req *r, char *data, size_t len, const char *content_type, const char *filename);
/* Replies 200 with CSV text b (taken over) as an attachment named filename. */
void api_reply_csv(req *r, nbuf *b, const char *filename);
/* Mails every active facility_admin of a facility (in the caller's transaction). */
int api_mail_facility_admins(db *d, int64_t facility_id, const char *subject, const char *body);
/* Event rows (at, action, actor name, actor role, detail JSON text) as the API's history items
 * (new reference). */
json_t *api_events_json(const db_res *res);
/* Replies 500 and logs the DB error; returns -1 for convenient `return api_dberr(r)`. */
int api_dberr(req *r, const char *what);
/* Mails a link with a fresh single-use token (hash stored). path like "/verify". Runs in the
 * caller's transaction. */
int api_mail_token(db *d, int64_t user_id, const char *kind, const char *new_email, const char *to,
                   int ttl, const char *subject, const char *intro, const char *path,
                   const char *name);

#endif
