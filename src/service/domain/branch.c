#include "service/domain/branch.h"

#include "service/domain/audit.h"
#include "core/log.h"

#include <string.h>

enum { BRANCH_CODE_MAX = 16 };

bool branch_code_ok(const char *code)
{
	size_t len = strlen(code);
	if (len < 1 || len > BRANCH_CODE_MAX)
		return false;
	for (; *code; code++)
		if (!((*code >= 'A' && *code <= 'Z') || (*code >= '0' && *code <= '9')))
			return false;
	return true;
}

bool branch_weekdays_ok(const char *days)
{
	if (!*days || strlen(days) > 7)
		return false;
	for (const char *d = days; *d; d++)
		if (*d < '1' || *d > '7' || strchr(d + 1, *d))
			return false;
	return true;
}

static const char *text_or_null(struct db_stmt *st, int col)
{
	return db_column_text(st, col);
}

/* Hands each row of st (code, name, open_weekdays and, with_closed, the
 * closed days) to fn, and st back. */
static bool each_row(struct store *store, struct db_stmt *st, bool with_closed, branch_fn fn,
		     void *ctx)
{
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct branch_row b = {
			.code = text_or_null(st, 0),
			.name = text_or_null(st, 1),
			.open_weekdays = text_or_null(st, 2),
			.closed = with_closed ? text_or_null(st, 3) : NULL,
		};
		fn(ctx, &b);
	}
	if (rc != DB_DONE)
		log_error("database: listing branches: %s", store_errmsg(store));
	store_done(st);
	return rc == DB_DONE;
}

bool branch_each(struct store *store, branch_fn fn, void *ctx)
{
	struct db_stmt *st = store_stmt(store,
		"SELECT code, name, open_weekdays FROM branches ORDER BY code");
	return each_row(store, st, false, fn, ctx);
}

bool branch_each_summary(struct store *store, branch_fn fn, void *ctx)
{
	struct db_stmt *st = store_stmt(store,
		"SELECT code, name, open_weekdays, (SELECT group_concat(date, ' ') FROM"
		" (SELECT date FROM branch_closed_dates WHERE branch_code = code ORDER BY date))"
		" FROM branches ORDER BY code");
	return each_row(store, st, true, fn, ctx);
}

bool branch_each_closed_from(struct store *store, const char *code, const char *from,
			     branch_date_fn fn, void *ctx)
{
	struct db_stmt *st = store_stmt(store,
		"SELECT date FROM branch_closed_dates WHERE branch_code = ? AND date >= ?"
		" ORDER BY date");
	db_bind_text(st, 1, code, -1);
	db_bind_text(st, 2, from, -1);
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		fn(ctx, db_column_text(st, 0));
	if (rc != DB_DONE)
		log_error("database: listing closed days: %s", store_errmsg(store));
	store_done(st);
	return rc == DB_DONE;
}

/* Runs one statement with up to three text parameters in a transaction with
 * its audit entry. */
static bool change(struct store *store, const char *sql, const char *a, const char *b,
		   const char *c, time_t now, const char *action, const char *subject)
{
	bool ok = store_begin(store);
	if (ok) {
		struct db_stmt *st = store_stmt(store, sql);
		db_bind_text(st, 1, a, -1);
		db_bind_text(st, 2, b, -1);
		if (c)
			db_bind_text(st, 3, c, -1);
		ok = db_step(st) == DB_DONE;
		store_done(st);
		ok = ok && audit_add(store, NULL, now, action, subject, NULL, NULL) &&
		     store_commit(store);
		store_rollback(store);
	}
	return ok;
}

bool branch_add(struct store *store, const char *code, const char *name, const char *days,
		time_t now)
{
	return change(store, "INSERT INTO branches (code, name, open_weekdays) VALUES (?, ?, ?)",
		      code, name, days, now, "branch_add", code);
}

bool branch_set_closed(struct store *store, const char *code, const char *date, bool closed,
		       time_t now)
{
	if (closed)
		return change(store, "INSERT INTO branch_closed_dates"
				     " (branch_code, date) VALUES (?, ?) ON CONFLICT DO NOTHING",
			      code, date, NULL, now, "branch_close", code);
	return change(store, "DELETE FROM branch_closed_dates WHERE branch_code = ? AND date = ?",
		      code, date, NULL, now, "branch_open", code);
}
