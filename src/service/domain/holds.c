#include "service/domain/holds.h"

#include "service/domain/account.h"
#include "service/domain/notices.h"

#include "core/log.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The holds of a title's queue: title-level ones on it and item-level ones
 * on its copies (h is the hold, t the title id). */
#define HOLDS_TITLE_OF(h) "coalesce(" h ".title_id, (SELECT x.title_id FROM items x" \
			  " WHERE x.id = " h ".item_id))"

enum { HOLDS_EXPIRE_BATCH = 100 };

/* ---- the queue of a copy ---- */

bool holds_first_for(const struct circ_ctx *ctx, const struct circ_item_rec *item,
		     unsigned scope, struct holds_first *out)
{
	memset(out, 0, sizeof *out);
	struct db_stmt *st = store_stmt(ctx->store,
		"SELECT h.id, h.patron_id, h.pickup_branch, h.status, p.given_name, p.family_name,"
		" h.pickup_by, substr(p.card, -4) FROM holds h JOIN patrons p ON p.id = h.patron_id"
		" WHERE (h.item_id = ?1 AND (h.status IN ('waiting', 'in_transit')"
		"   OR (?2 AND h.status = 'ready')))"
		" OR (?3 AND h.title_id = ?4 AND h.item_id IS NULL AND h.status = 'waiting')"
		" ORDER BY h.status = 'waiting', h.placed_at, h.id LIMIT 1");
	db_bind_int64(st, 1, item->id);
	db_bind_int64(st, 2, (scope & HOLDS_SHELF) != 0);
	db_bind_int64(st, 3, (scope & HOLDS_TITLE) != 0);
	db_bind_int64(st, 4, item->title_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		out->id = db_column_int64(st, 0);
		out->patron_id = db_column_int64(st, 1);
		db_column_copy(st, 2, out->pickup_branch, sizeof out->pickup_branch);
		db_column_copy(st, 3, out->status, sizeof out->status);
		circ_initials(db_column_text(st, 4),
			      db_column_text(st, 5), out->initials);
		db_column_copy(st, 6, out->pickup_by, sizeof out->pickup_by);
		db_column_copy(st, 7, out->card4, sizeof out->card4);
	}
	store_done(st);
	return rc == DB_ROW || rc == DB_DONE || store_failed(ctx->store, "reading holds");
}

bool holds_set(const struct circ_ctx *ctx, long long hold_id, const char *status,
	       long long item_id, const char *pickup_by)
{
	struct db_stmt *st = store_stmt(ctx->store,
		"UPDATE holds SET status = ?1,"
		" ready_since = CASE WHEN ?1 = 'ready' THEN ?2 ELSE ready_since END,"
		" ended_at = CASE WHEN ?1 IN ('fulfilled', 'cancelled', 'expired') THEN ?2"
		"   ELSE ended_at END,"
		" item_id = coalesce(?5, item_id),"
		" pickup_by = coalesce(?3, pickup_by) WHERE id = ?4");
	db_bind_text(st, 1, status, -1);
	db_bind_int64(st, 2, (long long)ctx->now);
	if (pickup_by)
		db_bind_text(st, 3, pickup_by, -1);
	db_bind_int64(st, 4, hold_id);
	if (item_id)
		db_bind_int64(st, 5, item_id);
	return store_run(ctx->store, st, "updating a hold");
}

bool holds_fulfil_own(const struct circ_ctx *ctx, long long patron_id,
		      const struct circ_item_rec *item, bool *fulfilled)
{
	struct db_stmt *st = store_stmt(ctx->store,
		"SELECT id FROM holds WHERE patron_id = ? AND title_id = ? AND item_id IS NULL"
		" AND status = 'waiting' ORDER BY placed_at, id LIMIT 1");
	db_bind_int64(st, 1, patron_id);
	db_bind_int64(st, 2, item->title_id);
	int rc = db_step(st);
	long long id = rc == DB_ROW ? db_column_int64(st, 0) : 0;
	store_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return store_failed(ctx->store, "reading a patron's hold");
	if (!id)
		return true;
	*fulfilled = true;
	return holds_set(ctx, id, "fulfilled", item->id, NULL);
}

void holds_pickup_by(const struct circ_ctx *ctx, const char *branch, char out[CIRC_DATE_LEN])
{
	struct civil_date d;
	date_parse_iso(ctx->today, &d);
	char weekdays[8];
	circ_branch_weekdays(ctx, branch, weekdays);
	unsigned open = 0;
	/* A branch open on no day within a year (a calendar not filled in)
	 * counts calendar days. */
	for (int i = 1; open < ctx->rules->hold_pickup_days && i <= 366; i++) {
		d = date_add_days(d, 1);
		if (!weekdays[0] || circ_branch_open_on(ctx, branch, weekdays, d))
			open++;
	}
	if (open < ctx->rules->hold_pickup_days) {
		date_parse_iso(ctx->today, &d);
		d = date_add_days(d, (int)ctx->rules->hold_pickup_days);
	}
	date_format_iso(d, out);
}

bool holds_route_item(const struct circ_ctx *ctx, const struct circ_item_rec *item,
		      struct circ_checkin_res *res)
{
	struct holds_first hold;
	if (!holds_first_for(ctx, item, HOLDS_TITLE, &hold))
		return false;
	if (hold.id && strcmp(hold.pickup_branch, ctx->branch) == 0) {
		holds_pickup_by(ctx, ctx->branch, res->pickup_by);
		res->route = CIRC_ROUTE_HOLD_SHELF;
		snprintf(res->route_branch, sizeof res->route_branch, "%s", hold.pickup_branch);
		memcpy(res->hold_for, hold.initials, sizeof res->hold_for);
		memcpy(res->hold_card4, hold.card4, sizeof res->hold_card4);
		/* The patron is told in the same transaction (the outbox). */
		return holds_set(ctx, hold.id, "ready", item->id, res->pickup_by) &&
		       notices_hold_ready(ctx->store, hold.id, ctx->now) &&
		       circ_item_set(ctx, item->id, "hold_shelf");
	}
	if (hold.id) {
		res->route = CIRC_ROUTE_TRANSIT;
		snprintf(res->route_branch, sizeof res->route_branch, "%s", hold.pickup_branch);
		return holds_set(ctx, hold.id, "in_transit", item->id, NULL) &&
		       circ_item_set(ctx, item->id, "in_transit");
	}
	if (strcmp(item->home_branch, ctx->branch) != 0) {
		res->route = CIRC_ROUTE_TRANSIT;
		snprintf(res->route_branch, sizeof res->route_branch, "%s", item->home_branch);
		return circ_item_set(ctx, item->id, "in_transit");
	}
	res->route = CIRC_ROUTE_SHELVE;
	return circ_item_set(ctx, item->id, "available");
}

/* ---- reading holds ---- */

/* Whether hold o came before hold h in their queue. */
#define HOLDS_EARLIER(o) "(" o ".placed_at < h.placed_at OR (" o ".placed_at = h.placed_at" \
			 " AND " o ".id < h.id))"

/* The columns read_hold reads, from holds h (LEFT JOIN items i, JOIN titles t).
 * The place counts the title-level holds on the title and the item-level
 * ones on its copies apart, so that holds_title and items_title with
 * holds_item answer each (a coalesce over both kinds scanned every hold). */
#define HOLDS_COLUMNS                                                                    \
	"SELECT h.id, t.id, t.title, t.author, coalesce(i.barcode, ''), h.pickup_branch,"  \
	" h.status, coalesce(h.pickup_by, ''), h.fee_cents,"                               \
	" CASE WHEN h.status = 'waiting' THEN 1"                                           \
	"   + (SELECT count(*) FROM holds o WHERE o.title_id = t.id"                       \
	"     AND o.status = 'waiting' AND " HOLDS_EARLIER("o") ")"                        \
	"   + (SELECT count(*) FROM items x JOIN holds o ON o.item_id = x.id"              \
	"     WHERE x.title_id = t.id AND o.title_id IS NULL AND o.status = 'waiting'"      \
	"     AND " HOLDS_EARLIER("o") ")"                                                 \
	" ELSE 0 END,"                                                                     \
	" EXISTS (SELECT 1 FROM notices n WHERE n.hold_id = h.id AND n.sent_at IS NOT NULL)" \
	" FROM holds h LEFT JOIN items i ON i.id = h.item_id"                              \
	" JOIN titles t ON t.id = coalesce(h.title_id, i.title_id)"

static void read_hold(struct db_stmt *st, struct holds_hold *h)
{
	memset(h, 0, sizeof *h);
	h->id = db_column_int64(st, 0);
	h->title_id = db_column_int64(st, 1);
	db_column_copy(st, 2, h->title, sizeof h->title);
	db_column_copy(st, 3, h->author, sizeof h->author);
	db_column_copy(st, 4, h->item_barcode, sizeof h->item_barcode);
	db_column_copy(st, 5, h->pickup_branch, sizeof h->pickup_branch);
	db_column_copy(st, 6, h->status, sizeof h->status);
	db_column_copy(st, 7, h->pickup_by, sizeof h->pickup_by);
	h->fee_cents = db_column_int64(st, 8);
	h->place = (unsigned)db_column_int(st, 9);
	h->told = db_column_int(st, 10) != 0;
}

/* The hold id as the desk shows it: HOLDS_OK, HOLDS_NOT_FOUND or
 * HOLDS_STORE_FAILED. */
static enum holds_status hold_read(struct store *store, long long id, struct holds_hold *out)
{
	struct db_stmt *st = store_stmt(store, HOLDS_COLUMNS " WHERE h.id = ?");
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		read_hold(st, out);
	store_done(st);
	if (rc != DB_ROW && rc != DB_DONE) {
		store_failed(store, "reading a hold");
		return HOLDS_STORE_FAILED;
	}
	return rc == DB_ROW ? HOLDS_OK : HOLDS_NOT_FOUND;
}

bool holds_each_of_patron(struct store *store, long long patron_id, time_t since, holds_fn fn,
			  void *ctx)
{
	struct db_stmt *st = store_stmt(store, HOLDS_COLUMNS
		" WHERE h.patron_id = ?1 AND (h.status IN ('waiting', 'in_transit', 'ready')"
		"   OR (h.status = 'expired' AND h.ended_at >= ?2))"
		" ORDER BY h.placed_at, h.id");
	db_bind_int64(st, 1, patron_id);
	db_bind_int64(st, 2, (long long)since);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct holds_hold h;
		read_hold(st, &h);
		fn(ctx, &h);
	}
	store_done(st);
	return rc == DB_DONE || store_failed(store, "reading a patron's holds");
}

/* ---- placing ---- */

/* A count (first column, first row) of st with one id bound; -1 (logged)
 * when the store fails. */
static long long count_of(struct store *store, struct db_stmt *st, const char *what)
{
	int rc = db_step(st);
	long long n = rc == DB_ROW ? db_column_int64(st, 0) : -1;
	store_done(st);
	if (rc != DB_ROW)
		store_failed(store, what);
	return n;
}

/* The title of the hold asked for, and its item (0 for a title-level hold). */
static enum holds_status target_find(const struct circ_ctx *ctx, const struct holds_place_req *req,
				     long long *title_id, long long *item_id)
{
	struct db_stmt *st = req->item_barcode
		? store_stmt(ctx->store, "SELECT title_id, id FROM items WHERE barcode = ?")
		: store_stmt(ctx->store, "SELECT id, 0 FROM titles WHERE id = ?");
	if (req->item_barcode)
		db_bind_text(st, 1, req->item_barcode, -1);
	else
		db_bind_int64(st, 1, req->title_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*title_id = db_column_int64(st, 0);
		*item_id = db_column_int64(st, 1);
	}
	store_done(st);
	if (rc == DB_ROW)
		return HOLDS_OK;
	if (rc != DB_DONE) {
		store_failed(ctx->store, "reading a title");
		return HOLDS_STORE_FAILED;
	}
	return req->item_barcode ? HOLDS_ITEM_NOT_FOUND : HOLDS_TITLE_NOT_FOUND;
}

static enum holds_status branch_check(const struct circ_ctx *ctx, const char *code)
{
	struct db_stmt *st = store_stmt(ctx->store, "SELECT count(*) FROM branches WHERE code = ?");
	db_bind_text(st, 1, code, -1);
	long long n = count_of(ctx->store, st, "reading a branch");
	return n < 0 ? HOLDS_STORE_FAILED : n ? HOLDS_OK : HOLDS_BRANCH_NOT_FOUND;
}

/* What the patron has that refuses the hold: a loan of the item or of a
 * copy of the title, an open hold on the title, or the limit reached. */
static enum holds_status patron_refusal(const struct circ_ctx *ctx, struct holds_place_res *res,
					long long title_id, long long item_id)
{
	long long patron = res->patron.id;
	struct db_stmt *st = store_stmt(ctx->store,
		"SELECT count(*) FROM loans l JOIN items i ON i.id = l.item_id"
		" WHERE l.patron_id = ?1 AND l.returned_at IS NULL"
		" AND (i.id = ?3 OR (?3 = 0 AND i.title_id = ?2))");
	db_bind_int64(st, 1, patron);
	db_bind_int64(st, 2, title_id);
	db_bind_int64(st, 3, item_id);
	long long on_loan = count_of(ctx->store, st, "reading a patron's loans");
	st = store_stmt(ctx->store,
		"SELECT count(*) FROM holds h WHERE h.patron_id = ?1"
		" AND h.status IN ('waiting', 'in_transit', 'ready')"
		" AND " HOLDS_TITLE_OF("h") " = ?2");
	db_bind_int64(st, 1, patron);
	db_bind_int64(st, 2, title_id);
	long long same = count_of(ctx->store, st, "reading a patron's holds");
	st = store_stmt(ctx->store, "SELECT count(*) FROM holds WHERE patron_id = ?"
				    " AND status IN ('waiting', 'in_transit', 'ready')");
	db_bind_int64(st, 1, patron);
	long long open = count_of(ctx->store, st, "counting a patron's holds");
	if (on_loan < 0 || same < 0 || open < 0)
		return HOLDS_STORE_FAILED;
	res->limit = rules_hold_limit(ctx->rules, res->patron.category);
	return on_loan ? HOLDS_ON_LOAN : same ? HOLDS_DUPLICATE
		: open >= res->limit ? HOLDS_LIMIT : HOLDS_OK;
}

static bool hold_add(const struct circ_ctx *ctx, const struct holds_place_req *req,
		     const struct holds_place_res *res, long long title_id, long long item_id,
		     long long *id)
{
	struct db_stmt *st = store_stmt(ctx->store,
		"INSERT INTO holds (patron_id, title_id, item_id, pickup_branch, placed_at,"
		" fee_cents)"
		" VALUES (?, ?, ?, ?, ?, ?)");
	db_bind_int64(st, 1, res->patron.id);
	/* An item-level hold keeps to its copy: title_id stays NULL. */
	if (!item_id)
		db_bind_int64(st, 2, title_id);
	else
		db_bind_int64(st, 3, item_id);
	db_bind_text(st, 4, req->pickup_branch, -1);
	db_bind_int64(st, 5, (long long)ctx->now);
	db_bind_int64(st, 6, rules_hold_fee(ctx->rules, res->patron.category));
	if (!store_run(ctx->store, st, "adding a hold"))
		return false;
	*id = store_last_id(ctx->store);
	long long fee = rules_hold_fee(ctx->rules, res->patron.category);
	if (fee <= 0)
		return true;
	struct account_charge charge = { .patron_id = res->patron.id, .kind = ACCOUNT_HOLD_FEE,
					 .amount_cents = fee, .hold_id = *id };
	return account_charge_add(ctx->store, &charge, &(struct account_where){
		.now = ctx->now, .branch = ctx->branch, .terminal = ctx->terminal,
		.staff_id = ctx->staff_id }, NULL);
}

enum holds_status holds_place(const struct circ_ctx *ctx, const struct holds_place_req *req,
			      struct holds_place_res *res)
{
	memset(res, 0, sizeof *res);
	enum circ_status cs = circ_patron_find(ctx->store, req->card, &res->patron);
	if (cs != CIRC_OK)
		return cs == CIRC_PATRON_NOT_FOUND ? HOLDS_PATRON_NOT_FOUND : HOLDS_STORE_FAILED;
	long long title_id = 0, item_id = 0;
	enum holds_status s = target_find(ctx, req, &title_id, &item_id);
	if (s == HOLDS_OK)
		s = branch_check(ctx, req->pickup_branch);
	if (s != HOLDS_OK)
		return s;
	/* The loan limit is no reason to refuse a hold: it is a loan later. */
	res->blocks = circ_patron_blocks(ctx, &res->patron) & CIRC_RENEWAL_BLOCKS;
	if (res->blocks & ~req->override_blocks)
		return HOLDS_PATRON_BLOCKED;
	res->overridden = res->blocks;
	if ((s = patron_refusal(ctx, res, title_id, item_id)) != HOLDS_OK)
		return s;
	long long id;
	if (!hold_add(ctx, req, res, title_id, item_id, &id))
		return HOLDS_STORE_FAILED;
	return hold_read(ctx->store, id, &res->hold);
}

void holds_place_res_clear(struct holds_place_res *res)
{
	circ_patron_clear(&res->patron);
}

/* ---- ending ---- */

bool holds_reason_ok(const char *reason)
{
	static const char *const reasons[] = { "patron_request", "staff", "other" };
	for (size_t i = 0; reason && i < sizeof reasons / sizeof reasons[0]; i++)
		if (strcmp(reason, reasons[i]) == 0)
			return true;
	return false;
}

/* The copy on the shelf of a hold that ended: it goes on from its pickup
 * branch as a check-in there would send it. */
static bool pass_on(const struct circ_ctx *ctx, const char *barcode, const char *pickup_branch,
		    struct circ_checkin_res *route, bool *to_hold)
{
	struct circ_ctx at = *ctx;
	at.branch = pickup_branch;
	memset(route, 0, sizeof *route);
	struct db_stmt *st = store_stmt(ctx->store,
		"SELECT i.id, i.title_id, i.home_branch FROM items i WHERE i.barcode = ?");
	db_bind_text(st, 1, barcode, -1);
	int rc = db_step(st);
	char home[CIRC_CODE_LEN] = "";
	struct circ_item_rec item = { 0 };
	if (rc == DB_ROW) {
		item.id = db_column_int64(st, 0);
		item.title_id = db_column_int64(st, 1);
		db_column_copy(st, 2, home, sizeof home);
	}
	store_done(st);
	if (rc != DB_ROW)
		return store_failed(ctx->store, "reading a held item");
	item.home_branch = home;
	struct holds_first next;
	if (!holds_first_for(&at, &item, HOLDS_TITLE, &next))
		return false;
	*to_hold = next.id != 0;
	return holds_route_item(&at, &item, route);
}

enum holds_status holds_cancel(const struct circ_ctx *ctx, const char *card, long long hold_id,
			       const char *reason, struct holds_hold *out,
			       struct circ_checkin_res *route)
{
	memset(route, 0, sizeof *route);
	struct db_stmt *st = store_stmt(ctx->store,
		"SELECT count(*) FROM holds h JOIN patrons p ON p.id = h.patron_id"
		" WHERE h.id = ? AND p.card = ?"
		" AND h.status IN ('waiting', 'in_transit', 'ready')");
	db_bind_int64(st, 1, hold_id);
	db_bind_text(st, 2, card, -1);
	long long n = count_of(ctx->store, st, "reading a hold");
	if (n <= 0)
		return n < 0 ? HOLDS_STORE_FAILED : HOLDS_NOT_FOUND;
	enum holds_status s = hold_read(ctx->store, hold_id, out);
	if (s != HOLDS_OK)
		return s;
	st = store_stmt(ctx->store, "UPDATE holds SET cancel_reason = ? WHERE id = ?");
	db_bind_text(st, 1, reason, -1);
	db_bind_int64(st, 2, hold_id);
	if (!store_run(ctx->store, st, "cancelling a hold") ||
	    !holds_set(ctx, hold_id, "cancelled", 0, NULL))
		return HOLDS_STORE_FAILED;
	/* A copy in transit for it is routed when it arrives; one on the shelf
	 * goes on now. */
	bool to_hold = false;
	if (strcmp(out->status, "ready") == 0 &&
	    !pass_on(ctx, out->item_barcode, out->pickup_branch, route, &to_hold))
		return HOLDS_STORE_FAILED;
	return HOLDS_OK;
}

/* Up to HOLDS_EXPIRE_BATCH ready holds past pickup_by; *n of them. */
static bool expired_batch(struct store *store, const char *day, struct holds_hold *out,
			  size_t *n)
{
	*n = 0;
	struct db_stmt *st = store_stmt(store, HOLDS_COLUMNS
		" WHERE h.status = 'ready' AND h.pickup_by < ? ORDER BY h.pickup_by, h.id LIMIT ?");
	db_bind_text(st, 1, day, -1);
	db_bind_int64(st, 2, HOLDS_EXPIRE_BATCH);
	int rc;
	while ((rc = db_step(st)) == DB_ROW && *n < HOLDS_EXPIRE_BATCH)
		read_hold(st, &out[(*n)++]);
	store_done(st);
	return rc == DB_DONE || rc == DB_ROW || store_failed(store, "reading ready holds");
}

/* One batch in its own transaction; *n holds were expired. */
static bool expire_batch(const struct circ_ctx *ctx, struct holds_hold *batch, size_t *n,
			 struct holds_expire_counts *counts)
{
	if (!store_begin(ctx->store))
		return false;
	bool ok = expired_batch(ctx->store, ctx->today, batch, n);
	unsigned passed = 0;
	for (size_t i = 0; ok && i < *n; i++) {
		struct circ_checkin_res route;
		bool to_hold = false;
		ok = holds_set(ctx, batch[i].id, "expired", 0, NULL) &&
		     pass_on(ctx, batch[i].item_barcode, batch[i].pickup_branch, &route, &to_hold);
		passed += to_hold ? 1u : 0u;
	}
	if (!ok || !store_commit(ctx->store)) {
		store_rollback(ctx->store);
		return false;
	}
	counts->expired += (unsigned)*n;
	counts->passed_on += passed;
	return true;
}

bool holds_expire(struct store *store, const struct rules *rules, const char *day, time_t now,
		  struct holds_expire_counts *counts)
{
	memset(counts, 0, sizeof *counts);
	struct circ_ctx ctx;
	circ_ctx_init(&ctx, store, rules, now, "", 0);
	snprintf(ctx.today, sizeof ctx.today, "%s", day);
	struct holds_hold *batch = xcalloc(HOLDS_EXPIRE_BATCH, sizeof *batch);
	size_t n;
	bool ok;
	do
		ok = expire_batch(&ctx, batch, &n, counts);
	while (ok && n == HOLDS_EXPIRE_BATCH);
	free(batch);
	return ok;
}
