/* Passwords and tokens (DESIGN.md section 5): argon2id password hashes, and
 * 256-bit random bearer tokens of which only a hash is ever stored. */
#ifndef BALIED_AUTH_H
#define BALIED_AUTH_H

#include <sodium.h>
#include <stdbool.h>

enum {
	AUTH_HASH_LEN = crypto_pwhash_STRBYTES, /* with the NUL */
	AUTH_TOKEN_BYTES = 32,
	AUTH_TOKEN_HEX_LEN = 2 * AUTH_TOKEN_BYTES + 1, /* with the NUL */
	AUTH_TOKEN_HASH_BYTES = 32,
	AUTH_PASSWORD_MAX = 1024,
};

/* Calls sodium_init; false when libsodium cannot work. */
bool auth_init(void);

/* Writes the argon2id hash string of password; false on out of memory. */
bool auth_password_hash(const char *password, char out[AUTH_HASH_LEN]);
/* True when password matches hash. With hash NULL it spends the same time on
 * a dummy hash and returns false, so that an unknown user name answers as
 * slowly as a wrong password. */
bool auth_password_verify(const char *hash, const char *password);

/* A new random token as lower-case hex, and its hash for the store. */
void auth_token_new(char hex[AUTH_TOKEN_HEX_LEN], unsigned char hash[AUTH_TOKEN_HASH_BYTES]);
/* The hash of a token as sent by a client; false when it is not a token. */
bool auth_token_hash(const char *hex, unsigned char hash[AUTH_TOKEN_HASH_BYTES]);

#endif
