#include "service/domain/auth.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

/* Each hash takes AUTH_HASH_MEMLIMIT of memory and a core for tens of
 * milliseconds: unauthenticated logins must not make the service spend that
 * many times at once. A login waits at most AUTH_HASH_WAIT_MS for a slot. */
static pthread_mutex_t slot_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t slot_free;
static pthread_once_t slot_once = PTHREAD_ONCE_INIT;
static unsigned slots_taken;

static void slot_init(void)
{
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&slot_free, &attr);
	pthread_condattr_destroy(&attr);
}

static bool slot_take(void)
{
	pthread_once(&slot_once, slot_init);
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += AUTH_HASH_WAIT_MS / 1000;
	until.tv_nsec += (long)(AUTH_HASH_WAIT_MS % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&slot_lock);
	bool taken = true;
	while (taken && slots_taken >= AUTH_HASHES_AT_ONCE)
		taken = pthread_cond_timedwait(&slot_free, &slot_lock, &until) == 0 ||
			slots_taken < AUTH_HASHES_AT_ONCE;
	if (taken)
		slots_taken++;
	pthread_mutex_unlock(&slot_lock);
	return taken;
}

static void slot_give(void)
{
	pthread_mutex_lock(&slot_lock);
	slots_taken--;
	pthread_cond_signal(&slot_free);
	pthread_mutex_unlock(&slot_lock);
}

static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[AUTH_HASH_LEN];
static bool dummy_ready;

bool auth_init(void)
{
	return sodium_init() >= 0;
}

static bool hash_unbounded(const char *password, char out[AUTH_HASH_LEN])
{
	return crypto_pwhash_str(out, password, strlen(password), AUTH_HASH_OPSLIMIT,
				 AUTH_HASH_MEMLIMIT) == 0;
}

bool auth_password_hash(const char *password, char out[AUTH_HASH_LEN])
{
	if (!slot_take())
		return false;
	bool ok = hash_unbounded(password, out);
	slot_give();
	return ok;
}

static void make_dummy(void)
{
	char pw[17];
	randombytes_buf(pw, sizeof pw - 1);
	pw[sizeof pw - 1] = '\0';
	for (size_t i = 0; i < sizeof pw - 1; i++)
		pw[i] = (char)('a' + (unsigned char)pw[i] % 26);
	dummy_ready = hash_unbounded(pw, dummy_hash);
}

enum auth_verdict auth_password_check(const char *hash, const char *password, bool *rehash)
{
	*rehash = false;
	if (!hash)
		pthread_once(&dummy_once, make_dummy);
	if (!slot_take())
		return AUTH_BUSY;
	bool right;
	if (!hash) {
		/* The answer is known; only the time spent matters. */
		int spent = dummy_ready ? crypto_pwhash_str_verify(dummy_hash, password,
								    strlen(password)) : -1;
		(void)spent;
		right = false;
	} else {
		right = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
		*rehash = right && crypto_pwhash_str_needs_rehash(hash, AUTH_HASH_OPSLIMIT,
								  AUTH_HASH_MEMLIMIT) != 0;
	}
	slot_give();
	return right ? AUTH_MATCH : AUTH_NO_MATCH;
}

bool auth_password_verify(const char *hash, const char *password)
{
	bool rehash;
	return auth_password_check(hash, password, &rehash) == AUTH_MATCH;
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
