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
	/* At most this many password hashes run at once (each AUTH_HASH_MEMLIMIT);
	 * a login waits at most AUTH_HASH_WAIT_MS for its turn. */
	AUTH_HASHES_AT_ONCE = 2,
	AUTH_HASH_WAIT_MS = 3000,
};

/* argon2id with 19 MiB and 2 passes (libsodium has one lane): the minimum of
 * OWASP's Password Storage Cheat Sheet. A stored hash with other parameters
 * is made again at the next successful login. */
#define AUTH_HASH_OPSLIMIT 2ULL
#define AUTH_HASH_MEMLIMIT ((size_t)19 * 1024 * 1024)

enum auth_verdict { AUTH_MATCH, AUTH_NO_MATCH, AUTH_BUSY };

/* Calls sodium_init; false when libsodium cannot work. */
bool auth_init(void);

/* Writes the argon2id hash string of password; false on out of memory or
 * when no hash slot came free in time. */
bool auth_password_hash(const char *password, char out[AUTH_HASH_LEN]);
/* Whether password matches hash, or AUTH_BUSY when no hash slot came free in
 * time. With hash NULL it spends the same time on a dummy hash and answers
 * AUTH_NO_MATCH, so that an unknown user name answers as slowly as a wrong
 * password. *rehash is set when it matched and hash has other parameters
 * than the ones of auth_password_hash. */
enum auth_verdict auth_password_check(const char *hash, const char *password, bool *rehash);
/* auth_password_check as true for AUTH_MATCH only. */
bool auth_password_verify(const char *hash, const char *password);

/* A new random token as lower-case hex, and its hash for the store. */
void auth_token_new(char hex[AUTH_TOKEN_HEX_LEN], unsigned char hash[AUTH_TOKEN_HASH_BYTES]);
/* The hash of a token as sent by a client; false when it is not a token. */
bool auth_token_hash(const char *hex, unsigned char hash[AUTH_TOKEN_HASH_BYTES]);

#endif
