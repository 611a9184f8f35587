/* Sessions: a bearer token per login, stored as a hash, with an idle and an
 * absolute lifetime. */
#ifndef BALIED_SESSION_H
#define BALIED_SESSION_H

#include "service/domain/auth.h"
#include "service/store/store.h"

#include <stdbool.h>
#include <time.h>

struct session {
	long long staff_id;
	char *username;
	char *name;
	char *branch;   /* where the desk logged in */
	char *terminal;
	unsigned roles;
	time_t expires_at;
	unsigned char token_hash[AUTH_TOKEN_HASH_BYTES];
};

struct session_lifetimes {
	unsigned idle_seconds;
	unsigned absolute_seconds;
};

/*
 * Makes a session for staff_id and writes its token (hex) and expiry. Runs
 * in the caller's transaction, if any.
 */
bool session_create(struct store *store, long long staff_id, const char *branch,
		    const char *terminal, const char *address, time_t now,
		    const struct session_lifetimes *life, char token[AUTH_TOKEN_HEX_LEN],
		    time_t *expires_at);

enum session_found { SESSION_VALID, SESSION_NONE, SESSION_STORE_FAILED };

/*
 * Finds the live session of a token (as sent after "Bearer ") and marks it
 * seen now. An unknown, malformed, idle or expired token, or one of a
 * disabled account, is SESSION_NONE (an expired one is removed). On
 * SESSION_VALID *out is newly allocated: free with session_free.
 */
enum session_found session_find(struct store *store, const char *token, time_t now,
				const struct session_lifetimes *life, struct session **out);
/* Ends a session. */
bool session_delete(struct store *store, const unsigned char hash[AUTH_TOKEN_HASH_BYTES]);
/* Removes every session that has expired by now. */
bool session_purge(struct store *store, const struct session_lifetimes *life, time_t now);
void session_free(struct session *s);
/* How many sessions are live now (neither idle nor past their lifetime), for
 * GET /metrics; -1 (logged) when the store fails. */
long long session_count_live(struct store *store, const struct session_lifetimes *life,
			     time_t now);

#endif
