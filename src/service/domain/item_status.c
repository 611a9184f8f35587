#include "service/domain/item_status.h"

#include "service/domain/account.h"
#include "core/log.h"

#include <stdio.h>
#include <string.h>

static const char *const names[] = {
	[ITEM_LOST] = "lost",
	[ITEM_DAMAGED] = "damaged",
	[ITEM_MISSING] = "missing",
	[ITEM_CLAIMED_RETURNED] = "claimed_returned",
	[ITEM_WITHDRAWN] = "withdrawn",
	[ITEM_AVAILABLE] = "available",
};

const char *item_status_name(enum item_status s)
{
	return names[s];
}

bool item_status_from_name(const char *name, enum item_status *out)
{
	for (size_t i = 0; name && i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(names[i], name) == 0) {
			*out = (enum item_status)i;
			return true;
		}
	}
	return false;
}

struct borrower {
	long long loan_id;   /* 0: not on loan */
	long long patron_id;
	char card[CIRC_CODE_LEN];
	bool keep_history;
};

static bool borrower_find(const struct circ_ctx *ctx, long long item_id, struct borrower *b)
{
	memset(b, 0, sizeof *b);
	struct db_stmt *st = store_stmt(ctx->store,
		"SELECT l.id, p.id, p.card, p.keep_history FROM loans l"
		" JOIN patrons p ON p.id = l.patron_id WHERE l.item_id = ? AND l.returned_at IS NULL");
	db_bind_int64(st, 1, item_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		b->loan_id = db_column_int64(st, 0);
		b->patron_id = db_column_int64(st, 1);
		snprintf(b->card, sizeof b->card, "%s", db_column_text(st, 2));
		b->keep_history = db_column_int(st, 3) != 0;
	}
	store_done(st);
	return rc == DB_ROW || rc == DB_DONE || store_failed(ctx->store, "reading a loan");
}

/* The patron of card, as the one charged for a damaged item not on loan. */
static enum item_status_result patron_of_card(const struct circ_ctx *ctx, const char *card,
					      struct borrower *b)
{
	struct circ_patron_rec p;
	enum circ_status s = circ_patron_find(ctx->store, card, &p);
	if (s == CIRC_OK) {
		b->patron_id = p.id;
		snprintf(b->card, sizeof b->card, "%s", p.card);
	}
	circ_patron_clear(&p);
	return s == CIRC_OK ? ITEM_STATUS_OK
	       : s == CIRC_PATRON_NOT_FOUND ? ITEM_STATUS_PATRON_NOT_FOUND
					    : ITEM_STATUS_STORE_FAILED;
}

static bool charge(const struct circ_ctx *ctx, long long patron_id, enum account_charge_kind kind,
		   struct item_status_res *res)
{
	if (res->charge_cents <= 0)
		return true;
	struct account_charge c = { .patron_id = patron_id, .kind = kind,
				    .amount_cents = res->charge_cents,
				    .item_barcode = res->item.barcode };
	return account_charge_add(ctx->store, &c, &(struct account_where){
		.now = ctx->now, .branch = ctx->branch, .terminal = ctx->terminal,
		.staff_id = ctx->staff_id }, &res->charge_id);
}

/* A claimed return counts on the patron. */
static bool count_claim(const struct circ_ctx *ctx, long long patron_id,
			struct item_status_res *res)
{
	struct db_stmt *st = store_stmt(ctx->store,
		"UPDATE patrons SET claims_returned = claims_returned + 1 WHERE id = ?"
		" RETURNING claims_returned");
	db_bind_int64(st, 1, patron_id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		res->claims_returned = (unsigned)db_column_int(st, 0);
	bool ok = rc == DB_ROW && db_step(st) == DB_DONE;
	store_done(st);
	res->claims_over_limit = res->claims_returned > ctx->rules->claims_returned_limit;
	return ok || store_failed(ctx->store, "counting a claimed return");
}

/* What circulation acts on, and what the desk said. */
static bool record(const struct circ_ctx *ctx, const struct item_status_req *req,
		   long long patron_id, const struct item_status_res *res)
{
	bool clear = req->status == ITEM_AVAILABLE;
	bool out = req->status == ITEM_DAMAGED || req->status == ITEM_WITHDRAWN;
	struct db_stmt *st = store_stmt(ctx->store, "UPDATE items SET status = ? WHERE id = ?");
	db_bind_text(st, 1, clear ? "available" : out ? "not_loanable" : "missing", -1);
	db_bind_int64(st, 2, res->item.id);
	if (!store_run(ctx->store, st, "setting an item's status"))
		return false;
	st = clear ? store_stmt(ctx->store, "DELETE FROM item_statuses WHERE item_id = ?1")
		   : store_stmt(ctx->store,
				"INSERT INTO item_statuses (item_id, status, reason,"
				" patron_id, charge_id, set_at, staff_id)"
				" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (item_id) DO UPDATE"
				" SET status = excluded.status, reason = excluded.reason,"
				" patron_id = excluded.patron_id, charge_id = excluded.charge_id,"
				" set_at = excluded.set_at, staff_id = excluded.staff_id");
	db_bind_int64(st, 1, res->item.id);
	if (!clear) {
		db_bind_text(st, 2, item_status_name(req->status), -1);
		db_bind_text(st, 3, req->reason, -1);
		if (patron_id)
			db_bind_int64(st, 4, patron_id);
		if (res->charge_id)
			db_bind_int64(st, 5, res->charge_id);
		db_bind_int64(st, 6, (long long)ctx->now);
		if (ctx->staff_id)
			db_bind_int64(st, 7, ctx->staff_id);
	}
	return store_run(ctx->store, st, "recording an item's status");
}

/* Whether req may be set on an item with (or without) loan b. */
static enum item_status_result check(const struct circ_ctx *ctx,
				     const struct item_status_req *req, struct borrower *b)
{
	switch (req->status) {
	case ITEM_CLAIMED_RETURNED:
		return b->loan_id ? ITEM_STATUS_OK : ITEM_STATUS_NOT_ON_LOAN;
	case ITEM_MISSING:
	case ITEM_WITHDRAWN:
	case ITEM_AVAILABLE:
		return b->loan_id ? ITEM_STATUS_ON_LOAN : ITEM_STATUS_OK;
	case ITEM_DAMAGED:
		if (b->loan_id)
			return ITEM_STATUS_ON_LOAN;
		if (req->charge_cents <= 0)
			return ITEM_STATUS_OK;
		return req->patron_card ? patron_of_card(ctx, req->patron_card, b)
					: ITEM_STATUS_NO_PATRON;
	case ITEM_LOST:
		break;
	}
	return ITEM_STATUS_OK;
}

enum item_status_result item_status_set(const struct circ_ctx *ctx, const char *barcode,
					const struct item_status_req *req,
					struct item_status_res *res)
{
	memset(res, 0, sizeof *res);
	enum circ_status s = circ_item_find(ctx, barcode, &res->item);
	if (s != CIRC_OK)
		return s == CIRC_ITEM_NOT_FOUND ? ITEM_STATUS_ITEM_NOT_FOUND : ITEM_STATUS_STORE_FAILED;
	struct borrower b;
	if (!borrower_find(ctx, res->item.id, &b))
		return ITEM_STATUS_STORE_FAILED;
	enum item_status_result r = check(ctx, req, &b);
	if (r != ITEM_STATUS_OK)
		return r;
	memcpy(res->patron_card, b.card, sizeof res->patron_card);
	bool ends = b.loan_id && (req->status == ITEM_LOST || req->status == ITEM_CLAIMED_RETURNED);
	if (req->status == ITEM_LOST && b.loan_id)
		res->charge_cents = rules_replacement_cost(ctx->rules, res->item.type);
	else if (req->status == ITEM_DAMAGED)
		res->charge_cents = req->charge_cents;
	bool ok = (!ends || circ_loan_end(ctx, b.loan_id, b.keep_history)) &&
		  charge(ctx, b.patron_id, req->status == ITEM_LOST ? ACCOUNT_LOST_ITEM
								    : ACCOUNT_DAMAGED_ITEM, res) &&
		  (req->status != ITEM_CLAIMED_RETURNED || count_claim(ctx, b.patron_id, res)) &&
		  record(ctx, req, b.patron_id, res);
	res->loan_ended = ends;
	return ok ? ITEM_STATUS_OK : ITEM_STATUS_STORE_FAILED;
}

void item_status_res_clear(struct item_status_res *res)
{
	circ_item_clear(&res->item);
}

bool item_status_claims(struct store *store, long long patron_id, unsigned *claims)
{
	struct db_stmt *st = store_stmt(store, "SELECT claims_returned FROM patrons WHERE id = ?");
	db_bind_int64(st, 1, patron_id);
	int rc = db_step(st);
	*claims = rc == DB_ROW ? (unsigned)db_column_int(st, 0) : 0;
	store_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		log_error("database: reading claims: %s", store_errmsg(store));
	return rc == DB_ROW || rc == DB_DONE;
}

bool item_status_found(const struct circ_ctx *ctx, long long item_id, struct item_found *out)
{
	memset(out, 0, sizeof *out);
	snprintf(out->was, sizeof out->was, "missing");
	struct db_stmt *st = store_stmt(ctx->store,
		"DELETE FROM item_statuses WHERE item_id = ? RETURNING status, patron_id, charge_id");
	db_bind_int64(st, 1, item_id);
	long long patron_id = 0, charge_id = 0;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		snprintf(out->was, sizeof out->was, "%s", db_column_text(st, 0));
		patron_id = db_column_int64(st, 1);
		charge_id = db_column_int64(st, 2);
		rc = db_step(st);
	}
	store_done(st);
	if (rc != DB_DONE)
		return store_failed(ctx->store, "ending an item's status");
	if (strcmp(out->was, "lost") != 0 || !charge_id || !ctx->rules->lost_item_refund)
		return true;
	enum account_cancel_status c = account_charge_cancel(ctx->store, patron_id, charge_id,
		&(struct account_where){ .now = ctx->now, .branch = ctx->branch,
					 .terminal = ctx->terminal, .staff_id = ctx->staff_id },
		&out->refunded_cents);
	out->charge_cancelled = c == ACCOUNT_CANCELLED;
	return c != ACCOUNT_STORE_FAILED;
}
