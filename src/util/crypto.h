/* Thin wrappers over libsodium: random tokens, token hashing, argon2id passwords. */
#ifndef NCCS_UTIL_CRYPTO_H
#define NCCS_UTIL_CRYPTO_H
#include <stdbool.h>
#include <stddef.h>

#define TOKEN_B64_LEN  44  /* 32 random bytes as URL-safe base64 without padding = 43 + NUL */
#define TOKEN_HASH_LEN 65  /* BLAKE2b-256 as hex + NUL */
#define PWHASH_LEN     128 /* crypto_pwhash_STRBYTES */

int crypto_init(void);
/* Writes 32 random bytes as URL-safe base64 (no padding) into out (cap >= TOKEN_B64_LEN). */
void crypto_token(char *out, size_t cap);
/* Hex BLAKE2b-256 of a token, for storing and looking up tokens without keeping them. */
void crypto_token_hash(const char *token, char *out, size_t cap);
/* argon2id; returns 0 or -1 (out of memory). out cap >= PWHASH_LEN. */
int crypto_password_hash(const char *password, char *out, size_t cap);
/* Constant-time verification; false for an empty or malformed hash. */
bool crypto_password_verify(const char *hash, const char *password);
/* Verifies against a fixed dummy hash so that unknown accounts take as long as known ones. */
void crypto_password_dummy(const char *password);
bool crypto_equal(const char *a, const char *b); /* constant time for equal lengths */

#endif
