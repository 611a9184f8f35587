#include "auth.h"

#include <pthread.h>
#include <string.h>

static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[AUTH_HASH_LEN];
static bool dummy_ready;

bool auth_init(void)
{
	return sodium_init() >= 0;
}

bool auth_password_hash(const char *password, char out[AUTH_HASH_LEN])
{
	return crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
				 crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0;
}

static void make_dummy(void)
{
	char pw[17];
	randombytes_buf(pw, sizeof pw - 1);
	pw[sizeof pw - 1] = '\0';
	for (size_t i = 0; i < sizeof pw - 1; i++)
		pw[i] = (char)('a' + (unsigned char)pw[i] % 26);
	dummy_ready = auth_password_hash(pw, dummy_hash);
}

bool auth_password_verify(const char *hash, const char *password)
{
	if (!hash) {
		pthread_once(&dummy_once, make_dummy);
		/* The answer is known; only the time spent matters. */
		if (dummy_ready && crypto_pwhash_str_verify(dummy_hash, password, strlen(password)) == 0)
			return false;
		return false;
	}
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void auth_token_new(char hex[AUTH_TOKEN_HEX_LEN], unsigned char hash[AUTH_TOKEN_HASH_BYTES])
{
	unsigned char raw[AUTH_TOKEN_BYTES];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(hex, AUTH_TOKEN_HEX_LEN, raw, sizeof raw);
	auth_token_hash(hex, hash);
	sodium_memzero(raw, sizeof raw);
}

bool auth_token_hash(const char *hex, unsigned char hash[AUTH_TOKEN_HASH_BYTES])
{
	if (strlen(hex) != AUTH_TOKEN_HEX_LEN - 1)
		return false;
	for (const char *p = hex; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	/* Hash the text as sent: what a client holds is what is looked up. */
	crypto_generichash(hash, AUTH_TOKEN_HASH_BYTES, (const unsigned char *)hex,
			   AUTH_TOKEN_HEX_LEN - 1, NULL, 0);
	return true;
}
