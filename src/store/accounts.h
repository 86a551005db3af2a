/* Queries for accounts, sessions, single-use tokens, login throttling and the audit log. */
#ifndef NCCS_STORE_ACCOUNTS_H
#define NCCS_STORE_ACCOUNTS_H
#include "store/db.h"
#include <stdbool.h>
#include <stdint.h>

#define DB_NOTFOUND 1 /* returned (positive) by lookups that found no row */

typedef struct account {
    int64_t id;
    char email[256];
    char role[20];
    char status[12];
    bool verified;
    char password_hash[192]; /* "" when no password is set yet */
    char name[512];
    char name_kana[512];
    char phone[64];
    char prefecture[3];
    int64_t facility_id;
    char channel[16];
    int64_t created_at;
} account;

int store_user_by_email(db *d, const char *email, account *out);
int store_user_by_id(db *d, int64_t id, account *out);
/* Inserts a user; returns DB_OK and *id, or DB_CONSTRAINT when the e-mail is taken. */
int store_user_insert(db *d, const account *a, bool verified, int64_t now, int64_t *id);
int store_user_set_password(db *d, int64_t id, const char *hash, int64_t now);
int store_user_set_verified(db *d, int64_t id, int64_t now);
int store_user_set_email(db *d, int64_t id, const char *email, int64_t now);
int store_licence_insert(db *d, int64_t user_id, const char *type, const char *number,
                         const char *registered_on);
int store_facility_insert(db *d, const char *name, const char *kana, const char *pref,
                          const char *muni, const char *type, const char *phone, int64_t now,
                          int64_t *id);

/* Session by token hash, valid under the idle and absolute limits. */
int store_session_lookup(db *d, const char *token_hash, int64_t now, int idle, int absolute,
                         int64_t *sid, int64_t *user_id, char *csrf, size_t csrf_cap,
                         int64_t *last_seen);
int store_session_insert(db *d, const char *token_hash, int64_t user_id, const char *csrf,
                         int64_t now, const char *ip, const char *ua);
int store_session_touch(db *d, int64_t sid, int64_t now);
int store_session_delete(db *d, int64_t sid);
/* Deletes all sessions of a user except `keep` (0 = delete all). */
int store_sessions_delete_user(db *d, int64_t user_id, int64_t keep);

int store_token_insert(db *d, const char *token_hash, const char *kind, int64_t user_id,
                       const char *new_email, int64_t now, int64_t expires_at);
/* Atomically marks an unused, unexpired token of one of the kinds (comma-free list matched by
 * kind_a or kind_b) as used. Returns DB_OK with user id, kind and new_email ("" if none), or
 * DB_NOTFOUND. */
int store_token_take(db *d, const char *token_hash, const char *kind_a, const char *kind_b,
                     int64_t now, int64_t *user_id, char *kind, size_t kind_cap, char *new_email,
                     size_t email_cap);
int store_tokens_recent(db *d, int64_t user_id, const char *kind, int64_t since, int64_t *count);

int store_login_failures(db *d, const char *email, const char *ip, int64_t since, int64_t *by_email,
                         int64_t *by_ip, int64_t *oldest_email, int64_t *oldest_ip);
int store_login_failure_add(db *d, const char *email, const char *ip, int64_t now);
int store_login_failures_clear(db *d, const char *email);

int store_audit_add(db *d, int64_t now, int64_t actor, const char *actor_role,
                    const char *actor_pref, int64_t subject, const char *action, const char *target,
                    const char *ip);

#endif
