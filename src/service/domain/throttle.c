#include "service/domain/throttle.h"

#include "core/log.h"
#include "core/xalloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/*
 * The tries under way: reserved before the password is checked, so that a
 * burst of parallel tries cannot all pass the check, and kept in memory
 * only, so that a try no answer settled (balied was killed while it hashed)
 * is not a failure after a restart. One process serves one database, so
 * one set is enough; the lock also makes check and reserve one step, and
 * settling one step of writing the failure and dropping the reservation.
 */
struct reservation {
	unsigned long ticket;
	char *username;
	char *address;
};

static pthread_mutex_t flight_lock = PTHREAD_MUTEX_INITIALIZER;
static struct reservation *flight;
static size_t n_flight, cap_flight;
static unsigned long last_ticket;

/* The reservations of username (by_user) or of address; flight_lock held. */
static unsigned reserved(const char *value, bool by_user)
{
	unsigned n = 0;
	for (size_t i = 0; i < n_flight; i++)
		n += strcmp(by_user ? flight[i].username : flight[i].address, value) == 0;
	return n;
}

/* The wait for one counter: when it has max failures in the window, counting
 * the tries under way, until the failure that is max-th from the newest
 * leaves the window; a second when the tries under way alone fill it (they
 * are settled within a second or so). */
static unsigned wait_for(struct store *store, const char *sql, const char *value,
			 const struct throttle_rule *rule, unsigned in_flight, time_t now)
{
	if (in_flight >= rule->max_failures)
		return 1;
	struct db_stmt *st = store_stmt(store, sql);
	db_bind_text(st, 1, value, -1);
	db_bind_int64(st, 2, (long long)(now - (time_t)rule->window_seconds));
	db_bind_int64(st, 3, (int)(rule->max_failures - 1 - in_flight));
	unsigned wait = 0;
	if (db_step(st) == DB_ROW) {
		time_t at = (time_t)db_column_int64(st, 0);
		time_t free_at = at + (time_t)rule->window_seconds;
		wait = free_at > now ? (unsigned)(free_at - now) : 1;
	}
	store_done(st);
	return wait;
}

/* throttle_wait with the tries under way counted; flight_lock held. */
static unsigned wait_counting_flight(struct store *store, const struct throttle_rule *rule,
				     const char *username, const char *address, time_t now)
{
	unsigned by_user = wait_for(store,
		"SELECT at FROM login_failures WHERE username = ? AND at > ?"
		" ORDER BY at DESC LIMIT 1 OFFSET ?", username, rule, reserved(username, true), now);
	unsigned by_address = wait_for(store,
		"SELECT at FROM login_failures WHERE address = ? AND at > ?"
		" ORDER BY at DESC LIMIT 1 OFFSET ?", address, rule, reserved(address, false), now);
	return by_user > by_address ? by_user : by_address;
}

unsigned throttle_wait(struct store *store, const struct throttle_rule *rule,
		       const char *username, const char *address, time_t now)
{
	pthread_mutex_lock(&flight_lock);
	unsigned wait = wait_counting_flight(store, rule, username, address, now);
	pthread_mutex_unlock(&flight_lock);
	return wait;
}

bool throttle_failed(struct store *store, const char *username, const char *address, time_t now)
{
	struct db_stmt *st = store_stmt(store,
		"INSERT INTO login_failures (username, address, at) VALUES (?, ?, ?)");
	db_bind_text(st, 1, username, -1);
	db_bind_text(st, 2, address, -1);
	db_bind_int64(st, 3, (long long)now);
	bool ok = db_step(st) == DB_DONE;
	if (!ok)
		log_error("database: counting a failed login: %s", store_errmsg(store));
	store_done(st);
	return ok;
}

unsigned throttle_reserve(struct store *store, const struct throttle_rule *rule,
			  const char *username, const char *address, time_t now,
			  unsigned long *ticket)
{
	pthread_mutex_lock(&flight_lock);
	unsigned wait = wait_counting_flight(store, rule, username, address, now);
	*ticket = 0;
	if (!wait) {
		if (n_flight == cap_flight) {
			cap_flight = cap_flight ? 2 * cap_flight : 16;
			flight = xrealloc(flight, cap_flight * sizeof *flight);
		}
		*ticket = ++last_ticket;
		flight[n_flight++] = (struct reservation){ *ticket, xstrdup(username),
							   xstrdup(address) };
	}
	pthread_mutex_unlock(&flight_lock);
	return wait;
}

/* Drops the reservation of ticket; flight_lock held. */
static void drop(unsigned long ticket)
{
	for (size_t i = 0; i < n_flight; i++) {
		if (flight[i].ticket == ticket) {
			free(flight[i].username);
			free(flight[i].address);
			flight[i] = flight[--n_flight];
			return;
		}
	}
}

bool throttle_settle_failed(struct store *store, unsigned long ticket, time_t now)
{
	pthread_mutex_lock(&flight_lock);
	bool ok = true;
	for (size_t i = 0; i < n_flight; i++)
		if (flight[i].ticket == ticket)
			ok = throttle_failed(store, flight[i].username, flight[i].address, now);
	drop(ticket);
	pthread_mutex_unlock(&flight_lock);
	return ok;
}

void throttle_release(unsigned long ticket)
{
	pthread_mutex_lock(&flight_lock);
	drop(ticket);
	pthread_mutex_unlock(&flight_lock);
}

bool throttle_succeeded(struct store *store, const char *username)
{
	struct db_stmt *st = store_stmt(store, "DELETE FROM login_failures WHERE username = ?");
	db_bind_text(st, 1, username, -1);
	bool ok = db_step(st) == DB_DONE;
	store_done(st);
	return ok;
}

bool throttle_purge(struct store *store, const struct throttle_rule *rule, time_t now)
{
	struct db_stmt *st = store_stmt(store, "DELETE FROM login_failures WHERE at <= ?");
	db_bind_int64(st, 1, (long long)(now - (time_t)rule->window_seconds));
	bool ok = db_step(st) == DB_DONE;
	store_done(st);
	return ok;
}
