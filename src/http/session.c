#include "http/session.h"
#include "util/config.h"
#include "util/crypto.h"
#include "util/str.h"
#include "util/timeutil.h"
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

void principal_from_account(principal *p, const account *a)
{
    memset(p, 0, sizeof *p);
    p->id = a->id;
    p->role = role_parse(a->role);
    str_copy(p->prefecture, sizeof p->prefecture, a->prefecture);
    p->facility_id = a->facility_id;
}

int session_load(req *r)
{
    const char *tok = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, SESSION_COOKIE);
    if (!tok || strlen(tok) != TOKEN_B64_LEN - 1)
        return 0;
    char hash[TOKEN_HASH_LEN];
    crypto_token_hash(tok, hash, sizeof hash);
    int64_t now = time_now(), sid = 0, uid = 0, last_seen = 0;
    int rc =
        store_session_lookup(r->db, hash, now, g_config.session_idle, g_config.session_absolute,
                             &sid, &uid, r->csrf, sizeof r->csrf, &last_seen);
    if (rc == DB_NOTFOUND)
        return 0;
    if (rc != DB_OK)
        return -1;
    account a;
    rc = store_user_by_id(r->db, uid, &a);
    if (rc == DB_NOTFOUND)
        return 0;
    if (rc != DB_OK)
        return -1;
    principal_from_account(&r->actor, &a);
    r->signed_in = true;
    r->session_id = sid;
    /* Sliding idle timeout, written at most once a minute per session. */
    if (now - last_seen >= 60 && store_session_touch(r->db, sid, now) != DB_OK)
        return -1;
    return 0;
}

int session_start(req *r, const account *a)
{
    char tok[TOKEN_B64_LEN], hash[TOKEN_HASH_LEN];
    crypto_token(tok, sizeof tok);
    crypto_token_hash(tok, hash, sizeof hash);
    crypto_token(r->csrf, sizeof r->csrf);
    if (store_session_insert(r->db, hash, a->id, r->csrf, time_now(), r->ip, r->ua) != DB_OK)
        return -1;
    char cookie[256];
    snprintf(cookie, sizeof cookie, "%s=%s; Path=/; Secure; HttpOnly; SameSite=Lax", SESSION_COOKIE,
             tok);
    req_add_header(r, "Set-Cookie", cookie);
    principal_from_account(&r->actor, a);
    r->signed_in = true;
    return 0;
}

int session_end(req *r)
{
    if (r->signed_in && store_session_delete(r->db, r->session_id) != DB_OK)
        return -1;
    req_add_header(r, "Set-Cookie",
                   SESSION_COOKIE "=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0");
    r->signed_in = false;
    return 0;
}
