#include "service/domain/account.h"

#include "core/log.h"

#include <string.h>

static const char *const kind_names[ACCOUNT_CHARGE_KINDS] = {
	[ACCOUNT_OVERDUE_FINE] = "overdue_fine",
	[ACCOUNT_HOLD_FEE] = "hold_fee",
	[ACCOUNT_REPLACEMENT_CARD] = "replacement_card",
	[ACCOUNT_LOST_ITEM] = "lost_item",
	[ACCOUNT_DAMAGED_ITEM] = "damaged_item",
	[ACCOUNT_MEMBERSHIP_FEE] = "membership_fee",
	[ACCOUNT_OTHER] = "other",
};

const char *account_charge_kind_name(enum account_charge_kind kind)
{
	return (unsigned)kind < ACCOUNT_CHARGE_KINDS ? kind_names[kind] : "other";
}

bool account_charge_kind_from_name(const char *name, enum account_charge_kind *kind)
{
	for (unsigned i = 0; name && i < ACCOUNT_CHARGE_KINDS; i++)
		if (strcmp(kind_names[i], name) == 0) {
			*kind = (enum account_charge_kind)i;
			return true;
		}
	return false;
}

static void bind_id_or_null(struct db_stmt *st, int col, long long id)
{
	if (id)
		db_bind_int64(st, col, id);
	else
		db_bind_null(st, col);
}

/* Binds when, where and who to three-plus-one columns from col on. */
static void bind_where(struct db_stmt *st, int col, const struct account_where *where)
{
	db_bind_int64(st, col, (long long)where->now);
	db_bind_text_or_null(st, col + 1, where->branch && *where->branch ? where->branch : NULL);
	db_bind_text_or_null(st, col + 2, where->terminal);
	bind_id_or_null(st, col + 3, where->staff_id);
}

bool account_charge_add(struct store *store, const struct account_charge *charge,
			const struct account_where *where, long long *id)
{
	if (charge->amount_cents <= 0)
		return false;
	struct db_stmt *st = store_stmt(store,
		"INSERT INTO charges (patron_id, kind, amount_cents, description, item_barcode,"
		" hold_id, created_at, branch_code, terminal, staff_id)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	db_bind_int64(st, 1, charge->patron_id);
	db_bind_text(st, 2, account_charge_kind_name(charge->kind), -1);
	db_bind_int64(st, 3, charge->amount_cents);
	db_bind_text_or_null(st, 4, charge->description);
	db_bind_text_or_null(st, 5, charge->item_barcode);
	bind_id_or_null(st, 6, charge->hold_id);
	bind_where(st, 7, where);
	if (!store_run(store, st, "adding a charge"))
		return false;
	if (id)
		*id = store_last_id(store);
	return true;
}

long long account_balance(struct store *store, long long patron_id)
{
	struct db_stmt *st = store_stmt(store,
		"SELECT coalesce(sum(amount_cents - paid_cents), 0) FROM charges"
		" WHERE patron_id = ? AND paid_cents < amount_cents AND cancelled_at IS NULL");
	db_bind_int64(st, 1, patron_id);
	long long balance = -1;
	if (db_step(st) == DB_ROW)
		balance = db_column_int64(st, 0);
	else
		store_failed(store, "reading a balance");
	store_done(st);
	return balance;
}

/* The paid part of an open (not cancelled) charge of the patron, or -1 when
 * there is none, -2 when the store fails. */
static long long charge_paid(struct store *store, long long patron_id, long long charge_id)
{
	struct db_stmt *st = store_stmt(store,
		"SELECT paid_cents FROM charges"
		" WHERE id = ? AND patron_id = ? AND cancelled_at IS NULL");
	db_bind_int64(st, 1, charge_id);
	db_bind_int64(st, 2, patron_id);
	int rc = db_step(st);
	long long paid = rc == DB_ROW ? db_column_int64(st, 0) : rc == DB_DONE ? -1 : -2;
	store_done(st);
	if (paid == -2)
		store_failed(store, "reading a charge");
	return paid;
}

static bool refund_add(struct store *store, long long patron_id, long long charge_id,
		       long long cents, const struct account_where *where)
{
	struct db_stmt *st = store_stmt(store,
		"INSERT INTO credits (patron_id, kind, amount_cents, charge_id, created_at,"
		" branch_code, terminal, staff_id)"
		" VALUES (?, 'refund', ?, ?, ?, ?, ?, ?)");
	db_bind_int64(st, 1, patron_id);
	db_bind_int64(st, 2, cents);
	db_bind_int64(st, 3, charge_id);
	bind_where(st, 4, where);
	return store_run(store, st, "adding a refund");
}

enum account_cancel_status account_charge_cancel(struct store *store, long long patron_id,
						 long long charge_id,
						 const struct account_where *where,
						 long long *refunded_cents)
{
	*refunded_cents = 0;
	long long paid = charge_paid(store, patron_id, charge_id);
	if (paid == -1)
		return ACCOUNT_NO_CHARGE;
	if (paid < 0)
		return ACCOUNT_STORE_FAILED;
	struct db_stmt *st = store_stmt(store, "UPDATE charges SET cancelled_at = ? WHERE id = ?");
	db_bind_int64(st, 1, (long long)where->now);
	db_bind_int64(st, 2, charge_id);
	if (!store_run(store, st, "cancelling a charge"))
		return ACCOUNT_STORE_FAILED;
	if (paid > 0 && !refund_add(store, patron_id, charge_id, paid, where))
		return ACCOUNT_STORE_FAILED;
	*refunded_cents = paid;
	return ACCOUNT_CANCELLED;
}

static const char *col_text(struct db_stmt *st, int col)
{
	return db_column_text(st, col);
}

/* Steps st (bound) through at most limit rows, handing each to row; false
 * when the store fails. */
static bool each_row(struct store *store, struct db_stmt *st, size_t limit,
		     void (*row)(struct db_stmt *st, void *closure), void *closure,
		     bool *truncated, const char *what)
{
	size_t n = 0;
	int rc;
	*truncated = false;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n++ == limit) {
			*truncated = true;
			rc = DB_DONE;
			break;
		}
		row(st, closure);
	}
	store_done(st);
	return rc == DB_DONE || store_failed(store, what);
}

struct charge_closure {
	account_charge_fn fn;
	void *ctx;
};

static void charge_row(struct db_stmt *st, void *closure)
{
	const struct charge_closure *c = closure;
	struct account_charge_row r = {
		.id = db_column_int64(st, 0),
		.kind = col_text(st, 1),
		.amount_cents = db_column_int64(st, 2),
		.waived_cents = db_column_int64(st, 4),
		.created_at = (time_t)db_column_int64(st, 5),
		.description = col_text(st, 6),
		.item_barcode = col_text(st, 7),
		.title = col_text(st, 8),
		.cancelled = db_column_type(st, 9) != DB_NULL,
	};
	r.paid_cents = db_column_int64(st, 3) - r.waived_cents;
	r.open_cents = r.cancelled ? 0 : r.amount_cents - db_column_int64(st, 3);
	c->fn(c->ctx, &r);
}

bool account_each_charge(struct store *store, long long patron_id, bool open_only, size_t limit,
			 account_charge_fn fn, void *ctx, bool *truncated)
{
	struct db_stmt *st = store_stmt(store,
		"SELECT c.id, c.kind, c.amount_cents, c.paid_cents,"
		" (SELECT coalesce(sum(a.amount_cents), 0) FROM credit_allocations a"
		"   JOIN credits k ON k.id = a.credit_id"
		"   WHERE a.charge_id = c.id AND k.kind = 'waiver'),"
		" c.created_at, c.description, c.item_barcode,"
		" (SELECT t.title FROM items i JOIN titles t ON t.id = i.title_id"
		"   WHERE i.barcode = c.item_barcode), c.cancelled_at"
		" FROM charges c WHERE c.patron_id = ?1"
		" AND (?2 = 0 OR (c.paid_cents < c.amount_cents AND c.cancelled_at IS NULL))"
		" ORDER BY c.created_at DESC, c.id DESC");
	db_bind_int64(st, 1, patron_id);
	db_bind_int64(st, 2, open_only);
	struct charge_closure c = { fn, ctx };
	return each_row(store, st, limit, charge_row, &c, truncated, "listing charges");
}

struct credit_closure {
	account_credit_fn fn;
	void *ctx;
};

static void credit_row(struct db_stmt *st, void *closure)
{
	const struct credit_closure *c = closure;
	struct account_credit_row r = {
		.id = db_column_int64(st, 0),
		.kind = col_text(st, 1),
		.method = col_text(st, 2),
		.amount_cents = db_column_int64(st, 3),
		.created_at = (time_t)db_column_int64(st, 4),
		.reason = col_text(st, 5),
		.branch = col_text(st, 6),
		.terminal = col_text(st, 7),
	};
	c->fn(c->ctx, &r);
}

bool account_each_credit(struct store *store, long long patron_id, size_t limit,
			 account_credit_fn fn, void *ctx, bool *truncated)
{
	struct db_stmt *st = store_stmt(store,
		"SELECT id, kind, method, amount_cents, created_at, reason, branch_code, terminal"
		" FROM credits WHERE patron_id = ? ORDER BY created_at DESC, id DESC");
	db_bind_int64(st, 1, patron_id);
	struct credit_closure c = { fn, ctx };
	return each_row(store, st, limit, credit_row, &c, truncated, "listing credits");
}
