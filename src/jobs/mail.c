/* Mail delivery through libcurl's SMTP client: a plain-text UTF-8 message, subject encoded as
 * RFC 2047 base64, body base64 (RFC 2045) so any Japanese text travels intact. */
#include "jobs/jobs.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/str.h"
#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    const char *data;
    size_t len, pos;
} upload;

static size_t read_cb(char *out, size_t size, size_t n, void *arg)
{
    upload *u = arg;
    size_t room = size * n, left = u->len - u->pos;
    size_t k = left < room ? left : room;
    memcpy(out, u->data + u->pos, k);
    u->pos += k;
    return k;
}

static int b64(nbuf *b, const char *s, size_t len, size_t wrap)
{
    size_t cap = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
    char *tmp = malloc(cap);
    if (!tmp)
        return -1;
    sodium_bin2base64(tmp, cap, (const unsigned char *)s, len, sodium_base64_VARIANT_ORIGINAL);
    int rc = 0;
    size_t n = strlen(tmp);
    for (size_t i = 0; i < n && rc == 0; i += wrap) {
        rc = nbuf_append(b, tmp + i, n - i < wrap ? n - i : wrap);
        if (rc == 0 && wrap < SIZE_MAX)
            rc = nbuf_puts(b, "\r\n");
    }
    free(tmp);
    return rc;
}

static bool header_safe(const char *s)
{
    return !strpbrk(s, "\r\n");
}

int mail_send(const char *to, const char *subject, const char *body, char *err, size_t errcap)
{
    if (!header_safe(to) || !header_safe(subject) || !header_safe(g_config.mail_from)) {
        str_copy(err, errcap, "header injection refused");
        return -1;
    }
    nbuf msg;
    nbuf_init(&msg, 1024 * 1024);
    char date[64];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    unsigned char rnd[12];
    randombytes_buf(rnd, sizeof rnd);
    char mid[32];
    sodium_bin2hex(mid, sizeof mid, rnd, sizeof rnd);
    int rc = nbuf_printf(&msg,
                         "Date: %s\r\nFrom: %s\r\nTo: %s\r\nMessage-ID: <%s@nccs>\r\n"
                         "Subject: =?UTF-8?B?",
                         date, g_config.mail_from, to, mid);
    if (rc == 0)
        rc = b64(&msg, subject, strlen(subject), SIZE_MAX);
    if (rc == 0)
        rc =
            nbuf_puts(&msg, "?=\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                            "Content-Transfer-Encoding: base64\r\n\r\n");
    if (rc == 0)
        rc = b64(&msg, body, strlen(body), 76);
    if (rc != 0) {
        nbuf_free(&msg);
        str_copy(err, errcap, "message too large");
        return -1;
    }
    CURL *c = curl_easy_init();
    if (!c) {
        nbuf_free(&msg);
        str_copy(err, errcap, "curl init failed");
        return -1;
    }
    char from[300];
    snprintf(from, sizeof from, "<%s>", g_config.mail_from);
    char rcpt_addr[300];
    snprintf(rcpt_addr, sizeof rcpt_addr, "<%s>", to);
    struct curl_slist *rcpt = curl_slist_append(NULL, rcpt_addr);
    upload u = {msg.data, msg.len, 0};
    char ebuf[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_URL, g_config.smtp_url);
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(c, CURLOPT_READDATA, &u);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    CURLcode res = curl_easy_perform(c);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(c);
    nbuf_free(&msg);
    if (res != CURLE_OK) {
        snprintf(err, errcap, "smtp: %s", ebuf[0] ? ebuf : curl_easy_strerror(res));
        return -1;
    }
    return 0;
}
