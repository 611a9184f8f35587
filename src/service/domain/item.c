#include "service/domain/item.h"

#include "core/log.h"
#include "core/validate.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fills v from a row of the look-up's query. */
static void view_read(struct db_stmt *st, struct item_view *v)
{
	v->item.id = db_column_int64(st, 0);
	v->item.barcode = db_column_dup(st, 1);
	v->item.title = db_column_dup(st, 2);
	v->item.author = db_column_dup(st, 3);
	v->item.type = db_column_dup(st, 4);
	v->item.home_branch = db_column_dup(st, 5);
	v->item.current_branch = db_column_dup(st, 6);
	v->item.status = db_column_dup(st, 7);
	v->item.title_id = db_column_int64(st, 8);
	v->status = db_column_dup(st, 9);
	v->status_reason = db_column_dup(st, 10);
	const char *due = db_column_text(st, 11);
	snprintf(v->due_on, sizeof v->due_on, "%s", due ? (const char *)due : "");
	v->borrower_card = db_column_dup(st, 12);
	v->borrower_name = db_column_dup(st, 13);
	v->last_checkin_at = (time_t)db_column_int64(st, 14);
	v->note = db_column_dup(st, 15);
	v->note_alert = db_column_int(st, 16) != 0;
	v->holds_waiting = (unsigned)db_column_int(st, 17);
}

enum circ_status item_view_find(struct store *store, const char *barcode, struct item_view *out)
{
	memset(out, 0, sizeof *out);
	struct db_stmt *st = store_stmt(store,
		"SELECT i.id, i.barcode, t.title, t.author, i.item_type, i.home_branch,"
		" i.current_branch, i.status, i.title_id, coalesce(s.status, i.status), s.reason,"
		" l.due_on, p.card, p.given_name || ' ' || p.family_name, i.last_checkin_at,"
		" i.note, i.note_alert,"
		" (SELECT count(*) FROM holds h WHERE h.status = 'waiting' AND (h.title_id = i.title_id"
		"   OR h.item_id IN (SELECT c.id FROM items c WHERE c.title_id = i.title_id)))"
		" FROM items i JOIN titles t ON t.id = i.title_id"
		" LEFT JOIN item_statuses s ON s.item_id = i.id"
		" LEFT JOIN loans l ON l.item_id = i.id AND l.returned_at IS NULL"
		" LEFT JOIN patrons p ON p.id = l.patron_id"
		" WHERE i.barcode = ?");
	db_bind_text(st, 1, barcode, -1);
	int rc = db_step(st);
	if (rc == DB_ROW)
		view_read(st, out);
	store_done(st);
	if (rc != DB_ROW && rc != DB_DONE) {
		store_failed(store, "reading an item");
		return CIRC_STORE_FAILED;
	}
	return rc == DB_ROW ? CIRC_OK : CIRC_ITEM_NOT_FOUND;
}

void item_view_clear(struct item_view *v)
{
	circ_item_clear(&v->item);
	free(v->status);
	free(v->status_reason);
	free(v->borrower_card);
	free(v->borrower_name);
	free(v->note);
	memset(v, 0, sizeof *v);
}

bool item_checked_in(const struct circ_ctx *ctx, long long item_id)
{
	struct db_stmt *st = store_stmt(ctx->store, "UPDATE items SET last_checkin_at = ? WHERE id = ?");
	db_bind_int64(st, 1, (long long)ctx->now);
	db_bind_int64(st, 2, item_id);
	return store_run(ctx->store, st, "noting a check-in");
}

enum circ_status item_in_house(const struct circ_ctx *ctx, const char *barcode,
			       struct circ_item_rec *out)
{
	enum circ_status s = circ_item_find(ctx, barcode, out);
	if (s != CIRC_OK)
		return s;
	struct db_stmt *st = store_stmt(ctx->store,
		"INSERT INTO loan_stats (day, branch_code, item_type, patron_category, action, count)"
		" VALUES (?, ?, ?, 'none', 'in_house', 1) ON CONFLICT (day, branch_code, item_type,"
		" patron_category, action) DO UPDATE SET count = count + 1");
	db_bind_text(st, 1, ctx->today, -1);
	db_bind_text(st, 2, ctx->branch, -1);
	db_bind_text(st, 3, out->type, -1);
	bool ok = db_step(st) == DB_DONE;
	store_done(st);
	return ok || store_failed(ctx->store, "counting in-house use") ? CIRC_OK : CIRC_STORE_FAILED;
}

char *item_alert_dup(struct store *store, long long item_id)
{
	struct db_stmt *st = store_stmt(store,
		"SELECT note FROM items WHERE id = ? AND note_alert = 1 AND note IS NOT NULL");
	db_bind_int64(st, 1, item_id);
	int rc = db_step(st);
	char *note = rc == DB_ROW ? db_column_dup(st, 0) : NULL;
	store_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		store_failed(store, "reading an item's note");
	return note;
}

bool item_code_is_card(struct store *store, const struct rules *rules, const char *code)
{
	if (validate_card(code) && strncmp(code, rules->card_prefix, strlen(rules->card_prefix)) == 0)
		return true;
	struct db_stmt *st = store_stmt(store, "SELECT 1 FROM patrons WHERE card = ?");
	db_bind_text(st, 1, code, -1);
	bool known = db_step(st) == DB_ROW;
	store_done(st);
	return known;
}

enum circ_status item_note_set(struct store *store, const char *barcode, const char *note,
			       bool alert)
{
	bool none = !note || !note[0];
	struct db_stmt *st = store_stmt(store,
		"UPDATE items SET note = ?, note_alert = ? WHERE barcode = ?");
	if (!none)
		db_bind_text(st, 1, note, -1);
	db_bind_int64(st, 2, alert && !none);
	db_bind_text(st, 3, barcode, -1);
	bool ok = db_step(st) == DB_DONE;
	store_done(st);
	if (!ok) {
		store_failed(store, "setting an item's note");
		return CIRC_STORE_FAILED;
	}
	return store_changes(store) > 0 ? CIRC_OK : CIRC_ITEM_NOT_FOUND;
}
