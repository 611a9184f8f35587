/* Login throttling (DESIGN.md section 5): too many failed logins for one user
 * name, or from one address, within a window, and further tries are refused
 * until the oldest failure leaves the window. */
#ifndef BALIED_THROTTLE_H
#define BALIED_THROTTLE_H

#include "store.h"

#include <stdbool.h>
#include <time.h>

struct throttle_rule {
	unsigned max_failures;
	unsigned window_seconds;
};

/* 0 when a login for username from address may be tried now, else the
 * seconds to wait. */
unsigned throttle_wait(struct store *store, const struct throttle_rule *rule,
		       const char *username, const char *address, time_t now);
/*
 * Like throttle_wait, and when the try may go ahead, counts it as a failure
 * at once, in the same transaction: a burst of parallel tries cannot all
 * pass the check before the first failure is counted. A try that then
 * succeeds is forgotten by throttle_succeeded. Sets *stored false when the
 * database failed.
 */
unsigned throttle_reserve(struct store *store, const struct throttle_rule *rule,
			  const char *username, const char *address, time_t now, bool *stored);
/* Counts a failed login. */
bool throttle_failed(struct store *store, const char *username, const char *address, time_t now);
/* Forgets the failures of username after a successful login; the failures of
 * other names from the same address still count for that address. */
bool throttle_succeeded(struct store *store, const char *username);
/* Removes failures older than the window. */
bool throttle_purge(struct store *store, const struct throttle_rule *rule, time_t now);

#endif
