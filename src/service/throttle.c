#include "throttle.h"

#include "log.h"

/* The wait for one counter: when it has max failures in the window, until the
 * failure that is max-th from the newest leaves the window. */
static unsigned wait_for(struct store *store, const char *sql, const char *value,
			 const struct throttle_rule *rule, time_t now)
{
	sqlite3_stmt *st = store_stmt(store, sql);
	sqlite3_bind_text(st, 1, value, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)(now - (time_t)rule->window_seconds));
	sqlite3_bind_int(st, 3, (int)rule->max_failures - 1);
	unsigned wait = 0;
	if (sqlite3_step(st) == SQLITE_ROW) {
		time_t at = (time_t)sqlite3_column_int64(st, 0);
		time_t free_at = at + (time_t)rule->window_seconds;
		wait = free_at > now ? (unsigned)(free_at - now) : 1;
	}
	store_done(st);
	return wait;
}

unsigned throttle_wait(struct store *store, const struct throttle_rule *rule,
		       const char *username, const char *address, time_t now)
{
	unsigned by_user = wait_for(store,
		"SELECT at FROM login_failures WHERE username = ? AND at > ?"
		" ORDER BY at DESC LIMIT 1 OFFSET ?", username, rule, now);
	unsigned by_address = wait_for(store,
		"SELECT at FROM login_failures WHERE address = ? AND at > ?"
		" ORDER BY at DESC LIMIT 1 OFFSET ?", address, rule, now);
	return by_user > by_address ? by_user : by_address;
}

bool throttle_failed(struct store *store, const char *username, const char *address, time_t now)
{
	sqlite3_stmt *st = store_stmt(store,
		"INSERT INTO login_failures (username, address, at) VALUES (?, ?, ?)");
	sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, address, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
	bool ok = sqlite3_step(st) == SQLITE_DONE;
	if (!ok)
		log_error("database: counting a failed login: %s", sqlite3_errmsg(store_db(store)));
	store_done(st);
	return ok;
}

unsigned throttle_reserve(struct store *store, const struct throttle_rule *rule,
			  const char *username, const char *address, time_t now, bool *stored)
{
	*stored = store_begin(store);
	if (!*stored)
		return 0;
	unsigned wait = throttle_wait(store, rule, username, address, now);
	*stored = (wait || throttle_failed(store, username, address, now)) && store_commit(store);
	store_rollback(store);
	return *stored ? wait : 0;
}

bool throttle_succeeded(struct store *store, const char *username)
{
	sqlite3_stmt *st = store_stmt(store, "DELETE FROM login_failures WHERE username = ?");
	sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
	bool ok = sqlite3_step(st) == SQLITE_DONE;
	store_done(st);
	return ok;
}

bool throttle_purge(struct store *store, const struct throttle_rule *rule, time_t now)
{
	sqlite3_stmt *st = store_stmt(store, "DELETE FROM login_failures WHERE at <= ?");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)(now - (time_t)rule->window_seconds));
	bool ok = sqlite3_step(st) == SQLITE_DONE;
	store_done(st);
	return ok;
}
