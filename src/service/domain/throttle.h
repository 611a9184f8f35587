/* Login throttling (DESIGN.md section 5): too many failed logins for one user
 * name, or from one address, within a window, and further tries are refused
 * until the oldest failure leaves the window. */
#ifndef BALIED_THROTTLE_H
#define BALIED_THROTTLE_H

#include "service/store/store.h"

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
 * Like throttle_wait, and when the try may go ahead (0), reserves it at once
 * and sets *ticket: a burst of parallel tries cannot all pass the check, as
 * each try under way counts as a failure until it is settled. The
 * reservation lives in memory only: a try that no answer settled, because
 * balied stopped or was killed while it ran, is not counted after a
 * restart. Every reservation is ended by throttle_settle_failed or
 * throttle_release.
 */
unsigned throttle_reserve(struct store *store, const struct throttle_rule *rule,
			  const char *username, const char *address, time_t now,
			  unsigned long *ticket);
/* The try of ticket failed: counts the failure in the store and ends the
 * reservation, in one step for the other tries. False when the database
 * failed (the reservation is ended all the same). */
bool throttle_settle_failed(struct store *store, unsigned long ticket, time_t now);
/* Ends the reservation of ticket without counting it: after a success
 * (with throttle_succeeded in its transaction) or when the service could not
 * answer. */
void throttle_release(unsigned long ticket);
/* Counts a failed login. */
bool throttle_failed(struct store *store, const char *username, const char *address, time_t now);
/* Forgets the failures of username after a successful login; the failures of
 * other names from the same address still count for that address. */
bool throttle_succeeded(struct store *store, const char *username);
/* Removes failures older than the window. */
bool throttle_purge(struct store *store, const struct throttle_rule *rule, time_t now);

#endif
