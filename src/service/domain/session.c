#include "service/domain/session.h"

#include "core/log.h"
#include "service/domain/staff.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

bool session_create(struct store *store, long long staff_id, const char *branch,
		    const char *terminal, const char *address, time_t now,
		    const struct session_lifetimes *life, char token[AUTH_TOKEN_HEX_LEN],
		    time_t *expires_at)
{
	unsigned char hash[AUTH_TOKEN_HASH_BYTES];
	auth_token_new(token, hash);
	*expires_at = now + (time_t)life->absolute_seconds;
	struct db_stmt *st = store_stmt(store,
		"INSERT INTO sessions (token_hash, staff_id, branch_code, terminal, address,"
		" created_at, last_seen, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	db_bind_blob(st, 1, hash, sizeof hash);
	db_bind_int64(st, 2, staff_id);
	db_bind_text(st, 3, branch, -1);
	db_bind_text(st, 4, terminal, -1);
	db_bind_text(st, 5, address, -1);
	db_bind_int64(st, 6, (long long)now);
	db_bind_int64(st, 7, (long long)now);
	db_bind_int64(st, 8, (long long)*expires_at);
	bool ok = db_step(st) == DB_DONE;
	if (!ok)
		log_error("database: storing a session: %s", store_errmsg(store));
	store_done(st);
	return ok;
}

static bool touch(struct store *store, const unsigned char *hash, time_t now)
{
	struct db_stmt *st = store_stmt(store, "UPDATE sessions SET last_seen = ? WHERE token_hash = ?");
	db_bind_int64(st, 1, (long long)now);
	db_bind_blob(st, 2, hash, AUTH_TOKEN_HASH_BYTES);
	/* A read never waits behind a lock for this mark: skipped, it is
	 * made on a later call. */
	bool ok = store_step_nowait(store, st) == DB_DONE;
	store_done(st);
	return ok;
}

static char *text_dup(struct db_stmt *st, int col)
{
	const char *t = db_column_text(st, col);
	return xstrdup(t ? t : "");
}

enum session_found session_find(struct store *store, const char *token, time_t now,
				const struct session_lifetimes *life, struct session **out)
{
	unsigned char hash[AUTH_TOKEN_HASH_BYTES];
	if (!token || !auth_token_hash(token, hash))
		return SESSION_NONE;
	struct db_stmt *st = store_stmt(store,
		"SELECT s.staff_id, st.username, st.name, s.branch_code, s.terminal,"
		" s.last_seen, s.expires_at, st.disabled,"
		" (SELECT group_concat(role) FROM staff_roles WHERE staff_id = st.id)"
		" FROM sessions s JOIN staff st ON st.id = s.staff_id WHERE s.token_hash = ?");
	db_bind_blob(st, 1, hash, sizeof hash);
	int rc = db_step(st);
	if (rc != DB_ROW) {
		store_done(st);
		if (rc == DB_DONE)
			return SESSION_NONE;
		log_error("database: reading a session: %s", store_errmsg(store));
		return SESSION_STORE_FAILED;
	}
	time_t last_seen = (time_t)db_column_int64(st, 5);
	time_t expires_at = (time_t)db_column_int64(st, 6);
	bool disabled = db_column_int(st, 7) != 0;
	if (disabled || now >= expires_at || now >= last_seen + (time_t)life->idle_seconds) {
		store_done(st);
		session_delete(store, hash);
		return SESSION_NONE;
	}
	struct session *s = xcalloc(1, sizeof *s);
	s->staff_id = db_column_int64(st, 0);
	s->username = text_dup(st, 1);
	s->name = text_dup(st, 2);
	s->branch = text_dup(st, 3);
	s->terminal = text_dup(st, 4);
	s->expires_at = expires_at;
	s->roles = staff_roles_from_list(db_column_text(st, 8));
	memcpy(s->token_hash, hash, sizeof hash);
	store_done(st);
	/* Writing last_seen on every call would make every read a write; a
	 * coarse mark is enough for an idle time of minutes. */
	time_t step = (time_t)life->idle_seconds / 8;
	if (now - last_seen > (step < 30 ? step : 30) && !touch(store, hash, now))
		log_warn("database: cannot mark a session as seen: %s",
			 store_errmsg(store));
	*out = s;
	return SESSION_VALID;
}

bool session_delete(struct store *store, const unsigned char hash[AUTH_TOKEN_HASH_BYTES])
{
	struct db_stmt *st = store_stmt(store, "DELETE FROM sessions WHERE token_hash = ?");
	db_bind_blob(st, 1, hash, AUTH_TOKEN_HASH_BYTES);
	bool ok = db_step(st) == DB_DONE;
	if (!ok)
		log_error("database: ending a session: %s", store_errmsg(store));
	store_done(st);
	return ok;
}

bool session_purge(struct store *store, const struct session_lifetimes *life, time_t now)
{
	struct db_stmt *st = store_stmt(store,
		"DELETE FROM sessions WHERE expires_at <= ? OR last_seen <= ?");
	db_bind_int64(st, 1, (long long)now);
	db_bind_int64(st, 2, (long long)(now - (time_t)life->idle_seconds));
	bool ok = db_step(st) == DB_DONE;
	store_done(st);
	return ok;
}

void session_free(struct session *s)
{
	if (!s)
		return;
	free(s->username);
	free(s->name);
	free(s->branch);
	free(s->terminal);
	free(s);
}

long long session_count_live(struct store *store, const struct session_lifetimes *life,
			     time_t now)
{
	struct db_stmt *st = store_stmt(store,
		"SELECT count(*) FROM sessions WHERE expires_at > ? AND last_seen > ?");
	db_bind_int64(st, 1, (long long)now);
	db_bind_int64(st, 2, (long long)(now - (time_t)life->idle_seconds));
	long long n = db_step(st) == DB_ROW ? db_column_int64(st, 0) : -1;
	if (n < 0)
		log_error("database: counting sessions: %s", store_errmsg(store));
	store_done(st);
	return n;
}
