/* Cookie sessions: a 256-bit random token in the __Host-nccs_session cookie, only its hash
 * stored; idle and absolute timeouts; a per-session CSRF token. */
#ifndef NCCS_HTTP_SESSION_H
#define NCCS_HTTP_SESSION_H
#include "http/req.h"
#include "store/accounts.h"

#define SESSION_COOKIE "__Host-nccs_session"

/* Loads the caller from the cookie into r->actor / r->signed_in. Returns 0, or -1 on a
 * database error. */
int session_load(req *r);
/* Starts a session for the account and sets the cookie; fills r->csrf. 0 or -1. */
int session_start(req *r, const account *a);
/* Ends the current session and clears the cookie. */
int session_end(req *r);
/* Fills a principal from an account row. */
void principal_from_account(principal *p, const account *a);

#endif
