#include "util/crypto.h"
#include <pthread.h>
#include <sodium.h>
#include <string.h>

/* Interactive limits: ~50-100 ms and 64 MiB per hash on the target machine. */
#define OPS crypto_pwhash_OPSLIMIT_INTERACTIVE
#define MEM crypto_pwhash_MEMLIMIT_INTERACTIVE

static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

int crypto_init(void)
{
    return sodium_init() < 0 ? -1 : 0;
}

void crypto_token(char *out, size_t cap)
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    if (cap < TOKEN_B64_LEN) {
        out[0] = '\0';
        return;
    }
    sodium_bin2base64(out, cap, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
}

void crypto_token_hash(const char *token, char *out, size_t cap)
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
    if (cap < TOKEN_HASH_LEN) {
        out[0] = '\0';
        return;
    }
    sodium_bin2hex(out, cap, h, sizeof h);
}

int crypto_password_hash(const char *password, char *out, size_t cap)
{
    if (cap < crypto_pwhash_STRBYTES)
        return -1;
    return crypto_pwhash_str(out, password, strlen(password), OPS, MEM) == 0 ? 0 : -1;
}

bool crypto_password_verify(const char *hash, const char *password)
{
    if (!hash || !*hash)
        return false;
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

static void make_dummy(void)
{
    char pw[TOKEN_B64_LEN];
    crypto_token(pw, sizeof pw);
    if (crypto_pwhash_str(dummy_hash, pw, strlen(pw), OPS, MEM) != 0)
        dummy_hash[0] = '\0';
}

void crypto_password_dummy(const char *password)
{
    pthread_once(&dummy_once, make_dummy);
    (void)crypto_password_verify(dummy_hash, password);
}

bool crypto_equal(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la != lb || la == 0)
        return false;
    return sodium_memcmp(a, b, la) == 0;
}
