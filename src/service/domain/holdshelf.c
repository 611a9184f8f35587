#include "service/domain/holdshelf.h"

#include "core/log.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The holds whose copy is still on the shelf after the hold ended there. */
#define HOLDSHELF_TO_PULL                                                    \
	" h.status IN ('expired', 'cancelled') AND h.ready_since IS NOT NULL" \
	" AND h.item_id IS NOT NULL AND h.cleared_at IS NULL"

/* The columns of every row: hold, copy, title, patron, and the notice. */
#define HOLDSHELF_COLUMNS                                                               \
	"SELECT h.id, i.barcode, t.title, h.status, coalesce(h.pickup_by, ''),"          \
	" p.given_name, p.family_name, p.card, coalesce(p.email, ''), p.phone,"          \
	" (SELECT count(*) FROM notices n WHERE n.hold_id = h.id),"                      \
	" (SELECT count(*) FROM notices n WHERE n.hold_id = h.id AND n.sent_at IS NOT NULL)" \
	" FROM holds h JOIN patrons p ON p.id = h.patron_id JOIN items i ON i.id = h.item_id" \
	" JOIN titles t ON t.id = i.title_id"

/* A row read, its strings owned. */
struct shelf_row {
	long long hold_id;
	char *barcode, *title, *status, *pickup_by, *name, *phone, *card;
	char initials[CIRC_INITIALS_LEN];
	char last4[5];
	bool has_email, noticed, sent;
};

struct shelf_rows {
	struct shelf_row *v;
	size_t n, cap;
};

static char *col_dup(struct db_stmt *st, int col)
{
	const char *t = db_column_text(st, col);
	return xstrdup(t ? t : "");
}

static void row_read(struct db_stmt *st, struct shelf_row *r)
{
	memset(r, 0, sizeof *r);
	r->hold_id = db_column_int64(st, 0);
	r->barcode = col_dup(st, 1);
	r->title = col_dup(st, 2);
	r->status = col_dup(st, 3);
	r->pickup_by = col_dup(st, 4);
	const char *given = db_column_text(st, 5);
	const char *family = db_column_text(st, 6);
	circ_initials(given, family, r->initials);
	r->name = xasprintf("%s %s", given ? given : "", family ? family : "");
	r->card = col_dup(st, 7);
	size_t len = strlen(r->card);
	snprintf(r->last4, sizeof r->last4, "%s", len > 4 ? r->card + len - 4 : r->card);
	r->has_email = db_column_bytes(st, 8) > 0;
	r->phone = db_column_type(st, 9) == DB_NULL ? NULL : col_dup(st, 9);
	r->noticed = db_column_int64(st, 10) > 0;
	r->sent = db_column_int64(st, 11) > 0;
}

static void rows_free(struct shelf_rows *rows)
{
	for (size_t i = 0; i < rows->n; i++) {
		struct shelf_row *r = &rows->v[i];
		free(r->barcode);
		free(r->title);
		free(r->status);
		free(r->pickup_by);
		free(r->name);
		free(r->phone);
		free(r->card);
	}
	free(rows->v);
	*rows = (struct shelf_rows){ 0 };
}

/* As the shelf is: initials, then the card's last digits, then the copy. */
static int row_cmp(const void *a, const void *b)
{
	const struct shelf_row *x = a, *y = b;
	int c = strcmp(x->initials, y->initials);
	if (!c)
		c = strcmp(x->last4, y->last4);
	return c ? c : strcmp(x->barcode, y->barcode);
}

static bool rows_read(struct store *store, struct db_stmt *st, struct shelf_rows *rows)
{
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (rows->n == rows->cap) {
			rows->cap = rows->cap ? 2 * rows->cap : 16;
			rows->v = xrealloc(rows->v, rows->cap * sizeof *rows->v);
		}
		row_read(st, &rows->v[rows->n++]);
	}
	store_done(st);
	if (rc != DB_DONE)
		return store_failed(store, "reading the hold shelf");
	if (rows->n > 1)
		qsort(rows->v, rows->n, sizeof *rows->v, row_cmp);
	return true;
}

static void emit(const struct shelf_row *r, enum holdshelf_list list, holdshelf_fn fn, void *ctx)
{
	bool personal = list == HOLDSHELF_TO_PHONE || list == HOLDSHELF_NOT_TOLD;
	struct holdshelf_row out = {
		.list = list, .hold_id = r->hold_id, .item_barcode = r->barcode, .title = r->title,
		.status = r->status, .pickup_by = r->pickup_by, .initials = r->initials,
		.card_last4 = r->last4, .name = personal ? r->name : NULL,
		.phone = list == HOLDSHELF_TO_PHONE ? r->phone : NULL, .told = r->sent,
	};
	fn(ctx, &out);
}

bool holdshelf_each(struct store *store, const char *branch, time_t since, holdshelf_fn fn,
		    void *ctx)
{
	struct shelf_rows pull = { 0 }, ready = { 0 };
	struct db_stmt *st = store_stmt(store, HOLDSHELF_COLUMNS
		" WHERE" HOLDSHELF_TO_PULL " AND h.pickup_branch = ?1 AND h.ended_at >= ?2");
	db_bind_text(st, 1, branch, -1);
	db_bind_int64(st, 2, (long long)since);
	bool ok = rows_read(store, st, &pull);
	if (ok) {
		st = store_stmt(store, HOLDSHELF_COLUMNS
			" WHERE h.status = 'ready' AND h.pickup_branch = ?1");
		db_bind_text(st, 1, branch, -1);
		ok = rows_read(store, st, &ready);
	}
	for (size_t i = 0; ok && i < pull.n; i++)
		emit(&pull.v[i], HOLDSHELF_EXPIRED, fn, ctx);
	for (size_t i = 0; ok && i < ready.n; i++)
		emit(&ready.v[i], HOLDSHELF_WAITING, fn, ctx);
	/* No address and no notice: only a phone call tells them. */
	for (size_t i = 0; ok && i < ready.n; i++)
		if (!ready.v[i].has_email && !ready.v[i].noticed)
			emit(&ready.v[i], HOLDSHELF_TO_PHONE, fn, ctx);
	for (size_t i = 0; ok && i < ready.n; i++)
		if (ready.v[i].has_email && !ready.v[i].sent)
			emit(&ready.v[i], HOLDSHELF_NOT_TOLD, fn, ctx);
	rows_free(&pull);
	rows_free(&ready);
	return ok;
}

/* ---- clearing ---- */

static enum holdshelf_status item_read(const struct circ_ctx *ctx, const char *barcode,
				       struct circ_item_rec *item)
{
	memset(item, 0, sizeof *item);
	struct db_stmt *st = store_stmt(ctx->store,
		"SELECT i.id, i.title_id, i.barcode, t.title, i.status, i.home_branch"
		" FROM items i JOIN titles t ON t.id = i.title_id WHERE i.barcode = ?");
	db_bind_text(st, 1, barcode, -1);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		item->id = db_column_int64(st, 0);
		item->title_id = db_column_int64(st, 1);
		item->barcode = col_dup(st, 2);
		item->title = col_dup(st, 3);
		item->status = col_dup(st, 4);
		item->home_branch = col_dup(st, 5);
	}
	store_done(st);
	if (rc == DB_ROW)
		return HOLDSHELF_OK;
	if (rc != DB_DONE) {
		store_failed(ctx->store, "reading an item");
		return HOLDSHELF_STORE_FAILED;
	}
	return HOLDSHELF_ITEM_NOT_FOUND;
}

/* Clears the to-pull rows of item at the desk's branch; *n of them. */
static bool pull_rows_clear(const struct circ_ctx *ctx, long long item_id, int *n)
{
	struct db_stmt *st = store_stmt(ctx->store,
		"UPDATE holds AS h SET cleared_at = ?1 WHERE" HOLDSHELF_TO_PULL
		" AND h.item_id = ?2 AND h.pickup_branch = ?3");
	db_bind_int64(st, 1, (long long)ctx->now);
	db_bind_int64(st, 2, item_id);
	db_bind_text(st, 3, ctx->branch, -1);
	bool ok = db_step(st) == DB_DONE;
	store_done(st);
	*n = ok ? (int)store_changes(ctx->store) : 0;
	return ok || store_failed(ctx->store, "clearing the hold shelf");
}

/* The hold the copy went to when its hold ended, with status status. */
static bool next_hold(const struct circ_ctx *ctx, long long item_id, const char *status,
		      struct circ_checkin_res *res)
{
	struct db_stmt *st = store_stmt(ctx->store,
		"SELECT h.pickup_branch, p.given_name, p.family_name, coalesce(h.pickup_by, ''),"
		" substr(p.card, -4)"
		" FROM holds h JOIN patrons p ON p.id = h.patron_id"
		" WHERE h.item_id = ? AND h.status = ? ORDER BY h.id DESC LIMIT 1");
	db_bind_int64(st, 1, item_id);
	db_bind_text(st, 2, status, -1);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		snprintf(res->route_branch, sizeof res->route_branch, "%s",
			 db_column_text(st, 0));
		circ_initials(db_column_text(st, 1),
			      db_column_text(st, 2), res->hold_for);
		snprintf(res->pickup_by, sizeof res->pickup_by, "%s",
			 db_column_text(st, 3));
		snprintf(res->hold_card4, sizeof res->hold_card4, "%s",
			 db_column_text(st, 4));
	}
	store_done(st);
	return rc == DB_ROW || rc == DB_DONE || store_failed(ctx->store, "reading a hold");
}

/* Where the copy goes: the state the end of its hold gave it (holds.c
 * passed it on as a check-in at the pickup branch would). */
static bool route_of(const struct circ_ctx *ctx, struct circ_checkin_res *res)
{
	const struct circ_item_rec *item = &res->item;
	if (strcmp(item->status, "hold_shelf") == 0) {
		res->route = CIRC_ROUTE_HOLD_SHELF;
		return next_hold(ctx, item->id, "ready", res);
	}
	if (strcmp(item->status, "in_transit") != 0) {
		res->route = CIRC_ROUTE_SHELVE;
		return true;
	}
	res->route = CIRC_ROUTE_TRANSIT;
	if (!next_hold(ctx, item->id, "in_transit", res))
		return false;
	if (!res->route_branch[0])
		snprintf(res->route_branch, sizeof res->route_branch, "%s", item->home_branch);
	return true;
}

enum holdshelf_status holdshelf_clear(const struct circ_ctx *ctx, const char *barcode,
				      struct circ_checkin_res *res)
{
	memset(res, 0, sizeof *res);
	enum holdshelf_status s = item_read(ctx, barcode, &res->item);
	if (s != HOLDSHELF_OK)
		return s;
	int n;
	if (!pull_rows_clear(ctx, res->item.id, &n))
		return HOLDSHELF_STORE_FAILED;
	if (n == 0)
		return HOLDSHELF_NOT_LISTED;
	return route_of(ctx, res) ? HOLDSHELF_OK : HOLDSHELF_STORE_FAILED;
}
