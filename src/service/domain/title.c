#include "service/domain/title.h"

#include "core/log.h"
#include "core/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TITLE_WORDS_MAX = 8, TITLE_BRANCHES_MAX = 32 };
/* Each pass ranks at most this many of its matches (the first in the
 * index): ranking every title that holds a common word of a million costs
 * half a second, these a few milliseconds. */
enum { TITLE_CANDIDATES = 500 };

static bool failed(struct store *store, const char *what)
{
	log_error("database: %s: %s", what, store_errmsg(store));
	return false;
}

static const char *text_or_null(struct db_stmt *st, int col)
{
	return db_column_text(st, col);
}

/* The digits (and a final X) of q when nothing else but hyphens and spaces
 * is in it; false when there are more than 13. */
static bool isbn_digits(const char *q, char *out, size_t *n)
{
	*n = 0;
	for (; *q; q++) {
		if (*q == '-' || *q == ' ')
			continue;
		bool x = (*q == 'X' || *q == 'x') && *n == 9;
		if ((!isdigit((unsigned char)*q) && !x) || *n == 13)
			return false;
		out[(*n)++] = x ? 'X' : *q;
	}
	out[*n] = '\0';
	return true;
}

static char isbn13_check(const char *d)
{
	unsigned sum = 0;
	for (int i = 0; i < 12; i++)
		sum += (unsigned)(d[i] - '0') * (i % 2 ? 3u : 1u);
	return (char)('0' + (10 - sum % 10) % 10);
}

static bool isbn10_ok(const char *d)
{
	unsigned sum = 0;
	for (int i = 0; i < 10; i++)
		sum += (unsigned)(10 - i) * (d[i] == 'X' ? 10u : (unsigned)(d[i] - '0'));
	return sum % 11 == 0;
}

bool title_isbn13(const char *q, char out[TITLE_ISBN_LEN])
{
	char d[TITLE_ISBN_LEN];
	size_t n;
	if (!isbn_digits(q, d, &n))
		return false;
	if (n == 13 && !strchr(d, 'X') && isbn13_check(d) == d[12]) {
		memcpy(out, d, TITLE_ISBN_LEN);
		return true;
	}
	if (n != 10 || !isbn10_ok(d))
		return false;
	snprintf(out, TITLE_ISBN_LEN, "978%.9s", d);
	out[12] = isbn13_check(out);
	out[13] = '\0';
	return true;
}

/* The full-text query of q's words, each a prefix, all of them or (any)
 * one: FTS5's "word"* joined by spaces or OR on SQLite, a tsquery's
 * 'word':* joined by & or | on PostgreSQL. NULL when q holds no word. A
 * word is a run of ASCII letters and digits and of bytes of other UTF-8
 * characters, so no quote or operator of either gets in. */
static char *fts_query_dup(enum store_kind kind, const char *q, bool any, unsigned *words)
{
	bool pg = kind == STORE_POSTGRESQL;
	const char *joiner = pg ? (any ? " | " : " & ") : (any ? " OR " : " ");
	size_t cap = strlen(q) * 2 + 64;
	char *out = xmalloc(cap);
	size_t at = 0;
	*words = 0;
	for (const char *p = q; *p && *words < TITLE_WORDS_MAX;) {
		while (*p && !isalnum((unsigned char)*p) && (unsigned char)*p < 0x80)
			p++;
		const char *start = p;
		while (*p && (isalnum((unsigned char)*p) || (unsigned char)*p >= 0x80))
			p++;
		if (p == start)
			continue;
		const char *pre = *words ? joiner : "";
		int n = (int)(p - start);
		at += (size_t)(pg ? snprintf(out + at, cap - at, "%s'%.*s':*", pre, n, start)
				  : snprintf(out + at, cap - at, "%s\"%.*s\"*", pre, n, start));
		(*words)++;
	}
	if (!*words) {
		free(out);
		return NULL;
	}
	return out;
}

struct title_ids {
	long long *id;
	size_t n, cap;
};

static void ids_add(struct title_ids *ids, long long id)
{
	for (size_t i = 0; i < ids->n; i++)
		if (ids->id[i] == id)
			return;
	if (ids->n < ids->cap)
		ids->id[ids->n++] = id;
}

/* Adds the ids st answers (its first column) until ids is full. */
static bool ids_from(struct store *store, struct db_stmt *st, struct title_ids *ids)
{
	int rc;
	while (ids->n < ids->cap && (rc = db_step(st)) == DB_ROW)
		ids_add(ids, db_column_int64(st, 0));
	rc = ids->n < ids->cap ? rc : DB_DONE;
	store_done(st);
	return rc == DB_DONE || failed(store, "searching titles");
}

static bool ids_matching(struct store *store, const char *match, struct title_ids *ids)
{
	struct db_stmt *st = store_kind(store) == STORE_POSTGRESQL
		? store_stmt(store,
			"SELECT id FROM (SELECT id, ts_rank(v, q) AS r FROM titles,"
			" to_tsvector('simple', balied_fold(title || ' ' || author)) v,"
			" to_tsquery('simple', balied_fold(?1)) q WHERE v @@ q LIMIT ?3) m"
			" ORDER BY r DESC, id LIMIT ?2")
		: store_stmt(store,
			"SELECT id FROM (SELECT rowid AS id, rank AS r FROM titles_fts"
			" WHERE titles_fts MATCH ?1 LIMIT ?3) ORDER BY r LIMIT ?2");
	db_bind_text(st, 1, match, -1);
	/* The matches of an earlier pass come again: room for them too. */
	db_bind_int64(st, 2, (long long)(ids->cap + ids->n));
	db_bind_int64(st, 3, TITLE_CANDIDATES);
	return ids_from(store, st, ids);
}

/* The copies of title m->id per home branch, into branches and m. */
static bool copies_of(struct store *store, struct title_match *m, struct title_branch *branches,
		      char (*codes)[17])
{
	struct db_stmt *st = store_stmt(store,
		"SELECT home_branch, count(*),"
		" count(*) FILTER (WHERE status = 'available' AND current_branch = home_branch)"
		" FROM items WHERE title_id = ? GROUP BY home_branch ORDER BY home_branch");
	db_bind_int64(st, 1, m->id);
	int rc;
	size_t n = 0;
	while ((rc = db_step(st)) == DB_ROW && n < TITLE_BRANCHES_MAX) {
		snprintf(codes[n], 17, "%s", db_column_text(st, 0));
		branches[n] = (struct title_branch){ .branch = codes[n],
			.copies = (unsigned)db_column_int(st, 1),
			.on_shelf = (unsigned)db_column_int(st, 2) };
		m->copies += branches[n].copies;
		m->on_shelf += branches[n].on_shelf;
		n++;
	}
	store_done(st);
	m->branches = branches;
	m->n_branches = n;
	return rc == DB_DONE || rc == DB_ROW || failed(store, "counting copies");
}

static bool title_show(struct store *store, long long id, title_match_fn fn, void *ctx)
{
	struct db_stmt *st = store_stmt(store,
		"SELECT title, author, coalesce(year, 0), isbn, ppn FROM titles WHERE id = ?");
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	bool ok = rc == DB_ROW;
	if (ok) {
		struct title_match m = { .id = id, .title = text_or_null(st, 0),
			.author = text_or_null(st, 1), .year = db_column_int(st, 2),
			.isbn = text_or_null(st, 3), .ppn = text_or_null(st, 4) };
		struct title_branch branches[TITLE_BRANCHES_MAX];
		char codes[TITLE_BRANCHES_MAX][17];
		ok = copies_of(store, &m, branches, codes);
		if (ok)
			fn(ctx, &m);
	}
	store_done(st);
	return ok || failed(store, "reading a title");
}

/* The ids of q's matches in rank order, at most ids->cap. */
static enum title_search_status ids_of(struct store *store, const char *q, struct title_ids *ids)
{
	char isbn[TITLE_ISBN_LEN];
	bool is_isbn = title_isbn13(q, isbn);
	if (is_isbn) {
		struct db_stmt *st = store_stmt(store, "SELECT id FROM titles WHERE isbn = ?"
						     " ORDER BY id LIMIT ?");
		db_bind_text(st, 1, isbn, -1);
		db_bind_int64(st, 2, (long long)ids->cap);
		if (!ids_from(store, st, ids))
			return TITLE_SEARCH_FAILED;
	}
	unsigned words;
	char *all = fts_query_dup(store_kind(store), q, false, &words);
	if (!all)
		return is_isbn ? TITLE_SEARCH_OK : TITLE_SEARCH_NO_WORDS;
	bool ok = ids_matching(store, all, ids);
	free(all);
	if (ok && words > 1 && ids->n < ids->cap) {
		char *any = fts_query_dup(store_kind(store), q, true, &words);
		ok = ids_matching(store, any, ids);
		free(any);
	}
	return ok ? TITLE_SEARCH_OK : TITLE_SEARCH_FAILED;
}

enum title_search_status title_search(struct store *store, const char *q, size_t max,
				      title_match_fn fn, void *ctx, bool *truncated)
{
	*truncated = false;
	struct title_ids ids = { .id = xcalloc(max + 1, sizeof *ids.id), .cap = max + 1 };
	enum title_search_status s = ids_of(store, q, &ids);
	*truncated = ids.n > max;
	for (size_t i = 0; s == TITLE_SEARCH_OK && i < ids.n && i < max; i++)
		if (!title_show(store, ids.id[i], fn, ctx))
			s = TITLE_SEARCH_FAILED;
	free(ids.id);
	return s;
}
