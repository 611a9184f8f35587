#include "service/domain/patron.h"

#include "core/log.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { PATRON_QUERY_WORDS = 5 };

static const char *text(struct db_stmt *st, int col)
{
	const char *t = db_column_text(st, col);
	return t ? t : "";
}

/* Hands back st and tells whether its rows ran out cleanly (rc is the
 * last step's), logging the store's reason when not. */
static bool rows_done(struct store *store, struct db_stmt *st, int rc, const char *what)
{
	bool ok = rc == DB_DONE;
	if (!ok)
		log_error("database: %s: %s", what, store_errmsg(store));
	store_done(st);
	return ok;
}

bool patron_each_loan(struct store *store, long long patron_id, const char *today,
		      patron_loan_fn fn, void *ctx)
{
	struct db_stmt *st = store_stmt(store,
		"SELECT i.barcode, t.title, t.author, i.item_type, l.due_on, l.renewals"
		" FROM loans l JOIN items i ON i.id = l.item_id JOIN titles t ON t.id = i.title_id"
		" WHERE l.patron_id = ? AND l.returned_at IS NULL ORDER BY l.due_on, t.title");
	db_bind_int64(st, 1, patron_id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct patron_loan loan = {
			.item_barcode = text(st, 0),
			.title = text(st, 1),
			.author = text(st, 2),
			.item_type = text(st, 3),
			.due_on = text(st, 4),
			.overdue = strcmp(text(st, 4), today) < 0,
			.renewals = db_column_int(st, 5),
		};
		fn(ctx, &loan);
	}
	return rows_done(store, st, rc, "reading a patron's loans");
}

/* Hands each row of st (barcode, title, pickup branch, ready_since or
 * status, pickup_by) to fn, and st back. */
static bool each_hold(struct store *store, struct db_stmt *st, bool ready, patron_hold_fn fn,
		      void *ctx)
{
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct patron_hold h = {
			.item_barcode = text(st, 0),
			.title = text(st, 1),
			.pickup_branch = text(st, 2),
			.status = ready ? "ready" : text(st, 3),
			.pickup_by = text(st, 4),
		};
		if (ready && db_column_type(st, 3) != DB_NULL)
			date_format_iso(date_of_time((time_t)db_column_int64(st, 3)),
					h.ready_since);
		fn(ctx, &h);
	}
	return rows_done(store, st, rc, "reading a patron's holds");
}

bool patron_each_ready_hold(struct store *store, long long patron_id, patron_hold_fn fn,
			    void *ctx)
{
	struct db_stmt *st = store_stmt(store,
		"SELECT i.barcode, t.title, h.pickup_branch, h.ready_since, h.pickup_by"
		" FROM holds h JOIN items i ON i.id = h.item_id JOIN titles t ON t.id = i.title_id"
		" WHERE h.patron_id = ? AND h.status = 'ready' ORDER BY h.ready_since, h.id");
	db_bind_int64(st, 1, patron_id);
	return each_hold(store, st, true, fn, ctx);
}

bool patron_holds_waiting(struct store *store, long long patron_id, int *count)
{
	struct db_stmt *st = store_stmt(store, "SELECT count(*) FROM holds WHERE patron_id = ?"
					     " AND status IN ('waiting', 'in_transit')");
	db_bind_int64(st, 1, patron_id);
	int rc = db_step(st);
	*count = rc == DB_ROW ? db_column_int(st, 0) : 0;
	if (rc != DB_ROW)
		log_error("database: counting a patron's holds: %s",
			  store_errmsg(store));
	store_done(st);
	return rc == DB_ROW;
}

/* Escapes LIKE's wildcards so that a typed % or _ is just a character. */
static char *like_pattern_dup(const char *word, size_t len)
{
	char *out = xmalloc(2 * len + 3);
	size_t n = 0;
	out[n++] = '%';
	for (size_t i = 0; i < len; i++) {
		if (word[i] == '%' || word[i] == '_' || word[i] == '\\')
			out[n++] = '\\';
		out[n++] = word[i];
	}
	out[n++] = '%';
	out[n] = '\0';
	return out;
}

/* Splits q into at most PATRON_QUERY_WORDS LIKE patterns; returns how many. */
static size_t query_words(const char *q, char *words[PATRON_QUERY_WORDS])
{
	size_t n = 0;
	while (q && *q && n < PATRON_QUERY_WORDS) {
		while (*q == ' ')
			q++;
		size_t len = strcspn(q, " ");
		if (len)
			words[n++] = like_pattern_dup(q, len);
		q += len;
	}
	return n;
}

/* Runs the search with its words bound; the caller frees them. */
static bool search_rows(struct store *store, char *const *words, size_t n,
			const char *birth_date, size_t max, patron_match_fn fn, void *ctx,
			bool *truncated)
{
	/* Unused word slots match everything ('%'). */
	struct db_stmt *st = store_stmt(store,
		"SELECT card, given_name, family_name, birth_date, category, home_branch, expires_on"
		" FROM patrons WHERE (?6 IS NULL OR birth_date = ?6)"
		" AND given_name || ' ' || family_name LIKE ?1 ESCAPE '\\'"
		" AND given_name || ' ' || family_name LIKE ?2 ESCAPE '\\'"
		" AND given_name || ' ' || family_name LIKE ?3 ESCAPE '\\'"
		" AND given_name || ' ' || family_name LIKE ?4 ESCAPE '\\'"
		" AND given_name || ' ' || family_name LIKE ?5 ESCAPE '\\'"
		" ORDER BY family_name, given_name, birth_date LIMIT ?7");
	for (int i = 0; i < PATRON_QUERY_WORDS; i++)
		db_bind_text(st, i + 1, (size_t)i < n ? words[i] : "%", -1);
	if (birth_date && *birth_date)
		db_bind_text(st, 6, birth_date, -1);
	db_bind_int64(st, 7, (long long)max + 1);
	int rc;
	size_t count = 0;
	while ((rc = db_step(st)) == DB_ROW && count < max) {
		struct patron_match m = {
			.card = text(st, 0),
			.given_name = text(st, 1),
			.family_name = text(st, 2),
			.birth_date = text(st, 3),
			.category = text(st, 4),
			.home_branch = text(st, 5),
			.expires_on = text(st, 6),
		};
		fn(ctx, &m);
		count++;
	}
	*truncated = rc == DB_ROW;
	return rows_done(store, st, rc == DB_ROW ? DB_DONE : rc, "searching patrons");
}

enum patron_search_status patron_search(struct store *store, const char *q,
					const char *birth_date, size_t max, patron_match_fn fn,
					void *ctx, bool *truncated)
{
	*truncated = false;
	char *words[PATRON_QUERY_WORDS];
	size_t n = query_words(q, words);
	if (n == 0 && !(birth_date && *birth_date))
		return PATRON_SEARCH_NO_CRITERIA;
	bool ok = search_rows(store, words, n, birth_date, max, fn, ctx, truncated);
	for (size_t i = 0; i < n; i++)
		free(words[i]);
	return ok ? PATRON_SEARCH_OK : PATRON_SEARCH_FAILED;
}
