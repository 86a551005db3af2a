#include "jobs/digest.h"
#include "jobs/jobs.h"
#include "search/offer_index.h"
#include "search/params.h"
#include "store/saved_searches.h"
#include "store/seekers.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH     100    /* reminders, and saved searches, per run */
#define BUDGET_US 200000 /* stop taking more work after this long (the transaction holds locks) */
/* Offers published in the last minute wait for the next digest: the index follows the store
 * within about a second, and a commit may still be in flight. */
#define DIGEST_MARGIN 60
#define MAIL_MAX      (256 * 1024) /* bytes of one mail body */

/* False for a missing address and for the reserved .invalid domain (RFC 2606), which counter
 * registrations without e-mail get (no-email-…@center.invalid). */
static bool mailable(const char *email)
{
    static const char tld[] = ".invalid";
    size_t n = email ? strlen(email) : 0, k = sizeof tld - 1;
    return n > 0 && !(n >= k && !strcmp(email + n - k, tld));
}

/* Yen with thousands separators ("300,000") into out. */
static void yen(int64_t v, char *out, size_t cap)
{
    char digits[32];
    snprintf(digits, sizeof digits, "%lld", (long long)(v < 0 ? 0 : v));
    size_t n = strlen(digits), k = 0;
    for (size_t i = 0; i < n && k + 2 < cap; i++) {
        if (i && (n - i) % 3 == 0)
            out[k++] = ',';
        out[k++] = digits[i];
    }
    if (cap)
        out[k < cap ? k : cap - 1] = '\0';
}

/* The wage line of a search-result item ("月給 300,000円〜") into out. */
static void wage_text(const json_t *item, char *out, size_t cap)
{
    static const char *const TYPES[][2] = {
        {"monthly", "月給"}, {"hourly", "時給"}, {"daily", "日給"}, {"annual", "年俸"}};
    const char *t = json_string_value(json_object_get(item, "wage_type"));
    const json_t *min = json_object_get(item, "wage_min");
    const char *label = NULL;
    for (size_t i = 0; t && i < sizeof TYPES / sizeof TYPES[0]; i++)
        if (!strcmp(t, TYPES[i][0]))
            label = TYPES[i][1];
    if (!label || !json_is_integer(min)) {
        str_copy(out, cap, "賃金は求人票をご覧ください");
        return;
    }
    char num[40];
    yen(json_integer_value(min), num, sizeof num);
    snprintf(out, cap, "%s %s円〜", label, num);
}

/* String member key of obj, "" when absent (borrowed). */
static const char *js(const json_t *obj, const char *key)
{
    const char *v = json_string_value(json_object_get(obj, key));
    return v ? v : "";
}

/* search_param_fn over a JSON object of string members (a stored saved-search query). */
static const char *json_param(void *arg, const char *name)
{
    return json_string_value(json_object_get(arg, name));
}

/* Appends the saved query as the search page's URL parameters ("?q=…&prefecture=13") to b.
 * Returns 0 or -1. */
static int append_query(nbuf *b, const json_t *query)
{
    int rc = 0;
    bool first = true;
    for (int i = 0; SEARCH_FILTER_PARAMS[i] && rc == 0; i++) {
        const char *v = json_string_value(json_object_get(query, SEARCH_FILTER_PARAMS[i]));
        if (!v || !*v)
            continue;
        char *esc = curl_easy_escape(NULL, v, 0);
        if (!esc)
            return -1;
        rc = nbuf_printf(b, "%s%s=%s", first ? "?" : "&", SEARCH_FILTER_PARAMS[i], esc);
        curl_free(esc);
        first = false;
    }
    return rc;
}

/* Appends to items (a JSON array) the index summaries of offers matching q that were
 * published in [since, until), newest first, stopping after DIGEST_MAX_OFFERS + 1 (the extra
 * one says "more"). Returns 0, or -1 when the search failed. */
static int new_offers(si_index *ix, si_query *q, int64_t since, int64_t until, json_t *items)
{
    si_result *res = malloc(sizeof *res);
    if (!res)
        return -1;
    q->sort = SI_SORT_NEWEST;
    q->per_page = SI_MAX_PER_PAGE;
    int rc = 0;
    bool done = false;
    for (int page = 1; !done && page * SI_MAX_PER_PAGE <= SI_MAX_WINDOW; page++) {
        q->page = page;
        if (si_search(ix, q, res) != SI_OK) {
            rc = -1;
            break;
        }
        for (int i = 0; i < res->n && !done; i++) {
            nbuf b;
            nbuf_init(&b, 64 * 1024);
            json_t *item = NULL;
            if (offer_index_append_item(res->ids[i], &b) == 0 && b.data)
                item = json_loads(b.data, 0, NULL);
            nbuf_free(&b);
            if (!item)
                continue; /* closed since the search */
            int64_t at = json_integer_value(json_object_get(item, "published_at"));
            if (at < since) {
                done = true; /* newest first: the rest is older still */
            } else if (at < until) {
                json_array_append(items, item);
                done = json_array_size(items) > DIGEST_MAX_OFFERS;
            }
            json_decref(item);
        }
        if (res->n < res->per_page)
            break;
    }
    free(res);
    return rc;
}

/* Enqueues the digest mail of saved search `id` (row i of store_digests_due) listing items,
 * with a fresh unsubscribe token. Runs in the caller's transaction. */
static int mail_digest(db *d, const db_res *r, int i, const json_t *query, const json_t *items,
                       int64_t now)
{
    int64_t id = db_int(r, i, 0), uid = db_int(r, i, 1);
    char tok[TOKEN_B64_LEN], hash[TOKEN_HASH_LEN];
    crypto_token(tok, sizeof tok);
    crypto_token_hash(tok, hash, sizeof hash);
    int rc = store_mail_token_insert(d, hash, "unsubscribe", uid, id, now, now + UNSUBSCRIBE_TTL);
    if (rc != DB_OK)
        return rc;
    size_t n = json_array_size(items);
    bool more = n > DIGEST_MAX_OFFERS;
    if (more)
        n = DIGEST_MAX_OFFERS;
    const char *base = g_config.base_url;
    nbuf b;
    nbuf_init(&b, MAIL_MAX);
    int e = nbuf_printf(&b,
                        "%s 様\n\nナースセンターです。\n保存した検索条件「%s」に合う求人が、"
                        "前回のお知らせ（初回は保存した時）のあと新たに%zu件%s公開されました。\n\n",
                        db_text(r, i, 6), db_text(r, i, 2), n, more ? "以上" : "");
    for (size_t k = 0; k < n && e == 0; k++) {
        const json_t *it = json_array_get(items, k);
        const char *muni = js(it, "municipality_name");
        const char *emp = offer_index_code_name("employment_forms", js(it, "employment_form"));
        char wage[128];
        wage_text(it, wage, sizeof wage);
        e = nbuf_printf(&b, "■ %s\n　%s%s%s%s\n　%s%s%s\n　%s/offers/%s\n\n", js(it, "title"),
                        js(it, "facility_name"), *muni ? "（" : "", muni, *muni ? "）" : "", emp,
                        *emp ? "　" : "", wage, base, js(it, "offer_no"));
    }
    if (e == 0 && more)
        e = nbuf_puts(&b, "ほかにも新着求人があります。\n");
    if (e == 0)
        e = nbuf_printf(&b, "この条件で検索する:\n%s/jobs", base);
    if (e == 0)
        e = append_query(&b, query);
    if (e == 0)
        e = nbuf_printf(&b,
                        "\n\n――――――――――\n"
                        "このメールは、検索条件の保存時に「新着求人をメールで受け取る」を"
                        "選ばれた方に、週に1回お送りしています。\n"
                        "この検索条件のメールを停止する（ログインは不要です）:\n"
                        "%s/unsubscribe?token=%s\n\n"
                        "保存した検索条件の変更・削除:\n%s/seeker/saved-searches\n\n"
                        "ナースセンター（nccs）\n",
                        base, tok, base);
    char subject[160];
    snprintf(subject, sizeof subject, "【ナースセンター】新着求人のお知らせ（%zu件%s）", n,
             more ? "以上" : "");
    rc = e == 0 ? jobs_enqueue_mail(d, db_text(r, i, 5), subject, b.data) : DB_ERROR;
    nbuf_free(&b);
    return rc;
}

/* The digest of row i of store_digests_due. *advanced tells whether the saved search was dealt
 * with (it is left due when the search itself failed). */
static int digest_one(db *d, si_index *ix, const db_res *r, int i, int64_t now, bool *advanced)
{
    int64_t id = db_int(r, i, 0), since = db_int(r, i, 4), cutoff = now - DIGEST_MARGIN;
    *advanced = true;
    if (!db_int(r, i, 7) || !mailable(db_text(r, i, 5)))
        return store_digest_done(d, id, cutoff, 0); /* not mailable now: this week is skipped */
    const char *text = db_text(r, i, 3);
    json_error_t jerr;
    json_t *query = json_loads(text ? text : "", JSON_REJECT_DUPLICATES, &jerr);
    si_query q;
    memset(&q, 0, sizeof q);
    int munis[SI_MAX_MUNI];
    const char *bad =
        json_is_object(query) ? search_parse_filters(json_param, query, &q, munis) : "query";
    if (bad) { /* stored before a code list changed, say: nothing can match it */
        log_warn("saved search %lld: stored parameter %s is not valid any more", (long long)id,
                 bad);
        json_decref(query);
        return store_digest_done(d, id, cutoff, 0);
    }
    json_t *items = json_array();
    int rc = DB_OK;
    if (since < cutoff && new_offers(ix, &q, since, cutoff, items) != 0) {
        log_error("saved search %lld: the search failed; left for the next run", (long long)id);
        *advanced = false;
    } else {
        bool send = json_array_size(items) > 0;
        if (send)
            rc = mail_digest(d, r, i, query, items, now);
        if (rc == DB_OK)
            rc = store_digest_done(d, id, cutoff, send ? now : 0);
    }
    json_decref(items);
    json_decref(query);
    return rc;
}

/* Enqueues the validity reminder of row i of store_reminders_due (with a single-use renewal
 * token) unless the address is a placeholder, and records it. */
static int remind_one(db *d, const db_res *r, int i, int64_t now)
{
    int64_t uid = db_int(r, i, 0);
    const char *email = db_text(r, i, 1), *valid = db_text(r, i, 3);
    int rc = DB_OK;
    if (mailable(email)) {
        char tok[TOKEN_B64_LEN], hash[TOKEN_HASH_LEN];
        crypto_token(tok, sizeof tok);
        crypto_token_hash(tok, hash, sizeof hash);
        rc = store_mail_token_insert(d, hash, "renew", uid, 0, now, now + RENEW_TOKEN_TTL);
        if (rc != DB_OK)
            return rc;
        char era[64] = "";
        int y, m, dd;
        if (date_parse(valid, &y, &m, &dd) != 0 || era_format(y, m, dd, era, sizeof era) != 0)
            str_copy(era, sizeof era, valid);
        nbuf b;
        nbuf_init(&b, 16384);
        if (nbuf_printf(&b,
                        "%s 様\n\nナースセンターです。\n求職者登録の有効期限は %s（%s）です。\n"
                        "引き続き求人のご紹介やお知らせを希望される場合は、次のリンクから登録を"
                        "更新してください（ログインは不要です。有効期限30日、一度だけ使えます）。"
                        "\n\n%s/seeker/renew?token=%s\n\n"
                        "更新すると、有効期限は更新した日から%dか月後になります。ログインして"
                        "マイページから更新することもできます。\n"
                        "有効期限を過ぎると登録は終了します（終了後も、更新すれば再開できます）。"
                        "\n\nこのメールにお心当たりがない場合は、お手数ですが破棄してください。"
                        "\n\nナースセンター（nccs）\n",
                        db_text(r, i, 2), era, valid, g_config.base_url, tok,
                        SEEKER_VALIDITY_MONTHS) != 0) {
            nbuf_free(&b);
            return DB_ERROR;
        }
        rc = jobs_enqueue_mail(d, email, "【ナースセンター】求職者登録の有効期限が近づいています",
                               b.data);
        nbuf_free(&b);
    }
    if (rc == DB_OK)
        rc = store_reminder_done(d, uid, valid);
    return rc;
}

int digest_housekeeping(db *d, int64_t now, int *handled)
{
    int64_t t0 = time_now_us();
    int done = 0;
    if (handled)
        *handled = 0;
    char today[16], horizon[16];
    time_jst_date(now, today, sizeof today);
    time_jst_date(now + (int64_t)SEEKER_REMINDER_DAYS * 86400, horizon, sizeof horizon);

    int64_t closed = 0;
    int rc = store_seekers_expire(d, today, now, &closed);
    if (rc == DB_OK && closed)
        log_info("closed %lld registration(s) past their validity", (long long)closed);
    done += (int)closed;
    if (rc == DB_OK)
        rc = store_mail_tokens_purge(d, now);

    db_res *r = NULL;
    if (rc == DB_OK)
        rc = store_reminders_due(d, today, horizon, BATCH, &r);
    for (int i = 0; rc == DB_OK && i < r->nrows && time_now_us() - t0 < BUDGET_US; i++) {
        rc = remind_one(d, r, i, now);
        done++;
    }
    db_res_free(r);
    r = NULL;

    si_index *ix = offer_index();
    if (rc == DB_OK && ix)
        rc = store_digests_due(d, now - DIGEST_INTERVAL, BATCH, &r);
    for (int i = 0; rc == DB_OK && r && i < r->nrows && time_now_us() - t0 < BUDGET_US; i++) {
        bool advanced = false;
        rc = digest_one(d, ix, r, i, now, &advanced);
        done += advanced;
    }
    db_res_free(r);
    if (handled)
        *handled = rc == DB_OK ? done : 0;
    return rc;
}
