/* Server-side metadata for the public offer page: the SPA's index.html with the offer's <title>,
 * meta description and schema.org JobPosting JSON-LD, so search engines see them without
 * running JavaScript. */
#include "api/api.h"
#include "search/offer_index.h"
#include "util/buf.h"
#include "util/str.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Appends s HTML-escaped (text and attribute safe). */
static void html_escape(nbuf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            nbuf_puts(b, "&amp;");
            break;
        case '<':
            nbuf_puts(b, "&lt;");
            break;
        case '>':
            nbuf_puts(b, "&gt;");
            break;
        case '"':
            nbuf_puts(b, "&quot;");
            break;
        case '\'':
            nbuf_puts(b, "&#39;");
            break;
        case '\n':
        case '\r':
            nbuf_puts(b, " ");
            break;
        default:
            nbuf_append(b, s, 1);
        }
    }
}

/* First n code points of s into out (cap bytes). */
static void utf8_prefix(const char *s, size_t n, char *out, size_t cap)
{
    size_t i = 0, cps = 0;
    while (s[i] && i + 4 < cap) {
        if (((unsigned char)s[i] & 0xC0) != 0x80 && cps++ == n)
            break;
        out[i] = s[i];
        i++;
    }
    while (i > 0 && ((unsigned char)out[i - 1] & 0xC0) == 0xC0) /* never cut inside a character */
        i--;
    out[i] = '\0';
}

static const char *employment_type(const char *form)
{
    if (!form)
        return "OTHER";
    if (!strcmp(form, "jokin"))
        return "FULL_TIME";
    if (!strcmp(form, "hijokin"))
        return "PART_TIME";
    if (!strcmp(form, "rinji"))
        return "TEMPORARY";
    return "OTHER";
}

static const char *wage_unit(const char *type)
{
    if (!type)
        return NULL;
    if (!strcmp(type, "monthly"))
        return "MONTH";
    if (!strcmp(type, "hourly"))
        return "HOUR";
    if (!strcmp(type, "daily"))
        return "DAY";
    if (!strcmp(type, "annual"))
        return "YEAR";
    return NULL;
}

int ssr_offer_page(db *d, const char *offer_no, const char *index_html, char **out)
{
    *out = NULL;
    if (strlen(offer_no) != 14)
        return 1;
    db_val p[] = {DBT(offer_no)};
    db_res *r = NULL;
    if (db_query(d,
                 "SELECT o.body, o.valid_until, o.published_at, f.name, p.name, "
                 "COALESCE(m.name, ''), o.employment_form FROM offers o JOIN facilities f ON "
                 "f.id = o.facility_id JOIN prefectures p ON p.code = o.prefecture_code LEFT JOIN "
                 "municipalities m ON m.code = o.municipality_code WHERE o.offer_no = $1 AND "
                 "o.status = 'published'",
                 p, 1, &r) != DB_OK)
        return -1;
    if (r->nrows == 0) {
        db_res_free(r);
        return 1;
    }
    json_error_t jerr;
    json_t *body = json_loads(db_text(r, 0, 0), 0, &jerr);
    const char *title = json_string_value(json_object_get(body, "title"));
    json_t *duties = json_object_get(body, "duties"), *wage = json_object_get(body, "wage");
    json_t *wp = json_object_get(body, "workplace");
    const char *desc = json_string_value(json_object_get(duties, "description"));
    const char *pr = json_string_value(json_object_get(body, "pr"));
    const char *facility = db_text(r, 0, 3), *pref = db_text(r, 0, 4), *muni = db_text(r, 0, 5);

    /* schema.org JobPosting */
    char posted[16] = "";
    time_t t = (time_t)db_int(r, 0, 2) + 9 * 3600;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(posted, sizeof posted, "%Y-%m-%d", &tm);
    nbuf full;
    nbuf_init(&full, 8192);
    nbuf_printf(&full, "%s%s%s", desc ? desc : "", desc && pr ? "\n" : "", pr ? pr : "");
    json_t *ld = json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:{s:s,s:s},s:{s:s,s:{s:s,s:s,s:s,s:s,s:s?}},s:{s:s,s:s}}",
        "@context", "https://schema.org", "@type", "JobPosting", "title", title ? title : "",
        "description", full.data ? full.data : "", "datePosted", posted, "validThrough",
        db_text(r, 0, 1), "employmentType", employment_type(db_text(r, 0, 6)), "hiringOrganization",
        "@type", "Organization", "name", facility, "jobLocation", "@type", "Place", "address",
        "@type", "PostalAddress", "addressCountry", "JP", "addressRegion", pref, "addressLocality",
        muni, "streetAddress", json_string_value(json_object_get(wp, "address")), "identifier",
        "@type", "PropertyValue", "value", offer_no);
    const char *unit = wage_unit(json_string_value(json_object_get(wage, "type")));
    json_t *min = json_object_get(wage, "base_min"), *max = json_object_get(wage, "base_max");
    if (unit && json_is_integer(min)) {
        json_t *value = json_pack("{s:s,s:O,s:s}", "@type", "QuantitativeValue", "minValue", min,
                                  "unitText", unit);
        if (json_is_integer(max))
            json_object_set(value, "maxValue", max);
        json_object_set_new(ld, "baseSalary",
                            json_pack("{s:s,s:s,s:o}", "@type", "MonetaryAmount", "currency", "JPY",
                                      "value", value));
    }
    char *ld_text = json_dumps(ld, JSON_COMPACT);
    json_decref(ld);
    nbuf_free(&full);

    char short_desc[400];
    utf8_prefix(desc ? desc : "", 110, short_desc, sizeof short_desc);
    nbuf head;
    nbuf_init(&head, 64 * 1024);
    nbuf_puts(&head, "<title>");
    html_escape(&head, title);
    nbuf_puts(&head, "｜");
    html_escape(&head, facility);
    nbuf_puts(&head, "（");
    html_escape(&head, pref);
    html_escape(&head, muni);
    nbuf_puts(&head, "）｜ナースセンター</title>\n<meta name=\"description\" content=\"");
    html_escape(&head, facility);
    nbuf_puts(&head, "の求人票（求人番号 ");
    html_escape(&head, offer_no);
    nbuf_puts(&head, "）。");
    html_escape(&head, short_desc);
    nbuf_puts(&head, "\" />\n<script type=\"application/ld+json\">");
    /* No markup characters at all inside the data block: < > & as JSON escapes. */
    for (const char *q = ld_text ? ld_text : "{}"; *q; q++) {
        if (*q == '<')
            nbuf_puts(&head, "\\u003c");
        else if (*q == '>')
            nbuf_puts(&head, "\\u003e");
        else if (*q == '&')
            nbuf_puts(&head, "\\u0026");
        else
            nbuf_append(&head, q, 1);
    }
    nbuf_puts(&head, "</script>\n");
    free(ld_text);
    json_decref(body);
    db_res_free(r);

    /* The template without its generic meta description, with our block in place of <title>. */
    nbuf page;
    nbuf_init(&page, 256 * 1024);
    const char *md = strstr(index_html, "<meta name=\"description\"");
    const char *md_end = md ? strstr(md, ">") : NULL;
    const char *ts = strstr(index_html, "<title>"), *te = ts ? strstr(ts, "</title>") : NULL;
    int rc = 0;
    if (!ts || !te || (md && (!md_end || (md < ts && md_end > ts)))) {
        rc = -1;
    } else {
        te += strlen("</title>");
        const char *cut_a = md && md < ts ? md : NULL; /* description before <title> */
        if (cut_a) {
            nbuf_append(&page, index_html, (size_t)(cut_a - index_html));
            nbuf_append(&page, md_end + 1, (size_t)(ts - (md_end + 1)));
        } else {
            nbuf_append(&page, index_html, (size_t)(ts - index_html));
        }
        nbuf_append(&page, head.data, head.len);
        const char *rest = te;
        if (md && md > te) { /* description after <title> */
            nbuf_append(&page, rest, (size_t)(md - rest));
            rest = md_end + 1;
        }
        nbuf_puts(&page, rest);
        *out = nbuf_take(&page);
    }
    nbuf_free(&page);
    nbuf_free(&head);
    return rc;
}
